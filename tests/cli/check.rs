//! `hearth check`: every problem of a project in one run, classified and located the same
//! way in the terminal and in `--format json`; exit 0 when the site could be published,
//! 1 for content errors, 2 when the project cannot be checked at all; and never a file
//! written.

use serde_json::Value;

use crate::support::{Project, Run};

/// `hearth check --format json` (plus `extra` arguments), read back.
struct Json {
    run: Run,
    report: Value,
}

/// What a test compares of a diagnostic: severity, kind, file and line, not the wording.
type Found = (String, String, String, u64);

impl Json {
    fn of(project: &Project, extra: &[&str]) -> Json {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let run = project.hearth(&args);
        let report: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}):\n{run}"));
        Json { run, report }
    }

    fn diagnostics(&self) -> &[Value] {
        self.report["diagnostics"]
            .as_array()
            .unwrap_or_else(|| panic!("no `diagnostics` list:\n{}", self.run))
    }

    fn count(&self, key: &str) -> u64 {
        self.report[key]
            .as_u64()
            .unwrap_or_else(|| panic!("no `{key}` count:\n{}", self.run))
    }

    /// Every diagnostic as (severity, kind, file, line), sorted.
    fn found(&self) -> Vec<Found> {
        let mut found: Vec<Found> = self
            .diagnostics()
            .iter()
            .map(|d| {
                (
                    str_field(d, "severity"),
                    str_field(d, "kind"),
                    str_field(d, "file"),
                    d["line"].as_u64().expect("a line number"),
                )
            })
            .collect();
        found.sort();
        found
    }

    /// The one diagnostic of `kind` in `file`.
    #[track_caller]
    fn one(&self, kind: &str, file: &str) -> &Value {
        let matching: Vec<&Value> = self
            .diagnostics()
            .iter()
            .filter(|d| d["kind"] == kind && d["file"] == file)
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "expected one `{kind}` in {file}:\n{}",
            self.run
        );
        matching[0]
    }
}

