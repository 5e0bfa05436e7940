//! The interface strings a site needs, and which languages lack them. The list is derived
//! from what asks for strings: every [`Key`] of hearth's own code, every `t(k="…")` of the
//! templates in use (the theme's, or a project's own in their place), and the name of
//! every sensitive topic the content uses. A string a language lacks, or cannot format, is
//! an error: no page is ever published with a key where its words should be.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::config::Lang;
use crate::content::Meta;
use crate::diagnostic::{Diagnostic, Kind};
use crate::i18n::{self, Arg, I18n, Key};
use crate::render;
use crate::site::Site;
use crate::theme::{self, Template};

/// Who asks for a string, and with which variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The first that asks, for messages: "hearth itself", "the template `base.html`".
    pub by: String,
    /// The variables passed (`$n`): the only ones a translation can use.
    pub args: BTreeSet<String>,
}

/// Every string the code and `templates` ask for, by key, and a warning for each template
/// call whose key is computed, which no check can follow.
pub fn needed(templates: &[Template]) -> (BTreeMap<String, Need>, Vec<Diagnostic>) {
    let mut needed = BTreeMap::new();
    let mut diags = Vec::new();
    for key in Key::ALL {
        needed.insert(
            key.as_str().to_owned(),
            Need {
                by: "hearth itself".to_owned(),
                args: key.args().iter().map(|a| (*a).to_owned()).collect(),
            },
        );
    }
    for t in templates {
        for call in render::string_calls(&t.text) {
            match call.key {
                Some(key) => needed
                    .entry(key)
                    .or_insert_with(|| Need {
                        by: format!("the template `{}`", t.name),
                        args: BTreeSet::new(),
                    })
                    .args
                    .extend(call.args),
                None => diags.push(
                    Diagnostic::warning(
                        Kind::Template,
                        &t.file,
                        "this `t(…)` computes the name of its string, so `hearth check` cannot make sure every language has it",
                    )
                    .at_offset(&t.text, call.offset, 1)
                    .hint("write the name out, as in `t(k=\"binder-title\")`"),
                ),
            }
        }
    }
    (needed, diags)
}

/// One error per language and string of `needed` that the language lacks or cannot
/// format with the variables it is given.
pub fn missing(needed: &BTreeMap<String, Need>, langs: &[Lang], i18n: &I18n) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for lang in langs {
        for (key, need) in needed {
            diags.extend(check_one(i18n, lang, key, &need.args, || {
                format!("{} uses it", need.by)
            }));
        }
    }
    diags
}

/// One error per language and sensitive topic that the content of that language uses
/// but whose name (`topic-<name>`) the language lacks.
pub fn missing_topics(site: &Site, i18n: &I18n) -> Vec<Diagnostic> {
    // (language, topic) -> the first file that names it.
    let mut used: BTreeMap<(&Lang, &str), &PathBuf> = BTreeMap::new();
    for doc in &site.docs {
        if let Meta::Module(meta) = &doc.source.meta {
            for topic in &meta.sensitive_topics {
                used.entry((&doc.source.lang, topic.as_str()))
                    .or_insert(&doc.source.file);
            }
        }
    }
    used.into_iter()
        .filter_map(|((lang, topic), file)| {
            check_one(i18n, lang, &i18n::topic_id(topic), &BTreeSet::new(), || {
                format!("`{}` names the sensitive topic `{topic}`", file.display())
            })
        })
        .collect()
}

/// The error for `key` in `lang`, if it is missing or cannot be formatted with `args`.
fn check_one(
    i18n: &I18n,
    lang: &Lang,
    key: &str,
    args: &BTreeSet<String>,
    why: impl Fn() -> String,
) -> Option<Diagnostic> {
    let file = format!("locales/{lang}.ftl");
    if !i18n.has(lang, key) {
        return Some(
            Diagnostic::error(
                Kind::Strings,
                &file,
                format!("the string `{key}` is missing in `{lang}` ({})", why()),
            )
            .hint(add_hint(&file, key, english(i18n, key).as_deref())),
        );
    }
    // Formatting once with every variable catches a translation that uses another one,
    // or refers to a message that is not there.
    let values: Vec<(&str, Arg)> = args.iter().map(|a| (a.as_str(), Arg::Number(1))).collect();
    let error = i18n.message(lang, key, &values).err()?;
    let hint = if args.is_empty() {
        format!("`{key}` is given no variables; write its text without any")
    } else {
        let names: Vec<String> = args.iter().map(|a| format!("`{{ ${a} }}`")).collect();
        format!("`{key}` can use only {}", names.join(", "))
    };
    let mut d = Diagnostic::error(Kind::Strings, &file, error).hint(hint);
    if let Some(source) = i18n.source(lang, key) {
        let first = source.text.lines().next().unwrap_or_default();
        d.file = source.file.clone();
        d.line = source.line;
        d.column = 1;
        d.width = first.chars().count();
        d.source_line = Some(first.to_owned());
    }
    Some(d)
}

