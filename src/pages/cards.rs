//! How one page links to a module or a handout shown elsewhere: a module as a card (on the
//! home page, a program's page and as a neighbour), and a module's handouts as links. Both
//! fall back to the source language, with a note, where a translation is missing, so a
//! reader never meets a broken link.

use serde::Serialize;

use crate::config::Lang;
use crate::i18n::{Arg, Key};
use crate::site::DocId;

use super::context::Ctx;
use super::href;

/// A module as the home page, program pages and neighbours show it.
#[derive(Serialize, Clone)]
pub struct ModuleCard {
    number: usize,
    title: String,
    summary: String,
    duration: u32,
    url: String,
    guide_url: String,
    /// Set when the card links to another language's page.
    lang: Option<String>,
    note: Option<String>,
}

/// A link to one of a module's handouts.
#[derive(Serialize)]
pub struct HandoutLink {
    title: String,
    url: String,
    lang: Option<String>,
    note: Option<String>,
}

/// Module `m` as a card in `lang`, falling back to the source language.
pub fn card(ctx: &Ctx, lang: &Lang, m: usize) -> Option<ModuleCard> {
    let module = &ctx.site.modules[m];
    let source = ctx.config.source_lang();
    let (shown, docs) = match module.langs.get(lang) {
        Some(d) => (lang, d),
        None => (source, module.langs.get(source)?),
    };
    let meta = ctx.module_meta(docs.index);
    let url = &ctx.site.docs[docs.index].url;
    let fallback = shown != lang;
    Some(ModuleCard {
        number: module.number,
        title: meta.title.clone(),
        summary: meta.summary.clone(),
        duration: meta.duration,
        url: href(url),
        guide_url: format!("{url}facilitator/index.html"),
        lang: fallback.then(|| shown.to_string()),
        note: fallback.then(|| {
            let names = &ctx.names;
            ctx.t(
                lang,
                Key::ModuleNotTranslated,
                &[
                    ("language", Arg::Str(&names[lang])),
                    ("source", Arg::Str(&names[shown])),
                ],
            )
        }),
    })
}

/// The modules before and after `m`, linking to their guides when `guide` is set.
pub fn neighbours(
    ctx: &Ctx,
    lang: &Lang,
    m: usize,
    guide: bool,
) -> (Option<ModuleCard>, Option<ModuleCard>) {
    let pick = |i: usize| {
        card(ctx, lang, i).map(|mut c| {
            if guide {
                c.url = c.guide_url.clone();
            }
            c
        })
    };
    let prev = m.checked_sub(1).and_then(pick);
    let next = (m + 1 < ctx.site.modules.len())
        .then(|| pick(m + 1))
        .flatten();
    (prev, next)
}

/// Module `m`'s handouts in `lang`, then those only the source language has yet.
pub fn handout_links(ctx: &Ctx, lang: &Lang, m: usize) -> Vec<HandoutLink> {
    let module = &ctx.site.modules[m];
    let source = ctx.config.source_lang();
    let Some(docs) = module.langs.get(lang) else {
        return Vec::new();
    };
    let link = |h: DocId, note: Option<String>| HandoutLink {
        title: ctx.site.docs[h]
            .source
            .title()
            .unwrap_or_default()
            .to_owned(),
        url: href(&ctx.site.docs[h].url),
        lang: note.is_some().then(|| source.to_string()),
        note,
    };
    let mut links: Vec<HandoutLink> = docs.handouts.iter().map(|&h| link(h, None)).collect();
    // Handouts not yet translated are still offered, in the source language.
    if lang != source
        && let Some(src) = module.langs.get(source)
    {
        for &h in &src.handouts {
            if ctx.site.counterpart(h, lang).is_none() {
                let note = ctx.t(
                    lang,
                    Key::OnlyIn,
                    &[("language", Arg::Str(&ctx.names[source]))],
                );
                links.push(link(h, Some(note)));
            }
        }
    }
    links
}
