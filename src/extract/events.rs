//! Events: a trigger word in a sentence (met, talks, visited, briefed, announced, mediator...),
//! its participants (persons and organisations in the sentence, and descriptions such as "the
//! presidents of Israel and Azerbaijan" resolved through posts), the place ("in/to PLACE"),
//! the time, whether it is planned, and what it was about. A definite mention ("the meeting",
//! "their discussions") adds to the previous event instead of making a new one.

mod subject;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::dates::TimeMention;
use super::lexicon::Lexicon;
use super::mentions::Mentions;
use super::posts::{mention_runs, PostDraft};
use super::text::Doc;
use crate::facts::{EntityKind, EventKind, EventStatus, PlaceKind, Role};

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

/// Participants of one event to make, with its rule and confidence.
type Group = (Vec<(usize, Role)>, &'static str, f64);

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
        Regex::new(r"(?i)\b(?:scheduled|will|(?:is|are) to (?:hold|meet|visit|host|travel|begin|start|open|resume)|is due to|are due to|is set to|are set to|plans to|planned|planning to|is expected to|are expected to|upcoming|next week|next month|to be held)\b")
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
    // The parties on the near side of the last "talks with ..." (for talks written without one).
    let mut last_initiators: Option<Vec<(usize, Role)>> = None;
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
            let (word, kind, planned) = lex.triggers[h.pattern().as_usize()].clone();
            if !trigger_sense(doc, m, &lower, h.start(), h.end(), sent.start, &word) {
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
        order.extend(hits.iter().copied().filter(|h| !h.3));
        // Several events may be stated in one sentence ("Before visiting Israel, he made a visit
        // to Iraq"): every trigger is tried, and repeats of an event made here are skipped.
        let made_from = out.len();
        let trigger_starts: Vec<usize> = hits.iter().map(|h| h.0).collect();
        for (tstart, kind, trig_planned, definite) in order {
            // "reports that Barclays had held talks": who reports is not a party.
            let clause_start = clause_start(&lower, tstart - sent.start) + sent.start;
            // "He also flew to ...", "..., when he met ...": the pronoun's clause is the event's;
            // the pronoun stands for the nearest person named before it.
            let pronoun = EventKind::is_meeting_like(kind)
                .then(|| subject::pronoun_before(doc, sent.tokens.0, tstart))
                .flatten();
            let clause_start = pronoun.map_or(clause_start, |(_, open)| clause_start.max(open));
            let mut parts: Vec<(usize, Role)> = Vec::new();
            let mut places: Vec<(usize, usize, bool)> = Vec::new(); // (entity, byte, preceded by "in")
            let mut last_place_end: Option<usize> = None;
            let mut listed_places: Vec<usize> = Vec::new();
            let with_pos = lower[tstart - sent.start..]
                .find(" with ")
                .map(|p| p + tstart);
            let between_pos = lower.find(" between ").map(|p| p + sent.start);
            let mut late_persons: Vec<usize> = Vec::new();
            // "following talks with Mr Blair, Mr Abbas said": the speaker was there.
            let after_event = {
                let head = lower[..tstart - sent.start].trim_end();
                head.ends_with("following") || head.ends_with("after")
            };
            // The next trigger after this one bounds where this one's destination is written.
            let next_trigger = trigger_starts
                .iter()
                .copied()
                .filter(|&t| t > tstart)
                .min()
                .unwrap_or(sent.end);
            for r in sent_runs.iter().filter(|r| r.b <= sent.tokens.1) {
                let b = doc.tokens[r.a].start;
                if in_time(b) || excluded.iter().any(|&(x, y)| x <= r.a && r.a < y) {
                    continue;
                }
                // The outlet a person speaks to is not a participant: "told the BBC".
                if reported_to(doc, r.a) {
                    continue;
                }
                // "met X at the Labour conference": a venue, not a party.
                if EventKind::is_meeting_like(kind)
                    && e_kind(m, r.entity) == EntityKind::Organisation
                    && (prev_word(doc, r.a) == "at"
                        || (prev_word(doc, r.a) == "the"
                            && r.a >= 2
                            && doc.tok(r.a - 2).eq_ignore_ascii_case("at")))
                {
                    continue;
                }
                if b < clause_start && EventKind::is_meeting_like(kind) {
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
                        let mut prev = if r.a > 0 {
                            doc.tok(r.a - 1).to_lowercase()
                        } else {
                            String::new()
                        };
                        // "talks with both Iraq and Afghanistan", "a mission to the Middle East".
                        if matches!(prev.as_str(), "both" | "either" | "the") && r.a >= 2 {
                            prev = doc.tok(r.a - 2).to_lowercase();
                        }
                        // "visiting Beijing", "visited Israel": the destination is the object.
                        let object_of_trigger = kind == EventKind::Visit
                            && r.a > 0
                            && doc.tokens[r.a - 1].start >= tstart
                            && trigger_starts.contains(&doc.tokens[r.a - 1].start);
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
                        // "visited Kenya's biggest shantytown": a possessive is no destination.
                        let possessive = r.b < sent.tokens.1 && doc.tok(r.b) == "'s";
                        if listed
                            || (object_of_trigger && !possessive)
                            || matches!(prev.as_str(), "in" | "to" | "at" | "into")
                        {
                            places.push((r.entity, b, prev == "in" || prev == "at"));
                            if listed {
                                listed_places.push(r.entity);
                            }
                            last_place_end = Some(r.b);
                        }
                    }
                    EntityKind::Person | EntityKind::Organisation => {
                        if in_topic(b) {
                            continue;
                        }
                        // Who comments on an event is not in it: "..., said Paul Reynolds".
                        if b > tstart && is_speaker(doc, r.a, r.b) && !after_event {
                            continue;
                        }
                        // A visit is by whoever comes before the trigger, and with whoever comes
                        // after "with".
                        if kind == EventKind::Visit && b > tstart && with_pos.is_none_or(|w| b <= w)
                        {
                            // "the arrival of President Bush": the visitor after the trigger.
                            if e.kind == EntityKind::Person {
                                late_persons.push(r.entity);
                            }
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
            let resolved = pronoun.and_then(|(p, _)| subject::antecedent(doc, m, &runs, p));
            if let Some(a) = resolved.filter(|a| !parts.iter().any(|(e, _)| e == a)) {
                let role = if with_pos.is_some() {
                    Role::Guest
                } else {
                    Role::Participant
                };
                parts.insert(0, (a, role));
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
            let mut kind = kind;
            let mut place = places
                .iter()
                .filter(|p| p.1 < tstart)
                .max_by_key(|p| (p.2, p.1))
                .or_else(|| places.iter().filter(|p| p.1 >= tstart).min_by_key(|p| p.1))
                .map(|p| p.0);
            // A visit: one visitor (the subject before the trigger, else the person right after
            // it: "the arrival of President Bush"); its destinations are the places written
            // after the trigger and before the next one ("visited Iraq, Israel and Basra").
            let mut destinations: Vec<usize> = Vec::new();
            if kind == EventKind::Visit {
                // "on a visit with Education Secretary NAME": NAME travels along.
                let companions: Vec<usize> =
                    if subject::companions_follow(&lower[tstart - sent.start..]) {
                        parts
                            .iter()
                            .filter(|(e, r)| {
                                *r == Role::Host && e_kind(m, *e) == EntityKind::Person
                            })
                            .map(|p| p.0)
                            .collect()
                    } else {
                        Vec::new()
                    };
                let visitor = parts
                    .iter()
                    .find(|(e, r)| e_kind(m, *e) == EntityKind::Person && *r != Role::Host)
                    .map(|p| p.0)
                    .or_else(|| late_persons.first().copied());
                parts = visitor.map(|v| vec![(v, Role::Guest)]).unwrap_or_default();
                if visitor.is_some() {
                    parts.extend(
                        companions
                            .iter()
                            .filter(|c| Some(**c) != visitor)
                            .map(|c| (*c, Role::Guest)),
                    );
                }
                let mut after = places
                    .iter()
                    .filter(|p| p.1 > tstart && p.1 < next_trigger)
                    .map(|p| p.0);
                if let Some(first) = after.next() {
                    destinations.push(first);
                    destinations.extend(after.take_while(|d| listed_places.contains(d)));
                }
                // "sailed ... in Bromsgrove, while on a visit": the visit's setting is there.
                if destinations.is_empty()
                    && subject::visit_as_setting(&lower[..tstart - sent.start])
                {
                    if let Some(p) = places
                        .iter()
                        .filter(|p| p.1 < tstart && p.2)
                        .max_by_key(|p| p.1)
                    {
                        destinations.push(p.0);
                    }
                }
                place = destinations.first().copied();
            }
            // "he met leaders in Baghdad": one named person meeting unnamed people in a named
            // place is a visit to that place.
            let solo_in_place = places
                .iter()
                .filter(|p| p.1 > tstart && p.1 < next_trigger && p.2)
                .map(|p| p.0)
                .next();
            let subject = |e: usize| {
                resolved == Some(e)
                    || sent_runs.iter().any(|r| {
                        r.entity == e
                            && doc.tokens[r.a].start >= clause_start
                            && doc.tokens[r.a].start < tstart
                    })
            };
            let met = {
                let t = &lower[tstart - sent.start..];
                t.starts_with("met ") || t.starts_with("meet")
            };
            if met
                && !definite
                && parts.len() == 1
                && e_kind(m, parts[0].0) == EntityKind::Person
                && subject(parts[0].0)
                && parts[0].1 != Role::Host
                && with_pos.is_none()
                && solo_in_place.is_some()
            {
                kind = EventKind::Visit;
                parts[0].1 = Role::Guest;
                place = solo_in_place;
                destinations = vec![place.unwrap_or_default()];
            }
            let planned = trig_planned || planned_re().is_match(text);
            let time = sent_times.first().map(|t| (*t).clone());
            let span = (sent.start, sent.end);
            // A definite reference continues the previous event of the same family.
            if definite {
                // "The Downing Street talks": the name before the trigger is where it was held.
                let t_tok = token_at(doc, tstart);
                let modifier_place = sent_runs
                    .iter()
                    .find(|r| r.b == t_tok && e_kind(m, r.entity) == EntityKind::Place)
                    .map(|r| r.entity);
                let here = doc.sentence_of_byte(sent.start);
                if let Some(prev) = out.iter_mut().rev().find(|e| {
                    EventKind::is_meeting_like(e.kind) == EventKind::is_meeting_like(kind)
                }) {
                    let overlap = parts
                        .iter()
                        .any(|(p, _)| prev.participants.iter().any(|(q, _)| q == p));
                    let adjacent = prev
                        .spans
                        .last()
                        .is_some_and(|s| doc.sentence_of_byte(s.0) + 1 >= here);
                    if overlap || parts.is_empty() || (modifier_place.is_some() && adjacent) {
                        if overlap || parts.is_empty() {
                            for (p, r) in parts {
                                if !prev.participants.iter().any(|(q, _)| *q == p) {
                                    prev.participants.push((p, r));
                                }
                            }
                        }
                        prev.spans.push(span);
                        prev.topics.extend(topics.iter().copied());
                        if prev.place.is_none() {
                            prev.place = modifier_place.or(place);
                        }
                        if prev.time.is_none() {
                            prev.time = time;
                        }
                    }
                }
                continue;
            }
            let enough = match kind {
                // A visit is a named person going to a named place.
                EventKind::Visit => !parts.is_empty() && place.is_some(),
                EventKind::Announcement | EventKind::Publication => !parts.is_empty(),
                EventKind::Mediation => parts.iter().any(|p| p.1 == Role::Mediator),
                EventKind::Talks => !parts.is_empty(),
                _ => parts.len() >= 2,
            };
            if !enough {
                continue;
            }
            let status = if planned {
                EventStatus::Planned
            } else {
                EventStatus::Occurred
            };
            // "talks with his Israeli counterpart, Ariel Sharon, and the Palestinian leader,
            // Mahmoud Abbas": one event per counterpart named after "with" (a joint gathering is
            // written with "met X and Y" or said to be one).
            let mut groups: Vec<Group> = Vec::new();
            if kind == EventKind::Talks {
                let after_with = |e: usize| {
                    with_pos.is_some_and(|w| {
                        sent_runs
                            .iter()
                            .any(|r| r.entity == e && doc.tokens[r.a].start > w)
                            && !sent_runs.iter().any(|r| {
                                r.entity == e
                                    && doc.tokens[r.a].start < w
                                    && doc.tokens[r.a].start >= clause_start
                            })
                    })
                };
                let (counter, side): (Vec<_>, Vec<_>) =
                    parts.iter().copied().partition(|(e, _)| after_with(*e));
                if !side.is_empty() && counter.len() >= 2 {
                    for c in &counter {
                        let mut g = side.clone();
                        g.push(*c);
                        groups.push((g, "event.trigger.talks-each", 0.7));
                    }
                } else if side.is_empty()
                    && !counter.is_empty()
                    && counter.iter().all(|c| e_kind(m, c.0) == EntityKind::Place)
                {
                    // "talks with Russia and Saudi Arabia have been taking place": the party is
                    // the one holding the article's talks just before.
                    if let Some(init) = last_initiators.clone() {
                        for c in &counter {
                            let mut g = init.clone();
                            if !g.iter().any(|(e, _)| *e == c.0) {
                                g.push(*c);
                                groups.push((g, "event.trigger.talks-implied-party", 0.6));
                            }
                        }
                    }
                } else if parts.len() >= 2 {
                    groups.push((parts.clone(), "event.trigger", 0.75));
                }
                if !side.is_empty() && !counter.is_empty() {
                    last_initiators = Some(side.clone());
                }
            } else if kind == EventKind::Visit && destinations.len() > 1 {
                // "visited Iraq, Israel and Basra": one visit per destination.
                for _ in &destinations {
                    groups.push((parts.clone(), "event.trigger.visit-list", 0.7));
                }
            } else {
                groups.push((parts.clone(), "event.trigger", 0.75));
            }
            for (gi, (group, rule, conf)) in groups.into_iter().enumerate() {
                let place = if destinations.len() > 1 {
                    destinations.get(gi).copied()
                } else {
                    place
                };
                let same: BTreeSet<usize> = group.iter().map(|p| p.0).collect();
                // Already made from this sentence by another trigger ("arrived in Jerusalem for
                // meetings with ...", "travelled to Baku to hold talks with ...").
                let dup = out[made_from..].iter().any(|e| {
                    let ps: BTreeSet<usize> = e.participants.iter().map(|p| p.0).collect();
                    if kind == EventKind::Visit {
                        e.place == place && same.is_subset(&ps)
                    } else {
                        ps == same
                    }
                });
                if dup {
                    continue;
                }
                // "Deutsche Boerse held talks with the LSE ... Werner Seifert met LSE chief
                // executive Clara Furse": people of the organisations of the gathering told just
                // before, meeting in the next sentence, are that gathering seen closer.
                let here = doc.sentence_of_byte(sent.start);
                if kind != EventKind::Visit
                    && group
                        .iter()
                        .all(|(e, _)| e_kind(m, *e) == EntityKind::Person)
                {
                    if let Some(prev) = out[..made_from].last_mut().filter(|e| {
                        EventKind::is_meeting_like(e.kind)
                            && e.kind != EventKind::Visit
                            && e.status == status
                            && e.spans
                                .last()
                                .is_some_and(|s| doc.sentence_of_byte(s.0) + 1 == here)
                            && group.iter().any(|(p, _)| {
                                posts.iter().any(|q| {
                                    q.holder == *p
                                        && q.of.is_some_and(|o| {
                                            e_kind(m, o) == EntityKind::Organisation
                                                && e.participants.iter().any(|x| x.0 == o)
                                        })
                                })
                            })
                    }) {
                        for g in &group {
                            if !prev.participants.iter().any(|x| x.0 == g.0) {
                                prev.participants.push(*g);
                            }
                        }
                        prev.spans.push(span);
                        continue;
                    }
                }
                // The same parties again ("Barclays is in talks with Absa ... the talks ..."):
                // one event. Only recent events: repetition is local, and this keeps long texts
                // linear.
                let recent = out.len().saturating_sub(8);
                if let Some(prev) = out[recent..].iter_mut().find(|e| {
                    EventKind::is_meeting_like(e.kind) == EventKind::is_meeting_like(kind)
                        && (e.kind == EventKind::Visit) == (kind == EventKind::Visit)
                        && {
                            // The same parties again, or some of a gathering's parties.
                            let ps = e.participants.iter().map(|p| p.0).collect::<BTreeSet<_>>();
                            ps == same
                                || (kind != EventKind::Visit
                                    && same.len() >= 2
                                    && same.is_subset(&ps))
                        }
                        && (e.place.is_none() || place.is_none() || e.place == place)
                        && (kind != EventKind::Visit || e.place == place)
                        && e.status == status
                }) {
                    prev.spans.push(span);
                    prev.topics.extend(topics.iter().copied());
                    prev.place = prev.place.or(place);
                    if prev.time.is_none() {
                        prev.time = time.clone();
                    }
                    continue;
                }
                // A meeting with no place written, right after a visit by one of its
                // participants, happened there ("Mr Straw, visiting Beijing ... a joint news
                // conference with ...").
                let mut place = place;
                if place.is_none() && kind != EventKind::Visit && !planned {
                    place = out
                        .iter()
                        .rev()
                        .take_while(|e| here - doc.sentence_of_byte(e.spans[0].0) <= 6)
                        .find(|e| {
                            e.kind == EventKind::Visit
                                && e.status == EventStatus::Occurred
                                && e.place.is_some_and(|p| {
                                    matches!(
                                        m.entities[p].place_kind,
                                        Some(PlaceKind::City | PlaceKind::Other)
                                    )
                                })
                                && e.participants.iter().any(|p| same.contains(&p.0))
                        })
                        .and_then(|e| e.place);
                }
                out.push(EventDraft {
                    kind,
                    participants: group,
                    place,
                    time: time.clone(),
                    status,
                    topics: topics.clone(),
                    spans: vec![span],
                    rule,
                    confidence: if planned { conf.min(0.7) } else { conf },
                });
            }
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

/// `s` without the capitalised words (and possessives) at its end: "... the Downing Street"
/// → "... the".
fn strip_names(s: &str) -> &str {
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

/// Index of the first token starting at or after byte `b`.
fn token_at(doc: &Doc, b: usize) -> usize {
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
    let before: Vec<&str> = lower[..a]
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
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
    let last = before.last().copied().unwrap_or("");
    if matches!(
        word,
        "met" | "received" | "meet" | "receive" | "welcomed" | "greeted"
    ) && matches!(
        last,
        "be" | "been" | "being" | "is" | "are" | "was" | "were"
    ) {
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
        let mut k = token_at(doc, sent_start + b);
        while k < doc.tokens.len()
            && (doc.tok(k).eq_ignore_ascii_case("the")
                || (doc.tok(k).chars().next().is_some_and(char::is_uppercase)
                    && m.token_entity[k].is_none()))
        {
            k += 1;
        }
        let named = m.token_entity.get(k).copied().flatten().is_some_and(|e| {
            matches!(
                m.entities[e].kind,
                EntityKind::Person | EntityKind::Organisation
            )
        });
        if !named {
            return false;
        }
    }
    true
}

fn e_kind(m: &Mentions, e: usize) -> EntityKind {
    m.entities[e].kind
}

/// Byte offset (within the sentence) where the clause holding a trigger at `t` starts: after
/// the last "that", "says" or "said" before it, unless a pronoun follows ("said he met") —
/// then the speaker is the one who took part.
fn clause_start(lower: &str, t: usize) -> usize {
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
