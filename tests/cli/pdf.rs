//! `hearth pdf`: the print pages as PDFs, printed by the machine's own Chromium, read back
//! with poppler (`pdfinfo`, `pdftotext`) as a print shop or a screen reader would.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::browser::{can_run, missing_pieces};
use crate::support::Project;

/// The fonts `pdffonts` lists as not embedded: a print shop without them would print
/// another font, with other line breaks.
fn fonts_not_embedded(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts runs");
    assert!(out.status.success(), "pdffonts {}", pdf.display());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // A row ends with `emb sub uni object ID`: the embedded flag is the fifth from the end.
    text.lines()
        .skip(2)
        .filter(|row| {
            let cells: Vec<&str> = row.split_whitespace().collect();
            cells.len() < 6 || cells[cells.len() - 5] != "yes"
        })
        .map(str::to_owned)
        .collect()
}

/// `pdfinfo`'s answer for one field.
fn info(pdf: &Path, field: &str) -> String {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix(&format!("{field}:"))
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default()
}

/// The text of each page.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn without_a_browser_pdf_says_what_to_install_and_exits_2() {
    let project = Project::fixture("bilingual");
    let run = project.hearth_with_env(
        &["pdf", "--out", "public"],
        &[("PATH", "/nonexistent"), ("HEARTH_CHROME", "")],
    );
    run.exits(2);
    assert!(run.stderr.contains("Chromium or Google Chrome"), "{run}");
    assert!(run.stderr.contains("apt install chromium"), "{run}");
    assert!(run.stderr.contains("never downloads"), "{run}");
    let named = project.hearth_with_env(
        &["build", "--pdf", "--out", "public"],
        &[("HEARTH_CHROME", "/nowhere/chrome")],
    );
    named.exits(2);
    assert!(
        named
            .stderr
            .contains("HEARTH_CHROME names `/nowhere/chrome`"),
        "{named}"
    );
    // Nothing was written: a site without its PDFs would look done.
    assert!(!project.path("public").exists(), "{named}");
}

#[test]
fn every_print_page_becomes_a_tagged_letter_pdf_with_the_crisis_line_on_every_page() {
    let missing = missing_pieces(&["pdfinfo", "pdftotext", "pdffonts"], &[]);
    if !can_run("the PDF check", &missing) {
        return;
    }
    let project = Project::fixture("bilingual");
    let run = project.hearth_with_env(
        &["pdf", "--out", "public"],
        &[("HEARTH_CHROME", "/usr/bin/chromium")],
    );
    run.success();
    let site = project.site();
    let files = site.files();
    let pdfs: BTreeSet<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    let wanted: BTreeSet<&str> = [
        "en/pdf/facilitator.pdf",
        "en/pdf/first-steps.pdf",
        "en/pdf/first-steps/check-in.pdf",
        "en/pdf/handouts.pdf",
        "en/pdf/next-steps.pdf",
        "en/pdf/programs/short.pdf",
        "es/pdf/facilitator.pdf",
        "es/pdf/handouts.pdf",
        "es/pdf/primeros-pasos.pdf",
        "es/pdf/primeros-pasos/registro.pdf",
        "es/pdf/programs/short.pdf",
        "es/pdf/siguientes-pasos.pdf",
    ]
    .into();
    assert_eq!(pdfs, wanted, "one PDF per print page");
    assert!(
        run.stdout
            .contains(&format!("Printed {} PDFs", wanted.len())),
        "{run}"
    );
    for pdf in &pdfs {
        let path = project.path(&format!("public/{pdf}"));
        assert_eq!(info(&path, "Page size"), "612 x 792 pts (letter)", "{pdf}");
        assert_eq!(info(&path, "Tagged"), "yes", "{pdf}");
        assert!(!info(&path, "Title").is_empty(), "{pdf} has no title");
        assert_eq!(
            hearth::pdf::read::page_count(&std::fs::read(&path).unwrap()),
            info(&path, "Pages").parse().ok(),
            "{pdf}: hearth's own page count"
        );
        let (crisis, org) = match pdf.starts_with("es/") {
            true => ("Llame o envíe un texto al 988", "Centro Familiar de Prueba"),
            false => ("Call or text 988", "Test Family Center"),
        };
        assert_eq!(
            info(&path, "Author"),
            org,
            "{pdf}: the organisation is its author"
        );
        let lang = &pdf[..2];
        assert!(
            std::fs::read(&path)
                .unwrap()
                .windows(10)
                .any(|w| w == format!("/Lang ({lang})").as_bytes()),
            "{pdf}: the document's language is not `{lang}`"
        );
        assert_eq!(fonts_not_embedded(&path), Vec::<String>::new(), "{pdf}");
        let texts = pages(&path);
        assert!(!texts.is_empty(), "{pdf} has no pages");
        let count = texts.len();
        for (n, text) in texts.iter().enumerate() {
            assert!(
                text.contains(crisis),
                "{pdf} page {}: no crisis line:\n{text}",
                n + 1
            );
            assert!(
                text.contains(org),
                "{pdf} page {}: no organisation:\n{text}",
                n + 1
            );
            assert!(
                text.replace(' ', "")
                    .contains(&format!("{}/{count}", n + 1)),
                "{pdf} page {}: no page number:\n{text}",
                n + 1
            );
        }
    }
    // Each contents list gives the page its item starts on.
    let (numbered, _) = check_contents_numbers(&project, "the bilingual fixture");
    assert!(
        numbered >= 10,
        "only {numbered} contents items were checked"
    );
    // Each handout's PDF fits the pages its front matter declares (`pages`, one unless
    // set), as the browser checks measure the print page.
    let mut handouts = 0;
    for page in site.html_files() {
        let declared = site.page(&page).attrs("article.handout", "data-pages");
        let (Some(pdf), [declared]) = (hearth::pdf::pdf_path(&page), declared.as_slice()) else {
            continue;
        };
        let declared: usize = declared.parse().expect("a number of pages");
        let printed = pages(&project.path(&format!("public/{pdf}"))).len();
        assert!(
            (1..=declared).contains(&printed),
            "{pdf}: {printed} pages for a handout of {declared}"
        );
        handouts += 1;
    }
    assert_eq!(handouts, 2, "one handout in each language");
    // Each print page links its own PDF, for people who want the file itself.
    for page in site.html_files() {
        let links = site.page(&page).attrs(".pdf-link a", "href");
        match hearth::pdf::pdf_path(&page) {
            Some(pdf) => {
                let depth = page.matches('/').count();
                assert_eq!(links, [format!("{}{pdf}", "../".repeat(depth))], "{page}");
            }
            None => assert!(links.is_empty(), "{page} links a PDF it does not have"),
        }
    }
}

