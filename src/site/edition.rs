//! A partner edition's share of the toolkit: only its modules, in its sequence (its first
//! program's order, then the rest in toolkit order), numbered from one. The modules it
//! leaves out are remembered, so a link into one becomes plain text rather than a dead link.

use std::collections::HashSet;

use crate::config::Config;
use crate::config::edition::Edition;
use crate::content::{DocKind, DocPath, Source};
use crate::diagnostic::{Diagnostic, Kind, did_you_mean};

/// What an edition keeps of the toolkit.
pub(super) struct Share {
    /// The sources of the edition's modules and every other document.
    pub sources: Vec<Source>,
    /// The edition's module folders, in its sequence.
    pub folders: Vec<String>,
    /// The documents of the modules it leaves out, in every language.
    pub left_out: HashSet<DocPath>,
}

/// The edition's share of `sources`, whose modules are `folders` in toolkit order; an
/// error, at its line in the edition file, for each module it names that is not one.
pub(super) fn share(
    config: &Config,
    sources: Vec<Source>,
    folders: Vec<String>,
) -> (Share, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let whole = |sources, folders| Share {
        sources,
        folders,
        left_out: HashSet::new(),
    };
    let Some(edition) = &config.edition else {
        return (whole(sources, folders), diags);
    };
    let Some(named) = &edition.modules else {
        let folders = sequence(config, edition, &folders);
        return (whole(sources, folders), diags);
    };
    let mut kept: Vec<String> = Vec::new();
    for n in named {
        if folders.contains(&n.name) {
            if !kept.contains(&n.name) {
                kept.push(n.name.clone());
            }
            continue;
        }
        let hint = did_you_mean(&n.name, &folders).unwrap_or_else(|| {
            "name a module by its folder under `content/<language>/modules/`".into()
        });
        diags.push(
            n.diagnostic(
                edition,
                Diagnostic::error(
                    Kind::Config,
                    &edition.file,
                    format!("`{}` is not a module of the toolkit", n.name),
                )
                .hint(hint),
            ),
        );
    }
    let folder_of = |s: &Source| match &s.kind {
        DocKind::Module { folder }
        | DocKind::Guide { folder }
        | DocKind::Handout { folder, .. } => Some(folder.clone()),
        DocKind::Home | DocKind::Page => None,
    };
    let (sources, dropped): (Vec<Source>, Vec<Source>) = sources
        .into_iter()
        .partition(|s| folder_of(s).is_none_or(|f| kept.contains(&f)));
    let left_out = dropped.into_iter().map(|s| s.path).collect();
    let in_toolkit_order: Vec<String> = folders.into_iter().filter(|f| kept.contains(f)).collect();
    let folders = sequence(config, edition, &in_toolkit_order);
    (
        Share {
            sources,
            folders,
            left_out,
        },
        diags,
    )
}

/// The edition's sequence: the modules of the first program it names, in that program's
/// order, then the rest of `kept` in toolkit order.
fn sequence(config: &Config, edition: &Edition, kept: &[String]) -> Vec<String> {
    let first = edition
        .programs
        .first()
        .and_then(|n| config.programs.iter().find(|p| p.id == n.name));
    let programmed = first
        .into_iter()
        .flat_map(|p| p.modules.iter().map(|(m, _, _)| m));
    let mut order: Vec<String> = Vec::new();
    for f in programmed.filter(|m| kept.contains(m)).chain(kept) {
        if !order.contains(f) {
            order.push(f.clone());
        }
    }
    order
}
