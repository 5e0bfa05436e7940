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
        /// The address the site will live at, for canonical links and sitemap.xml
        /// (overrides hearth.yaml).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Show which translations are current, stale, unmarked, missing or orphaned.
    Translations {
        /// Record that this translated file now follows its source (repeatable).
        #[arg(long, value_name = "PATH")]
        mark: Vec<PathBuf>,
        /// Record every translation as following its source.
        #[arg(long)]
        mark_all: bool,
    },
    /// Start a new toolkit project in DIR.
    Init {
        /// The new project's folder (created if needed; must be empty).
        dir: PathBuf,
        /// Copy the built-in theme to themes/default/, to restyle it.
        #[arg(long)]
        with_theme: bool,
    },
    /// Add something new to the project.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Build, serve on localhost, and rebuild and reload pages as files change.
    Serve {
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other machines can reach the preview only if you
        /// choose one they can see, such as 0.0.0.0.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Report every error and warning without writing the site.
    Check {
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// `human` for people, `json` for editors and CI.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum New {
    /// A new module folder in every language, ready to fill.
    Module {
        /// The module's title, in quotes: "Talking with teachers".
        title: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let started = Instant::now();
    match cli.command {
        Command::Build {
            out,
            drafts,
            base_url,
        } => {
            let options = Options { drafts, base_url };
            match build::build(&cli.root, &out, &options) {
                Ok(report) => {
                    print_diagnostics(&report.warnings, color);
                    if !report.sitemap {
                        eprintln!(
                            "note: no sitemap.xml written: set `base_url` in hearth.yaml (or pass `--base-url`) to get one"
                        );
                    }
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
                    let content = matches!(failure, Failure::Content(_));
                    let code = report_failure(failure, color);
                    if content {
                        eprintln!(
                            "Nothing was written: the site in `{}` is as it was.",
                            out.display()
                        );
                    }
                    code
                }
            }
        }
        Command::Translations { mark, mark_all } => {
            match translations(&cli.root, &mark, mark_all) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => serve(
            &cli.root,
            std::net::SocketAddr::new(bind, port),
            open,
            drafts,
            color,
        ),
        Command::Init { dir, with_theme } => match hearth::scaffold::init(&dir, with_theme) {
            Ok(files) => {
                println!(
                    "Started a toolkit in `{}` ({} files).",
                    dir.display(),
                    files.len()
                );
                println!(
                    "Next: read {}, then run `hearth build --root {}`.",
                    dir.join("README.md").display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::New {
            what: New::Module { title },
        } => match hearth::scaffold::new_module(&cli.root, &title) {
            Ok(files) => {
                for file in &files {
                    println!("created {}", file.display());
                }
                println!("Fill in the TODO lines; `hearth check` lists the ones left.");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Check { drafts, format } => {
            let options = Options {
                drafts,
                base_url: None,
            };
            let result = build::generate(&cli.root, &options);
            if format == Format::Json {
                return check_json(result);
            }
            match result {
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

fn translations(root: &std::path::Path, mark: &[PathBuf], mark_all: bool) -> anyhow::Result<()> {
    use hearth::site::Status;
    let mut to_mark: Vec<PathBuf> = mark.to_vec();
    if mark_all {
        for t in hearth::translations::status(root)? {
            let file = format!("content/{}/{}", t.lang, t.path);
            if !matches!(t.status, Status::Stale | Status::Unmarked) {
                continue;
            }
            if t.has_errors {
                eprintln!(
                    "note: not marked `{file}`: it or its source has errors that `hearth check` shows; fix them, then mark it"
                );
            } else {
                to_mark.push(PathBuf::from(file));
            }
        }
    }
    for file in &to_mark {
        let fingerprint = hearth::translations::mark(root, file)?;
        println!(
            "marked `{}` as following source {fingerprint}",
            file.display()
        );
    }
    if !to_mark.is_empty() {
        return Ok(());
    }
    let rows = hearth::translations::status(root)?;
    let mut current_lang = None;
    for row in &rows {
        let lang = &row.lang;
        if current_lang != Some(lang) {
            let of_lang: Vec<_> = rows.iter().filter(|r| &r.lang == lang).collect();
            let count = |s: Status| of_lang.iter().filter(|r| r.status == s).count();
            println!(
                "\n{lang}: {} current, {} stale, {} unmarked, {} missing, {} orphaned",
                count(Status::Current),
                count(Status::Stale),
                count(Status::Unmarked),
                count(Status::Missing),
                count(Status::Orphaned)
            );
            current_lang = Some(lang);
        }
        let label = match row.status {
            Status::Current => "current",
            Status::Stale => "STALE",
            Status::Unmarked => "unmarked",
            Status::Missing => "MISSING",
            Status::Orphaned => "orphaned",
        };
        let errors = if row.has_errors {
            "  (has errors, so it is not built: see `hearth check`)"
        } else {
            ""
        };
        println!("  {label:<9} {}{errors}", row.path);
    }
    Ok(())
}

/// `hearth check --format json`: one JSON object on standard output.
fn check_json(result: Result<build::Generated, Failure>) -> ExitCode {
    let (diagnostics, error, code) = match result {
        Ok(generated) => (generated.warnings, None, ExitCode::SUCCESS),
        Err(Failure::Content(d)) => (d, None, ExitCode::from(1)),
        Err(Failure::Config(d)) => (d, None, ExitCode::from(2)),
        Err(Failure::Operational(e)) => (Vec::new(), Some(format!("{e:#}")), ExitCode::from(2)),
    };
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = serde_json::json!({
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "diagnostics": diagnostics,
        "failure": error,
    });
    println!("{report:#}");
    code
}

fn serve(
    root: &std::path::Path,
    addr: std::net::SocketAddr,
    open: bool,
    drafts: bool,
    color: bool,
) -> ExitCode {
    use hearth::serve::{Event, ServeOptions};
    let options = ServeOptions {
        addr,
        build: Options {
            drafts,
            base_url: None,
        },
    };
    // Warnings already shown are not shown again on every rebuild.
    let shown = std::sync::Mutex::new(std::collections::HashSet::<String>::new());
    // Until a build succeeds there is no last good site to keep serving.
    let built_once = std::sync::atomic::AtomicBool::new(false);
    let result = hearth::serve::run(root, options, move |event| match event {
        Event::Listening(addr) => {
            let url = format!("http://{addr}/");
            println!("Serving the site at {url} (Ctrl-C stops).");
            if open {
                open_browser(&url);
            }
        }
        Event::Built(report, changed) => {
            let what = match changed.as_slice() {
                [] => "Built".to_owned(),
                [one] => format!("{} changed:", one.display()),
                many => format!("{} files changed:", many.len()),
            };
            if report.ok() {
                built_once.store(true, std::sync::atomic::Ordering::Relaxed);
                let mut shown = shown.lock().expect("no printer panics");
                let fresh: Vec<Diagnostic> = report
                    .diagnostics
                    .iter()
                    .filter(|d| !shown.contains(&d.render(false)))
                    .cloned()
                    .collect();
                *shown = report.diagnostics.iter().map(|d| d.render(false)).collect();
                for d in &fresh {
                    eprintln!("{}\n", d.render(color));
                }
                if let Some(summary) = diagnostic::summary(&report.diagnostics) {
                    eprintln!("{summary}");
                }
                println!(
                    "{what} {} {} in {} ms",
                    report.written,
                    if report.full {
                        "files built"
                    } else {
                        "pages rebuilt"
                    },
                    report.elapsed.as_millis()
                );
            } else {
                print_diagnostics(&report.diagnostics, color);
                if let Some(f) = &report.failure {
                    eprintln!("error: {f}");
                }
                let lead = match changed.is_empty() {
                    true => "The site has errors".to_owned(),
                    false => format!("{what} the site has errors"),
                };
                if built_once.load(std::sync::atomic::Ordering::Relaxed) {
                    eprintln!(
                        "{lead}; the browser shows them, and the last good site stays served."
                    );
                } else {
                    eprintln!(
                        "{lead}; the browser shows them, and then the site once a save fixes them."
                    );
                }
            }
        }
        Event::WatchError(e) => eprintln!("warning: watching files: {e}"),
        Event::Panicked { during, message } => {
            let stays = match built_once.load(std::sync::atomic::Ordering::Relaxed) {
                true => "The last good site stays served, and hearth",
                false => "hearth",
            };
            eprintln!(
                "error: hearth hit a bug while {during}: {message}\n\
                 {stays} keeps watching: the next save rebuilds the whole site.\n\
                 hint: this is a fault in hearth, not in the content; please report it, with this message"
            );
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Best effort: the preview works without it.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
