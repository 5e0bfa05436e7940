//! The `404.html` page, in every language at once, like the chooser.

use super::Output;
use super::chooser;
use super::context::{Ctx, output};

/// The 404 page. A server shows it at any address, so its links are absolute when the
/// site's `base_url` is known; otherwise they go from the root.
pub fn render(ctx: &Ctx) -> Result<Output, String> {
    let root = ctx.config.base_url.clone().unwrap_or_default();
    let html = ctx
        .renderer
        .render_plain("404.html", &chooser::view(ctx, &root));
    output("404.html".into(), html)
}
