//! Benchmarks that print figures (run with `cargo bench`): a full build of a generated
//! bilingual toolkit from a cold process, for 100 and 300 modules and for the repository's
//! sample, with pages written, wall time, pages per second and peak memory; and the time
//! from a one-file edit to the rebuilt page, in the rebuild engine and through the real
//! server.
//!
//! A pathological toolkit (20,000 headings with one text, 20,000 nested blocks, 20,000
//! links) shows that heading ids, block visibility and link checks stay linear; it is
//! built into tmpfs and onto disk in the same run, since this machine's disk varies.
//!
//! `cargo bench -- search` prints each search index's bytes and how long the indexes take
//! to build next to the pages.
//!
//! Figures, not pass/fail: timings on shared machines vary, so no test depends on them.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hearth::build::Options;
use hearth::serve::Session;

const HEARTH: &str = env!("CARGO_BIN_EXE_hearth");

fn main() {
    // `cargo bench -- NAME` runs only the parts whose name contains NAME.
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let scratch = tempfile::tempdir().expect("a temporary folder");
    if let Some(keep) = std::env::var_os("HEARTH_BENCH_KEEP") {
        // `HEARTH_BENCH_KEEP=DIR cargo bench -- none` leaves the generated toolkits in DIR,
        // for profiling one build by hand.
        let keep = PathBuf::from(keep);
        for n in [100, 300, 1000] {
            generate(&keep.join(format!("t{n}")), n);
        }
        sample_times(&keep.join("sample-x25"), 25);
        with_editions(&keep.join("t300"), &keep.join("t300-editions"));
    }
    let sample = scratch.path().join("sample");
    copy_sample(&sample);
    let mut toolkits = vec![("sample".to_owned(), sample)];
    for n in [100, 300] {
        let dir = scratch.path().join(format!("t{n}"));
        generate(&dir, n);
        toolkits.push((format!("{n} modules"), dir));
    }
    let large = "build".contains(&filter) || "serve".contains(&filter) || filter.is_empty();
    if large {
        // The size a large partner's toolkit reaches: built, and previewed.
        let dir = scratch.path().join("t1000");
        generate(&dir, 1000);
        toolkits.push(("1000 modules".to_owned(), dir));
    }
    if "build".contains(&filter) || filter.is_empty() {
        println!(
            "full build in a fresh process (best of 5), output on tmpfs and on disk in turns; CPU is user + system time"
        );
        println!(
            "{:<12} {:<6} {:<22} {:>7} {:>9} {:>9} {:>9} {:>10}",
            "toolkit", "output", "output folder", "pages", "wall", "CPU", "pages/s", "peak RSS"
        );
        let shm = Path::new("/dev/shm");
        let tmpfs = shm
            .is_dir()
            .then(|| tempfile::tempdir_in(shm).expect("a tmpfs folder"));
        for (name, dir) in &toolkits {
            let mut places = vec![("disk", dir.join("public"))];
            if let Some(t) = &tmpfs {
                places.insert(0, ("tmpfs", t.path().join("public")));
            }
            for fresh in [true, false] {
                // Turns alternate between the places, so both meet the same machine.
                let mut best: Vec<Option<Run>> = vec![None; places.len()];
                for _ in 0..5 {
                    for (k, (_, out)) in places.iter().enumerate() {
                        if fresh {
                            let _ = std::fs::remove_dir_all(out);
                        } else if !out.exists() {
                            timed_build(Path::new(HEARTH), dir, out);
                        }
                        let run = timed_build(Path::new(HEARTH), dir, out);
                        if best[k].as_ref().is_none_or(|b| run.wall < b.wall) {
                            best[k] = Some(run);
                        }
                    }
                }
                for ((place, out), run) in places.iter().zip(best) {
                    let run = run.expect("five runs");
                    let pages = count_html(out);
                    println!(
                        "{name:<12} {place:<6} {:<22} {pages:>7} {:>6.0} ms {:>6.0} ms {:>9.0} {:>6.1} MiB",
                        if fresh {
                            "empty (first build)"
                        } else {
                            "built, nothing changed"
                        },
                        run.wall.as_secs_f64() * 1000.0,
                        run.cpu.as_secs_f64() * 1000.0,
                        pages as f64 / run.wall.as_secs_f64(),
                        run.peak_kib as f64 / 1024.0
                    );
                }
            }
            for (_, out) in &places {
                let _ = std::fs::remove_dir_all(out);
            }
        }
    }
    if "search".contains(&filter) || filter.is_empty() {
        // The generated toolkits repeat one paragraph; search needs real words, many.
        let many = scratch.path().join("sample-x25");
        sample_times(&many, 25);
        let searched = [
            toolkits[0].clone(),
            toolkits[2].clone(),
            ("sample x25".to_owned(), many),
        ];
        search_sizes(&searched);
        search_times(&searched);
    }
    if let Some(peer) = std::env::var_os("HEARTH_BENCH_PEER")
        && ("paired".contains(&filter) || filter.is_empty())
    {
        paired(&toolkits, Path::new(&peer));
    }
    if "editions".contains(&filter) || filter.is_empty() {
        let peer = std::env::var_os("HEARTH_BENCH_PEER").map(PathBuf::from);
        editions(&toolkits[0].1, &toolkits[2].1, peer.as_deref());
    }
    if "pdf".contains(&filter) || filter.is_empty() {
        pdfs(&toolkits[0].1);
    }
    if "pathological".contains(&filter) || filter.is_empty() {
        pathological(scratch.path());
    }
    if "serve".contains(&filter) || filter.is_empty() {
        println!(
            "\none-file edit in the engine, 20 edits: the edited pages (first step), and with the binders and search index (both steps)"
        );
        println!(
            "{:<12} {:<22} {:>10} {:>10} {:>10} {:>10}",
            "toolkit", "edit", "first med", "worst", "both med", "worst"
        );
        for (name, dir) in &toolkits {
            engine_latency(name, dir);
        }
        println!(
            "\nthrough the real server, as a browser meets it: file saved -> reload event -> page fetched with the new text (20 edits to 20 modules, each undone), and its memory"
        );
        println!(
            "{:<12} {:>10} {:>10} {:>10} {:>13} {:>13} {:>13}",
            "toolkit", "median", "worst", "-debounce", "RSS at start", "after 10", "after 20"
        );
        for (name, dir) in &toolkits {
            server_latency(name, dir);
        }
    }
}

