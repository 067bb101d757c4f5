//! Events: a trigger word in a sentence (met, talks, visited, briefed, announced, mediator...),
//! its participants (persons and organisations in the sentence, and descriptions such as "the
//! presidents of Israel and Azerbaijan" resolved through posts), the place ("in/to PLACE"),
//! the time, whether it is planned, and what it was about. A definite mention ("the meeting",
//! "their discussions") adds to the previous event instead of making a new one.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::dates::TimeMention;
use super::lexicon::Lexicon;
use super::mentions::Mentions;
use super::posts::{mention_runs, PostDraft};
use super::text::Doc;
use crate::facts::{EntityKind, EventKind, EventStatus, Role};

/// An event before ids and spans are assigned.
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub kind: EventKind,
    pub participants: Vec<(usize, Role)>,
    pub place: Option<usize>,
    pub time: Option<TimeMention>,
    pub status: EventStatus,
    pub topics: Vec<(usize, usize)>,
    /// Folded byte ranges of the evidence sentences.
    pub spans: Vec<(usize, usize)>,
    pub rule: &'static str,
    pub confidence: f64,
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

fn planned_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:scheduled|will|is due to|are due to|is set to|are set to|plans to|planned|planning to|is expected to|are expected to|upcoming|next week|next month|to be held)\b")
            .expect("regex")
    })
}

fn plural_title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b((?i:presidents|prime ministers|foreign ministers|leaders|ministers|heads of state)) of (?:the )?([A-Z][\w.-]*(?: [A-Z][\w.-]*)*) and (?:the )?([A-Z][\w.-]*(?: [A-Z][\w.-]*)*)")
            .expect("regex")
    })
}

