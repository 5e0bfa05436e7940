//! Markdown to HTML: CommonMark with hearth's named blocks (`::: activity {minutes=15}`),
//! heading ids, and links to `.md` sources rewritten to page URLs.
//!
//! A pure leaf: [`parse`] reads a body's block structure once; [`render`] turns it into
//! HTML for one [`View`], asking a [`Resolver`] for link targets and [`Labels`] for the
//! words it shows, and returns what it found (headings, links to check) with the HTML.

mod fences;
pub mod safe;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Kind, did_you_mean, did_you_mean_hint, suggest};
use fences::{Lines, Literal};

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
}

impl BlockName {
    const ALL: [(&'static str, BlockName); 10] = [
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
    ];

    /// The name written after `:::`, also the block's `block-<name>` class.
    pub fn as_str(self) -> &'static str {
        BlockName::ALL
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("", |(s, _)| s)
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

    /// Every format any block is limited to.
    pub fn formats(&self) -> BTreeSet<Format> {
        self.blocks.iter().filter_map(|b| b.format).collect()
    }
}

/// Reads the named blocks of a Markdown body. Fences are found where CommonMark reads a
/// line of paragraph text (see the `fences` module); problems (unknown names, bad attributes,
/// unclosed blocks, `:::` lines where no fence can be) become diagnostics.
pub fn parse(loc: Loc) -> Parsed {
    let body = loc.body();
    let lines = Lines::new(body);
    let scan = fences::scan(body, &lines);
    let mut parsed = Parsed {
        first_line: loc.first_body_line(),
        blocks: Vec::new(),
        fences: Vec::new(),
        hidden: Vec::new(),
        diagnostics: Vec::new(),
    };
    let error_at = |offset: usize, len: usize, message: String| {
        Diagnostic::error(Kind::Block, loc.file, message).at_offset(
            loc.text,
            loc.body_start + offset,
            len,
        )
    };
    let unclosed = pair_fences(&mut parsed, body, &lines, &scan.fences, &error_at);
    for (b, open_at) in unclosed {
        let block = &parsed.blocks[b];
        if block.broken {
            continue;
        }
        let message = format!(
            "the `{}` block opened here is never closed",
            block.name.as_str()
        );
        parsed.diagnostics.push(
            error_at(open_at, 3, message).hint("add a line with just `:::` where the block ends"),
        );
    }
    for lookalike in fences::lookalikes(&scan, &lines) {
        if let Some((message, hint)) = lookalike_problem(&lookalike) {
            parsed
                .diagnostics
                .push(error_at(lookalike.at, lookalike.text.len(), message).hint(hint));
        }
    }
    parsed.hidden = hidden_lines(&parsed.blocks, lines.len());
    check_nesting(&mut parsed, body, loc);
    parsed
}

/// Pairs each closing fence with the block open above it, and reads each opening fence's
/// block (a bad opener still opens a block, kept hidden from participants, so its `:::`
/// does not also show up as closing nothing). Returns the blocks never closed, each with
/// the offset of its opening `:::`.
fn pair_fences(
    parsed: &mut Parsed,
    body: &str,
    lines: &Lines,
    fences: &[usize],
    error_at: &dyn Fn(usize, usize, String) -> Diagnostic,
) -> Vec<(usize, usize)> {
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for &start in fences {
        let line = lines.line_of(start);
        let end = lines.end(line);
        let text = &body[start..end];
        let rest = text.trim_start_matches(':').trim();
        let mut fence = Fence {
            start,
            end,
            line,
            block: 0,
            opens: false,
        };
        if rest.is_empty() {
            match stack.pop() {
                Some((b, _)) => {
                    parsed.blocks[b].close = Some(line);
                    fence.block = b;
                    parsed.fences.push(fence);
                }
                None => parsed.diagnostics.push(
                    error_at(start, text.len(), "this `:::` closes no block".into())
                        .hint("remove it, or open a block above it, like `::: tip`"),
                ),
            }
            continue;
        }
        let parent_format = stack.last().and_then(|&(p, _)| parsed.blocks[p].format);
        let mut block = match parse_opener(rest.trim_end_matches(':').trim_end()) {
            Ok(block) => block,
            Err((message, hint)) => {
                parsed
                    .diagnostics
                    .push(error_at(start, text.len(), message).hint(hint));
                Block {
                    broken: true,
                    ..Block::new(BlockName::Facilitator)
                }
            }
        };
        block.open = line;
        block.format = block.format.or(parent_format);
        fence.block = parsed.blocks.len();
        fence.opens = true;
        parsed.fences.push(fence);
        stack.push((parsed.blocks.len(), start));
        parsed.blocks.push(block);
    }
    stack
}

/// What is wrong with a `:::` line that is not a fence, if anything.
fn lookalike_problem(lookalike: &fences::Lookalike) -> Option<Problem> {
    let name = lookalike
        .text
        .trim_start_matches(':')
        .split(|c: char| c.is_whitespace() || c == '{')
        .find(|w| !w.is_empty());
    let facilitator_only = name.is_some_and(|n| {
        BlockName::ALL
            .iter()
            .any(|(s, b)| *s == n && b.facilitator_only())
    });
    let what = match name {
        Some(n) => format!("this `{n}` block"),
        None => "this `:::`".to_owned(),
    };
    match lookalike.holder {
        // Code may show the block syntax itself, except for text meant for facilitators.
        Some(Literal::Code) if !facilitator_only => None,
        Some(Literal::Code) => Some((
            format!("{what} is inside a code block, so participants would see its text"),
            "end the code block above it with a line of ``` (or remove the 4-space or tab indent that makes it code)".into(),
        )),
        Some(Literal::Html) => Some((
            format!("{what} is inside raw HTML, so it is not read as a block and its text would be shown"),
            "leave a blank line between the HTML and the `:::` line".into(),
        )),
        None => Some((
            format!("{what} continues the table, heading or link above it, so it is not read as a block"),
            "leave a blank line above the `:::` line".into(),
        )),
    }
}

/// The line ranges that participants never see: each facilitator-only (or broken) block
/// from its opening line to its closing one, or to the end of the body when unclosed.
/// Blocks come in the order they open, so one pass finds the outermost ones.
fn hidden_lines(blocks: &[Block], line_count: usize) -> Vec<Range<usize>> {
    let mut hidden: Vec<Range<usize>> = Vec::new();
    for block in blocks.iter().filter(|b| b.hidden_from_participants()) {
        let end = block.close.map_or(line_count, |c| c + 1);
        match hidden.last_mut() {
            Some(last) if block.open < last.end => last.end = last.end.max(end),
            _ => hidden.push(block.open..end),
        }
    }
    hidden
}

/// Checks that every block's fences stand as blocks of their own in the same container
/// (quote, list item, footnote) as each other, as the facilitator view will read them.
fn check_nesting(parsed: &mut Parsed, body: &str, loc: Loc) {
    if parsed.fences.is_empty() {
        return;
    }
    let (text, markers) = view_text(parsed, body, View::Facilitator);
    let offsets: Vec<usize> = markers.iter().map(|m| m.0).collect();
    let placed = fences::place(&text, &offsets);
    let mut opened: HashMap<usize, Option<fences::Placed>> = HashMap::new();
    for (&(_, f), place) in markers.iter().zip(placed) {
        let fence = &parsed.fences[f];
        let block = &parsed.blocks[fence.block];
        let name = block.name.as_str();
        let problem = match place {
            Some(p) if !p.own_block => Some((
                format!(
                    "this `:::` line is read as part of the paragraph above it, so the `{name}` block cannot start or end here"
                ),
                "indent the `:::` line like the text around it (less than 4 spaces more)"
                    .to_owned(),
            )),
            None => Some((
                format!("this `:::` line of the `{name}` block is read as part of something else"),
                "put the `:::` line on its own, after a blank line".to_owned(),
            )),
            Some(p) if fence.opens => {
                opened.insert(fence.block, Some(p));
                None
            }
            Some(p) => match opened.get(&fence.block) {
                Some(Some(o)) if o.container != p.container => Some((
                    format!(
                        "the `:::` that closes this `{name}` block is not in the same quote or list item as its opening line"
                    ),
                    format!(
                        "give it the same indent and `>` marks as line {}",
                        parsed.first_line + block.open
                    ),
                )),
                _ => None,
            },
        };
        if let Some((message, hint)) = problem {
            parsed.diagnostics.push(
                Diagnostic::error(Kind::Block, loc.file, message)
                    .at_offset(
                        loc.text,
                        loc.body_start + fence.start,
                        fence.end - fence.start,
                    )
                    .hint(hint),
            );
        }
    }
}

type Problem = (String, String);

/// Reads `name {key=value key="a value"}`.
fn parse_opener(rest: &str) -> Result<Block, Problem> {
    let (name, attrs) = match rest.find(|c: char| c.is_whitespace() || c == '{') {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let Some(&(_, name)) = BlockName::ALL.iter().find(|(n, _)| *n == name) else {
        let names = BlockName::ALL.iter().map(|(n, _)| *n);
        let hint = did_you_mean(name, names.clone())
            .unwrap_or_else(|| format!("the blocks are: {}", names.collect::<Vec<_>>().join(", ")));
        return Err((format!("there is no block called `{name}`"), hint));
    };
    let mut block = Block::new(name);
    if !attrs.is_empty() {
        let Some(inner) = attrs.strip_prefix('{').and_then(|a| a.strip_suffix('}')) else {
            return Err((
                "the block's attributes must be inside `{ }`".into(),
                "write them like `{minutes=15 title=\"Check-in\"}`".into(),
            ));
        };
        for (key, value) in parse_attrs(inner)? {
            let number = |what: &str| {
                value.parse::<u32>().map_err(|_| {
                    (
                        format!("`{key}` must be a whole number, not `{value}`"),
                        format!("write the {what} as digits, like `{key}=15`"),
                    )
                })
            };
            match (key.as_str(), name) {
                ("title", _) => block.title = Some(value.clone()),
                ("format", _) => {
                    block.format = Some(match value.as_str() {
                        "in-person" => Format::InPerson,
                        "virtual" => Format::Virtual,
                        _ => {
                            return Err((
                                format!("`{value}` is not a format"),
                                "use `format=in-person` or `format=virtual`".into(),
                            ));
                        }
                    })
                }
                ("minutes", BlockName::Activity) => {
                    let minutes = number("minutes")?;
                    if minutes > 24 * 60 {
                        return Err((
                            format!("{minutes} minutes is longer than a day"),
                            "give the activity's length in minutes, like `minutes=15`".into(),
                        ));
                    }
                    block.minutes = Some(minutes);
                }
                ("count", BlockName::Lines) => block.count = Some(number("number of lines")?),
                _ => {
                    let allowed: &[&str] = match name {
                        BlockName::Activity => &["minutes", "title", "format"],
                        BlockName::Lines => &["count", "title", "format"],
                        _ => &["title", "format"],
                    };
                    let hint = did_you_mean(&key, allowed).unwrap_or_else(|| {
                        format!("a `{}` block takes: {}", name.as_str(), allowed.join(", "))
                    });
                    return Err((
                        format!("a `{}` block has no `{key}` attribute", name.as_str()),
                        hint,
                    ));
                }
            }
        }
    }
    if name == BlockName::Activity && block.minutes.is_none() {
        return Err((
            "an activity needs its length in minutes".into(),
            "add it like `::: activity {minutes=15 title=\"Check-in\"}`".into(),
        ));
    }
    Ok(block)
}

/// Splits `key=value key="two words"` into pairs.
fn parse_attrs(inner: &str) -> Result<Vec<(String, String)>, Problem> {
    let mut pairs = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err((
                format!("`{rest}` is not an attribute"),
                "write attributes as `key=value`, like `minutes=15`".into(),
            ));
        };
        let key = rest[..eq].trim().to_owned();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err((
                format!("`{}` is not an attribute", rest[..eq].trim()),
                "write attributes as `key=value`, separated by spaces".into(),
            ));
        }
        rest = &rest[eq + 1..];
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let Some(end) = quoted.find('"') else {
                return Err((
                    format!("the value of `{key}` has no closing `\"`"),
                    "close the quotes, like `title=\"Check-in\"`".into(),
                ));
            };
            value = quoted[..end].to_owned();
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            value = rest[..end].to_owned();
            rest = &rest[end..];
        }
        pairs.push((key, value));
        rest = rest.trim_start();
    }
    Ok(pairs)
}