fn str_field(d: &Value, key: &str) -> String {
    d[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not text in {d}"))
        .to_owned()
}

fn expected(list: &[(&str, &str, &str, u64, &str)]) -> Vec<Found> {
    let mut found: Vec<Found> = list
        .iter()
        .map(|(severity, kind, file, line, _)| {
            (
                (*severity).to_owned(),
                (*kind).to_owned(),
                (*file).to_owned(),
                *line,
            )
        })
        .collect();
    found.sort();
    found
}

const BLOCKS: &str = "content/en/modules/01-blocks/index.md";
const LINKS: &str = "content/en/modules/02-links/index.md";
const ES_LINKS: &str = "content/es/modules/02-links/index.md";

/// What `tests/fixtures/check-planted` plants: (severity, kind, file, line, what).
/// Line 0 means the problem concerns the whole file.
const PLANTED: &[(&str, &str, &str, u64, &str)] = &[
    (
        "error",
        "unknown-field",
        "content/en/about.md",
        3,
        "`slg:`, a misspelt `slug`",
    ),
    (
        "error",
        "front-matter",
        "content/en/modules/05-incomplete/index.md",
        3,
        "a module without its required `summary`",
    ),
    (
        "error",
        "front-matter",
        "content/en/modules/04-typed/index.md",
        4,
        "`duration: ninety`, not a number",
    ),
    (
        "error",
        "yaml",
        "content/en/notes.md",
        2,
        "`title: Notes: for later`, a YAML syntax error",
    ),
    (
        "error",
        "slug",
        ES_LINKS,
        3,
        "two Spanish modules with `slug: sesion`",
    ),
    (
        "error",
        "block",
        BLOCKS,
        9,
        "`::: activty`, an unknown block",
    ),
    (
        "error",
        "block",
        BLOCKS,
        12,
        "`::: tip {colour=blue}`, a bad attribute",
    ),
    ("error", "block", BLOCKS, 15, "`::: note`, never closed"),
    (
        "error",
        "link",
        LINKS,
        9,
        "a link to `../09-lost/index.md`, which does not exist",
    ),
    (
        "error",
        "anchor",
        LINKS,
        9,
        "a link to `#the-end`, a heading that does not exist",
    ),
    (
        "error",
        "link",
        LINKS,
        11,
        "an image `images/map.png` that does not exist",
    ),
    (
        "warning",
        "accessibility",
        LINKS,
        13,
        "`![](images/dot.svg)`, an image without alt text",
    ),
    (
        "warning",
        "accessibility",
        LINKS,
        15,
        "`#### Too deep` right after a `##`",
    ),
    ("warning", "placeholder", LINKS, 17, "a `TODO:` line"),
    (
        "warning",
        "agenda",
        "content/en/modules/03-agenda/index.md",
        13,
        "activities of 20 + 25 minutes in a 60-minute module",
    ),
    (
        "error",
        "strings",
        "locales/es.ftl",
        3,
        "`= sin nombre`, a Fluent string without a key",
    ),
    (
        "warning",
        "translation",
        "content/es/_index.md",
        0,
        "a stale translation: `translated_from` is not the source's fingerprint",
    ),
    (
        "warning",
        "translation",
        "content/es/extra.md",
        0,
        "an orphaned Spanish page with no English source",
    ),
    (
        "warning",
        "translation",
        "content/es/modules/03-agenda/index.md",
        0,
        "a missing translation of the agenda module",
    ),
];

#[test]
fn every_planted_problem_is_reported_once_with_its_kind_and_line() {
    let json = Json::of(&Project::fixture("check-planted"), &[]);
    json.run.exits(1);
    let found = json.found();
    let want = expected(PLANTED);
    let missing: Vec<String> = PLANTED
        .iter()
        .filter(|(s, k, f, l, _)| !found.contains(&((*s).into(), (*k).into(), (*f).into(), *l)))
        .map(|(s, k, f, l, what)| format!("{what}: no {s} `{k}` at {f}:{l}"))
        .collect();
    assert!(missing.is_empty(), "{}\n{}", missing.join("\n"), json.run);
    assert_eq!(found, want, "exactly the planted problems:\n{}", json.run);

    let errors = PLANTED.iter().filter(|p| p.0 == "error").count() as u64;
    let warnings = PLANTED.len() as u64 - errors;
    assert_eq!(
        (json.count("errors"), json.count("warnings")),
        (errors, warnings)
    );
    assert!(json.report["failure"].is_null(), "{}", json.run);
    assert_eq!(json.run.stderr, "", "JSON mode prints nothing else");
}

#[test]
fn every_json_diagnostic_has_its_fields_and_says_what_to_do() {
    let json = Json::of(&Project::fixture("check-planted"), &[]);
    for d in json.diagnostics() {
        let mut keys: Vec<&String> = d.as_object().expect("an object").keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "column", "file", "hint", "kind", "line", "message", "severity"
            ],
            "{d}"
        );
        assert!(!str_field(d, "message").is_empty(), "{d}");
        assert!(!str_field(d, "hint").is_empty(), "no hint: {d}");
        let (line, column) = (d["line"].as_u64(), d["column"].as_u64());
        assert!(
            (line == Some(0)) == (column == Some(0)),
            "a line needs a column: {d}"
        );
    }
    let field = json.one("unknown-field", "content/en/about.md");
    assert_eq!(field["hint"], "did you mean `slug`?");
    assert_eq!(field["column"], 1);
    let typed = json.one("front-matter", "content/en/modules/04-typed/index.md");
    assert_eq!(typed["column"], 11, "points at `ninety`: {typed}");
    let block = json
        .diagnostics()
        .iter()
        .find(|d| d["file"] == BLOCKS && d["line"] == 9)
        .expect("the unknown block");
    assert_eq!(block["hint"], "did you mean `activity`?");
}

