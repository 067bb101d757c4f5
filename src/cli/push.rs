//! `newsgraph push`: send the store's graphs to a remote SPARQL 1.1 store. Entry point: [`run`].

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;

use newsgraph::push::{
    plan, push, Credentials, Protocol, PushEvent, PushOptions, Remote, SummaryMode,
    QUADS_MAX_TRIPLES, UPDATE_MAX_TRIPLES,
};

use super::{parse_seconds, progress_bar, Global, Outcome};

/// Send the store's graphs to a remote SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki,
/// GraphDB, ...): one named graph per article, replaced whole, plus the links, ontology and
/// summary graphs. Only graphs that changed since the last push to the same endpoint are sent,
/// and a push cut off by a failure finishes on the next run.
///
/// Credentials (HTTP Basic) come from $NEWSGRAPH_PUSH_USER and $NEWSGRAPH_PUSH_PASSWORD, else
/// from the netrc file ($NETRC, else ~/.netrc) entry of the URL's host; never from the command
/// line. Exit codes: 8 when the remote refuses the credentials, 9 when it cannot be reached or
/// fails after the retries.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("endpoint").required(true).args(["to", "graph_store", "update"])))]
pub struct Args {
    /// The remote's endpoint for --protocol: its Graph Store Protocol endpoint (Oxigraph
    /// server: http://HOST:7878/store; Virtuoso: http://HOST:8890/sparql-graph-crud), or
    /// with --protocol update its SPARQL Update endpoint (Oxigraph: /update; Virtuoso:
    /// /sparql).
    #[arg(long, value_name = "URL", value_parser = parse_url)]
    to: Option<String>,
    /// How graphs are written: gsp (PUT of each graph, a replace), update (DROP SILENT GRAPH
    /// and INSERT DATA in one request: one transaction where the store runs updates so; for
    /// stores whose Graph Store Protocol is off), or quads (for a fast first load: DELETE of
    /// each graph, then batches of graphs POSTed as N-Quads to the --to URL itself, e.g.
    /// Oxigraph's http://HOST:7878/store?no_transaction, which bulk-loads them; not atomic).
    #[arg(long, value_enum, default_value = "gsp")]
    protocol: ProtocolArg,
    /// The Graph Store Protocol endpoint, where a product puts it apart from its other
    /// endpoints (the same as --to URL --protocol gsp).
    #[arg(long, value_name = "URL", value_parser = parse_url, conflicts_with_all = ["to", "protocol"])]
    graph_store: Option<String>,
    /// The SPARQL Update endpoint (the same as --to URL --protocol update).
    #[arg(long, value_name = "URL", value_parser = parse_url, conflicts_with_all = ["to", "protocol", "graph_store"])]
    update: Option<String>,
    /// Requests in flight at once.
    #[arg(long, short, value_name = "N", default_value_t = 4,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    jobs: usize,
    /// Retries of a request after a connection error or a 408, 429 or 5xx answer (waiting
    /// 0.25 s, then twice as long each time, up to 4 s).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::builder::RangedU64ValueParser::<u32>::new().range(0..=20))]
    retries: u32,
    /// The most triples in one request; larger graphs go in parts (by SPARQL Update staged
    /// in a graph of their own, then moved over the graph in one request: still one
    /// operation). Default: 1000 with --protocol update (Virtuoso refuses much more), 50000
    /// with quads, no limit with gsp (parts only after a 413 answer).
    #[arg(long, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_triples: Option<usize>,
    /// Seconds one request may take (connect, send, answer).
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = parse_seconds)]
    timeout: Duration,
    /// The summary graph: local (push this store's: right when it is the remote's only source
    /// of articles), remote (recompute it from every article graph on the remote, through
    /// --query: for stores that push shards of one corpus; README, "Team store"), or skip.
    #[arg(long, value_enum, default_value = "local")]
    summary: SummaryArg,
    /// The remote's SPARQL query endpoint, for --summary remote (Oxigraph server:
    /// http://HOST:7878/query; Virtuoso: http://HOST:8890/sparql).
    #[arg(long, value_name = "URL", value_parser = parse_url, required_if_eq("summary", "remote"))]
    query: Option<String>,
    /// List what would be sent and deleted; send nothing.
    #[arg(long)]
    dry_run: bool,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ProtocolArg {
    Gsp,
    Update,
    Quads,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SummaryArg {
    Local,
    Remote,
    Skip,
}

fn parse_url(s: &str) -> Result<String, String> {
    Remote::check_url(s)?;
    Ok(s.to_owned())
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let (url, protocol) = match (&args.to, &args.graph_store, &args.update) {
        (Some(u), _, _) => (
            u.clone(),
            match args.protocol {
                ProtocolArg::Gsp => Protocol::GraphStore,
                ProtocolArg::Update => Protocol::Update,
                ProtocolArg::Quads => Protocol::Quads,
            },
        ),
        (_, Some(u), _) => (u.clone(), Protocol::GraphStore),
        (_, _, Some(u)) => (u.clone(), Protocol::Update),
        _ => unreachable!("clap requires one endpoint"),
    };
    let remote = Remote {
        credentials: Credentials::find(&url)?,
        url,
        protocol,
        timeout: args.timeout,
        retries: args.retries,
        max_triples: args.max_triples.unwrap_or(match protocol {
            Protocol::Update => UPDATE_MAX_TRIPLES,
            Protocol::GraphStore => usize::MAX,
            Protocol::Quads => QUADS_MAX_TRIPLES,
        }),
    };
    let opts = PushOptions {
        jobs: args.jobs,
        summary: match args.summary {
            SummaryArg::Local => SummaryMode::Local,
            SummaryArg::Remote => SummaryMode::Remote,
            SummaryArg::Skip => SummaryMode::Skip,
        },
        query_url: args.query.clone(),
    };
    let store = global.open_store()?;
    if args.dry_run {
        let (plan, _) = plan(&store, &remote, &opts)?;
        let mut out = std::io::stdout().lock();
        for o in &plan.send {
            let verb = if o.replaces.is_some() {
                "replace"
            } else {
                "put"
            };
            let triples = store.graph_triples(&o.graph)?.len();
            writeln!(out, "{verb}\t{}\t{triples} triples", o.graph.as_str())?;
        }
        for g in &plan.delete {
            writeln!(out, "delete\t{g}")?;
        }
        if !args.quiet {
            eprintln!(
                "dry run: {} graph(s) to send, {} to delete, {} unchanged on {}",
                plan.send.len(),
                plan.delete.len(),
                plan.unchanged,
                remote.url
            );
        }
        return Ok(Outcome::Done);
    }
    let bar = progress_bar(
        args.quiet,
        "{bar:30} {pos}/{len} graphs {per_sec} {msg} [{elapsed_precise}<{eta_precise}]",
    );
    let started = Instant::now();
    let triples = Mutex::new(0usize);
    let progress = |e: PushEvent<'_>| match e {
        PushEvent::Start { requests } => bar.set_length(requests as u64),
        PushEvent::Done { triples: n, .. } => {
            let mut t = triples.lock().expect("not poisoned");
            *t += n;
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{:.0} triples/s", *t as f64 / secs));
            bar.inc(1);
        }
        PushEvent::Retry {
            graph,
            attempt,
            reason,
        } => {
            if !args.quiet {
                bar.suspend(|| eprintln!("retry {attempt} of {graph}: {reason}"));
            }
        }
    };
    let result = push(&store, &remote, &opts, &progress);
    bar.finish_and_clear();
    let report = result.with_context(|| format!("push to {} stopped", remote.url))?;
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "pushed {} graph(s) ({} triples) and deleted {} on {} in {secs:.1} s ({:.0} graphs/s, {:.0} triples/s); {} unchanged{}",
            report.sent,
            report.triples,
            report.deleted,
            remote.url,
            report.sent as f64 / secs.max(1e-3),
            report.triples as f64 / secs.max(1e-3),
            report.unchanged,
            match report.remote_summary {
                Some(n) => format!("; summary recomputed on the remote ({n} triples)"),
                None => String::new(),
            } + &if report.split > 0 {
                format!("; {} graph(s) sent in parts (--max-triples or 413 answers)", report.split)
            } else {
                String::new()
            }
        );
    }
    Ok(Outcome::Done)
}
