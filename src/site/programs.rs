//! Programs: a partner's own sequence of modules, from `hearth.yaml`, resolved to the
//! modules the content has.

use std::collections::HashSet;

use super::{Doc, Module, Program};
use crate::config::{self, Config};
use crate::content::Meta;
use crate::diagnostic::{Diagnostic, Kind, did_you_mean};

/// Every program with its modules; an error, at its place in `hearth.yaml`, for each
/// module named that is not one. A module an edition leaves out (`left_out`) is dropped
/// without one: the edition's own check says so where the edition names the program.
pub(super) fn programs(
    config: &Config,
    modules: &[Module],
    left_out: &HashSet<String>,
) -> (Vec<Program>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let programs = config
        .programs
        .iter()
        .map(|p| Program {
            id: p.id.clone(),
            modules: p
                .modules
                .iter()
                .filter_map(|(folder, line, column)| {
                    let found = modules.iter().position(|m| &m.folder == folder);
                    if found.is_none() && !left_out.contains(folder) {
                        diags.push(not_a_module(config, &p.id, folder, *line, *column, modules));
                    }
                    found
                })
                .collect(),
        })
        .collect();
    (programs, diags)
}

/// A warning for each program whose last session has `sensitive_topics`: a group should
/// not end on its crisis session, with no next meeting to come back to it. It points at
/// the module's name in the program's list.
pub(super) fn ending_on_sensitive_topics(
    config: &Config,
    programs: &[Program],
    modules: &[Module],
    docs: &[Doc],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (program, written) in programs.iter().zip(&config.programs) {
        let Some(&last) = program.modules.last() else {
            continue;
        };
        let module = &modules[last];
        let Some(docs_of) = module
            .langs
            .get(config.source_lang())
            .or(module.langs.values().next())
        else {
            continue;
        };
        let Meta::Module(meta) = &docs[docs_of.index].source.meta else {
            continue;
        };
        if meta.sensitive_topics.is_empty() {
            continue;
        }
        let Some((folder, line, column)) = written
            .modules
            .iter()
            .rev()
            .find(|(f, _, _)| *f == module.folder)
        else {
            continue;
        };
        diags.push(
            Diagnostic::warning(
                Kind::Config,
                config::FILE,
                format!(
                    "the program `{}` ends with `{folder}`, a session on {}",
                    program.id,
                    meta.sensitive_topics.join(", ")
                ),
            )
            .at(&config.text, *line, *column)
            .width(folder.chars().count())
            .hint("end the program with a session after it, so the group meets again once the hard topic has settled"),
        );
    }
    diags
}

fn not_a_module(
    config: &Config,
    program: &str,
    folder: &str,
    line: usize,
    column: usize,
    modules: &[Module],
) -> Diagnostic {
    let hint =
        did_you_mean(folder, modules.iter().map(|m| m.folder.as_str())).unwrap_or_else(|| {
            "name the module by its folder under `content/<language>/modules/`".into()
        });
    Diagnostic::error(
        Kind::Config,
        config::FILE,
        format!("the program `{program}` names `{folder}`, which is not a module"),
    )
    .at(&config.text, line, column)
    .width(folder.chars().count())
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn a_program_naming_no_module_is_an_error_with_a_suggestion() {
        let text = "title: T\nlanguages: [en]\nprograms:\n  short:\n    title: S\n    modules: [02-b, 01-aa]\n";
        let config = config::parse(text).0.expect("a valid config");
        let module = |folder: &str| Module {
            folder: folder.to_owned(),
            number: 1,
            langs: BTreeMap::new(),
        };
        let (programs, diags) =
            programs(&config, &[module("01-a"), module("02-b")], &HashSet::new());
        assert_eq!(programs[0].modules, [1]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].line, diags[0].column), (6, 21));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `01-a`?"));
    }
}
