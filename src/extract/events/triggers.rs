//! The trigger words of a sentence ([`scan`]) and whether each is used in the sense of an
//! event (`trigger_sense`: not "hoping for talks", "criteria had to be met", "called for");
//! also the clause a trigger stands in and the topic phrases of a sentence.

use std::sync::OnceLock;

use regex::Regex;

use super::{hedge, subject, Trigger};
use crate::extract::lexicon::Lexicon;
use crate::extract::mentions::Mentions;
use crate::extract::text::{Doc, Sentence};
use crate::facts::EventKind;

/// The sentence's triggers on word boundaries, in the sense of an event, highest priority first.
pub(super) fn scan(
    doc: &Doc,
    lex: &Lexicon,
    m: &Mentions,
    sent: &Sentence,
    text: &str,
    lower: &str,
) -> Vec<Trigger> {
    let mut hits: Vec<Trigger> = Vec::new();
    for h in lex.trigger_matcher.find_iter(lower) {
        let before_ok =
            h.start() == 0 || !lower[..h.start()].ends_with(|c: char| c.is_alphanumeric());
        let after_ok = !lower[h.end()..].starts_with(|c: char| c.is_alphanumeric());
        if !(before_ok && after_ok) {
            continue;
        }
        let (word, kind, planned) = lex.triggers[h.pattern().as_usize()].clone();
        if !trigger_sense(doc, m, lower, h.start(), h.end(), sent.start, &word) {
            continue;
        }
        if kind.is_meeting_like() && hedge::hedged(lex, &words_before(lower, h.start())) {
            continue;
        }
        // "the Downing Street talks", "the Geneva meeting": a definite reference whose
        // modifier is a name.
        let before = strip_names(&text[..h.start()]).to_lowercase();
        let before = before.trim_end();
        let definite = ["the", "this", "that", "their", "these", "those", "its"]
            .iter()
            .any(|d| before.ends_with(&format!(" {d}")) || before == *d);
        // "ahead of talks with ...": the event is still to come.
        let planned = planned || before.ends_with("ahead of");
        hits.push(Trigger {
            start: h.start() + sent.start,
            kind,
            planned,
            definite,
        });
    }
    hits.sort_by_key(|h| std::cmp::Reverse(priority(h.kind)));
    hits
}

/// Byte ranges (in the document) of the topic phrases of a sentence: "to discuss X".
pub(super) fn topics(text: &str, sent_start: usize) -> Vec<(usize, usize)> {
    topic_re()
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|g| (g.start() + sent_start, g.end() + sent_start))
        .collect()
}

fn priority(k: EventKind) -> u8 {
    match k {
        EventKind::Talks => 9,
        EventKind::Meeting => 8,
        EventKind::Call => 7,
        EventKind::Briefing => 6,
        EventKind::Mediation => 5,
        EventKind::Visit => 4,
        EventKind::Agreement => 3,
        EventKind::Announcement => 2,
        EventKind::Publication => 1,
        EventKind::Other => 0,
    }
}

fn topic_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:discussions? on|talks on|focused on|focusing on|to discuss|discussed|regarding|concerning|on the subject of)\s+([^,;.]+)")
            .expect("regex")
    })
}

pub(super) fn planned_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:scheduled|will|(?:is|are) to (?:hold|meet|visit|host|travel|begin|start|open|resume)|is due to|are due to|is set to|are set to|plans to|planned|planning to|is expected to|are expected to|upcoming|next week|next month|to be held)\b")
            .expect("regex")
    })
}

pub(super) fn plural_title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b((?i:presidents|prime ministers|foreign ministers|leaders|ministers|heads of state)) of (?:the )?([A-Z][\w.-]*(?: [A-Z][\w.-]*)*) and (?:the )?([A-Z][\w.-]*(?: [A-Z][\w.-]*)*)")
            .expect("regex")
    })
}

/// `s` without the capitalised words (and possessives) at its end: "... the Downing Street"
/// → "... the".
pub(super) fn strip_names(s: &str) -> &str {
    let mut t = s.trim_end();
    loop {
        let word_start = t.rfind(' ').map_or(0, |p| p + 1);
        let w = &t[word_start..];
        let w = w.strip_suffix("'s").unwrap_or(w);
        if word_start > 0 && w.chars().next().is_some_and(char::is_uppercase) {
            t = t[..word_start].trim_end();
        } else {
            return t;
        }
    }
}

