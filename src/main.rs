//! The `newsgraph` command line: parses arguments, calls the library, maps errors to exit codes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use oxigraph::model::NamedNode;

use newsgraph::article::{ArticleError, Decode, PubDate};
use newsgraph::extract::lexicon::{Lexicon, LexiconError};
use newsgraph::extract::Extractor;
use newsgraph::facts::FactsError;
use newsgraph::ingest::{IngestError, IngestOptions, Progress};
use newsgraph::load::{load_facts_files, LoadError};
use newsgraph::rdf::{Base, DEFAULT_BASE};
use newsgraph::shacl::{ReportFormat, Shapes};
use newsgraph::store::{
    default_store_dir, parse_binding, ExportError, ExportFormat, NewsStore, QueryError,
    QueryOptions, ResultFormat, StoreError, SummaryUpdate, SUMMARY_GRAPH,
};

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
    /// Usage error: clap's own (unknown option, missing argument), or a scoped query run
    /// without its scope.
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
}

/// Turn news articles into a knowledge graph: persons, posts, organisations, places and
/// meetings, with the sentence each fact came from, in an embedded Oxigraph store.
#[derive(Parser)]
#[command(name = "newsgraph", version, about, long_about = None)]
struct Cli {
    /// Store directory (created if missing). Default: $NEWSGRAPH_STORE, else
    /// $XDG_DATA_HOME/newsgraph/store, else ~/.local/share/newsgraph/store.
    #[arg(long, global = true, value_name = "DIR")]
    store: Option<PathBuf>,

