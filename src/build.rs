//! The pipeline end to end: load, model, render, and (for `build`) write. Writing goes to
//! a fresh folder beside the output that replaces it only when complete, so a failed build
//! leaves the previous site in place; hearth only ever replaces a folder it made itself.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};

use crate::config;
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::i18n::I18n;
use crate::pages::{self, DocHtml, Output};
use crate::render::Renderer;
use crate::site;
use crate::strings;
use crate::theme;

/// Marks an output folder as hearth's, so a rebuild may replace it.
pub const MARKER: &str = ".hearth-output";

/// Choices for one build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub drafts: bool,
    /// Overrides `base_url` in hearth.yaml.
    pub base_url: Option<String>,
}

/// Why a build produced no site.
#[derive(Debug)]
pub enum Failure {
    /// `hearth.yaml` is missing or wrong (exit 2).
    Config(Vec<Diagnostic>),
    /// Content errors, with any warnings (exit 1).
    Content(Vec<Diagnostic>),
    /// I/O, templates and other operational problems (exit 2).
    Operational(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Operational(e)
    }
}

/// A generated site, not yet written.
pub struct Generated {
    pub outputs: Vec<Output>,
    /// Files copied as they are: (source on disk, output path).
    pub copies: Vec<(PathBuf, String)>,
    pub warnings: Vec<Diagnostic>,
    /// Whether `outputs` has a `sitemap.xml`: only a site with a `base_url` gets one.
    pub sitemap: bool,
}

impl Generated {
    pub fn page_count(&self) -> usize {
        self.outputs
            .iter()
            .filter(|o| o.path.ends_with(".html"))
            .count()
    }
}

/// What stays the same while only content changes: configuration, theme and strings.
pub struct Prepared {
    pub config: config::Config,
    pub i18n: Arc<I18n>,
    pub renderer: Renderer,
    /// The theme's static files, by output path.
    pub assets: Vec<Output>,
    /// Warnings (and string errors) found while preparing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the configuration, theme and strings.
pub fn prepare(root: &Path, options: &Options) -> Result<Prepared, Failure> {
    let (config, mut diags) = config::load(root);
    let Some(mut config) = config else {
        diagnostic::sort(&mut diags);
        return Err(Failure::Config(diags));
    };
    if let Some(url) = &options.base_url {
        let mut url = url.clone();
        if !url.ends_with('/') {
            url.push('/');
        }
        config.base_url = Some(url);
    }
    let mut theme = theme::load(root, &config.theme, &config.languages)?;
    let (i18n, string_diags) = I18n::new(&config.languages, std::mem::take(&mut theme.locales));
    diags.extend(string_diags);
    let (needed, template_diags) = strings::needed(&theme.templates);
    diags.extend(template_diags);
    diags.extend(strings::missing(&needed, &config.languages, &i18n));
    let i18n = Arc::new(i18n);
    let renderer = Renderer::new_checked(&theme, i18n.clone())?;
    let assets = theme
        .assets
        .into_iter()
        .map(|(name, bytes)| Output {
            path: format!("assets/{name}"),
            bytes,
        })
        .collect();
    Ok(Prepared {
        config,
        i18n,
        renderer,
        assets,
        diagnostics: diags,
    })
}

/// A site model with every document's HTML, checked.
pub struct Modelled {
    pub site: site::Site,
    pub html: Vec<Arc<DocHtml>>,
    /// Every diagnostic, sorted; none is an error.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the model from `content` and renders its documents, reusing from `reuse` the
/// HTML of documents known not to have changed.
pub fn model(
    prepared: &Prepared,
    content: content::Content,
    content_diags: Vec<Diagnostic>,
    options: &Options,
    reuse: &(dyn Fn(&site::Doc) -> Option<Arc<DocHtml>> + Sync),
) -> Result<Modelled, Failure> {
    let mut diags = prepared.diagnostics.clone();
    diags.extend(content_diags);
    let (site, site_diags) = site::build(prepared.config.clone(), content, options.drafts);
    diags.extend(site_diags);
    diags.extend(strings::missing_topics(&site, &prepared.i18n));
    let html = pages::render_docs(&site, &prepared.i18n, reuse);
    diags.extend(pages::doc_diagnostics(&site, &html));
    diagnostic::sort(&mut diags);
    diags.dedup();
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Content(diags));
    }
    Ok(Modelled {
        site,
        html,
        diagnostics: diags,
    })
}

