//! Facilitator-only text never reaches participants, wherever an author puts it: a
//! property test. It composes module and handout bodies the way authors write them, from
//! Markdown containers (block quotes, lazy quotes, list items at several indents with
//! spaces and tabs, footnotes) around `say`, `facilitator` and `adapt` blocks that carry
//! marker words (each fence of 3 to 5 colons, in a block whose fence is as long, longer
//! or shorter), with noise between them (code fences closed and unclosed, near-fences
//! such as ```` ```bash` ````, indented code, HTML blocks and scripts, tables, headings,
//! stray `:::` and `::::` lines, lines shaped like hearth's old internal markers, CRLF endings), and
//! builds each in English and Spanish through the library. It asserts: no panic; when the
//! build succeeds, no marker word in any participant page, handout or packet, and every
//! module marker in the facilitator guide; when it fails, an error says why.
//!
//! Cases are bounded (`PROPTEST_CASES`, default 256) so the suite's time stays flat; a
//! failure prints the smallest document proptest could shrink it to.

use std::fs;
use std::path::Path;

use hearth::build::{self, Failure};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::support::{Project, is_facilitator_page};

/// A piece of a body.
#[derive(Debug, Clone)]
enum Piece {
    /// Ordinary Markdown (or HTML) lines that are shown as they are.
    Noise(&'static str),
    /// A facilitator-only block with a marker word, maybe inside a shown block, maybe with
    /// noise inside it.
    Secret {
        name: &'static str,
        attrs: &'static str,
        around: Option<&'static str>,
        inner: Option<&'static str>,
        fence: &'static str,
        /// The fence of the block around it, as long as its own, longer or shorter.
        around_fence: &'static str,
    },
}

/// What holds a group of pieces.
#[derive(Debug, Clone)]
enum Wrap {
    Nothing,
    Quote,
    /// `>` on the first line only: CommonMark's lazy continuation.
    LazyQuote,
    Item {
        marker: &'static str,
        indent: &'static str,
    },
    Footnote,
    QuoteInItem {
        indent: &'static str,
    },
}

/// Lines authors write every day, shown as they are.
const NOISE: &[&str] = &[
    "A plain paragraph about *rest* and `breathing`.",
    "```\ncode, closed\n```",
    "```bash`",
    "`` ` ``",
    "    indented code",
    "\tindented by a tab",
    "<details><summary>More</summary>\n\nInside.\n\n</details>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "<!-- a note -->",
    "<!--\u{E000}open:99-->",
    "<!--\u{E000}close:0-->",
    "<!-- -->",
    "| a | b |\n|---|---|\n| c | d |",
    "## A heading",
    "Setext heading\n---",
    "---",
    "[ref]: https://example.org",
    "Text with a note.[^n]",
    "[^n]: The note.",
    "- item one\n- item two",
    "1. first",
    "> a quote",
    "::: tip\nA tip.\n:::",
    "\\::: say",
    "",
];

/// Lines that leave something open or closed that should not be: a code fence, an HTML
/// block, a stray fence.
const TROUBLE: &[&str] = &[
    "```",
    "~~~text",
    "<div>",
    "</div>",
    ":::",
    "::::",
    "::: tip",
    ":::: activity {minutes=5 title=\"Pairs\"}",
    "::: activity {minutes=5 title=\"Pairs\"}",
];

fn noise() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        5 => prop::sample::select(NOISE),
        1 => prop::sample::select(TROUBLE),
    ]
}

const SECRET_BLOCKS: &[(&str, &str)] = &[
    ("say", ""),
    ("facilitator", ""),
    ("adapt", ""),
    ("adapt", " {format=virtual}"),
    ("say", " {title=\"Welcome\"}"),
];

/// Blocks around a secret one, after their fence.
const AROUND: &[&str] = &[
    " activity {minutes=10 title=\"Circle\"}",
    " tip",
    " discussion",
];

