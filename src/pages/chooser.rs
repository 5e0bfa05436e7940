//! The site's root page, which chooses a language with plain links (no script needed).
//! It and the 404 page stand outside every language, so each shows every language's
//! words side by side: they share the [`RootPage`] view.

use serde::Serialize;

use crate::i18n::Key;

use super::Output;
use super::context::{Ctx, output};

/// One language's way into the site, in its own words.
#[derive(Serialize)]
struct Choice {
    code: String,
    site_title: String,
    url: String,
    enter: String,
    not_found: String,
    not_found_text: String,
    go_home: String,
    /// The crisis lines under their heading, in this language: a person in crisis may
    /// land here first.
    crisis_heading: String,
    crisis_lines: Vec<String>,
}

/// A page outside every language: the chooser or the 404 page.
#[derive(Serialize)]
pub struct RootPage {
    lang: String,
    root: String,
    site_title: String,
    choices: Vec<Choice>,
    /// A site in one language sends the root page straight to it.
    redirect: Option<String>,
}

/// The root `index.html`.
pub fn render(ctx: &Ctx) -> Result<Output, String> {
    let mut view = view(ctx, "");
    if let [only] = view.choices.as_slice() {
        view.redirect = Some(only.url.clone());
    }
    let html = ctx.renderer.render_plain("chooser.html", &view);
    output("index.html".into(), html)
}

/// Every language's choice, with links going up `root` to the site's root.
pub fn view(ctx: &Ctx, root: &str) -> RootPage {
    // The home language: an edition's first, which need not be the toolkit's source.
    let home = &ctx.config.published[0];
    RootPage {
        lang: home.to_string(),
        root: root.to_owned(),
        site_title: ctx.config.title.get(home).to_owned(),
        redirect: None,
        choices: ctx
            .config
            .published
            .iter()
            .map(|l| Choice {
                code: l.to_string(),
                site_title: ctx.config.title.get(l).to_owned(),
                url: format!("{l}/index.html"),
                enter: ctx.t(l, Key::EnterSite, &[]),
                not_found: ctx.t(l, Key::NotFound, &[]),
                not_found_text: ctx.t(l, Key::NotFoundText, &[]),
                go_home: ctx.t(l, Key::GoHome, &[]),
                crisis_heading: ctx.t(l, Key::CrisisHeading, &[]),
                crisis_lines: ctx.crisis_html(l),
            })
            .collect(),
    }
}
