//! Content files: walks `content/<lang>/`, splits each Markdown file into front matter and
//! body, validates the front matter for the document's kind, and lists the other files
//! (images, PDFs) that are copied beside the pages.

use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{Config, Lang};
use crate::diagnostic::{Diagnostic, Kind};
use crate::pictures;
use crate::yaml::{self, Origin, Spanned};

/// A document's path below `content/<lang>/`, with `/` separators: the key that pairs
/// translations (`modules/01-intro/index.md`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DocPath(String);

impl DocPath {
    /// A path below `content/<lang>/`, with `/` separators.
    pub fn new(path: impl Into<String>) -> Self {
        DocPath(path.into())
    }
    /// The path as written, `/`-separated on every platform.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The folder part, with a trailing `/` (empty at the top).
    pub fn dir(&self) -> &str {
        self.0.rfind('/').map_or("", |i| &self.0[..=i])
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a Markdown file is, from where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKind {
    /// `_index.md`: the home page's text.
    Home,
    /// `modules/<folder>/index.md`.
    Module {
        /// The folder's name, number prefix and all (`01-welcome`).
        folder: String,
    },
    /// `modules/<folder>/facilitator.md`.
    Guide {
        /// The module's folder, as for [`DocKind::Module`].
        folder: String,
    },
    /// `modules/<folder>/handouts/<file>.md`.
    Handout {
        /// The module's folder, as for [`DocKind::Module`].
        folder: String,
        /// The file's name without `.md`, number prefix and all: its address once the
        /// prefix is dropped, unless it has a `slug:`.
        stem: String,
    },
    /// Any other Markdown file: a plain page.
    Page,
}

/// The kinds of handout: each page says its kind in its label and carries a `kind-…`
/// class, so a theme may set worksheets and tip sheets apart (the default theme does not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoutKind {
    /// `kind: worksheet`.
    Worksheet,
    /// `kind: tip-sheet`.
    TipSheet,
    /// `kind: reflection`.
    Reflection,
    /// `kind: reference`.
    Reference,
}

impl HandoutKind {
    /// Every kind with the name authors write in `kind:` and the theme sees as a class.
    pub const ALL: [(HandoutKind, &str); 4] = [
        (HandoutKind::Worksheet, "worksheet"),
        (HandoutKind::TipSheet, "tip-sheet"),
        (HandoutKind::Reflection, "reflection"),
        (HandoutKind::Reference, "reference"),
    ];

    /// The kind an author's `kind:` names.
    pub fn from_name(name: &str) -> Option<HandoutKind> {
        HandoutKind::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(kind, _)| *kind)
    }

    /// The name an author writes for this kind.
    pub fn name(self) -> &'static str {
        HandoutKind::ALL
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, n)| n)
    }
}

/// Validated front matter of a module's `index.md`.
#[derive(Debug, Clone)]
pub struct ModuleMeta {
    /// `title:`: the session's name on its page, its guide, cards and packets.
    pub title: String,
    /// `summary:`, one sentence: under the title, on the module's card, and as its page's
    /// description.
    pub summary: String,
    /// `duration:`, in minutes: the session's length, which every agenda must add up to.
    pub duration: u32,
    /// `objectives:`, each finishing "In this session, you will"; empty when left out.
    pub objectives: Vec<String>,
    /// `sensitive_topics:` (`grief`, `self-harm`, …), each named on pages by its
    /// `topic-<name>` string; any at all puts the crisis box on the participant page and a
    /// safety reminder in the guide. Empty when left out.
    pub sensitive_topics: Vec<String>,
    /// `order:`, the module's place in the toolkit; `None` leaves it to the folder's number
    /// prefix. A translation's counts only where the source language has no `index.md`.
    pub order: Option<i64>,
}

/// Validated front matter of a `facilitator.md`.
#[derive(Debug, Clone)]
pub struct GuideMeta {
    /// `title:`, which nothing shows: a guide's page is named after its module.
    pub title: Option<String>,
    /// `materials:`, what to bring, near the top of the guide; empty when left out.
    pub materials: Vec<String>,
    /// Markdown.
    pub preparation: Option<String>,
}

