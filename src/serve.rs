//! `hearth serve`: builds the site into memory, serves it on localhost, watches the
//! project and rebuilds what each change affects, and tells open pages to reload (or
//! shows them the errors) over Server-Sent Events. The reload script is added to pages as
//! they are served; the built site never contains it.
//!
//! [`Session`] is the rebuild engine, usable without a server: it runs the pipeline of
//! [`crate::build`] and decides what a change needs re-run. [`run`] wires three pieces
//! around it: the watcher (`watch`), the rebuild thread (`Rebuilder`) and the HTTP
//! server (`listen`, and the `http` module for what it answers).

use std::any::Any;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError, RwLock, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::build::{self, Failure, Options, Prepared};
use crate::config::Lang;
use crate::content::{self, Content, DocPath};
use crate::diagnostic::{self, Diagnostic};
use crate::pages::{self, DocHtml};
use crate::project;

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
    files: Files,
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
            files: Files::new(),
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
                Some("hearth.yaml" | "themes" | "locales" | "templates")
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
        match self.reload(settings) {
            Ok(diagnostics) => Report {
                written: self.files.len(),
                full: true,
                elapsed: started.elapsed(),
                diagnostics,
                failure: None,
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
        let rendered = build::render(&self.root, prepared, &self.options)?;
        let copies = build::read_copies(&rendered.copies)?;
        self.files = rendered
            .outputs
            .into_iter()
            .map(|o| (o.path, o.bytes.into()))
            .chain(copies.into_iter().map(|(path, bytes)| (path, bytes.into())))
            .collect();
        self.html = keyed(&rendered.modelled);
        self.content = rendered.content;
        self.content_diags = rendered.content_diags;
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
        let reuse = |doc: &crate::site::Doc| {
            let key = (doc.source.lang.clone(), doc.source.path.clone());
            if changed.contains(&key) {
                None
            } else {
                self.html.get(&key).cloned()
            }
        };
        let modelled = build::model(
            prepared,
            content.clone(),
            &self.content_diags,
            &self.options,
            &reuse,
        )?;
        let ids: HashSet<usize> = modelled
            .site
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| changed.contains(&(d.source.lang.clone(), d.source.path.clone())))
            .map(|(i, _)| i)
            .collect();
        let outputs = pages::render_pages(
            &modelled.site,
            &prepared.i18n,
            &prepared.renderer,
            &modelled.html,
            Some(&ids),
        )
        .map_err(|e| Failure::Operational(anyhow::anyhow!(e)))?;
        let written = outputs.len();
        for o in outputs {
            self.files.insert(o.path, o.bytes.into());
        }
        self.html = keyed(&modelled);
        self.content = content;
        Ok((written, modelled.diagnostics))
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

/// The report of a rebuild that kept the last good site.
fn failed(failure: Failure, started: Instant) -> Report {
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
    }
}

/// What open pages are told.
#[derive(Clone, Debug)]
enum Signal {
    /// The site changed: this is its new build number.
    Reload(u64),
    Failed(Problem),
}

/// What open pages show over the site while it cannot be served as the sources say.
#[derive(Clone, Debug, serde::Serialize)]
struct Problem {
    /// What happened, and what the page shows meanwhile.
    heading: String,
    /// The details, as the terminal shows them without colour.
    text: String,
}

impl Problem {
    /// The errors of a failed build; `last_good` says whether an earlier build is served.
    fn errors(text: String, last_good: bool) -> Problem {
        let heading = if last_good {
            "hearth could not rebuild the site. This page shows the last good build until \
             the problem below is fixed."
        } else {
            "hearth could not build the site. Fix the problem below and save: this page \
             turns into the site by itself."
        };
        Problem {
            heading: heading.to_owned(),
            text,
        }
    }

