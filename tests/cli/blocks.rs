//! Messages about `:::` blocks, as an author meets them: a missing `:::` in nested blocks
//! names the block that is open and where it most likely ends, and following the hint
//! builds the page the author meant; longer fences (`::::` around `:::`) keep nested blocks
//! apart, and `check` warns where nested blocks share a fence length; one mistake gives one
//! message; attribute values with spaces or curly quotes are read or explained with the
//! line corrected. A property test holds the first promise over generated nestings.

use std::path::Path;

use hearth::diagnostic::{Kind, Severity};
use hearth::markdown::{self, Loc};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::support::Project;

const INDEX: &str = "content/en/modules/01-circle/index.md";
const GUIDE: &str = "content/en/modules/01-circle/facilitator.md";
const FRONT: &str = "---\ntitle: The circle\nsummary: We talk.\nduration: 30\n---\n\n";

/// A one-language toolkit whose module's index.md has `body` after its front matter.
fn module(body: &str) -> Project {
    let project = Project::empty();
    project.write("hearth.yaml", "title: Blocks\nlanguages: [en]\n");
    project.write("content/en/_index.md", "---\ntitle: Home\n---\n\nHello.\n");
    project.write(INDEX, format!("{FRONT}{body}"));
    project
}

/// The case: the `:::` after a `say` nested in an activity is missing, and a
/// facilitator note follows.
const SAY_LEFT_OPEN: &str = "\
::: activity {minutes=30 title=\"Check-in\"}

Go around the circle.

::: say
Welcome, everyone. SAYWORDS

::: facilitator
FACNOTE Watch for anyone who seems upset.
:::

:::
";

#[test]
fn a_say_left_open_is_named_with_where_it_most_likely_ends() {
    let project = module(SAY_LEFT_OPEN);
    let say = project.line_of(INDEX, "::: say");
    let note = project.line_of(INDEX, "::: facilitator");
    let check = project.check();
    check.exits(1);
    let errors = check.errors();
    assert_eq!(errors.len(), 1, "one mistake, one message:\n{check}");
    let error = check.error_at(&format!("{INDEX}:{say}:1"));
    assert_eq!(
        error.message,
        format!(
            "the `say` block opened here is never closed: it most likely ends before line {note}, where the `facilitator` block starts"
        )
    );
    assert_eq!(
        error.hint.as_deref(),
        Some(&*format!(
            "add a line with just `:::` above line {note}, to close the `say` block"
        ))
    );

    // Following the hint builds the page the author meant.
    project.replace(INDEX, "::: facilitator", ":::\n::: facilitator");
    let build = project.build();
    build.success();
    let guide = project.site().page("en/circle/facilitator/index.html");
    let say = guide.texts(".block-say");
    assert!(
        say.iter().all(|t| !t.contains("FACNOTE")) && say.iter().any(|t| t.contains("SAYWORDS")),
        "the facilitator note is inside the words to say: {say:?}"
    );
    assert!(
        guide
            .texts(".block-activity > .block-facilitator")
            .iter()
            .any(|t| t.contains("FACNOTE"))
    );
    // Nested blocks with fences of one length are still a warning, with its own hint.
    let warnings = build.warnings();
    assert_eq!(warnings.len(), 1, "{build}");
    assert_eq!(warnings[0].location, format!("{INDEX}:7:1"));
}

#[test]
fn nested_blocks_with_fences_of_one_length_are_a_warning_at_the_outer_block() {
    let project = module(
        "::: activity {minutes=30 title=\"Check-in\"}\n\nGo around.\n\n::: say\nWelcome.\n:::\n\n:::\n",
    );
    let check = project.check();
    check.exits(0);
    let warnings = check.warnings();
    assert_eq!(warnings.len(), 1, "{check}");
    assert_eq!(warnings[0].location, format!("{INDEX}:7:1"));
    assert_eq!(
        warnings[0].message,
        "the `activity` block holds other blocks whose fences are as long as its own `:::`"
    );
    assert_eq!(
        warnings[0].hint.as_deref(),
        Some(
            "give it a longer fence, `::::`, on this line and on line 15 that closes it, so a `:::` missing inside it cannot close it by mistake"
        )
    );
    // Doing so leaves nothing to say.
    project.replace(INDEX, "::: activity", ":::: activity");
    project.replace(INDEX, ":::\n\n:::\n", ":::\n\n::::\n");
    let check = project.check();
    check.success();
    assert!(check.warnings().is_empty(), "{check}");
}

