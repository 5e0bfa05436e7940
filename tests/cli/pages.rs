//! The pages of DESIGN.md's Output list, in both languages, at their Spanish `slug:`
//! addresses, each saying its language.

use crate::support::{Project, is_facilitator_page};

/// Everything a build of `tests/fixtures/bilingual` writes.
const BILINGUAL_OUTPUT: &[&str] = &[
    ".hearth-output",
    "404.html",
    "assets/favicon.svg",
    "assets/hearth.css",
    "assets/search.js",
    "assets/search/en-facilitator.js",
    "assets/search/en.js",
    "assets/search/es-facilitator.js",
    "assets/search/es.js",
    "en/about/index.html",
    "en/first-steps/facilitator/index.html",
    "en/first-steps/handouts/check-in/index.html",
    "en/first-steps/images/dot.svg",
    "en/first-steps/index.html",
    "en/index.html",
    "en/next-steps/facilitator/index.html",
    "en/next-steps/index.html",
    "en/print/facilitator/index.html",
    "en/print/first-steps/index.html",
    "en/print/handouts/index.html",
    "en/print/next-steps/index.html",
    "en/print/programs/short/index.html",
    "en/programs/short/index.html",
    "es/acerca-de/index.html",
    "es/index.html",
    "es/primeros-pasos/facilitator/index.html",
    "es/primeros-pasos/handouts/registro/index.html",
    "es/primeros-pasos/index.html",
    "es/print/facilitator/index.html",
    "es/print/handouts/index.html",
    "es/print/primeros-pasos/index.html",
    "es/print/programs/short/index.html",
    "es/print/siguientes-pasos/index.html",
    "es/programs/short/index.html",
    "es/siguientes-pasos/facilitator/index.html",
    "es/siguientes-pasos/index.html",
    "index.html",
];

#[test]
fn a_bilingual_toolkit_builds_every_output_page_in_both_languages() {
    let project = Project::fixture("bilingual");
    let site = project.built();
    // Each search index's parts (its words by letter, its excerpts) are listed apart.
    let (parts, files): (Vec<String>, Vec<String>) = site
        .files()
        .into_iter()
        .partition(|f| f.starts_with("assets/search/") && f.matches('/').count() == 3);
    assert_eq!(files, BILINGUAL_OUTPUT);
    for index in ["en", "en-facilitator", "es", "es-facilitator"] {
        let own: Vec<&String> = parts
            .iter()
            .filter(|p| p.starts_with(&format!("assets/search/{index}/")))
            .collect();
        assert!(
            own.iter().any(|p| p.ends_with("/x-0.js")),
            "{index}: {own:?}"
        );
        assert!(own.iter().any(|p| p.contains("/w-")), "{index}: {own:?}");
    }
    assert_eq!(parts.iter().filter(|p| p.ends_with("/x-0.js")).count(), 4);
}

#[test]
fn every_page_says_its_language() {
    let site = Project::fixture("bilingual").built();
    for path in site.html_files() {
        // The chooser and the 404 page sit above both languages and use the source's.
        let expected = if path.starts_with("es/") { "es" } else { "en" };
        assert_eq!(
            site.page(&path).lang().as_deref(),
            Some(expected),
            "<html lang> of {path}"
        );
    }
}

#[test]
fn the_chooser_links_to_both_homes_without_script() {
    let site = Project::fixture("bilingual").built();
    let chooser = site.page("index.html");
    assert_eq!(
        chooser.attrs("a.button", "href"),
        ["en/index.html", "es/index.html"]
    );
    assert_eq!(chooser.attrs("a", "hreflang"), ["en", "es"]);
    // Someone in crisis may land here first: each language carries the crisis lines.
    assert_eq!(
        chooser.attrs(".choice a.tel", "href"),
        ["tel:988", "tel:988"]
    );
    assert_eq!(
        chooser.texts(".choice-crisis strong"),
        ["Need help now?", "¿Necesita ayuda ahora?"]
    );
    assert_eq!(chooser.attrs("section.choice", "lang"), ["en", "es"]);
    assert_eq!(chooser.count("script"), 0);
}

#[test]
fn each_home_lists_its_modules_in_order_at_their_own_addresses() {
    let site = Project::fixture("bilingual").built();
    let en = site.page("en/index.html");
    assert_eq!(en.texts(".cards h3"), ["First Steps", "Next Steps"]);
    let es = site.page("es/index.html");
    assert_eq!(
        es.texts(".cards h3"),
        ["Primeros pasos", "Siguientes pasos"]
    );
    let targets: Vec<String> = es
        .attrs(".cards h3 a", "href")
        .iter()
        .map(|href| {
            site.locate("es/index.html", href)
                .expect("a module link resolves")
                .file
        })
        .collect();
    assert_eq!(
        targets,
        [
            "es/primeros-pasos/index.html",
            "es/siguientes-pasos/index.html"
        ]
    );
}

#[test]
fn spanish_pages_use_their_slugs_and_switch_to_the_english_counterpart() {
    let site = Project::fixture("bilingual").built();
    let cases = [
        (
            "es/primeros-pasos/index.html",
            "Primeros pasos",
            "en/first-steps/index.html",
        ),
        (
            "es/primeros-pasos/handouts/registro/index.html",
            "Registro",
            "en/first-steps/handouts/check-in/index.html",
        ),
        (
            "es/acerca-de/index.html",
            "Acerca de estos materiales",
            "en/about/index.html",
        ),
        (
            "es/programs/short/index.html",
            "Serie corta",
            "en/programs/short/index.html",
        ),
    ];
    for (page, title, english) in cases {
        let p = site.page(page);
        assert_eq!(p.text_of("main h1"), title, "{page}");
        let switch = p.attrs(".lang-switch a[hreflang=en]", "href");
        assert_eq!(switch.len(), 1, "{page} links once to English");
        assert_eq!(
            site.locate(page, &switch[0])
                .expect("the switch resolves")
                .file,
            english,
            "{page}"
        );
        let alternate = p.attrs("link[rel=alternate][hreflang=en]", "href");
        assert_eq!(
            site.locate(page, &alternate[0])
                .expect("the alternate resolves")
                .file,
            english,
            "{page}"
        );
    }
}

