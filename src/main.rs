//! The `hearth` command: parses arguments, runs the library, prints what happened.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use hearth::build::{self, Failure, Options};
use hearth::diagnostic::{self, Diagnostic};
use hearth::serve::{Event, Report, ServeOptions};
use hearth::site::{Status, Translation};

/// hearth builds bilingual curriculum websites from Markdown.
#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about,
    after_help = "Examples:\n  hearth init my-toolkit\n  hearth serve --root my-toolkit --open\n  hearth build --root my-toolkit"
)]
struct Cli {
    /// The project folder (the one with hearth.yaml); by default the current folder or
    /// the nearest one above it with a hearth.yaml.
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// What `build` and `pdf` both take: which site, and where it goes.
#[derive(clap::Args)]
struct SiteArgs {
    /// Where to write the site, taken relative to the project folder (--root).
    #[arg(long, default_value = "public")]
    out: PathBuf,
    /// Include documents marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// The address the site will live at, for canonical links and sitemap.xml
    /// (overrides hearth.yaml; with --all-editions, the toolkit's own site's only).
    #[arg(long)]
    base_url: Option<String>,
    /// Build the partner edition editions/ID.yaml instead of the toolkit's own site.
    #[arg(long, value_name = "ID", conflicts_with = "all_editions")]
    edition: Option<String>,
    /// Build the toolkit's own site and, under editions/<id>/, every edition.
    #[arg(long)]
    all_editions: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    #[command(
        after_help = "Examples:\n  hearth build\n  hearth build --out site --base-url https://example.org/toolkit/\n  hearth build --drafts --out preview"
    )]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Print every print page to PDF too, with this machine's Chromium or Chrome.
        #[arg(long)]
        pdf: bool,
    },
    /// Build the site and print every print page to PDF, under <lang>/pdf/.
    #[command(
        after_help = "Uses the Chromium or Google Chrome on PATH (or named by HEARTH_CHROME); never downloads one.\nOnly pages whose HTML or stylesheet changed since the last run are printed again.\n\nExamples:\n  hearth pdf\n  hearth pdf --all-editions\n  HEARTH_CHROME=/usr/bin/google-chrome hearth pdf --out site"
    )]
    Pdf {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Put the built site (and its PDFs, when built) in one zip, for a USB stick or an email.
    #[command(
        after_help = "Build first: hearth build (or hearth pdf, to take the PDFs along).\n\nExamples:\n  hearth bundle\n  hearth bundle --out site --zip toolkit.zip"
    )]
    Bundle {
        /// The built site to bundle, taken relative to the project folder.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// The zip to write (default: the output folder's name with `.zip`, beside it).
        #[arg(long, conflicts_with = "all_editions")]
        zip: Option<PathBuf>,
        /// Bundle the partner edition editions/ID.yaml, as `build --edition ID` (or
        /// `--all-editions`) built it.
        #[arg(long, value_name = "ID", conflicts_with = "all_editions")]
        edition: Option<String>,
        /// Bundle the toolkit's own site and each edition built by `build --all-editions`,
        /// each into its own zip (`public.zip`, `public-<id>.zip`).
        #[arg(long)]
        all_editions: bool,
    },
    /// Show which translations are current, stale, unmarked, not yet translated, missing
    /// or orphaned.
    #[command(
        after_help = "A PATH may be written as the table prints it (modules/01-welcome/index.md), from the project\n(content/es/...), or from the folder you are in.\n--mark refuses a file that is not translated yet (exit 1).\n\nExamples:\n  hearth translations\n  hearth translations --diff modules/01-welcome/index.md\n  hearth translations --mark content/es/modules/01-welcome/index.md\n  hearth translations --mark-all"
    )]
    Translations {
        /// Record that this translated file now follows its source (repeatable).
        #[arg(long, value_name = "PATH", conflicts_with = "diff")]
        mark: Vec<PathBuf>,
        /// Record every translation as following its source.
        #[arg(long, conflicts_with = "diff")]
        mark_all: bool,
        /// Show what changed in this translation's source since the version it follows
        /// (needs the project in git).
        #[arg(long, value_name = "PATH")]
        diff: Option<PathBuf>,
    },
    /// Start a new toolkit project in DIR.
    #[command(
        after_help = "Examples:\n  hearth init my-toolkit\n  hearth init my-toolkit --with-theme"
    )]
    Init {
        /// The new project's folder (created if needed; must be empty).
        dir: PathBuf,
        /// Copy the built-in theme to themes/default/, to restyle it.
        #[arg(long)]
        with_theme: bool,
    },
    /// Add something new to the project.
    #[command(
        after_help = "Examples:\n  hearth new module \"Talking with teachers\"\n  hearth new module \"Talking with teachers\" --program six-week\n  hearth new handout 03-talking-with-teachers \"Questions for the teacher\""
    )]
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Build, serve on localhost, and rebuild and reload pages as files change.
    #[command(
        after_help = "Examples:\n  hearth serve\n  hearth serve --port 8080 --open\n  hearth serve --bind 0.0.0.0 --drafts"
    )]
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
        /// Preview the partner edition editions/ID.yaml.
        #[arg(long, value_name = "ID")]
        edition: Option<String>,
    },
    /// Report every error and warning, of the toolkit's own site and every edition,
    /// without writing anything.
    #[command(
        after_help = "Examples:\n  hearth check\n  hearth check --drafts\n  hearth check --edition centro\n  hearth check --format json > diagnostics.json"
    )]
    Check {
        /// Include documents marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Check only the partner edition editions/ID.yaml.
        #[arg(long, value_name = "ID")]
        edition: Option<String>,
        /// `human` for people, `json` for editors and CI.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum New {
    /// A new module folder in every language, ready to fill.
    #[command(
        after_help = "Examples:\n  hearth new module \"Talking with teachers\"\n  hearth new module \"Talking with teachers\" --root my-toolkit"
    )]
    Module {
        /// The module's title, in quotes: "Talking with teachers".
        title: String,
        /// Add the module at the end of this program in hearth.yaml.
        #[arg(long, value_name = "ID")]
        program: Option<String>,
    },
    /// A new handout in a module, in every language the module has, ready to fill.
    #[command(
        after_help = "Examples:\n  hearth new handout 03-talking-with-teachers \"Questions for the teacher\"\n  hearth new handout talking-with-teachers \"My notes\""
    )]
    Handout {
        /// The module: its folder name, with or without its number, or its number alone.
        module: String,
        /// The handout's title, in quotes: "Questions for the teacher".
        title: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// `println!` for what hearth reports on standard output, which a reader may pipe into
/// `head`: once that pipe closes nobody is reading, so hearth stops quietly rather than
/// panic as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let written = writeln!(std::io::stdout(), $($arg)*);
        stop_if_unread(written);
    }};
}

