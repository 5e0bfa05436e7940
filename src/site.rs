//! The site model: documents paired across languages, modules in order with their guides
//! and handouts, every page's URL, programs, and translation status. Built once from the
//! loaded content and then only read.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Lang};
use crate::content::{Asset, Content, DocKind, DocPath, Meta, Source, split_number_prefix};
use crate::diagnostic::{Diagnostic, Kind, did_you_mean};
use crate::markdown::{self, Activity, Format, Loc, Parsed};

/// Index of a document in [`Site::docs`].
pub type DocId = usize;

/// One Markdown document with its URL and block structure.
#[derive(Debug)]
pub struct Doc {
    pub source: Source,
    /// The page the document is read on, relative to the site root, ending in `/`.
    pub url: String,
    pub parsed: Parsed,
}

impl Doc {
    pub fn loc(&self) -> Loc<'_> {
        Loc {
            file: &self.source.file,
            text: &self.source.text,
            body_start: self.source.body_start,
        }
    }
}

/// A module in one language.
#[derive(Debug, Clone)]
pub struct ModuleDocs {
    pub index: DocId,
    pub guide: Option<DocId>,
    /// In the source language's order; a handout not yet translated is absent.
    pub handouts: Vec<DocId>,
    pub agendas: Vec<Agenda>,
}

/// A module: one folder under `modules/`, in every language it exists in.
#[derive(Debug, Clone)]
pub struct Module {
    pub folder: String,
    /// 1-based position in the toolkit.
    pub number: usize,
    pub langs: BTreeMap<Lang, ModuleDocs>,
}

/// The timed agenda of a module for one format (or for all, when it uses none).
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub format: Option<Format>,
    pub rows: Vec<AgendaRow>,
    pub total: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaRow {
    pub start: u32,
    pub title: String,
    pub minutes: u32,
    pub running_total: u32,
}

/// Where a translation stands against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Current,
    Stale,
    Unmarked,
    Missing,
    Orphaned,
}

/// One row of the translation status: a document in a translation language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub lang: Lang,
    pub path: DocPath,
    pub status: Status,
    /// The translation or its source has errors that leave it out of the site; its
    /// status comes from the files' bytes alone.
    pub has_errors: bool,
}

/// A program resolved to modules.
#[derive(Debug, Clone)]
pub struct Program {
    pub id: String,
    /// Indices into [`Site::modules`].
    pub modules: Vec<usize>,
}

/// The whole site, read-only once built.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub docs: Vec<Doc>,
    pub modules: Vec<Module>,
    pub homes: BTreeMap<Lang, DocId>,
    /// Plain pages, by language, in path order.
    pub pages: BTreeMap<Lang, Vec<DocId>>,
    pub programs: Vec<Program>,
    /// Files copied as they are: (source file, output path).
    pub assets: Vec<(Asset, String)>,
    /// Translation status of every (language, document path) but the source language's,
    /// including documents left out of the site.
    pub translations: Vec<Translation>,
    by_path: HashMap<(Lang, DocPath), DocId>,
    /// Documents whose own errors left them out; links to them are not errors too.
    broken: HashSet<(Lang, DocPath)>,
}

impl Site {
    /// The document at `path` in `lang`, if it exists.
    pub fn doc(&self, lang: &Lang, path: &DocPath) -> Option<&Doc> {
        self.by_path
            .get(&(lang.clone(), path.clone()))
            .map(|&i| &self.docs[i])
    }

    pub fn doc_id(&self, lang: &Lang, path: &DocPath) -> Option<DocId> {
        self.by_path.get(&(lang.clone(), path.clone())).copied()
    }

    /// The same document in another language: its id, if translated.
    pub fn counterpart(&self, doc: DocId, lang: &Lang) -> Option<DocId> {
        self.doc_id(lang, &self.docs[doc].source.path)
    }
}

