//! The rebuild engine, usable without a server: a [`Session`] holds the prepared theme and
//! strings, the loaded content and each document's HTML, and for each batch of changed
//! files decides what to re-run: everything (settings, theme, strings, a file added or
//! removed) or only the pages of the documents whose bodies changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::build::{self, Failure, Options, Prepared};
use crate::config::Lang;
use crate::content::{self, Content, DocPath};
use crate::diagnostic::Diagnostic;
use crate::pages::{self, DocHtml};

/// The served files, by path below the site root.
pub type Files = HashMap<String, Arc<[u8]>>;

/// What a build or rebuild did.
#[derive(Debug)]
pub struct Report {
    /// Pages and files (re)written into memory.
    pub written: usize,
    /// Whether everything was rebuilt, or only what the change affected.
    pub full: bool,
    /// How long it took, which authors watch to see the preview keep up.
    pub elapsed: Duration,
    /// Warnings of a good build, or the errors that kept the last good one served.
    pub diagnostics: Vec<Diagnostic>,
    /// An operational failure (a template that cannot be read, say).
    pub failure: Option<String>,
    /// After an edit to a document's text, the files [`Session::finish`] wrote after the
    /// first step (binders, the all-handouts packet, search indexes), and how long that
    /// took; `serve` fills it in.
    pub then: Option<(usize, Duration)>,
}