/// `HEARTH_BENCH_PEER=/path/to/another/hearth cargo bench -- paired`: this hearth and
/// another build of it (an older commit, say), run in turns on the same toolkits into the
/// same folders, on tmpfs and on disk, so a change's cost is read from one run rather
/// than from two runs minutes apart on a disk whose speed varies.
fn paired(toolkits: &[(String, PathBuf)], peer: &Path) {
    println!(
        "
paired first builds, this hearth vs {} (7 turns each, alternating; median and best)",
        peer.display()
    );
    println!(
        "{:<12} {:<6} {:>16} {:>16} {:>10} {:>10}",
        "toolkit", "output", "this: median", "peer: median", "this: best", "peer: best"
    );
    let shm = Path::new("/dev/shm");
    for (name, dir) in toolkits {
        let tmpfs = shm
            .is_dir()
            .then(|| tempfile::tempdir_in(shm).expect("a tmpfs folder"));
        let mut places = vec![("disk", dir.join("paired"))];
        if let Some(t) = &tmpfs {
            places.insert(0, ("tmpfs", t.path().join("paired")));
        }
        for (place, out) in places {
            let (mut this, mut other) = (Vec::new(), Vec::new());
            for turn in 0..14 {
                let _ = std::fs::remove_dir_all(&out);
                let (bin, into) = match turn % 2 {
                    0 => (Path::new(HEARTH), &mut this),
                    _ => (peer, &mut other),
                };
                into.push(timed_build(bin, dir, &out).wall.as_secs_f64() * 1000.0);
            }
            let _ = std::fs::remove_dir_all(&out);
            for runs in [&mut this, &mut other] {
                runs.sort_by(f64::total_cmp);
            }
            println!(
                "{name:<12} {place:<6} {:>13.0} ms {:>13.0} ms {:>7.0} ms {:>7.0} ms",
                this[this.len() / 2],
                other[other.len() / 2],
                this[0],
                other[0]
            );
        }
    }
}

/// The sample's own site against the same with its two editions (`--all-editions`), in
/// turns, on tmpfs and on disk: what a partner edition adds to a build. Then the same at
/// scale: the 300-module toolkit with six partner editions (see [`with_editions`]); with
/// `HEARTH_BENCH_PEER`, the peer's builds take turns with this hearth's, so a change to
/// how editions build is read from one run.
fn editions(sample: &Path, toolkit: &Path, peer: Option<&Path>) {
    println!(
        "\nthe sample alone vs with its editions (first builds, 7 turns each, alternating; median and best)"
    );
    let this = Path::new(HEARTH);
    editions_table(
        sample,
        &[
            ("site only", this, &[]),
            ("--all-editions", this, &["--all-editions"]),
        ],
        7,
    );
    let scaled = toolkit.with_file_name("t300-editions");
    with_editions(toolkit, &scaled);
    println!(
        "\n300 modules alone vs with six editions (first builds, 4 turns each, alternating; median and best)"
    );
    let mut kinds: Vec<(&str, &Path, &[&str])> = vec![
        ("site only", this, &[]),
        ("--all-editions (6)", this, &["--all-editions"]),
    ];
    if let Some(peer) = peer {
        println!("peer: {}", peer.display());
        kinds.push(("peer: site only", peer, &[]));
        kinds.push(("peer: --all-editions", peer, &["--all-editions"]));
    }
    editions_table(&scaled, &kinds, 4);
    let _ = std::fs::remove_dir_all(&scaled);
}

