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

// `hearth translations --mark` and `--diff`, named as people name files, and run from
// anywhere inside the project.

const ABOUT: &str = "content/es/about.md";

/// Runs git in the project, which must succeed.
#[track_caller]
fn git(project: &Project, args: &[&str]) {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(project.root())
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The `translated_from` a file records.
fn follows(project: &Project, rel: &str) -> String {
    let text = project.read(rel);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("translated_from: "))
        .unwrap_or_else(|| panic!("{rel} records no source: {text}"));
    line.trim_matches('"').to_owned()
}

#[test]
fn mark_accepts_the_path_as_the_table_prints_it_and_every_other_way_to_name_it() {
    let cases: &[(&str, &str)] = &[
        // (the folder it is typed in, the path as typed)
        (".", "about.md"),
        (".", "content/es/about.md"),
        (".", "es/about.md"),
        (".", "./content/es/about.md"),
        ("content", "es/about.md"),
        ("content/es", "about.md"),
        ("content/es/modules", "../about.md"),
    ];
    for (dir, given) in cases {
        let project = Project::fixture("translation-status");
        let run = project.hearth_in(dir, &["translations", "--mark", given]);
        run.success();
        assert!(
            run.stdout
                .starts_with(&format!("marked `{ABOUT}` as following source ")),
            "({dir}) {given}: {run}"
        );
        assert!(
            project
                .hearth(&["translations"])
                .stdout
                .contains("  current      about.md\n"),
            "({dir}) {given}"
        );
    }
    // An absolute path, and the table's path from a module folder.
    let project = Project::fixture("translation-status");
    let absolute = project.path(ABOUT);
    project
        .hearth_in(
            "content/es/modules",
            &["translations", "--mark", absolute.to_str().unwrap()],
        )
        .success();
    let run = project.hearth_in(
        "content/es/modules/01-welcome",
        &["translations", "--mark", "index.md"],
    );
    run.success();
    assert!(
        run.stdout
            .starts_with("marked `content/es/modules/01-welcome/index.md`"),
        "{run}"
    );
}

#[test]
fn a_path_the_table_prints_must_say_its_language_when_there_are_several() {
    let project = Project::fixture("translation-status");
    project.replace(
        "hearth.yaml",
        "languages: [en, es]",
        "languages: [en, es, fr]",
    );
    let before = project.snapshot();
    let run = project.hearth(&["translations", "--mark", "about.md"]);
    run.exits(2);
    assert!(
        run.stderr
            .contains("`content/es/about.md` or `content/fr/about.md`"),
        "{run}"
    );
    assert!(project.snapshot() == before);
    // From inside a language's folder, that language is meant.
    project
        .hearth_in("content/es", &["translations", "--mark", "about.md"])
        .success();
}

#[test]
fn every_command_finds_hearth_yaml_in_a_parent_folder() {
    let project = Project::fixture("translation-status");
    let table = project.hearth(&["translations"]).stdout.clone();
    let run = project.hearth_in("content/es/modules", &["translations"]);
    run.success();
    assert_eq!(run.stdout, table);
    project.hearth_in("content/es", &["check"]).success();
    // The site goes where it would from the project folder.
    project.hearth_in("content/es", &["build"]).success();
    assert!(project.path("public/es/index.html").is_file());
    assert!(!project.path("content/es/public").exists());
    let run = project.hearth_in("content/en/modules", &["new", "module", "Saying Hello"]);
    run.success();
    assert!(
        project
            .path("content/en/modules/03-saying-hello/index.md")
            .is_file()
    );
}

#[test]
fn outside_any_project_commands_say_so_and_how_to_start_one() {
    let project = Project::empty();
    for args in [
        &["build"][..],
        &["check"],
        &["translations"],
        &["new", "module", "Hi"],
    ] {
        let run = project.hearth_in(".", args);
        run.exits(2);
        assert!(
            run.stderr
                .starts_with("error: there is no `hearth.yaml` in `"),
            "{run}"
        );
        assert!(
            run.stderr.contains("hint: ") && run.stderr.contains("hearth init"),
            "{run}"
        );
    }
    assert!(project.snapshot().is_empty(), "nothing was written");
}