#[test]
fn the_terminal_shows_the_same_problems_as_json_with_a_summary() {
    let project = Project::fixture("check-planted");
    let json = Json::of(&project, &[]);
    let run = project.check();
    run.exits(1);
    let location = |d: &Value| match d["line"].as_u64() {
        Some(0) => str_field(d, "file"),
        _ => format!("{}:{}:{}", str_field(d, "file"), d["line"], d["column"]),
    };
    let mut from_json: Vec<(String, String)> = json
        .diagnostics()
        .iter()
        .map(|d| (str_field(d, "severity"), location(d)))
        .collect();
    let mut shown: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.severity, d.location))
        .collect();
    from_json.sort();
    shown.sort();
    assert_eq!(shown, from_json, "{run}");
    let mut files: Vec<String> = json
        .diagnostics()
        .iter()
        .map(|d| str_field(d, "file"))
        .collect();
    files.sort();
    files.dedup();
    let summary = format!(
        "{} errors, {} warnings in {} files",
        json.count("errors"),
        json.count("warnings"),
        files.len()
    );
    assert_eq!(run.stderr.lines().last(), Some(summary.as_str()), "{run}");
    assert!(!run.stdout.contains("No problems found"), "{run}");
}

#[test]
fn what_an_author_reads_in_the_terminal() {
    let run = Project::fixture("check-human").check();
    run.exits(1);
    assert_eq!(run.stdout, "", "{run}");
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_clean_project_has_no_problems_and_exits_0() {
    let project = Project::fixture("bilingual");
    let run = project.check();
    run.success();
    assert!(run.stdout.starts_with("No problems found"), "{run}");
    assert_eq!(run.stderr, "", "{run}");

    let json = Json::of(&project, &[]);
    json.run.success();
    assert_eq!(json.report["errors"], 0);
    assert_eq!(json.report["warnings"], 0);
    assert!(json.diagnostics().is_empty(), "{}", json.run);
    assert!(json.report["failure"].is_null());
}

#[test]
fn warnings_alone_exit_0_with_a_summary() {
    let project = Project::fixture("translation-status");
    let run = project.check();
    run.success();
    assert_eq!(run.warnings().len(), 4, "{run}");
    assert_eq!(
        run.stderr.lines().last(),
        Some("0 errors, 4 warnings in 4 files"),
        "{run}"
    );
    assert!(!run.stdout.contains("No problems found"), "{run}");

    let json = Json::of(&project, &[]);
    json.run.success();
    assert_eq!((json.count("errors"), json.count("warnings")), (0, 4));
}

#[test]
fn a_folder_without_hearth_yaml_cannot_be_checked_and_exits_2() {
    let project = Project::empty();
    let run = project.check();
    run.exits(2);
    let d = run.error_at("hearth.yaml");
    assert!(d.hint.is_some(), "{run}");

    let json = Json::of(&project, &[]);
    json.run.exits(2);
    assert_eq!(
        json.found(),
        [("error".into(), "config".into(), "hearth.yaml".into(), 0)]
    );
    assert!(json.report["failure"].is_null(), "{}", json.run);
}

#[test]
fn a_template_that_cannot_be_read_is_a_failure_in_json_and_exits_2() {
    let project = Project::fixture("bilingual");
    project.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{% if %}{% endblock main %}\n",
    );
    let json = Json::of(&project, &[]);
    json.run.exits(2);
    let failure = json.report["failure"]
        .as_str()
        .unwrap_or_else(|| panic!("`failure` should say what went wrong:\n{}", json.run));
    assert!(
        failure.contains("page.html"),
        "names the template: {failure}"
    );
    assert_eq!(json.count("errors"), 0);
    project.check().exits(2);
}

#[test]
fn check_never_writes_a_file() {
    for fixture in ["bilingual", "check-planted", "translation-status"] {
        let project = Project::fixture(fixture);
        let before = project.snapshot();
        project.check();
        project.hearth(&["check", "--drafts"]);
        project.hearth(&["check", "--format", "json"]);
        assert!(
            project.snapshot() == before,
            "`hearth check` changed the {fixture} project"
        );
        assert!(!project.path("public").exists());
    }
}