/// Builds the model. `drafts` keeps documents marked `draft: true`.
pub fn build(config: Config, content: Content, drafts: bool) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let source_lang = config.source_lang().clone();
    let (sources, draft_sources): (Vec<Source>, Vec<Source>) = content
        .sources
        .into_iter()
        .partition(|s| drafts || !s.draft);
    // A draft module leaves out its guide and handouts too.
    let draft_modules: BTreeSet<(Lang, String)> = draft_sources
        .iter()
        .filter_map(|s| match &s.kind {
            DocKind::Module { folder } => Some((s.lang.clone(), folder.clone())),
            _ => None,
        })
        .collect();
    let sources: Vec<Source> = sources
        .into_iter()
        .filter(|s| match &s.kind {
            DocKind::Guide { folder } | DocKind::Handout { folder, .. } => {
                !draft_modules.contains(&(s.lang.clone(), folder.clone()))
            }
            _ => true,
        })
        .collect();

    // Modules: every folder with an index.md, ordered by the source language.
    let mut module_order: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for s in &sources {
        if let (DocKind::Module { folder }, Meta::Module(meta)) = (&s.kind, &s.meta) {
            let prefix = split_number_prefix(folder).0;
            let order = meta.order.or(prefix).unwrap_or(i64::MAX);
            let entry = module_order
                .entry(folder.clone())
                .or_insert((order, s.lang.to_string()));
            if s.lang == source_lang {
                *entry = (order, s.lang.to_string());
            }
        }
    }
    let mut folders: Vec<&String> = module_order.keys().collect();
    folders.sort_by_key(|f| (module_order[*f].0, (*f).clone()));
    let module_slugs: HashMap<(Lang, String), String> = sources
        .iter()
        .filter_map(|s| match &s.kind {
            DocKind::Module { folder } => Some((
                (s.lang.clone(), folder.clone()),
                s.slug
                    .clone()
                    .unwrap_or_else(|| split_number_prefix(folder).1.to_owned()),
            )),
            _ => None,
        })
        .collect();

    // URLs.
    let mut docs: Vec<Doc> = Vec::with_capacity(sources.len());
    let mut orphan_parts = Vec::new();
    for source in sources {
        let lang = source.lang.clone();
        let url = match &source.kind {
            DocKind::Home => format!("{lang}/"),
            DocKind::Module { folder } => {
                format!("{lang}/{}/", module_slugs[&(lang.clone(), folder.clone())])
            }
            DocKind::Guide { folder } | DocKind::Handout { folder, .. } => {
                let Some(module_slug) = module_slugs.get(&(lang.clone(), folder.clone())) else {
                    orphan_parts.push(source);
                    continue;
                };
                match &source.kind {
                    DocKind::Handout { stem, .. } => {
                        let slug = source
                            .slug
                            .clone()
                            .unwrap_or_else(|| split_number_prefix(stem).1.to_owned());
                        format!("{lang}/{module_slug}/handouts/{slug}/")
                    }
                    _ => format!("{lang}/{module_slug}/facilitator/"),
                }
            }
            DocKind::Page => {
                let path = source.path.as_str().trim_end_matches(".md");
                let (dir, stem) = path.rsplit_once('/').map_or(("", path), |(d, s)| (d, s));
                let slug = source.slug.clone().unwrap_or_else(|| stem.to_owned());
                if dir.is_empty() {
                    format!("{lang}/{slug}/")
                } else {
                    format!("{lang}/{dir}/{slug}/")
                }
            }
        };
        docs.push(Doc {
            source,
            url,
            parsed: Parsed::empty(),
        });
    }
    // What translation status needs of every Markdown file, whether in the site or not.
    let mut fingerprints: HashMap<(Lang, DocPath), Fingerprints> = HashMap::new();
    for b in &content.broken {
        fingerprints.insert(
            (b.lang.clone(), b.path.clone()),
            Fingerprints {
                own: b.fingerprint.clone(),
                translated_from: b.translated_from.clone(),
                has_errors: true,
                left_out: true,
            },
        );
    }
    for (source, left_out) in docs
        .iter()
        .map(|d| (&d.source, false))
        .chain(orphan_parts.iter().map(|s| (s, true)))
    {
        fingerprints.insert(
            (source.lang.clone(), source.path.clone()),
            Fingerprints {
                own: Some(source.fingerprint.clone()),
                translated_from: source.translated_from.clone(),
                has_errors: false,
                left_out,
            },
        );
    }
    let mut broken: HashSet<(Lang, DocPath)> = content
        .broken
        .into_iter()
        .map(|b| (b.lang, b.path))
        .collect();
    for source in orphan_parts {
        let folder = source.path.as_str().split('/').nth(1).unwrap_or("");
        let index = DocPath::new(format!("modules/{folder}/index.md"));
        if broken.contains(&(source.lang.clone(), index)) {
            // The index's own errors say enough; the module's other files wait for it.
            broken.insert((source.lang.clone(), source.path.clone()));
            continue;
        }
        let is_source = source.lang == source_lang;
        let message = format!(
            "the module folder `{folder}` has no `index.md` in `{}`",
            source.lang
        );
        // In a translation this is a translation still under way, which never fails a build.
        let d = if is_source {
            Diagnostic::error(Kind::Layout, &source.file, message)
                .hint("every module folder needs an `index.md` with the module's title, summary and duration")
        } else {
            Diagnostic::warning(
                Kind::Translation,
                &source.file,
                format!("{message}, so this file is left out for now"),
            )
            .hint(format!(
                "translate `modules/{folder}/index.md` into `{}` too",
                source.lang
            ))
        };
        diags.push(d);
    }
    // Block structure, in parallel.
    docs.par_iter_mut()
        .for_each(|doc| doc.parsed = markdown::parse(doc.loc()));
    for doc in &docs {
        diags.extend(doc.parsed.diagnostics.iter().cloned());
    }
    check_url_clashes(&docs, &mut diags);
    for doc in &docs {
        diags.extend(placeholders(&doc.source));
    }

    let by_path: HashMap<(Lang, DocPath), DocId> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.source.lang.clone(), d.source.path.clone()), i))
        .collect();

    // Modules per language. Handouts are grouped by module once, not searched per module.
    let mut handouts_of: HashMap<(&Lang, &str), Vec<DocId>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let DocKind::Handout { folder, .. } = &d.source.kind {
            handouts_of
                .entry((&d.source.lang, folder.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut modules = Vec::new();
    for folder in folders {
        let mut langs = BTreeMap::new();
        let base = format!("modules/{folder}/");
        let no_handouts = Vec::new();
        let source_handouts = handouts_of
            .get(&(&source_lang, folder.as_str()))
            .unwrap_or(&no_handouts);
        for lang in &config.languages {
            let key = |p: &str| by_path.get(&(lang.clone(), DocPath::new(p))).copied();
            let Some(index) = key(&format!("{base}index.md")) else {
                continue;
            };
            let guide = key(&format!("{base}facilitator.md"));
            let mut handouts: Vec<DocId> = source_handouts
                .iter()
                .filter_map(|&h| key(docs[h].source.path.as_str()))
                .collect();
            // Handouts that exist only in a translation come last, in path order.
            for &h in handouts_of
                .get(&(lang, folder.as_str()))
                .unwrap_or(&no_handouts)
            {
                if !handouts.contains(&h) {
                    handouts.push(h);
                }
            }
            let agendas = agendas(&docs, index, guide, &mut diags);
            langs.insert(
                lang.clone(),
                ModuleDocs {
                    index,
                    guide,
                    handouts,
                    agendas,
                },
            );
        }
        modules.push(Module {
            folder: folder.clone(),
            number: modules.len() + 1,
            langs,
        });
    }

    let homes = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.source.kind == DocKind::Home)
        .map(|(i, d)| (d.source.lang.clone(), i))
        .collect();
    let mut pages: BTreeMap<Lang, Vec<DocId>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.source.kind == DocKind::Page {
            pages.entry(d.source.lang.clone()).or_default().push(i);
        }
    }

    let programs = config
        .programs
        .iter()
        .map(|p| Program {
            id: p.id.clone(),
            modules: p
                .modules
                .iter()
                .filter_map(|(folder, line, column)| {
                    let found = modules.iter().position(|m| &m.folder == folder);
                    if found.is_none() {
                        let d = Diagnostic::error(
                            Kind::Config,
                            crate::config::FILE,
                            format!(
                                "the program `{}` names `{folder}`, which is not a module",
                                p.id
                            ),
                        );
                        let d = d
                            .at(&config.text, *line, *column)
                            .width(folder.chars().count());
                        let hint = did_you_mean(folder, modules.iter().map(|m| m.folder.as_str()))
                            .unwrap_or_else(|| {
                                "name the module by its folder under `content/<language>/modules/`"
                                    .into()
                            });
                        diags.push(d.hint(hint));
                    }
                    found
                })
                .collect(),
        })
        .collect();

    let assets = content
        .assets
        .into_iter()
        .filter_map(|asset| {
            let path = asset.path.as_str();
            let lang = &asset.lang;
            let out = match path.strip_prefix("modules/") {
                Some(rest) => {
                    let (folder, inner) = rest.split_once('/')?;
                    let slug = module_slugs.get(&(lang.clone(), folder.to_owned()))?;
                    format!("{lang}/{slug}/{inner}")
                }
                None => format!("{lang}/{path}"),
            };
            Some((asset, out))
        })
        .collect();

    let translations = translation_status(&config, &fingerprints);
    for t in &translations {
        let (lang, path, status) = (&t.lang, &t.path, t.status);
        // A document left out (for its own errors, or for its module's missing
        // `index.md`) is reported by what left it out, not again here.
        let left_out = |l: &Lang| {
            fingerprints
                .get(&(l.clone(), path.clone()))
                .is_some_and(|f| f.left_out)
        };
        if left_out(lang) || left_out(&source_lang) {
            continue;
        }
        let file = format!("content/{lang}/{path}");
        let (message, hint) = match status {
            Status::Current => continue,
            Status::Stale => (
                format!(
                    "the `{lang}` translation is out of date: `{}` has changed since",
                    path
                ),
                format!("update the translation, then run `hearth translations --mark {file}`"),
            ),
            Status::Unmarked => (
                "this translation does not say which version of the source it follows".to_owned(),
                format!("once it is up to date, run `hearth translations --mark {file}`"),
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

    let site = Site {
        config,
        docs,
        modules,
        homes,
        pages,
        programs,
        assets,
        translations,
        by_path,
        broken,
    };
    (site, diags)
}

impl Parsed {
    fn empty() -> Parsed {
        markdown::parse(Loc {
            file: std::path::Path::new(""),
            text: "",
            body_start: 0,
        })
    }
}

/// The text `hearth new` leaves for authors to replace.
pub const PLACEHOLDER: &str = "TODO";

/// Warnings for placeholder text still in a document.
fn placeholders(source: &Source) -> Vec<Diagnostic> {
    source
        .text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let column = line.find(PLACEHOLDER)?;
            Some(
                Diagnostic::warning(
                    Kind::Placeholder,
                    &source.file,
                    "placeholder text is still here",
                )
                .at(&source.text, i + 1, line[..column].chars().count() + 1)
                .width(line[column..].chars().count())
                .hint("replace it with the real text"),
            )
        })
        .collect()
}

/// Two documents in one language must not share an address.
fn check_url_clashes(docs: &[Doc], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Doc> = HashMap::new();
    for doc in docs {
        let reserved = doc.url.split('/').nth(1).is_some_and(|first| {
            matches!(doc.source.kind, DocKind::Page | DocKind::Module { .. })
                && ["print", "programs", "assets"].contains(&first)
                && doc.url.matches('/').count() == 2
        });
        if reserved {
            diags.push(
                Diagnostic::error(
                    Kind::Slug,
                    &doc.source.file,
                    format!("the address `{}` is kept for hearth's own pages", doc.url),
                )
                .hint("give the document another `slug`"),
            );
        }
        if let Some(other) = seen.insert(doc.url.as_str(), doc) {
            let slug_line = doc.source.text[..doc.source.body_start]
                .lines()
                .position(|l| l.starts_with("slug:"))
                .map(|i| i + 1);
            let d = Diagnostic::error(
                Kind::Slug,
                &doc.source.file,
                format!(
                    "this page would have the same address as `{}`: `{}`",
                    other.source.file.display(),
                    doc.url
                ),
            )
            .hint("give one of them a different `slug`");
            diags.push(match slug_line {
                Some(line) => d.at(&doc.source.text, line, 7),
                None => d,
            });
        }
    }
}

/// The agendas of a module in one language, with warnings where times do not add up.
fn agendas(
    docs: &[Doc],
    index: DocId,
    guide: Option<DocId>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Agenda> {
    let Meta::Module(meta) = &docs[index].source.meta else {
        return Vec::new();
    };
    let parts: Vec<&Doc> = std::iter::once(index)
        .chain(guide)
        .map(|i| &docs[i])
        .collect();
    let activities: Vec<(&Doc, Activity)> = parts
        .iter()
        .flat_map(|d| d.parsed.activities().into_iter().map(move |a| (*d, a)))
        .collect();
    if activities.is_empty() {
        return Vec::new();
    }
    let used: BTreeSet<Format> = parts.iter().flat_map(|d| d.parsed.formats()).collect();
    let formats: Vec<Option<Format>> = if used.is_empty() {
        vec![None]
    } else {
        Format::ALL.iter().copied().map(Some).collect()
    };
    formats
        .into_iter()
        .map(|format| {
            let mut rows = Vec::new();
            let mut total = 0;
            for (_, a) in activities.iter().filter(|(_, a)| a.format.is_none() || a.format == format) {
                rows.push(AgendaRow {
                    start: total,
                    title: a.title.clone(),
                    minutes: a.minutes,
                    running_total: total.saturating_add(a.minutes),
                });
                total = total.saturating_add(a.minutes);
            }
            if total != meta.duration {
                let (doc, last) = activities.last().expect("activities is not empty");
                let which = match format {
                    Some(f) => format!("the `{}` activities", f.as_str()),
                    None => "the activities".to_owned(),
                };
                diags.push(
                    Diagnostic::warning(
                        Kind::Agenda,
                        &doc.source.file,
                        format!("{which} add up to {total} minutes, but the module's `duration` is {}", meta.duration),
                    )
                    .at(&doc.source.text, last.line, 1)
                    .hint("change an activity's `minutes`, or the `duration` in the module's index.md"),
                );
            }
            Agenda { format, rows, total }
        })
        .collect()
}

/// What translation status needs of one file: its own fingerprint and the one it
/// records, whether it has errors, and whether it is left out of the site.
struct Fingerprints {
    own: Option<String>,
    translated_from: Option<String>,
    has_errors: bool,
    left_out: bool,
}

/// The status of every document path in every translation language, from `files`: every
/// Markdown file of the content, in the site or not.
fn translation_status(
    config: &Config,
    files: &HashMap<(Lang, DocPath), Fingerprints>,
) -> Vec<Translation> {
    let source_lang = config.source_lang();
    let mut out = Vec::new();
    for lang in config.languages.iter().skip(1) {
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
                (Some(s), Some(t)) => match &t.translated_from {
                    None => Status::Unmarked,
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

// `links` resolves links against the model, and reads this one private index to do it.
impl Site {
    /// Whether the document at `path` in `lang` was left out for its own errors: a link to
    /// it is not reported again.
    pub fn left_out(&self, lang: &Lang, path: &DocPath) -> bool {
        self.broken.contains(&(lang.clone(), path.clone()))
    }
}
