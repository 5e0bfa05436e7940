//! Writing a built site to disk, and deciding where it may go.
//!
//! In: the site's files (output path, bytes) and an output folder that
//! [`check_output_folder`] accepted. Out: that folder holding exactly those files, plus a
//! marker listing them. A write runs in four steps, so a failure before the last two leaves
//! the previous site as it was:
//!
//! 1. **plan**: compare with the marker's list what changed, touching nothing;
//! 2. **stage**: write every new or changed file to a folder beside the output (a full disk
//!    fails here);
//! 3. **commit**: rename the staged files into place;
//! 4. **prune**: remove the files hearth listed last time that the site no longer has.
//!
//! Only changed files are rewritten, so hosts that sync by timestamp upload only what
//! changed, and files that hearth did not list are never removed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

/// Marks an output folder as hearth's, so a rebuild may replace it; it lists what the
/// last build wrote.
pub const MARKER: &str = ".hearth-output";

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
    for protected in crate::project::FOLDERS {
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

/// Resolves `.` and `..` without touching the disk, since the output folder may not
/// exist yet.
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

/// Writes `files` (output path, bytes) into `out`, touching only files whose bytes
/// changed and removing only files that the previous write listed.
///
/// The marker file lists what hearth wrote, with sizes and hashes, so the next write
/// knows what changed without reading the site back.
pub fn write(files: &[(&str, &[u8])], out: &Path) -> Result<()> {
    let staging = staging_folder(out)?;
    let previous = previous(out)?;
    let plan = plan(files, &previous, out);
    stage(&plan, &staging, out)?;
    commit(&plan, &staging, out)?;
    prune(&previous, &plan, out)?;
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::write(out.join(MARKER), plan.manifest().render())
        .context("cannot write the output marker")?;
    Ok(())
}

/// The files the last write left in `out`, as its marker lists them (the marker itself
/// not among them); `None` when `out` holds no site hearth wrote.
pub fn listed(out: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(out.join(MARKER)).ok()?;
    Some(Manifest::parse(&text)?.files.into_keys().collect())
}

/// Where new files wait until all of them are written: beside `out`, so renaming them
/// into place stays on one file system.
fn staging_folder(out: &Path) -> Result<PathBuf> {
    let parent = out
        .parent()
        .context("the output folder has no parent folder")?;
    let name = out
        .file_name()
        .context("the output folder has no name")?
        .to_string_lossy();
    Ok(parent.join(format!(".{name}.hearth-new")))
}

/// Creates `out` if needed and reads the list of what the previous write left there.
fn previous(out: &Path) -> Result<Manifest> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    let Ok(text) = std::fs::read_to_string(out.join(MARKER)) else {
        return Ok(Manifest::default());
    };
    if let Some(manifest) = Manifest::parse(&text) {
        return Ok(manifest);
    }
    // A folder from an older hearth: ours, but with no list; start it afresh.
    std::fs::remove_dir_all(out).with_context(|| format!("cannot clear `{}`", out.display()))?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create `{}`", out.display()))?;
    Ok(Manifest::default())
}

/// What a write will do, worked out before anything on disk changes.
struct Plan<'a> {
    files: &'a [(&'a str, &'a [u8])],
    /// The manifest entry (size, hash) of each of `files`, in the same order.
    entries: Vec<(u64, u64)>,
    /// Indexes into `files` of those that are new or changed.
    changed: Vec<usize>,
}

impl Plan<'_> {
    /// The list the marker keeps once this plan is carried out.
    fn manifest(&self) -> Manifest {
        let files = self
            .files
            .iter()
            .zip(&self.entries)
            .map(|((path, _), entry)| ((*path).to_owned(), *entry))
            .collect();
        Manifest { files }
    }
}

/// Finds which of `files` differ from what `previous` says is in `out`.
fn plan<'a>(files: &'a [(&'a str, &'a [u8])], previous: &Manifest, out: &Path) -> Plan<'a> {
    let entries: Vec<(u64, u64)> = files
        .par_iter()
        .map(|(_, bytes)| (bytes.len() as u64, fnv1a(bytes)))
        .collect();
    let changed = (0..files.len())
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
    Plan {
        files,
        entries,
        changed,
    }
}

