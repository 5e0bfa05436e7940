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
        let text = plain_text(ctx.participant(docs.index));
        participant.add(
            analyzer,
            entry(
                href(&doc.url),
                &title,
                session.clone(),
                EntryKind::Page,
                &text,
            ),
            &text,
        );
        let context = format!("{session} · {title}");
        for &h in &docs.handouts {
            let handout = &site.docs[h];
            let text = plain_text(ctx.participant(h));
            let name = handout.source.title().unwrap_or_default();
            participant.add(
                analyzer,
                entry(
                    href(&handout.url),
                    name,
                    context.clone(),
                    EntryKind::Handout,
                    &text,
                ),
                &text,
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
            entry(guide_url, &title, session, EntryKind::Guide, &guide),
            &guide,
        );
    }
    for &id in site.pages.get(lang).into_iter().flatten() {
        let page = &site.docs[id];
        let text = plain_text(ctx.participant(id));
        let title = page.source.title().unwrap_or_default();
        participant.add(
            analyzer,
            entry(
                href(&page.url),
                title,
                String::new(),
                EntryKind::Page,
                &text,
            ),
            &text,
        );
    }
    (participant, facilitator)
}

fn entry(url: String, title: &str, context: String, kind: EntryKind, text: &str) -> Entry {
    Entry {
        url,
        title: title.to_owned(),
        context,
        kind,
        excerpt: excerpt(text),
    }
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
    fn an_excerpt_ends_at_a_word() {
        let long = "word ".repeat(60);
        let e = excerpt(&long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("Short."), "Short.");
    }
}
