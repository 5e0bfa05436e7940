//! Reading a body's block structure: which `:::` lines open and close which blocks, what
//! each opener says (`::: activity {minutes=15 title="Check-in"}`), which lines each
//! view hides, and every problem on the way (an unknown name, a bad attribute, a block
//! never closed, a `:::` line where CommonMark would not read one).
//!
//! A block closes at a line of exactly as many colons as opened it, so `::::` around
//! `:::` blocks keeps them apart. Where a `:::` is missing, the error names the block it
//! most likely belongs to, and each mistake gives one message: a bad opening line still
//! opens a (hidden) block, so its `:::` is not reported too.

use std::collections::HashMap;

use super::fences::{self, Lines, Literal};
use super::*;
use crate::diagnostic::{Kind, did_you_mean};

/// Reads the named blocks of a Markdown body. Fences are found where CommonMark reads a
/// line of paragraph text (see the `fences` module); problems (unknown names, bad attributes,
/// unclosed blocks, `:::` lines where no fence can be) become diagnostics.
///
/// A block opened with N colons closes with a line of exactly N colons, so an outer block
/// written with `::::` around inner `:::` blocks can only be closed by its own `::::`.
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
    let read = read_fences(body, &lines, &scan.fences);
    for line in &read {
        if let Some(Err((message, hint))) = &line.opens {
            parsed.diagnostics.push(
                error_at(line.start, line.end - line.start, message.clone()).hint(hint.clone()),
            );
        }
    }
    let pairing = pair_fences(&read);
    let problems = pairing.problems.len();
    adopt(&mut parsed, &read, &pairing);
    // Blocks open at the end, with their error: a closing line outside the list item or
    // quote of an inner block may explain them (see `check_nesting`).
    let mut unclosed = Vec::new();
    for problem in &pairing.problems {
        if let Some(d) = pairing_problem(problem, &read, &pairing, &parsed, &error_at) {
            if let Mismatch::Unclosed { block } = *problem {
                let index = read[..block].iter().filter(|f| f.opens.is_some()).count();
                unclosed.push((index, parsed.diagnostics.len()));
            }
            parsed.diagnostics.push(d);
        }
    }
    if problems == 0 {
        same_length_nesting(&mut parsed, &read, &pairing, loc);
    }
    for lookalike in fences::lookalikes(&scan, &lines) {
        if let Some((message, hint)) = lookalike_problem(&lookalike) {
            parsed
                .diagnostics
                .push(error_at(lookalike.at, lookalike.text.len(), message).hint(hint));
        }
    }
    // Blocks that stand for something hearth writes, and so take no text of their own.
    for block in &parsed.blocks {
        let what = match block.name {
            BlockName::CrisisLines => "lists the crisis lines itself",
            BlockName::ParticipantText => "only marks where the participant page goes in the guide",
            _ => continue,
        };
        let Some(close) = block.close else { continue };
        let has_text = (block.open + 1..close).any(|l| {
            !body[lines.start(l)..lines.end(l)]
                .trim_matches([' ', '\t', '>'])
                .is_empty()
        });
        if has_text {
            let at = lines.start(block.open + 1);
            let message = format!(
                "a `{}` block {what}, and takes no text",
                block.name.as_str()
            );
            parsed.diagnostics.push(error_at(at, 1, message).hint(
                "close it on the next line with `:::`, and put any text before or after the block",
            ));
        }
    }
    parsed.hidden = hidden_lines(&parsed.blocks, lines.len());
    check_nesting(&mut parsed, body, loc, &unclosed);
    parsed
}

/// One fence line as written, before it is paired with others.
struct FenceLine {
    start: usize,
    end: usize,
    /// 0-based line within the body.
    line: usize,
    /// How many colons it starts with.
    colons: usize,
    /// What it opens (a block, or what is wrong with its opening line); `None` for a line
    /// of colons alone, which closes.
    opens: Option<Result<Block, Problem>>,
}

impl FenceLine {
    /// The block it opens, if it opens one that is readable.
    fn block(&self) -> Option<&Block> {
        self.opens.as_ref().and_then(|o| o.as_ref().ok())
    }