/// [`out!`] without the line's end.
macro_rules! out_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let written = write!(std::io::stdout(), $($arg)*);
        stop_if_unread(written);
    }};
}

/// Ends the process when standard output's reader has gone away.
fn stop_if_unread(written: std::io::Result<()>) {
    if written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
        std::process::exit(0);
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command. An `Err` is an operational failure (I/O, templates, a port in use):
/// `main` prints it and exits with 2. Content and configuration problems are printed
/// here and become exit codes 1 and 2.
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if let Command::Init { dir, with_theme } = &cli.command {
        return init(dir, *with_theme);
    }
    let cwd = std::env::current_dir().context("cannot tell which folder this is")?;
    let root = &match cli.root {
        Some(root) => root,
        None => find_project(&cwd)?,
    };
    match cli.command {
        Command::Build { site, pdf } => build(root, site, pdf, color),
        Command::Pdf { site } => build(root, site, true, color),
        Command::Bundle {
            out,
            zip,
            edition,
            all_editions,
        } => {
            let editions = match (edition, all_editions) {
                (Some(id), _) => vec![Some(id)],
                (None, true) => build::sites(root),
                (None, false) => vec![None],
            };
            let mut code = ExitCode::SUCCESS;
            for edition in editions {
                code = bundle(root, &out, zip.clone(), edition, all_editions)?;
                if code != ExitCode::SUCCESS {
                    break;
                }
            }
            Ok(code)
        }
        Command::Check {
            drafts,
            edition,
            format,
        } => check(root, drafts, edition, format, color),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
            edition,
        } => {
            let options = Options {
                drafts,
                base_url: None,
                edition,
                pdf: false,
            };
            serve(root, SocketAddr::new(bind, port), open, options, color)
        }
        Command::Translations {
            mark,
            mark_all,
            diff,
        } => match diff {
            Some(file) => translation_diff(root, &cwd, &file),
            None => translations(root, &cwd, &mark, mark_all),
        },
        Command::Init { dir, with_theme } => init(&dir, with_theme),
        Command::New {
            what: New::Module { title, program },
        } => new_module(root, &title, program.as_deref()),
        Command::New {
            what: New::Handout { module, title },
        } => new_handout(root, &module, &title),
    }
}

