//! What every test shares: a fixture project copied into a temporary folder, the real
//! `hearth` binary run on it, its diagnostics read back by severity and location, and the
//! built site read the way a browser would (pages parsed with scraper, links followed
//! on disk).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// A toolkit project in a temporary folder, deleted when it and every [`Site`] read from
/// it are dropped, so builds never write into the repository.
pub struct Project {
    tmp: Rc<TempDir>,
    root: PathBuf,
}

impl Project {
    /// A fresh copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Project {
        let project = Project::empty();
        let from = fixtures_dir().join(name);
        assert!(from.is_dir(), "no fixture at {}", from.display());
        copy_tree(&from, &project.root);
        project
    }

    /// The repository's own sample toolkit: its `hearth.yaml`, `content/`, `editions/` and
    /// `static/`, nothing else.
    pub fn sample() -> Project {
        let project = Project::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::copy(repo.join("hearth.yaml"), project.path("hearth.yaml")).expect("copy hearth.yaml");
        for folder in ["content", "editions", "static"] {
            copy_tree(&repo.join(folder), &project.path(folder));
        }
        project
    }

    /// An empty project folder.
    pub fn empty() -> Project {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().join("project");
        fs::create_dir(&root).expect("create the project folder");
        Project {
            tmp: Rc::new(tmp),
            root,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Writes a file, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a file has a folder")).expect("create folders");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
    }

    /// Adds `text` at the end of a file; returns the line number `text` starts on.
    pub fn append(&self, rel: &str, text: &str) -> usize {
        let mut old = self.read(rel);
        if !old.ends_with('\n') {
            old.push('\n');
        }
        let line = old.lines().count() + 1;
        self.write(rel, old + text);
        line
    }

    /// Replaces the first `from` in a file, which must be there.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let old = self.read(rel);
        assert!(old.contains(from), "{rel} has no `{from}`");
        self.write(rel, old.replacen(from, to, 1));
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("cannot remove {rel}: {e}"));
    }

    /// The 1-based number of the first line of `rel` containing `needle`.
    pub fn line_of(&self, rel: &str, needle: &str) -> usize {
        self.read(rel)
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{rel} has no line with `{needle}`"))
            + 1
    }

    /// Runs `hearth --root <project> <args>` from inside the project folder.
    pub fn hearth(&self, args: &[&str]) -> Run {
        self.hearth_with_env(args, &[])
    }

    /// [`Project::hearth`] with extra environment variables.
    pub fn hearth_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::cargo_bin("hearth")
            .expect("the hearth binary is built")
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .output()
            .expect("hearth runs");
        Run::new(args.join(" "), output)
    }

    /// Runs `hearth <args>` without `--root` from the folder `dir` (relative to the
    /// project folder), as an author would from somewhere inside the project.
    pub fn hearth_in(&self, dir: &str, args: &[&str]) -> Run {
        let output = Command::cargo_bin("hearth")
            .expect("the hearth binary is built")
            .current_dir(self.root.join(dir))
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("hearth runs");
        Run::new(format!("(in {dir}) {}", args.join(" ")), output)
    }

    /// `hearth build --out public`.
    pub fn build(&self) -> Run {
        self.hearth(&["build", "--out", "public"])
    }

    /// `hearth check`.
    pub fn check(&self) -> Run {
        self.hearth(&["check"])
    }

    /// The site in `public/`.
    pub fn site(&self) -> Site {
        Site {
            root: self.path("public"),
            _project: self.tmp.clone(),
        }
    }

    /// The site in the folder `rel` (such as `public/editions/alpha`).
    pub fn site_in(&self, rel: &str) -> Site {
        Site {
            root: self.path(rel),
            _project: self.tmp.clone(),
        }
    }

    /// Builds into `public/`, asserting success, and returns the site.
    #[track_caller]
    pub fn built(&self) -> Site {
        self.build().success();
        self.site()
    }

    /// Every file of the project with its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.root)
    }
}

/// One finished run of the binary. Making one asserts that hearth did not panic: no input
/// may make it panic.
pub struct Run {
    args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// One diagnostic as the user reads it in the terminal.
#[derive(Debug, Clone)]
pub struct Diag {
    /// `error` or `warning`.
    pub severity: String,
    pub message: String,
    /// `file:line:col`, just `file` for whole-file problems, empty when none is given.
    pub location: String,
    pub hint: Option<String>,
}

impl Run {
    fn new(args: String, output: std::process::Output) -> Run {
        let run = Run {
            args,
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(!run.stderr.contains("panicked"), "hearth panicked:\n{run}");
        assert_ne!(run.code, Some(101), "hearth panicked:\n{run}");
        run
    }

    /// Exit 0 and no errors reported.
    #[track_caller]
    pub fn success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "expected success:\n{self}");
        assert!(
            !self.has_errors(),
            "a successful run reported errors:\n{self}"
        );
        self
    }

