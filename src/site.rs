//! The site model: documents paired across languages, modules in order with their guides
//! and handouts, every page's URL, programs, and translation status. Built once from the
//! loaded content and then only read.
//!
//! [`build`] runs a few passes, each in its own module and each taking values and
//! returning new ones with its diagnostics: `select` drops drafts, `place` orders the
//! modules and gives every document and asset its address, `checks` finds clashing
//! addresses and placeholder text, `modules` gathers each module's documents and
//! agendas, `programs` resolves programs, and `status` compares translations with their
//! sources. `links` resolves links against the finished model.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Lang};
use crate::content::{Asset, Content, DocKind, DocPath, Source};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Format, Loc, Parsed};

mod checks;
mod edition;
mod modules;
mod place;
mod programs;
mod select;
mod status;
#[cfg(test)]
mod testing;

/// Index of a document in [`Site::docs`].
pub type DocId = usize;

/// One Markdown document with its URL and block structure.
#[derive(Debug)]
pub struct Doc {
    /// The file as loaded, its front matter validated.
    pub source: Source,
    /// The page the document is read on, relative to the site root, ending in `/`.
    pub url: String,
    /// Its body's `:::` blocks, parsed once and rendered from for each view.
    pub parsed: Arc<Parsed>,
    /// What the checks of its source alone found (partner values where they cannot go,
    /// placeholders left in a translation).
    pub checked: Arc<[Diagnostic]>,
}

/// What [`build`] works out from one source alone: its parse and its own checks' findings.
/// `serve` keeps them, so a rebuild after an edit parses only the edited files.
pub type Parse = (Arc<Parsed>, Arc<[Diagnostic]>);

impl Doc {
    /// Where the body sits in its file, for the Markdown stage's diagnostics.
    pub fn loc(&self) -> Loc<'_> {
        loc(&self.source)
    }
}

/// A module in one language.
#[derive(Debug, Clone)]
pub struct ModuleDocs {
    /// Its `index.md`, without which the module has no entry for the language.
    pub index: DocId,
    /// Its `facilitator.md`, if the language has one.
    pub guide: Option<DocId>,
    /// In the source language's order; a handout not yet translated is absent.
    pub handouts: Vec<DocId>,
    /// One per format (in-person, then virtual) when any block of the module names one, else
    /// one; none when it has no activities.
    pub agendas: Vec<Agenda>,
}

/// A module: one folder under `modules/`, in every language it exists in.
#[derive(Debug, Clone)]
pub struct Module {
    /// The folder's name with its number prefix (`01-welcome`): what programs name it by.
    pub folder: String,
    /// 1-based position in the toolkit.
    pub number: usize,
    /// Its documents in each language it has an `index.md` in.
    pub langs: BTreeMap<Lang, ModuleDocs>,
}

/// The timed agenda of a module for one format (or for all, when it uses none).
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    /// `None` for the one agenda of a module none of whose blocks names a format.
    pub format: Option<Format>,
    /// The activities of `index.md`, then of `facilitator.md`, as written: those of `format`
    /// and those of none.
    pub rows: Vec<AgendaRow>,
    /// In minutes; a warning when it is not the module's `duration`.
    pub total: u32,
}

/// One activity in an agenda, with the minute it starts at.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaRow {
    /// Minutes from the start of the session.
    pub start: u32,
    /// The activity's `title=`; empty when it has none.
    pub title: String,
    /// The activity's `minutes=`.
    pub minutes: u32,
    /// Minutes from the start of the session to the end of this activity.
    pub running_total: u32,
}

/// Where a translation stands against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Its `translated_from` is the source's fingerprint as it is now.
    Current,
    /// Its `translated_from` is an older fingerprint: the source has changed since.
    Stale,
    /// It has no `translated_from`, so nobody knows which version it follows.
    Unmarked,
    /// It is still the placeholder `hearth new` wrote (and is left out of the site until
    /// a person translates it), or its text is word for word its source's.
    Untranslated,
    /// The source language has the document; this language does not.
    Missing,
    /// This language has a document the source language does not.
    Orphaned,
}