impl Report {
    /// Whether the site served is now what the sources say.
    pub fn ok(&self) -> bool {
        self.failure.is_none() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The rebuild engine: the last good site in memory, and what is needed to update it.
pub struct Session {
    root: PathBuf,
    options: Options,
    prepared: Option<Prepared>,
    content: Content,
    content_diags: Vec<Diagnostic>,
    html: HashMap<(Lang, DocPath), Arc<DocHtml>>,
    /// Each document's parse, which an edit to another file does not change.
    parses: HashMap<(Lang, DocPath), crate::site::Parse>,
    files: Files,
    /// After [`Session::apply_first`], the model whose gathering pages and search indexes
    /// still wait for [`Session::finish`], with the documents that changed.
    pending: Option<(build::Modelled, HashSet<usize>)>,
}

impl Session {
    /// Builds the whole site. The session exists even when the build fails, serving
    /// nothing until a change fixes it.
    pub fn start(root: &Path, options: Options) -> (Session, Report) {
        let mut session = Session {
            root: root.to_path_buf(),
            options,
            prepared: None,
            content: Content::default(),
            content_diags: Vec::new(),
            html: HashMap::new(),
            parses: HashMap::new(),
            files: Files::new(),
            pending: None,
        };
        let report = session.rebuild_all(true);
        (session, report)
    }

    /// The last good site.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Updates the site for changes to `paths` (absolute, or relative to the root).
    pub fn apply(&mut self, paths: &[PathBuf]) -> Report {
        let mut report = self.apply_first(paths);
        if let Some(more) = self.finish() {
            match more {
                Ok(written) => report.written += written,
                Err(failure) => return failed(failure, Instant::now()),
            }
        }
        report
    }

    /// Whether [`Session::finish`] has work left: the pages that gather many modules and
    /// the search indexes, after an edit to a document's text.
    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Renders what [`Session::apply_first`] left: the pages that gather the edited
    /// documents among many (binders, the all-handouts packet) and the search indexes of
    /// their languages. `None` when nothing was left; else how many files it wrote.
    pub fn finish(&mut self) -> Option<Result<usize, Failure>> {
        let (modelled, ids) = self.pending.take()?;
        let prepared = self
            .prepared
            .as_ref()
            .expect("only a good rebuild leaves work pending");
        let outputs = match pages::render_step(
            &modelled.site,
            &prepared.i18n,
            &prepared.renderer,
            &modelled.html,
            Some(&ids),
            pages::Step::Gathering,
        ) {
            Ok(outputs) => outputs,
            Err(e) => return Some(Err(Failure::Operational(anyhow::anyhow!(e)))),
        };
        // A remade search index replaces all its parts: a letter no word starts with any
        // more must not linger.
        let remade: Vec<String> = outputs
            .iter()
            .filter_map(|o| o.path.strip_prefix("assets/search/")?.strip_suffix(".js"))
            .filter(|head| !head.contains('/'))
            .map(|head| format!("assets/search/{head}/"))
            .collect();
        self.files
            .retain(|path, _| !remade.iter().any(|dir| path.starts_with(dir.as_str())));
        let written = outputs.len();
        for o in outputs {
            self.files.insert(o.path, o.bytes.into());
        }
        Some(Ok(written))
    }

    /// Updates the site for changes to `paths` as far as the author is looking: a change
    /// to a document's text renders that document's own pages and its module's, and
    /// leaves the pages that gather many modules and the search indexes to
    /// [`Session::finish`]. Any other change rebuilds everything.
    pub fn apply_first(&mut self, paths: &[PathBuf]) -> Report {
        // Work an earlier change left is done first, so nothing is lost.
        if let Some(Err(failure)) = self.finish() {
            return failed(failure, Instant::now());
        }
        let rel: Vec<PathBuf> = paths
            .iter()
            .map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf())
            .collect();
        let first = |p: &PathBuf| {
            p.components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
        };
        let settings = rel.iter().any(|p| {
            matches!(
                first(p).as_deref(),
                Some("hearth.yaml" | "themes" | "locales" | "templates" | "editions")
            )
        });
        if settings || self.prepared.is_none() {
            return self.rebuild_all(true);
        }
        let content_paths: Vec<&PathBuf> = rel
            .iter()
            .filter(|p| matches!(first(p).as_deref(), Some("content" | "static")))
            .collect();
        if content_paths.is_empty() {
            return Report {
                written: 0,
                full: false,
                elapsed: Duration::ZERO,
                diagnostics: Vec::new(),
                failure: None,
                then: None,
            };
        }
        match self.body_edits(&content_paths) {
            Some(edits) => self.rebuild_docs(edits),
            None => self.rebuild_all(false),
        }
    }

    /// The documents whose bodies alone changed, with their new sources; `None` when a
    /// change needs the whole content reloaded (a new, removed or renamed file, changed
    /// front matter, an asset, `static/`).
    fn body_edits(&self, paths: &[&PathBuf]) -> Option<Vec<content::Source>> {
        let mut edits = Vec::new();
        for path in paths {
            let old = self.content.sources.iter().find(|s| s.file == **path)?;
            let text = std::fs::read_to_string(self.root.join(path)).ok()?;
            let source_lang = self.prepared.as_ref()?.config.source_lang() == &old.lang;
            let new =
                content::parse_source(&old.lang, &old.path, old.file.clone(), &text, source_lang)
                    .ok()?;
            if new.text == old.text {
                continue; // saved without changes
            }
            if new.text[..new.body_start] != old.text[..old.body_start] {
                return None;
            }
            edits.push(new);
        }
        Some(edits)
    }

    /// Reloads content (and, with `settings`, configuration, theme and strings), then
    /// renders every page.
    fn rebuild_all(&mut self, settings: bool) -> Report {
        let started = Instant::now();
        self.pending = None;
        match self.reload(settings) {
            Ok(diagnostics) => Report {
                written: self.files.len(),
                full: true,
                elapsed: started.elapsed(),
                diagnostics,
                failure: None,
                then: None,
            },
            Err(failure) => failed(failure, started),
        }
    }

    /// Runs the whole pipeline and keeps its result; returns its warnings.
    fn reload(&mut self, settings: bool) -> Result<Vec<Diagnostic>, Failure> {
        if settings || self.prepared.is_none() {
            self.prepared = Some(build::prepare(&self.root, &self.options)?);
        }
        let prepared = self.prepared.as_ref().expect("prepared just above");
        let (content, content_diags) = content::load(&self.root, &prepared.config);
        let rendered = build::render(
            &self.root,
            prepared,
            &self.options,
            content.clone(),
            &content_diags,
        )?;
        let copies = build::read_copies(&rendered.copies)?;
        self.files = rendered
            .outputs
            .into_iter()
            .map(|o| (o.path, o.bytes.into()))
            .chain(copies.into_iter().map(|(path, bytes)| (path, bytes.into())))
            .collect();
        self.html = keyed(&rendered.modelled);
        self.parses = parses(&rendered.modelled);
        self.content = content;
        self.content_diags = content_diags;
        Ok(rendered.modelled.diagnostics)
    }

    /// Re-renders edited documents and the pages that show them.
    fn rebuild_docs(&mut self, edits: Vec<content::Source>) -> Report {
        let started = Instant::now();
        match self.rerender(edits) {
            Ok((written, diagnostics)) => Report {
                written,
                full: false,
                elapsed: started.elapsed(),
                diagnostics,
                failure: None,
                then: None,
            },
            Err(failure) => failed(failure, started),
        }
    }

    /// Models the content with `edits` applied, reusing the HTML of every other document,
    /// and renders the pages of the edited ones; returns how many pages and the warnings.
    fn rerender(
        &mut self,
        edits: Vec<content::Source>,
    ) -> Result<(usize, Vec<Diagnostic>), Failure> {
        let prepared = self
            .prepared
            .as_ref()
            .expect("rebuild_docs runs after a good prepare");
        let (content, changed) = with_edits(&self.content, edits);
        let reuse = |site: &crate::site::Site, id: crate::site::DocId| {
            let doc = &site.docs[id];
            let key = (doc.source.lang.clone(), doc.source.path.clone());
            if changed.contains(&key) {
                None
            } else {
                self.html.get(&key).cloned()
            }
        };
        let reparse = |source: &content::Source| {
            let key = (source.lang.clone(), source.path.clone());
            match changed.contains(&key) {
                true => None,
                false => self.parses.get(&key).cloned(),
            }
        };
        let modelled = build::model(
            prepared,
            content.clone(),
            &self.content_diags,
            &self.options,
            &reuse,
            &reparse,
        )?;
        let ids: HashSet<usize> = modelled
            .site
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| changed.contains(&(d.source.lang.clone(), d.source.path.clone())))
            .map(|(i, _)| i)
            .collect();
        let outputs = pages::render_step(
            &modelled.site,
            &prepared.i18n,
            &prepared.renderer,
            &modelled.html,
            Some(&ids),
            pages::Step::Own,
        )
        .map_err(|e| Failure::Operational(anyhow::anyhow!(e)))?;
        let written = outputs.len();
        for o in outputs {
            self.files.insert(o.path, o.bytes.into());
        }
        // Only the edited documents have new HTML and parses: every other one was reused.
        for &id in &ids {
            let doc = &modelled.site.docs[id];
            let key = (doc.source.lang.clone(), doc.source.path.clone());
            self.parses
                .insert(key.clone(), (doc.parsed.clone(), doc.checked.clone()));
            self.html.insert(key, modelled.html[id].clone());
        }
        self.content = content;
        let diagnostics = modelled.diagnostics.clone();
        self.pending = Some((modelled, ids));
        Ok((written, diagnostics))
    }
}

