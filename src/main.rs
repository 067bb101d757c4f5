//! The `newsgraph` command line: parses arguments, dispatches to the command modules in
//! `src/cli/`, and maps what they return to the documented exit codes.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::{Global, InputError, Outcome};
use newsgraph::error::ErrorKind;
use newsgraph::rdf::{Base, DEFAULT_BASE};

// glibc's malloc took a fifth of ingest CPU (perf: _int_free, _int_malloc, unlink_chunk):
// Oxigraph's bulk loader allocates one Vec per index key, and our threads free each other's
// memory. jemalloc (as ripgrep uses on musl) cut BBC ingest CPU by about a fifth at the same
// peak memory; mimalloc was as fast but held up to twice the memory (ARCHITECTURE.md).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Exit codes (documented in the README).
mod exit {
    /// Something failed that is not the input's fault (I/O, storage).
    pub const FAILURE: u8 = 1;
    /// Usage error: clap's own (unknown option, missing argument, a flag's value out of
    /// range), or a scoped query run without its scope.
    pub const USAGE: u8 = 2;
    /// Bad input: an article, facts file, query, binding or graph name is invalid.
    pub const BAD_INPUT: u8 = 3;
    /// The store is locked by another process, or the path is not a newsgraph store.
    pub const STORE_UNAVAILABLE: u8 = 4;
    /// Some articles of an ingest failed (the others were loaded).
    pub const PARTIAL: u8 = 5;
    /// A query ran past --timeout.
    pub const TIMEOUT: u8 = 6;
    /// `validate` found data that does not conform to the shapes.
    pub const NOT_CONFORMING: u8 = 7;
    /// `push`: the remote store refused the credentials (401/403).
    pub const AUTH: u8 = 8;
    /// `push`: the remote store could not be reached, failed or rejected a graph.
    pub const REMOTE: u8 = 9;
}

/// Turn news articles into a knowledge graph: persons, posts, organisations, places and
/// meetings, with the sentence each fact came from, in an embedded Oxigraph store.
#[derive(Parser)]
#[command(name = "newsgraph", version, about, long_about = None)]
struct Cli {
    /// Store directory (created if missing). Default: $NEWSGRAPH_STORE, else
    /// $XDG_DATA_HOME/newsgraph/store, else ~/.local/share/newsgraph/store.
    #[arg(long, global = true, value_name = "DIR")]
    store: Option<std::path::PathBuf>,

    /// Base IRI for the data's IRIs (must end in '/' or '#').
    #[arg(long, global = true, env = "NEWSGRAPH_BASE", default_value = DEFAULT_BASE, value_name = "IRI")]
    base: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Load(cli::load::Args),
    Validate(cli::validate::Args),
    Query(cli::query::Args),
    Export(cli::export::Args),
    Stats(cli::stats::Args),
    Graphs(cli::graphs::Args),
    Schema(cli::schema::Args),
    Extract(cli::extract::Args),
    Ingest(cli::ingest::Args),
    Eval(cli::eval::Args),
    Train(cli::train::Args),
    Link(cli::link::Args),
    Serve(cli::serve::Args),
    Backup(cli::backup::Args),
    Optimize(cli::optimize::Args),
    #[cfg(feature = "http")]
    Push(cli::push::Args),
}

fn main() -> ExitCode {
    let outcome = run(Cli::parse());
    let (message, code) = match &outcome {
        Ok(Outcome::Done) => return ExitCode::SUCCESS,
        Ok(Outcome::Partial { failed, total }) => (
            format!(
                "{failed} of {total} article(s) failed (listed above); the others were ingested"
            ),
            exit::PARTIAL,
        ),
        Ok(Outcome::NotConforming(summary)) => (
            format!("the data does not conform to the shapes: {summary}"),
            exit::NOT_CONFORMING,
        ),
        // The reader went away (`newsgraph graphs | head`): stop quietly, as ripgrep does.
        Err(e) if is_broken_pipe(e) => return ExitCode::SUCCESS,
        Err(e) => (format!("{e:#}"), exit_code(e)),
    };
    eprintln!("error: {message}");
    ExitCode::from(code)
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let global = Global {
        store: cli.store,
        base: Base::new(&cli.base)?,
    };
    match cli.command {
        Command::Load(a) => cli::load::run(a, &global),
        Command::Validate(a) => cli::validate::run(a, &global),
        Command::Query(a) => cli::query::run(a, &global),
        Command::Export(a) => cli::export::run(a, &global),
        Command::Stats(a) => cli::stats::run(a, &global),
        Command::Graphs(a) => cli::graphs::run(a, &global),
        Command::Schema(a) => cli::schema::run(a),
        Command::Extract(a) => cli::extract::run(a),
        Command::Ingest(a) => cli::ingest::run(a, &global),
        Command::Eval(a) => cli::eval::run(a),
        Command::Train(a) => cli::train::run(a),
        Command::Link(a) => cli::link::run(a, &global),
        Command::Serve(a) => cli::serve::run(a, &global),
        Command::Backup(a) => cli::backup::run(a, &global),
        Command::Optimize(a) => cli::optimize::run(a, &global),
        #[cfg(feature = "http")]
        Command::Push(a) => cli::push::run(a, &global),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The exit code of an error: the kind of the first library error in its chain
/// (`newsgraph::error::kind_of` walks the sources), else the CLI's own input errors, else a
/// failure.
fn exit_code(e: &anyhow::Error) -> u8 {
    match newsgraph::error::kind_of(e.as_ref()) {
        Some(ErrorKind::Failure) => exit::FAILURE,
        Some(ErrorKind::BadInput) => exit::BAD_INPUT,
        Some(ErrorKind::StoreUnavailable) => exit::STORE_UNAVAILABLE,
        Some(ErrorKind::Usage) => exit::USAGE,
        Some(ErrorKind::Timeout) => exit::TIMEOUT,
        Some(ErrorKind::Auth) => exit::AUTH,
        Some(ErrorKind::Remote) => exit::REMOTE,
        None if e.chain().any(|c| c.is::<InputError>()) => exit::BAD_INPUT,
        None => exit::FAILURE,
    }
}
