//! Lexicons: word lists in `lexicons/` (data, sorted, each with its source and licence),
//! parsed once into lookup tables and Aho-Corasick matchers. A user can add entries from a
//! directory holding files with the same names (`--lexicon DIR`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chrono::NaiveDate;

use crate::facts::{EventKind, PlaceKind};

/// A lexicon file: its name and bundled content.
pub const FILES: &[(&str, &str)] = &[
    ("cities.tsv", include_str!("lexicons/cities.tsv")),
    ("countries.tsv", include_str!("lexicons/countries.tsv")),
    (
        "event_triggers.tsv",
        include_str!("lexicons/event_triggers.tsv"),
    ),
    ("frame_cues.tsv", include_str!("lexicons/frame_cues.tsv")),
    ("given_names.txt", include_str!("lexicons/given_names.txt")),
    ("honorifics.txt", include_str!("lexicons/honorifics.txt")),
    (
        "named_events.tsv",
        include_str!("lexicons/named_events.tsv"),
    ),
    (
        "not_entities.txt",
        include_str!("lexicons/not_entities.txt"),
    ),
    ("org_context.tsv", include_str!("lexicons/org_context.tsv")),
    ("org_cues.txt", include_str!("lexicons/org_cues.txt")),
    (
        "organisations.tsv",
        include_str!("lexicons/organisations.tsv"),
    ),
    ("regions.tsv", include_str!("lexicons/regions.tsv")),
    (
        "title_modifiers.txt",
        include_str!("lexicons/title_modifiers.txt"),
    ),
    ("titles.tsv", include_str!("lexicons/titles.tsv")),
];

/// A place known by name.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceEntry {
    pub name: String,
    pub kind: PlaceKind,
}

/// A dated event that other dates can be counted from ("after Trump's inauguration").
#[derive(Debug, Clone, PartialEq)]
pub struct NamedEvent {
    pub key: String,
    pub date: NaiveDate,
}

/// All lexicons, ready for lookups.
pub struct Lexicon {
    /// Lower-cased name or alias → place.
    pub places: HashMap<String, PlaceEntry>,
    /// Demonym (as written) → country name.
    pub demonyms: HashMap<String, String>,
    /// Lower-cased name or alias → canonical organisation name.
    pub orgs: HashMap<String, String>,
    pub given_names: HashSet<String>,
    pub org_cues: HashSet<String>,
    pub honorifics: HashSet<String>,
    /// Capitalised words that are never entities ("GMT", "TV", "Monday").
    pub not_entities: HashSet<String>,
    /// Words right before an unknown name that make it an organisation ("rival", "firm").
    pub org_before: HashSet<String>,
    /// Words right after an unknown name that make it an organisation ("shares", "spokesman").
    pub org_after: HashSet<String>,
    /// Lower-case words that belong to a title when written before it ("political" editor).
    pub title_modifiers: HashSet<String>,
    /// Lower-case post titles.
    pub titles: HashSet<String>,
    /// Matcher over lower-cased text for post titles (leftmost-longest).
    pub title_matcher: AhoCorasick,
    pub title_list: Vec<String>,
    /// Trigger phrase → (kind, implies planned).
    pub triggers: Vec<(String, EventKind, bool)>,
    pub trigger_matcher: AhoCorasick,
    /// Frame cues (`frame_cues.tsv`): word sequences that make a trigger wished for,
    /// hypothetical or denied ("hopes to", "did not").
    pub hedges: Vec<Vec<String>>,
    /// Phrases after which the names are attendees of the gathering just told ("attended by"),
    /// as a matcher built once (overlapping matches: `events::cues::find`).
    pub attendee_cues: AhoCorasick,
    /// Descriptions of the two parties in view ("the two leaders", "both sides").
    pub group_cues: AhoCorasick,
    /// Words of a later round of talks told before ("resume", "reopen").
    pub continuation_cues: AhoCorasick,
    /// Pattern → named events it may refer to (several when a phrase is reused, e.g. two
    /// inaugurations of one president).
    pub named_event_patterns: Vec<(String, Vec<NamedEvent>)>,
    pub named_event_matcher: AhoCorasick,
    /// The tagger's one-lookup view of these lists and its gazetteers, built on first use.
    pub tagger_words: OnceLock<crate::extract::tagger::features::WordFlags>,
}

/// Why a lexicon could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{path}: cannot read lexicon: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: usize,
        message: String,
    },
}

