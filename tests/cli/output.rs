//! The output folder: complete or untouched, never a folder hearth did not make, and the
//! same bytes for the same input.

use crate::support::{Project, snapshot};

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte() {
    let project = Project::fixture("bilingual");
    let before = project.built().snapshot();
    assert!(before.contains_key("en/index.html"));
    project.append("content/en/about.md", "\n::: nonsense\n:::\n");
    project.build().exits(1);
    assert!(
        project.site().snapshot() == before,
        "the previous site changed after a failed build"
    );
    // Nothing half-written is left beside it.
    let strays: Vec<String> = std::fs::read_dir(project.root())
        .expect("the project folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.contains("hearth-"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

#[test]
fn a_rebuild_replaces_hearths_own_output_and_drops_removed_pages() {
    let project = Project::fixture("bilingual");
    project.write(
        "content/en/extra.md",
        "---\ntitle: Extra\n---\n\nFor a while.\n",
    );
    assert!(project.built().exists("en/extra/index.html"));
    project.remove("content/en/extra.md");
    let site = project.built();
    assert!(!site.exists("en/extra/index.html"));
    assert!(site.exists("en/index.html"));
}

#[test]
fn an_output_folder_that_holds_the_project_is_refused() {
    let project = Project::fixture("bilingual");
    let before = project.snapshot();
    for out in [".", ".."] {
        let run = project.hearth(&["build", "--out", out]);
        run.exits(2);
        assert!(run.errors()[0].hint.is_some(), "{run}");
        assert!(
            project.snapshot() == before,
            "--out {out} changed the project"
        );
    }
    let absolute = project.root().display().to_string();
    project.hearth(&["build", "--out", &absolute]).exits(2);
    assert!(
        project.snapshot() == before,
        "--out <project root> changed the project"
    );
}

#[test]
fn an_output_folder_inside_content_is_refused() {
    let project = Project::fixture("bilingual");
    let before = project.snapshot();
    for out in ["content", "content/en", "content/es/modules"] {
        project.hearth(&["build", "--out", out]).exits(2);
        assert!(
            project.snapshot() == before,
            "--out {out} changed the project"
        );
    }
}

#[test]
fn a_non_empty_folder_hearth_did_not_create_is_refused() {
    let project = Project::fixture("bilingual");
    project.write("site/notes.txt", "my own notes");
    let run = project.hearth(&["build", "--out", "site"]);
    run.exits(2);
    assert!(run.errors()[0].hint.is_some(), "{run}");
    let left = snapshot(&project.path("site"));
    assert_eq!(left.keys().collect::<Vec<_>>(), ["notes.txt"]);
    assert_eq!(left["notes.txt"], b"my own notes");
}

#[test]
fn an_empty_folder_is_accepted() {
    let project = Project::fixture("bilingual");
    std::fs::create_dir(project.path("public")).expect("an empty folder");
    assert!(project.built().exists("en/index.html"));
}

#[test]
fn building_twice_gives_identical_bytes() {
    let project = Project::fixture("bilingual");
    let first = project.built().snapshot();
    let again = project.built().snapshot();
    assert!(
        first == again,
        "a rebuild into the same folder changed bytes"
    );
    let elsewhere = project.path("elsewhere").display().to_string();
    project.hearth(&["build", "--out", &elsewhere]).success();
    let other = snapshot(&project.path("elsewhere"));
    let differing: Vec<&String> = first
        .keys()
        .filter(|k| first.get(*k) != other.get(*k))
        .collect();
    assert!(
        differing.is_empty() && first.len() == other.len(),
        "differ: {differing:?}"
    );
}

/// When each file of the built site was last written.
fn modified(project: &Project, rel: &str) -> std::time::SystemTime {
    std::fs::metadata(project.path(rel))
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_rebuild_rewrites_only_the_files_whose_bytes_changed() {
    let project = Project::fixture("bilingual");
    project.build().success();
    let page = "public/en/about/index.html";
    let home = "public/en/index.html";
    let (page_before, home_before) = (modified(&project, page), modified(&project, home));
    std::thread::sleep(std::time::Duration::from_millis(20));

    project.build().success();
    assert_eq!(
        modified(&project, page),
        page_before,
        "nothing changed, nothing written"
    );

    project.append("content/en/about.md", "\nA new closing line.\n");
    project.build().success();
    assert_ne!(
        modified(&project, page),
        page_before,
        "the edited page is rewritten"
    );
    assert_eq!(
        modified(&project, home),
        home_before,
        "other pages keep their time"
    );
    assert!(project.read(page).contains("A new closing line."));
}

#[test]
fn files_deleted_by_hand_come_back_and_files_added_by_hand_stay() {
    let project = Project::fixture("bilingual");
    project.build().success();
    project.remove("public/en/about/index.html");
    project.write("public/robots.txt", "User-agent: *\n");
    project.build().success();
    assert!(project.path("public/en/about/index.html").is_file());
    assert_eq!(project.read("public/robots.txt"), "User-agent: *\n");
}
