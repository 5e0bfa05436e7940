//! The pipeline, once for every command: configuration, theme and strings prepared
//! ([`prepare`]), then content loaded, the model built, pages rendered and copies listed
//! ([`render`]). `build` writes the result (through [`crate::write`]), `check` keeps only
//! its diagnostics, and `serve` keeps it in memory and re-runs the parts a change touches.
//!
//! In: a project folder and [`Options`]. Out: a [`Rendered`] site, or a [`Failure`] that
//! says which exit code it deserves.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::config::{self, Lang};
use crate::content::{self, DocPath};
use crate::diagnostic::{self, Diagnostic};
use crate::i18n::I18n;
use crate::pages::{self, DocHtml, Output};
use crate::pictures::{self, Variant};
use crate::render::Renderer;
use crate::site;
use crate::strings;
use crate::theme;
use crate::write;

/// Choices for one build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include documents marked `draft: true`, which are left out by default so an
    /// unfinished module never goes live by accident.
    pub drafts: bool,
    /// Overrides `base_url` in hearth.yaml (or in the edition's file).
    pub base_url: Option<String>,
    /// The partner edition to build (`editions/<id>.yaml`); the toolkit's own site when
    /// `None`.
    pub edition: Option<String>,
    /// Print every print page to PDF too (`hearth pdf`, `build --pdf`).
    pub pdf: bool,
}

/// Why a build produced no site.
#[derive(Debug)]
pub enum Failure {
    /// `hearth.yaml` is missing or wrong (exit 2).
    Config(Vec<Diagnostic>),
    /// Content errors, with any warnings (exit 1).
    Content(Vec<Diagnostic>),
    /// I/O, templates and other operational problems (exit 2).
    Operational(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Operational(e)
    }
}

/// A generated site, not yet written.
pub struct Generated {
    /// Every page, then the theme's assets.
    pub outputs: Vec<Output>,
    /// Files copied as they are: (source on disk, output path).
    pub copies: Vec<(PathBuf, String)>,
    /// Every diagnostic, sorted; none is an error, or there would be no site.
    pub warnings: Vec<Diagnostic>,
    /// Whether `outputs` has a `sitemap.xml`: only a site with a `base_url` gets one.
    pub sitemap: bool,
    /// The pictures' smaller copies, which `copies` takes from the cache: made (when the
    /// cache lacks them) by [`pictures::make`] before the copies are read.
    pub variants: Vec<Variant>,
}

impl Generated {
    /// The HTML pages among the outputs, for the summary line.
    pub fn page_count(&self) -> usize {
        self.outputs
            .iter()
            .filter(|o| o.path.ends_with(".html"))
            .count()
    }
}

