//! Pages: turns the site model into every output page's view and renders it. Markdown
//! is rendered once per document and view, in parallel; pages are then assembled from
//! those fragments, also in parallel, and come back as `(output path, bytes)`.
//!
//! Each page kind is a module of its own, a function from the model to its view (the
//! view's structs beside it); `context` holds what they share, and `Job` lists every
//! page of a site and which documents' text each one shows.

mod asked;
mod binder;
mod cards;
mod chooser;
mod context;
mod guide;
mod handout;
mod home;
mod module;
mod not_found;
mod packet;
mod plain;
mod program;
mod search;
mod sitemap;

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Lang};
use crate::content::DocKind;
use crate::diagnostic::Diagnostic;
use crate::i18n::I18n;
use crate::links;
use crate::markdown::{self, RawHtml, Rendered, View};
use crate::render::Renderer;
use crate::site::{DocId, Site};

use context::Ctx;

pub use asked::{Asked, reuse_in};

/// One file of the output.
pub struct Output {
    /// Relative to the output folder, with `/` between segments.
    pub path: String,
    /// The file's contents: a page's HTML (or `sitemap.xml`), or a theme's static file as
    /// it is.
    pub bytes: Vec<u8>,
}

/// The HTML of every document, in the views it is shown in.
pub struct DocHtml {
    /// For everything but a guide, which participants never see.
    pub participant: Option<Rendered<DocId>>,
    /// For a module (its guide shows it) and a guide; `None` for every other kind.
    pub facilitator: Option<Rendered<DocId>>,
    /// A guide's `preparation`, from its front matter.
    pub preparation: Option<Rendered<DocId>>,
    /// What rendering asked of the site, so another site can reuse this HTML when it
    /// gives the same answers ([`reuse_in`]).
    pub asked: Asked,
}

impl DocHtml {
    /// Its renderings: the participant view, the facilitator view, the preparation.
    pub fn renderings(&self) -> impl Iterator<Item = &Rendered<DocId>> {
        self.participant
            .iter()
            .chain(&self.facilitator)
            .chain(&self.preparation)
    }
}

/// Renders every document's Markdown, taking from `reuse` the documents whose HTML is
/// known to be what rendering them in `site` would make (unchanged since `serve`'s
/// last build, or the same in another edition).
pub fn render_docs(
    site: &Site,
    i18n: &I18n,
    reuse: &(dyn Fn(&Site, DocId) -> Option<Arc<DocHtml>> + Sync),
) -> Vec<Arc<DocHtml>> {
    site.docs
        .par_iter()
        .enumerate()
        .map(|(id, _)| reuse(site, id).unwrap_or_else(|| render_doc(site, i18n, id)))
        .collect()
}

/// One document's HTML in each of its views, with what its rendering asked of the site.
pub fn render_doc(site: &Site, i18n: &I18n, id: DocId) -> Arc<DocHtml> {
    let doc = &site.docs[id];
    let recorder = asked::Recorder::new(site, id, i18n);
    let raw_html = RawHtml::allowed(site.config.allow_raw_html);
    let render =
        |view| markdown::render(&doc.parsed, doc.loc(), view, &recorder, &recorder, raw_html);
    let (participant, facilitator) = match doc.source.kind {
        DocKind::Module { .. } => (true, true),
        DocKind::Guide { .. } => (false, true),
        _ => (true, false),
    };
    let participant = participant.then(|| render(View::Participant));
    let facilitator = facilitator.then(|| render(View::Facilitator));
    let preparation = guide::preparation(doc, id, &recorder, raw_html);
    let asked = recorder.asked([&participant, &facilitator, &preparation], raw_html);
    Arc::new(DocHtml {
        participant,
        facilitator,
        preparation,
        asked,
    })
}

/// What rendering found: broken links, and links to anchors other documents lack.
pub fn doc_diagnostics(site: &Site, html: &[Arc<DocHtml>]) -> Vec<Diagnostic> {
    let renderings: Vec<Vec<&Rendered<DocId>>> =
        html.iter().map(|h| h.renderings().collect()).collect();
    links::check(site, &renderings)
}