/// What a link in Markdown points to, as the caller resolves it.
pub struct Target<K> {
    /// The URL to write, relative to the site root, prefixed with [`ROOT`].
    pub url: String,
    /// The document, if the target is one, for anchor checks.
    pub doc: Option<K>,
}

/// Turns relative link destinations into URLs. `path` has no `#fragment`.
pub trait Resolver {
    /// What names a document, for checking `#anchor` links once every document is rendered.
    type Key: Clone;
    /// The target of `path`, or a hint that says how to fix the link.
    fn resolve(&self, path: &str) -> Result<Target<Self::Key>, String>;
}

/// The words blocks show, in the page's language.
pub trait Labels {
    /// A block's label, at its top ("Tip", "Facilitator note").
    fn block(&self, name: BlockName) -> String;
    /// A format's name, added to the label of a block limited to it.
    fn format(&self, format: Format) -> String;
    /// "15 minutes", added to an activity's label in the facilitator view.
    fn minutes(&self, minutes: u32) -> String;
    /// The accessible name of a `lines` text box.
    fn write_here(&self) -> String;
}

/// Marks the site root in rendered URLs; each page replaces it with its own way up.
pub const ROOT: &str = "~root~/";

/// A link to another document's anchor, to check once every document is rendered.
#[derive(Debug, Clone)]
pub struct AnchorLink<K> {
    /// The document the link leads into; for a front-matter field, the page it is shown on
    /// when the link is a bare `#anchor`.
    pub doc: K,
    /// The part after `#`, as written.
    pub anchor: String,
    /// 1-based line of the link in the file.
    pub line: usize,
    /// 1-based column of the link in the file, in characters.
    pub column: usize,
}

