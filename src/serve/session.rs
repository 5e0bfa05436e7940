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
    /// A good partial rebuild whose warnings are not known yet, or are none.
    fn partial(written: usize, elapsed: Duration) -> Report {
        Report {
            written,
            full: false,
            elapsed,
            diagnostics: Vec::new(),
            failure: None,
            then: None,
        }
    }

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
    files: Files,
    /// The files of the last change, when it failed (relative to the root).
    retry: Vec<PathBuf>,
    /// The model of the site served, once [`Session::finish`] has confirmed it: an edit to
    /// a document's text is spliced into it, and a full model reuses every other
    /// document's parse and HTML from it.
    last: Option<build::Modelled>,
    /// What [`Session::apply_first`] left for [`Session::finish`].
    pending: Option<Pending>,
}

/// The work [`Session::finish`] does after [`Session::apply_first`].
enum Pending {
    /// The edited documents' own pages are served from a full model; the pages that
    /// gather many modules and the search indexes wait.
    Gathering(Box<build::Modelled>, HashSet<usize>),
    /// The edited documents were spliced into the last model and their own pages served;
    /// a full model is still to confirm them (or correct them, or report an error only it
    /// finds), then the gathering pages follow.
    Confirm {
        edits: Vec<content::Source>,
        undo: Undo,
    },
}

/// What a splice replaced, to put back when the full model finds an error.
struct Undo {
    /// Each page served by the splice, with what was served before (`None`: nothing).
    files: Vec<(String, Option<Arc<[u8]>>)>,
    /// Each spliced document's id, with its previous document and HTML.
    docs: Vec<(usize, crate::site::Doc, Arc<DocHtml>)>,
}

/// What [`Session::finish`] did.
#[derive(Debug)]
pub struct Finished {
    /// Files written: gathering pages and search indexes, and any page of the first step
    /// that the full model corrected.
    pub written: usize,
    /// The full model's warnings, after a splice whose first report could not know them.
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// Of the pages a splice served, how many the full model rendered otherwise (and
    /// replaced): none, while the splice's checks are right.
    pub corrected: usize,
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
            files: Files::new(),
            retry: Vec::new(),
            last: None,
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
                Ok(finished) => {
                    report.written += finished.written;
                    if let Some(diagnostics) = finished.diagnostics {
                        report.diagnostics = diagnostics;
                    }
                }
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

    /// Does what [`Session::apply_first`] left: confirms a splice with a full model, then
    /// renders the pages that gather the edited documents among many (binders, the
    /// all-handouts packet) and the search indexes of their languages. `None` when nothing
    /// was left.
    ///
    /// When the full model finds an error the splice could not see (a link elsewhere to a
    /// heading the edit removed, say), the pages the splice served are put back as they
    /// were, and the error returned.
    pub fn finish(&mut self) -> Option<Result<Finished, Failure>> {
        let (modelled, ids, corrected, diagnostics) = match self.pending.take()? {
            Pending::Gathering(modelled, ids) => (*modelled, ids, 0, None),
            Pending::Confirm { edits, undo } => {
                let edits_files: Vec<PathBuf> = edits.iter().map(|e| e.file.clone()).collect();
                let spliced: Vec<(String, Option<Arc<[u8]>>)> = undo
                    .files
                    .iter()
                    .map(|(path, _)| (path.clone(), self.files.get(path).cloned()))
                    .collect();
                match self.rerender(edits) {
                    Ok((_, diagnostics)) => {
                        let Some(Pending::Gathering(modelled, ids)) = self.pending.take() else {
                            unreachable!("a good rerender leaves the gathering pages pending");
                        };
                        let corrected = spliced
                            .iter()
                            .filter(|(path, bytes)| self.files.get(path) != bytes.as_ref())
                            .count();
                        (*modelled, ids, corrected, Some(diagnostics))
                    }
                    Err(failure) => {
                        self.undo(undo);
                        self.retry.extend(edits_files);
                        return Some(Err(failure));
                    }
                }
            }
        };
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
        let written = outputs.len() + corrected;
        for o in outputs {
            self.files.insert(o.path, o.bytes.into());
        }
        self.last = Some(modelled);
        Some(Ok(Finished {
            written,
            diagnostics,
            corrected,
        }))
    }

