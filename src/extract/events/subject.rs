//! Who a trigger's clause is about when the text does not name them there: a pronoun subject
//! ("He also flew to Basra", "..., when he met parents") resolved to the nearest person named
//! before it, companions of a visit ("on a visit with NAME"), the setting of a visit written
//! before it ("in Bromsgrove ... while on a visit"), and whether "call" has a named object.

use super::super::lexicon::Lexicon;
use super::super::mentions::Mentions;
use super::super::posts::{MentionRun, PostDraft};
use super::super::text::Doc;
use crate::facts::EntityKind;

/// Words that open a subordinate or coordinate clause with its own subject.
const CLAUSE_OPENERS: &[&str] = &[
    "when", "as", "where", "while", "after", "before", "because", "and", "but", "since",
];

/// Words allowed between a pronoun subject and its trigger ("he also flew", "she has met").
const BETWEEN: &[&str] = &[
    "also",
    "later",
    "then",
    "has",
    "had",
    "have",
    "will",
    "would",
    "is",
    "was",
    "briefly",
    "again",
    "first",
    "recently",
    "previously",
    "already",
    "to",
    "due",
    "set",
];

/// Words allowed between a pronoun subject and a noun trigger ("he opened a week-long visit",
/// "she made a surprise trip").
const BEFORE_NOUN: &[&str] = &[
    "a",
    "an",
    "began",
    "brief",
    "concluded",
    "ended",
    "her",
    "his",
    "made",
    "official",
    "opened",
    "paid",
    "short",
    "started",
    "surprise",
    "working",
];

/// A "he"/"she" subject right before the trigger starting at byte `tstart` ("they" is often a
/// group, so it is left alone), within the sentence starting at token `s0`: (pronoun token,
/// byte start of the clause it opens). The clause starts at the opener before the pronoun
/// ("when he met"), else at the pronoun.
///
/// A description by title stands in the same place: "Later the minister held talks with
/// ...", "the secretary-general met ...": "the", at most one word, then a title of the lexicon.
pub fn pronoun_before(
    doc: &Doc,
    lex: &Lexicon,
    s0: usize,
    tstart: usize,
) -> Option<(usize, usize)> {
    let t = doc.tokens.partition_point(|t| t.start < tstart);
    // "he opened a week-long visit to", "he made a surprise trip to": a noun trigger stands
    // further from its subject.
    let noun = t < doc.tokens.len() && matches!(doc.tok(t), "visit" | "trip" | "tour");
    let mut k = t;
    for _ in 0..if noun { 6 } else { 4 } {
        if k <= s0 {
            return None;
        }
        let w = doc.tok(k - 1).to_lowercase();
        if let Some(the) = described_by_title(doc, lex, s0, k - 1) {
            return Some((the, doc.tokens[the].start));
        }
        if matches!(w.as_str(), "he" | "she") {
            let p = k - 1;
            let open = (p > s0 && CLAUSE_OPENERS.contains(&doc.tok(p - 1).to_lowercase().as_str()))
                .then(|| doc.tokens[p - 1].start);
            return Some((p, open.unwrap_or(doc.tokens[p].start)));
        }
        let before_noun = noun
            && (BEFORE_NOUN.contains(&w.as_str()) || w.ends_with("-day") || w.ends_with("-long"));
        if !BETWEEN.contains(&w.as_str()) && !before_noun {
            return None;
        }
        k -= 1;
    }
    None
}

/// The person a pronoun at token `p` refers to: the nearest person named before it, in its
/// sentence or the two before.
pub fn antecedent(doc: &Doc, m: &Mentions, runs: &[MentionRun], p: usize) -> Option<usize> {
    let here = doc.sentence_of(p);
    runs.iter()
        .rev()
        .filter(|r| r.b <= p)
        .take_while(|r| doc.sentence_of(r.a) + 2 >= here)
        .find(|r| m.entities[r.entity].kind == EntityKind::Person)
        .map(|r| r.entity)
}

/// "on a visit", "during his trip": the visit is the setting of what the sentence reports, so
/// a place written before it ("in Bromsgrove") is where it was.
pub fn visit_as_setting(lower_head: &str) -> bool {
    let words: Vec<&str> = lower_head.split_whitespace().rev().take(2).collect();
    matches!(words.as_slice(), [det, prep]
        if matches!(*det, "a" | "his" | "her" | "their" | "an")
            && matches!(*prep, "on" | "during"))
}

/// "a visit with NAME", "trip with NAME": the noun trigger is followed directly by "with", so
/// the people after it travel along.
pub fn companions_follow(lower_from_trigger: &str) -> bool {
    let mut w = lower_from_trigger.split_whitespace();
    matches!(w.next(), Some("visit" | "trip" | "tour")) && w.next() == Some("with")
}

/// "called Mr Blair", "calls with the Kremlin": a call verb needs "with"/"between" or a named
/// person or organisation as object ("which he calls \"good fun\"" is no call).
pub fn call_has_object(doc: &Doc, m: &Mentions, after_byte: usize) -> bool {
    let mut k = doc.tokens.partition_point(|t| t.start < after_byte);
    if k < doc.tokens.len() && matches!(doc.tok(k).to_lowercase().as_str(), "with" | "between") {
        return true;
    }
    while k < doc.tokens.len()
        && (doc.tok(k).eq_ignore_ascii_case("the")
            || (doc.tok(k).chars().next().is_some_and(char::is_uppercase)
                && m.token_entity[k].is_none()))
    {
        k += 1;
    }
    m.token_entity.get(k).copied().flatten().is_some_and(|e| {
        matches!(
            m.entities[e].kind,
            EntityKind::Person | EntityKind::Organisation
        )
    })
}

