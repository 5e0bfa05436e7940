//! The machine's own Chromium or Chrome, driven over the DevTools protocol through a pipe.
//!
//! With `--remote-debugging-pipe` the browser reads JSON messages, each ended by a NUL
//! byte, from its file descriptor 3 and writes its own to descriptor 4. A pipe, unlike
//! `--remote-debugging-port`, opens no port another program on the machine could use,
//! and needs no WebSocket client. hearth never downloads a browser: it uses the one
//! `HEARTH_CHROME` names, or the first of the usual names on `PATH`.
//!
//! In: a browser's path. Out: [`Browser`], whose [`Browser::tab`] gives a [`Tab`] that,
//! once [`Tab::load`] has a page in it,
//! [`Tab::print`] turns into PDF bytes. Several threads may print at once, each in its
//! own tab.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine as _;
use serde_json::{Value, json};

/// The names a Chromium-family browser goes by on `PATH`, most likely first.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
];

/// Where macOS keeps the browsers, which are not on `PATH` there.
const MAC_APPS: &[&str] = &[
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
];

/// The first Chromium version that draws `@page` margin boxes (the printed footer and
/// page numbers).
pub const MARGIN_BOXES: u32 = 131;

/// How long one call may take before the browser is taken to be stuck.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The browser to use: `HEARTH_CHROME` when set, else the first known name on `PATH`.
pub fn find() -> Option<PathBuf> {
    if let Some(named) = std::env::var_os("HEARTH_CHROME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(named));
    }
    let path = std::env::var_os("PATH")?;
    let on_path = std::env::split_paths(&path)
        .flat_map(|dir| NAMES.iter().map(move |name| dir.join(name)))
        .find(|p| is_executable(p));
    on_path.or_else(|| {
        MAC_APPS
            .iter()
            .map(PathBuf::from)
            .find(|p| is_executable(p))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Replies awaited, by call id.
type Pending = Arc<Mutex<HashMap<u64, Sender<Result<Value, String>>>>>;

/// A running headless browser.
pub struct Browser {
    child: Child,
    to_browser: Mutex<std::io::PipeWriter>,
    pending: Pending,
    next_id: AtomicU64,
    /// "Chromium 148.0.7778.167", say.
    pub product: String,
    /// Its major version.
    pub major: u32,
    profile: PathBuf,
}

impl Browser {
    /// Starts the browser at `path`, headless, with a fresh profile of its own.
    pub fn launch(path: &Path) -> Result<Browser> {
        static LAUNCHES: AtomicU64 = AtomicU64::new(0);
        let profile = std::env::temp_dir().join(format!(
            "hearth-chrome-{}-{}",
            std::process::id(),
            LAUNCHES.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile)
            .with_context(|| format!("cannot make `{}`", profile.display()))?;
        let (from_hearth, to_browser) = std::io::pipe()?;
        let (from_browser, to_hearth) = std::io::pipe()?;
        let mut command = Command::new(path);
        command
            .args([
                "--headless",
                "--remote-debugging-pipe",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--mute-audio",
                "--hide-scrollbars",
                "about:blank",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Chromium refuses its sandbox to root (containers, CI machines).
        if unsafe { libc::geteuid() } == 0 {
            command.arg("--no-sandbox");
        }
        let (read_fd, write_fd) = (from_hearth.as_raw_fd(), to_hearth.as_raw_fd());
        // SAFETY: between fork and exec only `fcntl` and `dup2` run, which are
        // async-signal-safe, on descriptors this process owns.
        unsafe {
            command.pre_exec(move || pipe_to(read_fd, write_fd));
        }
        let child = command
            .spawn()
            .with_context(|| format!("cannot start `{}`", path.display()))?;
        drop((from_hearth, to_hearth));
        let pending: Pending = Arc::default();
        let replies = pending.clone();
        std::thread::spawn(move || read_replies(from_browser, &replies));
        let mut browser = Browser {
            child,
            to_browser: Mutex::new(to_browser),
            pending,
            next_id: AtomicU64::new(1),
            product: String::new(),
            major: 0,
            profile,
        };
        let version = browser
            .call(None, "Browser.getVersion", json!({}))
            .with_context(|| format!("`{}` did not answer as Chromium does", path.display()))?;
        let product = version["product"].as_str().unwrap_or_default();
        browser.major = product
            .split('/')
            .nth(1)
            .and_then(|v| v.split('.').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        browser.product = product
            .replace("HeadlessChrome/", "Chrome/")
            .replacen('/', " ", 1);
        Ok(browser)
    }

    /// One DevTools call, in a tab's session or the browser's own; its result.
    fn call(&self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let (reply, answer) = channel();
        self.lock_pending().insert(id, reply);
        let mut bytes = serde_json::to_vec(&message)?;
        bytes.push(0);
        {
            let mut to = self.to_browser.lock().unwrap_or_else(|e| e.into_inner());
            to.write_all(&bytes)
                .and_then(|()| to.flush())
                .map_err(|e| anyhow!("the browser closed its pipe ({e})"))?;
        }
        match answer.recv_timeout(CALL_TIMEOUT) {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(error)) => bail!("{method}: {error}"),
            Err(_) => {
                self.lock_pending().remove(&id);
                bail!("the browser did not answer {method} within {CALL_TIMEOUT:?}")
            }
        }
    }

    fn lock_pending(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<u64, Sender<Result<Value, String>>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new blank tab.
    pub fn tab(&self) -> Result<Tab<'_>> {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
        let target = target["targetId"].as_str().unwrap_or_default().to_owned();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        )?;
        Ok(Tab {
            browser: self,
            target,
            session: attached["sessionId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call(None, "Browser.close", json!({}));
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// An open tab, closed when dropped.
pub struct Tab<'a> {
    browser: &'a Browser,
    target: String,
    session: String,
}

impl Tab<'_> {
    /// Loads `url` in this tab and waits until it has loaded, fonts included. A tab is
    /// reused from page to page: a new one would start a new renderer each time.
    pub fn load(&self, url: &str) -> Result<()> {
        // The old page's window is marked: the new page is the one without the mark.
        self.evaluate("window.hearthOldPage = true")?;
        let navigated =
            self.browser
                .call(Some(&self.session), "Page.navigate", json!({ "url": url }))?;
        if let Some(error) = navigated["errorText"].as_str().filter(|e| !e.is_empty()) {
            bail!("{url} could not be opened: {error}");
        }
        let started = Instant::now();
        loop {
            // While the new page commits there may be no context to evaluate in.
            let loaded = self
                .evaluate(
                    "window.hearthOldPage === undefined && document.readyState === 'complete'",
                )
                .ok();
            if loaded == Some(Value::Bool(true)) {
                break;
            }
            if started.elapsed() > CALL_TIMEOUT {
                bail!("{url} did not finish loading within {CALL_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.evaluate("document.fonts.ready.then(() => true)")?;
        Ok(())
    }

    /// The value of a JavaScript expression in the page, promises awaited.
    pub fn evaluate(&self, expression: &str) -> Result<Value> {
        let result = self.browser.call(
            Some(&self.session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(error) = result.get("exceptionDetails") {
            bail!("the page's script failed: {error}");
        }
        Ok(result["result"]["value"].clone())
    }

    /// The page as a PDF: its CSS page size (US Letter when it sets none), backgrounds,
    /// tagged for screen readers, with an outline of its headings.
    pub fn print(&self) -> Result<Vec<u8>> {
        let printed = self.browser.call(
            Some(&self.session),
            "Page.printToPDF",
            json!({
                "printBackground": true,
                "preferCSSPageSize": true,
                "paperWidth": 8.5,
                "paperHeight": 11,
                "displayHeaderFooter": false,
                "generateTaggedPDF": true,
                "generateDocumentOutline": true,
            }),
        )?;
        let data = printed["data"].as_str().unwrap_or_default();
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .context("the browser's PDF was not base64")
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        let _ = self.browser.call(
            None,
            "Target.closeTarget",
            json!({ "targetId": self.target }),
        );
    }
}

/// In the child before exec: the browser reads from `read` as descriptor 3 and writes to
/// `write` as descriptor 4. Both are first moved above 4, so neither is overwritten by
/// the other's move.
fn pipe_to(read: RawFd, write: RawFd) -> std::io::Result<()> {
    let high = |fd: RawFd| {
        // SAFETY: `F_DUPFD` on a descriptor this process owns.
        let new = unsafe { libc::fcntl(fd, libc::F_DUPFD, 10) };
        if new < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(new)
        }
    };
    let (read, write) = (high(read)?, high(write)?);
    for (from, to) in [(read, 3), (write, 4)] {
        // SAFETY: `dup2` onto 3 and 4, which the browser expects; the copy is not
        // closed on exec.
        if unsafe { libc::dup2(from, to) } < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Reads the browser's messages until its pipe closes, handing each reply to its caller.
/// Events, which hearth does not listen to, are dropped.
fn read_replies(from: std::io::PipeReader, pending: &Pending) {
    let mut reader = BufReader::new(from);
    let mut message = Vec::new();
    while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
        if message.last() == Some(&0) {
            message.pop();
        }
        if let Ok(value) = serde_json::from_slice::<Value>(&message)
            && let Some(id) = value["id"].as_u64()
        {
            let waiting = pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
            if let Some(reply) = waiting {
                let answer = match value.get("error") {
                    Some(error) => Err(error["message"].as_str().unwrap_or("failed").to_owned()),
                    None => Ok(value["result"].clone()),
                };
                let _ = reply.send(answer);
            }
        }
        message.clear();
    }
    // The browser is gone: every caller still waiting hears so now.
    for (_, reply) in pending.lock().unwrap_or_else(|e| e.into_inner()).drain() {
        let _ = reply.send(Err("the browser quit".to_owned()));
    }
}
