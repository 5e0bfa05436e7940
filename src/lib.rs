//! hearth: a static site generator for bilingual curricula.
//!
//! The pipeline runs top to bottom: `config` and `content` load files, `site` builds the
//! model, `markdown` renders bodies (resolving links through `links`), `pages` assembles a
//! view for each page kind that `render` passes to Tera; `build` runs that pipeline for
//! every command, and `write` puts its result on disk. `strings` makes sure every language
//! has every interface string the code and templates ask for; `project` says which files
//! of a project count; `partner` renders an organisation's values and crisis lines. `ARCHITECTURE.md` has the full map. Library code never prints;
//! `main.rs` does.

// A `Diagnostic` is only made on the error path, and boxing it would clutter every caller.
#![allow(clippy::result_large_err)]
#![warn(clippy::print_stdout, clippy::print_stderr)]
// Every public item says what its name and type cannot; `clippy -D warnings` holds to it.
#![warn(missing_docs)]

pub mod build;
pub mod bundle;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod partner;
#[cfg(unix)]
pub mod pdf;
pub mod pictures;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod strings;
pub mod theme;
pub mod translations;
pub mod write;
pub mod yaml;
