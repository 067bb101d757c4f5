//! `newsgraph query`: a SPARQL query over the store. Entry point: [`run`].

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use newsgraph::store::{parse_binding, QueryOptions, ResultFormat, Scope, SUMMARY_GRAPH};

use super::{output, parse_seconds, read_query_file, Global, Outcome};

/// Stores of at most this many articles run a scoped query whole when no scope is bound
/// (with a note), so that a newcomer's first query answers; larger ones ask for a scope.
pub const SMALL_STORE_ARTICLES: usize = 100;

/// Run a SPARQL query (a .rq file or --query text) over all graphs.
///
/// A query file with a `# Scope:` line (e.g. mentions.rq: `# Scope: article, name`) lists
/// one row per item of a growing store: bind one of its scope variables with --bind, or
/// pass --all for the whole store. On a store of at most 100 articles it runs whole without
/// either, and says so on stderr.
#[derive(clap::Args)]
pub struct Args {
    /// A SPARQL query file (see queries/).
    #[arg(
        value_name = "FILE.rq",
        required_unless_present = "query",
        conflicts_with = "query"
    )]
    file: Option<PathBuf>,
    /// The query text itself.
    #[arg(long, value_name = "TEXT")]
    query: Option<String>,
    /// Output format: table (for people), or the W3C formats csv, tsv, json, xml.
    #[arg(long, default_value = "table")]
    format: ResultFormat,
    /// Bind a variable to an RDF term before running: NAME=VALUE, where VALUE is <iri>,
    /// "literal" (N-Triples syntax, with @lang or ^^<type>) or a bare plain string. The
    /// value holds throughout the file, in subqueries that use the variable too.
    #[arg(long = "bind", value_name = "NAME=VALUE")]
    bind: Vec<String>,
    /// Cancel the query after this many seconds (a positive number, e.g. 2.5).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// Run a scoped query (one whose file has a `# Scope:` line, such as mentions.rq)
    /// over the whole store instead of one --bind value; on a large store that takes seconds.
    #[arg(long)]
    all: bool,
    /// Allow SERVICE calls to this endpoint (repeatable); SERVICE is refused otherwise.
    #[arg(long = "allow-service", value_name = "URL")]
    allow_service: Vec<String>,
    /// Write results to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let (text, source_name) = match (args.file, args.query) {
        (Some(f), _) => (read_query_file(&f)?, f.display().to_string()),
        (None, Some(q)) => (q, "--query".to_owned()),
        (None, None) => unreachable!("clap requires one"),
    };
    let bindings = args
        .bind
        .iter()
        .map(|b| parse_binding(b))
        .collect::<Result<Vec<_>, _>>()?;
    let mut opts = QueryOptions {
        bindings,
        timeout: args.timeout,
        allowed_services: args.allow_service,
        all: args.all,
        max_rows: None,
    };
    let store = global.open_store()?;
    if !opts.all && opts.bindings.is_empty() {
        // A malformed scope line is reported by the query itself below.
        let scoped = Scope::of_query(&text).is_ok_and(|s| !s.variables.is_empty());
        if scoped && store.holds_at_most(SMALL_STORE_ARTICLES)? {
            eprintln!(
                "note: {source_name} is scoped; the store holds at most {SMALL_STORE_ARTICLES} articles, \
                 so it runs over all of them (on a larger store, --bind a scope variable or pass --all)"
            );
            opts.all = true;
        }
    }
    if text.contains(SUMMARY_GRAPH) && !store.summary_is_current()? {
        eprintln!(
            "note: the summary graph this query reads is out of date (an ingest or load was cut off); \
             run the ingest again (or any ingest or load) to rebuild it"
        );
    }
    let mut out = output(&args.output)?;
    store.run_query(&text, &source_name, &opts, args.format, &mut out)?;
    out.flush().context("cannot write query results")?;
    Ok(Outcome::Done)
}
