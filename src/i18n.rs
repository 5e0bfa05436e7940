//! Interface strings: one Fluent bundle per language, from the theme's `.ftl` files with
//! the project's `locales/<lang>.ftl` laid over them, and [`Key`], every string hearth's
//! own code asks for. A missing string is an error `check` reports (see `strings`), never
//! a silent fall-back to another language.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::config::Lang;
use crate::content::HandoutKind;
use crate::diagnostic::{Diagnostic, Kind};
use crate::markdown::{BlockName, Format};

/// Declares [`Key`] with its Fluent ids and the variables the code passes, so that the
/// list of every key cannot miss one.
macro_rules! keys {
    ($($name:ident = $id:literal $(($($arg:ident),*))?,)*) => {
        /// An interface string hearth's own code asks for (templates name theirs in
        /// `t(k="…")`). Code asks [`I18n::get`] for a `Key`, so [`Key::ALL`] lists every
        /// string the code can use, and `check` can make sure each language has them all.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Key {
            // Each variant's doc is its Fluent id, which its name only suggests.
            $(#[doc = concat!("`", $id, "` in the `.ftl` files.")] $name,)*
        }

        impl Key {
            /// Every key, in declaration order.
            pub const ALL: &[Key] = &[$(Key::$name,)*];

            /// The Fluent message id.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Key::$name => $id,)*
                }
            }

            /// The variables the code passes (`$n`), the only ones a translation can use.
            pub fn args(self) -> &'static [&'static str] {
                match self {
                    $(Key::$name => &[$($(stringify!($arg)),*)?],)*
                }
            }
        }
    };
}

keys! {
    LanguageName = "language-name",
    EnterSite = "enter-site",
    NotFound = "not-found",
    NotFoundText = "not-found-text",
    GoHome = "go-home",
    CrisisHeading = "crisis-heading",
    ModuleNotTranslated = "module-not-translated" (language, source),
    OnlyIn = "only-in" (language),
    GuideMissing = "guide-missing" (language),
    FacilitatorGuideTitle = "facilitator-guide-title" (title),
    ForFacilitators = "for-facilitators",
    SessionNumber = "session-number" (n),
    SessionPacket = "session-packet",
    AllHandoutsTitle = "all-handouts-title",
    BundleStartFile = "bundle-start-file",
    BundleStartLink = "bundle-start-link" (site),
    BundleReadmeFile = "bundle-readme-file",
    BundleReadme = "bundle-readme" (site, start),
    BinderTitle = "binder-title",
    ProgramBinderTitle = "program-binder-title" (title),
    Minutes = "minutes" (n),
    WriteHere = "write-here",
    NotInProgram = "not-in-program",
    Sms = "sms" (number),
    SmsWithBody = "sms-with-body" (body, number),
    BlockFacilitator = "block-facilitator",
    BlockSay = "block-say",
    BlockAdapt = "block-adapt",
    BlockActivity = "block-activity",
    BlockDiscussion = "block-discussion",
    BlockPractice = "block-practice",
    BlockTip = "block-tip",
    BlockNote = "block-note",
    BlockWarning = "block-warning",
    BlockLines = "block-lines",
    ParticipantTextHeading = "participant-text-heading",
    FormatInPerson = "format-in-person",
    FormatVirtual = "format-virtual",
    HandoutWorksheet = "handout-worksheet",
    HandoutTipSheet = "handout-tip-sheet",
    HandoutReflection = "handout-reflection",
    HandoutReference = "handout-reference",
}

impl Key {
    /// The label of a named block.
    pub fn block(name: BlockName) -> Key {
        match name {
            BlockName::Facilitator => Key::BlockFacilitator,
            BlockName::Say => Key::BlockSay,
            BlockName::Adapt => Key::BlockAdapt,
            BlockName::Activity => Key::BlockActivity,
            BlockName::Discussion => Key::BlockDiscussion,
            BlockName::Practice => Key::BlockPractice,
            BlockName::Tip => Key::BlockTip,
            BlockName::Note => Key::BlockNote,
            BlockName::Warning => Key::BlockWarning,
            BlockName::Lines => Key::BlockLines,
            BlockName::CrisisLines => Key::CrisisHeading,
            BlockName::ParticipantText => Key::ParticipantTextHeading,
        }
    }

    /// The name of a session format.
    pub fn format(format: Format) -> Key {
        match format {
            Format::InPerson => Key::FormatInPerson,
            Format::Virtual => Key::FormatVirtual,
        }
    }

    /// The name of a kind of handout.
    pub fn handout_kind(kind: HandoutKind) -> Key {
        match kind {
            HandoutKind::Worksheet => Key::HandoutWorksheet,
            HandoutKind::TipSheet => Key::HandoutTipSheet,
            HandoutKind::Reflection => Key::HandoutReflection,
            HandoutKind::Reference => Key::HandoutReference,
        }
    }
}

/// The id of a sensitive topic's name (`topic-self-harm`): the only id the code builds
/// from content, so `check` asks for it only for the topics the content uses.
pub fn topic_id(topic: &str) -> String {
    format!("topic-{topic}")
}

