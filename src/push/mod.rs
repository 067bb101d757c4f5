//! `push`: the store's graphs to a remote SPARQL 1.1 store, one request per graph, replaced
//! whole, incrementally and resumably.
//!
//! Entry points: [`plan`] (what would be sent) and [`push`]. What goes: every named graph of
//! the store (the article graphs, the links graph, the ontology graph and, unless
//! [`SummaryMode::Skip`], the summary graph), each sent when its version differs from the
//! version this store last pushed to that remote ([`PushState`]), and a `delete` for every
//! graph this store pushed there that it no longer holds. A graph's version is its facts hash
//! (article graphs and the ontology carry one) or else the SHA-256 of its sorted N-Triples.
//!
//! Invariants:
//! - the push log names a graph only after the remote acknowledged it in that version, so a
//!   push cut off at any point (a kill, a network error, a server restart) is finished by the
//!   next run, which sends the rest; every write replaces its graph, so nothing is duplicated;
//! - graphs that other stores pushed to the same remote are never touched;
//! - nothing is written to the local store but its summary graph, brought up to date first
//!   when stale (as the next ingest would), so that the summary pushed matches the articles.

mod payload;
mod remote;
mod state;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use oxigraph::model::NamedNode;

use crate::error::ErrorKind;
use crate::store::{NewsStore, StoreError, SUMMARY_GRAPH};

pub use payload::ntriples;
pub use remote::{
    Credentials, Protocol, Remote, PASSWORD_ENV, QUADS_MAX_TRIPLES, UPDATE_MAX_TRIPLES, USER_ENV,
};
pub use state::{PushState, STATE_DIR};

use remote::{Refusal, Write};

/// What to do with the summary graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SummaryMode {
    /// Push this store's summary graph, like any other: right when this store is the only one
    /// pushing articles to the remote.
    #[default]
    Local,
    /// Leave the remote's summary graph alone.
    Skip,
    /// After the graphs, recompute the summary from every article graph the remote holds
    /// (four SPARQL aggregates on its query endpoint, [`PushOptions::query_url`]) and write it:
    /// right for stores that push shards of one corpus to a shared store.
    Remote,
}

/// How a push runs.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Requests in flight at once (at least 1).
    pub jobs: usize,
    pub summary: SummaryMode,
    /// The remote's SPARQL query endpoint, for [`SummaryMode::Remote`].
    pub query_url: Option<String>,
}

/// One graph to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub graph: NamedNode,
    /// Its version: `facts:<hash>` or `sha256:<hash>` of its sorted N-Triples.
    pub version: String,
    /// The version the remote holds, if this store pushed it before.
    pub replaces: Option<String>,
}

/// What a push would send.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Graphs that are new to the remote or changed since they were pushed, in IRI order.
    pub send: Vec<Outgoing>,
    /// Graphs this store pushed that it no longer holds, in IRI order.
    pub delete: Vec<String>,
    /// Graphs the remote already holds in their current version.
    pub unchanged: usize,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Graphs written.
    pub sent: usize,
    /// Graphs deleted on the remote.
    pub deleted: usize,
    /// Graphs not sent because the remote holds them already.
    pub unchanged: usize,
    /// Triples written.
    pub triples: usize,
    /// Graphs that the remote refused whole (413) and took in parts.
    pub split: usize,
    /// Triples of the summary graph recomputed on the remote ([`SummaryMode::Remote`]).
    pub remote_summary: Option<usize>,
}

/// Progress of a push, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum PushEvent<'a> {
    /// Requests to come (graphs to write and to delete).
    Start { requests: usize },
    /// One graph written (or deleted: 0 triples).
    Done { graph: &'a str, triples: usize },
    /// A request is retried after a connection error or a 408, 429 or 5xx answer.
    Retry {
        graph: &'a str,
        attempt: u32,
        reason: &'a str,
    },
}

