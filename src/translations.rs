//! Translation bookkeeping: which translations are current, stale, unmarked, not yet
//! translated, missing or orphaned; `--mark`, which records in a translation the
//! fingerprint of the source it now follows (`translated_from:` in its front matter) and
//! refuses a file that is not translated yet; and `--diff`, which finds in the project's
//! git history the source version a translation follows and shows what changed since.
//! A translated file may be named as the status table prints it, from the project, from
//! `content/`, or from the folder the command was typed in ([`locate`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use crate::config::{self, Config, Lang};
use crate::content::{self, DocPath};
use crate::site::{self, Translation};

/// Every translation's status, by language then path: every document, even one whose
/// errors leave it out of the site, since a status depends on the files' bytes alone.
pub fn status(root: &Path) -> Result<Vec<Translation>> {
    let config = config::load_usable(root)?;
    let (content, _) = content::load(root, &config);
    let (site, _) = site::build(config, content, true);
    Ok(site.translations)
}

/// A translated file: its language and its path below `content/<lang>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// A translation language, never the source language.
    pub lang: Lang,
    /// The path it shares with its source.
    pub path: DocPath,
}

impl Target {
    /// `content/<lang>/<path>`, relative to the project folder.
    pub fn file(&self) -> String {
        format!("content/{}/{}", self.lang, self.path)
    }
}

/// What `--mark` did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marked {
    /// It now records this fingerprint of its source.
    Now(String),
    /// Left as it was, because it is not translated yet: why, in words.
    NotTranslated(String),
}

/// The translated file `given` names, as a user may type it: a path from the folder
/// they typed it in (`cwd`), or as the status table prints it (`modules/…/index.md`,
/// in the only translation language or the one whose folder `cwd` is in), or from the
/// project (`content/es/…`) or from `content/` (`es/…`).
pub fn locate(root: &Path, cwd: &Path, given: &Path) -> Result<Target> {
    let config = config::load_usable(root)?;
    locate_in(&config, root, cwd, given)
}

fn locate_in(config: &Config, root: &Path, cwd: &Path, given: &Path) -> Result<Target> {
    let root_abs = root
        .canonicalize()
        .with_context(|| format!("cannot read the project folder `{}`", root.display()))?;
    let typed = cwd.join(given);
    let text = match typed.canonicalize() {
        // A file that is there, from where it was typed.
        Ok(abs) if abs.is_file() => match abs.strip_prefix(&root_abs) {
            Ok(rel) => rel.to_string_lossy().into_owned(),
            Err(_) => bail!(
                "`{}` is not in this project (`{}`)\nhint: give the path of a translated file under `content/`",
                given.display(),
                root_abs.display()
            ),
        },
        _ => match given.strip_prefix(&root_abs) {
            Ok(rel) => rel.to_string_lossy().into_owned(),
            Err(_) => given.to_string_lossy().into_owned(),
        },
    };
    let text = text.replace('\\', "/");
    let text = text.trim_start_matches("./");
    let is_lang = |code: &str| config.languages.iter().any(|l| l.as_str() == code);
    let rel = match text.split_once('/') {
        Some(("content", _)) => text.to_owned(),
        Some((first, _)) if is_lang(first) => format!("content/{text}"),
        _ => format!(
            "content/{}/{text}",
            table_lang(config, &root_abs, cwd, text)?
        ),
    };
    project_path(config, root, &rel)
}

/// The language of a path written as the status table prints it: the one whose folder
/// the command was typed in, else the only translation language.
fn table_lang(config: &Config, root_abs: &Path, cwd: &Path, text: &str) -> Result<Lang> {
    let content = root_abs.join("content");
    if let Some(lang) = cwd
        .canonicalize()
        .ok()
        .and_then(|cwd| Some(cwd.strip_prefix(&content).ok()?.iter().next()?.to_owned()))
        .and_then(|first| {
            let first = first.to_string_lossy();
            config.languages.iter().find(|l| l.as_str() == first)
        })
    {
        return Ok(lang.clone());
    }
    match &config.languages[1..] {
        [] => bail!("hearth.yaml lists only one language, so there are no translations"),
        [only] => Ok(only.clone()),
        many => {
            let choices: Vec<String> = many
                .iter()
                .map(|l| format!("`content/{l}/{text}`"))
                .collect();
            bail!(
                "`{text}` could be in any of the translations\nhint: say which, like {}",
                choices.join(" or ")
            )
        }
    }
}