/// One `.ftl` file's text and where it came from.
pub struct FtlFile {
    /// The language whose bundle it joins; files of languages not configured are skipped.
    pub lang: Lang,
    /// For diagnostics: relative to the project, or `(built-in theme)/…`.
    pub file: PathBuf,
    /// The Fluent source, as read.
    pub text: String,
}

/// The strings of every language.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    /// Each message's source, from the file that won.
    sources: HashMap<Lang, HashMap<String, MessageSource>>,
}

/// Where a message is written, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSource {
    /// The file that won: the project's `locales/`, else the theme's, else the built-in one.
    pub file: PathBuf,
    /// 1-based line of `id =`.
    pub line: usize,
    /// `id = text`, with any lines that continue it.
    pub text: String,
}

/// A value passed into a Fluent message.
pub enum Arg<'a> {
    /// A number: Fluent can choose a plural by it (`$n`).
    Number(i64),
    /// Text, put in as it is.
    Str(&'a str),
}

impl I18n {
    /// Builds bundles from `files`, later files overriding earlier ones.
    pub fn new(langs: &[Lang], files: Vec<FtlFile>) -> (I18n, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut bundles = HashMap::new();
        let mut sources: HashMap<Lang, HashMap<String, MessageSource>> = HashMap::new();
        for lang in langs {
            // Codes were validated with the configuration.
            let id = lang.as_str().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks around each variable would reach titles, `<title>` and print
            // footers as invisible characters that screen readers may announce.
            bundle.set_use_isolating(false);
            bundles.insert(lang.clone(), bundle);
        }
        for f in files {
            let Some(bundle) = bundles.get_mut(&f.lang) else {
                continue;
            };
            sources.entry(f.lang.clone()).or_default().extend(
                message_sources(&f.text)
                    .into_iter()
                    .map(|(id, line, text)| {
                        let file = f.file.clone();
                        (id, MessageSource { file, line, text })
                    }),
            );
            let resource = match FluentResource::try_new(f.text.clone()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        diags.push(
                            Diagnostic::error(Kind::Strings, &f.file, format!("this Fluent string cannot be read: {}", e.kind))
                                .at_offset(&f.text, e.pos.start, e.pos.len().max(1))
                                .hint("write strings as `key = text`; see https://projectfluent.org/fluent/guide/"),
                        );
                    }
                    r
                }
            };
            bundle.add_resource_overriding(resource);
        }
        (I18n { bundles, sources }, diags)
    }

    /// The string `key` in `lang`, formatted with `args`.
    pub fn get(&self, lang: &Lang, key: Key, args: &[(&str, Arg)]) -> Result<String, String> {
        debug_assert!(
            args.iter().all(|(name, _)| key.args().contains(name)),
            "declare the variables of {key:?} in `keys!`"
        );
        self.message(lang, key.as_str(), args)
    }

    /// The message `key` in `lang`, formatted with `args`, for ids known only while
    /// running: a template's `t(k="…")` and a sensitive topic's [`topic_id`].
    pub fn message(&self, lang: &Lang, key: &str, args: &[(&str, Arg)]) -> Result<String, String> {
        let bundle = self
            .bundles
            .get(lang)
            .ok_or_else(|| format!("no strings are loaded for `{lang}`"))?;
        let message = bundle
            .get_message(key)
            .ok_or_else(|| format!("the string `{key}` is missing in `{lang}`"))?;
        let pattern = message
            .value()
            .ok_or_else(|| format!("the string `{key}` has no value in `{lang}`"))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(*s)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        match errors.first() {
            Some(e) => Err(format!(
                "the string `{key}` in `{lang}` cannot be formatted: {e}"
            )),
            None => Ok(text.into_owned()),
        }
    }

    /// Whether `lang` has the string `key`.
    pub fn has(&self, lang: &Lang, key: &str) -> bool {
        self.bundles
            .get(lang)
            .and_then(|b| b.get_message(key))
            .is_some_and(|m| m.value().is_some())
    }

    /// Where and how the message `key` of `lang` is written, by the file that won.
    pub fn source(&self, lang: &Lang, key: &str) -> Option<&MessageSource> {
        self.sources.get(lang)?.get(key)
    }
}

/// Every message in a `.ftl` text as (id, 1-based line, source): the `id = …` line and
/// the indented lines (or a placeable's closing `}`) that continue it. Terms (`-id`) and
/// comments are left out.
pub fn message_sources(ftl: &str) -> Vec<(String, usize, String)> {
    let mut messages: Vec<(String, usize, String)> = Vec::new();
    let mut open = false;
    for (n, line) in ftl.lines().enumerate() {
        let id_len = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(line.len());
        let starts_message = line.starts_with(|c: char| c.is_ascii_alphabetic())
            && line[id_len..].trim_start().starts_with('=');
        if starts_message {
            messages.push((line[..id_len].to_owned(), n + 1, line.trim_end().to_owned()));
            open = true;
        } else if open && line.starts_with([' ', '\t', '}']) && !line.trim().is_empty() {
            let (_, _, text) = messages.last_mut().expect("a message is open");
            text.push('\n');
            text.push_str(line.trim_end());
        } else {
            open = line.trim().is_empty() && open;
        }
    }
    messages
}

