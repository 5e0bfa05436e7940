//! What rendering a document asked of its site, so another site can tell whether the
//! same document would render to the same HTML there (the editions of one
//! `--all-editions` run).
//!
//! Markdown is a pure leaf: a document's HTML is a function of its source (and parse),
//! the view, the raw-HTML choice, and the answers its [`Resolver`] and [`Labels`] give.
//! [`Recorder`] wraps both and writes every question down with its answer; [`reuse_in`]
//! asks the same questions of another site and reuses the HTML only when every answer
//! is the same. Rendering is deterministic, so the same answers make it ask the same
//! questions again, and the same HTML comes out.
//!
//! Answers naming a document compare by its language and path, not its [`DocId`], which
//! differs between sites that leave out different modules; the HTML's links to anchors
//! are then renumbered for the other site.

use std::cell::RefCell;
use std::sync::Arc;

use crate::config::Lang;
use crate::content::DocPath;
use crate::i18n::I18n;
use crate::links::DocResolver;
use crate::markdown::{
    BlockName, Format, Labels, Parsed, Picture, RawHtml, Rendered, Resolver, Target,
};
use crate::render::BlockLabels;
use crate::site::{DocId, Site};

use super::DocHtml;

/// A document as any site names it.
type Key = (Lang, DocPath);

/// A resolved link as any site names it: URL, document, edition file, picture.
type Answer = (String, Option<Key>, Option<String>, Option<Picture>);

/// One question a render asked, with the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Question {
    /// A link's path, and its target: the URL, the document (by key), whether it is
    /// outside the edition and a picture's copies; or the hint of a broken link.
    Resolve(String, Result<Answer, String>),
    ExamplePicture(Option<String>),
    ExampleDocument(Option<String>),
    Block(BlockName, String),
    Format(Format, String),
    Minutes(u32, String),
    WriteHere(String),
    NotInProgram(String),
    Value(String, bool, Result<Option<String>, String>),
    CrisisLines(String),
}

/// Everything a document's HTML was made from besides its source.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The parse it was rendered from: a site's document with this very parse has the
    /// same text (see `site::build_reusing`).
    parsed: Arc<Parsed>,
    raw_html: RawHtml,
    /// Each question once, in the order first asked.
    questions: Vec<Question>,
    /// Every document id in the HTML's anchor links (its own among them, for a guide's
    /// preparation), with the key it stands for.
    ids: Vec<(DocId, Key)>,
}

/// A [`DocResolver`] and [`BlockLabels`] that note every question and answer.
pub(super) struct Recorder<'a> {
    pub resolver: DocResolver<'a>,
    pub labels: BlockLabels<'a>,
    questions: RefCell<Vec<Question>>,
}

impl<'a> Recorder<'a> {
    /// Records the questions asked of the document `id` of `site`.
    pub fn new(site: &'a Site, id: DocId, i18n: &'a I18n) -> Recorder<'a> {
        let doc = &site.docs[id];
        Recorder {
            resolver: DocResolver { site, doc },
            labels: BlockLabels {
                i18n,
                lang: &doc.source.lang,
                config: &site.config,
            },
            questions: RefCell::new(Vec::new()),
        }
    }

    fn note(&self, q: Question) {
        let mut questions = self.questions.borrow_mut();
        if !questions.contains(&q) {
            questions.push(q);
        }
    }

    /// What was asked, for the renderings made with `raw_html`.
    pub fn asked(self, renderings: [&Option<Rendered<DocId>>; 3], raw_html: RawHtml) -> Asked {
        let site = self.resolver.site;
        let mut ids: Vec<(DocId, Key)> = Vec::new();
        for link in renderings
            .iter()
            .copied()
            .flatten()
            .flat_map(|r| &r.anchor_links)
        {
            if !ids.iter().any(|(id, _)| *id == link.doc) {
                ids.push((link.doc, key(site, link.doc)));
            }
        }
        Asked {
            parsed: self.resolver.doc.parsed.clone(),
            raw_html,
            questions: self.questions.into_inner(),
            ids,
        }
    }
}

/// A document's language and path.
fn key(site: &Site, id: DocId) -> Key {
    let source = &site.docs[id].source;
    (source.lang.clone(), source.path.clone())
}

/// A resolver's answer with its document named by key.
fn keyed(site: &Site, answer: &Result<Target<DocId>, String>) -> Result<Answer, String> {
    match answer {
        Ok(t) => Ok((
            t.url.clone(),
            t.doc.map(|id| key(site, id)),
            t.outside.clone(),
            t.picture.clone(),
        )),
        Err(hint) => Err(hint.clone()),
    }
}

