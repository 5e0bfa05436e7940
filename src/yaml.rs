//! YAML for `hearth.yaml` and front matter: the one place that talks to serde-saphyr.
//! `parse` turns YAML into a serde struct or a located diagnostic, worded from the kind
//! of serde-saphyr's error; `check_keys` reports unknown keys with a "did you mean"
//! suggestion before the struct is read; [`Spanned`] keeps a value's line and column.

use std::borrow::Cow;
use std::path::Path;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{DefaultMessageFormatter, ExternalMessageSource, Localizer, Location};

use crate::diagnostic::{Diagnostic, Kind, did_you_mean};

/// A value read from YAML with the line and column it was written at, so that validation
/// after parsing can still point into the file. serde-saphyr's own `Spanned` stays in
/// this module: callers depend on this one, which holds only what they use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// What serde read.
    pub value: T,
    /// 1-based, in the YAML (not the file: see [`Origin`]).
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        // Where the value is used, not where an anchor defined it: that is the line an
        // author reads when told the value is wrong.
        let at = spanned.referenced;
        Ok(Spanned {
            value: spanned.value,
            line: at.line() as usize,
            column: at.column() as usize,
        })
    }
}

/// Where a YAML snippet sits inside its file, so locations point at the file's lines.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    /// The file diagnostics name, relative to the project root.
    pub file: &'a Path,
    /// The whole file's text.
    pub text: &'a str,
    /// How many lines of the file come before the YAML.
    pub line_offset: usize,
}

impl Origin<'_> {
    /// An error at a 1-based line and column of the YAML, placed on the file's line.
    pub fn diagnostic_at(
        &self,
        kind: Kind,
        message: String,
        line: usize,
        column: usize,
    ) -> Diagnostic {
        Diagnostic::error(kind, self.file, message).at(self.text, line + self.line_offset, column)
    }

    /// A diagnostic pointing at a spanned value, underlining it.
    pub fn at<T>(&self, kind: Kind, message: impl Into<String>, value: &Spanned<T>) -> Diagnostic {
        let d = self.diagnostic_at(kind, message.into(), value.line, value.column);
        let width = d
            .source_line
            .as_deref()
            .map_or(1, |l| l.chars().count().saturating_sub(d.column - 1));
        d.width(width)
    }
}

/// Reads `yaml` into `T`, or says where and why it cannot.
pub fn parse<T: DeserializeOwned>(yaml: &str, origin: Origin) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping, so "missing field" errors read naturally.
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_saphyr::from_str::<T>(yaml).map_err(|e| diagnose(&e, origin))
}

/// serde-saphyr's error as a diagnostic: its own words, unless hearth can say better
/// which field is wrong and what to write instead.
fn diagnose(error: &serde_saphyr::Error, origin: Origin) -> Diagnostic {
    let formatter = DefaultMessageFormatter.with_localizer(&Unplaced);
    let message = error.without_snippet().render_with_formatter(&formatter);
    let (line, column) = error
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let problem = Problem::of(error);
    let mut d = origin.diagnostic_at(problem.kind(), message, line, column);
    if let Some(wanted) = problem.wanted() {
        name_the_field(&mut d, wanted);
    }
    match problem.hint() {
        Some(hint) => d.hint(hint),
        None => d,
    }
}

/// serde-saphyr's English, without the " at line …" it appends: a diagnostic places
/// itself.
struct Unplaced;

impl Localizer for Unplaced {
    fn attach_location<'a>(&self, base: Cow<'a, str>, _: Location) -> Cow<'a, str> {
        base
    }
}

/// What went wrong in reading YAML into a struct, as far as hearth words it differently.
#[derive(Debug, PartialEq)]
enum Problem<'e> {
    UnknownField {
        field: &'e str,
        expected: &'e [&'static str],
    },
    MissingField(&'static str),
    /// A value its field's type cannot hold ("invalid u32").
    Invalid(Wanted),
    /// A value of another shape than its field's ("expected sequence start"); `string`
    /// when text was wanted, which quoting usually fixes.
    Unexpected {
        wanted: Wanted,
        string: bool,
    },
    /// YAML syntax, and anything else: serde-saphyr's words stand. `colon` when a `: `
    /// inside a value is the likely cause.
    Syntax {
        colon: bool,
    },
}

/// What a field wants, in an author's words.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Wanted {
    WholeNumber,
    Bool,
    List,
    Text,
}