/// Data lines of a lexicon file: (1-based line number, tab-separated columns).
fn rows<'a>(content: &'a str) -> impl Iterator<Item = (usize, Vec<&'a str>)> + 'a {
    content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

fn multi(col: Option<&&str>) -> Vec<String> {
    col.map(|c| {
        c.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn matcher(patterns: &[String]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns)
        .expect("lexicon patterns build a matcher")
}

/// A matcher that reports every occurrence, overlapping ones too (`find_overlapping_iter`), for
/// phrase lists where a shorter phrase inside a longer one may be the one on word boundaries.
fn overlapping_matcher(patterns: &[String]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .expect("lexicon patterns build a matcher")
}

fn event_kind(s: &str) -> Option<EventKind> {
    Some(match s {
        "meeting" => EventKind::Meeting,
        "talks" => EventKind::Talks,
        "visit" => EventKind::Visit,
        "briefing" => EventKind::Briefing,
        "call" => EventKind::Call,
        "announcement" => EventKind::Announcement,
        "mediation" => EventKind::Mediation,
        "agreement" => EventKind::Agreement,
        "publication" => EventKind::Publication,
        _ => return None,
    })
}

impl Lexicon {
    /// The bundled lexicons, parsed once.
    pub fn bundled() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            let files: Vec<(String, String)> = FILES
                .iter()
                .map(|(n, c)| ((*n).to_owned(), (*c).to_owned()))
                .collect();
            Lexicon::from_files(&files).expect("bundled lexicons are valid (tested)")
        })
    }

    /// The bundled lexicons plus the entries in `dir`'s files of the same names.
    pub fn with_user_dir(dir: &Path) -> Result<Lexicon, LexiconError> {
        let mut files: Vec<(String, String)> = Vec::new();
        for (name, content) in FILES {
            let mut c = (*content).to_owned();
            let user = dir.join(name);
            if user.exists() {
                let extra = std::fs::read_to_string(&user).map_err(|source| LexiconError::Io {
                    path: user.clone(),
                    source,
                })?;
                c.push('\n');
                c.push_str(&extra);
            }
            files.push(((*name).to_owned(), c));
        }
        Lexicon::from_files(&files)
    }

    fn from_files(files: &[(String, String)]) -> Result<Lexicon, LexiconError> {
        let get = |n: &str| {
            files
                .iter()
                .find(|(f, _)| f == n)
                .map_or("", |(_, c)| c.as_str())
        };
        let bad = |file: &str, line: usize, message: String| LexiconError::Line {
            file: file.to_owned(),
            line,
            message,
        };
        let mut places = HashMap::new();
        let mut demonyms = HashMap::new();
        for (line, cols) in rows(get("countries.tsv")) {
            let name = cols[0].trim().to_owned();
            if name.is_empty() {
                return Err(bad("countries.tsv", line, "empty name".into()));
            }
            let entry = PlaceEntry {
                name: name.clone(),
                kind: PlaceKind::Country,
            };
            for alias in std::iter::once(name.clone()).chain(multi(cols.get(1))) {
                places
                    .entry(alias.to_lowercase())
                    .or_insert_with(|| entry.clone());
            }
            for d in multi(cols.get(2)) {
                demonyms.insert(d, name.clone());
            }
        }
        for (file, kind) in [
            ("regions.tsv", PlaceKind::Region),
            ("cities.tsv", PlaceKind::City),
        ] {
            for (_, cols) in rows(get(file)) {
                let name = cols[0].trim().to_owned();
                // regions.tsv may mark a named site (a street, a building) as `other`.
                let kind = match cols.get(2).map(|k| k.trim()) {
                    Some("other") if file == "regions.tsv" => PlaceKind::Other,
                    _ => kind,
                };
                let entry = PlaceEntry {
                    name: name.clone(),
                    kind,
                };
                for alias in std::iter::once(name.clone()).chain(multi(cols.get(1))) {
                    places
                        .entry(alias.to_lowercase())
                        .or_insert_with(|| entry.clone());
                }
            }
        }
        let mut orgs = HashMap::new();
        for (_, cols) in rows(get("organisations.tsv")) {
            let name = cols[0].trim().to_owned();
            for alias in std::iter::once(name.clone()).chain(multi(cols.get(1))) {
                orgs.entry(alias.to_lowercase())
                    .or_insert_with(|| name.clone());
            }
        }
        let words = |n: &str| -> HashSet<String> {
            rows(get(n)).map(|(_, c)| c[0].trim().to_owned()).collect()
        };
        let given_names = words("given_names.txt");
        let org_cues = words("org_cues.txt");
        let honorifics = words("honorifics.txt");
        let not_entities = words("not_entities.txt");
        let title_modifiers = words("title_modifiers.txt");
        let mut org_before = HashSet::new();
        let mut org_after = HashSet::new();
        for (line, cols) in rows(get("org_context.tsv")) {
            match cols.get(1).map(|c| c.trim()) {
                Some("before") => org_before.insert(cols[0].trim().to_owned()),
                Some("after") => org_after.insert(cols[0].trim().to_owned()),
                _ => {
                    return Err(bad(
                        "org_context.tsv",
                        line,
                        "column 2 must be `before` or `after`".into(),
                    ))
                }
            };
        }
        let mut title_list: Vec<String> = rows(get("titles.tsv"))
            .map(|(_, c)| c[0].trim().to_lowercase())
            .collect();
        title_list.sort();
        title_list.dedup();
        let titles: HashSet<String> = title_list.iter().cloned().collect();
        let mut triggers = Vec::new();
        for (line, cols) in rows(get("event_triggers.tsv")) {
            let kind = cols
                .get(1)
                .and_then(|k| event_kind(k.trim()))
                .ok_or_else(|| {
                    bad(
                        "event_triggers.tsv",
                        line,
                        format!("unknown event kind in {cols:?}"),
                    )
                })?;
            let planned = cols.get(2).is_some_and(|p| p.trim() == "yes");
            triggers.push((cols[0].trim().to_lowercase(), kind, planned));
        }
        let (mut hedges, mut attendee_cues) = (Vec::new(), Vec::new());
        let (mut group_cues, mut continuation_cues) = (Vec::new(), Vec::new());
        for (line, cols) in rows(get("frame_cues.tsv")) {
            let phrase = cols[0].trim().to_lowercase();
            match cols.get(1).map(|c| c.trim()) {
                Some("hedge") => hedges.push(phrase.split(' ').map(str::to_owned).collect()),
                Some("attendees") => attendee_cues.push(phrase),
                Some("group") => group_cues.push(phrase),
                Some("continuation") => continuation_cues.push(phrase),
                _ => {
                    return Err(bad(
                        "frame_cues.tsv",
                        line,
                        "column 2 must be `hedge`, `attendees`, `group` or `continuation`".into(),
                    ))
                }
            }
        }
        let mut by_pattern: HashMap<String, Vec<NamedEvent>> = HashMap::new();
        for (line, cols) in rows(get("named_events.tsv")) {
            let date = cols
                .get(1)
                .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                .ok_or_else(|| {
                    bad(
                        "named_events.tsv",
                        line,
                        "expected a YYYY-MM-DD date in column 2".into(),
                    )
                })?;
            let ev = NamedEvent {
                key: cols[0].trim().to_owned(),
                date,
            };
            for p in multi(cols.get(2)) {
                by_pattern
                    .entry(p.to_lowercase())
                    .or_default()
                    .push(ev.clone());
            }
        }
        let mut named_event_patterns: Vec<(String, Vec<NamedEvent>)> =
            by_pattern.into_iter().collect();
        named_event_patterns.sort_by(|a, b| a.0.cmp(&b.0));
        let title_matcher = matcher(&title_list);
        let trigger_matcher = matcher(&triggers.iter().map(|t| t.0.clone()).collect::<Vec<_>>());
        let named_event_matcher = matcher(
            &named_event_patterns
                .iter()
                .map(|p| p.0.clone())
                .collect::<Vec<_>>(),
        );
        Ok(Lexicon {
            places,
            demonyms,
            orgs,
            given_names,
            org_cues,
            honorifics,
            not_entities,
            org_before,
            org_after,
            title_modifiers,
            titles,
            title_matcher,
            title_list,
            triggers,
            trigger_matcher,
            hedges,
            attendee_cues: overlapping_matcher(&attendee_cues),
            group_cues: overlapping_matcher(&group_cues),
            continuation_cues: overlapping_matcher(&continuation_cues),
            named_event_patterns,
            named_event_matcher,
            tagger_words: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lexicon file keeps its data lines sorted (byte order) with unique keys, and
    /// starts with a comment naming its source and licence.
    #[test]
    fn lexicon_files_are_sorted_unique_and_sourced() {
        for (name, content) in FILES {
            assert!(
                content.starts_with('#'),
                "{name} must start with a header comment"
            );
            let header: String = content.lines().take_while(|l| l.starts_with('#')).collect();
            let lower = header.to_lowercase();
            assert!(lower.contains("source"), "{name}: header names no source");
            assert!(lower.contains("licen"), "{name}: header names no licence");
            let keys: Vec<&str> = rows(content).map(|(_, c)| c[0]).collect();
            for w in keys.windows(2) {
                assert!(
                    w[0] < w[1],
                    "{name}: {:?} must sort after {:?} (and be unique)",
                    w[1],
                    w[0]
                );
            }
        }
    }

    /// Regression: a lexicon file added to the folder but not to `FILES` was silently unused.
    #[test]
    fn every_lexicon_file_is_bundled() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/extract/lexicons");
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".tsv") || name.ends_with(".txt") {
                assert!(
                    FILES.iter().any(|(f, _)| *f == name),
                    "{name} is not in FILES"
                );
            }
        }
    }

    #[test]
    fn bundled_lexicon_loads() {
        let lex = Lexicon::bundled();
        assert_eq!(lex.places["türkiye"].kind, PlaceKind::Country);
        assert_eq!(lex.places["turkey"].name, lex.places["türkiye"].name);
        assert_eq!(lex.places["us"].name, "United States");
        assert!(lex.titles.contains("president"));
        assert!(lex.given_names.contains("Michael"));
    }
}