/// Builds `dir` with each of `kinds` (name, binary, arguments) in turn, `turns` times
/// each, into tmpfs and then onto disk, and prints a row per place and kind: HTML pages
/// written, wall time (median and best), CPU (user + system, median) and peak RSS (most).
fn editions_table(dir: &Path, kinds: &[(&str, &Path, &[&str])], turns: usize) {
    println!(
        "{:<6} {:<22} {:>7} {:>10} {:>10} {:>10} {:>10}",
        "output", "build", "pages", "median", "best", "CPU", "peak RSS"
    );
    let shm = Path::new("/dev/shm");
    let tmpfs = shm
        .is_dir()
        .then(|| tempfile::tempdir_in(shm).expect("a tmpfs folder"));
    let mut places = vec![("disk", dir.join("editions-bench"))];
    if let Some(t) = &tmpfs {
        places.insert(0, ("tmpfs", t.path().join("editions-bench")));
    }
    for (place, out) in places {
        let mut runs: Vec<Vec<Run>> = kinds.iter().map(|_| Vec::new()).collect();
        let mut pages = vec![0; kinds.len()];
        for turn in 0..turns * kinds.len() {
            let k = turn % kinds.len();
            let _ = std::fs::remove_dir_all(&out);
            runs[k].push(timed_build_with(kinds[k].1, dir, &out, kinds[k].2));
            pages[k] = count_html(&out);
        }
        let _ = std::fs::remove_dir_all(&out);
        for (k, (name, _, _)) in kinds.iter().enumerate() {
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let mut walls: Vec<f64> = runs[k].iter().map(|r| ms(r.wall)).collect();
            walls.sort_by(f64::total_cmp);
            let mut cpus: Vec<f64> = runs[k].iter().map(|r| ms(r.cpu)).collect();
            cpus.sort_by(f64::total_cmp);
            let peak = runs[k].iter().map(|r| r.peak_kib).max().unwrap_or(0);
            println!(
                "{place:<6} {name:<22} {:>7} {:>7.0} ms {:>7.0} ms {:>7.0} ms {:>6.1} MiB",
                pages[k],
                walls[walls.len() / 2],
                walls[0],
                cpus[cpus.len() / 2],
                peak as f64 / 1024.0
            );
        }
    }
}

/// A copy of the generated toolkit at `from` with six partner editions, varied as real
/// partners vary: each its own name, phone and crisis lines; one Spanish first, one in
/// English only, one running only the short program's eight sessions, one every other
/// session, one only a new phone. The copy's module pages and tip sheets name partner
/// values (`{{organization.name}}`, `{{organization.phone}}`, a `crisis-lines` block), as
/// about half the sample's documents do, so what differs between editions is in the text
/// too, not only in every page's header and footer.
fn with_editions(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    // Its sources only: earlier benches leave built sites beside them.
    let sources = walk(&from.join("content"))
        .into_iter()
        .chain([from.join("hearth.yaml")]);
    for file in sources {
        let rel = file.strip_prefix(from).expect("inside the toolkit");
        let mut text = std::fs::read_to_string(&file).expect("a generated file");
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name == "index.md" && rel.starts_with("content") && rel.components().count() > 3 {
            text.push_str(
                "\nThis group is run by {{organization.name}}: call {{organization.phone}}.\n",
            );
        } else if name == "02-tips.md" {
            text.push_str("\n## If tonight is hard\n\n::: crisis-lines\n:::\n");
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("a folder")).expect("folders");
        std::fs::write(dest, text).expect("a copied file");
    }
    let line = |id: &str, en: &str, es: &str, phone: &str| {
        format!(
            "  - id: {id}\n    label: {{ en: \"{en}\", es: \"{es}\" }}\n    phone: \"{phone}\"\n    verified: 2026-11-01\n"
        )
    };
    let lifeline = line("\"988\"", "988 Lifeline", "Línea 988", "988");
    let every_other: Vec<String> = (1..=300)
        .step_by(2)
        .map(|i| format!("{i:03}-session-{i}"))
        .collect();
    let editions = [
        (
            "north",
            format!(
                "organization:\n  name: {{ en: North Family Center, es: Centro Familiar del Norte }}\n  phone: \"555-0131\"\ncrisis_lines:\n{}{lifeline}",
                line(
                    "local",
                    "North County crisis team",
                    "Equipo de crisis del Norte",
                    "555-0132"
                )
            ),
        ),
        (
            "south",
            format!(
                "languages: [es, en]\norganization:\n  name: {{ en: South Community House, es: Casa Comunitaria del Sur }}\n  phone: \"555-0141\"\n  email: familias@south.example.org\ncrisis_lines:\n{lifeline}{}",
                line(
                    "local",
                    "South mobile crisis (Spanish spoken)",
                    "Crisis móvil del Sur (en español)",
                    "555-0142"
                )
            ),
        ),
        (
            "east",
            format!(
                "languages: [en]\nbase_url: https://east.example.org/care/\norganization:\n  name: East Clinic\n  phone: \"555-0151\"\ncrisis_lines:\n{}",
                line(
                    "local",
                    "East crisis line",
                    "Línea de crisis del Este",
                    "555-0152"
                )
            ),
        ),
        (
            "west",
            format!(
                "organization:\n  name: {{ en: West Parents Group, es: Grupo de Padres del Oeste }}\n  phone: \"555-0161\"\ncrisis_lines:\n{lifeline}programs: [short]\n"
            ),
        ),
        (
            "lakes",
            format!(
                "organization:\n  name: {{ en: Lakes Resource Center, es: Centro de Recursos de los Lagos }}\n  phone: \"555-0171\"\ncrisis_lines:\n{}{lifeline}modules: [{}]\n",
                line(
                    "local",
                    "Lakes warm line",
                    "Línea de apoyo de los Lagos",
                    "555-0172"
                ),
                every_other.join(", ")
            ),
        ),
        ("hills", "organization:\n  phone: \"555-0181\"\n".to_owned()),
    ];
    for (id, text) in editions {
        let path = to.join("editions").join(format!("{id}.yaml"));
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("an edition file");
    }
}