/// Validated front matter of a handout.
#[derive(Debug, Clone)]
pub struct HandoutMeta {
    /// `title:`: its name on its page, in packets and in its module's list of handouts.
    pub title: String,
    /// `kind:`: the label above the title, and the page's `kind-<name>` class.
    pub kind: HandoutKind,
    /// `pages:`: how many printed pages (US Letter) it must fit, never 0; 1 when left out.
    /// Pages carry it only as `data-pages`, for the print check.
    pub pages: u32,
}

/// Front matter, by kind of document.
#[derive(Debug, Clone)]
pub enum Meta {
    /// `_index.md`'s.
    Home {
        /// `title:`; without it, the home page takes the site's `title` from hearth.yaml.
        title: Option<String>,
    },
    /// A module's `index.md`'s.
    Module(ModuleMeta),
    /// A module's `facilitator.md`'s.
    Guide(GuideMeta),
    /// A handout's.
    Handout(HandoutMeta),
    /// A plain page's.
    Page {
        /// `title:`, which a plain page must have: its heading, and its link in every footer.
        title: String,
    },
}

/// One Markdown file, read and split, with its front matter validated.
#[derive(Debug, Clone)]
pub struct Source {
    /// The language folder it was read from.
    pub lang: Lang,
    /// Below `content/<lang>/`: the key its translations share.
    pub path: DocPath,
    /// What its path makes it, which decides the front matter it may have.
    pub kind: DocKind,
    /// Relative to the project root, for diagnostics.
    pub file: PathBuf,
    /// The whole file, line endings normalised to `\n`.
    pub text: String,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// The front matter, validated for `kind`.
    pub meta: Meta,
    /// `slug:`, the last part of its address in place of its file or folder name without
    /// the number prefix; `None` for that default. A home page or guide cannot have one.
    pub slug: Option<String>,
    /// `draft: true`, which leaves it out unless `--drafts` (a draft module takes its guide
    /// and handouts with it); false when not set.
    pub draft: bool,
    /// The source-language fingerprint this translation was made from.
    pub translated_from: Option<String>,
    /// This file's own fingerprint (see [`fingerprint`]).
    pub fingerprint: String,
}

impl Source {
    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Whether it is a translation `hearth new` wrote that nobody has translated yet (see
    /// [`is_placeholder`]).
    pub fn is_placeholder(&self) -> bool {
        is_placeholder(&self.text, self.translated_from.as_deref())
    }

    /// The front matter's title; a home page or guide may have none.
    pub fn title(&self) -> Option<&str> {
        match &self.meta {
            Meta::Home { title } => title.as_deref(),
            Meta::Module(m) => Some(&m.title),
            Meta::Guide(g) => g.title.as_deref(),
            Meta::Handout(h) => Some(&h.title),
            Meta::Page { title } => Some(title),
        }
    }
}

/// A file other than Markdown under `content/<lang>/`, copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The language folder it is under.
    pub lang: Lang,
    /// Below `content/<lang>/`; one under `modules/<folder>/` is copied beside the module's
    /// pages.
    pub path: DocPath,
    /// Where it is on disk.
    pub disk: PathBuf,
    /// A JPEG or PNG picture's measurements, which give it smaller copies; `None` for
    /// any other file, or a picture that cannot be read (a warning says so).
    pub picture: Option<pictures::Measured>,
}

/// Everything under `content/`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// Every Markdown file whose front matter is valid: language by language, in `languages`
    /// order, and in each, folder by folder with names sorted.
    pub sources: Vec<Source>,
    /// Every other file (pictures, PDFs), in the same order.
    pub assets: Vec<Asset>,
    /// Documents left out for errors in their front matter, so that links to them are
    /// not reported again as broken.
    pub broken: Vec<Broken>,
}

