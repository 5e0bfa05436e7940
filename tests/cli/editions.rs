//! Partner editions (`editions/<id>.yaml`): each edition a complete site of its own, with
//! its languages, modules, organisation, logo and crisis lines; links into the modules
//! it leaves out as plain text; partner values in shared text; and every problem of every
//! edition reported by one `hearth check`, at the line of the edition file at fault.
//!
//! The `editions` fixture has two editions that differ in every key: `alpha` (Spanish
//! first, two of three sessions in its program's order, its own lines and logo, an old
//! `verified` date) and `beta` (English only, every session, the site's name with its own
//! phone, a single line of its own).

use crate::support::{Project, Site};

fn all_editions() -> (Project, Site, Site, Site) {
    let project = Project::fixture("editions");
    project
        .hearth(&["build", "--all-editions", "--out", "public"])
        .success();
    let base = project.site();
    let alpha = project.site_in("public/editions/alpha");
    let beta = project.site_in("public/editions/beta");
    (project, base, alpha, beta)
}

#[test]
fn each_edition_is_a_complete_site_with_only_its_languages_and_sessions() {
    let (_project, base, alpha, beta) = all_editions();
    for page in ["en/hard-night/index.html", "es/welcome/index.html"] {
        assert!(base.exists(page), "the toolkit's own site lacks {page}");
    }
    assert!(alpha.exists("es/welcome/index.html") && alpha.exists("en/rest/index.html"));
    for left_out in [
        "es/hard-night/index.html",
        "en/hard-night/index.html",
        "en/hard-night/handouts/plan/index.html",
        "en/print/hard-night/index.html",
        "en/programs/all/index.html",
    ] {
        assert!(!alpha.exists(left_out), "alpha builds {left_out}");
    }
    assert!(beta.exists("en/hard-night/handouts/plan/index.html"));
    assert!(!beta.exists("es/index.html"), "beta is English only");
    // Packets and binders hold only the edition's sessions.
    let binder = alpha.page("es/print/facilitator/index.html").html();
    assert!(binder.contains("Bienvenida") && !binder.contains("Una noche difícil"));
    // Every link of every edition leads somewhere, from its own folder.
    for site in [&base, &alpha, &beta] {
        site.check_links().assert_all_resolve();
    }
}

#[test]
fn an_edition_in_one_language_has_no_language_switch_and_its_root_goes_home() {
    let (_project, _base, alpha, beta) = all_editions();
    assert_eq!(beta.page("en/welcome/index.html").count(".lang-switch"), 0);
    let root = beta.page("index.html");
    assert_eq!(
        root.attrs("meta[http-equiv=refresh]", "content"),
        ["0; url=en/index.html"]
    );
    // Alpha's home language comes first, and its pages switch between its two.
    let root = alpha.page("index.html");
    assert_eq!(root.lang().as_deref(), Some("es"));
    assert_eq!(
        root.attrs(".choice a.button", "href"),
        ["es/index.html", "en/index.html"]
    );
    assert_eq!(
        alpha.page("es/welcome/index.html").texts(".lang-switch li"),
        ["Español", "English"]
    );
}

