//! Themes: the default theme compiled into the binary, a project's `themes/<name>/` laid
//! over it, and the project's own `templates/` and `locales/` laid over both. A theme's
//! `static/` goes to `assets/`; the project's own `static/` is copied to the site's root
//! as it is (`build::copies`), not through the theme.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::config::Lang;
use crate::i18n::FtlFile;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates, by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "crisis-box.html",
    "prev-next.html",
    "guide-body.html",
    "module.html",
    "guide.html",
    "handout.html",
    "packet.html",
    "home.html",
    "program.html",
    "page.html",
    "chooser.html",
    "404.html",
    "search-box.html",
    "pdf-link.html",
);

/// The default theme's static files, copied to `assets/`.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "hearth.css",
        include_bytes!("../themes/default/static/hearth.css"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
    // Browsers ask every site for an icon; a theme's own `favicon.svg` replaces this one.
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
];

/// The interface strings hearth ships, by language: the repository's top-level `locales/`,
/// which the design card keeps apart from the theme's templates and static files so a
/// translator finds them without learning what a theme is.
pub const DEFAULT_LOCALES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.ftl")),
    ("es", include_str!("../locales/es.ftl")),
];

/// A template's name and text, and where it came from for error messages.
pub struct Template {
    /// What Tera and `{% include %}` know it by: its path below `templates/`.
    pub name: String,
    /// Relative to the project, or `(built-in theme)/templates/…`.
    pub file: PathBuf,
    /// The template's source.
    pub text: String,
}

/// Everything a theme contributes, after overrides.
pub struct Theme {
    /// The built-in ones, then `themes/<name>/templates/`, then the project's `templates/`:
    /// each replaces any of the same name, or adds one.
    pub templates: Vec<Template>,
    /// Output path below `assets/`, and bytes.
    pub assets: Vec<(String, Vec<u8>)>,
    /// The built-in strings of the configured languages, then `themes/<name>/locales/`, then
    /// `locales/`: later files override earlier ones.
    pub locales: Vec<FtlFile>,
}

/// Loads the theme named in the configuration, with the project's overrides.
pub fn load(root: &Path, theme: &str, langs: &[Lang]) -> Result<Theme> {
    let mut templates: Vec<Template> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| Template {
            name: (*name).to_owned(),
            file: PathBuf::from(format!("(built-in theme)/templates/{name}")),
            text: (*text).to_owned(),
        })
        .collect();
    let mut assets: Vec<(String, Vec<u8>)> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect();
    let mut locales: Vec<FtlFile> = DEFAULT_LOCALES
        .iter()
        .filter(|(code, _)| langs.iter().any(|l| l.as_str() == *code))
        .map(|(code, text)| FtlFile {
            lang: Lang::new(*code),
            file: PathBuf::from(format!("(built-in theme)/locales/{code}.ftl")),
            text: (*text).to_owned(),
        })
        .collect();
    let theme_dir = root.join("themes").join(theme);
    if theme != "default" && !theme_dir.is_dir() {
        anyhow::bail!(
            "the theme `{theme}` named in hearth.yaml is not in `themes/{theme}/`\nhint: use `theme: default`, or copy a theme to `themes/{theme}/`"
        );
    }
    for dir in [format!("themes/{theme}/templates"), "templates".to_owned()] {
        for (name, path) in files_in(&root.join(&dir))? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the template `{}`", path.display()))?;
            templates.retain(|t| t.name != name);
            templates.push(Template {
                file: Path::new(&dir).join(&name),
                name,
                text,
            });
        }
    }
    for dir in [theme_dir.join("static")] {
        for (name, path) in files_in(&dir)? {
            let bytes = std::fs::read(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            assets.retain(|(n, _)| *n != name);
            assets.push((name, bytes));
        }
    }
    let theme_locales = format!("themes/{theme}/locales");
    for dir in [theme_locales.as_str(), "locales"] {
        locales.extend(
            crate::i18n::project_files(root, dir, langs)
                .with_context(|| format!("cannot read the strings in `{dir}/`"))?,
        );
    }
    Ok(Theme {
        templates,
        assets,
        locales,
    })
}

/// Files below `dir` by their path relative to it (`/`-separated), sorted; none if absent.
/// Hidden files and editors' backups are left out ([`crate::project::is_ignored`]).
pub fn files_in(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !crate::project::is_ignored(&rel) {
                files.push((rel, entry.into_path()));
            }
        }
    }
    Ok(files)
}
