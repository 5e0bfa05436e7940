//! Watching the project: the folders `build` reads, the changes in them that can change
//! the site (by the same rule `build` reads files by), gathered into batches so a burst of
//! saves makes one rebuild.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::{Event, Reporter};
use crate::project;

/// The next batch of changes that can change the site: every batch waiting, sorted and
/// without repeats, so a burst of saves makes one rebuild. `None` once the watcher is gone.
pub(super) fn next_batch(
    changes: &mpsc::Receiver<Vec<PathBuf>>,
    root: &Path,
) -> Option<Vec<PathBuf>> {
    loop {
        let mut paths = changes.recv().ok()?;
        while let Ok(more) = changes.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        paths.retain(|p| can_change_the_site(root, p));
        if !paths.is_empty() {
            return Some(paths);
        }
    }
}

/// Whether a change to `path` can change the site: `hearth.yaml`, or a file that counts
/// (the same rule `build` reads by) in one of the project's folders.
fn can_change_the_site(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    if rel == Path::new("hearth.yaml") {
        return true;
    }
    let rel = rel.to_string_lossy().replace('\\', "/");
    project::FOLDERS.iter().any(|d| {
        rel.strip_prefix(d)
            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
    }) && !project::is_ignored(&rel)
}

/// Starts watching the project; batches of changed paths arrive on the receiver.
pub(super) fn watch(
    root: &Path,
    report: Reporter,
) -> Result<(Watched, mpsc::Receiver<Vec<PathBuf>>)> {
    // The debouncer gathers a burst of saves into one batch of paths.
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(15),
        None,
        move |result: notify_debouncer_full::DebounceEventResult| match result {
            Ok(events) => {
                let paths = changed_paths(events);
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
            Err(errors) => {
                for e in errors {
                    report(Event::WatchError(e.to_string()));
                }
            }
        },
    )
    .context("cannot start watching the project's files")?;
    debouncer
        .watch(root, notify::RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch `{}`", root.display()))?;
    let mut watcher = Watched {
        debouncer,
        root: root.to_path_buf(),
        dirs: HashSet::new(),
    };
    watcher.watch_new_dirs().map_err(anyhow::Error::msg)?;
    Ok((watcher, rx))
}

/// The paths that the watcher's events say changed.
fn changed_paths(events: Vec<notify_debouncer_full::DebouncedEvent>) -> Vec<PathBuf> {
    events
        .into_iter()
        // Reading files (our own rebuilds do) is not a change.
        .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
        .flat_map(|e| {
            // A rescan means events were lost: treat it as a settings change.
            if e.need_rescan() {
                vec![PathBuf::from("hearth.yaml")]
            } else {
                e.event.paths
            }
        })
        .collect()
}

/// The watcher and the folders it watches recursively.
pub(super) struct Watched {
    debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: PathBuf,
    dirs: HashSet<&'static str>,
}

impl Watched {
    /// Starts watching each of the project's folders that exists and is not watched yet.
    pub(super) fn watch_new_dirs(&mut self) -> Result<(), String> {
        for dir in project::FOLDERS {
            let path = self.root.join(dir);
            if !self.dirs.contains(&dir) && path.is_dir() {
                self.debouncer
                    .watch(&path, notify::RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch `{}`: {e}", path.display()))?;
                self.dirs.insert(dir);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_build_reads_trigger_a_rebuild() {
        let root = Path::new("/home/ana/.toolkits/ours");
        for (rel, counts) in [
            ("hearth.yaml", true),
            ("content/en/about.md", true),
            ("content", true),
            ("locales/es.ftl", true),
            ("static/logo.png", true),
            ("content/en/about.md~", false),
            ("content/en/.about.md.swp", false),
            ("content/en/#about.md#", false),
            ("templates/4913", false),
            ("contents/en/about.md", false),
            ("public/index.html", false),
            ("notes.txt", false),
        ] {
            assert_eq!(can_change_the_site(root, &root.join(rel)), counts, "{rel}");
        }
        // A lost-events rescan stands in as a settings change.
        assert!(can_change_the_site(root, Path::new("hearth.yaml")));
    }
}
