//! The facilitator guide's timed agenda: one table per format, start times, running
//! totals; a warning (not a failure) when a module's activities miss its `duration`; and
//! Spanish plural forms of "minutes".

use crate::support::{Page, Project, sel, text};

/// Each agenda table of a page: its caption and its rows (start, title, minutes, total).
fn agendas(page: &Page) -> Vec<(String, Vec<[String; 4]>)> {
    page.doc
        .select(&sel("section.agenda table"))
        .map(|table| {
            let caption = table.select(&sel("caption")).map(text).collect::<String>();
            let rows = table
                .select(&sel("tbody tr"))
                .map(|tr| {
                    let cells: Vec<String> = tr.select(&sel("td")).map(text).collect();
                    cells
                        .try_into()
                        .unwrap_or_else(|c| panic!("an agenda row has four cells: {c:?}"))
                })
                .collect();
            (caption, rows)
        })
        .collect()
}

fn rows(rows: &[(&str, &str, u32, u32)]) -> Vec<[String; 4]> {
    rows.iter()
        .map(|(start, title, minutes, total)| {
            [
                start.to_string(),
                title.to_string(),
                minutes.to_string(),
                total.to_string(),
            ]
        })
        .collect()
}

#[test]
fn the_guide_shows_one_agenda_per_format_with_start_times_and_totals() {
    let site = Project::fixture("agenda").built();
    let guide = site.page("en/mixed/facilitator/index.html");
    // Activities come in the guide's order: facilitator.md's, with index.md's where its
    // `participant-text` block stands; an activity without `format=` belongs to both
    // formats.
    let in_person = rows(&[
        ("0:00", "One breath", 1, 1),
        ("0:01", "Welcome", 10, 11),
        ("0:11", "Room setup", 5, 16),
        ("0:16", "Pair talk", 14, 30),
        ("0:30", "Closing circle", 15, 45),
    ]);
    let online = rows(&[
        ("0:00", "One breath", 1, 1),
        ("0:01", "Welcome", 10, 11),
        ("0:11", "Tech check", 5, 16),
        ("0:16", "Pair talk", 14, 30),
        ("0:30", "Closing circle", 15, 45),
    ]);
    assert_eq!(
        agendas(&guide),
        [
            ("In person · 45 minutes".to_owned(), in_person),
            ("Online groups · 45 minutes".to_owned(), online)
        ]
    );
}

/// The headings and agenda rows of a guide, top to bottom: one order for both.
fn reading_order(page: &Page) -> Vec<String> {
    page.doc
        .select(&sel(
            "main h2, main .block-activity > .block-title, main .safety-reminder",
        ))
        .map(text)
        .collect()
}