    /// The name it opens a block with, for messages (`say`); a broken opener names none.
    fn name(&self) -> Option<&'static str> {
        self.block().map(|b| b.name.as_str())
    }
}

/// Reads each fence line: its colons, and what its opening line says.
fn read_fences(body: &str, lines: &Lines, fences: &[usize]) -> Vec<FenceLine> {
    fences
        .iter()
        .map(|&start| {
            let line = lines.line_of(start);
            let end = lines.end(line);
            let text = &body[start..end];
            let colons = text.len() - text.trim_start_matches(':').len();
            let rest = text[colons..].trim();
            let opens = (!rest.is_empty())
                .then(|| parse_opener(&text[..colons], rest.trim_end_matches(':').trim_end()));
            FenceLine {
                start,
                end,
                line,
                colons,
                opens,
            }
        })
        .collect()
}

/// Which closing line closes which opening line, and what does not fit. Indices are into
/// the fence lines; a block is known by its opening line.
#[derive(Debug, PartialEq, Eq)]
struct Pairing {
    /// For each opening line, the line that closes it.
    closed_by: Vec<Option<usize>>,
    /// For each opening line, the opening line of the block around it.
    parent: Vec<Option<usize>>,
    problems: Vec<Mismatch>,
}

/// A fence that does not pair as it should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mismatch {
    /// A closing line with no block open.
    Stray { fence: usize },
    /// A closing line of another length than every open block's: it is taken to close
    /// the innermost one, `block`.
    Length { fence: usize, block: usize },
    /// A block still open when a longer closing line (`by`) closed the block around it.
    Cut { block: usize, by: usize },
    /// A block of words with another block opening inside it (`next`): most likely its
    /// `:::` is missing just above.
    EndsBefore { block: usize, next: usize },
    /// A block still open at the end of the body.
    Unclosed { block: usize },
}

/// Pairs fence lines. The plain reading closes the innermost open block whose opening
/// line has as many colons. When that leaves something unpaired, a second reading also
/// ends a block where one it cannot hold opens inside it (any block in a `say`, an
/// activity in an activity: see `BlockName::may_hold`); it is kept when it explains every
/// problem that way, since it then names the block whose `:::` is missing rather than the
/// block around it.
fn pair_fences(read: &[FenceLine]) -> Pairing {
    let plain = pair(read, false);
    if plain.problems.is_empty() {
        return plain;
    }
    let words_end = pair(read, true);
    let explained = words_end
        .problems
        .iter()
        .all(|p| matches!(p, Mismatch::EndsBefore { .. }));
    if explained { words_end } else { plain }
}

/// One reading of the fences; `words_end` ends a block where one it may not hold opens.
fn pair(read: &[FenceLine], words_end: bool) -> Pairing {
    let mut pairing = Pairing {
        closed_by: vec![None; read.len()],
        parent: vec![None; read.len()],
        problems: Vec::new(),
    };
    let mut stack: Vec<usize> = Vec::new();
    for (i, fence) in read.iter().enumerate() {
        if fence.opens.is_some() {
            if let Some(&top) = stack.last()
                && words_end
                && read[top]
                    .block()
                    .is_some_and(|b| !b.name.may_hold(fence.block().map(|i| i.name)))
            {
                stack.pop();
                pairing.problems.push(Mismatch::EndsBefore {
                    block: top,
                    next: i,
                });
            }
            pairing.parent[i] = stack.last().copied();
            stack.push(i);
            continue;
        }
        let Some(&top) = stack.last() else {
            pairing.problems.push(Mismatch::Stray { fence: i });
            continue;
        };
        match stack.iter().rposition(|&o| read[o].colons == fence.colons) {
            Some(at) => {
                for &cut in &stack[at + 1..] {
                    pairing.problems.push(Mismatch::Cut { block: cut, by: i });
                }
                pairing.closed_by[stack[at]] = Some(i);
                stack.truncate(at);
            }
            None => {
                pairing.problems.push(Mismatch::Length {
                    fence: i,
                    block: top,
                });
                pairing.closed_by[top] = Some(i);
                stack.pop();
            }
        }
    }
    for block in stack {
        pairing.problems.push(Mismatch::Unclosed { block });
    }
    pairing
}