/// Files copied as they are: content assets and the project's `static/`.
pub fn copies(root: &Path, site: &site::Site) -> Result<Vec<(PathBuf, String)>> {
    let mut copies: Vec<(PathBuf, String)> = site
        .assets
        .iter()
        .map(|(a, out)| (a.disk.clone(), out.clone()))
        .collect();
    for (rel, path) in theme::files_in(&root.join("static"))? {
        copies.push((path, rel));
    }
    Ok(copies)
}

/// Runs the whole pipeline but the writing.
pub fn generate(root: &Path, options: &Options) -> Result<Generated, Failure> {
    let prepared = prepare(root, options)?;
    let (content, content_diags) = content::load(root, &prepared.config);
    let modelled = model(&prepared, content, content_diags, options, &|_| None)?;
    let mut outputs = pages::render_pages(
        &modelled.site,
        &prepared.i18n,
        &prepared.renderer,
        &modelled.html,
        None,
    )
    .map_err(|e| Failure::Operational(anyhow::anyhow!(e)))?;
    outputs.extend(prepared.assets);
    Ok(Generated {
        copies: copies(root, &modelled.site)?,
        outputs,
        warnings: modelled.diagnostics,
        sitemap: pages::has_sitemap(&prepared.config),
    })
}

impl Renderer {
    fn new_checked(theme: &theme::Theme, i18n: Arc<I18n>) -> Result<Renderer> {
        Renderer::new(theme, i18n).map_err(|e| anyhow::anyhow!("a template cannot be read:\n{e}"))
    }
}

/// What a successful build did.
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    /// Whether a `sitemap.xml` was written; without a `base_url` there is none, which the
    /// caller may want to say.
    pub sitemap: bool,
}

/// Builds the site at `root` into `out`, replacing the previous output only on success.
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Report, Failure> {
    let out = check_output_folder(root, out)?;
    let generated = generate(root, options)?;
    write(&generated, &out)?;
    Ok(Report {
        pages: generated.page_count(),
        files: generated.outputs.len() + generated.copies.len(),
        warnings: generated.warnings,
        sitemap: generated.sitemap,
    })
}

/// The output folder as an absolute path, refused when replacing it could lose work.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot find the project folder `{}`", root.display()))?;
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    let out = normalize(&out);
    let out = match out.canonicalize() {
        Ok(real) => real,
        Err(_) => out,
    };
    if root.starts_with(&out) {
        bail!(
            "the output folder `{}` holds the project itself\nhint: choose a folder for the site alone, such as `public`",
            out.display()
        );
    }
    for protected in ["content", "themes", "locales", "templates", "static"] {
        if out.starts_with(root.join(protected)) {
            bail!(
                "the output folder `{}` is inside the project's `{protected}/` folder\nhint: choose a folder for the site alone, such as `public`",
                out.display()
            );
        }
    }
    if out.is_file() {
        bail!(
            "the output path `{}` is a file\nhint: choose a folder, such as `public`",
            out.display()
        );
    }
    if out.is_dir() {
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).exists() {
            bail!(
                "the output folder `{}` already has files that hearth did not write\nhint: choose an empty or new folder, or move those files away; hearth replaces only folders it built",
                out.display()
            );
        }
    }
    Ok(out)
}

