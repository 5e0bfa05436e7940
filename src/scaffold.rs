//! Starting points: `hearth new module` adds a numbered module folder in every language,
//! filled with placeholder text that `hearth check` warns about until it is replaced (and
//! with `--program`, adds it to a program in `hearth.yaml`); `hearth new handout` adds a
//! numbered handout to a module; `hearth init` writes a whole new project.
//!
//! Translations start as placeholders, never as copies counted as translated: each is the
//! source-language text with `translated_from: "untranslated <text fingerprint>"`, so it
//! is not yet translated (left out of its language's site, reported by `check` and
//! `translations`, refused by `--mark`) until a person changes its text.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::config::{self, Config};
use crate::content::{self, split_number_prefix};
use crate::theme;
use crate::translations::with_translated_from;

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
        crate::translations::record(dir, rel)?;
    }
    Ok(written)
}

/// What `hearth new module` made.
#[derive(Debug, Clone)]
pub struct NewModule {
    /// The files written, relative to the project folder.
    pub files: Vec<PathBuf>,
    /// The module's folder name, what programs list it by (`03-talking-with-teachers`).
    pub folder: String,
    /// The ids of the project's programs, in `hearth.yaml`'s order.
    pub programs: Vec<String>,
    /// The program it was added to, when `--program` named one.
    pub added_to: Option<String>,
    /// Whether any of the files are translations, written as placeholders.
    pub placeholders: bool,
}

