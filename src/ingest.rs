//! Ingest: find articles in files, folders and JSON Lines corpora, extract their facts in
//! parallel, check them, and replace each article's graph in its own transaction. A failing
//! article is reported and the rest go on.
//!
//! Entry point: [`ingest`]. Sources are discovered by [`discover`].

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::article::{self, Article, ArticleError, Decode, PubDate};
use crate::extract::Extractor;
use crate::facts::{check, FactsError};
use crate::rdf::{facts_hash, facts_to_quads, Base};
use crate::store::{NewsStore, Replaced, StoreError};

/// Where one article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A `.txt` file, with the id it gets when its front matter gives none.
    Text { path: PathBuf, default_id: String },
    /// A `.jsonl` corpus: every line is an article.
    Jsonl { path: PathBuf },
}

/// Why discovery failed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: no such file or directory")]
    Missing { path: PathBuf },
    #[error("{path}: cannot list folder: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: not an article file; give .txt files, .jsonl corpora or folders holding them"
    )]
    Unsupported { path: PathBuf },
}

fn kind_of(path: &Path) -> Option<&'static str> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("txt") => Some("txt"),
        Some("jsonl") => Some("jsonl"),
        _ => None,
    }
}

/// Finds the articles under `paths`. A file's id is its stem; a file found in a folder gets
/// its path relative to that folder, without extension, with `/` turned into `-`
/// (`business/001.txt` → `business-001`). Folders are walked recursively in name order;
/// files that are neither `.txt` nor `.jsonl` in folders are skipped.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Source>, DiscoverError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            for f in files {
                let rel = f.strip_prefix(p).unwrap_or(&f).with_extension("");
                let id = article::id_from_path_str(
                    &rel.to_string_lossy()
                        .replace(std::path::MAIN_SEPARATOR, "-"),
                );
                out.push(match kind_of(&f) {
                    Some("jsonl") => Source::Jsonl { path: f },
                    _ => Source::Text {
                        path: f,
                        default_id: id,
                    },
                });
            }
        } else if p.is_file() {
            match kind_of(p) {
                Some("jsonl") => out.push(Source::Jsonl { path: p.clone() }),
                Some(_) => out.push(Source::Text {
                    path: p.clone(),
                    default_id: article::id_from_path_str(
                        &p.file_stem().unwrap_or_default().to_string_lossy(),
                    ),
                }),
                None => return Err(DiscoverError::Unsupported { path: p.clone() }),
            }
        } else {
            return Err(DiscoverError::Missing { path: p.clone() });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    let rd = std::fs::read_dir(dir).map_err(|source| DiscoverError::Io {
        path: dir.into(),
        source,
    })?;
    for e in rd {
        let e = e.map_err(|source| DiscoverError::Io {
            path: dir.into(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if kind_of(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Overrides every article's publication date.
    pub published: Option<PubDate>,
    pub decode: Decode,
    pub base: Base,
    /// Time recorded as the run's end in provenance (RFC 3339).
    pub at: Option<String>,
    /// Skip the fact-level checks before writing.
    pub no_validate: bool,
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
}

/// Progress events, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The number of sources found (JSON Lines files count as one until read).
    Total(usize),
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

/// Reads the articles of one source (a JSON Lines file gives one result per line).
pub fn read_source(src: &Source, decode: Decode) -> Vec<Result<Article, ArticleError>> {
    match src {
        Source::Text { path, default_id } => {
            vec![article::read_text_article(path, default_id, decode)]
        }
        Source::Jsonl { path } => {
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(source) => {
                    return vec![Err(ArticleError::Io {
                        path: path.clone(),
                        source,
                    })]
                }
            };
            let text = match article::decode(path, bytes, decode) {
                Ok(t) => t,
                Err(e) => return vec![Err(e)],
            };
            let stem =
                article::id_from_path_str(&path.file_stem().unwrap_or_default().to_string_lossy());
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| article::parse_jsonl_line(path, &stem, i + 1, l))
                .collect()
        }
    }
}

fn source_path(src: &Source) -> &Path {
    match src {
        Source::Text { path, .. } | Source::Jsonl { path } => path,
    }
}

/// Extracted, checked, mapped: ready to write.
struct Prepared {
    path: PathBuf,
    id: String,
    hash: String,
    quads: Vec<oxigraph::model::Quad>,
    words: usize,
}

/// Ingests every article under `paths` into `store`: extraction runs in parallel (rayon),
/// writes happen one article graph per transaction, in discovery order. Memory stays bounded
/// by a small channel between the two.
pub fn ingest(
    store: &NewsStore,
    extractor: &Extractor<'_>,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestReport, IngestError> {
    let sources = discover(paths)?;
    progress(Progress::Total(sources.len()));
    let mut report = IngestReport::default();
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Result<Prepared, ArticleFailure>>)>(64);
    let mut store_err: Option<StoreError> = None;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            sources
                .par_iter()
                .enumerate()
                .for_each_with(tx, |tx, (i, src)| {
                    let results = read_source(src, opts.decode)
                        .into_iter()
                        .map(|a| prepare(extractor, src, a, opts))
                        .collect();
                    let _ = tx.send((i, results));
                });
        });
        // Write in discovery order, buffering results that arrive early.
        let mut pending: std::collections::BTreeMap<usize, Vec<Result<Prepared, ArticleFailure>>> =
            Default::default();
        let mut next = 0;
        let mut seen: std::collections::HashMap<String, PathBuf> = Default::default();
        for (i, results) in rx {
            pending.insert(i, results);
            while let Some(results) = pending.remove(&next) {
                next += 1;
                for r in results {
                    progress(Progress::Article);
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
                            let article = opts.base.article(&p.id);
                            match store.replace_article(&article, &p.hash, &p.quads) {
                                Ok(Replaced::Written) => {
                                    report.written += 1;
                                    report.quads += p.quads.len();
                                    report.words += p.words;
                                }
                                Ok(Replaced::Unchanged) => {
                                    report.unchanged += 1;
                                    report.words += p.words;
                                }
                                Err(e) => store_err = Some(e),
                            }
                        }
                    }
                }
            }
        }
    });
    match store_err {
        Some(e) => Err(e.into()),
        None => Ok(report),
    }
}

fn prepare(
    extractor: &Extractor<'_>,
    src: &Source,
    article: Result<Article, ArticleError>,
    opts: &IngestOptions,
) -> Result<Prepared, ArticleFailure> {
    let article = article?;
    let facts = extractor.extract(&article, opts.published, opts.at.clone());
    if !opts.no_validate {
        let problems = check(&facts);
        if !problems.is_empty() {
            let e = FactsError::Invalid {
                path: source_path(src).into(),
                problems,
            };
            return Err(ArticleFailure::Invalid {
                path: source_path(src).into(),
                id: article.id.clone(),
                details: e.to_string(),
            });
        }
    }
    let quads = facts_to_quads(&facts, &opts.base);
    Ok(Prepared {
        path: source_path(src).into(),
        id: article.id.clone(),
        hash: facts_hash(&facts),
        quads,
        words: article.text.split_whitespace().count(),
    })
}