#[test]
fn every_page_carries_the_editions_organisation_logo_and_crisis_lines() {
    let (_project, base, alpha, beta) = all_editions();
    let page = alpha.page("es/rest/index.html");
    assert!(page.text_of(".site-footer .org").starts_with("Centro Alfa"));
    assert_eq!(
        page.attrs(".site-footer .org a.tel", "href"),
        ["tel:5550142"]
    );
    assert_eq!(
        page.attrs(".footer-crisis a", "href"),
        ["tel:5550199", "tel:988", "sms:988?body=AYUDA"]
    );
    assert_eq!(
        alpha
            .page("en/rest/index.html")
            .attrs(".footer-crisis a.sms", "href"),
        ["sms:988?body=HELP"],
        "the text message is in the page's language"
    );
    // The logo, in the header and in every printed page's margin.
    assert_eq!(page.attrs("img.org-logo", "alt"), ["Centro Alfa"]);
    let src = &page.attrs("img.org-logo", "src")[0];
    assert_eq!(
        alpha.locate("es/rest/index.html", src).unwrap().file,
        "logos/alpha.svg"
    );
    let handouts = alpha.text("es/print/handouts/index.html");
    assert!(handouts.contains("@top-right{content:url(\"../../../logos/alpha.svg\")"));
    // The print footer names the edition's organisation and lines.
    // Numbers with unbreakable hyphens, so they never split across lines.
    assert!(handouts.contains("Equipo de crisis de Alfa: 555\u{2011}0199"));
    assert!(handouts.contains("Centro Alfa · 555\u{2011}0142"));
    // On screen, the footer keeps each number on one line.
    let page = alpha.page("es/rest/index.html");
    assert!(
        page.texts(".footer-crisis .nowrap")
            .contains(&"555-0199".to_owned()),
        "{:?}",
        page.texts(".footer-crisis li")
    );
    // Beta keeps the site's name but has its own phone, logo text and one line.
    let page = beta.page("en/rest/index.html");
    assert!(
        page.text_of(".site-footer .org")
            .starts_with("Base Family Center · 555-0170")
    );
    assert_eq!(page.attrs("img.org-logo", "alt"), ["Beta Clinic"]);
    assert_eq!(page.attrs(".footer-crisis a", "href"), ["tel:988"]);
    assert_eq!(page.texts(".footer-crisis li"), ["Call or text 988"]);
    // The toolkit's own site has none of the editions' values.
    let page = base.page("en/rest/index.html");
    assert_eq!(page.count("img.org-logo"), 0);
    assert_eq!(
        page.attrs(".footer-crisis a", "href"),
        ["tel:988", "sms:988?body=HELP", "tel:5550111"]
    );
}

#[test]
fn canonical_links_and_the_sitemap_use_the_editions_address() {
    let (_project, base, alpha, beta) = all_editions();
    assert!(
        !base.exists("sitemap.xml"),
        "the fixture's own site has no base_url"
    );
    assert_eq!(
        beta.page("en/rest/index.html")
            .attrs("link[rel=canonical]", "href"),
        ["https://beta.example.org/care/en/rest/"]
    );
    let sitemap = alpha.text("sitemap.xml");
    assert!(sitemap.contains("<loc>https://alpha.example.org/es/welcome/</loc>"));
    assert!(!sitemap.contains("hard-night"), "{sitemap}");
    assert!(!beta.text("sitemap.xml").contains("/es/"));
}

#[test]
fn a_link_into_a_left_out_session_is_plain_text_with_a_note_and_a_warning() {
    let (project, _base, alpha, beta) = all_editions();
    let page = alpha.page("es/welcome/index.html");
    let p = page.texts(".prose p")[0].clone();
    assert!(
        p.contains("una noche difícil (no forma parte de este programa)"),
        "{p}"
    );
    assert_eq!(
        page.attrs(".prose p a", "href")[0],
        "../../es/rest/index.html",
        "the link to a session alpha has stays a link"
    );
    assert!(
        alpha.page("en/welcome/index.html").html().contains(
            "a hard night <span class=\"not-in-program\">(not part of this program)</span>"
        )
    );
    assert_eq!(
        beta.page("en/welcome/index.html").count(".not-in-program"),
        0
    );
    let run = project.check();
    run.success();
    let file = "content/es/modules/01-welcome/index.md";
    let line = project.line_of(file, "una noche difícil");
    let w = run.warning_at(&format!("{file}:{line}:28"));
    assert!(w.message.starts_with("[edition alpha] "), "{}", w.message);
    assert!(w.hint.unwrap().contains("editions/alpha.yaml"));
}