impl Wanted {
    /// From the name of the Rust type a scalar did not parse as (`u32`, `boolean`).
    fn from_type(ty: &str) -> Wanted {
        let integer = ty.strip_prefix(['u', 'i']).is_some_and(|bits| {
            bits == "size" || (!bits.is_empty() && bits.bytes().all(|b| b.is_ascii_digit()))
        });
        if integer {
            Wanted::WholeNumber
        } else {
            Wanted::from_description(ty)
        }
    }

    /// From serde's description of what it expected (`a boolean`, `sequence start`).
    fn from_description(expected: &str) -> Wanted {
        if expected.contains("bool") {
            Wanted::Bool
        } else if expected.contains("sequence") {
            Wanted::List
        } else {
            Wanted::Text
        }
    }

    fn words(self) -> &'static str {
        match self {
            Wanted::WholeNumber => "a whole number",
            Wanted::Bool => "`true` or `false`",
            Wanted::List => "a list",
            Wanted::Text => "text",
        }
    }
}

impl<'e> Problem<'e> {
    fn of(error: &'e serde_saphyr::Error) -> Problem<'e> {
        use serde_saphyr::Error as E;
        use serde_saphyr::granit_parser::ErrorKind as Scan;
        match error.without_snippet() {
            E::AliasError { error, .. } => Problem::of(error),
            E::SerdeUnknownField {
                field, expected, ..
            } => Problem::UnknownField { field, expected },
            E::SerdeMissingField { field, .. } => Problem::MissingField(field),
            E::InvalidScalar { ty, .. } => Problem::Invalid(Wanted::from_type(ty)),
            E::InvalidBooleanStrict { .. } => Problem::Invalid(Wanted::Bool),
            E::SerdeInvalidType {
                unexpected,
                expected,
                ..
            }
            | E::SerdeInvalidValue {
                unexpected,
                expected,
                ..
            } => Problem::Invalid(match Wanted::from_description(expected) {
                // What was found says more when serde's words for the type do not.
                Wanted::Text if unexpected.starts_with("boolean") => Wanted::Bool,
                Wanted::Text if unexpected == "sequence" => Wanted::List,
                wanted => wanted,
            }),
            E::SerdeInvalidLength { expected, .. } => {
                Problem::Invalid(Wanted::from_description(expected))
            }
            E::InvalidCharNull { .. }
            | E::InvalidCharNotSingleScalar { .. }
            | E::InvalidBinaryBase64 { .. } => Problem::Invalid(Wanted::Text),
            E::Unexpected { expected, .. } => Problem::Unexpected {
                wanted: Wanted::from_description(expected),
                string: expected.starts_with("string"),
            },
            E::ExpectedStringKeyForExternallyTaggedEnum { .. } => Problem::Unexpected {
                wanted: Wanted::Text,
                string: true,
            },
            E::ExpectedEmptyMappingForUnitStruct { .. }
            | E::ExpectedMappingEndAfterEnumVariantValue { .. } => Problem::Unexpected {
                wanted: Wanted::Text,
                string: false,
            },
            E::ExternalMessage { source, .. } => match source.as_ref() {
                ExternalMessageSource::Parser(scan) => match scan.kind() {
                    // `title: "Hello" world`: the value is what is wrong, not the YAML.
                    Scan::InvalidTrailingSingleQuotedScalar
                    | Scan::InvalidTrailingDoubleQuotedScalar => Problem::Invalid(Wanted::Text),
                    Scan::MappingValueNotAllowed => Problem::Syntax { colon: true },
                    _ => Problem::Syntax { colon: false },
                },
                _ => Problem::Syntax { colon: false },
            },
            _ => Problem::Syntax { colon: false },
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Problem::UnknownField { .. } => Kind::UnknownField,
            Problem::MissingField(_) | Problem::Invalid(_) => Kind::FrontMatter,
            Problem::Unexpected { .. } | Problem::Syntax { .. } => Kind::Yaml,
        }
    }

    /// What the field wants, when the message should name the field and say so.
    fn wanted(&self) -> Option<Wanted> {
        match self {
            Problem::Invalid(wanted) | Problem::Unexpected { wanted, .. } => Some(*wanted),
            _ => None,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Problem::UnknownField { field, expected } => did_you_mean(field, *expected)
                .unwrap_or_else(|| format!("the keys allowed here are: {}", expected.join(", "))),
            Problem::MissingField(field) => format!("add `{field}` to the front matter"),
            Problem::Syntax { colon: true } => {
                "put the value in double quotes when it contains `: `".into()
            }
            Problem::Invalid(Wanted::WholeNumber) => "write a whole number, like `60`".into(),
            Problem::Unexpected { string: true, .. } => {
                "write plain text; put it in double quotes if it starts with `[`, `{` or `*`".into()
            }
            _ => return None,
        })
    }
}

