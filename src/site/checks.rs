//! Checks on placed documents that need no other pass: addresses two documents would
//! share or that hearth keeps for itself, placeholder text left in, and partner values
//! written where they are not filled in.

use std::collections::HashMap;

use super::{Doc, PLACEHOLDER};
use crate::content::{DocKind, Source};
use crate::diagnostic::{Diagnostic, Kind};
use crate::markdown;

/// Two documents in one language must not share an address, nor take one of hearth's
/// own (`print/`, `programs/`, `assets/`).
pub(super) fn url_clashes(docs: &[Doc]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut seen: HashMap<&str, &Doc> = HashMap::new();
    for doc in docs {
        let reserved = doc.url.split('/').nth(1).is_some_and(|first| {
            matches!(doc.source.kind, DocKind::Page | DocKind::Module { .. })
                && ["print", "programs", "assets"].contains(&first)
                && doc.url.matches('/').count() == 2
        });
        if reserved {
            diags.push(
                Diagnostic::error(
                    Kind::Slug,
                    &doc.source.file,
                    format!("the address `{}` is kept for hearth's own pages", doc.url),
                )
                .hint("give the document another `slug`"),
            );
        }
        if let Some(other) = seen.insert(doc.url.as_str(), doc) {
            diags.push(clash(doc, other));
        }
    }
    diags
}

/// `doc` would have the address `other` already has; pointed at its `slug`, if it has one.
fn clash(doc: &Doc, other: &Doc) -> Diagnostic {
    let slug_line = doc.source.text[..doc.source.body_start]
        .lines()
        .position(|l| l.starts_with("slug:"))
        .map(|i| i + 1);
    let d = Diagnostic::error(
        Kind::Slug,
        &doc.source.file,
        format!(
            "this page would have the same address as `{}`: `{}`",
            other.source.file.display(),
            doc.url
        ),
    )
    .hint("give one of them a different `slug`");
    match slug_line {
        Some(line) => d.at(&doc.source.text, line, 7),
        None => d,
    }
}

/// Warnings for placeholder text still in a document.
pub(super) fn placeholders(source: &Source) -> Vec<Diagnostic> {
    source
        .text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let column = line.find(PLACEHOLDER)?;
            Some(
                Diagnostic::warning(
                    Kind::Placeholder,
                    &source.file,
                    "placeholder text is still here",
                )
                .at(&source.text, i + 1, line[..column].chars().count() + 1)
                .width(line[column..].chars().count())
                .hint("replace it with the real text"),
            )
        })
        .collect()
}

/// A warning for each partner value (`{{organization.name}}`) written in front matter,
/// which shows as written: values are filled in the text below it (and in a guide's
/// `preparation`, which is Markdown too).
pub(super) fn values_in_front_matter(source: &Source) -> Vec<Diagnostic> {
    let front = &source.text[..source.body_start];
    let mut diags = Vec::new();
    let mut in_preparation = false;
    for (i, line) in front.lines().enumerate() {
        // A block scalar goes on over blank lines, up to the next key.
        if !line.trim().is_empty() && !line.starts_with([' ', '\t']) {
            in_preparation = line.starts_with("preparation:");
        }
        if in_preparation {
            continue;
        }
        let Some((before, name, _, width)) = markdown::next_value(line) else {
            continue;
        };
        diags.push(
            Diagnostic::warning(
                Kind::PartnerValue,
                &source.file,
                format!("`{{{{{name}}}}}` shows as written here: partner values are filled in only in the text below the front matter"),
            )
            .at(&source.text, i + 1, before.chars().count() + 1)
            .width(width)
            .hint("write the words themselves here, or move the value into the text"),
        );
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;
    use crate::site::testing::{MODULE, PAGE, source};

    fn doc(path: &str, front: &str, url: &str) -> Doc {
        let source = source("en", path, front, "");
        Doc {
            parsed: markdown::parse(crate::site::loc(&source)).into(),
            checked: Vec::new().into(),
            source,
            url: url.to_owned(),
        }
    }

    #[test]
    fn shared_and_reserved_addresses_are_errors() {
        let docs = [
            doc("a.md", PAGE, "en/a/"),
            doc("b.md", &format!("{PAGE}slug: a\n"), "en/a/"),
            doc("modules/print/index.md", MODULE, "en/print/"),
            doc("print/x.md", PAGE, "en/print/x/"),
        ];
        let diags = url_clashes(&docs);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.file.to_string_lossy().into_owned(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("content/en/b.md".to_owned(), 3, 7),
                ("content/en/modules/print/index.md".to_owned(), 0, 0),
            ]
        );
    }

    #[test]
    fn partner_values_in_front_matter_are_warned_about_but_not_in_preparation() {
        let front = "title: Call {{organization.name}}\npreparation: |\n  First.\n\n  Ask {{crisis.local}}.\nmaterials:\n  - A card with {{ crisis.988.phone }}\n";
        let s = source(
            "en",
            "modules/01-a/facilitator.md",
            front,
            "Body {{organization.phone}}\n",
        );
        let found: Vec<_> = values_in_front_matter(&s)
            .iter()
            .map(|d| (d.line, d.column, d.width))
            .collect();
        assert_eq!(found, [(2, 13, 21), (8, 17, 22)]);
    }

    #[test]
    fn placeholders_are_underlined_to_the_end_of_the_line() {
        let s = source("en", "a.md", PAGE, "Intro\n¿Qué? TODO: say more\n");
        let diags = placeholders(&s);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column, diags[0].width), (5, 7, 14));
    }
}