#[test]
fn a_second_run_prints_only_the_pages_that_changed() {
    let missing = missing_pieces(&["pdfinfo"], &[]);
    if !can_run("the PDF check", &missing) {
        return;
    }
    let project = Project::fixture("bilingual");
    let env = [("HEARTH_CHROME", "/usr/bin/chromium")];
    project
        .hearth_with_env(&["pdf", "--out", "public"], &env)
        .success();
    let first = project.site().snapshot();
    let again = project.hearth_with_env(&["pdf", "--out", "public"], &env);
    again.success();
    assert!(again.stdout.contains("Printed 0 PDFs"), "{again}");
    assert!(again.stdout.contains("kept 12"), "{again}");
    assert_eq!(
        project.site().snapshot(),
        first,
        "nothing changed, so no byte did"
    );

    // One English handout changes: it, its module's packet and the all-handouts packet.
    project.append(
        "content/en/modules/01-first-steps/handouts/01-check-in.md",
        "\nOne more line.\n",
    );
    let edited = project.hearth_with_env(&["pdf", "--out", "public"], &env);
    edited.success();
    assert!(edited.stdout.contains("Printed 3 PDFs"), "{edited}");
    let now = project.site().snapshot();
    let changed: BTreeSet<&String> = now
        .iter()
        .filter(|(path, bytes)| path.ends_with(".pdf") && first.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        changed.into_iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "en/pdf/first-steps.pdf",
            "en/pdf/first-steps/check-in.pdf",
            "en/pdf/handouts.pdf"
        ]
    );
    // A plain build removes the PDFs, and the links to them.
    project.build().success();
    let site = project.site();
    assert!(!site.files().iter().any(|f| f.ends_with(".pdf")));
    assert_eq!(
        site.page("en/print/handouts/index.html").count(".pdf-link"),
        0
    );
}

/// A toolkit made up from `seed`: 14 English sessions of 1 to 24 paragraphs, each with a
/// guide and three handouts of 1 to 8 paragraphs. Handout titles have a fixed width
/// (`Sheet 03-2`), so that no title is part of another.
fn made_up_toolkit(project: &Project, seed: u64) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |below: u64| {
        // xorshift64: enough to vary lengths, the same for the same seed.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let words = [
        "care", "rest", "calm", "family", "listen", "help", "walk", "kind", "words", "time",
        "small", "steps", "home", "child", "breathe", "together",
    ];
    let para = |n: u64, next: &mut dyn FnMut(u64) -> u64| {
        let text: Vec<&str> = (0..n)
            .map(|_| words[next(words.len() as u64) as usize])
            .collect();
        format!("{}.", text.join(" "))
    };
    project.write(
        "hearth.yaml",
        "title:\n  en: Made-up Toolkit\nlanguages: [en]\norganization:\n  name:\n    en: Test Family Center\n  phone: \"555-0100\"\ncrisis_lines:\n  - label:\n      en: Call or text 988\n    phone: \"988\"\n",
    );
    project.write(
        "content/en/_index.md",
        "---\ntitle: Home\n---\n\nWelcome.\n",
    );
    for m in 1..=14 {
        let dir = format!("content/en/modules/{m:02}-session-{m}");
        let body: Vec<String> = (0..1 + next(24))
            .map(|_| para(20 + next(60), &mut next))
            .collect();
        project.write(
            &format!("{dir}/index.md"),
            format!(
                "---\ntitle: Session {m:02}\nsummary: Session {m}.\nduration: 30\n---\n\n## Part {m}\n\n{}\n",
                body.join("\n\n")
            ),
        );
        project.write(
            &format!("{dir}/facilitator.md"),
            format!(
                "---\ntitle: Guide {m:02}\n---\n\n::: activity {{minutes=30 title=\"Talk\"}}\n{}\n:::\n",
                para(10 + next(200), &mut next)
            ),
        );
        for h in 1..=3 {
            let body: Vec<String> = (0..1 + next(8))
                .map(|_| para(10 + next(30), &mut next))
                .collect();
            project.write(
                &format!("{dir}/handouts/0{h}-sheet-{m}-{h}.md"),
                format!(
                    "---\ntitle: Sheet {m:02}-{h}\nkind: tip-sheet\n---\n\n{}\n",
                    body.join("\n\n")
                ),
            );
        }
    }
}