/// What stays the same while only content changes: configuration, theme and strings.
pub struct Prepared {
    /// hearth.yaml, with `--base-url` applied.
    pub config: config::Config,
    /// Shared with the renderer, whose template functions look strings up too.
    pub i18n: Arc<I18n>,
    /// The theme's templates, compiled once.
    pub renderer: Renderer,
    /// The theme's static files, by output path.
    pub assets: Vec<Output>,
    /// Warnings (and string errors) found while preparing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the configuration, theme and strings.
pub fn prepare(root: &Path, options: &Options) -> Result<Prepared, Failure> {
    let (config, mut diags) = config::load(root);
    let config = match (config, &options.edition) {
        (Some(base), Some(id)) => {
            let (edition, found) = config::edition::load(root, id, &base);
            diags.extend(found);
            edition
        }
        (config, _) => config,
    };
    if let Some(id) = &options.edition {
        for d in &mut diags {
            d.edition.get_or_insert_with(|| id.clone());
        }
    }
    let Some(mut config) = config else {
        diagnostic::sort(&mut diags);
        return Err(Failure::Config(diags));
    };
    config.pdf = options.pdf;
    if let Some(url) = &options.base_url {
        let mut url = url.clone();
        if !url.ends_with('/') {
            url.push('/');
        }
        config.base_url = Some(url);
    }
    let mut theme = theme::load(root, &config.theme, &config.languages)?;
    let (i18n, string_diags) = I18n::new(&config.languages, std::mem::take(&mut theme.locales));
    diags.extend(string_diags);
    let (needed, template_diags) = strings::needed(&theme.templates);
    diags.extend(template_diags);
    diags.extend(strings::missing(&needed, &config.languages, &i18n));
    let i18n = Arc::new(i18n);
    let renderer = renderer(&theme, i18n.clone())?;
    let assets = theme
        .assets
        .into_iter()
        .map(|(name, bytes)| Output {
            path: format!("assets/{name}"),
            bytes,
        })
        .collect();
    Ok(Prepared {
        config,
        i18n,
        renderer,
        assets,
        diagnostics: diags,
    })
}

/// A site model with every document's HTML, checked.
pub struct Modelled {
    /// The model, built from the loaded content and `Prepared::config`.
    pub site: site::Site,
    /// The HTML of each of `site.docs`, by index; shared so a rebuild can reuse it.
    pub html: Vec<Arc<DocHtml>>,
    /// Every diagnostic, sorted; none is an error.
    pub diagnostics: Vec<Diagnostic>,
}

/// Gives a document's HTML (document `id` of the site) from an earlier render, when it is
/// known to be what rendering it now would make.
pub type Reuse<'a> = dyn Fn(&site::Site, site::DocId) -> Option<Arc<DocHtml>> + Sync + 'a;

/// Gives a source's parse from an earlier build, when it is of the same text.
pub type Reparse<'a> = dyn Fn(&content::Source) -> Option<site::Parse> + Sync + 'a;

/// Builds the model from `content` and renders its documents, reusing from `reuse` the
/// HTML of documents known not to have changed.
pub fn model(
    prepared: &Prepared,
    content: content::Content,
    content_diags: &[Diagnostic],
    options: &Options,
    reuse: &Reuse<'_>,
    reparse: &Reparse<'_>,
) -> Result<Modelled, Failure> {
    let mut diags = prepared.diagnostics.clone();
    diags.extend_from_slice(content_diags);
    let (site, site_diags) =
        site::build_reusing(prepared.config.clone(), content, options.drafts, reparse);
    diags.extend(site_diags);
    diags.extend(strings::missing_topics(&site, &prepared.i18n));
    let html = pages::render_docs(&site, &prepared.i18n, reuse);
    diags.extend(pages::doc_diagnostics(&site, &html));
    if let Some(edition) = &prepared.config.edition {
        for d in &mut diags {
            d.edition.get_or_insert_with(|| edition.id.clone());
        }
    }
    diagnostic::sort(&mut diags);
    diags.dedup();
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Content(diags));
    }
    Ok(Modelled {
        site,
        html,
        diagnostics: diags,
    })
}

/// The smaller copies of the site's pictures, each once (a picture in two languages, or
/// twice in one, has one set).
pub fn variants(site: &site::Site) -> Vec<Variant> {
    let mut seen = std::collections::HashSet::new();
    site.assets
        .iter()
        .filter_map(|(a, _)| Some(Variant::all(&a.disk, a.picture.as_ref()?)))
        .flatten()
        .filter(|v| seen.insert(v.output_path()))
        .collect()
}

/// Files copied as they are: content assets, the pictures' smaller copies from the cache
/// (`variants`, see [`variants`]), and the project's `static/`.
pub fn copies(
    root: &Path,
    site: &site::Site,
    variants: &[Variant],
) -> Result<Vec<(PathBuf, String)>> {
    let mut copies: Vec<(PathBuf, String)> = site
        .assets
        .iter()
        .map(|(a, out)| (a.disk.clone(), out.clone()))
        .collect();
    copies.extend(
        variants
            .iter()
            .map(|v| (v.cache_path(root), v.output_path())),
    );
    for (rel, path) in theme::files_in(&root.join("static"))? {
        copies.push((path, rel));
    }
    Ok(copies)
}

/// The bytes of `copies`, by output path, read in parallel.
pub fn read_copies(copies: &[(PathBuf, String)]) -> Result<Vec<(String, Vec<u8>)>> {
    use rayon::prelude::*;
    copies
        .par_iter()
        .map(|(from, to)| {
            std::fs::read(from)
                .map(|bytes| (to.clone(), bytes))
                .with_context(|| format!("cannot read `{}`", from.display()))
        })
        .collect()
}

/// One run of the pipeline over a prepared project: everything but the writing.
pub struct Rendered {
    /// The model and its documents' HTML, which `serve` keys for reuse.
    pub modelled: Modelled,
    /// Every page, then the theme's assets.
    pub outputs: Vec<Output>,
    /// Files copied as they are: (source on disk, output path).
    pub copies: Vec<(PathBuf, String)>,
    /// The pictures' smaller copies among `copies`, to [`pictures::make`] before reading.
    pub variants: Vec<Variant>,
}

