//! A module's participant page: what caregivers read, without facilitator-only blocks,
//! with its handouts, its packet and its neighbours.

use serde::Serialize;

use crate::config::Lang;

use super::cards::{HandoutLink, ModuleCard, handout_links, neighbours};
use super::context::{Ctx, Page};
use super::packet::packet_path;
use super::{Output, href};

#[derive(Serialize)]
struct ModulePage<'x> {
    number: usize,
    title: &'x str,
    summary: &'x str,
    duration: u32,
    objectives: &'x [String],
    sensitive: bool,
    html: &'x str,
    handouts: Vec<HandoutLink>,
    packet_url: String,
    guide_url: String,
    prev: Option<ModuleCard>,
    next: Option<ModuleCard>,
}

/// Module `m`'s participant page in `lang`.
pub fn render(ctx: &Ctx, lang: &Lang, m: usize) -> Result<Output, String> {
    let docs = &ctx.site.modules[m].langs[lang];
    let doc = &ctx.site.docs[docs.index];
    let meta = ctx.module_meta(docs.index);
    let (prev, next) = neighbours(ctx, lang, m, false);
    let view = ModulePage {
        number: ctx.site.modules[m].number,
        title: &meta.title,
        summary: &meta.summary,
        duration: meta.duration,
        objectives: &meta.objectives,
        sensitive: !meta.sensitive_topics.is_empty(),
        html: ctx.participant(docs.index),
        handouts: handout_links(ctx, lang, m),
        packet_url: packet_path(lang, &doc.url),
        guide_url: format!("{}facilitator/index.html", doc.url),
        prev,
        next,
    };
    let alternates = ctx.alternates(lang, |l| ctx.module_url(l, m).map(href));
    let mut page = Page::new(
        href(&doc.url),
        "module.html",
        meta.title.clone(),
        "module",
        alternates,
    );
    page.description = Some(meta.summary.clone());
    ctx.finish(lang, page, &view)
}
