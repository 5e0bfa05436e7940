//! Translation status: every document path in every translation language, compared with
//! the source by fingerprint, including files whose errors leave them out of the site,
//! since a status depends on the files' bytes alone. A translation that is still the
//! placeholder `hearth new` wrote, or says word for word what its source says, is not
//! yet translated, whatever it records.

use std::collections::{BTreeSet, HashMap};

use super::place::Placed;
use super::{Status, Translation};
use crate::config::Lang;
use crate::content::{self, Broken, DocPath, Source};
use crate::diagnostic::{Diagnostic, Kind};

/// What translation status needs of one file: its own fingerprint and the one it
/// records, whether it has errors, and whether it is left out of the site.
pub(super) struct Fingerprints {
    own: Option<String>,
    translated_from: Option<String>,
    /// Its [`content::text_fingerprint`], to tell a copy of its source.
    text: Option<String>,
    /// Still the placeholder `hearth new` wrote (see [`content::is_placeholder`]).
    placeholder: bool,
    has_errors: bool,
    left_out: bool,
}

/// Every Markdown file by (language, path): those with errors, those placed, those
/// left without a module (`orphans`), and the `placeholders` left out until translated.
pub(super) fn fingerprints(
    broken: &[Broken],
    placed: &[Placed],
    orphans: &[Source],
    placeholders: &[Source],
) -> HashMap<(Lang, DocPath), Fingerprints> {
    let mut files = HashMap::new();
    for b in broken {
        let placeholder = match (&b.translated_from, &b.text_fingerprint) {
            (Some(from), Some(text)) => *from == format!("{} {text}", content::UNTRANSLATED),
            _ => false,
        };
        files.insert(
            (b.lang.clone(), b.path.clone()),
            Fingerprints {
                own: b.fingerprint.clone(),
                translated_from: b.translated_from.clone(),
                text: b.text_fingerprint.clone(),
                placeholder,
                has_errors: true,
                left_out: true,
            },
        );
    }
    let sources = placed.iter().map(|p| (&p.source, false));
    let sources = sources
        .chain(orphans.iter().map(|s| (s, true)))
        // Left out of the site, but for being untranslated, which is what to report.
        .chain(placeholders.iter().map(|s| (s, false)));
    for (source, left_out) in sources {
        files.insert(
            (source.lang.clone(), source.path.clone()),
            Fingerprints {
                own: Some(source.fingerprint.clone()),
                translated_from: source.translated_from.clone(),
                text: Some(content::text_fingerprint(&source.text)),
                placeholder: source.is_placeholder(),
                has_errors: false,
                left_out,
            },
        );
    }
    files
}

/// The status of every document path in every translation language (all of
/// `languages` but the first, the source), from `files`.
pub(super) fn translation_status(
    languages: &[Lang],
    files: &HashMap<(Lang, DocPath), Fingerprints>,
) -> Vec<Translation> {
    let source_lang = &languages[0];
    let mut out = Vec::new();
    for lang in &languages[1..] {
        let paths: BTreeSet<&DocPath> = files
            .keys()
            .filter(|(l, _)| l == source_lang || l == lang)
            .map(|(_, p)| p)
            .collect();
        for path in paths {
            let source = files.get(&(source_lang.clone(), path.clone()));
            let translation = files.get(&(lang.clone(), path.clone()));
            let status = match (source, translation) {
                (Some(_), None) => Status::Missing,
                (None, Some(_)) => Status::Orphaned,
                (Some(s), Some(t)) if t.placeholder || (t.text.is_some() && t.text == s.text) => {
                    Status::Untranslated
                }
                (Some(s), Some(t)) => match &t.translated_from {
                    None => Status::Unmarked,
                    // A placeholder a person has changed: nobody has said it is caught up.
                    Some(fp) if fp.starts_with(content::UNTRANSLATED) => Status::Unmarked,
                    Some(fp) if Some(fp) == s.own.as_ref() => Status::Current,
                    Some(_) => Status::Stale,
                },
                (None, None) => continue,
            };
            out.push(Translation {
                lang: lang.clone(),
                path: path.clone(),
                status,
                has_errors: source.into_iter().chain(translation).any(|f| f.has_errors),
            });
        }
    }
    out
}