/// Builds the model from loaded content, renders every page and lists the copies.
///
/// The caller loads the content (`content::load`): `serve` keeps a copy of it for its next
/// incremental rebuild, which `build` and `check` need not pay for.
pub fn render(
    root: &Path,
    prepared: &Prepared,
    options: &Options,
    content: content::Content,
    content_diags: &[Diagnostic],
) -> Result<Rendered, Failure> {
    render_reusing(
        root,
        prepared,
        options,
        (content, content_diags),
        &|_, _| None,
        &|_| None,
    )
}

/// [`render`], reusing documents' HTML and parses as [`model`] does.
fn render_reusing(
    root: &Path,
    prepared: &Prepared,
    options: &Options,
    (content, content_diags): (content::Content, &[Diagnostic]),
    reuse: &Reuse<'_>,
    reparse: &Reparse<'_>,
) -> Result<Rendered, Failure> {
    let modelled = model(prepared, content, content_diags, options, reuse, reparse)?;
    let mut outputs = pages::render_pages(
        &modelled.site,
        &prepared.i18n,
        &prepared.renderer,
        &modelled.html,
        None,
    )
    .map_err(|e| Failure::Operational(anyhow::anyhow!(e)))?;
    outputs.extend(prepared.assets.iter().map(|a| Output {
        path: a.path.clone(),
        bytes: a.bytes.clone(),
    }));
    let variants = variants(&modelled.site);
    Ok(Rendered {
        copies: copies(root, &modelled.site, &variants)?,
        variants,
        modelled,
        outputs,
    })
}

/// Runs the whole pipeline but the writing, for `build` and `check`.
pub fn generate(root: &Path, options: &Options) -> Result<Generated, Failure> {
    let prepared = prepare(root, options)?;
    let (content, content_diags) = content::load(root, &prepared.config);
    let rendered = render(root, &prepared, options, content, &content_diags)?;
    Ok(Generated {
        outputs: rendered.outputs,
        copies: rendered.copies,
        warnings: rendered.modelled.diagnostics,
        sitemap: pages::has_sitemap(&prepared.config),
        variants: rendered.variants,
    })
}

/// The theme's templates compiled; their error, a plain string, becomes an operational
/// failure with a line saying what failed.
fn renderer(theme: &theme::Theme, i18n: Arc<I18n>) -> Result<Renderer> {
    Renderer::new(theme, i18n).map_err(|e| anyhow::anyhow!("a template cannot be read:\n{e}"))
}

/// The sites a project makes: the toolkit's own (`None`), then each partner edition.
pub fn sites(root: &Path) -> Vec<Option<String>> {
    std::iter::once(None)
        .chain(config::edition::ids(root).into_iter().map(Some))
        .collect()
}

/// Runs [`generate`] for the toolkit's own site and for every edition, in that order,
/// doing once what is the same for all of them: the content, the parses, and each
/// document's HTML where it provably cannot differ (the rule is on `Shared`).
pub fn generate_all(
    root: &Path,
    options: &Options,
) -> Vec<(Option<String>, Result<Generated, Failure>)> {
    let mut shared = Shared::default();
    sites(root)
        .into_iter()
        .map(|edition| {
            let options = Options {
                edition: edition.clone(),
                // `--base-url` is the toolkit's address; each edition has its own.
                base_url: options.base_url.clone().filter(|_| edition.is_none()),
                ..options.clone()
            };
            let generated = shared.generate(root, &options);
            (edition, generated)
        })
        .collect()
}

/// What the sites of one run ([`generate_all`]) take from each other rather than make
/// again, each only where it provably cannot differ:
///
/// - **content**: loaded once. [`content::load`] reads the configuration only for its
///   `languages`, which every edition takes from hearth.yaml; a site with other
///   languages would load its own.
/// - **parses**: a document's [`site::Parse`] is made from its file and text alone
///   (`markdown::parse` and the checks of the source), so a parse is reused for the
///   source at the same language and path in the same loaded content.
/// - **documents' HTML**: the first rendering of each document (the toolkit's own, as a
///   rule), reused by a later site only when [`pages::reuse_in`] finds that every link
///   and label it asked for, partner values among them, has the same answer there. A
///   document that names the partner's phone, or links into a module an edition leaves
///   out, is rendered again for that edition.
///
/// Pages are not shared: every page carries its site's organisation and crisis lines
/// in its header, footer and print margins, so no two sites' pages are the same.
#[derive(Default)]
struct Shared {
    content: Option<(Vec<Lang>, content::Content, Vec<Diagnostic>)>,
    /// Of the documents of `content`, so forgotten when it is loaded again.
    parses: HashMap<(Lang, DocPath), site::Parse>,
    /// Of the documents of `content` too.
    html: HashMap<(Lang, DocPath), Arc<DocHtml>>,
}

