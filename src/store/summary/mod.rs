//! The summary graph: corpus-wide counts that `ingest` and `load` keep up to date, so that the
//! overview queries (persons, organisations, places, posts, events by class, who met whom) read
//! one small graph instead of every article graph of a large store.
//!
//! Entry point: [`SummaryRun`], started before a run writes, fed each new article's [`Tally`],
//! finished after the run's last commit.
//!
//! What it holds, in the graph [`SUMMARY_GRAPH`]:
//! - each person, organisation and place: its types, one `schema:name` (the smallest of the
//!   names the articles give it) and `ng:articleCount`, the number of articles naming it;
//! - each event class: `ng:eventCount`, the number of events asserted of that class;
//! - each post statement (holder, title, organisation, status): a node with those values and
//!   `ng:articleCount`, the number of articles stating it;
//! - each pair of persons or organisations that the articles report taking part in the same
//!   meeting-like event that occurred: a node with the two as `ng:pairMember`, `ng:eventCount`
//!   (events, each counted once per article reporting it), `ng:articleCount`, and the first and
//!   last of the events' dates (`ng:firstDate`, `ng:lastDate`).
//!
//! Entities also carry `ng:sortKey`, a short prefix of the name that the listings sort by
//! (see [`sort_key`]).
//!
//! Crash safety: the graph carries `<SUMMARY_GRAPH> ng:upToDate true` only while it matches the
//! article graphs. A run removes the marker before its first write and puts it back in the same
//! commit as the new counts; a run that dies in between leaves no marker, and the next run that
//! writes (or re-ingests, even with nothing new) rebuilds the summary from every article graph.
//! A run that replaces an existing article also rebuilds: counts and smallest names can be
//! added to, not taken back.

use std::collections::HashSet;

use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

mod rebuild;
mod tally;

pub use tally::Tally;

use super::{NewsStore, StoreError};
use crate::rdf::vocab::{ng, org, schema, xsd};

/// The name of the summary graph (fixed, like the ontology graph, whatever the data's base IRI).
pub const SUMMARY_GRAPH: &str = "https://w3id.org/newsgraph/ns/summary";

/// Classes that make a node a person, organisation or place of the summary.
const ENTITY_CLASSES: [NamedNodeRef<'static>; 7] = [
    schema::PERSON,
    schema::ORGANIZATION,
    org::ORGANIZATION,
    schema::PLACE,
    schema::COUNTRY,
    schema::CITY,
    schema::ADMINISTRATIVE_AREA,
];

fn graph() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(SUMMARY_GRAPH)
}

/// The first [`SORT_KEY_CHARS`] characters of a name: sorting by this key, then by the name,
/// gives the name order, and Oxigraph stores strings of up to 15 bytes inline, so an ORDER BY
/// on the key compares them without reading the store (on the BBC ×50 store, sorting persons
/// by name took 47 ms more than by an integer).
fn sort_key(name: &str) -> &str {
    name.char_indices()
        .nth(SORT_KEY_CHARS)
        .map_or(name, |(i, _)| &name[..i])
}

/// Characters of a name kept in its sort key.
const SORT_KEY_CHARS: usize = 15;

