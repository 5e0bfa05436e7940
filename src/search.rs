//! Search indexes. Each language gets an index of its participant pages and handouts, and
//! apart, one of its facilitator guides (`pages::search` fills and writes them). Words are folded (case and accents: `límites` is
//! `limites`), stop words are dropped, and each word is stemmed with the language's
//! Snowball stemmer (`rust-stemmers`), so `límites` and `limite` meet at `limit`.
//!
//! The index is written as plain scripts (see [`Index::to_parts`]) that a page loads
//! when its search box is first used: a script file works from any sub-path and from
//! `file://`, where `fetch`, modules and WebAssembly are refused. It comes in parts (the
//! entries; the words by first letter; the excerpts), so a query loads what it needs. The browser needs no
//! stemmer of its own: a query word matches the words the index has, exactly (which
//! ranks first) or through the longest stem the word starts with (`boundaries` starts
//! with `boundari`, the stem of `boundary`).
//!
//! In: each document's title, where it belongs and its plain text. Out: an [`Index`].

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A posting's weight is its body count, capped here, plus [`IN_TITLE`] when the word
/// is in the title too: past eight, more occurrences say nothing new about the page.
const BODY_CAP: u32 = 8;
/// Added to a posting's weight when the word is in the entry's title.
const IN_TITLE: u32 = 10;

/// How a query word met an entry, best last: a match's tier outweighs any number of
/// occurrences, so a title match ranks above a body match, and the word itself above
/// other words of its stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    BodyStem = 1,
    BodyWord = 2,
    TitleStem = 3,
    TitleWord = 4,
}

/// One tier is worth more than the occurrences inside a tier can add up to.
const TIER_POINTS: u32 = 100;

/// Lowercase, without accents or other marks: `Límites` is `limites`, `Niño` is `nino`.
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of `text`: runs of letters and digits (an apostrophe inside a word, as in
/// `don't`, joins it).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
}

/// Reads a language's words the same way at build time for every document.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    /// Folded, so `qué` and `que` are both left out.
    stop: HashSet<String>,
}

/// One word of a text as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Folded: what a query is compared with first.
    pub word: String,
    /// The folded stem; the word itself in a language without a stemmer.
    pub stem: String,
}

impl Analyzer {
    /// The analyzer for a language code; languages without a Snowball stemmer here are
    /// folded only.
    pub fn for_lang(lang: &str) -> Analyzer {
        let base = lang.split('-').next().unwrap_or(lang);
        let (algorithm, stop) = match base {
            "en" => (Some(Algorithm::English), STOP_EN),
            "es" => (Some(Algorithm::Spanish), STOP_ES),
            _ => (None, &[][..]),
        };
        Analyzer {
            stemmer: algorithm.map(Stemmer::create),
            stop: stop.iter().map(|w| fold(w)).collect(),
        }
    }

    /// The terms of `text`, in order, stop words left out.
    pub fn terms(&self, text: &str) -> Vec<Term> {
        words(text)
            .filter_map(|w| self.term(&w.to_lowercase()))
            .collect()
    }

    /// The term of one lowercase word, or `None` for a stop word or a single letter.
    fn term(&self, lower: &str) -> Option<Term> {
        let word = fold(lower);
        if self.stop.contains(&word) || word.chars().count() < 2 {
            return None;
        }
        // Snowball reads the word with its accents (they matter in Spanish suffixes);
        // the stem is folded like the word.
        let stem = match &self.stemmer {
            Some(s) => fold(&s.stem(lower)),
            None => word.clone(),
        };
        Some(Term { word, stem })
    }

    /// The stop words, folded and sorted: the index carries them, so a query in the
    /// browser drops the same words the documents did.
    pub fn stop_words(&self) -> Vec<&str> {
        let mut words: Vec<&str> = self.stop.iter().map(String::as_str).collect();
        words.sort_unstable();
        words
    }
}

/// Whether an entry is a page of its own or a handout, for the result's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A module's page, or a plain page.
    Page,
    /// A handout.
    Handout,
    /// A facilitator guide (in the facilitator index only).
    Guide,
}

/// A document as the index lists it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// From the site root, as links in the site are (`es/limites/index.html`).
    pub url: String,
    /// Its title.
    pub title: String,
    /// Where it belongs, shown under the title ("Session 6 · Healthy Limits at Home").
    pub context: String,
    /// Page, handout or guide.
    pub kind: EntryKind,
    /// The start of its text, for the result's excerpt.
    pub excerpt: String,
}

