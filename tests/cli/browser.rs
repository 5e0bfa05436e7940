//! The sample toolkit in a real browser. `tests/browser/check.mjs` serves the built site
//! on 127.0.0.1 (at `/` and under `/toolkit/`), drives Debian's Chromium through
//! playwright-core, and checks every page: accessibility (axe-core, WCAG 2.2 A/AA),
//! isolation (no request leaves the local server), links and anchors, phones at 360 px,
//! the language switch, and print (Chromium's PDFs on US Letter, read with poppler).
//!
//! `tests/browser/preview.mjs` drives Chromium against a real `hearth serve` while it
//! edits the project's files: live reload, the error overlay, and a failing first build.
//!
//! `tests/browser/search.mjs` types into the search box of the built sample.
//!
//! Where Chromium, Node, poppler or the harness's npm packages are missing, each test says
//! so and passes; with `CI` set it fails instead, so CI can never skip it silently.
//! `.ci/run` installs all of them.

use std::env;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::Project;

/// Debian's Chromium, as `apt-get install chromium` puts it.
const CHROMIUM: &str = "/usr/bin/chromium";

/// The whole suite takes a minute or two; past this something hangs.
const PATIENCE: Duration = Duration::from_secs(15 * 60);

/// The search check takes about a minute and stops itself after five.
const SEARCH_PATIENCE: Duration = Duration::from_secs(6 * 60);

/// The preview check takes seconds and stops itself after one minute.
const PREVIEW_PATIENCE: Duration = Duration::from_secs(2 * 60);

/// `tests/browser/`.
fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("browser")
}

/// Whether `program` is a file in one of the `PATH` folders.
fn on_path(program: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|paths| env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// What a browser check needs that this machine lacks: Chromium, Node, the harness's
/// npm `packages`, and the other `tools` on the `PATH`.
pub fn missing_pieces(tools: &[&str], packages: &[&str]) -> Vec<String> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        missing.push(format!("Chromium at {CHROMIUM}"));
    }
    if !on_path("node") {
        missing.push("Node (`node`)".to_owned());
    }
    for tool in tools {
        if !on_path(tool) {
            missing.push(format!("`{tool}` (Debian's poppler-utils or unzip)"));
        }
    }
    let modules = harness().join("node_modules");
    for package in packages {
        if !modules.join(package).join("package.json").is_file() {
            missing.push(format!("tests/browser/node_modules/{package}"));
        }
    }
    missing
}

/// Whether a browser check can run. If not, says what is missing and returns `false`,
/// so the test passes; with `CI` set it fails instead.
pub fn can_run(check: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let why = format!(
        "{check} skipped: this machine has no {}; run `.ci/run` (as root), or \
         `apt-get install chromium poppler-utils` and `cd tests/browser && npm ci`",
        missing.join(", no ")
    );
    assert!(
        env::var_os("CI").is_none(),
        "{why}\n(CI is set: there the browser checks must run, not be skipped)"
    );
    tell(&why);
    false
}

/// Runs `node SCRIPT ARGS...` in the harness, writing its output to `log`, and waits at
/// most `patience` for it. Returns whether it succeeded and its report; a run that takes
/// longer is killed and fails the test.
pub fn run_script(script: &str, args: &[&OsStr], log: &Path, patience: Duration) -> (bool, String) {
    let out = File::create(log).expect("create the log");
    let started = Instant::now();
    let mut child = Command::new("node")
        .arg(harness().join(script))
        .args(args)
        .current_dir(harness())
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("share the log"))
        .stderr(out)
        .spawn()
        .expect("node starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status;
        }
        if started.elapsed() > patience {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{script} took over {} s:\n{}",
                patience.as_secs(),
                fs::read_to_string(log).unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(200));
    };
    let report = fs::read_to_string(log).expect("read the log");
    (
        status.success(),
        format!("{}\n({script}: {status})", report.trim_end()),
    )
}

