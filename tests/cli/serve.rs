//! `hearth serve`: the rebuild engine must always hold exactly what a full build would
//! write, whatever sequence of edits an author makes; the real server shows edits,
//! explains broken ones without going down, and recovers when they are fixed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hearth::build::{self, Options};
use hearth::serve::Session;

use crate::support::Project;

/// What `hearth build` would write, as path -> bytes.
pub(crate) fn full_build(project: &Project) -> BTreeMap<String, Vec<u8>> {
    let generated = build::generate(project.root(), &Options::default())
        .unwrap_or_else(|_| panic!("the project builds"));
    let mut files: BTreeMap<String, Vec<u8>> = generated
        .outputs
        .into_iter()
        .map(|o| (o.path, o.bytes))
        .collect();
    for (from, to) in generated.copies {
        files.insert(to, std::fs::read(from).expect("a copied file exists"));
    }
    files
}

pub(crate) fn served(session: &Session) -> BTreeMap<String, Vec<u8>> {
    session
        .files()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

pub(crate) fn assert_same(session: &Session, project: &Project, after: &str) {
    let want = full_build(project);
    let got = served(session);
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    let differ: Vec<&String> = want
        .iter()
        .filter(|(k, v)| got.get(*k).is_some_and(|g| g != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after {after}: served differs from a full build\nmissing: {missing:?}\nextra: {extra:?}\ndiffer: {differ:?}"
    );
}

#[test]
fn the_served_site_equals_a_full_build_after_every_kind_of_edit() {
    let project = Project::sample();
    let (mut session, first) = Session::start(project.root(), Options::default());
    assert!(first.ok(), "{first:?}");
    assert_same(&session, &project, "the first build");

    let index = "content/en/modules/02-the-weight-we-carry/index.md";
    let guide = "content/es/modules/02-the-weight-we-carry/facilitator.md";
    let handout = "content/en/modules/02-the-weight-we-carry/handouts/01-my-warning-lights.md";
    let mut step = |what: &str, paths: &[&str], expect_full: bool| {
        let paths: Vec<PathBuf> = paths.iter().map(|p| project.path(p)).collect();
        let report = session.apply(&paths);
        assert!(report.ok(), "{what}: {report:?}");
        assert_eq!(report.full, expect_full, "{what}: full rebuild?");
        assert_same(&session, &project, what);
    };

    project.append(index, "\nA new paragraph for this session.\n");
    step("a body edit", &[index], false);

    // A word of a letter no other word starts with gives the search index a part of its
    // own; taking the word out again takes the part away.
    let before = project.read(index);
    project.append(index, "\nA xylophone.\n");
    step("a word of a new letter", &[index], false);
    assert!(full_build(&project).contains_key("assets/search/en/w-x.js"));
    project.write(index, &before);
    step("the word taken out again", &[index], false);

    // Changing an activity's minutes changes the agenda in the guide and the binders.
    project.replace(guide, "minutes=10", "minutes=12");
    step("an activity's minutes", &[guide], false);

    project.append(handout, "\nOne more line to write on.\n");
    step("a handout edit", &[handout], false);

    project.append("content/es/_index.md", "\nBienvenidos también.\n");
    step("the home page's text", &["content/es/_index.md"], false);

    project.replace(
        index,
        "title: The Weight We Carry",
        "title: The Load We Carry",
    );
    step("a title in front matter", &[index], true);

    let new = "content/en/modules/02-the-weight-we-carry/handouts/03-extra.md";
    project.write(
        new,
        "---\ntitle: Extra\nkind: tip-sheet\n---\nSomething extra.\n",
    );
    step("a new handout", &[new], true);

    project.remove(new);
    step("a removed handout", &[new], true);

    // A renamed module folder, in both languages, as a file manager would do it.
    for lang in ["en", "es"] {
        std::fs::rename(
            project.path(&format!(
                "content/{lang}/modules/12-looking-back-moving-forward"
            )),
            project.path(&format!("content/{lang}/modules/13-looking-back")),
        )
        .expect("rename a module folder");
    }
    // The programs name it by folder, so hearth.yaml follows, in each program.
    let config = project
        .read("hearth.yaml")
        .replace("12-looking-back-moving-forward", "13-looking-back");
    project.write("hearth.yaml", config);
    step(
        "a renamed module folder",
        &[
            "hearth.yaml",
            "content/en/modules/12-looking-back-moving-forward",
            "content/en/modules/13-looking-back",
            "content/es/modules/12-looking-back-moving-forward",
            "content/es/modules/13-looking-back",
        ],
        true,
    );

    project.write("static/robots.txt", "User-agent: *\n");
    step("a new static file", &["static/robots.txt"], true);

    project.write("locales/en.ftl", "home = Start\n");
    step("a project string", &["locales/en.ftl"], true);
}

/// An edit to a document's text renders in two steps: the pages the author looks at at
/// once, then the pages that gather many modules and the search index. In between, those
/// still show the old text, and `pending` says so; once finished, the site equals a full
/// build.
#[test]
fn an_edit_renders_its_own_pages_first_and_the_binders_when_finished() {
    let project = Project::sample();
    let (mut session, first) = Session::start(project.root(), Options::default());
    assert!(first.ok());
    assert!(!session.pending());
    let index = "content/en/modules/03-kinder-words-for-ourselves/index.md";
    project.append(index, "\nWords for the binder.\n");
    let report = session.apply_first(&[PathBuf::from(index)]);
    assert!(report.ok() && !report.full, "{report:?}");
    let text = |session: &Session, path: &str| {
        String::from_utf8_lossy(&session.files()[path]).into_owned()
    };
    assert!(
        text(&session, "en/kinder-words-for-ourselves/index.html")
            .contains("Words for the binder.")
    );
    assert!(session.pending());
    assert!(!text(&session, "en/print/facilitator/index.html").contains("Words for the binder."));
    let written = session
        .finish()
        .expect("work was left")
        .unwrap_or_else(|_| panic!("the binders render"));
    assert!(
        written.diagnostics.is_some() && written.corrected == 0,
        "the edit was spliced into the last model, and the full model agreed: {written:?}"
    );
    let written = written.written;
    assert!(
        written >= 3,
        "the binders and the English search index: {written}"
    );
    assert!(!session.pending());
    assert!(text(&session, "en/print/facilitator/index.html").contains("Words for the binder."));
    assert_same(&session, &project, "an edit finished in two steps");
    assert!(session.finish().is_none(), "nothing is left");
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_the_fix_brings_it_back() {
    let project = Project::sample();
    let (mut session, _) = Session::start(project.root(), Options::default());
    let before = served(&session);
    let index = "content/en/modules/03-kinder-words-for-ourselves/index.md";
    let good = project.read(index);

    project.replace(index, "duration: 75", "duration: seventy-five");
    let broken = session.apply(&[project.path(index)]);
    assert!(!broken.ok());
    let error = broken
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(error.file, PathBuf::from(index));
    assert_eq!(error.line, 4);
    assert_eq!(served(&session), before, "the last good site stays");

    project.write(
        index,
        good.replacen("\n## ", "\nFixed and better.\n\n## ", 1),
    );
    let fixed = session.apply(&[project.path(index)]);
    assert!(fixed.ok(), "{fixed:?}");
    assert_same(&session, &project, "the fix");
}

/// Saving another file while one is broken does not hide the error: the broken file is
/// read again with every change until it is fixed.
#[test]
fn a_broken_file_stays_reported_while_other_files_are_saved() {
    let project = Project::sample();
    let (mut session, _) = Session::start(project.root(), Options::default());
    let index = "content/en/modules/03-kinder-words-for-ourselves/index.md";
    let handout = "content/en/modules/02-the-weight-we-carry/handouts/01-my-warning-lights.md";
    let good = project.read(index);

    project.replace(index, "duration: 75", "duration: seventy-five");
    assert!(!session.apply(&[project.path(index)]).ok());
    project.append(handout, "\nOne more line.\n");
    let other = session.apply(&[project.path(handout)]);
    assert!(
        other
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.file == std::path::Path::new(index)),
        "the broken file is still reported: {other:?}"
    );

    project.write(index, good);
    let fixed = session.apply(&[project.path(index)]);
    assert!(fixed.ok(), "{fixed:?}");
    assert_same(&session, &project, "the fix, with the other file's edit");
}

/// A running `hearth serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    /// What it has written to stderr so far.
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(project: &Project) -> Server {
        Server::start_with(project, &[])
    }

    /// Starts `hearth serve` with `env` added to its environment.
    fn start_with(project: &Project, env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["serve", "--port", "0", "--root"])
            .arg(project.root())
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("hearth serve starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("piped stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut sink = sink.lock().expect("no reader panics");
                sink.push_str(&line);
                sink.push('\n');
            }
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve prints its address")
                .expect("readable output");
            if let Some(rest) = line.strip_prefix("Serving the site at http://") {
                break rest.split('/').next().expect("an address").to_owned();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            addr,
            stderr,
        }
    }

    /// Waits until serve has written `text` to stderr, and returns all it wrote.
    fn wait_for_stderr(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let seen = self.stderr.lock().expect("no reader panics").clone();
            if seen.contains(text) {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "serve never wrote {text:?} to stderr:\n{seen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("the server accepts");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }

    /// Waits until `path` contains `text`.
    fn wait_for(&self, path: &str, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (_, body) = self.get(path);
            if body.contains(text) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never showed {text:?}:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first event the events stream sends within a few seconds.
    fn first_event(&self) -> String {
        let mut stream = TcpStream::connect(&self.addr).expect("the server accepts");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("a timeout");
        write!(
            stream,
            "GET /__hearth/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut seen = String::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if seen.contains("\n\n") && seen.contains("event:") {
                break;
            }
        }
        seen
    }
}

/// An open `/__hearth/events` stream, read as a browser's `EventSource` would.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Opens the stream, as a page served at build `build` would, and waits for the
    /// response's headers: from then on the server tells this stream of every change.
    fn open(server: &Server, build: Option<u64>) -> Events {
        let mut stream = TcpStream::connect(&server.addr).expect("the server accepts");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("a timeout");
        let query = build.map(|b| format!("?build={b}")).unwrap_or_default();
        write!(
            stream,
            "GET /__hearth/events{query} HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .expect("send");
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while !events.seen.contains("\r\n\r\n") {
            assert!(Instant::now() < deadline, "no response: {:?}", events.seen);
            events.read_some();
        }
        let head_end = events.seen.find("\r\n\r\n").expect("just seen") + 4;
        assert!(
            events.seen.starts_with("HTTP/1.1 200"),
            "the stream opens: {}",
            events.seen
        );
        events.seen.drain(..head_end);
        events
    }

    fn read_some(&mut self) {
        let mut buf = [0u8; 4096];
        if let Ok(n) = self.stream.read(&mut buf) {
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }

    /// The lines of the first event named `name` within `wait`, or `None`.
    fn find(&mut self, name: &str, wait: Duration) -> Option<Vec<String>> {
        let deadline = Instant::now() + wait;
        let start = format!("event: {name}\n");
        loop {
            if let Some(at) = self.seen.find(&start)
                && let Some(len) = self.seen[at..].find("\n\n")
            {
                return Some(self.seen[at..at + len].lines().map(str::to_owned).collect());
            }
            if Instant::now() > deadline {
                return None;
            }
            self.read_some();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_server_shows_edits_explains_errors_and_recovers() {
    let project = Project::sample();
    let server = Server::start(&project);
    let page = "/en/kinder-words-for-ourselves/index.html";
    let body = server.wait_for(page, "Kinder Words");
    assert!(
        body.contains("/__hearth/events"),
        "served pages carry the reload script"
    );
    assert_eq!(server.get("/es/").0, 200);
    assert_eq!(server.get("/no/such/page/").0, 404);

    let index = "content/en/modules/03-kinder-words-for-ourselves/index.md";
    project.append(index, "\nA sentence written just now.\n");
    server.wait_for(page, "A sentence written just now.");
    // The binder is rendered after the page the author looks at; asked for at once, it
    // waits for that, and never shows the text from before.
    let (status, binder) = server.get("/en/print/facilitator/index.html");
    assert_eq!(status, 200);
    assert!(
        binder.contains("A sentence written just now."),
        "the binder is served with the edit"
    );

    project.replace(index, "duration: 75", "duration: seventy-five");
    let deadline = Instant::now() + Duration::from_secs(15);
    let event = loop {
        let event = server.first_event();
        if event.contains("event: failed") || Instant::now() > deadline {
            break event;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(event.contains("event: failed"), "{event}");
    assert!(
        event.contains("index.md:4:11"),
        "the overlay names the place: {event}"
    );
    let (status, body) = server.get(page);
    assert_eq!(status, 200, "the server stays up");
    assert!(
        body.contains("A sentence written just now."),
        "the last good page stays"
    );

    project.replace(index, "duration: seventy-five", "duration: 75");
    project.append(index, "\nAnd fixed.\n");
    server.wait_for(page, "And fixed.");
    assert!(!server.first_event().contains("event: failed"));

    // The built site never carries the reload script.
    project.build();
    assert!(!project.read("public/en/index.html").contains("__hearth"));
}

#[test]
fn editors_saves_new_folders_and_ctrl_c_are_handled() {
    let project = Project::sample();
    let mut server = Server::start(&project);
    let page = "/en/kinder-words-for-ourselves/index.html";
    server.wait_for(page, "Kinder Words");

    // Many editors write a temporary file, then rename it over the real one.
    let index = "content/en/modules/03-kinder-words-for-ourselves/index.md";
    let saved = project.read(index) + "\nSaved the careful way.\n";
    project.write(
        "content/en/modules/03-kinder-words-for-ourselves/.index.md.tmp",
        &saved,
    );
    std::fs::rename(
        project.path("content/en/modules/03-kinder-words-for-ourselves/.index.md.tmp"),
        project.path(index),
    )
    .expect("rename over the file");
    server.wait_for(page, "Saved the careful way.");

    // A `templates/` folder made while serving is watched from then on.
    let about = "/en/about/index.html";
    project.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1><p>OVERRIDE ONE</p>{% endblock main %}",
    );
    server.wait_for(about, "OVERRIDE ONE");
    project.replace("templates/page.html", "OVERRIDE ONE", "OVERRIDE TWO");
    server.wait_for(about, "OVERRIDE TWO");

    // Ctrl-C stops the server cleanly.
    let pid = server.child.id() as libc::pid_t;
    // SAFETY: sends SIGINT to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("the child can be waited on") {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// Browsers dispatch no event whose data is empty, and `reload` once went out with no
/// `data:` line at all, so live reload never fired in a real browser.
#[test]
fn reload_events_carry_a_data_line_so_browsers_dispatch_them() {
    let project = Project::fixture("bilingual");
    let server = Server::start(&project);
    let page = "/en/about/index.html";
    server.wait_for(page, "Who made this");

    let mut events = Events::open(&server, None);
    project.append("content/en/about.md", "\nWritten while serving.\n");
    let reload = events
        .find("reload", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("no reload event after an edit: {:?}", events.seen));
    let data = reload
        .iter()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap_or_else(|| panic!("the reload event has no data line: {reload:?}"));
    assert!(!data.trim().is_empty(), "{reload:?}");
    let build: u64 = data
        .trim()
        .parse()
        .expect("the data is the new build number");
    let body = server.wait_for(page, "Written while serving.");
    assert!(
        body.contains(&format!("/__hearth/events?build={build}")),
        "the page carries the build it shows"
    );

    // A page that was still loading when the others heard `reload` catches up as soon
    // as it connects; one that is current hears nothing.
    let mut stale = Events::open(&server, Some(build - 1));
    let caught_up = stale.find("reload", Duration::from_secs(5));
    assert_eq!(
        caught_up.as_deref(),
        Some(&["event: reload".to_owned(), format!("data: {build}")][..])
    );
    let mut current = Events::open(&server, Some(build));
    assert_eq!(current.find("reload", Duration::from_secs(1)), None);
}

/// A first build that failed once answered every address with a bare 404: no errors, no
/// reload script, so the browser never showed the problem nor, after the fix, the site.
#[test]
fn a_failing_first_build_shows_its_errors_and_then_the_site() {
    let project = Project::fixture("bilingual");
    let about = "content/en/about.md";
    project.replace(about, "title: About these", "title: [About these");
    let server = Server::start(&project);

    for page in ["/", "/en/about/", "/en/about/index.html"] {
        let (status, body) = server.get(page);
        assert_eq!(status, 503, "{page}: no site yet:\n{body}");
        assert!(body.contains("text/html"), "{page}: a page:\n{body}");
        assert!(
            body.contains("id=\"hearth-overlay\"") && body.contains("content/en/about.md:2:8"),
            "{page}: the errors, readable without scripts:\n{body}"
        );
        assert!(
            body.contains("/__hearth/events?build=0"),
            "{page}: the reload script:\n{body}"
        );
    }
    let (status, body) = server.get("/theme/hearth.css");
    assert_eq!(status, 503);
    assert!(
        body.contains("text/plain") && body.contains("content/en/about.md:2:8"),
        "other files get the errors as text:\n{body}"
    );

    let mut events = Events::open(&server, Some(0));
    let failed = events
        .find("failed", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("a page hears the errors at once: {:?}", events.seen));
    let data = failed
        .iter()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let problem: serde_json::Value = serde_json::from_str(data).expect("JSON");
    assert!(
        problem["text"]
            .as_str()
            .is_some_and(|t| t.contains("content/en/about.md:2:8")),
        "{problem}"
    );
    assert!(
        problem["heading"]
            .as_str()
            .is_some_and(|h| h.contains("could not build")),
        "{problem}"
    );

    project.replace(about, "title: [About these", "title: About these");
    let reload = events
        .find("reload", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("the fix reloads the page: {:?}", events.seen));
    assert!(reload.contains(&"data: 1".to_owned()), "{reload:?}");
    let body = server.wait_for("/en/about/", "Who made this");
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("/__hearth/events?build=1"));
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("/__hearth/events"),
        "a page that is not there still reloads when it is made:\n{body}"
    );
}

/// A panic while rebuilding once killed the rebuild thread without a word: the page kept
/// the old site and no later save was ever rebuilt.
#[test]
fn a_panicking_rebuild_is_reported_and_the_next_save_rebuilds_afresh() {
    let project = Project::fixture("bilingual");
    // A debug build's test-only switch (see `panic_if_asked` in src/serve/contain.rs).
    let server = Server::start_with(&project, &[("HEARTH_TEST_PANIC_ON", "about.md")]);
    let about = "/en/about/index.html";
    server.wait_for(about, "Who made this");
    let mut events = Events::open(&server, Some(1));

    project.append("content/en/about.md", "\nWritten just before the bug.\n");
    let failed = events
        .find("failed", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("open pages hear of the bug: {:?}", events.seen));
    let data = failed
        .iter()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let problem: serde_json::Value = serde_json::from_str(data).expect("JSON");
    let heading = problem["heading"].as_str().expect("a heading");
    assert!(
        heading
            .contains("hearth hit a bug while rebuilding after a change to `content/en/about.md`.")
            && heading.contains("The last good site stays up")
            && heading.contains("please report it"),
        "{heading}"
    );
    let text = problem["text"].as_str().expect("a text");
    assert!(
        text.contains("HEARTH_TEST_PANIC_ON names `about.md` (at src/serve/"),
        "the panic's message and place: {text}"
    );

    let stderr = server.wait_for_stderr("error: hearth hit a bug");
    assert!(
        stderr.contains(
            "error: hearth hit a bug while rebuilding after a change to `content/en/about.md`: \
             HEARTH_TEST_PANIC_ON names `about.md` (at src/serve/"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: this is a fault in hearth"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked at") && !stderr.contains("RUST_BACKTRACE"),
        "the panic is told once, not by Rust's default hook too:\n{stderr}"
    );
    let (status, body) = server.get(about);
    assert_eq!(status, 200, "the server stays up");
    assert!(
        body.contains("Who made this") && !body.contains("Written just before the bug."),
        "the last good site stays"
    );

    // The rebuild thread lives on: the next save rebuilds everything afresh, so the
    // change that met the bug shows too.
    project.append("content/en/_index.md", "\nWritten after the bug.\n");
    let reload = events
        .find("reload", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("the next save reloads the pages: {:?}", events.seen));
    assert!(reload.contains(&"data: 2".to_owned()), "{reload:?}");
    server.wait_for("/en/index.html", "Written after the bug.");
    server.wait_for(about, "Written just before the bug.");
}
