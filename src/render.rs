//! Rendering: the one place that talks to Tera, and the text printed pages carry in their
//! margins. Templates get the `t(k="key", n=3)` function for interface strings in the
//! page's language (`lang` in the context), and [`string_calls`] reads those calls back out
//! of a template's text, so that `check` knows every string a template asks for. A string
//! missing anyway fails the render. [`PrintMargins`] is the print header and footer text,
//! escaped for the CSS strings that show it.

use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::config::{Config, CrisisLine, Lang, Organization};
use crate::i18n::{Arg, I18n, Key};
use crate::markdown::{BlockName, Format, Labels};
use crate::partner::numbers_unbreakable;
use crate::theme::Theme;

/// Templates ready to render, sharing the strings.
pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    /// Compiles the theme's templates.
    pub fn new(theme: &Theme, i18n: Arc<I18n>) -> Result<Renderer, String> {
        let mut tera = Tera::new();
        tera.register_function(
            "t",
            move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
                let lang: String = state.get("lang")?.unwrap_or_default();
                let key: String = kwargs.must_get("k")?;
                let mut args: Vec<(String, tera::Value)> = Vec::new();
                for (name, value) in kwargs.iter() {
                    if name.as_str() != Some("k") {
                        args.push((name.to_string(), value.clone()));
                    }
                }
                let args: Vec<(&str, Arg)> = args
                    .iter()
                    .map(|(name, value)| {
                        let arg = match (value.as_i64(), value.as_str()) {
                            (Some(n), _) => Arg::Number(n),
                            (None, Some(s)) => Arg::Str(s),
                            (None, None) => Arg::Str(""),
                        };
                        (name.as_str(), arg)
                    })
                    .collect();
                i18n.message(&Lang::new(lang), &key, &args)
                    .map_err(tera::Error::message)
            },
        );
        // The site's icon inside each page, as a `data:` address: no request for it, from a
        // host, a sub-path or a disk (Chromium will not load an icon from `file://`).
        let icon = favicon(theme);
        tera.register_function(
            "favicon",
            move |_: Kwargs, _: &State| -> TeraResult<String> { Ok(icon.clone()) },
        );
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        )
        .map_err(|e| error_text(&e))?;
        Ok(Renderer { tera })
    }

    /// Renders `template` with `common` and `page` in the context.
    pub fn render(
        &self,
        template: &str,
        common: &impl Serialize,
        page: &impl Serialize,
    ) -> Result<String, String> {
        let mut context = Context::from_serialize(common).map_err(|e| error_text(&e))?;
        context.insert("page", page);
        self.tera
            .render(template, &context)
            .map_err(|e| error_text(&e))
    }

    /// Renders a template that takes only `context`.
    pub fn render_plain(&self, template: &str, context: &impl Serialize) -> Result<String, String> {
        let context = Context::from_serialize(context).map_err(|e| error_text(&e))?;
        self.tera
            .render(template, &context)
            .map_err(|e| error_text(&e))
    }
}

fn error_text(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str("\n  caused by: ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Block labels in one language, for the Markdown renderer.
pub struct BlockLabels<'a> {
    /// Where the labels come from; a missing one shows its Fluent id, which `check` never
    /// lets reach a published site.
    pub i18n: &'a I18n,
    /// The language of the document being rendered.
    pub lang: &'a Lang,
    /// The site's configuration (or the edition's), for the partner's values.
    pub config: &'a Config,
}

impl BlockLabels<'_> {
    fn get(&self, key: Key, args: &[(&str, Arg)]) -> String {
        // `check` fails when a language lacks a key, so this fall-back is never published.
        self.i18n
            .get(self.lang, key, args)
            .unwrap_or_else(|_| key.as_str().to_owned())
    }
}

impl Labels for BlockLabels<'_> {
    fn block(&self, name: BlockName) -> String {
        self.get(Key::block(name), &[])
    }
    fn format(&self, format: Format) -> String {
        self.get(Key::format(format), &[])
    }
    fn minutes(&self, minutes: u32) -> String {
        self.get(Key::Minutes, &[("n", Arg::Number(minutes.into()))])
    }
    fn write_here(&self) -> String {
        self.get(Key::WriteHere, &[])
    }
    fn not_in_program(&self) -> String {
        self.get(Key::NotInProgram, &[])
    }
    fn value(&self, name: &str, plain: bool) -> Result<Option<String>, String> {
        self.partner().html(name, plain)
    }
    fn crisis_lines(&self) -> String {
        self.partner().list_html()
    }
}

