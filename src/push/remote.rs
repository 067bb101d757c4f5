//! One remote SPARQL 1.1 store and the requests `push` sends it, with retries.
//!
//! Entry point: [`Remote`]. Graph Store HTTP Protocol: `PUT ?graph=G` replaces a graph
//! (`POST` adds to it, for the later parts of a graph split after a 413), `DELETE` removes it.
//! SPARQL 1.1 Update: `DROP SILENT GRAPH` and `INSERT DATA` in one request (executed as one
//! operation by the stores we test). Connection errors, 408, 429 and 5xx answers are retried
//! with exponential backoff; 401 and 403 stop the push at once; 413 is reported to the caller,
//! which splits the graph.

use std::borrow::Cow;
use std::time::Duration;

use base64::Engine as _;
use oxhttp::model::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use oxhttp::model::{Method, Request, StatusCode, Uri};
use oxhttp::Client;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};

use crate::store::Rows;

use super::payload::Body;
use super::PushError;

/// How graphs are written to the remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol (`PUT`/`POST`/`DELETE` with `?graph=`).
    GraphStore,
    /// SPARQL 1.1 Update (`DROP SILENT GRAPH` + `INSERT DATA`).
    Update,
    /// Batches of whole graphs as N-Quads, `POST`ed to the graph store endpoint itself after a
    /// Graph Store Protocol `DELETE` of each (Oxigraph server and Fuseki take datasets there;
    /// with Oxigraph's `?no_transaction` its bulk loader writes them). Not atomic: a graph cut
    /// off is not in the push log, so the next push deletes and sends it again.
    Quads,
}

impl Protocol {
    fn name(self) -> &'static str {
        match self {
            Protocol::GraphStore => "gsp",
            Protocol::Update => "update",
            Protocol::Quads => "quads",
        }
    }
}

/// A user name and password for HTTP Basic authentication.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
    /// Where they came from, for messages ("$NEWSGRAPH_PUSH_USER", "~/.netrc").
    pub from: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials({} from {}, password hidden)",
            self.user, self.from
        )
    }
}

/// The environment variables that hold push credentials.
pub const USER_ENV: &str = "NEWSGRAPH_PUSH_USER";
pub const PASSWORD_ENV: &str = "NEWSGRAPH_PUSH_PASSWORD";

impl Credentials {
    /// Credentials for `url`: `$NEWSGRAPH_PUSH_USER` and `$NEWSGRAPH_PUSH_PASSWORD` when the
    /// first is set, else the netrc entry (`$NETRC`, else `~/.netrc`) of the URL's host (or
    /// its `default` entry), else none.
    pub fn find(url: &str) -> Result<Option<Credentials>, PushError> {
        if let Ok(user) = std::env::var(USER_ENV) {
            let password = std::env::var(PASSWORD_ENV).unwrap_or_default();
            return Ok(Some(Credentials {
                user,
                password,
                from: format!("${USER_ENV}"),
            }));
        }
        let Some(file) = netrc::Netrc::get_file() else {
            return Ok(None);
        };
        Self::from_netrc(&file, url)
    }

    /// The netrc entry of `url`'s host in `file`.
    pub fn from_netrc(file: &std::path::Path, url: &str) -> Result<Option<Credentials>, PushError> {
        let host = url
            .parse::<Uri>()
            .ok()
            .and_then(|u| u.host().map(str::to_owned))
            .unwrap_or_default();
        let parsed = netrc::Netrc::from_file(file).map_err(|e| PushError::Netrc {
            path: file.to_owned(),
            message: e.to_string(),
        })?;
        let entry = parsed
            .hosts
            .get(&host)
            .or_else(|| parsed.hosts.get("default"));
        Ok(entry.map(|a| Credentials {
            user: a.login.clone(),
            password: a.password.clone(),
            from: file.display().to_string(),
        }))
    }

    fn header(&self) -> String {
        let pair = format!("{}:{}", self.user, self.password);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }
}

/// A remote store: where graphs are written, how, and with what retries.
#[derive(Debug, Clone)]
pub struct Remote {
    /// The endpoint of `protocol`: a graph store (`.../store`) or an update endpoint.
    pub url: String,
    pub protocol: Protocol,
    pub credentials: Option<Credentials>,
    /// Per request (connect, write, read).
    pub timeout: Duration,
    /// Retries of one request after a connection error or a 408, 429 or 5xx answer.
    pub retries: u32,
    /// The most triples in one request: a larger graph goes in parts (by SPARQL Update: staged
    /// in a graph of its own, then moved in one request). Virtuoso's update endpoint refuses
    /// much over 1,000 triples in one request.
    pub max_triples: usize,
}