#[test]
fn drafts_are_checked_only_with_drafts() {
    let project = Project::fixture("bilingual");
    project.write(
        "content/en/later.md",
        "---\ntitle: Later\ndraft: true\n---\n\nTODO: finish this page.\n",
    );
    let without = Json::of(&project, &[]);
    without.run.success();
    assert!(without.diagnostics().is_empty(), "{}", without.run);
    let with = Json::of(&project, &["--drafts"]);
    with.run.success();
    with.one("placeholder", "content/en/later.md");
}

#[test]
fn configuration_problems_that_do_not_stop_hearth_come_with_the_contents() {
    let project = Project::fixture("check-config");
    let json = Json::of(&project, &[]);
    // A program naming a module that does not exist can only be found once the content
    // is read, so it is an ordinary error (1), not a stop (2).
    json.run.exits(1);
    let verified = project.line_of("hearth.yaml", "verified: 2020-01-01") as u64;
    let program = project.line_of("hearth.yaml", "02-goodbye") as u64;
    let placeholder = project.line_of("content/en/_index.md", "TODO") as u64;
    let want = expected(&[
        ("warning", "config", "hearth.yaml", verified, "crisis line"),
        ("error", "config", "hearth.yaml", program, "unknown module"),
        (
            "warning",
            "placeholder",
            "content/en/_index.md",
            placeholder,
            "content",
        ),
    ]);
    assert_eq!(json.found(), want, "{}", json.run);
    let d = json
        .diagnostics()
        .iter()
        .find(|d| d["line"] == program)
        .expect("the program error");
    assert_eq!(d["column"], 27, "points at `02-goodbye`: {d}");
}

#[test]
fn configuration_errors_stop_hearth_before_the_content_and_exit_2() {
    let project = Project::fixture("check-config");
    project.replace(
        "hearth.yaml",
        "languages: [en, es]\n",
        "languages: [en, es]\ntheme: [default]\nbaseurl: https://example.org/toolkit/\n",
    );
    let theme = project.line_of("hearth.yaml", "theme:") as u64;
    let key = project.line_of("hearth.yaml", "baseurl:") as u64;
    let json = Json::of(&project, &[]);
    json.run.exits(2);
    // Neither the content's placeholder nor the checks that need a valid configuration.
    let want = expected(&[
        (
            "error",
            "config",
            "hearth.yaml",
            theme,
            "a list for `theme`",
        ),
        ("error", "config", "hearth.yaml", key, "`baseurl`"),
    ]);
    assert_eq!(json.found(), want, "{}", json.run);
    let unknown = json
        .diagnostics()
        .iter()
        .find(|d| d["line"] == key)
        .expect("the unknown key");
    assert_eq!(unknown["hint"], "did you mean `base_url`?");
    assert!(json.report["failure"].is_null());

    let run = project.check();
    run.exits(2);
    run.error_at(&format!("hearth.yaml:{key}:1"));
    assert!(
        run.stderr.ends_with("2 errors, 0 warnings in 1 file\n"),
        "{run}"
    );
}

#[test]
fn a_document_with_front_matter_errors_is_not_also_a_translation_problem() {
    let project = Project::fixture("bilingual");
    // An English source and a Spanish translation, each with a misspelt field.
    project.replace("content/en/about.md", "title:", "titel:");
    let guide = "content/es/modules/01-first-steps/facilitator.md";
    project.replace(guide, "materials:", "materals:");
    let json = Json::of(&project, &[]);
    json.run.exits(1);
    // Not also "orphaned" (`content/es/about.md`) or "not yet translated" (the guide).
    let want = expected(&[
        ("error", "unknown-field", "content/en/about.md", 2, "titel"),
        ("error", "unknown-field", guide, 3, "materals"),
    ]);
    assert_eq!(json.found(), want, "{}", json.run);
}

// Bugs found while writing these tests: each asserts what should happen.

