//! Interface strings: one Fluent bundle per language, from the theme's `.ftl` files with
//! the project's `locales/<lang>.ftl` laid over them. A missing string is an error the
//! caller reports, never a silent fall-back to another language.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::config::Lang;
use crate::diagnostic::{Diagnostic, Kind};

/// One `.ftl` file's text and where it came from.
pub struct FtlFile {
    pub lang: Lang,
    /// For diagnostics: relative to the project, or `(built-in theme)/…`.
    pub file: PathBuf,
    pub text: String,
}

/// The strings of every language.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

/// A value passed into a Fluent message.
pub enum Arg<'a> {
    Number(i64),
    Str(&'a str),
}

impl I18n {
    /// Builds bundles from `files`, later files overriding earlier ones.
    pub fn new(langs: &[Lang], files: Vec<FtlFile>) -> (I18n, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut bundles = HashMap::new();
        for lang in langs {
            // Codes were validated with the configuration.
            let id = lang.as_str().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            bundles.insert(lang.clone(), bundle);
        }
        for f in files {
            let Some(bundle) = bundles.get_mut(&f.lang) else {
                continue;
            };
            let resource = match FluentResource::try_new(f.text.clone()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        diags.push(
                            Diagnostic::error(Kind::Strings, &f.file, format!("this Fluent string cannot be read: {}", e.kind))
                                .at_offset(&f.text, e.pos.start, e.pos.len().max(1))
                                .hint("write strings as `key = text`; see https://projectfluent.org/fluent/guide/"),
                        );
                    }
                    r
                }
            };
            bundle.add_resource_overriding(resource);
        }
        (I18n { bundles }, diags)
    }

    /// The string `key` in `lang`, formatted with `args`.
    pub fn get(&self, lang: &Lang, key: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        let bundle = self
            .bundles
            .get(lang)
            .ok_or_else(|| format!("no strings are loaded for `{lang}`"))?;
        let message = bundle
            .get_message(key)
            .ok_or_else(|| format!("the string `{key}` is missing in `{lang}`"))?;
        let pattern = message
            .value()
            .ok_or_else(|| format!("the string `{key}` has no value in `{lang}`"))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(*s)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        match errors.first() {
            Some(e) => Err(format!(
                "the string `{key}` in `{lang}` cannot be formatted: {e}"
            )),
            None => Ok(text.into_owned()),
        }
    }

    /// Whether `lang` has the string `key`.
    pub fn has(&self, lang: &Lang, key: &str) -> bool {
        self.bundles.get(lang).is_some_and(|b| b.has_message(key))
    }
}

/// The project's own `.ftl` files for `langs`: `locales/<lang>.ftl`.
pub fn project_files(
    root: &Path,
    dir: &str,
    langs: &[Lang],
) -> Result<Vec<FtlFile>, std::io::Error> {
    let mut files = Vec::new();
    for lang in langs {
        let rel = Path::new(dir).join(format!("{lang}.ftl"));
        let path = root.join(&rel);
        if path.is_file() {
            files.push(FtlFile {
                lang: lang.clone(),
                file: rel,
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n(es: &str) -> (I18n, Vec<Diagnostic>) {
        let es_lang = Lang::new("es");
        I18n::new(
            std::slice::from_ref(&es_lang),
            vec![
                FtlFile {
                    lang: es_lang.clone(),
                    file: "theme/es.ftl".into(),
                    text: "minutes = { $n ->\n    [one] 1 minuto\n   *[other] { $n } minutos\n}\nhello = Hola\n".into(),
                },
                FtlFile {
                    lang: es_lang.clone(),
                    file: "locales/es.ftl".into(),
                    text: es.into(),
                },
            ],
        )
    }

    #[test]
    fn plurals_and_overrides_work() {
        let (i, d) = i18n("hello = Buenas\n");
        assert!(d.is_empty());
        let es = Lang::new("es");
        assert_eq!(
            i.get(&es, "minutes", &[("n", Arg::Number(1))]).unwrap(),
            "1 minuto"
        );
        assert_eq!(
            i.get(&es, "minutes", &[("n", Arg::Number(15))]).unwrap(),
            "15 minutos"
        );
        assert_eq!(i.get(&es, "hello", &[]).unwrap(), "Buenas");
        assert!(i.get(&es, "absent", &[]).unwrap_err().contains("missing"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let (_, d) = i18n("ok = fine\n= broken\n");
        assert_eq!(d[0].line, 2, "{d:?}");
        assert_eq!(d[0].kind, Kind::Strings);
    }
}
