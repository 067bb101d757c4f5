//! Who and where, from the names around one trigger ([`fill`]): participants with their
//! roles, candidate places, the visitor written after a visit trigger, and who "he" is.

use std::collections::BTreeSet;

use super::{cues, subject, triggers, Sentence, Trigger};
use crate::extract::text::Doc;
use crate::facts::{EntityKind, EventKind, Role};

/// The slots of one trigger, as the names of its sentence fill them.
pub(super) struct Slots {
    /// Participants with their roles, one entry each (first role wins).
    pub(super) parts: Vec<(usize, Role)>,
    /// Candidate places: (entity, byte, preceded by "in" or "at").
    pub(super) places: Vec<(usize, usize, bool)>,
    /// Places written as a list after the previous one ("visited Iraq, Israel and Basra").
    pub(super) listed_places: Vec<usize>,
    /// Persons written after a visit trigger ("the arrival of President Bush").
    pub(super) late_persons: Vec<usize>,
    /// Byte of the first " with " after the trigger.
    pub(super) with_pos: Option<usize>,
    /// Byte where the trigger's clause starts.
    pub(super) clause_start: usize,
    /// The person a pronoun subject of the trigger stands for.
    pub(super) resolved: Option<usize>,
    /// Byte of the next trigger of the sentence (or its end): a destination is written before.
    pub(super) next_trigger: usize,
    /// The clause names the two parties in view by a description ("the two leaders"):
    /// `Some(true)` when the description is of persons ("the two men"), `Some(false)` for
    /// "both sides", "the two delegations".
    pub(super) group: Option<bool>,
    /// The clause tells a later round of talks told before ("discussions will resume").
    pub(super) continuation: bool,
}

