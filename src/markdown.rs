//! Markdown to HTML: CommonMark with hearth's named blocks (`::: activity {minutes=15}`),
//! heading ids, and links to `.md` sources rewritten to page URLs.
//!
//! A pure leaf: [`parse`] (in `blocks`) reads a body's block structure once; [`render`]
//! (in `stage`) turns it into HTML for one [`View`], asking a [`Resolver`] for link
//! targets and [`Labels`] for the words it shows, and returns what it found (headings,
//! links to check) with the HTML. This file holds the types both sides share.

mod blocks;
mod fences;
pub mod safe;
mod stage;

pub use blocks::parse;
pub use stage::{
    AnchorLink, Field, Labels, PARTICIPANT_TEXT_MARK, Picture, ROOT, RawHtml, Rendered, Resolver,
    Target, anchor_missing, next_value, render, render_field,
};

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// Who a page is for: participant pages never contain facilitator-only blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Module, handout, plain and home pages: `facilitator`, `say` and `adapt` blocks (and
    /// blocks whose opening line has an error) are removed line by line.
    Participant,
    /// Guides and binders: every block, and each activity with its minutes.
    Facilitator,
}

/// The named blocks of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockName {
    /// `::: facilitator`: a note for the facilitator only.
    Facilitator,
    /// `::: say`: words the facilitator says out loud; facilitator only.
    Say,
    /// `::: adapt`: ways to adapt the session to a group; facilitator only.
    Adapt,
    /// `::: activity {minutes=…}`: a timed step of the session, and a row of its agenda.
    Activity,
    /// `::: discussion`: questions for the group.
    Discussion,
    /// `::: practice`: something to try before the next session.
    Practice,
    /// `::: tip`.
    Tip,
    /// `::: note`.
    Note,
    /// `::: warning`: shown as a "Take care" box.
    Warning,
    /// `::: lines {count=…}`: lines to write on in print, a box to type in on screen.
    Lines,
    /// `::: crisis-lines`, with nothing inside: the site's (or edition's) crisis lines, as
    /// a list a phone can call from.
    CrisisLines,
    /// `::: participant-text`, with nothing inside, in `facilitator.md`: where the guide
    /// shows what participants read, and where their activities join the agenda.
    ParticipantText,
}

impl BlockName {
    const ALL: [(&'static str, BlockName); 12] = [
        ("facilitator", BlockName::Facilitator),
        ("say", BlockName::Say),
        ("adapt", BlockName::Adapt),
        ("activity", BlockName::Activity),
        ("discussion", BlockName::Discussion),
        ("practice", BlockName::Practice),
        ("tip", BlockName::Tip),
        ("note", BlockName::Note),
        ("warning", BlockName::Warning),
        ("lines", BlockName::Lines),
        ("crisis-lines", BlockName::CrisisLines),
        ("participant-text", BlockName::ParticipantText),
    ];

    /// The name written after `:::`, also the block's `block-<name>` class.
    pub fn as_str(self) -> &'static str {
        BlockName::ALL
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("", |(s, _)| s)
    }

    /// Whether the block is meant to hold a block opened with `inner` (`None` for an opening
    /// line with an error): an activity holds its `say`, but not another activity, and a
    /// `say` holds words only. When a `:::` is missing, the block open where one it cannot
    /// hold starts is the likeliest one left open.
    fn may_hold(self, inner: Option<BlockName>) -> bool {
        let holds_blocks =
            |name: BlockName| matches!(name, Self::Activity | Self::Discussion | Self::Practice);
        match self {
            Self::Activity => inner != Some(Self::Activity),
            Self::Discussion | Self::Practice => inner.is_none_or(|i| !holds_blocks(i)),
            _ => false,
        }
    }

    /// Whether the block is left out of participant pages entirely.
    pub fn facilitator_only(self) -> bool {
        matches!(
            self,
            BlockName::Facilitator | BlockName::Say | BlockName::Adapt
        )
    }
}

/// The session formats a block can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `format=in-person`.
    InPerson,
    /// `format=virtual`: a group that meets online.
    Virtual,
}

impl Format {
    /// Every format, in the order a guide shows their agendas.
    pub const ALL: [Format; 2] = [Format::InPerson, Format::Virtual];

