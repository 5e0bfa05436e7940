//! Where things go: the order of the modules, each module's slug in each language, and
//! so the address of every document and asset. A guide or handout whose module has no
//! `index.md` in its language has no address, and is reported here.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Lang;
use crate::content::{Asset, DocKind, DocPath, Meta, Source, split_number_prefix};
use crate::diagnostic::{Diagnostic, Kind};

/// A module's slug in one language, by (language, folder).
pub(super) type Slugs = HashMap<(Lang, String), String>;

/// A document with the address it is read at, relative to the site root.
pub(super) struct Placed {
    pub source: Source,
    pub url: String,
}

/// The module folders in toolkit order: by `order` in the source language's `index.md`
/// (or in a translation's, when the source has none), else the folder's number prefix;
/// modules with neither come last, and ties go by folder name.
pub(super) fn module_order(sources: &[Source], source_lang: &Lang) -> Vec<String> {
    let mut order: BTreeMap<&str, i64> = BTreeMap::new();
    for s in sources {
        if let (DocKind::Module { folder }, Meta::Module(meta)) = (&s.kind, &s.meta) {
            let prefix = split_number_prefix(folder).0;
            let position = meta.order.or(prefix).unwrap_or(i64::MAX);
            let entry = order.entry(folder).or_insert(position);
            if &s.lang == source_lang {
                *entry = position;
            }
        }
    }
    let mut folders: Vec<&str> = order.keys().copied().collect();
    folders.sort_by_key(|f| (order[f], *f));
    folders.into_iter().map(str::to_owned).collect()
}

/// Each module's slug in each language it has an `index.md` in: its `slug`, else its
/// folder without the number prefix.
pub(super) fn module_slugs(sources: &[Source]) -> Slugs {
    sources
        .iter()
        .filter_map(|s| match &s.kind {
            DocKind::Module { folder } => Some((
                (s.lang.clone(), folder.clone()),
                s.slug
                    .clone()
                    .unwrap_or_else(|| split_number_prefix(folder).1.to_owned()),
            )),
            _ => None,
        })
        .collect()
}

/// Every source with its address, in order; and apart, the guides and handouts whose
/// module has no `index.md` in their language, which have none.
pub(super) fn addresses(sources: Vec<Source>, slugs: &Slugs) -> (Vec<Placed>, Vec<Source>) {
    let mut placed = Vec::with_capacity(sources.len());
    let mut orphans = Vec::new();
    for source in sources {
        match url(&source, slugs) {
            Some(url) => placed.push(Placed { source, url }),
            None => orphans.push(source),
        }
    }
    (placed, orphans)
}

/// The address of one document, if its module has one in its language.
fn url(source: &Source, slugs: &Slugs) -> Option<String> {
    let lang = &source.lang;
    let module_slug = |folder: &String| slugs.get(&(lang.clone(), folder.clone()));
    Some(match &source.kind {
        DocKind::Home => format!("{lang}/"),
        DocKind::Module { folder } => format!("{lang}/{}/", module_slug(folder)?),
        DocKind::Guide { folder } => format!("{lang}/{}/facilitator/", module_slug(folder)?),
        DocKind::Handout { folder, stem } => {
            let module_slug = module_slug(folder)?;
            let slug = source
                .slug
                .clone()
                .unwrap_or_else(|| split_number_prefix(stem).1.to_owned());
            format!("{lang}/{module_slug}/handouts/{slug}/")
        }
        DocKind::Page => {
            let path = source.path.as_str().trim_end_matches(".md");
            let (dir, stem) = path.rsplit_once('/').map_or(("", path), |(d, s)| (d, s));
            let slug = source.slug.clone().unwrap_or_else(|| stem.to_owned());
            if dir.is_empty() {
                format!("{lang}/{slug}/")
            } else {
                format!("{lang}/{dir}/{slug}/")
            }
        }
    })
}

/// Reports the guides and handouts left without a module. Those whose module's
/// `index.md` has errors of its own are only returned: that file's errors say enough,
/// and links to them must not be reported as broken either.
pub(super) fn orphans(
    orphans: Vec<Source>,
    broken: &HashSet<(Lang, DocPath)>,
    source_lang: &Lang,
) -> (Vec<(Lang, DocPath)>, Vec<Diagnostic>) {
    let mut waiting = Vec::new();
    let mut diags = Vec::new();
    for source in orphans {
        let folder = source.path.as_str().split('/').nth(1).unwrap_or("");
        let index = DocPath::new(format!("modules/{folder}/index.md"));
        if broken.contains(&(source.lang.clone(), index)) {
            waiting.push((source.lang, source.path));
            continue;
        }
        let message = format!(
            "the module folder `{folder}` has no `index.md` in `{}`",
            source.lang
        );
        // In a translation this is a translation still under way, which never fails a build.
        let d = if &source.lang == source_lang {
            Diagnostic::error(Kind::Layout, &source.file, message)
                .hint("every module folder needs an `index.md` with the module's title, summary and duration")
        } else {
            Diagnostic::warning(
                Kind::Translation,
                &source.file,
                format!("{message}, so this file is left out for now"),
            )
            .hint(format!(
                "translate `modules/{folder}/index.md` into `{}` too",
                source.lang
            ))
        };
        diags.push(d);
    }
    (waiting, diags)
}