#[test]
fn with_a_longer_outer_fence_a_say_left_open_is_certain() {
    let project = module(
        ":::: activity {minutes=30 title=\"Check-in\"}\n\nGo around.\n\n::: say\nWelcome.\n\nThen go around the room.\n\n::::\n",
    );
    let say = project.line_of(INDEX, "::: say");
    let close = 1 + project
        .read(INDEX)
        .lines()
        .position(|l| l == "::::")
        .expect("the closing line");
    let check = project.check();
    check.exits(1);
    assert_eq!(check.errors().len(), 1, "{check}");
    let error = check.error_at(&format!("{INDEX}:{say}:1"));
    assert_eq!(
        error.message,
        format!(
            "the `say` block opened here is never closed: the `::::` on line {close} closes the `activity` block around it"
        )
    );
    assert_eq!(
        error.hint.as_deref(),
        Some(&*format!(
            "add a line with just `:::` where the `say` block ends, above line {close}; a `::::` line only closes the `activity` block, so the `say` block is the one left open"
        ))
    );
    // With the `:::` where the words end, the rest belongs to the activity again.
    project.replace(INDEX, "Welcome.\n", "Welcome.\n:::\n");
    project.build().success();
    let page = project.site().page("en/circle/index.html");
    assert!(
        page.text_of(".block-activity").contains("Then go around"),
        "participants see the activity's own text"
    );
    assert!(
        !page.html().contains("Welcome."),
        "the say block stays hidden"
    );
}

#[test]
fn a_closing_line_of_another_length_says_how_many_colons() {
    let project = module("::: say\nWelcome.\n::::\n");
    let check = project.check();
    check.exits(1);
    let errors = check.errors();
    assert_eq!(errors.len(), 1, "{check}");
    assert_eq!(errors[0].location, format!("{INDEX}:9:1"));
    assert_eq!(
        errors[0].message,
        "this `::::` cannot close the `say` block opened on line 7, which opened with `:::`"
    );
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("a block closes with as many colons as it opened with: write `:::` here")
    );
}

#[test]
fn an_activity_without_minutes_is_one_message_not_three() {
    let project = module(
        ":::: activity {title=\"Check-in\"}\n\nGo around.\n\n::: say\nWelcome.\n:::\n\n::::\n",
    );
    project.write(
        GUIDE,
        "---\n---\n\n::: activity {minutes=10 title=\"Closing\"}\nSay goodbye.\n:::\n",
    );
    let check = project.check();
    check.exits(1);
    let all = check.diagnostics();
    assert_eq!(all.len(), 1, "one mistake, one message:\n{check}");
    assert_eq!(all[0].location, format!("{INDEX}:7:1"));
    assert_eq!(all[0].message, "an activity needs its length in minutes");
    // The hint is the author's own line, with the missing attribute added.
    assert_eq!(
        all[0].hint.as_deref(),
        Some(
            "add how many minutes it takes, with its own number: `:::: activity {minutes=15 title=\"Check-in\"}`"
        )
    );
}

#[test]
fn other_single_mistakes_give_one_message_each() {
    let nested = |opener: &str| {
        format!(
            "{opener}\n\nGo around.\n\n::: say\nWelcome.\n:::\n\n::::\n\n:::: activity {{minutes=10 title=\"Closing\"}}\n\n::: tip\nRest.\n:::\n\n::::\n"
        )
    };
    for (opener, message) in [
        (
            ":::: actvity {minutes=20 title=\"Check-in\"}",
            "there is no block called `actvity`",
        ),
        (
            ":::: activity {minutes=twenty title=\"Check-in\"}",
            "`minutes` must be a whole number, not `twenty`",
        ),
        (
            ":::: activity {minutes=20 colour=red}",
            "a `activity` block has no `colour` attribute",
        ),
        (
            ":::: activity {minutes=20 title=Check in}",
            "the title has spaces, so it needs quotes around it",
        ),
    ] {
        let project = module(&nested(opener));
        let check = project.check();
        check.exits(1);
        let all = check.diagnostics();
        assert_eq!(all.len(), 1, "{opener}:\n{check}");
        assert_eq!(
            (all[0].location.as_str(), all[0].message.as_str()),
            (&*format!("{INDEX}:7:1"), message)
        );
    }
    // A block never closed at the end of the file: one message, at its opening line.
    let project = module(
        &nested(":::: activity {minutes=20 title=\"Check-in\"}")
            .replace("Rest.\n:::\n\n::::\n", "Rest.\n:::\n"),
    );
    let check = project.check();
    let all = check.diagnostics();
    assert_eq!(all.len(), 1, "{check}");
    assert_eq!(
        all[0].message,
        "the `activity` block opened here is never closed"
    );
}

