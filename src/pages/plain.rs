//! A plain page (`about.md` and the like): its title and text.

use serde::Serialize;

use crate::config::Lang;
use crate::site::DocId;

use super::context::{Ctx, Page};
use super::{Output, href};

#[derive(Serialize)]
struct PlainPage<'x> {
    title: &'x str,
    html: &'x str,
}

/// Plain page `id`, in `lang`.
pub fn render(ctx: &Ctx, lang: &Lang, id: DocId) -> Result<Output, String> {
    let site = ctx.site;
    let doc = &site.docs[id];
    let view = PlainPage {
        title: doc.source.title().unwrap_or_default(),
        html: ctx.participant(id),
    };
    let alternates = ctx.alternates(lang, |l| {
        site.counterpart(id, l).map(|c| href(&site.docs[c].url))
    });
    let page = Page::new(
        href(&doc.url),
        "page.html",
        view.title.to_owned(),
        "page",
        alternates,
    );
    ctx.finish(lang, page, &view)
}
