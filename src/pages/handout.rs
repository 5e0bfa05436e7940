//! One handout's page, for screen and for print: its kind decides the page's class, so
//! the theme can set worksheets and tip sheets apart on paper.

use serde::Serialize;

use crate::config::Lang;
use crate::content::{HandoutKind, Meta};
use crate::i18n::Key;
use crate::site::DocId;

use super::context::{Ctx, Page};
use super::{Output, href};

#[derive(Serialize)]
struct HandoutPage<'x> {
    title: &'x str,
    /// How many printed pages it must fit.
    pages: u32,
    kind: &'x str,
    kind_label: String,
    module_title: &'x str,
    module_url: String,
    html: &'x str,
}

/// Handout `h` of module `m`, in `lang`.
pub fn render(ctx: &Ctx, lang: &Lang, m: usize, h: DocId) -> Result<Output, String> {
    let site = ctx.site;
    let doc = &site.docs[h];
    let module_doc = site.modules[m].langs[lang].index;
    let Meta::Handout(meta) = &doc.source.meta else {
        unreachable!("a handout document")
    };
    let kind = meta.kind.name();
    let view = HandoutPage {
        title: doc.source.title().unwrap_or_default(),
        pages: meta.pages,
        kind,
        kind_label: kind_label(ctx, lang, meta.kind),
        module_title: &ctx.module_meta(module_doc).title,
        module_url: href(&site.docs[module_doc].url),
        html: ctx.participant(h),
    };
    let alternates = ctx.alternates(lang, |l| {
        site.counterpart(h, l).map(|c| href(&site.docs[c].url))
    });
    let page = Page::new(
        href(&doc.url),
        "handout.html",
        view.title.to_owned(),
        &format!("handout kind-{kind}"),
        alternates,
    );
    ctx.finish(lang, page, &view)
}

/// A handout kind's name in `lang` ("Worksheet", "Hoja de trabajo").
pub fn kind_label(ctx: &Ctx, lang: &Lang, kind: HandoutKind) -> String {
    ctx.t(lang, Key::handout_kind(kind), &[])
}
