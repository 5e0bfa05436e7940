//! Raw HTML in content: cleaned to an allow-list on every page (no scripts, event
//! attributes, `javascript:` or `data:` addresses, frames, pictures from other hosts),
//! with a `check` warning at the line of each thing removed, unless the organisation
//! trusts its authors with `allow_raw_html: true`.

use crate::support::Project;

const DANGEROUS: &[&str] = &[
    "<script",
    "onerror",
    "onclick",
    "javascript:",
    "<iframe",
    "SCRIPTRAN",
];

#[test]
fn raw_html_is_cleaned_on_every_page_and_check_says_where() {
    let project = Project::fixture("containers");
    let site = project.built();
    let pages = [
        "en/quotes/index.html",
        "en/quotes/facilitator/index.html",
        "en/quotes/handouts/notes/index.html",
        "en/print/quotes/index.html",
        "en/print/handouts/index.html",
        "en/print/facilitator/index.html",
    ];
    for path in pages {
        // The content, which is the author's: the page's own head loads hearth's search.
        let page = site.page(path);
        let page: String = page
            .doc
            .select(&crate::support::sel("main"))
            .map(|m| m.html())
            .collect();
        assert!(!page.is_empty(), "{path} has no main");
        for bad in DANGEROUS {
            assert!(!page.contains(bad), "{bad} in {path}");
        }
    }
    // What is safe stays: the paragraph, the picture from the site, the link's text.
    let module = site.page("en/quotes/index.html");
    assert_eq!(module.attrs("main img", "src"), ["photo.png"]);
    assert!(module.text_of("main").contains("a trap"));
    assert!(
        site.page("en/quotes/handouts/notes/index.html")
            .text_of("main")
            .contains("PUBLICHANDOUT link")
    );

    let check = project.check();
    check.exits(0);
    let index = "content/en/modules/01-quotes/index.md";
    let script = project.line_of(index, "<script>");
    let img = project.line_of(index, "onerror");
    let trap = project.line_of(index, "[a trap]");
    let warnings = check.warnings();
    let warned = |location: String, says: &str| {
        assert!(
            warnings
                .iter()
                .any(|w| w.location == location && w.message.contains(says) && w.hint.is_some()),
            "no warning at {location} that says {says}:\n{check}"
        );
    };
    warned(format!("{index}:{script}:1"), "`<script>` is removed");
    warned(format!("{index}:{img}:1"), "`onerror` attribute");
    warned(
        format!("{index}:{trap}:1"),
        "`javascript:` address is removed",
    );
    warned(format!("{index}:{trap}:35"), "`<iframe>` is removed");
    let handout = "content/en/modules/01-quotes/handouts/01-notes.md";
    let link = project.line_of(handout, "onclick");
    warned(format!("{handout}:{link}:1"), "`onclick` attribute");
}

#[test]
fn allow_raw_html_keeps_an_organisations_own_html() {
    let project = Project::fixture("containers");
    project.append("hearth.yaml", "allow_raw_html: true\n");
    let check = project.check();
    check.success();
    assert!(check.warnings().is_empty(), "{check}");
    let site = project.built();
    let page = site.page("en/quotes/index.html").html();
    assert!(
        page.contains("<script>alert(\"SCRIPTRAN\")</script>"),
        "{page}"
    );
    assert!(page.contains("onerror"));
    // Trust covers HTML, never facilitator-only text.
    assert!(!page.contains("SECRET"));
}

#[test]
fn pictures_from_other_hosts_are_removed_with_a_warning() {
    let project = Project::fixture("containers");
    let index = "content/en/modules/01-quotes/index.md";
    project.append(index, "\n![A tracker](https://tracker.example/pixel.gif)\n");
    let check = project.check();
    let line = project.line_of(index, "tracker.example");
    assert!(
        check
            .warning_at(&format!("{index}:{line}:1"))
            .message
            .contains("another web site")
    );
    let site = project.built();
    let module = site.page("en/quotes/index.html");
    assert!(!module.html().contains("tracker.example"));
    assert!(
        module.text_of("main").contains("A tracker"),
        "its description stays"
    );
}