    /// A panic, `during` what (see [`during`]); `last_good` as for [`Problem::errors`].
    fn bug(during: &str, message: &str, last_good: bool) -> Problem {
        let stays = match last_good {
            true => " The last good site stays up;",
            false => "",
        };
        Problem {
            heading: format!(
                "hearth hit a bug while {during}.{stays} please report it, with the message \
                 below. It is a fault in hearth, not in the content."
            ),
            text: format!(
                "{message}\n\nhearth keeps watching: the next save rebuilds the whole site."
            ),
        }
    }
}

/// What hearth was doing, for a message: "building the site", or "rebuilding after a
/// change to \`content/en/about.md\`" for `changed` paths relative to the project.
fn during(changed: &[PathBuf]) -> String {
    let quoted: Vec<String> = changed
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect();
    match quoted.as_slice() {
        [] => "building the site".to_owned(),
        [one] => format!("rebuilding after a change to {one}"),
        [first @ .., last] if quoted.len() <= 3 => {
            format!(
                "rebuilding after changes to {} and {last}",
                first.join(", ")
            )
        }
        many => format!("rebuilding after changes to {} files", many.len()),
    }
}

/// What the server serves at one moment, swapped whole after each rebuild.
#[derive(Clone, Default)]
struct Served {
    /// The last good site.
    files: Arc<Files>,
    /// Counts the good builds: 0 before the first, one more each time `files` changes.
    /// Each page carries the number it was served at, so a page that was still loading
    /// when a rebuild told the others to reload catches up as soon as it connects.
    build: u64,
    /// Why the site served is not what the sources say, while it is not.
    problem: Option<Problem>,
}

/// What the server shares between requests.
struct Shared {
    served: RwLock<Served>,
    signals: tokio::sync::broadcast::Sender<Signal>,
}

impl Shared {
    fn served(&self) -> Served {
        self.served.read().expect("no writer panics").clone()
    }

    /// Takes in a finished build: a good one becomes the site and reloads open pages (if
    /// it changed anything, or they show errors); a failed one shows its errors over them.
    fn built(&self, report: &Report, session: &Session) {
        let signal = {
            let mut served = self.served.write().expect("no writer panics");
            if report.ok() {
                let was_failing = served.problem.take().is_some();
                if report.written > 0 {
                    served.files = Arc::new(session.files().clone());
                    served.build += 1;
                }
                (report.written > 0 || was_failing).then_some(Signal::Reload(served.build))
            } else {
                let text = failure_text(report).unwrap_or_default();
                let problem = Problem::errors(text, served.build > 0);
                served.problem = Some(problem.clone());
                Some(Signal::Failed(problem))
            }
        };
        if let Some(signal) = signal {
            // No page open is no error.
            let _ = self.signals.send(signal);
        }
    }

    /// Shows a panic over open pages; the last good site stays.
    fn panicked(&self, during: &str, message: &str) {
        let problem = {
            let mut served = self.served.write().expect("no writer panics");
            let problem = Problem::bug(during, message, served.build > 0);
            served.problem = Some(problem.clone());
            problem
        };
        let _ = self.signals.send(Signal::Failed(problem));
    }
}

/// Where and how to serve.
pub struct ServeOptions {
    /// Where to listen; 127.0.0.1 unless the author chose to share the preview.
    pub addr: SocketAddr,
    /// The choices of every build, as for `hearth build`.
    pub build: Options,
}

/// What `run` tells its caller, for the terminal.
pub enum Event {
    /// The server is listening at this address.
    Listening(SocketAddr),
    /// A build or rebuild finished, for these changed paths (empty: the first build).
    Built(Report, Vec<PathBuf>),
    /// The watcher could not watch or reported an error.
    WatchError(String),
    /// hearth panicked: a bug. The last good site stays served, and the next change
    /// rebuilds everything afresh.
    Panicked {
        /// What hearth was doing: `building the site`, `rebuilding after a change to …`.
        during: String,
        /// The panic's message and where in hearth's code it happened.
        message: String,
    },
}