/// `hearth build --pdf` on the sample with this machine's Chromium: every print page from
/// nothing, then again with nothing changed, then after one handout's edit; on tmpfs and
/// on disk, in turns (3 each; median).
fn pdfs(sample: &Path) {
    if hearth::pdf::browser_path().is_err() {
        println!("\nPDFs: skipped, no Chromium or Chrome on PATH (or HEARTH_CHROME)");
        return;
    }
    println!("\nPDFs of the sample's print pages (3 turns each, alternating places; median)");
    println!(
        "{:<6} {:<28} {:>6} {:>10} {:>9}",
        "output", "run", "PDFs", "wall", "PDFs/s"
    );
    let shm = Path::new("/dev/shm");
    let tmpfs = shm
        .is_dir()
        .then(|| tempfile::tempdir_in(shm).expect("a tmpfs folder"));
    let mut places = vec![("disk", sample.join("pdf-bench"))];
    if let Some(t) = &tmpfs {
        places.insert(0, ("tmpfs", t.path().join("pdf-bench")));
    }
    let handout = walk(&sample.join("content/en/modules"))
        .into_iter()
        .find(|p| p.components().any(|c| c.as_os_str() == "handouts"))
        .expect("a handout");
    let original = std::fs::read_to_string(&handout).expect("the handout");
    let runs = [
        "every page, from nothing",
        "nothing changed",
        "one handout edited",
    ];
    // [place][run] walls, in ms.
    let mut walls = vec![vec![Vec::new(); runs.len()]; places.len()];
    let mut counts = vec![0; places.len()];
    for turn in 0..3 {
        for (p, (_, out)) in places.iter().enumerate() {
            let _ = std::fs::remove_dir_all(out);
            for (r, _) in runs.iter().enumerate() {
                if r == 2 {
                    std::fs::write(&handout, format!("{original}\nTurn {turn}.\n")).expect("edit");
                }
                let run = timed_build_with(Path::new(HEARTH), sample, out, &["--pdf"]);
                walls[p][r].push(run.wall.as_secs_f64() * 1000.0);
            }
            std::fs::write(&handout, &original).expect("restore");
            counts[p] = walk(out)
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "pdf"))
                .count();
            let _ = std::fs::remove_dir_all(out);
        }
    }
    for (p, (place, _)) in places.iter().enumerate() {
        for (r, name) in runs.iter().enumerate() {
            let w = &mut walls[p][r];
            w.sort_by(f64::total_cmp);
            let median = w[w.len() / 2];
            let rate = match r {
                0 => format!("{:.1}", counts[p] as f64 / (median / 1000.0)),
                _ => String::new(),
            };
            println!(
                "{place:<6} {name:<28} {:>6} {median:>7.0} ms {rate:>9}",
                counts[p]
            );
        }
    }
}

