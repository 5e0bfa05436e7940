//! `hearth.yaml`: the raw file (`RawConfig`, as serde reads it) and the validated
//! `Config` the rest of hearth uses, with every localised value resolved for every language.
//! A partner edition (`editions/<id>.yaml`, in [`edition`]) is laid over it into another
//! `Config`, so the rest of hearth builds an edition as it builds any site.

pub mod edition;

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

// `name` is required in hearth.yaml and optional in an edition, which keeps the site's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganization {
    name: Option<Spanned<Localized>>,
    url: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    logo: Option<Spanned<String>>,
    logo_alt: Option<Spanned<Localized>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrisisLine {
    id: Option<Spanned<String>>,
    label: Spanned<Localized>,
    phone: Option<String>,
    url: Option<String>,
    sms: Option<RawSms>,
    verified: Option<Spanned<String>>,
    footer: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSms {
    number: String,
    body: Option<Spanned<Localized>>,
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
    /// The languages pages are made in, in the order the site offers them (the first is
    /// the home language): `languages` for the toolkit's own site, an edition's subset in
    /// the partner's order for an edition. `languages` stays the toolkit's, source first,
    /// since content is read, ordered and compared with its source in all of them.
    pub published: Vec<Lang>,
    /// The partner edition this configuration is, if it is one.
    pub edition: Option<edition::Edition>,
    /// Not a key of the file: set when PDFs are printed with the site (`hearth pdf`), so
    /// each print page links its PDF.
    pub pdf: bool,
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
    /// `logo:`, a file under `static/` (checked to exist), shown in every page's header
    /// and on every printout.
    pub logo: Option<String>,
    /// `logo_alt:`, the logo's text for screen readers; the organisation's name when unset.
    pub logo_alt: Text,
}

/// A crisis line shown in the crisis box and the print footer.
#[derive(Debug, Clone)]
pub struct CrisisLine {
    /// `id:`, what content names the line by (`{{crisis.988}}`); unique within a list.
    pub id: Option<String>,
    /// `label:`, in each language: what the line is called, in the footers and crisis box.
    pub label: Text,
    /// `phone:` as written: the `tel:` link, added after the label unless the label already
    /// says it.
    pub phone: Option<String>,
    /// `url:` as written: the link on screen when there is no `phone`; print shows it bare.
    pub url: Option<String>,
    /// `sms:`: the number to text, and what to write, in each language that has a body.
    pub sms: Option<Sms>,
    /// `YYYY-MM-DD`, with its line in its file; the "over a year old" warning is given
    /// while validating.
    pub verified: Option<(String, usize)>,
    /// `footer:`, true unless set to false: whether the line is in every page's footer,
    /// every printout's footer and the crisis box. A line with `footer: false` shows only
    /// where the text names it (`{{crisis.ID}}`, the `crisis-lines` block).
    pub footer: bool,
}

/// How to reach a crisis line by text message.
#[derive(Debug, Clone)]
pub struct Sms {
    /// The number to text, as written.
    pub number: String,
    /// The message to start with, by language; a language without one opens an empty text.
    pub body: BTreeMap<Lang, String>,
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

/// `hearth.yaml` in `root` for a command that cannot go on without it (`new`,
/// `translations`): its errors, as `check` shows them, when it is unusable.
pub fn load_usable(root: &Path) -> anyhow::Result<Config> {
    let (config, diags) = load(root);
    config.ok_or_else(|| {
        let text: Vec<String> = diags.iter().map(|d| d.render(false)).collect();
        anyhow::anyhow!("hearth.yaml has errors:\n{}", text.join("\n"))
    })
}

/// Reads and validates `hearth.yaml` in `root`. Errors and warnings come back together;
/// the config is `None` when an error makes it unusable.
pub fn load(root: &Path) -> (Option<Config>, Vec<Diagnostic>) {
    let path = root.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_on(&text, today(), Some(root)),
        Err(e) => {
            let d = Diagnostic::error(Kind::Config, FILE, format!("cannot read `{FILE}`: {e}"))
                .hint(
                    "run hearth in a toolkit project's folder, or start one with `hearth init DIR`",
                );
            (None, vec![d])
        }
    }
}

/// The keys hearth.yaml and an edition's file both take (each has others of its own).
const SHARED_KEYS: [&str; 6] = [
    "title",
    "languages",
    "base_url",
    "theme",
    "organization",
    "crisis_lines",
];

/// Validates the text of a `hearth.yaml`, without looking for its logo.
pub fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
    parse_on(text, today(), None)
}

