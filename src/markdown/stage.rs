//! The one Markdown stage: a body (or a front-matter field) to HTML for one view. Block
//! fences become the blocks' HTML, links are resolved through the caller's [`Resolver`],
//! headings get ids, the author's HTML is cleaned, and what needs a warning is found in
//! the same walk, so nothing is parsed twice.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use super::blocks::view_text;
use super::fences::{self, Lines};
use super::*;
use crate::diagnostic::{Kind, did_you_mean_hint, suggest};

/// What a link in Markdown points to, as the caller resolves it.
pub struct Target<K> {
    /// The URL to write, relative to the site root, prefixed with [`ROOT`].
    pub url: String,
    /// The document, if the target is one, for anchor checks.
    pub doc: Option<K>,
    /// Set when the document is in a module this edition leaves out: the link is then its
    /// text, with a note, and a warning that names the edition's file.
    pub outside: Option<String>,
    /// Set for a JPEG or PNG picture: its size, and its smaller copies.
    pub picture: Option<Picture>,
}

/// What a page needs to show a picture without a jump as it loads, at the size it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The original's width and height as shown, so the page keeps its place.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Each smaller copy's URL (prefixed with [`ROOT`]) and width, narrowest first.
    pub copies: Vec<(String, u32)>,
}

/// How wide a picture shows, for the browser to choose a copy before the CSS arrives: the
/// default theme's text column (`.wrap`: at most 40em, with 1rem either side).
const SIZES: &str = "(min-width: 42em) 40em, calc(100vw - 2rem)";

/// Turns relative link destinations into URLs. `path` has no `#fragment`.
pub trait Resolver {
    /// What names a document, for checking `#anchor` links once every document is rendered.
    type Key: Clone;
    /// The target of `path`, or a hint that says how to fix the link.
    fn resolve(&self, path: &str) -> Result<Target<Self::Key>, String>;
    /// A picture of the project, as a path relative to the text, for a hint's example.
    fn example_picture(&self) -> Option<String> {
        None
    }
    /// A document of the project other than this one, as a path relative to the text,
    /// for a hint's example.
    fn example_document(&self) -> Option<String> {
        None
    }
}

/// The words blocks show, and the partner's values, in the page's language.
pub trait Labels {
    /// A block's label, at its top ("Tip", "Facilitator note").
    fn block(&self, name: BlockName) -> String;
    /// A format's name, added to the label of a block limited to it.
    fn format(&self, format: Format) -> String;
    /// "15 minutes", added to an activity's label in the facilitator view.
    fn minutes(&self, minutes: u32) -> String;
    /// The accessible name of a `lines` text box.
    fn write_here(&self) -> String;
    /// The note after the text of a link into a module the edition leaves out.
    fn not_in_program(&self) -> String;
    /// The HTML of the partner value `name` (`organization.phone`); `plain` for one inside
    /// a link's text, which cannot hold another link. `Ok(None)` when it is not set,
    /// `Err(hint)` when nothing has that name.
    fn value(&self, name: &str, plain: bool) -> Result<Option<String>, String>;
    /// The HTML of the crisis lines, for a `crisis-lines` block.
    fn crisis_lines(&self) -> String;
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
    stage.render(&text, resolver, labels, raw_html)
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
    labels: &dyn Labels,
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
    stage.render(field.text, resolver, labels, raw_html)
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
        labels: &dyn Labels,
        raw_html: RawHtml,
    ) -> Rendered<K> {
        let mut walk = Walk::new(&self, text, raw_html);
        // Text is held until the next other event, so a partner value split over several
        // text events (pulldown-cmark splits at `.` and `-` for smart punctuation) is read whole.
        let mut held: Option<(String, usize)> = None;
        let mut in_code_block = false;
        for (event, range) in Parser::new_ext(text, self.options).into_offset_iter() {
            if let Event::Text(t) = &event
                && !in_code_block
            {
                match &mut held {
                    Some((so_far, _)) => so_far.push_str(t),
                    None => held = Some((t.to_string(), range.start)),
                }
                continue;
            }
            if let Some((text, start)) = held.take() {
                walk.values(text, start, labels);
            }
            let event = match event {
                Event::Html(html) | Event::InlineHtml(html) => {
                    Some(walk.html(html, range.start, &self.blocks))
                }
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {
                    walk.in_html_block = false;
                    None
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code_block = true;
                    Some(event)
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    Some(event)
                }
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    walk.link(tag, range.clone(), resolver)
                }
                Event::End(TagEnd::Link | TagEnd::Image) => match walk.links.pop() {
                    Some(Fate::Kept) | None => Some(event),
                    Some(Fate::Removed) => None,
                    Some(Fate::Picture(p)) => Some(Event::InlineHtml(p.html().into())),
                    Some(Fate::Outside) => Some(Event::InlineHtml(
                        format!(
                            " <span class=\"not-in-program\">{}</span>",
                            escape(&labels.not_in_program())
                        )
                        .into(),
                    )),
                },
                Event::TaskListMarker(done) => Some(task_box(done)),
                other => Some(other),
            };
            if let Some(event) = event {
                walk.push(event, range.start);
            }
        }
        if let Some((text, start)) = held.take() {
            walk.values(text, start, labels);
        }
        walk.finish(self.clean_whole, self.page)
    }
}