/// The search indexes' sizes per language and audience, before compression: all parts,
/// and the most a first one-word query can download (search.js, the head, the largest
/// word part, and the excerpt parts of eight results, the largest ones).
fn search_sizes(toolkits: &[(String, PathBuf)]) {
    println!("\nsearch index bytes (before compression)");
    println!(
        "{:<12} {:<16} {:>6} {:>10} {:>9} {:>13} {:>14}",
        "toolkit", "index", "parts", "all parts", "head", "largest word", "1st query max"
    );
    let kb = |b: u64| format!("{:.1} KB", b as f64 / 1024.0);
    for (name, dir) in toolkits {
        let out = dir.join("public-search");
        let _ = std::fs::remove_dir_all(&out);
        timed_build(Path::new(HEARTH), dir, &out);
        let search = out.join("assets").join("search");
        let script = std::fs::metadata(out.join("assets").join("search.js")).map_or(0, |m| m.len());
        let mut heads: Vec<PathBuf> = std::fs::read_dir(&search)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        heads.sort();
        for head in heads {
            let index = head
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
            let parts: Vec<(String, u64)> = walk(&search.join(&index))
                .iter()
                .map(|p| {
                    (
                        p.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        size(p),
                    )
                })
                .collect();
            let (word, largest) = parts
                .iter()
                .filter(|(n, _)| n.starts_with("w-"))
                .max_by_key(|(_, b)| *b)
                .cloned()
                .unwrap_or_default();
            let mut excerpts: Vec<u64> = parts
                .iter()
                .filter(|(n, _)| n.starts_with("x-"))
                .map(|(_, b)| *b)
                .collect();
            excerpts.sort_unstable_by(|a, b| b.cmp(a));
            let first = script + size(&head) + largest + excerpts.iter().take(8).sum::<u64>();
            let all = size(&head) + parts.iter().map(|(_, b)| b).sum::<u64>();
            println!(
                "{name:<12} {index:<16} {:>6} {:>10} {:>9} {:>13} {:>14}",
                parts.len() + 1,
                kb(all),
                kb(size(&head)),
                format!("{} {}", word.trim_end_matches(".js"), kb(largest)),
                kb(first)
            );
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// How long the search indexes take to build, in process, against the pages they are
/// built alongside: both from the same model, every language, best of 5 (all cores).
fn search_times(toolkits: &[(String, PathBuf)]) {
    println!("\nsearch index build time, every language and audience (best of 5, in process)");
    println!(
        "{:<12} {:>8} {:>14} {:>16}",
        "toolkit", "indexes", "index time", "whole render"
    );
    for (name, dir) in toolkits {
        let options = Options::default();
        let prepared = hearth::build::prepare(dir, &options).expect("the toolkit prepares");
        let (content, diags) = hearth::content::load(dir, &prepared.config);
        let modelled =
            hearth::build::model(&prepared, content, &diags, &options, &|_, _| None, &|_| {
                None
            })
            .unwrap_or_else(|_| panic!("{name} has no content errors"));
        let best = |run: &dyn Fn() -> usize| {
            let mut best = Duration::MAX;
            let mut count = 0;
            for _ in 0..5 {
                let started = Instant::now();
                count = run();
                best = best.min(started.elapsed());
            }
            (best, count)
        };
        let (site, i18n, renderer, html) = (
            &modelled.site,
            &prepared.i18n,
            &prepared.renderer,
            &modelled.html,
        );
        let (index, files) =
            best(&|| hearth::pages::search_indexes(site, i18n, renderer, html).len());
        let (pages, _) = best(&|| {
            hearth::pages::render_pages(site, i18n, renderer, html, None).map_or(0, |o| o.len())
        });
        println!(
            "{name:<12} {files:>8} {:>11.1} ms {:>13.1} ms",
            index.as_secs_f64() * 1000.0,
            pages.as_secs_f64() * 1000.0
        );
    }
}

/// One `hearth build` in a fresh process.
#[derive(Clone)]
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

/// Runs `hearth build` in a fresh process, measuring it.
// The child is reaped by `wait4`, which also reports its CPU time and peak memory;
// `Child::wait` would reap it first and lose those figures.
#[allow(clippy::zombie_processes)]
fn timed_build(hearth: &Path, dir: &Path, out: &Path) -> Run {
    timed_build_with(hearth, dir, out, &[])
}

/// [`timed_build`] with more arguments for `hearth build`.
#[allow(clippy::zombie_processes)]
fn timed_build_with(hearth: &Path, dir: &Path, out: &Path, extra: &[&str]) -> Run {
    let started = Instant::now();
    let child = Command::new(hearth)
        .arg("build")
        .args(extra)
        .arg("--root")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("hearth starts");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, which nothing else reaps.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert!(
        pid > 0 && status == 0,
        "hearth build failed on {}",
        dir.display()
    );
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Run {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
    }
}

fn count_html(dir: &Path) -> usize {
    walk(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Module 2's participant text, its guide and its first handout, each edited 20 times.
fn edits(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let module = std::fs::read_dir(dir.join("content/en/modules"))
        .expect("modules")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("02"))
        })
        .expect("a second module");
    let handout = std::fs::read_dir(module.join("handouts"))
        .expect("handouts")
        .flatten()
        .map(|e| e.path())
        .min()
        .expect("a handout");
    vec![
        ("participant page", module.join("index.md")),
        ("facilitator guide", module.join("facilitator.md")),
        ("handout", handout),
    ]
}

fn engine_latency(name: &str, dir: &Path) {
    let (mut session, first) = Session::start(dir, Options::default());
    assert!(first.ok(), "{name} builds");
    for (what, file) in edits(dir) {
        let original = std::fs::read_to_string(&file).expect("readable");
        let (mut firsts, mut times) = (Vec::new(), Vec::new());
        for i in 0..20 {
            std::fs::write(&file, format!("{original}\nEdit number {i}.\n")).expect("writable");
            let started = Instant::now();
            let report = session.apply_first(std::slice::from_ref(&file));
            firsts.push(started.elapsed());
            session.finish();
            times.push(started.elapsed());
            assert!(
                report.ok() && !report.full,
                "{name}: a body edit is a partial rebuild"
            );
        }
        std::fs::write(&file, original).expect("writable");
        session.apply(std::slice::from_ref(&file));
        firsts.sort();
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{name:<12} {what:<22} {:>7.1} ms {:>7.1} ms {:>7.1} ms {:>7.1} ms",
            ms(firsts[firsts.len() / 2]),
            ms(firsts[firsts.len() - 1]),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1])
        );
    }
}

