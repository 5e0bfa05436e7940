//! Rendering: the one place that talks to Tera. Templates get the `t(k="key", n=3)`
//! function for interface strings in the page's language (`lang` in the context); a
//! missing string fails the render with the template's location.

use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::config::Lang;
use crate::i18n::{Arg, I18n};
use crate::markdown::{BlockName, Format, Labels};
use crate::theme::Theme;

/// Templates ready to render, sharing the strings.
pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    /// Compiles the theme's templates.
    pub fn new(theme: &Theme, i18n: Arc<I18n>) -> Result<Renderer, String> {
        let mut tera = Tera::new();
        tera.register_function(
            "t",
            move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
                let lang: String = state.get("lang")?.unwrap_or_default();
                let key: String = kwargs.must_get("k")?;
                let mut args: Vec<(String, tera::Value)> = Vec::new();
                for (name, value) in kwargs.iter() {
                    if name.as_str() != Some("k") {
                        args.push((name.to_string(), value.clone()));
                    }
                }
                let args: Vec<(&str, Arg)> = args
                    .iter()
                    .map(|(name, value)| {
                        let arg = match (value.as_i64(), value.as_str()) {
                            (Some(n), _) => Arg::Number(n),
                            (None, Some(s)) => Arg::Str(s),
                            (None, None) => Arg::Str(""),
                        };
                        (name.as_str(), arg)
                    })
                    .collect();
                i18n.get(&Lang::new(lang), &key, &args)
                    .map_err(tera::Error::message)
            },
        );
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        )
        .map_err(|e| error_text(&e))?;
        Ok(Renderer { tera })
    }

    /// Renders `template` with `common` and `page` in the context.
    pub fn render(
        &self,
        template: &str,
        common: &impl Serialize,
        page: &impl Serialize,
    ) -> Result<String, String> {
        let mut context = Context::from_serialize(common).map_err(|e| error_text(&e))?;
        context.insert("page", page);
        self.tera
            .render(template, &context)
            .map_err(|e| error_text(&e))
    }

    /// Renders a template that takes only `context`.
    pub fn render_plain(&self, template: &str, context: &impl Serialize) -> Result<String, String> {
        let context = Context::from_serialize(context).map_err(|e| error_text(&e))?;
        self.tera
            .render(template, &context)
            .map_err(|e| error_text(&e))
    }
}

fn error_text(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str("\n  caused by: ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Block labels in one language, for the Markdown renderer.
pub struct BlockLabels<'a> {
    pub i18n: &'a I18n,
    pub lang: &'a Lang,
}

impl BlockLabels<'_> {
    fn get(&self, key: &str, args: &[(&str, Arg)]) -> String {
        // Missing strings are reported once by the string check; show the key meanwhile.
        self.i18n
            .get(self.lang, key, args)
            .unwrap_or_else(|_| key.to_owned())
    }
}

impl Labels for BlockLabels<'_> {
    fn block(&self, name: BlockName) -> String {
        self.get(&format!("block-{}", name.as_str()), &[])
    }
    fn format(&self, format: Format) -> String {
        self.get(&format!("format-{}", format.as_str()), &[])
    }
    fn minutes(&self, minutes: u32) -> String {
        self.get("minutes", &[("n", Arg::Number(minutes.into()))])
    }
    fn write_here(&self) -> String {
        self.get("write-here", &[])
    }
}

/// Every interface string the Rust code asks for outside templates.
pub const CODE_KEYS: &[&str] = &[
    "language-name",
    "enter-site",
    "not-found",
    "not-found-text",
    "go-home",
    "minutes",
    "block-facilitator",
    "block-say",
    "block-adapt",
    "block-activity",
    "block-discussion",
    "block-practice",
    "block-tip",
    "block-note",
    "block-warning",
    "block-lines",
    "format-in-person",
    "format-virtual",
    "write-here",
    "handout-worksheet",
    "handout-tip-sheet",
    "handout-reflection",
    "handout-reference",
];

/// The keys a template asks for with `t(k="…")`.
pub fn template_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for part in text.split("t(k=").skip(1) {
        let quote = part.chars().next();
        if let Some(q @ ('"' | '\'')) = quote
            && let Some(end) = part[1..].find(q)
        {
            keys.push(part[1..=end].to_owned());
        }
    }
    keys
}
