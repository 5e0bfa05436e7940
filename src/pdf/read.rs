//! Just enough PDF reading for hearth's own PDFs: how many pages, and on which page each
//! named destination (an `id` a link on the page points at) lands, so a contents list can
//! carry page numbers. Chromium (Skia) writes a classic cross-reference table and leaves
//! dictionaries uncompressed; anything else reads as "unknown", never as a panic.
//!
//! In: a PDF's bytes. Out: page numbers (1-based).

use std::collections::HashMap;

/// A PDF's objects, found through its cross-reference table.
pub struct Pdf<'a> {
    bytes: &'a [u8],
    /// Object number to its offset.
    offsets: HashMap<u32, usize>,
    /// The trailer dictionary's text.
    trailer: &'a [u8],
    /// Where the newest cross-reference section starts: an update's `/Prev`.
    xref: usize,
}

impl<'a> Pdf<'a> {
    /// Reads the cross-reference table the last `startxref` points at, and the earlier
    /// ones its `/Prev` chain names (an incremental update adds one).
    pub fn read(bytes: &'a [u8]) -> Option<Pdf<'a>> {
        let at = rfind(bytes, b"startxref")?;
        let xref: usize = ascii(&bytes[at + 9..])
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        let mut offset = xref;
        let mut offsets = HashMap::new();
        let mut newest: Option<&[u8]> = None;
        for _ in 0..16 {
            let (entries, trailer) = section(bytes, offset)?;
            for (n, off) in entries {
                offsets.entry(n).or_insert(off);
            }
            newest.get_or_insert(trailer);
            match Self::reference(trailer, "/Prev") {
                Some(prev) => offset = prev as usize,
                None => break,
            }
        }
        Some(Pdf {
            bytes,
            offsets,
            trailer: newest?,
            xref,
        })
    }

    /// Object `n`'s text, from after `n 0 obj` to `endobj` (or its stream).
    fn object(&self, n: u32) -> Option<&'a [u8]> {
        let start = *self.offsets.get(&n)?;
        let rest = self.bytes.get(start..)?;
        let body = find(rest, b"obj")? + 3;
        let end = [find(rest, b"endobj"), find(rest, b"stream")]
            .into_iter()
            .flatten()
            .min()?;
        rest.get(body..end)
    }

    /// The number after a key of `dict`: the object it refers to (`/Pages 25 0 R` gives
    /// 25), or its value (`/Prev 405>>` gives 405).
    fn reference(dict: &[u8], key: &str) -> Option<u32> {
        let text = ascii(dict);
        let at = find_key(&text, key)?;
        let value = text[at + key.len()..].trim_start();
        let digits = value.len() - value.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        value[..digits].parse().ok()
    }

    /// The page objects, in order.
    pub fn pages(&self) -> Vec<u32> {
        let mut pages = Vec::new();
        if let Some(root) = Self::reference(self.trailer, "/Root")
            .and_then(|r| self.object(r))
            .and_then(|catalog| Self::reference(catalog, "/Pages"))
        {
            self.collect_pages(root, &mut pages, 0);
        }
        pages
    }

    fn collect_pages(&self, node: u32, pages: &mut Vec<u32>, depth: usize) {
        let Some(dict) = self.object(node) else {
            return;
        };
        let text = ascii(dict);
        match find_key(&text, "/Kids") {
            Some(at) if depth < 32 => {
                let kids = &text[at + 5..];
                let list = &kids[kids.find('[').map_or(0, |i| i + 1)..kids.find(']').unwrap_or(0)];
                let numbers: Vec<u32> = list
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .chunks(3)
                    .filter_map(|r| r.first()?.parse().ok())
                    .collect();
                for kid in numbers {
                    self.collect_pages(kid, pages, depth + 1);
                }
            }
            _ => pages.push(node),
        }
    }

    /// The page (1-based) each named destination lands on.
    pub fn destinations(&self) -> HashMap<String, usize> {
        let pages: HashMap<u32, usize> = self
            .pages()
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i + 1))
            .collect();
        let Some(dests) = Self::reference(self.trailer, "/Root")
            .and_then(|r| self.object(r))
            .and_then(|catalog| Self::reference(catalog, "/Dests"))
            .and_then(|d| self.object(d))
        else {
            return HashMap::new();
        };
        let text = ascii(dests);
        let mut found = HashMap::new();
        // `/name [page 0 R /XYZ …]`, one after another.
        for entry in text.split('/').skip(1) {
            let Some((name, rest)) = entry.split_once(char::is_whitespace) else {
                continue;
            };
            let Some(page) = rest
                .trim_start()
                .strip_prefix('[')
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(|n| pages.get(&n))
            else {
                continue;
            };
            found.insert(unescape_name(name), *page);
        }
        found
    }
}

/// A cross-reference section: (object number, offset) for each object in use, and the
/// trailer's text.
type Section<'a> = (Vec<(u32, usize)>, &'a [u8]);