/// The target of `rel`, a path relative to the project folder `root`. Its hints name
/// only files that are there.
fn project_path(config: &Config, root: &Path, rel: &str) -> Result<Target> {
    let Some(rest) = rel.strip_prefix("content/") else {
        let example = translation_langs(config).find_map(|lang| {
            first_markdown(&root.join("content").join(lang.as_str()))
                .map(|p| format!("content/{lang}/{p}"))
        });
        match example {
            Some(example) => bail!(
                "`{rel}` is not under `content/`\nhint: give the path of a translated file, like `{example}`"
            ),
            None => bail!(
                "`{rel}` is not under `content/`\nhint: give the path of a translated file, starting `content/`; no translation has files yet"
            ),
        }
    };
    let (lang, path) = rest
        .split_once('/')
        .context("give the path of a file inside a language folder")?;
    let source_lang = config.source_lang();
    if lang == source_lang.as_str() {
        let translated: Vec<String> = translation_langs(config)
            .map(|lang| format!("content/{lang}/{path}"))
            .filter(|p| root.join(p).is_file())
            .map(|p| format!("`{p}`"))
            .collect();
        if translated.is_empty() {
            bail!(
                "`{rel}` is in the source language `{lang}`; only translations follow a source\nhint: no language has a translation of it yet; mark the translation once it is written"
            );
        }
        bail!(
            "`{rel}` is in the source language `{lang}`; only translations follow a source\nhint: name the translated file instead: {}",
            translated.join(" or ")
        );
    }
    let Some(lang) = config.languages.iter().find(|l| l.as_str() == lang) else {
        bail!("`{lang}` is not one of the languages in hearth.yaml");
    };
    Ok(Target {
        lang: lang.clone(),
        path: DocPath::new(path),
    })
}

/// Every language but the source.
fn translation_langs(config: &Config) -> impl Iterator<Item = &Lang> {
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

/// Records in the translation `given` names (see [`locate`]) the fingerprint of its
/// source-language document, unless it is not translated yet: still the placeholder
/// `hearth new` wrote, or word for word its source.
pub fn mark(root: &Path, cwd: &Path, given: &Path) -> Result<(Target, Marked)> {
    let config = config::load_usable(root)?;
    let target = locate_in(&config, root, cwd, given)?;
    let marked = mark_target(&config, root, &target)?;
    Ok((target, marked))
}

fn mark_target(config: &Config, root: &Path, target: &Target) -> Result<Marked> {
    let (source_file, source) = read_source(config, root, target)?;
    let rel = target.file();
    let text = read_translation(root, &rel, &source_file)?;
    if content::is_placeholder(&text, content::raw_translated_from(&text).as_deref()) {
        return Ok(Marked::NotTranslated(
            "it is still the copy `hearth new` wrote".to_owned(),
        ));
    }
    if content::text_fingerprint(&text) == content::text_fingerprint(&source) {
        return Ok(Marked::NotTranslated(format!(
            "its text is word for word the same as `{source_file}`"
        )));
    }
    let fingerprint = content::fingerprint(&source);
    let updated = with_translated_from(&text, &fingerprint).with_context(|| {
        format!("`{rel}` has no front matter between `---` lines to record the fingerprint in")
    })?;
    if updated != text {
        std::fs::write(root.join(&rel), updated)
            .with_context(|| format!("cannot write `{rel}`"))?;
    }
    Ok(Marked::Now(fingerprint))
}

/// The source-language file of `target`, by its path from the project, and its text.
fn read_source(config: &Config, root: &Path, target: &Target) -> Result<(String, String)> {
    let source_file = format!("content/{}/{}", config.source_lang(), target.path);
    let path = root.join(&source_file);
    if !path.is_file() {
        bail!(
            "there is no source document `{source_file}` to translate from\nhint: a translation keeps its source's path in its own language folder; check the name, or run `hearth translations` to see every file"
        );
    }
    let source = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the source document `{source_file}`"))?;
    Ok((source_file, source))
}

/// The text of the translation `rel`, or a plain error when it is not there yet.
fn read_translation(root: &Path, rel: &str, source_file: &str) -> Result<String> {
    let path = root.join(rel);
    if !path.is_file() {
        bail!(
            "`{rel}` is not there yet\nhint: translate `{source_file}` into `{rel}` first (`hearth translations` lists what is missing)"
        );
    }
    std::fs::read_to_string(&path).with_context(|| format!("cannot read `{rel}`"))
}

/// Records the current fingerprint of its source in a translation the project itself
/// wrote as a translation (the starter of `hearth init`), given by its path from `root`.
pub(crate) fn record(root: &Path, rel: &str) -> Result<()> {
    let config = config::load_usable(root)?;
    let target = project_path(&config, root, rel)?;
    let (_, source) = read_source(&config, root, &target)?;
    let text =
        std::fs::read_to_string(root.join(rel)).with_context(|| format!("cannot read `{rel}`"))?;
    let updated = with_translated_from(&text, &content::fingerprint(&source))
        .with_context(|| format!("`{rel}` has no front matter"))?;
    std::fs::write(root.join(rel), updated).with_context(|| format!("cannot write `{rel}`"))
}

/// What changed in a translation's source since the version it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// The source is as it was: the translation is current.
    None,
    /// The source changed since the version committed in `commit` on `date`.
    Since {
        /// The source file, from the project folder.
        source_file: String,
        /// The commit that holds the version the translation follows (short form).
        commit: String,
        /// That commit's date, `YYYY-MM-DD`.
        date: String,
        /// Word by word: `[-removed words-]` and `{+added words+}`, each group of changes
        /// after a `line N:` heading that numbers the source's lines as they are now.
        words: String,
    },
}

