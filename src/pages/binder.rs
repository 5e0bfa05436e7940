//! Facilitator binders: every session's guide in one printable packet, for the whole
//! toolkit or for one program's sequence.

use crate::config::Lang;
use crate::i18n::{Arg, Key};

use super::Output;
use super::context::{Ctx, Page};
use super::guide;
use super::packet::{PacketItem, PacketView};

/// The binder of `program` (an index into the site's programs), or of every module.
pub fn render(ctx: &Ctx, lang: &Lang, program: Option<usize>) -> Result<Output, String> {
    let site = ctx.site;
    let (out, title, modules): (String, String, Vec<usize>) = match program {
        None => (
            format!("{lang}/print/facilitator/index.html"),
            ctx.t(lang, Key::BinderTitle, &[]),
            (0..site.modules.len()).collect(),
        ),
        Some(p) => (
            format!("{lang}/print/programs/{}/index.html", site.programs[p].id),
            ctx.t(
                lang,
                Key::ProgramBinderTitle,
                &[("title", Arg::Str(ctx.config.programs[p].title.get(lang)))],
            ),
            site.programs[p].modules.clone(),
        ),
    };
    let items = modules
        .iter()
        .filter(|&&m| site.modules[m].langs.contains_key(lang))
        .map(|&m| guide_item(ctx, lang, m))
        .collect();
    let view = PacketView::listing(
        ctx.t(lang, Key::ForFacilitators, &[]),
        title.clone(),
        None,
        items,
    );
    let rel = out.trim_start_matches(&format!("{lang}/")).to_owned();
    let alternates = ctx.alternates(lang, |l| Some(format!("{l}/{rel}")));
    let mut page = Page::new(out, "packet.html", title, "packet guide", alternates);
    page.noindex = true;
    ctx.finish(lang, page, &view)
}

/// Module `m`'s guide as a binder item: one session, headed by its number and length.
fn guide_item(ctx: &Ctx, lang: &Lang, m: usize) -> PacketItem {
    let guide = guide::view(ctx, lang, m);
    let session = ctx.t(
        lang,
        Key::SessionNumber,
        &[("n", Arg::Number(guide.number as i64))],
    );
    let minutes = ctx.t(
        lang,
        Key::Minutes,
        &[("n", Arg::Number(guide.duration.into()))],
    );
    PacketItem {
        id: format!("session-{}", ctx.site.modules[m].number),
        class: "packet-guide",
        pages: None,
        kicker: Some(format!("{session} · {minutes}")),
        title: guide.title.clone(),
        html: String::new(),
        sensitive: false,
        objectives: Vec::new(),
        guide: Some(guide),
    }
}
