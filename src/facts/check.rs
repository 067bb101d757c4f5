//! Fact-level checks: references resolve, spans lie in the text and quote it, values are in range.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::model::*;
use crate::article::is_valid_id;

/// One problem in a facts value, located by a JSON-path-like pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, e.g. `events[2].participants[0].entity`.
    pub at: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

struct Checker<'a> {
    /// Byte offset of every char boundary in the text (len = chars + 1).
    bounds: Vec<usize>,
    text: &'a str,
    entities: HashMap<&'a str, &'a Entity>,
    events: HashSet<&'a str>,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn problem(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            at: at.into(),
            message: message.into(),
        });
    }

    fn span(&mut self, at: &str, span: &Span) {
        let chars = self.bounds.len() - 1;
        if span.start > span.end || span.end > chars {
            self.problem(
                at,
                format!(
                    "span {}..{} lies outside the text ({chars} characters)",
                    span.start, span.end
                ),
            );
            return;
        }
        let actual = &self.text[self.bounds[span.start]..self.bounds[span.end]];
        if actual != span.text {
            self.problem(
                at,
                format!(
                    "span {}..{} quotes {:?} but the text there is {:?}",
                    span.start, span.end, span.text, actual
                ),
            );
        }
    }

    fn evidence(&mut self, at: &str, ev: &Evidence) {
        if ev.spans.is_empty() {
            self.problem(format!("{at}.spans"), "evidence needs at least one span");
        }
        for (i, s) in ev.spans.iter().enumerate() {
            self.span(&format!("{at}.spans[{i}]"), s);
        }
        if !(0.0..=1.0).contains(&ev.confidence) {
            self.problem(
                format!("{at}.confidence"),
                format!("confidence {} is outside [0, 1]", ev.confidence),
            );
        }
        if ev.rule.is_none() && ev.annotator.is_none() {
            self.problem(at, "evidence names neither a rule nor an annotator");
        }
    }

    fn entity_ref(&mut self, at: &str, id: &str, want: Option<EntityKind>) {
        match self.entities.get(id) {
            None => self.problem(at, format!("refers to unknown entity {id:?}")),
            Some(e) => {
                if let Some(kind) = want {
                    if e.kind != kind {
                        let msg = format!("entity {id:?} is a {:?}, expected a {kind:?}", e.kind)
                            .to_lowercase();
                        self.problem(at, msg);
                    }
                }
            }
        }
    }

    fn time(&mut self, at: &str, t: &TimeExpr) {
        if let Some(span) = &t.span {
            self.span(&format!("{at}.span"), span);
        }
        match (&t.value, t.precision, &t.resolution) {
            (None, _, Resolution::Unresolved) => {}
            (Some(_), _, Resolution::Unresolved) => {
                self.problem(at, "an unresolved time must not have a value")
            }
            (None, _, _) => self.problem(at, "a resolved time needs a value"),
            (Some(v), p, _) => {
                let ok = match p {
                    Some(Precision::Day) => {
                        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
                    }
                    Some(Precision::Month) => {
                        v.len() == 7 && format!("{v}-01").parse::<chrono::NaiveDate>().is_ok()
                    }
                    Some(Precision::Year) => v.len() == 4 && v.chars().all(|c| c.is_ascii_digit()),
                    None => false,
                };
                if !ok {
                    self.problem(
                        format!("{at}.value"),
                        format!(
                            "{v:?} does not match precision {p:?} (YYYY-MM-DD, YYYY-MM or YYYY)"
                        ),
                    );
                }
            }
        }
        if let Resolution::RelativeToEvent { event, .. } = &t.resolution {
            if !self.events.contains(event.as_str()) {
                self.problem(
                    format!("{at}.resolution.event"),
                    format!("refers to unknown event {event:?}"),
                );
            }
        }
    }
}

/// Checks a facts value; returns every problem found (empty when valid).
pub fn check(facts: &Facts) -> Vec<Problem> {
    let text = facts.article.text.as_str();
    let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    bounds.push(text.len());
    let mut c = Checker {
        bounds,
        text,
        entities: HashMap::new(),
        events: HashSet::new(),
        problems: Vec::new(),
    };
    if facts.format != FACTS_FORMAT {
        c.problem(
            "format",
            format!("expected {FACTS_FORMAT:?}, found {:?}", facts.format),
        );
    }
    if !is_valid_id(&facts.article.id) {
        c.problem(
            "article.id",
            format!(
                "{:?} is not a valid id: use letters, digits, '-', '_' and '.'",
                facts.article.id
            ),
        );
    }
    for (i, e) in facts.entities.iter().enumerate() {
        if c.entities.insert(e.id.as_str(), e).is_some() {
            c.problem(
                format!("entities[{i}].id"),
                format!("duplicate entity id {:?}", e.id),
            );
        }
    }
    for (i, ev) in facts.events.iter().enumerate() {
        if !c.events.insert(ev.id.as_str()) {
            c.problem(
                format!("events[{i}].id"),
                format!("duplicate event id {:?}", ev.id),
            );
        }
    }
    for (i, e) in facts.entities.iter().enumerate() {
        let at = format!("entities[{i}]");
        if e.name.trim().is_empty() {
            c.problem(format!("{at}.name"), "name is empty");
        }
        match (e.kind, e.place_kind) {
            (EntityKind::Place, None) => {
                c.problem(format!("{at}.place_kind"), "a place needs a place_kind")
            }
            (EntityKind::Person | EntityKind::Organisation, Some(_)) => {
                c.problem(format!("{at}.place_kind"), "only places have a place_kind")
            }
            _ => {}
        }
        if e.mentions.is_empty() {
            c.problem(
                format!("{at}.mentions"),
                "an entity needs at least one mention",
            );
        }
        for (j, m) in e.mentions.iter().enumerate() {
            c.span(&format!("{at}.mentions[{j}]"), m);
        }
        c.evidence(&format!("{at}.evidence"), &e.evidence);
    }
    for (i, p) in facts.posts.iter().enumerate() {
        let at = format!("posts[{i}]");
        c.entity_ref(&format!("{at}.holder"), &p.holder, Some(EntityKind::Person));
        if let Some(of) = &p.of {
            c.entity_ref(&format!("{at}.of"), of, None);
        }
        if p.title.trim().is_empty() {
            c.problem(format!("{at}.title"), "title is empty");
        }
        if let Some(t) = &p.as_of {
            c.time(&format!("{at}.as_of"), t);
        }
        c.evidence(&format!("{at}.evidence"), &p.evidence);
    }
    for (i, ev) in facts.events.iter().enumerate() {
        let at = format!("events[{i}]");
        if ev.participants.is_empty() {
            c.problem(
                format!("{at}.participants"),
                "an event needs at least one participant",
            );
        }
        for (j, p) in ev.participants.iter().enumerate() {
            c.entity_ref(&format!("{at}.participants[{j}].entity"), &p.entity, None);
        }
        if let Some(place) = &ev.place {
            c.entity_ref(&format!("{at}.place"), place, Some(EntityKind::Place));
        }
        if let Some(t) = &ev.time {
            c.time(&format!("{at}.time"), t);
        }
        c.evidence(&format!("{at}.evidence"), &ev.evidence);
    }
    c.problems
}