    /// Exit `code`.
    #[track_caller]
    pub fn exits(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "expected exit {code}:\n{self}");
        self
    }

    /// The diagnostics printed on stderr, in order.
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut diags: Vec<Diag> = Vec::new();
        for line in self.stderr.lines() {
            let header = [("error", "error: "), ("warning", "warning: ")]
                .into_iter()
                .find_map(|(severity, prefix)| line.strip_prefix(prefix).map(|m| (severity, m)));
            if let Some((severity, message)) = header {
                diags.push(Diag {
                    severity: severity.to_owned(),
                    message: message.to_owned(),
                    location: String::new(),
                    hint: None,
                });
            } else if let Some(last) = diags.last_mut() {
                let trimmed = line.trim_start();
                if let Some(location) = trimmed.strip_prefix("--> ") {
                    if last.location.is_empty() {
                        last.location = location.trim().to_owned();
                    }
                } else if let Some(hint) = line
                    .strip_prefix("help: ")
                    .or_else(|| line.strip_prefix("hint: "))
                {
                    last.hint = Some(hint.to_owned());
                }
            }
        }
        diags
    }

    pub fn errors(&self) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.severity == "error")
            .collect()
    }

    pub fn warnings(&self) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.severity == "warning")
            .collect()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors().is_empty()
    }

    /// The error reported at `location` (`file:line:col`, or `file`).
    #[track_caller]
    pub fn error_at(&self, location: &str) -> Diag {
        self.find("error", location)
    }

    /// The warning reported at `location` (`file:line:col`, or `file`).
    #[track_caller]
    pub fn warning_at(&self, location: &str) -> Diag {
        self.find("warning", location)
    }

    #[track_caller]
    fn find(&self, severity: &str, location: &str) -> Diag {
        self.diagnostics()
            .into_iter()
            .find(|d| d.severity == severity && d.location == location)
            .unwrap_or_else(|| panic!("no {severity} at `{location}`:\n{self}"))
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "$ hearth {}\nexit: {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }
}

/// A built site on disk.
pub struct Site {
    root: PathBuf,
    /// Keeps the temporary project alive while the site is read.
    _project: Rc<TempDir>,
}

/// Where a link leads inside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The output file, `/`-separated; a folder link is read as the folder's `index.html`.
    pub file: String,
    /// The `#fragment`, percent-decoded.
    pub fragment: Option<String>,
    /// Whether the link named a folder rather than a file.
    pub folder: bool,
}

impl Target {
    /// `file#fragment`, for comparisons.
    pub fn show(&self) -> String {
        match &self.fragment {
            Some(f) => format!("{}#{f}", self.file),
            None => self.file.clone(),
        }
    }
}

/// What following every link of a site found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// Links to a file or `#anchor` that is not there.
    pub broken: Vec<String>,
    /// Links to a folder (`../es/`): served by a web server, but a folder listing or an
    /// error when the site is opened from disk.
    pub folder_links: Vec<String>,
    /// `src=` and `<link href=` that load something from another host.
    pub foreign: Vec<String>,
    /// How many internal links were followed, so a check is never vacuous.
    pub followed: usize,
}

