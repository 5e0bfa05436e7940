//! The sample toolkit in a real browser. `tests/browser/check.mjs` serves the built site
//! on 127.0.0.1 (at `/` and under `/toolkit/`), drives Debian's Chromium through
//! playwright-core, and checks every page: accessibility (axe-core, WCAG 2.2 A/AA),
//! isolation (no request leaves the local server), links and anchors, phones at 360 px,
//! the language switch, and print (Chromium's PDFs on US Letter, read with poppler).
//!
//! Where Chromium, Node, poppler or the harness's npm packages are missing, the test says
//! so and passes; with `CI` set it fails instead, so CI can never skip it silently.
//! `.ci/run` installs all of them.

use std::env;
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

/// What the browser checks need that this machine lacks.
fn missing_pieces() -> Vec<String> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        missing.push(format!("Chromium at {CHROMIUM}"));
    }
    if !on_path("node") {
        missing.push("Node (`node`)".to_owned());
    }
    for tool in ["pdfinfo", "pdftotext"] {
        if !on_path(tool) {
            missing.push(format!("poppler's `{tool}`"));
        }
    }
    let modules = harness().join("node_modules");
    for package in ["playwright-core", "axe-core"] {
        if !modules.join(package).join("package.json").is_file() {
            missing.push(format!("tests/browser/node_modules/{package}"));
        }
    }
    missing
}

/// Writes past the test harness's capture, so a skip or the report shows in a plain
/// `cargo test`.
fn tell(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

#[test]
fn every_page_of_the_sample_passes_the_browser_checks() {
    let missing = missing_pieces();
    if !missing.is_empty() {
        let why = format!(
            "browser checks skipped: this machine has no {}; run `.ci/run` (as root), or \
             `apt-get install chromium poppler-utils` and `cd tests/browser && npm ci`",
            missing.join(", no ")
        );
        assert!(
            env::var_os("CI").is_none(),
            "{why}\n(CI is set: there the browser checks must run, not be skipped)"
        );
        tell(&why);
        return;
    }

    let project = Project::sample();
    project.build().success();
    let site = project.path("public");
    let log = project.path("browser-checks.log");
    let out = File::create(&log).expect("create the log");
    let started = Instant::now();
    let mut child = Command::new("node")
        .arg(harness().join("check.mjs"))
        .arg(&site)
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
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the browser checks took over {} s:\n{}",
                PATIENCE.as_secs(),
                fs::read_to_string(&log).unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(200));
    };
    let report = fs::read_to_string(&log).expect("read the log");
    assert!(
        status.success(),
        "the browser checks failed ({status}):\n{report}"
    );
    tell(report.trim_end());
}