/// What changed in the source of the translation `given` names (see [`locate`]) since
/// the version it records in `translated_from`: found in the project's git history by
/// that fingerprint, and compared with the source as it is on disk now, saved or not.
pub fn diff(root: &Path, cwd: &Path, given: &Path) -> Result<(Target, Changes)> {
    let config = config::load_usable(root)?;
    let target = locate_in(&config, root, cwd, given)?;
    let rel = target.file();
    let (source_file, source) = read_source(&config, root, &target)?;
    let text = read_translation(root, &rel, &source_file)?;
    let Some(follows) = content::raw_translated_from(&text) else {
        bail!(
            "`{rel}` does not record which version of `{source_file}` it follows, so there is nothing to compare with\nhint: check the translation against the source by hand, then run `hearth translations --mark {rel}`"
        );
    };
    if follows.starts_with(content::UNTRANSLATED) {
        bail!(
            "`{rel}` is not translated yet: all of `{source_file}` is new to it\nhint: translate it from `{source_file}`, then run `hearth translations --mark {rel}`"
        );
    }
    if follows == content::fingerprint(&source) {
        return Ok((target, Changes::None));
    }
    let (commit, date, before) = version_with(root, &source_file, &follows, &rel)?;
    let words = word_diff(&before, &source)?;
    let changes = Changes::Since {
        source_file,
        commit,
        date,
        words,
    };
    Ok((target, changes))
}

/// Runs git in `root`. `Err` says in plain words why git could not be asked.
fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_PAGER", "cat")
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => anyhow::anyhow!(
                "cannot show what changed: `git` is not installed on this machine\nhint: install git, or compare the source with the translation by hand"
            ),
            _ => anyhow::anyhow!("cannot run `git`: {e}"),
        })
}