/// What became of a link or picture: kept, its address removed (its text stays), or led
/// into a module the edition leaves out (its text stays, with a note).
///
/// A picture with copies is written out whole at its end, once its description is known.
#[derive(Clone, PartialEq, Eq)]
enum Fate {
    Kept,
    Removed,
    Outside,
    Picture(Box<Pending>),
}

/// A picture whose `<img>` is written once its description (the text inside `![…]`) is read.
#[derive(Clone, PartialEq, Eq)]
struct Pending {
    url: String,
    title: String,
    picture: Picture,
    alt: String,
}

impl Pending {
    /// The `<img>`: the original as `src` (what print and old browsers take), the copies
    /// and the original in `srcset` for the browser to choose from, and the original's
    /// size, so nothing jumps as it loads.
    fn html(&self) -> String {
        let p = &self.picture;
        let mut html = format!(
            "<img src=\"{}\" alt=\"{}\"",
            href(&self.url),
            escape(&self.alt)
        );
        if !self.title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", escape(&self.title)));
        }
        html.push_str(&format!(" width=\"{}\" height=\"{}\"", p.width, p.height));
        if !p.copies.is_empty() {
            let mut set: Vec<String> = p
                .copies
                .iter()
                .map(|(url, w)| format!("{} {w}w", href(url)))
                .collect();
            set.push(format!("{} {}w", href(&self.url), p.width));
            html.push_str(&format!(" srcset=\"{}\" sizes=\"{SIZES}\"", set.join(", ")));
        }
        html.push_str(" loading=\"lazy\" decoding=\"async\" />");
        html
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
    /// For each open link or image, what becomes of it.
    links: Vec<Fate>,
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
            links: Vec::new(),
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
            let hint = match (is_image, resolver.example_picture()) {
                (true, Some(example)) => format!("put the picture in the module's folder and link it by its path, as `{example}` is"),
                (true, None) => "put the picture in the module's folder (or a folder inside it) and link it by its path from this file".to_owned(),
                (false, _) => "link to a web page (`https://…`), an e-mail address (`mailto:`) or a phone number (`tel:`)".to_owned(),
            };
            let d = self
                .warn(Kind::Html, problem, range.start)
                .width(width)
                .hint(hint);
            self.out.diagnostics.push(d);
            self.links.push(Fate::Removed);
            return None;
        }
        if is_image && self.text[range.clone()].starts_with("![]") {
            let d = self
                .warn(
                    Kind::Accessibility,
                    "this image has no text description",
                    range.start,
                )
                .width(width)
                .hint(format!(
                    "describe what the picture shows in the brackets: `![…]({})`",
                    destination(&tag)
                ));
            self.out.diagnostics.push(d);
        }
        let (line, column) = self.position(range.start);
        let mut outside = false;
        let mut picture = None;
        let tag = with_destination(tag, |dest| {
            match resolve_link(
                dest,
                resolver,
                line,
                column,
                self.loc,
                &mut self.out,
                &mut self.local_anchors,
            ) {
                Some((url, found)) => {
                    picture = found;
                    url
                }
                None => {
                    outside = true;
                    dest.clone()
                }
            }
        });
        if outside && !is_image {
            self.links.push(Fate::Outside);
            return None;
        }
        if let (
            Tag::Image {
                dest_url, title, ..
            },
            Some(picture),
        ) = (&tag, picture)
        {
            self.links.push(Fate::Picture(Box::new(Pending {
                url: dest_url.to_string(),
                title: title.to_string(),
                picture,
                alt: String::new(),
            })));
            return None;
        }
        self.links.push(Fate::Kept);
        Some(Event::Start(tag))
    }

    /// Text, with each partner value (`{{organization.phone}}`) replaced by its HTML:
    /// inside a link's text, without links of its own. A name that is none is an error; a
    /// value nobody set, a warning, and nothing shown.
    fn values(&mut self, text: String, start: usize, labels: &dyn Labels) {
        let mut rest = text.as_str();
        let mut at = start;
        let plain = self.links.contains(&Fate::Kept);
        while let Some((before, name, after, width)) = next_value(rest) {
            if !before.is_empty() {
                self.push(Event::Text(before.to_owned().into()), at);
            }
            let offset = at + before.len();
            match labels.value(name, plain) {
                Ok(Some(html)) => self.push(Event::InlineHtml(html.into()), offset),
                Ok(None) => {
                    let d = self
                        .warn(
                            Kind::PartnerValue,
                            format!("`{name}` is not set, so nothing is shown here"),
                            offset,
                        )
                        .width(width)
                        .hint(unset_hint(name));
                    self.out.diagnostics.push(d);
                }
                Err(hint) => {
                    let (line, column) = self.position(offset);
                    let d = Diagnostic::error(
                        Kind::PartnerValue,
                        self.loc.file,
                        format!("there is no partner value called `{name}`"),
                    )
                    .at(self.loc.text, line, column)
                    .width(width)
                    .hint(hint);
                    self.out.diagnostics.push(d);
                }
            }
            at = offset + width;
            rest = after;
        }
        if !rest.is_empty() {
            self.push(Event::Text(rest.to_owned().into()), at);
        }
    }

    /// Keeps an event; a heading's events are held back until its text is known, to give
    /// it an id.
    fn push(&mut self, event: Event<'t>, offset: usize) {
        // Inside a picture written out at its end, only the description's words count,
        // as pulldown-cmark keeps them for `alt`.
        if let Some(Fate::Picture(p)) = self.links.last_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => p.alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => p.alt.push(' '),
                _ => {}
            }
            return;
        }
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
pub(super) struct HeadingIds {
    taken: HashSet<String>,
    /// For each wanted id, the next number to try: numbering goes on from where this
    /// text's last twin stopped, so it stays linear when thousands of headings share a text.
    next: HashMap<String, usize>,
}