/// The HTML of one view of a body, and what rendering found.
#[derive(Debug, Clone)]
pub struct Rendered<K> {
    /// The HTML fragment; internal links start with [`ROOT`] for the page to replace.
    pub html: String,
    /// Every heading shown in this view, in order: what `#anchor` links must name.
    pub headings: Vec<Heading>,
    /// Links to another document's `#anchor`, for `links::check` once every document is
    /// rendered; for a field, to its own page's as well.
    pub anchor_links: Vec<AnchorLink<K>>,
    /// Broken links, `#anchor` links to headings this text lacks, removed HTML and
    /// addresses, headings that break the outline, pictures without a description.
    pub diagnostics: Vec<Diagnostic>,
}

/// What to do with HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Clean it to the allow-list of [`safe`], and warn about what is removed.
    #[default]
    Clean,
    /// Keep it as written: `allow_raw_html: true`, for an organisation that trusts every
    /// author.
    Trust,
}

impl RawHtml {
    /// The choice `allow_raw_html` in hearth.yaml makes.
    pub fn allowed(allow_raw_html: bool) -> RawHtml {
        if allow_raw_html {
            RawHtml::Trust
        } else {
            RawHtml::Clean
        }
    }
}

/// Renders `parsed` for `view`.
pub fn render<R: Resolver>(
    parsed: &Parsed,
    loc: Loc,
    view: View,
    resolver: &R,
    labels: &dyn Labels,
    raw_html: RawHtml,
) -> Rendered<R::Key> {
    let (text, markers) = view_text(parsed, loc.body(), view);
    let blocks: Vec<(usize, String)> = markers
        .iter()
        .map(|&(offset, f)| {
            let fence = &parsed.fences[f];
            let block = &parsed.blocks[fence.block];
            let html = if fence.opens {
                open_block(block, view, labels)
            } else {
                close_block(block, labels)
            };
            (offset, html)
        })
        .collect();
    let stage = Stage {
        loc,
        first_line: parsed.first_line,
        indent: 0,
        options: fences::options(),
        blocks,
        clean_whole: false,
        page: None,
    };
    stage.render(&text, resolver, raw_html)
}