/// Writes past the test harness's capture, so a skip or the report shows in a plain
/// `cargo test`.
pub fn tell(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

#[test]
fn every_page_of_the_sample_passes_the_browser_checks() {
    let missing = missing_pieces(&["pdfinfo", "pdftotext"], &["playwright-core", "axe-core"]);
    if !can_run("browser checks", &missing) {
        return;
    }
    let project = Project::sample();
    project.build().success();
    let site = project.path("public");
    let log = project.path("browser-checks.log");
    let (ok, report) = run_script("check.mjs", &[site.as_os_str()], &log, PATIENCE);
    assert!(ok, "the browser checks failed:\n{report}");
    tell(&report);
}

/// The search box on the sample (`tests/browser/search.mjs`), served at `/`, under a
/// sub-path and opened from `file://`: `límites` and `limites` find the Spanish limits
/// session, `calm` the English calming pages; the keyboard alone opens a result; Escape
/// closes; a nonsense word says so; the index loads only once the box has focus, from no
/// other host; and axe-core finds nothing with the results open at 360 px and on a desktop.
#[test]
fn the_search_box_finds_pages_in_chromium() {
    if !can_run(
        "search check",
        &missing_pieces(&[], &["playwright-core", "axe-core"]),
    ) {
        return;
    }
    let project = Project::sample();
    project.build().success();
    let site = project.path("public");
    let log = project.path("search-check.log");
    let (ok, report) = run_script("search.mjs", &[site.as_os_str()], &log, SEARCH_PATIENCE);
    assert!(ok, "the search checks failed:\n{report}");
    tell(&report);
}

/// A partner's edition meets the same bar as the toolkit's own site: the sample's `centro`
/// edition (Spanish first, four sessions, its own logo and crisis lines) through every
/// check, at `/` and under a sub-path, with its organisation and lines in each printed
/// page's footer. Its sessions' text is the sample's, checked above, so this takes the
/// pages an edition changes: the root, the homes, the program, and the crisis session in
/// both languages with its guide, handouts and packet.
#[test]
fn every_page_of_an_edition_passes_the_browser_checks() {
    let missing = missing_pieces(&["pdfinfo", "pdftotext"], &["playwright-core", "axe-core"]);
    if !can_run("browser checks", &missing) {
        return;
    }
    let project = Project::sample();
    project
        .hearth(&["build", "--edition", "centro", "--out", "public"])
        .success();
    let home = project.read("public/es/index.html");
    assert!(
        home.contains("Centro Comunitario La Ceiba"),
        "not the edition:\n{home}"
    );
    let site = project.path("public");
    let log = project.path("browser-checks.log");
    let mut args = vec![site.into_os_string()];
    for only in [
        "es/index.html",
        "en/index.html",
        "404.html",
        "programs/",
        "plan-de-calma-y-crisis/",
        "calm-and-crisis-plan/",
    ] {
        args.extend(["--only".into(), only.into()]);
    }
    let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let (ok, report) = run_script("check.mjs", &args, &log, PATIENCE);
    assert!(ok, "the browser checks failed on an edition:\n{report}");
    tell(&report);
}

/// `hearth serve` as an author sees it in Chromium (`tests/browser/preview.mjs`): a save
/// shows on the open page by itself; broken front matter brings up the error overlay
/// naming the file, and the fix takes it away; a first build that fails shows its
/// errors at `/` and on a page, and the fix turns them into the site; and `serve
/// --edition` previews an edition, reloading when its edition file is saved. Live reload
/// once passed every HTTP-level test and never fired in a browser.
#[test]
fn the_live_preview_updates_open_pages_in_chromium() {
    if !can_run("preview check", &missing_pieces(&[], &["playwright-core"])) {
        return;
    }
    let project = Project::fixture("bilingual");
    // Beside the project, not in it, where serve watches.
    let log = project
        .root()
        .parent()
        .expect("the project is in a temporary folder")
        .join("preview.log");
    let hearth = Path::new(env!("CARGO_BIN_EXE_hearth"));
    let editions = Project::fixture("editions");
    let (ok, report) = run_script(
        "preview.mjs",
        &[
            hearth.as_os_str(),
            project.root().as_os_str(),
            editions.root().as_os_str(),
        ],
        &log,
        PREVIEW_PATIENCE,
    );
    assert!(ok, "the preview check failed:\n{report}");
    tell(&report);
}
