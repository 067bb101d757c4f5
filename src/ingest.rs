//! Ingest: find articles in files, folders and JSON Lines corpora, extract their facts in
//! parallel, check them, and replace each article's graph: changed articles in a transaction
//! each, new ones in bulk-loaded batches committed whole. A failing article is reported and the
//! rest go on.
//!
//! Entry point: [`ingest`]. Sources are discovered by [`discover`].

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::article::{self, Article, ArticleError, Decode, PubDate};
use crate::extract::Extractor;
use crate::facts::{check, FactsError};
use crate::rdf::{facts_hash, facts_to_quads_hashed, Base};
use crate::shacl::{ShaclError, Shapes};
use crate::store::{NewsStore, StoreError, SummaryRun, SummaryUpdate, Tally, BULK_MIN_QUADS};
use crate::validate::validate_quads;

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
    /// Skip the fact-level checks and SHACL validation before writing.
    pub no_validate: bool,
    /// Write every article in its own transaction, never with the bulk loader.
    pub transactional: bool,
    /// Quads of new articles gathered before one bulk load; 0 means [`BULK_BATCH_QUADS`].
    /// Bounds the memory the batch takes (roughly 250 bytes a quad).
    pub batch_quads: usize,
    /// Shapes every article graph must conform to before it is written (unless `no_validate`).
    pub shapes: Option<std::sync::Arc<Shapes>>,
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

/// Lines of a JSON Lines corpus read and extracted together.
const JSONL_CHUNK: usize = 32;

/// Reads every source in order as units of work: one unit per text file, one per
/// [`JSONL_CHUNK`] lines of a JSON Lines corpus (streamed, so a corpus of any size is never
/// held in memory whole). Each unit carries its sequence number, so that writes can follow
/// discovery order.
pub struct Units<'a> {
    sources: std::slice::Iter<'a, Source>,
    decode: Decode,
    jsonl: Option<JsonlReader>,
    next_index: usize,
}

struct JsonlReader {
    path: PathBuf,
    stem: String,
    reader: std::io::BufReader<std::fs::File>,
    line_no: usize,
    offset: usize,
    any_bytes: bool,
}

/// One unit of work: a text file's article, or some lines of a JSON Lines corpus.
#[derive(Debug)]
pub struct Unit {
    /// Sequence number, in discovery order.
    pub index: usize,
    pub path: PathBuf,
    /// True for lines of a JSON Lines corpus (not counted before they are read).
    pub from_jsonl: bool,
    pub articles: Vec<Result<Article, ArticleError>>,
}

impl<'a> Units<'a> {
    pub fn new(sources: &'a [Source], decode: Decode) -> Self {
        Units {
            sources: sources.iter(),
            decode,
            jsonl: None,
            next_index: 0,
        }
    }

    fn unit(
        &mut self,
        path: PathBuf,
        from_jsonl: bool,
        articles: Vec<Result<Article, ArticleError>>,
    ) -> Unit {
        self.next_index += 1;
        Unit {
            index: self.next_index - 1,
            path,
            from_jsonl,
            articles,
        }
    }

    /// The next chunk of the open JSON Lines file, or None at its end.
    fn jsonl_chunk(&mut self) -> Option<Unit> {
        use std::io::BufRead;
        let decode = self.decode;
        let r = self.jsonl.as_mut()?;
        let path = r.path.clone();
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while out.len() < JSONL_CHUNK {
            buf.clear();
            let n = match r.reader.read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(source) => {
                    out.push(Err(ArticleError::Io {
                        path: r.path.clone(),
                        source,
                    }));
                    self.jsonl = None;
                    break;
                }
            };
            if n == 0 {
                if !r.any_bytes {
                    out.push(Err(ArticleError::Empty {
                        path: r.path.clone(),
                    }));
                }
                self.jsonl = None;
                break;
            }
            r.any_bytes = true;
            r.line_no += 1;
            let line_start = r.offset;
            r.offset += n;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            out.push(jsonl_line(r, line_start, std::mem::take(&mut buf), decode));
        }
        if out.is_empty() {
            return None;
        }
        Some(self.unit(path, true, out))
    }
}

fn jsonl_line(
    r: &JsonlReader,
    line_start: usize,
    bytes: Vec<u8>,
    decode: Decode,
) -> Result<Article, ArticleError> {
    // The same decoding rules as for text files; offsets become offsets into the file.
    let text = article::decode(&r.path, bytes, decode).map_err(|e| {
        let message = match e {
            ArticleError::Binary { offset, .. } => format!(
                "a NUL byte at byte offset {} of the file; is this a binary file?",
                line_start + offset
            ),
            ArticleError::InvalidUtf8 { offset, .. } => format!(
                "invalid UTF-8 at byte offset {} of the file; fix the encoding, or use --lossy to replace bad bytes",
                line_start + offset
            ),
            other => return other,
        };
        ArticleError::JsonLine {
            path: r.path.clone(),
            line: r.line_no,
            message,
        }
    })?;
    article::parse_jsonl_line(&r.path, &r.stem, r.line_no, text.trim_end())
}

