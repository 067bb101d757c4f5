//! Events: a trigger word in a sentence (met, talks, visited, briefed, announced, mediator...),
//! its participants (persons and organisations in the sentence, and descriptions such as "the
//! presidents of Israel and Azerbaijan" resolved through posts), the place ("in/to PLACE"),
//! the time, whether it is planned, and what it was about. A definite mention ("the meeting",
//! "their discussions") adds to the previous event instead of making a new one.
//!
//! Entry point: [`detect`]. One job per file, in the order a sentence goes through them:
//! `triggers` (the trigger words of a sentence and their sense), `slots` (who and where, from
//! the names around a trigger), `frame` (the visitor, destinations, place, time and status of
//! one event), `merge` (a new event, or more evidence for one already made); `subject` holds
//! the pronoun and companion rules they share.

mod attendees;
mod cues;
mod frame;
mod hedge;
mod merge;
mod slots;
mod subject;
mod triggers;

use super::dates::TimeMention;
use super::lexicon::Lexicon;
use super::mentions::Mentions;
use super::posts::{mention_runs, MentionRun, PostDraft};
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

/// A trigger word found in a sentence.
#[derive(Debug, Clone, Copy)]
struct Trigger {
    /// Folded byte offset of the trigger in the document.
    start: usize,
    kind: EventKind,
    /// The trigger itself, or what comes before it ("ahead of"), says the event is to come.
    planned: bool,
    /// "the talks", "this meeting": a reference to an event told before.
    definite: bool,
}

/// One sentence as the event stage sees it: its text, and its share of the document's times,
/// mention runs, post phrases and topic phrases.
struct Sentence<'a> {
    doc: &'a Doc,
    lex: &'a Lexicon,
    m: &'a Mentions,
    posts: &'a [PostDraft],
    /// Every mention run of the document (pronouns look back beyond the sentence).
    all_runs: &'a [MentionRun],
    start: usize,
    end: usize,
    tokens: (usize, usize),
    text: &'a str,
    lower: String,
    times: Vec<&'a TimeMention>,
    runs: &'a [MentionRun],
    /// Token ranges naming the "of" of a post stated in this sentence: not participants.
    excluded: Vec<(usize, usize)>,
    /// Byte ranges of what the event was about ("to discuss X").
    topics: Vec<(usize, usize)>,
    /// Where every trigger of the sentence starts.
    trigger_starts: Vec<usize>,
}

impl Sentence<'_> {
    fn in_time(&self, b: usize) -> bool {
        self.times.iter().any(|t| t.start <= b && b < t.end)
    }

    fn in_topic(&self, b: usize) -> bool {
        self.topics.iter().any(|t| t.0 <= b && b < t.1)
    }

    fn kind_of(&self, e: usize) -> EntityKind {
        self.m.entities[e].kind
    }

    /// The sentence's text from byte `b` of the document on, lower-cased.
    fn lower_from(&self, b: usize) -> &str {
        &self.lower[b - self.start..]
    }
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
    let mut out = merge::Events::default();
    for sent in &doc.sentences {
        let text = &doc.text[sent.start..sent.end];
        let lower = text.to_lowercase();
        let hits = triggers::scan(doc, lex, m, sent, text, &lower);
        let attendee_cue = attendees::cue_end(lex, sent, &lower);
        if hits.is_empty() {
            if let Some(cue) = attendee_cue {
                attendees::extend(&mut out, doc, m, posts, &runs, sent, cue);
            }
            continue;
        }
        // Times, posts and runs are sorted by position: take this sentence's slice of each.
        let t0 = times.partition_point(|t| t.start < sent.start);
        let r0 = runs.partition_point(|r| r.a < sent.tokens.0);
        let r1 = runs.partition_point(|r| r.a < sent.tokens.1);
        let p0 = posts.partition_point(|p| p.span.0 < sent.start);
        let s = Sentence {
            doc,
            lex,
            m,
            posts,
            all_runs: &runs,
            start: sent.start,
            end: sent.end,
            tokens: sent.tokens,
            text,
            times: times[t0..]
                .iter()
                .take_while(|t| t.start < sent.end)
                .filter(|t| t.end <= sent.end)
                .collect(),
            runs: &runs[r0..r1],
            excluded: posts[p0..]
                .iter()
                .take_while(|p| p.span.0 < sent.end)
                .filter(|p| p.span.1 <= sent.end)
                .filter_map(|p| p.of_tokens)
                .collect(),
            topics: triggers::topics(text, sent.start),
            trigger_starts: hits.iter().map(|h| h.start).collect(),
            lower,
        };
        // Definite references first, then the rest, each by the kind's priority. Several
        // events may be stated in one sentence ("Before visiting Israel, he made a visit to
        // Iraq"): every trigger is tried, and repeats of an event made here are skipped.
        let order = hits
            .iter()
            .filter(|h| h.definite)
            .chain(hits.iter().filter(|h| !h.definite));
        out.start_sentence();
        for t in order {
            let slots = slots::fill(&s, t);
            let frame = frame::settle(&s, t, &slots);
            out.add(&s, t, &slots, frame);
        }
        if let Some(cue) = attendee_cue {
            attendees::extend(&mut out, doc, m, posts, &runs, sent, cue);
        }
    }
    out.into_events()
}