#[test]
fn an_unknown_key_does_not_hide_a_wrong_type_after_it() {
    let project = Project::fixture("check-config");
    project.replace(
        "hearth.yaml",
        "languages: [en, es]\n",
        "baseurl: https://example.org/toolkit/\nlanguages: [en, es]\ntheme: [default]\n",
    );
    let key = project.line_of("hearth.yaml", "baseurl:") as u64;
    let theme = project.line_of("hearth.yaml", "theme:") as u64;
    let json = Json::of(&project, &[]);
    json.run.exits(2);
    let want = expected(&[
        ("error", "config", "hearth.yaml", key, "`baseurl`"),
        (
            "error",
            "config",
            "hearth.yaml",
            theme,
            "a list for `theme`",
        ),
    ]);
    assert_eq!(json.found(), want, "{}", json.run);
}

#[test]
fn a_broken_links_hint_is_the_same_on_every_run() {
    let project = Project::fixture("check-planted");
    let hint = || {
        let json = Json::of(&project, &[]);
        let d = json
            .diagnostics()
            .iter()
            .find(|d| d["kind"] == "link" && d["file"] == LINKS && d["line"] == 9)
            .expect("the broken link")
            .clone();
        str_field(&d, "hint")
    };
    let first = hint();
    for _ in 0..16 {
        assert_eq!(hint(), first, "same input, same output");
    }
}

#[test]
fn a_slug_clash_points_at_the_slug_line() {
    let project = Project::fixture("check-planted");
    let json = Json::of(&project, &[]);
    let d = json.one("slug", ES_LINKS);
    let line = project.line_of(ES_LINKS, "slug: sesion") as u64;
    assert_eq!(d["line"], line, "{d}");
}

#[test]
fn an_image_without_alt_text_is_an_accessibility_warning() {
    let json = Json::of(&Project::fixture("check-planted"), &[]);
    let d = json
        .diagnostics()
        .iter()
        .find(|d| d["file"] == LINKS && d["line"] == 13)
        .expect("the image without alt text");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["kind"], "accessibility", "{d}");
}

#[test]
fn links_to_the_headings_of_a_translation_left_out_for_its_errors_are_not_errors_too() {
    let project = Project::fixture("bilingual");
    let file = "content/es/modules/02-next-steps/index.md";
    project.replace(file, "summary:", "sumary:");
    let json = Json::of(&project, &[]);
    json.run.exits(1);
    // Today the links to `#ir-más-allá` in `content/es/about.md` and the first Spanish
    // module are checked against the English page instead, and fail.
    assert_eq!(
        json.found(),
        expected(&[("error", "unknown-field", file, 5, "sumary")]),
        "{}",
        json.run
    );
}

#[test]
fn a_crisis_line_checked_on_a_day_that_does_not_exist_is_an_error_at_its_line() {
    let project = Project::fixture("check-config");
    project.replace(
        "hearth.yaml",
        "verified: 2020-01-01",
        "verified: 2026-02-31",
    );
    let line = project.line_of("hearth.yaml", "verified:");
    let run = project.check();
    run.exits(2);
    let error = run.error_at(&format!("hearth.yaml:{line}:15"));
    assert!(error.message.contains("2026-02-31"), "{error:?}");
    assert!(error.hint.is_some_and(|h| h.contains("YYYY-MM-DD")));
}

#[test]
fn a_crisis_lines_age_is_counted_from_source_date_epoch_when_it_is_set() {
    let project = Project::fixture("check-config");
    project.replace(
        "hearth.yaml",
        "verified: 2020-01-01",
        "verified: 2026-01-15",
    );
    let line = project.line_of("hearth.yaml", "verified:");
    let at = format!("hearth.yaml:{line}:15");
    let stale = |run: &crate::support::Run| run.warnings().iter().any(|w| w.location == at);
    // 2026-12-01: under a year after the check.
    let recent = project.hearth_with_env(&["check"], &[("SOURCE_DATE_EPOCH", "1796083200")]);
    assert!(!stale(&recent), "{recent}");
    // 2027-02-01: over a year after it.
    let late = project.hearth_with_env(&["check"], &[("SOURCE_DATE_EPOCH", "1801440000")]);
    assert!(stale(&late), "{late}");
}
