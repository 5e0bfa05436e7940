//! End-to-end tests of the `hearth` command, in one test binary. Each test copies a small
//! fixture project from `tests/fixtures/<concern>/` (or the repository's own sample
//! toolkit) into a temporary folder, runs the built binary on it, and checks what a user
//! would notice: exit codes, diagnostics with their `file:line:col`, and the pages, read
//! with an HTML parser and followed link by link.

#[path = "cli/support.rs"]
mod support;

#[path = "cli/agenda.rs"]
mod agenda;
#[path = "cli/authoring.rs"]
mod authoring;
#[path = "cli/blocks.rs"]
mod blocks;
#[path = "cli/browser.rs"]
mod browser;
#[path = "cli/bundle.rs"]
mod bundle;
#[path = "cli/check.rs"]
mod check;
#[path = "cli/edition_props.rs"]
mod edition_props;
#[path = "cli/editions.rs"]
mod editions;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/facilitator_only.rs"]
mod facilitator_only;
#[path = "cli/generated.rs"]
mod generated;
#[path = "cli/hashes.rs"]
mod hashes;
#[path = "cli/html.rs"]
mod html;
#[path = "cli/links.rs"]
mod links;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/pages.rs"]
mod pages;
#[path = "cli/pdf.rs"]
mod pdf;
#[path = "cli/pictures.rs"]
mod pictures;
#[path = "cli/sample.rs"]
mod sample;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/serve_props.rs"]
mod serve_props;
#[path = "cli/strings.rs"]
mod strings;
#[path = "cli/theme.rs"]
mod theme;
#[path = "cli/translations.rs"]
mod translations;