/// The cross-reference section at `offset`: each object in use with its offset, and the
/// section's trailer dictionary.
fn section(bytes: &[u8], offset: usize) -> Option<Section<'_>> {
    let table = bytes.get(offset..)?;
    let mut lines = table.split(|&b| b == b'\n');
    if lines.next()? != b"xref" {
        return None;
    }
    let mut entries = Vec::new();
    // Subsections: "first count", then `count` lines of "offset generation n|f".
    loop {
        let line = ascii(lines.next()?);
        if line.starts_with("trailer") {
            break;
        }
        let mut head = line.split_whitespace();
        let (first, count): (u32, u32) = (head.next()?.parse().ok()?, head.next()?.parse().ok()?);
        for n in first..first.checked_add(count)? {
            let entry = ascii(lines.next()?);
            let mut parts = entry.split_whitespace();
            let off: usize = parts.next()?.parse().ok()?;
            if parts.nth(1) == Some("n") {
                entries.push((n, off));
            }
        }
    }
    let start = find(table, b"trailer")?;
    let end = find(&table[start..], b"startxref").map_or(table.len(), |e| start + e);
    Some((entries, &table[start..end]))
}

/// `pdf` with `/Author` added to its document information, as an incremental update: the
/// printed bytes stay as they are, and a new information dictionary, cross-reference
/// section and trailer follow them. `None` when the PDF cannot be read.
pub fn with_author(pdf: &[u8], author: &str) -> Option<Vec<u8>> {
    let read = Pdf::read(pdf)?;
    let root = Pdf::reference(read.trailer, "/Root")?;
    let info = read.object(Pdf::reference(read.trailer, "/Info")?)?;
    let info = ascii(info);
    let dict = info.trim().strip_suffix(">>")?;
    let size = Pdf::reference(read.trailer, "/Size")?;
    let previous = read.xref;
    let utf16: String = author.encode_utf16().map(|u| format!("{u:04X}")).collect();
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let object = out.len();
    out.extend(format!("{size} 0 obj\n{dict}\n/Author <FEFF{utf16}>>>\nendobj\n").as_bytes());
    let xref = out.len();
    out.extend(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{size} 1\n{object:010} 00000 n \ntrailer\n<</Size {} /Root {root} 0 R /Info {size} 0 R /Prev {previous}>>\nstartxref\n{xref}\n%%EOF\n",
            size + 1
        )
        .as_bytes(),
    );
    Some(out)
}

/// The number of pages of a PDF hearth printed, if it can be read.
pub fn page_count(bytes: &[u8]) -> Option<usize> {
    Some(Pdf::read(bytes)?.pages().len())
}

/// A PDF name with its `#xx` escapes decoded. A name writes `%` as `#25`, so the
/// escapes read as percent-encoding.
fn unescape_name(name: &str) -> String {
    percent_encoding::percent_decode_str(&name.replace('#', "%"))
        .decode_utf8_lossy()
        .into_owned()
}

/// Where `key` stands as a whole key in a dictionary's text (`/Kids`, not `/KidsX`).
fn find_key(text: &str, key: &str) -> Option<usize> {
    text.match_indices(key)
        .find(|(at, _)| {
            !text[at + key.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        })
        .map(|(at, _)| at)
}

fn ascii(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF as Chromium writes one: three pages under a nested page tree, two
    /// destinations.
    fn sample() -> Vec<u8> {
        let objects = [
            (1, "<</Type /Catalog /Pages 2 0 R /Dests 6 0 R>>"),
            (2, "<</Type /Pages /Count 3 /Kids [3 0 R 7 0 R]>>"),
            (3, "<</Type /Page /Parent 2 0 R>>"),
            (4, "<</Type /Page /Parent 7 0 R>>"),
            (5, "<</Type /Page /Parent 7 0 R>>"),
            (
                6,
                "<</main [3 0 R /XYZ 0 691 0]\n/h-2#2Dplan [5 0 R /XYZ 0 792 0]>>",
            ),
            (7, "<</Type /Pages /Count 2 /Kids [4 0 R 5 0 R]>>"),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (n, body) in objects {
            offsets.push(pdf.len());
            pdf.extend(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for off in offsets {
            pdf.extend(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend(
            format!("trailer\n<</Size 8 /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        pdf
    }

    #[test]
    fn pages_and_destinations_are_read_through_the_page_tree() {
        let bytes = sample();
        assert_eq!(page_count(&bytes), Some(3));
        let dests = Pdf::read(&bytes).unwrap().destinations();
        assert_eq!(dests["main"], 1);
        assert_eq!(dests["h-2-plan"], 3);
    }

    #[test]
    fn an_author_is_added_as_an_update_the_reader_follows() {
        assert_eq!(with_author(&sample(), "Centro"), None, "no /Info to extend");
        // As Chromium writes it, with an information dictionary.
        let with_info = String::from_utf8(sample())
            .unwrap()
            .replace(
                "<</Size 8 /Root 1 0 R>>",
                "<</Size 8 /Root 1 0 R /Info 3 0 R>>",
            )
            .into_bytes();
        let updated = with_author(&with_info, "Centro Ñ").expect("an update");
        assert!(updated.starts_with(&with_info[..with_info.len() - 6]));
        let read = Pdf::read(&updated).unwrap();
        assert_eq!(read.pages().len(), 3, "the pages are still found");
        let info = read
            .object(Pdf::reference(read.trailer, "/Info").unwrap())
            .unwrap();
        assert!(
            ascii(info).contains("/Author <FEFF00430065006E00740072006F002000D1>"),
            "{}",
            ascii(info)
        );
    }

    #[test]
    fn anything_else_reads_as_unknown() {
        assert_eq!(page_count(b"not a pdf"), None);
        assert_eq!(page_count(b"%PDF-1.4\nstartxref\n99999\n%%EOF"), None);
        let mut cut = sample();
        cut.truncate(cut.len() / 2);
        assert_eq!(page_count(&cut), None);
    }
}
