//! Partner values: the organisation's name and contacts and its crisis lines, as content
//! names them (`{{organization.phone}}`, `{{crisis.988}}`, the `crisis-lines` block) and as
//! every page's crisis box and footer show them. Every phone number becomes a `tel:` link,
//! and a line with `sms` also gets an `sms:` link with its message in the page's language;
//! on paper they read as plain numbers.
//!
//! In: a [`Config`] (the site's, or an edition's with the site's lines behind it), a
//! language and the interface strings. Out: HTML fragments, escaped.

use crate::config::{Config, CrisisLine, Lang, Sms};
use crate::diagnostic::did_you_mean;
use crate::i18n::{Arg, I18n, Key};
use crate::markdown::escape;

/// The organisation's values content can name, after `organization.`.
const ORGANIZATION: [&str; 4] = ["name", "phone", "email", "url"];

/// A number as a `tel:` address: its digits, with a leading `+` kept.
pub fn tel_href(phone: &str) -> String {
    let plus = if phone.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("tel:{plus}{digits}")
}

/// A text message's `sms:` address (RFC 5724), with its body when there is one.
pub fn sms_href(number: &str, body: Option<&str>) -> String {
    let mut href = tel_href(number).replacen("tel:", "sms:", 1);
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        href.push_str("?body=");
        href.push_str(
            &percent_encoding::utf8_percent_encode(body, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        );
    }
    href
}

/// Whether `label` already says `phone`, digit for digit ("Call or text 988").
fn says_number(label: &str, phone: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let wanted = digits(phone);
    !wanted.is_empty() && digits(label).contains(&wanted)
}

/// The partner's values in one language.
pub struct Values<'a> {
    /// The site's configuration, or an edition's.
    pub config: &'a Config,
    /// The language of the page.
    pub lang: &'a Lang,
    /// For the words around a text-message link.
    pub i18n: &'a I18n,
}