/// A page to render, with what it needs to find its part of the model.
enum Job<'a> {
    Home(&'a Lang),
    Module(&'a Lang, usize),
    Guide(&'a Lang, usize),
    Handout(&'a Lang, usize, DocId),
    Packet(&'a Lang, usize),
    AllHandouts(&'a Lang),
    Binder(&'a Lang, Option<usize>),
    Program(&'a Lang, usize),
    Page(&'a Lang, DocId),
}

impl Job<'_> {
    /// Every page of every language but the root ones, in a fixed order.
    fn all(site: &Site) -> Vec<Job<'_>> {
        let mut jobs = Vec::new();
        for lang in &site.config.published {
            jobs.push(Job::Home(lang));
            jobs.push(Job::AllHandouts(lang));
            jobs.push(Job::Binder(lang, None));
            for (m, module) in site.modules.iter().enumerate() {
                let Some(docs) = module.langs.get(lang) else {
                    continue;
                };
                jobs.push(Job::Module(lang, m));
                jobs.push(Job::Guide(lang, m));
                jobs.push(Job::Packet(lang, m));
                for &h in &docs.handouts {
                    jobs.push(Job::Handout(lang, m, h));
                }
            }
            for (p, program) in site.programs.iter().enumerate() {
                if !program.modules.is_empty() {
                    jobs.push(Job::Program(lang, p));
                    jobs.push(Job::Binder(lang, Some(p)));
                }
            }
            for &id in site.pages.get(lang).into_iter().flatten() {
                jobs.push(Job::Page(lang, id));
            }
        }
        jobs
    }

    /// The documents whose text (not just title) the page shows, so `serve` rebuilds
    /// only the pages a change touches.
    fn shows(&self, site: &Site) -> Vec<DocId> {
        let module_docs = |lang: &Lang, m: usize, handouts: bool| -> Vec<DocId> {
            let Some(d) = site.modules[m].langs.get(lang) else {
                return Vec::new();
            };
            let mut ids = vec![d.index];
            if handouts {
                ids.extend(&d.handouts);
            } else {
                ids.extend(d.guide);
            }
            ids
        };
        match *self {
            Job::Home(lang) => site.homes.get(lang).copied().into_iter().collect(),
            Job::Module(lang, m) => vec![site.modules[m].langs[lang].index],
            Job::Guide(lang, m) => module_docs(lang, m, false),
            Job::Handout(_, _, h) | Job::Page(_, h) => vec![h],
            Job::Packet(lang, m) => module_docs(lang, m, true),
            Job::AllHandouts(lang) => site
                .modules
                .iter()
                .filter_map(|m| m.langs.get(lang))
                .flat_map(|d| d.handouts.iter().copied())
                .collect(),
            Job::Binder(lang, program) => {
                let modules: Vec<usize> = match program {
                    None => (0..site.modules.len()).collect(),
                    Some(p) => site.programs[p].modules.clone(),
                };
                modules
                    .into_iter()
                    .flat_map(|m| module_docs(lang, m, false))
                    .collect()
            }
            Job::Program(..) => Vec::new(),
        }
    }

    /// Whether the page gathers many modules: [`Step::Gathering`] makes it.
    fn gathers(&self) -> bool {
        matches!(self, Job::AllHandouts(_) | Job::Binder(..))
    }

    /// Each page kind's module makes its page.
    fn render(&self, ctx: &Ctx) -> Result<Output, String> {
        match *self {
            Job::Home(lang) => home::render(ctx, lang),
            Job::Module(lang, m) => module::render(ctx, lang, m),
            Job::Guide(lang, m) => guide::render(ctx, lang, m),
            Job::Handout(lang, m, h) => handout::render(ctx, lang, m, h),
            Job::Packet(lang, m) => packet::render_module(ctx, lang, m),
            Job::AllHandouts(lang) => packet::render_all_handouts(ctx, lang),
            Job::Binder(lang, program) => binder::render(ctx, lang, program),
            Job::Program(lang, p) => program::render(ctx, lang, p),
            Job::Page(lang, id) => plain::render(ctx, lang, id),
        }
    }
}

/// The PDF a page of the site prints to, if it is a print page. `path` may start with
/// an edition's folder (`editions/centro/`), which the PDF's path keeps.
pub fn pdf_path(path: &str) -> Option<String> {
    let (prefix, rest) = path.split_at(edition_prefix_len(path));
    let (lang, page) = rest.split_once('/')?;
    let page = page.strip_suffix("/index.html")?;
    let name = match page.strip_prefix("print/") {
        Some(print) => print.to_owned(),
        None => {
            let (module, handout) = page.split_once("/handouts/")?;
            if module.contains('/') || handout.contains('/') {
                return None;
            }
            format!("{module}/{handout}")
        }
    };
    Some(format!("{prefix}{lang}/pdf/{name}.pdf"))
}

/// The length of the edition folder `path` starts with (`editions/<id>/`), or 0.
pub fn edition_prefix_len(path: &str) -> usize {
    path.strip_prefix("editions/")
        .and_then(|after| after.find('/'))
        .map_or(0, |slash| "editions/".len() + slash + 1)
}

/// Every published language's search indexes alone, as [`render_pages`] writes them
/// (`cargo bench -- search` times them).
pub fn search_indexes(
    site: &Site,
    i18n: &I18n,
    renderer: &Renderer,
    html: &[Arc<DocHtml>],
) -> Vec<Output> {
    search::indexes(&Ctx::new(site, i18n, renderer, html), |_| true)
}

/// Which pages a render makes, for `serve`'s rebuild in two steps: first what the author
/// is looking at, then what gathers many modules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    /// Every page, and the search indexes.
    Both,
    /// The pages that show a few documents: a document's own pages and its module's.
    Own,
    /// The pages that gather many modules (the binders, the all-handouts packet), and the
    /// search indexes.
    Gathering,
}

/// Whether the page at `path` is one that [`Step::Gathering`] makes: a binder, the
/// all-handouts packet or a search index. `serve` holds a request for one back while a
/// change is still being rendered into it.
pub fn is_gathering(path: &str) -> bool {
    let path = &path[edition_prefix_len(path)..];
    if path.starts_with("assets/search/") {
        return true;
    }
    let Some((_, page)) = path.split_once('/') else {
        return false;
    };
    match page.strip_prefix("print/") {
        Some("facilitator/index.html" | "handouts/index.html") => true,
        Some(rest) => rest
            .strip_prefix("programs/")
            .and_then(|p| p.strip_suffix("/index.html"))
            .is_some_and(|id| !id.contains('/')),
        None => false,
    }
}

/// Renders the site's pages: all of them, or with `only`, those that show any of the
/// given documents' text.
pub fn render_pages(
    site: &Site,
    i18n: &I18n,
    renderer: &Renderer,
    html: &[Arc<DocHtml>],
    only: Option<&HashSet<DocId>>,
) -> Result<Vec<Output>, String> {
    render_step(site, i18n, renderer, html, only, Step::Both)
}

/// [`render_pages`], making only the pages of `step`.
pub fn render_step(
    site: &Site,
    i18n: &I18n,
    renderer: &Renderer,
    html: &[Arc<DocHtml>],
    only: Option<&HashSet<DocId>>,
    step: Step,
) -> Result<Vec<Output>, String> {
    let ctx = Ctx::new(site, i18n, renderer, html);
    let mut jobs = Job::all(site);
    if let Some(only) = only {
        jobs.retain(|job| job.shows(site).iter().any(|d| only.contains(d)));
    }
    match step {
        Step::Both => {}
        Step::Own => jobs.retain(|job| !job.gathers()),
        Step::Gathering => jobs.retain(Job::gathers),
    }
    // The indexes of the languages whose text may have changed: all of them, or on a
    // partial rebuild, those of the documents that changed. They are built alongside the
    // pages, which leaves no thread idle while the last pages finish.
    let changed = |lang: &Lang| {
        step != Step::Own
            && only.is_none_or(|docs| docs.iter().any(|&d| &site.docs[d].source.lang == lang))
    };
    let (pages, indexes) = rayon::join(
        || {
            jobs.par_iter()
                .map(|job| job.render(&ctx))
                .collect::<Result<Vec<Output>, _>>()
        },
        || search::indexes(&ctx, changed),
    );
    let mut outputs = pages?;
    outputs.extend(indexes);
    // The root pages show no document's text, so a partial rebuild never needs them.
    if only.is_none() && step == Step::Both {
        outputs.push(chooser::render(&ctx)?);
        outputs.push(not_found::render(&ctx)?);
        if let Some(base) = &site.config.base_url {
            outputs.push(Output {
                path: "sitemap.xml".into(),
                bytes: sitemap::sitemap(site, base).into_bytes(),
            });
        }
    }
    Ok(outputs)
}

/// Whether the site gets a `sitemap.xml`: only with a `base_url`, since the sitemaps
/// protocol allows only absolute addresses.
pub fn has_sitemap(config: &Config) -> bool {
    config.base_url.is_some()
}

/// A page's link: its folder plus `index.html`, so the site also works from disk.
fn href(url: &str) -> String {
    format!("{url}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathering_pages_are_the_binders_the_handouts_packet_and_the_search_indexes() {
        for yes in [
            "en/print/facilitator/index.html",
            "es/print/handouts/index.html",
            "en/print/programs/four-sessions/index.html",
            "assets/search/es.js",
            "assets/search/en-facilitator/w-c.js",
            "editions/centro/es/print/facilitator/index.html",
        ] {
            assert!(is_gathering(yes), "{yes}");
        }
        for no in [
            "en/print/healthy-limits-at-home/index.html",
            "en/healthy-limits-at-home/index.html",
            "en/healthy-limits-at-home/facilitator/index.html",
            "en/print/programs/a/b/index.html",
            "en/programs/four-sessions/index.html",
            "assets/hearth.css",
            "index.html",
        ] {
            assert!(!is_gathering(no), "{no}");
        }
    }
}