impl HeadingIds {
    pub(super) fn unique(&mut self, wanted: String) -> String {
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

/// A URL escaped as pulldown-cmark escapes a picture's `src`, so both agree byte for byte.
fn href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    pulldown_cmark_escape::escape_href(&mut out, url).expect("writing to a String cannot fail");
    out
}

/// A link's or picture's destination, as written.
fn destination<'a>(tag: &'a Tag) -> &'a str {
    match tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => dest_url,
        _ => "",
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

/// The first `{{name}}` in `text`: the text before it, the name, the text after it, and
/// its length. Only a name of letters, digits, `.`, `-` and `_` counts, so other braces in
/// prose stay as written.
pub fn next_value(text: &str) -> Option<(&str, &str, &str, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let close = text[open..].find("}}").map(|i| open + i)?;
        let name = text[open + 2..close].trim();
        let is_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if is_name {
            return Some((&text[..open], name, &text[close + 2..], close + 2 - open));
        }
        from = open + 2;
    }
    None
}

/// What to do about a partner value nobody set.
fn unset_hint(name: &str) -> String {
    match name.split('.').collect::<Vec<_>>().as_slice() {
        ["organization", key] => {
            format!("add `{key}:` under `organization:` in hearth.yaml (or in the edition's file)")
        }
        ["crisis", id, key] => format!("give the crisis line `{id}` a `{key}:`"),
        _ => "set it in hearth.yaml, or in the edition's file".to_owned(),
    }
}

