//! The timeline page: the newest events of the store, filtered by date range, kind, place and
//! participant, from the event index (`queries/pages/timeline.rq` gives the same answer with
//! `--bind`). Entry point: [`page`].

use askama::Template;
use oxigraph::model::NamedNodeRef;

use super::events::{event_row, Filter};
use super::templates::{KindOption, Timeline};
use super::{Params, Site, WebError};
use crate::rdf::vocab::ng;

/// The timeline query's page size (in events).
const PAGE: usize = 200;

/// The event classes the kind filter offers, with their labels. A class is named in the URL
/// by its local name ("Meeting") or its IRI.
const KINDS: &[(NamedNodeRef<'static>, &str)] = &[
    (ng::MEETING, "meeting"),
    (ng::TALKS, "talks"),
    (ng::VISIT, "visit"),
    (ng::CALL, "call"),
    (ng::BRIEFING, "briefing"),
    (ng::ANNOUNCEMENT, "announcement"),
    (ng::MEDIATION, "mediation"),
    (ng::AGREEMENT, "agreement"),
    (ng::PUBLICATION, "publication"),
    (ng::OTHER_EVENT, "other"),
];

/// A class's local name ("Meeting").
fn local(class: NamedNodeRef<'_>) -> &str {
    class
        .as_str()
        .strip_prefix(ng::NS)
        .unwrap_or(class.as_str())
}

/// The class a `kind` parameter names.
fn class_of(kind: &str) -> Option<NamedNodeRef<'static>> {
    KINDS
        .iter()
        .map(|(c, _)| *c)
        .find(|c| kind == local(*c) || kind == c.as_str())
}

pub fn page(site: &Site<'_>, params: &Params) -> Result<String, WebError> {
    let index = site.index()?;
    let mut notes = Vec::new();
    let (from, to) = (params.get("from"), params.get("to"));
    for (var, value) in [("from", from), ("to", to)] {
        if let Some(v) = value {
            if !is_date_prefix(v) {
                return Err(WebError::BadRequest(format!(
                    "{var}={v:?} is not a date: write 2024, 2024-12 or 2024-12-11"
                )));
            }
        }
    }
    let kind = params.get("kind");
    let class = match kind {
        Some(k) => Some(class_of(k).ok_or_else(|| {
            WebError::BadRequest(format!(
                "kind={k:?} is not a kind of event; use one of {}",
                KINDS
                    .iter()
                    .map(|(c, _)| local(*c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    // Place and participant: an IRI (links from other pages) or a name typed in the form.
    let mut resolve =
        |var: &'static str, value: Option<&str>| -> Result<(String, Option<String>), WebError> {
            let Some(v) = value else {
                return Ok((String::new(), None));
            };
            let iri = if v.starts_with("http://") || v.starts_with("https://") {
                Some(params.iri_value(var, v)?.into_string())
            } else {
                index.resolve(v).map(|k| k.iri.clone())
            };
            match iri {
                Some(iri) => {
                    let label = index
                        .known(&iri)
                        .map_or_else(|| v.to_owned(), |k| k.name.clone());
                    Ok((label, Some(iri)))
                }
                None => {
                    notes.push(format!(
                        "Nothing in the store is named “{v}”; that filter is left out."
                    ));
                    Ok((v.to_owned(), None))
                }
            }
        };
    let (place, place_iri) = resolve("place", params.get("place"))?;
    let (who, who_iri) = resolve("who", params.get("who"))?;
    let filter = Filter {
        class: class.map(|c| c.as_str()),
        place: place_iri.as_deref(),
        who: who_iri.as_deref(),
        from,
        to,
    };
    let (found, capped) = site.events()?.filter(&filter, PAGE);
    let events = found
        .into_iter()
        .map(|e| event_row(e, index, None))
        .collect();
    let kinds = KINDS
        .iter()
        .map(|(c, label)| KindOption {
            value: local(*c).to_owned(),
            label: (*label).to_owned(),
            selected: class == Some(*c),
        })
        .collect();
    Ok(Timeline {
        from: from.unwrap_or("").to_owned(),
        to: to.unwrap_or("").to_owned(),
        kinds,
        place,
        who,
        notes,
        events,
        capped,
    }
    .render()?)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_date_prefix(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}
