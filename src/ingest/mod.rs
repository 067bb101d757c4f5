//! Ingest: find articles in files, folders and JSON Lines corpora, extract their facts in
//! parallel, check them, and replace each article's graph: changed articles in a transaction
//! each, new ones in bulk-loaded batches committed whole. A failing article is reported and the
//! rest go on.
//!
//! Entry point: [`ingest`]. Sources are discovered by [`discover`].

mod discover;
mod shard;
mod units;
mod writer;

pub use discover::{discover, DiscoverError, Source};
pub use shard::Shard;
pub use units::{Unit, Units};
use writer::Writer;

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::article::{Article, ArticleError, Decode, PubDate};
use crate::extract::Extractor;
use crate::facts::{check, FactsError};
use crate::rdf::{facts_hash, facts_to_quads_hashed, Base};
use crate::shacl::{ShaclError, Shapes};
use crate::store::{NewsStore, StoreError, SummaryRun, SummaryUpdate, Tally};
use crate::validate::validate_quads;

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Overrides every article's publication date.
    pub published: Option<PubDate>,
    pub decode: Decode,
    pub base: Base,
    /// Time recorded as the run's end in provenance (RFC 3339).
    pub at: Option<String>,
    /// Skip the fact-level checks and SHACL validation before writing.
    pub no_validate: bool,
    /// Write every article in its own transaction, never with the bulk loader.
    pub transactional: bool,
    /// Quads of new articles gathered before one bulk load; 0 means [`BULK_BATCH_QUADS`].
    /// Bounds the memory the batch takes (roughly 250 bytes a quad).
    pub batch_quads: usize,
    /// Shapes every article graph must conform to before it is written (unless `no_validate`).
    pub shapes: Option<std::sync::Arc<Shapes>>,
    /// Only this share of the articles (the others are counted in `IngestReport::other_shard`).
    pub shard: Option<Shard>,
}

/// One article that could not be ingested.
#[derive(Debug, thiserror::Error)]
pub enum ArticleFailure {
    #[error(transparent)]
    Read(#[from] ArticleError),
    #[error("{path}: article {id}: extracted facts failed their checks (a newsgraph bug; please report it):\n{details}")]
    Invalid {
        path: PathBuf,
        id: String,
        details: String,
    },
    #[error("{path}: article {id}: extracted facts do not conform to the SHACL shapes ({summary}); not written (a newsgraph bug or a shapes file that does not fit; --no-validate skips the check):\n{table}")]
    NotValid {
        path: PathBuf,
        id: String,
        summary: String,
        table: String,
    },
    #[error("{path}: article {id}: SHACL validation could not run: {source}")]
    Shacl {
        path: PathBuf,
        id: String,
        source: ShaclError,
    },
    #[error("{path}: article {id:?} appears more than once in this ingest (first in {first}); give it a distinct id")]
    DuplicateId {
        path: PathBuf,
        id: String,
        first: PathBuf,
    },
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub written: usize,
    pub unchanged: usize,
    pub quads: usize,
    pub words: usize,
    pub failures: Vec<ArticleFailure>,
    /// Articles left to other shards (`IngestOptions::shard`).
    pub other_shard: usize,
    /// What happened to the summary graph (`None` when the run stopped on a store error).
    pub summary: Option<SummaryUpdate>,
}

/// Progress events, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The number of text articles found (JSON Lines corpora are counted as they are read).
    Total(usize),
    /// More articles read from a JSON Lines corpus.
    Found(usize),
    /// One article done (written, unchanged or failed).
    Article,
}

/// Why an ingest stopped as a whole (per-article failures are in the report instead).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IngestError {
    /// Sources that cannot be discovered are bad input; a store error keeps its own kind.
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            Self::Discover(_) => crate::error::ErrorKind::BadInput,
            Self::Store(s) => s.kind(),
        }
    }
}

/// Extracted, checked, mapped: ready to write.
struct Prepared {
    path: PathBuf,
    id: String,
    hash: String,
    quads: Vec<oxigraph::model::Quad>,
    /// The article's counts for the summary graph.
    tally: Tally,
    words: usize,
}