/// Markdown written in a front-matter field (a guide's `preparation`), and where the
/// field's text is written in its file.
pub struct Field<'a> {
    /// The field's value as YAML gave it (a block scalar without its indentation).
    pub text: &'a str,
    /// The file the field is in; its body is not read.
    pub loc: Loc<'a>,
    /// The line of the file the text's first line is on.
    pub line: usize,
    /// How many columns the text is indented by in the file.
    pub indent: usize,
}

/// Renders a front-matter field with the same stage as a body: its links resolve and are
/// checked, and its HTML is cleaned, as a body's are. It is plain CommonMark without
/// hearth's blocks or extensions, as front-matter text has always been rendered, so its
/// quotes stay straight; a `#anchor` in it names a heading of `page`, the page it is shown on.
pub fn render_field<R: Resolver>(
    field: Field,
    page: R::Key,
    resolver: &R,
    raw_html: RawHtml,
) -> Rendered<R::Key> {
    let stage = Stage {
        loc: field.loc,
        first_line: field.line,
        indent: field.indent,
        options: pulldown_cmark::Options::empty(),
        blocks: Vec::new(),
        // A field's HTML has always been cleaned whole, and cleaning writes some
        // characters differently (`&quot;` as `"`), so it still is.
        clean_whole: true,
        page: Some(page),
    };
    stage.render(field.text, resolver, raw_html)
}

/// How one text is rendered: a body with its blocks, or a front-matter field.
struct Stage<'a, K> {
    /// The file, for diagnostics.
    loc: Loc<'a>,
    /// The file's line the text starts on, and the columns it is indented by there.
    first_line: usize,
    indent: usize,
    options: pulldown_cmark::Options,
    /// The offset of each shown block's fence marker in the text, with its HTML.
    blocks: Vec<(usize, String)>,
    /// Whether to clean the HTML even when the author wrote none.
    clean_whole: bool,
    /// For a field, the page whose headings its `#anchor` links name.
    page: Option<K>,
}

