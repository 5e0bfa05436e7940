//! The HTTP side: files from memory, the reload script, and the events stream.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use futures_util::stream::{self, Stream};

use super::{Problem, Served, Shared, Signal};
use crate::markdown::escape;

const EVENTS: &str = "/__hearth/events";

/// The error panel's own style sheet. The panel lives in a shadow root, and its host
/// resets every inherited property, so no rule of the theme (or of a partner's
/// overrides) reaches it: white text on the theme's light `pre` background made it
/// unreadable once. Sizes are in pixels because `rem` would follow the theme's root.
const PANEL_CSS: &str = ":host{all:initial!important;display:block!important;position:fixed!important;inset:0!important;z-index:2147483647!important}\
.panel{box-sizing:border-box;height:100%;overflow:auto;padding:24px;background:#1d1410;color:#fff;font:16px/1.5 ui-monospace,Menlo,Consolas,monospace}\
.panel:focus{outline:3px solid #ffd9b3;outline-offset:-3px}\
h2{margin:0 0 16px;font:bold 18px/1.4 system-ui,sans-serif;color:#ffd9b3}\
pre{margin:0;padding:0;border:0;white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;color:inherit;background:none}\
button{margin:0 0 16px;padding:8px 16px;border:2px solid #ffd9b3;border-radius:4px;background:#1d1410;color:#fff;font:16px/1.2 system-ui,sans-serif;cursor:pointer}\
button:focus-visible{outline:3px solid #fff;outline-offset:2px}";

/// The inside of the panel: the heading and the errors as the terminal shows them. It
/// is focusable so a keyboard can scroll a long list.
fn panel(heading: &str, text: &str) -> String {
    format!(
        "<style>{PANEL_CSS}</style><div class=\"panel\" role=\"alert\" tabindex=\"0\"><h2>{}</h2><pre>{}</pre></div>",
        escape(heading),
        escape(text)
    )
}

/// Reloads the page when the site changes; shows a [`super::Problem`] over it (in the
/// shadow root of `#hearth-overlay`, made anew each time) when a change breaks the
/// build, with a button to look at the page beneath (not on hearth's own page of errors,
/// `data-bare`, which has nothing beneath). A recovered build reloads the
/// page, which takes the panel away. `BUILD` becomes the build number the page was
/// served at, `PANEL` the panel's empty markup.
const SCRIPT: &str = r#"<script>(function(){
var es=new EventSource("/__hearth/events?build=BUILD");
es.addEventListener("reload",function(){location.reload()});
es.addEventListener("failed",function(e){var t=JSON.parse(e.data),d=document.getElementById("hearth-overlay");
var bare=!!d&&d.hasAttribute("data-bare");if(d)d.remove();d=document.createElement("div");d.id="hearth-overlay";var r=d.attachShadow({mode:"open"});r.innerHTML=PANEL;
r.querySelector("h2").textContent=t.heading;r.querySelector("pre").textContent=t.text;
if(bare)d.setAttribute("data-bare","");else{var b=document.createElement("button");b.type="button";b.textContent="Hide these errors";b.onclick=function(){d.remove()};
r.querySelector(".panel").insertBefore(b,r.querySelector("pre"))}document.body.appendChild(d)})})();
</script>"#;

/// The reload script for a page of build `build`.
fn script(build: u64) -> String {
    let empty = serde_json::to_string(&panel("", "")).expect("a string always serializes");
    SCRIPT
        .replace("PANEL", &empty.replace("</", "<\\/"))
        .replace("BUILD", &build.to_string())
}

/// The events stream at [`EVENTS`], and every other path a file of the site.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback(get(file))
        .with_state(shared)
}

/// The events stream. A page names the build it shows (`?build=N`): if the site has
/// changed since, or is broken, it hears so at once rather than at the next change.
async fn events(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe first, so no change falls between reading the state and listening.
    let receiver = shared.signals.subscribe();
    let served = shared.served();
    let shown = uri
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("build="))
        .and_then(|n| n.parse::<u64>().ok());
    let first = match (&served.problem, shown) {
        (Some(problem), _) => Some(failed_event(problem)),
        (None, Some(shown)) if shown != served.build => Some(reload_event(served.build)),
        _ => None,
    };
    let updates = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(Signal::Reload(build)) => return Some((reload_event(build), receiver)),
                Ok(Signal::Failed(problem)) => return Some((failed_event(&problem), receiver)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream::iter(first).chain(updates).map(Ok)).keep_alive(KeepAlive::default())
}

/// `event: reload` with the new build number as its data. Browsers drop an event
/// whose data is empty without telling its listeners, so it must never be.
fn reload_event(build: u64) -> Event {
    Event::default().event("reload").data(build.to_string())
}

/// `event: failed` with the [`Problem`] as JSON.
fn failed_event(problem: &Problem) -> Event {
    let json = serde_json::to_string(problem).expect("two strings always serialize");
    Event::default().event("failed").data(json)
}