/// Creates the next module folder, named after `title`, in every language (translations
/// as placeholders), and adds it at the end of `program` when one is named.
pub fn new_module(root: &Path, title: &str, program: Option<&str>) -> Result<NewModule> {
    let config = config::load_usable(root)?;
    let title = title.trim();
    if title.is_empty() {
        bail!("the module needs a title\nhint: hearth new module \"Talking with teachers\"");
    }
    let slug = ascii_slug(title);
    if slug.is_empty() {
        bail!("the title `{title}` has no letters or digits to name a folder with");
    }
    let programs: Vec<String> = config.programs.iter().map(|p| p.id.clone()).collect();
    if let Some(id) = program {
        known_program(&config, id)?;
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
    for lang in &config.languages {
        let dir = Path::new("content")
            .join(lang.as_str())
            .join("modules")
            .join(&folder);
        if root.join(&dir).exists() {
            bail!("`{}` already exists", dir.display());
        }
    }
    let quoted = serde_json::to_string(title).expect("a string always serializes");
    let files = [
        ("index.md", INDEX.replace("{title}", &quoted)),
        ("facilitator.md", GUIDE.to_owned()),
        ("handouts/01-worksheet.md", HANDOUT.to_owned()),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let rel = Path::new("modules").join(&folder).join(name);
        written.extend(write_in_every_language(root, &config, &rel, &text, None)?);
    }
    // Language by language, as an author reads the list.
    written.sort_by_key(|file| {
        let lang = file.iter().nth(1).map(|l| l.to_string_lossy().into_owned());
        config
            .languages
            .iter()
            .position(|l| Some(l.as_str()) == lang.as_deref())
    });
    let added_to = match program {
        Some(id) => {
            add_to_program(root, id, &folder)?;
            Some(id.to_owned())
        }
        None => None,
    };
    Ok(NewModule {
        files: written,
        folder,
        programs,
        added_to,
        placeholders: config.languages.len() > 1,
    })
}

/// What `hearth new handout` made.
#[derive(Debug, Clone)]
pub struct NewHandout {
    /// The files written, relative to the project folder.
    pub files: Vec<PathBuf>,
    /// The module's page in the source language, where the link goes.
    pub module_page: PathBuf,
    /// The link to paste into the module's page: `[Title](handouts/02-slug.md)`.
    pub link: String,
}

/// Creates the next handout, named after `title`, in the module `module` (its folder
/// name, with or without its number, or its number alone), in every language the module has (translations as
/// placeholders).
pub fn new_handout(root: &Path, module: &str, title: &str) -> Result<NewHandout> {
    let config = config::load_usable(root)?;
    let title = title.trim();
    if title.is_empty() {
        bail!(
            "the handout needs a title\nhint: hearth new handout {module} \"Questions for the teacher\""
        );
    }
    let slug = ascii_slug(title);
    if slug.is_empty() {
        bail!("the title `{title}` has no letters or digits to name a file with");
    }
    let modules_dir = root
        .join("content")
        .join(config.source_lang().as_str())
        .join("modules");
    let mut folders: Vec<String> = std::fs::read_dir(&modules_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.md").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let module = module.trim_end_matches('/');
    let module = module.rsplit('/').next().unwrap_or(module);
    let Some(folder) = folders.iter().find(|f| {
        let (number, name) = split_number_prefix(f);
        *f == module || name == module || number.is_some() && number == module.parse().ok()
    }) else {
        let known = folders
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        bail!(
            "there is no module `{module}` in `content/{}/modules/`\nhint: name one of the module folders: {known}",
            config.source_lang()
        );
    };
    // The next number after every handout of the module in any language.
    let mut last = 0;
    let mut width = 2;
    for lang in &config.languages {
        let dir = root
            .join("content")
            .join(lang.as_str())
            .join("modules")
            .join(folder)
            .join("handouts");
        for entry in std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let (Some(n), _) = split_number_prefix(&name) {
                last = last.max(n);
                width = width.max(name.bytes().take_while(u8::is_ascii_digit).count());
            }
        }
    }
    let name = format!("{:0width$}-{slug}.md", last + 1);
    let quoted = serde_json::to_string(title).expect("a string always serializes");
    let text = HANDOUT.replace(
        "title: TODO the worksheet's title",
        &format!("title: {quoted}"),
    );
    let rel = Path::new("modules")
        .join(folder)
        .join("handouts")
        .join(&name);
    let within = Path::new("modules").join(folder);
    let files = write_in_every_language(root, &config, &rel, &text, Some(&within))?;
    Ok(NewHandout {
        files,
        module_page: Path::new("content")
            .join(config.source_lang().as_str())
            .join("modules")
            .join(folder)
            .join("index.md"),
        link: format!("[{title}](handouts/{name})"),
    })
}

/// Writes `text` at `rel` (below `content/<lang>/`) in the source language and, as a
/// placeholder, in every translation; with `within`, only in the translations that have
/// that folder (a module not translated at all gets no placeholder handout: its pages
/// offer the source language already). Nothing is overwritten: every file is checked
/// before the first is written.
fn write_in_every_language(
    root: &Path,
    config: &Config,
    rel: &Path,
    text: &str,
    within: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    let placeholder = with_translated_from(text, &content::placeholder_mark(text))
        .expect("hearth's own starting text has front matter");
    let mut plan = Vec::new();
    for lang in &config.languages {
        let lang_dir = Path::new("content").join(lang.as_str());
        let is_source = lang == config.source_lang();
        if !is_source && within.is_some_and(|dir| !root.join(&lang_dir).join(dir).is_dir()) {
            continue;
        }
        let file = lang_dir.join(rel);
        if root.join(&file).exists() {
            bail!("`{}` already exists", file.display());
        }
        plan.push((
            file,
            if is_source {
                text
            } else {
                placeholder.as_str()
            },
        ));
    }
    let mut written = Vec::new();
    for (file, text) in plan {
        write_new(&root.join(&file), text.as_bytes())?;
        written.push(file);
    }
    Ok(written)
}

/// `id` names one of the project's programs, or an error lists them.
fn known_program<'a>(config: &'a Config, id: &str) -> Result<&'a config::Program> {
    if let Some(program) = config.programs.iter().find(|p| p.id == id) {
        return Ok(program);
    }
    if config.programs.is_empty() {
        bail!(
            "hearth.yaml has no programs, so there is no program `{id}` to add the module to\nhint: leave out `--program`; the authoring guide says how to start a program under `programs:`"
        );
    }
    let known: Vec<String> = config
        .programs
        .iter()
        .map(|p| format!("`{}`", p.id))
        .collect();
    bail!(
        "hearth.yaml has no program `{id}`\nhint: name one of its programs: {}",
        known.join(", ")
    )
}