    /// Puts back what a splice replaced.
    fn undo(&mut self, undo: Undo) {
        for (path, bytes) in undo.files {
            match bytes {
                Some(bytes) => self.files.insert(path, bytes),
                None => self.files.remove(&path),
            };
        }
        if let Some(last) = &mut self.last {
            for (id, doc, html) in undo.docs {
                last.site.docs[id] = doc;
                last.html[id] = html;
            }
        }
    }

    /// Updates the site for changes to `paths` as far as the author is looking: a change
    /// to a document's text renders that document's own pages and its module's, and
    /// leaves the pages that gather many modules and the search indexes to
    /// [`Session::finish`]. Any other change rebuilds everything.
    pub fn apply_first(&mut self, paths: &[PathBuf]) -> Report {
        // The files of a change that failed are read again with this one: the site stays
        // failed until they are fixed, whatever else the author saves meanwhile.
        let mut all = std::mem::take(&mut self.retry);
        for path in paths {
            let path = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
            if !all.contains(&path) {
                all.push(path);
            }
        }
        let report = self.apply_paths(&all);
        if !report.ok() {
            // Beside any that a confirmation failing on the way put there.
            self.retry.extend(all);
            self.retry.sort();
            self.retry.dedup();
        }
        report
    }

    /// [`Session::apply_first`] for `paths`, relative to the root.
    fn apply_paths(&mut self, paths: &[PathBuf]) -> Report {
        // Work an earlier change left is done first, so nothing is lost.
        if let Some(Err(failure)) = self.finish() {
            return failed(failure, Instant::now());
        }
        let first = |p: &PathBuf| {
            p.components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
        };
        let settings = paths.iter().any(|p| {
            matches!(
                first(p).as_deref(),
                Some("hearth.yaml" | "themes" | "locales" | "templates" | "editions")
            )
        });
        if settings || self.prepared.is_none() {
            return self.rebuild_all(true);
        }
        let content_paths: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| matches!(first(p).as_deref(), Some("content" | "static")))
            .collect();
        if content_paths.is_empty() {
            return Report::partial(0, Duration::ZERO);
        }
        match self.body_edits(&content_paths) {
            Some(edits) => match self.splice(&edits) {
                Some(report) => report,
                None => self.rebuild_docs(edits),
            },
            None => self.rebuild_all(false),
        }
    }

    /// The documents whose bodies alone changed, with their new sources; `None` when a
    /// change needs the whole content reloaded (a new, removed or renamed file, changed
    /// front matter, an asset, `static/`).
    fn body_edits(&self, paths: &[&PathBuf]) -> Option<Vec<content::Source>> {
        let mut edits = Vec::new();
        for path in paths {
            // Compared as bytes: comparing paths component by component is slow over
            // thousands of sources.
            let old = self
                .content
                .sources
                .iter()
                .find(|s| s.file.as_os_str() == path.as_os_str())?;
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
        crate::pictures::make(&self.root, &rendered.variants)?;
        let copies = build::read_copies(&rendered.copies)?;
        self.files = rendered
            .outputs
            .into_iter()
            .map(|o| (o.path, o.bytes.into()))
            .chain(copies.into_iter().map(|(path, bytes)| (path, bytes.into())))
            .collect();
        self.content = content;
        self.content_diags = content_diags;
        let diagnostics = rendered.modelled.diagnostics.clone();
        self.last = Some(rendered.modelled);
        Ok(diagnostics)
    }

    /// Splices edits to documents' text into the last model and serves their own pages,
    /// leaving [`Session::finish`] to confirm them with a full model. `None`, with the
    /// model as it was, when an edit may change more than its own pages or brings an
    /// error: a changed agenda (an activity's title or minutes), changed headings or
    /// `#anchor` links, a block or link error. Those take the full model first.
    fn splice(&mut self, edits: &[content::Source]) -> Option<Report> {
        let started = Instant::now();
        if edits.is_empty() {
            // Saved without changes: nothing to render, nothing to confirm.
            return Some(Report::partial(0, started.elapsed()));
        }
        let prepared = self.prepared.as_ref()?;
        let last = self.last.as_mut()?;
        let mut ids = Vec::new();
        for edit in edits {
            // A placeholder translation is left out of the model: a whole rebuild says so.
            if edit.is_placeholder() {
                return None;
            }
            let id = last.site.doc_id(&edit.lang, &edit.path)?;
            if last.site.docs[id].source.file != edit.file || ids.contains(&id) {
                return None;
            }
            ids.push(id);
        }
        let mut undo = Undo {
            files: Vec::new(),
            docs: Vec::new(),
        };
        let mut fits = true;
        for (edit, &id) in edits.iter().zip(&ids) {
            let (parsed, checked) = crate::site::parse_one(edit);
            let old = &last.site.docs[id];
            fits &= !parsed.diagnostics.iter().any(Diagnostic::is_error)
                && !checked.iter().any(Diagnostic::is_error)
                && same_agenda(&old.parsed.activities(), &parsed.activities())
                && old.parsed.formats() == parsed.formats();
            if !fits {
                break;
            }
            let doc = crate::site::Doc {
                source: edit.clone(),
                url: old.url.clone(),
                parsed,
                checked,
            };
            let old = std::mem::replace(&mut last.site.docs[id], doc);
            undo.docs.push((id, old, last.html[id].clone()));
        }
        if fits {
            for &id in &ids {
                let html = pages::render_doc(&last.site, &prepared.i18n, id);
                fits &= same_outline(&last.html[id], &html) && links_hold(&last.html, &html);
                last.html[id] = html;
            }
        }
        let outputs = match fits {
            true => pages::render_step(
                &last.site,
                &prepared.i18n,
                &prepared.renderer,
                &last.html,
                Some(&ids.iter().copied().collect()),
                pages::Step::Own,
            )
            .ok(),
            false => None,
        };
        let Some(outputs) = outputs else {
            self.undo(undo);
            return None;
        };
        let written = outputs.len();
        for o in outputs {
            let before = self.files.insert(o.path.clone(), o.bytes.into());
            undo.files.push((o.path, before));
        }
        self.pending = Some(Pending::Confirm {
            edits: edits.to_vec(),
            undo,
        });
        // No diagnostics: the splice found no error, and `finish` reports the full model's.
        Some(Report::partial(written, started.elapsed()))
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
        // An unchanged document's place in the last model, whose parse and HTML stay good.
        let unchanged = |source: &content::Source| {
            if changed.contains(&(source.lang.clone(), source.path.clone())) {
                return None;
            }
            let last = self.last.as_ref()?;
            Some((last, last.site.doc_id(&source.lang, &source.path)?))
        };
        let reuse = |site: &crate::site::Site, id: crate::site::DocId| {
            unchanged(&site.docs[id].source).map(|(last, id)| last.html[id].clone())
        };
        let reparse = |source: &content::Source| {
            let (last, id) = unchanged(source)?;
            let doc = &last.site.docs[id];
            Some((doc.parsed.clone(), doc.checked.clone()))
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
        self.content = content;
        let diagnostics = modelled.diagnostics.clone();
        self.pending = Some(Pending::Gathering(Box::new(modelled), ids));
        Ok((written, diagnostics))
    }
}

/// Whether two agendas show the same: the same activities, titles and minutes, in the same
/// formats (their lines may move).
fn same_agenda(old: &[crate::markdown::Activity], new: &[crate::markdown::Activity]) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| (&a.title, a.minutes, a.format) == (&b.title, b.minutes, b.format))
}

/// Whether a document's new HTML keeps what other pages and checks read of it: the same
/// headings (other documents link to them), and no error of its own.
fn same_outline(old: &DocHtml, new: &DocHtml) -> bool {
    old.renderings().count() == new.renderings().count()
        && old
            .renderings()
            .zip(new.renderings())
            .all(|(a, b)| a.headings == b.headings)
        && !new
            .renderings()
            .any(|r| r.diagnostics.iter().any(Diagnostic::is_error))
}

/// Whether every `#anchor` link in `new` names a heading its document has.
fn links_hold(html: &[Arc<DocHtml>], new: &DocHtml) -> bool {
    new.renderings().flat_map(|r| &r.anchor_links).all(|link| {
        html.get(link.doc)
            .and_then(|h| h.renderings().next())
            .is_some_and(|r| r.headings.iter().any(|h| h.id == link.anchor))
    })
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