fn server_latency(name: &str, dir: &Path) {
    let mut child = Command::new(HEARTH)
        .args(["serve", "--port", "0", "--root"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hearth serve starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("an address").expect("text");
        if let Some(rest) = line.strip_prefix("Serving the site at http://") {
            break rest.split('/').next().expect("an address").to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let started_rss = rss_mib(child.id());
    // Twenty edits, each to another module's participant page, as an author moves on.
    let modules: Vec<PathBuf> = {
        let mut m: Vec<PathBuf> = std::fs::read_dir(dir.join("content/en/modules"))
            .expect("modules")
            .flatten()
            .map(|e| e.path().join("index.md"))
            .collect();
        m.sort();
        let step = (m.len() / 20).max(1);
        m.into_iter().step_by(step).take(20).collect()
    };
    let mut times = Vec::new();
    let mut halfway_rss = 0.0;
    for (i, file) in modules.iter().cycle().take(20).enumerate() {
        let page = page_of(dir, file);
        let original = std::fs::read_to_string(file).expect("readable");
        let marker = format!("Served edit {i} {name}");
        // As a browser does: listen for the reload event, then fetch the page.
        let mut events = listen(&addr);
        std::fs::write(file, format!("{original}\n{marker}\n")).expect("writable");
        let saved = Instant::now();
        wait_for_reload(&mut events);
        let body = get(&addr, &page);
        times.push(saved.elapsed());
        assert!(
            body.contains(&marker),
            "the reload came before the edit was served at {addr}{page}"
        );
        // The binder waits for the second step: once it answers, the server is quiet.
        get(&addr, "/en/print/facilitator/index.html");
        let mut events = listen(&addr);
        std::fs::write(file, original).expect("writable");
        wait_for_reload(&mut events);
        get(&addr, "/en/print/facilitator/index.html");
        if i == 9 {
            halfway_rss = rss_mib(child.id());
        }
    }
    let after_rss = rss_mib(child.id());
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    println!(
        "{name:<12} {:>7.1} ms {:>7.1} ms {:>7.1} ms {:>9.0} MiB {:>9.0} MiB {:>9.0} MiB",
        median,
        ms(times[times.len() - 1]),
        median - DEBOUNCE_MS,
        started_rss,
        halfway_rss,
        after_rss
    );
}

/// The watcher's debounce in `hearth serve` (its tick adds up to a quarter more).
const DEBOUNCE_MS: f64 = 15.0;

/// The events stream a page opens, once the server has answered it.
fn listen(addr: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).expect("the server answers");
    write!(
        stream,
        "GET /__hearth/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("a request");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    // The headers end with an empty line; the server is then subscribed.
    while reader.read_line(&mut line).expect("headers") > 0 && line.trim_end() != "" {
        line.clear();
    }
    reader
}

/// Reads the events stream up to the next `event: reload`.
fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).expect("an event within 10 s");
        assert!(read > 0, "the events stream closed");
        if line.trim_end() == "event: reload" {
            return;
        }
    }
}

/// A process's resident memory now, from `/proc` (0 where there is none).
fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The served address of a module's participant page.
fn page_of(dir: &Path, index: &Path) -> String {
    let folder = index
        .parent()
        .and_then(|p| p.file_name())
        .expect("a module folder")
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(
        dir.join("content/en/modules")
            .join(&folder)
            .join("index.md"),
    )
    .expect("index");
    let slug = text
        .lines()
        .find_map(|l| l.strip_prefix("slug: "))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            folder
                .split_once('-')
                .map_or(folder.clone(), |(_, s)| s.to_owned())
        });
    format!("/en/{slug}/index.html")
}

fn get(addr: &str, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}

fn copy_sample(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(to).expect("a folder");
    std::fs::copy(repo.join("hearth.yaml"), to.join("hearth.yaml")).expect("hearth.yaml");
    let folders = ["content", "editions", "static"].map(|f| repo.join(f));
    for file in folders.iter().flat_map(|f| walk(f)) {
        let rel = file.strip_prefix(repo).expect("inside the repository");
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("a folder")).expect("folders");
        std::fs::copy(&file, dest).expect("a content file");
    }
}