impl Resolver for Recorder<'_> {
    type Key = DocId;

    fn resolve(&self, path: &str) -> Result<Target<DocId>, String> {
        let answer = self.resolver.resolve(path);
        let site = self.resolver.site;
        self.note(Question::Resolve(path.to_owned(), keyed(site, &answer)));
        answer
    }

    fn example_picture(&self) -> Option<String> {
        let a = self.resolver.example_picture();
        self.note(Question::ExamplePicture(a.clone()));
        a
    }

    fn example_document(&self) -> Option<String> {
        let a = self.resolver.example_document();
        self.note(Question::ExampleDocument(a.clone()));
        a
    }
}

impl Labels for Recorder<'_> {
    fn block(&self, name: BlockName) -> String {
        let a = self.labels.block(name);
        self.note(Question::Block(name, a.clone()));
        a
    }
    fn format(&self, format: Format) -> String {
        let a = self.labels.format(format);
        self.note(Question::Format(format, a.clone()));
        a
    }
    fn minutes(&self, minutes: u32) -> String {
        let a = self.labels.minutes(minutes);
        self.note(Question::Minutes(minutes, a.clone()));
        a
    }
    fn write_here(&self) -> String {
        let a = self.labels.write_here();
        self.note(Question::WriteHere(a.clone()));
        a
    }
    fn not_in_program(&self) -> String {
        let a = self.labels.not_in_program();
        self.note(Question::NotInProgram(a.clone()));
        a
    }
    fn value(&self, name: &str, plain: bool) -> Result<Option<String>, String> {
        let a = self.labels.value(name, plain);
        self.note(Question::Value(name.to_owned(), plain, a.clone()));
        a
    }
    fn crisis_lines(&self) -> String {
        let a = self.labels.crisis_lines();
        self.note(Question::CrisisLines(a.clone()));
        a
    }
}

/// `html`, rendered for another site, as document `id` of `site` would render it, if
/// that is provably the same: the document has the very parse `html` was rendered from,
/// the same raw-HTML choice, and every question asked then gets the same answer from
/// `site` now. Its anchor links are renumbered for `site` when its ids differ.
pub fn reuse_in(html: &Arc<DocHtml>, site: &Site, id: DocId, i18n: &I18n) -> Option<Arc<DocHtml>> {
    let asked = &html.asked;
    let doc = &site.docs[id];
    if !Arc::ptr_eq(&asked.parsed, &doc.parsed)
        || asked.raw_html != RawHtml::allowed(site.config.allow_raw_html)
    {
        return None;
    }
    let resolver = DocResolver { site, doc };
    let labels = BlockLabels {
        i18n,
        lang: &doc.source.lang,
        config: &site.config,
    };
    let same = asked.questions.iter().all(|q| match q {
        Question::Resolve(path, answer) => keyed(site, &resolver.resolve(path)) == *answer,
        Question::ExamplePicture(a) => resolver.example_picture() == *a,
        Question::ExampleDocument(a) => resolver.example_document() == *a,
        Question::Block(name, a) => labels.block(*name) == *a,
        Question::Format(format, a) => labels.format(*format) == *a,
        Question::Minutes(m, a) => labels.minutes(*m) == *a,
        Question::WriteHere(a) => labels.write_here() == *a,
        Question::NotInProgram(a) => labels.not_in_program() == *a,
        Question::Value(name, plain, a) => labels.value(name, *plain) == *a,
        Question::CrisisLines(a) => labels.crisis_lines() == *a,
    });
    if !same {
        return None;
    }
    let mut moved = Vec::new();
    for (old, key) in &asked.ids {
        let new = site.doc_id(&key.0, &key.1)?;
        if new != *old {
            moved.push((*old, new));
        }
    }
    if moved.is_empty() {
        return Some(html.clone());
    }
    let renumber = |r: &Option<Rendered<DocId>>| {
        r.clone().map(|mut r| {
            for link in &mut r.anchor_links {
                if let Some((_, new)) = moved.iter().find(|(old, _)| *old == link.doc) {
                    link.doc = *new;
                }
            }
            r
        })
    };
    let mut asked = asked.clone();
    for (id, _) in &mut asked.ids {
        if let Some((_, new)) = moved.iter().find(|(old, _)| *old == *id) {
            *id = *new;
        }
    }
    Some(Arc::new(DocHtml {
        participant: renumber(&html.participant),
        facilitator: renumber(&html.facilitator),
        preparation: renumber(&html.preparation),
        asked,
    }))
}
