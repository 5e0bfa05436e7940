//! Which documents are published: without `--drafts`, a draft is left out, and a draft
//! module takes its guide and handouts with it; a translation `hearth new` wrote that
//! nobody has translated yet is left out, so pages offer the source language meanwhile.

use std::collections::BTreeSet;

use crate::config::Lang;
use crate::content::{DocKind, Source};

/// The sources to build, in their order.
pub(super) fn published(sources: Vec<Source>, drafts: bool) -> Vec<Source> {
    if drafts {
        return sources;
    }
    let draft_modules: BTreeSet<(Lang, String)> = sources
        .iter()
        .filter(|s| s.draft)
        .filter_map(|s| match &s.kind {
            DocKind::Module { folder } => Some((s.lang.clone(), folder.clone())),
            _ => None,
        })
        .collect();
    sources
        .into_iter()
        .filter(|s| !s.draft)
        .filter(|s| match &s.kind {
            DocKind::Guide { folder } | DocKind::Handout { folder, .. } => {
                !draft_modules.contains(&(s.lang.clone(), folder.clone()))
            }
            _ => true,
        })
        .collect()
}

/// The sources to build, and the placeholder translations left out until translated.
pub(super) fn translated(sources: Vec<Source>) -> (Vec<Source>, Vec<Source>) {
    sources.into_iter().partition(|s| !s.is_placeholder())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{HANDOUT, MODULE, PAGE, source};

    fn paths(sources: &[Source]) -> Vec<String> {
        sources
            .iter()
            .map(|s| format!("{}/{}", s.lang, s.path))
            .collect()
    }

    #[test]
    fn a_draft_module_takes_its_handouts_in_that_language_only() {
        let sources = vec![
            source("en", "modules/01-a/index.md", MODULE, ""),
            source("en", "modules/01-a/handouts/x.md", HANDOUT, ""),
            source(
                "es",
                "modules/01-a/index.md",
                &format!("{MODULE}draft: true\n"),
                "",
            ),
            source("es", "modules/01-a/handouts/x.md", HANDOUT, ""),
            source("es", "about.md", &format!("{PAGE}draft: true\n"), ""),
        ];
        assert_eq!(
            paths(&published(sources.clone(), false)),
            ["en/modules/01-a/index.md", "en/modules/01-a/handouts/x.md"]
        );
        assert_eq!(published(sources, true).len(), 5);
    }
}
