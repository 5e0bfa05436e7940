//! Translation bookkeeping: which translations are current, stale, unmarked, missing or
//! orphaned, and `--mark`, which records in a translation the fingerprint of the source
//! it now follows (`translated_from:` in its front matter).

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::config;
use crate::content;
use crate::site::{self, Translation};

/// Every translation's status, by language then path: every document, even one whose
/// errors leave it out of the site, since a status depends on the files' bytes alone.
pub fn status(root: &Path) -> Result<Vec<Translation>> {
    let (config, diags) = config::load(root);
    let Some(config) = config else {
        let text: Vec<String> = diags.iter().map(|d| d.render(false)).collect();
        bail!("hearth.yaml has errors:\n{}", text.join("\n"));
    };
    let (content, _) = content::load(root, &config);
    let (site, _) = site::build(config, content, true);
    Ok(site.translations)
}

/// Records in the translation at `file` (a path like `content/es/modules/…/index.md`)
/// the fingerprint of its source-language document. Returns the fingerprint.
pub fn mark(root: &Path, file: &Path) -> Result<String> {
    let (config, _) = config::load(root);
    let config = config.context("hearth.yaml has errors; run `hearth check` to see them")?;
    let rel = file.strip_prefix(root).unwrap_or(file);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let rel = rel.trim_start_matches("./");
    let Some(rest) = rel.strip_prefix("content/") else {
        let source_lang = config.source_lang();
        // The same path inside a translation's folder, if there is one; else any
        // translated file of the project, so the example is always a real file.
        let example = translation_langs(&config)
            .map(|lang| format!("content/{lang}/{rel}"))
            .find(|p| root.join(p).is_file())
            .or_else(|| {
                translation_langs(&config).find_map(|lang| {
                    first_markdown(&root.join("content").join(lang.as_str()))
                        .map(|p| format!("content/{lang}/{p}"))
                })
            });
        match example {
            Some(example) => bail!(
                "`{rel}` is not under `content/`\nhint: give the path of a translated file from the project's folder, like `{example}`"
            ),
            None => bail!(
                "`{rel}` is not under `content/`\nhint: give the path of a translated file from the project's folder, starting `content/`; no language but `{source_lang}` has files yet"
            ),
        }
    };
    let (lang, path) = rest
        .split_once('/')
        .context("give the path of a file inside a language folder")?;
    let source_lang = config.source_lang();
    if lang == source_lang.as_str() {
        let translated: Vec<String> = translation_langs(&config)
            .map(|lang| format!("`content/{lang}/{path}`"))
            .filter(|p| root.join(p.trim_matches('`')).is_file())
            .collect();
        if translated.is_empty() {
            bail!(
                "`{rel}` is in the source language `{lang}`; only translations are marked\nhint: no language has a translation of it yet; mark the translation once it is written"
            );
        }
        bail!(
            "`{rel}` is in the source language `{lang}`; only translations are marked\nhint: mark the translated file instead: {}",
            translated.join(" or ")
        );
    }
    if !config.languages.iter().any(|l| l.as_str() == lang) {
        bail!("`{lang}` is not one of the languages in hearth.yaml");
    }
    let source_file = root.join("content").join(source_lang.as_str()).join(path);
    let source = std::fs::read_to_string(&source_file).with_context(|| {
        format!("there is no source document `content/{source_lang}/{path}` to translate from")
    })?;
    let fingerprint = content::fingerprint(&source);
    let target = root.join(rel);
    let text = std::fs::read_to_string(&target).with_context(|| format!("cannot read `{rel}`"))?;
    let updated = with_translated_from(&text, &fingerprint).with_context(|| {
        format!("`{rel}` has no front matter between `---` lines to record the fingerprint in")
    })?;
    if updated != text {
        std::fs::write(&target, updated).with_context(|| format!("cannot write `{rel}`"))?;
    }
    Ok(fingerprint)
}

/// The site's languages other than its source language.
fn translation_langs(config: &config::Config) -> impl Iterator<Item = &config::Lang> {
    let source = config.source_lang();
    config.languages.iter().filter(move |l| *l != source)
}

/// The first Markdown file below `dir` (by name), as a `/`-separated path inside it.
fn first_markdown(dir: &Path) -> Option<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .find_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
}

/// `text` with its front matter's `translated_from:` set to `fingerprint`.
fn with_translated_from(text: &str, fingerprint: &str) -> Option<String> {
    // Not content's normalised text: the file is written back, and keeps its author's
    // byte-order mark and line endings.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        return with_translated_from(rest, fingerprint).map(|t| format!("\u{feff}{t}"));
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    // Quoted, because YAML reads a fingerprint like `592e99453745` as a number.
    let entry = format!("translated_from: \"{fingerprint}\"{newline}");
    match lines[1..close]
        .iter()
        .position(|l| l.starts_with("translated_from:"))
    {
        Some(i) => lines[i + 1] = &entry,
        None => lines.insert(close, &entry),
    }
    Some(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::DocPath;

    #[test]
    fn marking_adds_or_replaces_the_line() {
        let added = with_translated_from("---\ntitle: Hola\n---\nCuerpo\n", "abc").unwrap();
        assert_eq!(
            added,
            "---\ntitle: Hola\ntranslated_from: \"abc\"\n---\nCuerpo\n"
        );
        let replaced = with_translated_from(&added, "def").unwrap();
        assert_eq!(
            replaced,
            "---\ntitle: Hola\ntranslated_from: \"def\"\n---\nCuerpo\n"
        );
        assert!(with_translated_from("Cuerpo\n", "abc").is_none());
    }

    #[test]
    fn a_fingerprint_that_looks_like_a_number_still_reads_as_text() {
        let marked = with_translated_from("---\ntitle: Hola\n---\n", "592e99453745").unwrap();
        let source = crate::content::parse_source(
            &crate::config::Lang::new("es"),
            &DocPath::new("about.md"),
            "about.md".into(),
            &marked,
            false,
        )
        .unwrap();
        assert_eq!(source.translated_from.as_deref(), Some("592e99453745"));
    }
}
