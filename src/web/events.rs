//! The events of the store, read once per served store by `queries/pages/event-index.rq`, for
//! the timeline page and the entity pages' event lists: filtered and sorted in memory, in the
//! order of `timeline.rq` and `entity-events.rq` (newest date first, undated last, then by
//! event IRI). Entry point: [`EventIndex::read`], [`EventIndex::filter`].

use std::collections::HashMap;
use std::sync::Arc;

use super::rows;
use super::search::{self, Index};
use super::templates::{EntityLink, EventRow};
use super::{article_href, entity_href, Site, WebError};

/// One event and its participants.
pub struct Event {
    pub iri: String,
    pub article: Arc<str>,
    pub headline: Arc<str>,
    /// The event class's IRI (`ng:Meeting`, ...).
    pub class: String,
    pub status: String,
    /// ISO value as the text gives it; "" when undated.
    pub date: String,
    pub place: String,
    /// (participant IRI, role)
    pub parts: Vec<(String, String)>,
}

/// What the timeline's filters ask for (all given ones must hold).
#[derive(Default)]
pub struct Filter<'a> {
    pub class: Option<&'a str>,
    pub place: Option<&'a str>,
    pub who: Option<&'a str>,
    /// Dates compared as text: `from` ≤ date, and the date's first `to.len()` characters ≤ `to`.
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

impl Filter<'_> {
    fn admits(&self, e: &Event) -> bool {
        self.class.is_none_or(|c| e.class == c)
            && self.place.is_none_or(|p| e.place == p)
            && self.who.is_none_or(|w| e.parts.iter().any(|(p, _)| p == w))
            && self.from.is_none_or(|f| e.date.as_str() >= f)
            && self
                .to
                .is_none_or(|t| !e.date.is_empty() && e.date.get(..t.len()).unwrap_or(&e.date) <= t)
    }
}

pub struct EventIndex {
    /// Newest first, undated last, then by IRI.
    events: Vec<Event>,
    by_who: HashMap<String, Vec<u32>>,
}

impl EventIndex {
    pub fn read(site: &Site<'_>) -> Result<EventIndex, WebError> {
        let rows = rows::run(site, &rows::EVENT_INDEX, &[])?;
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut texts: HashMap<String, Arc<str>> = HashMap::new();
        let mut intern = |s: &str| -> Arc<str> {
            texts
                .entry(s.to_owned())
                .or_insert_with(|| Arc::from(s))
                .clone()
        };
        let mut events: Vec<Event> = Vec::new();
        for r in &rows {
            let iri = r.get("event");
            let i = match at.get(iri) {
                Some(&i) => i,
                None => {
                    events.push(Event {
                        iri: iri.to_owned(),
                        article: intern(r.get("article")),
                        headline: intern(r.get("headline")),
                        class: r.get("class").to_owned(),
                        status: r.get("status").to_owned(),
                        date: r.get("date").to_owned(),
                        place: r.get("place").to_owned(),
                        parts: Vec::new(),
                    });
                    at.insert(iri.to_owned(), events.len() - 1);
                    events.len() - 1
                }
            };
            let part = (r.get("participant").to_owned(), r.get("role").to_owned());
            if !events[i].parts.contains(&part) {
                events[i].parts.push(part);
            }
        }
        Ok(EventIndex::from_events(events))
    }