/// The English source of `key` (`key = text`): the project's when it builds English,
/// otherwise the built-in theme's; for a topic, its name as written.
fn english(i18n: &I18n, key: &str) -> Option<String> {
    let en = Lang::new("en");
    if let Some(source) = i18n.source(&en, key) {
        return Some(source.text.clone());
    }
    let built_in = theme::DEFAULT_LOCALES
        .iter()
        .find(|(code, _)| *code == "en")
        .map(|(_, text)| i18n::message_sources(text))
        .unwrap_or_default();
    if let Some((.., source)) = built_in.into_iter().find(|(id, ..)| id == key) {
        return Some(source);
    }
    key.strip_prefix("topic-")
        .map(|topic| format!("{key} = {}", topic.replace('-', " ")))
}

/// What to add where: the English text to translate, when there is one.
fn add_hint(file: &str, key: &str, english: Option<&str>) -> String {
    match english {
        Some(source) if !source.contains('\n') => {
            format!("add this line to `{file}`, with its text translated: `{source}`")
        }
        Some(source) => format!(
            "add these lines to `{file}`, with their text translated:\n{}",
            source
                .lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        None => format!("add a line `{key} = …` to `{file}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::FtlFile;

    fn i18n(langs: &[&str], files: &[(&str, &str)]) -> (I18n, Vec<Lang>) {
        let langs: Vec<Lang> = langs.iter().map(|l| Lang::new(*l)).collect();
        let files = files
            .iter()
            .map(|(lang, text)| FtlFile {
                lang: Lang::new(*lang),
                file: format!("locales/{lang}.ftl").into(),
                text: (*text).to_owned(),
            })
            .collect();
        (I18n::new(&langs, files).0, langs)
    }

    fn needed_keys(keys: &[&str]) -> BTreeMap<String, Need> {
        let (all, _) = needed(&[]);
        keys.iter()
            .map(|k| ((*k).to_owned(), all[*k].clone()))
            .collect()
    }

    #[test]
    fn the_list_holds_every_code_key_and_every_template_key() {
        let template = Template {
            name: "extra.html".into(),
            file: "templates/extra.html".into(),
            text: "{{ t(k=\"partner-note\") }}{{ t(k=name) }}".into(),
        };
        let (needed, diags) = needed(std::slice::from_ref(&template));
        assert!(needed.contains_key("binder-title"));
        assert!(needed.contains_key("block-lines"));
        assert_eq!(needed["partner-note"].by, "the template `extra.html`");
        assert_eq!(needed.len(), Key::ALL.len() + 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].kind, diags[0].line, diags[0].is_error()),
            (Kind::Template, 1, false)
        );
    }

    #[test]
    fn a_missing_string_is_one_error_per_language_with_the_english_to_start_from() {
        let (i18n, langs) = i18n(
            &["en", "pt"],
            &[("en", "go-home = Home\n"), ("pt", "go-home = Início\n")],
        );
        let diags = missing(&needed_keys(&["binder-title", "go-home"]), &langs, &i18n);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].file, PathBuf::from("locales/en.ftl"));
        assert_eq!(diags[1].file, PathBuf::from("locales/pt.ftl"));
        assert!(diags[1].message.contains("`binder-title`"));
        assert!(diags[1].message.contains("`pt`"));
        assert_eq!(
            diags[1].hint.as_deref(),
            Some(
                "add this line to `locales/pt.ftl`, with its text translated: `binder-title = Facilitator binder`"
            )
        );
    }

    #[test]
    fn a_translation_that_uses_an_unknown_variable_is_an_error() {
        let (i18n, langs) = i18n(&["pt"], &[("pt", "session-number = Sessão { $num }\n")]);
        let diags = missing(&needed_keys(&["session-number"]), &langs, &i18n);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].file.to_str(), diags[0].line),
            (Some("locales/pt.ftl"), 1)
        );
        assert!(diags[0].hint.as_deref().unwrap().contains("`{ $n }`"));
    }
}
