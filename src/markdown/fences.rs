//! Where block fences are, found the way CommonMark finds containers.
//!
//! A `:::` line is a fence only where CommonMark would read it as a line of paragraph text:
//! inside a block quote after its `>`, inside a list item at the item's indent (spaces or
//! tabs), or at the top level. pulldown-cmark decides that, not a line scanner of ours, so
//! code blocks, near-fences such as ```` ```bash` ````, HTML blocks and tables are read
//! exactly as the page will be. A `:::` line that CommonMark puts anywhere else is found
//! by [`lookalikes`], so the caller can report it instead of showing it.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The Markdown extensions of DESIGN.md, the same for finding fences and for rendering.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The start of every line of a text, to turn byte offsets into line numbers.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&s| s < text.len() || s == 0)
            .collect();
        Lines { text, starts }
    }

    /// How many lines there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Where line `line` starts.
    pub fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// Where line `line`'s text ends, before its `\n` or `\r\n`.
    pub fn end(&self, line: usize) -> usize {
        let next = self.start(line + 1);
        let text = &self.text[self.start(line)..next];
        next - (text.len() - text.trim_end_matches(['\n', '\r']).len())
    }

    /// Where the line after `line` starts (the end of the text for the last line).
    pub fn next_start(&self, line: usize) -> usize {
        self.start(line + 1)
    }

    /// Line `line`'s text, without its line ending.
    pub fn text(&self, line: usize) -> &'a str {
        &self.text[self.start(line)..self.end(line)]
    }
}

/// What holds a region of the body in which `:::` lines are not fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    Code,
    Html,
}

/// What the first reading of a body found.
pub struct Scan {
    /// Byte offsets of the `:::` that begin lines of paragraph text: the fences.
    pub fences: Vec<usize>,
    /// Code blocks and HTML blocks, in order.
    pub literals: Vec<(Range<usize>, Literal)>,
}

/// Reads `body` once with pulldown-cmark and finds its fences.
pub fn scan(body: &str, lines: &Lines) -> Scan {
    let mut scan = Scan {
        fences: Vec::new(),
        literals: Vec::new(),
    };
    // For each open tag: whether text directly inside it is paragraph text (a paragraph,
    // a setext heading, or a tight list item, whose paragraphs have no tags of their own).
    let mut holds_text: Vec<bool> = Vec::new();
    let mut last_inline_line = usize::MAX;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let holds = match &tag {
                    Tag::Paragraph | Tag::Item => true,
                    Tag::Heading { .. } => !body[range.start..].starts_with('#'),
                    Tag::CodeBlock(_) => {
                        scan.literals.push((range.clone(), Literal::Code));
                        false
                    }
                    Tag::HtmlBlock => {
                        scan.literals.push((range.clone(), Literal::Html));
                        false
                    }
                    _ => false,
                };
                if is_inline(&tag) {
                    last_inline_line = lines.line_of(range.start);
                }
                holds_text.push(holds);
            }
            Event::End(_) => {
                holds_text.pop();
            }
            Event::Text(_) => {
                let line = lines.line_of(range.start);
                let first_on_line = last_inline_line != line;
                last_inline_line = line;
                let escaped = body[..range.start].ends_with('\\');
                if first_on_line
                    && holds_text.last() == Some(&true)
                    && body[range.start..].starts_with(":::")
                    && !escaped
                {
                    scan.fences.push(range.start);
                }
            }
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => last_inline_line = lines.line_of(range.start),
            _ => {}
        }
    }
    scan
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// A line that looks like a fence but is not one: where it is, and what holds it.
pub struct Lookalike<'a> {
    /// The byte offset of its `:::`.
    pub at: usize,
    /// The line from its `:::` on.
    pub text: &'a str,
    pub holder: Option<Literal>,
}

/// Lines that an author would take for fences (`:::` after nothing but spaces, tabs, `>`
/// and list markers) which [`scan`] did not find as fences.
pub fn lookalikes<'a>(scan: &Scan, lines: &Lines<'a>) -> Vec<Lookalike<'a>> {
    let mut found = Vec::new();
    let mut fences = scan.fences.iter().peekable();
    let mut literals = scan.literals.iter().peekable();
    for line in 0..lines.len() {
        let text = lines.text(line);
        let start = lines.start(line);
        while fences.next_if(|&&f| f < start).is_some() {}
        if fences.peek().is_some_and(|&&f| f < lines.next_start(line)) {
            continue;
        }
        let Some(rest) = fence_like(text) else {
            continue;
        };
        let at = start + (text.len() - rest.len());
        while literals.next_if(|(r, _)| r.end <= at).is_some() {}
        let holder = literals
            .peek()
            .filter(|(r, _)| r.start <= at)
            .map(|(_, kind)| *kind);
        found.push(Lookalike {
            at,
            text: rest,
            holder,
        });
    }
    found
}

