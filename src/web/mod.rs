//! The web interface of `newsgraph serve`: server-rendered HTML pages over the store, each one
//! the answer of SPARQL query files in `queries/pages/` (users can run them too, with
//! `newsgraph query FILE --bind ...`), rendered with askama templates (`templates/`, HTML
//! escaping on by default) that work without JavaScript.
//!
//! Entry point: [`Site::page`]. Routes: `/` (start page), `/search`, `/entity`, `/article`,
//! `/timeline`, `/assets/*` (compiled into the binary). The store cannot change while it is
//! served (the serving process holds its lock), so what the pages would otherwise read from
//! every article graph again and again is read once, when `serve` starts, by query files of
//! their own: the article count, the search index of names and aliases (`search-names.rq`),
//! the events with their participants (`event-index.rq`) and the articles' dates
//! (`article-dates.rq`). The rest is read per request, from the summary graph or one entity's
//! or one article's quads.

use std::collections::HashMap;
use std::sync::OnceLock;

use askama::Template;
use oxigraph::model::{NamedNode, Term};

use crate::store::{NewsStore, QueryError};

mod article;
mod entity;
mod events;
mod home;
mod network;
mod rows;
mod search;
mod templates;
mod timeline;

/// A response: status, content type and body.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Page {
    /// A plain-text page.
    pub fn text(status: u16, message: &str) -> Page {
        Page {
            status,
            content_type: "text/plain; charset=utf-8",
            body: message.as_bytes().to_vec(),
        }
    }

    fn html(status: u16, body: String) -> Page {
        Page {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
        }
    }
}

/// Why a page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("the store could not be read: {0}")]
    Store(String),
    #[error("cannot render the page: {0}")]
    Render(#[from] askama::Error),
}

impl WebError {
    /// A page asked for with bad parameters is bad input; the rest are failures.
    pub fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            WebError::NotFound(_) | WebError::BadRequest(_) => ErrorKind::BadInput,
            WebError::Query(e) => e.kind(),
            WebError::Store(_) | WebError::Render(_) => ErrorKind::Failure,
        }
    }

    fn status(&self) -> u16 {
        match self {
            WebError::NotFound(_) => 404,
            WebError::BadRequest(_) => 400,
            WebError::Query(QueryError::Timeout { .. }) => 503,
            WebError::Query(_) | WebError::Store(_) | WebError::Render(_) => 500,
        }
    }
}

/// The pages of one store.
pub struct Site<'a> {
    store: &'a NewsStore,
    articles: OnceLock<Result<u64, String>>,
    index: OnceLock<Result<search::Index, String>>,
    events: OnceLock<Result<events::EventIndex, String>>,
    dates: OnceLock<Result<HashMap<String, String>, String>>,
}

impl<'a> Site<'a> {
    pub fn new(store: &'a NewsStore) -> Self {
        Site {
            store,
            articles: OnceLock::new(),
            index: OnceLock::new(),
            events: OnceLock::new(),
            dates: OnceLock::new(),
        }
    }

    pub fn store(&self) -> &NewsStore {
        self.store
    }

    /// Reads what the pages keep (the article count, the search index, the events and the
    /// articles' dates) now rather than on the first request that needs it. (Reading the
    /// search index and the events on two threads was slower on the ×50 store, 35 s against
    /// 26 s, on 2 cores.)
    pub fn warm(&self) -> Result<(), WebError> {
        self.article_count()?;
        self.index()?;
        self.events()?;
        self.dates()?;
        Ok(())
    }

