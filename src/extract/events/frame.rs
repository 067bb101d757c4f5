//! One event's frame from its trigger's slots ([`settle`]): the kind (a lone "met ... in
//! PLACE" is a visit), the visitor and destinations of a visit, the place, time and status.

use super::slots::Slots;
use super::{subject, triggers, Sentence, Trigger};
use crate::extract::dates::TimeMention;
use crate::facts::{EntityKind, EventKind, Role};

/// What one trigger states, before it is merged with the events already made.
pub(super) struct Frame {
    pub(super) kind: EventKind,
    pub(super) parts: Vec<(usize, Role)>,
    pub(super) place: Option<usize>,
    /// A visit's destinations, in the order written ("visited Iraq, Israel and Basra").
    pub(super) destinations: Vec<usize>,
    pub(super) planned: bool,
    pub(super) time: Option<TimeMention>,
    /// Folded byte range of the evidence sentence.
    pub(super) span: (usize, usize),
}

/// Settles the frame of trigger `t` from its slots.
pub(super) fn settle(s: &Sentence<'_>, t: &Trigger, slots: &Slots) -> Frame {
    let (doc, sent_runs) = (s.doc, s.runs);
    let (tstart, kind, definite) = (t.start, t.kind, t.definite);
    let Slots {
        places,
        listed_places,
        late_persons,
        with_pos,
        clause_start,
        resolved,
        next_trigger,
        ..
    } = slots;
    let (with_pos, clause_start, resolved, next_trigger) =
        (*with_pos, *clause_start, *resolved, *next_trigger);
    let mut parts = slots.parts.clone();
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
        let companions: Vec<usize> = if subject::companions_follow(s.lower_from(tstart)) {
            parts
                .iter()
                .filter(|(e, r)| *r == Role::Host && s.kind_of(*e) == EntityKind::Person)
                .map(|p| p.0)
                .collect()
        } else {
            Vec::new()
        };
        let visitor = parts
            .iter()
            .find(|(e, r)| s.kind_of(*e) == EntityKind::Person && *r != Role::Host)
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
        if destinations.is_empty() && subject::visit_as_setting(&s.lower[..tstart - s.start]) {
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
        let t = s.lower_from(tstart);
        t.starts_with("met ") || t.starts_with("meet")
    };
    if met
        && !definite
        && parts.len() == 1
        && s.kind_of(parts[0].0) == EntityKind::Person
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
    let planned = t.planned || triggers::planned_re().is_match(s.text);
    let time = s.times.first().map(|t| (*t).clone());
    let span = (s.start, s.end);
    Frame {
        kind,
        parts,
        place,
        destinations,
        planned,
        time,
        span,
    }
}
