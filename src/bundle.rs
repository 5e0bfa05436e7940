//! `hearth bundle`: the built site as one zip, for a USB stick or an email. Unzipped
//! anywhere, on Windows, macOS or Linux, every page works from `file://`: hearth's links
//! are relative, and the bundle refuses names those systems cannot all hold.
//!
//! In: the output folder hearth wrote (its marker lists the files). Out: the zip's
//! bytes, the same for the same files (see [`zip`]).
//!
//! Work in progress on branch `bundle-wip`: the zip and the name checks; the start pages,
//! READMEs, command and size report are still to come.

pub mod zip;

use std::collections::HashMap;

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

    #[test]
    fn paths_differing_only_in_case_clash() {
        let clashes = case_clashes(["en/a/index.html", "en/A/index.html", "en/b/index.html"]);
        assert_eq!(clashes, [("en/a/index.html", "en/A/index.html")]);
    }
}
