//! Keeping a bug in hearth from taking the preview down: a rebuild runs inside
//! [`contained`], which turns a panic (on this thread or on rayon's workers) into its
//! message, so `serve` can say so and keep the last good site up.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
#[cfg(debug_assertions)]
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError};

/// Runs a build or rebuild, turning a panic (a bug in hearth) into its message and
/// where it happened, so serve keeps the last good site and keeps watching.
///
/// Panics there are told once, by the caller, instead of by Rust's default hook (which
/// would print them, and a backtrace hint, over the terminal's output). The rebuild
/// runs here and on rayon's workers, so the hook keeps quiet for those threads while a
/// rebuild runs; panics anywhere else still reach the default hook. Rebuilds run one at
/// a time.
pub(super) fn contained<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let ours = CONTAINING.with(Cell::get)
                || (REBUILDING.load(Ordering::SeqCst) && rayon::current_thread_index().is_some());
            if !ours {
                return default(info);
            }
            let mut caught = CAUGHT.lock().unwrap_or_else(PoisonError::into_inner);
            if caught.is_none() {
                let place = info
                    .location()
                    .map(|l| format!(" (at {}:{}:{})", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                *caught = Some(format!("{}{place}", panic_message(info.payload())));
            }
        }));
    });
    *CAUGHT.lock().unwrap_or_else(PoisonError::into_inner) = None;
    CONTAINING.with(|c| c.set(true));
    REBUILDING.store(true, Ordering::SeqCst);
    // Unwind safety: the caller keeps nothing a panic could leave half-changed (the
    // session is handed in by value and dropped with the panic).
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    REBUILDING.store(false, Ordering::SeqCst);
    CONTAINING.with(|c| c.set(false));
    let caught = CAUGHT.lock().unwrap_or_else(PoisonError::into_inner).take();
    result.map_err(|payload| caught.unwrap_or_else(|| panic_message(&*payload).to_owned()))
}

thread_local! {
    /// Whether the current thread runs [`contained`] work.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}
/// Whether [`contained`] work runs, so rayon's workers run it too.
static REBUILDING: AtomicBool = AtomicBool::new(false);
/// The first panic of the contained work, told by the hook.
static CAUGHT: Mutex<Option<String>> = Mutex::new(None);

/// A panic's message: `panic!` makes it a `&str` or a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// Lets a test see serve survive a bug in hearth: in a debug build (what `cargo test`
/// runs), `HEARTH_TEST_PANIC_ON=about.md` in the environment makes a rebuild after a
/// change to a file of that name panic, on a rayon worker as a panic while rendering
/// would. Release builds have no such switch, and no content can reach it.
#[cfg(debug_assertions)]
pub(super) fn panic_if_asked(changed: &[PathBuf]) {
    let Some(name) = std::env::var_os("HEARTH_TEST_PANIC_ON") else {
        return;
    };
    if changed
        .iter()
        .any(|p| p.file_name() == Some(name.as_os_str()))
    {
        rayon::join(
            || panic!("HEARTH_TEST_PANIC_ON names `{}`", name.to_string_lossy()),
            || (),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_becomes_its_message_and_place() {
        let caught = contained(|| -> u8 { panic!("a bug") }).unwrap_err();
        assert!(
            caught.starts_with("a bug (at src/serve/contain.rs:"),
            "{caught}"
        );
        let caught = contained(|| rayon::join(|| panic!("on a worker"), || ())).unwrap_err();
        assert!(
            caught.starts_with("on a worker (at src/serve/contain.rs:"),
            "{caught}"
        );
        assert_eq!(contained(|| 7), Ok(7));
    }
}