impl Shared {
    /// [`generate`], taking what it can from the sites generated before.
    fn generate(&mut self, root: &Path, options: &Options) -> Result<Generated, Failure> {
        let prepared = prepare(root, options)?;
        let languages = &prepared.config.languages;
        if self.content.as_ref().is_none_or(|(l, _, _)| l != languages) {
            let (content, diags) = content::load(root, &prepared.config);
            self.content = Some((languages.clone(), content, diags));
            self.parses.clear();
            self.html.clear();
        }
        let (_, content, content_diags) = self.content.as_ref().expect("loaded just above");
        let key = |s: &content::Source| (s.lang.clone(), s.path.clone());
        let reparse = |source: &content::Source| self.parses.get(&key(source)).cloned();
        let reuse = |site: &site::Site, id: site::DocId| {
            let html = self.html.get(&key(&site.docs[id].source))?;
            pages::reuse_in(html, site, id, &prepared.i18n)
        };
        let rendered = render_reusing(
            root,
            &prepared,
            options,
            (content.clone(), content_diags),
            &reuse,
            &reparse,
        )?;
        let modelled = &rendered.modelled;
        for (doc, html) in modelled.site.docs.iter().zip(&modelled.html) {
            let key = key(&doc.source);
            self.parses
                .entry(key.clone())
                .or_insert_with(|| (doc.parsed.clone(), doc.checked.clone()));
            self.html.entry(key).or_insert_with(|| html.clone());
        }
        Ok(Generated {
            outputs: rendered.outputs,
            copies: rendered.copies,
            warnings: rendered.modelled.diagnostics,
            sitemap: pages::has_sitemap(&prepared.config),
            variants: rendered.variants,
        })
    }
}

/// The diagnostics of several sites, once each: an edition's problem that the toolkit's
/// own site has too (a broken link in shared text) is reported with the toolkit's alone.
pub fn merge_diagnostics(runs: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    // Keyed by what a reader sees, so thousands of warnings from several sites merge in
    // linear time (comparing each with every one kept took seconds at 1,000 modules).
    let mut seen = std::collections::HashSet::new();
    let mut merged: Vec<Diagnostic> = Vec::new();
    for d in runs.into_iter().flatten() {
        let key = (
            d.severity,
            d.kind,
            d.file.clone(),
            d.line,
            d.column,
            d.message.clone(),
        );
        if seen.insert(key) {
            merged.push(d);
        }
    }
    diagnostic::sort(&mut merged);
    merged
}

/// What a successful build did.
pub struct Report {
    /// HTML pages in the site.
    pub pages: usize,
    /// Every file in the site, pages included, whether written now or unchanged.
    pub files: usize,
    /// Every diagnostic, sorted; none is an error, or there would be no site.
    pub warnings: Vec<Diagnostic>,
    /// The sites that got no `sitemap.xml` for want of a `base_url`, which the caller may
    /// want to say: `None` for the toolkit's own site, else the edition's id.
    pub without_sitemap: Vec<Option<String>>,
    /// The pictures' smaller copies in the site, and how many of them had to be made now
    /// (the rest were in the cache from an earlier build).
    pub pictures: (usize, usize),
    /// What printing to PDF did, when asked for.
    #[cfg(unix)]
    pub pdf: Option<crate::pdf::Printed>,
}

/// Builds the site at `root` into `out`, replacing the previous output only on success.
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Report, Failure> {
    let out = write::check_output_folder(root, out)?;
    let generated = generate(root, options)?;
    write_sites(
        root,
        &out,
        vec![(options.edition.clone(), generated)],
        options.pdf,
    )
}