#[test]
fn partner_values_in_shared_text_follow_each_edition_and_fall_back_to_the_site() {
    let (_project, base, alpha, beta) = all_editions();
    let home = |site: &Site, lang: &str| {
        site.page(&format!("{lang}/index.html")).texts(".prose p")[0].clone()
    };
    assert_eq!(
        home(&base, "en"),
        "Welcome. This group is offered by Base Family Center. Call us at 555-0100."
    );
    assert_eq!(
        home(&alpha, "es"),
        "Bienvenidos. Este grupo lo ofrece Centro Alfa. Llámenos al 555-0142."
    );
    let page = alpha.page("es/welcome/index.html");
    assert_eq!(
        page.texts(".prose p")[1],
        "Si necesita ayuda, llame a Equipo de crisis de Alfa: 555-0199. O llame al 988 a cualquier hora."
    );
    assert_eq!(
        page.attrs(".prose .block-crisis-lines a", "href"),
        ["tel:5550199", "tel:988", "sms:988?body=AYUDA"]
    );
    // In code, a value's name stays as written.
    assert!(page.html().contains("<code>{{organization.name}}</code>"));
    // Beta's own list has no `local` line: the site's stands in, in the handout too.
    assert!(
        beta.page("en/welcome/index.html").texts(".prose p")[1]
            .contains("Base County Line: 555-0111")
    );
    assert_eq!(
        beta.page("en/hard-night/handouts/plan/index.html")
            .attrs(".prose a.tel", "href"),
        ["tel:5550111"]
    );
}

#[test]
fn sessions_follow_the_editions_first_program_and_are_numbered_from_one() {
    let (_project, base, alpha, _beta) = all_editions();
    let home = alpha.page("es/index.html");
    assert_eq!(home.texts(".cards h3"), ["Descansar", "Bienvenida"]);
    assert_eq!(home.texts(".cards .kicker")[0], "Sesión 1 · 30 minutos");
    assert_eq!(
        alpha
            .page("es/rest/index.html")
            .attrs(".prev-next a.next", "href"),
        ["../../es/welcome/index.html"]
    );
    assert_eq!(
        alpha.page("es/rest/index.html").count(".prev-next a.prev"),
        0
    );
    // The toolkit's own site keeps the toolkit's order.
    assert_eq!(
        base.page("en/index.html").texts(".cards h3"),
        ["Welcome", "A Hard Night", "Rest"]
    );
}

#[test]
fn one_check_reports_every_edition_and_an_old_verified_date_at_its_line() {
    let project = Project::fixture("editions");
    let run = project.check();
    run.success();
    let line = project.line_of("editions/alpha.yaml", "2020-01-15");
    let w = run.warning_at(&format!("editions/alpha.yaml:{line}:15"));
    assert!(
        w.message
            .starts_with("[edition alpha] this crisis line was last checked"),
        "{}",
        w.message
    );
    assert_eq!(run.warnings().len(), 3, "{run}");
    // One edition alone.
    let run = project.hearth(&["check", "--edition", "beta"]);
    run.success();
    assert!(run.warnings().is_empty(), "{run}");
    // JSON names the edition of each diagnostic.
    let json = project.hearth(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let editions: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["edition"].as_str())
        .collect();
    assert_eq!(editions, ["alpha", "alpha", "alpha"]);
}

