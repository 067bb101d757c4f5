//! `newsgraph ingest`: extract and load articles, then optionally show a query's table.
//! Entry point: [`run`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use newsgraph::article::{Decode, PubDate};
use newsgraph::ingest::{IngestOptions, Progress, Shard, BULK_BATCH_QUADS, OPTIMIZE_MIN_QUADS};
use newsgraph::store::{QueryOptions, ResultFormat};

use super::{
    extractor, lexicon, load_shapes, note_summary, now, output, progress_bar, read_query_file,
    Global, Outcome,
};

/// Extract and load articles: .txt files, .jsonl corpora (one article per line) and
/// folders of them. Each article's graph is replaced; failures are listed at the end.
#[derive(clap::Args)]
pub struct Args {
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
    /// bytes a quad; at least 1).
    #[arg(long, value_name = "N", default_value_t = BULK_BATCH_QUADS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
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
    /// Only shard K of N: the articles whose id falls in that share (the same on every
    /// machine), so that N machines can each ingest a part of one corpus into their own
    /// store and `push` it to a shared one (README, "Team store").
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let lex = lexicon(&args.lexicon)?;
    let extractor = extractor(&lex);
    let shapes = if args.no_validate {
        None
    } else {
        Some(Arc::new(load_shapes(&args.shapes)?))
    };
    let store = global.open_store()?;
    let opts = IngestOptions {
        published: args.published,
        decode: if args.lossy {
            Decode::Lossy
        } else {
            Decode::Strict
        },
        base: global.base.clone(),
        at: Some(now()),
        no_validate: args.no_validate,
        transactional: args.transactional,
        batch_quads: args.batch_quads,
        shapes,
        shard: args.shard,
    };
    let bar = progress_bar(
        args.quiet,
        "{bar:40} {pos}/{len} articles, {per_sec}, eta {eta}",
    );
    let started = std::time::Instant::now();
    let report = newsgraph::ingest::ingest(&store, &extractor, &args.paths, &opts, &|p| match p {
        Progress::Total(n) => bar.set_length(n as u64),
        Progress::Found(n) => bar.inc_length(n as u64),
        Progress::Article => bar.inc(1),
    })?;
    bar.finish_and_clear();
    for f in &report.failures {
        eprintln!("failed: {f}");
    }
    note_summary(report.summary);
    let total = report.written + report.unchanged + report.failures.len();
    let shard = match args.shard {
        Some(s) => format!(
            " (shard {s}; {} left to the other shards)",
            report.other_shard
        ),
        None => String::new(),
    };
    eprintln!(
        "ingested {total} article(s){shard} ({} written, {} unchanged, {} failed), {} words, {} quads, in {:.2} s into {}",
        report.written,
        report.unchanged,
        report.failures.len(),
        report.words,
        report.quads,
        started.elapsed().as_secs_f64(),
        store.path().display()
    );
    if !args.no_optimize && report.quads >= OPTIMIZE_MIN_QUADS {
        let started = std::time::Instant::now();
        store.optimize()?;
        eprintln!(
            "compacted the store in {:.2} s (--no-optimize skips this)",
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(q) = args.show {
        let text = read_query_file(&q)?;
        let mut out = output(&None)?;
        // The table of what is in the store now, scoped queries included.
        let all = QueryOptions {
            all: true,
            ..QueryOptions::default()
        };
        store.run_query(
            &text,
            &q.display().to_string(),
            &all,
            ResultFormat::Table,
            &mut out,
        )?;
        out.flush().context("cannot write query results")?;
    }
    Ok(if report.failures.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial {
            failed: report.failures.len(),
            total,
        }
    })
}