/// The sample, its twelve modules copied until there are `12 * times`, for search: each
/// copy keeps the sample's real sentences in both languages and adds 60 made-up words of
/// its own (40 in the module, 10 in each of two handouts), so the vocabulary grows with
/// the toolkit as a real one's does: 300 modules bring about 16,000 new words.
fn sample_times(to: &Path, times: usize) {
    copy_sample(to);
    let _ = std::fs::remove_dir_all(to.join("editions"));
    for lang in ["en", "es"] {
        let modules = to.join("content").join(lang).join("modules");
        let mut originals: Vec<PathBuf> = std::fs::read_dir(&modules)
            .expect("the sample's modules")
            .flatten()
            .map(|e| e.path())
            .collect();
        originals.sort();
        for k in 1..times {
            for (m, original) in originals.iter().enumerate() {
                let name = original.file_name().expect("a folder").to_string_lossy();
                let rest = name.split_once('-').map_or(&*name, |(_, r)| r);
                let copy = modules.join(format!("{:03}-{rest}-c{k}", m + 1 + 12 * k));
                for file in walk(original) {
                    let rel = file.strip_prefix(original).expect("inside the module");
                    let text = std::fs::read_to_string(&file).expect("a content file");
                    let mut text: String = text
                        .lines()
                        .map(|line| {
                            if line.starts_with("slug: ") {
                                format!("{line}-c{k}\n")
                            } else if let Some(quoted) = line
                                .strip_prefix("title: ")
                                .and_then(|t| t.strip_suffix('"'))
                            {
                                format!("title: {quoted} {k}\"\n")
                            } else if line.starts_with("title: ") {
                                format!("{line} {k}\n")
                            } else {
                                format!("{line}\n")
                            }
                        })
                        .collect();
                    let words = match rel.to_str() {
                        Some("index.md") => 40,
                        Some(r) if r.starts_with("handouts") => 10,
                        _ => 0,
                    };
                    let seed = (k * 12 + m) * 100 + rel.as_os_str().len();
                    for w in 0..words {
                        text.push_str(&made_up_word(seed * 64 + w));
                        text.push(' ');
                    }
                    let dest = copy.join(rel);
                    std::fs::create_dir_all(dest.parent().expect("a folder")).expect("folders");
                    std::fs::write(dest, text).expect("a copied file");
                }
            }
        }
    }
}

/// A pronounceable word no language has, the same for the same `n`: `bakelo`, `mitusa`.
fn made_up_word(n: usize) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut x = n.wrapping_mul(2654435761) ^ 0x9e37;
    let mut word = String::new();
    for _ in 0..3 {
        word.push(C[x % C.len()] as char);
        x /= C.len();
        word.push(V[x % V.len()] as char);
        x /= V.len();
        x = x.wrapping_mul(40503).wrapping_add(n);
    }
    word
}

/// Writes a deterministic bilingual toolkit of `n` modules, each with a facilitator guide
/// and two handouts, in realistic Markdown: headings, lists, a table, links between
/// modules and to handouts, timed activities with facilitator-only blocks.
fn generate(dir: &Path, n: usize) {
    let write = |rel: String, text: String| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("a generated file");
    };
    let mut program = String::new();
    for i in 1..=n.min(8) {
        let _ = writeln!(program, "      - {i:03}-session-{i}");
    }
    write(
        "hearth.yaml".into(),
        format!(
            "title: {{ en: Generated Toolkit, es: Guía generada }}\nlanguages: [en, es]\norganization:\n  name: {{ en: Example Center, es: Centro de Ejemplo }}\n  phone: \"555-0100\"\ncrisis_lines:\n  - label: {{ en: Call or text 988, es: Llame o envíe un texto al 988 }}\n    phone: \"988\"\n    verified: 2026-11-01\nprograms:\n  short:\n    title: {{ en: Short series, es: Serie corta }}\n    modules:\n{program}"
        ),
    );
    for lang in ["en", "es"] {
        write(
            format!("content/{lang}/_index.md"),
            "---\ntitle: Home\n---\nWelcome to the generated toolkit.\n".into(),
        );
        for i in 1..=n {
            let folder = format!("{i:03}-session-{i}");
            let next = format!("{:03}-session-{}", i % n + 1, i % n + 1);
            let slug = if lang == "es" {
                format!("\nslug: sesion-{i}")
            } else {
                String::new()
            };
            let body = paragraph(i);
            write(
                format!("content/{lang}/modules/{folder}/index.md"),
                format!(
                    "---\ntitle: Session {i}\nsummary: What session {i} is about, in one plain sentence.\nduration: 60\nobjectives:\n  - Notice one thing\n  - Try one thing{slug}\n---\n\n## Why this matters\n\n{body}\n\n- a first idea to hold on to\n- a second idea, with **a few words** in bold\n- a third idea, with a [link to the next session](../{next}/index.md)\n\n## A story\n\n{body}\n\n| When | What helps |\n| --- | --- |\n| Morning | A slow breath |\n| Evening | A short walk |\n\n::: discussion\n\n- What stood out to you?\n- What will you try?\n\n:::\n\n::: practice {{title=\"This week\"}}\n\nUse [the worksheet](handouts/01-worksheet.md) each evening.\n\n:::\n"
                ),
            );
            write(
                format!("content/{lang}/modules/{folder}/facilitator.md"),
                format!(
                    "---\nmaterials:\n  - Name tents\n  - Printed worksheets\npreparation: |\n  Read the participant page for session {i}.\n---\n\n::: activity {{minutes=10 title=\"Welcome\"}}\n\n::: say\nWelcome back. Remember our agreement.\n:::\n\n:::\n\n::: activity {{minutes=30 title=\"Talking in pairs\" format=in-person}}\n\n{body}\n\n::: facilitator\nWhy this matters: people learn from each other.\n:::\n\n:::\n\n::: activity {{minutes=30 title=\"Breakout rooms\" format=virtual}}\n\nSend pairs to breakout rooms.\n\n:::\n\n::: activity {{minutes=20 title=\"Closing\"}}\n\nHand out [the tip sheet](handouts/02-tips.md).\n\n:::\n"
                ),
            );
            let hslug = |s: &str| {
                if lang == "es" {
                    format!("\nslug: {s}-{i}")
                } else {
                    String::new()
                }
            };
            write(
                format!("content/{lang}/modules/{folder}/handouts/01-worksheet.md"),
                format!(
                    "---\ntitle: Worksheet {i}\nkind: worksheet{}\n---\n\nWrite what you notice.\n\n::: lines {{count=6}}\n:::\n",
                    hslug("hoja")
                ),
            );
            write(
                format!("content/{lang}/modules/{folder}/handouts/02-tips.md"),
                format!(
                    "---\ntitle: Tips {i}\nkind: tip-sheet{}\n---\n\n## Quick tips\n\n- Breathe slowly.\n- Ask for help.\n- Rest when you can.\n",
                    hslug("consejos")
                ),
            );
        }
    }
}

