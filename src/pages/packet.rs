//! Print packets: a module's packet (the participant page, then each handout from a new
//! page) and the packet of every handout. Both, and the facilitator binders, are one
//! [`PacketView`] of [`PacketItem`]s with a contents list that links to the items' ids.

use serde::Serialize;

use crate::config::Lang;
use crate::content::Meta;
use crate::i18n::{Arg, Key};
use crate::render::bare_url;
use crate::site::DocId;

use super::Output;
use super::context::{Ctx, Link, Page};
use super::guide::GuideView;
use super::handout::kind_label;

/// One part of a packet or binder, each starting on a new printed page.
#[derive(Serialize)]
pub struct PacketItem {
    /// The element id the contents list links to.
    pub id: String,
    pub class: &'static str,
    /// For a handout, how many printed pages it must fit.
    pub pages: Option<u32>,
    pub kicker: Option<String>,
    pub title: String,
    pub html: String,
    pub sensitive: bool,
    pub objectives: Vec<String>,
    pub guide: Option<GuideView>,
}

/// A packet or binder: a title page with contents, then the items.
#[derive(Serialize)]
pub struct PacketView {
    pub kicker: String,
    pub title: String,
    pub summary: Option<String>,
    pub contents: Vec<Link>,
    pub items: Vec<PacketItem>,
    /// A contents list short enough that printing it alone would spend a sheet on a
    /// mostly empty cover: the first item starts on the cover page instead.
    pub short: bool,
}

/// The most items a packet lists and still starts its first item on the cover.
const SHORT_PACKET: usize = 5;

impl PacketView {
    /// A packet whose contents list every item, in order.
    pub fn listing(
        kicker: String,
        title: String,
        summary: Option<String>,
        items: Vec<PacketItem>,
    ) -> PacketView {
        PacketView {
            kicker,
            title,
            summary,
            contents: contents(&items),
            short: (2..=SHORT_PACKET).contains(&items.len()),
            items,
        }
    }
}

/// Contents links point at the items' ids.
fn contents(items: &[PacketItem]) -> Vec<Link> {
    items
        .iter()
        .map(|i| Link {
            title: i.title.clone(),
            url: i.id.clone(),
        })
        .collect()
}

/// Where the print packet of the module at `url` (in `lang`) goes: under `print/`.
pub fn packet_path(lang: &Lang, url: &str) -> String {
    let slug = url.trim_start_matches(&format!("{lang}/"));
    format!("{lang}/print/{slug}index.html")
}

/// Module `m`'s packet in `lang`: the session, then its handouts.
pub fn render_module(ctx: &Ctx, lang: &Lang, m: usize) -> Result<Output, String> {
    let site = ctx.site;
    let docs = &site.modules[m].langs[lang];
    let meta = ctx.module_meta(docs.index);
    let mut items = vec![PacketItem {
        id: "session".into(),
        class: "packet-module",
        pages: None,
        kicker: Some(ctx.t(
            lang,
            Key::SessionNumber,
            &[("n", Arg::Number(site.modules[m].number as i64))],
        )),
        title: meta.title.clone(),
        html: ctx.participant(docs.index).to_owned(),
        sensitive: !meta.sensitive_topics.is_empty(),
        objectives: meta.objectives.clone(),
        guide: None,
    }];
    items.extend(docs.handouts.iter().map(|&h| handout_item(ctx, lang, m, h)));
    let view = PacketView::listing(
        ctx.t(lang, Key::SessionPacket, &[]),
        meta.title.clone(),
        Some(meta.summary.clone()),
        items,
    );
    let alternates = ctx.alternates(lang, |l| ctx.module_url(l, m).map(|u| packet_path(l, u)));
    let page = Page::new(
        packet_path(lang, &site.docs[docs.index].url),
        "packet.html",
        meta.title.clone(),
        "packet",
        alternates,
    );
    ctx.finish(lang, page, &view)
}

/// Every handout of every module in `lang`, in module order.
pub fn render_all_handouts(ctx: &Ctx, lang: &Lang) -> Result<Output, String> {
    let mut items = Vec::new();
    for (m, module) in ctx.site.modules.iter().enumerate() {
        if let Some(docs) = module.langs.get(lang) {
            items.extend(docs.handouts.iter().map(|&h| handout_item(ctx, lang, m, h)));
        }
    }
    let title = ctx.t(lang, Key::AllHandoutsTitle, &[]);
    let view = PacketView::listing(
        ctx.config.title.get(lang).to_owned(),
        title.clone(),
        None,
        items,
    );
    let alternates = ctx.alternates(lang, |l| Some(format!("{l}/print/handouts/index.html")));
    let page = Page::new(
        format!("{lang}/print/handouts/index.html"),
        "packet.html",
        title,
        "packet",
        alternates,
    );
    ctx.finish(lang, page, &view)
}

/// Handout `h` of module `m` as a packet item, its id unique across modules.
fn handout_item(ctx: &Ctx, lang: &Lang, m: usize, h: DocId) -> PacketItem {
    let doc = &ctx.site.docs[h];
    let module = &ctx.site.modules[m];
    let module_title = &ctx.module_meta(module.langs[lang].index).title;
    let (kind, pages) = match &doc.source.meta {
        Meta::Handout(meta) => (kind_label(ctx, lang, meta.kind), Some(meta.pages)),
        _ => (String::new(), None),
    };
    let slug = bare_url(&doc.url).rsplit('/').next().unwrap_or("");
    PacketItem {
        id: format!("h-{}-{slug}", module.number),
        class: "packet-handout handout",
        pages,
        kicker: Some(format!("{kind} · {module_title}")),
        title: doc.source.title().unwrap_or_default().to_owned(),
        html: ctx.participant(h).to_owned(),
        sensitive: false,
        objectives: Vec::new(),
        guide: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str) -> PacketItem {
        PacketItem {
            id: id.into(),
            class: "packet-handout handout",
            pages: Some(1),
            kicker: None,
            title: title.into(),
            html: String::new(),
            sensitive: false,
            objectives: Vec::new(),
            guide: None,
        }
    }

    #[test]
    fn the_contents_link_every_item_by_its_id_in_order() {
        let view = PacketView::listing(
            "Session packet".into(),
            "Boundaries".into(),
            None,
            vec![
                item("session", "Boundaries"),
                item("h-3-my-limits", "My limits"),
            ],
        );
        let contents: Vec<(&str, &str)> = view
            .contents
            .iter()
            .map(|l| (l.title.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            contents,
            [("Boundaries", "session"), ("My limits", "h-3-my-limits")]
        );
    }

    #[test]
    fn a_packet_goes_under_print_with_the_module_slug() {
        let en = Lang::new("en");
        assert_eq!(
            packet_path(&en, "en/boundaries/"),
            "en/print/boundaries/index.html"
        );
    }
}
