//! `hearth bundle`: the built site as one zip, the same bytes for the same site, with a
//! start page and a README in every language at its root, and every link working once
//! it is unzipped.

use std::time::Duration;

use crate::browser::{can_run, missing_pieces, run_script, tell};
use crate::support::Project;

/// The zip's files, by path.
fn entries(project: &Project, zip: &str) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(project.path(zip)).expect("the zip was written");
    hearth::bundle::zip::read(&bytes).expect("the zip reads back")
}

#[test]
fn without_a_built_site_bundle_says_to_build_first_and_exits_2() {
    let project = Project::fixture("bilingual");
    let run = project.hearth(&["bundle"]);
    run.exits(2);
    assert!(
        run.stderr.contains("holds no site that hearth built"),
        "{run}"
    );
    assert!(run.stderr.contains("run `hearth build`"), "{run}");
    assert!(!project.path("public.zip").exists());
}

#[test]
fn the_bundle_is_the_same_bytes_for_the_same_site_with_a_way_in_for_every_language() {
    let project = Project::fixture("bilingual");
    project.build().success();
    let run = project.hearth(&["bundle"]);
    run.success();
    assert!(run.stdout.contains("Bundled "), "{run}");
    let first = std::fs::read(project.path("public.zip")).unwrap();
    // A fresh build elsewhere, and its bundle: not one byte differs.
    std::fs::remove_dir_all(project.path("public")).unwrap();
    project.build().success();
    project.hearth(&["bundle", "--zip", "again.zip"]).success();
    assert_eq!(std::fs::read(project.path("again.zip")).unwrap(), first);

    let files = entries(&project, "public.zip");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for root in [
        "START-HERE-English.html",
        "EMPIECE-AQUI-Espanol.html",
        "README-English.txt",
        "LEAME-Espanol.txt",
        "index.html",
        "en/index.html",
        "es/index.html",
    ] {
        assert!(
            names.contains(&root),
            "{root} is not in the bundle: {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n.starts_with('.')),
        "hearth's own markers stay out"
    );
    let text = |name: &str| {
        String::from_utf8_lossy(&files.iter().find(|(n, _)| n == name).unwrap().1).into_owned()
    };
    assert!(text("EMPIECE-AQUI-Espanol.html").contains("<html lang=\"es\">"));
    assert!(text("EMPIECE-AQUI-Espanol.html").contains("href=\"es/index.html\""));
    assert!(text("LEAME-Espanol.txt").contains("EMPIECE-AQUI-Espanol.html"));
    assert!(
        text("README-English.txt").contains("\r\n"),
        "Notepad's line ends"
    );
}

#[test]
fn unzipped_every_link_opens_a_file() {
    let project = Project::fixture("bilingual");
    project.build().success();
    project.hearth(&["bundle"]).success();
    for (name, bytes) in entries(&project, "public.zip") {
        let path = project.path(&format!("unzipped/{name}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let site = project.site_in("unzipped");
    let report = site.check_links();
    assert!(report.folder_links.is_empty(), "{:?}", report.folder_links);
    assert!(report.foreign.is_empty(), "{:?}", report.foreign);
    report.assert_all_resolve();
    // The start pages lead into the site.
    for start in ["START-HERE-English.html", "EMPIECE-AQUI-Espanol.html"] {
        let href = site.page(start).attrs("a", "href");
        assert_eq!(href.len(), 1);
        assert!(
            site.locate(start, &href[0]).is_ok(),
            "{start} -> {}",
            href[0]
        );
    }
}

/// The way a partner meets the bundle: printed to PDF, zipped, unzipped by Info-ZIP's
/// `unzip` into a folder whose name has a space and an accent (as a USB stick's often
/// does), then opened from `file://` in Chromium (`tests/browser/bundle.mjs`): each start
/// page opens its language's home, and from the pages at the root every page is reached,
/// styled, with every link opening a file and every anchor on its page, and no request
/// leaving the folder.
#[test]
fn unzipped_the_bundle_works_from_file_urls_in_chromium() {
    let missing = missing_pieces(&["unzip"], &["playwright-core"]);
    if !can_run("bundle check", &missing) {
        return;
    }
    let project = Project::fixture("bilingual");
    project
        .hearth_with_env(
            &["pdf", "--out", "public"],
            &[("HEARTH_CHROME", "/usr/bin/chromium")],
        )
        .success();
    project.hearth(&["bundle"]).success();
    let stick = project.path("USB stick/Café de Ana");
    std::fs::create_dir_all(&stick).unwrap();
    let unzip = std::process::Command::new("unzip")
        .args(["-q", "-X"])
        .arg(project.path("public.zip"))
        .current_dir(&stick)
        .output()
        .expect("unzip runs");
    assert!(
        unzip.status.success(),
        "unzip: {}",
        String::from_utf8_lossy(&unzip.stderr)
    );
    assert!(
        stick.join("en/pdf/first-steps.pdf").is_file(),
        "the PDFs travel too"
    );
    let log = project.path("bundle-check.log");
    let (ok, report) = run_script(
        "bundle.mjs",
        &[stick.as_os_str()],
        &log,
        Duration::from_secs(5 * 60),
    );
    assert!(ok, "the bundle check failed:\n{report}");
    assert!(
        report.contains("EMPIECE-AQUI-Espanol.html opens es/index.html"),
        "{report}"
    );
    tell(&report);
}

/// Each partner gets its own zip: `--all-editions` bundles the toolkit's site without
/// the editions' folders, and each edition with start pages in its own languages and
/// title. An edition built on its own bundles to the very same bytes.
#[test]
fn every_edition_gets_a_bundle_of_its_own() {
    let project = Project::fixture("editions");
    project.hearth(&["build", "--all-editions"]).success();
    let run = project.hearth(&["bundle", "--all-editions"]);
    run.success();
    assert!(!run.stderr.contains("left out"), "{run}");
    let base = entries(&project, "public.zip");
    assert!(
        !base.iter().any(|(n, _)| n.starts_with("editions/")),
        "the toolkit's zip holds no partner's site"
    );
    let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !n.contains('/'))
            .collect()
    };
    let alpha = entries(&project, "public-alpha.zip");
    assert_eq!(
        names(&alpha),
        [
            "404.html",
            "EMPIECE-AQUI-Espanol.html",
            "LEAME-Espanol.txt",
            "README-English.txt",
            "START-HERE-English.html",
            "index.html",
            "sitemap.xml"
        ]
    );
    let start = alpha
        .iter()
        .find(|(n, _)| n == "EMPIECE-AQUI-Espanol.html")
        .unwrap();
    assert!(String::from_utf8_lossy(&start.1).contains("Cuidar juntos en Alfa"));
    let beta = entries(&project, "public-beta.zip");
    assert!(
        names(&beta).contains(&"START-HERE-English.html".to_owned())
            && !names(&beta).iter().any(|n| n.starts_with("EMPIECE")),
        "an English-only edition has an English start page only: {:?}",
        names(&beta)
    );
    // Built alone, the same edition makes the same zip, byte for byte.
    project
        .hearth(&["build", "--edition", "alpha", "--out", "alpha"])
        .success();
    project
        .hearth(&["bundle", "--edition", "alpha", "--out", "alpha"])
        .success();
    assert_eq!(
        std::fs::read(project.path("alpha.zip")).unwrap(),
        std::fs::read(project.path("public-alpha.zip")).unwrap()
    );
    // The toolkit's site alone says what it left out.
    let run = project.hearth(&["bundle"]);
    run.success();
    assert!(
        run.stderr
            .contains("left out the editions' sites (alpha, beta)"),
        "{run}"
    );
    // A folder that holds another site is refused, not zipped with a start page to
    // nowhere: beta is English only, and alpha's Spanish start page would lead nowhere.
    project
        .hearth(&["build", "--edition", "beta", "--out", "beta"])
        .success();
    let run = project.hearth(&["bundle", "--edition", "alpha", "--out", "beta"]);
    run.exits(2);
    assert!(run.stderr.contains("has no `es/index.html`"), "{run}");
    assert!(!project.path("beta.zip").exists());
}