#[test]
fn a_say_left_open_in_a_list_item_is_one_message_that_says_where_to_close_it() {
    let project = module(
        "::: activity {minutes=10 title=\"Steps\"}\n\n- Pair up.\n\n  ::: say\n  Find a partner.\n\n:::\n",
    );
    let check = project.check();
    check.exits(1);
    let all = check.diagnostics();
    assert_eq!(all.len(), 1, "{check}");
    assert_eq!(all[0].location, format!("{INDEX}:14:1"));
    assert_eq!(
        all[0].hint.as_deref(),
        Some(
            "add a line with just `:::` where the `say` block ends, with the same indent and `>` marks as line 11; this `:::` then closes the `activity` block of line 7"
        )
    );
    project.replace(INDEX, "partner.\n", "partner.\n  :::\n");
    project.build().success();
    let guide = project.site().page("en/circle/facilitator/index.html");
    assert_eq!(guide.texts(".block-activity li .block-say").len(), 1);
}

#[test]
fn a_title_with_spaces_and_no_quotes_is_shown_corrected() {
    let project = module(
        "::: activity {minutes=15 title=A hard school meeting format=virtual}\nRole play.\n:::\n",
    );
    let check = project.check();
    check.exits(1);
    let error = check.error_at(&format!("{INDEX}:7:1"));
    assert_eq!(
        error.message,
        "the title has spaces, so it needs quotes around it"
    );
    assert_eq!(
        error.hint.as_deref(),
        Some(
            "put the title in straight double quotes: `::: activity {minutes=15 title=\"A hard school meeting\" format=virtual}`"
        )
    );
    let project = module("::: tip {title='Breathe'}\nSlowly.\n:::\n");
    let error = project.check().error_at(&format!("{INDEX}:7:1"));
    assert_eq!(error.message, "the title is in single quotes");
    assert_eq!(
        error.hint.as_deref(),
        Some("put the title in straight double quotes: `::: tip {title=\"Breathe\"}`")
    );
}

#[test]
fn curly_quotes_pasted_from_a_word_processor_are_read_as_quotes() {
    let project = module(
        "::: activity {minutes=15 title=“A hard school meeting”}\nRole play.\n:::\n\n::: tip {title=«Respire» format=„virtual“}\nSlowly.\n:::\n",
    );
    project.build().success();
    let guide = project.site().page("en/circle/facilitator/index.html");
    assert!(
        guide
            .text_of(".block-activity")
            .contains("A hard school meeting"),
        "{}",
        guide.html()
    );
    assert!(
        guide
            .text_of(".block-tip.format-virtual")
            .contains("Respire")
    );
}

/// A block of a generated body: its name and the blocks inside it.
#[derive(Debug, Clone)]
struct Node {
    name: &'static str,
    children: Vec<Node>,
}

/// Bodies as authors nest blocks: activities holding blocks of words (a `discussion` may
/// hold some too), and blocks of words on their own.
fn nodes() -> impl Strategy<Value = Vec<Node>> {
    let word = prop::sample::select(&["say", "facilitator", "adapt", "tip", "note", "warning"][..]);
    let leaf = word.clone().prop_map(|name| Node {
        name,
        children: Vec::new(),
    });
    let discussion = prop::collection::vec(leaf.clone(), 0..3).prop_map(|children| Node {
        name: "discussion",
        children,
    });
    let inner = prop_oneof![3 => leaf.clone(), 1 => discussion];
    let activity = prop::collection::vec(inner, 0..4).prop_map(|children| Node {
        name: "activity",
        children,
    });
    prop::collection::vec(prop_oneof![2 => activity, 1 => leaf], 1..5)
}

/// A generated body, line by line.
struct Rendered {
    lines: Vec<String>,
    /// Per block, in opening order: its opening line and its closing line (0-based).
    blocks: Vec<(usize, usize)>,
}

/// Writes `nodes` with each block's fence `3 + depth of blocks inside it` colons long when
/// `longer`, else 3.
fn render(nodes: &[Node], longer: bool) -> Rendered {
    fn height(node: &Node) -> usize {
        node.children
            .iter()
            .map(|c| height(c) + 1)
            .max()
            .unwrap_or(0)
    }
    fn walk(node: &Node, longer: bool, out: &mut Rendered) {
        let colons = ":".repeat(if longer { 3 + height(node) } else { 3 });
        let attrs = if node.name == "activity" {
            " {minutes=10 title=\"Step\"}"
        } else {
            ""
        };
        let number = out.blocks.len();
        out.blocks.push((out.lines.len(), 0));
        out.lines.push(format!("{colons} {}{attrs}", node.name));
        out.lines.push(format!("Words of block {number}."));
        out.lines.push(String::new());
        for child in &node.children {
            walk(child, longer, out);
        }
        out.blocks[number].1 = out.lines.len();
        out.lines.push(colons);
        out.lines.push(String::new());
    }
    let mut out = Rendered {
        lines: Vec::new(),
        blocks: Vec::new(),
    };
    for node in nodes {
        walk(node, longer, &mut out);
    }
    out
}

