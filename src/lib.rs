//! hearth: a static site generator for bilingual curricula.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod i18n;
pub mod markdown;
pub mod pages;
pub mod render;
pub mod site;
pub mod theme;
pub mod translations;
pub mod yaml;
