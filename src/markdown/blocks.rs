//! Reading a body's block structure: which `:::` lines open and close which blocks, what
//! each opener says (`::: activity {minutes=15 title="Check-in"}`), which lines each
//! view hides, and every problem on the way (an unknown name, a bad attribute, a block
//! never closed, a `:::` line where CommonMark would not read one).

use std::collections::HashMap;

use super::fences::{self, Lines, Literal};
use super::*;
use crate::diagnostic::{Kind, did_you_mean};

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
    for block in &parsed.blocks {
        let Some(close) = block.close else { continue };
        let has_text = (block.open + 1..close).any(|l| {
            !body[lines.start(l)..lines.end(l)]
                .trim_matches([' ', '\t', '>'])
                .is_empty()
        });
        if block.name == BlockName::CrisisLines && has_text {
            let at = lines.start(block.open + 1);
            parsed.diagnostics.push(
                error_at(at, 1, "a `crisis-lines` block lists the crisis lines itself, and takes no text".into())
                    .hint("close it on the next line with `:::`, and put any text before or after the block"),
            );
        }
        if block.name == BlockName::ParticipantText && has_text {
            let at = lines.start(block.open + 1);
            parsed.diagnostics.push(
                error_at(at, 1, "a `participant-text` block only marks where the participant page goes in the guide, and takes no text".into())
                    .hint("close it on the next line with `:::`, and put any text before or after the block"),
            );
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

/// What a view's text puts where a shown block's fence was: an empty HTML comment, which
/// CommonMark reads as an HTML block of its own. Rendering knows markers by their offsets
/// alone, so no text an author writes can pass for one.
const MARKER: &str = "<!-- -->";

/// The body as Markdown for one view, and the offset in it of each marker with the index of
/// its fence. Lines participants never see keep only their leading spaces, tabs and `>`
/// marks, so the quote or list item around them holds together and not one letter of
/// theirs remains; line numbers stay as they were. Fences of blocks that do not render
/// (broken or unclosed ones) become empty.
pub(super) fn view_text(parsed: &Parsed, body: &str, view: View) -> (String, Vec<(usize, usize)>) {
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
