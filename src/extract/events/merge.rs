//! Events made so far, and how a new frame joins them ([`Events::add`]): a definite
//! reference continues the event before it; talks with several counterparts make one event
//! each; the same parties again, or people of a gathering's organisations in the next
//! sentence, add evidence to an event already made; a meeting right after a visit happened
//! where the visit went.

use std::collections::BTreeSet;

use super::frame::Frame;
use super::slots::Slots;
use super::{triggers, EventDraft, Sentence, Trigger};
use crate::facts::{EntityKind, EventKind, EventStatus, PlaceKind, Role};

/// Participants of one event to make, with its rule and confidence.
type Group = (Vec<(usize, Role)>, &'static str, f64);

/// The events of a document, in the order they were made.
#[derive(Default)]
pub(super) struct Events {
    out: Vec<EventDraft>,
    /// Where the current sentence's events start in `out`.
    made_from: usize,
    /// The parties on the near side of the last "talks with ..." (for talks written without one).
    last_initiators: Option<Vec<(usize, Role)>>,
}

impl Events {
    /// Marks where the next sentence's events start.
    pub(super) fn start_sentence(&mut self) {
        self.made_from = self.out.len();
    }

    pub(super) fn into_events(self) -> Vec<EventDraft> {
        self.out
    }

    /// Adds what trigger `t` states: a new event, more evidence for one made before, or
    /// nothing when the frame names too few parties.
    pub(super) fn add(&mut self, s: &Sentence<'_>, t: &Trigger, slots: &Slots, frame: Frame) {
        let (doc, m, posts, sent_runs) = (s.doc, s.m, s.posts, s.runs);
        let (tstart, definite) = (t.start, t.definite);
        let (with_pos, clause_start) = (slots.with_pos, slots.clause_start);
        let topics = &s.topics;
        let made_from = self.made_from;
        let Frame {
            kind,
            parts,
            place,
            destinations,
            planned,
            time,
            span,
        } = frame;
        let out = &mut self.out;
        let last_initiators = &mut self.last_initiators;
        // A definite reference continues the previous event of the same family.
        if definite {
            // "The Downing Street talks": the name before the trigger is where it was held.
            let t_tok = triggers::token_at(doc, tstart);
            let modifier_place = sent_runs
                .iter()
                .find(|r| r.b == t_tok && s.kind_of(r.entity) == EntityKind::Place)
                .map(|r| r.entity);
            let here = doc.sentence_of_byte(s.start);
            if let Some(prev) = out
                .iter_mut()
                .rev()
                .find(|e| EventKind::is_meeting_like(e.kind) == EventKind::is_meeting_like(kind))
            {
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
            return;
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
            return;
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
                && counter.iter().all(|c| s.kind_of(c.0) == EntityKind::Place)
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
                *last_initiators = Some(side.clone());
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
            let here = doc.sentence_of_byte(s.start);
            if kind != EventKind::Visit
                && group
                    .iter()
                    .all(|(e, _)| s.kind_of(*e) == EntityKind::Person)
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
                                        s.kind_of(o) == EntityKind::Organisation
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
                            || (kind != EventKind::Visit && same.len() >= 2 && same.is_subset(&ps))
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