/// Why a push failed. Everything acknowledged before the failure stays recorded.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{url}: {message}")]
    BadUrl { url: String, message: String },
    #[error("cannot read or write the push log {path}: {cause} (deleting it makes the next push send every graph again)")]
    State {
        path: std::path::PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: not a valid netrc file: {message}")]
    Netrc {
        path: std::path::PathBuf,
        message: String,
    },
    #[error("{url} refused the push ({status}) {}; set ${USER_ENV} and ${PASSWORD_ENV}, or add 'machine HOST login USER password PASSWORD' to ~/.netrc (or the file $NETRC names)", credentials.as_ref().map_or("without credentials".to_owned(), |c| format!("with {c}")))]
    Unauthorized {
        url: String,
        status: String,
        credentials: Option<String>,
    },
    // `cause` rather than `source`: the message already says it, and a source would be
    // printed a second time by the CLI's error chain.
    #[error("cannot reach {url} ({cause}{}); is the server running, and is this its endpoint? What was sent before is recorded: run push again to send the rest", if *attempts > 1 { format!(", {attempts} attempts") } else { String::new() })]
    Unreachable {
        url: String,
        attempts: u32,
        cause: std::io::Error,
    },
    #[error("{url} failed on graph {graph} after {attempts} attempts (last: {last}); what was sent before is recorded: run push again to send the rest")]
    ServerError {
        url: String,
        graph: String,
        attempts: u32,
        last: String,
    },
    #[error("{url} rejected graph {graph} ({status}): {message}")]
    Rejected {
        url: String,
        graph: String,
        status: String,
        message: String,
    },
    #[error("{url} refused even one triple of graph {graph} as too large (413); raise the server's request size limit")]
    TooLarge { url: String, graph: String },
}

impl PushError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            PushError::Store(e) => e.kind(),
            PushError::BadUrl { .. } => ErrorKind::Usage,
            PushError::Netrc { .. } => ErrorKind::BadInput,
            PushError::State { .. } => ErrorKind::Failure,
            PushError::Unauthorized { .. } => ErrorKind::Auth,
            PushError::Unreachable { .. }
            | PushError::ServerError { .. }
            | PushError::Rejected { .. }
            | PushError::TooLarge { .. } => ErrorKind::Remote,
        }
    }
}

/// The graphs to push and their versions, in IRI order.
fn local_graphs(
    store: &NewsStore,
    summary: SummaryMode,
) -> Result<Vec<(NamedNode, String)>, StoreError> {
    let mut out = Vec::new();
    for g in store.graphs()? {
        if summary != SummaryMode::Local && g == SUMMARY_GRAPH {
            continue;
        }
        // Graphs named by blank nodes have no name a remote could share.
        let Ok(graph) = NamedNode::new(&g) else {
            continue;
        };
        let version = match store.facts_hash(&graph)? {
            Some(h) => format!("facts:{h}"),
            None => {
                let nt = ntriples(&store.graph_triples(&graph)?);
                let text = String::from_utf8_lossy(&nt);
                let mut lines: Vec<&str> = text.lines().collect();
                lines.sort_unstable();
                format!("sha256:{}", crate::rdf::iri::content_hash(&lines))
            }
        };
        out.push((graph, version));
    }
    Ok(out)
}

/// What a push to `remote` would send now. The summary graph is brought up to date first when
/// it is pushed and stale.
pub fn plan(
    store: &NewsStore,
    remote: &Remote,
    opts: &PushOptions,
) -> Result<(Plan, PushState), PushError> {
    if opts.summary == SummaryMode::Local && !store.summary_is_current()? {
        store.rebuild_summary()?;
    }
    let state = PushState::open(store.path(), &remote.key())?;
    let local = local_graphs(store, opts.summary)?;
    let mut plan = Plan::default();
    for (graph, version) in &local {
        let replaces = state.version(graph.as_str());
        if replaces == Some(version.as_str()) {
            plan.unchanged += 1;
        } else {
            plan.send.push(Outgoing {
                graph: graph.clone(),
                version: version.clone(),
                replaces: replaces.map(str::to_owned),
            });
        }
    }
    let held: std::collections::HashSet<&str> = local.iter().map(|(g, _)| g.as_str()).collect();
    plan.delete = state
        .graphs()
        .into_iter()
        .filter(|g| !held.contains(g))
        .filter(|g| !(opts.summary != SummaryMode::Local && *g == SUMMARY_GRAPH))
        .map(str::to_owned)
        .collect();
    Ok((plan, state))
}