    /// As written in `format=`, and in a block's `format-<name>` class.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::InPerson => "in-person",
            Format::Virtual => "virtual",
        }
    }
}

/// One `::: name {attrs}` … `:::` block.
#[derive(Debug, Clone)]
pub struct Block {
    /// What the opening line names; a line with an error opens a hidden `Facilitator` block.
    pub name: BlockName,
    /// `title=`, shown under the block's label, or for `lines`, above the lines.
    pub title: Option<String>,
    /// `minutes=`, only on an `activity`, which must have it: at most a day. Only the
    /// facilitator view shows it.
    pub minutes: Option<u32>,
    /// `count=`, only on `lines`: how many lines to write on; 6 when unset, and kept to 1
    /// to 60 when shown.
    pub count: Option<u32>,
    /// Its own `format=`, or the nearest enclosing block's.
    pub format: Option<Format>,
    /// Lines within the body (0-based) of the opening and closing fences; `None` for a
    /// block that is never closed.
    open: usize,
    close: Option<usize>,
    /// How many colons its opening fence has; it closes with as many.
    colons: usize,
    /// Whether its opening line has an error. Such a block is kept, so that its closing
    /// `:::` is not reported as well, and kept from participants, since its author may
    /// have meant `say`.
    broken: bool,
}

impl Block {
    fn new(name: BlockName) -> Block {
        Block {
            name,
            title: None,
            minutes: None,
            count: None,
            format: None,
            open: 0,
            close: None,
            colons: 3,
            broken: false,
        }
    }

    /// Whether participants never see the block: facilitator-only, or in doubt.
    fn hidden_from_participants(&self) -> bool {
        self.broken || self.name.facilitator_only()
    }

    /// Whether the block renders as a `<div>` of its own.
    fn rendered(&self) -> bool {
        !self.broken && self.close.is_some()
    }
}

/// One fence line: the bytes of the body from its `:::` to the end of its line.
#[derive(Debug, Clone)]
struct Fence {
    start: usize,
    end: usize,
    line: usize,
    block: usize,
    opens: bool,
}

/// A timed activity, for the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    /// Its `title=`; empty when it has none.
    pub title: String,
    /// Its `minutes=`.
    pub minutes: u32,
    /// Its own `format=` or its enclosing block's; `None` puts it in every format's agenda.
    pub format: Option<Format>,
    /// Line in the file.
    pub line: usize,
}

/// A heading with its id, for anchors and tables of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6, as in `<h1>` to `<h6>`.
    pub level: u8,
    /// Unique within the rendering: its own `{#id}`, or [`slugify`] of its text, with `-1`,
    /// `-2`, … after a repeat.
    pub id: String,
    /// Its plain text: text and code, without markup.
    pub text: String,
}

/// Where a body sits in its file, for diagnostics.
#[derive(Clone, Copy)]
pub struct Loc<'a> {
    /// Relative to the project root, for diagnostics.
    pub file: &'a Path,
    /// The whole file.
    pub text: &'a str,
    /// The byte offset in `text` where the body starts, after the front matter.
    pub body_start: usize,
}

impl Loc<'_> {
    fn first_body_line(&self) -> usize {
        self.text[..self.body_start].matches('\n').count() + 1
    }

    fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// A body's block structure, parsed once and rendered for each view.
#[derive(Debug, Clone)]
pub struct Parsed {
    first_line: usize,
    blocks: Vec<Block>,
    /// In the order of the body.
    fences: Vec<Fence>,
    /// Line ranges (0-based, end exclusive) that participants never see, in order.
    hidden: Vec<Range<usize>>,
    /// Errors in the body's `:::` blocks (unknown, unclosed, misplaced), found once here
    /// rather than in each view.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// The `activity` blocks, in order.
    pub fn activities(&self) -> Vec<Activity> {
        self.blocks
            .iter()
            .filter(|b| b.name == BlockName::Activity && !b.broken)
            .map(|b| Activity {
                title: b.title.clone().unwrap_or_default(),
                minutes: b.minutes.unwrap_or(0),
                format: b.format,
                line: self.first_line + b.open,
            })
            .collect()
    }

