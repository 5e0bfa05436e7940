//! PDFs of the print pages: module packets, the all-handouts packet, binders, program
//! binders and each handout, printed by the machine's own Chromium (see [`chrome`]) from
//! the site just written, several at a time.
//!
//! In: the output folder and the site's files as written there. Out: each print page's
//! PDF under `<lang>/pdf/` (`en/print/facilitator/index.html` gives
//! `en/pdf/facilitator.pdf`; `en/<module>/handouts/<h>/index.html` gives
//! `en/pdf/<module>/<h>.pdf`), and a list of what each was printed from, so the next run
//! prints again only the pages whose bytes (or stylesheet) changed.

pub mod chrome;
pub mod read;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result, anyhow};
use sha2::{Digest, Sha256};

/// Lists each PDF with the digest of what it was printed from, in the output folder.
pub const MANIFEST: &str = ".hearth-pdf";

/// What to print, worked out from the site's files before they are written: the PDFs
/// to keep from the last run, and the pages to print.
pub struct Plan {
    /// PDFs whose page and stylesheet are as they were, with their bytes from disk.
    pub kept: Vec<(String, Vec<u8>)>,
    /// (page, PDF) to print.
    wanted: Vec<(String, String)>,
    /// The manifest to write once all are printed.
    manifest: String,
}

/// What printing gave.
pub struct Printed {
    /// Every PDF (new or kept), by output path, and the manifest.
    pub files: Vec<(String, Vec<u8>)>,
    /// How many were printed now.
    pub printed: usize,
    /// How many were kept from the last run, their pages unchanged.
    pub kept: usize,
    /// The browser that printed, when one was needed ("Chromium 148.0.7778.167").
    pub browser: Option<String>,
    /// Said to the user, not errors: an old browser, say.
    pub notes: Vec<String>,
}

pub use crate::pages::pdf_path;

/// Plans the PDFs of the print pages among `files`, about to be written to `out`: a PDF
/// is kept when its page and stylesheet are as they were when it was printed.
pub fn plan(out: &Path, files: &[(&str, &[u8])]) -> Plan {
    let bytes: HashMap<&str, &[u8]> = files.iter().copied().collect();
    let previous = read_manifest(out);
    let mut plan = Plan {
        kept: Vec::new(),
        wanted: Vec::new(),
        manifest: String::new(),
    };
    let mut manifest = Vec::new();
    for &(page, html) in files {
        let Some(pdf) = pdf_path(page) else {
            continue;
        };
        let site = &pdf[..crate::pages::edition_prefix_len(&pdf)];
        let css = bytes
            .get(format!("{site}assets/hearth.css").as_str())
            .copied()
            .unwrap_or_default();
        let mut digest = Sha256::new();
        digest.update(html);
        digest.update(css);
        let digest = hex(&digest.finalize());
        let same = previous.get(&pdf) == Some(&digest);
        match same.then(|| std::fs::read(out.join(&pdf)).ok()).flatten() {
            Some(old) => plan.kept.push((pdf.clone(), old)),
            None => plan.wanted.push((page.to_owned(), pdf.clone())),
        }
        manifest.push(format!("{digest} {pdf}\n"));
    }
    manifest.sort();
    plan.manifest = manifest.concat();
    plan
}

impl Plan {
    /// Whether any page must be printed, and so a browser is needed.
    pub fn prints(&self) -> bool {
        !self.wanted.is_empty()
    }
}

/// Prints the pages `plan` wants from the site written to `out`.
pub fn print(out: &Path, plan: Plan) -> Result<Printed> {
    let mut printed = Printed {
        printed: plan.wanted.len(),
        kept: plan.kept.len(),
        files: plan.kept,
        browser: None,
        notes: Vec::new(),
    };
    if !plan.wanted.is_empty() {
        let browser = chrome::Browser::launch(&browser_path()?)?;
        if browser.major < chrome::MARGIN_BOXES {
            printed.notes.push(format!(
                "{} is older than Chromium {}: its PDFs have no running footer or page numbers; update the browser for them",
                browser.product,
                chrome::MARGIN_BOXES
            ));
        }
        printed.browser = Some(browser.product.clone());
        printed
            .files
            .extend(print_pages(&browser, out, &plan.wanted)?);
    }
    printed
        .files
        .push((MANIFEST.to_owned(), plan.manifest.into_bytes()));
    Ok(printed)
}

/// The browser to print with, or why there is none and what to install.
pub fn browser_path() -> Result<std::path::PathBuf> {
    let path = chrome::find().ok_or_else(|| {
        anyhow!(
            "PDFs are printed by Chromium or Google Chrome, and neither is on this machine's PATH\nhint: install one (Debian or Ubuntu: `sudo apt install chromium`; macOS or Windows: Google Chrome from google.com/chrome), or set HEARTH_CHROME to the browser's program; hearth never downloads a browser"
        )
    })?;
    if !path.is_file() {
        return Err(anyhow!(
            "HEARTH_CHROME names `{}`, which is not a program on this machine\nhint: set HEARTH_CHROME to the full path of Chromium or Google Chrome, or unset it to look on PATH",
            path.display()
        ));
    }
    Ok(path)
}

