//! `hearth bundle`: the built site as one zip, for a USB stick or an email. Unzipped
//! anywhere, on Windows, macOS or Linux, every page works from `file://`: hearth's links
//! are relative, and the bundle refuses names those systems cannot all hold.
//!
//! In: the output folder hearth wrote (its marker lists the files). Out: the zip's
//! bytes, the same for the same files (see [`zip`]).
//! The start pages and READMEs (their words from Fluent) come from `main.rs`.

pub mod zip;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

/// A start page and a README for one language, at the bundle's root.
pub struct Welcome {
    /// The start page's file name (`START-HERE.html`), ASCII so every unzip tool keeps it.
    pub start_name: String,
    /// Its HTML: a link (and a refresh) to the language's home.
    pub start_html: String,
    /// The README's file name (`README.txt`).
    pub readme_name: String,
    /// How to open the site from the stick, in plain words.
    pub readme: String,
    /// The page the start page opens (`es/index.html`), which the site must have.
    pub home: String,
}

/// A start page in `lang`: a link to the language's home, followed at once by the
/// browser (a refresh works from `file://`, where scripts may be blocked).
pub fn start_page(lang: &str, site: &str, link: &str) -> String {
    let (site, link) = (crate::markdown::escape(site), crate::markdown::escape(link));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"0; url={lang}/index.html\">\n<title>{site}</title>\n</head>\n<body>\n<p><a href=\"{lang}/index.html\">{link}</a></p>\n</body>\n</html>\n"
    )
}

/// What went into a bundle.
pub struct Bundled {
    /// The zip's bytes.
    pub zip: Vec<u8>,
    /// How many files it holds, and their size before compression.
    pub files: usize,
    /// Bytes before compression.
    pub unpacked: u64,
    /// The largest files, with their sizes, for the size report.
    pub largest: Vec<(String, u64)>,
    /// The editions whose sites were in the folder but left out, each having its own
    /// bundle (`hearth bundle --all-editions`).
    pub left_out: Vec<String>,
}

/// The site hearth wrote to `out`, with `welcomes` at its root, as one zip. `site` is
/// where in `out` the site is: `""` for the site `out` was built as (its editions'
/// folders, from `--all-editions`, left out), or an edition's folder
/// (`editions/centro/`). Refused when there is no site there, when a start page would
/// lead nowhere, or when a name would not unpack the same on every system.
pub fn bundle(out: &Path, site: &str, welcomes: &[Welcome]) -> Result<Bundled> {
    let Some(listed) = crate::write::listed(out) else {
        bail!(
            "`{}` holds no site that hearth built\nhint: run `hearth build` (or `hearth pdf`, to bundle the PDFs too) first",
            out.display()
        );
    };
    let editions = format!("{}/", crate::config::edition::FOLDER);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for path in listed.iter().filter(|p| !p.starts_with('.')) {
        let Some(inside) = path.strip_prefix(site) else {
            continue;
        };
        if let Some(rest) = inside.strip_prefix(&editions) {
            let id = rest.split('/').next().unwrap_or_default().to_owned();
            if !left_out.contains(&id) {
                left_out.push(id);
            }
            continue;
        }
        let bytes = std::fs::read(out.join(path))
            .with_context(|| format!("cannot read `{path}` in `{}`", out.display()))?;
        files.push((inside.to_owned(), bytes));
    }
    if files.is_empty() {
        bail!(
            "`{}` holds no site that hearth built\nhint: run `hearth build --all-editions` first",
            out.join(site).display()
        );
    }
    for w in welcomes {
        if !files.iter().any(|(p, _)| *p == w.home) {
            bail!(
                "`{}` has no `{}` for its start page `{}`: it holds another site\nhint: build the same site first (`hearth build` with the same `--edition`)",
                out.join(site).display(),
                w.home,
                w.start_name
            );
        }
    }
    for w in welcomes {
        files.push((w.start_name.clone(), w.start_html.clone().into_bytes()));
        // Windows' Notepad wants CRLF line ends; every other editor reads them too.
        files.push((
            w.readme_name.clone(),
            w.readme.replace('\n', "\r\n").into_bytes(),
        ));
    }
    let mut problems: Vec<String> = files
        .iter()
        .filter_map(|(p, _)| unportable(p).map(|why| format!("{p}: {why}")))
        .collect();
    problems.extend(
        case_clashes(files.iter().map(|(p, _)| p.as_str()))
            .into_iter()
            .map(|(a, b)| {
                format!("`{a}` and `{b}` differ only in capitals: one file on Windows and macOS")
            }),
    );
    if !problems.is_empty() {
        bail!(
            "the site cannot go in a bundle as it is:\n  {}\nhint: rename those files or folders (a module's folder or `slug:`)",
            problems.join("\n  ")
        );
    }
    let unpacked = files.iter().map(|(_, b)| b.len() as u64).sum();
    let mut largest: Vec<(String, u64)> = files
        .iter()
        .map(|(p, b)| (p.clone(), b.len() as u64))
        .collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    largest.truncate(3);
    let count = files.len();
    Ok(Bundled {
        zip: zip::write(&mut files)?,
        files: count,
        unpacked,
        largest,
        left_out,
    })
}

