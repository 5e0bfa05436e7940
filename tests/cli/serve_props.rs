//! The preview is always what a full build would write, whatever an author types: a
//! property test. It makes sequences of the edits authors make to a module's text (a
//! paragraph typed anywhere, a heading, a link with or without `#anchor`, a `say` or
//! `activity` block, changed minutes, a deleted line, a partner value, an unclosed block
//! or a broken link), applies each to the sample through the rebuild engine in its two
//! steps, and checks after each that:
//!
//! - once finished, the served site equals a full build, byte for byte;
//! - when the first step spliced the edit into the last model (the fast path), the full
//!   model had nothing to correct in the pages it served at once;
//! - an edit with an error keeps the last good site, and undoing it brings the site back.
//!
//! Cases are bounded (`PROPTEST_CASES`, default 10) so the suite's time stays flat.

use std::path::PathBuf;

use hearth::build::Options;
use hearth::serve::Session;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::serve::{assert_same, full_build, served};
use crate::support::Project;

/// The files edited: a participant page, a Spanish guide, a handout, a home page.
const FILES: [&str; 4] = [
    "content/en/modules/02-the-weight-we-carry/index.md",
    "content/es/modules/02-the-weight-we-carry/facilitator.md",
    "content/en/modules/02-the-weight-we-carry/handouts/01-my-warning-lights.md",
    "content/es/_index.md",
];

/// What an author types, inserted as a paragraph of its own (`{w}`: a few words).
const INSERTS: &[&str] = &[
    "{w}",
    "## {w}",
    "- {w}\n- and more",
    "> {w}",
    "See [the next session](../03-kinder-words-for-ourselves/index.md) for {w}.",
    "See [the inner critic](../03-kinder-words-for-ourselves/index.md#meeting-the-inner-critic).",
    "A [link to nowhere](../99-none/index.md) about {w}.",
    "::: say\n{w}\n:::",
    "::: activity {minutes=5 title=\"{w}\"}\nDo it together.\n:::",
    "::: facilitator\n{w}\n:::",
    "::: note\n{w}",
    "Call {{organization.phone}} about {w}.",
    "| A | B |\n| --- | --- |\n| {w} | {w} |",
];

const WORDS: &[&str] = &[
    "calm",
    "xylophone",
    "cuidar",
    "breathe",
    "quiet",
    "Tuesday",
    "niños",
    "rest",
];

#[derive(Debug, Clone)]
enum Edit {
    /// An insert from [`INSERTS`] before a body line (0: the end), with words.
    Insert(usize, usize, Vec<usize>),
    /// The body line to delete (counted from its start, wrapping).
    Delete(usize),
    /// New minutes for the file's first `minutes=`.
    Minutes(u32),
}

fn edit() -> impl Strategy<Value = (usize, Edit)> {
    let insert = (
        0..INSERTS.len(),
        0..40usize,
        prop::collection::vec(0..WORDS.len(), 1..4),
    )
        .prop_map(|(i, at, w)| Edit::Insert(i, at, w));
    let edit = prop_oneof![
        5 => insert,
        1 => (0..60usize).prop_map(Edit::Delete),
        2 => (1..40u32).prop_map(Edit::Minutes),
    ];
    (0..FILES.len(), edit)
}

/// `text` with `edit` applied to its body (after the front matter).
fn apply(text: &str, edit: &Edit) -> String {
    let body_start = text[3..].find("\n---\n").map_or(0, |i| i + 3 + 5);
    let (front, body) = text.split_at(body_start);
    let mut lines: Vec<String> = body.lines().map(str::to_owned).collect();
    match edit {
        Edit::Insert(i, at, words) => {
            let w: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
            let block = format!("\n{}\n", INSERTS[*i].replace("{w}", &w.join(" ")));
            let at = if *at == 0 || lines.is_empty() {
                lines.len()
            } else {
                at % lines.len()
            };
            lines.insert(at, block);
        }
        Edit::Delete(n) if !lines.is_empty() => {
            let n = n % lines.len();
            lines.remove(n);
        }
        Edit::Delete(_) => {}
        Edit::Minutes(m) => {
            if let Some(line) = lines.iter_mut().find(|l| l.contains("minutes=")) {
                let start = line.find("minutes=").expect("found") + "minutes=".len();
                let end = line[start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(line.len(), |e| start + e);
                line.replace_range(start..end, &m.to_string());
            }
        }
    }
    format!("{front}{}\n", lines.join("\n"))
}

#[test]
fn the_preview_equals_a_full_build_after_any_edits_an_author_makes() {
    let mut runner = crate::support::runner(10);
    // One session over many cases, as an author's afternoon: each case undoes its edits.
    let project = Project::sample();
    let (session, first) = Session::start(project.root(), Options::default());
    assert!(first.ok(), "{first:?}");
    let session = std::cell::RefCell::new(session);
    let originals: Vec<String> = FILES.iter().map(|f| project.read(f)).collect();
    let result = runner.run(&prop::collection::vec(edit(), 1..5), |edits| {
        let mut session = session.borrow_mut();
        for (file, edit) in &edits {
            let before = project.read(FILES[*file]);
            project.write(FILES[*file], apply(&before, edit));
            check_step(&mut session, &project, FILES[*file], &format!("{edit:?}"))?;
        }
        for (file, original) in FILES.iter().zip(&originals) {
            if project.read(file) != *original {
                project.write(file, original);
                check_step(&mut session, &project, file, "undoing the case")?;
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Applies a change to `file` in two steps and checks the engine's promises.
fn check_step(
    session: &mut Session,
    project: &Project,
    file: &str,
    what: &str,
) -> Result<(), TestCaseError> {
    let before = served(session);
    let report = session.apply_first(&[PathBuf::from(file)]);
    let finished = session.finish();
    let ok = report.ok() && !matches!(finished, Some(Err(_)));
    if !ok {
        // The last good site stays, untouched.
        prop_assert!(
            served(session) == before,
            "{what} in {file}: an edit with errors changed the served site"
        );
        return Ok(());
    }
    if let Some(Ok(done)) = &finished {
        prop_assert_eq!(
            done.corrected,
            0,
            "{} in {}: the full model corrected pages the splice served",
            what,
            file
        );
    }
    // A full build of the same sources must succeed and match.
    let want = full_build(project);
    prop_assert!(!want.is_empty());
    assert_same(session, project, &format!("{what} in {file}"));
    Ok(())
}