/// `content` with `edits` in place of the sources they replace, and the language and
/// path of each edited document.
fn with_edits(
    content: &Content,
    edits: Vec<content::Source>,
) -> (Content, HashSet<(Lang, DocPath)>) {
    let mut content = content.clone();
    let mut changed = HashSet::new();
    for edit in edits {
        changed.insert((edit.lang.clone(), edit.path.clone()));
        if let Some(s) = content.sources.iter_mut().find(|s| s.file == edit.file) {
            *s = edit;
        }
    }
    (content, changed)
}

/// Each document's HTML by language and path, the key an edit keeps.
fn keyed(modelled: &build::Modelled) -> HashMap<(Lang, DocPath), Arc<DocHtml>> {
    modelled
        .site
        .docs
        .iter()
        .zip(&modelled.html)
        .map(|(d, h)| ((d.source.lang.clone(), d.source.path.clone()), h.clone()))
        .collect()
}

/// Each document's parse by language and path, the key an edit keeps.
fn parses(modelled: &build::Modelled) -> HashMap<(Lang, DocPath), crate::site::Parse> {
    modelled
        .site
        .docs
        .iter()
        .map(|d| {
            (
                (d.source.lang.clone(), d.source.path.clone()),
                (d.parsed.clone(), d.checked.clone()),
            )
        })
        .collect()
}

/// The report of a rebuild that kept the last good site.
pub(crate) fn failed(failure: Failure, started: Instant) -> Report {
    let (diagnostics, failure) = match failure {
        Failure::Config(d) | Failure::Content(d) => (d, None),
        Failure::Operational(e) => (Vec::new(), Some(format!("{e:#}"))),
    };
    Report {
        written: 0,
        full: true,
        elapsed: started.elapsed(),
        diagnostics,
        failure,
        then: None,
    }
}
