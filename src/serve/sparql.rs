//! The SPARQL 1.1 Protocol endpoint of `serve` (query only). Entry point: [`answer`].
//!
//! `GET /query?query=…`, or `POST /query` with an `application/sparql-query` or
//! `application/x-www-form-urlencoded` body. Results are SPARQL JSON (SELECT, ASK) or
//! N-Triples (CONSTRUCT, DESCRIBE). Updates are not parsed as queries, so they are refused:
//! the endpoint is read-only. A query runs under [`Limits::query_timeout`] and may return at
//! most [`Limits::max_rows`] rows.

use super::{Limits, Request};
use crate::store::{NewsStore, QueryOptions, ResultFormat};
use crate::web::Page;

/// Answers one request to `/query`.
pub fn answer(store: &NewsStore, req: &Request, limits: &Limits) -> Page {
    let from_form = |s: &[u8]| {
        form_urlencoded::parse(s)
            .find(|(k, _)| k == "query")
            .map(|(_, v)| v.into_owned())
    };
    let query = match req.method.as_str() {
        "GET" => from_form(req.query_string.as_bytes()),
        "POST" if req.content_type.starts_with("application/sparql-query") => {
            Some(String::from_utf8_lossy(&req.body).into_owned())
        }
        "POST" => from_form(&req.body),
        _ => return Page::text(405, "use GET or POST\n"),
    };
    let Some(query) = query else {
        return Page::text(
            400,
            "missing query: send ?query=... or POST a SPARQL query (the pages are at /)\n",
        );
    };
    let opts = QueryOptions {
        timeout: Some(limits.query_timeout),
        // The protocol has no --bind: a scoped query file's text runs as written.
        all: true,
        max_rows: Some(limits.max_rows),
        ..Default::default()
    };
    let mut out = Vec::new();
    match store.run_query(&query, "request", &opts, ResultFormat::Json, &mut out) {
        Ok(()) => {
            let content_type = if out.first() == Some(&b'{') {
                "application/sparql-results+json"
            } else {
                "application/n-triples"
            };
            Page {
                status: 200,
                content_type,
                body: out,
            }
        }
        Err(e) => Page::text(400, &format!("{e}\n")),
    }
}