#[test]
fn an_editions_mistakes_are_errors_at_their_line_of_the_edition_file() {
    let project = Project::fixture("editions");
    let file = "editions/alpha.yaml";
    project.replace(file, "programs: [short]", "programs: [shrot]");
    project.replace(file, "languages: [es, en]", "languages: [es, en, fr]");
    project.replace(file, "logo: logos/alpha.svg", "logo: logos/missing.svg");
    project.replace(file, "      en: Alpha crisis team\n", "");
    let run = project.check();
    run.exits(2);
    let at = |needle: &str, col: usize| format!("{file}:{}:{col}", project.line_of(file, needle));
    let e = run.error_at(&at("shrot", 12));
    assert_eq!(e.hint.as_deref(), Some("did you mean `short`?"));
    let e = run.error_at(&at("languages:", 21));
    assert!(
        e.message
            .contains("`fr` is not one of the toolkit's languages")
    );
    let e = run.error_at(&at("missing.svg", 9));
    assert!(e.message.contains("is not a file in `static/`"));
    let e = run.error_at(&at("es: Equipo de crisis de Alfa", 7));
    assert!(e.message.contains("has no `en` value"), "{}", e.message);
    for e in run.errors() {
        assert!(e.message.starts_with("[edition alpha] "), "{}", e.message);
    }
    // The build of that edition fails and writes nothing; the other still builds.
    project.hearth(&["build", "--edition", "alpha"]).exits(2);
    assert!(!project.path("public").exists());
    project.hearth(&["build", "--edition", "beta"]).success();
    // An unknown key, and an edition that is not there.
    project.append("editions/beta.yaml", "modlues: [01-welcome]\n");
    let run = project.hearth(&["check", "--edition", "beta"]);
    run.exits(2);
    let e = run.error_at(&format!(
        "editions/beta.yaml:{}:1",
        project.line_of("editions/beta.yaml", "modlues")
    ));
    assert_eq!(e.hint.as_deref(), Some("did you mean `modules`?"));
    let run = project.hearth(&["build", "--edition", "alpah"]);
    run.exits(2);
    assert_eq!(
        run.errors()[0].hint.as_deref(),
        Some("did you mean `alpha`?")
    );
}

#[test]
fn a_misspelt_module_is_named_even_when_a_program_then_lacks_it() {
    let project = Project::fixture("editions");
    let file = "editions/alpha.yaml";
    project.replace(
        file,
        "modules: [01-welcome, 03-rest]",
        "modules: [01-welcome, 03-rset]",
    );
    let run = project.check();
    run.exits(1);
    let line = project.line_of(file, "03-rset");
    let e = run.error_at(&format!("{file}:{line}:23"));
    assert_eq!(e.hint.as_deref(), Some("did you mean `03-rest`?"));
    let line = project.line_of(file, "programs: [short]");
    let e = run.error_at(&format!("{file}:{line}:12"));
    assert!(
        e.message.contains("includes `03-rest`, which"),
        "{}",
        e.message
    );
    assert_eq!(run.errors().len(), 2, "{run}");
}

#[test]
fn an_edition_file_must_have_a_plain_name_and_its_own_address() {
    let project = Project::fixture("editions");
    project.write(
        "editions/North_Clinic.yaml",
        project.read("editions/beta.yaml"),
    );
    let run = project.hearth(&["build", "--all-editions"]);
    run.exits(2);
    let e = run.error_at("editions/North_Clinic.yaml");
    assert_eq!(
        e.hint.as_deref(),
        Some("rename the file `editions/north-clinic.yaml`: small letters, digits and `-` only")
    );
    // The toolkit's address is not an edition's: an edition without one gets no
    // canonical links and no sitemap, and the note says where to set it.
    let project = Project::fixture("editions");
    project.append("hearth.yaml", "base_url: https://toolkit.example.org/\n");
    project.replace(
        "editions/beta.yaml",
        "base_url: https://beta.example.org/care/\n",
        "",
    );
    let run = project.hearth(&["build", "--all-editions", "--out", "public"]);
    run.success();
    assert!(
        run.stderr.contains(
            "no sitemap.xml written for the edition `beta`: set `base_url` in editions/beta.yaml"
        ),
        "{run}"
    );
    let beta = project.site_in("public/editions/beta");
    assert_eq!(
        beta.page("en/rest/index.html").count("link[rel=canonical]"),
        0
    );
    assert!(!beta.exists("sitemap.xml"));
    assert!(project.site().exists("sitemap.xml"));
}

