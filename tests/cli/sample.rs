//! The repository's own sample toolkit (its `hearth.yaml` and `content/`, copied out so
//! the build never writes into the repository) builds cleanly, with light pages whose
//! links all lead somewhere.

use crate::support::{Project, Site, is_facilitator_page};

/// A participant page's HTML plus the stylesheet must stay under this (DESIGN.md).
const PAGE_BUDGET: usize = 50 * 1000;

fn sample_site() -> (Project, Site) {
    let project = Project::sample();
    let run = project.build();
    run.success();
    assert!(!run.stderr.contains("error:"), "{run}");
    let site = project.site();
    (project, site)
}

#[test]
fn the_sample_toolkit_builds_without_errors() {
    let (_project, site) = sample_site();
    let pages = site.html_files();
    assert!(pages.len() > 50, "only {} pages", pages.len());
    for must in ["index.html", "en/index.html", "es/index.html", "404.html"] {
        assert!(site.exists(must), "{must}");
    }
    // The sample has no `base_url`, and a sitemap needs absolute addresses.
    assert!(!site.exists("sitemap.xml"));
}

#[test]
fn every_participant_page_and_its_css_stay_under_50_kb() {
    let (_project, site) = sample_site();
    let css = site.snapshot()["assets/hearth.css"].len();
    let mut checked = 0;
    for (path, bytes) in site.snapshot() {
        if !path.ends_with(".html") || is_facilitator_page(&path) || path.contains("/print/") {
            continue;
        }
        checked += 1;
        let total = bytes.len() + css;
        assert!(
            total < PAGE_BUDGET,
            "{path}: {} B of HTML + {css} B of CSS = {total} B",
            bytes.len()
        );
    }
    assert!(checked > 20, "only {checked} participant pages");
}

#[test]
fn every_link_and_anchor_of_the_sample_resolves_and_nothing_loads_from_elsewhere() {
    let (_project, site) = sample_site();
    let report = site.check_links();
    report.assert_all_resolve();
    assert!(
        report.foreign.is_empty(),
        "loaded from elsewhere:\n{}",
        report.foreign.join("\n")
    );
}

#[test]
fn no_facilitator_block_of_the_sample_reaches_a_participant_page() {
    let (_project, site) = sample_site();
    for path in site.html_files() {
        if is_facilitator_page(&path) {
            continue;
        }
        let page = site.page(&path);
        let leaked = page.count(".block-facilitator, .block-say, .block-adapt, .agenda");
        assert_eq!(leaked, 0, "facilitator-only blocks on {path}");
    }
}

#[test]
fn the_sample_builds_to_the_same_bytes_twice() {
    let (project, site) = sample_site();
    let first = site.snapshot();
    project.build().success();
    assert!(
        site.snapshot() == first,
        "a second build of the sample changed bytes"
    );
}

#[test]
fn every_printed_page_names_the_crisis_line_and_the_organisation_in_its_footer() {
    let (_project, site) = sample_site();
    let mut checked = 0;
    for path in site.html_files() {
        let page = site.page(&path);
        if page.count(".site-footer") == 0 {
            continue; // the language chooser and the 404 page
        }
        checked += 1;
        let style = page.texts("head style").join(" ");
        let (crisis, org) = if path.starts_with("es/") {
            (
                "Línea 988 de Prevención del Suicidio y Crisis",
                "Centro de Recursos Familiares de Ejemplo",
            )
        } else {
            (
                "988 Suicide & Crisis Lifeline (call or text, any time)",
                "Example Family Resource Center",
            )
        };
        assert!(
            style.contains("@bottom-left") && style.contains(crisis) && style.contains(org),
            "{path}: the printed footer lacks the crisis line or the organisation: {style}"
        );
    }
    assert!(checked > 100, "only {checked} pages");
}

#[test]
fn task_lists_show_boxes_to_tick_not_unlabelled_form_controls() {
    let (_project, site) = sample_site();
    for path in [
        "en/calm-and-crisis-plan/handouts/a-safer-home/index.html",
        "en/print/calm-and-crisis-plan/index.html",
    ] {
        let page = site.page(path);
        // The header's search box is the one labelled input a page has.
        assert_eq!(
            page.count("main input"),
            0,
            "{path}: a form control with no label"
        );
        assert_eq!(page.count("li > .task[aria-hidden=true]"), 12, "{path}");
    }
}

#[test]
fn handouts_in_packets_say_how_many_pages_they_must_fit() {
    let (_project, site) = sample_site();
    let page = site.page("en/print/handouts/index.html");
    let handouts = page.count(".packet-item.handout");
    assert!(handouts > 20, "only {handouts} handouts");
    assert_eq!(
        page.attrs(".packet-item.handout", "data-pages").len(),
        handouts
    );
}
