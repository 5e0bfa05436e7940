//! `hearth.yaml`: the raw file (`RawConfig`, as serde reads it) and the validated
//! `Config` the rest of hearth uses, with every localised value resolved for every language.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
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
    /// A language code, unchecked: `hearth.yaml`'s validation decides which are valid.
    pub fn new(code: impl Into<String>) -> Self {
        Lang(code.into())
    }
    /// The code as written, for paths and URLs.
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
    /// `title:`: the site's name in each language, in every page's header and `<title>`, the
    /// print header, and as the home page's title when `_index.md` gives none.
    pub title: Text,
    /// The first is the source language.
    pub languages: Vec<Lang>,
    /// Always ends in `/` when present.
    pub base_url: Option<String>,
    /// `theme:`, `default` when unset; another name is a folder under `themes/`, laid
    /// over the built-in theme.
    pub theme: String,
    /// `organization:`, in every page footer and the print footer; all empty when unset.
    pub organization: Organization,
    /// `crisis_lines:`, in the order written; none when unset.
    pub crisis_lines: Vec<CrisisLine>,
    /// `programs:`, sorted by id (the file's keys), whatever order they are written in.
    pub programs: Vec<Program>,
    /// Whether HTML in content is kept as written instead of cleaned: a trust decision
    /// (every author may then put scripts on caregivers' pages), off unless set.
    pub allow_raw_html: bool,
    /// The file's text, for diagnostics raised after validation.
    pub text: String,
}

/// The partner hosting the site, named on every page footer and printout.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    /// `name:`, in each language; empty when hearth.yaml has no `organization:`.
    pub name: Text,
    /// `url:` as written: the footer links the name to it; the print footer shows it bare,
    /// and only when there is no `email`.
    pub url: Option<String>,
    /// `phone:` as written, also used as the `tel:` link.
    pub phone: Option<String>,
    /// `email:` as written, also used as the `mailto:` link.
    pub email: Option<String>,
}

/// A crisis line shown in the crisis box and the print footer.
#[derive(Debug, Clone)]
pub struct CrisisLine {
    /// `label:`, in each language: what the line is called, in the footers and crisis box.
    pub label: Text,
    /// `phone:` as written: the `tel:` link, added after the label unless the label already
    /// says it.
    pub phone: Option<String>,
    /// `url:` as written: the link on screen when there is no `phone`; print shows it bare.
    pub url: Option<String>,
    /// `YYYY-MM-DD`, with its line in hearth.yaml; the "over a year old" warning is given
    /// while validating, so nothing reads this yet (editions will, per edition).
    pub verified: Option<(String, usize)>,
}

/// A partner's own sequence of modules.
#[derive(Debug, Clone)]
pub struct Program {
    /// The key under `programs:`, used as is in its addresses (`<lang>/programs/<id>/`).
    pub id: String,
    /// `title:`, in each language.
    pub title: Text,
    /// Module folder names, each with the line and column that names it.
    pub modules: Vec<(String, usize, usize)>,
}

impl Config {
    /// The language translations are made from: the first listed.
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
    parse_on(text, today())
}

/// [`parse`], with crisis lines' `verified` dates counted from `today`.
fn parse_on(text: &str, today: Date) -> (Option<Config>, Vec<Diagnostic>) {
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
        today,
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

/// Turns a `RawConfig` into a `Config`, collecting every problem on the way.
struct Validator<'a> {
    origin: Origin<'a>,
    today: Date,
    diags: Vec<Diagnostic>,
    /// The valid ones, once `languages` is read; every localised value needs them.
    languages: Vec<Lang>,
}

