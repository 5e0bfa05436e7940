//! hearth: a static site generator for bilingual curricula.
//!
//! The pipeline runs top to bottom: `config` and `content` load files, `site` builds the
//! model, `markdown` renders bodies, `pages` assembles views that `render` passes to Tera,
//! and `build` writes the result; `strings` makes sure every language has every interface
//! string the code and templates ask for. Library code never prints; `main.rs` does.

// A `Diagnostic` is only made on the error path, and boxing it would clutter every caller.
#![allow(clippy::result_large_err)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod strings;
pub mod theme;
pub mod translations;
pub mod write;
pub mod yaml;
