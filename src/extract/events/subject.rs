//! Who a trigger's clause is about when the text does not name them there: a pronoun subject
//! ("He also flew to Basra", "..., when he met parents") resolved to the nearest person named
//! before it, companions of a visit ("on a visit with NAME"), the setting of a visit written
//! before it ("in Bromsgrove ... while on a visit"), and whether "call" has a named object.

use super::super::mentions::Mentions;
use super::super::posts::MentionRun;
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

/// A "he"/"she" subject right before the trigger starting at byte `tstart` ("they" is often a
/// group, so it is left alone), within the sentence starting at token `s0`: (pronoun token,
/// byte start of the clause it opens). The clause starts at the opener before the pronoun
/// ("when he met"), else at the pronoun.
pub fn pronoun_before(doc: &Doc, s0: usize, tstart: usize) -> Option<(usize, usize)> {
    let t = doc.tokens.partition_point(|t| t.start < tstart);
    let mut k = t;
    for _ in 0..4 {
        if k <= s0 {
            return None;
        }
        let w = doc.tok(k - 1).to_lowercase();
        if matches!(w.as_str(), "he" | "she") {
            let p = k - 1;
            let open = (p > s0 && CLAUSE_OPENERS.contains(&doc.tok(p - 1).to_lowercase().as_str()))
                .then(|| doc.tokens[p - 1].start);
            return Some((p, open.unwrap_or(doc.tokens[p].start)));
        }
        if !BETWEEN.contains(&w.as_str()) {
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