/// "invalid u32" says nothing of which field: name it from the line the error points at.
fn name_the_field(d: &mut Diagnostic, wanted: Wanted) {
    let Some(source) = &d.source_line else { return };
    let entry = source.trim_start().trim_start_matches("- ");
    let Some((key, value)) = entry.split_once(':') else {
        return;
    };
    if key.contains(' ') {
        return;
    }
    d.message = format!("`{key}` must be {}, not `{}`", wanted.words(), value.trim());
}

/// The top-level keys of a YAML mapping, with where each one is.
struct Keys(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of `key: value` lines")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Keys, E> {
                Ok(Keys(Vec::new()))
            }
        }
        deserializer.deserialize_map(KeysVisitor)
    }
}

/// Reports every top-level key of `yaml` that is not in `allowed`, with a suggestion.
/// Syntax errors are left to `parse`, which reports them with more detail.
pub fn check_keys(yaml: &str, allowed: &[&str], what: &str, origin: Origin) -> Vec<Diagnostic> {
    if yaml.trim().is_empty() {
        return Vec::new();
    }
    let Ok(Keys(keys)) = serde_saphyr::from_str::<Keys>(yaml) else {
        return Vec::new();
    };
    keys.iter()
        .filter(|k| !allowed.contains(&k.value.as_str()))
        .map(|k| {
            let d = origin
                .diagnostic_at(
                    Kind::UnknownField,
                    format!("unknown {what} `{}`", k.value),
                    k.line,
                    k.column,
                )
                .width(k.value.chars().count());
            match did_you_mean(&k.value, allowed) {
                Some(hint) => d.hint(hint),
                None => d.hint(format!(
                    "the {what}s allowed here are: {}",
                    allowed.join(", ")
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Fm {
        #[allow(dead_code)] // read by serde; the tests only check errors
        title: String,
        #[allow(dead_code)] // read by serde; the tests only check errors
        duration: u32,
    }

    fn origin(text: &str) -> Origin<'_> {
        Origin {
            file: Path::new("m.md"),
            text,
            line_offset: 1,
        }
    }

    #[test]
    fn type_errors_point_at_the_value_in_the_file() {
        let file = "---\ntitle: Hi\nduration: ninety\n---\n";
        let e = parse::<Fm>("title: Hi\nduration: ninety\n", origin(file)).unwrap_err();
        assert_eq!((e.line, e.column), (3, 11));
        assert_eq!(e.source_line.as_deref(), Some("duration: ninety"));
        assert_eq!(e.message, "`duration` must be a whole number, not `ninety`");
        assert!(e.hint.is_some());
    }

    #[test]
    fn missing_fields_are_named() {
        let file = "---\ntitle: Hi\n---\n";
        let e = parse::<Fm>("title: Hi\n", origin(file)).unwrap_err();
        assert!(e.message.contains("duration"), "{}", e.message);
    }

    #[test]
    fn kinds_come_from_what_went_wrong() {
        let kind = |yaml: &str| {
            let file = format!("---\n{yaml}---\n");
            let e = parse::<Fm>(yaml, origin(&file)).unwrap_err();
            (e.kind, e.message, e.hint.is_some())
        };
        assert_eq!(
            kind("title: Hi\nduration: 5\nextra: [\n"),
            (Kind::Yaml, "unclosed bracket '['".to_owned(), false)
        );
        assert_eq!(
            kind("title: \"Hi\" there\nduration: 5\n"),
            (
                Kind::FrontMatter,
                "`title` must be text, not `\"Hi\" there`".to_owned(),
                false
            )
        );
        assert_eq!(
            kind("title: [Hi]\nduration: 5\n"),
            (
                Kind::Yaml,
                "`title` must be text, not `[Hi]`".to_owned(),
                true
            )
        );
        let (k, message, hint) = kind("title: a: b\nduration: 5\n");
        assert_eq!((k, hint), (Kind::Yaml, true), "{message}");
    }

    #[test]
    fn unknown_keys_get_suggestions() {
        let file = "---\ntitle: Hi\ndurtion: 5\n---\n";
        let d = check_keys(
            "title: Hi\ndurtion: 5\n",
            &["title", "duration"],
            "field",
            origin(file),
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (3, 1));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `duration`?"));
    }
}
