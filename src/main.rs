//! The `hearth` command: parses arguments, runs the library, prints what happened.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use hearth::build::{self, Failure, Options};
use hearth::diagnostic::{self, Diagnostic};

/// hearth builds bilingual curriculum websites from Markdown.
#[derive(Parser)]
#[command(name = "hearth", version, about)]
struct Cli {
    /// The project folder (the one with hearth.yaml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    Build {
        /// Where to write the site.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// The address the site will live at, for the sitemap (overrides hearth.yaml).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Report every error and warning without writing the site.
    Check {
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let started = Instant::now();
    match cli.command {
        Command::Build { out, drafts, base_url } => {
            let options = Options { drafts, base_url };
            match build::build(&cli.root, &out, &options) {
                Ok(report) => {
                    print_diagnostics(&report.warnings, color);
                    println!(
                        "Built {} pages ({} files) into `{}` in {:.2} s",
                        report.pages,
                        report.files,
                        out.display(),
                        started.elapsed().as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    let code = report_failure(failure, color);
                    eprintln!("The previous site in `{}` was left as it was.", out.display());
                    code
                }
            }
        }
        Command::Check { drafts } => {
            let options = Options { drafts, base_url: None };
            match build::generate(&cli.root, &options) {
                Ok(generated) => {
                    print_diagnostics(&generated.warnings, color);
                    if generated.warnings.is_empty() {
                        println!("No problems found in {} pages.", generated.page_count());
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => report_failure(failure, color),
            }
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic], color: bool) {
    for d in diags {
        eprintln!("{}\n", d.render(color));
    }
    if let Some(summary) = diagnostic::summary(diags) {
        eprintln!("{summary}");
    }
}

fn report_failure(failure: Failure, color: bool) -> ExitCode {
    match failure {
        Failure::Config(diags) => {
            print_diagnostics(&diags, color);
            ExitCode::from(2)
        }
        Failure::Content(diags) => {
            print_diagnostics(&diags, color);
            ExitCode::from(1)
        }
        Failure::Operational(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