/// The commit, date and text of the committed version of `source_file` whose
/// fingerprint is `follows`, newest first.
fn version_with(
    root: &Path,
    source_file: &str,
    follows: &str,
    rel: &str,
) -> Result<(String, String, String)> {
    let inside = git(root, &["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        bail!(
            "the project is not in a git repository, so hearth has no earlier version of `{source_file}` to compare with\nhint: keep the project in git (`git init`, then commit your changes) and `--diff` can show what changes from then on; for now compare the files by hand"
        );
    }
    let never = || {
        anyhow::anyhow!(
            "`{source_file}` has never been committed to git, so there is no earlier version of it to compare with\nhint: commit it (`git add` and `git commit`); from then on `--diff` can show what changes"
        )
    };
    if !git(root, &["rev-parse", "--verify", "--quiet", "HEAD"])?
        .status
        .success()
    {
        return Err(never());
    }
    let log = git(root, &["log", "--format=%H %cs", "--", source_file])?;
    if !log.status.success() {
        bail!(
            "git could not list the history of `{source_file}`: {}",
            String::from_utf8_lossy(&log.stderr).trim()
        );
    }
    let log = String::from_utf8_lossy(&log.stdout).into_owned();
    let versions: Vec<(&str, &str)> = log.lines().filter_map(|l| l.split_once(' ')).collect();
    if versions.is_empty() {
        return Err(never());
    }
    for (commit, date) in &versions {
        let shown = git(root, &["show", &format!("{commit}:./{source_file}")])?;
        if !shown.status.success() {
            continue;
        }
        let text = String::from_utf8_lossy(&shown.stdout).into_owned();
        if content::fingerprint(&text) == follows {
            return Ok((
                commit[..7.min(commit.len())].to_owned(),
                (*date).to_owned(),
                text,
            ));
        }
    }
    bail!(
        "none of the {} committed versions of `{source_file}` is the one `{rel}` follows (fingerprint `{follows}`)\nhint: it was marked against a version that was never committed; compare the files by hand, then run `hearth translations --mark {rel}`",
        versions.len()
    )
}

/// The word-level changes from `before` to `now`, by `git diff --no-index` on two
/// temporary files, without colour, with `line N:` for git's hunk headers.
fn word_diff(before: &str, now: &str) -> Result<String> {
    let normal = |t: &str| {
        t.strip_prefix('\u{feff}')
            .unwrap_or(t)
            .replace("\r\n", "\n")
    };
    let dir = scratch_dir()?;
    let written = std::fs::write(dir.join("before"), normal(before))
        .and_then(|()| std::fs::write(dir.join("now"), normal(now)));
    let output = written
        .context("cannot write a temporary file")
        .and_then(|()| {
            git(
                &dir,
                &[
                    "diff",
                    "--no-index",
                    "--no-color",
                    "--no-ext-diff",
                    "--word-diff=plain",
                    // Words and each punctuation mark on its own; bytes of accented letters
                    // are neither space nor punctuation, so they stay inside their word.
                    "--word-diff-regex=[^[:space:][:punct:]]+|[[:punct:]]",
                    "--unified=1",
                    "--",
                    "before",
                    "now",
                ],
            )
        });
    let _ = std::fs::remove_dir_all(&dir);
    let output = output?;
    // 1 means the files differ, as they do here; anything else is git failing.
    if output.status.code() != Some(1) {
        bail!(
            "git could not compare the two versions: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut words = String::new();
    for line in text.lines().skip_while(|l| !l.starts_with("@@")) {
        match hunk_start(line) {
            Some(n) => words.push_str(&format!("line {n}:\n")),
            None if line.trim().is_empty() => words.push('\n'),
            None => {
                words.push_str("  ");
                words.push_str(line);
                words.push('\n');
            }
        }
    }
    Ok(words)
}

/// The first line of the new version in a hunk header: `@@ -3,4 +5,6 @@` -> 5.
fn hunk_start(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("@@ -")?;
    let plus = rest.split_whitespace().nth(1)?.strip_prefix('+')?;
    plus.split(',').next()?.parse().ok()
}

/// A new empty folder under the system's temporary folder, for this process alone.
fn scratch_dir() -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!("hearth-diff-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create a temporary folder `{}`", dir.display()))?;
    Ok(dir)
}

/// `text` with its front matter's `translated_from:` set to `fingerprint`.
pub(crate) fn with_translated_from(text: &str, fingerprint: &str) -> Option<String> {
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
    fn hunk_headers_give_the_line_in_the_new_version() {
        assert_eq!(hunk_start("@@ -3,4 +5,6 @@ title"), Some(5));
        assert_eq!(hunk_start("@@ -1 +1 @@"), Some(1));
        assert_eq!(hunk_start("plain text"), None);
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
