//! The tagger's features: per token, hashed keys of the word, its neighbours, its shape and
//! affixes, the lexicons and gazetteers it is in, the capitalised run it belongs to; then, as the
//! tagger walks the sentence, the tags before it and what this article already called the word.
//!
//! Keys are 64-bit FNV-1a hashes of a template number and the feature's text, folded to 32
//! bits. FNV-1a is fixed by its definition (no seed, no version), so a weights file keeps its
//! meaning across builds and platforms; the weights file format is defined by it.
//!
//! Entry point: [`DocFeatures::new`], then [`DocFeatures::keys_at`] per token.

use rustc_hash::FxHashMap;

use super::gazetteer::Gazetteer;
use super::Tag;
use crate::extract::lexicon::Lexicon;
use crate::extract::text::{is_cap_word, Doc, SENTENCE_STARTERS};

/// Lower-case words that can sit inside a name between capitalised words.
const LINKS: &[&str] = &[
    "&", "'", "al", "and", "bin", "da", "de", "del", "der", "des", "di", "du", "el", "for", "ibn",
    "la", "le", "of", "van", "von",
];

/// The longest gazetteer phrase looked up, in words.
const MAX_PHRASE_WORDS: usize = 6;

/// Tokens that may be inside a name: capitalised words, and link words between them.
pub fn candidates(doc: &Doc) -> Vec<bool> {
    let mut candidate = vec![false; doc.tokens.len()];
    for s in &doc.sentences {
        let (lo, hi) = s.tokens;
        for (i, c) in candidate.iter_mut().enumerate().take(hi).skip(lo) {
            *c = doc.tokens[i].is_word && is_cap_word(doc.tok(i));
        }
        for i in lo + 1..hi.saturating_sub(1) {
            if !candidate[i]
                && LINKS.contains(&doc.tok(i))
                && candidate[i - 1]
                && is_cap_word(doc.tok(i + 1))
            {
                candidate[i] = true;
            }
        }
    }
    candidate
}

// What a token is in the lexicons and gazetteers: one bit each.
const GIVEN_LEX: u32 = 1;
const GIVEN_WORLD: u32 = 1 << 1;
const PLACE_WORD: u32 = 1 << 2;
const BIG_CITY: u32 = 1 << 3;
const ORG_WORD: u32 = 1 << 4;
const ORG_CUE: u32 = 1 << 5;
const TITLE: u32 = 1 << 6;
const DEMONYM: u32 = 1 << 7;
const HONORIFIC: u32 = 1 << 8;
const NOT_ENTITY: u32 = 1 << 9;
const STARTER: u32 = 1 << 10;
const TITLE_MODIFIER: u32 = 1 << 11;
const ORG_BEFORE: u32 = 1 << 12;
const ORG_AFTER: u32 = 1 << 13;
const FLAG_BITS: u32 = 14;

/// Every word and phrase of the lexicons and gazetteers with the bits of the lists it is in:
/// one lookup per token instead of one per list.
pub struct WordFlags {
    /// Lists matched as written (given names, demonyms, cue words, honorifics).
    raw: FxHashMap<String, u32>,
    /// Lists matched in lower case (places, organisations, titles, context words).
    lower: FxHashMap<String, u32>,
}

impl WordFlags {
    pub fn new(lex: &Lexicon, gaz: &Gazetteer) -> WordFlags {
        let mut raw: FxHashMap<String, u32> = FxHashMap::default();
        let mut lower: FxHashMap<String, u32> = FxHashMap::default();
        let add = |map: &mut FxHashMap<String, u32>, w: &str, bit: u32| {
            *map.entry(w.to_owned()).or_default() |= bit;
        };
        for w in &lex.given_names {
            add(&mut raw, w, GIVEN_LEX);
        }
        for w in &gaz.given {
            add(&mut raw, w, GIVEN_WORLD);
        }
        for w in lex.demonyms.keys() {
            add(&mut raw, w, DEMONYM);
        }
        for w in &lex.org_cues {
            add(&mut raw, w, ORG_CUE);
        }
        for w in &lex.honorifics {
            add(&mut raw, w, HONORIFIC);
            add(&mut raw, &format!("{w}."), HONORIFIC);
        }
        for w in &lex.not_entities {
            add(&mut raw, w, NOT_ENTITY);
        }
        for w in SENTENCE_STARTERS {
            add(&mut raw, w, STARTER);
        }
        for w in lex.places.keys().chain(gaz.places.iter()) {
            add(&mut lower, w, PLACE_WORD);
        }
        for w in &gaz.big_cities {
            add(&mut lower, w, BIG_CITY);
        }
        for w in lex.orgs.keys() {
            add(&mut lower, w, ORG_WORD);
        }
        for w in &lex.titles {
            add(&mut lower, w, TITLE);
        }
        for w in &lex.title_modifiers {
            add(&mut lower, w, TITLE_MODIFIER);
        }
        for w in &lex.org_before {
            add(&mut lower, w, ORG_BEFORE);
        }
        for w in &lex.org_after {
            add(&mut lower, w, ORG_AFTER);
        }
        WordFlags { raw, lower }
    }

