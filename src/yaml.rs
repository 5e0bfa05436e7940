//! YAML for `hearth.yaml` and front matter: the one place that talks to serde-saphyr.
//! `parse` turns YAML into a serde struct or a located diagnostic; `check_keys` reports
//! unknown keys with a "did you mean" suggestion before the struct is read.

use std::path::Path;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::diagnostic::{Diagnostic, Kind, did_you_mean};

/// A value read from YAML with the line and column it was written at, so that validation
/// after parsing can still point into the file. serde-saphyr's own `Spanned` stays in
/// this module: callers depend on this one, which holds only what they use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
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
    serde_saphyr::from_str::<T>(yaml).map_err(|e| {
        let raw = e.without_snippet().to_string();
        let message = match raw.rsplit_once(" at line ") {
            Some((message, _)) => message.to_owned(),
            None => raw,
        };
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let hint = hint_for(&message);
        let kind = if message.starts_with("unknown field") {
            Kind::UnknownField
        } else if message.contains("missing field") || message.starts_with("invalid") {
            Kind::FrontMatter
        } else {
            Kind::Yaml
        };
        let mut d = origin.diagnostic_at(kind, message, line, column);
        name_the_field(&mut d);
        if let Some(hint) = hint {
            d = d.hint(hint);
        }
        d
    })
}

/// "invalid u32" says nothing of which field: name it from the line the error points at.
fn name_the_field(d: &mut Diagnostic) {
    if !(d.message.starts_with("invalid") || d.message.starts_with("expected")) {
        return;
    }
    let Some(source) = &d.source_line else { return };
    let entry = source.trim_start().trim_start_matches("- ");
    let Some((key, value)) = entry.split_once(':') else {
        return;
    };
    if key.contains(' ') {
        return;
    }
    let wanted = if d.message.contains("invalid u") || d.message.contains("invalid i") {
        "a whole number"
    } else if d.message.contains("bool") {
        "`true` or `false`"
    } else if d.message.contains("sequence") {
        "a list"
    } else {
        "text"
    };
    d.message = format!("`{key}` must be {wanted}, not `{}`", value.trim());
}

fn hint_for(message: &str) -> Option<String> {
    // serde's own wording: "unknown field `x`, expected one of `a`, `b`"
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let expected = expected
            .split_once("expected one of ")
            .map_or("", |(_, e)| e);
        let options: Vec<&str> = expected
            .split(", ")
            .map(|o| o.trim_matches('`'))
            .filter(|o| !o.is_empty())
            .collect();
        return Some(
            did_you_mean(field, &options)
                .unwrap_or_else(|| format!("the keys allowed here are: {}", options.join(", "))),
        );
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return Some(format!("add {field} to the front matter"));
    }
    if message.contains("mapping values are not allowed") {
        return Some("put the value in double quotes when it contains `: `".into());
    }
    if message.contains("invalid u") || message.contains("invalid i") {
        return Some("write a whole number, like `60`".into());
    }
    if message.contains("expected string") {
        return Some(
            "write plain text; put it in double quotes if it starts with `[`, `{` or `*`".into(),
        );
    }
    None
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
