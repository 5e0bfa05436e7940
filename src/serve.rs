//! `hearth serve`: builds the site into memory, serves it on localhost, watches the
//! project and rebuilds what each change affects, and tells open pages to reload (or
//! shows them the errors) over Server-Sent Events. The reload script is added to pages as
//! they are served; the built site never contains it.
//!
//! [`Session`] (in `session`) is the rebuild engine, usable without a server: it runs the
//! pipeline of [`crate::build`] and decides what a change needs re-run. [`run`] wires
//! three pieces around it: the watcher (`watch`), the rebuild thread (`Rebuilder`, here,
//! which runs each rebuild `contain`ed so a bug in hearth cannot stop the preview) and the
//! HTTP server (`listen`, and the `http` module for what it answers).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};

use anyhow::{Context as _, Result};

use crate::build::Options;
use crate::diagnostic;

mod contain;
mod http;
mod session;
mod watch;

pub use session::{Files, Report, Session};

use contain::contained;
#[cfg(debug_assertions)]
use contain::panic_if_asked;
use watch::{Watched, next_batch, watch};

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
    /// Whether the pages that gather many modules (binders, the all-handouts packet) and
    /// the search indexes are still being rendered after an edit. A request for one waits
    /// for them (see [`Shared::settled`]), so no page is ever served out of date.
    pending: bool,
}

/// What the server shares between requests.
struct Shared {
    served: RwLock<Served>,
    signals: tokio::sync::broadcast::Sender<Signal>,
    /// Told each time the pending pages are done (or given up).
    settled: tokio::sync::watch::Sender<u64>,
}

impl Shared {
    fn served(&self) -> Served {
        self.served.read().expect("no writer panics").clone()
    }

    /// The site as served once no pages are pending: for a request for a page that
    /// gathers many modules, which must not show the text from before an edit.
    async fn settled(&self) -> Served {
        let mut settled = self.settled.subscribe();
        loop {
            let served = self.served();
            if !served.pending {
                return served;
            }
            if settled.changed().await.is_err() {
                return self.served();
            }
        }
    }

    /// Takes in the pending pages once rendered (or, with `session` `None`, gives them
    /// up after a panic), and lets the requests waiting for them go on; with `reload`,
    /// open pages reload too (the full model corrected a page served before it).
    fn finished(&self, session: Option<&Session>, reload: bool) {
        let build = {
            let mut served = self.served.write().expect("no writer panics");
            if let Some(session) = session {
                served.files = Arc::new(session.files().clone());
            }
            served.pending = false;
            if reload {
                served.build += 1;
            }
            served.build
        };
        self.settled.send_modify(|n| *n += 1);
        if reload {
            let _ = self.signals.send(Signal::Reload(build));
        }
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
                    served.pending = session.pending();
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
        settled: tokio::sync::watch::Sender::new(0),
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
                    let report = current.apply_first(&paths);
                    (current, report)
                }
                None => Session::start(&self.root, self.options.clone()),
            }
        });
        let (mut session, mut report) = match result {
            Ok(done) => done,
            Err(message) => {
                let during = during(&changed);
                self.shared.panicked(&during, &message);
                (self.report)(Event::Panicked { during, message });
                return;
            }
        };
        // The pages the author looks at are served and reloaded now; the binders, the
        // all-handouts packet and the search indexes follow.
        self.shared.built(&report, &session);
        if session.pending() {
            let started = std::time::Instant::now();
            match contained(move || {
                let more = session.finish();
                (session, more)
            }) {
                Ok((finished, Some(Err(failure)))) => {
                    // Shown as any failed build. An error in content leaves the session
                    // as before the edit (what a splice served is put back), so the next
                    // change goes on from there; after anything else (a template failing
                    // on a binder) the next change rebuilds afresh.
                    let keep = matches!(failure, crate::build::Failure::Content(_));
                    let failed = session::failed(failure, started);
                    self.shared.finished(Some(&finished), false);
                    self.shared.built(&failed, &finished);
                    (self.report)(Event::Built(failed, paths));
                    if keep {
                        self.session = Some(finished);
                    }
                    return;
                }
                Ok((finished, more)) => {
                    let mut corrected = false;
                    if let Some(Ok(more)) = more {
                        report.then = Some((more.written, started.elapsed()));
                        if let Some(diagnostics) = more.diagnostics {
                            report.diagnostics = diagnostics;
                        }
                        corrected = more.corrected > 0;
                    }
                    // Pages open on what the full model corrected show the correction.
                    self.shared.finished(Some(&finished), corrected);
                    session = finished;
                }
                Err(message) => {
                    self.shared.finished(None, false);
                    let during = during(&changed);
                    self.shared.panicked(&during, &message);
                    (self.report)(Event::Panicked { during, message });
                    return;
                }
            }
        }
        self.session = Some(session);
        (self.report)(Event::Built(report, paths));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