    fn raw(&self, w: &str) -> u32 {
        self.raw.get(w).copied().unwrap_or(0)
    }

    fn lower(&self, w: &str) -> u32 {
        self.lower.get(w).copied().unwrap_or(0)
    }
}

/// A gazetteer phrase match over a token: none, or place/organisation begin/inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gaz {
    None,
    PlaceB,
    PlaceI,
    OrgB,
    OrgI,
}

/// 64-bit FNV-1a over `bytes`, continuing from `h` (start from [`FNV_OFFSET`]).
pub fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The FNV-1a offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// A feature key: template number and text parts, hashed.
fn key(template: u8, parts: &[&str]) -> u32 {
    let mut h = fnv1a(FNV_OFFSET, &[template]);
    for p in parts {
        h = fnv1a(h, p.as_bytes());
        h = fnv1a(h, &[0xff]);
    }
    (h ^ (h >> 32)) as u32
}

/// "Xx", "X", "x-Xx", "dX": the word's character classes, repeats collapsed, onto `out`.
fn push_shape(out: &mut String, w: &str) {
    let mut last = None;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if last != Some(k) {
            out.push(k);
            last = Some(k);
        }
    }
}

/// `text` in lower case, keeping every char's byte length (a char whose lower case is longer
/// or shorter, as 'İ', stays as written), so token offsets hold in both.
fn lower_aligned(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut l = c.to_lowercase();
        match (l.next(), l.next()) {
            (Some(x), None) if x.len_utf8() == c.len_utf8() => out.push(x),
            _ => out.push(c),
        }
    }
    out
}

/// The first `n` and last `n` chars of `w`.
fn affixes(w: &str, n: usize) -> (&str, &str) {
    let count = w.chars().count();
    let pre = w.char_indices().nth(n).map_or(w, |(i, _)| &w[..i]);
    let suf = w
        .char_indices()
        .nth(count.saturating_sub(n))
        .map_or("", |(i, _)| &w[i..]);
    (pre, suf)
}

/// Everything about an article's tokens that does not depend on the tags.
pub struct DocFeatures<'d> {
    doc: &'d Doc,
    /// The text in lower case, byte for byte aligned with it.
    lower_text: String,
    /// Tokens that may be inside a name: capitalised words, and link words between them.
    pub candidate: Vec<bool>,
    /// Static keys of each candidate token: `static_keys[offsets[i]..offsets[i + 1]]`.
    static_keys: Vec<u32>,
    offsets: Vec<usize>,
}