/// A Markdown file left out for its errors, with what its raw text still tells: enough
/// for its translation status, which depends on the bytes alone.
#[derive(Debug, Clone)]
pub struct Broken {
    /// The language folder it is in.
    pub lang: Lang,
    /// Below `content/<lang>/`, as for a [`Source`].
    pub path: DocPath,
    /// The file's [`fingerprint`]; `None` when it could not be read.
    pub fingerprint: Option<String>,
    /// `translated_from`, read from the raw front matter (see [`raw_translated_from`]).
    pub translated_from: Option<String>,
    /// The file's [`text_fingerprint`]; `None` when it could not be read.
    pub text_fingerprint: Option<String>,
}

/// Reads every language's tree under `root/content/`. Files whose front matter has
/// errors are left out; their diagnostics explain why.
pub fn load(root: &Path, config: &Config) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let mut diags = stray_folders(&content_dir, config);
    let mut files = Vec::new();
    for lang in &config.languages {
        files.extend(language_files(&content_dir, lang, &mut diags));
    }
    let source_lang = config.source_lang();
    let (documents, assets): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(_, path, _)| path.as_str().ends_with(".md"));
    let results: Vec<_> = documents
        .par_iter()
        .map(|(lang, path, disk)| read_source(root, lang, path, disk, lang == source_lang))
        .collect();
    let mut content = Content::default();
    for ((lang, path, _), result) in documents.into_iter().zip(results) {
        match result {
            Ok(source) => content.sources.push(source),
            Err((mut d, text)) => {
                diags.append(&mut d);
                content.broken.push(Broken {
                    lang,
                    path,
                    fingerprint: text.as_deref().map(fingerprint),
                    translated_from: text.as_deref().and_then(raw_translated_from),
                    text_fingerprint: text.as_deref().map(text_fingerprint),
                });
            }
        }
    }
    let measured: Vec<_> = assets
        .par_iter()
        .map(|(_, _, disk)| pictures::measure(disk))
        .collect();
    for ((lang, path, disk), measured) in assets.into_iter().zip(measured) {
        let file = || format!("content/{lang}/{path}");
        let picture = match measured {
            Ok(picture) => picture,
            Err(problem) => {
                diags.push(Diagnostic::warning(Kind::Layout, file(), problem).hint(
                    "open it in a photo editor and save it again as JPEG or PNG; until then it is copied as it is",
                ));
                None
            }
        };
        if let Some(problem) = picture.as_ref().and_then(pictures::Measured::over_budget) {
            diags.push(
                Diagnostic::warning(Kind::Picture, file(), problem).hint(pictures::budget_hint()),
            );
        }
        content.assets.push(Asset {
            lang,
            path,
            disk,
            picture,
        });
    }
    (content, diags)
}

/// A warning for each folder under `content/` that is not a language of the site: its
/// files would otherwise be silently left out.
fn stray_folders(content_dir: &Path, config: &Config) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        return Vec::new();
    };
    let mut stray: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !config.languages.iter().any(|l| l.as_str() == name))
        .collect();
    stray.sort();
    stray
        .into_iter()
        .map(|name| {
            Diagnostic::warning(
                Kind::Layout,
                format!("content/{name}"),
                format!("`content/{name}` is not one of the languages in `hearth.yaml`, so it is not built"),
            )
            .hint(format!("add `{name}` to `languages` in hearth.yaml, or move the folder"))
        })
        .collect()
}

/// Every file of `content/<lang>/` that counts (see [`crate::project::is_ignored`]), in
/// name order, as (language, path within the language's folder, path on disk).
fn language_files(
    content_dir: &Path,
    lang: &Lang,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Lang, DocPath, PathBuf)> {
    let dir = content_dir.join(lang.as_str());
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error(
                Kind::Layout,
                format!("content/{lang}"),
                format!("there is no `content/{lang}` folder for the language `{lang}`"),
            )
            .hint(format!(
                "create `content/{lang}/`, or remove `{lang}` from `languages`"
            )),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    // Symlinks are not followed, so nothing outside the project is read.
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Kind::Layout,
                    format!("content/{lang}"),
                    format!("cannot read a file: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !crate::project::is_ignored(&rel) {
            files.push((lang.clone(), DocPath::new(rel), entry.into_path()));
        }
    }
    files
}

