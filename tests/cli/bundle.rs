//! `hearth bundle`: the built site as one zip, the same bytes for the same site, with a
//! start page and a README in every language at its root, and every link working once
//! it is unzipped.

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
