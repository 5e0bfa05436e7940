//! Interface strings: every string hearth's code and the templates in use ask for, and
//! every sensitive topic's name the content uses, must be there in every language. One
//! that is not is a `strings` error in the project's `locales/<lang>.ftl`, once per
//! language and key, so no site is published with a key where its words should be.

use serde_json::Value;

use crate::support::{Project, Run};

/// `hearth check --format json`: the run and its diagnostics.
fn check_json(project: &Project) -> (Run, Vec<Value>) {
    let run = project.hearth(&["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}):\n{run}"));
    let diagnostics = report["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics:\n{run}"))
        .clone();
    (run, diagnostics)
}

/// The diagnostics of `kind`, as (severity, file, line, key named in the message).
fn of_kind(diagnostics: &[Value], kind: &str) -> Vec<(String, String, u64, String)> {
    let mut found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["kind"] == kind)
        .map(|d| {
            let message = d["message"].as_str().expect("a message");
            let key = message
                .strip_prefix("the string `")
                .and_then(|m| m.split_once('`'))
                .map_or("", |(k, _)| k);
            (
                d["severity"].as_str().expect("a severity").to_owned(),
                d["file"].as_str().expect("a file").to_owned(),
                d["line"].as_u64().expect("a line"),
                key.to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The one diagnostic whose message names `key`.
#[track_caller]
fn about<'a>(diagnostics: &'a [Value], key: &str) -> &'a Value {
    let named = format!("`{key}`");
    let found: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains(&named)))
        .collect();
    assert_eq!(found.len(), 1, "one diagnostic about {key}: {found:?}");
    found[0]
}

fn error(file: &str, line: u64, key: &str) -> (String, String, u64, String) {
    ("error".into(), file.into(), line, key.into())
}

#[test]
fn a_string_a_language_lacks_fails_check_and_build_once_per_language_and_key() {
    let project = Project::fixture("missing-strings");
    let (run, diagnostics) = check_json(&project);
    run.exits(1);
    assert_eq!(
        of_kind(&diagnostics, "strings"),
        [
            error("locales/pt.ftl", 0, "binder-title"),
            error("locales/pt.ftl", 0, "topic-grief"),
            error("locales/pt.ftl", 24, "session-number"),
        ],
        "{run}"
    );
    let binder = about(&diagnostics, "binder-title");
    assert!(
        binder["message"].as_str().unwrap().contains("`pt`"),
        "{binder}"
    );
    assert!(
        binder["hint"]
            .as_str()
            .unwrap()
            .contains("`binder-title = Facilitator binder`"),
        "the hint gives the English to start from: {binder}"
    );
    let topic = about(&diagnostics, "topic-grief");
    assert!(
        topic["hint"]
            .as_str()
            .unwrap()
            .contains("`topic-grief = grief`"),
        "{topic}"
    );

    // A site with "binder-title" for a title is never published.
    let build = project.build();
    build.exits(1);
    build.error_at("locales/pt.ftl");
    assert!(!project.path("public").exists(), "{build}");

    // With the three strings given, every page shows them.
    project.replace("locales/pt.ftl", "{ $num }", "{ $n }");
    project.append(
        "locales/pt.ftl",
        "binder-title = Caderno do facilitador\ntopic-grief = luto\n",
    );
    project.check().success();
    let site = project.built();
    assert_eq!(
        site.page("pt/print/facilitator/index.html").text_of("h1"),
        "Caderno do facilitador"
    );
    let guide = site.page("pt/boas-vindas/facilitator/index.html");
    assert!(guide.text_of(".safety-reminder").contains("luto"));
    assert!(guide.text_of(".kicker").contains("Sessão 1"));
}

#[test]
fn a_language_with_no_strings_at_all_reports_each_one_once() {
    let project = Project::fixture("missing-strings");
    project.remove("locales/pt.ftl");
    project.write("hearth.yaml", "title: Textos em falta\nlanguages: [pt]\n");
    // Portuguese is now the source language, which follows no other.
    for file in [
        "content/pt/_index.md",
        "content/pt/modules/01-welcome/index.md",
    ] {
        let text = project.read(file);
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("translated_from:"))
            .collect();
        project.write(file, kept.join("\n") + "\n");
    }
    let (run, diagnostics) = check_json(&project);
    run.exits(1);
    let strings = of_kind(&diagnostics, "strings");
    let mut keys: Vec<&str> = strings.iter().map(|(.., key)| key.as_str()).collect();
    assert!(
        strings
            .iter()
            .all(|(s, f, l, _)| s == "error" && f == "locales/pt.ftl" && *l == 0),
        "{run}"
    );
    let count = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), count, "one error per key: {keys:?}");
    // Strings hearth's code asks for, strings only templates ask for, and the topic.
    for key in [
        "binder-title",
        "block-activity",
        "skip-to-content",
        "topic-grief",
    ] {
        assert!(keys.contains(&key), "{key} is reported: {run}");
    }
}

#[test]
fn a_project_template_asks_for_its_own_strings_in_every_language() {
    let project = Project::fixture("bilingual");
    project.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}<p class=\"note\">{{ t(k=\"partner-note\") }}</p>\n{{ page.html | safe }}{% endblock main %}\n",
    );
    let (run, diagnostics) = check_json(&project);
    run.exits(1);
    assert_eq!(
        of_kind(&diagnostics, "strings"),
        [
            error("locales/en.ftl", 0, "partner-note"),
            error("locales/es.ftl", 0, "partner-note"),
        ],
        "{run}"
    );

    project.write("locales/en.ftl", "partner-note = Shared by our partner\n");
    project.write(
        "locales/es.ftl",
        "partner-note = Compartido por nuestro socio\n",
    );
    project.check().success();
    let site = project.built();
    assert_eq!(
        site.page("es/acerca-de/index.html").text_of("main .note"),
        "Compartido por nuestro socio"
    );
}

#[test]
fn a_template_that_computes_a_strings_name_is_a_warning_at_the_call() {
    let project = Project::fixture("bilingual");
    project.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{% set name = \"home\" %}\n<p>{{ t(k=name) }}</p>{% endblock main %}\n",
    );
    let (_, diagnostics) = check_json(&project);
    let found: Vec<(String, String, u64)> = diagnostics
        .iter()
        .filter(|d| d["kind"] == "template")
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("warning".to_owned(), "templates/page.html".to_owned(), 3)]
    );
}

#[test]
fn the_sample_toolkit_has_every_string_in_every_language() {
    let project = Project::sample();
    let (run, diagnostics) = check_json(&project);
    run.success();
    assert_eq!(of_kind(&diagnostics, "strings"), [], "{run}");
    assert_eq!(of_kind(&diagnostics, "template"), [], "{run}");
}