const FENCES: &[&str] = &[":::", "::::", ":::::"];

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        2 => noise().prop_map(Piece::Noise),
        3 => (
            prop::sample::select(SECRET_BLOCKS),
            prop::option::of(prop::sample::select(AROUND)),
            prop::option::weighted(0.25, noise()),
            prop::sample::select(FENCES),
            prop::sample::select(FENCES),
        )
            .prop_map(
                |((name, attrs), around, inner, fence, around_fence)| Piece::Secret {
                    name,
                    attrs,
                    around,
                    inner,
                    fence,
                    around_fence,
                },
            ),
    ]
}

fn wrap() -> impl Strategy<Value = Wrap> {
    prop_oneof![
        3 => Just(Wrap::Nothing),
        1 => Just(Wrap::Quote),
        1 => Just(Wrap::LazyQuote),
        2 => (
            prop::sample::select(&["-", "*", "1.", "2)"][..]),
            prop::sample::select(&["  ", "   ", "    ", "\t", " \t"][..]),
        )
            .prop_map(|(marker, indent)| Wrap::Item { marker, indent }),
        1 => Just(Wrap::Footnote),
        1 => prop::sample::select(&["  ", "\t"][..]).prop_map(|indent| Wrap::QuoteInItem { indent }),
    ]
}

/// A body: groups of pieces, each under one wrapper, separated by blank lines or not.
#[derive(Debug, Clone)]
struct Body {
    groups: Vec<(Wrap, Vec<Piece>, bool)>,
    crlf: bool,
}

fn body() -> impl Strategy<Value = Body> {
    (
        prop::collection::vec(
            (wrap(), prop::collection::vec(piece(), 1..4), any::<bool>()),
            1..5,
        ),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(groups, crlf)| Body { groups, crlf })
}

impl Body {
    /// The Markdown, and the marker words it holds (each `SECRET`, `tag` and a number).
    fn render(&self, tag: &str) -> (String, Vec<String>) {
        let mut secrets = Vec::new();
        let mut groups = Vec::new();
        for (wrap, pieces, blank_after) in &self.groups {
            let mut lines: Vec<String> = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Noise(text) => lines.extend(text.split('\n').map(str::to_owned)),
                    Piece::Secret {
                        name,
                        attrs,
                        around,
                        inner,
                        fence,
                        around_fence,
                    } => {
                        let word = format!("SECRET{tag}{}", secrets.len());
                        if let Some(around) = around {
                            lines.push(format!("{around_fence}{around}"));
                        }
                        lines.push(format!("{fence} {name}{attrs}"));
                        if let Some(inner) = inner {
                            lines.extend(inner.split('\n').map(str::to_owned));
                        }
                        lines.push(format!("Say this: {word} and more."));
                        lines.push((*fence).to_owned());
                        if around.is_some() {
                            lines.push((*around_fence).to_owned());
                        }
                        secrets.push(word);
                    }
                }
            }
            groups.push((wrapped(wrap, &lines), *blank_after));
        }
        let mut text = String::from("PUBLICSTART\n\n");
        for (lines, blank_after) in groups {
            text.push_str(&lines);
            text.push('\n');
            if blank_after {
                text.push('\n');
            }
        }
        if self.crlf {
            text = text.replace('\n', "\r\n");
        }
        (text, secrets)
    }
}

fn wrapped(wrap: &Wrap, lines: &[String]) -> String {
    let prefix = |i: usize, line: &str| -> String {
        match wrap {
            Wrap::Nothing => line.to_owned(),
            Wrap::Quote => format!("> {line}"),
            Wrap::LazyQuote if i == 0 => format!("> {line}"),
            Wrap::LazyQuote => line.to_owned(),
            Wrap::Item { marker, .. } if i == 0 => format!("{marker} {line}"),
            Wrap::Item { indent, .. } if line.is_empty() => (*indent).to_owned(),
            Wrap::Item { indent, .. } => format!("{indent}{line}"),
            Wrap::Footnote if i == 0 => format!("[^g]: {line}"),
            Wrap::Footnote => format!("    {line}"),
            Wrap::QuoteInItem { .. } if i == 0 => format!("- > {line}"),
            Wrap::QuoteInItem { indent } => format!("{indent}> {line}"),
        }
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| prefix(i, l))
        .collect::<Vec<_>>()
        .join("\n")
}