impl<K: Clone> Stage<'_, K> {
    /// Walks `text`'s events once: block fences become the blocks' HTML, links resolve,
    /// headings get ids, and whatever needs a warning is found on the way, so nothing is
    /// parsed twice.
    fn render<R: Resolver<Key = K>>(
        self,
        text: &str,
        resolver: &R,
        raw_html: RawHtml,
    ) -> Rendered<K> {
        let mut walk = Walk::new(&self, text, raw_html);
        for (event, range) in Parser::new_ext(text, self.options).into_offset_iter() {
            let event = match event {
                Event::Html(html) | Event::InlineHtml(html) => {
                    Some(walk.html(html, range.start, &self.blocks))
                }
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {
                    walk.in_html_block = false;
                    None
                }
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    walk.link(tag, range.clone(), resolver)
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    walk.kept_links.pop().unwrap_or(true).then_some(event)
                }
                Event::TaskListMarker(done) => Some(task_box(done)),
                other => Some(other),
            };
            if let Some(event) = event {
                walk.push(event, range.start);
            }
        }
        walk.finish(self.clean_whole, self.page)
    }
}

/// A task list on paper is a box to tick, not a form control: a disabled checkbox has no
/// label, which screen readers announce as an unlabelled control.
fn task_box(done: bool) -> Event<'static> {
    Event::InlineHtml(
        if done {
            "<span class=\"task done\" role=\"img\" aria-label=\"✓\"></span>"
        } else {
            "<span class=\"task\" aria-hidden=\"true\"></span>"
        }
        .into(),
    )
}

/// One walk over a text's events: the events kept so far, a heading held back until its
/// text is known, and what the walk has found.
struct Walk<'t, K> {
    loc: Loc<'t>,
    text: &'t str,
    lines: Lines<'t>,
    first_line: usize,
    indent: usize,
    raw_html: RawHtml,
    out: Rendered<K>,
    events: Vec<Event<'t>>,
    /// The author's own HTML, each piece with where it starts: an HTML block's lines
    /// together, so a tag split over lines is read whole.
    raw: Vec<(usize, String)>,
    in_html_block: bool,
    /// For each open link or image: whether it is kept (one with a forbidden address is not).
    kept_links: Vec<bool>,
    /// `#anchor` links to this text's own headings, checked once every heading is known.
    local_anchors: Vec<(String, usize, usize)>,
    /// The events of a heading whose end is not reached yet.
    heading: Option<Vec<Event<'t>>>,
    ids: HeadingIds,
    /// The page title is the level-1 heading; the body's outline continues from it.
    last_level: u8,
}

impl<'t, K: Clone> Walk<'t, K> {
    fn new<'s>(stage: &Stage<'s, K>, text: &'t str, raw_html: RawHtml) -> Walk<'t, K>
    where
        's: 't,
    {
        Walk {
            loc: stage.loc,
            text,
            lines: Lines::new(text),
            first_line: stage.first_line,
            indent: stage.indent,
            raw_html,
            out: Rendered {
                html: String::with_capacity(text.len() * 3 / 2),
                headings: Vec::new(),
                anchor_links: Vec::new(),
                diagnostics: Vec::new(),
            },
            events: Vec::new(),
            raw: Vec::new(),
            in_html_block: false,
            kept_links: Vec::new(),
            local_anchors: Vec::new(),
            heading: None,
            ids: HeadingIds::default(),
            last_level: 1,
        }
    }

    /// The file line and column of a byte offset in the text.
    fn position(&self, offset: usize) -> (usize, usize) {
        let idx = self.lines.line_of(offset);
        let col = self.text[self.lines.start(idx)..offset].chars().count() + 1;
        (self.first_line + idx, self.indent + col)
    }