/// One row of the translation status: a document in a translation language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// A translation language, never the source language.
    pub lang: Lang,
    /// The path the source and its translation share.
    pub path: DocPath,
    /// Judged by fingerprints alone, so a file with errors has one too.
    pub status: Status,
    /// The translation or its source has errors that leave it out of the site; its
    /// status comes from the files' bytes alone.
    pub has_errors: bool,
}

/// A program resolved to modules.
#[derive(Debug, Clone)]
pub struct Program {
    /// The key under `programs:` in hearth.yaml, used in the program's addresses.
    pub id: String,
    /// Indices into [`Site::modules`].
    pub modules: Vec<usize>,
}

/// The whole site, read-only once built.
#[derive(Debug)]
pub struct Site {
    /// hearth.yaml, validated, with `--base-url` applied.
    pub config: Config,
    /// Every published document (no drafts unless `--drafts`, none without its module),
    /// in load order (see [`Content::sources`]); a [`DocId`] indexes it.
    pub docs: Vec<Doc>,
    /// In toolkit order: by `order:`, else by folder number prefix.
    pub modules: Vec<Module>,
    /// Each language's `_index.md`, where it has one.
    pub homes: BTreeMap<Lang, DocId>,
    /// Plain pages, by language, in path order.
    pub pages: BTreeMap<Lang, Vec<DocId>>,
    /// Those of `config.programs`, in the same order: `programs[i]` is `config.programs[i]`.
    pub programs: Vec<Program>,
    /// Files copied as they are: (source file, output path).
    pub assets: Vec<(Asset, String)>,
    /// Translation status of every (language, document path) but the source language's,
    /// including documents left out of the site.
    pub translations: Vec<Translation>,
    by_path: HashMap<(Lang, DocPath), DocId>,
    /// Documents whose own errors left them out; links to them are not errors too.
    broken: HashSet<(Lang, DocPath)>,
    /// The documents of the modules a partner edition leaves out: a link to one is plain
    /// text, marked as not part of the program.
    outside_edition: HashSet<DocPath>,
}

impl Site {
    /// The document at `path` in `lang`, if it exists.
    pub fn doc(&self, lang: &Lang, path: &DocPath) -> Option<&Doc> {
        self.by_path
            .get(&(lang.clone(), path.clone()))
            .map(|&i| &self.docs[i])
    }

    /// The id of the document at `path` in `lang`, if it exists.
    pub fn doc_id(&self, lang: &Lang, path: &DocPath) -> Option<DocId> {
        self.by_path.get(&(lang.clone(), path.clone())).copied()
    }

    /// The same document in another language: its id, if translated.
    pub fn counterpart(&self, doc: DocId, lang: &Lang) -> Option<DocId> {
        self.doc_id(lang, &self.docs[doc].source.path)
    }
}

/// The text `hearth new` leaves for authors to replace.
pub const PLACEHOLDER: &str = "TODO";

/// Builds the model. `drafts` keeps documents marked `draft: true`.
pub fn build(config: Config, content: Content, drafts: bool) -> (Site, Vec<Diagnostic>) {
    build_reusing(config, content, drafts, &|_| None)
}