#[test]
fn a_module_an_edition_names_must_be_one_of_the_toolkit() {
    let project = Project::fixture("editions");
    let file = "editions/alpha.yaml";
    project.replace(
        file,
        "modules: [01-welcome, 03-rest]",
        "modules: [01-welcome, 03-rest, 04-gone]",
    );
    let run = project.check();
    run.exits(1);
    let line = project.line_of(file, "04-gone");
    let e = run.error_at(&format!("{file}:{line}:32"));
    assert!(
        e.message
            .starts_with("[edition alpha] `04-gone` is not a module"),
        "{}",
        e.message
    );
}

#[test]
fn a_program_that_leaves_out_what_it_needs_or_ends_on_a_hard_session_is_reported() {
    let project = Project::fixture("editions");
    project.replace(
        "editions/alpha.yaml",
        "programs: [short]",
        "programs: [all]",
    );
    let run = project.check();
    run.exits(1);
    let line = project.line_of("editions/alpha.yaml", "programs: [all]");
    let e = run.error_at(&format!("editions/alpha.yaml:{line}:12"));
    assert!(
        e.message.contains("includes `02-hard-night`"),
        "{}",
        e.message
    );
    // A group should not end on its crisis session.
    let project = Project::fixture("editions");
    project.replace(
        "hearth.yaml",
        "modules: [01-welcome, 02-hard-night, 03-rest]",
        "modules: [01-welcome, 03-rest, 02-hard-night]",
    );
    let run = project.check();
    run.success();
    let line = project.line_of("hearth.yaml", "02-hard-night]");
    let w = run.warning_at(&format!("hearth.yaml:{line}:36"));
    assert!(
        w.message
            .contains("ends with `02-hard-night`, a session on suicide"),
        "{}",
        w.message
    );
}

#[test]
fn partner_value_names_are_checked_and_unset_values_warned_about() {
    let project = Project::fixture("editions");
    let file = "content/en/modules/03-rest/index.md";
    let line = project.append(file, "\nCall {{crisis.locl}} or {{organisation.phone}}.\n") + 1;
    let run = project.check();
    run.exits(1);
    let e = run.error_at(&format!("{file}:{line}:6"));
    assert_eq!(e.hint.as_deref(), Some("did you mean `crisis.local`?"));
    let e = run.error_at(&format!("{file}:{line}:25"));
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean `organization.phone`?")
    );
    // A value nobody sets: a warning, and nothing shown.
    let project = Project::fixture("editions");
    project.replace("hearth.yaml", "  email: hello@base.example.org\n", "");
    let run = project.check();
    run.success();
    let file = "content/en/modules/01-welcome/index.md";
    let line = project.line_of(file, "Write to us");
    let w = run.warning_at(&format!("{file}:{line}:14"));
    assert!(
        w.message.contains("`organization.email` is not set"),
        "{}",
        w.message
    );
    // Beta sets its own email, so only the site and alpha lack it: the warning is the
    // site's, once, not repeated for alpha.
    assert_eq!(
        run.warnings()
            .iter()
            .filter(|w| w.location.starts_with(file) && w.message.contains("email"))
            .count(),
        1,
        "{run}"
    );
}

#[test]
fn a_partner_value_in_front_matter_is_a_warning_since_it_shows_as_written() {
    let project = Project::fixture("editions");
    let file = "content/en/modules/03-rest/index.md";
    project.replace(file, "title: Rest", "title: Rest at {{organization.name}}");
    let run = project.check();
    run.success();
    let w = run.warning_at(&format!("{file}:2:16"));
    assert!(w.message.contains("shows as written"), "{}", w.message);
}

#[test]
fn a_crisis_lines_block_takes_no_text() {
    let project = Project::fixture("editions");
    let file = "content/en/modules/01-welcome/index.md";
    project.replace(
        file,
        "::: crisis-lines\n:::",
        "::: crisis-lines\nCall us.\n:::",
    );
    let run = project.check();
    run.exits(1);
    let line = project.line_of(file, "Call us.");
    let e = run.error_at(&format!("{file}:{line}:1"));
    assert!(e.message.contains("takes no text"), "{}", e.message);
}

