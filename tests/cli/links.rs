//! Links: `.md` links become relative page URLs in every language, every internal link
//! and anchor of a built site leads somewhere, nothing is loaded from another host, and
//! a broken link is an error at its `file:line:col`.

use crate::support::Project;

#[test]
fn md_links_lead_to_the_translated_pages_slugs_and_anchors() {
    let site = Project::fixture("bilingual").built();
    let page = "es/primeros-pasos/index.html";
    let hrefs = site.page(page).attrs("main .prose a", "href");
    let targets: Vec<String> = hrefs
        .iter()
        .map(|href| {
            site.locate(page, href)
                .unwrap_or_else(|e| panic!("{href}: {e}"))
                .show()
        })
        .collect();
    assert_eq!(
        targets,
        [
            "es/primeros-pasos/handouts/registro/index.html",
            "es/siguientes-pasos/index.html",
            "es/siguientes-pasos/index.html#ir-más-allá",
            "es/primeros-pasos/index.html#por-qué-importa",
        ]
    );
    for href in &hrefs {
        assert!(
            !href.contains(".md"),
            "a link still points at Markdown: {href}"
        );
        assert!(!href.starts_with('/'), "a link is not relative: {href}");
    }
    // An image beside the English text serves the Spanish page too.
    let src = site.page(page).attrs("main .prose img", "src");
    assert_eq!(
        site.locate(page, &src[0]).expect("the image resolves").file,
        "en/first-steps/images/dot.svg"
    );
}

#[test]
fn md_links_end_in_index_html() {
    let site = Project::fixture("bilingual").built();
    let page = "es/primeros-pasos/index.html";
    assert_eq!(
        site.page(page).attrs("main .prose a", "href"),
        [
            "../../es/primeros-pasos/handouts/registro/index.html",
            "../../es/siguientes-pasos/index.html",
            "../../es/siguientes-pasos/index.html#ir-m%C3%A1s-all%C3%A1",
            "#por-qu%C3%A9-importa",
        ]
    );
}

#[test]
fn every_internal_link_and_anchor_of_a_built_site_resolves() {
    for fixture in [
        "bilingual",
        "translations",
        "facilitator-only",
        "agenda",
        "theme-overrides",
    ] {
        let site = Project::fixture(fixture).built();
        site.check_links().assert_all_resolve();
    }
}

#[test]
fn every_internal_link_opens_a_file_from_disk() {
    let site = Project::fixture("bilingual").built();
    let report = site.check_links();
    assert!(
        report.folder_links.is_empty(),
        "links to folders:\n{}",
        report.folder_links.join("\n")
    );
}

#[test]
fn no_page_loads_anything_from_another_host() {
    let site = Project::fixture("bilingual").built();
    let report = site.check_links();
    assert!(
        report.foreign.is_empty(),
        "loaded from elsewhere:\n{}",
        report.foreign.join("\n")
    );
    let css = site
        .page("en/first-steps/index.html")
        .attrs("link[rel=stylesheet]", "href");
    assert_eq!(css, ["../../assets/hearth.css"]);
}

#[test]
fn links_to_a_missing_document_or_anchor_are_errors_at_their_place() {
    let project = Project::fixture("bilingual");
    let file = "content/en/modules/01-first-steps/index.md";
    let text = "See [a lost page](../09-lost/index.md), [a lost part](../02-next-steps/index.md#no-such-part)\nand [a lost heading](#nowhere).\n";
    let line = project.append(file, &format!("\n{text}")) + 1;
    let col = |needle: &str| text.find(needle).expect("the link is in the text") + 1;
    let run = project.build();
    run.exits(1);
    run.error_at(&format!("{file}:{line}:{}", col("[a lost page]")));
    run.error_at(&format!("{file}:{line}:{}", col("[a lost part]")));
    run.error_at(&format!("{file}:{}:5", line + 1));
    assert_eq!(run.errors().len(), 3, "{run}");
    assert!(
        !project.path("public").exists(),
        "a failed build wrote a site"
    );
    project.check().exits(1);
}

#[test]
fn a_link_to_a_missing_spanish_anchor_is_an_error_in_the_spanish_file() {
    let project = Project::fixture("bilingual");
    let file = "content/es/about.md";
    // The English heading's id is not the Spanish page's.
    project.replace(file, "#ir-más-allá", "#going-further");
    let line = project.line_of(file, "#going-further");
    let col = project
        .read(file)
        .lines()
        .nth(line - 1)
        .expect("the line")
        .find("[ir")
        .expect("the link")
        + 1;
    let run = project.build();
    run.exits(1);
    run.error_at(&format!("{file}:{line}:{col}"));
}

#[test]
fn links_in_a_guides_preparation_resolve_and_a_broken_one_is_an_error_at_its_place() {
    let project = Project::fixture("bilingual");
    let file = "content/en/modules/01-first-steps/facilitator.md";
    project.replace(
        file,
        "preparation: Print the check-in sheet.",
        "preparation: |\n  Print the [check-in sheet](handouts/01-check-in.md).\n  Read [the next session](../02-next-steps/index.md) and [its notes](../02-next-steps/lost.md).",
    );
    let line = project.line_of(file, "[its notes]");
    let col = project
        .read(file)
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("[its notes]")
        .unwrap()
        + 1;
    let run = project.build();
    run.exits(1);
    let error = run.error_at(&format!("{file}:{line}:{col}"));
    assert!(error.message.contains("lost.md"), "{error:?}");
    assert_eq!(run.errors().len(), 1, "{run}");

    // Fixed, the preparation's links lead to the pages, from the guide and the binder.
    project.replace(
        file,
        "../02-next-steps/lost.md",
        "../02-next-steps/index.md",
    );
    let site = project.built();
    for page in [
        "en/first-steps/facilitator/index.html",
        "en/print/facilitator/index.html",
    ] {
        let hrefs = site.page(page).attrs(".preparation a", "href");
        let targets: Vec<String> = hrefs
            .iter()
            .map(|href| {
                site.locate(page, href)
                    .unwrap_or_else(|e| panic!("{page}: {href}: {e}"))
                    .show()
            })
            .collect();
        assert_eq!(
            targets,
            [
                "en/first-steps/handouts/check-in/index.html",
                "en/next-steps/index.html",
                "en/next-steps/index.html",
            ],
            "{page}"
        );
    }
}
