//! A module's facilitator guide: the module's text with its facilitator-only blocks shown,
//! the timed agenda of each format, materials, preparation, and `facilitator.md`'s own
//! text. The facilitator binders show the same [`GuideView`] for every session.

use serde::Serialize;

use crate::config::Lang;
use crate::content::Meta;
use crate::i18n::{self, Arg, Key};
use crate::markdown::{self, RawHtml};
use crate::site::Agenda;

use super::cards::{HandoutLink, ModuleCard, handout_links, neighbours};
use super::context::{Ctx, Page};
use super::{Output, href};

/// One module's guide, as its page and the binders show it.
#[derive(Serialize)]
pub struct GuideView {
    pub number: usize,
    pub title: String,
    summary: String,
    pub duration: u32,
    agendas: Vec<AgendaView>,
    materials: Vec<String>,
    preparation: Option<String>,
    handouts: Vec<HandoutLink>,
    plan: Option<String>,
    plan_missing: Option<String>,
    module_html: String,
    /// The module's sensitive topics, for the safety reminder.
    topics: Option<String>,
    module_url: String,
    binder_url: String,
    prev: Option<ModuleCard>,
    next: Option<ModuleCard>,
}

#[derive(Serialize)]
struct AgendaView {
    format: Option<String>,
    total: u32,
    rows: Vec<AgendaRowView>,
}

#[derive(Serialize)]
struct AgendaRowView {
    start: String,
    title: String,
    minutes: u32,
    running_total: u32,
}

/// Module `m`'s facilitator guide page in `lang`.
pub fn render(ctx: &Ctx, lang: &Lang, m: usize) -> Result<Output, String> {
    let url = ctx
        .module_url(lang, m)
        .expect("module exists in this language");
    let view = view(ctx, lang, m);
    let title = ctx.t(
        lang,
        Key::FacilitatorGuideTitle,
        &[("title", Arg::Str(&view.title))],
    );
    let alternates = ctx.alternates(lang, |l| {
        ctx.module_url(l, m)
            .map(|u| format!("{u}facilitator/index.html"))
    });
    let mut page = Page::new(
        format!("{url}facilitator/index.html"),
        "guide.html",
        title,
        "guide",
        alternates,
    );
    page.noindex = true;
    ctx.finish(lang, page, &view)
}

/// Module `m`'s guide in `lang`.
pub fn view(ctx: &Ctx, lang: &Lang, m: usize) -> GuideView {
    let module = &ctx.site.modules[m];
    let docs = &module.langs[lang];
    let meta = ctx.module_meta(docs.index);
    let guide_meta = docs
        .guide
        .and_then(|g| match &ctx.site.docs[g].source.meta {
            Meta::Guide(gm) => Some(gm),
            _ => None,
        });
    let source = ctx.config.source_lang();
    // Only a translation can lack a plan the source language has.
    let plan_missing = (docs.guide.is_none()
        && module.langs.get(source).is_some_and(|s| s.guide.is_some())
        && lang != source)
        .then(|| {
            ctx.t(
                lang,
                Key::GuideMissing,
                &[("language", Arg::Str(&ctx.names[lang]))],
            )
        });
    let (prev, next) = neighbours(ctx, lang, m, true);
    GuideView {
        number: module.number,
        title: meta.title.clone(),
        summary: meta.summary.clone(),
        duration: meta.duration,
        agendas: docs
            .agendas
            .iter()
            .map(|a| agenda_view(ctx, lang, a))
            .collect(),
        materials: guide_meta.map(|g| g.materials.clone()).unwrap_or_default(),
        preparation: guide_meta
            .and_then(|g| g.preparation.as_deref())
            .map(|text| inline_markdown(text, RawHtml::allowed(ctx.config.allow_raw_html))),
        handouts: handout_links(ctx, lang, m),
        plan: docs.guide.map(|g| ctx.facilitator(g).to_owned()),
        plan_missing,
        module_html: ctx.facilitator(docs.index).to_owned(),
        topics: (!meta.sensitive_topics.is_empty()).then(|| {
            // Each topic's name is a string (`topic-self-harm`) that `check` makes sure
            // every language using it has; as written is only the fall-back.
            let names: Vec<String> = meta
                .sensitive_topics
                .iter()
                .map(|t| {
                    ctx.i18n
                        .message(lang, &i18n::topic_id(t), &[])
                        .unwrap_or_else(|_| t.clone())
                })
                .collect();
            names.join(", ")
        }),
        module_url: href(&ctx.site.docs[docs.index].url),
        binder_url: format!("{lang}/print/facilitator/index.html"),
        prev,
        next,
    }
}

fn agenda_view(ctx: &Ctx, lang: &Lang, agenda: &Agenda) -> AgendaView {
    AgendaView {
        format: agenda.format.map(|f| ctx.t(lang, Key::format(f), &[])),
        total: agenda.total,
        rows: agenda
            .rows
            .iter()
            .map(|r| AgendaRowView {
                start: minutes_clock(r.start),
                title: r.title.clone(),
                minutes: r.minutes,
                running_total: r.running_total,
            })
            .collect(),
    }
}

/// An agenda row's start, counted from the session's start: `0:00`, `1:05`.
fn minutes_clock(m: u32) -> String {
    format!("{}:{:02}", m / 60, m % 60)
}

/// Markdown in a front-matter string (a guide's `preparation`): no blocks, no links to
/// resolve, so plain CommonMark is enough; its HTML is cleaned as a body's is.
fn inline_markdown(text: &str, raw_html: RawHtml) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
    if raw_html == RawHtml::Trust {
        html
    } else {
        markdown::safe::clean(&html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agenda_clock_counts_hours_and_padded_minutes() {
        assert_eq!(minutes_clock(0), "0:00");
        assert_eq!(minutes_clock(5), "0:05");
        assert_eq!(minutes_clock(65), "1:05");
        assert_eq!(minutes_clock(120), "2:00");
    }
}
