//! Events made so far, and how a new frame joins them ([`Events::add`]): a definite
//! reference continues the event before it; talks with several counterparts make one event
//! each; the same parties again, or people of a gathering's organisations in the next
//! sentence, add evidence to an event already made; a meeting right after a visit happened
//! where the visit went.

use std::collections::BTreeSet;

use super::frame::Frame;
use super::slots::Slots;
use super::{triggers, EventDraft, Sentence, Trigger};
use crate::extract::text::Doc;
use crate::facts::{EntityKind, EventKind, EventStatus, PlaceKind, Role};

/// The rule of a gathering whose attendees were listed after it: bilateral meetings of some
/// of them are events of their own, not more evidence for it.
pub(super) const ATTENDEES_RULE: &str = "event.frame.attendees";

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
    /// A gathering with one named party so far ("X hosted a working dinner"), waiting for its
    /// attendees in the next sentences: the draft and its sentence.
    pending: Option<(EventDraft, usize)>,
}

impl Events {
    /// Marks where the next sentence's events start.
    pub(super) fn start_sentence(&mut self) {
        self.made_from = self.out.len();
    }

    pub(super) fn into_events(self) -> Vec<EventDraft> {
        self.out
    }

    /// The gathering that an attendee list in sentence `here` joins: the one told just before
    /// ([`Events::in_view`], in this sentence or the one before), else a gathering with one
    /// named party in the two sentences before, which the list completes (it is made then).
    pub(super) fn gathering_for_attendees(
        &mut self,
        doc: &Doc,
        here: usize,
    ) -> Option<&mut EventDraft> {
        let pending_recent = self
            .pending
            .as_ref()
            .is_some_and(|(_, at)| at + 2 >= here && *at <= here);
        let view_sentence = self
            .in_view(doc, here, 1)
            .and_then(|e| e.spans.last().map(|sp| doc.sentence_of_byte(sp.0)));
        let pending_newer = pending_recent
            && self
                .pending
                .as_ref()
                .is_some_and(|(_, at)| view_sentence.is_none_or(|v| *at > v));
        if pending_newer {
            let (draft, _) = self.pending.take()?;
            self.out.push(draft);
            return self.out.last_mut();
        }
        self.in_view(doc, here, 1)
    }

    /// The gathering told just before: the last meeting-like event other than a visit, with
    /// two or more participants, told at most `back` sentences before sentence `here`.
    pub(super) fn in_view(
        &mut self,
        doc: &Doc,
        here: usize,
        back: usize,
    ) -> Option<&mut EventDraft> {
        self.out
            .iter_mut()
            .rev()
            .find(|e| {
                EventKind::is_meeting_like(e.kind)
                    && e.kind != EventKind::Visit
                    && e.participants.len() >= 2
            })
            .filter(|e| {
                e.spans
                    .last()
                    .is_some_and(|sp| doc.sentence_of_byte(sp.0) + back >= here)
            })
    }

    /// The frame's parties with those a description stands for: "the two leaders" (the pair of
    /// the gathering just told, else the two parties named in the sentence before), a later
    /// round ("discussions will resume", "agreed to continue the discussions next month": the
    /// parties of the gathering just told). Also says whether a definite reference opens a new
    /// planned round of an event that took place (it is then no continuation of it).
    fn parties_in_view(
        &mut self,
        s: &Sentence<'_>,
        slots: &Slots,
        kind: EventKind,
        planned: bool,
        mut parts: Vec<(usize, Role)>,
    ) -> (Vec<(usize, Role)>, bool) {
        if !EventKind::is_meeting_like(kind) {
            return (parts, false);
        }
        let doc = s.doc;
        let here = doc.sentence_of_byte(s.start);
        let view = self
            .in_view(doc, here, 3)
            .map(|e| (e.participants.clone(), e.status));
        let cue = slots.group.is_some() || slots.continuation;
        let reopened =
            cue && planned && view.as_ref().is_some_and(|v| v.1 == EventStatus::Occurred);
        // The nearest text first: "... hoped to meet NAME. ... the two men had spoken".
        let pair = slots.group.and_then(|persons_only| {
            pair_before(s, here, persons_only)
                .or_else(|| view.as_ref().and_then(|v| pair_of(s, &v.0)))
        });
        let role = if kind == EventKind::Visit {
            Role::Guest
        } else {
            Role::Participant
        };
        let joined: Vec<usize> = match (pair, &view) {
            (Some(p), _) => p,
            (None, Some(v)) if parts.is_empty() && slots.continuation => {
                v.0.iter().map(|p| p.0).collect()
            }
            _ => Vec::new(),
        };
        if kind == EventKind::Visit && !joined.is_empty() {
            parts.retain(|(e, _)| joined.contains(e));
        }
        for e in joined {
            if !parts.iter().any(|(q, _)| *q == e) {
                parts.push((e, role));
            }
        }
        (parts, reopened)
    }