/// `--all-editions` renders a document once and shares its HTML with every edition that
/// would render it the same; an edition's text must never leak into another's. Three
/// editions differ the ways sharing could get wrong: `alpha` leaves a module out (the
/// welcome's link to it is plain text there, and documents after it have other ids, so
/// links to their anchors are renumbered), `beta` keeps the site's name but has its own
/// phone, and `gamma` keeps every organisation value but has its own crisis line (its
/// home page, which names only the organisation, is the toolkit's; its welcome, which
/// names the line, is its own). Each edition, and the toolkit's own site, must be byte
/// for byte what building it alone makes.
#[test]
fn all_editions_builds_each_edition_byte_for_byte_as_building_it_alone() {
    let project = Project::fixture("editions");
    project.write(
        "editions/gamma.yaml",
        "crisis_lines:\n  - id: local\n    label: { en: Gamma County Line, es: Línea del Condado Gamma }\n    phone: \"555-0133\"\n    verified: 2026-11-01\n",
    );
    // Links to anchors in documents after the module alpha leaves out, and back: a link
    // renumbered wrongly would name a heading its document lacks, an error.
    for (lang, rest, welcome) in [
        ("en", "rest-is-care", "getting-started"),
        ("es", "descansar-es-cuidarse", "para-empezar"),
    ] {
        project.append(
            &format!("content/{lang}/modules/01-welcome/index.md"),
            &format!("\nThen [rest](../03-rest/index.md#{rest}).\n"),
        );
        project.write(
            &format!("content/{lang}/modules/03-rest/facilitator.md"),
            format!("---\npreparation: |\n  Read [the closing](#closing) and [the welcome](../01-welcome/index.md#{welcome}).\n---\n\n## Closing\n\nThank everyone.\n"),
        );
    }
    project
        .hearth(&["build", "--all-editions", "--out", "public"])
        .success();
    let all = project.site().snapshot();
    let alone = |args: &[&str], out: &str| {
        let mut args = args.to_vec();
        args.extend(["--out", out]);
        project.hearth(&args).success();
        project.site_in(out).snapshot()
    };
    let part = |prefix: &str| -> std::collections::BTreeMap<String, Vec<u8>> {
        all.iter()
            .filter(|(path, _)| !path.ends_with(".hearth-output"))
            .filter_map(|(path, bytes)| {
                let rest = path.strip_prefix(prefix)?;
                let other_edition = prefix.is_empty() && rest.starts_with("editions/");
                (!other_edition).then(|| (rest.to_owned(), bytes.clone()))
            })
            .collect()
    };
    let mut sites = vec![(String::new(), alone(&["build"], "alone"))];
    for id in ["alpha", "beta", "gamma"] {
        let built = alone(&["build", "--edition", id], &format!("alone-{id}"));
        sites.push((format!("editions/{id}/"), built));
    }
    for (prefix, mut by_itself) in sites {
        by_itself.retain(|path, _| !path.ends_with(".hearth-output"));
        let shared = part(&prefix);
        assert_eq!(
            shared.keys().collect::<Vec<_>>(),
            by_itself.keys().collect::<Vec<_>>(),
            "`{prefix}` has other files built with the rest"
        );
        for (path, bytes) in &by_itself {
            assert!(
                shared[path] == *bytes,
                "`{prefix}{path}` differs from the edition built alone:\n{}",
                String::from_utf8_lossy(&shared[path])
            );
        }
    }
    // The texts that differ did differ, so the comparison above was not vacuous.
    let welcome = |prefix: &str| {
        String::from_utf8_lossy(&all[&format!("{prefix}en/welcome/index.html")]).into_owned()
    };
    assert!(welcome("editions/gamma/").contains("555-0133") && !welcome("").contains("555-0133"));
    assert!(welcome("editions/alpha/").contains("555-0199"));
}