/// Puts the paired blocks and fences into `parsed`. A bad opening line still opens a
/// block, kept hidden from participants, so that its `:::` is not reported as well; a
/// block takes the format of the block around it unless it has its own.
fn adopt(parsed: &mut Parsed, read: &[FenceLine], pairing: &Pairing) {
    let mut block_of = vec![0; read.len()];
    for (i, fence) in read.iter().enumerate() {
        let Some(opens) = &fence.opens else { continue };
        let mut block = match opens {
            Ok(block) => block.clone(),
            Err(_) => Block {
                broken: true,
                ..Block::new(BlockName::Facilitator)
            },
        };
        block.open = fence.line;
        block.colons = fence.colons;
        block.close = pairing.closed_by[i].map(|c| read[c].line);
        let parent_format = pairing.parent[i].and_then(|p| parsed.blocks[block_of[p]].format);
        block.format = block.format.or(parent_format);
        block_of[i] = parsed.blocks.len();
        if let Some(c) = pairing.closed_by[i] {
            block_of[c] = parsed.blocks.len();
        }
        parsed.blocks.push(block);
    }
    let mut closes = vec![false; read.len()];
    for &c in pairing.closed_by.iter().flatten() {
        closes[c] = true;
    }
    for (i, fence) in read.iter().enumerate() {
        if fence.opens.is_none() && !closes[i] {
            continue;
        }
        parsed.fences.push(Fence {
            start: fence.start,
            end: fence.end,
            line: fence.line,
            block: block_of[i],
            opens: fence.opens.is_some(),
        });
    }
}

/// The error for one fence that does not pair; `None` where the opening line's own error
/// already says what is wrong.
fn pairing_problem(
    problem: &Mismatch,
    read: &[FenceLine],
    pairing: &Pairing,
    parsed: &Parsed,
    error_at: &dyn Fn(usize, usize, String) -> Diagnostic,
) -> Option<Diagnostic> {
    let line_no = |i: usize| parsed.first_line + read[i].line;
    let colons = |i: usize| ":".repeat(read[i].colons);
    let at =
        |i: usize, message: String| error_at(read[i].start, read[i].end - read[i].start, message);
    Some(match *problem {
        Mismatch::Stray { fence } => at(fence, format!("this `{}` closes no block", colons(fence)))
            .hint("remove it, or open a block above it, like `::: tip`"),
        Mismatch::Length { fence, block } => {
            let name = read[block].name()?;
            at(
                fence,
                format!(
                    "this `{}` cannot close the `{name}` block opened on line {}, which opened with `{}`",
                    colons(fence),
                    line_no(block),
                    colons(block)
                ),
            )
            .hint(format!(
                "a block closes with as many colons as it opened with: write `{}` here",
                colons(block)
            ))
        }
        Mismatch::Cut { block, by } => {
            let name = read[block].name()?;
            let outer = pairing
                .closed_by
                .iter()
                .position(|&c| c == Some(by))
                .and_then(|o| read[o].name())
                .unwrap_or("enclosing");
            at(
                block,
                format!(
                    "the `{name}` block opened here is never closed: the `{}` on line {} closes the `{outer}` block around it",
                    colons(by),
                    line_no(by)
                ),
            )
            .hint(format!(
                "add a line with just `{}` where the `{name}` block ends, above line {}; a `{}` line only closes the `{outer}` block, so the `{name}` block is the one left open",
                colons(block),
                line_no(by),
                colons(by)
            ))
        }
        Mismatch::EndsBefore { block, next } => {
            let name = read[block].name()?;
            let what = match read[next].name() {
                Some(n) => format!("where the `{n}` block starts"),
                None => "where the next block starts".to_owned(),
            };
            at(
                block,
                format!(
                    "the `{name}` block opened here is never closed: it most likely ends before line {}, {what}",
                    line_no(next)
                ),
            )
            .hint(format!(
                "add a line with just `{}` above line {}, to close the `{name}` block",
                colons(block),
                line_no(next)
            ))
        }
        Mismatch::Unclosed { block } => {
            let name = read[block].name()?;
            let close = colons(block);
            // With fences of one length, the `:::` missing may be that of the last block
            // inside this one: the text is then the same either way.
            let inner = (block + 1..read.len()).rev().find(|&i| {
                read[i].colons == read[block].colons
                    && pairing.closed_by[i].is_some()
                    && pairing.parent[i] == Some(block)
            });
            let hint = match inner.and_then(|i| Some((i, read[i].name()?))) {
                Some((i, inner)) => format!(
                    "add a line with just `{close}` where the block ends; or, if it is the `{inner}` block opened on line {} that has no `{close}` of its own, add it where that block ends",
                    line_no(i)
                ),
                None => format!("add a line with just `{close}` where the block ends"),
            };
            at(
                block,
                format!("the `{name}` block opened here is never closed"),
            )
            .hint(hint)
        }
    })
}

