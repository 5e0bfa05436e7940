//! `hearth.yaml`: the raw file (`RawConfig`, as serde reads it) and the validated
//! `Config` the rest of hearth uses, with every localised value resolved for every language.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Kind};
use crate::yaml::{self, Origin, Spanned};

/// The configuration file's name, at the project root.
pub const FILE: &str = "hearth.yaml";

/// A language code such as `en` or `es`, as used in folder names and URLs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Lang(String);

impl Lang {
    pub fn new(code: impl Into<String>) -> Self {
        Lang(code.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value given once for all languages, or once per language.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Localized {
    One(String),
    Many(BTreeMap<String, String>),
}

/// A localised text with a value for every configured language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(BTreeMap<Lang, String>);

impl Text {
    /// The text in `lang`; every configured language has one after validation.
    pub fn get(&self, lang: &Lang) -> &str {
        self.0.get(lang).map_or("", String::as_str)
    }
}

// Unknown top-level keys are reported by `check_keys`, all of them, so reading goes on
// to find type errors after them; nested maps deny unknown keys themselves.
#[derive(Deserialize)]
struct RawConfig {
    title: Spanned<Localized>,
    languages: Spanned<Vec<Spanned<String>>>,
    base_url: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    organization: Option<Spanned<RawOrganization>>,
    #[serde(default)]
    crisis_lines: Vec<Spanned<RawCrisisLine>>,
    #[serde(default)]
    programs: BTreeMap<String, Spanned<RawProgram>>,
    #[serde(default)]
    allow_raw_html: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganization {
    name: Spanned<Localized>,
    url: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrisisLine {
    label: Spanned<Localized>,
    phone: Option<String>,
    url: Option<String>,
    verified: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgram {
    title: Spanned<Localized>,
    modules: Vec<Spanned<String>>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: Text,
    /// The first is the source language.
    pub languages: Vec<Lang>,
    /// Always ends in `/` when present.
    pub base_url: Option<String>,
    pub theme: String,
    pub organization: Organization,
    pub crisis_lines: Vec<CrisisLine>,
    pub programs: Vec<Program>,
    /// Whether HTML in content is kept as written instead of cleaned: a trust decision
    /// (every author may then put scripts on caregivers' pages), off unless set.
    pub allow_raw_html: bool,
    /// The file's text, for diagnostics raised after validation.
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Organization {
    pub name: Text,
    pub url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CrisisLine {
    pub label: Text,
    pub phone: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD`, with its line for warnings.
    pub verified: Option<(String, usize)>,
}

/// A partner's own sequence of modules.
#[derive(Debug, Clone)]
pub struct Program {
    pub id: String,
    pub title: Text,
    /// Module folder names, each with the line and column that names it.
    pub modules: Vec<(String, usize, usize)>,
}

impl Config {
    pub fn source_lang(&self) -> &Lang {
        &self.languages[0]
    }
}

/// Reads and validates `hearth.yaml` in `root`. Errors and warnings come back together;
/// the config is `None` when an error makes it unusable.
pub fn load(root: &Path) -> (Option<Config>, Vec<Diagnostic>) {
    let path = root.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text),
        Err(e) => {
            let d = Diagnostic::error(Kind::Config, FILE, format!("cannot read `{FILE}`: {e}"))
                .hint(
                    "run hearth in a toolkit project's folder, or start one with `hearth init DIR`",
                );
            (None, vec![d])
        }
    }
}

/// Validates the text of a `hearth.yaml`.
pub fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
    let origin = Origin {
        file: Path::new(FILE),
        text,
        line_offset: 0,
    };
    const KEYS: &[&str] = &[
        "title",
        "languages",
        "base_url",
        "theme",
        "organization",
        "crisis_lines",
        "programs",
        "allow_raw_html",
    ];
    let mut diags = yaml::check_keys(text, KEYS, "key", origin);
    let raw: RawConfig = match yaml::parse(text, origin) {
        Ok(raw) => raw,
        Err(d) => {
            // An unknown top-level key is already reported, with all the others.
            if !(d.kind == Kind::UnknownField && diags.iter().any(|o| o.line == d.line)) {
                diags.push(d);
            }
            for d in &mut diags {
                d.kind = Kind::Config;
            }
            return (None, diags);
        }
    };
    let mut v = Validator {
        origin,
        diags,
        languages: Vec::new(),
    };
    let config = v.config(raw);
    for d in &mut v.diags {
        d.kind = Kind::Config;
    }
    let ok = !v.diags.iter().any(Diagnostic::is_error);
    (config.filter(|_| ok), v.diags)
}

struct Validator<'a> {
    origin: Origin<'a>,
    diags: Vec<Diagnostic>,
    languages: Vec<Lang>,
}

impl Validator<'_> {
    fn config(&mut self, raw: RawConfig) -> Option<Config> {
        for code in &raw.languages.value {
            if !valid_lang(&code.value) {
                let d = self
                    .origin
                    .at(
                        Kind::Config,
                        format!("`{}` is not a language code", code.value),
                        code,
                    )
                    .hint("use a code such as `en`, `es` or `pt-BR`");
                self.diags.push(d);
            } else if self.languages.iter().any(|l| l.as_str() == code.value) {
                let d = self.origin.at(
                    Kind::Config,
                    format!("`{}` is listed twice", code.value),
                    code,
                );
                self.diags.push(d);
            } else {
                self.languages.push(Lang::new(code.value.clone()));
            }
        }
        if raw.languages.value.is_empty() {
            let d = self
                .origin
                .at(Kind::Config, "`languages` is empty", &raw.languages)
                .hint(
                    "list at least one language, the source language first: `languages: [en, es]`",
                );
            self.diags.push(d);
        }
        if self.languages.is_empty() {
            return None;
        }
        let title = self.text(&raw.title, "title");
        let base_url = raw.base_url.as_ref().and_then(|u| {
            if !(u.value.starts_with("https://") || u.value.starts_with("http://")) {
                let d = self
                    .origin
                    .at(Kind::Config, "`base_url` must be a full web address", u)
                    .hint("write it like `https://example.org/toolkit/`, or leave it out");
                self.diags.push(d);
                return None;
            }
            let mut url = u.value.clone();
            if !url.ends_with('/') {
                url.push('/');
            }
            Some(url)
        });
        let theme = raw.theme.map_or_else(|| "default".to_owned(), |t| t.value);
        let organization = match &raw.organization {
            Some(org) => Organization {
                name: self.text(&org.value.name, "organization name"),
                url: org.value.url.clone(),
                phone: org.value.phone.clone(),
                email: org.value.email.clone(),
            },
            None => Organization::default(),
        };
        let crisis_lines = raw
            .crisis_lines
            .iter()
            .map(|line| {
                let verified = line.value.verified.as_ref().and_then(|v| {
                    if parse_date(&v.value).is_none() {
                        let d = self
                            .origin
                            .at(Kind::Config, format!("`{}` is not a date", v.value), v)
                            .hint("write the date the number was last checked as YYYY-MM-DD");
                        self.diags.push(d);
                        return None;
                    }
                    if let Some(days) = days_since(&v.value, today())
                        && days > 365
                    {
                        let d = Diagnostic::warning(
                            Kind::Config,
                            FILE,
                            format!("this crisis line was last checked on {}, more than a year ago", v.value),
                        );
                        self.diags.push(
                            d.at(self.origin.text, v.line, v.column)
                                .width(v.value.len())
                                .hint("call or visit the line to confirm it still works, then update `verified`"),
                        );
                    }
                    Some((v.value.clone(), v.line))
                });
                CrisisLine {
                    label: self.text(&line.value.label, "crisis line label"),
                    phone: line.value.phone.clone(),
                    url: line.value.url.clone(),
                    verified,
                }
            })
            .collect();
        let programs = raw
            .programs
            .iter()
            .map(|(id, p)| Program {
                id: id.clone(),
                title: self.text(&p.value.title, "program title"),
                modules: p
                    .value
                    .modules
                    .iter()
                    .map(|m| (m.value.clone(), m.line, m.column))
                    .collect(),
            })
            .collect();
        Some(Config {
            title,
            languages: self.languages.clone(),
            base_url,
            theme,
            organization,
            crisis_lines,
            programs,
            allow_raw_html: raw.allow_raw_html,
            text: self.origin.text.to_owned(),
        })
    }

    /// Resolves a localised value for every language, reporting gaps and strays.
    fn text(&mut self, value: &Spanned<Localized>, what: &str) -> Text {
        let mut text = Text::default();
        match &value.value {
            Localized::One(s) => {
                for lang in &self.languages {
                    text.0.insert(lang.clone(), s.clone());
                }
            }
            Localized::Many(map) => {
                for key in map.keys() {
                    if !self.languages.iter().any(|l| l.as_str() == key) {
                        let d = self.origin.at(
                            Kind::Config,
                            format!(
                                "the {what} has a `{key}` value, but `{key}` is not in `languages`"
                            ),
                            value,
                        );
                        self.diags
                            .push(d.hint("add the language to `languages`, or remove the value"));
                    }
                }
                let source = map.get(self.languages[0].as_str());
                for lang in &self.languages {
                    match map.get(lang.as_str()).or(source) {
                        Some(s) => {
                            text.0.insert(lang.clone(), s.clone());
                        }
                        None => {
                            let d = self
                                .origin
                                .at(
                                    Kind::Config,
                                    format!("the {what} has no `{lang}` value"),
                                    value,
                                )
                                .hint(format!("add `{lang}: ...` to the {what}"));
                            self.diags.push(d);
                        }
                    }
                    if map.get(lang.as_str()).is_none() && source.is_some() {
                        let d = Diagnostic::warning(
                            Kind::Config,
                            FILE,
                            format!(
                                "the {what} has no `{lang}` value; the source language's is used"
                            ),
                        );
                        self.diags.push(
                            d.at(self.origin.text, value.line, value.column)
                                .hint(format!("add `{lang}: ...` to the {what}")),
                        );
                    }
                }
            }
        }
        text
    }
}

fn valid_lang(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 12
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && code.parse::<unic_langid::LanguageIdentifier>().is_ok()
}

/// `(year, month, day)` from `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut parts = s.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d) && s.len() == 10).then_some((y, m, d))
}

/// Days from the civil date `(y, m, d)` to 1970-01-01 (negative before it).
fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
    // Howard Hinnant's algorithm: count whole 400-year eras, then days within the era.
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(m);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Today, in days since 1970-01-01.
fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// How many days ago `date` (YYYY-MM-DD) was, counted from `today`.
fn days_since(date: &str, today: i64) -> Option<i64> {
    parse_date(date).map(|d| today - days_from_civil(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title:\n  en: Care\n  es: Cuidado\nlanguages: [en, es]\norganization:\n  name: Center\n  phone: 555-0100\ncrisis_lines:\n  - label: { en: Call 988, es: Llame al 988 }\n    phone: \"988\"\n    verified: 2026-09-01\nprograms:\n  short:\n    title: Short\n    modules: [01-a, 02-b]\n";

    #[test]
    fn a_good_config_resolves_every_language() {
        let (config, diags) = parse(GOOD);
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        let es = Lang::new("es");
        assert_eq!(config.title.get(&es), "Cuidado");
        assert_eq!(config.organization.name.get(&es), "Center");
        assert_eq!(config.crisis_lines[0].label.get(&es), "Llame al 988");
        assert_eq!(config.programs[0].modules[1].0, "02-b");
        assert_eq!(config.programs[0].modules[1].1, 15);
    }

    #[test]
    fn unknown_keys_are_errors_with_suggestions() {
        let text = GOOD.replace("languages:", "langauges:");
        let (config, diags) = parse(&format!("{text}baseurl: x\n"));
        assert!(config.is_none());
        let hints: Vec<_> = diags.iter().filter_map(|d| d.hint.as_deref()).collect();
        assert!(hints.contains(&"did you mean `languages`?"), "{diags:?}");
        assert!(hints.contains(&"did you mean `base_url`?"), "{diags:?}");
    }

    #[test]
    fn nested_unknown_keys_are_found_too() {
        let text = GOOD.replace("  phone: 555-0100", "  phnoe: 555-0100");
        let (_, diags) = parse(&text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 7);
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `phone`?"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn dates_count_days() {
        assert_eq!(days_from_civil((1970, 1, 1)), 0);
        assert_eq!(days_from_civil((2000, 3, 1)), 11_017);
        assert_eq!(
            days_since("2025-11-26", days_from_civil((2026, 11, 26))),
            Some(365)
        );
    }

    #[test]
    fn a_crisis_line_checked_long_ago_is_a_warning() {
        let (config, diags) = parse(&GOOD.replace("2026-09-01", "2020-01-15"));
        assert!(config.is_some());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].severity, diags[0].line),
            (crate::diagnostic::Severity::Warning, 11)
        );
    }

    #[test]
    fn a_missing_translation_of_a_value_is_a_warning() {
        let text = GOOD.replace("  es: Cuidado\n", "");
        let (config, diags) = parse(&text);
        assert!(config.is_some());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, crate::diagnostic::Severity::Warning);
    }
}
