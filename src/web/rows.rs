//! Running a page's query file with its bindings, and reading the rows by column name.
//! Entry point: [`run`].

use std::rc::Rc;

use oxigraph::model::{Term, Variable};

use super::Site;
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
    ENTITY = "entity.rq";
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

/// One result row; columns are read by name, an unbound one reads as "".
pub struct Row {
    vars: Rc<Vec<String>>,
    values: Vec<Option<Term>>,
}

impl Row {
    /// A row of plain literals (tests build the pages' inputs with it).
    #[cfg(test)]
    pub fn of(pairs: &[(&str, &str)]) -> Row {
        Row {
            vars: Rc::new(pairs.iter().map(|(k, _)| (*k).to_owned()).collect()),
            values: pairs
                .iter()
                .map(|(_, v)| {
                    Some(Term::Literal(oxigraph::model::Literal::new_simple_literal(
                        *v,
                    )))
                })
                .collect(),
        }
    }

    /// The value of a column: an IRI's text, a literal's lexical form, "" when unbound.
    pub fn get(&self, var: &str) -> &str {
        match self.term(var) {
            Some(Term::NamedNode(n)) => n.as_str(),
            Some(Term::Literal(l)) => l.value(),
            _ => "",
        }
    }

    /// A column as a count (0 when unbound or not a number).
    pub fn int(&self, var: &str) -> u64 {
        self.get(var).parse().unwrap_or(0)
    }

    pub fn term(&self, var: &str) -> Option<&Term> {
        let i = self.vars.iter().position(|v| v == var)?;
        self.values.get(i)?.as_ref()
    }
}

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
    let (vars, rows) = site.store.select_with_vars(query.text, query.name, &opts)?;
    let vars = Rc::new(vars);
    Ok(rows
        .into_iter()
        .map(|values| Row {
            vars: Rc::clone(&vars),
            values,
        })
        .collect())
}
