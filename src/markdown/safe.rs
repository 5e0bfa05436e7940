//! Safe HTML: one allow-list, used both to clean a page's HTML (with `ammonia`) and to say
//! what cleaning removes (with the same HTML tokenizer, `html5ever`), so `check` warns
//! about exactly what the page loses.
//!
//! What is kept: ordinary text markup, tables, pictures from the site itself, links to web
//! pages, e-mail, phone and text-message addresses, and the markup hearth's own blocks
//! use. What goes: scripts and styles with their content, frames, forms, media, event
//! attributes (`onerror=`), `javascript:` and `data:` addresses, pictures from other
//! hosts (a caregiver's visit must reach no other host), and HTML comments.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements kept besides ammonia's defaults: the parts of a `lines` block.
const EXTRA_TAGS: [&str; 2] = ["label", "textarea"];
/// Attributes kept on every element besides `lang` and `title`.
const GENERIC_ATTRIBUTES: [&str; 5] = ["class", "id", "role", "aria-hidden", "aria-label"];
/// Address schemes a link may use.
const SCHEMES: [&str; 5] = ["http", "https", "mailto", "tel", "sms"];
/// Style properties kept: table column alignment and the height of ruled lines.
const STYLE_PROPERTIES: [&str; 2] = ["text-align", "--lines"];
/// Elements removed together with everything inside them.
const CONTENT_TAGS: [&str; 2] = ["script", "style"];
/// Attributes that hold an address.
const URL_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "cite",
    "longdesc",
    "action",
    "formaction",
    "poster",
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(EXTRA_TAGS)
        .add_generic_attributes(GENERIC_ATTRIBUTES)
        .add_tag_attributes("textarea", ["rows"])
        // What hearth writes for a picture with smaller copies.
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes("div", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(STYLE_PROPERTIES.into_iter().collect())
        .url_schemes(SCHEMES.into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean_content_tags(CONTENT_TAGS.into_iter().collect())
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && loads_from_elsewhere(value)
                || element == "img" && attribute == "srcset" && srcset_loads_from_elsewhere(value)
            {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

/// `html` with everything outside the allow-list removed.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// The scheme of `url` (`javascript`, `data`, …) when links may not use it.
pub fn forbidden_scheme(url: &str) -> Option<String> {
    // Browsers drop tabs and line breaks anywhere in an address, and leading spaces.
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// Whether a picture at `url` would be fetched from another host (or is not a plain
/// address at all).
pub fn loads_from_elsewhere(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//") || url.starts_with("\\\\") || url.contains(':')
}

/// Whether any address in a `srcset` (`a.jpg 480w, b.jpg 960w`) would be fetched from
/// another host.
fn srcset_loads_from_elsewhere(srcset: &str) -> bool {
    srcset
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .any(loads_from_elsewhere)
}

/// What cleaning takes out of a piece of raw HTML, one sentence each, with the 1-based
/// line of the piece it is on.
pub fn removals(html: &str) -> Vec<(usize, String)> {
    let finder = Finder::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(finder, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

#[derive(Default)]
struct Finder {
    found: RefCell<Vec<(usize, String)>>,
}

impl TokenSink for Finder {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let line = usize::try_from(line).unwrap_or(usize::MAX);
            let mut found = self.found.borrow_mut();
            let name = tag.name.as_ref();
            if CONTENT_TAGS.contains(&name) {
                found.push((line, format!("`<{name}>` is removed, with what it holds")));
                return TokenSinkResult::Continue;
            }
            if !ALLOWED.tags.contains(name) {
                found.push((line, format!("`<{name}>` is removed (its text stays)")));
                return TokenSinkResult::Continue;
            }
            for attribute in &tag.attrs {
                let attr = attribute.name.local.as_ref();
                let value = attribute.value.as_ref();
                let allowed = ALLOWED.generic.contains(attr)
                    || ALLOWED.by_tag.get(name).is_some_and(|a| a.contains(attr));
                if !allowed {
                    found.push((
                        line,
                        format!("the `{attr}` attribute of `<{name}>` is removed"),
                    ));
                } else if URL_ATTRIBUTES.contains(&attr)
                    && let Some(scheme) = forbidden_scheme(value)
                {
                    found.push((
                        line,
                        format!("the `{scheme}:` address in `<{name} {attr}>` is removed"),
                    ));
                } else if name == "img"
                    && (attr == "src" && loads_from_elsewhere(value)
                        || attr == "srcset" && srcset_loads_from_elsewhere(value))
                {
                    found.push((
                        line,
                        format!("the picture `{value}` would load from another web site, so it is removed"),
                    ));
                } else if attr == "style" && !style_is_kept(value) {
                    found.push((
                        line,
                        format!(
                            "the `style` of `<{name}>` is removed (only {} are kept)",
                            STYLE_PROPERTIES.join(" and ")
                        ),
                    ));
                }
            }
        }
        TokenSinkResult::Continue
    }
}

/// Whether every property in a `style` attribute is one the cleaner keeps.
fn style_is_kept(style: &str) -> bool {
    style.split(';').filter(|d| !d.trim().is_empty()).all(|d| {
        d.split_once(':').is_some_and(|(p, v)| {
            STYLE_PROPERTIES.contains(&p.trim().to_ascii_lowercase().as_str()) && !v.contains('(')
        })
    })
}

/// The allow-list as the cleaner holds it, for [`removals`] to compare against.
struct Allowed {
    tags: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    by_tag: HashMap<&'static str, HashSet<&'static str>>,
}

static ALLOWED: LazyLock<Allowed> = LazyLock::new(|| Allowed {
    tags: CLEANER.clone_tags(),
    generic: CLEANER.clone_generic_attributes(),
    by_tag: CLEANER.clone_tag_attributes(),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_events_frames_and_bad_addresses_go() {
        let dirty = r#"<p onclick="x()">Hi<script>alert(1)</script></p><iframe src="javascript:alert(1)"></iframe><a href="javascript:alert(1)">a</a><img src="x.png" onerror="alert(1)" alt="x"><img src="https://tracker.example/p.gif" alt="t"><img src="y.png" srcset="y.png 1x, https://tracker.example/q.gif 2x" alt="s"><a href="data:text/html,hi">d</a>"#;
        let clean = clean(dirty);
        for gone in [
            "script",
            "alert",
            "onclick",
            "iframe",
            "javascript",
            "tracker",
            "data:",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        assert!(clean.contains("<img src=\"x.png\" alt=\"x\">"), "{clean}");
        let said: Vec<String> = removals(dirty).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            said,
            [
                "the `onclick` attribute of `<p>` is removed",
                "`<script>` is removed, with what it holds",
                "`<iframe>` is removed (its text stays)",
                "the `javascript:` address in `<a href>` is removed",
                "the `onerror` attribute of `<img>` is removed",
                "the picture `https://tracker.example/p.gif` would load from another web site, so it is removed",
                "the picture `y.png 1x, https://tracker.example/q.gif 2x` would load from another web site, so it is removed",
                "the `data:` address in `<a href>` is removed",
            ]
        );
    }

    #[test]
    fn hearths_own_markup_and_plain_html_stay() {
        let ours = "<div class=\"block block-lines\">\n<label class=\"lines-box\"><span class=\"visually-hidden\">Write here</span><textarea rows=\"4\"></textarea></label>\n<div class=\"ruled\" style=\"--lines:4\" aria-hidden=\"true\"></div>\n</div>\n<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table>\n<h2 id=\"qué-sigue\">¿Qué?</h2>\n<span class=\"task done\" role=\"img\" aria-label=\"✓\"></span><a href=\"~root~/en/b/index.html#top\">b</a><a href=\"tel:988\">988</a>";
        let clean = clean(ours);
        for kept in [
            "<textarea rows=\"4\">",
            "style=\"--lines:4",
            "style=\"text-align:center",
            "id=\"qué-sigue\"",
            "role=\"img\" aria-label=\"✓\"",
            "href=\"~root~/en/b/index.html#top\"",
            "href=\"tel:988\"",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
        assert!(removals(ours).is_empty(), "{:?}", removals(ours));
    }

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        assert_eq!(
            forbidden_scheme(" java\tscript:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            forbidden_scheme("JavaScript:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(forbidden_scheme("https://example.org"), None);
        assert_eq!(forbidden_scheme("../a.md#b:c"), None);
        assert_eq!(forbidden_scheme("tel:988"), None);
    }
}