impl BlockLabels<'_> {
    fn partner(&self) -> crate::partner::Values<'_> {
        crate::partner::Values {
            config: self.config,
            lang: self.lang,
            i18n: self.i18n,
        }
    }
}

/// The theme's `favicon.svg` (the default theme's, unless a theme replaces it) as a
/// `data:` address.
fn favicon(theme: &Theme) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SET: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'.')
        .remove(b'-')
        .remove(b'=')
        .remove(b':');
    let svg = theme
        .assets
        .iter()
        .find(|(name, _)| name == "favicon.svg")
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).trim().to_owned())
        .unwrap_or_default();
    format!("data:image/svg+xml,{}", utf8_percent_encode(&svg, SET))
}

/// What every printed page carries in its margins, each escaped for a CSS string in double
/// quotes, since the theme's `@page` rules show them with `content: "…"`.
pub struct PrintMargins {
    /// The running header: the site's name.
    pub title: String,
    /// The footer's crisis lines under their heading (see `crisis_text`).
    pub crisis: String,
    /// The footer's organisation (see `org_text`).
    pub org: String,
}

impl PrintMargins {
    /// The margins of every printed page in `lang`.
    pub fn new(config: &Config, i18n: &I18n, lang: &Lang) -> PrintMargins {
        // `check` fails when a language lacks the heading, so the key is never published.
        let heading = i18n
            .get(lang, Key::CrisisHeading, &[])
            .unwrap_or_else(|_| Key::CrisisHeading.as_str().to_owned());
        PrintMargins {
            title: css_string(config.title.get(lang)),
            crisis: css_string(&numbers_unbreakable(&crisis_text(
                &heading,
                &config.crisis_lines,
                lang,
            ))),
            org: css_string(&numbers_unbreakable(&org_text(&config.organization, lang))),
        }
    }
}

/// The crisis lines as paper shows them: under their heading, each label followed by
/// the number or address it does not already say, since a printed link cannot be tapped.
fn crisis_text(heading: &str, crisis_lines: &[CrisisLine], lang: &Lang) -> String {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let lines: Vec<String> = crisis_lines
        .iter()
        .filter(|c| c.footer)
        .map(|c| {
            let mut line = c.label.get(lang).to_owned();
            if let Some(phone) = &c.phone
                && !digits(&line).contains(&digits(phone))
            {
                line.push_str(&format!(": {phone}"));
            }
            if let Some(url) = &c.url {
                let bare = bare_url(url);
                if !line.contains(bare) {
                    line.push_str(&format!(" ({bare})"));
                }
            }
            line
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("{heading} {}", lines.join(" · ")).trim().to_owned()
}

/// The organisation as paper shows it: its name, phone, and email or web address.
fn org_text(org: &Organization, lang: &Lang) -> String {
    let mut parts = vec![org.name.get(lang).to_owned()];
    parts.extend(org.phone.clone());
    let web = org.url.as_deref().map(|u| bare_url(u).to_owned());
    parts.extend(org.email.clone().or(web));
    parts.join(" · ")
}

/// An address as a reader would type it: without `https://` or `http://` and without a
/// trailing `/`.
pub fn bare_url(url: &str) -> &str {
    url.trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
}

/// Escapes text for a CSS string in double quotes.
fn css_string(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A call of the `t` function found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringCall {
    /// The `k` argument, when it is written out as a string; `None` when it is computed
    /// (`t(k=name)`), so no check can know it.
    pub key: Option<String>,
    /// The names of its other arguments: the variables the string can use.
    pub args: Vec<String>,
    /// Byte offset of the `t` in the template.
    pub offset: usize,
}

/// Every `t(…)` call of a template, read from its tags the way Tera reads them: inside
/// `{{ … }}` and `{% … %}`, outside strings, comments and `{% raw %}` blocks.
pub fn string_calls(text: &str) -> Vec<StringCall> {
    let mut calls = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let open = at + found;
        let rest = &text[open..];
        if rest.starts_with("{#") {
            at = rest.find("#}").map_or(text.len(), |end| open + end + 2);
        } else if rest.starts_with("{{") || rest.starts_with("{%") {
            let close = if rest.starts_with("{{") { "}}" } else { "%}" };
            let (tokens, end) = tag_tokens(text, open + 2, close);
            at = end;
            if close == "%}" && is_tag(&tokens, "raw") {
                at = skip_raw(text, end);
                continue;
            }
            calls.extend(calls_in(&tokens));
        } else {
            at = open + 1;
        }
    }
    calls
}

/// One token of a template tag.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Ident(&'a str),
    Str(String),
    Punct(char),
}

/// The tokens of the tag whose code starts at `start`, and the offset just past its
/// closing `close`.
fn tag_tokens<'a>(text: &'a str, start: usize, close: &str) -> (Vec<(Token<'a>, usize)>, usize) {
    let mut tokens = Vec::new();
    let mut chars = text[start..]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .peekable();
    while let Some((i, c)) = chars.next() {
        if text[i..].starts_with(close) {
            return (tokens, i + close.len());
        }
        match c {
            '"' | '\'' | '`' => {
                let quote = c;
                let mut value = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        c if c == quote => {
                            closed = true;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                if !closed {
                    break;
                }
                tokens.push((Token::Str(value), i));
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, c)) = chars.peek() {
                    if !(c.is_alphanumeric() || c == '_') {
                        break;
                    }
                    end = j + c.len_utf8();
                    chars.next();
                }
                tokens.push((Token::Ident(&text[i..end]), i));
            }
            c if c.is_whitespace() => {}
            c => tokens.push((Token::Punct(c), i)),
        }
    }
    (tokens, text.len())
}

