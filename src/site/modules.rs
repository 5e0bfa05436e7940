//! Modules: each folder's index, guide and handouts in every language, and the timed
//! agendas their activities add up to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Agenda, AgendaRow, Doc, DocId, Module, ModuleDocs};
use crate::config::Lang;
use crate::content::{DocKind, DocPath, Meta};
use crate::diagnostic::{Diagnostic, Kind};
use crate::markdown::{Activity, Format};

/// Every module in `folders`' order, in every language of `languages` (the source first)
/// it has an `index.md` in; with warnings where agendas do not add up.
pub(super) fn modules(
    docs: &[Doc],
    by_path: &HashMap<(Lang, DocPath), DocId>,
    folders: &[String],
    languages: &[Lang],
) -> (Vec<Module>, Vec<Diagnostic>) {
    let handouts = handouts_by_module(docs);
    let mut diags = Vec::new();
    let mut modules = Vec::new();
    for folder in folders {
        let mut langs = BTreeMap::new();
        for lang in languages {
            let doc_at = |file: &str| {
                let path = DocPath::new(format!("modules/{folder}/{file}"));
                by_path.get(&(lang.clone(), path)).copied()
            };
            let Some(index) = doc_at("index.md") else {
                continue;
            };
            let guide = doc_at("facilitator.md");
            let (agendas, found) = agendas(docs, index, guide);
            diags.extend(found);
            let module = ModuleDocs {
                index,
                guide,
                handouts: handouts_in(docs, by_path, &handouts, folder, lang, &languages[0]),
                agendas,
            };
            langs.insert(lang.clone(), module);
        }
        modules.push(Module {
            folder: folder.clone(),
            number: modules.len() + 1,
            langs,
        });
    }
    (modules, diags)
}

/// Handouts by (language, module folder), in path order: grouped once, not searched for
/// in every module.
fn handouts_by_module(docs: &[Doc]) -> HashMap<(&Lang, &str), Vec<DocId>> {
    let mut handouts: HashMap<(&Lang, &str), Vec<DocId>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let DocKind::Handout { folder, .. } = &d.source.kind {
            handouts
                .entry((&d.source.lang, folder.as_str()))
                .or_default()
                .push(i);
        }
    }
    handouts
}