/// Reads and parses one file; on errors, their diagnostics and the file's text, as far as
/// it could be read.
fn read_source(
    root: &Path,
    lang: &Lang,
    path: &DocPath,
    disk: &Path,
    is_source_lang: bool,
) -> Result<Source, (Vec<Diagnostic>, Option<String>)> {
    let file = disk.strip_prefix(root).unwrap_or(disk).to_path_buf();
    let bytes = std::fs::read(disk).map_err(|e| {
        let d = Diagnostic::error(Kind::Layout, &file, format!("cannot read the file: {e}"));
        (vec![d], None)
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::error(Kind::Layout, &file, "the file is not UTF-8 text")
                .hint("save it as UTF-8 in your editor (\"Save with encoding\")")
                .at(&text, 1, 1);
            return Err((vec![d], Some(text)));
        }
    };
    parse_source(lang, path, file, &text, is_source_lang).map_err(|d| (d, Some(text)))
}

/// Splits and validates one Markdown file's text.
pub fn parse_source(
    lang: &Lang,
    path: &DocPath,
    file: PathBuf,
    text: &str,
    is_source_lang: bool,
) -> Result<Source, Vec<Diagnostic>> {
    let text = normalized(text);
    let kind = classify(path).map_err(|d| vec![d.at(&text, 0, 0)])?;
    let (yaml_src, body_start) = split_front_matter(&text);
    let origin = Origin {
        file: &file,
        text: &text,
        line_offset: 1,
    };
    let yaml_src = yaml_src.unwrap_or("");
    let fields = fields_for(&kind);
    let mut diags = yaml::check_keys(yaml_src, fields, "field", origin);
    let common: Common = match yaml::parse(yaml_src, origin) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let meta = match read_meta(&kind, yaml_src, origin) {
        Ok(m) => m,
        Err(d) => {
            // "missing field `summary`" says again what "did you mean `summary`?" said.
            let said = |field: &str| {
                let hint = crate::diagnostic::did_you_mean_hint(field.trim_matches('`'));
                diags
                    .iter()
                    .any(|o| o.hint.as_deref() == Some(hint.as_str()))
            };
            if !d.message.strip_prefix("missing field ").is_some_and(said) {
                diags.push(d);
            }
            return Err(diags);
        }
    };
    if let Some(slug) = &common.slug {
        if let Some(problem) = slug_problem(&slug.value) {
            diags.push(
                origin
                    .at(Kind::Slug, problem, slug)
                    .hint(slug_hint(&slug.value)),
            );
        }
        if matches!(kind, DocKind::Home | DocKind::Guide { .. }) {
            diags.push(
                origin
                    .at(
                        Kind::FrontMatter,
                        "this page's address cannot be changed",
                        slug,
                    )
                    .hint("remove `slug`; it applies to modules, handouts and plain pages"),
            );
        }
    }
    if let (Some(t), true) = (&common.translated_from, is_source_lang) {
        diags.push(
            origin
                .at(
                    Kind::FrontMatter,
                    "`translated_from` belongs in translations only",
                    t,
                )
                .hint("remove it from the source-language document"),
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Source {
        lang: lang.clone(),
        path: path.clone(),
        kind,
        file,
        fingerprint: fingerprint(&text),
        body_start,
        meta,
        slug: common.slug.map(|s| s.value),
        draft: common.draft.unwrap_or(false),
        translated_from: common.translated_from.map(|s| s.value),
        text,
    })
}

// The raw structs do not deny unknown fields: `check_keys` reports every one, with its
// line and a suggestion, against `fields_for` the document's kind.

/// Fields every kind may carry, read before the kind's own.
#[derive(Deserialize)]
struct Common {
    slug: Option<Spanned<String>>,
    draft: Option<bool>,
    translated_from: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawModule {
    title: String,
    summary: String,
    duration: u32,
    #[serde(default)]
    objectives: Vec<String>,
    #[serde(default)]
    sensitive_topics: Vec<String>,
    order: Option<i64>,
}

#[derive(Deserialize)]
struct RawGuide {
    title: Option<String>,
    #[serde(default)]
    materials: Vec<String>,
    preparation: Option<String>,
}

#[derive(Deserialize)]
struct RawHandout {
    title: String,
    kind: Spanned<String>,
    pages: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
struct RawPage {
    title: String,
}

#[derive(Deserialize)]
struct RawHome {
    title: Option<String>,
}

fn fields_for(kind: &DocKind) -> &'static [&'static str] {
    match kind {
        DocKind::Module { .. } => &[
            "title",
            "summary",
            "duration",
            "objectives",
            "sensitive_topics",
            "order",
            "slug",
            "draft",
            "translated_from",
        ],
        DocKind::Guide { .. } => &[
            "title",
            "materials",
            "preparation",
            "draft",
            "translated_from",
        ],
        DocKind::Handout { .. } => &["title", "kind", "pages", "slug", "draft", "translated_from"],
        DocKind::Page => &["title", "slug", "draft", "translated_from"],
        DocKind::Home => &["title", "translated_from"],
    }
}

fn read_meta(kind: &DocKind, yaml_src: &str, origin: Origin) -> Result<Meta, Diagnostic> {
    Ok(match kind {
        DocKind::Home => {
            let raw: RawHome = yaml::parse(yaml_src, origin)?;
            Meta::Home { title: raw.title }
        }
        DocKind::Module { .. } => {
            let raw: RawModule = yaml::parse(yaml_src, origin)?;
            Meta::Module(ModuleMeta {
                title: raw.title,
                summary: raw.summary,
                duration: raw.duration,
                objectives: raw.objectives,
                sensitive_topics: raw.sensitive_topics,
                order: raw.order,
            })
        }
        DocKind::Guide { .. } => {
            let raw: RawGuide = yaml::parse(yaml_src, origin)?;
            Meta::Guide(GuideMeta {
                title: raw.title,
                materials: raw.materials,
                preparation: raw.preparation,
            })
        }
        DocKind::Handout { .. } => {
            let raw: RawHandout = yaml::parse(yaml_src, origin)?;
            let kind = match HandoutKind::from_name(&raw.kind.value) {
                Some(kind) => kind,
                None => {
                    let other = &raw.kind.value;
                    let kinds = HandoutKind::ALL.map(|(_, name)| name);
                    let hint = crate::diagnostic::did_you_mean(other, kinds)
                        .unwrap_or_else(|| format!("use one of: {}", kinds.join(", ")));
                    return Err(origin
                        .at(
                            Kind::FrontMatter,
                            format!("`{other}` is not a kind of handout"),
                            &raw.kind,
                        )
                        .hint(hint));
                }
            };
            let pages = match raw.pages {
                Some(p) if p.value == 0 => {
                    return Err(origin
                        .at(Kind::FrontMatter, "a handout needs at least one page", &p)
                        .hint("write `pages: 1`, or leave it out"));
                }
                Some(p) => p.value,
                None => 1,
            };
            Meta::Handout(HandoutMeta {
                title: raw.title,
                kind,
                pages,
            })
        }
        DocKind::Page => {
            let raw: RawPage = yaml::parse(yaml_src, origin)?;
            Meta::Page { title: raw.title }
        }
    })
}

/// What a file is, from its path below `content/<lang>/`.
fn classify(path: &DocPath) -> Result<DocKind, Diagnostic> {
    let parts: Vec<&str> = path.as_str().split('/').collect();
    Ok(match parts.as_slice() {
        ["_index.md"] => DocKind::Home,
        ["modules", folder, "index.md"] => DocKind::Module {
            folder: (*folder).to_owned(),
        },
        ["modules", folder, "facilitator.md"] => DocKind::Guide {
            folder: (*folder).to_owned(),
        },
        ["modules", folder, "handouts", file] => DocKind::Handout {
            folder: (*folder).to_owned(),
            stem: file.trim_end_matches(".md").to_owned(),
        },
        ["modules", ..] => {
            return Err(Diagnostic::error(
                Kind::Layout,
                format!("content/…/{path}"),
                format!("hearth does not know what `{path}` is"),
            )
            .hint("a module folder holds `index.md`, `facilitator.md` and `handouts/*.md`"));
        }
        _ => DocKind::Page,
    })
}

/// A file's text as hearth reads it: no byte-order mark, every line ending in `\n`. What
/// an editor saved must not change offsets, front matter or fingerprints.
fn normalized(text: &str) -> String {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
}

/// Splits `---` front matter from the body: `(yaml, body start)`.
fn split_front_matter(text: &str) -> (Option<&str>, usize) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, 0);
    };
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &text[4..offset];
            return (Some(yaml), offset + line.len());
        }
        offset += line.len();
    }
    // No closing line: treat it all as front matter, so YAML errors point into it.
    (Some(&text[4..]), text.len())
}