#[test]
fn the_guide_page_reads_in_the_agenda_order() {
    let site = Project::fixture("agenda").built();
    let guide = site.page("en/mixed/facilitator/index.html");
    let order = reading_order(&guide);
    let at = |needle: &str| {
        order
            .iter()
            .position(|t| t.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in {order:#?}"))
    };
    assert!(at("Session plan") < at("One breath"), "{order:#?}");
    assert!(
        at("One breath") < at("What participants read"),
        "{order:#?}"
    );
    assert!(at("What participants read") < at("Welcome"), "{order:#?}");
    assert!(
        at("Pair talk") < at("Session plan, continued"),
        "{order:#?}"
    );
    assert!(
        at("Session plan, continued") < at("Closing circle"),
        "{order:#?}"
    );
    // The marker itself shows nothing.
    assert!(
        guide
            .doc
            .select(&sel(".block-participant-text"))
            .next()
            .is_none(),
        "the marker showed"
    );
}

#[test]
fn without_a_participant_text_block_the_guide_comes_first_and_a_warning_says_how_to_choose() {
    let project = Project::fixture("agenda");
    let file = "content/en/modules/01-mixed/facilitator.md";
    project.replace(file, "::: participant-text\n:::\n", "");
    let first = project.line_of(file, "title=\"One breath\"");
    let run = project.check();
    run.success();
    let warning = run.warning_at(&format!("{file}:{first}:1"));
    assert!(
        warning.message.contains("both have activities"),
        "{warning:?}"
    );
    let hint = warning.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("::: participant-text"), "{warning:?}");
    project.build().success();
    let guide = project.site().page("en/mixed/facilitator/index.html");
    let titles: Vec<String> = agendas(&guide)[0].1.iter().map(|r| r[1].clone()).collect();
    assert_eq!(
        titles,
        [
            "One breath",
            "Closing circle",
            "Welcome",
            "Room setup",
            "Pair talk"
        ]
    );
}

#[test]
fn a_safety_reminder_opens_the_guide() {
    let project = Project::fixture("agenda");
    project.replace(
        "content/en/modules/01-mixed/index.md",
        "duration: 45\n",
        "duration: 45\nsensitive_topics: [grief]\n",
    );
    project.build().success();
    let guide = project.site().page("en/mixed/facilitator/index.html");
    let order = reading_order(&guide);
    assert!(order[0].starts_with("Safety reminder"), "{order:#?}");
}

#[test]
fn a_module_without_formats_has_one_agenda_and_hours_show_as_hours() {
    let site = Project::fixture("agenda").built();
    let guide = site.page("en/uneven/facilitator/index.html");
    assert_eq!(
        agendas(&guide),
        [(
            "80 minutes".to_owned(),
            rows(&[("0:00", "Long talk", 70, 70), ("1:10", "Wrap-up", 10, 80)])
        )]
    );
}

#[test]
fn participants_see_activities_but_no_agenda_or_timings() {
    let site = Project::fixture("agenda").built();
    let module = site.page("en/mixed/index.html");
    assert_eq!(module.count("section.agenda"), 0);
    assert_eq!(
        module.texts(".block-activity .block-title"),
        ["Welcome", "Room setup", "Tech check", "Pair talk"]
    );
    for label in module.texts(".block-label") {
        assert!(
            !label.contains("minute"),
            "a participant block label shows a time: {label}"
        );
    }
}

#[test]
fn activities_that_miss_the_duration_warn_with_the_file_but_the_site_builds() {
    let project = Project::fixture("agenda");
    let file = "content/en/modules/02-uneven/index.md";
    let last_activity = project.line_of(file, "title=\"Wrap-up\"");
    for run in [project.build(), project.check()] {
        run.success();
        let warning = run.warning_at(&format!("{file}:{last_activity}:1"));
        assert!(
            warning.message.contains("80") && warning.message.contains("90"),
            "{warning:?}"
        );
        // The module whose formats both add up gets no agenda warning.
        let mixed: Vec<_> = run
            .warnings()
            .into_iter()
            .filter(|d| d.location.contains("01-mixed"))
            .collect();
        assert!(mixed.is_empty(), "{mixed:?}");
    }
    assert!(project.site().exists("en/uneven/facilitator/index.html"));
}

#[test]
fn spanish_guides_use_singular_and_plural_minutes() {
    let site = Project::fixture("agenda").built();
    let guide = site.page("es/formatos-mixtos/facilitator/index.html");
    let labels = guide.texts(".block-activity > .block-label");
    for expected in [
        "Actividad · 1 minuto",
        "Actividad · 15 minutos",
        "Actividad · 5 minutos · En persona",
    ] {
        assert!(
            labels.iter().any(|l| l == expected),
            "no `{expected}` in {labels:?}"
        );
    }
    let captions: Vec<String> = agendas(&guide)
        .into_iter()
        .map(|(caption, _)| caption)
        .collect();
    assert_eq!(
        captions,
        ["En persona · 45 minutos", "Grupos en línea · 45 minutos"]
    );
    let english = site
        .page("en/mixed/facilitator/index.html")
        .texts(".block-activity > .block-label");
    assert!(
        english.iter().any(|l| l == "Activity · 1 minute"),
        "{english:?}"
    );
}
