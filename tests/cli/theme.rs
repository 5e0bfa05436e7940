//! A project's own `templates/`, `locales/` and `static/` laid over the built-in theme,
//! which needs no `themes/` folder.

use crate::support::Project;

#[test]
fn a_project_template_overrides_the_built_in_one() {
    let site = Project::fixture("theme-overrides").built();
    for page in ["en/about/index.html", "es/quienes-somos/index.html"] {
        let p = site.page(page);
        assert_eq!(
            p.text_of(".partner-banner"),
            "PARTNER TEMPLATE OVERRIDE",
            "{page}"
        );
        // It extends the built-in base, so the page keeps its header and language switch.
        assert_eq!(p.count(".lang-switch"), 1, "{page}");
    }
    assert_eq!(
        site.page("es/quienes-somos/index.html").text_of("main h1"),
        "Quiénes somos"
    );
    // Other templates are still the theme's.
    assert_eq!(site.page("en/only/index.html").count(".partner-banner"), 0);
}

#[test]
fn a_project_string_overrides_one_theme_string_and_keeps_the_rest() {
    let site = Project::fixture("theme-overrides").built();
    let es = site.page("es/index.html");
    assert_eq!(es.text_of("#sessions-title"), "Nuestros encuentros");
    assert_eq!(
        es.text_of("#print-title"),
        "Para imprimir",
        "the theme's other strings stay"
    );
    assert_eq!(
        site.page("en/index.html").text_of("#sessions-title"),
        "Sessions"
    );
}

#[test]
fn a_project_without_a_themes_folder_builds_with_the_built_in_theme() {
    let project = Project::fixture("theme-overrides");
    assert!(!project.path("themes").exists());
    let site = project.built();
    assert!(!site.text("assets/hearth.css").is_empty());
    let css = site
        .page("en/only/index.html")
        .attrs("link[rel=stylesheet]", "href");
    assert_eq!(
        site.locate("en/only/index.html", &css[0])
            .expect("the stylesheet")
            .file,
        "assets/hearth.css"
    );
    // The project's static files are copied as they are.
    assert_eq!(site.text("robots.txt"), project.read("static/robots.txt"));
}

#[test]
fn editor_backups_and_hidden_files_stay_out_of_the_site_wherever_they_are() {
    let project = Project::fixture("theme-overrides");
    // What editors leave beside the files an author saves, in every folder hearth reads.
    let noise = [
        "static/robots.txt~",
        "static/.robots.txt.swp",
        "static/#robots.txt#",
        "static/notes/.DS_Store",
        "themes/default/static/hearth.css~",
        "templates/page.html~",
        "content/en/modules/01-only/images/photo.png.tmp",
        "content/en/#about.md#",
    ];
    for rel in noise {
        project.write(rel, "half-saved");
    }
    // A backup of a template is not a template: were it read, `page.html~` would be a
    // template of its own and the build would fail on its text.
    project.write("templates/page.html~", "{% broken");
    let site = project.built();
    let files = site.files();
    for rel in noise {
        let name = rel.rsplit('/').next().unwrap();
        assert!(
            !files.iter().any(|f| f.ends_with(name)),
            "{rel} reached the site: {files:?}"
        );
    }
    assert!(site.exists("robots.txt"));
}
