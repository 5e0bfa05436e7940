//! Links between documents: the [`DocResolver`] that turns a relative path to a `.md`
//! source (or an asset beside it) into a page URL while Markdown renders, and [`check`],
//! which, once every document is rendered, gathers what rendering found about links and
//! checks each link to another document's `#anchor` against that document's headings.
//!
//! In: the site model and the renderings. Out: URLs and diagnostics; nothing is printed.

use std::collections::{HashMap, HashSet};

use crate::config::Lang;
use crate::content::DocPath;
use crate::diagnostic::{Diagnostic, did_you_mean_hint, suggest};
use crate::markdown::{self, ROOT, Rendered, Resolver, Target};
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
                });
            }
            if self.site.outside_edition(&key)
                && let Some(edition) = &self.site.config.edition
            {
                return Ok(Target {
                    url: String::new(),
                    doc: None,
                    outside: Some(edition.file.to_string_lossy().replace('\\', "/")),
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
                }),
                None if self.site.left_out(lang, &key) || self.site.left_out(source_lang, &key) => {
                    Ok(Target {
                        url: format!("{ROOT}#"),
                        doc: None,
                        outside: None,
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
            Some((_, out)) => Ok(Target {
                url: format!("{ROOT}{out}"),
                doc: None,
                outside: None,
            }),
            None if joined.ends_with('/') || !joined.contains('.') => Err(format!(
                "link to the Markdown file itself, like `{}index.md`",
                path.trim_end_matches('/').to_owned() + "/"
            )),
            None => Err(format!(
                "put the file at `content/{lang}/{joined}`, or correct the path"
            )),
        }
    }
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
        match suggest(joined, candidates.iter().copied()) {
            Some(s) => did_you_mean_hint(&relative(self.doc.source.path.dir(), s)),
            None => format!(
                "no document is at `content/{lang}/{joined}`; check the folder and file names"
            ),
        }
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