/// Checks every contents list of the PDFs in `public/`: each item's number is the first
/// page, after the contents, whose text has the item's title as a line of its own (its
/// heading), and the list starts under its heading. Returns how many items it checked
/// and the most pages a contents list took. `what` names the project in messages.
fn check_contents_numbers(project: &Project, what: &str) -> (usize, usize) {
    let site = project.site();
    let mut numbered = 0;
    let mut longest = 0;
    for page in site.html_files() {
        let Some(pdf) = hearth::pdf::pdf_path(&page) else {
            continue;
        };
        let html = site.page(&page);
        let items = html.texts("nav.contents a");
        if items.is_empty() {
            continue;
        }
        // A short list shares its page with the first item.
        let short = html.count("article.packet-short") > 0;
        let texts = pages(&project.path(&format!("public/{pdf}")));
        let mut numbers = Vec::new();
        for item in &items {
            // In two columns a line holds two items: the number right after the item's
            // title is its own.
            let number: usize = texts
                .iter()
                .take(3)
                .flat_map(|t| t.lines())
                .find_map(|l| {
                    let after = &l[l.find(item.as_str())? + item.len()..];
                    let digits: String = after
                        .trim_start()
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    (after.starts_with(' ') && !digits.is_empty()).then(|| digits.parse().unwrap())
                })
                .unwrap_or_else(|| {
                    panic!(
                        "{what}, {pdf}: `{item}` has no page number in the contents:\n{}",
                        texts[0]
                    )
                });
            numbers.push(number);
        }
        // The list starts under its heading, not on a page of its own after it.
        assert!(
            texts[0].contains(items[0].as_str()),
            "{what}, {pdf}: the first page has the contents' heading but not its first item:\n{}",
            texts[0]
        );
        // The contents' own pages: up to the page before the first item starts.
        let contents_pages = numbers[0] - 1;
        if short {
            assert_eq!(
                numbers[0], 1,
                "{what}, {pdf}: a short packet's first item is not on its cover"
            );
        } else {
            assert!(
                contents_pages >= 1,
                "{what}, {pdf}: the first item on page {}",
                numbers[0]
            );
        }
        longest = longest.max(contents_pages);
        for (item, &number) in items.iter().zip(&numbers) {
            let starts = texts
                .iter()
                .enumerate()
                .skip(contents_pages)
                .find(|(_, t)| t.lines().any(|l| l.trim() == item))
                .map(|(n, _)| n + 1);
            assert_eq!(
                starts,
                Some(number),
                "{what}, {pdf}: the contents say `{item}` starts on page {number}"
            );
            numbered += 1;
        }
    }
    (numbered, longest)
}

/// Contents lists with page numbers, for toolkits made up by a generator: long sessions
/// and short ones, so items start anywhere, and a packet of 42 handouts whose contents
/// runs onto a second page. In every PDF with a contents list, each item's number is the
/// first page, after the contents, whose text has the item's title as a line of its own
/// (its heading). `HEARTH_SEEDS=1,2,3` tries other toolkits.
#[test]
fn contents_numbers_are_right_for_made_up_toolkits() {
    let missing = missing_pieces(&["pdftotext"], &[]);
    if !can_run("the PDF contents check", &missing) {
        return;
    }
    let seeds: Vec<u64> = std::env::var("HEARTH_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![7]);
    for seed in seeds {
        let project = Project::empty();
        made_up_toolkit(&project, seed);
        project
            .hearth_with_env(
                &["pdf", "--out", "public"],
                &[("HEARTH_CHROME", "/usr/bin/chromium")],
            )
            .success();
        let (numbered, longest) = check_contents_numbers(&project, &format!("seed {seed}"));
        assert!(numbered > 100, "seed {seed}: only {numbered} items checked");
        assert!(
            longest >= 2,
            "seed {seed}: no contents ran onto a second page"
        );
    }
}
