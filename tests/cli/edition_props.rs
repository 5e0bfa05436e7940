//! Links never break and phone numbers are always tappable, in any edition: a property
//! test. It generates a five-module toolkit whose bodies link to each other the ways
//! authors do (in a sentence, a list item, a quote, a table cell, emphasis, with and
//! without `#anchor`, with a partner value in the link's own text) and name partner
//! values anywhere (`{{organization.phone}}`, `{{crisis.local}}`, a `crisis-lines`
//! block), and an edition that keeps any subset of the modules in any of its language
//! orders. Each is built through the library, and every page of the edition must have:
//! every relative link lead to a file of the site, no link to a `.md` source, no link
//! inside another, no `{{` outside code, and each of the partner's numbers on screen
//! inside a link (`tel:` where it is not inside another link's text).
//!
//! Cases are bounded (`PROPTEST_CASES`, default 64) so the suite's time stays flat.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use hearth::build::{self, Failure, Options};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use scraper::{ElementRef, Html, Node};

use crate::support::{Project, sel};

const MODULES: [&str; 5] = ["01-one", "02-two", "03-three", "04-four", "05-five"];

/// The partner's numbers, which must be tappable wherever they show.
const NUMBERS: [&str; 2] = ["555-0142", "555-0199"];

const CONFIG: &str = "title: Generated\nlanguages: [en, es]\norganization:\n  name: Base\n  phone: \"555-0100\"\ncrisis_lines:\n  - id: local\n    label: Base line\n    phone: \"555-0111\"\n";

/// How an author writes a link to module `target` (`{link}` is `[text](path)`).
const LINK_SHAPES: &[&str] = &[
    "See {link} next week.",
    "- {link}",
    "> Read {link} first.",
    "| Session | Where |\n| --- | --- |\n| Next | {link} |",
    "*{link}*",
    "1. First\n2. Then {link}",
];

/// Where an author names a partner value.
const VALUE_SHAPES: &[&str] = &[
    "Call {{organization.phone}} or {{crisis.local}}.",
    "- Our line: {{crisis.local.phone}}",
    "> {{ organization.name }} answers at {{organization.phone}}.",
    "| Who | Number |\n| --- | --- |\n| Us | {{organization.phone}} |",
    "::: crisis-lines\n:::",
    "::: tip\nSave {{crisis.local.phone}} in your phone.\n:::",
    "Code stays: `{{organization.phone}}`.",
];

#[derive(Debug, Clone)]
struct Toolkit {
    /// For each module: (shape, target module, anchor?, value in the link text?).
    links: Vec<Vec<(usize, usize, bool, bool)>>,
    values: Vec<Vec<usize>>,
    /// Which modules the edition keeps (at least one).
    kept: Vec<bool>,
    languages: &'static str,
}

fn toolkit() -> impl Strategy<Value = Toolkit> {
    let link = (
        0..LINK_SHAPES.len(),
        0..MODULES.len(),
        any::<bool>(),
        any::<bool>(),
    );
    (
        prop::collection::vec(prop::collection::vec(link, 0..4), MODULES.len()),
        prop::collection::vec(
            prop::collection::vec(0..VALUE_SHAPES.len(), 0..3),
            MODULES.len(),
        ),
        prop::collection::vec(any::<bool>(), MODULES.len())
            .prop_filter("an edition keeps a module", |k| k.iter().any(|&b| b)),
        prop::sample::select(vec!["[en]", "[es]", "[en, es]", "[es, en]"]),
    )
        .prop_map(|(links, values, kept, languages)| Toolkit {
            links,
            values,
            kept,
            languages,
        })
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
    fs::write(path, text).expect("write a file");
}

impl Toolkit {
    fn body(&self, m: usize) -> String {
        let mut body = String::from("## Start here\n\nSome words.\n");
        for &(shape, target, anchor, value) in &self.links[m] {
            let text = if value {
                "call {{organization.phone}}"
            } else {
                "that session"
            };
            let anchor = if anchor { "#start-here" } else { "" };
            let link = format!("[{text}](../{}/index.md{anchor})", MODULES[target]);
            body.push('\n');
            body.push_str(&LINK_SHAPES[shape].replace("{link}", &link));
            body.push('\n');
        }
        for &v in &self.values[m] {
            body.push('\n');
            body.push_str(VALUE_SHAPES[v]);
            body.push('\n');
        }
        body
    }