/// [`build`], taking each source's [`Parse`] from `reparse` where it gives one (it must
/// be of the same text).
pub fn build_reusing(
    config: Config,
    content: Content,
    drafts: bool,
    reparse: &(dyn Fn(&Source) -> Option<Parse> + Sync),
) -> (Site, Vec<Diagnostic>) {
    let source_lang = config.source_lang().clone();
    let mut diags = Vec::new();

    let sources = select::published(content.sources, drafts);
    let folders = place::module_order(&sources, &source_lang);
    let (share, found) = edition::share(&config, sources, folders);
    diags.extend(found);
    let edition::Share {
        sources,
        folders,
        left_out: outside_edition,
        left_out_folders,
    } = share;
    // After the edition's choice, so that a module it leaves out takes its placeholders.
    let (sources, placeholders) = select::translated(sources);
    let slugs = place::module_slugs(&sources);
    let (placed, orphans) = place::addresses(sources, &slugs);
    // Taken before the orphans are reported: a status depends on the files alone.
    let fingerprints = status::fingerprints(&content.broken, &placed, &orphans, &placeholders);
    let mut broken: HashSet<(Lang, DocPath)> = content
        .broken
        .into_iter()
        .map(|b| (b.lang, b.path))
        .collect();
    let (waiting, found) = place::orphans(orphans, &broken, &source_lang);
    broken.extend(waiting);
    diags.extend(found);

    let docs = parse(placed, reparse);
    diags.extend(
        docs.iter()
            .flat_map(|d| d.parsed.diagnostics.iter().cloned()),
    );
    diags.extend(checks::url_clashes(&docs));
    diags.extend(docs.iter().flat_map(|d| d.checked.iter().cloned()));

    let by_path = index(&docs);
    let (modules, found) = modules::modules(&docs, &by_path, &folders, &config.languages);
    diags.extend(found);
    let (programs, found) = programs::programs(&config, &modules, &left_out_folders);
    diags.extend(found);
    diags.extend(programs::ending_on_sensitive_topics(
        &config, &programs, &modules, &docs,
    ));
    let assets = place::assets(content.assets, &slugs);
    let translations = status::translation_status(&config.languages, &fingerprints);
    diags.extend(status::warnings(&translations, &fingerprints, &source_lang));

    let site = Site {
        homes: homes(&docs),
        pages: pages(&docs),
        config,
        docs,
        modules,
        programs,
        assets,
        translations,
        by_path,
        broken,
        outside_edition,
    };
    (site, diags)
}

/// Where a source's body sits in its file, for the Markdown stage's diagnostics.
fn loc(source: &Source) -> Loc<'_> {
    Loc {
        file: &source.file,
        text: &source.text,
        body_start: source.body_start,
    }
}

/// Every placed document with its block structure and its own checks, worked out in
/// parallel (or taken from `reparse`), in order.
fn parse(
    placed: Vec<place::Placed>,
    reparse: &(dyn Fn(&Source) -> Option<Parse> + Sync),
) -> Vec<Doc> {
    placed
        .into_par_iter()
        .map(|place::Placed { source, url }| {
            let (parsed, checked) = reparse(&source).unwrap_or_else(|| parse_one(&source));
            Doc {
                parsed,
                checked,
                source,
                url,
            }
        })
        .collect()
}

/// One source's parse and its own checks' findings, which depend on nothing else.
pub fn parse_one(source: &Source) -> Parse {
    let mut checked = checks::placeholders(source);
    checked.extend(checks::values_in_front_matter(source));
    (Arc::new(markdown::parse(loc(source))), checked.into())
}

/// The key that pairs translations, to each document's id.
fn index(docs: &[Doc]) -> HashMap<(Lang, DocPath), DocId> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| ((d.source.lang.clone(), d.source.path.clone()), i))
        .collect()
}

/// Each language's home page.
fn homes(docs: &[Doc]) -> BTreeMap<Lang, DocId> {
    docs.iter()
        .enumerate()
        .filter(|(_, d)| d.source.kind == DocKind::Home)
        .map(|(i, d)| (d.source.lang.clone(), i))
        .collect()
}

/// Each language's plain pages, in the documents' order (path order).
fn pages(docs: &[Doc]) -> BTreeMap<Lang, Vec<DocId>> {
    let mut pages: BTreeMap<Lang, Vec<DocId>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.source.kind == DocKind::Page {
            pages.entry(d.source.lang.clone()).or_default().push(i);
        }
    }
    pages
}

// `links` resolves links against the model, and reads this one private index to do it.
impl Site {
    /// Whether the document at `path` in `lang` was left out for its own errors: a link to
    /// it is not reported again.
    pub fn left_out(&self, lang: &Lang, path: &DocPath) -> bool {
        self.broken.contains(&(lang.clone(), path.clone()))
    }

    /// Whether the document at `path` belongs to a module this edition leaves out.
    pub fn outside_edition(&self, path: &DocPath) -> bool {
        self.outside_edition.contains(path)
    }
}
