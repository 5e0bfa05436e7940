//! `sitemap.xml`: every page a search engine may list, each with its counterparts in the
//! other languages as `hreflang` alternates. Only a site with a `base_url` gets one, since
//! the sitemaps protocol allows only absolute addresses.

use std::collections::HashSet;

use crate::config::Lang;
use crate::content::DocKind;
use crate::markdown;
use crate::site::Site;

/// The sitemap of `site`, with every address made absolute by `base`.
pub fn sitemap(site: &Site, base: &str) -> String {
    xml(base, &groups(site))
}

/// The pages to list, each group one page in its languages: the home pages, then each
/// document path once. Guides stay out (they are `noindex`), as do homes, listed first.
fn groups(site: &Site) -> Vec<Vec<(Lang, String)>> {
    let config = &site.config;
    let mut groups: Vec<Vec<(Lang, String)>> = vec![
        config
            .published
            .iter()
            .map(|l| (l.clone(), format!("{l}/")))
            .collect(),
    ];
    let mut seen = HashSet::new();
    for (id, doc) in site.docs.iter().enumerate() {
        if matches!(doc.source.kind, DocKind::Guide { .. } | DocKind::Home)
            || !seen.insert(&doc.source.path)
        {
            continue;
        }
        let group: Vec<(Lang, String)> = config
            .published
            .iter()
            .filter_map(|l| {
                site.counterpart(id, l)
                    .map(|c| (l.clone(), site.docs[c].url.clone()))
            })
            .collect();
        if !group.is_empty() {
            groups.push(group);
        }
    }
    groups
}

/// The XML: one `<url>` per page; a page with counterparts lists the whole group,
/// itself included, as the protocol asks.
fn xml(base: &str, groups: &[Vec<(Lang, String)>]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for group in groups {
        for (_, url) in group {
            xml.push_str(&format!(
                "<url><loc>{}</loc>",
                markdown::escape(&format!("{base}{url}"))
            ));
            if group.len() > 1 {
                for (l, u) in group {
                    xml.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{l}\" href=\"{}\"/>",
                        markdown::escape(&format!("{base}{u}"))
                    ));
                }
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lang: &str, url: &str) -> (Lang, String) {
        (Lang::new(lang), url.to_owned())
    }

    #[test]
    fn a_translated_page_lists_every_language_and_a_lone_page_none() {
        let groups = [
            vec![page("en", "en/care/"), page("es", "es/cuidado/")],
            vec![page("en", "en/about/?a&b")],
        ];
        let xml = xml("https://example.org/", &groups);
        let lines: Vec<&str> = xml.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(
            lines[2],
            "<url><loc>https://example.org/en/care/</loc>\
             <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/care/\"/>\
             <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/es/cuidado/\"/></url>"
        );
        assert!(lines[3].starts_with("<url><loc>https://example.org/es/cuidado/</loc>"));
        assert_eq!(
            lines[4],
            "<url><loc>https://example.org/en/about/?a&amp;b</loc></url>"
        );
        assert_eq!(lines[5], "</urlset>");
    }
}