/// Writes the changed files into `staging`, flat and named by number so staging makes no
/// folders. On failure `staging` is removed and `out` is untouched.
fn stage(plan: &Plan, staging: &Path, out: &Path) -> Result<()> {
    if staging.exists() {
        std::fs::remove_dir_all(staging).with_context(|| {
            format!("cannot remove the unfinished build `{}`", staging.display())
        })?;
    }
    std::fs::create_dir_all(staging)
        .with_context(|| format!("cannot create `{}`", staging.display()))?;
    let staged = plan.changed.par_iter().try_for_each(|&i| -> Result<()> {
        let (rel, bytes) = plan.files[i];
        inside(out, rel)?;
        let path = staging.join(i.to_string());
        std::fs::write(&path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
    });
    if staged.is_err() {
        let _ = std::fs::remove_dir_all(staging);
    }
    staged
}

/// Moves the staged files into place, making the folders new files need.
fn commit(plan: &Plan, staging: &Path, out: &Path) -> Result<()> {
    let mut dirs: Vec<&Path> = plan
        .changed
        .iter()
        .filter_map(|&i| Path::new(plan.files[i].0).parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let path = inside(out, &dir.to_string_lossy())?;
        std::fs::create_dir_all(&path)
            .with_context(|| format!("cannot create `{}`", path.display()))?;
    }
    for &i in &plan.changed {
        let target = inside(out, plan.files[i].0)?;
        std::fs::rename(staging.join(i.to_string()), &target)
            .with_context(|| format!("cannot move the new `{}` into place", target.display()))?;
    }
    Ok(())
}

/// Removes the files `previous` listed that the plan no longer has, and the folders that
/// leaves empty. Anything else in `out` was put there by someone else, and stays.
fn prune(previous: &Manifest, plan: &Plan, out: &Path) -> Result<()> {
    let current: HashSet<&str> = plan.files.iter().map(|(p, _)| *p).collect();
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
    Ok(())
}

/// What a write left: path -> (size, FNV-1a hash), kept in the [`MARKER`] file.
#[derive(Default, Debug, PartialEq)]
struct Manifest {
    files: BTreeMap<String, (u64, u64)>,
}

impl Manifest {
    const HEADER: &str =
        "# This folder was built by hearth; `hearth build` replaces the files listed here.";

    /// `None` for a marker without the header: an older hearth wrote it.
    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.lines();
        if lines.next()? != Manifest::HEADER {
            return None;
        }
        let mut files = BTreeMap::new();
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

/// The 64-bit FNV-1a hash: fast, and the same on every machine and Rust version, so a
/// marker written by one build is read right by the next.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder with the output folder `site` inside it (not yet made).
    fn scratch() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("site");
        (dir, out)
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every file below `dir`, with its text, relative paths with `/`.
    fn tree(dir: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.expect("a readable entry"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).expect("below dir");
                (rel.to_string_lossy().replace('\\', "/"), read(e.path()))
            })
            .collect()
    }

    const SITE: &[(&str, &[u8])] = &[
        ("index.html", b"home"),
        ("en/about/index.html", b"about"),
        ("assets/style.css", b"body{}"),
    ];

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_manifest_reads_back_what_it_wrote() {
        let mut manifest = Manifest::default();
        manifest.files.insert("a b/index.html".into(), (12, 0xabc));
        manifest.files.insert("z.css".into(), (0, u64::MAX));
        let text = manifest.render();
        assert_eq!(
            text,
            format!(
                "{}\n0000000000000abc 12 a b/index.html\nffffffffffffffff 0 z.css\n",
                Manifest::HEADER
            )
        );
        assert_eq!(Manifest::parse(&text), Some(manifest));
    }

    #[test]
    fn a_marker_without_the_header_is_an_older_hearths() {
        assert_eq!(Manifest::parse(""), None);
        assert_eq!(Manifest::parse("built by hearth\n"), None);
        let bad_line = format!("{}\nnot-hex 1 a.html\n", Manifest::HEADER);
        assert_eq!(Manifest::parse(&bad_line), None);
    }

    #[test]
    fn paths_that_leave_the_output_folder_are_refused() {
        let out = Path::new("/site");
        assert_eq!(inside(out, "en/a.html").unwrap(), out.join("en/a.html"));
        for bad in ["../a.html", "en/../../a.html", "/etc/passwd", "./a.html"] {
            assert!(inside(out, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn normalize_resolves_dots_without_the_disk() {
        assert_eq!(
            normalize(Path::new("/p/./a/../public")),
            Path::new("/p/public")
        );
    }

    #[test]
    fn the_staging_folder_is_hidden_beside_the_output() {
        assert_eq!(
            staging_folder(Path::new("/p/public")).unwrap(),
            Path::new("/p/.public.hearth-new")
        );
        assert!(staging_folder(Path::new("/")).is_err());
    }

    #[test]
    fn plan_lists_only_new_and_changed_files() {
        let (_dir, out) = scratch();
        let first = plan(SITE, &Manifest::default(), &out);
        assert_eq!(first.changed.len(), 3);

        write(SITE, &out).unwrap();
        let previous = previous(&out).unwrap();
        assert!(plan(SITE, &previous, &out).changed.is_empty());

        let edited: &[(&str, &[u8])] = &[SITE[0], ("en/about/index.html", b"ABOUT"), SITE[2]];
        let mut changed = plan(edited, &previous, &out).changed;
        changed.sort();
        assert_eq!(changed, [1]);
    }

    #[test]
    fn plan_notices_files_deleted_or_resized_by_hand() {
        let (_dir, out) = scratch();
        write(SITE, &out).unwrap();
        std::fs::remove_file(out.join("index.html")).unwrap();
        std::fs::write(out.join("assets/style.css"), "body{color:red}").unwrap();
        let mut changed = plan(SITE, &previous(&out).unwrap(), &out).changed;
        changed.sort();
        assert_eq!(changed, [0, 2]);
    }

    #[test]
    fn stage_writes_changed_files_flat_and_leaves_the_output_alone() {
        let (dir, out) = scratch();
        write(SITE, &out).unwrap();
        let before = tree(&out);
        let staging = dir.path().join(".site.hearth-new");
        let edited: &[(&str, &[u8])] = &[SITE[0], ("en/new/index.html", b"new")];
        let plan = plan(edited, &previous(&out).unwrap(), &out);
        stage(&plan, &staging, &out).unwrap();
        assert_eq!(tree(&staging), BTreeMap::from([("1".into(), "new".into())]));
        assert_eq!(tree(&out), before);
    }

    #[test]
    fn stage_clears_an_unfinished_build_first() {
        let (dir, out) = scratch();
        let staging = dir.path().join(".site.hearth-new");
        std::fs::create_dir_all(staging.join("old")).unwrap();
        std::fs::write(staging.join("7"), "left over").unwrap();
        stage(&plan(SITE, &Manifest::default(), &out), &staging, &out).unwrap();
        assert_eq!(tree(&staging).len(), 3);
        assert!(!staging.join("old").exists());
    }

    #[test]
    fn commit_moves_staged_files_into_new_folders() {
        let (dir, out) = scratch();
        std::fs::create_dir_all(&out).unwrap();
        let staging = dir.path().join(".site.hearth-new");
        let plan = plan(SITE, &Manifest::default(), &out);
        stage(&plan, &staging, &out).unwrap();
        commit(&plan, &staging, &out).unwrap();
        assert_eq!(read(&out.join("en/about/index.html")), "about");
        assert!(tree(&staging).is_empty());
    }

    #[test]
    fn prune_removes_listed_files_and_emptied_folders_only() {
        let (_dir, out) = scratch();
        let old: &[(&str, &[u8])] = &[
            ("index.html", b"home"),
            ("en/gone/index.html", b"gone"),
            ("en/kept/index.html", b"kept"),
            ("en/kept/old.pdf", b"pdf"),
        ];
        write(old, &out).unwrap();
        // Someone else's file, in a folder hearth would otherwise leave empty.
        std::fs::write(out.join("en/kept/notes.txt"), "mine").unwrap();
        let previous = previous(&out).unwrap();
        let new: &[(&str, &[u8])] = &[("index.html", b"home")];
        prune(&previous, &plan(new, &previous, &out), &out).unwrap();
        assert!(!out.join("en/gone").exists());
        assert_eq!(
            tree(&out).into_keys().collect::<Vec<_>>(),
            [MARKER, "en/kept/notes.txt", "index.html"]
        );
    }

    #[test]
    fn write_rewrites_only_what_changed() {
        let (_dir, out) = scratch();
        write(SITE, &out).unwrap();
        // Same size, other bytes: a file hearth rewrote would lose this.
        std::fs::write(out.join("index.html"), "HOME").unwrap();
        let edited: &[(&str, &[u8])] = &[SITE[0], ("en/about/index.html", b"ABOUT"), SITE[2]];
        write(edited, &out).unwrap();
        assert_eq!(read(&out.join("index.html")), "HOME");
        assert_eq!(read(&out.join("en/about/index.html")), "ABOUT");
        assert!(read(&out.join(MARKER)).starts_with(Manifest::HEADER));
    }

    #[test]
    fn a_write_that_fails_while_staging_leaves_the_previous_site() {
        let (dir, out) = scratch();
        write(SITE, &out).unwrap();
        let before = tree(&out);
        let broken: &[(&str, &[u8])] = &[
            ("index.html", b"new home"),
            ("en/new/index.html", b"new"),
            ("../escape.html", b"out"),
        ];
        let e = write(broken, &out).unwrap_err();
        assert!(
            format!("{e:#}").contains("outside the output folder"),
            "{e:#}"
        );
        assert_eq!(tree(&out), before);
        assert!(!dir.path().join("escape.html").exists());
        assert!(!dir.path().join(".site.hearth-new").exists());
    }

    #[test]
    fn a_write_that_cannot_stage_leaves_the_previous_site() {
        let (dir, out) = scratch();
        write(SITE, &out).unwrap();
        let before = tree(&out);
        // A file where the staging folder goes: it can be neither cleared nor made.
        std::fs::write(dir.path().join(".site.hearth-new"), "in the way").unwrap();
        let edited: &[(&str, &[u8])] = &[("index.html", b"new home")];
        let e = write(edited, &out).unwrap_err();
        assert!(format!("{e:#}").contains(".site.hearth-new"), "{e:#}");
        assert_eq!(tree(&out), before);
    }

    #[test]
    fn a_folder_from_an_older_hearth_starts_afresh() {
        let (_dir, out) = scratch();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        write(SITE, &out).unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(tree(&out).len(), 4);
    }
}
