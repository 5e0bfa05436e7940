//! Pages: turns the site model into every output page's view and renders it. Markdown
//! is rendered once per document and view, in parallel; pages are then assembled from
//! those fragments, also in parallel, and come back as `(output path, bytes)`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Lang};
use crate::content::{DocKind, Meta};
use crate::diagnostic::Diagnostic;
use crate::i18n::{self, Arg, I18n, Key};
use crate::links::{self, DocResolver};
use crate::markdown::{self, ROOT, RawHtml, Rendered, View};
use crate::render::{BlockLabels, PrintMargins, Renderer, bare_url};
use crate::site::{Agenda, DocId, Module, Site};

/// One file of the output.
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The HTML of every document, in the views it is shown in.
pub struct DocHtml {
    pub participant: Option<Rendered<DocId>>,
    pub facilitator: Option<Rendered<DocId>>,
}

/// Renders every document's Markdown, taking from `reuse` the documents whose HTML is
/// known not to have changed.
pub fn render_docs(
    site: &Site,
    i18n: &I18n,
    reuse: &(dyn Fn(&crate::site::Doc) -> Option<Arc<DocHtml>> + Sync),
) -> Vec<Arc<DocHtml>> {
    site.docs
        .par_iter()
        .map(|doc| {
            if let Some(html) = reuse(doc) {
                return html;
            }
            let resolver = DocResolver { site, doc };
            let labels = BlockLabels {
                i18n,
                lang: &doc.source.lang,
            };
            let raw_html = RawHtml::allowed(site.config.allow_raw_html);
            let render =
                |view| markdown::render(&doc.parsed, doc.loc(), view, &resolver, &labels, raw_html);
            let (participant, facilitator) = match doc.source.kind {
                DocKind::Module { .. } => (true, true),
                DocKind::Guide { .. } => (false, true),
                _ => (true, false),
            };
            Arc::new(DocHtml {
                participant: participant.then(|| render(View::Participant)),
                facilitator: facilitator.then(|| render(View::Facilitator)),
            })
        })
        .collect()
}

/// What rendering found: broken links, and links to anchors other documents lack.
pub fn doc_diagnostics(site: &Site, html: &[Arc<DocHtml>]) -> Vec<Diagnostic> {
    let renderings: Vec<Vec<&Rendered<DocId>>> = html
        .iter()
        .map(|h| h.participant.iter().chain(&h.facilitator).collect())
        .collect();
    links::check(site, &renderings)
}

#[derive(Serialize)]
struct Alternate {
    code: String,
    name: String,
    url: Option<String>,
    current: bool,
}

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Org<'a> {
    name: &'a str,
    url: Option<&'a str>,
    phone: Option<&'a str>,
    email: Option<&'a str>,
}

#[derive(Serialize)]
struct Crisis<'a> {
    label: &'a str,
    phone: Option<&'a str>,
    url: Option<&'a str>,
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
    crisis_lines: Vec<Crisis<'a>>,
    /// The printed page's running header: the site's name, escaped for a CSS string.
    print_title: &'a str,
    /// The printed page's footer, escaped for CSS strings: the crisis lines under their
    /// heading, with each number or address that its label leaves out ...
    print_crisis: &'a str,
    /// ... and the organisation with its phone and email (or web address).
    print_org: &'a str,
    nav: &'a [Link],
}

/// Per-language values computed once, not per page.
struct LangCtx {
    print: PrintMargins,
    nav: Vec<Link>,
}