/// Builds, serves and watches until Ctrl-C. `report` hears about each step.
pub fn run(
    root: &Path,
    options: ServeOptions,
    report: impl Fn(Event) + Send + Sync + 'static,
) -> Result<()> {
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot find the project folder `{}`", root.display()))?;
    let (signals, _) = tokio::sync::broadcast::channel(16);
    let shared = Arc::new(Shared {
        served: RwLock::new(Served::default()),
        signals,
    });
    let report: Reporter = Arc::new(report);
    let mut rebuilder = Rebuilder {
        root: root.clone(),
        options: options.build,
        session: None,
        shared: shared.clone(),
        report: report.clone(),
    };
    rebuilder.rebuild(Vec::new());
    let (watcher, changes) = watch(&root, report.clone())?;
    std::thread::spawn(move || rebuilder.run(watcher, changes));
    listen(options.addr, shared, report)
}

/// Tells `main` what happens, from the rebuild thread, the watcher and the server.
type Reporter = Arc<dyn Fn(Event) + Send + Sync>;

/// The rebuild thread's state: the session, and where its results go.
struct Rebuilder {
    root: PathBuf,
    options: Options,
    /// `None` before the first build and after a panic, until the next change builds a
    /// fresh session.
    session: Option<Session>,
    shared: Arc<Shared>,
    report: Reporter,
}

impl Rebuilder {
    /// Rebuilds for each batch of changes until the watcher stops. Rebuilding on a thread
    /// of its own leaves the server free: it only reads the result.
    fn run(mut self, mut watcher: Watched, changes: mpsc::Receiver<Vec<PathBuf>>) {
        while let Some(paths) = next_batch(&changes, &self.root) {
            // A folder made after the start (a first `templates/`, say) is watched from now on.
            if let Err(e) = watcher.watch_new_dirs() {
                (self.report)(Event::WatchError(e));
            }
            self.rebuild(paths);
        }
    }

    /// Builds the site (no `paths`, or no session yet) or updates it for `paths`, and
    /// hands the result to the server and the terminal.
    fn rebuild(&mut self, paths: Vec<PathBuf>) {
        let changed: Vec<PathBuf> = paths
            .iter()
            .map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf())
            .collect();
        // The session is taken out for the rebuild: a panic drops it with whatever state
        // it was left in, and the next change starts afresh.
        let previous = self.session.take();
        let result = contained(|| {
            #[cfg(debug_assertions)]
            panic_if_asked(&changed);
            match previous {
                Some(mut current) => {
                    let report = current.apply(&paths);
                    (current, report)
                }
                None => Session::start(&self.root, self.options.clone()),
            }
        });
        match result {
            Ok((session, report)) => {
                self.shared.built(&report, &session);
                self.session = Some(session);
                (self.report)(Event::Built(report, paths));
            }
            Err(message) => {
                let during = during(&changed);
                self.shared.panicked(&during, &message);
                (self.report)(Event::Panicked { during, message });
            }
        }
    }
}

/// The next batch of changes that can change the site: every batch waiting, sorted and
/// without repeats, so a burst of saves makes one rebuild. `None` once the watcher is gone.
fn next_batch(changes: &mpsc::Receiver<Vec<PathBuf>>, root: &Path) -> Option<Vec<PathBuf>> {
    loop {
        let mut paths = changes.recv().ok()?;
        while let Ok(more) = changes.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        paths.retain(|p| can_change_the_site(root, p));
        if !paths.is_empty() {
            return Some(paths);
        }
    }
}

/// Whether a change to `path` can change the site: `hearth.yaml`, or a file that counts
/// (the same rule `build` reads by) in one of the project's folders.
fn can_change_the_site(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    if rel == Path::new("hearth.yaml") {
        return true;
    }
    let rel = rel.to_string_lossy().replace('\\', "/");
    project::FOLDERS.iter().any(|d| {
        rel.strip_prefix(d)
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
    }) && !project::is_ignored(&rel)
}

