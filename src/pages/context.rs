//! What every page shares: the [`Ctx`] each page kind reads the model through, the
//! per-language values worked out once ([`LangCtx`]), the [`Common`] context every
//! template sees besides `page`, the language switch, and finishing a page into an
//! [`Output`] with its links made relative.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::config::{Config, Lang};
use crate::content::{Meta, ModuleMeta};
use crate::i18n::{Arg, I18n, Key};
use crate::markdown::ROOT;
use crate::partner;
use crate::render::{PrintMargins, Renderer};
use crate::site::{DocId, Site};

use super::{DocHtml, Output, href};

/// One entry of the language switch.
#[derive(Serialize)]
pub struct Alternate {
    code: String,
    name: String,
    url: Option<String>,
    current: bool,
}

/// A titled link, for navigation and contents lists.
#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
struct Org<'a> {
    name: &'a str,
    url: Option<&'a str>,
    phone: Option<&'a str>,
    /// `phone` as a `tel:` address.
    tel: Option<String>,
    email: Option<&'a str>,
    /// The logo's path from the site root (under `static/` in the project).
    logo: Option<&'a str>,
    logo_alt: &'a str,
}

/// A crisis line as templates see it: its parts, and `html`, the line as hearth shows it
/// (label, tap-to-call number, text-message link).
#[derive(Serialize)]
struct Crisis {
    label: String,
    phone: Option<String>,
    url: Option<String>,
    html: String,
}

/// What every page's template sees besides `page`.
#[derive(Serialize)]
struct Common<'a> {
    lang: &'a str,
    root: String,
    site_title: &'a str,
    title: String,
    description: Option<String>,
    /// The page's full address, when `base_url` says where the site lives.
    canonical: Option<String>,
    noindex: bool,
    body_class: String,
    alternates: Vec<Alternate>,
    org: Org<'a>,
    crisis_lines: &'a [Crisis],
    /// The printed page's running header: the site's name, escaped for a CSS string.
    print_title: &'a str,
    /// The printed page's footer, escaped for CSS strings: the crisis lines under their
    /// heading, with each number or address that its label leaves out ...
    print_crisis: &'a str,
    /// ... and the organisation with its phone and email (or web address).
    print_org: &'a str,
    nav: &'a [Link],
    /// A print page's PDF, from the site root, when PDFs are printed with the site.
    pdf: Option<String>,
}

/// Per-language values computed once, not per page.
struct LangCtx {
    print: PrintMargins,
    nav: Vec<Link>,
    crisis_lines: Vec<Crisis>,
}

/// A page ready to render: everything [`Common`] needs that differs from page to page.
pub struct Page {
    /// The output path, relative to the site root.
    pub out: String,
    pub template: &'static str,
    pub title: String,
    pub body_class: String,
    pub alternates: Vec<Alternate>,
    /// For link previews.
    pub description: Option<String>,
    /// Facilitator pages stay out of search engines.
    pub noindex: bool,
}

impl Page {
    /// A page indexed by search engines and without a description, the usual case.
    pub fn new(
        out: String,
        template: &'static str,
        title: String,
        body_class: &str,
        alternates: Vec<Alternate>,
    ) -> Page {
        Page {
            out,
            template,
            title,
            body_class: body_class.to_owned(),
            alternates,
            description: None,
            noindex: false,
        }
    }
}

/// The model, the strings and the templates, as every page kind reads them.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub i18n: &'a I18n,
    pub renderer: &'a Renderer,
    html: &'a [Arc<DocHtml>],
    langs: HashMap<&'a Lang, LangCtx>,
    /// Each language's name in its own language.
    pub names: HashMap<Lang, String>,
}