/// Prints `pages` (page path, PDF path) in turn on as many tabs as there are cores, four
/// at most.
fn print_pages(
    browser: &chrome::Browser,
    out: &Path,
    pages: &[(String, String)],
) -> Result<Vec<(String, Vec<u8>)>> {
    let tabs = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(1, 4);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(String, Vec<u8>)>> = Mutex::new(Vec::new());
    let failed: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..tabs {
            scope.spawn(|| {
                let tab = match browser.tab() {
                    Ok(tab) => tab,
                    Err(e) => {
                        lock(&failed).get_or_insert(e);
                        return;
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((page, pdf)) = pages.get(i) else {
                        break;
                    };
                    if lock(&failed).is_some() {
                        break;
                    }
                    let url = file_url(&out.join(page));
                    let result = tab
                        .load(&url)
                        .and_then(|()| print_numbered(&tab))
                        .with_context(|| format!("could not print `{page}` to PDF"));
                    match result {
                        Ok(bytes) => lock(&done).push((pdf.clone(), bytes)),
                        Err(e) => {
                            lock(&failed).get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    Ok(done.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Prints the page in `tab`; a page with a contents list is printed again with the page
/// each item starts on written beside it, until the numbers hold (adding them can push
/// an item onto the next page): two passes, three at most.
fn print_numbered(tab: &chrome::Tab) -> Result<Vec<u8>> {
    let pdf = print_contents(tab)?;
    // The organisation is the author, as the page's `<meta name="author">` says.
    let author = tab.evaluate("document.querySelector('meta[name=author]')?.content ?? ''")?;
    Ok(match author.as_str().filter(|a| !a.is_empty()) {
        Some(author) => read::with_author(&pdf, author).unwrap_or(pdf),
        None => pdf,
    })
}

/// [`print_numbered`]'s printing, contents numbers and all.
fn print_contents(tab: &chrome::Tab) -> Result<Vec<u8>> {
    let mut pdf = tab.print()?;
    for _ in 0..3 {
        let Some(dests) = read::Pdf::read(&pdf).map(|p| p.destinations()) else {
            break;
        };
        let numbers = serde_json::to_string(&dests)?;
        let changed = tab.evaluate(&format!("({NUMBER_CONTENTS})({numbers})"))?;
        if changed != serde_json::Value::Bool(true) {
            break;
        }
        pdf = tab.print()?;
    }
    Ok(pdf)
}

/// Writes each contents item's page number from `pages` (anchor id to page) beside its
/// link, in a `.contents-page` span; true when any number changed.
const NUMBER_CONTENTS: &str = r##"(pages) => {
  let changed = false;
  for (const a of document.querySelectorAll('nav.contents a[href^="#"]')) {
    const page = pages[decodeURIComponent(a.getAttribute('href').slice(1))];
    if (page === undefined) continue;
    let span = a.parentElement.querySelector(':scope > .contents-page');
    if (!span) {
      span = document.createElement('span');
      span.className = 'contents-page';
      a.before(span);
    }
    if (span.textContent !== String(page)) {
      span.textContent = String(page);
      changed = true;
    }
  }
  return changed;
}"##;

/// A lock that a panicked holder did not spoil.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A `file://` URL for an absolute path, each segment percent-encoded.
fn file_url(path: &Path) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let segments: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => {
                Some(utf8_percent_encode(&s.to_string_lossy(), SEGMENT).to_string())
            }
            _ => None,
        })
        .collect();
    format!("file:///{}", segments.join("/"))
}

/// The digests of the last run, by PDF path.
fn read_manifest(out: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (digest, pdf) = line.split_once(' ')?;
            Some((pdf.to_owned(), digest.to_owned()))
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_pages_have_pdf_paths_beside_their_language() {
        assert_eq!(
            pdf_path("en/print/facilitator/index.html").as_deref(),
            Some("en/pdf/facilitator.pdf")
        );
        assert_eq!(
            pdf_path("es/print/programs/short/index.html").as_deref(),
            Some("es/pdf/programs/short.pdf")
        );
        assert_eq!(
            pdf_path("es/primeros-pasos/handouts/registro/index.html").as_deref(),
            Some("es/pdf/primeros-pasos/registro.pdf")
        );
        assert_eq!(
            pdf_path("editions/centro/es/print/handouts/index.html").as_deref(),
            Some("editions/centro/es/pdf/handouts.pdf")
        );
        for page in [
            "en/index.html",
            "en/first-steps/index.html",
            "en/first-steps/facilitator/index.html",
            "assets/hearth.css",
            "index.html",
        ] {
            assert_eq!(pdf_path(page), None, "{page}");
        }
    }

    #[test]
    fn file_urls_encode_each_segment() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/sesión/index.html")),
            "file:///tmp/a%20b/sesi%C3%B3n/index.html"
        );
    }
}