/// Builds the toolkit's own site into `out` and each edition into `out/editions/<id>/`,
/// all or nothing: one site's error leaves every previous output in place.
pub fn build_all(root: &Path, out: &Path, options: &Options) -> Result<Report, Failure> {
    let out = write::check_output_folder(root, out)?;
    let mut sites = Vec::new();
    let mut failed: Vec<Vec<Diagnostic>> = Vec::new();
    let mut config_failed = false;
    for (edition, generated) in generate_all(root, options) {
        match generated {
            Ok(generated) => sites.push((edition, generated)),
            Err(Failure::Operational(e)) => return Err(Failure::Operational(e)),
            Err(Failure::Config(diags)) => {
                config_failed = true;
                failed.push(diags);
            }
            Err(Failure::Content(diags)) => failed.push(diags),
        }
    }
    if !failed.is_empty() {
        failed.extend(sites.into_iter().map(|(_, g)| g.warnings));
        let diags = merge_diagnostics(failed);
        return Err(match config_failed {
            true => Failure::Config(diags),
            false => Failure::Content(diags),
        });
    }
    write_sites(root, &out, sites, options.pdf)
}

/// Writes generated sites in one step: the toolkit's own (or a lone edition's, as built
/// by `--edition`) into `out`, each of several editions into `out/editions/<id>/`.
///
/// With `pdf`, the print pages are then printed from the written site, and the PDFs
/// written beside them in a second step that leaves the pages as they are.
fn write_sites(
    root: &Path,
    out: &Path,
    sites: Vec<(Option<String>, Generated)>,
    pdf: bool,
) -> Result<Report, Failure> {
    // Before anything is written, as when no browser is found: the last site stays.
    #[cfg(not(unix))]
    if pdf {
        return Err(Failure::Operational(anyhow::anyhow!(
            "hearth prints PDFs on Linux and macOS only for now\nhint: build the site here, and print its PDFs on a Linux or macOS machine"
        )));
    }
    let without_sitemap = sites
        .iter()
        .filter(|(_, g)| !g.sitemap)
        .map(|(edition, _)| edition.clone())
        .collect();
    let alone = sites.len() == 1;
    let sites: Vec<(String, Generated)> = sites
        .into_iter()
        .map(|(edition, g)| match edition {
            Some(id) if !alone => (format!("{}/{id}/", config::edition::FOLDER), g),
            _ => (String::new(), g),
        })
        .collect();
    // Every site's pictures made at once, so a picture several editions show is made once.
    let variants: Vec<Variant> = sites
        .iter()
        .flat_map(|(_, g)| g.variants.iter().cloned())
        .collect();
    let made = pictures::make(root, &variants)?;
    let mut copied = Vec::new();
    for (prefix, generated) in &sites {
        for (path, bytes) in read_copies(&generated.copies)? {
            copied.push((format!("{prefix}{path}"), bytes));
        }
    }
    let pages: Vec<(String, &[u8])> = sites
        .iter()
        .flat_map(|(prefix, g)| {
            g.outputs
                .iter()
                .map(move |o| (format!("{prefix}{}", o.path), o.bytes.as_slice()))
        })
        .collect();
    let files: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|(p, b)| (p.as_str(), *b))
        .chain(copied.iter().map(|(p, b)| (p.as_str(), b.as_slice())))
        .collect();
    #[cfg(unix)]
    let printed = match pdf {
        true => {
            // The PDFs still current are written with the pages, so the first write keeps
            // them; the rest are printed from the written pages, then written too.
            let plan = crate::pdf::plan(out, &files);
            // Without a browser, nothing is written: the last site and PDFs stay.
            if plan.prints() {
                crate::pdf::browser_path()?;
            }
            let mut first = files.clone();
            first.extend(plan.kept.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
            write::write(&first, out)?;
            let printed = crate::pdf::print(out, plan)?;
            let mut all = files.clone();
            all.extend(
                printed
                    .files
                    .iter()
                    .map(|(p, b)| (p.as_str(), b.as_slice())),
            );
            write::write(&all, out)?;
            Some(printed)
        }
        false => {
            write::write(&files, out)?;
            None
        }
    };
    #[cfg(not(unix))]
    write::write(&files, out)?;
    Ok(Report {
        pages: sites.iter().map(|(_, g)| g.page_count()).sum(),
        pictures: (variants.len(), made),
        files: files.len(),
        #[cfg(unix)]
        pdf: printed,
        without_sitemap,
        warnings: merge_diagnostics(sites.into_iter().map(|(_, g)| g.warnings).collect()),
    })
}