/// Each asset with its output path: beside its module's pages, under the module's slug
/// in its language; assets of a module with no `index.md` in that language are dropped.
pub(super) fn assets(assets: Vec<Asset>, slugs: &Slugs) -> Vec<(Asset, String)> {
    assets
        .into_iter()
        .filter_map(|asset| {
            let path = asset.path.as_str();
            let lang = &asset.lang;
            let out = match path.strip_prefix("modules/") {
                Some(rest) => {
                    let (folder, inner) = rest.split_once('/')?;
                    let slug = slugs.get(&(lang.clone(), folder.to_owned()))?;
                    format!("{lang}/{slug}/{inner}")
                }
                None => format!("{lang}/{path}"),
            };
            Some((asset, out))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::diagnostic::Severity;
    use crate::site::testing::{HANDOUT, MODULE, PAGE, source};

    fn en() -> Lang {
        Lang::new("en")
    }

    #[test]
    fn the_source_language_orders_the_modules() {
        let sources = vec![
            source("en", "modules/02-b/index.md", MODULE, ""),
            source(
                "en",
                "modules/10-a/index.md",
                &format!("{MODULE}order: 0\n"),
                "",
            ),
            source(
                "es",
                "modules/02-b/index.md",
                &format!("{MODULE}order: 9\n"),
                "",
            ),
            source("es", "modules/only-es/index.md", MODULE, ""),
            source("en", "modules/01-c/index.md", MODULE, ""),
        ];
        assert_eq!(
            module_order(&sources, &en()),
            ["10-a", "01-c", "02-b", "only-es"]
        );
    }

    #[test]
    fn every_kind_of_document_gets_its_address() {
        let sources = vec![
            source("es", "_index.md", "", ""),
            source(
                "es",
                "modules/01-a/index.md",
                &format!("{MODULE}slug: uno\n"),
                "",
            ),
            source("es", "modules/01-a/facilitator.md", "", ""),
            source("es", "modules/01-a/handouts/02-list.md", HANDOUT, ""),
            source("es", "help/about.md", &format!("{PAGE}slug: acerca\n"), ""),
            source("es", "modules/02-b/handouts/x.md", HANDOUT, ""),
        ];
        let slugs = module_slugs(&sources);
        let (placed, orphans) = addresses(sources, &slugs);
        let urls: Vec<&str> = placed.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "es/",
                "es/uno/",
                "es/uno/facilitator/",
                "es/uno/handouts/list/",
                "es/help/acerca/",
            ]
        );
        assert_eq!(orphans.len(), 1);
        assert_eq!(orphans[0].path.as_str(), "modules/02-b/handouts/x.md");
    }

    #[test]
    fn a_module_without_its_index_is_an_error_in_the_source_only() {
        let orphans = vec![
            source("en", "modules/01-a/facilitator.md", "", ""),
            source("es", "modules/01-a/facilitator.md", "", ""),
            source("es", "modules/02-b/facilitator.md", "", ""),
        ];
        let broken = HashSet::from([(Lang::new("es"), DocPath::new("modules/02-b/index.md"))]);
        let (waiting, diags) = super::orphans(orphans, &broken, &en());
        let found: Vec<_> = diags.iter().map(|d| (d.severity, d.kind)).collect();
        assert_eq!(
            found,
            [
                (Severity::Error, Kind::Layout),
                (Severity::Warning, Kind::Translation)
            ]
        );
        assert_eq!(
            waiting,
            [(Lang::new("es"), DocPath::new("modules/02-b/facilitator.md"))]
        );
    }

    #[test]
    fn assets_follow_their_module_slug() {
        let sources = vec![source(
            "es",
            "modules/01-a/index.md",
            &format!("{MODULE}slug: uno\n"),
            "",
        )];
        let asset = |path: &str| Asset {
            lang: Lang::new("es"),
            path: DocPath::new(path),
            disk: PathBuf::new(),
            picture: None,
        };
        let out = assets(
            vec![
                asset("modules/01-a/img/x.png"),
                asset("modules/02-b/y.png"),
                asset("files/z.pdf"),
            ],
            &module_slugs(&sources),
        );
        let out: Vec<&str> = out.iter().map(|(_, o)| o.as_str()).collect();
        assert_eq!(out, ["es/uno/img/x.png", "es/files/z.pdf"]);
    }
}