    fn warn(&mut self, kind: Kind, message: impl Into<String>, offset: usize) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic::warning(kind, self.loc.file, message).at(self.loc.text, line, column)
    }

    /// A block's fence marker becomes the block's HTML; any other HTML is the author's,
    /// kept for the cleaning and its warnings.
    fn html(&mut self, html: CowStr<'t>, offset: usize, blocks: &[(usize, String)]) -> Event<'t> {
        if let Ok(m) = blocks.binary_search_by_key(&offset, |b| b.0) {
            return Event::Html(blocks[m].1.clone().into());
        }
        match self.raw.last_mut() {
            Some((_, piece)) if self.in_html_block => piece.push_str(&html),
            _ => self.raw.push((offset, html.to_string())),
        }
        self.in_html_block = true;
        Event::Html(html)
    }

    /// A link or picture, its address resolved; `None` when the address is removed (the
    /// link's text stays).
    fn link<R: Resolver<Key = K>>(
        &mut self,
        tag: Tag<'t>,
        range: Range<usize>,
        resolver: &R,
    ) -> Option<Event<'t>> {
        let is_image = matches!(tag, Tag::Image { .. });
        let width = range.len().min(40);
        if self.raw_html == RawHtml::Clean
            && let Some(problem) = forbidden_destination(&tag)
        {
            let d = self.warn(Kind::Html, problem, range.start).width(width).hint(if is_image {
                "put the picture in the module's folder and link it by its path, like `images/walk.jpg`"
            } else {
                "link to a web page (`https://…`), an e-mail address (`mailto:`) or a phone number (`tel:`)"
            });
            self.out.diagnostics.push(d);
            self.kept_links.push(false);
            return None;
        }
        self.kept_links.push(true);
        if is_image && self.text[range.clone()].starts_with("![]") {
            let d = self
                .warn(
                    Kind::Accessibility,
                    "this image has no text description",
                    range.start,
                )
                .width(width)
                .hint("describe the picture in the brackets: `![A parent and child walking](...)`");
            self.out.diagnostics.push(d);
        }
        let (line, column) = self.position(range.start);
        Some(Event::Start(with_destination(tag, |dest| {
            resolve_link(
                dest,
                resolver,
                line,
                column,
                self.loc,
                &mut self.out,
                &mut self.local_anchors,
            )
        })))
    }

    /// Keeps an event; a heading's events are held back until its text is known, to give
    /// it an id.
    fn push(&mut self, event: Event<'t>, offset: usize) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.check_outline(level as u8, offset);
                self.heading = Some(vec![event]);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(held) = self.heading.take() {
                    self.finish_heading(held, level);
                }
            }
            event => match &mut self.heading {
                Some(held) => held.push(event),
                None => self.events.push(event),
            },
        }
    }

    /// Warns about a heading that breaks the outline screen readers follow: a second
    /// level-1 heading, or a level skipped.
    fn check_outline(&mut self, level: u8, offset: usize) {
        let last = self.last_level;
        self.last_level = level;
        let (problem, wanted) = if level == 1 {
            ("the page's title is already its top heading".to_owned(), 2)
        } else if level > last + 1 {
            (
                format!("this heading skips from level {last} to level {level}"),
                last + 1,
            )
        } else {
            return;
        };
        let fix = "#".repeat(usize::from(wanted));
        let d = self
            .warn(Kind::Accessibility, problem, offset)
            .width(usize::from(level))
            .hint(format!(
                "start it with `{fix}`, so screen readers can follow the outline"
            ));
        self.out.diagnostics.push(d);
    }

    /// Gives a held heading its id (its own `{#id}`, or one made from its text) and keeps
    /// its events.
    fn finish_heading(&mut self, mut held: Vec<Event<'t>>, level: pulldown_cmark::HeadingLevel) {
        let text: String = held
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Event::Start(Tag::Heading { id, .. }) = &mut held[0] {
            let wanted = id
                .as_ref()
                .map_or_else(|| slugify(&text), |i| i.to_string());
            let unique = self.ids.unique(wanted);
            self.out.headings.push(Heading {
                level: level as u8,
                id: unique.clone(),
                text,
            });
            *id = Some(CowStr::from(unique));
        }
        self.events.extend(held);
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// The HTML, cleaned (with a warning at each place the author's HTML loses something),
    /// and the `#anchor` links checked against the headings: for a field, against the
    /// headings of the `page` it is shown on, once those are known.
    fn finish(mut self, clean_whole: bool, page: Option<K>) -> Rendered<K> {
        pulldown_cmark::html::push_html(
            &mut self.out.html,
            std::mem::take(&mut self.events).into_iter(),
        );
        if self.raw_html == RawHtml::Clean && (clean_whole || !self.raw.is_empty()) {
            self.warn_about_removals();
            self.out.html = safe::clean(&self.out.html);
        }
        let local_anchors = std::mem::take(&mut self.local_anchors);
        let mut out = self.out;
        if let Some(page) = page {
            out.anchor_links
                .extend(
                    local_anchors
                        .into_iter()
                        .map(|(anchor, line, column)| AnchorLink {
                            doc: page.clone(),
                            anchor,
                            line,
                            column,
                        }),
                );
            return out;
        }
        let ids: HashSet<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        let missing: Vec<Diagnostic> = local_anchors
            .into_iter()
            .filter(|(anchor, _, _)| !ids.contains(anchor.as_str()))
            .map(|(anchor, line, column)| {
                anchor_missing(self.loc, &anchor, line, column, &out.headings)
            })
            .collect();
        out.diagnostics.extend(missing);
        out
    }

    /// One warning for each thing cleaning removes from the author's HTML, where it is.
    fn warn_about_removals(&mut self) {
        for (start, piece) in std::mem::take(&mut self.raw) {
            let (line, column) = self.position(start);
            for (n, removed) in safe::removals(&piece) {
                // The tokenizer counts lines within the piece; a piece starts mid-line
                // only on its first.
                let (line, column) = match n {
                    0 | 1 => (line, column),
                    n => (line + n - 1, 1),
                };
                self.out.diagnostics.push(
                    Diagnostic::warning(Kind::Html, self.loc.file, removed)
                        .at(self.loc.text, line, column)
                        .hint("write it in Markdown instead, or set `allow_raw_html: true` in hearth.yaml if every author is trusted"),
                );
            }
        }
    }
}