    fn from_events(mut events: Vec<Event>) -> EventIndex {
        events.sort_by(|a, b| {
            // Undated ("") sorts last, as in the queries' ORDER BY DESC(?sort).
            b.date.cmp(&a.date).then_with(|| a.iri.cmp(&b.iri))
        });
        let mut by_who: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            for (who, _) in &e.parts {
                let list = by_who.entry(who.clone()).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        EventIndex { events, by_who }
    }

    /// The first `max` events that `filter` admits, and whether there were more.
    pub fn filter(&self, filter: &Filter<'_>, max: usize) -> (Vec<&Event>, bool) {
        let mut out = Vec::new();
        let candidates: Box<dyn Iterator<Item = &Event>> = match filter.who {
            Some(w) => Box::new(
                self.by_who
                    .get(w)
                    .into_iter()
                    .flatten()
                    .map(|&i| &self.events[i as usize]),
            ),
            None => Box::new(self.events.iter()),
        };
        for e in candidates.filter(|e| filter.admits(e)) {
            if out.len() == max {
                return (out, true);
            }
            out.push(e);
        }
        (out, false)
    }
}

/// An event as a timeline row: its participants (but `own`, whose role it shows) and place
/// named from the search index.
pub fn event_row(e: &Event, index: &Index, own: Option<&str>) -> EventRow {
    // An entity the index does not hold (not a person, organisation or place) is named by
    // the end of its IRI.
    let link = |iri: &str| -> EntityLink {
        index.known(iri).map_or_else(
            || EntityLink {
                href: entity_href(iri),
                name: iri.rsplit('/').next().unwrap_or(iri).to_owned(),
                kind: "entity",
                articles: 0,
            },
            search::link,
        )
    };
    let mut others: Vec<EntityLink> = e
        .parts
        .iter()
        .filter(|(p, _)| Some(p.as_str()) != own)
        .map(|(p, _)| link(p))
        .collect();
    others.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.href.cmp(&b.href)));
    others.dedup_by(|a, b| a.href == b.href);
    // ng:ParticipantRole reads "participant", as the other roles do.
    let role = own
        .and_then(|o| e.parts.iter().find(|(p, _)| p == o))
        .map_or(String::new(), |(_, r)| {
            r.strip_suffix("role")
                .filter(|r| !r.is_empty())
                .unwrap_or(r)
                .to_owned()
        });
    EventRow {
        date: e.date.clone(),
        kind: e
            .class
            .rsplit('#')
            .next()
            .unwrap_or("")
            .to_lowercase()
            .replace("otherevent", "other"),
        status: e.status.clone(),
        place: (!e.place.is_empty()).then(|| link(&e.place)),
        role,
        others,
        article_href: article_href(&e.article),
        headline: e.headline.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(iri: &str, date: &str, class: &str, place: &str, who: &[&str]) -> Event {
        Event {
            iri: iri.into(),
            article: Arc::from("a"),
            headline: Arc::from(""),
            class: class.into(),
            status: "occurred".into(),
            date: date.into(),
            place: place.into(),
            parts: who
                .iter()
                .map(|w| ((*w).to_owned(), "participant".to_owned()))
                .collect(),
        }
    }

    fn index() -> EventIndex {
        EventIndex::from_events(vec![
            ev("e1", "2024-12-11", "M", "baku", &["x", "y"]),
            ev("e2", "", "M", "", &["x"]),
            ev("e3", "2025-01-21", "T", "davos", &["y"]),
            ev("e4", "2024", "M", "", &["z"]),
            ev("e0", "2024-12-11", "M", "", &["z"]),
        ])
    }

    fn iris<'a>(got: &(Vec<&'a Event>, bool)) -> Vec<&'a str> {
        got.0.iter().map(|e| e.iri.as_str()).collect()
    }

    #[test]
    fn newest_first_undated_last_ties_by_iri() {
        let ix = index();
        assert_eq!(
            iris(&ix.filter(&Filter::default(), 10)),
            ["e3", "e0", "e1", "e4", "e2"]
        );
        let (page, more) = ix.filter(&Filter::default(), 2);
        assert_eq!(page.len(), 2);
        assert!(more);
    }

    #[test]
    fn filters_combine_as_the_timeline_query_does() {
        let ix = index();
        let f = |f: Filter<'static>| iris(&ix.filter(&f, 10)).join(" ");
        assert_eq!(
            f(Filter {
                who: Some("x"),
                ..Default::default()
            }),
            "e1 e2"
        );
        assert_eq!(
            f(Filter {
                class: Some("T"),
                ..Default::default()
            }),
            "e3"
        );
        assert_eq!(
            f(Filter {
                place: Some("baku"),
                ..Default::default()
            }),
            "e1"
        );
        // "2024-12" to "2024-12": the month, whatever the day; "2024" alone is before it.
        assert_eq!(
            f(Filter {
                from: Some("2024-12"),
                to: Some("2024-12"),
                ..Default::default()
            }),
            "e0 e1"
        );
        assert_eq!(
            f(Filter {
                to: Some("2024"),
                ..Default::default()
            }),
            "e0 e1 e4"
        );
        assert_eq!(
            f(Filter {
                from: Some("2025"),
                ..Default::default()
            }),
            "e3"
        );
        assert_eq!(
            f(Filter {
                who: Some("nobody"),
                ..Default::default()
            }),
            ""
        );
    }
}