/// One language's index: its entries (in module order, which breaks ties) and, for each
/// word, the entries it is in with a weight.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    /// By id: each folded word, its stem and its postings.
    words: Vec<Word>,
    /// Folded word to its id.
    word_ids: HashMap<String, u32>,
    /// Each lowercase form met so far, to its word's id (`None`: a stop word), so each
    /// form is folded and stemmed once however often it is written.
    forms: HashMap<String, Option<u32>>,
    /// Stem to the ids of the words that have it.
    stems: HashMap<String, Vec<u32>>,
}

/// A word of the index.
#[derive(Debug)]
struct Word {
    /// Folded.
    text: String,
    /// The stem its first form had: a word typed without its accent (`bateria`) is then
    /// grouped with the word written with it (`batería`), though Snowball stems the two
    /// apart.
    stem: String,
    /// (entry, weight), entries ascending.
    postings: Vec<(u32, u32)>,
}

impl Index {
    /// Adds a document: each word's posting records whether the title has it and how
    /// often the body does (up to eight).
    pub fn add(&mut self, analyzer: &Analyzer, entry: Entry, body: &str) {
        let id = self.entries.len() as u32;
        // Word id to (in the title, count in the body).
        let mut met: HashMap<u32, (bool, u32)> = HashMap::new();
        for (text, title) in [(entry.title.as_str(), true), (body, false)] {
            for w in words(text) {
                let Some(word) = self.word_id(analyzer, w) else {
                    continue;
                };
                let m = met.entry(word).or_default();
                match title {
                    true => m.0 = true,
                    false => m.1 += 1,
                }
            }
        }
        for (word, (in_title, in_body)) in met {
            let weight = in_body.min(BODY_CAP) + if in_title { IN_TITLE } else { 0 };
            self.words[word as usize].postings.push((id, weight));
        }
        self.entries.push(entry);
    }

    /// The id of the word `raw` is a form of, adding the word the first time; `None` for
    /// a stop word.
    fn word_id(&mut self, analyzer: &Analyzer, raw: &str) -> Option<u32> {
        // Most words are written in lowercase: those are looked up without a copy.
        if !raw.chars().any(char::is_uppercase)
            && let Some(&known) = self.forms.get(raw)
        {
            return known;
        }
        let lower = raw.to_lowercase();
        if let Some(&known) = self.forms.get(&lower) {
            return known;
        }
        let id = analyzer.term(&lower).map(|term| {
            if let Some(&id) = self.word_ids.get(&term.word) {
                return id;
            }
            // A stem keeps the first letter of its words, so each word's group is in the
            // same part of the index as the word (see `to_files`); a word whose stem
            // would not stays in a group of its own.
            let stem = match term.stem.chars().next() == term.word.chars().next() {
                true => term.stem,
                false => term.word.clone(),
            };
            let id = self.words.len() as u32;
            self.stems.entry(stem.clone()).or_default().push(id);
            self.word_ids.insert(term.word.clone(), id);
            self.words.push(Word {
                text: term.word,
                stem,
                postings: Vec::new(),
            });
            id
        });
        self.forms.insert(lower, id);
        id
    }

    /// The entries a query finds, best first. Each query word scores each entry it meets
    /// by its best tier (the word itself in the title, then another word of its stem
    /// in the title, then the word in the body, then its stem in the body), worth
    /// a hundred points a tier, plus the body's occurrences (the word's own count double)
    /// up to one less than a tier; the words' scores add up, so a page that meets more of
    /// the query ranks higher. A word the index lacks takes the longest stem it starts
    /// with. Ties keep module order. The browser's script follows this rule; it is kept
    /// here so it can be tested.
    pub fn search(&self, analyzer: &Analyzer, query: &str) -> Vec<usize> {
        let mut scores: BTreeMap<u32, u32> = BTreeMap::new();
        for term in analyzer.terms(query) {
            let stem = match self.word_ids.get(&term.word) {
                Some(&id) => Some(self.words[id as usize].stem.as_str()),
                None => self.longest_stem_in(&term.word),
            };
            // Per entry: the best tier, and the occurrences.
            let mut met: BTreeMap<u32, (Tier, u32)> = BTreeMap::new();
            let siblings = stem.and_then(|s| self.stems.get(s)).into_iter().flatten();
            for &id in siblings {
                let word = &self.words[id as usize];
                let own = word.text == term.word;
                for &(entry, weight) in &word.postings {
                    let (tier, count) = meeting(weight, own);
                    let m = met.entry(entry).or_insert((tier, 0));
                    m.0 = m.0.max(tier);
                    m.1 += count;
                }
            }
            for (entry, (tier, count)) in met {
                *scores.entry(entry).or_default() +=
                    tier as u32 * TIER_POINTS + count.min(TIER_POINTS - 1);
            }
        }
        let mut found: Vec<(u32, u32)> = scores.into_iter().collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        found.into_iter().map(|(entry, _)| entry as usize).collect()
    }