/// Heading ids, unique within a page: a second "Try it" becomes `try-it-1`, a third
/// `try-it-2`, skipping any id an author chose by hand.
#[derive(Default)]
struct HeadingIds {
    taken: HashSet<String>,
    /// For each wanted id, the next number to try: numbering goes on from where this
    /// text's last twin stopped, so it stays linear when thousands of headings share a text.
    next: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let n = self.next.entry(wanted.clone()).or_insert(1);
        loop {
            let candidate = format!("{wanted}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Why a link's or picture's address is removed, if it is: a link may not run code or
/// carry a document (`javascript:`, `data:`); a picture must come from the site itself.
fn forbidden_destination(tag: &Tag) -> Option<String> {
    match tag {
        Tag::Link { dest_url, .. } => safe::forbidden_scheme(dest_url)
            .map(|s| format!("this link's `{s}:` address is removed, and its text kept")),
        Tag::Image { dest_url, .. } if safe::loads_from_elsewhere(dest_url) => Some(
            "this picture would load from another web site (no page may), so it is removed and its description shown".into(),
        ),
        _ => None,
    }
}

/// A link or image tag with its destination replaced by `f(destination)`.
fn with_destination<'a>(tag: Tag<'a>, f: impl FnOnce(&CowStr<'a>) -> CowStr<'a>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: f(&dest_url),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: f(&dest_url),
            title,
            id,
        },
        other => other,
    }
}

/// A diagnostic for a `#anchor` that names no heading of its page.
pub fn anchor_missing(
    loc: Loc,
    anchor: &str,
    line: usize,
    column: usize,
    headings: &[Heading],
) -> Diagnostic {
    let d = Diagnostic::error(
        Kind::Anchor,
        loc.file,
        format!("no heading has the id `#{anchor}`"),
    )
    .at(loc.text, line, column);
    match suggest(anchor, headings.iter().map(|h| h.id.as_str())) {
        Some(s) => d.hint(did_you_mean_hint(&format!("#{s}"))),
        None if headings.is_empty() => {
            d.hint("the page it points to has no headings; link to the page without `#…`")
        }
        None => {
            let ids: Vec<String> = headings
                .iter()
                .take(8)
                .map(|h| format!("#{}", h.id))
                .collect();
            d.hint(format!("the headings there are: {}", ids.join(", ")))
        }
    }
}

fn resolve_link<'a, R: Resolver>(
    dest: &CowStr<'a>,
    resolver: &R,
    line: usize,
    column: usize,
    loc: Loc,
    out: &mut Rendered<R::Key>,
    local_anchors: &mut Vec<(String, usize, usize)>,
) -> CowStr<'a> {
    let dest_str = dest.as_ref();
    if let Some(anchor) = dest_str.strip_prefix('#') {
        local_anchors.push((anchor.to_owned(), line, column));
        return dest.clone();
    }
    let is_external = dest_str.starts_with("//")
        || dest_str
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.is_empty());
    if dest_str.is_empty() || is_external {
        return dest.clone();
    }
    if dest_str.starts_with('/') {
        out.diagnostics.push(
            Diagnostic::error(Kind::Link, loc.file, format!("`{dest_str}` starts at the web server's root"))
                .at(loc.text, line, column)
                .hint("link to the Markdown file by its relative path, like `../02-boundaries/index.md`, so the site works in any folder"),
        );
        return dest.clone();
    }
    let (path, anchor) = match dest_str.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest_str, None),
    };
    let path = path.replace("%20", " ");
    match resolver.resolve(&path) {
        Ok(target) => {
            if let (Some(doc), Some(anchor)) = (target.doc, anchor) {
                out.anchor_links.push(AnchorLink {
                    doc,
                    anchor: anchor.to_owned(),
                    line,
                    column,
                });
            }
            let mut url = target.url;
            if let Some(anchor) = anchor {
                url.push('#');
                url.push_str(anchor);
            }
            url.into()
        }
        Err(hint) => {
            out.diagnostics.push(
                Diagnostic::error(Kind::Link, loc.file, format!("`{path}` does not exist"))
                    .at(loc.text, line, column)
                    .hint(hint),
            );
            dest.clone()
        }
    }
}

