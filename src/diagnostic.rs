//! Diagnostics: content problems found anywhere in the pipeline, collected so one run
//! reports all of them. A diagnostic names its file, line and column, carries the source
//! line it points at, and says what would fix it. Rendering to text happens here too (as a
//! `String`; only `main.rs` prints).

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build and `check`; sorts before a warning at the same place.
    Error,
    /// Reported, but the site is still built.
    Warning,
}

/// What kind of problem a diagnostic reports; tests match on this, not on the wording.
///
/// `check --format json` writes these names (`front-matter`, `unknown-field`, …), so editors
/// and CI scripts may match on them too: rename one only with a note in the changelog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A setting in `hearth.yaml`.
    Config,
    /// YAML that does not parse, in `hearth.yaml` or front matter.
    Yaml,
    /// Front matter that parses but says something impossible (a bad `kind:`, no title).
    FrontMatter,
    /// A key hearth does not know, usually a typo.
    UnknownField,
    /// A `:::` block: unknown, unclosed, misplaced or with bad settings.
    Block,
    /// A link to a document or file that is not there.
    Link,
    /// A link to a heading (`#id`) the page does not have.
    Anchor,
    /// A `slug:` or address that clashes or cannot be used.
    Slug,
    /// An agenda whose minutes do not add up to the session's `duration`.
    Agenda,
    /// A translation that is missing, stale or has no source.
    Translation,
    /// Interface strings (`locales/<lang>.ftl`): missing, unreadable or unformattable.
    Strings,
    /// A template that asks for something no check can follow.
    Template,
    /// Files and folders: a missing language folder, a file that cannot be read.
    Layout,
    /// Something a reader using a screen reader would miss, such as an image with no
    /// text description.
    Accessibility,
    /// TODO text from `hearth new` that was never replaced.
    Placeholder,
    /// Raw HTML or an address that cleaning removes.
    Html,
    /// A picture heavier or wider than a page needs.
    Picture,
    /// A partner value in content (`{{organization.phone}}`) that has no such name, or
    /// that neither the edition nor hearth.yaml sets.
    PartnerValue,
}

/// One problem, located in a project file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// An error fails the build; a warning is only reported.
    pub severity: Severity,
    /// What went wrong, for tests and `check --format json`: the wording may change, the kind
    /// does not.
    pub kind: Kind,
    /// Path relative to the project root.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, shown after `error:` or `warning:`: lowercase, without a final period.
    pub message: String,
    /// What would fix it, shown after `help:`; `None` when there is nothing to suggest.
    pub hint: Option<String>,
    /// The source line the diagnostic points at, for display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters to underline from `column`.
    #[serde(skip)]
    pub width: usize,
    /// The partner edition the problem belongs to (`editions/<id>.yaml`); `None` for the
    /// toolkit's own site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
}

impl Diagnostic {
    /// An error in `file`, not yet placed on a line.
    pub fn error(kind: Kind, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            source_line: None,
            width: 1,
            edition: None,
        }
    }

    /// A warning in `file`, not yet placed on a line.
    pub fn warning(kind: Kind, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, file, message)
        }
    }

    /// Places the diagnostic at `line`:`column` (1-based) of `text`, the whole file.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column.max(1);
        self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    /// Places the diagnostic at a byte offset of `text`, underlining `len` bytes.
    pub fn at_offset(self, text: &str, offset: usize, len: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        let end = floor_char_boundary(text, (offset + len).min(text.len()));
        let width = text[offset..end]
            .split('\n')
            .next()
            .map_or(1, |s| s.chars().count().max(1));
        let mut d = self.at(text, line, column);
        d.width = width;
        d
    }

    /// Sets how many characters to underline.
    pub fn width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    /// Adds a line that says what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether it fails the build: true for an error, false for a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic rustc-style: `error: …`, `--> file:line:col`, the line
    /// underlined, and `help: …`.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.to_string_lossy().replace('\\', "/");
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let message = match &self.edition {
            Some(id) => format!("[edition {id}] {}", self.message),
            None => self.message.clone(),
        };
        let title = level.primary_title(&message);
        let mut groups = Vec::new();
        match (&self.source_line, self.line) {
            (Some(source), line) if line > 0 => {
                let start = char_to_byte(source, self.column.saturating_sub(1));
                let end = char_to_byte(source, self.column.saturating_sub(1) + self.width);
                let end = end.max(start);
                groups.push(
                    title.element(
                        Snippet::source(source.as_str())
                            .line_start(line)
                            .path(path.as_str())
                            .annotation(AnnotationKind::Primary.span(start..end)),
                    ),
                );
            }
            _ => groups.push(title.element(annotate_snippets::Origin::path(path.as_str()))),
        }
        if let Some(hint) = &self.hint {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        renderer.render(&groups)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.render(false))
    }
}