/// One request's work and its outcome.
enum Job<'a> {
    Write(&'a Outgoing),
    Delete(&'a str),
}

struct Done {
    graph: String,
    version: Option<String>,
    triples: usize,
    split: bool,
}

impl Done {
    /// `out` written, with `triples` triples, in parts when `split`.
    fn written(out: &Outgoing, triples: usize, split: bool) -> Done {
        Done {
            graph: out.graph.as_str().to_owned(),
            version: Some(out.version.clone()),
            triples,
            split,
        }
    }
}

/// Pushes the store's graphs to `remote` (see the module docs): `opts.jobs` requests in flight,
/// every acknowledged graph recorded in the push log at once. On the first error that retries
/// cannot cure, no new request starts; the ones in flight finish and are recorded, and the
/// error is returned.
pub fn push(
    store: &NewsStore,
    remote: &Remote,
    opts: &PushOptions,
    progress: &(dyn Fn(PushEvent<'_>) + Sync),
) -> Result<PushReport, PushError> {
    let (plan, mut state) = plan(store, remote, opts)?;
    let jobs: Vec<Job<'_>> = plan
        .send
        .iter()
        .map(Job::Write)
        .chain(plan.delete.iter().map(|g| Job::Delete(g)))
        .collect();
    progress(PushEvent::Start {
        requests: jobs.len(),
    });
    let mut report = PushReport {
        unchanged: plan.unchanged,
        ..PushReport::default()
    };
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let mut first_error: Option<PushError> = None;
    let (tx, rx) = mpsc::channel::<Result<Done, PushError>>();
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.clamp(1, jobs.len().max(1)) {
            let tx = tx.clone();
            let (next, stop, jobs) = (&next, &stop, &jobs);
            scope.spawn(move || {
                let send = |r: Result<Done, PushError>| {
                    if r.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    tx.send(r).is_ok()
                };
                // By SPARQL Update, graphs smaller than a request go several to a request.
                let mut batch = Batch::default();
                loop {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let sent = match job {
                        Job::Write(out) if remote.protocol != Protocol::GraphStore => {
                            match store.graph_triples(&out.graph) {
                                Err(e) => send(Err(e.into())),
                                Ok(triples) => batch
                                    .add(remote, out, triples, progress)
                                    .into_iter()
                                    .all(send),
                            }
                        }
                        _ => send(run_job(store, remote, job, progress)),
                    };
                    if !sent {
                        return;
                    }
                }
                for r in batch.flush(remote, progress) {
                    if !send(r) {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for r in rx {
            let recorded = r.and_then(|done| {
                state.record(&done.graph, done.version.as_deref())?;
                Ok(done)
            });
            match recorded {
                Ok(done) => {
                    if done.version.is_some() {
                        report.sent += 1;
                    } else {
                        report.deleted += 1;
                    }
                    report.triples += done.triples;
                    report.split += usize::from(done.split);
                    progress(PushEvent::Done {
                        graph: &done.graph,
                        triples: done.triples,
                    });
                }
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    first_error.get_or_insert(e);
                }
            }
        }
    });
    if let Some(e) = first_error {
        return Err(e);
    }
    if opts.summary == SummaryMode::Remote {
        report.remote_summary = Some(remote_summary(remote, opts, progress)?);
    }
    Ok(report)
}

/// Recomputes the summary graph from the remote's article graphs and writes it there; the
/// number of its triples.
fn remote_summary(
    remote: &Remote,
    opts: &PushOptions,
    progress: &(dyn Fn(PushEvent<'_>) + Sync),
) -> Result<usize, PushError> {
    let endpoint = opts.query_url.as_deref().ok_or_else(|| PushError::BadUrl {
        url: remote.url.clone(),
        message: "recomputing the summary on the remote needs its query endpoint (--query URL)"
            .into(),
    })?;
    let retried = retry_reporter(progress, SUMMARY_GRAPH);
    let quads =
        crate::store::summary_quads_from(&mut |q: &str| remote.select(endpoint, q, &retried))?;
    let triples: Vec<oxigraph::model::Triple> = quads.into_iter().map(Into::into).collect();
    write_graph(remote, SUMMARY_GRAPH, &triples, &retried)?;
    progress(PushEvent::Done {
        graph: SUMMARY_GRAPH,
        triples: triples.len(),
    });
    Ok(triples.len())
}

/// What `remote` calls after each retry of a request about `graph`: a [`PushEvent::Retry`].
fn retry_reporter<'a>(
    progress: &'a (dyn Fn(PushEvent<'_>) + Sync),
    graph: &'a str,
) -> impl Fn(u32, &str) + 'a {
    move |attempt, reason| {
        progress(PushEvent::Retry {
            graph,
            attempt,
            reason,
        })
    }
}

/// Graphs gathered for one SPARQL Update request, up to [`Remote::max_triples`] in all.
#[derive(Default)]
struct Batch<'a> {
    graphs: Vec<(&'a Outgoing, Vec<oxigraph::model::Triple>)>,
    triples: usize,
}

impl<'a> Batch<'a> {
    /// Adds a graph; the outcomes of the requests this made (a full batch sent first, or a
    /// graph too large for a batch sent alone).
    fn add(
        &mut self,
        remote: &Remote,
        out: &'a Outgoing,
        triples: Vec<oxigraph::model::Triple>,
        progress: &(dyn Fn(PushEvent<'_>) + Sync),
    ) -> Vec<Result<Done, PushError>> {
        let mut done = Vec::new();
        if self.triples + triples.len() > remote.max_triples {
            done = self.flush(remote, progress);
        }
        if triples.len() > remote.max_triples {
            done.push(write_alone(remote, out, &triples, progress));
        } else {
            self.triples += triples.len();
            self.graphs.push((out, triples));
        }
        done
    }

    /// Sends the gathered graphs in one request (one by one when the remote answers 413).
    fn flush(
        &mut self,
        remote: &Remote,
        progress: &(dyn Fn(PushEvent<'_>) + Sync),
    ) -> Vec<Result<Done, PushError>> {
        let graphs = std::mem::take(&mut self.graphs);
        self.triples = 0;
        if graphs.len() <= 1 {
            return graphs
                .iter()
                .map(|(out, t)| write_alone(remote, out, t, progress))
                .collect();
        }
        let first = graphs[0].0.graph.as_str();
        let retried = retry_reporter(progress, first);
        let sent = if remote.protocol == Protocol::Quads {
            // Each graph deleted first (it may be there from a push cut off), then all in one.
            graphs
                .iter()
                .try_for_each(|(out, _)| remote.write(out.graph.as_str(), Write::Delete, &retried))
                .and_then(|()| {
                    let parts: Vec<(&str, &[oxigraph::model::Triple])> = graphs
                        .iter()
                        .map(|(out, t)| (out.graph.as_str(), &t[..]))
                        .collect();
                    remote.post_quads(first, payload::nquads(&parts), &retried)
                })
        } else {
            let bodies: Vec<(&str, payload::Body)> = graphs
                .iter()
                .map(|(out, t)| (out.graph.as_str(), payload::Body::of(t)))
                .collect();
            remote.replace_many(&bodies, &retried)
        };
        match sent {
            Ok(()) => graphs
                .iter()
                .map(|(out, t)| Ok(Done::written(out, t.len(), false)))
                .collect(),
            Err(Refusal::TooLarge) => graphs
                .iter()
                .map(|(out, t)| write_alone(remote, out, t, progress))
                .collect(),
            Err(Refusal::Fatal(e)) => vec![Err(e)],
        }
    }
}

/// Sends one graph in a request (or requests) of its own.
fn write_alone(
    remote: &Remote,
    out: &Outgoing,
    triples: &[oxigraph::model::Triple],
    progress: &(dyn Fn(PushEvent<'_>) + Sync),
) -> Result<Done, PushError> {
    let graph = out.graph.as_str();
    let retried = retry_reporter(progress, graph);
    let split = write_graph(remote, graph, triples, &retried)?;
    Ok(Done::written(out, triples.len(), split))
}

/// Sends one graph (split in parts when the remote answers 413) or deletes one.
fn run_job(
    store: &NewsStore,
    remote: &Remote,
    job: &Job<'_>,
    progress: &(dyn Fn(PushEvent<'_>) + Sync),
) -> Result<Done, PushError> {
    let graph = match job {
        Job::Write(o) => o.graph.as_str(),
        Job::Delete(g) => g,
    };
    let retried = retry_reporter(progress, graph);
    let Job::Write(out) = job else {
        remote
            .write(graph, Write::Delete, &retried)
            .map_err(|r| refusal(remote, graph, r))?;
        return Ok(Done {
            graph: graph.to_owned(),
            version: None,
            triples: 0,
            split: false,
        });
    };
    let triples = store.graph_triples(&out.graph)?;
    write_alone(remote, out, &triples, progress)
}

/// Replaces `graph` on the remote with `triples`: in one request, or in parts when there are
/// more than [`Remote::max_triples`] or the remote answers 413 (parts of half the size, then of
/// half that, ...; triples linked by a blank node stay in one part). By SPARQL Update, parts go
/// to a staging graph that one last request moves over `graph` (still one operation); by
/// the Graph Store Protocol the first part replaces the graph and the others add to it. True
/// when it took parts.
fn write_graph(
    remote: &Remote,
    graph: &str,
    triples: &[oxigraph::model::Triple],
    retried: &dyn Fn(u32, &str),
) -> Result<bool, PushError> {
    let (ordered, starts) = payload::blank_node_groups(triples);
    if remote.protocol == Protocol::Update && ordered.len() > remote.max_triples {
        let staging = staging_graph(graph);
        write_parts(remote, &staging, &ordered, &starts, retried)?;
        remote
            .write(graph, Write::MoveFrom(&staging), retried)
            .map_err(|r| refusal(remote, graph, r))?;
        return Ok(true);
    }
    write_parts(remote, graph, &ordered, &starts, retried)
}

/// The graph a graph is staged in (SPARQL Update, in parts): a leftover of a cut-off push is
/// dropped by the next one's first part.
fn staging_graph(graph: &str) -> String {
    format!(
        "urn:newsgraph:staging:{}",
        &crate::rdf::iri::content_hash(&[graph])[..32]
    )
}

fn refusal(remote: &Remote, graph: &str, r: Refusal) -> PushError {
    match r {
        Refusal::Fatal(e) => e,
        Refusal::TooLarge => PushError::TooLarge {
            url: remote.url.clone(),
            graph: graph.to_owned(),
        },
    }
}

/// Writes `triples` (grouped, groups starting at `starts`) to `graph`, the first request
/// replacing it and the others adding to it; true when it took more than one request.
fn write_parts(
    remote: &Remote,
    graph: &str,
    triples: &[oxigraph::model::Triple],
    starts: &[usize],
    retried: &dyn Fn(u32, &str),
) -> Result<bool, PushError> {
    // The end of a part from `start` of about `part` triples: the last group start at most
    // that far, or the end of the first group when it is longer.
    let cut = |start: usize, part: usize| {
        let want = start.saturating_add(part);
        if want >= triples.len() {
            return triples.len();
        }
        let after = starts.partition_point(|&s| s <= start);
        let upto = starts.partition_point(|&s| s <= want);
        if upto > after {
            starts[upto - 1]
        } else {
            starts.get(after).copied().unwrap_or(triples.len())
        }
    };
    let (mut start, mut part, mut requests) = (0, triples.len().min(remote.max_triples), 0);
    loop {
        let end = cut(start, part);
        let body = payload::Body::of(&triples[start..end]);
        let write = if start == 0 {
            Write::Replace(&body)
        } else {
            Write::Add(&body)
        };
        match remote.write(graph, write, retried) {
            Ok(()) => {
                requests += 1;
                start = end;
                if start >= triples.len() {
                    return Ok(requests > 1);
                }
            }
            // Parts of more than one group can be cut further.
            Err(Refusal::TooLarge) if starts.iter().any(|&s| s > start && s < end) => {
                part = (end - start).div_ceil(2);
            }
            Err(r) => return Err(refusal(remote, graph, r)),
        }
    }
}