    /// The line of the `participant-text` block, if the body has one.
    pub fn participant_text(&self) -> Option<usize> {
        self.blocks
            .iter()
            .find(|b| b.name == BlockName::ParticipantText && !b.broken)
            .map(|b| self.first_line + b.open)
    }

    /// Every format any block is limited to.
    pub fn formats(&self) -> BTreeSet<Format> {
        self.blocks.iter().filter_map(|b| b.format).collect()
    }
}

/// A heading id from its text: lowercase letters and digits joined by hyphens, accents kept
/// (as GitHub does), so `¿Qué sigue?` becomes `qué-sigue`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// Escapes text for HTML element content and attribute values, with the same escaper
/// pulldown-cmark uses for the rest of the page, so both agree byte for byte.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::stage::HeadingIds;
    use super::*;
    use crate::diagnostic::{Kind, Severity};

    #[test]
    fn heading_ids_are_unique_and_numbered_past_hand_chosen_ones() {
        let mut ids = HeadingIds::default();
        let got: Vec<String> = ["try-it", "try-it", "try-it-2", "try-it", "notes"]
            .into_iter()
            .map(|w| ids.unique(w.to_owned()))
            .collect();
        assert_eq!(got, ["try-it", "try-it-1", "try-it-2", "try-it-3", "notes"]);
    }

    struct Files;
    impl Resolver for Files {
        type Key = &'static str;
        fn resolve(&self, path: &str) -> Result<Target<&'static str>, String> {
            match path {
                "../02-b/index.md" => Ok(Target {
                    url: format!("{ROOT}en/b/"),
                    doc: Some("b"),
                    outside: None,
                    picture: None,
                }),
                "../03-c/index.md" => Ok(Target {
                    url: String::new(),
                    doc: None,
                    outside: Some("editions/e.yaml".into()),
                    picture: None,
                }),
                _ => Err("check the path".into()),
            }
        }
    }

    struct English;
    impl Labels for English {
        fn block(&self, name: BlockName) -> String {
            name.as_str().to_uppercase()
        }
        fn format(&self, format: Format) -> String {
            format.as_str().into()
        }
        fn minutes(&self, minutes: u32) -> String {
            format!("{minutes} min")
        }
        fn write_here(&self) -> String {
            "Write here".into()
        }
        fn not_in_program(&self) -> String {
            "(not here)".into()
        }
        fn value(&self, name: &str, plain: bool) -> Result<Option<String>, String> {
            match (name, plain) {
                ("organization.phone", false) => Ok(Some(
                    "<a class=\"tel\" href=\"tel:5550142\">555-0142</a>".into(),
                )),
                ("organization.phone", true) => Ok(Some("555-0142".into())),
                ("organization.email", _) => Ok(None),
                _ => Err("did you mean `organization.phone`?".into()),
            }
        }
        fn crisis_lines(&self) -> String {
            "<ul class=\"crisis-lines\"><li>LINES</li></ul>\n".into()
        }
    }

    fn run(body: &str, view: View) -> (Parsed, Rendered<&'static str>) {
        let text = format!("---\ntitle: T\n---\n{body}");
        let loc = Loc {
            file: Path::new("m.md"),
            text: &text,
            body_start: 17,
        };
        let parsed = parse(loc);
        let rendered = render(&parsed, loc, view, &Files, &English, RawHtml::Clean);
        (parsed, rendered)
    }

    #[test]
    fn a_field_resolves_its_links_where_it_is_written_and_keeps_plain_quotes() {
        let text = "---\npreparation: |\n  Say \"hi\". Read [b](../02-b/index.md#x), [c](c.md), [top](#y).\n---\n";
        let loc = Loc {
            file: Path::new("m.md"),
            text,
            body_start: text.len(),
        };
        let field = Field {
            text: "Say \"hi\". Read [b](../02-b/index.md#x), [c](c.md), [top](#y).\n",
            loc,
            line: 3,
            indent: 2,
        };
        let r = render_field(field, "a", &Files, &English, RawHtml::Clean);
        assert_eq!(
            r.html,
            "<p>Say \"hi\". Read <a href=\"~root~/en/b/#x\">b</a>, <a href=\"c.md\">c</a>, <a href=\"#y\">top</a>.</p>\n"
        );
        let links: Vec<(&str, &str)> = r
            .anchor_links
            .iter()
            .map(|l| (l.doc, l.anchor.as_str()))
            .collect();
        assert_eq!(links, [("b", "x"), ("a", "y")]);
        let d = &r.diagnostics[0];
        assert_eq!((d.kind, d.line, d.column), (Kind::Link, 3, 43));
    }

    #[test]
    fn partner_values_become_their_html_where_they_are_written() {
        let body = "Call {{organization.phone}} or { {{ organization.phone }} }.\n\n`{{organization.phone}}` and {{not a name}}\n\n```\n{{organization.phone}}\n```\n\n[call {{organization.phone}}](../02-b/index.md)\n";
        let (_, r) = run(body, View::Participant);
        assert_eq!(
            r.html,
            "<p>Call <a class=\"tel\" href=\"tel:5550142\">555-0142</a> or { <a class=\"tel\" href=\"tel:5550142\">555-0142</a> }.</p>\n<p><code>{{organization.phone}}</code> and {{not a name}}</p>\n<pre><code>{{organization.phone}}\n</code></pre>\n<p><a href=\"~root~/en/b/\">call 555-0142</a></p>\n"
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn an_unknown_value_is_an_error_and_an_unset_one_a_warning_at_their_place() {
        let (_, r) = run(
            "Mail {{organization.email}}.\nCall {{organisation.phone}}.\n",
            View::Participant,
        );
        assert_eq!(r.html, "<p>Mail .\nCall .</p>\n");
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.severity,
                    d.kind,
                    d.line,
                    d.column,
                    d.hint.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Warning,
                    Kind::PartnerValue,
                    4,
                    6,
                    "add `email:` under `organization:` in hearth.yaml (or in the edition's file)"
                        .into()
                ),
                (
                    Severity::Error,
                    Kind::PartnerValue,
                    5,
                    6,
                    "did you mean `organization.phone`?".into()
                ),
            ]
        );
    }

    #[test]
    fn a_link_into_a_left_out_module_keeps_its_text_with_a_note() {
        let (_, r) = run(
            "See [the third](../03-c/index.md) soon.\n\n::: crisis-lines\n:::\n",
            View::Participant,
        );
        assert_eq!(
            r.html,
            "<p>See the third <span class=\"not-in-program\">(not here)</span> soon.</p>\n<div class=\"block block-crisis-lines\">\n<p class=\"block-label\">CRISIS-LINES</p>\n<ul class=\"crisis-lines\"><li>LINES</li></ul>\n</div>\n"
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(
            (r.diagnostics[0].severity, r.diagnostics[0].line),
            (Severity::Warning, 4)
        );
    }

    const SESSION: &str = "## Welcome\n\n:::: activity {minutes=15 title=\"Check-in\"}\nGo around.\n\n::: say\nSECRET words.\n:::\n\n::: facilitator\nSECRET note.\n:::\n\n::::\n\n::: activity {minutes=10 title=\"Breakouts\" format=virtual}\nRooms.\n:::\n";

    #[test]
    fn facilitator_only_blocks_never_reach_participants() {
        let (_, r) = run(SESSION, View::Participant);
        assert!(!r.html.contains("SECRET"), "{}", r.html);
        assert!(r.html.contains("Check-in"));
        assert!(!r.html.contains("15 min"), "participants see no timings");
        let (_, r) = run(SESSION, View::Facilitator);
        assert!(r.html.contains("SECRET words") && r.html.contains("SECRET note"));
        assert!(r.html.contains("ACTIVITY · 15 min"), "{}", r.html);
    }

    #[test]
    fn activities_feed_the_agenda_with_their_lines() {
        let (p, r) = run(SESSION, View::Facilitator);
        assert!(r.diagnostics.is_empty() && p.diagnostics.is_empty());
        let a = p.activities();
        assert_eq!(a.len(), 2);
        assert_eq!((a[0].minutes, a[0].line, a[0].format), (15, 6, None));
        assert_eq!(a[1].format, Some(Format::Virtual));
    }

    #[test]
    fn block_problems_are_located() {
        let (p, _) = run(
            "::: actvity {minutes=5}\n:::\n\n::: tip\nOpen\n",
            View::Participant,
        );
        let found: Vec<_> = p
            .diagnostics
            .iter()
            .map(|d| (d.line, d.hint.clone()))
            .collect();
        assert_eq!(found[0], (4, Some("did you mean `activity`?".into())));
        assert_eq!(
            found[1].0, 7,
            "the unclosed tip; the bad opener's `:::` is no second error"
        );
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn bad_attributes_are_explained() {
        let (p, _) = run("::: activity {minutes=ten}\n:::\n", View::Participant);
        assert!(p.diagnostics[0].message.contains("whole number"));
        let (p, _) = run("::: tip {minuts=3}\n:::\n", View::Participant);
        assert!(p.diagnostics[0].message.contains("no `minuts`"));
        let (p, _) = run("::: activity {title=\"x\"}\n:::\n", View::Participant);
        assert!(p.diagnostics[0].message.contains("minutes"));
    }

    #[test]
    fn a_say_block_inside_a_list_item_stays_hidden_from_participants() {
        let body = "1. Welcome everyone.\n\n   ::: say\n   SECRET welcome words.\n   :::\n\n2. Next step.\n";
        let (p, r) = run(body, View::Participant);
        assert!(p.diagnostics.is_empty());
        assert!(
            !r.html.contains("SECRET") && !r.html.contains(":::"),
            "{}",
            r.html
        );
        let (_, r) = run(body, View::Facilitator);
        assert!(
            r.html.contains("block-say") && r.html.contains("SECRET welcome words"),
            "{}",
            r.html
        );
    }

    #[test]
    fn code_fences_hide_block_syntax() {
        let (p, r) = run("```\n::: nothing\n```\n", View::Participant);
        assert!(p.diagnostics.is_empty());
        assert!(r.html.contains("::: nothing"));
    }

    #[test]
    fn headings_get_unique_ids_and_explicit_ones_stay() {
        let (_, r) = run(
            "## ¿Qué sigue?\n\n## ¿Qué sigue?\n\n## Mine {#custom}\n",
            View::Participant,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["qué-sigue", "qué-sigue-1", "custom"]);
        assert!(r.html.contains("<h2 id=\"qué-sigue-1\">"), "{}", r.html);
    }

    #[test]
    fn skipped_heading_levels_are_warned_about() {
        let (_, r) = run(
            "## One\n\n#### Too deep\n\n# Second title\n",
            View::Participant,
        );
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.kind, d.line, d.hint.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Kind::Accessibility,
                    6,
                    Some("start it with `###`, so screen readers can follow the outline".into())
                ),
                (
                    Kind::Accessibility,
                    8,
                    Some("start it with `##`, so screen readers can follow the outline".into())
                ),
            ]
        );
    }

    #[test]
    fn links_are_resolved_or_reported() {
        let (_, r) = run(
            "[next](../02-b/index.md#top) [gone](../09-x/index.md) [here](#nowhere) [web](https://example.org)\n",
            View::Participant,
        );
        assert!(
            r.html.contains(&format!("href=\"{ROOT}en/b/#top\"")),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"https://example.org\""));
        assert_eq!(r.anchor_links[0].anchor, "top");
        let kinds: Vec<_> = r.diagnostics.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [Kind::Link, Kind::Anchor]);
    }

    #[test]
    fn task_lists_are_boxes_to_tick_not_unlabelled_checkboxes() {
        let (_, r) = run("- [ ] call the school\n- [x] rest\n", View::Participant);
        assert!(!r.html.contains("<input"), "{}", r.html);
        assert!(
            r.html
                .contains("<span class=\"task\" aria-hidden=\"true\"></span>")
        );
        assert!(r.html.contains("task done"));
    }

    #[test]
    fn lines_become_a_text_box_and_ruled_lines() {
        let (_, r) = run("::: lines {count=4}\n:::\n", View::Participant);
        assert!(r.html.contains("<textarea rows=\"4\">"), "{}", r.html);
        assert!(r.html.contains("--lines:4"));
    }
}