/// What to write instead of a slug with characters a web address cannot use: the author's
/// own words made into one, when that leaves any.
fn slug_hint(slug: &str) -> String {
    let fixed = crate::markdown::slugify(slug);
    if fixed.is_empty() || slug_problem(&fixed).is_some() {
        "use lowercase letters, digits and hyphens".to_owned()
    } else {
        format!("use lowercase letters, digits and hyphens: `slug: {fixed}`")
    }
}

/// Why `slug` cannot be a URL segment, if it cannot.
fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        return Some("the slug is empty".into());
    }
    let bad: Vec<char> = slug
        .chars()
        .filter(|c| !(c.is_alphanumeric() && !c.is_uppercase() || *c == '-' || *c == '_'))
        .collect();
    if bad.is_empty() {
        None
    } else {
        let shown: String = bad
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(" ");
        Some(format!(
            "the slug `{slug}` has characters a web address cannot use: {shown}"
        ))
    }
}

/// `translated_from` read from a file's raw front matter, line by line, for a file whose
/// front matter does not parse: the value of the first `translated_from:` line, unquoted.
pub fn raw_translated_from(text: &str) -> Option<String> {
    let text = normalized(text);
    let (yaml, _) = split_front_matter(&text);
    let value = yaml?
        .lines()
        .find_map(|l| l.strip_prefix("translated_from:"))?
        .trim();
    let value = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
        _ => value.split(" #").next().unwrap_or("").trim(),
    };
    (!value.is_empty()).then(|| value.to_owned())
}