    /// The page at `path` with the URL query `query_string`.
    pub fn page(&self, path: &str, query_string: &str) -> Page {
        let params = Params::parse(query_string);
        let made = match path {
            "/" => home::page(self),
            "/search" => search::page(self, &params),
            "/entity" => entity::page(self, &params),
            "/article" => article::page(self, &params),
            "/timeline" => timeline::page(self, &params),
            "/assets/style.css" => return asset("text/css", include_str!("assets/style.css")),
            "/assets/app.js" => {
                return asset("text/javascript", include_str!("assets/app.js"));
            }
            "/favicon.ico" => return Page::text(404, "no icon\n"),
            _ => Err(WebError::NotFound(format!(
                "There is no page at {path}. The start page is at /, SPARQL at /query."
            ))),
        };
        match made {
            Ok(html) => Page::html(200, html),
            Err(e) => {
                let body = templates::ErrorPage {
                    status: e.status(),
                    message: e.to_string(),
                }
                .render()
                .unwrap_or_else(|_| e.to_string());
                Page::html(e.status(), body)
            }
        }
    }

    fn article_count(&self) -> Result<u64, WebError> {
        once(&self.articles, || {
            let rows = rows::run(self, &rows::ARTICLE_COUNT, &[])?;
            Ok(rows.first().map_or(0, |r| r.int("articles")))
        })
        .copied()
    }

    fn events(&self) -> Result<&events::EventIndex, WebError> {
        once(&self.events, || events::EventIndex::read(self))
    }

    /// Publication dates of the dated articles, by article IRI.
    fn dates(&self) -> Result<&HashMap<String, String>, WebError> {
        once(&self.dates, || {
            let rows = rows::run(self, &rows::ARTICLE_DATES, &[])?;
            Ok(rows
                .iter()
                .map(|r| (r.get("article").to_owned(), r.get("published").to_owned()))
                .collect())
        })
    }

    fn index(&self) -> Result<&search::Index, WebError> {
        once(&self.index, || search::Index::read(self))
    }
}

/// What `read` gives, read into `cell` the first time; a failure is kept, and told again to
/// every later caller.
fn once<T>(
    cell: &OnceLock<Result<T, String>>,
    read: impl FnOnce() -> Result<T, WebError>,
) -> Result<&T, WebError> {
    cell.get_or_init(|| read().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|m| WebError::Store(m.clone()))
}

fn asset(content_type: &'static str, text: &'static str) -> Page {
    Page {
        status: 200,
        content_type,
        body: text.as_bytes().to_vec(),
    }
}

/// The decoded parameters of a URL query.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(query_string: &str) -> Params {
        Params(
            form_urlencoded::parse(query_string.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
                .collect(),
        )
    }

    /// The first non-empty value of `key`.
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The IRI in `key`, required.
    fn iri(&self, key: &str) -> Result<NamedNode, WebError> {
        let value = self.get(key).ok_or_else(|| {
            WebError::BadRequest(format!(
                "this page needs ?{key}=IRI (follow a link from the start page or a search)"
            ))
        })?;
        self.iri_value(key, value)
    }

    fn iri_value(&self, key: &str, value: &str) -> Result<NamedNode, WebError> {
        NamedNode::new(value)
            .map_err(|e| WebError::BadRequest(format!("?{key}={value:?} is not an IRI: {e}")))
    }
}

/// A link to one entity's page.
fn entity_href(iri: &str) -> String {
    href("/entity", "iri", iri)
}

/// A link to one article's page.
fn article_href(iri: &str) -> String {
    href("/article", "iri", iri)
}

fn href(path: &str, key: &str, value: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair(key, value)
        .finish();
    format!("{path}?{query}")
}

/// The kind of an entity (person, organisation, place) from its types.
fn kind_of_types<'t>(types: impl IntoIterator<Item = &'t str>) -> &'static str {
    let mut kind = "entity";
    for t in types {
        match t {
            "http://schema.org/Person" => return "person",
            "http://schema.org/Organization" => kind = "organisation",
            "http://schema.org/Place" if kind == "entity" => kind = "place",
            _ => {}
        }
    }
    kind
}

/// A term as a binding value for [`rows::run`].
fn iri_term(iri: &NamedNode) -> Term {
    Term::NamedNode(iri.clone())
}
