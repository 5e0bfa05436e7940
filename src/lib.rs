//! hearth: a static site generator for bilingual curricula.

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod markdown;
pub mod yaml;