/// The number prefix and the rest of a name: `01-welcome` -> `(Some(1), "welcome")`.
pub fn split_number_prefix(name: &str) -> (Option<i64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (None, name);
    }
    let rest = &name[digits..];
    match rest.strip_prefix(['-', '_', '.']) {
        Some(rest) if !rest.is_empty() => (name[..digits].parse().ok(), rest),
        _ => (None, name),
    }
}

/// A document's fingerprint: the first 12 hex digits of the SHA-256 of its text, with
/// line endings normalised, a byte-order mark dropped and any `translated_from:`
/// front-matter line left out, so that marking a translation never changes it.
pub fn fingerprint(text: &str) -> String {
    let text = normalized(text);
    let (yaml, body_start) = split_front_matter(&text);
    let mut hasher = Sha256::new();
    if let Some(yaml) = yaml {
        for line in yaml.split_inclusive('\n') {
            if !line.starts_with("translated_from:") {
                hasher.update(line.as_bytes());
            }
        }
    }
    hasher.update(&text.as_bytes()[body_start..]);
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `translated_from` value that marks a translation `hearth new` wrote as a copy of
/// its source and nobody has translated yet: `untranslated <text fingerprint>`.
pub const UNTRANSLATED: &str = "untranslated";

/// The fingerprint of what a translator translates: the body, with line endings, a
/// byte-order mark, trailing spaces and blank lines around it normalised away; for a
/// document with no body, its front matter without `translated_from`. Two files with the
/// same text fingerprint say the same thing in the same words.
pub fn text_fingerprint(text: &str) -> String {
    let text = normalized(text);
    let (yaml, body_start) = split_front_matter(&text);
    let body = text[body_start..].trim();
    let words = match (body.is_empty(), yaml) {
        (true, Some(yaml)) => yaml
            .lines()
            .filter(|l| !l.starts_with("translated_from:"))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => body.to_owned(),
    };
    let mut hasher = Sha256::new();
    for line in words.trim().lines() {
        hasher.update(line.trim_end().as_bytes());
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `translated_from` that `hearth new` records in a translation it writes as `text`.
pub fn placeholder_mark(text: &str) -> String {
    format!("{UNTRANSLATED} {}", text_fingerprint(text))
}

/// Whether a translation with `text` and `translated_from` is still the copy `hearth new`
/// wrote: its mark names its own text. Any change a person makes to the text ends it.
pub fn is_placeholder(text: &str, translated_from: Option<&str>) -> bool {
    translated_from.is_some_and(|t| t.starts_with(UNTRANSLATED) && t == placeholder_mark(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str, text: &str) -> Result<Source, Vec<Diagnostic>> {
        parse_source(
            &Lang::new("es"),
            &DocPath::new(path),
            PathBuf::from("f.md"),
            text,
            false,
        )
    }

    #[test]
    fn paths_decide_the_kind() {
        let kind = |p: &str| classify(&DocPath::new(p)).unwrap();
        assert_eq!(kind("_index.md"), DocKind::Home);
        assert!(matches!(
            kind("modules/01-a/index.md"),
            DocKind::Module { .. }
        ));
        assert!(matches!(
            kind("modules/01-a/handouts/01-b.md"),
            DocKind::Handout { .. }
        ));
        assert_eq!(kind("help/about.md"), DocKind::Page);
        assert!(classify(&DocPath::new("modules/01-a/notes.md")).is_err());
    }

    #[test]
    fn a_module_reads_its_fields_and_body() {
        let s = parse(
            "modules/01-a/index.md",
            "---\ntitle: Hola\nsummary: Uno.\nduration: 60\nslug: hola\n---\n# Body\n",
        )
        .unwrap();
        assert_eq!(s.body(), "# Body\n");
        assert_eq!(s.slug.as_deref(), Some("hola"));
        let Meta::Module(m) = s.meta else { panic!() };
        assert_eq!(m.duration, 60);
    }

    #[test]
    fn every_unknown_field_is_reported_on_its_line() {
        let e = parse(
            "modules/01-a/index.md",
            "---\ntitle: Hola\nsumary: Uno.\nduration: 60\ncolor: red\n---\n",
        )
        .unwrap_err();
        let lines: Vec<_> = e.iter().map(|d| (d.kind, d.line)).collect();
        assert_eq!(
            lines,
            [(Kind::UnknownField, 3), (Kind::UnknownField, 5)],
            "{e:?}"
        );
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `summary`?"));
    }

    #[test]
    fn a_wrong_handout_kind_is_pointed_at() {
        let e = parse(
            "modules/01-a/handouts/01-x.md",
            "---\ntitle: X\nkind: worksheat\n---\n",
        )
        .unwrap_err();
        assert_eq!((e[0].line, e[0].column), (3, 7));
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `worksheet`?"));
    }

    #[test]
    fn bad_slugs_are_errors() {
        let e = parse("about.md", "---\ntitle: X\nslug: Acerca de\n---\n").unwrap_err();
        assert_eq!(e[0].kind, Kind::Slug);
    }

    #[test]
    fn a_text_fingerprint_compares_the_words_a_translator_translates() {
        let a = text_fingerprint("---\ntitle: X\n---\n\nBody\n");
        assert_eq!(
            a,
            text_fingerprint("\u{feff}---\r\ntitle: Y\r\n---\r\nBody  \r\n\r\n")
        );
        assert_ne!(a, text_fingerprint("---\ntitle: X\n---\nCuerpo\n"));
        // With no body, the front matter is what there is to translate.
        let home = text_fingerprint("---\ntitle: Home\n---\n");
        assert_eq!(
            home,
            text_fingerprint("---\ntranslated_from: abc\ntitle: Home\n---\n\n")
        );
        assert_ne!(home, text_fingerprint("---\ntitle: Inicio\n---\n"));
    }

    #[test]
    fn a_placeholder_stays_one_until_its_text_changes() {
        let text = "---\ntitle: New\n---\n\nTODO the text.\n";
        let mark = placeholder_mark(text);
        assert!(mark.starts_with("untranslated "));
        assert!(is_placeholder(text, Some(&mark)));
        // A new title alone does not translate it.
        let titled = text.replace("New", "Nuevo");
        assert!(is_placeholder(&titled, Some(&mark)));
        assert!(!is_placeholder(
            &text.replace("TODO the text.", "El texto."),
            Some(&mark)
        ));
        assert!(!is_placeholder(text, None));
        assert!(!is_placeholder(text, Some(&fingerprint(text))));
    }

    /// Words as authors write them, accented letters and punctuation included.
    fn word() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[a-zA-Záéíóúñü¿?.,:*#-]{1,8}").expect("a valid pattern")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// However a placeholder is saved again (line endings, a byte-order mark, spaces at
        /// line ends, blank lines, a new title), it is never counted as translated; change
        /// any one of its words and it always is.
        #[test]
        fn a_placeholder_is_translated_exactly_when_its_words_change(
            lines in proptest::collection::vec(proptest::collection::vec(word(), 1..6), 1..6),
            pick in proptest::prelude::any::<proptest::sample::Index>(),
            crlf in proptest::prelude::any::<bool>(),
        ) {
            let body: Vec<String> = lines.iter().map(|l| l.join(" ")).collect();
            let text = format!("---\ntitle: New\n---\n\n{}\n", body.join("\n"));
            let mark = placeholder_mark(&text);
            let mut saved = format!("\u{feff}{}  \n\n", text.replace("title: New", "title: Nuevo"));
            if crlf {
                saved = saved.replace('\n', "\r\n");
            }
            proptest::prop_assert!(is_placeholder(&saved, Some(&mark)));
            let words: Vec<&String> = lines.iter().flatten().collect();
            let changed_word = pick.get(&words);
            let mut done = false;
            let changed: Vec<String> = lines
                .iter()
                .map(|l| {
                    l.iter()
                        .map(|w| {
                            if !done && w == *changed_word {
                                done = true;
                                format!("{w}x")
                            } else {
                                w.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let translated = format!("---\ntitle: New\n---\n\n{}\n", changed.join("\n"));
            proptest::prop_assert!(!is_placeholder(&translated, Some(&mark)));
        }
    }

    #[test]
    fn fingerprints_ignore_translated_from_and_line_endings() {
        let a = fingerprint("---\ntitle: X\n---\nBody\n");
        assert_eq!(
            a,
            fingerprint("---\r\ntitle: X\r\ntranslated_from: abc\r\n---\r\nBody\r\n")
        );
        assert_ne!(a, fingerprint("---\ntitle: X\n---\nBody!\n"));
        assert_eq!(a.len(), 12);
    }

    #[test]
    fn translated_from_is_read_from_front_matter_that_does_not_parse() {
        let text = "---\ntitle: [unclosed\ntranslated_from: \"abc123\" # marked\n---\nBody\n";
        assert!(parse("about.md", text).is_err());
        assert_eq!(raw_translated_from(text).as_deref(), Some("abc123"));
        let bare = "---\r\ntranslated_from: abc123 # a comment\r\ntitle: x: y\r\n";
        assert_eq!(raw_translated_from(bare).as_deref(), Some("abc123"));
        assert_eq!(raw_translated_from("---\ntitle: x\n---\n"), None);
        assert_eq!(
            raw_translated_from("No front matter\ntranslated_from: x\n"),
            None
        );
    }

    #[test]
    fn a_byte_order_mark_and_crlf_read_like_plain_text() {
        let plain = parse("about.md", "---\ntitle: X\n---\nBody\n").unwrap();
        let saved = parse("about.md", "\u{feff}---\r\ntitle: X\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(saved.text, plain.text);
        assert_eq!(saved.body_start, plain.body_start);
        assert_eq!(saved.fingerprint, plain.fingerprint);
    }

    #[test]
    fn number_prefixes_split_off() {
        assert_eq!(split_number_prefix("01-welcome"), (Some(1), "welcome"));
        assert_eq!(split_number_prefix("welcome"), (None, "welcome"));
        assert_eq!(split_number_prefix("2024"), (None, "2024"));
    }
}