    /// The longest stem of the index that `word` starts with, of three letters or more.
    fn longest_stem_in<'a>(&self, word: &'a str) -> Option<&'a str> {
        let mut end = word.len();
        while end >= 3 {
            if word.is_char_boundary(end) && self.stems.contains_key(&word[..end]) {
                return Some(&word[..end]);
            }
            end -= 1;
        }
        None
    }

    /// The entries, in the order they were added.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The index as scripts, each registering its part for `lang` and `audience`
    /// (`participant` or `facilitator`) with `hearthSearch.add(lang, audience, part, data)`,
    /// so the first query loads the head, the part of each of its words, and the excerpts
    /// of the results it shows, never the whole index:
    ///
    /// - `head`: `{e, t, p, x}`, with `e` the entries as `[url, title, context, kind]`,
    ///   `t` the analyzer's stop words, `p` the keys of the word parts and `x` how many
    ///   excerpts an excerpt part holds;
    /// - `w-KEY`: `{w, s}`, the words starting with KEY's letter (see [`part_key`]), each
    ///   with its postings as a flat `[entry, weight, …]` list, and their stems' words;
    /// - `x-N`: the excerpts of entries `N * x` up to `(N + 1) * x`.
    ///
    /// Returned as (part name, script), the head first, then the rest in name order.
    pub fn to_parts(
        &self,
        analyzer: &Analyzer,
        lang: &str,
        audience: &str,
    ) -> Vec<(String, String)> {
        let kind = |k: EntryKind| match k {
            EntryKind::Page => "page",
            EntryKind::Handout => "handout",
            EntryKind::Guide => "guide",
        };
        // Word parts: words (in order, for the same bytes every build) and stems by key.
        let mut parts: BTreeMap<String, WordPart> = BTreeMap::new();
        let mut sorted: Vec<&Word> = self.words.iter().collect();
        sorted.sort_by(|a, b| a.text.cmp(&b.text));
        for word in sorted {
            let part = parts.entry(part_key(&word.text)).or_default();
            let flat: Vec<u32> = word.postings.iter().flat_map(|&(e, w)| [e, w]).collect();
            part.0.insert(word.text.clone(), serde_json::json!(flat));
            part.1.entry(&word.stem).or_default().push(&word.text);
        }
        let entries: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|e| serde_json::json!([e.url, e.title, e.context, kind(e.kind)]))
            .collect();
        let head = serde_json::json!({
            "e": entries,
            "t": analyzer.stop_words().join(" "),
            "p": parts.keys().collect::<Vec<_>>(),
            "x": EXCERPTS_PER_PART,
        });
        let script = |part: &str, data: serde_json::Value| {
            // `</` is written `<\/`, so the data can never close a script element.
            let data = data.to_string().replace("</", "<\\/");
            format!(
                "(window.hearthSearch=window.hearthSearch||{{q:[],add:function(){{this.q.push(arguments)}}}}).add({},{},{},{data});\n",
                serde_json::json!(lang),
                serde_json::json!(audience),
                serde_json::json!(part)
            )
        };
        let mut out = vec![("head".to_owned(), script("head", head))];
        for (n, chunk) in self.entries.chunks(EXCERPTS_PER_PART).enumerate() {
            let name = format!("x-{n}");
            let excerpts: Vec<&str> = chunk.iter().map(|e| e.excerpt.as_str()).collect();
            out.push((name.clone(), script(&name, serde_json::json!(excerpts))));
        }
        for (key, (words, stems)) in parts {
            let name = format!("w-{key}");
            let data = serde_json::json!({ "w": words, "s": stems });
            out.push((name.clone(), script(&name, data)));
        }
        out.sort_by(|a, b| (a.0 != "head").cmp(&(b.0 != "head")).then(a.0.cmp(&b.0)));
        out
    }
}

/// A word part being made: its words' postings and its stems' words.
type WordPart<'a> = (
    serde_json::Map<String, serde_json::Value>,
    BTreeMap<&'a str, Vec<&'a str>>,
);

