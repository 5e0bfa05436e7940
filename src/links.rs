//! Links between documents: the [`DocResolver`] that turns a relative path to a `.md`
//! source (or an asset beside it) into a page URL while Markdown renders, and [`check`],
//! which, once every document is rendered, gathers what rendering found about links and
//! checks each link to another document's `#anchor` against that document's headings.
//!
//! In: the site model and the renderings. Out: URLs and diagnostics; nothing is printed.

use std::collections::{HashMap, HashSet};

use crate::config::Lang;
use crate::content::DocPath;
use crate::diagnostic::{Diagnostic, capitals_hint, did_you_mean_hint, suggest};
use crate::markdown::{self, Picture, ROOT, Rendered, Resolver, Target};
use crate::site::{Doc, DocId, Site};

/// Resolves links written in one document.
pub struct DocResolver<'a> {
    /// The model links are resolved against: documents, their addresses, and assets.
    pub site: &'a Site,
    /// The document the links are written in: paths are relative to its folder.
    pub doc: &'a Doc,
}

impl Resolver for DocResolver<'_> {
    type Key = DocId;

    fn resolve(&self, path: &str) -> Result<Target<DocId>, String> {
        let joined = join(self.doc.source.path.dir(), path)
            .ok_or_else(|| "the path leads outside the language's content folder".to_owned())?;
        let lang = &self.doc.source.lang;
        let source_lang = self.site.config.source_lang();
        if joined.ends_with(".md") {
            let key = DocPath::new(joined.clone());
            // A translation left out for its own errors: its errors say enough.
            if self.site.left_out(lang, &key) {
                return Ok(Target {
                    url: format!("{ROOT}#"),
                    doc: None,
                    outside: None,
                    picture: None,
                });
            }
            if self.site.outside_edition(&key)
                && let Some(edition) = &self.site.config.edition
            {
                return Ok(Target {
                    url: String::new(),
                    doc: None,
                    outside: Some(edition.file.to_string_lossy().replace('\\', "/")),
                    picture: None,
                });
            }
            let found = self
                .site
                .doc_id(lang, &key)
                .or_else(|| self.site.doc_id(source_lang, &key));
            return match found {
                Some(id) => Ok(Target {
                    // `index.html` spelled out, so links work from disk too.
                    url: format!("{ROOT}{}index.html", self.site.docs[id].url),
                    doc: Some(id),
                    outside: None,
                    picture: None,
                }),
                None if self.site.left_out(lang, &key) || self.site.left_out(source_lang, &key) => {
                    Ok(Target {
                        url: format!("{ROOT}#"),
                        doc: None,
                        outside: None,
                        picture: None,
                    })
                }
                None => Err(self.suggest_doc(&joined)),
            };
        }
        let asset = |l: &Lang| {
            self.site
                .assets
                .iter()
                .find(|(a, _)| &a.lang == l && a.path.as_str() == joined)
        };
        match asset(lang).or_else(|| asset(source_lang)) {
            Some((a, out)) => Ok(Target {
                url: format!("{ROOT}{out}"),
                doc: None,
                outside: None,
                picture: a.picture.as_ref().map(|m| Picture {
                    width: m.width,
                    height: m.height,
                    copies: m
                        .widths()
                        .into_iter()
                        .map(|w| (format!("{ROOT}{}", m.output_path(w)), w))
                        .collect(),
                }),
            }),
            None if joined.ends_with('/') || !joined.contains('.') => {
                let index = format!("{}/index.md", joined.trim_end_matches('/'));
                let key = DocPath::new(index.clone());
                if self
                    .site
                    .doc_id(lang, &key)
                    .or_else(|| self.site.doc_id(source_lang, &key))
                    .is_some()
                {
                    Err(format!(
                        "link to the Markdown file itself: `{}/index.md`",
                        path.trim_end_matches('/')
                    ))
                } else {
                    Err(self.suggest_doc(&index))
                }
            }
            None => Err(self.suggest_asset(&joined)),
        }
    }

    fn example_picture(&self) -> Option<String> {
        let dir = self.doc.source.path.dir();
        let pictures: Vec<&str> = self
            .site
            .assets
            .iter()
            .filter(|(a, _)| a.lang == self.doc.source.lang)
            .map(|(a, _)| a.path.as_str())
            .filter(|p| is_picture(p))
            .collect();
        // One beside the text if there is one, else the first of the project's.
        let nearest = pictures
            .iter()
            .find(|p| p.starts_with(dir))
            .or(pictures.first())?;
        Some(relative(dir, nearest))
    }

    fn example_document(&self) -> Option<String> {
        let own = &self.doc.source;
        let mut others: Vec<&str> = self
            .site
            .docs
            .iter()
            .map(|d| &d.source)
            .filter(|s| s.lang == own.lang && s.path != own.path)
            .map(|s| s.path.as_str())
            .collect();
        others.sort_unstable();
        // The next module's page after this text, as a reader would link it.
        let next = others
            .iter()
            .find(|p| p.ends_with("index.md") && **p > own.path.as_str())
            .or(others.first())?;
        Some(relative(own.path.dir(), next))
    }
}