/// Warns about a block that holds blocks with fences as long as its own: one `:::` left
/// out inside it would silently close it in the wrong place.
fn same_length_nesting(parsed: &mut Parsed, read: &[FenceLine], pairing: &Pairing, loc: Loc) {
    // The fewest colons each block needs: one more than any block inside it needs or has.
    let mut needs: Vec<usize> = read.iter().map(|f| f.colons).collect();
    for i in (0..read.len()).rev() {
        if read[i].opens.is_none() {
            continue;
        }
        if let Some(p) = pairing.parent[i] {
            needs[p] = needs[p].max(needs[i].max(read[i].colons) + 1);
        }
    }
    for (i, fence) in read.iter().enumerate() {
        let (Some(name), Some(close)) = (fence.name(), pairing.closed_by[i]) else {
            continue;
        };
        if needs[i] <= fence.colons {
            continue;
        }
        let longer = ":".repeat(needs[i]);
        parsed.diagnostics.push(
            Diagnostic::warning(
                Kind::Block,
                loc.file,
                format!(
                    "the `{name}` block holds other blocks whose fences are as long as its own `{}`",
                    ":".repeat(fence.colons)
                ),
            )
            .at_offset(loc.text, loc.body_start + fence.start, fence.colons)
            .hint(format!(
                "give it a longer fence, `{longer}`, on this line and on line {} that closes it, so a `:::` missing inside it cannot close it by mistake",
                parsed.first_line + read[close].line
            )),
        );
    }
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
///
/// A closing line outside the list item of the block it closes, with a block around
/// that one left open, is most likely the outer block's: the inner block's own `:::` is
/// missing. That is one mistake, so it gets one message, here, and the outer block's
/// error (one of `unclosed`: a block's index and its diagnostic's) is dropped.
fn check_nesting(parsed: &mut Parsed, body: &str, loc: Loc, unclosed: &[(usize, usize)]) {
    if parsed.fences.is_empty() {
        return;
    }
    let (text, markers) = view_text(parsed, body, View::Facilitator);
    let offsets: Vec<usize> = markers.iter().map(|m| m.0).collect();
    let placed = fences::place(&text, &offsets);
    let mut opened: HashMap<usize, Option<fences::Placed>> = HashMap::new();
    let mut dropped = Vec::new();
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
                Some(Some(o)) if o.container != p.container => {
                    let opened_on = parsed.first_line + block.open;
                    let outer = unclosed.iter().find(|&&(a, _)| {
                        let a = &parsed.blocks[a];
                        a.open < block.open && a.colons == block.colons
                    });
                    let hint = match outer {
                        Some(&(a, d)) => {
                            dropped.push(d);
                            let colons = ":".repeat(block.colons);
                            format!(
                                "add a line with just `{colons}` where the `{name}` block ends, with the same indent and `>` marks as line {opened_on}; this `{colons}` then closes the `{}` block of line {}",
                                parsed.blocks[a].name.as_str(),
                                parsed.first_line + parsed.blocks[a].open
                            )
                        }
                        None => {
                            format!("give it the same indent and `>` marks as line {opened_on}")
                        }
                    };
                    Some((
                        format!(
                            "the `:::` that closes this `{name}` block is not in the same quote or list item as its opening line"
                        ),
                        hint,
                    ))
                }
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
    let mut index = 0;
    parsed.diagnostics.retain(|_| {
        index += 1;
        !dropped.contains(&(index - 1))
    });
}

type Problem = (String, String);

/// Reads `name {key=value key="a value"}`; `colons` is the fence it follows, for showing
/// a corrected line.
fn parse_opener(colons: &str, rest: &str) -> Result<Block, Problem> {
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
        let attrs = parse_attrs(inner)?;
        if let Some((bad, fault)) = attrs.iter().find_map(|a| Some((a, a.fault?))) {
            let what = match bad.key.as_str() {
                "title" => "the title".to_owned(),
                key => format!("the value of `{key}`"),
            };
            let message = match fault {
                Fault::Spaces => format!("{what} has spaces, so it needs quotes around it"),
                Fault::SingleQuotes => format!("{what} is in single quotes"),
                Fault::Unclosed => format!("{what} has no closing `\"`"),
            };
            let corrected = corrected_opener(colons, name, &attrs);
            return Err((
                message,
                format!("put {what} in straight double quotes: `{corrected}`"),
            ));
        }
        for Attr { key, value, .. } in attrs {
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
        // The author's own line with `minutes=` added, not an example from elsewhere.
        let attrs = match attrs.strip_prefix('{') {
            Some(inner) => format!("{{minutes=15 {}", inner.trim_start()),
            None => "{minutes=15}".to_owned(),
        };
        return Err((
            "an activity needs its length in minutes".into(),
            format!(
                "add how many minutes it takes, with its own number: `{colons} activity {attrs}`"
            ),
        ));
    }
    Ok(block)
}

/// One `key=value` of an opening line.
struct Attr {
    key: String,
    value: String,
    /// Whether it was written in quotes (straight or curly).
    quoted: bool,
    fault: Option<Fault>,
}

/// How a value is written so that it cannot be read as meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// `title=A hard meeting`: words after the first, with no quotes around them.
    Spaces,
    /// `title='Check-in'`.
    SingleQuotes,
    /// `title="Check-in`.
    Unclosed,
}