/// A warning for each translation that is not current, saying what to do about it. A
/// document left out (for its own errors, or for its module's missing `index.md`) is
/// reported by what left it out, not again here.
pub(super) fn warnings(
    translations: &[Translation],
    files: &HashMap<(Lang, DocPath), Fingerprints>,
    source_lang: &Lang,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for t in translations {
        let (lang, path) = (&t.lang, &t.path);
        let left_out = |l: &Lang| {
            files
                .get(&(l.clone(), path.clone()))
                .is_some_and(|f| f.left_out)
        };
        if left_out(lang) || left_out(source_lang) {
            continue;
        }
        let file = format!("content/{lang}/{path}");
        let (message, hint) = match t.status {
            Status::Current => continue,
            Status::Stale => (
                format!("the `{lang}` translation is out of date: `{path}` has changed since"),
                format!("update the translation, then run `hearth translations --mark {file}`"),
            ),
            Status::Unmarked => (
                "this translation does not say which version of the source it follows".to_owned(),
                format!("once it is up to date, run `hearth translations --mark {file}`"),
            ),
            Status::Untranslated
                if files
                    .get(&(lang.clone(), path.clone()))
                    .is_some_and(|f| f.placeholder) =>
            {
                (
                    format!(
                        "`{path}` is not yet translated into `{lang}`: this file is still the copy `hearth new` wrote"
                    ),
                    format!(
                        "translate it, then run `hearth translations --mark {file}`; until then pages offer the `{source_lang}` version"
                    ),
                )
            }
            Status::Untranslated => (
                format!(
                    "this translation says word for word what `content/{source_lang}/{path}` says"
                ),
                format!("translate it, then run `hearth translations --mark {file}`"),
            ),
            Status::Missing => (
                format!("`{path}` is not yet translated into `{lang}`"),
                "pages link to the source language meanwhile; translate it when you can".to_owned(),
            ),
            Status::Orphaned => (
                format!("`{path}` has no source-language document to translate"),
                format!("add `content/{source_lang}/{path}`, or remove this file"),
            ),
        };
        diags.push(Diagnostic::warning(Kind::Translation, file, message).hint(hint));
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{PAGE, languages, source};

    /// A Spanish page `hearth new` wrote with `body`, untouched since.
    fn placeholder(path: &str, body: &str) -> Source {
        let text = format!("---\n{PAGE}---\n{body}");
        let mark = crate::content::placeholder_mark(&text);
        let placeholder = source(
            "es",
            path,
            &format!("{PAGE}translated_from: \"{mark}\"\n"),
            body,
        );
        assert!(placeholder.is_placeholder());
        placeholder
    }

    fn placed(sources: Vec<Source>) -> Vec<Placed> {
        sources
            .into_iter()
            .map(|source| Placed {
                source,
                url: String::new(),
            })
            .collect()
    }

    #[test]
    fn translations_are_compared_with_their_source_by_fingerprint() {
        let about = source("en", "about.md", PAGE, "Hi\n");
        let current = format!("{PAGE}translated_from: \"{}\"\n", about.fingerprint);
        let files = fingerprints(
            &[Broken {
                lang: Lang::new("es"),
                path: DocPath::new("broken.md"),
                fingerprint: Some("abc".into()),
                translated_from: None,
                text_fingerprint: Some("def".into()),
            }],
            &placed(vec![
                about,
                source("en", "stale.md", PAGE, "Now\n"),
                source("en", "missing.md", PAGE, ""),
                source("es", "about.md", &current, "Hola\n"),
                source(
                    "es",
                    "stale.md",
                    &format!("{PAGE}translated_from: old\n"),
                    "Antes\n",
                ),
                source("es", "extra.md", PAGE, ""),
                source("en", "copied.md", PAGE, "Words\n"),
                source(
                    "es",
                    "copied.md",
                    &format!("{PAGE}translated_from: old\n"),
                    "Words\n",
                ),
                source("en", "new.md", PAGE, "Changed since\n"),
            ]),
            &[source("en", "broken.md", PAGE, "")],
            &[placeholder("new.md", "TODO\n")],
        );
        let status = translation_status(&languages(), &files);
        let found: Vec<_> = status
            .iter()
            .map(|t| (t.path.as_str(), t.status, t.has_errors))
            .collect();
        assert_eq!(
            found,
            [
                ("about.md", Status::Current, false),
                ("broken.md", Status::Unmarked, true),
                ("copied.md", Status::Untranslated, false),
                ("extra.md", Status::Orphaned, false),
                ("missing.md", Status::Missing, false),
                ("new.md", Status::Untranslated, false),
                ("stale.md", Status::Stale, false),
            ]
        );
        // Not for `broken.md`: its errors, or its missing module, say so already.
        let warned: Vec<_> = warnings(&status, &files, &Lang::new("en"))
            .iter()
            .map(|d| d.file.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            warned,
            [
                "content/es/copied.md",
                "content/es/extra.md",
                "content/es/missing.md",
                "content/es/new.md",
                "content/es/stale.md"
            ]
        );
    }
}