/// [`parse`], with crisis lines' `verified` dates counted from `today`, and the logo
/// looked for under `root`'s `static/` when a root is given.
fn parse_on(text: &str, today: Date, root: Option<&Path>) -> (Option<Config>, Vec<Diagnostic>) {
    let origin = Origin {
        file: Path::new(FILE),
        text,
        line_offset: 0,
    };
    let keys: Vec<&str> = SHARED_KEYS
        .iter()
        .copied()
        .chain(["programs", "allow_raw_html"])
        .collect();
    let mut diags = yaml::check_keys(text, &keys, "key", origin);
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
        known: Vec::new(),
        root,
        strict: false,
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
    /// The project folder, to find a logo in; `None` when validating text alone.
    root: Option<&'a Path>,
    /// The toolkit's languages: an edition may give values in any of them, though it
    /// publishes only `languages`.
    known: Vec<Lang>,
    /// An edition's values must be given in each of its languages: a partner's crisis
    /// line in the toolkit's source language only is an error, not a fallback.
    strict: bool,
}

impl Validator<'_> {
    fn config(&mut self, raw: RawConfig) -> Option<Config> {
        self.languages(&raw.languages);
        if self.languages.is_empty() {
            return None;
        }
        self.known = self.languages.clone();
        let title = self.text(&raw.title, "title");
        let base_url = raw.base_url.as_ref().and_then(|u| self.base_url(u));
        let theme = raw.theme.map_or_else(|| "default".to_owned(), |t| t.value);
        let organization = match &raw.organization {
            Some(org) => self.organization(org, None),
            None => Organization::default(),
        };
        let crisis_lines = self.crisis_lines(&raw.crisis_lines);
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
            pdf: false,
            text: self.origin.text.to_owned(),
            published: self.languages.clone(),
            edition: None,
        })
    }

    /// `organization:`; in an edition, laid over the site's `base` key by key.
    fn organization(
        &mut self,
        raw: &Spanned<RawOrganization>,
        base: Option<&Organization>,
    ) -> Organization {
        let org = &raw.value;
        let name = match (&org.name, base) {
            (Some(name), None) => self.text(name, "organization name"),
            (Some(name), Some(base)) => self.text_over(&base.name, name, "organization name"),
            (None, Some(base)) => base.name.clone(),
            (None, None) => {
                let d = self
                    .origin
                    .at(Kind::Config, "the organization has no `name`", raw)
                    .hint("add `name:` with the organization's name in each language");
                self.diags.push(d);
                Text::default()
            }
        };
        let logo_alt = match (&org.logo_alt, base) {
            (Some(alt), None) => self.text(alt, "logo's `logo_alt`"),
            (Some(alt), Some(base)) => self.text_over(&base.logo_alt, alt, "logo's `logo_alt`"),
            // The name is what the logo shows, unless a partner says otherwise.
            (None, Some(base)) if org.name.is_none() => base.logo_alt.clone(),
            (None, _) => name.clone(),
        };
        let inherit = |own: &Option<String>, theirs: fn(&Organization) -> &Option<String>| {
            own.clone().or_else(|| base.and_then(|b| theirs(b).clone()))
        };
        Organization {
            url: inherit(&org.url, |b| &b.url),
            phone: inherit(&org.phone, |b| &b.phone),
            email: inherit(&org.email, |b| &b.email),
            logo: match &org.logo {
                Some(logo) => self.logo(logo),
                None => base.and_then(|b| b.logo.clone()),
            },
            name,
            logo_alt,
        }
    }

    /// A logo's path under `static/`, when the file is there.
    fn logo(&mut self, logo: &Spanned<String>) -> Option<String> {
        let path = logo.value.trim_start_matches("static/");
        let inside = !path.is_empty()
            && Path::new(path)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        let found = self
            .root
            .is_none_or(|root| root.join("static").join(path).is_file());
        if inside && found {
            return Some(path.to_owned());
        }
        let d = self
            .origin
            .at(
                Kind::Config,
                format!("the logo `{}` is not a file in `static/`", logo.value),
                logo,
            )
            .hint(self.logo_hint(path));
        self.diags.push(d);
        None
    }

    /// What to do about a logo that is not in `static/`: the file meant, when one there is
    /// close (or differs only in capitals), else where to put it.
    fn logo_hint(&self, path: &str) -> String {
        let files: Vec<String> = self.root.map_or_else(Vec::new, |root| {
            let dir = root.join("static");
            walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(&dir).ok()?;
                    Some(rel.to_string_lossy().replace('\\', "/"))
                })
                .collect()
        });
        if let Some(same) = files.iter().find(|f| f.eq_ignore_ascii_case(path)) {
            return crate::diagnostic::capitals_hint(same);
        }
        match crate::diagnostic::did_you_mean(path, &files) {
            Some(hint) => hint,
            None => "put the logo in the project's `static/` folder and give its path inside that folder".to_owned(),
        }
    }

    /// `crisis_lines:`, in order, with ids checked to be distinct.
    fn crisis_lines(&mut self, raw: &[Spanned<RawCrisisLine>]) -> Vec<CrisisLine> {
        let mut ids: Vec<&str> = Vec::new();
        raw.iter()
            .map(|line| {
                let line = &line.value;
                if let Some(id) = &line.id {
                    if ids.contains(&id.value.as_str()) {
                        let d = self
                            .origin
                            .at(
                                Kind::Config,
                                format!("two crisis lines have the id `{}`", id.value),
                                id,
                            )
                            .hint("give each line its own `id`: content names a line by it");
                        self.diags.push(d);
                    }
                    ids.push(&id.value);
                }
                CrisisLine {
                    id: line.id.as_ref().map(|i| i.value.clone()),
                    // Read before the label, so the diagnostics come in the file's order.
                    verified: line.verified.as_ref().and_then(|v| self.verified(v)),
                    label: self.text(&line.label, "crisis line label"),
                    phone: line.phone.clone(),
                    url: line.url.clone(),
                    footer: line.footer.unwrap_or(true),
                    sms: line.sms.as_ref().map(|sms| Sms {
                        number: sms.number.clone(),
                        body: sms
                            .body
                            .as_ref()
                            .map(|b| self.partial(b))
                            .unwrap_or_default(),
                    }),
                }
            })
            .collect()
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
                self.origin.file,
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

    /// Resolves a localised value for every language, reporting gaps and strays. Outside
    /// an edition a missing language falls back to the source language's value, with a
    /// warning; in an edition it is an error.
    fn text(&mut self, value: &Spanned<Localized>, what: &str) -> Text {
        let mut text = Text::default();
        let map = match &value.value {
            Localized::One(s) => {
                for lang in &self.languages {
                    text.0.insert(lang.clone(), s.clone());
                }
                return text;
            }
            Localized::Many(map) => map,
        };
        self.strays(map, value, what);
        let source = map.get(self.languages[0].as_str()).filter(|_| !self.strict);
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
                    self.origin.file,
                    format!("the {what} has no `{lang}` value; the source language's is used"),
                );
                self.diags.push(
                    d.at(self.origin.text, value.line, value.column)
                        .hint(format!("add `{lang}: ...` to the {what}")),
                );
            }
        }
        text
    }

    /// An edition's localised value laid over the site's: the languages it gives replace
    /// the site's, the others stay.
    fn text_over(&mut self, base: &Text, value: &Spanned<Localized>, what: &str) -> Text {
        let mut text = base.clone();
        match &value.value {
            Localized::One(s) => {
                for v in text.0.values_mut() {
                    s.clone_into(v);
                }
            }
            Localized::Many(map) => {
                self.strays(map, value, what);
                for (lang, s) in map {
                    text.0.insert(Lang::new(lang.clone()), s.clone());
                }
            }
        }
        text
    }

    /// A value only some languages need (a text message's body): what is given, by language.
    fn partial(&mut self, value: &Spanned<Localized>) -> BTreeMap<Lang, String> {
        match &value.value {
            Localized::One(s) => self
                .languages
                .iter()
                .map(|l| (l.clone(), s.clone()))
                .collect(),
            Localized::Many(map) => {
                self.strays(map, value, "text message's body");
                map.iter()
                    .map(|(l, s)| (Lang::new(l.clone()), s.clone()))
                    .collect()
            }
        }
    }

    /// An error for each language a value is given in that the toolkit does not have.
    fn strays(&mut self, map: &BTreeMap<String, String>, value: &Spanned<Localized>, what: &str) {
        for key in map.keys() {
            if !self.known.iter().any(|l| l.as_str() == key) {
                let d = self.origin.at(
                    Kind::Config,
                    format!("the {what} has a `{key}` value, but `{key}` is not in `languages`"),
                    value,
                );
                self.diags
                    .push(d.hint("add the language to `languages`, or remove the value"));
            }
        }
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
        parse_on(text, date("2026-11-30"), None)
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
        let (_, diags) = parse_on(&GOOD.replace("2026-09-01", "2025-11-30"), day, None);
        assert!(diags.is_empty(), "{diags:?}");
        let (_, diags) = parse_on(&GOOD.replace("2026-09-01", "2025-11-29"), day, None);
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