/// A module's handouts in `lang`: those translated, in the source language's order, then
/// those that exist only in `lang`, in path order.
fn handouts_in(
    docs: &[Doc],
    by_path: &HashMap<(Lang, DocPath), DocId>,
    handouts: &HashMap<(&Lang, &str), Vec<DocId>>,
    folder: &str,
    lang: &Lang,
    source_lang: &Lang,
) -> Vec<DocId> {
    let none = Vec::new();
    let of_source = handouts.get(&(source_lang, folder)).unwrap_or(&none);
    let own = handouts.get(&(lang, folder)).unwrap_or(&none);
    let mut out: Vec<DocId> = of_source
        .iter()
        .filter_map(|&h| {
            by_path
                .get(&(lang.clone(), docs[h].source.path.clone()))
                .copied()
        })
        .collect();
    for &h in own {
        if !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// The agendas of a module in one language, with warnings where times do not add up.
fn agendas(docs: &[Doc], index: DocId, guide: Option<DocId>) -> (Vec<Agenda>, Vec<Diagnostic>) {
    let Meta::Module(meta) = &docs[index].source.meta else {
        return (Vec::new(), Vec::new());
    };
    let parts: Vec<&Doc> = std::iter::once(index)
        .chain(guide)
        .map(|i| &docs[i])
        .collect();
    let mut diags = Vec::new();
    let index = &docs[index];
    if let Some(line) = index.parsed.participant_text() {
        diags.push(
            Diagnostic::error(
                Kind::Block,
                &index.source.file,
                "a `participant-text` block marks where this page goes in the facilitator guide, so it belongs in `facilitator.md`",
            )
            .at(&index.source.text, line, 1)
            .hint("move the block to `facilitator.md`, where the guide should show this page"),
        );
    }
    let activities = in_guide_order(index, guide.map(|g| &docs[g]), &mut diags);
    if activities.is_empty() {
        return (Vec::new(), diags);
    }
    let used: BTreeSet<Format> = parts.iter().flat_map(|d| d.parsed.formats()).collect();
    let formats: Vec<Option<Format>> = if used.is_empty() {
        vec![None]
    } else {
        Format::ALL.iter().copied().map(Some).collect()
    };
    // A block error (an activity with no minutes, an unknown block name) may have left an
    // activity out: the sum would be a second message about the same mistake.
    let complete = !parts.iter().any(|d| {
        d.parsed
            .diagnostics
            .iter()
            .any(|e| e.is_error() && e.kind == Kind::Block)
    });
    let agendas = formats
        .into_iter()
        .map(|format| {
            let agenda = agenda(&activities, format);
            if complete && agenda.total != meta.duration {
                diags.push(mismatch(&activities, format, agenda.total, meta.duration));
            }
            agenda
        })
        .collect();
    (agendas, diags)
}

/// A module's activities in the order its guide shows them, which is the order the
/// session runs in: `facilitator.md`'s, with `index.md`'s where its `participant-text`
/// block stands, or after all of them when it has none. Without the block, and with
/// activities in both files, a warning says which come first and how to choose.
fn in_guide_order<'a>(
    index: &'a Doc,
    guide: Option<&'a Doc>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'a Doc, Activity)> {
    let of = |d: &'a Doc| d.parsed.activities().into_iter().map(move |a| (d, a));
    let Some(guide) = guide else {
        return of(index).collect();
    };
    let ours: Vec<(&Doc, Activity)> = of(guide).collect();
    let theirs: Vec<(&Doc, Activity)> = of(index).collect();
    let at = match guide.parsed.participant_text() {
        Some(line) => ours.partition_point(|(_, a)| a.line < line),
        None => {
            if let (Some((_, first)), false) = (ours.first(), theirs.is_empty()) {
                diags.push(
                    Diagnostic::warning(
                        Kind::Agenda,
                        &guide.source.file,
                        "this file and the module's `index.md` both have activities, so the agenda lists this file's first and `index.md`'s after them",
                    )
                    .at(&guide.source.text, first.line, 1)
                    .hint("put a `::: participant-text` line and a `:::` line where the participant page's activities happen in the session; the guide shows that page there too"),
                );
            }
            ours.len()
        }
    };
    let mut all = ours;
    let after = all.split_off(at);
    all.extend(theirs);
    all.extend(after);
    all
}

/// The activities of one format (and those of every format) in order, timed.
fn agenda(activities: &[(&Doc, Activity)], format: Option<Format>) -> Agenda {
    let mut rows = Vec::new();
    let mut total: u32 = 0;
    for (_, a) in activities
        .iter()
        .filter(|(_, a)| a.format.is_none() || a.format == format)
    {
        rows.push(AgendaRow {
            start: total,
            title: a.title.clone(),
            minutes: a.minutes,
            running_total: total.saturating_add(a.minutes),
        });
        total = total.saturating_add(a.minutes);
    }
    Agenda {
        format,
        rows,
        total,
    }
}

/// The warning for activities that add up to other than the module's `duration`, at the
/// last activity, where an author would add or trim one.
fn mismatch(
    activities: &[(&Doc, Activity)],
    format: Option<Format>,
    total: u32,
    duration: u32,
) -> Diagnostic {
    let (doc, last) = activities
        .last()
        .expect("a module with an agenda has activities");
    let which = match format {
        Some(f) => format!("the `{}` activities", f.as_str()),
        None => "the activities".to_owned(),
    };
    Diagnostic::warning(
        Kind::Agenda,
        &doc.source.file,
        format!("{which} add up to {total} minutes, but the module's `duration` is {duration}"),
    )
    .at(&doc.source.text, last.line, 1)
    .hint("change an activity's `minutes`, or the `duration` in the module's index.md")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;
    use crate::site::testing::{HANDOUT, MODULE, languages, source};
    use crate::site::{index, loc};

    fn docs(list: &[(&str, &str, &str, &str)]) -> Vec<Doc> {
        list.iter()
            .map(|(lang, path, front, body)| {
                let source = source(lang, path, front, body);
                Doc {
                    parsed: markdown::parse(loc(&source)).into(),
                    checked: Vec::new().into(),
                    source,
                    url: String::new(),
                }
            })
            .collect()
    }

    #[test]
    fn handouts_follow_the_source_order_then_the_translations_own() {
        let docs = docs(&[
            ("en", "modules/01-a/index.md", MODULE, ""),
            ("en", "modules/01-a/handouts/b.md", HANDOUT, ""),
            ("en", "modules/01-a/handouts/c.md", HANDOUT, ""),
            ("es", "modules/01-a/index.md", MODULE, ""),
            ("es", "modules/01-a/handouts/a.md", HANDOUT, ""),
            ("es", "modules/01-a/handouts/c.md", HANDOUT, ""),
            ("es", "modules/02-b/handouts/x.md", HANDOUT, ""),
        ]);
        let folders = ["01-a".to_owned(), "02-b".to_owned()];
        let (modules, diags) = modules(&docs, &index(&docs), &folders, &languages());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(modules.len(), 2);
        let es = &modules[0].langs[&Lang::new("es")];
        assert_eq!((es.index, &es.handouts[..]), (3, &[5, 4][..]));
        assert_eq!(modules[0].langs[&Lang::new("en")].handouts, [1, 2]);
        assert!(modules[1].langs.is_empty());
        assert_eq!(modules[1].number, 2);
    }

    #[test]
    fn agendas_run_on_and_say_when_they_miss_the_duration() {
        let body = "::: activity {title=\"Talk\" minutes=20}\n:::\n";
        let guide = "::: participant-text\n:::\n\n::: activity {title=\"Walk\" minutes=15 format=virtual}\n:::\n";
        let docs = docs(&[
            ("en", "modules/01-a/index.md", MODULE, body),
            ("en", "modules/01-a/facilitator.md", "", guide),
        ]);
        let (agendas, diags) = agendas(&docs, 0, Some(1));
        let totals: Vec<_> = agendas.iter().map(|a| (a.format, a.total)).collect();
        assert_eq!(
            totals,
            [(Some(Format::InPerson), 20), (Some(Format::Virtual), 35)]
        );
        assert_eq!(
            (agendas[1].rows[1].start, agendas[1].rows[1].running_total),
            (20, 35)
        );
        // 30 minutes in the index's `duration`: every format misses it.
        assert_eq!(diags.len(), Format::ALL.len(), "{diags:?}");
        assert!(diags.iter().all(|d| d.file.ends_with("facilitator.md")));
    }

    fn titles(agenda: &Agenda) -> Vec<&str> {
        agenda.rows.iter().map(|r| r.title.as_str()).collect()
    }

    #[test]
    fn the_agenda_follows_the_guide_and_its_participant_text_block() {
        let body = "::: activity {title=\"Read\" minutes=20}\n:::\n";
        let welcome = "::: activity {title=\"Welcome\" minutes=5}\n:::\n\n";
        let closing = "\n::: activity {title=\"Closing\" minutes=5}\n:::\n";
        let marked = format!("{welcome}::: participant-text\n:::\n{closing}");
        let docs = docs(&[
            ("en", "modules/01-a/index.md", MODULE, body),
            ("en", "modules/01-a/facilitator.md", "", &marked),
            ("en", "modules/02-b/index.md", MODULE, body),
            (
                "en",
                "modules/02-b/facilitator.md",
                "",
                &format!("{welcome}{closing}"),
            ),
        ]);
        let (marked, diags) = agendas(&docs, 0, Some(1));
        assert_eq!(titles(&marked[0]), ["Welcome", "Read", "Closing"]);
        assert!(
            diags
                .iter()
                .all(|d| d.kind != Kind::Agenda || d.message.contains("add up")),
            "{diags:?}"
        );
        // Without the block the guide's own come first, and a warning says how to choose.
        let (unmarked, diags) = agendas(&docs, 2, Some(3));
        assert_eq!(titles(&unmarked[0]), ["Welcome", "Closing", "Read"]);
        let warning = diags
            .iter()
            .find(|d| d.message.contains("both have activities"))
            .expect("a warning");
        assert!(warning.file.ends_with("02-b/facilitator.md"));
        assert!(
            warning.render(false).contains("::: participant-text"),
            "{}",
            warning.render(false)
        );
    }

    #[test]
    fn a_participant_text_block_in_the_participant_page_is_an_error() {
        let docs = docs(&[(
            "en",
            "modules/01-a/index.md",
            MODULE,
            "Text.\n\n::: participant-text\n:::\n",
        )]);
        let (_, diags) = agendas(&docs, 0, None);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("belongs in `facilitator.md`"));
    }

    #[test]
    fn an_activity_with_an_error_gives_no_agenda_warning_as_well() {
        let body = "::: activity {title=\"Talk\"}\n:::\n";
        let guide = "::: participant-text\n:::\n\n::: activity {title=\"Walk\" minutes=15}\n:::\n";
        let docs = docs(&[
            ("en", "modules/01-a/index.md", MODULE, body),
            ("en", "modules/01-a/facilitator.md", "", guide),
        ]);
        let (agendas, diags) = agendas(&docs, 0, Some(1));
        assert_eq!(agendas[0].total, 15, "the agenda still shows what it can");
        assert!(diags.is_empty(), "{diags:?}");
    }
}