impl<'d> DocFeatures<'d> {
    pub fn new(doc: &'d Doc, lex: &Lexicon, gaz: &Gazetteer) -> DocFeatures<'d> {
        let n = doc.tokens.len();
        let candidate = candidates(doc);
        let mut sentence_initial = vec![false; n];
        for s in &doc.sentences {
            let (lo, hi) = s.tokens;
            if let Some(first) = (lo..hi).find(|&k| doc.tokens[k].is_word) {
                sentence_initial[first] = true;
            }
        }
        // Only the words within two of a candidate are ever looked at.
        let near: Vec<bool> = (0..n)
            .map(|i| (i.saturating_sub(2)..(i + 3).min(n)).any(|k| candidate[k]))
            .collect();
        let lower_text = lower_aligned(&doc.text);
        let low = |i: usize| &lower_text[doc.tokens[i].start..doc.tokens[i].end];
        let words = lex.tagger_words.get_or_init(|| WordFlags::new(lex, gaz));
        let flags: Vec<u32> = (0..n)
            .map(|i| {
                if !near[i] {
                    return 0;
                }
                let t = doc.tok(i);
                let mut f = words.raw(t) | words.lower(low(i));
                if t.contains('-') && t.split('-').any(|w| words.raw(w) & ORG_CUE != 0) {
                    f |= ORG_CUE;
                }
                f
            })
            .collect();
        // Shapes of the near words, in one buffer.
        let mut shape_buf = String::new();
        let shape_ranges: Vec<(usize, usize)> = (0..n)
            .map(|i| {
                let a = shape_buf.len();
                if near[i] {
                    push_shape(&mut shape_buf, doc.tok(i));
                }
                (a, shape_buf.len())
            })
            .collect();
        let gaz_tags = phrase_matches(doc, &lower_text, &candidate, words);
        // A title phrase ("prime minister", "chief executive") ends at this token.
        let title_ends: Vec<bool> = (0..n)
            .map(|i| {
                if i + 1 >= n || !candidate[i + 1] || !doc.tokens[i].is_word {
                    return false;
                }
                // Phrases ending at i: "minister", "foreign minister", ...
                (0..4).any(|len| {
                    i >= len && {
                        let a = doc.tokens[i - len].start;
                        words.lower(&lower_text[a..doc.tokens[i].end]) & TITLE != 0
                    }
                })
            })
            .collect();

        let mut static_keys = Vec::new();
        let mut offsets = vec![0; n + 1];
        for s in &doc.sentences {
            let (lo, hi) = s.tokens;
            let word = |k: isize| -> &str {
                if k < lo as isize {
                    "<s>"
                } else if k >= hi as isize {
                    "</s>"
                } else {
                    low(k as usize)
                }
            };
            let shape_at = |k: isize| -> &str {
                if k < lo as isize || k >= hi as isize {
                    "_"
                } else {
                    let (a, b) = shape_ranges[k as usize];
                    &shape_buf[a..b]
                }
            };
            let mut i = lo;
            while i < hi {
                if !candidate[i] {
                    offsets[i + 1] = static_keys.len();
                    i += 1;
                    continue;
                }
                // The run of candidate tokens this one is in.
                let (ra, mut rb) = (i, i);
                while rb < hi && candidate[rb] {
                    rb += 1;
                }
                let before = word(ra as isize - 1);
                let after = word(rb as isize);
                let run_len = match rb - ra {
                    1 => "1",
                    2 => "2",
                    3 => "3",
                    _ => "4+",
                };
                for k in ra..rb {
                    let ki = k as isize;
                    let w0 = low(k);
                    let (s_1, s0, s1) = (shape_at(ki - 1), shape_at(ki), shape_at(ki + 1));
                    let (pre3, suf3) = affixes(w0, 3);
                    let (_, suf4) = affixes(w0, 4);
                    let pos = if rb - ra == 1 {
                        "only"
                    } else if k == ra {
                        "first"
                    } else if k + 1 == rb {
                        "last"
                    } else {
                        "mid"
                    };
                    let out = &mut static_keys;
                    out.push(key(0, &[]));
                    out.push(key(1, &[w0]));
                    out.push(key(2, &[word(ki - 1)]));
                    out.push(key(3, &[word(ki + 1)]));
                    out.push(key(4, &[word(ki - 2)]));
                    out.push(key(5, &[word(ki + 2)]));
                    out.push(key(6, &[word(ki - 1), w0]));
                    out.push(key(7, &[w0, word(ki + 1)]));
                    out.push(key(8, &[s0]));
                    out.push(key(9, &[s_1]));
                    out.push(key(10, &[s1]));
                    out.push(key(11, &[s_1, s0, s1]));
                    out.push(key(12, &[pre3]));
                    out.push(key(13, &[suf3]));
                    out.push(key(14, &[suf4]));
                    if sentence_initial[k] {
                        out.push(key(15, &[s0]));
                        out.push(key(16, &[w0]));
                    }
                    for bit in 0..FLAG_BITS {
                        let b = 1 << bit;
                        let name = [bit as u8 + b'a'];
                        let name = std::str::from_utf8(&name).unwrap_or("?");
                        if flags[k] & b != 0 {
                            out.push(key(17, &[name]));
                        }
                        if k > lo && flags[k - 1] & b != 0 {
                            out.push(key(18, &[name]));
                        }
                        if k + 1 < hi && flags[k + 1] & b != 0 {
                            out.push(key(19, &[name]));
                        }
                    }
                    let g = |k: usize| match gaz_tags[k] {
                        Gaz::None => "-",
                        Gaz::PlaceB => "PB",
                        Gaz::PlaceI => "PI",
                        Gaz::OrgB => "OB",
                        Gaz::OrgI => "OI",
                    };
                    out.push(key(20, &[g(k)]));
                    if k > lo {
                        out.push(key(21, &[g(k - 1)]));
                    }
                    if k + 1 < hi {
                        out.push(key(22, &[g(k + 1)]));
                    }
                    if k > 0 && title_ends[k - 1] {
                        out.push(key(23, &[]));
                    }
                    out.push(key(24, &[before]));
                    out.push(key(25, &[after]));
                    out.push(key(26, &[run_len, pos]));
                    out.push(key(27, &[before, pos]));
                    out.push(key(28, &[after, pos]));
                    if k + 1 < hi && doc.tok(k + 1) == "'s" {
                        out.push(key(29, &[]));
                    }
                    offsets[k + 1] = static_keys.len();
                }
                i = rb;
            }
        }
        // Tokens outside every sentence keep empty ranges.
        for i in 1..=n {
            offsets[i] = offsets[i].max(offsets[i - 1]);
        }
        DocFeatures {
            doc,
            lower_text,
            candidate,
            static_keys,
            offsets,
        }
    }

    /// The lower-cased token `i`.
    pub fn lower(&self, i: usize) -> &str {
        let t = self.doc.tokens[i];
        &self.lower_text[t.start..t.end]
    }

    /// The document being tagged.
    pub fn doc(&self) -> &Doc {
        self.doc
    }

    /// All keys of candidate token `i`, given the two tags before it and what the article
    /// called this word before (`seen`), into `out` (cleared first).
    pub fn keys_at(&self, i: usize, prev: Tag, prev2: Tag, seen: Option<Tag>, out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self.static_keys[self.offsets[i]..self.offsets[i + 1]]);
        let (p, p2) = (prev.as_str(), prev2.as_str());
        out.push(key(40, &[p]));
        out.push(key(41, &[p2, p]));
        out.push(key(42, &[p, self.lower(i)]));
        let seen = seen.map_or("none", |t| t.kind_str());
        out.push(key(43, &[seen]));
        out.push(key(44, &[seen, p]));
    }
}