    fn edition(&self) -> String {
        let kept: Vec<&str> = MODULES
            .iter()
            .zip(&self.kept)
            .filter(|(_, k)| **k)
            .map(|(m, _)| *m)
            .collect();
        format!(
            "languages: {}\norganization:\n  phone: \"555-0142\"\ncrisis_lines:\n  - id: local\n    label: {{ en: Our line, es: Nuestra línea }}\n    phone: \"555-0199\"\nmodules: [{}]\n",
            self.languages,
            kept.join(", ")
        )
    }
}

/// `href` from the page at `from`, as a path from the site root; `None` for other sites
/// and schemes.
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.contains(':') || href.starts_with('#') {
        return None;
    }
    let path = href.split('#').next().unwrap_or_default();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Whether an `<a>` opens before the one before it has closed.
fn nests_links(html: &str) -> bool {
    let mut open = false;
    let mut rest = html;
    while let Some(i) = rest.find("<a ").into_iter().chain(rest.find("</a>")).min() {
        if rest[i..].starts_with("</a>") {
            open = false;
        } else if open {
            return true;
        } else {
            open = true;
        }
        rest = &rest[i + 3..];
    }
    false
}

/// Whether `node` or an element around it is one of `names`.
fn within(node: ElementRef, names: &[&str]) -> bool {
    std::iter::once(node)
        .chain(node.ancestors().filter_map(ElementRef::wrap))
        .any(|a| names.contains(&a.value().name()))
}

fn check(toolkit: &Toolkit) -> Result<(), TestCaseError> {
    let project = Project::empty();
    let root = project.root();
    write(root, "hearth.yaml", CONFIG);
    write(root, "editions/e.yaml", &toolkit.edition());
    for lang in ["en", "es"] {
        write(
            root,
            &format!("content/{lang}/_index.md"),
            "---\ntitle: Home\n---\n\nHello.\n",
        );
        for (m, folder) in MODULES.iter().enumerate() {
            write(
                root,
                &format!("content/{lang}/modules/{folder}/index.md"),
                &format!(
                    "---\ntitle: Session {m}\nsummary: S.\nduration: 30\n---\n\n{}",
                    toolkit.body(m)
                ),
            );
        }
    }
    let options = Options {
        edition: Some("e".into()),
        ..Options::default()
    };
    let generated = match build::generate(root, &options) {
        Ok(generated) => generated,
        Err(Failure::Content(d) | Failure::Config(d)) => {
            return Err(TestCaseError::fail(format!(
                "the edition does not build: {d:#?}\n{}",
                toolkit.edition()
            )));
        }
        Err(Failure::Operational(e)) => return Err(TestCaseError::fail(format!("{e:#}"))),
    };
    let files: HashSet<&str> = generated
        .outputs
        .iter()
        .map(|o| o.path.as_str())
        .chain(generated.copies.iter().map(|(_, p)| p.as_str()))
        .collect();
    for output in generated
        .outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
    {
        let text = String::from_utf8_lossy(&output.bytes);
        let at = &output.path;
        // Read as written: an HTML parser mends a link inside a link into two.
        prop_assert!(!nests_links(&text), "{at}: a link inside a link:\n{text}");
        let page = Html::parse_document(&text);
        for a in page.select(&sel("a[href]")) {
            let href = a.value().attr("href").unwrap_or_default();
            prop_assert!(!href.contains(".md"), "{at}: a link to a source: {href}");
            if let Some(target) = resolve(at, href) {
                prop_assert!(
                    files.contains(target.as_str()),
                    "{at}: `{href}` leads nowhere ({target})"
                );
            }
            if let Some(number) = href.strip_prefix("tel:") {
                prop_assert!(
                    number.chars().all(|c| c.is_ascii_digit() || c == '+'),
                    "{at}: {href}"
                );
            }
        }
        for node in page.root_element().descendants() {
            let Node::Text(t) = node.value() else {
                continue;
            };
            let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
                continue;
            };
            if within(parent, &["style", "code", "title"]) {
                continue;
            }
            prop_assert!(!t.contains("{{"), "{at}: a value's name shows: {}", &**t);
            for number in NUMBERS {
                if t.contains(number) {
                    prop_assert!(
                        within(parent, &["a"]),
                        "{at}: {number} is not a link in `{}`",
                        &**t
                    );
                }
            }
        }
    }
    Ok(())
}

#[test]
fn in_any_edition_links_lead_somewhere_and_numbers_are_tappable() {
    let mut runner = crate::support::runner(64);
    runner
        .run(&toolkit(), |toolkit| check(&toolkit))
        .unwrap_or_else(|e| panic!("{e}"));
}