/// Why a path of the site cannot travel in a zip that every system unpacks the same, if
/// it cannot: a character Windows refuses, a name Windows reserves, or a name ending in
/// a dot or a space, which Windows drops.
pub fn unportable(path: &str) -> Option<String> {
    const RESERVED: &[&str] = &[
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    for segment in path.split('/') {
        if let Some(c) = segment
            .chars()
            .find(|c| matches!(c, '<' | '>' | ':' | '"' | '\\' | '|' | '?' | '*') || c.is_control())
        {
            return Some(format!(
                "`{segment}` has `{}`, which Windows refuses in names",
                c.escape_default()
            ));
        }
        let stem = segment
            .split('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if RESERVED.contains(&stem.as_str()) {
            return Some(format!("`{segment}` is a name Windows keeps for a device"));
        }
        if segment.ends_with(['.', ' ']) {
            return Some(format!(
                "`{segment}` ends in a dot or a space, which Windows drops"
            ));
        }
    }
    None
}

/// Pairs of paths that differ only in case: one file on Windows and macOS, two on Linux.
pub fn case_clashes<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, &'a str)> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut clashes = Vec::new();
    for path in paths {
        if let Some(first) = seen.insert(path.to_lowercase(), path) {
            clashes.push((first, path));
        }
    }
    clashes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    #[test]
    fn names_every_system_can_hold_pass_and_others_say_why() {
        for fine in [
            "es/sesión-1/index.html",
            "assets/search/es/w-u00f1.js",
            "LEAME.txt",
        ] {
            assert_eq!(unportable(fine), None, "{fine}");
        }
        for (bad, why) in [
            ("en/what?/index.html", "Windows refuses"),
            ("en/con/index.html", "device"),
            ("en/aux.html", "device"),
            ("en/notes./index.html", "drops"),
            ("en/a:b.html", "Windows refuses"),
        ] {
            let said = unportable(bad).unwrap_or_default();
            assert!(said.contains(why), "{bad}: {said}");
        }
    }

    /// Whether Windows can hold `segment` as a file or folder name, by Microsoft's
    /// naming rules, written apart from [`unportable`] to check it: none of `<>:"/\|?*`
    /// or the characters below 32, not a device name (with or without an extension),
    /// not ending in a space or a dot.
    fn windows_holds(segment: &str) -> bool {
        let device = {
            let stem = segment.split('.').next().unwrap_or_default().to_uppercase();
            ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
                || (stem.len() == 4
                    && (stem.starts_with("COM") || stem.starts_with("LPT"))
                    && ('1'..='9').contains(&stem.chars().last().unwrap_or('0')))
        };
        !segment
            .chars()
            .any(|c| (c as u32) < 32 || "<>:\"/\\|?*".contains(c))
            && !device
            && !segment.ends_with(' ')
            && !segment.ends_with('.')
    }

    /// Folder and file names as authors and translators plausibly write them: accents,
    /// capitals, spaces, a question, a time, a device's name, a trailing dot.
    fn segment() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::prop_oneof![
            "[a-zñáéíóú0-9-]{1,12}",
            "[A-Za-zÑÁÉ]{1,6}( [a-zé]{1,6})?",
            proptest::sample::select(vec![
                "con",
                "Aux",
                "nul.txt",
                "COM3",
                "lpt9.html",
                "console",
                "comedor",
                "notes.",
                "what?",
                "10:30",
                "\"quoted\"",
                "a*b",
                "back\\slash",
                "tail ",
                "pipe|x",
            ])
            .prop_map(str::to_owned),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// For any site whose folders and files are named as authors might name them,
        /// `bundle` either refuses, or makes a zip in which every name is one Windows
        /// holds and no two names differ only in capitals; and it refuses only for such
        /// a name.
        #[test]
        fn a_bundle_holds_only_names_every_system_can_unpack(
            paths in proptest::collection::btree_set(
                (segment(), proptest::option::of(segment())).prop_map(|(a, b)| match b {
                    Some(b) => format!("en/{a}/{b}.html"),
                    None => format!("es/{a}/index.html"),
                }),
                1..8,
            ),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let files: Vec<(&str, &[u8])> = paths.iter().map(|p| (p.as_str(), &b"<p>hi</p>"[..])).collect();
            crate::write::write(&files, &out).unwrap();
            let all_held = paths.iter().all(|p| p.split('/').all(windows_holds));
            let lower: std::collections::BTreeSet<String> = paths.iter().map(|p| p.to_lowercase()).collect();
            let distinct = lower.len() == paths.len();
            match bundle(&out, "", &[]) {
                Ok(bundled) => {
                    let names: Vec<String> = zip::read(&bundled.zip).unwrap().into_iter().map(|(n, _)| n).collect();
                    proptest::prop_assert!(names.iter().all(|n| n.split('/').all(windows_holds)), "{names:?}");
                    proptest::prop_assert!(distinct, "a case clash went in: {names:?}");
                    proptest::prop_assert_eq!(names.len(), paths.len());
                }
                Err(e) => proptest::prop_assert!(!all_held || !distinct, "refused for nothing: {e}"),
            }
        }
    }

    #[test]
    fn paths_differing_only_in_case_clash() {
        let clashes = case_clashes(["en/a/index.html", "en/A/index.html", "en/b/index.html"]);
        assert_eq!(clashes, [("en/a/index.html", "en/A/index.html")]);
    }
}