/// The default of [`Remote::max_triples`] for SPARQL Update (Graph Store Protocol requests
/// are not cut unless the server answers 413).
pub const UPDATE_MAX_TRIPLES: usize = 1000;

/// The default of [`Remote::max_triples`] for [`Protocol::Quads`]: quads of one `POST`.
pub const QUADS_MAX_TRIPLES: usize = 50_000;

/// One HTTP request of a push.
struct Exchange<'a> {
    method: Method,
    url: &'a str,
    content_type: &'a str,
    accept: Option<&'a str>,
    /// Borrowed where the caller holds it (a graph's N-Triples), so it is copied only into
    /// each attempt's request.
    body: Cow<'a, [u8]>,
    /// The graph it is about, for messages.
    graph: &'a str,
    /// A 404 means done (deleting a graph the remote no longer has).
    absent_is_fine: bool,
}

/// What one request came to, when it did not succeed.
pub(super) enum Refusal {
    /// 413: the caller splits the graph.
    TooLarge,
    Fatal(PushError),
}

/// A request after which the graph's state on the remote is known.
pub(super) enum Write<'a> {
    /// Replace the graph with these triples.
    Replace(&'a Body),
    /// Add these triples to the graph (a later part of a split graph).
    Add(&'a Body),
    /// Remove the graph (absent already is fine).
    Delete,
    /// Replace the graph with the content of another one, which is removed (SPARQL Update
    /// `MOVE`; graphs staged in parts).
    MoveFrom(&'a str),
}

impl Remote {
    /// Checks that `url` is an absolute http(s) URL with a host.
    pub fn check_url(url: &str) -> Result<(), String> {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("'{url}' is not a URL ({e})"))?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            _ => return Err(format!("'{url}' must start with http:// or https://")),
        }
        if uri.host().is_none_or(str::is_empty) {
            return Err(format!("'{url}' has no host"));
        }
        Ok(())
    }

    /// The key of this remote's push log: the protocol and the URL.
    pub fn key(&self) -> String {
        format!("{} {}", self.protocol.name(), self.url)
    }

    /// Writes one graph (or part of one), retrying what can be retried. `retried` is told of
    /// every retry (attempt number, reason).
    pub(super) fn write(
        &self,
        graph: &str,
        write: Write<'_>,
        retried: &dyn Fn(u32, &str),
    ) -> Result<(), Refusal> {
        let (method, url, content_type, body): (Method, String, &str, Cow<'_, [u8]>) =
            match (self.protocol, &write) {
                (Protocol::GraphStore | Protocol::Quads, Write::Replace(b)) => (
                    Method::PUT,
                    self.graph_url(graph),
                    TURTLE,
                    Cow::Borrowed(&b.nt[..]),
                ),
                (Protocol::GraphStore | Protocol::Quads, Write::Add(b)) => (
                    Method::POST,
                    self.graph_url(graph),
                    TURTLE,
                    Cow::Borrowed(&b.nt[..]),
                ),
                (Protocol::GraphStore | Protocol::Quads, Write::Delete) => (
                    Method::DELETE,
                    self.graph_url(graph),
                    "",
                    Cow::Borrowed(&[][..]),
                ),
                (Protocol::GraphStore | Protocol::Quads, Write::MoveFrom(_)) => {
                    unreachable!("graphs are staged only for SPARQL Update")
                }
                (Protocol::Update, w) => {
                    let text = super::payload::update(graph, w);
                    (
                        Method::POST,
                        self.url.clone(),
                        SPARQL_UPDATE,
                        Cow::Owned(text.into_bytes()),
                    )
                }
            };
        let request = Exchange {
            method,
            url: &url,
            content_type,
            accept: None,
            body,
            graph,
            absent_is_fine: matches!(write, Write::Delete),
        };
        self.send(&request, retried).map(drop)
    }

    /// Replaces several graphs in one SPARQL Update request.
    pub(super) fn replace_many(
        &self,
        graphs: &[(&str, Body)],
        retried: &dyn Fn(u32, &str),
    ) -> Result<(), Refusal> {
        let request = Exchange {
            method: Method::POST,
            url: &self.url,
            content_type: SPARQL_UPDATE,
            accept: None,
            body: Cow::Owned(super::payload::update_many(graphs).into_bytes()),
            graph: graphs.first().map_or("", |(g, _)| g),
            absent_is_fine: false,
        };
        self.send(&request, retried).map(drop)
    }

    /// Posts several whole graphs as one N-Quads document to the graph store endpoint itself
    /// ([`Protocol::Quads`]).
    pub(super) fn post_quads(
        &self,
        first_graph: &str,
        nquads: Vec<u8>,
        retried: &dyn Fn(u32, &str),
    ) -> Result<(), Refusal> {
        let request = Exchange {
            method: Method::POST,
            url: &self.url,
            content_type: "application/n-quads",
            accept: None,
            body: Cow::Owned(nquads),
            graph: first_graph,
            absent_is_fine: false,
        };
        self.send(&request, retried).map(drop)
    }

    /// Runs a SELECT query on the remote's query `endpoint` (for `push --summary remote`): the
    /// rows, values in the order of the answer's variables.
    pub(super) fn select(
        &self,
        endpoint: &str,
        query: &str,
        retried: &dyn Fn(u32, &str),
    ) -> Result<Rows, PushError> {
        // A form, not a direct application/sparql-query POST: Virtuoso 7.2 keeps the connection
        // open after answering that one.
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .finish();
        let request = Exchange {
            method: Method::POST,
            url: endpoint,
            content_type: FORM,
            accept: Some("application/sparql-results+json"),
            body: Cow::Owned(form.into_bytes()),
            graph: crate::store::SUMMARY_GRAPH,
            absent_is_fine: false,
        };
        let body = self.send(&request, retried).map_err(|r| match r {
            Refusal::Fatal(e) => e,
            Refusal::TooLarge => PushError::Rejected {
                url: endpoint.to_owned(),
                graph: crate::store::SUMMARY_GRAPH.to_owned(),
                status: "413".into(),
                message: "the summary query was refused as too large".into(),
            },
        })?;
        let bad = |message: String| PushError::Rejected {
            url: endpoint.to_owned(),
            graph: crate::store::SUMMARY_GRAPH.to_owned(),
            status: "200".into(),
            message,
        };
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(&body)
            .map_err(|e| bad(format!("the answer is not SPARQL JSON results: {e}")))?;
        let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(bad("the answer is a boolean, not a table".into()));
        };
        let mut rows = Vec::new();
        for s in solutions {
            let s = s.map_err(|e| bad(format!("the answer is not SPARQL JSON results: {e}")))?;
            rows.push(s.values().to_vec());
        }
        Ok(rows)
    }

    /// Sends one request, retrying what can be retried; the answer's body on success.
    fn send(&self, x: &Exchange<'_>, retried: &dyn Fn(u32, &str)) -> Result<Vec<u8>, Refusal> {
        let client = Client::new()
            .with_global_timeout(self.timeout)
            .with_user_agent(concat!("newsgraph/", env!("CARGO_PKG_VERSION")))
            .expect("the user agent is a valid header value");
        let mut attempt = 0;
        loop {
            let mut builder = Request::builder().method(x.method.clone()).uri(x.url);
            if !x.content_type.is_empty() {
                builder = builder.header(CONTENT_TYPE, x.content_type);
            }
            if let Some(a) = x.accept {
                builder = builder.header(ACCEPT, a);
            }
            if let Some(c) = &self.credentials {
                builder = builder.header(AUTHORIZATION, c.header());
            }
            let request = builder.body(x.body.to_vec()).map_err(|e| {
                Refusal::Fatal(PushError::BadUrl {
                    url: x.url.to_owned(),
                    message: e.to_string(),
                })
            })?;
            let retry_reason = match client.request(request) {
                Ok(response) => {
                    let status = response.status();
                    if status.is_success() || (x.absent_is_fine && status == StatusCode::NOT_FOUND)
                    {
                        match response.into_body().to_vec() {
                            Ok(body) => return Ok(body),
                            Err(e) if attempt >= self.retries => {
                                return Err(Refusal::Fatal(self.unreachable(attempt + 1, e)))
                            }
                            Err(e) => e.to_string(),
                        }
                    } else {
                        let message = response
                            .into_body()
                            .to_string()
                            .map(|s| s.chars().take(400).collect::<String>())
                            .unwrap_or_default();
                        match status.as_u16() {
                            401 | 403 => {
                                return Err(Refusal::Fatal(PushError::Unauthorized {
                                    url: x.url.to_owned(),
                                    status: status.to_string(),
                                    credentials: self
                                        .credentials
                                        .as_ref()
                                        .map(|c| format!("user '{}' from {}", c.user, c.from)),
                                }))
                            }
                            413 => return Err(Refusal::TooLarge),
                            408 | 429 | 500..=599 => format!("{status}: {}", message.trim()),
                            _ => {
                                return Err(Refusal::Fatal(PushError::Rejected {
                                    url: x.url.to_owned(),
                                    graph: x.graph.to_owned(),
                                    status: status.to_string(),
                                    message: message.trim().to_owned(),
                                }))
                            }
                        }
                    }
                }
                Err(e) => {
                    if attempt >= self.retries {
                        return Err(Refusal::Fatal(self.unreachable(attempt + 1, e)));
                    }
                    e.to_string()
                }
            };
            if attempt >= self.retries {
                return Err(Refusal::Fatal(PushError::ServerError {
                    url: x.url.to_owned(),
                    graph: x.graph.to_owned(),
                    attempts: attempt + 1,
                    last: retry_reason,
                }));
            }
            attempt += 1;
            retried(attempt, &retry_reason);
            std::thread::sleep(backoff(attempt));
        }
    }

    fn unreachable(&self, attempts: u32, source: std::io::Error) -> PushError {
        PushError::Unreachable {
            url: self.url.clone(),
            attempts,
            cause: source,
        }
    }

    /// `url?graph=G` (or `&graph=G` when the URL has a query already).
    fn graph_url(&self, graph: &str) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let encoded: String = form_urlencoded::byte_serialize(graph.as_bytes()).collect();
        format!("{}{sep}graph={encoded}", self.url)
    }
}

