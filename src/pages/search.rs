//! The search indexes a site ships: for each language, `assets/search/<lang>.js` (and its
//! parts in `assets/search/<lang>/`) with its participant pages (modules, handouts, plain
//! pages), and `assets/search/<lang>-facilitator.js` (and `<lang>-facilitator/`) with its
//! facilitator guides. The participant index is read from the participant view's
//! HTML, from which facilitator-only text was removed line by line before Markdown saw
//! it, so none of that text can reach it.

use rayon::prelude::*;

use crate::config::Lang;
use crate::i18n::{Arg, Key};
use crate::search::{Analyzer, Entry, EntryKind, Index};

use super::Output;
use super::context::Ctx;
use super::href;

/// The elements a word may run through without a space.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup",
    "u",
];

/// How much of an entry's text its result shows before the page is opened.
const EXCERPT_CHARS: usize = 180;

/// The two indexes of each published language `wanted` keeps, built in parallel.
pub fn indexes(ctx: &Ctx, wanted: impl Fn(&Lang) -> bool + Sync) -> Vec<Output> {
    ctx.config
        .published
        .par_iter()
        .filter(|lang| wanted(lang))
        .flat_map_iter(|lang| {
            let analyzer = Analyzer::for_lang(lang.as_str());
            let (participant, facilitator) = language(ctx, lang, &analyzer);
            [
                (participant, "participant", ""),
                (facilitator, "facilitator", "-facilitator"),
            ]
            .into_iter()
            .flat_map(move |(index, audience, suffix)| {
                let base = format!("assets/search/{lang}{suffix}");
                index
                    .to_parts(&analyzer, lang.as_str(), audience)
                    .into_iter()
                    .map(move |(part, script)| Output {
                        path: match part.as_str() {
                            "head" => format!("{base}.js"),
                            _ => format!("{base}/{part}.js"),
                        },
                        bytes: script.into_bytes(),
                    })
            })
        })
        .collect()
}

/// `lang`'s participant and facilitator indexes, entries in module order.
fn language(ctx: &Ctx, lang: &Lang, analyzer: &Analyzer) -> (Index, Index) {
    let (mut participant, mut facilitator) = (Index::default(), Index::default());
    let site = ctx.site;
    for module in &site.modules {
        let Some(docs) = module.langs.get(lang) else {
            continue;
        };
        let doc = &site.docs[docs.index];
        let title = doc.source.title().unwrap_or_default().to_owned();
        let session = ctx.t(
            lang,
            Key::SessionNumber,
            &[("n", Arg::Number(module.number as i64))],
        );
        let html = ctx.participant(docs.index);
        participant.add(
            analyzer,
            entry(
                href(&doc.url),
                &title,
                session.clone(),
                EntryKind::Page,
                html,
            ),
            &plain_text(html),
        );
        let context = format!("{session} · {title}");
        for &h in &docs.handouts {
            let handout = &site.docs[h];
            let html = ctx.participant(h);
            let name = handout.source.title().unwrap_or_default();
            participant.add(
                analyzer,
                entry(
                    href(&handout.url),
                    name,
                    context.clone(),
                    EntryKind::Handout,
                    html,
                ),
                &plain_text(html),
            );
        }
        let mut guide = plain_text(ctx.facilitator(docs.index));
        if let Some(g) = docs.guide {
            guide.push(' ');
            guide.push_str(&plain_text(ctx.facilitator(g)));
            if let Some(preparation) = ctx.preparation(g) {
                guide.push(' ');
                guide.push_str(&plain_text(preparation));
            }
        }
        let guide_url = format!("{}facilitator/index.html", doc.url);
        facilitator.add(
            analyzer,
            entry(
                guide_url,
                &title,
                session,
                EntryKind::Guide,
                ctx.facilitator(docs.index),
            ),
            &guide,
        );
    }
    for &id in site.pages.get(lang).into_iter().flatten() {
        let page = &site.docs[id];
        let html = ctx.participant(id);
        let title = page.source.title().unwrap_or_default();
        participant.add(
            analyzer,
            entry(href(&page.url), title, String::new(), EntryKind::Page, html),
            &plain_text(html),
        );
    }
    (participant, facilitator)
}

/// An entry whose excerpt is the start of `html`'s paragraphs.
fn entry(url: String, title: &str, context: String, kind: EntryKind, html: &str) -> Entry {
    Entry {
        url,
        title: title.to_owned(),
        context,
        kind,
        excerpt: excerpt(&lead(html)),
    }
}

/// The text of `html`'s first paragraphs, enough for an excerpt: headings, lists and
/// tables left out, so a heading does not run into the sentence after it. All its text
/// when it has no paragraph.
fn lead(html: &str) -> String {
    let mut lead = String::new();
    let mut rest = html;
    while lead.chars().count() < EXCERPT_CHARS {
        let Some(open) = next_paragraph(rest) else {
            break;
        };
        let Some(close) = rest[open..].find("</p>") else {
            break;
        };
        let text = plain_text(&rest[open..open + close]);
        if !text.is_empty() {
            if !lead.is_empty() {
                lead.push(' ');
            }
            lead.push_str(&text);
        }
        rest = &rest[open + close + 4..];
    }
    if lead.is_empty() {
        plain_text(html)
    } else {
        lead
    }
}

/// Where the next `<p>` element of `html` starts (not a `<pre>` or `<picture>`).
fn next_paragraph(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<p") {
        let at = from + i;
        if matches!(html.as_bytes().get(at + 2), Some(b'>' | b' ')) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// The start of `text`, cut at a word within [`EXCERPT_CHARS`] characters.
fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

/// The text of rendered HTML: tags dropped (block ends as spaces), the few entities
/// Markdown writes decoded, runs of white space made one.
pub(super) fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        // Words run on through inline markup (`<em>calm</em>,`), not across blocks.
        if !INLINE.contains(&name) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            plain_text("<h2 id=\"a\">Why</h2>\n<p>Rest &amp; <em>calm</em>,\n&quot;now&quot;.</p>"),
            "Why Rest & calm, \"now\"."
        );
    }

    #[test]
    fn an_excerpt_is_read_from_paragraphs_not_headings() {
        let html = "<h2>Something small</h2>\n<pre><code>x</code></pre><p class=\"lead\">Say <em>one</em> thing.</p><ul><li>A list</li></ul><p>Then rest.</p>";
        assert_eq!(lead(html), "Say one thing. Then rest.");
        assert_eq!(lead("<h2>Only a heading</h2>"), "Only a heading");
    }

    #[test]
    fn an_excerpt_ends_at_a_word() {
        let long = "word ".repeat(60);
        let e = excerpt(&long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("Short."), "Short.");
    }
}
