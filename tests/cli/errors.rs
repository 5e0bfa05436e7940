//! Content and configuration errors: each located at its `file:line:col`, all reported in
//! one run, with the exit code that tells content (1) from configuration (2); and no
//! input, however odd, makes hearth panic (`Run` asserts that on every run).

use crate::support::Project;

/// Where `tests/fixtures/errors` plants its problems.
const PLANTED: &[(&str, &str)] = &[
    (
        "unknown front-matter field `slg`",
        "content/en/about.md:3:1",
    ),
    (
        "unknown block name `actvity`",
        "content/en/modules/01-blocks/index.md:7:1",
    ),
    (
        "bad attribute value `minutes=ten`",
        "content/en/modules/01-blocks/index.md:9:1",
    ),
    (
        "unknown attribute `colour`",
        "content/en/modules/01-blocks/index.md:11:1",
    ),
    (
        "unclosed `note` block",
        "content/en/modules/01-blocks/index.md:13:1",
    ),
    (
        "wrong type `duration: ninety`",
        "content/en/modules/02-typed/index.md:4:11",
    ),
];

#[test]
fn every_planted_problem_is_reported_in_one_run_at_its_place() {
    let project = Project::fixture("errors");
    for run in [project.build(), project.check()] {
        run.exits(1);
        for (what, location) in PLANTED {
            let found = run.errors().into_iter().any(|d| d.location == *location);
            assert!(found, "{what}: no error at `{location}`:\n{run}");
        }
    }
    assert!(
        !project.path("public").exists(),
        "a failed build wrote a site"
    );
}

#[test]
fn errors_say_what_would_fix_them() {
    let run = Project::fixture("errors").check();
    let field = run.error_at("content/en/about.md:3:1");
    assert_eq!(field.hint.as_deref(), Some("did you mean `slug`?"));
    let block = run.error_at("content/en/modules/01-blocks/index.md:7:1");
    assert_eq!(block.hint.as_deref(), Some("did you mean `activity`?"));
    for (_, location) in PLANTED {
        let d = run.error_at(location);
        assert!(
            d.hint.is_some(),
            "no hint for the error at {location}: {d:?}"
        );
    }
    // The offending line is shown under the location.
    assert!(run.stderr.contains("duration: ninety"), "{run}");
    assert!(run.stderr.contains("::: actvity"), "{run}");
}

#[test]
fn an_unknown_key_in_hearth_yaml_exits_2_with_a_suggestion() {
    let project = Project::fixture("bilingual");
    project.replace("hearth.yaml", "\nlanguages:", "\nlangauges:");
    let line = project.line_of("hearth.yaml", "langauges:");
    for run in [project.build(), project.check()] {
        run.exits(2);
        let d = run.error_at(&format!("hearth.yaml:{line}:1"));
        assert_eq!(d.hint.as_deref(), Some("did you mean `languages`?"));
    }
    assert!(!project.path("public").exists());
}

#[test]
fn a_folder_without_hearth_yaml_exits_2_with_a_hint() {
    let project = Project::empty();
    let run = project.build();
    run.exits(2);
    let d = run.error_at("hearth.yaml");
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn odd_inputs_are_reported_not_panicked_on() {
    let module = "content/en/modules/02-next-steps/index.md";
    let cases: &[(&str, &str, &[u8])] = &[
        ("an empty hearth.yaml", "hearth.yaml", b""),
        ("no languages", "hearth.yaml", b"title: x\nlanguages: []\n"),
        ("a list for a config", "hearth.yaml", b"- en\n- es\n"),
        ("an empty page", "content/en/about.md", b""),
        (
            "unclosed front matter",
            "content/en/about.md",
            b"---\ntitle: x\n\nBody text",
        ),
        (
            "front matter that is a list",
            "content/en/about.md",
            b"---\n- a\n- b\n---\n",
        ),
        (
            "not UTF-8",
            "content/en/about.md",
            b"---\ntitle: \xff\xfe\n---\n",
        ),
        (
            "a byte-order mark and CRLF",
            "content/en/about.md",
            b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nHi\r\n",
        ),
        (
            "fences that close nothing",
            "content/en/about.md",
            b"---\ntitle: x\n---\n:::\n::: {minutes=1}\n:::\n",
        ),
        (
            "an unterminated quote",
            "content/en/about.md",
            b"---\ntitle: x\n---\n::: tip {title=\"x}\n:::\n",
        ),
        (
            "links out of the tree",
            "content/en/about.md",
            b"---\ntitle: x\n---\n[a](../../../x.md) [b](/abs) [c](#) ![](x.png)\n",
        ),
        (
            "a negative duration",
            module,
            b"---\ntitle: x\nsummary: y\nduration: -5\n---\n",
        ),
        (
            "a huge duration",
            module,
            b"---\ntitle: x\nsummary: y\nduration: 99999999999999999999\n---\n",
        ),
        (
            "huge lines",
            module,
            b"---\ntitle: x\nsummary: y\nduration: 5\n---\n::: lines {count=4294967295}\n:::\n",
        ),
        (
            "an unclosed code fence",
            module,
            b"---\ntitle: x\nsummary: y\nduration: 5\n---\n```\n::: nothing\n",
        ),
        (
            "a module folder with no index.md",
            "content/en/modules/03-empty/handouts/01-h.md",
            b"---\ntitle: H\nkind: worksheet\n---\n",
        ),
        (
            "a handout of no kind",
            "content/en/modules/01-first-steps/handouts/01-check-in.md",
            b"---\ntitle: x\nkind: poster\npages: 0\n---\n",
        ),
        (
            "a stray file in a module",
            "content/en/modules/01-first-steps/notes.md",
            b"# Notes\n",
        ),
    ];
    for (what, file, bytes) in cases {
        let project = Project::fixture("bilingual");
        project.write(file, bytes);
        // `Run` fails the test on a panic; the exit code must be one hearth documents.
        let run = project.build();
        assert!(matches!(run.code, Some(0..=2)), "{what}: {run}");
    }
}

#[test]
fn huge_activity_minutes_are_reported_not_panicked_on() {
    let project = Project::fixture("bilingual");
    let file = "content/en/modules/02-next-steps/index.md";
    project.append(
        file,
        "\n::: activity {minutes=4294967295 title=\"Forever\"}\nA long time.\n:::\n",
    );
    let run = project.build();
    assert!(matches!(run.code, Some(0 | 1)), "{run}");
    assert!(
        run.diagnostics()
            .iter()
            .any(|d| d.location.starts_with(file)),
        "{run}"
    );
}

/// `hearth translations | head -1`: once the reader has gone, hearth stops quietly rather
/// than panic on the closed pipe.
#[test]
fn output_piped_into_a_reader_that_stops_early_is_no_panic() {
    use std::process::Stdio;
    let project = Project::fixture("translation-status");
    for _ in 0..5 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("hearth"))
            .args(["translations", "--root"])
            .arg(project.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("hearth starts");
        // The reader goes away before hearth writes a word.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("hearth ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            out.status.code().is_some(),
            "hearth was killed: {:?}",
            out.status
        );
    }
}