/// Finds events sentence by sentence.
pub fn detect(
    doc: &Doc,
    lex: &Lexicon,
    m: &Mentions,
    posts: &[PostDraft],
    times: &[TimeMention],
) -> Vec<EventDraft> {
    let runs = mention_runs(m);
    let mut out: Vec<EventDraft> = Vec::new();
    for sent in &doc.sentences {
        let text = &doc.text[sent.start..sent.end];
        let lower = text.to_lowercase();
        // Triggers in the sentence, on word boundaries: (start, kind, planned, definite).
        let mut hits: Vec<(usize, EventKind, bool, bool)> = Vec::new();
        for h in lex.trigger_matcher.find_iter(&lower) {
            let before_ok =
                h.start() == 0 || !lower[..h.start()].ends_with(|c: char| c.is_alphanumeric());
            let after_ok = !lower[h.end()..].starts_with(|c: char| c.is_alphanumeric());
            if !(before_ok && after_ok) {
                continue;
            }
            let (_, kind, planned) = lex.triggers[h.pattern().as_usize()].clone();
            let before = lower[..h.start()].trim_end();
            let definite = ["the", "this", "that", "their", "these", "those", "its"]
                .iter()
                .any(|d| before.ends_with(&format!(" {d}")) || before == *d);
            hits.push((h.start() + sent.start, kind, planned, definite));
        }
        if hits.is_empty() {
            continue;
        }
        hits.sort_by_key(|h| std::cmp::Reverse(priority(h.1)));
        // Times, posts and runs are sorted by position: take this sentence's slice of each.
        let t0 = times.partition_point(|t| t.start < sent.start);
        let sent_times: Vec<&TimeMention> = times[t0..]
            .iter()
            .take_while(|t| t.start < sent.end)
            .filter(|t| t.end <= sent.end)
            .collect();
        let r0 = runs.partition_point(|r| r.a < sent.tokens.0);
        let r1 = runs.partition_point(|r| r.a < sent.tokens.1);
        let sent_runs = &runs[r0..r1];
        let in_time = |b: usize| sent_times.iter().any(|t| t.start <= b && b < t.end);
        // Tokens naming the "of" of a post stated in this sentence are not participants.
        let p0 = posts.partition_point(|p| p.span.0 < sent.start);
        let excluded: Vec<(usize, usize)> = posts[p0..]
            .iter()
            .take_while(|p| p.span.0 < sent.end)
            .filter(|p| p.span.1 <= sent.end)
            .filter_map(|p| p.of_tokens)
            .collect();
        let topics: Vec<(usize, usize)> = topic_re()
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|g| (g.start() + sent.start, g.end() + sent.start))
            .collect();
        let in_topic = |b: usize| topics.iter().any(|t| t.0 <= b && b < t.1);
        let mut order: Vec<(usize, EventKind, bool, bool)> =
            hits.iter().copied().filter(|h| h.3).collect();
        order.extend(hits.iter().copied().filter(|h| !h.3).take(1));
        for (tstart, kind, trig_planned, definite) in order {
            let mut parts: Vec<(usize, Role)> = Vec::new();
            let mut places: Vec<(usize, usize, bool)> = Vec::new(); // (entity, byte, preceded by "in")
            let mut last_place_end: Option<usize> = None;
            let with_pos = lower[tstart - sent.start..]
                .find(" with ")
                .map(|p| p + tstart);
            let between_pos = lower.find(" between ").map(|p| p + sent.start);
            for r in sent_runs.iter().filter(|r| r.b <= sent.tokens.1) {
                let b = doc.tokens[r.a].start;
                if in_time(b) || excluded.iter().any(|&(x, y)| x <= r.a && r.a < y) {
                    continue;
                }
                // The outlet a person speaks to is not a participant: "told the BBC".
                if reported_to(doc, r.a) {
                    continue;
                }
                let e = &m.entities[r.entity];
                match e.kind {
                    EntityKind::Place => {
                        if in_topic(b) {
                            continue;
                        }
                        if kind == EventKind::Mediation && between_pos.is_some_and(|p| b > p) {
                            parts.push((r.entity, Role::Party));
                            continue;
                        }
                        let prev = if r.a > 0 {
                            doc.tok(r.a - 1).to_lowercase()
                        } else {
                            String::new()
                        };
                        // "visited Iraq, Israel and Basra": a place right after the previous one.
                        let listed = kind == EventKind::Visit
                            && matches!(prev.as_str(), "," | "and")
                            && last_place_end == Some(r.a - 1);
                        // "talks with Iraq", "talks between Israel and Syria": countries as parties.
                        let party = matches!(
                            kind,
                            EventKind::Talks | EventKind::Meeting | EventKind::Call
                        ) && e.place_kind == Some(crate::facts::PlaceKind::Country)
                            && b > tstart
                            && (prev == "with"
                                || prev == "between"
                                || (prev == "and"
                                    && last_place_end == Some(r.a - 1)
                                    && parts.iter().any(|p| p.1 == Role::Party)));
                        // "talks with US bank Wells Fargo": the country is an adjective there.
                        let adjectival = r.b < sent.tokens.1
                            && doc.tokens[r.b].is_word
                            && doc.tok(r.b).chars().next().is_some_and(char::is_lowercase)
                            && !matches!(
                                doc.tok(r.b),
                                "and"
                                    | "on"
                                    | "over"
                                    | "about"
                                    | "to"
                                    | "for"
                                    | "in"
                                    | "at"
                                    | "as"
                                    | "from"
                                    | "after"
                                    | "before"
                                    | "this"
                                    | "last"
                                    | "next"
                                    | "which"
                                    | "that"
                                    | "was"
                                    | "were"
                                    | "is"
                                    | "has"
                                    | "have"
                                    | "had"
                                    | "will"
                                    | "would"
                                    | "could"
                                    | "earlier"
                                    | "later"
                            );
                        if party && !adjectival {
                            parts.push((r.entity, Role::Party));
                            last_place_end = Some(r.b);
                            continue;
                        }
                        if listed || matches!(prev.as_str(), "in" | "to" | "at" | "into") {
                            places.push((r.entity, b, prev == "in" || prev == "at"));
                            last_place_end = Some(r.b);
                        }
                    }
                    EntityKind::Person | EntityKind::Organisation => {
                        if in_topic(b) {
                            continue;
                        }
                        // Who comments on an event is not in it: "..., said Paul Reynolds".
                        if b > tstart && is_speaker(doc, r.a, r.b) {
                            continue;
                        }
                        // A visit is by whoever comes before the trigger, and with whoever comes
                        // after "with".
                        if kind == EventKind::Visit && b > tstart && with_pos.is_none_or(|w| b <= w)
                        {
                            continue;
                        }
                        // Organisations take part only in gatherings where no person stands for them.
                        let role = match kind {
                            EventKind::Briefing | EventKind::Announcement => {
                                if b < tstart {
                                    Role::Speaker
                                } else {
                                    Role::Audience
                                }
                            }
                            EventKind::Mediation => {
                                if between_pos.is_some_and(|p| b > p) {
                                    Role::Party
                                } else {
                                    Role::Mediator
                                }
                            }
                            EventKind::Publication => {
                                if e.kind == EntityKind::Person {
                                    Role::Author
                                } else {
                                    Role::Publisher
                                }
                            }
                            _ => match with_pos {
                                Some(w) if b > w => Role::Host,
                                Some(_) => Role::Guest,
                                None => Role::Participant,
                            },
                        };
                        if kind == EventKind::Announcement && role == Role::Audience {
                            if prev_word(doc, r.a) != "by" {
                                continue;
                            }
                            parts.push((r.entity, Role::Speaker));
                            continue;
                        }
                        parts.push((r.entity, role));
                    }
                }
            }
            // "the presidents of Israel and Azerbaijan" → the holders of those posts.
            for c in plural_title_re().captures_iter(text) {
                let title = c[1].to_lowercase();
                let singular = title
                    .trim_end_matches('s')
                    .replace("heads of state", "head of state");
                for place in [&c[2], &c[3]] {
                    let holder = posts.iter().find(|p| {
                        p.title == singular
                            && p.of.is_some_and(|o| {
                                m.entities[o].name == place || m.entities[o].aliases.contains(place)
                            })
                    });
                    if let Some(p) = holder {
                        parts.push((p.holder, Role::Participant));
                    }
                }
            }
            // One entry per participant (first role wins).
            let mut seen = BTreeSet::new();
            parts.retain(|(e, _)| seen.insert(*e));
            // An organisation whose post-holder takes part is represented by that person.
            let represented: BTreeSet<usize> = posts
                .iter()
                .filter(|p| parts.iter().any(|(e, _)| *e == p.holder))
                .filter_map(|p| p.of)
                .collect();
            parts.retain(|(e, _)| {
                !(m.entities[*e].kind == EntityKind::Organisation && represented.contains(e))
            });
            // When persons meet, organisations named around them are context, not parties.
            let persons = parts
                .iter()
                .filter(|(e, _)| m.entities[*e].kind == EntityKind::Person)
                .count();
            if persons >= 2 && EventKind::is_meeting_like(kind) {
                parts.retain(|(e, _)| m.entities[*e].kind != EntityKind::Organisation);
            }
            let place = places
                .iter()
                .filter(|p| p.1 < tstart)
                .max_by_key(|p| (p.2, p.1))
                .or_else(|| places.iter().filter(|p| p.1 >= tstart).min_by_key(|p| p.1))
                .map(|p| p.0);
            let planned = trig_planned || planned_re().is_match(text);
            let time = sent_times.first().map(|t| (*t).clone());
            let span = (sent.start, sent.end);
            // A definite reference continues the previous event of the same family.
            if definite {
                if let Some(prev) = out.iter_mut().rev().find(|e| {
                    EventKind::is_meeting_like(e.kind) == EventKind::is_meeting_like(kind)
                }) {
                    let overlap = parts
                        .iter()
                        .any(|(p, _)| prev.participants.iter().any(|(q, _)| q == p));
                    if overlap || parts.is_empty() {
                        for (p, r) in parts {
                            if !prev.participants.iter().any(|(q, _)| *q == p) {
                                prev.participants.push((p, r));
                            }
                        }
                        prev.spans.push(span);
                        prev.topics.extend(topics);
                        if prev.place.is_none() {
                            prev.place = place;
                        }
                        if prev.time.is_none() {
                            prev.time = time;
                        }
                        break;
                    }
                }
                continue;
            }
            let enough = match kind {
                EventKind::Visit => !parts.is_empty() && (parts.len() >= 2 || place.is_some()),
                EventKind::Announcement | EventKind::Publication => !parts.is_empty(),
                EventKind::Mediation => parts.iter().any(|p| p.1 == Role::Mediator),
                _ => parts.len() >= 2,
            };
            if !enough {
                break;
            }
            // The same parties again ("Barclays is in talks with Absa ... the talks ..."): one event.
            let same: BTreeSet<usize> = parts.iter().map(|p| p.0).collect();
            // Only recent events: repetition is local, and this keeps long texts linear.
            let recent = out.len().saturating_sub(8);
            if let Some(prev) = out[recent..].iter_mut().find(|e| {
                EventKind::is_meeting_like(e.kind) == EventKind::is_meeting_like(kind)
                    && e.participants.iter().map(|p| p.0).collect::<BTreeSet<_>>() == same
                    && (e.place.is_none() || place.is_none() || e.place == place)
                    && e.status
                        == if planned {
                            EventStatus::Planned
                        } else {
                            EventStatus::Occurred
                        }
            }) {
                prev.spans.push(span);
                prev.topics.extend(topics.iter().copied());
                prev.place = prev.place.or(place);
                if prev.time.is_none() {
                    prev.time = time;
                }
                break;
            }
            // "visited Iraq, Israel and Basra": one visit per destination.
            if kind == EventKind::Visit {
                let destinations: Vec<usize> = places
                    .iter()
                    .filter(|p| p.1 > tstart)
                    .map(|p| p.0)
                    .collect();
                if destinations.len() > 1 {
                    let visitors: Vec<(usize, Role)> = parts
                        .iter()
                        .filter(|(e, _)| m.entities[*e].kind != EntityKind::Place)
                        .copied()
                        .collect();
                    for d in destinations {
                        out.push(EventDraft {
                            kind,
                            participants: visitors.clone(),
                            place: Some(d),
                            time: time.clone(),
                            status: if planned {
                                EventStatus::Planned
                            } else {
                                EventStatus::Occurred
                            },
                            topics: topics.clone(),
                            spans: vec![span],
                            rule: "event.trigger.visit-list",
                            confidence: 0.7,
                        });
                    }
                    break;
                }
            }
            out.push(EventDraft {
                kind,
                participants: parts,
                place,
                time,
                status: if planned {
                    EventStatus::Planned
                } else {
                    EventStatus::Occurred
                },
                topics,
                spans: vec![span],
                rule: "event.trigger",
                confidence: if planned { 0.7 } else { 0.75 },
            });
            break;
        }
    }
    out
}

/// True when the name at token `i` follows "told (the)", "tells", "according to".
fn reported_to(doc: &Doc, i: usize) -> bool {
    let mut k = i;
    if k > 0 && doc.tok(k - 1).eq_ignore_ascii_case("the") {
        k -= 1;
    }
    let w = prev_word(doc, k);
    matches!(w.as_str(), "told" | "tells" | "telling")
        || (w == "to" && k >= 2 && doc.tok(k - 2).eq_ignore_ascii_case("according"))
}

/// True when the mention [a, b) is attributed speech: "said X", "X said", "X told".
fn is_speaker(doc: &Doc, a: usize, b: usize) -> bool {
    let next = (b < doc.tokens.len()).then(|| doc.tok(b).to_lowercase());
    let prev = prev_word(doc, a);
    matches!(prev.as_str(), "said" | "says" | "according")
        || next.is_some_and(|n| matches!(n.as_str(), "said" | "says" | "told" | "added"))
}

fn prev_word(doc: &Doc, i: usize) -> String {
    if i == 0 {
        String::new()
    } else {
        doc.tok(i - 1).to_lowercase()
    }
}