/// What the article already called each word: its kind when it was last tagged.
#[derive(Default)]
pub struct History<'a> {
    seen: FxHashMap<&'a str, Tag>,
}

impl<'a> History<'a> {
    pub fn get(&self, word: &str) -> Option<Tag> {
        self.seen.get(word).copied()
    }
    pub fn record(&mut self, word: &'a str, tag: Tag) {
        self.seen.insert(word, tag);
    }
}

/// Longest matches of gazetteer phrases (places; the lexicon's organisations) over runs of
/// candidate tokens.
fn phrase_matches(doc: &Doc, lower_text: &str, candidate: &[bool], words: &WordFlags) -> Vec<Gaz> {
    let n = doc.tokens.len();
    let mut out = vec![Gaz::None; n];
    let mut i = 0;
    while i < n {
        if !candidate[i] {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, bool)> = None;
        let mut j = i;
        while j < n && j < i + MAX_PHRASE_WORDS && candidate[j] {
            let f = words.lower(&lower_text[doc.tokens[i].start..doc.tokens[j].end]);
            if f & ORG_WORD != 0 {
                best = Some((j + 1, false));
            } else if f & PLACE_WORD != 0 {
                best = Some((j + 1, true));
            }
            j += 1;
        }
        match best {
            Some((end, place)) => {
                for (k, slot) in out.iter_mut().enumerate().take(end).skip(i) {
                    *slot = match (place, k == i) {
                        (true, true) => Gaz::PlaceB,
                        (true, false) => Gaz::PlaceI,
                        (false, true) => Gaz::OrgB,
                        (false, false) => Gaz::OrgI,
                    };
                }
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        let shape = |w: &str| {
            let mut s = String::new();
            push_shape(&mut s, w);
            s
        };
        assert_eq!(shape("Ilham"), "Xx");
        assert_eq!(shape("NATO"), "X");
        assert_eq!(shape("al-Assad"), "x-Xx");
        assert_eq!(shape("0530GMT"), "dX");
        assert_eq!(lower_aligned("İstanbul ÇAĞ"), "İstanbul çağ");
        assert_eq!(affixes("aliyev", 3), ("ali", "yev"));
        assert_eq!(affixes("ab", 3), ("ab", "ab"));
    }

    #[test]
    fn keys_are_fixed_by_the_algorithm() {
        // FNV-1a is fixed by its definition: a weights file keeps its meaning across builds.
        assert_eq!(key(1, &["baku"]), key(1, &["baku"]));
        assert_ne!(key(1, &["baku"]), key(2, &["baku"]));
        // The published test vectors of 64-bit FNV-1a.
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn link_words_join_capitalised_words_only() {
        let doc = Doc::new("The Bank of England said of it that Osama bin Laden left.");
        let candidate = candidates(&doc);
        let cand: Vec<&str> = (0..doc.tokens.len())
            .filter(|&i| candidate[i])
            .map(|i| doc.tok(i))
            .collect();
        assert_eq!(
            cand,
            ["The", "Bank", "of", "England", "Osama", "bin", "Laden"]
        );
    }
}
