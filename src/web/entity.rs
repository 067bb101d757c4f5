//! The entity page: kind, names and aliases, posts, events on a timeline, the network of
//! co-participants, links to other datasets, the newest articles. Entry point: [`page`].

use std::collections::HashMap;

use askama::Template;
use oxigraph::model::{NamedNode, Term};

use super::events::{event_row, Filter};
use super::home::link;
use super::network::{self, NodeIn};
use super::rows;
use super::templates::{ArticleRow, Entity, LinkRow, PairRow, PostRow};
use super::{article_href, entity_href, href, iri_term, Params, Site, WebError};

/// Events listed (as `entity-events.rq` pages them).
const EVENTS_PAGE: usize = 100;
/// Articles listed (as `entity-articles.rq` pages them).
const NEWEST: usize = 20;

pub fn page(site: &Site<'_>, params: &Params) -> Result<String, WebError> {
    let iri = params.iri("iri")?;
    let bind = [("entity", iri_term(&iri))];
    // Its name, kind and article count are the summary graph's, as the search index holds
    // them.
    let index = site.index()?;
    let Some(known) = index.known(iri.as_str()) else {
        return Err(WebError::NotFound(format!(
            "The store names no person, organisation or place <{}>. Search for a name instead.",
            iri.as_str()
        )));
    };
    let (name, kind) = (known.name.clone(), known.kind);
    let kind_of = |iri: &str| index.kind(iri);

    let aliases = index.aliases(iri.as_str());
    let posts = rows::run(site, &rows::ENTITY_POSTS, &bind)?
        .iter()
        .map(|r| PostRow {
            title: r.get("post").to_owned(),
            of: (!r.get("of").is_empty())
                .then(|| link(r, "of", "of_name", kind_of(r.get("of")), 0)),
            status: r.get("status").to_owned(),
            articles: r.int("articles"),
        })
        .collect();
    let (found, events_capped) = site.events()?.filter(
        &Filter {
            who: Some(iri.as_str()),
            ..Default::default()
        },
        EVENTS_PAGE,
    );
    let events = found
        .into_iter()
        .map(|e| event_row(e, index, Some(iri.as_str())))
        .collect();

    // The network: the entity's own pairs (b = the entity), then pairs among the others.
    let net_rows = rows::run(site, &rows::ENTITY_NETWORK, &bind)?;
    let mut partners: Vec<PairRow> = Vec::new();
    let mut others: Vec<NodeIn> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for r in net_rows.iter().filter(|r| r.get("b") == iri.as_str()) {
        if others.len() >= network::MAX_NODES - 1 {
            break;
        }
        let other = r.get("a");
        slot.insert(other.to_owned(), others.len());
        others.push(NodeIn {
            href: entity_href(other),
            label: r.get("a_name").to_owned(),
            kind: kind_of(other),
            events: r.int("events"),
        });
        partners.push(PairRow {
            a: link(r, "b", "b_name", kind, 0),
            b: link(r, "a", "a_name", kind_of(other), 0),
            events: r.int("events"),
            articles: 0,
            first: r.get("first").to_owned(),
            last: r.get("last").to_owned(),
        });
    }
    let edges: Vec<(usize, usize, u64)> = net_rows
        .iter()
        .filter(|r| r.get("b") != iri.as_str())
        .filter_map(|r| {
            Some((
                *slot.get(r.get("a"))?,
                *slot.get(r.get("b"))?,
                r.int("events"),
            ))
        })
        .collect();
    let network = (!others.is_empty()).then(|| {
        network::layout(
            NodeIn {
                href: entity_href(iri.as_str()),
                label: name.clone(),
                kind,
                events: 0,
            },
            &others,
            &edges,
        )
    });

    let links = rows::run(site, &rows::ENTITY_LINKS, &bind)?
        .iter()
        .map(|r| LinkRow {
            target: r.get("target").to_owned(),
            relation: if r.get("predicate").ends_with("sameAs") {
                "same as"
            } else {
                "close match"
            },
            score: r.get("score").to_owned(),
            method: r.get("method").to_owned(),
            dataset: r.get("linkset").rsplit('/').next().unwrap_or("").to_owned(),
        })
        .collect();
    let newest = newest_articles(site, &bind)?;
    Ok(Entity {
        articles: known.articles,
        name,
        kind,
        aliases,
        posts,
        events,
        events_capped,
        timeline_href: href("/timeline", "who", iri.as_str()),
        network,
        partners,
        links,
        newest,
    }
    .render()?)
}

/// The newest [`NEWEST`] articles naming the entity: every article naming it
/// (`entity-mentioned-in.rq`), sorted by the dates read when `serve` started (newest first,
/// undated last, then by IRI, as `entity-articles.rq` sorts), then each one's headline.
fn newest_articles(site: &Site<'_>, bind: &[(&str, Term)]) -> Result<Vec<ArticleRow>, WebError> {
    let dates = site.dates()?;
    let mut all: Vec<(String, String)> = rows::run(site, &rows::ENTITY_MENTIONED_IN, bind)?
        .iter()
        .map(|r| {
            let a = r.get("article").to_owned();
            let d = dates.get(&a).cloned().unwrap_or_default();
            (d, a)
        })
        .collect();
    all.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
    all.truncate(NEWEST);
    let mut out = Vec::with_capacity(all.len());
    for (published, article) in all {
        let term = Term::NamedNode(NamedNode::new_unchecked(article.clone()));
        let rows = rows::run(site, &rows::ARTICLE_HEADLINE, &[("article", term)])?;
        out.push(ArticleRow {
            href: article_href(&article),
            headline: rows.first().map_or("", |r| r.get("headline")).to_owned(),
            published,
        });
    }
    Ok(out)
}
