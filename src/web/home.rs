//! The start page: store statistics, the most-mentioned persons and organisations (from the
//! search index), the strongest who-met-whom pairs. Entry point: [`page`].

use askama::Template;

use super::rows::{self, Row};
use super::search;
use super::templates::{ClassCount, EntityLink, Home, PairRow};
use super::{entity_href, href, Site, WebError};

/// Entities listed per kind.
const TOP: usize = 15;

pub fn page(site: &Site<'_>) -> Result<String, WebError> {
    let counts = rows::run(site, &rows::HOME_COUNTS, &[])?;
    let counts = counts.first();
    let count = |var: &str| counts.map_or(0, |r| r.int(var));
    let index = site.index()?;
    let top = |kind: &str| -> Vec<EntityLink> {
        index.top(kind, TOP).into_iter().map(search::link).collect()
    };
    let classes = rows::run(site, &rows::EVENTS_BY_CLASS, &[])?
        .iter()
        .map(|r| ClassCount {
            label: r.get("label").to_owned(),
            href: href("/timeline", "kind", r.get("class")),
            events: r.int("events"),
        })
        .collect();
    let pairs = rows::run(site, &rows::TOP_PAIRS, &[])?
        .iter()
        .map(|r| pair_row(r, &|iri: &str| index.kind(iri)))
        .collect();
    Ok(Home {
        articles: site.article_count()?,
        persons: count("persons"),
        organisations: count("organisations"),
        places: count("places"),
        classes,
        top_persons: top("person"),
        top_organisations: top("organisation"),
        pairs,
    }
    .render()?)
}

/// An entity link from the columns `iri` and `name` of a row.
pub fn link(row: &Row, iri: &str, name: &str, kind: &'static str, articles: u64) -> EntityLink {
    EntityLink {
        href: entity_href(row.get(iri)),
        name: row.get(name).to_owned(),
        kind,
        articles,
    }
}

/// A pair row from the columns a, a_name, b, b_name, events, articles, first, last.
fn pair_row(r: &Row, kind_of: &dyn Fn(&str) -> &'static str) -> PairRow {
    PairRow {
        a: link(r, "a", "a_name", kind_of(r.get("a")), 0),
        b: link(r, "b", "b_name", kind_of(r.get("b")), 0),
        events: r.int("events"),
        articles: r.int("articles"),
        first: r.get("first").to_owned(),
        last: r.get("last").to_owned(),
    }
}
