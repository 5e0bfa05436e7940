//! Partner editions: `editions/<id>.yaml`, a small file laid over hearth.yaml. Maps merge
//! key by key (an edition that gives only `organization.phone` keeps the site's name);
//! lists replace (`crisis_lines`, `languages`, `modules`, `programs`). [`load`] returns a
//! whole [`Config`], so the rest of hearth builds an edition as it builds any site.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{
    Config, Lang, Localized, RawCrisisLine, RawOrganization, Validator, today, valid_lang,
};
use crate::diagnostic::{Diagnostic, Kind, did_you_mean};
use crate::project;
use crate::yaml::{self, Origin, Spanned};

/// The folder of edition files, beside hearth.yaml.
pub const FOLDER: &str = "editions";

/// What an edition says beyond hearth.yaml's keys, kept for the checks that need the
/// content (module ids) and for pointing at the edition's own lines.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The file's name without `.yaml`: in `--edition ID` and `editions/<id>/`.
    pub id: String,
    /// `editions/<id>.yaml`, relative to the project root.
    pub file: PathBuf,
    /// The file's text, for diagnostics.
    pub text: String,
    /// `modules:`, or the modules of `programs:` when only those are given; `None` for
    /// every module of the toolkit.
    pub modules: Option<Vec<Named>>,
    /// `programs:` as written; when given, `Config::programs` holds exactly these, in
    /// this order.
    pub programs: Vec<Named>,
    /// hearth.yaml's crisis lines, which content may still name by id when the edition's
    /// own list leaves one out.
    pub site_crisis_lines: Vec<super::CrisisLine>,
}

/// A name written in an edition file, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// As written.
    pub name: String,
    /// 1-based line in the edition file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Named {
    fn of(s: &Spanned<String>) -> Named {
        Named {
            name: s.value.clone(),
            line: s.line,
            column: s.column,
        }
    }

    /// A diagnostic underlining this name in `edition`'s file.
    pub fn diagnostic(&self, edition: &Edition, d: Diagnostic) -> Diagnostic {
        d.at(&edition.text, self.line, self.column)
            .width(self.name.chars().count())
    }
}

// Every key is optional: what an edition leaves out, it takes from hearth.yaml.
#[derive(Deserialize)]
struct RawEdition {
    title: Option<Spanned<Localized>>,
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    base_url: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    organization: Option<Spanned<RawOrganization>>,
    crisis_lines: Option<Vec<Spanned<RawCrisisLine>>>,
    modules: Option<Vec<Spanned<String>>>,
    programs: Option<Vec<Spanned<String>>>,
}

