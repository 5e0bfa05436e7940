//! A module's facilitator guide: the module's text with its facilitator-only blocks shown,
//! the timed agenda of each format, materials, preparation, and `facilitator.md`'s own
//! text. The facilitator binders show the same [`GuideView`] for every session.

use serde::Serialize;

use crate::config::Lang;
use crate::content::Meta;
use crate::i18n::{self, Arg, Key};
use crate::markdown::{self, Field, Labels, RawHtml, Rendered, Resolver};
use crate::site::{Agenda, Doc, DocId};

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
    /// `facilitator.md`'s text, or its part before the `participant-text` block.
    plan: Option<String>,
    /// Its part after the `participant-text` block, shown after what participants read.
    plan_after: Option<String>,
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
    let (plan, plan_after) = match docs.guide.map(|g| ctx.facilitator(g)) {
        Some(html) => match html.split_once(markdown::PARTICIPANT_TEXT_MARK) {
            Some((before, after)) => (
                Some(before.to_owned()).filter(|b| !b.trim().is_empty()),
                Some(after.to_owned()),
            ),
            None => (Some(html.to_owned()), None),
        },
        None => (None, None),
    };
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
        preparation: docs
            .guide
            .and_then(|g| ctx.preparation(g))
            .map(str::to_owned),
        handouts: handout_links(ctx, lang, m),
        plan,
        plan_after: plan_after.filter(|a| !a.trim().is_empty()),
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

/// A guide's `preparation` through the same Markdown stage as every body, so its links
/// resolve and are checked; a `#anchor` in it names a heading of the guide itself.
pub fn preparation<R: Resolver<Key = DocId> + Labels>(
    doc: &Doc,
    id: DocId,
    asked: &R,
    raw_html: RawHtml,
) -> Option<Rendered<DocId>> {
    let Meta::Guide(meta) = &doc.source.meta else {
        return None;
    };
    let text = meta.preparation.as_deref()?;
    let loc = doc.loc();
    let (line, indent) = field_start(loc.text, loc.body_start, "preparation");
    let field = Field {
        text,
        loc,
        line,
        indent,
    };
    Some(markdown::render_field(field, id, asked, asked, raw_html))
}

/// Where the text of the front-matter field `key` starts in a file whose body starts at
/// `body_start`: its first line and indentation. The front matter keeps no positions of
/// its values, so this reads the YAML's layout: exact for a block scalar (`key: |`), whose
/// lines are the text's; for any other form, the lines after the first are approximate.
fn field_start(text: &str, body_start: usize, key: &str) -> (usize, usize) {
    let front: Vec<&str> = text[..body_start].lines().collect();
    let Some(at) = front
        .iter()
        .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
    else {
        return (1, 0);
    };
    let value = &front[at][key.len() + 1..];
    if value.trim_start().starts_with(['|', '>']) {
        let indent = front[at + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
        return (at + 2, indent);
    }
    let column = key.len() + 1 + value.len() - value.trim_start().len();
    let quoted = value.trim_start().starts_with(['"', '\'']);
    (at + 1, column + usize::from(quoted))
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

    #[test]
    fn a_block_field_starts_on_the_line_after_its_key_at_its_indentation() {
        let text = "---\ntitle: T\npreparation: |\n\n    Read the [page](x.md).\n---\nBody\n";
        let body_start = text.find("Body").unwrap();
        assert_eq!(field_start(text, body_start, "preparation"), (4, 4));
    }

    #[test]
    fn an_inline_field_starts_after_its_key_and_any_quote() {
        let text = "---\npreparation: \"Read it.\"\ntitle: T\n---\n";
        assert_eq!(field_start(text, text.len(), "preparation"), (2, 14));
        let text = "---\npreparation: Read it.\n---\n";
        assert_eq!(field_start(text, text.len(), "preparation"), (2, 13));
    }
}
