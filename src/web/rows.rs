//! Running a page's query file with its bindings; its rows are read by column name
//! ([`Row`]).
//! Entry point: [`run`].

use oxigraph::model::{Term, Variable};

use super::Site;
pub use crate::store::Row;
use crate::store::{QueryError, QueryOptions};

/// A query file of `queries/pages/`, compiled into the binary.
pub struct PageQuery {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! page_queries {
    ($($id:ident = $file:literal;)*) => {
        $(pub const $id: PageQuery = PageQuery {
            name: concat!("queries/pages/", $file),
            text: include_str!(concat!("../../queries/pages/", $file)),
        };)*
    };
}

page_queries! {
    ARTICLE_COUNT = "article-count.rq";
    HOME_COUNTS = "home-counts.rq";
    TOP_PAIRS = "top-pairs.rq";
    SEARCH_NAMES = "search-names.rq";
    ENTITY_POSTS = "entity-posts.rq";
    ENTITY_NETWORK = "entity-network.rq";
    ENTITY_LINKS = "entity-links.rq";
    ARTICLE = "article.rq";
    ARTICLE_MENTIONS = "article-mentions.rq";
    ARTICLE_FACTS = "article-facts.rq";
    EVENT_INDEX = "event-index.rq";
    ARTICLE_DATES = "article-dates.rq";
    ENTITY_MENTIONED_IN = "entity-mentioned-in.rq";
    ARTICLE_HEADLINE = "article-headline.rq";
}

/// The shipped events-by-class.rq (the start page lists its rows).
pub const EVENTS_BY_CLASS: PageQuery = PageQuery {
    name: "queries/events-by-class.rq",
    text: include_str!("../../queries/events-by-class.rq"),
};

/// Runs `query` with `bindings` (variable name, value). No timeout: every page query reads a
/// bounded part of the store (the summary graph, one article graph, or a page of one entity's
/// articles or events), and a timeout costs a sleeping thread per query.
pub fn run(
    site: &Site<'_>,
    query: &PageQuery,
    bindings: &[(&str, Term)],
) -> Result<Vec<Row>, QueryError> {
    let opts = QueryOptions {
        bindings: bindings
            .iter()
            .map(|(name, term)| (Variable::new_unchecked(*name), term.clone()))
            .collect(),
        all: true,
        ..Default::default()
    };
    site.store.select_rows(query.text, query.name, &opts)
}
