//! Label normalisation for matching: NFC, ASCII transliteration, lower case, punctuation folded
//! (`Gideon Sa`ar` = `Gideon Saar`), titles and suffixes dropped (`Sen. Joe Manchin, III` =
//! `joe manchin`), nicknames mapped to given names (`Bernie` = `Bernard`).

use std::collections::HashMap;
use std::sync::OnceLock;

const NICKNAMES: &str = include_str!("nicknames.tsv");

/// Words dropped from the start of person names.
const PREFIXES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "president",
    "prime",
    "minister",
    "pm",
    "mp",
];

/// Words dropped from the end of person names.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Nickname → given name ("bernie" → "bernard"), parsed once.
fn nicknames() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        NICKNAMES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(n, g)| (n.trim(), g.trim()))
            .collect()
    })
}

pub use crate::names::words;

/// The normalised form of any label: the crate's one folding of names.
pub use crate::names::fold as label;

/// The normalised form of a person's name: titles and suffixes dropped, nicknames expanded,
/// "Surname, Given" turned around.
pub fn person(name: &str) -> String {
    let flipped = match name.split_once(',') {
        Some((last, first))
            if !first.trim().is_empty() && !SUFFIXES.contains(&label(first).as_str()) =>
        {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => name.to_owned(),
    };
    let mut w = words(&flipped);
    while w.len() > 1 && PREFIXES.contains(&w[0].as_str()) {
        w.remove(0);
    }
    while w.len() > 1 && SUFFIXES.contains(&w[w.len() - 1].as_str()) {
        w.pop();
    }
    if let Some(first) = w.first_mut() {
        if let Some(g) = nicknames().get(first.as_str()) {
            *first = (*g).to_owned();
        }
    }
    w.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(label("Gideon Sa`ar"), label("Gideon Saar"));
        assert_eq!(label("the United States"), "united states");
        assert_eq!(label("Türkiye"), "turkiye");
    }

    #[test]
    fn persons() {
        assert_eq!(person("Senator Bernie Sanders"), "bernard sanders");
        assert_eq!(person("Sanders, Bernard"), "bernard sanders");
        assert_eq!(person("Sen. Joe Manchin"), "joseph manchin");
        assert_eq!(person("Joe Manchin, III"), "joseph manchin");
        assert_eq!(person("Gideon Sa`ar"), "gideon saar");
    }

    #[test]
    fn nickname_file_is_sorted_and_sourced() {
        assert!(NICKNAMES.contains("Licence"));
        let keys: Vec<&str> = NICKNAMES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .collect();
        for w in keys.windows(2) {
            assert!(w[0] < w[1], "{} must sort after {}", w[1], w[0]);
        }
    }
}