impl Iterator for Units<'_> {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            if self.jsonl.is_some() {
                if let Some(u) = self.jsonl_chunk() {
                    return Some(u);
                }
                continue;
            }
            match self.sources.next()? {
                Source::Text { path, default_id } => {
                    let a = article::read_text_article(path, default_id, self.decode);
                    return Some(self.unit(path.clone(), false, vec![a]));
                }
                Source::Jsonl { path } => match std::fs::File::open(path) {
                    Ok(f) => {
                        self.jsonl = Some(JsonlReader {
                            path: path.clone(),
                            stem: article::id_from_path_str(
                                &path.file_stem().unwrap_or_default().to_string_lossy(),
                            ),
                            reader: std::io::BufReader::new(f),
                            line_no: 0,
                            offset: 0,
                            any_bytes: false,
                        });
                    }
                    Err(source) => {
                        let e = ArticleError::Io {
                            path: path.clone(),
                            source,
                        };
                        return Some(self.unit(path.clone(), false, vec![Err(e)]));
                    }
                },
            }
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
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Result<Prepared, ArticleFailure>>)>(64);
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
                        .map(|a| prepare(extractor, &unit.path, a, opts))
                        .collect();
                    let _ = tx.send((unit.index, results));
                });
        });
        // Write in discovery order, buffering results that arrive early.
        let mut pending: std::collections::BTreeMap<usize, Vec<Result<Prepared, ArticleFailure>>> =
            Default::default();
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

/// Writes prepared articles: changed ones by transaction (replacing their graph), new ones
/// gathered into batches for the bulk loader (each batch is committed whole or not at all).
/// Full batches go to the loader thread; the writer gathers the next one meanwhile.
struct Writer<'a> {
    store: &'a NewsStore,
    /// Counts of the new articles, and whether one was replaced (see [`SummaryRun`]).
    summary: SummaryRun<'a>,
    base: &'a Base,
    bulk: bool,
    batch_quads: usize,
    pending: Vec<oxigraph::model::Quad>,
    /// (id, quads, words) of the articles in `pending`, for the transactional fallback.
    pending_articles: Vec<(String, usize, usize)>,
    /// The loader thread's inbox; `None` once it stopped (its error is reported at the join).
    loader: Option<mpsc::SyncSender<Vec<oxigraph::model::Quad>>>,
}

impl Writer<'_> {
    fn write(&mut self, p: Prepared, report: &mut IngestReport) -> Result<(), StoreError> {
        if self.loader.is_none() {
            return Ok(()); // the loader failed: the run ends with its error
        }
        let article = self.base.article(&p.id);
        let existing = self.store.facts_hash(&article)?;
        match &existing {
            Some(h) if *h == p.hash => {
                report.unchanged += 1;
                report.words += p.words;
                return Ok(());
            }
            Some(_) => self.summary.replaced(),
            None => self.summary.added(p.tally),
        }
        match existing {
            None if self.bulk => {
                self.pending_articles.push((p.id, p.quads.len(), p.words));
                self.pending.extend(p.quads);
                if self.pending.len() >= self.batch_quads {
                    self.flush(report)?;
                }
            }
            _ => self.transaction(&article, &p.quads, p.words, report)?,
        }
        Ok(())
    }

    /// Replaces one article's graph in a transaction (its facts hash was already compared).
    fn transaction(
        &mut self,
        article: &oxigraph::model::NamedNode,
        quads: &[oxigraph::model::Quad],
        words: usize,
        report: &mut IngestReport,
    ) -> Result<(), StoreError> {
        self.summary.before_write()?;
        self.store.replace_graph(article.as_ref(), quads)?;
        report.written += 1;
        report.quads += quads.len();
        report.words += words;
        Ok(())
    }

    /// Whether `n` pending quads go to the bulk loader (else one transaction per article).
    fn bulk_sized(&self, n: usize) -> bool {
        n >= BULK_MIN_QUADS.min(self.batch_quads)
    }

    /// The run's last flush. When it is a bulk load and the run only added articles, the
    /// summary graph's new counts (and its up-to-date marker) ride in the same commit, which
    /// saves a bulk load of their own.
    fn last_flush(&mut self, report: &mut IngestReport) -> Result<(), StoreError> {
        if self.loader.is_some() && self.bulk_sized(self.pending.len()) {
            if let Some(quads) = self.summary.hand_over()? {
                self.pending.extend(quads);
            }
        }
        self.flush(report)
    }

    /// Writes the pending new articles: one bulk load, or transactions when they are few.
    fn flush(&mut self, report: &mut IngestReport) -> Result<(), StoreError> {
        let quads = std::mem::take(&mut self.pending);
        let articles = std::mem::take(&mut self.pending_articles);
        if self.bulk_sized(quads.len()) {
            let Some(loader) = &self.loader else {
                return Ok(());
            };
            self.summary.before_write()?;
            if loader.send(quads).is_err() {
                // The loader stopped on an error; stop handing it batches.
                self.loader = None;
                return Ok(());
            }
            for (_, n, words) in articles {
                report.written += 1;
                report.quads += n;
                report.words += words;
            }
            return Ok(());
        }
        let mut rest = quads.as_slice();
        for (id, n, words) in articles {
            let (mine, tail) = rest.split_at(n);
            rest = tail;
            let article = self.base.article(&id);
            self.transaction(&article, mine, words, report)?;
        }
        Ok(())
    }
}
