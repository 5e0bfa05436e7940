//! The bytes hearth writes, pinned. Every project here (the sample toolkit and every
//! fixture) is built and checked, and a digest of what a user would get (each output
//! file's path and bytes, the exit codes, `check --format json` and `translations`) must
//! match the one recorded in `tests/output-hashes.txt`.
//!
//! This is what lets the code be reshaped without changing what it makes: a refactor
//! leaves the file alone. A change that is *meant* to change the output updates it on
//! purpose: run `HEARTH_BLESS=1 cargo test --test cli hashes` and commit the new file
//! with the change that explains it.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::support::{Project, fixtures_dir};

/// The day the crisis lines' `verified` dates are counted from, so a warning about a
/// stale line does not appear on its own as the calendar moves.
const TODAY: &str = "1795996800"; // 2026-11-30T00:00:00Z, as SOURCE_DATE_EPOCH

fn digest(project: &Project) -> String {
    let mut hash = Sha256::new();
    let mut record = |label: &str, bytes: &[u8]| {
        hash.update((label.len() as u64).to_le_bytes());
        hash.update(label.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    let run = |args: &[&str]| project.hearth_with_env(args, &[("SOURCE_DATE_EPOCH", TODAY)]);

    // Every edition too, under `public/editions/<id>/`, for the projects that have them.
    let build = run(&["build", "--all-editions", "--out", "public"]);
    record("build exit", format!("{:?}", build.code).as_bytes());
    for (path, bytes) in project.site().snapshot() {
        record(&path, &bytes);
    }
    // With a base URL: absolute addresses where they are needed, and a sitemap.
    let absolute = run(&[
        "build",
        "--out",
        "absolute",
        "--base-url",
        "https://example.org/toolkit/",
    ]);
    record(
        "absolute build exit",
        format!("{:?}", absolute.code).as_bytes(),
    );
    for (path, bytes) in crate::support::snapshot(&project.path("absolute")) {
        record(&format!("absolute/{path}"), &bytes);
    }
    let check = run(&["check", "--format", "json"]);
    record("check exit", format!("{:?}", check.code).as_bytes());
    record("check json", check.stdout.as_bytes());
    let translations = run(&["translations"]);
    record(
        "translations exit",
        format!("{:?}", translations.code).as_bytes(),
    );
    record("translations", translations.stdout.as_bytes());

    let mut hex = String::new();
    for byte in hash.finalize() {
        write!(hex, "{byte:02x}").unwrap();
    }
    hex
}

fn projects() -> Vec<(String, Project)> {
    let mut all = vec![("sample".to_owned(), Project::sample())];
    let mut names: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures")
        .map(|e| {
            e.expect("a fixture")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    for name in names {
        let project = Project::fixture(&name);
        all.push((name, project));
    }
    all
}

#[test]
fn the_output_of_every_project_matches_its_recorded_hash() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/output-hashes.txt");
    let mut actual = String::new();
    for (name, project) in projects() {
        writeln!(actual, "{name} {}", digest(&project)).unwrap();
    }
    if std::env::var_os("HEARTH_BLESS").is_some() {
        fs::write(&file, &actual).expect("write tests/output-hashes.txt");
        return;
    }
    let recorded = fs::read_to_string(&file).expect("tests/output-hashes.txt");
    let changed: Vec<&str> = actual
        .lines()
        .filter(|line| !recorded.lines().any(|r| r == *line))
        .collect();
    assert!(
        changed.is_empty() && recorded.lines().count() == actual.lines().count(),
        "the output changed for:\n{}\n\nIf that is meant, run `HEARTH_BLESS=1 cargo test --test cli hashes` \
         and commit tests/output-hashes.txt with the change.",
        changed.join("\n")
    );
}