/// Starts watching the project; batches of changed paths arrive on the receiver.
fn watch(root: &Path, report: Reporter) -> Result<(Watched, mpsc::Receiver<Vec<PathBuf>>)> {
    // The debouncer gathers a burst of saves into one batch of paths.
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(15),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| match result {
            Ok(events) => {
                let paths = changed_paths(events);
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
            Err(errors) => {
                for e in errors {
                    report(Event::WatchError(e.to_string()));
                }
            }
        },
    )
    .context("cannot start watching the project's files")?;
    debouncer
        .watch(root, notify::RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch `{}`", root.display()))?;
    let mut watcher = Watched {
        debouncer,
        root: root.to_path_buf(),
        dirs: HashSet::new(),
    };
    watcher.watch_new_dirs().map_err(anyhow::Error::msg)?;
    Ok((watcher, rx))
}

/// The paths that the watcher's events say changed.
fn changed_paths(events: Vec<notify_debouncer_full::DebouncedEvent>) -> Vec<PathBuf> {
    events
        .into_iter()
        // Reading files (our own rebuilds do) is not a change.
        .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
        .flat_map(|e| {
            // A rescan means events were lost: treat it as a settings change.
            if e.need_rescan() {
                vec![PathBuf::from("hearth.yaml")]
            } else {
                e.event.paths
            }
        })
        .collect()
}

/// Serves `shared` on `addr` until Ctrl-C.
fn listen(addr: SocketAddr, shared: Arc<Shared>, report: Reporter) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the web server")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
            format!(
                "cannot listen on {addr}\nhint: another program may use that port; try `hearth serve --port {}`",
                addr.port().wrapping_add(1).max(1024)
            )
        })?;
        let addr = listener.local_addr().context("cannot read the server's address")?;
        report(Event::Listening(addr));
        axum::serve(listener, http::router(shared))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the web server stopped")
    })
}

/// The watcher and the folders it watches recursively.
struct Watched {
    debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: PathBuf,
    dirs: HashSet<&'static str>,
}

impl Watched {
    /// Starts watching each of the project's folders that exists and is not watched yet.
    fn watch_new_dirs(&mut self) -> Result<(), String> {
        for dir in project::FOLDERS {
            let path = self.root.join(dir);
            if !self.dirs.contains(&dir) && path.is_dir() {
                self.debouncer
                    .watch(&path, notify::RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch `{}`: {e}", path.display()))?;
                self.dirs.insert(dir);
            }
        }
        Ok(())
    }
}

/// The errors of a failed build as plain text, for the page overlay.
fn failure_text(report: &Report) -> Option<String> {
    if report.ok() {
        return None;
    }
    let mut text: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false))
        .collect();
    if let Some(f) = &report.failure {
        text.push(format!("error: {f}"));
    }
    if let Some(summary) = diagnostic::summary(&report.diagnostics) {
        text.push(summary);
    }
    Some(text.join("\n\n"))
}

/// Runs a build or rebuild, turning a panic (a bug in hearth) into its message and
/// where it happened, so serve keeps the last good site and keeps watching.
///
/// Panics there are told once, by the caller, instead of by Rust's default hook (which
/// would print them, and a backtrace hint, over the terminal's output). The rebuild
/// runs here and on rayon's workers, so the hook keeps quiet for those threads while a
/// rebuild runs; panics anywhere else still reach the default hook. Rebuilds run one at
/// a time.
fn contained<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let ours = CONTAINING.with(Cell::get)
                || (REBUILDING.load(Ordering::SeqCst) && rayon::current_thread_index().is_some());
            if !ours {
                return default(info);
            }
            let mut caught = CAUGHT.lock().unwrap_or_else(PoisonError::into_inner);
            if caught.is_none() {
                let place = info
                    .location()
                    .map(|l| format!(" (at {}:{}:{})", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                *caught = Some(format!("{}{place}", panic_message(info.payload())));
            }
        }));
    });
    *CAUGHT.lock().unwrap_or_else(PoisonError::into_inner) = None;
    CONTAINING.with(|c| c.set(true));
    REBUILDING.store(true, Ordering::SeqCst);
    // Unwind safety: the caller keeps nothing a panic could leave half-changed (the
    // session is handed in by value and dropped with the panic).
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    REBUILDING.store(false, Ordering::SeqCst);
    CONTAINING.with(|c| c.set(false));
    let caught = CAUGHT.lock().unwrap_or_else(PoisonError::into_inner).take();
    result.map_err(|payload| caught.unwrap_or_else(|| panic_message(&*payload).to_owned()))
}