/// Whether two paths end in the same extension, in any case.
fn same_extension(a: &str, b: &str) -> bool {
    let ext = |p: &str| p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext(a) == ext(b)
}

/// Whether a file is a picture a page can show, by its name.
fn is_picture(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".svg", ".gif", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The hint for a path that is not one of `candidates` (paths below the language's
/// folder), written relative to `dir`: the one that differs only in capitals, or the
/// closest.
fn suggest_path(joined: &str, dir: &str, candidates: &[&str]) -> Option<String> {
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(joined)) {
        return Some(capitals_hint(&relative(dir, same)));
    }
    suggest(joined, candidates.iter().copied()).map(|s| did_you_mean_hint(&relative(dir, s)))
}

impl DocResolver<'_> {
    /// The hint for a link to a missing document: the closest one, as a relative path.
    fn suggest_doc(&self, joined: &str) -> String {
        let lang = &self.doc.source.lang;
        // Sorted, so that equally close candidates give the same hint on every run.
        let mut candidates: Vec<&str> = self
            .site
            .docs
            .iter()
            .map(|d| &d.source)
            .filter(|s| &s.lang == lang && s.path != self.doc.source.path)
            .map(|s| s.path.as_str())
            .collect();
        candidates.sort_unstable();
        suggest_path(joined, self.doc.source.path.dir(), &candidates).unwrap_or_else(|| {
            format!("no document is at `content/{lang}/{joined}`; check the folder and file names")
        })
    }

    /// The hint for a link to a missing file: one beside it whose name differs only in
    /// capitals, or the closest, or where to put it.
    fn suggest_asset(&self, joined: &str) -> String {
        let lang = &self.doc.source.lang;
        let source_lang = self.site.config.source_lang();
        let mut candidates: Vec<&str> = self
            .site
            .assets
            .iter()
            .filter(|(a, _)| &a.lang == lang || &a.lang == source_lang)
            .map(|(a, _)| a.path.as_str())
            // A file of another kind is never the one meant (`map.png` is not `dot.svg`).
            .filter(|p| same_extension(p, joined))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        suggest_path(joined, self.doc.source.path.dir(), &candidates).unwrap_or_else(|| {
            format!("put the file at `content/{lang}/{joined}`, or correct the path")
        })
    }
}

/// What rendering found about links: each rendering's own diagnostics (broken links,
/// missing local anchors, removed addresses), then links to anchors other documents lack.
///
/// `renderings[id]` lists document `id`'s renderings; an anchor names a heading of the
/// first one, the participant view, which is the page a link to a module leads to (a
/// heading inside a facilitator-only block is not there, so the views' ids may differ).
pub fn check(site: &Site, renderings: &[Vec<&Rendered<DocId>>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Each linked document's heading ids, gathered once, so many links stay linear.
    let mut ids: HashMap<DocId, HashSet<&str>> = HashMap::new();
    for (id, views) in renderings.iter().enumerate() {
        for r in views {
            diags.extend(r.diagnostics.iter().cloned());
            for link in &r.anchor_links {
                let headings = &renderings[link.doc]
                    .first()
                    .expect("every document has a view")
                    .headings;
                let known = ids
                    .entry(link.doc)
                    .or_insert_with(|| headings.iter().map(|h| h.id.as_str()).collect());
                if !known.contains(link.anchor.as_str()) {
                    diags.push(markdown::anchor_missing(
                        site.docs[id].loc(),
                        &link.anchor,
                        link.line,
                        link.column,
                        headings,
                    ));
                }
            }
        }
    }
    diags
}

/// Joins a relative path onto a folder (`a/b/` + `../c.md` = `a/c.md`); `None` if it
/// climbs above the top.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') {
        joined.push('/');
    }
    Some(joined)
}

/// `to` written relative to the folder `from` (both below the same top).
fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A hint never names a path that is not there: whatever was written, the path a
        /// hint suggests leads, from the text's folder, to one of the real files.
        #[test]
        fn hints_suggest_only_real_files(
            written in "[a-zA-Z./-]{1,24}",
            real in proptest::collection::vec("[a-zA-Z]{1,6}(/[a-zA-Z]{1,6}){0,2}\\.(jpg|JPG|png|md)", 1..8),
            dir in "(modules/[a-z]{1,4}/)?",
        ) {
            let candidates: Vec<&str> = real.iter().map(String::as_str).collect();
            let joined = join(&dir, &written).unwrap_or_default();
            if let Some(hint) = suggest_path(&joined, &dir, &candidates) {
                let named = hint.split('`').nth(1).expect("the hint names a path");
                let lands = join(&dir, named).expect("inside the folder");
                proptest::prop_assert!(candidates.contains(&lands.as_str()), "{hint} -> {lands}");
            }
        }
    }

    #[test]
    fn paths_join_and_relativize() {
        assert_eq!(
            join("modules/01-a/", "../02-b/index.md").as_deref(),
            Some("modules/02-b/index.md")
        );
        assert_eq!(
            join("modules/01-a/handouts/", "../index.md").as_deref(),
            Some("modules/01-a/index.md")
        );
        assert_eq!(join("", "../x.md"), None);
        assert_eq!(
            relative("modules/01-a/", "modules/02-b/index.md"),
            "../02-b/index.md"
        );
    }
}