/// A module as the home page, program pages and neighbours show it.
#[derive(Serialize, Clone)]
struct ModuleCard {
    number: usize,
    title: String,
    summary: String,
    duration: u32,
    url: String,
    guide_url: String,
    /// Set when the card links to another language's page.
    lang: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct HandoutLink {
    title: String,
    url: String,
    lang: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct AgendaView {
    format: Option<String>,
    total: u32,
    rows: Vec<AgendaRowView>,
}

#[derive(Serialize)]
struct AgendaRowView {
    start: String,
    title: String,
    minutes: u32,
    running_total: u32,
}

#[derive(Serialize)]
struct GuideView {
    number: usize,
    title: String,
    summary: String,
    duration: u32,
    agendas: Vec<AgendaView>,
    materials: Vec<String>,
    preparation: Option<String>,
    handouts: Vec<HandoutLink>,
    plan: Option<String>,
    plan_missing: Option<String>,
    module_html: String,
    /// The module's sensitive topics, for the safety reminder.
    topics: Option<String>,
    module_url: String,
    binder_url: String,
    prev: Option<ModuleCard>,
    next: Option<ModuleCard>,
}

#[derive(Serialize)]
struct PacketItem {
    id: String,
    class: &'static str,
    /// For a handout, how many printed pages it must fit.
    pages: Option<u32>,
    kicker: Option<String>,
    title: String,
    html: String,
    sensitive: bool,
    objectives: Vec<String>,
    guide: Option<GuideView>,
}

#[derive(Serialize)]
struct PacketView {
    kicker: String,
    title: String,
    summary: Option<String>,
    contents: Vec<Link>,
    items: Vec<PacketItem>,
}

/// A page to render: its output path and how to make it.
enum Job<'a> {
    Home(&'a Lang),
    Module(&'a Lang, usize),
    Guide(&'a Lang, usize),
    Handout(&'a Lang, usize, DocId),
    Packet(&'a Lang, usize),
    AllHandouts(&'a Lang),
    Binder(&'a Lang, Option<usize>),
    Program(&'a Lang, usize),
    Page(&'a Lang, DocId),
}

struct Ctx<'a> {
    site: &'a Site,
    config: &'a Config,
    i18n: &'a I18n,
    renderer: &'a Renderer,
    html: &'a [Arc<DocHtml>],
    langs: HashMap<&'a Lang, LangCtx>,
    /// Each language's name in its own language.
    names: HashMap<Lang, String>,
}

/// Renders every page of the site.
/// Renders the site's pages: all of them, or with `only`, those that show any of the
/// given documents' text.
pub fn render_pages(
    site: &Site,
    i18n: &I18n,
    renderer: &Renderer,
    html: &[Arc<DocHtml>],
    only: Option<&HashSet<DocId>>,
) -> Result<Vec<Output>, String> {
    let config = &site.config;
    let names: HashMap<Lang, String> = config
        .languages
        .iter()
        .map(|l| {
            (
                l.clone(),
                i18n.get(l, Key::LanguageName, &[])
                    .unwrap_or_else(|_| l.to_string()),
            )
        })
        .collect();
    let langs = config
        .languages
        .iter()
        .map(|lang| {
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
            for (i, p) in config.programs.iter().enumerate() {
                if !site.programs[i].modules.is_empty() {
                    nav.push(Link {
                        title: p.title.get(lang).to_owned(),
                        url: format!("{lang}/programs/{}/index.html", p.id),
                    });
                }
            }
            (
                lang,
                LangCtx {
                    print: PrintMargins::new(config, i18n, lang),
                    nav,
                },
            )
        })
        .collect();
    let ctx = Ctx {
        site,
        config,
        i18n,
        renderer,
        html,
        langs,
        names,
    };
    let mut jobs = Vec::new();
    for lang in &config.languages {
        jobs.push(Job::Home(lang));
        jobs.push(Job::AllHandouts(lang));
        jobs.push(Job::Binder(lang, None));
        for (m, module) in site.modules.iter().enumerate() {
            let Some(docs) = module.langs.get(lang) else {
                continue;
            };
            jobs.push(Job::Module(lang, m));
            jobs.push(Job::Guide(lang, m));
            jobs.push(Job::Packet(lang, m));
            for &h in &docs.handouts {
                jobs.push(Job::Handout(lang, m, h));
            }
        }
        for (p, program) in site.programs.iter().enumerate() {
            if !program.modules.is_empty() {
                jobs.push(Job::Program(lang, p));
                jobs.push(Job::Binder(lang, Some(p)));
            }
        }
        for &id in site.pages.get(lang).into_iter().flatten() {
            jobs.push(Job::Page(lang, id));
        }
    }
    if let Some(only) = only {
        jobs.retain(|job| ctx.shows(job).iter().any(|d| only.contains(d)));
    }
    let mut outputs: Vec<Output> = jobs
        .par_iter()
        .map(|job| ctx.render(job))
        .collect::<Result<_, _>>()?;
    if only.is_none() {
        outputs.extend(ctx.root_pages()?);
    }
    Ok(outputs)
}

/// Whether the site gets a `sitemap.xml`: only with a `base_url`, since the sitemaps
/// protocol allows only absolute addresses.
pub fn has_sitemap(config: &Config) -> bool {
    config.base_url.is_some()
}

/// A page's link: its folder plus `index.html`, so the site also works from disk.
fn href(url: &str) -> String {
    format!("{url}index.html")
}

fn minutes_clock(m: u32) -> String {
    format!("{}:{:02}", m / 60, m % 60)
}

impl<'a> Ctx<'a> {
    /// The documents whose text (not just title) a page shows.
    fn shows(&self, job: &Job) -> Vec<DocId> {
        let site = self.site;
        let module_docs = |lang: &Lang, m: usize, handouts: bool| -> Vec<DocId> {
            let Some(d) = site.modules[m].langs.get(lang) else {
                return Vec::new();
            };
            let mut ids = vec![d.index];
            if handouts {
                ids.extend(&d.handouts);
            } else {
                ids.extend(d.guide);
            }
            ids
        };
        match *job {
            Job::Home(lang) => site.homes.get(lang).copied().into_iter().collect(),
            Job::Module(lang, m) => vec![site.modules[m].langs[lang].index],
            Job::Guide(lang, m) => module_docs(lang, m, false),
            Job::Handout(_, _, h) | Job::Page(_, h) => vec![h],
            Job::Packet(lang, m) => module_docs(lang, m, true),
            Job::AllHandouts(lang) => site
                .modules
                .iter()
                .filter_map(|m| m.langs.get(lang))
                .flat_map(|d| d.handouts.iter().copied())
                .collect(),
            Job::Binder(lang, program) => {
                let modules: Vec<usize> = match program {
                    None => (0..site.modules.len()).collect(),
                    Some(p) => site.programs[p].modules.clone(),
                };
                modules
                    .into_iter()
                    .flat_map(|m| module_docs(lang, m, false))
                    .collect()
            }
            Job::Program(..) => Vec::new(),
        }
    }

    /// The string `key` in `lang`. `check` fails when a language lacks one, so the key
    /// shown in its place here is never published.
    fn t(&self, lang: &Lang, key: Key, args: &[(&str, Arg)]) -> String {
        self.i18n
            .get(lang, key, args)
            .unwrap_or_else(|_| key.as_str().to_owned())
    }

    fn common(
        &self,
        lang: &'a Lang,
        out: &str,
        title: String,
        body_class: &str,
        alternates: Vec<Alternate>,
    ) -> Common<'_> {
        let lc = &self.langs[lang];
        let depth = out.matches('/').count();
        Common {
            lang: lang.as_str(),
            root: "../".repeat(depth),
            site_title: self.config.title.get(lang),
            title,
            description: None,
            canonical: self
                .config
                .base_url
                .as_ref()
                .map(|base| format!("{base}{}", out.trim_end_matches("index.html"))),
            noindex: false,
            body_class: body_class.to_owned(),
            alternates,
            org: Org {
                name: self.config.organization.name.get(lang),
                url: self.config.organization.url.as_deref(),
                phone: self.config.organization.phone.as_deref(),
                email: self.config.organization.email.as_deref(),
            },
            crisis_lines: self
                .config
                .crisis_lines
                .iter()
                .map(|c| Crisis {
                    label: c.label.get(lang),
                    phone: c.phone.as_deref(),
                    url: c.url.as_deref(),
                })
                .collect(),
            print_title: &lc.print.title,
            print_crisis: &lc.print.crisis,
            print_org: &lc.print.org,
            nav: &lc.nav,
        }
    }

    /// The language switch: `url_in(lang)` is the page's counterpart, if there is one.
    fn alternates(
        &self,
        current: &Lang,
        url_in: impl Fn(&Lang) -> Option<String>,
    ) -> Vec<Alternate> {
        let names = &self.names;
        self.config
            .languages
            .iter()
            .map(|l| Alternate {
                code: l.to_string(),
                name: names[l].clone(),
                url: url_in(l),
                current: l == current,
            })
            .collect()
    }

    fn finish(&self, out: String, html: Result<String, String>) -> Result<Output, String> {
        let html = html.map_err(|e| format!("cannot render `{out}`: {e}"))?;
        let root = "../".repeat(out.matches('/').count());
        Ok(Output {
            bytes: html.replace(ROOT, &root).into_bytes(),
            path: out,
        })
    }

    fn participant(&self, id: DocId) -> &str {
        self.html[id]
            .participant
            .as_ref()
            .map_or("", |r| r.html.as_str())
    }

    fn facilitator(&self, id: DocId) -> &str {
        self.html[id]
            .facilitator
            .as_ref()
            .map_or("", |r| r.html.as_str())
    }

    fn module_meta(&self, id: DocId) -> &'a crate::content::ModuleMeta {
        match &self.site.docs[id].source.meta {
            Meta::Module(m) => m,
            _ => unreachable!("a module's index is a module document"),
        }
    }

    fn slug_url(&self, lang: &Lang, m: usize) -> Option<&'a str> {
        let docs = self.site.modules[m].langs.get(lang)?;
        Some(&self.site.docs[docs.index].url)
    }

    /// A module as a card in `lang`, falling back to the source language.
    fn card(&self, lang: &Lang, m: usize) -> Option<ModuleCard> {
        let module: &Module = &self.site.modules[m];
        let source = self.config.source_lang();
        let (shown, docs) = match module.langs.get(lang) {
            Some(d) => (lang, d),
            None => (source, module.langs.get(source)?),
        };
        let meta = self.module_meta(docs.index);
        let url = &self.site.docs[docs.index].url;
        let fallback = shown != lang;
        Some(ModuleCard {
            number: module.number,
            title: meta.title.clone(),
            summary: meta.summary.clone(),
            duration: meta.duration,
            url: href(url),
            guide_url: format!("{url}facilitator/index.html"),
            lang: fallback.then(|| shown.to_string()),
            note: fallback.then(|| {
                let names = &self.names;
                self.t(
                    lang,
                    Key::ModuleNotTranslated,
                    &[
                        ("language", Arg::Str(&names[lang])),
                        ("source", Arg::Str(&names[shown])),
                    ],
                )
            }),
        })
    }

    fn handout_links(&self, lang: &Lang, m: usize) -> Vec<HandoutLink> {
        let module = &self.site.modules[m];
        let source = self.config.source_lang();
        let Some(docs) = module.langs.get(lang) else {
            return Vec::new();
        };
        let link = |h: DocId, note: Option<String>| HandoutLink {
            title: self.site.docs[h]
                .source
                .title()
                .unwrap_or_default()
                .to_owned(),
            url: href(&self.site.docs[h].url),
            lang: note.is_some().then(|| source.to_string()),
            note,
        };
        let mut links: Vec<HandoutLink> = docs.handouts.iter().map(|&h| link(h, None)).collect();
        // Handouts not yet translated are still offered, in the source language.
        if lang != source
            && let Some(src) = module.langs.get(source)
        {
            for &h in &src.handouts {
                if self.site.counterpart(h, lang).is_none() {
                    let note = self.t(
                        lang,
                        Key::OnlyIn,
                        &[("language", Arg::Str(&self.names[source]))],
                    );
                    links.push(link(h, Some(note)));
                }
            }
        }
        links
    }

    fn neighbours(
        &self,
        lang: &Lang,
        m: usize,
        guide: bool,
    ) -> (Option<ModuleCard>, Option<ModuleCard>) {
        let pick = |i: usize| {
            self.card(lang, i).map(|mut c| {
                if guide {
                    c.url = c.guide_url.clone();
                }
                c
            })
        };
        let prev = m.checked_sub(1).and_then(pick);
        let next = (m + 1 < self.site.modules.len())
            .then(|| pick(m + 1))
            .flatten();
        (prev, next)
    }

    fn guide_view(&self, lang: &Lang, m: usize) -> GuideView {
        let module = &self.site.modules[m];
        let docs = &module.langs[lang];
        let meta = self.module_meta(docs.index);
        let guide_meta = docs
            .guide
            .and_then(|g| match &self.site.docs[g].source.meta {
                Meta::Guide(gm) => Some(gm),
                _ => None,
            });
        let source = self.config.source_lang();
        let plan_missing = (docs.guide.is_none()
            && module.langs.get(source).is_some_and(|s| s.guide.is_some())
            && lang != source)
            .then(|| {
                let names = &self.names;
                self.t(
                    lang,
                    Key::GuideMissing,
                    &[("language", Arg::Str(&names[lang]))],
                )
            });
        let (prev, next) = self.neighbours(lang, m, true);
        let url = &self.site.docs[docs.index].url;
        GuideView {
            number: module.number,
            title: meta.title.clone(),
            summary: meta.summary.clone(),
            duration: meta.duration,
            agendas: docs
                .agendas
                .iter()
                .map(|a| self.agenda_view(lang, a))
                .collect(),
            materials: guide_meta.map(|g| g.materials.clone()).unwrap_or_default(),
            preparation: guide_meta
                .and_then(|g| g.preparation.as_deref())
                .map(|text| {
                    inline_markdown(text, RawHtml::allowed(self.site.config.allow_raw_html))
                }),
            handouts: self.handout_links(lang, m),
            plan: docs.guide.map(|g| self.facilitator(g).to_owned()),
            plan_missing,
            module_html: self.facilitator(docs.index).to_owned(),
            topics: (!meta.sensitive_topics.is_empty()).then(|| {
                // Each topic's name is a string (`topic-self-harm`) that `check` makes sure
                // every language using it has; as written is only the fall-back.
                let names: Vec<String> = meta
                    .sensitive_topics
                    .iter()
                    .map(|t| {
                        self.i18n
                            .message(lang, &i18n::topic_id(t), &[])
                            .unwrap_or_else(|_| t.clone())
                    })
                    .collect();
                names.join(", ")
            }),
            module_url: href(url),
            binder_url: format!("{lang}/print/facilitator/index.html"),
            prev,
            next,
        }
    }

    fn agenda_view(&self, lang: &Lang, agenda: &Agenda) -> AgendaView {
        AgendaView {
            format: agenda.format.map(|f| self.t(lang, Key::format(f), &[])),
            total: agenda.total,
            rows: agenda
                .rows
                .iter()
                .map(|r| AgendaRowView {
                    start: minutes_clock(r.start),
                    title: r.title.clone(),
                    minutes: r.minutes,
                    running_total: r.running_total,
                })
                .collect(),
        }
    }

    fn handout_item(&self, lang: &Lang, m: usize, h: DocId) -> PacketItem {
        let doc = &self.site.docs[h];
        let module_title = &self
            .module_meta(self.site.modules[m].langs[lang].index)
            .title;
        let (kind, pages) = match &doc.source.meta {
            Meta::Handout(meta) => (handout_kind_label(self, lang, meta.kind), Some(meta.pages)),
            _ => (String::new(), None),
        };
        PacketItem {
            id: format!(
                "h-{}-{}",
                self.site.modules[m].number,
                bare_url(&doc.url).rsplit('/').next().unwrap_or("")
            ),
            class: "packet-handout handout",
            pages,
            kicker: Some(format!("{kind} · {module_title}")),
            title: doc.source.title().unwrap_or_default().to_owned(),
            html: self.participant(h).to_owned(),
            sensitive: false,
            objectives: Vec::new(),
            guide: None,
        }
    }

    fn render(&self, job: &Job<'a>) -> Result<Output, String> {
        let site = self.site;
        match *job {
            Job::Home(lang) => {
                let out = format!("{lang}/index.html");
                let home = site.homes.get(lang).copied();
                let title = home
                    .and_then(|h| site.docs[h].source.title())
                    .unwrap_or(self.config.title.get(lang))
                    .to_owned();
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
                let page = Home {
                    title: title.clone(),
                    html: home.map(|h| self.participant(h).to_owned()),
                    modules: (0..site.modules.len())
                        .filter_map(|m| self.card(lang, m))
                        .collect(),
                    programs: site
                        .programs
                        .iter()
                        .zip(&self.config.programs)
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
                let alternates = self.alternates(lang, |l| Some(format!("{l}/index.html")));
                let common = self.common(lang, &out, title, "home", alternates);
                self.finish(out, self.renderer.render("home.html", &common, &page))
            }
            Job::Module(lang, m) => {
                let docs = &site.modules[m].langs[lang];
                let doc = &site.docs[docs.index];
                let out = href(&doc.url);
                let meta = self.module_meta(docs.index);
                #[derive(Serialize)]
                struct ModulePage<'x> {
                    number: usize,
                    title: &'x str,
                    summary: &'x str,
                    duration: u32,
                    objectives: &'x [String],
                    sensitive: bool,
                    html: &'x str,
                    handouts: Vec<HandoutLink>,
                    packet_url: String,
                    guide_url: String,
                    prev: Option<ModuleCard>,
                    next: Option<ModuleCard>,
                }
                let (prev, next) = self.neighbours(lang, m, false);
                let slug = doc.url.trim_start_matches(&format!("{lang}/"));
                let page = ModulePage {
                    number: site.modules[m].number,
                    title: &meta.title,
                    summary: &meta.summary,
                    duration: meta.duration,
                    objectives: &meta.objectives,
                    sensitive: !meta.sensitive_topics.is_empty(),
                    html: self.participant(docs.index),
                    handouts: self.handout_links(lang, m),
                    packet_url: format!("{lang}/print/{slug}index.html"),
                    guide_url: format!("{}facilitator/index.html", doc.url),
                    prev,
                    next,
                };
                let alternates = self.alternates(lang, |l| self.slug_url(l, m).map(href));
                let mut common = self.common(lang, &out, meta.title.clone(), "module", alternates);
                common.description = Some(meta.summary.clone());
                self.finish(out, self.renderer.render("module.html", &common, &page))
            }
            Job::Guide(lang, m) => {
                let url = self
                    .slug_url(lang, m)
                    .expect("module exists in this language");
                let out = format!("{url}facilitator/index.html");
                let page = self.guide_view(lang, m);
                let title = self.t(
                    lang,
                    Key::FacilitatorGuideTitle,
                    &[("title", Arg::Str(&page.title))],
                );
                let alternates = self.alternates(lang, |l| {
                    self.slug_url(l, m)
                        .map(|u| format!("{u}facilitator/index.html"))
                });
                let mut common = self.common(lang, &out, title, "guide", alternates);
                common.noindex = true;
                self.finish(out, self.renderer.render("guide.html", &common, &page))
            }
            Job::Handout(lang, m, h) => {
                let doc = &site.docs[h];
                let out = href(&doc.url);
                let module_doc = site.modules[m].langs[lang].index;
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
                let Meta::Handout(meta) = &doc.source.meta else {
                    unreachable!("a handout document")
                };
                let kind = meta.kind.name();
                let page = HandoutPage {
                    title: doc.source.title().unwrap_or_default(),
                    pages: meta.pages,
                    kind,
                    kind_label: handout_kind_label(self, lang, meta.kind),
                    module_title: &self.module_meta(module_doc).title,
                    module_url: href(&site.docs[module_doc].url),
                    html: self.participant(h),
                };
                let alternates = self.alternates(lang, |l| {
                    site.counterpart(h, l).map(|c| href(&site.docs[c].url))
                });
                let common = self.common(
                    lang,
                    &out,
                    page.title.to_owned(),
                    &format!("handout kind-{kind}"),
                    alternates,
                );
                self.finish(out, self.renderer.render("handout.html", &common, &page))
            }
            Job::Packet(lang, m) => {
                let docs = &site.modules[m].langs[lang];
                let url = &site.docs[docs.index].url;
                let slug = url.trim_start_matches(&format!("{lang}/"));
                let out = format!("{lang}/print/{slug}index.html");
                let meta = self.module_meta(docs.index);
                let mut items = vec![PacketItem {
                    id: "session".into(),
                    class: "packet-module",
                    pages: None,
                    kicker: Some(self.t(
                        lang,
                        Key::SessionNumber,
                        &[("n", Arg::Number(site.modules[m].number as i64))],
                    )),
                    title: meta.title.clone(),
                    html: self.participant(docs.index).to_owned(),
                    sensitive: !meta.sensitive_topics.is_empty(),
                    objectives: meta.objectives.clone(),
                    guide: None,
                }];
                items.extend(docs.handouts.iter().map(|&h| self.handout_item(lang, m, h)));
                let page = PacketView {
                    kicker: self.t(lang, Key::SessionPacket, &[]),
                    title: meta.title.clone(),
                    summary: Some(meta.summary.clone()),
                    contents: items
                        .iter()
                        .map(|i| Link {
                            title: i.title.clone(),
                            url: i.id.clone(),
                        })
                        .collect(),
                    items,
                };
                let alternates = self.alternates(lang, |l| {
                    self.slug_url(l, m).map(|u| {
                        format!(
                            "{l}/print/{}index.html",
                            u.trim_start_matches(&format!("{l}/"))
                        )
                    })
                });
                let common = self.common(lang, &out, meta.title.clone(), "packet", alternates);
                self.finish(
                    out,
                    self.renderer
                        .render("packet.html", &common, &packet_contents(page)),
                )
            }
            Job::AllHandouts(lang) => {
                let out = format!("{lang}/print/handouts/index.html");
                let mut items = Vec::new();
                for (m, module) in site.modules.iter().enumerate() {
                    if let Some(docs) = module.langs.get(lang) {
                        items.extend(docs.handouts.iter().map(|&h| self.handout_item(lang, m, h)));
                    }
                }
                let title = self.t(lang, Key::AllHandoutsTitle, &[]);
                let page = PacketView {
                    kicker: self.config.title.get(lang).to_owned(),
                    title: title.clone(),
                    summary: None,
                    contents: Vec::new(),
                    items,
                };
                let alternates =
                    self.alternates(lang, |l| Some(format!("{l}/print/handouts/index.html")));
                let common = self.common(lang, &out, title, "packet", alternates);
                self.finish(
                    out,
                    self.renderer
                        .render("packet.html", &common, &packet_contents(page)),
                )
            }
            Job::Binder(lang, program) => {
                let (out, title, modules): (String, String, Vec<usize>) = match program {
                    None => (
                        format!("{lang}/print/facilitator/index.html"),
                        self.t(lang, Key::BinderTitle, &[]),
                        (0..site.modules.len()).collect(),
                    ),
                    Some(p) => (
                        format!("{lang}/print/programs/{}/index.html", site.programs[p].id),
                        self.t(
                            lang,
                            Key::ProgramBinderTitle,
                            &[("title", Arg::Str(self.config.programs[p].title.get(lang)))],
                        ),
                        site.programs[p].modules.clone(),
                    ),
                };
                let items = modules
                    .iter()
                    .filter(|&&m| site.modules[m].langs.contains_key(lang))
                    .map(|&m| {
                        let guide = self.guide_view(lang, m);
                        PacketItem {
                            id: format!("session-{}", site.modules[m].number),
                            class: "packet-guide",
                            pages: None,
                            kicker: Some(format!(
                                "{} · {}",
                                self.t(
                                    lang,
                                    Key::SessionNumber,
                                    &[("n", Arg::Number(guide.number as i64))]
                                ),
                                self.t(
                                    lang,
                                    Key::Minutes,
                                    &[("n", Arg::Number(guide.duration.into()))]
                                )
                            )),
                            title: guide.title.clone(),
                            html: String::new(),
                            sensitive: false,
                            objectives: Vec::new(),
                            guide: Some(guide),
                        }
                    })
                    .collect();
                let page = PacketView {
                    kicker: self.t(lang, Key::ForFacilitators, &[]),
                    title: title.clone(),
                    summary: None,
                    contents: Vec::new(),
                    items,
                };
                let rel = out.trim_start_matches(&format!("{lang}/")).to_owned();
                let alternates = self.alternates(lang, |l| Some(format!("{l}/{rel}")));
                let mut common = self.common(lang, &out, title, "packet guide", alternates);
                common.noindex = true;
                self.finish(
                    out,
                    self.renderer
                        .render("packet.html", &common, &packet_contents(page)),
                )
            }
            Job::Program(lang, p) => {
                let program = &site.programs[p];
                let out = format!("{lang}/programs/{}/index.html", program.id);
                let title = self.config.programs[p].title.get(lang).to_owned();
                #[derive(Serialize)]
                struct ProgramPage {
                    title: String,
                    modules: Vec<ModuleCard>,
                    binder_url: String,
                }
                let page = ProgramPage {
                    title: title.clone(),
                    modules: program
                        .modules
                        .iter()
                        .filter_map(|&m| self.card(lang, m))
                        .collect(),
                    binder_url: format!("{lang}/print/programs/{}/index.html", program.id),
                };
                let alternates = self.alternates(lang, |l| {
                    Some(format!("{l}/programs/{}/index.html", program.id))
                });
                let common = self.common(lang, &out, title, "program", alternates);
                self.finish(out, self.renderer.render("program.html", &common, &page))
            }
            Job::Page(lang, id) => {
                let doc = &site.docs[id];
                let out = href(&doc.url);
                #[derive(Serialize)]
                struct PlainPage<'x> {
                    title: &'x str,
                    html: &'x str,
                }
                let page = PlainPage {
                    title: doc.source.title().unwrap_or_default(),
                    html: self.participant(id),
                };
                let alternates = self.alternates(lang, |l| {
                    site.counterpart(id, l).map(|c| href(&site.docs[c].url))
                });
                let common = self.common(lang, &out, page.title.to_owned(), "page", alternates);
                self.finish(out, self.renderer.render("page.html", &common, &page))
            }
        }
    }

    /// The language chooser, the 404 page and, when the site has a `base_url`, the sitemap.
    fn root_pages(&self) -> Result<Vec<Output>, String> {
        #[derive(Serialize)]
        struct Choice {
            code: String,
            site_title: String,
            url: String,
            enter: String,
            not_found: String,
            not_found_text: String,
            go_home: String,
        }
        #[derive(Serialize)]
        struct RootPage {
            lang: String,
            root: String,
            site_title: String,
            choices: Vec<Choice>,
        }
        let make = |root: &str| RootPage {
            lang: self.config.source_lang().to_string(),
            root: root.to_owned(),
            site_title: self.config.title.get(self.config.source_lang()).to_owned(),
            choices: self
                .config
                .languages
                .iter()
                .map(|l| Choice {
                    code: l.to_string(),
                    site_title: self.config.title.get(l).to_owned(),
                    url: format!("{l}/index.html"),
                    enter: self.t(l, Key::EnterSite, &[]),
                    not_found: self.t(l, Key::NotFound, &[]),
                    not_found_text: self.t(l, Key::NotFoundText, &[]),
                    go_home: self.t(l, Key::GoHome, &[]),
                })
                .collect(),
        };
        let mut outputs = vec![self.finish(
            "index.html".into(),
            self.renderer.render_plain("chooser.html", &make("")),
        )?];
        // The 404 page is served from any address, so it links absolutely when it can.
        let root_404 = self.config.base_url.clone().unwrap_or_default();
        outputs.push(self.finish(
            "404.html".into(),
            self.renderer.render_plain("404.html", &make(&root_404)),
        )?);
        if let Some(base) = &self.config.base_url {
            outputs.push(Output {
                path: "sitemap.xml".into(),
                bytes: self.sitemap(base).into_bytes(),
            });
        }
        Ok(outputs)
    }

    /// The sitemap, with every address made absolute by `base`.
    fn sitemap(&self, base: &str) -> String {
        let site = self.site;
        let mut groups: Vec<Vec<(Lang, String)>> = Vec::new();
        groups.push(
            self.config
                .languages
                .iter()
                .map(|l| (l.clone(), format!("{l}/")))
                .collect(),
        );
        let mut seen = std::collections::HashSet::new();
        for (id, doc) in site.docs.iter().enumerate() {
            if matches!(doc.source.kind, DocKind::Guide { .. } | DocKind::Home)
                || !seen.insert(&doc.source.path)
            {
                continue;
            }
            let group = self
                .config
                .languages
                .iter()
                .filter_map(|l| {
                    site.counterpart(id, l)
                        .map(|c| (l.clone(), site.docs[c].url.clone()))
                })
                .collect();
            groups.push(group);
        }
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for group in groups {
            for (_, url) in &group {
                xml.push_str(&format!(
                    "<url><loc>{}</loc>",
                    markdown::escape(&format!("{base}{url}"))
                ));
                if group.len() > 1 {
                    for (l, u) in &group {
                        xml.push_str(&format!(
                            "<xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>",
                            markdown::escape(&format!("{base}{u}"))
                        ));
                    }
                }
                xml.push_str("</url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

fn handout_kind_label(ctx: &Ctx, lang: &Lang, kind: crate::content::HandoutKind) -> String {
    ctx.t(lang, Key::handout_kind(kind), &[])
}

/// Contents links point at the items' ids.
fn packet_contents(mut page: PacketView) -> PacketView {
    if page.contents.is_empty() {
        page.contents = page
            .items
            .iter()
            .map(|i| Link {
                title: i.title.clone(),
                url: i.id.clone(),
            })
            .collect();
    }
    page
}

/// Markdown in a front-matter string (a guide's `preparation`): no blocks, no links to
/// resolve, so plain CommonMark is enough; its HTML is cleaned as a body's is.
fn inline_markdown(text: &str, raw_html: RawHtml) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
    if raw_html == RawHtml::Trust {
        html
    } else {
        markdown::safe::clean(&html)
    }
}