/// The project's own `.ftl` files for `langs`: `locales/<lang>.ftl`.
pub fn project_files(
    root: &Path,
    dir: &str,
    langs: &[Lang],
) -> Result<Vec<FtlFile>, std::io::Error> {
    let mut files = Vec::new();
    for lang in langs {
        let rel = Path::new(dir).join(format!("{lang}.ftl"));
        let path = root.join(&rel);
        if path.is_file() {
            files.push(FtlFile {
                lang: lang.clone(),
                file: rel,
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n(es: &str) -> (I18n, Vec<Diagnostic>) {
        let es_lang = Lang::new("es");
        I18n::new(
            std::slice::from_ref(&es_lang),
            vec![
                FtlFile {
                    lang: es_lang.clone(),
                    file: "theme/es.ftl".into(),
                    text: "minutes = { $n ->\n    [one] 1 minuto\n   *[other] { $n } minutos\n}\nhello = Hola\n".into(),
                },
                FtlFile {
                    lang: es_lang.clone(),
                    file: "locales/es.ftl".into(),
                    text: es.into(),
                },
            ],
        )
    }

    #[test]
    fn plurals_and_overrides_work() {
        let (i, d) = i18n("hello = Buenas\n");
        assert!(d.is_empty());
        let es = Lang::new("es");
        assert_eq!(
            i.get(&es, Key::Minutes, &[("n", Arg::Number(1))]).unwrap(),
            "1 minuto"
        );
        assert_eq!(
            i.get(&es, Key::Minutes, &[("n", Arg::Number(15))]).unwrap(),
            "15 minutos"
        );
        assert_eq!(i.message(&es, "hello", &[]).unwrap(), "Buenas");
        assert!(
            i.message(&es, "absent", &[])
                .unwrap_err()
                .contains("missing")
        );
        let hello = i.source(&es, "hello").unwrap();
        assert_eq!(
            (hello.file.to_str(), hello.line),
            (Some("locales/es.ftl"), 1)
        );
        assert_eq!(hello.text, "hello = Buenas");
    }

    #[test]
    fn message_sources_keep_continuation_lines_and_skip_terms_and_comments() {
        let ftl = "# A comment\n-brand = Hearth\nhome = Home\nminutes = { $n ->\n    [one] 1 minute\n   *[other] { $n } minutes\n}\n\nnext=Next:\n";
        assert_eq!(
            message_sources(ftl),
            [
                ("home".to_owned(), 3, "home = Home".to_owned()),
                (
                    "minutes".to_owned(),
                    4,
                    "minutes = { $n ->\n    [one] 1 minute\n   *[other] { $n } minutes\n}"
                        .to_owned()
                ),
                ("next".to_owned(), 9, "next=Next:".to_owned()),
            ]
        );
    }

    #[test]
    fn every_key_has_its_own_id_and_the_theme_has_it_in_every_language() {
        let ids: std::collections::HashSet<&str> = Key::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(ids.len(), Key::ALL.len(), "two keys share an id");
        for (code, ftl) in crate::theme::DEFAULT_LOCALES {
            let theirs: Vec<String> = message_sources(ftl)
                .into_iter()
                .map(|(id, ..)| id)
                .collect();
            for key in Key::ALL {
                assert!(
                    theirs.iter().any(|id| id == key.as_str()),
                    "the theme's {code}.ftl lacks `{}`",
                    key.as_str()
                );
            }
        }
    }

    /// The code asks for strings only through [`Key`] (which the compiler enforces for
    /// [`I18n::get`]); this catches an id written out anywhere else in `src/`, such as a
    /// literal passed to [`I18n::message`], which `check` would not know to look for.
    #[test]
    fn every_theme_string_the_code_names_is_a_key() {
        let theme: Vec<String> = message_sources(crate::theme::DEFAULT_LOCALES[0].1)
            .into_iter()
            .map(|(id, ..)| id)
            .collect();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stray = Vec::new();
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                for literal in line.split('"').skip(1).step_by(2) {
                    // One-word ids (`home`) are also CSS classes; `message(` catches those.
                    let known = literal.contains('-') && theme.iter().any(|id| id == literal);
                    if known && !Key::ALL.iter().any(|k| k.as_str() == literal) {
                        stray.push(format!("{}:{}: \"{literal}\"", path.display(), n + 1));
                    }
                }
                if let Some((_, after)) = line.split_once(".message(")
                    && after
                        .split(',')
                        .nth(1)
                        .is_some_and(|a| a.trim_start().starts_with('"'))
                {
                    stray.push(format!("{}:{}: a literal id", path.display(), n + 1));
                }
            }
        }
        assert!(
            stray.is_empty(),
            "strings named in code but not in `Key` (add them there and ask for them with `I18n::get`):\n{}",
            stray.join("\n")
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let (_, d) = i18n("ok = fine\n= broken\n");
        assert_eq!(d[0].line, 2, "{d:?}");
        assert_eq!(d[0].kind, Kind::Strings);
    }
}