/// IRIs written for a SPARQL VALUES list.
fn iris(classes: &[NamedNodeRef<'_>]) -> String {
    classes
        .iter()
        .map(|c| format!("<{}>", c.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn count(n: u64) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into()
}

fn named(t: &Term) -> Option<NamedNode> {
    named_ref(t).cloned()
}

fn named_ref(t: &Term) -> Option<&NamedNode> {
    match t {
        Term::NamedNode(n) => Some(n),
        _ => None,
    }
}

fn literal(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

fn count_of(t: &Term) -> u64 {
    literal(t).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// How a run left the summary graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryUpdate {
    /// Nothing was written and the summary was up to date: untouched.
    Untouched,
    /// The run's new articles were added to the counts.
    Added,
    /// Rebuilt from every article graph (an article was replaced, or the last run was cut off).
    Rebuilt,
}

/// The summary's side of one writing run (see the module docs for the protocol).
pub struct SummaryRun<'a> {
    store: &'a NewsStore,
    was_current: bool,
    /// The summary graph held nothing at the start: no current entries to read.
    was_empty: bool,
    marker_removed: bool,
    rebuild: bool,
    /// The new counts went out with the run's last bulk batch (see [`Self::hand_over`]).
    handed_over: bool,
    tally: Tally,
}

impl<'a> SummaryRun<'a> {
    /// Notes whether the summary is up to date before the run writes anything.
    pub fn start(store: &'a NewsStore) -> Result<Self, StoreError> {
        let was_empty = store
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph())))
            .next()
            .is_none();
        Ok(SummaryRun {
            store,
            was_current: store.summary_is_current()?,
            was_empty,
            marker_removed: false,
            rebuild: false,
            handed_over: false,
            tally: Tally::default(),
        })
    }

    /// Call before each write to the store: the first call removes the up-to-date marker.
    pub fn before_write(&mut self) -> Result<(), StoreError> {
        if !self.marker_removed {
            self.store.remove_quads(&[marker()])?;
            self.marker_removed = true;
        }
        Ok(())
    }

    /// A new article was written: its counts are added at the end.
    pub fn added(&mut self, tally: Tally) {
        self.tally.add(tally);
    }

    /// An existing article's graph was replaced: the summary is rebuilt at the end.
    pub fn replaced(&mut self) {
        self.rebuild = true;
    }

    /// After the run's last commit: adds the counts, or rebuilds, and marks the summary up to
    /// date. Not calling it (the run failed) leaves the marker off for the next run to mend.
    pub fn finish(mut self) -> Result<SummaryUpdate, StoreError> {
        if self.handed_over {
            return Ok(SummaryUpdate::Added);
        }
        if self.was_current && !self.marker_removed {
            return Ok(SummaryUpdate::Untouched);
        }
        if self.rebuild || !self.was_current {
            self.store.rebuild_summary()?;
            return Ok(SummaryUpdate::Rebuilt);
        }
        let (old, new) = self.merged()?;
        self.store.write_summary(&old, new, false)?;
        Ok(SummaryUpdate::Added)
    }

    /// For a run that only added articles, before its last bulk batch: removes the entries
    /// about to change and returns their new quads with the up-to-date marker, for the caller
    /// to commit with that batch (the batch must then be committed before [`Self::finish`]).
    /// `None` when the summary is to be rebuilt instead.
    pub fn hand_over(&mut self) -> Result<Option<Vec<Quad>>, StoreError> {
        if self.rebuild || !self.was_current {
            return Ok(None);
        }
        self.before_write()?;
        let (old, mut new) = self.merged()?;
        self.store.remove_quads(&old)?;
        new.push(marker());
        self.handed_over = true;
        Ok(Some(new))
    }

    /// The current entries for the run's keys (none when the graph was empty), and the quads
    /// of those entries with the run's counts added.
    fn merged(&mut self) -> Result<(Vec<Quad>, Vec<Quad>), StoreError> {
        let tally = std::mem::take(&mut self.tally);
        let (mut merged, old) = if self.was_empty {
            (Tally::default(), Vec::new())
        } else {
            self.store.summary_entries(&tally)?
        };
        merged.add(tally);
        Ok((old, merged.to_quads()))
    }
}

fn marker() -> Quad {
    Quad::new(
        graph().into_owned(),
        ng::UP_TO_DATE.into_owned(),
        Literal::from(true),
        graph().into_owned(),
    )
}

/// The whole summary graph, with its up-to-date marker, of a store that `select` runs SELECT
/// queries on: what `push --summary remote` recomputes from a remote store's article graphs.
pub fn summary_quads_from<E>(
    select: &mut dyn FnMut(&str) -> Result<super::query::Rows, E>,
) -> Result<Vec<Quad>, E> {
    let mut quads = rebuild::tally_from_selects(select)?.to_quads();
    quads.push(marker());
    Ok(quads)
}