/// The person or organisation right after byte `after_byte`, past a title written before it
/// ("received Minister of Foreign Affairs of Georgia Nino Kavtaradze", "welcomed the
/// delegation of Acme Corp" is not: a lower-case noun ends the search).
pub fn named_object(doc: &Doc, m: &Mentions, after_byte: usize) -> bool {
    let mut k = doc.tokens.partition_point(|t| t.start < after_byte);
    let end = (k + 12).min(doc.tokens.len());
    while k < end {
        if let Some(e) = m.token_entity[k] {
            match m.entities[e].kind {
                EntityKind::Person | EntityKind::Organisation => return true,
                // "Minister of Foreign Affairs of Georgia NAME": the country is in the title.
                EntityKind::Place => {}
            }
        } else {
            let w = doc.tok(k);
            let title_word = w.eq_ignore_ascii_case("the")
                || matches!(w, "of" | "for" | "and" | "'s")
                || w.chars().next().is_some_and(char::is_uppercase);
            if !title_word {
                return false;
            }
        }
        k += 1;
    }
    false
}

/// "was received at the airport by NAME": a named person or organisation after "by" in the
/// few words after byte `after_byte`.
pub fn named_agent(doc: &Doc, m: &Mentions, after_byte: usize) -> bool {
    let k = doc.tokens.partition_point(|t| t.start < after_byte);
    let s_end = doc.sentences[doc.sentence_of(k.min(doc.tokens.len() - 1))]
        .tokens
        .1;
    (k..(k + 8).min(s_end))
        .find(|&i| doc.tok(i) == "by")
        .is_some_and(|i| named_object(doc, m, doc.tokens[i].end))
}

/// "the minister", "the 60-year-old actor", "the secretary-general" ending at token `i`: the
/// token of its "the". The title is lower case (a capitalised one is part of a name's run).
fn described_by_title(doc: &Doc, lex: &Lexicon, s0: usize, i: usize) -> Option<usize> {
    let w = doc.tok(i);
    if !w.chars().next().is_some_and(char::is_lowercase) || !lex.titles.contains(w) {
        return None;
    }
    (1..=2)
        .filter_map(|d| i.checked_sub(d))
        .filter(|&j| j >= s0)
        .find(|&j| doc.tok(j).eq_ignore_ascii_case("the"))
        .filter(|&j| (j + 1..i).all(|x| doc.tok(x).chars().all(|c| !c.is_uppercase())))
}

/// "On a visit to India, the 60-year-old actor said": the subject of the clause after the
/// comma that follows a visit told as a setting (token range of the sentence `s0..s1`, the
/// trigger at byte `tstart`). A name there is the visitor; a pronoun or a description by
/// title stands for the nearest person named before it.
pub fn subject_after_setting(
    doc: &Doc,
    lex: &Lexicon,
    m: &Mentions,
    runs: &[MentionRun],
    posts: &[PostDraft],
    (s0, s1): (usize, usize),
    tstart: usize,
) -> Option<usize> {
    let t = doc.tokens.partition_point(|t| t.start < tstart);
    let comma = (t..s1.min(t + 12)).find(|&k| doc.tok(k) == ",")?;
    let k = comma + 1;
    if k >= s1 {
        return None;
    }
    if let Some(e) = m.token_entity[k].filter(|&e| m.entities[e].kind == EntityKind::Person) {
        return Some(e);
    }
    if matches!(doc.tok(k), "he" | "she") {
        return antecedent(doc, m, runs, k);
    }
    (k + 1..(k + 4).min(s1))
        .find(|&i| described_by_title(doc, lex, s0, i) == Some(k))
        .and_then(|_| holder_in_view(doc, lex, m, runs, posts, k))
}

/// The person a description by title at token `the` ("the minister", "the 60-year-old actor")
/// stands for: the holder of a post with that head word who was named last before it, else the
/// nearest person named before it ([`antecedent`]).
pub fn holder_in_view(
    doc: &Doc,
    lex: &Lexicon,
    m: &Mentions,
    runs: &[MentionRun],
    posts: &[PostDraft],
    the: usize,
) -> Option<usize> {
    let head = (the + 1..(the + 4).min(doc.tokens.len()))
        .map(|k| doc.tok(k))
        .find(|w| w.chars().next().is_some_and(char::is_lowercase) && lex.titles.contains(*w));
    let holders: Vec<usize> = head
        .map(|h| {
            posts
                .iter()
                .filter(|p| p.title == h || p.title.ends_with(&format!(" {h}")))
                .map(|p| p.holder)
                .collect()
        })
        .unwrap_or_default();
    runs.iter()
        .rev()
        .filter(|r| r.b <= the)
        .find(|r| holders.contains(&r.entity))
        .map(|r| r.entity)
        .or_else(|| antecedent(doc, m, runs, the))
}