/// Sorts diagnostics by edition (the toolkit's own site first), file, then position, so
/// output is stable and grouped by edition and file.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            &a.edition, &a.file, a.line, a.column, a.severity, &a.message,
        )
            .cmp(&(
                &b.edition, &b.file, b.line, b.column, b.severity, &b.message,
            ))
    });
}

/// "2 errors, 1 warning in 3 files", or `None` when there is nothing to say.
pub fn summary(diagnostics: &[Diagnostic]) -> Option<String> {
    if diagnostics.is_empty() {
        return None;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut files: Vec<&Path> = diagnostics.iter().map(|d| d.file.as_path()).collect();
    files.sort();
    files.dedup();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    Some(format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files.len(), "file")
    ))
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo: a third of
/// the candidate's letters may differ, and two always may, so short keys get hints too.
pub fn suggest<S: AsRef<str>>(word: &str, candidates: impl IntoIterator<Item = S>) -> Option<S> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c.as_ref()), c))
        .filter(|(distance, c)| *distance <= (c.as_ref().len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// The hint for a `word` that is not one of `candidates`, when one of them is a likely typo
/// of it: every "did you mean" hearth prints is worded here.
pub fn did_you_mean<S: AsRef<str>>(
    word: &str,
    candidates: impl IntoIterator<Item = S>,
) -> Option<String> {
    suggest(word, candidates).map(|s| did_you_mean_hint(s.as_ref()))
}

/// "did you mean `…`?", for a suggestion shown otherwise than as found (such as a path
/// made relative to the page that links it).
pub fn did_you_mean_hint(suggestion: &str) -> String {
    format!("did you mean `{suggestion}`?")
}

/// The hint for a file name that differs from a real one only in capital letters: the
/// author's computer may find the file, but many web hosts would not.
pub fn capitals_hint(suggestion: &str) -> String {
    format!(
        "did you mean `{suggestion}`? The names differ only in capital letters, and some web hosts treat those as different names, so write it exactly as the file is named"
    )
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "uno\nañada: x\n";
        let d = Diagnostic::error(Kind::Yaml, "a.md", "bad").at_offset(text, 12, 1);
        assert_eq!((d.line, d.column), (2, 8));
        assert_eq!(d.source_line.as_deref(), Some("añada: x"));
    }

    #[test]
    fn rendering_names_file_line_and_hint() {
        let text = "title: x\ndurtion: 5\n";
        let d = Diagnostic::error(
            Kind::UnknownField,
            "content/en/a.md",
            "unknown field `durtion`",
        )
        .at(text, 2, 1)
        .width(7)
        .hint("did you mean `duration`?");
        let out = d.render(false);
        assert!(out.contains("content/en/a.md:2:1"), "{out}");
        assert!(out.contains("durtion: 5"), "{out}");
        assert!(out.contains("help: did you mean `duration`?"), "{out}");
    }

    #[test]
    fn suggestions_find_near_misses_only() {
        let fields = ["title", "summary", "duration"];
        assert_eq!(suggest("durtion", fields), Some("duration"));
        assert_eq!(suggest("colour", fields), None);
    }
}