/// How many entries' excerpts one excerpt part holds: the eight results shown at most
/// need a few small parts.
const EXCERPTS_PER_PART: usize = 32;

/// The key of the word part that holds `word` and its stem's other words: its first
/// letter, or for a letter outside ASCII, `u` and its code point in hex (`u00fe`).
pub fn part_key(word: &str) -> String {
    match word.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
        Some(c) => format!("u{:x}", c as u32),
        None => String::new(),
    }
}

/// How a posting of `weight` meets an entry, for a query word that is the posting's own
/// word (`own`) or another of its stem: the tier, and the body occurrences it adds.
fn meeting(weight: u32, own: bool) -> (Tier, u32) {
    let in_title = weight >= IN_TITLE;
    let in_body = weight % IN_TITLE;
    let tier = match (in_title, own) {
        (true, true) => Tier::TitleWord,
        (true, false) => Tier::TitleStem,
        (false, true) => Tier::BodyWord,
        (false, false) => Tier::BodyStem,
    };
    (tier, if own { in_body * 2 } else { in_body })
}

/// English words too common to tell pages apart.
const STOP_EN: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
    "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on",
    "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "to", "too", "us", "was", "we", "were", "what", "when", "which",
    "who", "will", "with", "would", "you", "your",
];

/// Spanish words too common to tell pages apart.
const STOP_ES: &[&str] = &[
    "a", "al", "algo", "como", "con", "cual", "de", "del", "desde", "donde", "e", "el", "él",
    "ella", "en", "entre", "era", "es", "esa", "ese", "eso", "esta", "está", "este", "esto", "fue",
    "ha", "han", "hay", "la", "las", "le", "les", "lo", "los", "me", "mi", "mis", "muy", "nos",
    "o", "para", "pero", "por", "que", "qué", "se", "ser", "si", "sí", "sin", "sobre", "su", "sus",
    "también", "te", "tu", "tus", "u", "un", "una", "uno", "unos", "usted", "y", "ya", "yo",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str) -> Entry {
        Entry {
            url: format!("{}/", fold(title)),
            title: title.to_owned(),
            context: String::new(),
            kind: EntryKind::Page,
            excerpt: String::new(),
        }
    }

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Límites"), "limites");
        assert_eq!(fold("NIÑO"), "nino");
        assert_eq!(fold("pingüino"), "pinguino");
        assert_eq!(fold("café"), fold("cafe\u{301}"));
    }

    #[test]
    fn words_are_stemmed_per_language_and_stop_words_dropped() {
        let es = Analyzer::for_lang("es");
        let stems: Vec<String> = es
            .terms("Los límites y el límite; limites sanos")
            .into_iter()
            .map(|t| t.stem)
            .collect();
        assert_eq!(stems[0], stems[1]);
        assert_eq!(stems[1], stems[2]);
        assert_eq!(
            stems.len(),
            4,
            "`los`, `y` and `el` are stop words: {stems:?}"
        );
        let en = Analyzer::for_lang("en");
        let t = en.terms("Boundaries and a boundary");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].stem, t[1].stem);
        assert_eq!(en.terms("don't")[0].word, "don't");
    }

    #[test]
    fn a_title_match_ranks_above_a_body_match_and_ties_keep_module_order() {
        let en = Analyzer::for_lang("en");
        let mut index = Index::default();
        index.add(&en, entry("Rest"), "Calm comes slowly.");
        index.add(&en, entry("Calm and crisis"), "A plan.");
        index.add(&en, entry("Breathing"), "Calm comes slowly.");
        assert_eq!(index.search(&en, "calm"), [1, 0, 2]);
    }

    #[test]
    fn the_same_word_ranks_above_others_of_its_stem_and_accents_do_not_matter() {
        let es = Analyzer::for_lang("es");
        let mut index = Index::default();
        index.add(&es, entry("Uno"), "Poner un límite.");
        index.add(&es, entry("Dos"), "Los límites sanos.");
        assert_eq!(index.search(&es, "límites"), [1, 0]);
        assert_eq!(index.search(&es, "limites"), [1, 0]);
        assert_eq!(index.search(&es, "LIMITE"), [0, 1]);
        assert!(index.search(&es, "cansancio").is_empty());
        // Typed without its accent, a word still finds the pages written with it.
        index.add(&es, entry("Tres"), "Cargar la batería.");
        assert_eq!(index.search(&es, "bateria"), [2]);
    }

    /// Words an author might write, with forms of one stem, accents, and capitals.
    const WORDS: &[&str] = &[
        "límite",
        "límites",
        "limites",
        "Límites",
        "calma",
        "calmado",
        "calmar",
        "cansancio",
        "cansada",
        "batería",
        "ayuda",
        "ayudar",
        "Ayudamos",
        "plan",
        "planes",
        "culpa",
    ];

    fn text(picks: &[usize]) -> String {
        picks
            .iter()
            .map(|&i| WORDS[i % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }

    proptest::proptest! {
        /// For any documents and any one-word query, the results come in tiers: the word
        /// itself in a title, then its stem in a title, then the word in a body, then its
        /// stem in a body; a document without the word's stem is never found.
        #[test]
        fn results_come_in_tiers_for_any_documents(
            docs in proptest::collection::vec(
                (proptest::collection::vec(0..100usize, 0..3), proptest::collection::vec(0..100usize, 0..12)),
                1..8,
            ),
            query in 0..100usize,
        ) {
            let es = Analyzer::for_lang("es");
            let mut index = Index::default();
            let mut analysed = Vec::new();
            for (n, (title, body)) in docs.iter().enumerate() {
                let (title, body) = (format!("T{n} {}", text(title)), text(body));
                analysed.push((es.terms(&title), es.terms(&body)));
                index.add(&es, entry(&title), &body);
            }
            let word = fold(WORDS[query % WORDS.len()]);
            // The stem the documents gave the word, if any wrote it; else the longest
            // of their stems the word starts with.
            let terms = || analysed.iter().flat_map(|(t, b)| t.iter().chain(b));
            let stem = terms().find(|t| t.word == word).map(|t| t.stem.clone()).or_else(|| {
                terms()
                    .map(|t| &t.stem)
                    .filter(|s| s.len() >= 3 && word.starts_with(s.as_str()))
                    .max_by_key(|s| s.len())
                    .cloned()
            });
            let tier = |(title, body): &(Vec<Term>, Vec<Term>)| -> u32 {
                let own = |ts: &[Term]| ts.iter().any(|t| t.word == word);
                let kin = |ts: &[Term]| ts.iter().any(|t| Some(&t.stem) == stem.as_ref());
                if own(title) { 4 } else if kin(title) { 3 } else if own(body) { 2 } else if kin(body) { 1 } else { 0 }
            };
            let found = index.search(&es, &word);
            let tiers: Vec<u32> = found.iter().map(|&e| tier(&analysed[e])).collect();
            proptest::prop_assert!(tiers.windows(2).all(|w| w[0] >= w[1]), "{word}: {tiers:?}");
            proptest::prop_assert!(tiers.iter().all(|&t| t > 0), "{word}: {tiers:?}");
            let wanted = analysed.iter().filter(|d| tier(d) > 0).count();
            proptest::prop_assert_eq!(found.len(), wanted, "{}: every document with its stem", word);
        }
    }

    #[test]
    fn a_form_the_index_lacks_finds_its_stem() {
        let en = Analyzer::for_lang("en");
        let mut index = Index::default();
        index.add(&en, entry("Limits"), "Setting a boundary.");
        assert_eq!(index.search(&en, "boundaries"), [0]);
    }

    #[test]
    fn the_scripts_register_each_part_and_cannot_close_a_script_element() {
        let en = Analyzer::for_lang("en");
        let mut index = Index::default();
        let mut rest = entry("Rest </script>");
        rest.excerpt = "Calm. Ωmega.".into();
        index.add(&en, rest, "Calm. Ωmega.");
        let parts = index.to_parts(&en, "en", "participant");
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["head", "w-c", "w-r", "w-s", "w-u3c9", "x-0"]);
        for (name, script) in &parts {
            assert!(script.starts_with("(window.hearthSearch=window.hearthSearch||"));
            assert!(script.contains(&format!(".add(\"en\",\"participant\",\"{name}\",")));
            assert!(!script.contains("</"), "{script}");
        }
        let part = |name: &str| &parts.iter().find(|(n, _)| n == name).unwrap().1;
        // The head has the entries and stop words; each word is in its letter's part.
        assert!(
            part("head").contains("\"t\":\"a about after"),
            "{}",
            part("head")
        );
        assert!(part("head").contains("\"p\":[\"c\",\"r\",\"s\",\"u3c9\"]"));
        assert!(part("w-c").contains("\"calm\":[0,1]"), "{}", part("w-c"));
        assert!(
            part("x-0").contains("[\"Calm. Ωmega.\"]"),
            "{}",
            part("x-0")
        );
    }
}