    /// Adds what trigger `t` states: a new event, more evidence for one made before, or
    /// nothing when the frame names too few parties.
    pub(super) fn add(&mut self, s: &Sentence<'_>, t: &Trigger, slots: &Slots, frame: Frame) {
        let (doc, m, posts, sent_runs) = (s.doc, s.m, s.posts, s.runs);
        let (tstart, mut definite) = (t.start, t.definite);
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
        let here = doc.sentence_of_byte(s.start);
        let (parts, reopened) = self.parties_in_view(s, slots, kind, planned, parts);
        definite &= !reopened;
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
            // "X hosted a working dinner ...": the guests may be listed next.
            if matches!(kind, EventKind::Meeting | EventKind::Talks) && parts.len() == 1 {
                let draft = EventDraft {
                    kind,
                    participants: parts,
                    place,
                    time,
                    status: if planned {
                        EventStatus::Planned
                    } else {
                        EventStatus::Occurred
                    },
                    topics: topics.clone(),
                    spans: vec![span],
                    rule: ATTENDEES_RULE,
                    confidence: 0.7,
                };
                self.pending = Some((draft, here));
            }
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
            // "A and B held separate talks with C": one event for each of A and B.
            let separate = triggers::words_before(&s.lower, tstart - s.start)
                .last()
                .is_some_and(|w| *w == "separate");
            if separate && side.len() >= 2 && !counter.is_empty() {
                for one in &side {
                    let mut g = vec![*one];
                    g.extend(counter.iter().copied());
                    groups.push((g, "event.trigger.talks-separate", 0.7));
                }
            } else if !side.is_empty() && counter.len() >= 2 {
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
                            || (kind != EventKind::Visit
                                && same.len() >= 2
                                && same.is_subset(&ps)
                                && e.rule != ATTENDEES_RULE)
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

/// The two parties of a gathering, for "the two leaders": both participants when there are
/// two, else its two persons.
fn pair_of(s: &Sentence<'_>, parts: &[(usize, Role)]) -> Option<Vec<usize>> {
    if parts.len() == 2 {
        return Some(parts.iter().map(|p| p.0).collect());
    }
    let persons: Vec<usize> = parts
        .iter()
        .filter(|p| s.kind_of(p.0) == EntityKind::Person)
        .map(|p| p.0)
        .collect();
    (persons.len() == 2).then_some(persons)
}

/// "the US and EU stepped back ... the two sides had agreed": the two parties (persons,
/// organisations, countries; only persons when `persons_only`, for "the two men") named in the
/// sentence before sentence `here`, when there are exactly two.
fn pair_before(s: &Sentence<'_>, here: usize, persons_only: bool) -> Option<Vec<usize>> {
    let prev = s.doc.sentences.get(here.checked_sub(1)?)?;
    let mut seen: Vec<usize> = Vec::new();
    for r in s
        .all_runs
        .iter()
        .filter(|r| r.a >= prev.tokens.0 && r.b <= prev.tokens.1)
    {
        let e = &s.m.entities[r.entity];
        let party = match e.kind {
            EntityKind::Person => true,
            EntityKind::Organisation => !persons_only,
            EntityKind::Place => !persons_only && e.place_kind == Some(PlaceKind::Country),
        };
        if party && !seen.contains(&r.entity) {
            seen.push(r.entity);
        }
    }
    (seen.len() == 2).then_some(seen)
}