impl Validator<'_> {
    fn config(&mut self, raw: RawConfig) -> Option<Config> {
        self.languages(&raw.languages);
        if self.languages.is_empty() {
            return None;
        }
        let title = self.text(&raw.title, "title");
        let base_url = raw.base_url.as_ref().and_then(|u| self.base_url(u));
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
            .map(|line| CrisisLine {
                // Read before the label, so the diagnostics come in the file's order.
                verified: line.value.verified.as_ref().and_then(|v| self.verified(v)),
                label: self.text(&line.value.label, "crisis line label"),
                phone: line.value.phone.clone(),
                url: line.value.url.clone(),
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

    /// Keeps the valid, distinct language codes, in order.
    fn languages(&mut self, codes: &Spanned<Vec<Spanned<String>>>) {
        for code in &codes.value {
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
        if codes.value.is_empty() {
            let d = self
                .origin
                .at(Kind::Config, "`languages` is empty", codes)
                .hint(
                    "list at least one language, the source language first: `languages: [en, es]`",
                );
            self.diags.push(d);
        }
    }

    /// A full web address, ending in `/` so page paths can be appended to it.
    fn base_url(&mut self, u: &Spanned<String>) -> Option<String> {
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
    }

    /// A crisis line's `verified` date with its line; a warning when it is over a year
    /// old, since a number nobody has called lately may no longer answer.
    fn verified(&mut self, v: &Spanned<String>) -> Option<(String, usize)> {
        let Some(date) = parse_date(&v.value) else {
            let d = self
                .origin
                .at(Kind::Config, format!("`{}` is not a date", v.value), v)
                .hint("write the date the number was last checked as YYYY-MM-DD");
            self.diags.push(d);
            return None;
        };
        if days_between(date, self.today) > 365 {
            let d = Diagnostic::warning(
                Kind::Config,
                FILE,
                format!(
                    "this crisis line was last checked on {}, more than a year ago",
                    v.value
                ),
            );
            self.diags.push(
                d.at(self.origin.text, v.line, v.column)
                    .width(v.value.len())
                    .hint(
                        "call or visit the line to confirm it still works, then update `verified`",
                    ),
            );
        }
        Some((v.value.clone(), v.line))
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

/// A day written `YYYY-MM-DD` that exists on the calendar (no 2026-02-31).
fn parse_date(s: &str) -> Option<Date> {
    // jiff reads other ISO 8601 forms too (`20260901`, `2026-09-01T10:00`); authors are
    // asked for this one, so that every `verified` reads the same.
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    s.parse().ok()
}

/// Today in UTC; or, when `SOURCE_DATE_EPOCH` (seconds since 1970) is set, that day, so
/// that reproducible builds and tests do not change with the calendar.
fn today() -> Date {
    let pinned = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|secs| secs.trim().parse::<i64>().ok())
        .and_then(|secs| Timestamp::from_second(secs).ok());
    TimeZone::UTC
        .to_datetime(pinned.unwrap_or_else(Timestamp::now))
        .date()
}

/// Whole days from `earlier` to `later`.
fn days_between(earlier: Date, later: Date) -> i64 {
    i64::from((later - earlier).get_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn date(s: &str) -> Date {
        parse_date(s).expect("a date")
    }

    /// `parse` on a fixed day, so these tests pass in any year.
    fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
        parse_on(text, date("2026-11-30"))
    }

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
        let date = |s| parse_date(s).unwrap();
        assert_eq!(days_between(date("2025-11-26"), date("2026-11-26")), 365);
        assert_eq!(days_between(date("2024-02-28"), date("2024-03-01")), 2);
        assert_eq!(parse_date("2026-9-01"), None);
        assert_eq!(parse_date("20260901"), None);
    }

    #[test]
    fn an_impossible_date_is_an_error_on_its_line() {
        let (config, diags) = parse(&GOOD.replace("2026-09-01", "2026-02-31"));
        assert!(config.is_none());
        assert_eq!(diags.len(), 1, "{diags:?}");
        let d = &diags[0];
        assert_eq!(
            (d.severity, d.kind, d.line),
            (Severity::Error, Kind::Config, 11)
        );
        assert_eq!(d.message, "`2026-02-31` is not a date");
        assert!(d.hint.is_some());
        assert!(parse_date("2024-02-29").is_some());
        assert_eq!(parse_date("2023-02-29"), None);
    }

    #[test]
    fn today_can_be_pinned_for_reproducible_builds() {
        let day = date("2026-11-30");
        let (_, diags) = parse_on(&GOOD.replace("2026-09-01", "2025-11-30"), day);
        assert!(diags.is_empty(), "{diags:?}");
        let (_, diags) = parse_on(&GOOD.replace("2026-09-01", "2025-11-29"), day);
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn a_crisis_line_checked_long_ago_is_a_warning() {
        let (config, diags) = parse(&GOOD.replace("2026-09-01", "2020-01-15"));
        assert!(config.is_some());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].severity, diags[0].line), (Severity::Warning, 11));
    }

    #[test]
    fn a_missing_translation_of_a_value_is_a_warning() {
        let text = GOOD.replace("  es: Cuidado\n", "");
        let (config, diags) = parse(&text);
        assert!(config.is_some());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Warning);
    }
}
