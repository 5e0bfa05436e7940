//! A partner's program page: its sessions in the program's order, as module cards, with
//! a link to the program's binder.

use serde::Serialize;

use crate::config::Lang;

use super::Output;
use super::cards::{ModuleCard, card};
use super::context::{Ctx, Page};

#[derive(Serialize)]
struct ProgramPage {
    title: String,
    modules: Vec<ModuleCard>,
    binder_url: String,
}

/// Program `p`'s page in `lang`.
pub fn render(ctx: &Ctx, lang: &Lang, p: usize) -> Result<Output, String> {
    let program = &ctx.site.programs[p];
    let title = ctx.config.programs[p].title.get(lang).to_owned();
    let view = ProgramPage {
        title: title.clone(),
        modules: program
            .modules
            .iter()
            .filter_map(|&m| card(ctx, lang, m))
            .collect(),
        binder_url: format!("{lang}/print/programs/{}/index.html", program.id),
    };
    let alternates = ctx.alternates(lang, |l| {
        Some(format!("{l}/programs/{}/index.html", program.id))
    });
    let page = Page::new(
        format!("{lang}/programs/{}/index.html", program.id),
        "program.html",
        title,
        "program",
        alternates,
    );
    ctx.finish(lang, page, &view)
}