#[test]
fn packets_binders_and_programs_gather_the_right_pages() {
    let site = Project::fixture("bilingual").built();
    let titles = |page: &str| site.page(page).texts(".packet-item > h2");
    assert_eq!(
        titles("es/print/primeros-pasos/index.html"),
        ["Primeros pasos", "Registro"]
    );
    assert_eq!(
        titles("en/print/first-steps/index.html"),
        ["First Steps", "Check-in"]
    );
    assert_eq!(titles("en/print/handouts/index.html"), ["Check-in"]);
    assert_eq!(titles("es/print/handouts/index.html"), ["Registro"]);
    assert_eq!(
        titles("en/print/facilitator/index.html"),
        ["First Steps", "Next Steps"]
    );
    assert_eq!(
        titles("es/print/programs/short/index.html"),
        ["Primeros pasos", "Siguientes pasos"]
    );
    let program = site.page("en/programs/short/index.html");
    assert_eq!(program.texts(".cards h2"), ["First Steps", "Next Steps"]);
    let guide = site.page("es/primeros-pasos/facilitator/index.html");
    assert_eq!(guide.text_of("main h1"), "Primeros pasos");
    assert_eq!(guide.texts(".materials li"), ["Bolígrafos"]);
}

#[test]
fn facilitator_pages_and_only_they_carry_noindex() {
    let site = Project::fixture("bilingual").built();
    for path in site.html_files() {
        if path == "404.html" {
            continue;
        }
        let noindex = site.page(&path).attrs("meta[name=robots]", "content") == ["noindex"];
        assert_eq!(noindex, is_facilitator_page(&path), "noindex on {path}");
    }
}

#[test]
fn the_sitemap_lists_pages_with_hreflang_alternates() {
    let project = Project::fixture("bilingual");
    project
        .hearth(&[
            "build",
            "--out",
            "public",
            "--base-url",
            "https://example.org/toolkit",
        ])
        .success();
    let site = project.site();
    let xml = site.text("sitemap.xml");
    let entry = |loc: &str| -> String {
        xml.split("<url>")
            .find(|u| u.starts_with(&format!("<loc>{loc}</loc>")))
            .unwrap_or_else(|| panic!("the sitemap has no <loc>{loc}</loc>:\n{xml}"))
            .to_owned()
    };
    // The sitemaps protocol allows only absolute addresses.
    for part in xml
        .split("<loc>")
        .skip(1)
        .chain(xml.split("href=\"").skip(1))
    {
        assert!(part.starts_with("https://example.org/toolkit/"), "{part}");
    }
    let module = entry("https://example.org/toolkit/es/primeros-pasos/");
    assert!(
        module.contains(r#"hreflang="en" href="https://example.org/toolkit/en/first-steps/""#),
        "{module}"
    );
    assert!(
        module.contains(r#"hreflang="es" href="https://example.org/toolkit/es/primeros-pasos/""#),
        "{module}"
    );
    let page = entry("https://example.org/toolkit/en/about/");
    assert!(
        page.contains(r#"hreflang="es" href="https://example.org/toolkit/es/acerca-de/""#),
        "{page}"
    );
    entry("https://example.org/toolkit/en/first-steps/handouts/check-in/");
    assert!(
        !xml.contains("facilitator"),
        "facilitator pages are noindex and stay out of the sitemap:\n{xml}"
    );
    // The 404 page is served from any address, so it links home absolutely.
    let not_found = site.page("404.html");
    assert_eq!(
        not_found.attrs("a.button", "href"),
        [
            "https://example.org/toolkit/en/index.html",
            "https://example.org/toolkit/es/index.html"
        ]
    );
}

#[test]
fn without_base_url_there_is_no_sitemap_and_the_build_says_so_once() {
    let project = Project::fixture("bilingual");
    let run = project.build();
    run.success();
    assert!(!project.site().exists("sitemap.xml"));
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("note: "))
        .collect();
    assert_eq!(notes.len(), 1, "{run}");
    assert!(
        notes[0].contains("sitemap.xml") && notes[0].contains("base_url"),
        "{run}"
    );
    assert!(run.warnings().is_empty(), "a note, not a warning: {run}");
    // `check` has nothing to say about it.
    let check = project.check();
    check.success();
    assert_eq!(check.stderr, "", "{check}");
    // With an address, the note goes.
    let run = project.hearth(&[
        "build",
        "--out",
        "public",
        "--base-url",
        "https://example.org/",
    ]);
    run.success();
    assert!(!run.stderr.contains("note:"), "{run}");
    assert!(project.site().exists("sitemap.xml"));
}

#[test]
fn the_404_page_links_to_both_homes() {
    let site = Project::fixture("bilingual").built();
    let page = site.page("404.html");
    assert_eq!(page.lang().as_deref(), Some("en"));
    assert_eq!(
        page.attrs("a.button", "href"),
        ["en/index.html", "es/index.html"]
    );
    assert_eq!(page.attrs(".choice a.tel", "href"), ["tel:988", "tel:988"]);
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
}