impl Site {
    /// Every file, `/`-separated and sorted.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.root).into_keys().collect()
    }

    pub fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    pub fn text(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel))
            .unwrap_or_else(|e| panic!("the site has no {rel}: {e}"))
    }

    pub fn page(&self, rel: &str) -> Page {
        Page {
            path: rel.to_owned(),
            doc: Html::parse_document(&self.text(rel)),
        }
    }

    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.root)
    }

    /// Where `href`, written in the page `from`, leads, as a browser opening the site from
    /// disk would resolve it.
    pub fn locate(&self, from: &str, href: &str) -> Result<Target, String> {
        let href = href.split_once('?').map_or(href, |(p, _)| p);
        let (path, fragment) = match href.split_once('#') {
            Some((p, f)) => (percent_decode(p), Some(percent_decode(f))),
            None => (percent_decode(href), None),
        };
        if path.is_empty() {
            return Ok(Target {
                file: from.to_owned(),
                fragment,
                folder: false,
            });
        }
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err("it leads above the site's folder".into());
                    }
                }
                s => parts.push(s),
            }
        }
        let mut file = parts.join("/");
        let folder = path.ends_with('/') || self.root.join(&file).is_dir();
        if folder {
            file = if file.is_empty() {
                "index.html".into()
            } else {
                format!("{file}/index.html")
            };
        }
        if !self.root.join(&file).is_file() {
            return Err(format!("`{file}` is not in the output"));
        }
        Ok(Target {
            file,
            fragment,
            folder,
        })
    }

    /// Follows every `href` and `src` of every page.
    pub fn check_links(&self) -> LinkReport {
        let mut report = LinkReport::default();
        let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
        let linked = sel("[href], [src]");
        for path in self.html_files() {
            let page = self.page(&path);
            for el in page.doc.select(&linked) {
                let tag = el.value().name();
                for attr in ["href", "src"] {
                    let Some(value) = el.value().attr(attr) else {
                        continue;
                    };
                    let at = format!("{path}: <{tag} {attr}=\"{value}\">");
                    if is_external(value) {
                        let loads = attr == "src" || tag == "link";
                        if loads && !value.starts_with("data:") {
                            report.foreign.push(at);
                        }
                        continue;
                    }
                    report.followed += 1;
                    let target = match self.locate(&path, value) {
                        Ok(t) => t,
                        Err(why) => {
                            report.broken.push(format!("{at}: {why}"));
                            continue;
                        }
                    };
                    if target.folder {
                        report.folder_links.push(at.clone());
                    }
                    let Some(fragment) = target.fragment.filter(|f| !f.is_empty()) else {
                        continue;
                    };
                    if !target.file.ends_with(".html") {
                        continue;
                    }
                    let known = ids
                        .entry(target.file.clone())
                        .or_insert_with(|| self.page(&target.file).ids());
                    if !known.contains(&fragment) {
                        report
                            .broken
                            .push(format!("{at}: `{}` has no id `{fragment}`", target.file));
                    }
                }
            }
        }
        report
    }
}

impl LinkReport {
    /// Every link leads to a file and anchor that exist, and at least one was followed.
    #[track_caller]
    pub fn assert_all_resolve(&self) {
        assert!(self.followed > 0, "no internal link was followed");
        assert!(
            self.broken.is_empty(),
            "broken links:\n{}",
            self.broken.join("\n")
        );
    }
}

/// One HTML page of the output.
pub struct Page {
    pub path: String,
    pub doc: Html,
}

impl Page {
    /// `<html lang>`.
    pub fn lang(&self) -> Option<String> {
        self.doc
            .root_element()
            .value()
            .attr("lang")
            .map(str::to_owned)
    }

    /// The whitespace-normalised text of each element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.doc.select(&sel(css)).map(text).collect()
    }

    /// The text of the one element matching `css`.
    #[track_caller]
    pub fn text_of(&self, css: &str) -> String {
        let found = self.texts(css);
        assert_eq!(
            found.len(),
            1,
            "{}: expected one `{css}`, found {found:?}",
            self.path
        );
        found.into_iter().next().expect("one element")
    }

    /// The value of `attr` on each element matching `css` that has it.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.doc
            .select(&sel(css))
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.doc.select(&sel(css)).count()
    }

    /// Every `id` in the page.
    pub fn ids(&self) -> HashSet<String> {
        self.attrs("[id]", "id").into_iter().collect()
    }

    /// The whole page as text with markup, for "this word is nowhere in it" checks.
    pub fn html(&self) -> String {
        self.doc.html()
    }
}

/// A CSS selector the tests write themselves.
#[track_caller]
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"))
}

/// An element's text with whitespace runs collapsed.
pub fn text(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a link leaves the site: a scheme (`https:`, `tel:`) or `//host`.
fn is_external(value: &str) -> bool {
    if value.starts_with("//") {
        return true;
    }
    value.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Decodes `%XX` escapes, as a browser does before looking up a file or an id.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every file below `dir` (dot-files included), by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(top: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(top, &path, out);
            } else {
                let rel = path.strip_prefix(top).expect("below the top");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).expect("read a file"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in
        fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()))
    {
        let entry = entry.expect("a folder entry");
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            fs::copy(&path, &dest).expect("copy a file");
        }
    }
}

/// The pages a facilitator reads: guides and facilitator binders. Everything else is
/// open to participants.
pub fn is_facilitator_page(path: &str) -> bool {
    path.contains("/facilitator/")
        || path.contains("/print/programs/")
        || path.ends_with("-facilitator.js")
        || path.contains("-facilitator/")
}

/// A proptest runner of `PROPTEST_CASES` cases (`default` without it) that keeps no
/// regressions file: generated tests stay bounded, and CI leaves no files behind.
pub fn runner(default: u32) -> proptest::test_runner::TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })
}