/// Fills the slots of trigger `t` from the names of sentence `s`.
pub(super) fn fill(s: &Sentence<'_>, t: &Trigger) -> Slots {
    let (doc, m, posts, text, lower) = (s.doc, s.m, s.posts, s.text, &s.lower);
    let (sent_runs, runs, trigger_starts, excluded) =
        (s.runs, s.all_runs, &s.trigger_starts, &s.excluded);
    let (tstart, kind) = (t.start, t.kind);
    // "reports that Barclays had held talks": who reports is not a party.
    let clause_start = triggers::clause_start(lower, tstart - s.start) + s.start;
    // "He also flew to ...", "..., when he met ...": the pronoun's clause is the event's;
    // the pronoun stands for the nearest person named before it.
    let pronoun = EventKind::is_meeting_like(kind)
        .then(|| subject::pronoun_before(doc, s.lex, s.tokens.0, tstart))
        .flatten();
    let clause_start = pronoun.map_or(clause_start, |(_, open)| clause_start.max(open));
    let mut parts: Vec<(usize, Role)> = Vec::new();
    let mut places: Vec<(usize, usize, bool)> = Vec::new(); // (entity, byte, preceded by "in")
    let mut last_place_end: Option<usize> = None;
    let mut listed_places: Vec<usize> = Vec::new();
    let with_pos = lower[tstart - s.start..].find(" with ").map(|p| p + tstart);
    let between_pos = lower.find(" between ").map(|p| p + s.start);
    let mut late_persons: Vec<usize> = Vec::new();
    // "following talks with Mr Blair, Mr Abbas said": the speaker was there.
    let after_event = {
        let head = lower[..tstart - s.start].trim_end();
        head.ends_with("following") || head.ends_with("after")
    };
    // The next trigger after this one bounds where this one's destination is written.
    let next_trigger = trigger_starts
        .iter()
        .copied()
        .filter(|&t| t > tstart)
        .min()
        .unwrap_or(s.end);
    for r in sent_runs.iter().filter(|r| r.b <= s.tokens.1) {
        let b = doc.tokens[r.a].start;
        if s.in_time(b) || excluded.iter().any(|&(x, y)| x <= r.a && r.a < y) {
            continue;
        }
        // The outlet a person speaks to is not a participant: "told the BBC".
        if reported_to(doc, r.a) {
            continue;
        }
        // "met X at the Labour conference": a venue, not a party.
        if EventKind::is_meeting_like(kind)
            && s.kind_of(r.entity) == EntityKind::Organisation
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
                if s.in_topic(b) {
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
                let adjectival = r.b < s.tokens.1
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
                // "visited Kenya's biggest shantytown": a possessive is no destination, and
                // "talks with Somalia's Minister ..." are with the minister.
                let possessive = r.b < s.tokens.1 && doc.tok(r.b) == "'s";
                // "Azerbaijan's talks with the European Investment Bank": the country holds them.
                let holds_trigger = possessive
                    && matches!(kind, EventKind::Talks | EventKind::Meeting)
                    && e.place_kind == Some(crate::facts::PlaceKind::Country)
                    && r.b + 1 < s.tokens.1
                    && doc.tokens[r.b + 1].start == tstart;
                if (party && !adjectival && !possessive) || holds_trigger {
                    parts.push((r.entity, Role::Party));
                    last_place_end = Some(r.b);
                    continue;
                }
                // "toured an air base near Łask": a visit's place may be near a named one.
                let near = kind == EventKind::Visit && prev == "near";
                if listed
                    || (object_of_trigger && !possessive)
                    || near
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
                if s.in_topic(b) {
                    continue;
                }
                // Who comments on an event is not in it: "..., said Paul Reynolds".
                if b > tstart && is_speaker(doc, r.a, r.b) && !after_event {
                    continue;
                }
                // A visit is by whoever comes before the trigger, and with whoever comes
                // after "with".
                if kind == EventKind::Visit && b > tstart && with_pos.is_none_or(|w| b <= w) {
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
    let resolved = pronoun
        .and_then(|(p, _)| {
            if doc.tok(p).eq_ignore_ascii_case("the") {
                subject::holder_in_view(doc, s.lex, m, runs, posts, p)
            } else {
                subject::antecedent(doc, m, runs, p)
            }
        })
        .or_else(|| {
            // "On a visit to India, the 60-year-old actor said".
            let setting = kind == EventKind::Visit
                && subject::visit_as_setting(&lower[clause_start - s.start..tstart - s.start])
                && !parts
                    .iter()
                    .any(|(e, _)| s.kind_of(*e) == EntityKind::Person);
            setting
                .then(|| {
                    subject::subject_after_setting(doc, s.lex, m, runs, posts, s.tokens, tstart)
                })
                .flatten()
        });
    if let Some(a) = resolved.filter(|a| !parts.iter().any(|(e, _)| e == a)) {
        let role = if with_pos.is_some() {
            Role::Guest
        } else {
            Role::Participant
        };
        parts.insert(0, (a, role));
    }
    // "the presidents of Israel and Azerbaijan" → the holders of those posts.
    for c in triggers::plural_title_re().captures_iter(text) {
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
    let (c0, c1) = (clause_start - s.start, next_trigger - s.start);
    // The description is the trigger's subject ("the two leaders then held talks", not "both
    // sides agreed that X would host a summit") or its object ("a call between the two men").
    let t0 = tstart - s.start;
    let group = cues::find(lower, &s.lex.group_cues, c0, c1)
        .filter(|&(a, b)| {
            if a < t0 {
                !lower[b..t0].contains(" that ")
            } else {
                let between = lower[t0..a].trim_end();
                between.ends_with(" between") || between.ends_with(" with")
            }
        })
        .map(|(a, b)| !(lower[a..b].contains("side") || lower[a..b].contains("delegation")));
    let continuation = cues::find(lower, &s.lex.continuation_cues, c0, c1).is_some();
    Slots {
        group,
        continuation,
        parts,
        places,
        listed_places,
        late_persons,
        with_pos,
        clause_start,
        resolved,
        next_trigger,
    }
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
        || next.is_some_and(|n| {
            matches!(
                n.as_str(),
                "said" | "says" | "told" | "added" | "reported" | "reports"
            )
        })
}

fn prev_word(doc: &Doc, i: usize) -> String {
    if i == 0 {
        String::new()
    } else {
        doc.tok(i - 1).to_lowercase()
    }
}