thread_local! {
    /// Whether the current thread runs [`contained`] work.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}
/// Whether [`contained`] work runs, so rayon's workers run it too.
static REBUILDING: AtomicBool = AtomicBool::new(false);
/// The first panic of the contained work, told by the hook.
static CAUGHT: Mutex<Option<String>> = Mutex::new(None);

/// A panic's message: `panic!` makes it a `&str` or a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// Lets a test see serve survive a bug in hearth: in a debug build (what `cargo test`
/// runs), `HEARTH_TEST_PANIC_ON=about.md` in the environment makes a rebuild after a
/// change to a file of that name panic, on a rayon worker as a panic while rendering
/// would. Release builds have no such switch, and no content can reach it.
#[cfg(debug_assertions)]
fn panic_if_asked(changed: &[PathBuf]) {
    let Some(name) = std::env::var_os("HEARTH_TEST_PANIC_ON") else {
        return;
    };
    if changed
        .iter()
        .any(|p| p.file_name() == Some(name.as_os_str()))
    {
        rayon::join(
            || panic!("HEARTH_TEST_PANIC_ON names `{}`", name.to_string_lossy()),
            || (),
        );
    }
}

mod http {
    //! The HTTP side: files from memory, the reload script, and the events stream.

    use std::convert::Infallible;
    use std::sync::Arc;

    use axum::Router;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode, Uri, header};
    use axum::response::sse::{Event, KeepAlive, Sse};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use futures_util::StreamExt;
    use futures_util::stream::{self, Stream};

    use super::{Problem, Served, Shared, Signal};
    use crate::markdown::escape;

    const EVENTS: &str = "/__hearth/events";

    /// How the errors look over a page, and on the page served before any good build.
    const OVERLAY_CSS: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;background:#1d1410f0;color:#fff;font:16px/1.5 ui-monospace,Menlo,Consolas,monospace";
    const HEADING_CSS: &str = "font:bold 18px system-ui,sans-serif;color:#ffd9b3";

    /// Reloads the page when the site changes; shows a [`super::Problem`] over it (in
    /// `#hearth-overlay`, made if the page has none) when a change breaks the build.
    /// `BUILD` becomes the build number the page was served at.
    const SCRIPT: &str = r#"<script>(function(){
var es=new EventSource("/__hearth/events?build=BUILD");
es.addEventListener("reload",function(){location.reload()});
es.addEventListener("failed",function(e){var t=JSON.parse(e.data),d=document.getElementById("hearth-overlay");
if(!d){d=document.createElement("div");d.id="hearth-overlay";d.setAttribute("role","alert");d.style.cssText="OVERLAY_CSS";document.body.appendChild(d)}
d.textContent="";var h=document.createElement("p");h.style.cssText="HEADING_CSS";h.textContent=t.heading;
var p=document.createElement("pre");p.style.whiteSpace="pre-wrap";p.textContent=t.text;d.appendChild(h);d.appendChild(p)})})();
</script>"#;

    /// The reload script for a page of build `build`.
    fn script(build: u64) -> String {
        SCRIPT
            .replace("OVERLAY_CSS", OVERLAY_CSS)
            .replace("HEADING_CSS", HEADING_CSS)
            .replace("BUILD", &build.to_string())
    }

    /// The events stream at [`EVENTS`], and every other path a file of the site.
    pub(super) fn router(shared: Arc<Shared>) -> Router {
        Router::new()
            .route(EVENTS, get(events))
            .fallback(get(file))
            .with_state(shared)
    }

    /// The events stream. A page names the build it shows (`?build=N`): if the site has
    /// changed since, or is broken, it hears so at once rather than at the next change.
    async fn events(
        State(shared): State<Arc<Shared>>,
        uri: Uri,
    ) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
        // Subscribe first, so no change falls between reading the state and listening.
        let receiver = shared.signals.subscribe();
        let served = shared.served();
        let shown = uri
            .query()
            .into_iter()
            .flat_map(|q| q.split('&'))
            .find_map(|pair| pair.strip_prefix("build="))
            .and_then(|n| n.parse::<u64>().ok());
        let first = match (&served.problem, shown) {
            (Some(problem), _) => Some(failed_event(problem)),
            (None, Some(shown)) if shown != served.build => Some(reload_event(served.build)),
            _ => None,
        };
        let updates = stream::unfold(receiver, |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Signal::Reload(build)) => return Some((reload_event(build), receiver)),
                    Ok(Signal::Failed(problem)) => return Some((failed_event(&problem), receiver)),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
        Sse::new(stream::iter(first).chain(updates).map(Ok)).keep_alive(KeepAlive::default())
    }

    /// `event: reload` with the new build number as its data. Browsers drop an event
    /// whose data is empty without telling its listeners, so it must never be.
    fn reload_event(build: u64) -> Event {
        Event::default().event("reload").data(build.to_string())
    }

    /// `event: failed` with the [`Problem`] as JSON.
    fn failed_event(problem: &Problem) -> Event {
        let json = serde_json::to_string(problem).expect("two strings always serialize");
        Event::default().event("failed").data(json)
    }

    /// A file of the site, with the reload script added to pages; before any good build,
    /// the errors instead.
    async fn file(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
        let served = shared.served();
        let files = &served.files;
        let path = percent_decode(uri.path().trim_start_matches('/'));
        if path.split('/').any(|p| p == "..") {
            return StatusCode::BAD_REQUEST.into_response();
        }
        let wants_html = wants_html(&path, &headers);
        if served.build == 0 {
            return no_site_yet(&served, wants_html);
        }
        let mut key = path.clone();
        if key.is_empty() || key.ends_with('/') {
            key.push_str("index.html");
        }
        if !files.contains_key(&key) && files.contains_key(&format!("{key}/index.html")) {
            // `/en/about` -> `/en/about/`, so relative links inside the page resolve.
            let location = format!("/{path}/");
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        let (status, key) = match files.contains_key(&key) {
            true => (StatusCode::OK, key),
            false => (StatusCode::NOT_FOUND, "404.html".to_owned()),
        };
        let Some(bytes) = files.get(&key) else {
            return not_found(&path, served.build, wants_html);
        };
        let mime = content_type(&key);
        let body: Vec<u8> = if mime.starts_with("text/html") {
            inject(bytes, served.build)
        } else {
            bytes.to_vec()
        };
        (
            status,
            [
                (header::CONTENT_TYPE, mime.as_str()),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response()
    }

    /// The answer for a path the site has no file at, when it has no `404.html` either.
    fn not_found(path: &str, build: u64, wants_html: bool) -> Response {
        if !wants_html {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
        let page = page(
            "Not found",
            &format!(
                "<h1>Not found</h1><p>This site has no page at <code>/{}</code>.</p><p><a href=\"/\">The home page</a></p>",
                escape(path)
            ),
            build,
        );
        html(StatusCode::NOT_FOUND, page)
    }

    /// The answer while no build has succeeded. Pages get a page that shows the errors,
    /// readable without scripts, and reloads into the site once a save fixes them; other
    /// files get the errors as text.
    ///
    /// The status is 503, not 200: it is true (there is no site to serve yet, only for a
    /// while), browsers show the page of a 503 just as they show any other, and tools
    /// that fetch from the preview (`curl --fail`, a link checker, a script waiting for
    /// the site to come up) do not mistake the errors for the page they asked for.
    fn no_site_yet(served: &Served, wants_html: bool) -> Response {
        let problem = served.problem.clone().unwrap_or_else(|| Problem {
            heading: "hearth has no site to show yet.".to_owned(),
            text: String::new(),
        });
        if !wants_html {
            let text = format!("{}\n\n{}\n", problem.heading, problem.text);
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                text,
            )
                .into_response();
        }
        let body = format!(
            "<div id=\"hearth-overlay\" role=\"alert\" style=\"{OVERLAY_CSS}\"><p style=\"{HEADING_CSS}\">{}</p><pre style=\"white-space:pre-wrap\">{}</pre></div>",
            escape(&problem.heading),
            escape(&problem.text)
        );
        html(
            StatusCode::SERVICE_UNAVAILABLE,
            page("The site has errors", &body, served.build),
        )
    }

    /// Whether a request is for a page: it asks for HTML, or its path names a folder or
    /// an `.html` file, or has no extension at all.
    fn wants_html(path: &str, headers: &HeaderMap) -> bool {
        let accepts = headers
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        let last = path.rsplit('/').next().unwrap_or_default();
        accepts || !last.contains('.') || content_type(last).starts_with("text/html")
    }

    /// A small page of hearth's own, with the reload script.
    fn page(title: &str, body: &str, build: u64) -> String {
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · hearth serve</title></head>\n<body>{body}{}</body></html>\n",
            script(build)
        )
    }

    fn html(status: StatusCode, page: String) -> Response {
        (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            page,
        )
            .into_response()
    }

    /// The page with the reload script before `</body>`.
    fn inject(html: &[u8], build: u64) -> Vec<u8> {
        let text = String::from_utf8_lossy(html);
        let script = script(build);
        match text.rfind("</body>") {
            Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
            None => format!("{text}{script}").into_bytes(),
        }
    }

    /// The `Content-Type` of a file, by its extension, from `mime_guess`; text in
    /// UTF-8, which is what hearth writes and what its projects are asked to hold.
    fn content_type(path: &str) -> String {
        let ext = path
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        let guess = match ext.as_str() {
            // mime_guess says `text/xml`; hearth has always served its sitemap and feeds
            // as `application/xml` (RFC 7303's choice), and `hearth build` hosts do too.
            "xml" => return "application/xml; charset=utf-8".to_owned(),
            // mime_guess still gives the names fonts had before RFC 8081 registered
            // `font/*`; browsers and hosts use the registered ones.
            "woff" => "font/woff",
            "otf" => "font/otf",
            _ => mime_guess::from_ext(&ext)
                .first_raw()
                .unwrap_or("application/octet-stream"),
        };
        match guess.starts_with("text/") {
            true => format!("{guess}; charset=utf-8"),
            false => guess.to_owned(),
        }
    }

    /// The request path decoded (`%C3%B3` and the like); invalid sequences stay as
    /// they are, invalid UTF-8 becomes U+FFFD.
    fn percent_decode(path: &str) -> String {
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn accented_paths_decode() {
            assert_eq!(percent_decode("es/lecci%C3%B3n/"), "es/lección/");
            assert_eq!(percent_decode("a%2"), "a%2");
            assert_eq!(percent_decode("a%zz%41"), "a%zzA");
            assert_eq!(percent_decode("a%FF"), "a\u{fffd}");
        }

        /// The types the hand-written table gave before `mime_guess`, which stay.
        #[test]
        fn content_types_stay_as_they_were() {
            for (path, expected) in [
                ("index.html", "text/html; charset=utf-8"),
                ("a/style.CSS", "text/css; charset=utf-8"),
                ("app.js", "text/javascript; charset=utf-8"),
                ("sitemap.xml", "application/xml; charset=utf-8"),
                ("data.json", "application/json"),
                ("robots.txt", "text/plain; charset=utf-8"),
                ("logo.svg", "image/svg+xml"),
                ("a.png", "image/png"),
                ("a.jpg", "image/jpeg"),
                ("a.jpeg", "image/jpeg"),
                ("a.gif", "image/gif"),
                ("a.webp", "image/webp"),
                ("a.avif", "image/avif"),
                ("favicon.ico", "image/x-icon"),
                ("handout.pdf", "application/pdf"),
                ("font.woff2", "font/woff2"),
                ("a.mp3", "audio/mpeg"),
                ("a.mp4", "video/mp4"),
                ("messages.ftl", "application/octet-stream"),
                ("no-extension", "application/octet-stream"),
            ] {
                assert_eq!(content_type(path), expected, "{path}");
            }
        }

        /// Types the table did not know, served as `application/octet-stream` before.
        #[test]
        fn content_types_the_table_did_not_know() {
            for (path, expected) in [
                ("font.woff", "font/woff"),
                ("font.otf", "font/otf"),
                ("font.ttf", "font/ttf"),
                ("module.mjs", "application/javascript"),
                ("site.webmanifest", "application/manifest+json"),
                ("notes.md", "text/markdown; charset=utf-8"),
                ("page.htm", "text/html; charset=utf-8"),
            ] {
                assert_eq!(content_type(path), expected, "{path}");
            }
        }

        #[test]
        fn the_script_goes_before_the_body_ends() {
            let page = String::from_utf8(inject(b"<body><p>x</p></body></html>", 3)).unwrap();
            assert!(page.starts_with("<body><p>x</p><script>"));
            assert!(page.ends_with("</script></body></html>"));
            assert!(page.contains("/__hearth/events?build=3"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_build_reads_trigger_a_rebuild() {
        let root = Path::new("/home/ana/.toolkits/ours");
        for (rel, counts) in [
            ("hearth.yaml", true),
            ("content/en/about.md", true),
            ("content", true),
            ("locales/es.ftl", true),
            ("static/logo.png", true),
            ("content/en/about.md~", false),
            ("content/en/.about.md.swp", false),
            ("content/en/#about.md#", false),
            ("templates/4913", false),
            ("contents/en/about.md", false),
            ("public/index.html", false),
            ("notes.txt", false),
        ] {
            assert_eq!(can_change_the_site(root, &root.join(rel)), counts, "{rel}");
        }
        // A lost-events rescan stands in as a settings change.
        assert!(can_change_the_site(root, Path::new("hearth.yaml")));
    }

    #[test]
    fn messages_name_what_was_being_built() {
        let paths = |names: &[&str]| names.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(during(&[]), "building the site");
        assert_eq!(
            during(&paths(&["content/en/about.md"])),
            "rebuilding after a change to `content/en/about.md`"
        );
        assert_eq!(
            during(&paths(&["a.md", "b.md", "c.md"])),
            "rebuilding after changes to `a.md`, `b.md` and `c.md`"
        );
        assert_eq!(
            during(&paths(&["a.md", "b.md", "c.md", "d.md"])),
            "rebuilding after changes to 4 files"
        );
    }

    #[test]
    fn a_contained_panic_becomes_its_message_and_place() {
        let caught = contained(|| -> u8 { panic!("a bug") }).unwrap_err();
        assert!(caught.starts_with("a bug (at src/serve.rs:"), "{caught}");
        let caught = contained(|| rayon::join(|| panic!("on a worker"), || ())).unwrap_err();
        assert!(
            caught.starts_with("on a worker (at src/serve.rs:"),
            "{caught}"
        );
        assert_eq!(contained(|| 7), Ok(7));
    }
}