/// Adds `folder` after the last module of the program `id` in `hearth.yaml`, in the
/// list's own style (a new `- item` line, or `, item` inside `[...]`), changing nothing
/// else; checks the result reads back as that program with the module at its end.
fn add_to_program(root: &Path, id: &str, folder: &str) -> Result<()> {
    let config = config::load_usable(root)?;
    let program = known_program(&config, id)?;
    let Some((_, line, column)) = program.modules.last() else {
        bail!(
            "the program `{id}` lists no modules yet, so hearth cannot tell how its list is written\nhint: add `{folder}` to its `modules:` in hearth.yaml by hand"
        );
    };
    let path = root.join("hearth.yaml");
    let before = std::fs::read_to_string(&path).context("cannot read `hearth.yaml`")?;
    let after = with_module_after(&before, *line, *column, folder).with_context(|| {
        format!("hearth cannot tell how the program `{id}`'s list of modules is written\nhint: add `{folder}` to its `modules:` in hearth.yaml by hand")
    })?;
    std::fs::write(&path, &after).context("cannot write `hearth.yaml`")?;
    let reread = config::load(root).0;
    let ends_with_it = reread.as_ref().is_some_and(|c| {
        c.programs
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.modules.last())
            .is_some_and(|(m, _, _)| m == folder)
    });
    if !ends_with_it {
        std::fs::write(&path, &before).context("cannot write `hearth.yaml` back")?;
        bail!(
            "hearth could not add `{folder}` to the program `{id}` without changing how hearth.yaml reads, so it left the file as it was\nhint: add `{folder}` to its `modules:` by hand"
        );
    }
    Ok(())
}

/// `text` with `folder` added after the list item at `line` and `column` (1-based).
fn with_module_after(text: &str, line: usize, column: usize, folder: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let item_line = lines.get(line.checked_sub(1)?)?.clone();
    let start = item_line
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    let before = &item_line[..start];
    if before.trim_end().ends_with('-') {
        // A block list: a new line like the last item's.
        if !item_line.ends_with('\n') {
            lines[line - 1].push_str(newline);
        }
        lines.insert(line, format!("{before}{folder}{newline}"));
    } else {
        // A flow list: after the last item, before its `,` or `]`.
        let rest = &item_line[start..];
        let end = start + rest[..rest.find([',', ']'])?].trim_end().len();
        lines[line - 1] = format!("{}, {folder}{}", &item_line[..end], &item_line[end..]);
    }
    Some(lines.concat())
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

:::: activity {minutes=10 title="Welcome and check-in"}

Remind the group of its agreement and that everyone may pass.

::: say
TODO words to say aloud.
:::

::::

:::: activity {minutes=40 title="TODO the main activity"}

TODO the steps.

::: facilitator
TODO why this step matters, and what to do if someone gets upset.
:::

::::

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
    fn a_module_joins_a_program_in_the_lists_own_style() {
        let block =
            "programs:\n  short:\n    modules:\n      - 01-a\n      - 02-b\ntheme: default\n";
        assert_eq!(
            with_module_after(block, 5, 9, "03-c").unwrap(),
            "programs:\n  short:\n    modules:\n      - 01-a\n      - 02-b\n      - 03-c\ntheme: default\n"
        );
        let flow = "programs:\n  short:\n    modules: [01-a, 02-b]  # the short one\n";
        assert_eq!(
            with_module_after(flow, 3, 21, "03-c").unwrap(),
            "programs:\n  short:\n    modules: [01-a, 02-b, 03-c]  # the short one\n"
        );
    }

    #[test]
    fn folder_names_are_plain_ascii() {
        assert_eq!(ascii_slug("Talking with Teachers"), "talking-with-teachers");
        assert_eq!(ascii_slug("¿Qué sigue? Año nuevo"), "que-sigue-ano-nuevo");
    }
}
