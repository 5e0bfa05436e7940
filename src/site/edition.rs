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
    /// The module folders it leaves out.
    pub left_out_folders: HashSet<String>,
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
        left_out_folders: HashSet::new(),
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
    diags.extend(programs_needing_more(config, edition, &kept, &folders));
    let left_out_folders = folders
        .iter()
        .filter(|f| !kept.contains(f))
        .cloned()
        .collect();
    let in_toolkit_order: Vec<String> = folders.into_iter().filter(|f| kept.contains(f)).collect();
    let folders = sequence(config, edition, &in_toolkit_order);
    let share = Share {
        sources,
        folders,
        left_out,
        left_out_folders,
    };
    (share, diags)
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

/// An error, at the program's name in the edition file, for each program the edition
/// runs that needs sessions its `modules` leaves out; modules of the toolkit only, since
/// hearth.yaml's own check reports a program's unknown ones.
fn programs_needing_more(
    config: &Config,
    edition: &Edition,
    kept: &[String],
    folders: &[String],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for named in &edition.programs {
        let Some(program) = config.programs.iter().find(|p| p.id == named.name) else {
            continue;
        };
        let missing: Vec<String> = program
            .modules
            .iter()
            .map(|(m, _, _)| m)
            .filter(|m| folders.contains(m) && !kept.contains(m))
            .map(|m| format!("`{m}`"))
            .collect();
        if missing.is_empty() {
            continue;
        }
        diags.push(named.diagnostic(
            edition,
            Diagnostic::error(
                Kind::Config,
                &edition.file,
                format!(
                    "the program `{}` includes {}, which this edition's `modules` leaves out",
                    program.id,
                    missing.join(", ")
                ),
            )
            .hint("add them to `modules`, or leave `modules` out: an edition then builds its programs' sessions"),
        ));
    }
    diags
}