/// Resolves `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the site into `out`, touching only files whose bytes changed, so hosts that
/// sync by timestamp upload only what changed.
///
/// Every new or changed file is first written to a staging folder beside `out`; only when
/// all of them are written (a full disk fails here) are they renamed into place and the
/// files that are no longer part of the site removed. A failure before that leaves `out`
/// as it was. The marker file lists what hearth wrote, with sizes and hashes, so the next
/// build knows what changed without reading the site back, and never removes files that
/// someone else put there.
fn write(generated: &Generated, out: &Path) -> Result<()> {
    use rayon::prelude::*;
    let parent = out
        .parent()
        .context("the output folder has no parent folder")?;
    let name = out
        .file_name()
        .context("the output folder has no name")?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    let previous = match std::fs::read_to_string(out.join(MARKER)) {
        Ok(text) => match Manifest::parse(&text) {
            Some(m) => m,
            None => {
                // A folder from an older hearth: ours, but with no list; start it afresh.
                std::fs::remove_dir_all(out)
                    .with_context(|| format!("cannot clear `{}`", out.display()))?;
                std::fs::create_dir_all(out)
                    .with_context(|| format!("cannot create `{}`", out.display()))?;
                Manifest::default()
            }
        },
        Err(_) => Manifest::default(),
    };

    // Everything the site is made of, with the size and hash the manifest keeps.
    let copies: Vec<(String, Vec<u8>)> = generated
        .copies
        .par_iter()
        .map(|(from, to)| {
            std::fs::read(from)
                .map(|bytes| (to.clone(), bytes))
                .with_context(|| format!("cannot read `{}`", from.display()))
        })
        .collect::<Result<_>>()?;
    let files: Vec<(&str, &[u8])> = generated
        .outputs
        .iter()
        .map(|o| (o.path.as_str(), o.bytes.as_slice()))
        .chain(copies.iter().map(|(p, b)| (p.as_str(), b.as_slice())))
        .collect();
    let entries: Vec<(u64, u64)> = files
        .par_iter()
        .map(|(_, bytes)| (bytes.len() as u64, fnv1a(bytes)))
        .collect();
    let changed: Vec<usize> = (0..files.len())
        .into_par_iter()
        .filter(|&i| {
            let (path, _) = files[i];
            let (len, _) = entries[i];
            // The size on disk catches a file deleted or edited by hand since.
            previous.files.get(path) != Some(&entries[i])
                || std::fs::symlink_metadata(out.join(path))
                    .map(|m| m.len())
                    .ok()
                    != Some(len)
        })
        .collect();

    // Stage: flat files named by number, so staging makes no folders.
    let staging = parent.join(format!(".{name}.hearth-new"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).with_context(|| {
            format!("cannot remove the unfinished build `{}`", staging.display())
        })?;
    }
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create `{}`", staging.display()))?;
    let staged = changed.par_iter().try_for_each(|&i| -> Result<()> {
        inside(out, files[i].0)?;
        let path = staging.join(i.to_string());
        std::fs::write(&path, files[i].1)
            .with_context(|| format!("cannot write `{}`", path.display()))
    });
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }

    // Commit: folders for new files, then renames, then what is gone.
    let mut dirs: Vec<&Path> = changed
        .iter()
        .filter_map(|&i| Path::new(files[i].0).parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let path = inside(out, &dir.to_string_lossy())?;
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot create `{}`", path.display()))?;
    }
    for &i in &changed {
        let target = inside(out, files[i].0)?;
        std::fs::rename(staging.join(i.to_string()), &target)
            .with_context(|| format!("cannot move the new `{}` into place", target.display()))?;
    }
    let current: std::collections::HashSet<&str> = files.iter().map(|(p, _)| *p).collect();
    for path in previous
        .files
        .keys()
        .filter(|p| !current.contains(p.as_str()))
    {
        let target = inside(out, path)?;
        if target.is_file() {
            std::fs::remove_file(&target)
                .with_context(|| format!("cannot remove `{}`", target.display()))?;
        }
        // Folders left empty go too, up to the output folder itself.
        let mut dir = target.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    let manifest = Manifest {
        files: files
            .iter()
            .zip(entries)
            .map(|((path, _), entry)| ((*path).to_owned(), entry))
            .collect(),
    };
    std::fs::write(out.join(MARKER), manifest.render())
        .context("cannot write the output marker")?;
    Ok(())
}

/// What a build wrote: path -> (size, FNV-1a hash).
#[derive(Default)]
struct Manifest {
    files: std::collections::BTreeMap<String, (u64, u64)>,
}

impl Manifest {
    const HEADER: &str =
        "# This folder was built by hearth; `hearth build` replaces the files listed here.";

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != Manifest::HEADER {
            return None;
        }
        let mut files = std::collections::BTreeMap::new();
        for line in lines {
            let mut parts = line.splitn(3, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            files.insert(parts.next()?.to_owned(), (len, hash));
        }
        Some(Manifest { files })
    }

    fn render(&self) -> String {
        let mut text = String::from(Manifest::HEADER);
        text.push('\n');
        for (path, (len, hash)) in &self.files {
            text.push_str(&format!("{hash:016x} {len} {path}\n"));
        }
        text
    }
}

/// The 64-bit FNV-1a hash: fast, and the same on every machine and Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `rel` below `dir`, refusing any path that would leave it.
fn inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel);
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        bail!("refusing to write `{rel}` outside the output folder");
    }
    Ok(dir.join(rel_path))
}