impl Values<'_> {
    /// A crisis line by `id`: the edition's, else the site's it is laid over.
    fn line(&self, id: &str) -> Option<&CrisisLine> {
        let site = self
            .config
            .edition
            .iter()
            .flat_map(|e| &e.site_crisis_lines);
        self.config
            .crisis_lines
            .iter()
            .chain(site)
            .find(|l| l.id.as_deref() == Some(id))
    }

    /// Every name content may use, for suggestions.
    fn names(&self) -> Vec<String> {
        let site = self
            .config
            .edition
            .iter()
            .flat_map(|e| &e.site_crisis_lines);
        let ids = self
            .config
            .crisis_lines
            .iter()
            .chain(site)
            .filter_map(|l| l.id.as_deref());
        ORGANIZATION
            .iter()
            .map(|n| format!("organization.{n}"))
            .chain(ids.flat_map(|id| [format!("crisis.{id}"), format!("crisis.{id}.phone")]))
            .collect()
    }

    /// The HTML of the value `name`; `plain` leaves out links, for a value inside a link's
    /// text. `Ok(None)` when neither the edition nor the site sets it; `Err(hint)` when no
    /// value has that name.
    pub fn html(&self, name: &str, plain: bool) -> Result<Option<String>, String> {
        let org = &self.config.organization;
        let found = match name.split('.').collect::<Vec<_>>().as_slice() {
            ["organization", "name"] => {
                let name = org.name.get(self.lang);
                (!name.is_empty()).then(|| escape(name))
            }
            ["organization", "phone"] => org.phone.as_deref().map(|p| self.tel(p, p, plain)),
            ["organization", "email"] => org
                .email
                .as_deref()
                .map(|e| link(&format!("mailto:{e}"), &escape(e), "email", plain)),
            ["organization", "url"] => org
                .url
                .as_deref()
                .map(|u| link(u, &escape(crate::render::bare_url(u)), "url", plain)),
            ["crisis", id] if self.line(id).is_some() => {
                self.line(id).map(|l| self.line_html(l, plain))
            }
            ["crisis", id, "phone"] if self.line(id).is_some() => self
                .line(id)
                .and_then(|l| l.phone.as_deref())
                .map(|p| self.tel(p, p, plain)),
            _ => {
                let names = self.names();
                let hint = did_you_mean(name, &names)
                    .unwrap_or_else(|| format!("the values are: {}", names.join(", ")));
                return Err(hint);
            }
        };
        Ok(found)
    }

    /// A number as a tap-to-call link showing `text`, whose numbers never break across
    /// lines.
    fn tel(&self, phone: &str, text: &str, plain: bool) -> String {
        link(
            &tel_href(phone),
            &numbers_whole(&escape(text)),
            "tel",
            plain,
        )
    }

    /// One crisis line: its label and number (the label itself is the link when it says
    /// the number), then a text-message link when the line takes texts.
    pub fn line_html(&self, line: &CrisisLine, plain: bool) -> String {
        let label = line.label.get(self.lang);
        let mut html = match (&line.phone, &line.url) {
            (Some(phone), _) if says_number(label, phone) => self.tel(phone, label, plain),
            (Some(phone), _) => format!("{}: {}", escape(label), self.tel(phone, phone, plain)),
            (None, Some(url)) => link(url, &escape(label), "url", plain),
            (None, None) => escape(label),
        };
        if let Some(sms) = &line.sms {
            html.push_str(" · ");
            html.push_str(&self.sms_html(sms, plain));
        }
        html
    }

    /// "Text AYUDA to 988" as an `sms:` link.
    fn sms_html(&self, sms: &Sms, plain: bool) -> String {
        let body = sms.body.get(self.lang).map(String::as_str);
        let number = Arg::Str(&sms.number);
        let text = match body {
            Some(body) => self.i18n.get(
                self.lang,
                Key::SmsWithBody,
                &[("body", Arg::Str(body)), ("number", number)],
            ),
            None => self.i18n.get(self.lang, Key::Sms, &[("number", number)]),
        };
        // `check` fails when a language lacks a key, so this fall-back is never published.
        let text = text.unwrap_or_else(|_| sms.number.clone());
        link(&sms_href(&sms.number, body), &escape(&text), "sms", plain)
    }

    /// The `crisis-lines` block: every line as a list item; empty when there are none.
    pub fn list_html(&self) -> String {
        if self.config.crisis_lines.is_empty() {
            return String::new();
        }
        let mut html = String::from("<ul class=\"crisis-lines\">\n");
        for line in &self.config.crisis_lines {
            html.push_str("<li>");
            html.push_str(&self.line_html(line, false));
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n");
        html
    }
}

/// Where a phone number sits in `text`: runs of at least three digits joined by
/// spaces, hyphens, dots or brackets, as byte ranges.
pub fn number_runs(text: &str) -> Vec<std::ops::Range<usize>> {
    let joiner = |c: char| matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}');
    let mut runs = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !(c.is_ascii_digit() || c == '(' || c == '+') {
            continue;
        }
        let mut digits = usize::from(c.is_ascii_digit());
        // The run ends after its last digit or `)`, not on a trailing space or hyphen.
        let mut end = if c.is_ascii_digit() { start + 1 } else { start };
        while let Some(&(i, d)) = chars.peek() {
            if !(d.is_ascii_digit() || joiner(d)) {
                break;
            }
            chars.next();
            if d.is_ascii_digit() || d == ')' {
                digits += usize::from(d.is_ascii_digit());
                end = i + 1;
            }
        }
        if digits >= 3 && end > start {
            runs.push(start..end);
        }
    }
    runs
}

/// HTML text with each phone number in a span that keeps it on one line.
pub fn numbers_whole(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for run in number_runs(html) {
        // Only a number with something to break at needs the span.
        if !html[run.clone()].contains([' ', '-', '.']) {
            continue;
        }
        out.push_str(&html[at..run.start]);
        out.push_str("<span class=\"nowrap\">");
        out.push_str(&html[run.clone()]);
        out.push_str("</span>");
        at = run.end;
    }
    out.push_str(&html[at..]);
    out
}