/// With one closing line left out, there is one error, and it names a block that may be
/// the one whose `:::` is missing: one that, given a closing line somewhere below its
/// opening line, makes a whole body in which every block holds only what it may. Which of
/// those it was, no reader can tell from the text (with fences of one length, a `say` that
/// is the last thing in its activity closes on the same `:::` as the activity); a block
/// whose `:::` is certainly there is never named.
fn check_one_missing(
    nodes: &[Node],
    longer: bool,
    gone: prop::sample::Index,
) -> Result<(), TestCaseError> {
    let r = render(nodes, longer);
    let close = r.blocks[gone.index(r.blocks.len())].1;
    let lines: Vec<&str> = r
        .lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != close)
        .map(|(_, l)| l.as_str())
        .collect();
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let front = "---\ntitle: T\n---\n";
    let text = format!("{front}{body}");
    let parsed = markdown::parse(Loc {
        file: Path::new("m.md"),
        text: &text,
        body_start: front.len(),
    });
    let errors: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    prop_assert_eq!(
        errors.len(),
        1,
        "one message:\n{}\n{:?}",
        body,
        parsed.diagnostics
    );
    prop_assert_eq!(errors[0].kind, Kind::Block);
    prop_assert!(
        parsed.diagnostics.len() == 1,
        "no warning beside the error: {:?}",
        parsed.diagnostics
    );
    // The body starts on the file's line 4.
    let may_be_open: Vec<usize> = open_candidates(&lines).iter().map(|l| l + 4).collect();
    prop_assert!(
        may_be_open.contains(&errors[0].line),
        "the error names line {} ({}), not a block that may be open {:?}:\n{}",
        errors[0].line,
        errors[0].message,
        may_be_open,
        body
    );
    Ok(())
}

/// Whether a block called `outer` may hold one called `inner`, as authors nest blocks.
fn may_hold(outer: &str, inner: &str) -> bool {
    match outer {
        "activity" => inner != "activity",
        "discussion" | "practice" => !matches!(inner, "activity" | "discussion" | "practice"),
        _ => false,
    }
}

/// A fence line: its line, its colons, and the name an opening line opens.
type FenceAt = (usize, usize, Option<String>);

fn fence_lines(lines: &[&str]) -> Vec<FenceAt> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(":::"))
        .map(|(i, l)| {
            let rest = l.trim_start_matches(':');
            let name = rest.split_whitespace().next().map(str::to_owned);
            (i, l.len() - rest.len(), name)
        })
        .collect()
}

/// Each block's opening line with its closing line, when every fence pairs with one of
/// as many colons and every block holds only what it may.
fn whole(fences: &[FenceAt]) -> Option<Vec<(usize, usize)>> {
    let mut pairs = Vec::new();
    let mut stack: Vec<&FenceAt> = Vec::new();
    for fence in fences {
        match &fence.2 {
            Some(name) => {
                if stack
                    .last()
                    .is_some_and(|top| !may_hold(top.2.as_deref().unwrap_or(""), name))
                {
                    return None;
                }
                stack.push(fence);
            }
            None => {
                let open = stack.pop().filter(|o| o.1 == fence.1)?;
                pairs.push((open.0, fence.0));
            }
        }
    }
    stack.is_empty().then_some(pairs)
}

/// The 0-based opening lines of the blocks that may be the one left open: those that a
/// closing line added somewhere below closes, in a whole body.
fn open_candidates(lines: &[&str]) -> Vec<usize> {
    let fences = fence_lines(lines);
    let mut found = Vec::new();
    for (open, colons, name) in &fences {
        if name.is_none() {
            continue;
        }
        for at in open + 1..=lines.len() {
            let mut with: Vec<FenceAt> = fences
                .iter()
                .map(|f| (if f.0 >= at { f.0 + 1 } else { f.0 }, f.1, f.2.clone()))
                .collect();
            let i = with.partition_point(|f| f.0 < at);
            with.insert(i, (at, *colons, None));
            if whole(&with).is_some_and(|pairs| pairs.contains(&(*open, at))) {
                found.push(*open);
                break;
            }
        }
    }
    found
}

#[test]
fn a_missing_close_names_a_block_left_open_never_one_closed() {
    let mut runner = crate::support::runner(256);
    runner
        .run(
            &(nodes(), any::<bool>(), any::<prop::sample::Index>()),
            |(nodes, longer, gone)| check_one_missing(&nodes, longer, gone),
        )
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn nested_blocks_whole_are_read_without_a_message_when_fences_are_longer() {
    let mut runner = crate::support::runner(64);
    runner
        .run(&nodes(), |nodes| {
            let r = render(&nodes, true);
            let body: String = r.lines.iter().map(|l| format!("{l}\n")).collect();
            let front = "---\ntitle: T\n---\n";
            let text = format!("{front}{body}");
            let parsed = markdown::parse(Loc {
                file: Path::new("m.md"),
                text: &text,
                body_start: front.len(),
            });
            prop_assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
