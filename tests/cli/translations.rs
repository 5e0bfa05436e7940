//! Translations that lag behind: shown as not yet available, never as a broken link or a
//! silent stand-in, and reported as warnings so a partner can still publish.

use crate::support::Project;

#[test]
fn the_spanish_home_offers_an_untranslated_module_in_english_with_a_note() {
    let site = Project::fixture("translations").built();
    let home = site.page("es/index.html");
    assert_eq!(
        home.texts(".cards h3"),
        ["En los dos idiomas", "English Only"]
    );
    assert_eq!(home.count(".cards li.untranslated"), 1);
    let note = home.text_of(".cards li.untranslated .note-inline");
    assert!(
        note.contains("Español"),
        "the note names the missing language: {note}"
    );
    let href = home.attrs(".cards li.untranslated h3 a", "href");
    assert_eq!(
        site.locate("es/index.html", &href[0])
            .expect("no broken link")
            .file,
        "en/english-only/index.html"
    );
    assert_eq!(
        home.attrs(".cards li.untranslated h3 a", "hreflang"),
        ["en"]
    );
    // Never silently replaced: there is no Spanish page for it.
    assert!(
        !site
            .files()
            .iter()
            .any(|f| f.starts_with("es/english-only"))
    );
}

#[test]
fn an_untranslated_modules_language_switch_says_it_is_not_available() {
    let site = Project::fixture("translations").built();
    let page = site.page("en/english-only/index.html");
    assert!(
        page.attrs(".lang-switch a", "href").is_empty(),
        "no link to a Spanish page"
    );
    assert!(
        page.text_of(".lang-switch .unavailable")
            .contains("Español")
    );
    assert!(
        page.attrs("link[rel=alternate][hreflang=es]", "href")
            .is_empty()
    );
    // Its translated neighbour does link across.
    let both = site.page("en/both/index.html");
    assert_eq!(both.attrs(".lang-switch a", "hreflang"), ["es"]);
}

#[test]
fn an_untranslated_handout_is_offered_in_the_source_language() {
    let site = Project::fixture("translations").built();
    let page = "es/en-los-dos/index.html";
    let module = site.page(page);
    assert_eq!(module.texts(".handout-list li a"), ["Only in English"]);
    assert_eq!(module.attrs(".handout-list li a", "hreflang"), ["en"]);
    let href = module.attrs(".handout-list li a", "href");
    assert_eq!(
        site.locate(page, &href[0]).expect("no broken link").file,
        "en/both/handouts/only-english/index.html"
    );
    assert_eq!(module.count(".handout-list .note-inline"), 1);
}

#[test]
fn missing_and_unmarked_translations_are_warnings_not_errors() {
    let project = Project::fixture("translations");
    for run in [project.build(), project.check()] {
        run.success();
        // No `translated_from`.
        run.warning_at("content/es/modules/01-both/index.md");
        // Not translated at all.
        run.warning_at("content/es/modules/02-english-only/index.md");
        run.warning_at("content/es/modules/01-both/handouts/01-only-english.md");
    }
}

#[test]
fn a_guide_translated_before_its_module_still_builds() {
    let project = Project::fixture("translations");
    project.write(
        "content/en/modules/02-english-only/facilitator.md",
        "---\nmaterials:\n  - Pens\n---\n\nRun it gently.\n",
    );
    project.write(
        "content/es/modules/02-english-only/facilitator.md",
        "---\nmaterials:\n  - Bolígrafos\n---\n\nCon calma.\n",
    );
    let run = project.build();
    run.success();
    run.warning_at("content/es/modules/02-english-only/index.md");
    let home = project.site().page("es/index.html");
    assert_eq!(home.count(".cards li.untranslated"), 1);
}