/// Plain text with each phone number's spaces and hyphens made unbreakable, for the
/// printed margins, which cannot hold markup.
pub fn numbers_unbreakable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for run in number_runs(text) {
        out.push_str(&text[at..run.start]);
        out.extend(text[run.clone()].chars().map(|c| match c {
            ' ' => '\u{a0}',
            '-' => '\u{2011}',
            c => c,
        }));
        at = run.end;
    }
    out.push_str(&text[at..]);
    out
}

/// An `<a>` with `class` (or just the text, when `plain`).
fn link(href: &str, text: &str, class: &str, plain: bool) -> String {
    if plain {
        return text.to_owned();
    }
    format!("<a class=\"{class}\" href=\"{}\">{text}</a>", escape(href))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_kept_on_one_line() {
        assert_eq!(
            numbers_whole("Call (555) 010-0142 or 988."),
            "Call <span class=\"nowrap\">(555) 010-0142</span> or 988."
        );
        assert_eq!(
            numbers_whole("1-800-662-4357"),
            "<span class=\"nowrap\">1-800-662-4357</span>"
        );
        // Years and short counts are not phone numbers with places to break.
        assert_eq!(numbers_whole("Since 2024, 24/7."), "Since 2024, 24/7.");
        assert_eq!(
            numbers_unbreakable("Line: 1-800-662 4357 · Help"),
            "Line: 1\u{2011}800\u{2011}662\u{a0}4357 · Help"
        );
        // A word after a number keeps its space.
        assert_eq!(numbers_unbreakable("Text 741741 now"), "Text 741741 now");
    }

    proptest::proptest! {
        /// Whatever way a number is written (groups of digits joined by spaces, hyphens
        /// or dots), in whatever words around it, it is kept whole: one span on screen,
        /// no breakable space or hyphen on paper.
        #[test]
        fn any_written_phone_number_stays_whole(
            groups in proptest::collection::vec("[0-9]{1,4}", 2..5),
            joins in proptest::collection::vec("[ .-]", 4),
            before in "[A-Za-z]{1,10}( [A-Za-z]{1,10})?:? ",
            after in "( [A-Za-z·,]{1,10}){0,2}",
        ) {
            let mut phone = groups[0].clone();
            for (g, j) in groups[1..].iter().zip(&joins) {
                phone.push_str(j);
                phone.push_str(g);
            }
            proptest::prop_assume!(phone.chars().filter(char::is_ascii_digit).count() >= 3);
            let text = format!("{before}{phone}{after}");
            let wrapped = format!("<span class=\"nowrap\">{phone}</span>");
            proptest::prop_assert!(numbers_whole(&text).contains(&wrapped), "{}", numbers_whole(&text));
            let printed: String = phone
                .chars()
                .map(|c| match c { ' ' => '\u{a0}', '-' => '\u{2011}', c => c })
                .collect();
            proptest::prop_assert!(numbers_unbreakable(&text).contains(&printed));
        }
    }

    #[test]
    fn numbers_become_tel_and_sms_addresses() {
        assert_eq!(tel_href("988"), "tel:988");
        assert_eq!(tel_href("(555) 010-0142"), "tel:5550100142");
        assert_eq!(tel_href("+1 555 0199"), "tel:+15550199");
        assert_eq!(sms_href("988", Some("AYUDA")), "sms:988?body=AYUDA");
        assert_eq!(
            sms_href("741741", Some("HOLA amigo")),
            "sms:741741?body=HOLA%20amigo"
        );
        assert_eq!(sms_href("988", None), "sms:988");
    }

    #[test]
    fn a_label_that_says_its_number_is_the_link() {
        assert!(says_number("Call or text 988", "988"));
        assert!(says_number("Line 555-0199", "555 0199"));
        assert!(!says_number("County crisis team", "555-0199"));
    }
}