/// The line from its `:::` on, when nothing but container marks come before it.
fn fence_like(line: &str) -> Option<&str> {
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '>']);
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = match rest.as_bytes().first() {
            Some(b'-' | b'+' | b'*') => 1,
            Some(_) if (1..10).contains(&digits) => match rest.as_bytes().get(digits) {
                Some(b'.' | b')') => digits + 1,
                _ => 0,
            },
            _ => 0,
        };
        match rest[marker..].chars().next() {
            Some(' ' | '\t') if marker > 0 => rest = &rest[marker..],
            // A footnote's definition holds blocks too: `[^note]: ::: say`.
            _ => match footnote_label(rest) {
                Some(after) => rest = after,
                None => break,
            },
        }
    }
    rest.starts_with(":::").then_some(rest)
}

/// The rest of a line after a footnote definition's `[^label]:`, if it starts with one.
fn footnote_label(line: &str) -> Option<&str> {
    let label = line.strip_prefix("[^")?;
    let end = label.find("]:")?;
    let name = &label[..end];
    (!name.is_empty() && !name.contains(|c: char| c.is_whitespace() || c == '[' || c == ']'))
        .then(|| &label[end + 2..])
}

/// Where a marker that replaced a fence ended up when the replaced text was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// The innermost container (block quote, list, item, footnote) holding it; 0 is the
    /// top level.
    pub container: usize,
    /// Whether it stands as an HTML block of its own, not inside a paragraph.
    pub own_block: bool,
}

/// Reads `text`, in which markers start at the sorted offsets `markers`, and says where
/// each marker was placed (`None` for one that CommonMark swallowed into something else).
pub fn place(text: &str, markers: &[usize]) -> Vec<Option<Placed>> {
    let mut placed = vec![None; markers.len()];
    let mut containers = vec![0];
    let mut next_container = 1;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_),
            ) => {
                containers.push(next_container);
                next_container += 1;
            }
            Event::End(
                TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition,
            ) => {
                containers.pop();
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                if let Ok(i) = markers.binary_search(&range.start) {
                    placed[i] = Some(Placed {
                        container: containers.last().copied().unwrap_or(0),
                        own_block: matches!(event, Event::Html(_)),
                    });
                }
            }
            _ => {}
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fences(body: &str) -> Vec<usize> {
        let lines = Lines::new(body);
        let scan = scan(body, &lines);
        scan.fences.iter().map(|&f| lines.line_of(f)).collect()
    }

    #[test]
    fn fences_are_found_inside_quotes_and_list_items() {
        assert_eq!(fences("::: say\nS\n:::\n"), [0, 2]);
        assert_eq!(fences("> ::: say\n> S\n> :::\n"), [0, 2]);
        assert_eq!(fences("- a\n\n\t::: say\n\tS\n\t:::\n"), [2, 4]);
        assert_eq!(fences("1. ::: tip\n   S\n   :::\n"), [0, 2]);
        assert_eq!(fences("::: say\nS\n:::\n---\n"), [0, 2], "a setext heading");
    }

    #[test]
    fn near_fences_are_paragraph_text_as_commonmark_says() {
        // A backtick info string may not hold a backtick: this opens no code block.
        assert_eq!(fences("```bash`\n::: say\nS\n:::\n"), [1, 3]);
        assert_eq!(fences("```\n::: say\n```\n"), Vec::<usize>::new());
        assert_eq!(fences("    ::: say\n"), Vec::<usize>::new());
        assert_eq!(fences("\\::: say\n"), Vec::<usize>::new(), "escaped");
        assert_eq!(fences("## ::: say\n"), Vec::<usize>::new(), "a heading");
    }

    /// Each lookalike's line and what holds it.
    fn lookalike_lines(body: &str) -> Vec<(usize, Option<Literal>)> {
        let lines = Lines::new(body);
        let scan = scan(body, &lines);
        lookalikes(&scan, &lines)
            .iter()
            .map(|l| (lines.line_of(l.at), l.holder))
            .collect()
    }

    #[test]
    fn lookalikes_name_what_holds_them() {
        let body =
            "```\n::: say\n```\n\n<div>\n::: say\n</div>\n\n| a |\n|---|\n::: say\n\n> - ::: tip\n";
        assert_eq!(
            lookalike_lines(body),
            [
                (1, Some(Literal::Code)),
                (5, Some(Literal::Html)),
                (10, None)
            ]
        );
    }

    #[test]
    fn a_lookalike_in_a_footnote_inside_code_is_found() {
        // An unclosed code fence swallows a footnote's `::: say`: found, so it is reported.
        let body = "PUBLIC\n\n```\n[^g]: ::: say\n    Secret.\n    :::\n";
        assert_eq!(lookalike_lines(body)[0], (3, Some(Literal::Code)));
        assert_eq!(footnote_label("[^a b]: ::: say"), None);
        // Outside code, a footnote's fence is a fence.
        assert_eq!(fences("[^g]: ::: say\n    S\n    :::\n"), [0, 2]);
    }

    #[test]
    fn line_ends_leave_out_carriage_returns() {
        let lines = Lines::new("a\r\nbc\r\n");
        assert_eq!((lines.len(), lines.text(0), lines.text(1)), (2, "a", "bc"));
        assert_eq!(lines.line_of(4), 1);
    }
}
