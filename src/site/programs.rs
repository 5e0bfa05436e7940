//! Programs: a partner's own sequence of modules, from `hearth.yaml`, resolved to the
//! modules the content has.

use super::{Module, Program};
use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Kind, did_you_mean};

/// Every program with its modules; an error, at its place in `hearth.yaml`, for each
/// module named that is not one.
pub(super) fn programs(config: &Config, modules: &[Module]) -> (Vec<Program>, Vec<Diagnostic>) {
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
                    if found.is_none() {
                        diags.push(not_a_module(config, &p.id, folder, *line, *column, modules));
                    }
                    found
                })
                .collect(),
        })
        .collect();
    (programs, diags)
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
        let (programs, diags) = programs(&config, &[module("01-a"), module("02-b")]);
        assert_eq!(programs[0].modules, [1]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].line, diags[0].column), (6, 21));
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `01-a`?"));
    }
}