const CONFIG: &str = "title: Generated\nlanguages: [en, es]\n";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    fs::write(path, text).expect("write a file");
}

/// Builds one generated module and its handout in both languages, and checks the promise.
fn check(module: &Body, handout: &Body) -> Result<(), TestCaseError> {
    let project = Project::empty();
    let root = project.root();
    write(root, "hearth.yaml", CONFIG);
    let (module_text, module_secrets) = module.render("M");
    // A handout has no facilitator view: its marker words must simply never show.
    let (handout_text, _) = handout.render("H");
    for lang in ["en", "es"] {
        write(
            root,
            &format!("content/{lang}/_index.md"),
            "---\ntitle: Home\n---\n\nHello.\n",
        );
        write(
            root,
            &format!("content/{lang}/modules/01-circle/index.md"),
            &format!(
                "---\ntitle: The circle\nsummary: We talk.\nduration: 30\n---\n\n{module_text}"
            ),
        );
        write(
            root,
            &format!("content/{lang}/modules/01-circle/handouts/01-notes.md"),
            &format!("---\ntitle: Notes\nkind: reflection\n---\n\n{handout_text}"),
        );
    }
    match build::generate(root, &build::Options::default()) {
        Ok(generated) => {
            let mut guides = 0;
            // Each language's facilitator index, all its parts together, must have every
            // secret.
            let mut facilitator_index: std::collections::BTreeMap<String, String> =
                Default::default();
            for output in &generated.outputs {
                // The participant search indexes keep words folded to lowercase.
                if output.path.starts_with("assets/search/") {
                    let index = String::from_utf8_lossy(&output.bytes).to_lowercase();
                    if let Some((lang, _)) =
                        output.path["assets/search/".len()..].split_once("-facilitator")
                    {
                        facilitator_index
                            .entry(lang.to_owned())
                            .or_default()
                            .push_str(&index);
                    } else {
                        prop_assert!(
                            !index.contains("secret"),
                            "facilitator-only text in {}:\n{module_text}\n{index}",
                            output.path
                        );
                    }
                    continue;
                }
                if !output.path.ends_with(".html") {
                    continue;
                }
                let page = String::from_utf8_lossy(&output.bytes);
                if is_facilitator_page(&output.path) {
                    if output.path.ends_with("circle/facilitator/index.html") {
                        guides += 1;
                        for secret in &module_secrets {
                            prop_assert!(
                                page.contains(secret.as_str()),
                                "{secret} is missing from the guide {}:\n{module_text}",
                                output.path
                            );
                        }
                    }
                    continue;
                }
                prop_assert!(
                    !page.contains("SECRET"),
                    "facilitator-only text in {}:\nmodule:\n{module_text}\nhandout:\n{handout_text}\npage:\n{page}",
                    output.path
                );
            }
            prop_assert_eq!(guides, 2, "a guide in each language");
            prop_assert_eq!(
                facilitator_index.len(),
                2,
                "a facilitator index in each language"
            );
            for (lang, index) in &facilitator_index {
                for secret in &module_secrets {
                    prop_assert!(
                        index.contains(&secret.to_lowercase()),
                        "{secret} is missing from the {lang} facilitator index"
                    );
                }
            }
            let module_page = generated
                .outputs
                .iter()
                .find(|o| o.path == "en/circle/index.html")
                .expect("the module page");
            prop_assert!(String::from_utf8_lossy(&module_page.bytes).contains("PUBLICSTART"));
        }
        Err(Failure::Content(diagnostics)) => {
            prop_assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "a failed build says why"
            );
        }
        Err(Failure::Config(d)) => return Err(TestCaseError::fail(format!("config: {d:?}"))),
        Err(Failure::Operational(e)) => return Err(TestCaseError::fail(format!("{e:#}"))),
    }
    Ok(())
}

#[test]
fn no_generated_document_leaks_facilitator_text() {
    let mut runner = crate::support::runner(256);
    runner
        .run(&(body(), body()), |(module, handout)| {
            check(&module, &handout)
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