#[test]
fn diff_shows_the_sources_changes_since_the_version_a_translation_follows() {
    let project = Project::fixture("translation-status");
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "first"]);
    project.hearth(&["translations", "--mark", ABOUT]).success();
    let followed = follows(&project, ABOUT);
    git(&project, &["commit", "-q", "-am", "translated"]);
    let run = project.hearth(&["translations", "--diff", "about.md"]);
    run.success();
    assert_eq!(
        run.stdout,
        format!("`{ABOUT}` follows its source as it is now: nothing has changed.\n")
    );

    // A committed change, and then one not yet committed: both are shown.
    project.replace("content/en/about.md", "small team", "friendly group");
    git(&project, &["commit", "-q", "-am", "warmer"]);
    project.replace("content/en/about.md", "on Tuesdays", "on Tuesday evenings");
    let run = project.hearth(&["translations", "--diff", ABOUT]);
    run.success();
    let out = &run.stdout;
    assert!(
        out.starts_with(&format!(
            "What changed in `content/en/about.md` since the version `{ABOUT}` follows (commit "
        )),
        "{run}"
    );
    assert!(out.contains("[-small team-]{+friendly group+}"), "{run}");
    assert!(out.contains("[-Tuesdays-]{+Tuesday evenings+}."), "{run}");
    assert!(
        out.contains("\nline 4:\n"),
        "numbered as the source is now: {run}"
    );
    assert!(!out.contains('\u{1b}'), "no colour codes: {out:?}");
    assert!(out.contains(&format!("--mark {ABOUT}")), "{run}");
    // Showing changes changes nothing.
    assert_eq!(follows(&project, ABOUT), followed);
}

#[test]
fn diff_says_plainly_why_it_cannot_show_the_changes() {
    let project = Project::fixture("translation-status");
    // `about.md` follows a version of its source that this fixture never had.
    let no_path: &[(&str, &str)] = &[("PATH", "")];
    let cases = [
        ("no git", &[][..], "not in a git repository"),
        ("no git program", no_path, "`git` is not installed"),
    ];
    for (what, env, says) in cases {
        let run = project.hearth_with_env(&["translations", "--diff", ABOUT], env);
        run.exits(2);
        assert!(run.stderr.starts_with("error: "), "{what}: {run}");
        assert!(run.stderr.contains(says), "{what}: {run}");
        assert!(run.stderr.contains("\nhint: "), "{what}: {run}");
    }
    git(&project, &["init", "-q"]);
    let run = project.hearth(&["translations", "--diff", ABOUT]);
    run.exits(2);
    assert!(run.stderr.contains("has never been committed"), "{run}");
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "first"]);
    let run = project.hearth(&["translations", "--diff", ABOUT]);
    run.exits(2);
    assert!(
        run.stderr
            .contains("none of the 1 committed versions of `content/en/about.md`"),
        "{run}"
    );
    let run = project.hearth(&["translations", "--diff", "modules/01-welcome/index.md"]);
    run.exits(2);
    assert!(
        run.stderr.contains("does not record which version"),
        "{run}"
    );
}

#[test]
fn mark_refuses_a_translation_that_is_word_for_word_its_source() {
    let project = Project::fixture("translation-status");
    let english = project.read("content/en/about.md");
    let body = english.split("---\n").nth(2).expect("a body");
    project.write(
        ABOUT,
        format!("---\ntitle: Acerca de\ntranslated_from: \"0084fea741ed\"\n---\n{body}"),
    );
    let before = project.snapshot();
    let run = project.hearth(&["translations", "--mark", ABOUT]);
    run.exits(1);
    assert!(
        run.stderr.starts_with(&format!("error: not marked `{ABOUT}`: its text is word for word the same as `content/en/about.md`")),
        "{run}"
    );
    assert!(project.snapshot() == before);
    assert!(
        project
            .hearth(&["translations"])
            .stdout
            .contains("  UNTRANSLATED about.md\n"),
    );
    // `--mark-all` marks the others and names it.
    let run = project.hearth(&["translations", "--mark-all"]);
    run.exits(1);
    assert!(
        run.stdout
            .contains("marked `content/es/modules/01-welcome/index.md`"),
        "{run}"
    );
    assert!(
        run.stderr.contains(&format!("error: not marked `{ABOUT}`")),
        "{run}"
    );
    assert_eq!(project.read(ABOUT), String::from_utf8_lossy(&before[ABOUT]));
    let check = project.check();
    check.success();
    assert!(
        check.warning_at(ABOUT).message.contains("word for word"),
        "{check}"
    );
}