/// The ids of the project's editions (`editions/*.yaml`), sorted.
pub fn ids(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(FOLDER)) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| !project::is_ignored(name))
        .filter_map(|name| name.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Reads `editions/<id>.yaml` and lays it over `base`, the validated hearth.yaml. Every
/// diagnostic says which edition it belongs to.
pub fn load(root: &Path, id: &str, base: &Config) -> (Option<Config>, Vec<Diagnostic>) {
    let file = PathBuf::from(FOLDER).join(format!("{id}.yaml"));
    let (config, mut diags) = match read(root, id, &file) {
        Ok(text) => parse(root, id, &file, &text, base),
        Err(d) => (None, vec![d]),
    };
    for d in &mut diags {
        if d.kind != Kind::UnknownField {
            d.kind = Kind::Config;
        }
        d.edition = Some(id.to_owned());
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    (config.filter(|_| ok), diags)
}

/// Whether `id` can name an edition: small letters, digits and `-`, since it becomes a
/// folder in every address of the edition (`editions/<id>/`).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The edition file's text, or an error that names the editions there are.
fn read(root: &Path, id: &str, file: &Path) -> Result<String, Diagnostic> {
    let exists = root.join(file).is_file();
    if exists && !valid_id(id) {
        let wanted: String = id
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        return Err(Diagnostic::error(
            Kind::Config,
            file,
            format!("`{id}` cannot name an edition: its name becomes a folder in the edition's web addresses"),
        )
        .hint(format!(
            "rename the file `{FOLDER}/{wanted}.yaml`: small letters, digits and `-` only"
        )));
    }
    if exists && let Ok(text) = std::fs::read_to_string(root.join(file)) {
        return Ok(text);
    }
    let ids = ids(root);
    let hint = did_you_mean(id, &ids).unwrap_or_else(|| match ids.as_slice() {
        [] => format!("make an edition by writing `{FOLDER}/{id}.yaml` (see the authoring guide)"),
        _ => format!("the editions are: {}", ids.join(", ")),
    });
    Err(Diagnostic::error(Kind::Config, file, format!("there is no edition `{id}`")).hint(hint))
}

fn parse(
    root: &Path,
    id: &str,
    file: &Path,
    text: &str,
    base: &Config,
) -> (Option<Config>, Vec<Diagnostic>) {
    let origin = Origin {
        file,
        text,
        line_offset: 0,
    };
    let keys: Vec<&str> = super::SHARED_KEYS
        .iter()
        .copied()
        .chain(["modules", "programs"])
        .collect();
    let mut diags = yaml::check_keys(text, &keys, "key", origin);
    let raw: RawEdition = match yaml::parse(text, origin) {
        Ok(raw) => raw,
        Err(d) => {
            if !(d.kind == Kind::UnknownField && diags.iter().any(|o| o.line == d.line)) {
                diags.push(d);
            }
            return (None, diags);
        }
    };
    let mut v = Validator {
        origin,
        today: today(),
        diags,
        languages: Vec::new(),
        known: base.languages.clone(),
        root: Some(root),
        strict: true,
    };
    let config = v.edition(raw, id, base);
    (config, v.diags)
}

impl Validator<'_> {
    fn edition(&mut self, raw: RawEdition, id: &str, base: &Config) -> Option<Config> {
        match &raw.languages {
            Some(codes) => self.edition_languages(codes),
            None => self.languages = base.published.clone(),
        }
        if self.languages.is_empty() {
            return None;
        }
        let programs_named: Vec<Named> = raw.programs.iter().flatten().map(Named::of).collect();
        let programs = self.programs(&raw, base);
        let modules = match (&raw.modules, &raw.programs) {
            (Some(modules), _) => Some(modules.iter().map(Named::of).collect()),
            // The modules of the programs it runs, each where the program is named.
            (None, Some(_)) => Some(
                programs
                    .iter()
                    .zip(&programs_named)
                    .flat_map(|(p, named)| {
                        p.modules.iter().map(move |(m, _, _)| Named {
                            name: m.clone(),
                            ..named.clone()
                        })
                    })
                    .collect(),
            ),
            (None, None) => None,
        };
        let programs = self.fitting(programs, &raw, modules.as_deref());
        let organization = match &raw.organization {
            Some(org) => self.organization(org, Some(&base.organization)),
            None => base.organization.clone(),
        };
        let crisis_lines = match &raw.crisis_lines {
            Some(lines) => self.crisis_lines(lines),
            None => base.crisis_lines.clone(),
        };
        Some(Config {
            title: match &raw.title {
                Some(title) => self.text_over(&base.title, title, "title"),
                None => base.title.clone(),
            },
            languages: base.languages.clone(),
            // Not the site's: an edition lives at its own address, and canonical links to
            // the toolkit's would tell search engines its pages are copies.
            base_url: raw.base_url.as_ref().and_then(|url| self.base_url(url)),
            theme: raw.theme.map_or_else(|| base.theme.clone(), |t| t.value),
            organization,
            crisis_lines,
            programs,
            allow_raw_html: base.allow_raw_html,
            pdf: base.pdf,
            text: base.text.clone(),
            published: self.languages.clone(),
            edition: Some(super::edition::Edition {
                id: id.to_owned(),
                file: self.origin.file.to_path_buf(),
                text: self.origin.text.to_owned(),
                modules,
                programs: programs_named,
                site_crisis_lines: base.crisis_lines.clone(),
            }),
        })
    }

    /// An edition's languages: valid codes the toolkit has, in the partner's order.
    fn edition_languages(&mut self, codes: &Spanned<Vec<Spanned<String>>>) {
        let known = self.known.clone();
        let in_toolkit: Vec<Spanned<String>> = codes
            .value
            .iter()
            .filter(|code| {
                let found = known.iter().any(|l| l.as_str() == code.value);
                if !found && valid_lang(&code.value) {
                    let list: Vec<&str> = known.iter().map(Lang::as_str).collect();
                    let d = self
                        .origin
                        .at(
                            Kind::Config,
                            format!("`{}` is not one of the toolkit's languages", code.value),
                            *code,
                        )
                        .width(code.value.chars().count())
                        .hint(format!(
                            "an edition publishes some of hearth.yaml's languages: {}",
                            list.join(", ")
                        ));
                    self.diags.push(d);
                }
                found || !valid_lang(&code.value)
            })
            .cloned()
            .collect();
        self.languages(&Spanned {
            value: in_toolkit,
            line: codes.line,
            column: codes.column,
        });
    }

    /// The toolkit's programs an edition runs, in its order; all of them when it names none.
    fn programs(&mut self, raw: &RawEdition, base: &Config) -> Vec<super::Program> {
        let Some(named) = &raw.programs else {
            return base.programs.clone();
        };
        named
            .iter()
            .filter_map(|p| {
                let found = base.programs.iter().find(|b| b.id == p.value);
                if found.is_none() {
                    let ids: Vec<&str> = base.programs.iter().map(|b| b.id.as_str()).collect();
                    let hint = did_you_mean(&p.value, &ids).unwrap_or_else(|| {
                        format!(
                            "an edition runs programs that hearth.yaml defines: {}",
                            ids.join(", ")
                        )
                    });
                    let d = self
                        .origin
                        .at(
                            Kind::Config,
                            format!("`{}` is not a program in hearth.yaml", p.value),
                            p,
                        )
                        .width(p.value.chars().count())
                        .hint(hint);
                    self.diags.push(d);
                }
                found.cloned()
            })
            .collect()
    }

    /// Of the toolkit's programs an edition takes without naming them, those whose every
    /// module it builds. (A program it names that needs a module it leaves out is an error,
    /// reported with the module ids, which only the content can check: `site::edition`.)
    fn fitting(
        &mut self,
        programs: Vec<super::Program>,
        raw: &RawEdition,
        modules: Option<&[Named]>,
    ) -> Vec<super::Program> {
        match (modules, &raw.programs) {
            (Some(modules), None) => programs
                .into_iter()
                .filter(|p| {
                    p.modules
                        .iter()
                        .all(|(m, _, _)| modules.iter().any(|n| &n.name == m))
                })
                .collect(),
            _ => programs,
        }
    }
}