/// A link's address resolved: `None` when it leads into a module the edition leaves out,
/// which is reported here.
fn resolve_link<'a, R: Resolver>(
    dest: &CowStr<'a>,
    resolver: &R,
    line: usize,
    column: usize,
    loc: Loc,
    out: &mut Rendered<R::Key>,
    local_anchors: &mut Vec<(String, usize, usize)>,
) -> Option<(CowStr<'a>, Option<Picture>)> {
    let dest_str = dest.as_ref();
    if let Some(anchor) = dest_str.strip_prefix('#') {
        local_anchors.push((anchor.to_owned(), line, column));
        return Some((dest.clone(), None));
    }
    let is_external = dest_str.starts_with("//")
        || dest_str
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.is_empty());
    if dest_str.is_empty() || is_external {
        return Some((dest.clone(), None));
    }
    if dest_str.starts_with('/') {
        let hint = match resolver.example_document() {
            Some(example) => format!("write the path from this file, the way `{example}` is written, so the site works in any folder"),
            None => "write the path from this file's folder (`../` goes up a folder), so the site works in any folder".to_owned(),
        };
        out.diagnostics.push(
            Diagnostic::error(
                Kind::Link,
                loc.file,
                format!("`{dest_str}` starts at the web server's root"),
            )
            .at(loc.text, line, column)
            .hint(hint),
        );
        return Some((dest.clone(), None));
    }
    let (path, anchor) = match dest_str.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest_str, None),
    };
    let path = path.replace("%20", " ");
    match resolver.resolve(&path) {
        Ok(Target {
            outside: Some(edition_file),
            ..
        }) => {
            out.diagnostics.push(
                Diagnostic::warning(
                    Kind::Link,
                    loc.file,
                    format!("`{path}` is in a module this edition leaves out, so this link shows as plain text"),
                )
                .at(loc.text, line, column)
                .hint(format!(
                    "add the module to `modules` in `{edition_file}`, or link to a session the edition has"
                )),
            );
            None
        }
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
            Some((url.into(), target.picture))
        }
        Err(hint) => {
            out.diagnostics.push(
                Diagnostic::error(Kind::Link, loc.file, format!("`{path}` does not exist"))
                    .at(loc.text, line, column)
                    .hint(hint),
            );
            Some((dest.clone(), None))
        }
    }
}

/// Where a guide puts what participants read: the guide splits `facilitator.md`'s HTML
/// here (see `pages::guide`).
pub const PARTICIPANT_TEXT_MARK: &str = "<!--hearth:participant-text-->\n";

fn open_block(block: &Block, view: View, labels: &dyn Labels) -> String {
    if block.name == BlockName::ParticipantText {
        return PARTICIPANT_TEXT_MARK.to_owned();
    }
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
    if block.name == BlockName::CrisisLines {
        html.push_str(&format!(
            "<p class=\"block-label\">{}</p>\n{}",
            escape(&labels.block(block.name)),
            labels.crisis_lines()
        ));
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
    if block.name == BlockName::ParticipantText {
        return String::new();
    }
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