    /// Base IRI for the data's IRIs (must end in '/' or '#').
    #[arg(long, global = true, env = "NEWSGRAPH_BASE", default_value = DEFAULT_BASE, value_name = "IRI")]
    base: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load facts files (JSON, see `newsgraph schema`); each replaces its article's graph.
    ///
    /// Every file is read and checked first: if any is invalid, nothing is loaded.
    Load {
        /// Facts JSON files.
        #[arg(required = true, value_name = "FACTS.json")]
        files: Vec<PathBuf>,
        /// Skip SHACL validation of each article graph before loading.
        #[arg(long)]
        no_validate: bool,
        /// SHACL shapes (Turtle) to validate against. Default: the bundled ontology/shapes.ttl.
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
    },
    /// Validate facts files, or (without files) every article graph in the store, against the
    /// SHACL shapes. Exit code 0 when everything conforms, 7 when something does not.
    Validate {
        /// Facts JSON files. Without any, the store's article graphs are validated.
        #[arg(value_name = "FACTS.json")]
        files: Vec<PathBuf>,
        /// SHACL shapes (Turtle). Default: the bundled ontology/shapes.ttl.
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
        /// table, json, or turtle (a sh:ValidationReport).
        #[arg(long, default_value = "table")]
        format: ReportFormat,
        /// Write the report to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run a SPARQL query (a .rq file or --query text) over all graphs.
    ///
    /// A query file with a `# Scope:` line (e.g. mentions.rq: `# Scope: article, name`) lists
    /// one row per item of a growing store: bind one of its scope variables with --bind, or
    /// pass --all for the whole store.
    Query {
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
        /// Cancel the query after this many seconds.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
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
    },
    /// Export the graph as RDF.
    ///
    /// Without --graph, triple formats (turtle, ntriples, rdfxml) get the data of every
    /// article and link graph; dataset formats (nquads, trig, jsonld) get every graph.
    Export {
        /// turtle, ntriples, nquads, trig, rdfxml or jsonld.
        #[arg(long, default_value = "turtle")]
        format: ExportFormat,
        /// Export only this named graph (an article's IRI; see `newsgraph graphs`).
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print counts: articles, quads, data triples, persons, organisations, places, events.
    Stats {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List the named graphs in the store.
    Graphs,
    /// Print the JSON Schema of the facts format.
    Schema,
    /// Extract the facts of one article (.txt with optional TOML front matter) as JSON.
    Extract {
        /// The article file.
        article: PathBuf,
        /// Publication date (YYYY-MM-DD or YYYY-MM), overriding the article's own.
        #[arg(long, value_name = "DATE")]
        published: Option<PubDate>,
        /// Write the facts to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Extra lexicon entries: a folder with files named like src/extract/lexicons/.
        #[arg(long, value_name = "DIR")]
        lexicon: Option<PathBuf>,
        /// Replace invalid UTF-8 with U+FFFD instead of failing.
        #[arg(long)]
        lossy: bool,
    },
    /// Extract and load articles: .txt files, .jsonl corpora (one article per line) and
    /// folders of them. Each article's graph is replaced; failures are listed at the end.
    Ingest {
        /// Files and folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Publication date (YYYY-MM-DD or YYYY-MM), overriding the articles' own.
        #[arg(long, value_name = "DATE")]
        published: Option<PubDate>,
        /// Extra lexicon entries: a folder with files named like src/extract/lexicons/.
        #[arg(long, value_name = "DIR")]
        lexicon: Option<PathBuf>,
        /// Replace invalid UTF-8 with U+FFFD instead of failing the article.
        #[arg(long)]
        lossy: bool,
        /// Skip the checks and SHACL validation of extracted facts before they are written.
        #[arg(long)]
        no_validate: bool,
        /// SHACL shapes (Turtle) to validate against. Default: the bundled ontology/shapes.ttl.
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
        /// Write every article in its own transaction. By default, batches of articles new to
        /// the store go through Oxigraph's bulk loader (each batch lands whole or not at all).
        #[arg(long)]
        transactional: bool,
        /// Quads of new articles gathered before each bulk load (bounds memory, about 250
        /// bytes a quad).
        #[arg(long, value_name = "N", default_value_t = newsgraph::ingest::BULK_BATCH_QUADS)]
        batch_quads: usize,
        /// Do not compact the store after a large bulk load (over 1,000,000 quads written). The
        /// compaction makes later queries fast at once; without it RocksDB does it bit by bit in
        /// the processes that open the store next (or run `newsgraph optimize`).
        #[arg(long)]
        no_optimize: bool,
        /// Print this query's table after ingesting (e.g. queries/meetings.rq), over the whole
        /// store (a scoped query runs as with `query --all`).
        #[arg(long, value_name = "FILE.rq")]
        show: Option<PathBuf>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Score extraction against gold facts files: precision, recall, F1 per category.
    Eval {
        /// Folder of gold *.facts.json files.
        #[arg(long, value_name = "DIR")]
        gold: PathBuf,
        /// Score another extractor's facts files (same file names) beside ours: NAME=DIR.
        #[arg(long, value_name = "NAME=DIR")]
        peer: Vec<String>,
        /// table or json.
        #[arg(long, default_value = "table")]
        format: EvalFormat,
        /// Extra lexicon entries.
        #[arg(long, value_name = "DIR")]
        lexicon: Option<PathBuf>,
    },
    /// Link the store's persons, organisations and places to reference datasets (Wikidata ids
    /// from EveryPolitician CSVs, the Our World in Data country list, RDF files). The links graph
    /// is replaced with this run's result: owl:sameAs for confident matches, skos:closeMatch for
    /// weaker unambiguous ones; ambiguous ones are only reported.
    Link {
        /// Reference files: .csv (EveryPolitician layout, or described in --mapping), .ts (OWID
        /// countries), .ttl or .nt. Without any, the curated linkset that ships with newsgraph.
        #[arg(long = "reference", value_name = "FILE")]
        reference: Vec<PathBuf>,
        /// TOML file describing CSV references ([[reference]] file, kind, name_column, ...).
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Minimum score for owl:sameAs (0-1).
        #[arg(long, default_value_t = 0.9, value_name = "X")]
        threshold: f64,
        /// Also use the curated linkset when --reference is given.
        #[arg(long)]
        with_curated: bool,
        /// Write every decision (JSON) to FILE.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Serve the store as a SPARQL endpoint (query only) at http://ADDR/query.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
        listen: String,
        /// Stop after answering N requests (for scripts and tests).
        #[arg(long, value_name = "N")]
        max_requests: Option<usize>,
    },
    /// Copy the store to a new directory (consistent snapshot); query the copy while the
    /// original is being written.
    Backup {
        /// Target directory; must not exist.
        target: PathBuf,
    },
    /// Compact the store now. After a large bulk ingest RocksDB still has to merge the files it
    /// was given, and until it has, queries are slower (and share the CPU with that merging);
    /// this does the merging at once. Can take minutes on a store of 100,000 articles.
    Optimize,
}

/// Output of `newsgraph eval`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EvalFormat {
    Table,
    Json,
}

/// Says when a run rebuilt the summary graph (it takes a while on a large store).
fn note_summary(update: Option<SummaryUpdate>) {
    if update == Some(SummaryUpdate::Rebuilt) {
        eprintln!(
            "summary graph rebuilt from every article graph (an article was replaced, or an earlier run was cut off)"
        );
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`newsgraph graphs | head`): stop quietly, as ripgrep does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Maps an error to its documented exit code by the library error it wraps.
fn exit_code(e: &anyhow::Error) -> u8 {
    for cause in e.chain() {
        if let Some(s) = cause.downcast_ref::<StoreError>() {
            return match s {
                StoreError::Locked { .. }
                | StoreError::Foreign { .. }
                | StoreError::NotADirectory { .. } => exit::STORE_UNAVAILABLE,
                _ => exit::FAILURE,
            };
        }
        if let Some(q) = cause.downcast_ref::<QueryError>() {
            return match q {
                QueryError::Timeout { .. } => exit::TIMEOUT,
                QueryError::Unscoped { .. } => exit::USAGE,
                QueryError::Write(_) => exit::FAILURE,
                _ => exit::BAD_INPUT,
            };
        }
        if let Some(l) = cause.downcast_ref::<LoadError>() {
            return match l {
                LoadError::Store(_) => exit::FAILURE,
                LoadError::Facts(_)
                | LoadError::DuplicateArticle { .. }
                | LoadError::NotValid { .. }
                | LoadError::Shacl(_) => exit::BAD_INPUT,
            };
        }
        if let Some(x) = cause.downcast_ref::<ExportError>() {
            return match x {
                ExportError::UnknownGraph { .. } => exit::BAD_INPUT,
                ExportError::Store(StoreError::Locked { .. }) => exit::STORE_UNAVAILABLE,
                _ => exit::FAILURE,
            };
        }
        if let Some(i) = cause.downcast_ref::<IngestError>() {
            return match i {
                IngestError::Discover(_) => exit::BAD_INPUT,
                IngestError::Store(
                    StoreError::Locked { .. }
                    | StoreError::Foreign { .. }
                    | StoreError::NotADirectory { .. },
                ) => exit::STORE_UNAVAILABLE,
                IngestError::Store(_) => exit::FAILURE,
            };
        }
        if cause.downcast_ref::<ArticleError>().is_some()
            || cause.downcast_ref::<LexiconError>().is_some()
            || cause.downcast_ref::<FactsError>().is_some()
        {
            return exit::BAD_INPUT;
        }
        if cause
            .downcast_ref::<newsgraph::link::ReferenceError>()
            .is_some()
        {
            return exit::BAD_INPUT;
        }
        if cause.downcast_ref::<NotConforming>().is_some() {
            return exit::NOT_CONFORMING;
        }
        if let Some(v) = cause.downcast_ref::<newsgraph::validate::ValidateError>() {
            return match v {
                newsgraph::validate::ValidateError::Store(
                    StoreError::Locked { .. }
                    | StoreError::Foreign { .. }
                    | StoreError::NotADirectory { .. },
                ) => exit::STORE_UNAVAILABLE,
                newsgraph::validate::ValidateError::Store(_) => exit::FAILURE,
                _ => exit::BAD_INPUT,
            };
        }
        if cause
            .downcast_ref::<newsgraph::shacl::ShaclError>()
            .is_some()
        {
            return exit::BAD_INPUT;
        }
        if cause.downcast_ref::<PartialFailure>().is_some() {
            return exit::PARTIAL;
        }
        if cause.downcast_ref::<newsgraph::rdf::BaseError>().is_some() {
            return exit::BAD_INPUT;
        }
        if cause.downcast_ref::<InputError>().is_some() {
            return exit::BAD_INPUT;
        }
    }
    exit::FAILURE
}

/// `validate` found results.
#[derive(Debug, thiserror::Error)]
#[error("the data does not conform to the shapes: {0}")]
struct NotConforming(String);

/// The shapes of `--shapes FILE`, else the bundled ones.
fn load_shapes(path: &Option<PathBuf>) -> anyhow::Result<Shapes> {
    Ok(match path {
        Some(p) => Shapes::from_file(p)?,
        None => Shapes::bundled()?,
    })
}

/// An input the CLI itself found unusable (a missing query file).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct InputError(String);

/// Some articles failed; the rest were ingested.
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} article(s) failed (listed above); the others were ingested")]
struct PartialFailure {
    failed: usize,
    total: usize,
}

fn lexicon(dir: &Option<PathBuf>) -> anyhow::Result<Option<Lexicon>> {
    Ok(match dir {
        Some(d) => Some(Lexicon::with_user_dir(d)?),
        None => None,
    })
}

fn extractor(lex: &Option<Lexicon>) -> Extractor<'_> {
    match lex {
        Some(l) => Extractor::new(l),
        None => Extractor::default(),
    }
}

fn open_store(cli_store: &Option<PathBuf>) -> anyhow::Result<NewsStore> {
    let path = cli_store.clone().unwrap_or_else(default_store_dir);
    Ok(NewsStore::open(&path)?)
}

/// Opens `-o FILE` (or stdout) for writing.
fn output(path: &Option<PathBuf>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(File::create(p).with_context(|| {
            format!(
                "cannot write {}; check that its folder exists and is writable",
                p.display()
            )
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let base = Base::new(&cli.base)?;
    match cli.command {
        Command::Schema => {
            print!("{}", newsgraph::facts::json_schema());
        }
        Command::Load {
            files,
            no_validate,
            shapes,
        } => {
            let shapes = if no_validate {
                None
            } else {
                Some(load_shapes(&shapes)?)
            };
            let store = open_store(&cli.store)?;
            let report = load_facts_files(&store, &files, &base, shapes.as_ref())?;
            note_summary(report.summary);
            eprintln!(
                "loaded {} article graph(s) ({} quads), {} unchanged, into {}",
                report.written.len(),
                report.quads,
                report.unchanged.len(),
                store.path().display()
            );
        }
        Command::Query {
            file,
            query,
            format,
            bind,
            timeout,
            all,
            allow_service,
            output: out_path,
        } => {
            let (text, source_name) = match (file, query) {
                (Some(f), _) => (read_query_file(&f)?, f.display().to_string()),
                (None, Some(q)) => (q, "--query".to_owned()),
                (None, None) => unreachable!("clap requires one"),
            };
            let bindings = bind
                .iter()
                .map(|b| parse_binding(b))
                .collect::<Result<Vec<_>, _>>()?;
            let timeout = match timeout {
                Some(t) if !(t > 0.0 && t.is_finite()) => {
                    return Err(InputError(format!(
                        "--timeout {t} is not a positive number of seconds"
                    ))
                    .into())
                }
                t => t.map(Duration::from_secs_f64),
            };
            let opts = QueryOptions {
                bindings,
                timeout,
                allowed_services: allow_service,
                all,
            };
            let store = open_store(&cli.store)?;
            if text.contains(SUMMARY_GRAPH) && !store.summary_is_current()? {
                eprintln!(
                    "note: the summary graph this query reads is out of date (an ingest or load was cut off); \
                     run the ingest again (or any ingest or load) to rebuild it"
                );
            }
            let mut out = output(&out_path)?;
            store.run_query(&text, &source_name, &opts, format, &mut out)?;
            out.flush().context("cannot write query results")?;
        }
        Command::Export {
            format,
            graph,
            output: out_path,
        } => {
            let graph = graph
                .map(|g| {
                    NamedNode::new(g.trim_matches(['<', '>']))
                        .map_err(|e| InputError(format!("--graph {g:?} is not an IRI: {e}")))
                })
                .transpose()?;
            let store = open_store(&cli.store)?;
            let mut out = output(&out_path)?;
            store.export(format, graph.as_ref(), &mut out)?;
            out.flush().context("cannot write the export")?;
        }
        Command::Stats { json } => {
            let store = open_store(&cli.store)?;
            let s = store.stats()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("store          {}", store.path().display());
                println!("articles       {}", s.articles);
                println!("quads          {}", s.quads);
                println!("data triples   {}", s.data_triples);
                println!("persons        {}", s.persons);
                println!("organisations  {}", s.organisations);
                println!("places         {}", s.places);
                println!("events         {}", s.events);
                println!("post holdings  {}", s.post_holdings);
            }
        }
        Command::Graphs => {
            let store = open_store(&cli.store)?;
            let mut out = std::io::stdout().lock();
            for g in store.graphs()? {
                writeln!(out, "{g}").context("cannot write the graph list")?;
            }
        }
        Command::Extract {
            article,
            published,
            output: out_path,
            lexicon: lex_dir,
            lossy,
        } => {
            let lex = lexicon(&lex_dir)?;
            let extractor = extractor(&lex);
            let stem = article
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let decode = if lossy { Decode::Lossy } else { Decode::Strict };
            let a = newsgraph::article::read_text_article(
                &article,
                &newsgraph::article::id_from_path_str(&stem),
                decode,
            )?;
            let facts = extractor.extract(&a, published, Some(now()));
            let mut out = output(&out_path)?;
            out.write_all(newsgraph::facts::to_json(&facts).as_bytes())
                .and_then(|_| out.flush())
                .context("cannot write the facts")?;
        }
        Command::Ingest {
            paths,
            published,
            lexicon: lex_dir,
            lossy,
            no_validate,
            shapes,
            transactional,
            batch_quads,
            no_optimize,
            show,
            quiet,
        } => {
            let lex = lexicon(&lex_dir)?;
            let extractor = extractor(&lex);
            let shapes = if no_validate {
                None
            } else {
                Some(std::sync::Arc::new(load_shapes(&shapes)?))
            };
            let store = open_store(&cli.store)?;
            let opts = IngestOptions {
                published,
                decode: if lossy { Decode::Lossy } else { Decode::Strict },
                base: base.clone(),
                at: Some(now()),
                no_validate,
                transactional,
                batch_quads,
                shapes,
            };
            let bar = indicatif::ProgressBar::hidden();
            if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} articles, {per_sec}, eta {eta}",
                    )
                    .expect("valid template"),
                );
            }
            let started = std::time::Instant::now();
            let report =
                newsgraph::ingest::ingest(&store, &extractor, &paths, &opts, &|p| match p {
                    Progress::Total(n) => bar.set_length(n as u64),
                    Progress::Found(n) => bar.inc_length(n as u64),
                    Progress::Article => bar.inc(1),
                })?;
            bar.finish_and_clear();
            for f in &report.failures {
                eprintln!("failed: {f}");
            }
            note_summary(report.summary);
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "ingested {} article(s) ({} written, {} unchanged, {} failed), {} words, {} quads, in {:.2} s into {}",
                report.written + report.unchanged + report.failures.len(),
                report.written,
                report.unchanged,
                report.failures.len(),
                report.words,
                report.quads,
                secs,
                store.path().display()
            );
            if !no_optimize && report.quads >= newsgraph::ingest::OPTIMIZE_MIN_QUADS {
                let started = std::time::Instant::now();
                store.optimize()?;
                eprintln!(
                    "compacted the store in {:.2} s (--no-optimize skips this)",
                    started.elapsed().as_secs_f64()
                );
            }
            if let Some(q) = show {
                let text = read_query_file(&q)?;
                let mut out = output(&None)?;
                store.run_query(
                    &text,
                    &q.display().to_string(),
                    // The table of what is in the store now, scoped queries included.
                    &QueryOptions {
                        all: true,
                        ..QueryOptions::default()
                    },
                    ResultFormat::Table,
                    &mut out,
                )?;
                out.flush().context("cannot write query results")?;
            }
            if !report.failures.is_empty() {
                return Err(PartialFailure {
                    failed: report.failures.len(),
                    total: report.written + report.unchanged + report.failures.len(),
                }
                .into());
            }
        }
        Command::Validate {
            files,
            shapes,
            format,
            output: out_path,
        } => {
            if !files.is_empty() && cli.store.is_some() {
                return Err(InputError(
                    "give either --store (validate its article graphs) or facts files, not both"
                        .into(),
                )
                .into());
            }
            let shapes = load_shapes(&shapes)?;
            let report = if files.is_empty() {
                let store = open_store(&cli.store)?;
                newsgraph::validate::validate_store(&store, &shapes)?
            } else {
                newsgraph::validate::validate_facts_files(&shapes, &files, &base)?
            };
            let mut out = output(&out_path)?;
            report
                .write(format, &mut out)
                .and_then(|_| out.flush())
                .context("cannot write the validation report")?;
            if !report.conforms() {
                return Err(NotConforming(report.summary()).into());
            }
            eprintln!("{}", report.summary());
        }
        Command::Eval {
            gold,
            peer,
            format,
            lexicon: lex_dir,
        } => {
            let lex = lexicon(&lex_dir)?;
            let extractor = extractor(&lex);
            let peers = peer
                .iter()
                .map(|p| {
                    p.split_once('=')
                        .map(|(n, d)| (n.to_owned(), PathBuf::from(d)))
                        .ok_or_else(|| InputError(format!("--peer {p:?}: expected NAME=DIR")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let result = newsgraph::eval::evaluate_dir(&extractor, &gold, &peers)?;
            match format {
                EvalFormat::Table => print!("{}", newsgraph::eval::report_table(&result)),
                EvalFormat::Json => println!("{}", serde_json::to_string_pretty(&result)?),
            }
        }
        Command::Link {
            reference,
            mapping,
            threshold,
            with_curated,
            report,
        } => {
            if !(0.0..=1.0).contains(&threshold) {
                return Err(
                    InputError(format!("--threshold {threshold} must be between 0 and 1")).into(),
                );
            }
            let mappings = match &mapping {
                Some(m) => newsgraph::link::read_mappings(m)?,
                None => vec![],
            };
            let mut datasets = Vec::new();
            if reference.is_empty() || with_curated {
                datasets.push(newsgraph::link::curated());
            }
            for r in &reference {
                datasets.push(newsgraph::link::read_reference(r, &mappings)?);
            }
            let store = open_store(&cli.store)?;
            let cands = store.link_candidates()?;
            let opts = newsgraph::link::LinkOptions {
                threshold,
                ..Default::default()
            };
            let (decisions, quads) = newsgraph::link::link(&cands, &datasets, &opts, &base);
            store.replace_links(&newsgraph::link::links_graph(&base), &quads)?;
            if let Some(path) = report {
                std::fs::write(&path, serde_json::to_string_pretty(&decisions)? + "\n")
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            let count = |o: &str| decisions.iter().filter(|d| d.outcome == o).count();
            for d in decisions.iter().filter(|d| d.outcome == "ambiguous") {
                eprintln!(
                    "ambiguous: {} ({}) — {} {:.3} vs {} {:.3}; not linked",
                    d.name,
                    d.kind,
                    d.target.as_deref().unwrap_or("?"),
                    d.score,
                    d.runner_up.as_deref().unwrap_or("?"),
                    d.runner_up_score
                );
            }
            eprintln!(
                "linked {} entities (owl:sameAs), {} weak (skos:closeMatch), {} ambiguous, against {} dataset(s)",
                count("same_as"), count("close_match"), count("ambiguous"), datasets.len()
            );
        }
        Command::Serve {
            listen,
            max_requests,
        } => {
            let store = open_store(&cli.store)?;
            let listener = std::net::TcpListener::bind(&listen)
                .with_context(|| format!("cannot listen on {listen}; is the port in use?"))?;
            eprintln!("listening on http://{}/query", listener.local_addr()?);
            newsgraph::serve::serve(&store, &listener, max_requests, Duration::from_secs(30))
                .context("the server stopped")?;
        }
        Command::Optimize => {
            let store = open_store(&cli.store)?;
            let started = std::time::Instant::now();
            store.optimize()?;
            eprintln!(
                "optimized {} in {:.2} s",
                store.path().display(),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Backup { target } => {
            if target.exists() {
                return Err(InputError(format!(
                    "{} exists; give a new directory for the backup",
                    target.display()
                ))
                .into());
            }
            let store = open_store(&cli.store)?;
            store.backup(&target)?;
            eprintln!(
                "backed up {} to {}",
                store.path().display(),
                target.display()
            );
        }
    }
    Ok(())
}

/// The current time, RFC 3339, recorded in provenance.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn read_query_file(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        InputError(format!(
            "cannot read query file {}: {e}; the shipped queries are in queries/",
            path.display()
        ))
        .into()
    })
}