/// Ingests every article under `paths` into `store`: extraction runs in parallel (rayon),
/// writes happen in discovery order — changed articles one graph per transaction, new ones in
/// batches through the bulk loader on a thread of its own (see [`Writer`]). Memory stays
/// bounded by a small channel between extraction and writer and by the batch size.
pub fn ingest(
    store: &NewsStore,
    extractor: &Extractor<'_>,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestReport, IngestError> {
    let sources = discover(paths)?;
    let texts = sources
        .iter()
        .filter(|s| matches!(s, Source::Text { .. }))
        .count();
    progress(Progress::Total(texts));
    let mut report = IngestReport::default();
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Option<Result<Prepared, ArticleFailure>>>)>(64);
    let mut store_err: Option<StoreError> = None;
    let summary = SummaryRun::start(store)?;
    // Full batches of new articles go to a loader thread, so that one batch is bulk-loaded
    // while the next is extracted and gathered (a rendezvous channel: never more than two).
    let (load_tx, load_rx) = mpsc::sync_channel::<Vec<oxigraph::model::Quad>>(0);
    std::thread::scope(|scope| {
        let loader = scope.spawn(move || -> Result<(), StoreError> {
            for batch in load_rx {
                store.bulk_insert_new(batch)?;
            }
            Ok(())
        });
        let sources = &sources;
        scope.spawn(move || {
            Units::new(sources, opts.decode)
                .par_bridge()
                .for_each_with(tx, |tx, unit| {
                    if unit.from_jsonl {
                        progress(Progress::Found(unit.articles.len()));
                    }
                    let results = unit
                        .articles
                        .into_iter()
                        .map(|a| {
                            in_shard(opts.shard, &unit.path, &a)
                                .then(|| prepare(extractor, &unit.path, a, opts))
                        })
                        .collect();
                    let _ = tx.send((unit.index, results));
                });
        });
        // Write in discovery order, buffering results that arrive early.
        let mut pending: std::collections::BTreeMap<
            usize,
            Vec<Option<Result<Prepared, ArticleFailure>>>,
        > = Default::default();
        let mut next = 0;
        let mut seen: std::collections::HashMap<String, PathBuf> = Default::default();
        let mut writer = Writer {
            store,
            base: &opts.base,
            bulk: !opts.transactional,
            batch_quads: match opts.batch_quads {
                0 => BULK_BATCH_QUADS,
                n => n,
            },
            pending: Vec::new(),
            pending_articles: Vec::new(),
            loader: Some(load_tx),
            summary,
        };
        for (i, results) in rx {
            pending.insert(i, results);
            while let Some(results) = pending.remove(&next) {
                next += 1;
                for r in results {
                    progress(Progress::Article);
                    let Some(r) = r else {
                        report.other_shard += 1;
                        continue;
                    };
                    if store_err.is_some() {
                        continue;
                    }
                    match r {
                        Err(f) => report.failures.push(f),
                        Ok(p) => {
                            if let Some(first) = seen.get(&p.id) {
                                report.failures.push(ArticleFailure::DuplicateId {
                                    path: p.path,
                                    id: p.id,
                                    first: first.clone(),
                                });
                                continue;
                            }
                            seen.insert(p.id.clone(), p.path.clone());
                            if let Err(e) = writer.write(p, &mut report) {
                                store_err = Some(e);
                            }
                        }
                    }
                }
            }
        }
        if store_err.is_none() {
            if let Err(e) = writer.last_flush(&mut report) {
                store_err = Some(e);
            }
        }
        writer.loader = None; // closes the loader's inbox
        let summary = writer.summary;
        match loader.join() {
            // The loader's own error explains why the writer could not hand it a batch.
            Ok(Err(e)) => store_err = Some(e),
            Ok(Ok(())) => {}
            Err(panic) => std::panic::resume_unwind(panic),
        }
        // Only after every batch is committed; a failed run leaves the summary marked stale.
        if store_err.is_none() {
            match summary.finish() {
                Ok(u) => report.summary = Some(u),
                Err(e) => store_err = Some(e),
            }
        }
    });
    match store_err {
        Some(e) => Err(e.into()),
        None => Ok(report),
    }
}

/// True when the article (or the failure to read it) belongs to `shard` (all do without one).
fn in_shard(shard: Option<Shard>, path: &Path, article: &Result<Article, ArticleError>) -> bool {
    match (shard, article) {
        (None, _) => true,
        (Some(s), Ok(a)) => s.takes(&a.id),
        (Some(s), Err(_)) => s.takes(&path.to_string_lossy()),
    }
}

fn prepare(
    extractor: &Extractor<'_>,
    path: &Path,
    article: Result<Article, ArticleError>,
    opts: &IngestOptions,
) -> Result<Prepared, ArticleFailure> {
    let article = article?;
    let facts = extractor.extract(&article, opts.published, opts.at.clone());
    if !opts.no_validate {
        let problems = check(&facts);
        if !problems.is_empty() {
            let e = FactsError::Invalid {
                path: path.into(),
                problems,
            };
            return Err(ArticleFailure::Invalid {
                path: path.into(),
                id: article.id.clone(),
                details: e.to_string(),
            });
        }
    }
    let hash = facts_hash(&facts);
    let quads = facts_to_quads_hashed(&facts, &opts.base, &hash);
    if let (false, Some(shapes)) = (opts.no_validate, &opts.shapes) {
        let graph = opts.base.article(&article.id);
        let report = validate_quads(shapes, graph.as_str(), &quads).map_err(|source| {
            ArticleFailure::Shacl {
                path: path.into(),
                id: article.id.clone(),
                source,
            }
        })?;
        if !report.conforms() {
            return Err(ArticleFailure::NotValid {
                path: path.into(),
                id: article.id.clone(),
                summary: report.summary(),
                table: report.table(),
            });
        }
    }
    Ok(Prepared {
        path: path.into(),
        id: article.id.clone(),
        hash,
        tally: Tally::of_article(&quads),
        quads,
        words: article.text.split_whitespace().count(),
    })
}

/// Quads of new articles gathered before one bulk load, by default (about 50 MB in memory;
/// one batch loads while the next is gathered). Measured on the BBC corpus, 2 cores: 100,000
/// to 400,000 take the same time, and peak memory grows with the batch.
pub const BULK_BATCH_QUADS: usize = 200_000;
/// After writing this many quads, `newsgraph ingest` compacts the store (`NewsStore::optimize`).
/// Measured on the BBC corpus repeated 50 times (31.8 M quads): without it, query processes
/// spent their first minutes compacting beside the query (meetings.rq 27 s instead of 5 s);
/// the compaction took 82 s and shrank the store from 8.7 to 5.0 GB.
pub const OPTIMIZE_MIN_QUADS: usize = 1_000_000;