/// The project folder for a command run in `cwd` without `--root`: `cwd` itself or the
/// nearest folder above it with a `hearth.yaml`, as git and cargo find theirs.
fn find_project(cwd: &Path) -> anyhow::Result<PathBuf> {
    if cwd.join("hearth.yaml").is_file() {
        return Ok(PathBuf::from("."));
    }
    match cwd
        .ancestors()
        .find(|dir| dir.join("hearth.yaml").is_file())
    {
        Some(dir) => Ok(dir.to_path_buf()),
        None => anyhow::bail!(
            "there is no `hearth.yaml` in `{}` or in any folder above it, so this is not a hearth project\nhint: go to your project's folder (the one with hearth.yaml), pass `--root FOLDER`, or start a project with `hearth init my-toolkit`",
            cwd.display()
        ),
    }
}

/// `hearth build`, and `hearth pdf` (`pdf`).
fn build(root: &Path, site: SiteArgs, pdf: bool, color: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = Options {
        drafts: site.drafts,
        base_url: site.base_url,
        edition: site.edition,
        pdf,
    };
    let out = site.out.as_path();
    let built = match site.all_editions {
        true => build::build_all(root, out, &options),
        false => build::build(root, out, &options),
    };
    match built {
        Ok(report) => {
            print_diagnostics(&report.warnings, color);
            for site in &report.without_sitemap {
                match site {
                    None => eprintln!(
                        "note: no sitemap.xml written: set `base_url` in hearth.yaml (or pass `--base-url`) to get one"
                    ),
                    Some(id) => eprintln!(
                        "note: no sitemap.xml written for the edition `{id}`: set `base_url` in editions/{id}.yaml to get one"
                    ),
                }
            }
            #[cfg(unix)]
            if let Some(printed) = &report.pdf {
                for note in &printed.notes {
                    eprintln!("note: {note}");
                }
                let by = printed
                    .browser
                    .as_deref()
                    .map(|b| format!(" with {b}"))
                    .unwrap_or_default();
                out!(
                    "Printed {} PDFs{by}; kept {} whose pages had not changed",
                    printed.printed,
                    printed.kept
                );
            }
            let (copies, made) = report.pictures;
            if copies > 0 {
                out!(
                    "Made {made} smaller copies of pictures for phones; took {} from `{}`",
                    copies - made,
                    hearth::pictures::CACHE
                );
            }
            out!(
                "Built {} pages ({} files) into `{}` in {:.2} s",
                report.pages,
                report.files,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            let content = matches!(failure, Failure::Content(_));
            let code = report_failure(failure, color)?;
            if content {
                eprintln!(
                    "Nothing was written: the site in `{}` is as it was.",
                    out.display()
                );
            }
            Ok(code)
        }
    }
}

/// `hearth bundle`: one site's zip, the toolkit's own (`edition` is `None`) or an
/// edition's, from its own output folder or from the `editions/<id>/` folder of an
/// `--all-editions` build (`all_editions`: the others are bundled too, no need to say).
fn bundle(
    root: &Path,
    out: &Path,
    zip: Option<PathBuf>,
    edition: Option<String>,
    all_editions: bool,
) -> anyhow::Result<ExitCode> {
    use hearth::i18n::{Arg, Key};
    let out = root.join(out);
    let options = Options {
        edition: edition.clone(),
        ..Options::default()
    };
    let prepared = match build::prepare(root, &options) {
        Ok(prepared) => prepared,
        Err(failure) => return report_failure(failure, false),
    };
    // An edition inside an `--all-editions` build, or in a folder of its own.
    let site = edition
        .as_ref()
        .map(|id| format!("{}/{id}/", hearth::config::edition::FOLDER))
        .filter(|folder| out.join(folder).is_dir())
        .unwrap_or_default();
    let zip = zip.map(|z| root.join(z)).unwrap_or_else(|| {
        let name = out.file_name().unwrap_or_default().to_string_lossy();
        match (&edition, site.is_empty()) {
            (Some(id), false) => out.with_file_name(format!("{name}-{id}.zip")),
            _ => out.with_extension("zip"),
        }
    });
    let title = |lang| prepared.config.title.get(lang).to_owned();
    let mut welcomes = Vec::new();
    for lang in &prepared.config.published {
        let t = |key, args: &[(&str, Arg)]| {
            prepared
                .i18n
                .get(lang, key, args)
                .map_err(anyhow::Error::msg)
        };
        let start_name = t(Key::BundleStartFile, &[])?;
        let site = title(lang);
        let link = t(Key::BundleStartLink, &[("site", Arg::Str(&site))])?;
        welcomes.push(hearth::bundle::Welcome {
            start_html: hearth::bundle::start_page(lang.as_str(), &site, &link),
            readme_name: t(Key::BundleReadmeFile, &[])?,
            readme: t(
                Key::BundleReadme,
                &[("site", Arg::Str(&site)), ("start", Arg::Str(&start_name))],
            )?,
            home: format!("{lang}/index.html"),
            start_name,
        });
    }
    let bundled = hearth::bundle::bundle(&out, &site, &welcomes)?;
    std::fs::write(&zip, &bundled.zip)
        .with_context(|| format!("cannot write `{}`", zip.display()))?;
    out!(
        "Bundled {} files ({} unzipped) into `{}` ({})",
        bundled.files,
        size(bundled.unpacked),
        zip.display(),
        size(bundled.zip.len() as u64)
    );
    for (path, bytes) in &bundled.largest {
        out!("  largest: {path} ({})", size(*bytes));
    }
    if !bundled.left_out.is_empty() && !all_editions {
        eprintln!(
            "note: left out the editions' sites ({}): `hearth bundle --all-editions` gives each its own zip",
            bundled.left_out.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A file's size as people read it: kilobytes below a megabyte, else megabytes.
fn size(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{} KB", bytes.div_ceil(1000)),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

/// `hearth check`: the toolkit's own site and every edition, or the one edition asked for.
fn check(
    root: &Path,
    drafts: bool,
    edition: Option<String>,
    format: Format,
    color: bool,
) -> anyhow::Result<ExitCode> {
    let options = Options {
        drafts,
        base_url: None,
        edition: edition.clone(),
        pdf: false,
    };
    let runs = match edition {
        Some(id) => vec![(Some(id), build::generate(root, &options))],
        None => build::generate_all(root, &options),
    };
    let checked = Checked::of(runs);
    if format == Format::Json {
        return Ok(check_json(checked));
    }
    if let Some(e) = checked.operational {
        return Err(e);
    }
    print_diagnostics(&checked.diagnostics, color);
    if checked.diagnostics.is_empty() {
        out!("No problems found in {} pages.", checked.pages);
    }
    Ok(checked.code)
}

/// What `check` found in every site it checked.
struct Checked {
    /// Every site's diagnostics, each once.
    diagnostics: Vec<Diagnostic>,
    /// Pages of the sites that built.
    pages: usize,
    /// 2 when a configuration is unusable, 1 for content errors, else 0.
    code: ExitCode,
    /// A site that could not be checked at all (an unreadable file, a broken template).
    operational: Option<anyhow::Error>,
}

impl Checked {
    fn of(runs: Vec<(Option<String>, Result<build::Generated, Failure>)>) -> Checked {
        let mut diagnostics = Vec::new();
        let mut pages = 0;
        let (mut config, mut content) = (false, false);
        let mut operational = None;
        for (_, result) in runs {
            match result {
                Ok(generated) => {
                    pages += generated.page_count();
                    diagnostics.push(generated.warnings);
                }
                Err(Failure::Config(d)) => {
                    config = true;
                    diagnostics.push(d);
                }
                Err(Failure::Content(d)) => {
                    content = true;
                    diagnostics.push(d);
                }
                Err(Failure::Operational(e)) => {
                    operational.get_or_insert(e);
                }
            }
        }
        let code = match (config || operational.is_some(), content) {
            (true, _) => ExitCode::from(2),
            (false, true) => ExitCode::from(1),
            (false, false) => ExitCode::SUCCESS,
        };
        Checked {
            diagnostics: build::merge_diagnostics(diagnostics),
            pages,
            code,
            operational,
        }
    }
}

/// `hearth init`.
fn init(dir: &Path, with_theme: bool) -> anyhow::Result<ExitCode> {
    let files = hearth::scaffold::init(dir, with_theme)?;
    out!(
        "Started a toolkit in `{}` ({} files).",
        dir.display(),
        files.len()
    );
    out!(
        "Next: read {}, then run `hearth build --root {}`.",
        dir.join("README.md").display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `hearth new module`.
fn new_module(root: &Path, title: &str, program: Option<&str>) -> anyhow::Result<ExitCode> {
    let made = hearth::scaffold::new_module(root, title, program)?;
    for file in &made.files {
        out!("created {}", file.display());
    }
    out!("Fill in the TODO lines; `hearth check` lists the ones left.");
    if made.placeholders {
        out!(
            "The translations are placeholders: each language's pages offer the source text until a translator changes them."
        );
    }
    match (&made.added_to, made.programs.as_slice()) {
        (Some(id), _) => out!(
            "Added `{}` at the end of the program `{id}` in hearth.yaml.",
            made.folder
        ),
        (None, []) => {}
        (None, ids) => {
            let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            out!(
                "To put it in a program, add `- {}` at the end of that program's `modules:` in hearth.yaml (this project's programs: {}).",
                made.folder,
                ids.join(", ")
            );
            out!(
                "Next time `hearth new module \"Title\" --program {}` does it for you.",
                made.programs[0]
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `hearth new handout`.
fn new_handout(root: &Path, module: &str, title: &str) -> anyhow::Result<ExitCode> {
    let made = hearth::scaffold::new_handout(root, module, title)?;
    for file in &made.files {
        out!("created {}", file.display());
    }
    out!(
        "Paste this link where the handout belongs in `{}` (and its translations):",
        made.module_page.display()
    );
    out!("  {}", made.link);
    Ok(ExitCode::SUCCESS)
}

fn print_diagnostics(diags: &[Diagnostic], color: bool) {
    for d in diags {
        eprintln!("{}\n", d.render(color));
    }
    if let Some(summary) = diagnostic::summary(diags) {
        eprintln!("{summary}");
    }
}

/// Prints a failed build's diagnostics and returns its exit code; an operational failure
/// goes back to `main`, which prints every such error the same way.
fn report_failure(failure: Failure, color: bool) -> anyhow::Result<ExitCode> {
    match failure {
        Failure::Config(diags) => {
            print_diagnostics(&diags, color);
            Ok(ExitCode::from(2))
        }
        Failure::Content(diags) => {
            print_diagnostics(&diags, color);
            Ok(ExitCode::from(1))
        }
        Failure::Operational(e) => Err(e),
    }
}

/// `hearth translations`: marks what `--mark` and `--mark-all` ask for, or else prints
/// the status table. Exit 1 when a file was not marked for not being translated yet.
fn translations(
    root: &Path,
    cwd: &Path,
    mark: &[PathBuf],
    mark_all: bool,
) -> anyhow::Result<ExitCode> {
    let mut to_mark: Vec<PathBuf> = mark.to_vec();
    let mut refused = 0;
    if mark_all {
        let (markable, untranslated) = markable(root)?;
        to_mark.extend(markable);
        for file in untranslated {
            eprintln!(
                "error: not marked `{file}`: it is not translated yet\nhint: translate it, then run `hearth translations --mark {file}`"
            );
            refused += 1;
        }
    }
    for given in &to_mark {
        use hearth::translations::Marked;
        let (target, marked) = hearth::translations::mark(root, cwd, given)?;
        let file = target.file();
        match marked {
            Marked::Now(fingerprint) => {
                out!("marked `{file}` as following source {fingerprint}")
            }
            Marked::NotTranslated(why) => {
                eprintln!(
                    "error: not marked `{file}`: {why}, so it is not translated yet\nhint: translate it, then run `hearth translations --mark {file}`"
                );
                refused += 1;
            }
        }
    }
    if to_mark.is_empty() && refused == 0 {
        print_translations(&hearth::translations::status(root)?);
    }
    Ok(match refused {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// `hearth translations --diff`: what changed in a translation's source since the
/// version it follows.
fn translation_diff(root: &Path, cwd: &Path, given: &Path) -> anyhow::Result<ExitCode> {
    use hearth::translations::Changes;
    let (target, changes) = hearth::translations::diff(root, cwd, given)?;
    let file = target.file();
    match changes {
        Changes::None => out!("`{file}` follows its source as it is now: nothing has changed."),
        Changes::Since {
            source_file,
            commit,
            date,
            words,
        } => {
            out!(
                "What changed in `{source_file}` since the version `{file}` follows (commit {commit}, {date}):"
            );
            out!("[-words like these-] were taken out, {{+words like these+}} were added.\n");
            out_part!("{words}");
            out!("\nOnce the translation says the same, run `hearth translations --mark {file}`.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The stale and unmarked translations `--mark-all` marks, and the ones not translated
/// yet that it refuses. Those with errors are left, with a note: marking them would hide
/// that nobody has checked them against a source that builds.
fn markable(root: &Path) -> anyhow::Result<(Vec<PathBuf>, Vec<String>)> {
    let mut files = Vec::new();
    let mut untranslated = Vec::new();
    for t in hearth::translations::status(root)? {
        let file = format!("content/{}/{}", t.lang, t.path);
        if t.status == Status::Untranslated {
            untranslated.push(file);
            continue;
        }
        if !matches!(t.status, Status::Stale | Status::Unmarked) {
            continue;
        }
        if t.has_errors {
            eprintln!(
                "note: not marked `{file}`: it or its source has errors that `hearth check` shows; fix them, then mark it"
            );
        } else {
            files.push(PathBuf::from(file));
        }
    }
    Ok((files, untranslated))
}

/// The status table: per language a count of each status, then one line per document.
fn print_translations(rows: &[Translation]) {
    let mut current_lang = None;
    for row in rows {
        let lang = &row.lang;
        if current_lang != Some(lang) {
            let of_lang: Vec<_> = rows.iter().filter(|r| &r.lang == lang).collect();
            let count = |s: Status| of_lang.iter().filter(|r| r.status == s).count();
            out!(
                "\n{lang}: {} current, {} stale, {} unmarked, {} untranslated, {} missing, {} orphaned",
                count(Status::Current),
                count(Status::Stale),
                count(Status::Unmarked),
                count(Status::Untranslated),
                count(Status::Missing),
                count(Status::Orphaned)
            );
            current_lang = Some(lang);
        }
        let label = match row.status {
            Status::Current => "current",
            Status::Stale => "STALE",
            Status::Unmarked => "unmarked",
            Status::Untranslated => "UNTRANSLATED",
            Status::Missing => "MISSING",
            Status::Orphaned => "orphaned",
        };
        let errors = if row.has_errors {
            "  (has errors, so it is not built: see `hearth check`)"
        } else {
            ""
        };
        out!("  {label:<12} {}{errors}", row.path);
    }
}

/// `hearth check --format json`: one JSON object on standard output.
fn check_json(checked: Checked) -> ExitCode {
    let Checked {
        diagnostics,
        code,
        operational,
        ..
    } = checked;
    let error = operational.map(|e| format!("{e:#}"));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = serde_json::json!({
        "errors": errors,
        "warnings": diagnostics.len() - errors,
        "diagnostics": diagnostics,
        "failure": error,
    });
    out!("{report:#}");
    code
}

/// `hearth serve`: runs until Ctrl-C, printing what the server reports.
fn serve(
    root: &Path,
    addr: SocketAddr,
    open: bool,
    build: Options,
    color: bool,
) -> anyhow::Result<ExitCode> {
    let options = ServeOptions { addr, build };
    let terminal = ServeTerminal {
        color,
        open,
        shown: Mutex::new(HashSet::new()),
        built_once: AtomicBool::new(false),
    };
    hearth::serve::run(root, options, move |event| terminal.tell(event))?;
    Ok(ExitCode::SUCCESS)
}

/// What `hearth serve` prints, and what it remembers between events to print it.
struct ServeTerminal {
    color: bool,
    /// Whether to open the site in a browser once the server listens.
    open: bool,
    /// Warnings already shown, so a rebuild does not show them again.
    shown: Mutex<HashSet<String>>,
    /// Until a build succeeds there is no last good site to keep serving.
    built_once: AtomicBool,
}

impl ServeTerminal {
    fn tell(&self, event: Event) {
        match event {
            Event::Listening(addr) => {
                let url = format!("http://{addr}/");
                out!("Serving the site at {url} (Ctrl-C stops).");
                if self.open {
                    open_browser(&url);
                }
            }
            Event::Built(report, changed) => {
                let what = match changed.as_slice() {
                    [] => "Built".to_owned(),
                    [one] => format!("{} changed:", one.display()),
                    many => format!("{} files changed:", many.len()),
                };
                match report.ok() {
                    true => self.built(&report, &what),
                    false => self.failed(&report, &what, changed.is_empty()),
                }
            }
            Event::WatchError(e) => eprintln!("warning: watching files: {e}"),
            Event::Panicked { during, message } => {
                let stays = match self.built_once.load(Ordering::Relaxed) {
                    true => "The last good site stays served, and hearth",
                    false => "hearth",
                };
                eprintln!(
                    "error: hearth hit a bug while {during}: {message}\n\
                     {stays} keeps watching: the next save rebuilds the whole site.\n\
                     hint: this is a fault in hearth, not in the content; please report it, with this message"
                );
            }
        }
    }

    /// A good build: its new warnings, and what it did, after `what` changed.
    fn built(&self, report: &Report, what: &str) {
        self.built_once.store(true, Ordering::Relaxed);
        let mut shown = self.shown.lock().expect("no printer panics");
        let fresh: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| !shown.contains(&d.render(false)))
            .collect();
        for d in &fresh {
            eprintln!("{}\n", d.render(self.color));
        }
        *shown = report.diagnostics.iter().map(|d| d.render(false)).collect();
        if let Some(summary) = diagnostic::summary(&report.diagnostics) {
            eprintln!("{summary}");
        }
        let then = report
            .then
            .map(|(files, took)| {
                format!(
                    ", then {files} binder and search files in {} ms more",
                    took.as_millis()
                )
            })
            .unwrap_or_default();
        let done = match (what, report.full) {
            // The first build: "Built 293 files in 98 ms".
            ("Built", _) => format!("Built {} files", report.written),
            (_, true) => format!("{what} {} files built", report.written),
            (_, false) => format!("{what} {} pages rebuilt", report.written),
        };
        out!("{done} in {} ms{then}", report.elapsed.as_millis());
    }

    /// A failed build: its errors, and what the browser shows meanwhile.
    fn failed(&self, report: &Report, what: &str, first: bool) {
        print_diagnostics(&report.diagnostics, self.color);
        if let Some(f) = &report.failure {
            eprintln!("error: {f}");
        }
        let lead = match first {
            true => "The site has errors".to_owned(),
            false => format!("{what} the site has errors"),
        };
        if self.built_once.load(Ordering::Relaxed) {
            eprintln!("{lead}; the browser shows them, and the last good site stays served.");
        } else {
            eprintln!("{lead}; the browser shows them, and then the site once a save fixes them.");
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