/// A file of the site, with the reload script added to pages; before any good build,
/// the errors instead.
async fn file(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = percent_decode(uri.path().trim_start_matches('/'));
    let mut served = shared.served();
    if served.pending && crate::pages::is_gathering(&path) {
        // A binder or a search index the last edit is still being rendered into.
        served = shared.settled().await;
    }
    let files = &served.files;
    if path.split('/').any(|p| p == "..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let wants_html = wants_html(&path, &headers);
    if served.build == 0 {
        return no_site_yet(&served, wants_html);
    }
    let mut key = path.clone();
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    if !files.contains_key(&key) && files.contains_key(&format!("{key}/index.html")) {
        // `/en/about` -> `/en/about/`, so relative links inside the page resolve.
        let location = format!("/{path}/");
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    let (status, key) = match files.contains_key(&key) {
        true => (StatusCode::OK, key),
        false => (StatusCode::NOT_FOUND, "404.html".to_owned()),
    };
    let Some(bytes) = files.get(&key) else {
        return not_found(&path, served.build, wants_html);
    };
    let mime = content_type(&key);
    let body: Vec<u8> = if mime.starts_with("text/html") {
        inject(bytes, served.build)
    } else {
        bytes.to_vec()
    };
    (
        status,
        [
            (header::CONTENT_TYPE, mime.as_str()),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// The answer for a path the site has no file at, when it has no `404.html` either.
fn not_found(path: &str, build: u64, wants_html: bool) -> Response {
    if !wants_html {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let page = page(
        "Not found",
        &format!(
            "<h1>Not found</h1><p>This site has no page at <code>/{}</code>.</p><p><a href=\"/\">The home page</a></p>",
            escape(path)
        ),
        build,
    );
    html(StatusCode::NOT_FOUND, page)
}

/// The answer while no build has succeeded. Pages get a page that shows the errors,
/// readable without scripts, and reloads into the site once a save fixes them; other
/// files get the errors as text.
///
/// The status is 503, not 200: it is true (there is no site to serve yet, only for a
/// while), browsers show the page of a 503 just as they show any other, and tools
/// that fetch from the preview (`curl --fail`, a link checker, a script waiting for
/// the site to come up) do not mistake the errors for the page they asked for.
fn no_site_yet(served: &Served, wants_html: bool) -> Response {
    let problem = served.problem.clone().unwrap_or_else(|| Problem {
        heading: "hearth has no site to show yet.".to_owned(),
        text: String::new(),
    });
    if !wants_html {
        let text = format!("{}\n\n{}\n", problem.heading, problem.text);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            text,
        )
            .into_response();
    }
    // A declarative shadow root: the panel shows without scripts too.
    let body = format!(
        "<div id=\"hearth-overlay\" data-bare><template shadowrootmode=\"open\">{}</template></div>",
        panel(&problem.heading, &problem.text)
    );
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        page("The site has errors", &body, served.build),
    )
}

/// Whether a request is for a page: it asks for HTML, or its path names a folder or
/// an `.html` file, or has no extension at all.
fn wants_html(path: &str, headers: &HeaderMap) -> bool {
    let accepts = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let last = path.rsplit('/').next().unwrap_or_default();
    accepts || !last.contains('.') || content_type(last).starts_with("text/html")
}

/// A small page of hearth's own, with the reload script.
fn page(title: &str, body: &str, build: u64) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><title>{title} · hearth serve</title></head>\n<body>{body}{}</body></html>\n",
        script(build)
    )
}

fn html(status: StatusCode, page: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// The page with the reload script before `</body>`.
fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let script = script(build);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// The `Content-Type` of a file, by its extension, from `mime_guess`; text in
/// UTF-8, which is what hearth writes and what its projects are asked to hold.
fn content_type(path: &str) -> String {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    let guess = match ext.as_str() {
        // mime_guess says `text/xml`; hearth has always served its sitemap and feeds
        // as `application/xml` (RFC 7303's choice), and `hearth build` hosts do too.
        "xml" => return "application/xml; charset=utf-8".to_owned(),
        // mime_guess still gives the names fonts had before RFC 8081 registered
        // `font/*`; browsers and hosts use the registered ones.
        "woff" => "font/woff",
        "otf" => "font/otf",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    match guess.starts_with("text/") {
        true => format!("{guess}; charset=utf-8"),
        false => guess.to_owned(),
    }
}

/// The request path decoded (`%C3%B3` and the like); invalid sequences stay as
/// they are, invalid UTF-8 becomes U+FFFD.
fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_paths_decode() {
        assert_eq!(percent_decode("es/lecci%C3%B3n/"), "es/lección/");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz%41"), "a%zzA");
        assert_eq!(percent_decode("a%FF"), "a\u{fffd}");
    }

    /// The types the hand-written table gave before `mime_guess`, which stay.
    #[test]
    fn content_types_stay_as_they_were() {
        for (path, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("a/style.CSS", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("data.json", "application/json"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("logo.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.webp", "image/webp"),
            ("a.avif", "image/avif"),
            ("favicon.ico", "image/x-icon"),
            ("handout.pdf", "application/pdf"),
            ("font.woff2", "font/woff2"),
            ("a.mp3", "audio/mpeg"),
            ("a.mp4", "video/mp4"),
            ("messages.ftl", "application/octet-stream"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    /// Types the table did not know, served as `application/octet-stream` before.
    #[test]
    fn content_types_the_table_did_not_know() {
        for (path, expected) in [
            ("font.woff", "font/woff"),
            ("font.otf", "font/otf"),
            ("font.ttf", "font/ttf"),
            ("module.mjs", "application/javascript"),
            ("site.webmanifest", "application/manifest+json"),
            ("notes.md", "text/markdown; charset=utf-8"),
            ("page.htm", "text/html; charset=utf-8"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_ends() {
        let page = String::from_utf8(inject(b"<body><p>x</p></body></html>", 3)).unwrap();
        assert!(page.starts_with("<body><p>x</p><script>"));
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.contains("/__hearth/events?build=3"));
    }
}