/// Quotes a word processor puts in place of `"`, each with the quotes that may close it.
/// They are read as straight quotes, since authors paste titles from documents.
const CURLY: &[(char, &[char])] = &[
    ('“', &['”', '“', '"']),
    ('”', &['”', '“', '"']),
    ('„', &['“', '”', '"']),
    ('«', &['»']),
    ('»', &['«']),
    ('‘', &['’', '‘']),
    ('‚', &['‘', '’']),
];

/// Splits `key=value key="two words"` into pairs. Curly quotes count as quotes. A `title`
/// goes on until the next `key=`, so that words after an unquoted first word are read as
/// the title the author meant, and reported with the line corrected.
fn parse_attrs(inner: &str) -> Result<Vec<Attr>, Problem> {
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
        rest = rest[eq + 1..].trim_start();
        let first = rest.chars().next();
        let closers: Option<&[char]> = match first {
            Some('"') => Some(&['"']),
            Some(c) => CURLY
                .iter()
                .find(|(open, _)| *open == c)
                .map(|(_, close)| *close),
            None => None,
        };
        let mut attr = Attr {
            key,
            value: String::new(),
            quoted: closers.is_some(),
            fault: None,
        };
        if let (Some(first), Some(closers)) = (first, closers) {
            let quoted = &rest[first.len_utf8()..];
            match quoted.find(closers) {
                Some(end) => {
                    attr.value = quoted[..end].to_owned();
                    let close = quoted[end..].chars().next().map_or(1, char::len_utf8);
                    rest = &quoted[end + close..];
                }
                None => {
                    attr.value = quoted.trim_end().to_owned();
                    attr.fault = Some(Fault::Unclosed);
                    rest = "";
                }
            }
        } else {
            // A title may run on over words with no `=` of their own.
            let mut end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if attr.key == "title" {
                while let Some(word) = rest[end..].split_whitespace().next() {
                    if word.contains('=') {
                        break;
                    }
                    let at = end + rest[end..].find(word).expect("the word is in the text");
                    end = at + word.len();
                    attr.fault = Some(Fault::Spaces);
                }
            }
            let value = &rest[..end];
            if value.len() > 1 && value.starts_with('\'') && value.ends_with('\'') {
                attr.value = value[1..value.len() - 1].to_owned();
                attr.fault = Some(Fault::SingleQuotes);
            } else {
                attr.value = value.to_owned();
            }
            rest = &rest[end..];
        }
        pairs.push(attr);
        rest = rest.trim_start();
    }
    Ok(pairs)
}