const TURTLE: &str = "text/turtle; charset=utf-8";
const SPARQL_UPDATE: &str = "application/sparql-update; charset=utf-8";
const FORM: &str = "application/x-www-form-urlencoded";

/// The wait before retry `attempt` (1, 2, ...): 250 ms, doubled each time up to 4 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(125u64 << attempt.clamp(1, 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_urls_encode_the_graph_name() {
        let r = Remote {
            url: "http://127.0.0.1:7878/store".into(),
            protocol: Protocol::GraphStore,
            credentials: None,
            timeout: Duration::from_secs(1),
            retries: 0,
            max_triples: usize::MAX,
        };
        assert_eq!(
            r.graph_url("https://example.org/article/a#b"),
            "http://127.0.0.1:7878/store?graph=https%3A%2F%2Fexample.org%2Farticle%2Fa%23b"
        );
        let r = Remote {
            url: "http://h/sparql-graph-crud?x=1".into(),
            ..r
        };
        assert!(r
            .graph_url("http://g")
            .starts_with("http://h/sparql-graph-crud?x=1&graph="));
    }

    #[test]
    fn urls_are_checked() {
        assert!(Remote::check_url("http://127.0.0.1:7878/store").is_ok());
        assert!(Remote::check_url("https://db.example.org/sparql").is_ok());
        assert!(Remote::check_url("ftp://x/y").is_err());
        assert!(Remote::check_url("localhost:7878").is_err());
        assert!(Remote::check_url("not a url").is_err());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(250));
        assert_eq!(backoff(2), Duration::from_millis(500));
        assert!(backoff(30) <= Duration::from_secs(4));
    }

    #[test]
    fn netrc_entries_are_found_by_host() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("netrc");
        std::fs::write(
            &f,
            "machine db.example.org login ana password s3cret\ndefault login anon password x\n",
        )
        .unwrap();
        let c = Credentials::from_netrc(&f, "http://db.example.org:8890/sparql")
            .unwrap()
            .unwrap();
        assert_eq!((c.user.as_str(), c.password.as_str()), ("ana", "s3cret"));
        assert!(!format!("{c:?}").contains("s3cret"));
        let d = Credentials::from_netrc(&f, "http://other/sparql")
            .unwrap()
            .unwrap();
        assert_eq!(d.user, "anon");
        assert_eq!(
            c.header(),
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode("ana:s3cret")
            )
        );
    }
}
