//! hearth: a static site generator for bilingual curricula.

pub mod config;
pub mod diagnostic;
pub mod yaml;