/// The opening line as it should be written: every value that has spaces or was quoted
/// in straight double quotes.
fn corrected_opener(colons: &str, name: BlockName, attrs: &[Attr]) -> String {
    let attrs: Vec<String> = attrs
        .iter()
        .map(|a| {
            if a.quoted || a.fault.is_some() || a.value.contains(char::is_whitespace) {
                format!("{}=\"{}\"", a.key, a.value)
            } else {
                format!("{}={}", a.key, a.value)
            }
        })
        .collect();
    format!("{colons} {} {{{}}}", name.as_str(), attrs.join(" "))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn values(inner: &str) -> Vec<(String, String, Option<Fault>)> {
        parse_attrs(inner)
            .expect("attributes")
            .into_iter()
            .map(|a| (a.key, a.value, a.fault))
            .collect()
    }

    #[test]
    fn curly_quotes_are_quotes_and_a_bare_title_runs_to_the_next_key() {
        let pair = |k: &str, v: &str, f| (k.to_owned(), v.to_owned(), f);
        assert_eq!(
            values("title=“A hard meeting” minutes=5"),
            [
                pair("title", "A hard meeting", None),
                pair("minutes", "5", None)
            ]
        );
        assert_eq!(
            values("title=„Ein Treffen“ format=«virtual»"),
            [
                pair("title", "Ein Treffen", None),
                pair("format", "virtual", None)
            ]
        );
        assert_eq!(
            values("title=A hard meeting minutes=5"),
            [
                pair("title", "A hard meeting", Some(Fault::Spaces)),
                pair("minutes", "5", None)
            ]
        );
        assert_eq!(
            values("title='Rest'"),
            [pair("title", "Rest", Some(Fault::SingleQuotes))]
        );
        assert_eq!(
            values("title=\"The “calm” plan\""),
            [pair("title", "The “calm” plan", None)]
        );
        // Only a title runs on: other values are one word.
        assert!(parse_attrs("minutes=15 Check-in").is_err());
    }

    /// Pairs a body's fences: for each block in opening order, its closing line (0-based),
    /// and the problems.
    fn pairs(body: &str) -> (Vec<Option<usize>>, Vec<Mismatch>) {
        let lines = Lines::new(body);
        let scan = fences::scan(body, &lines);
        let read = read_fences(body, &lines, &scan.fences);
        let pairing = pair_fences(&read);
        let closes = read
            .iter()
            .enumerate()
            .filter(|(_, f)| f.opens.is_some())
            .map(|(i, _)| pairing.closed_by[i].map(|c| read[c].line))
            .collect();
        (closes, pairing.problems)
    }

    #[test]
    fn a_block_closes_at_a_line_of_as_many_colons() {
        let body = ":::: activity {minutes=5}\n\n::: say\nS\n:::\n\n::::\n";
        assert_eq!(pairs(body), (vec![Some(6), Some(4)], vec![]));
        // A `::::` line closes only the activity: the say is the one left open.
        let body = ":::: activity {minutes=5}\n\n::: say\nS\n\n::::\n";
        assert_eq!(
            pairs(body),
            (vec![Some(5), None], vec![Mismatch::Cut { block: 1, by: 2 }])
        );
        // With one length, a say that another block opens inside ends before it.
        let body = "::: activity {minutes=5}\n\n::: say\nS\n\n::: tip\nT\n:::\n\n:::\n";
        assert_eq!(
            pairs(body),
            (
                vec![Some(9), None, Some(7)],
                vec![Mismatch::EndsBefore { block: 1, next: 2 }]
            )
        );
    }
}
