//! A language's home page: its `_index.md` text, the modules in order, the programs, and
//! the ways into the print packets.

use serde::Serialize;

use crate::config::Lang;

use super::Output;
use super::cards::{ModuleCard, card};
use super::context::{Ctx, Page};

#[derive(Serialize)]
struct Home {
    title: String,
    html: Option<String>,
    modules: Vec<ModuleCard>,
    programs: Vec<ProgramLink>,
    handouts_url: String,
    binder_url: String,
}

#[derive(Serialize)]
struct ProgramLink {
    title: String,
    url: String,
    count: usize,
}

/// The home page of `lang`.
pub fn render(ctx: &Ctx, lang: &Lang) -> Result<Output, String> {
    let site = ctx.site;
    let home = site.homes.get(lang).copied();
    // The site's own title stands in for a home page that has no `_index.md`.
    let title = home
        .and_then(|h| site.docs[h].source.title())
        .unwrap_or(ctx.config.title.get(lang))
        .to_owned();
    let view = Home {
        title: title.clone(),
        html: home.map(|h| ctx.participant(h).to_owned()),
        modules: (0..site.modules.len())
            .filter_map(|m| card(ctx, lang, m))
            .collect(),
        programs: site
            .programs
            .iter()
            .zip(&ctx.config.programs)
            .filter(|(p, _)| !p.modules.is_empty())
            .map(|(p, c)| ProgramLink {
                title: c.title.get(lang).to_owned(),
                url: format!("{lang}/programs/{}/index.html", p.id),
                count: p.modules.len(),
            })
            .collect(),
        handouts_url: format!("{lang}/print/handouts/index.html"),
        binder_url: format!("{lang}/print/facilitator/index.html"),
    };
    let alternates = ctx.alternates(lang, |l| Some(format!("{l}/index.html")));
    let page = Page::new(
        format!("{lang}/index.html"),
        "home.html",
        title,
        "home",
        alternates,
    );
    ctx.finish(lang, page, &view)
}
