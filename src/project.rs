//! The project folder's layout: the folders hearth reads, and which files in them count.
//!
//! Reading content, laying a theme over the built-in one, copying `static/` and watching
//! for edits all walk the same folders, so they must agree on what a file is. An editor's
//! swap file or backup that `build` skipped but `serve` watched (or the other way round)
//! would rebuild for nothing, or copy a half-saved file into the site.

/// The project's folders that hearth reads, beside `hearth.yaml`. None of them may hold the
/// output, and `serve` watches all of them.
pub const FOLDERS: [&str; 6] = [
    "content",
    "themes",
    "locales",
    "templates",
    "static",
    "editions",
];

/// Whether the file at `rel` (relative to a project folder, `/`-separated) is left out of
/// the site: anything in or under a dot-folder or named with a leading dot (`.git/`,
/// `.DS_Store`, `.#draft.md`), and the files editors write beside the real ones while
/// saving (`draft.md~`, `.draft.md.swp`, `#draft.md#`, vim's `4913` write test, `.tmp`).
pub fn is_ignored(rel: &str) -> bool {
    if rel.split('/').any(|part| part.starts_with('.')) {
        return true;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_files_count() {
        for rel in [
            "en/modules/01-a/index.md",
            "en/modules/01-a/images/photo.jpg",
            "hearth.css",
            "fonts/atkinson.woff2",
            "es/about.md",
        ] {
            assert!(!is_ignored(rel), "{rel}");
        }
    }

    #[test]
    fn hidden_and_editor_files_do_not() {
        for rel in [
            ".git/config",
            "en/.DS_Store",
            "en/modules/.01-a/index.md",
            "en/about.md~",
            "en/.about.md.swp",
            "en/.about.md.swx",
            "en/#about.md#",
            "en/.#about.md",
            "en/4913",
            "hearth.css.tmp",
        ] {
            assert!(is_ignored(rel), "{rel}");
        }
    }
}
