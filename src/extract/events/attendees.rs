//! Lists of attendees told after the gathering they attended ([`extend`]): "The session was
//! attended by A, B and C", "Among his guests were ...", "It also included ...", "Also present
//! were ...". The persons named after the cue join the gathering told just before (at most
//! three sentences back); the cue phrases are data (`frame_cues.tsv`, cue `attendees`).

use super::cues;
use super::merge::Events;
use crate::extract::lexicon::Lexicon;
use crate::extract::mentions::Mentions;
use crate::extract::posts::{MentionRun, PostDraft};
use crate::extract::text::{Doc, Sentence};
use crate::facts::{EntityKind, Role};

/// Where the attendee cue of a sentence ends ("attended by", "Also present were"), as a byte
/// of the document; `lower` is the sentence `sent` lower-cased.
pub(super) fn cue_end(lex: &Lexicon, sent: &Sentence, lower: &str) -> Option<usize> {
    cues::find(lower, &lex.attendee_cues, 0, lower.len()).map(|(_, end)| sent.start + end)
}

/// Adds the persons named in sentence `sent` after its attendee cue (ending at document byte
/// `cue_end`, [`cue_end`]) to the gathering told just before.
pub(super) fn extend(
    out: &mut Events,
    doc: &Doc,
    m: &Mentions,
    posts: &[PostDraft],
    runs: &[MentionRun],
    sent: &Sentence,
    cue_end: usize,
) {
    // The organisation of a post stated here ("head of Acme Corp") is no attendee.
    let of_tokens: Vec<(usize, usize)> = posts
        .iter()
        .filter(|p| p.span.0 >= sent.start && p.span.1 <= sent.end)
        .filter_map(|p| p.of_tokens)
        .collect();
    let mut attendees: Vec<usize> = Vec::new();
    for r in runs
        .iter()
        .filter(|r| r.a >= sent.tokens.0 && r.b <= sent.tokens.1)
        .filter(|r| doc.tokens[r.a].start >= cue_end)
    {
        if m.entities[r.entity].kind != EntityKind::Person
            || of_tokens.iter().any(|&(a, b)| a <= r.a && r.a < b)
            || attendees.contains(&r.entity)
        {
            continue;
        }
        attendees.push(r.entity);
    }
    if attendees.is_empty() {
        return;
    }
    let here = doc.sentence_of_byte(sent.start);
    let Some(ev) = out.gathering_for_attendees(doc, here) else {
        return;
    };
    let role = if ev.participants.iter().any(|p| p.1 == Role::Host) {
        Role::Guest
    } else {
        Role::Participant
    };
    ev.rule = super::merge::ATTENDEES_RULE;
    for a in attendees {
        if !ev.participants.iter().any(|p| p.0 == a) {
            ev.participants.push((a, role));
        }
    }
    if !ev.spans.contains(&(sent.start, sent.end)) {
        ev.spans.push((sent.start, sent.end));
    }
}