/// The words of `lower` before byte `a`, in order (hyphens and apostrophes kept in words).
pub(super) fn words_before(lower: &str, a: usize) -> Vec<&str> {
    lower[..a]
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Index of the first token starting at or after byte `b`.
pub(super) fn token_at(doc: &Doc, b: usize) -> usize {
    doc.tokens.partition_point(|t| t.start < b)
}

/// False when a trigger word is used in another sense here: a desired or hypothetical contact
/// ("hoping for talks", "a proponent of talks", "no plans to hold a news conference"), a
/// passive "met"/"received" ("criteria had to be met", "no approach has been received"),
/// "called on/for", or "welcomed the move" (a welcome needs a person or organisation).
fn trigger_sense(
    doc: &Doc,
    m: &Mentions,
    lower: &str,
    a: usize,
    b: usize,
    sent_start: usize,
    word: &str,
) -> bool {
    let before = words_before(lower, a);
    let after: Vec<&str> = lower[b..]
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .take(2)
        .collect();
    // Skip names and adjectives written between the preposition and a noun trigger:
    // "hoping for O'Neill talks", "demand for membership talks".
    let orig = &doc.text[sent_start..sent_start + a];
    let stripped = strip_names(orig).to_lowercase();
    let prev_words: Vec<&str> = stripped.split_whitespace().rev().take(3).collect();
    let prev = prev_words.first().copied().unwrap_or("");
    let prev2 = prev_words.get(1).copied().unwrap_or("");
    let noun = matches!(
        word,
        "talks"
            | "meeting"
            | "meetings"
            | "discussions"
            | "negotiations"
            | "summit"
            | "visit"
            | "news conference"
            | "press conference"
            | "conference"
    );
    // "hoping for talks", "open for talks", "demand for talks" (not "arrived for meetings").
    let wish = matches!(
        prev2,
        "hoping"
            | "hope"
            | "hopes"
            | "call"
            | "calls"
            | "calling"
            | "called"
            | "demand"
            | "demands"
            | "demanding"
            | "open"
            | "push"
            | "pushing"
            | "pressing"
            | "plea"
            | "appeal"
            | "ready"
            | "waiting"
            | "wait"
            | "bid"
    );
    if noun && ((prev == "for" && wish) || (prev == "to" && prev2 == "start")) {
        return false;
    }
    if noun
        && prev == "of"
        && matches!(
            prev2,
            "proponent" | "advocate" | "idea" | "prospect" | "possibility" | "hope" | "chance"
        )
    {
        return false;
    }
    // "no plans for Mr Blair to hold a daily news conference", "refused to meet".
    let clause: Vec<&str> = before.iter().rev().take(8).copied().collect();
    if clause.windows(2).any(|w| {
        matches!(
            (w[1], w[0]),
            ("no", "plans") | ("no", "plan") | ("refused", "to") | ("declined", "to")
        )
    }) {
        return false;
    }
    // "statistics gathered by Websidestory": collected, not a gathering.
    if word == "gathered" && after.first() == Some(&"by") {
        return false;
    }
    let last = before.last().copied().unwrap_or("");
    // "criteria had to be met" is no meeting; "was received at the airport by NAME" is one.
    if matches!(
        word,
        "met" | "received" | "meet" | "receive" | "welcomed" | "greeted"
    ) && matches!(
        last,
        "be" | "been" | "being" | "is" | "are" | "was" | "were"
    ) && !(matches!(word, "received" | "welcomed" | "greeted")
        && subject::named_agent(doc, m, sent_start + b))
    {
        return false;
    }
    if matches!(word, "call" | "called" | "calls")
        && (matches!(
            after.first().copied(),
            Some("on" | "for" | "off" | "it" | "the")
        ) || !subject::call_has_object(doc, m, sent_start + b))
    {
        return false;
    }
    // "welcomed the move" / "received a letter": these need a named person or organisation
    // as object.
    if matches!(
        word,
        "welcomed"
            | "welcomes"
            | "greeted"
            | "greets"
            | "received"
            | "receives"
            | "receive"
            | "receiving"
    ) {
        let passive = matches!(last, "is" | "are" | "was" | "were" | "been" | "being");
        if !passive && !subject::named_object(doc, m, sent_start + b) {
            return false;
        }
    }
    true
}

/// Byte offset (within the sentence) where the clause holding a trigger at `t` starts: after
/// the last "that", "says" or "said" before it, unless a pronoun follows ("said he met") —
/// then the speaker is the one who took part.
pub(super) fn clause_start(lower: &str, t: usize) -> usize {
    let head = &lower[..t];
    let mut start = 0;
    for b in [" that ", " says ", " said ", " say "] {
        if let Some(p) = head.rfind(b) {
            let rest = &head[p + b.len()..];
            let pronoun = ["he ", "she ", "they ", "we ", "i "]
                .iter()
                .any(|w| rest.starts_with(w));
            if !pronoun {
                start = start.max(p + b.len());
            }
        }
    }
    start
}