/// Whether a `{% … %}` tag's tokens are the tag `name` (with any `-` trimming marks).
fn is_tag(tokens: &[(Token, usize)], name: &str) -> bool {
    let words: Vec<&Token> = tokens
        .iter()
        .map(|(t, _)| t)
        .filter(|t| **t != Token::Punct('-'))
        .collect();
    words == [&Token::Ident(name)]
}

/// The offset just past the `{% endraw %}` that closes a raw block opened before `at`.
fn skip_raw(text: &str, mut at: usize) -> usize {
    while let Some(found) = text[at..].find("{%") {
        let (tokens, end) = tag_tokens(text, at + found + 2, "%}");
        if is_tag(&tokens, "endraw") {
            return end;
        }
        at = end;
    }
    text.len()
}

/// The `t(…)` calls among a tag's tokens.
fn calls_in(tokens: &[(Token, usize)]) -> Vec<StringCall> {
    let mut calls = Vec::new();
    for (i, (token, offset)) in tokens.iter().enumerate() {
        let is_call = *token == Token::Ident("t")
            && tokens.get(i + 1).is_some_and(|(t, _)| *t == Token::Punct('('))
            // `x.t(…)` would be a method, not the function.
            && !(i > 0 && tokens[i - 1].0 == Token::Punct('.'));
        if !is_call {
            continue;
        }
        let mut key = None;
        let mut args = Vec::new();
        let mut depth = 0;
        let mut j = i + 2;
        let mut at_argument = true;
        while let Some((token, _)) = tokens.get(j) {
            match token {
                Token::Punct('(' | '[' | '{') => depth += 1,
                Token::Punct(')' | ']' | '}') if depth == 0 => break,
                Token::Punct(')' | ']' | '}') => depth -= 1,
                Token::Punct(',') if depth == 0 => {
                    at_argument = true;
                    j += 1;
                    continue;
                }
                Token::Ident("k") if depth == 0 && at_argument => {
                    // `k = "literal"` followed by the end of the argument.
                    key = match (tokens.get(j + 1), tokens.get(j + 2), tokens.get(j + 3)) {
                        (
                            Some((Token::Punct('='), _)),
                            Some((Token::Str(s), _)),
                            Some((Token::Punct(',' | ')'), _)),
                        ) => Some(s.clone()),
                        _ => None,
                    };
                }
                Token::Ident(name) if depth == 0 && at_argument => args.push((*name).to_owned()),
                _ => {}
            }
            at_argument = false;
            j += 1;
        }
        calls.push(StringCall {
            key,
            args,
            offset: *offset,
        });
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(crisis_lines: &str, organization: &str) -> Config {
        let yaml = format!(
            "title: Care\nlanguages: [en]\norganization:\n{organization}crisis_lines:\n{crisis_lines}"
        );
        let (config, diags) = crate::config::parse(&yaml);
        config.unwrap_or_else(|| panic!("{diags:?}"))
    }

    fn en() -> Lang {
        Lang::new("en")
    }

    #[test]
    fn paper_adds_the_number_or_address_a_label_leaves_out() {
        let lines = "  - label: Call or text 988\n    phone: \"988\"\n  - label: Warm line\n    phone: 555-0100\n    url: https://warm.example.org/\n";
        let config = config(lines, "  name: Center\n");
        assert_eq!(
            crisis_text("If you need help now:", &config.crisis_lines, &en()),
            "If you need help now: Call or text 988 · Warm line: 555-0100 (warm.example.org)"
        );
        assert_eq!(crisis_text("Help:", &[], &en()), "");
    }

    #[test]
    fn paper_leaves_out_a_line_kept_out_of_the_footer() {
        let lines = "  - label: Call or text 988\n    phone: \"988\"\n  - id: poison\n    label: Poison Control\n    phone: 1-800-222-1222\n    footer: false\n";
        let config = config(lines, "  name: Center\n");
        assert!(!config.crisis_lines[1].footer);
        assert_eq!(
            crisis_text("Help:", &config.crisis_lines, &en()),
            "Help: Call or text 988"
        );
    }

    #[test]
    fn paper_shows_the_organisation_with_its_email_before_its_web_address() {
        let both = config(
            "  []\n",
            "  name: Center\n  phone: 555-0142\n  email: hi@center.org\n  url: http://center.org/\n",
        );
        assert_eq!(
            org_text(&both.organization, &en()),
            "Center · 555-0142 · hi@center.org"
        );
        let web = config(
            "  []\n",
            "  name: Center\n  url: https://center.org/care/\n",
        );
        assert_eq!(
            org_text(&web.organization, &en()),
            "Center · center.org/care"
        );
    }

    #[test]
    fn a_css_string_escapes_quotes_backslashes_and_tags_and_flattens_lines() {
        assert_eq!(
            css_string("a \"b\" \\ <c>\nd"),
            "a \\\"b\\\" \\\\ \\3c c> d"
        );
    }

    #[test]
    fn a_bare_url_loses_its_scheme_and_trailing_slash() {
        assert_eq!(bare_url("https://988lifeline.org/"), "988lifeline.org");
        assert_eq!(bare_url("http://a.org/b/"), "a.org/b");
        assert_eq!(bare_url("en/module/"), "en/module");
    }

    fn keys(text: &str) -> Vec<Option<String>> {
        string_calls(text).into_iter().map(|c| c.key).collect()
    }

    #[test]
    fn calls_are_found_with_either_quote_and_any_spacing_and_argument_order() {
        let text = r#"<a title="{{ t(k='home') }}">{{t( n=3 , k = "minutes" )}}</a>{% set x = t(k=`go-home`, title=page.title | upper) %}"#;
        assert_eq!(
            keys(text),
            [
                Some("home".to_owned()),
                Some("minutes".to_owned()),
                Some("go-home".to_owned())
            ]
        );
    }

    #[test]
    fn text_comments_raw_blocks_strings_and_methods_are_not_calls() {
        let text = "t(k=\"a\") {# {{ t(k=\"b\") }} #}{% raw %}{{ t(k=\"c\") }}{% endraw %}{{ \"t(k='d')\" ~ x.t(k=\"e\") ~ list(k=\"f\") }}";
        assert_eq!(keys(text), Vec::<Option<String>>::new());
    }

    #[test]
    fn the_other_arguments_are_the_variables() {
        let calls = string_calls("{{ t(n=f(a=1, b=[2]), k=\"x\", title=page.title) }}");
        assert_eq!(calls[0].args, ["n", "title"]);
    }

    #[test]
    fn a_computed_key_is_found_but_not_known() {
        assert_eq!(keys("{{ t(k=name) }}{{ t(k=\"a\" ~ b) }}"), [None, None]);
        let calls = string_calls("ab\n{{ t(k=name) }}");
        assert_eq!(calls[0].offset, 6);
    }

    #[test]
    fn the_default_templates_ask_only_for_written_out_keys() {
        for (name, text) in crate::theme::DEFAULT_TEMPLATES {
            for call in string_calls(text) {
                assert!(
                    call.key.is_some(),
                    "{name}: a computed key at {}",
                    call.offset
                );
            }
        }
    }
}