fn paragraph(i: usize) -> String {
    let words = [
        "caring",
        "for",
        "a",
        "child",
        "who",
        "struggles",
        "takes",
        "patience",
        "and",
        "rest",
        "we",
        "notice",
        "our",
        "own",
        "signals",
        "before",
        "they",
        "grow",
        "loud",
    ];
    (0..90)
        .map(|k| words[(i * 7 + k * 3) % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
        + "."
}

/// Builds one module each of 20,000 same-text headings, 20,000 nested blocks (every other
/// one a `say`) and 20,000 links with anchors, output to tmpfs and to disk side by side.
fn pathological(scratch: &Path) {
    const N: usize = 20_000;
    let dir = scratch.join("pathological");
    let write = |rel: &str, text: String| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
        std::fs::write(path, text).expect("a generated file");
    };
    write(
        "hearth.yaml",
        "title: Pathological\nlanguages: [en]\n".into(),
    );
    write(
        "content/en/_index.md",
        "---\ntitle: Home\n---\nHello.\n".into(),
    );
    let module = |title: &str, body: String| {
        format!("---\ntitle: {title}\nsummary: A stress test.\nduration: 10\n---\n\n{body}")
    };
    write(
        "content/en/modules/01-headings/index.md",
        module("Headings", "## Same text\n\nA line.\n\n".repeat(N)),
    );
    let mut nested = String::new();
    for i in 0..N {
        nested.push_str(if i % 2 == 0 { "::: tip\n" } else { "::: say\n" });
    }
    nested.push_str("The innermost words.\n");
    nested.push_str(&":::\n".repeat(N));
    write(
        "content/en/modules/02-blocks/index.md",
        module("Blocks", nested),
    );
    let mut links = String::from("## Top\n\n");
    for i in 0..N {
        let _ = writeln!(
            links,
            "- [heading {i}](../01-headings/index.md#same-text-{}) and [top](#top)",
            i % 1000 + 1
        );
    }
    write(
        "content/en/modules/03-links/index.md",
        module("Links", links),
    );

    println!(
        "\npathological toolkit: {N} same-text headings, {N} nested blocks, {N} links (best of 3)"
    );
    println!(
        "{:<22} {:>9} {:>9} {:>10}",
        "output folder", "wall", "CPU", "peak RSS"
    );
    let shm = Path::new("/dev/shm");
    let tmpfs = shm
        .is_dir()
        .then(|| tempfile::tempdir_in(shm).ok())
        .flatten();
    let disk = dir.join("public");
    let mut outs: Vec<(&str, PathBuf)> = vec![("disk", disk)];
    if let Some(t) = &tmpfs {
        outs.insert(0, ("tmpfs (/dev/shm)", t.path().join("public")));
    }
    for (name, out) in outs {
        let mut best: Option<Run> = None;
        for _ in 0..3 {
            let _ = std::fs::remove_dir_all(&out);
            let run = timed_build(Path::new(HEARTH), &dir, &out);
            if best.as_ref().is_none_or(|b| run.wall < b.wall) {
                best = Some(run);
            }
        }
        let run = best.expect("three runs");
        println!(
            "{name:<22} {:>6.0} ms {:>6.0} ms {:>6.1} MiB",
            run.wall.as_secs_f64() * 1000.0,
            run.cpu.as_secs_f64() * 1000.0,
            run.peak_kib as f64 / 1024.0
        );
    }
}
