//! Small in-memory inputs for the passes' unit tests.

use std::path::PathBuf;

use crate::config::Lang;
use crate::content::{DocPath, Source, parse_source};

/// Front matter that satisfies each kind of document, to build on.
pub const MODULE: &str = "title: M\nsummary: S.\nduration: 30\n";
/// A worksheet.
pub const HANDOUT: &str = "title: H\nkind: worksheet\n";
/// A plain page.
pub const PAGE: &str = "title: P\n";

/// The document at `path` in `lang` (`en` is the source language), with `front` as its
/// front matter and `body` after it.
pub fn source(lang: &str, path: &str, front: &str, body: &str) -> Source {
    let text = format!("---\n{front}---\n{body}");
    parse_source(
        &Lang::new(lang),
        &DocPath::new(path),
        PathBuf::from(format!("content/{lang}/{path}")),
        &text,
        lang == "en",
    )
    .unwrap_or_else(|d| panic!("{path}: {d:?}"))
}

/// English and Spanish, English the source.
pub fn languages() -> Vec<Lang> {
    vec![Lang::new("en"), Lang::new("es")]
}