/// What a view's text puts where a shown block's fence was: an empty HTML comment, which
/// CommonMark reads as an HTML block of its own. Rendering knows markers by their offsets
/// alone, so no text an author writes can pass for one.
const MARKER: &str = "<!-- -->";

/// The body as Markdown for one view, and the offset in it of each marker with the index of
/// its fence. Lines participants never see keep only their leading spaces, tabs and `>`
/// marks, so the quote or list item around them holds together and not one letter of
/// theirs remains; line numbers stay as they were. Fences of blocks that do not render
/// (broken or unclosed ones) become empty.
fn view_text(parsed: &Parsed, body: &str, view: View) -> (String, Vec<(usize, usize)>) {
    enum Edit {
        Hide(Range<usize>),
        Fence(usize),
    }
    let lines = Lines::new(body);
    let hidden: &[Range<usize>] = match view {
        View::Participant => &parsed.hidden,
        View::Facilitator => &[],
    };
    let mut edits: Vec<(usize, Edit)> = hidden
        .iter()
        .map(|r| (lines.start(r.start), Edit::Hide(r.clone())))
        .collect();
    let mut h = 0;
    for (i, fence) in parsed.fences.iter().enumerate() {
        while hidden.get(h).is_some_and(|r| r.end <= fence.line) {
            h += 1;
        }
        if hidden.get(h).is_none_or(|r| r.start > fence.line) {
            edits.push((fence.start, Edit::Fence(i)));
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut text = String::with_capacity(body.len() + MARKER.len() * parsed.fences.len());
    let mut markers = Vec::new();
    let mut pos = 0;
    for (start, edit) in edits {
        text.push_str(&body[pos..start]);
        match edit {
            Edit::Hide(range) => {
                for line in range.clone() {
                    let line = lines.text(line);
                    let kept = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
                    text.push_str(&line[..kept]);
                    text.push('\n');
                }
                pos = lines.next_start(range.end - 1);
            }
            Edit::Fence(i) => {
                let fence = &parsed.fences[i];
                if parsed.blocks[fence.block].rendered() {
                    markers.push((text.len(), i));
                    text.push_str(MARKER);
                }
                pos = fence.end;
            }
        }
    }
    text.push_str(&body[pos..]);
    (text, markers)
}

fn open_block(block: &Block, view: View, labels: &dyn Labels) -> String {
    let name = block.name.as_str();
    let mut html = format!("<div class=\"block block-{name}");
    if let Some(format) = block.format {
        html.push_str(" format-");
        html.push_str(format.as_str());
    }
    html.push_str("\">\n");
    if block.name == BlockName::Lines {
        return html;
    }
    let mut label = labels.block(block.name);
    if let (Some(minutes), View::Facilitator) = (block.minutes, view) {
        label.push_str(" · ");
        label.push_str(&labels.minutes(minutes));
    }
    if let Some(format) = block.format {
        label.push_str(" · ");
        label.push_str(&labels.format(format));
    }
    html.push_str(&format!(
        "<p class=\"block-label\">{}</p>\n",
        escape(&label)
    ));
    if let Some(title) = &block.title {
        html.push_str(&format!("<p class=\"block-title\">{}</p>\n", escape(title)));
    }
    html
}

fn close_block(block: &Block, labels: &dyn Labels) -> String {
    if block.name == BlockName::Lines {
        let count = block.count.unwrap_or(6).clamp(1, 60);
        let mut html = String::new();
        if let Some(title) = &block.title {
            html.push_str(&format!("<p class=\"block-title\">{}</p>\n", escape(title)));
        }
        html.push_str(&format!(
            "<label class=\"lines-box\"><span class=\"visually-hidden\">{}</span><textarea rows=\"{count}\"></textarea></label>\n<div class=\"ruled\" style=\"--lines:{count}\" aria-hidden=\"true\"></div>\n</div>\n",
            escape(&labels.write_here()),
        ));
        return html;
    }
    "</div>\n".to_owned()
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
    use super::*;

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
        let r = render_field(field, "a", &Files, RawHtml::Clean);
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

    const SESSION: &str = "## Welcome\n\n::: activity {minutes=15 title=\"Check-in\"}\nGo around.\n\n::: say\nSECRET words.\n:::\n\n::: facilitator\nSECRET note.\n:::\n\n:::\n\n::: activity {minutes=10 title=\"Breakouts\" format=virtual}\nRooms.\n:::\n";

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