impl<'a> Ctx<'a> {
    /// Works out the per-language values every page shares.
    pub fn new(
        site: &'a Site,
        i18n: &'a I18n,
        renderer: &'a Renderer,
        html: &'a [Arc<DocHtml>],
    ) -> Ctx<'a> {
        let config = &site.config;
        let names = config
            .languages
            .iter()
            .map(|l| {
                let name = i18n
                    .get(l, Key::LanguageName, &[])
                    .unwrap_or_else(|_| l.to_string());
                (l.clone(), name)
            })
            .collect();
        let langs = config
            .published
            .iter()
            .map(|lang| {
                let lang_ctx = LangCtx {
                    print: PrintMargins::new(config, i18n, lang),
                    nav: nav(site, lang),
                    crisis_lines: crisis_lines(config, i18n, lang),
                };
                (lang, lang_ctx)
            })
            .collect();
        Ctx {
            site,
            config,
            i18n,
            renderer,
            html,
            langs,
            names,
        }
    }

    /// The string `key` in `lang`. `check` fails when a language lacks one, so the key
    /// shown in its place here is never published.
    pub fn t(&self, lang: &Lang, key: Key, args: &[(&str, Arg)]) -> String {
        self.i18n
            .get(lang, key, args)
            .unwrap_or_else(|_| key.as_str().to_owned())
    }

    /// Renders `view` as `page` in `lang`.
    pub fn finish(&self, lang: &Lang, page: Page, view: &impl Serialize) -> Result<Output, String> {
        let out = page.out.clone();
        let template = page.template;
        let html = self
            .renderer
            .render(template, &self.common(lang, page), view);
        output(out, html)
    }

    fn common<'s>(&'s self, lang: &'s Lang, page: Page) -> Common<'s> {
        let lc = &self.langs[lang];
        Common {
            lang: lang.as_str(),
            root: "../".repeat(page.out.matches('/').count()),
            site_title: self.config.title.get(lang),
            title: page.title,
            description: page.description,
            canonical: self
                .config
                .base_url
                .as_ref()
                .map(|base| format!("{base}{}", page.out.trim_end_matches("index.html"))),
            noindex: page.noindex,
            body_class: page.body_class,
            alternates: page.alternates,
            org: Org {
                name: self.config.organization.name.get(lang),
                url: self.config.organization.url.as_deref(),
                phone: self.config.organization.phone.as_deref(),
                tel: self
                    .config
                    .organization
                    .phone
                    .as_deref()
                    .map(partner::tel_href),
                email: self.config.organization.email.as_deref(),
                logo: self.config.organization.logo.as_deref(),
                logo_alt: self.config.organization.logo_alt.get(lang),
            },
            crisis_lines: &lc.crisis_lines,
            print_title: &lc.print.title,
            print_crisis: &lc.print.crisis,
            print_org: &lc.print.org,
            nav: &lc.nav,
            pdf: self
                .config
                .pdf
                .then(|| super::pdf_path(&page.out))
                .flatten(),
        }
    }

    /// The language switch: `url_in(lang)` is the page's counterpart, if there is one.
    pub fn alternates(
        &self,
        current: &Lang,
        url_in: impl Fn(&Lang) -> Option<String>,
    ) -> Vec<Alternate> {
        self.config
            .published
            .iter()
            .map(|l| Alternate {
                code: l.to_string(),
                name: self.names[l].clone(),
                url: url_in(l),
                current: l == current,
            })
            .collect()
    }

    /// A document's participant HTML; empty for a document without that view.
    pub fn participant(&self, id: DocId) -> &'a str {
        self.html[id]
            .participant
            .as_ref()
            .map_or("", |r| r.html.as_str())
    }

    /// A document's facilitator HTML; empty for a document without that view.
    pub fn facilitator(&self, id: DocId) -> &'a str {
        self.html[id]
            .facilitator
            .as_ref()
            .map_or("", |r| r.html.as_str())
    }

    /// A guide's `preparation` as HTML, if it has one.
    pub fn preparation(&self, id: DocId) -> Option<&'a str> {
        self.html[id].preparation.as_ref().map(|r| r.html.as_str())
    }

    /// The front matter of a module's `index.md`.
    pub fn module_meta(&self, id: DocId) -> &'a ModuleMeta {
        match &self.site.docs[id].source.meta {
            Meta::Module(m) => m,
            _ => unreachable!("a module's index is a module document"),
        }
    }

    /// The footer's crisis lines in `lang`, each as HTML.
    pub fn crisis_html(&self, lang: &Lang) -> Vec<String> {
        self.langs
            .get(lang)
            .map(|l| l.crisis_lines.iter().map(|c| c.html.clone()).collect())
            .unwrap_or_default()
    }

    /// Module `m`'s page folder in `lang`, if the module is in that language.
    pub fn module_url(&self, lang: &Lang, m: usize) -> Option<&'a str> {
        let docs = self.site.modules[m].langs.get(lang)?;
        Some(&self.site.docs[docs.index].url)
    }
}

/// The crisis lines in `lang`, for the crisis box and the footer.
fn crisis_lines(config: &Config, i18n: &I18n, lang: &Lang) -> Vec<Crisis> {
    let values = partner::Values { config, lang, i18n };
    config
        .crisis_lines
        .iter()
        .filter(|c| c.footer)
        .map(|c| Crisis {
            label: c.label.get(lang).to_owned(),
            phone: c.phone.clone(),
            url: c.url.clone(),
            html: values.line_html(c, false),
        })
        .collect()
}

/// The footer's links: the plain pages, then the programs that have sessions.
fn nav(site: &Site, lang: &Lang) -> Vec<Link> {
    let mut nav: Vec<Link> = site
        .pages
        .get(lang)
        .into_iter()
        .flatten()
        .map(|&id| Link {
            title: site.docs[id].source.title().unwrap_or_default().to_owned(),
            url: href(&site.docs[id].url),
        })
        .collect();
    for (i, p) in site.config.programs.iter().enumerate() {
        if !site.programs[i].modules.is_empty() {
            nav.push(Link {
                title: p.title.get(lang).to_owned(),
                url: format!("{lang}/programs/{}/index.html", p.id),
            });
        }
    }
    nav
}

/// A rendered page as a file: its site-root marks made into its own way up, so every
/// link is relative and the site works from any folder or from disk.
pub fn output(out: String, html: Result<String, String>) -> Result<Output, String> {
    let html = html.map_err(|e| format!("cannot render `{out}`: {e}"))?;
    let root = "../".repeat(out.matches('/').count());
    let mut bytes = html.replace(ROOT, &root).into_bytes();
    // A build holds every page until it writes them (every edition's, with
    // `--all-editions`): not the room the text grew into as well.
    bytes.shrink_to_fit();
    Ok(Output { bytes, path: out })
}
