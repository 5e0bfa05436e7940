//! Starting points: `hearth new module` adds a numbered module folder in every language,
//! filled with placeholder text that `hearth check` warns about until it is replaced;
//! `hearth init` writes a whole new project.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::config;
use crate::content::split_number_prefix;
use crate::theme;

macro_rules! starter {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("init/", $path)))),*]
    };
}

/// The project `hearth init` writes, by path.
const STARTER: &[(&str, &str)] = starter!(
    "hearth.yaml",
    ".gitignore",
    "README.md",
    "content/en/_index.md",
    "content/en/modules/01-welcome/index.md",
    "content/en/modules/01-welcome/facilitator.md",
    "content/en/modules/01-welcome/handouts/01-my-hopes.md",
    "content/es/_index.md",
    "content/es/modules/01-welcome/index.md",
    "content/es/modules/01-welcome/facilitator.md",
    "content/es/modules/01-welcome/handouts/01-my-hopes.md",
);

/// Writes a new project into `dir`, which must be empty or absent. With `with_theme`,
/// the built-in theme is copied to `themes/default/` for restyling. Returns the files
/// written, relative to `dir`.
pub fn init(dir: &Path, with_theme: bool) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "`{}` is not empty\nhint: give a new folder's name, like `hearth init my-toolkit`",
                dir.display()
            );
        }
    }
    let mut files: Vec<(String, Vec<u8>)> = STARTER
        .iter()
        .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
        .collect();
    if with_theme {
        let base = "themes/default";
        files.extend(
            theme::DEFAULT_TEMPLATES
                .iter()
                .map(|(n, t)| (format!("{base}/templates/{n}"), t.as_bytes().to_vec())),
        );
        files.extend(
            theme::DEFAULT_STATIC
                .iter()
                .map(|(n, b)| (format!("{base}/static/{n}"), b.to_vec())),
        );
        files.extend(
            theme::DEFAULT_LOCALES
                .iter()
                .map(|(l, t)| (format!("{base}/locales/{l}.ftl"), t.as_bytes().to_vec())),
        );
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        write_new(&dir.join(&rel), &bytes)?;
        written.push(PathBuf::from(rel));
    }
    // The starter's translations are current: record it, as a translator would.
    for (rel, _) in STARTER.iter().filter(|(p, _)| p.starts_with("content/es/")) {
        crate::translations::mark(dir, Path::new(rel))?;
    }
    Ok(written)
}

/// Creates the next module folder, named after `title`, in every language. Returns the
/// files written, relative to `root`.
pub fn new_module(root: &Path, title: &str) -> Result<Vec<PathBuf>> {
    let (config, diags) = config::load(root);
    let Some(config) = config else {
        let text: Vec<String> = diags.iter().map(|d| d.render(false)).collect();
        bail!("hearth.yaml has errors:\n{}", text.join("\n"));
    };
    let title = title.trim();
    if title.is_empty() {
        bail!("the module needs a title\nhint: hearth new module \"Talking with teachers\"");
    }
    let slug = ascii_slug(title);
    if slug.is_empty() {
        bail!("the title `{title}` has no letters or digits to name a folder with");
    }
    // The next number after every module folder in any language.
    let mut last = 0;
    let mut width = 2;
    for lang in &config.languages {
        let dir = root.join("content").join(lang.as_str()).join("modules");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let (Some(n), _) = split_number_prefix(&name) {
                last = last.max(n);
                width = width.max(name.bytes().take_while(u8::is_ascii_digit).count());
            }
        }
    }
    // Two folders with the same name after the number would share an address.
    let taken = |candidate: &str| {
        config.languages.iter().any(|lang| {
            let dir = root.join("content").join(lang.as_str()).join("modules");
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .any(|e| split_number_prefix(&e.file_name().to_string_lossy()).1 == candidate)
        })
    };
    let mut unique = slug.clone();
    let mut n = 2;
    while taken(&unique) {
        unique = format!("{slug}-{n}");
        n += 1;
    }
    let folder = format!("{:0width$}-{unique}", last + 1);
    let mut written = Vec::new();
    for lang in &config.languages {
        let dir = Path::new("content")
            .join(lang.as_str())
            .join("modules")
            .join(&folder);
        if root.join(&dir).exists() {
            bail!("`{}` already exists", dir.display());
        }
        let quoted = serde_json::to_string(title).expect("a string always serializes");
        let files = [
            ("index.md", INDEX.replace("{title}", &quoted)),
            ("facilitator.md", GUIDE.to_owned()),
            ("handouts/01-worksheet.md", HANDOUT.to_owned()),
        ];
        for (name, text) in files {
            let rel = dir.join(name);
            write_new(&root.join(&rel), text.as_bytes())?;
            written.push(rel);
        }
    }
    Ok(written)
}

/// Writes a file, making its folders.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// A folder name from a title: lowercase ASCII letters and digits joined by hyphens.
fn ascii_slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

const INDEX: &str = r#"---
title: {title}
summary: TODO one sentence that says what this session is about.
duration: 60
objectives:
  - TODO something participants will be able to do
---

TODO: Write what participants read: a short welcome, a few sections that start with
`##`, and one short story about a caregiver.

::: discussion

- TODO a question for the group

:::

::: practice {title="TODO the practice for this week"}

TODO: What to try before the next session. Use the worksheet:
[the worksheet](handouts/01-worksheet.md).

:::
"#;

const GUIDE: &str = r#"---
materials:
  - TODO what to bring
preparation: |
  TODO what to do before the session.
---

::: activity {minutes=10 title="Welcome and check-in"}

Remind the group of its agreement and that everyone may pass.

::: say
TODO words to say aloud.
:::

:::

::: activity {minutes=40 title="TODO the main activity"}

TODO the steps.

::: facilitator
TODO why this step matters, and what to do if someone gets upset.
:::

:::

::: activity {minutes=10 title="Practice and closing"}

TODO how to introduce the practice and close the session.

:::
"#;

const HANDOUT: &str = r#"---
title: TODO the worksheet's title
kind: worksheet
---

TODO: one or two sentences that say what to write.

::: lines {count=6}
:::
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_plain_ascii() {
        assert_eq!(ascii_slug("Talking with Teachers"), "talking-with-teachers");
        assert_eq!(ascii_slug("¿Qué sigue? Año nuevo"), "que-sigue-ano-nuevo");
    }
}
