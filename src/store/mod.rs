//! The only code that touches Oxigraph: opening the store (with clear lock errors), replacing an
//! article's graph in one transaction, the ontology graph, queries with bindings, exports, stats.
//!
//! Entry point: [`NewsStore::open`].

mod export;
mod query;
mod rows;
mod scope;
mod summary;

use std::path::{Path, PathBuf};

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term, Triple};
use oxigraph::store::{StorageError, Store};

pub use export::{ExportError, ExportFormat};
pub use query::{parse_binding, QueryError, QueryOptions, ResultFormat, Rows};
pub use rows::Row;
pub use scope::{Scope, ScopeError};
pub use summary::{summary_quads_from, SummaryRun, SummaryUpdate, Tally, SUMMARY_GRAPH};

use crate::rdf::vocab::ng;
use crate::rdf::ONTOLOGY_GRAPH;

/// Below this many quads, new graphs are written with a transaction rather than
/// [`NewsStore::bulk_insert_new`], which writes and ingests SST files for every index at each
/// load.
pub(crate) const BULK_MIN_QUADS: usize = 20_000;

/// Environment variable naming the store directory.
pub const STORE_ENV: &str = "NEWSGRAPH_STORE";
/// File written into every store directory newsgraph creates.
pub const MARKER_FILE: &str = "NEWSGRAPH_STORE";

const ONTOLOGY_TTL: &str = include_str!("../../ontology/newsgraph.ttl");
const ALIGNMENTS_TTL: &str = include_str!("../../ontology/alignments.ttl");

/// The default store directory: `$NEWSGRAPH_STORE`, else `$XDG_DATA_HOME/newsgraph/store`,
/// else `$HOME/.local/share/newsgraph/store`, else `./newsgraph-store`.
pub fn default_store_dir() -> PathBuf {
    if let Some(p) = std::env::var_os(STORE_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(p) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(p).join("newsgraph").join("store");
    }
    if let Some(p) = std::env::var_os("HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(p).join(".local/share/newsgraph/store");
    }
    PathBuf::from("newsgraph-store")
}

/// Why a store operation failed. Every variant names the store directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path} is in use by another newsgraph process (RocksDB lock held); wait for it to finish, or use another --store. Note: to query during a long ingest, run queries on a copy made with `newsgraph backup`")]
    Locked { path: PathBuf },
    #[error("store path {path} is a file, not a directory; point --store at a directory (it is created if missing)")]
    NotADirectory { path: PathBuf },
    #[error("{path} is not a newsgraph store (no {MARKER_FILE} file, and the directory is not empty); point --store at a new or empty directory, or at a store newsgraph created")]
    Foreign { path: PathBuf },
    #[error("store {path}: {source}")]
    Storage {
        path: PathBuf,
        #[source]
        source: StorageError,
    },
    #[error("store {path}: cannot write {what}: {source}")]
    Io {
        path: PathBuf,
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("store {path}: {source}")]
    Query {
        path: PathBuf,
        #[source]
        source: Box<QueryError>,
    },
    #[error("store {path}: the bundled ontology does not parse: {message}")]
    Ontology { path: PathBuf, message: String },
}

impl StoreError {
    /// Locked, foreign and not-a-directory stores are unavailable; the rest is a failure.
    pub fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            Self::Locked { .. } | Self::Foreign { .. } | Self::NotADirectory { .. } => {
                ErrorKind::StoreUnavailable
            }
            _ => ErrorKind::Failure,
        }
    }
}

/// Counts shown by `newsgraph stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Article graphs.
    pub articles: u64,
    /// All quads in the store, the ontology graph included.
    pub quads: u64,
    /// Distinct triples in the data graphs (every graph but the ontology's): what a Turtle
    /// export without `--graph` contains.
    pub data_triples: u64,
    pub persons: u64,
    pub organisations: u64,
    pub places: u64,
    pub events: u64,
    pub post_holdings: u64,
}

/// A newsgraph store: an Oxigraph RocksDB store in a directory.
pub struct NewsStore {
    store: Store,
    path: PathBuf,
}

impl NewsStore {
    /// Opens (creating if needed) the store in `path`, and makes sure it holds the current
    /// ontology graph.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if path.is_file() {
            return Err(StoreError::NotADirectory { path: path.into() });
        }
        let marker = path.join(MARKER_FILE);
        let existed = path.exists();
        if existed && !marker.exists() {
            let empty = std::fs::read_dir(path)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty {
                return Err(StoreError::Foreign { path: path.into() });
            }
        }
        // The marker goes in before RocksDB creates any file, so that a process killed while
        // creating a store leaves a directory newsgraph still recognises as its own.
        if !marker.exists() {
            std::fs::create_dir_all(path)
                .and_then(|_| {
                    std::fs::write(
                        &marker,
                        "This directory is a newsgraph store (Oxigraph/RocksDB). Do not edit its files.\n",
                    )
                })
                .map_err(|source| StoreError::Io {
                    path: path.into(),
                    what: MARKER_FILE.into(),
                    source,
                })?;
        }
        #[cfg(feature = "rocksdb")]
        let opened = Store::open(path);
        #[cfg(not(feature = "rocksdb"))]
        let opened = Store::new();
        let store = opened.map_err(|source| {
            let msg = source.to_string();
            if msg.contains("LOCK") || msg.to_lowercase().contains("lock file") {
                StoreError::Locked { path: path.into() }
            } else {
                StoreError::Storage {
                    path: path.into(),
                    source,
                }
            }
        })?;
        let s = NewsStore {
            store,
            path: path.into(),
        };
        s.ensure_ontology()?;
        Ok(s)
    }

    /// The store directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn storage(&self) -> impl FnOnce(StorageError) -> StoreError + '_ {
        move |source| StoreError::Storage {
            path: self.path.clone(),
            source,
        }
    }

    /// Loads the bundled ontology and alignments into their graph when missing or outdated.
    fn ensure_ontology(&self) -> Result<(), StoreError> {
        let graph = NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH);
        let version = ontology_version();
        let current = self
            .store
            .quads_for_pattern(
                Some(graph.into()),
                Some(ng::CONTENT_HASH),
                None,
                Some(graph.into()),
            )
            .next()
            .transpose()
            .map_err(self.storage())?
            .map(|q| q.object);
        if current == Some(Term::Literal(Literal::new_simple_literal(&version))) {
            return Ok(());
        }
        let mut quads = Vec::new();
        for ttl in [ONTOLOGY_TTL, ALIGNMENTS_TTL] {
            for q in oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
                .with_default_graph(graph)
                .for_slice(ttl.as_bytes())
            {
                quads.push(q.map_err(|e| StoreError::Ontology {
                    path: self.path.clone(),
                    message: e.to_string(),
                })?);
            }
        }
        quads.push(Quad::new(
            graph.into_owned(),
            ng::CONTENT_HASH.into_owned(),
            Literal::new_simple_literal(version),
            graph.into_owned(),
        ));
        self.replace_graph(graph, &quads)
    }

    /// Replaces the whole content of `graph` with `quads`, in one transaction: either the whole
    /// new graph is there afterwards, or (on error) the previous one. `load` and `ingest`
    /// compare an article's [`Self::facts_hash`] first and skip unchanged articles.
    pub(crate) fn replace_graph(
        &self,
        graph: NamedNodeRef<'_>,
        quads: &[Quad],
    ) -> Result<(), StoreError> {
        let mut tx = self.store.start_transaction().map_err(self.storage())?;
        tx.clear_graph(graph).map_err(self.storage())?;
        tx.insert_named_graph(graph);
        tx.extend(quads.iter().map(|q| q.as_ref()));
        tx.commit().map_err(self.storage())
    }

    /// The facts hash recorded in an article graph, if the graph exists.
    pub fn facts_hash(&self, article: &NamedNode) -> Result<Option<String>, StoreError> {
        let q = self
            .store
            .quads_for_pattern(
                Some(article.as_ref().into()),
                Some(ng::CONTENT_HASH),
                None,
                Some(article.as_ref().into()),
            )
            .next()
            .transpose()
            .map_err(self.storage())?;
        Ok(q.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    /// Writes the graphs of several articles that are not in the store yet, with Oxigraph's
    /// bulk loader: its files are ingested into RocksDB at commit, so either all these graphs
    /// are there afterwards or none is. Much faster than transactions for large batches; it
    /// cannot replace, so articles already in the store go through [`Self::replace_graph`].
    pub fn bulk_insert_new(&self, quads: Vec<Quad>) -> Result<(), StoreError> {
        // Two halves encoded, sorted and written to SST files by two threads at once
        // (Oxigraph cuts a batch into chunks of `memory MB × 1000 / threads` quads).
        let mut loader = self
            .store
            .bulk_loader()
            .with_num_threads(2)
            .with_max_memory_size_in_megabytes(quads.len().div_ceil(1000).max(1));
        loader.load_quads(quads).map_err(self.storage())?;
        loader.commit().map_err(self.storage())
    }

    /// The article graphs: every named graph whose article node carries its facts hash.
    pub fn article_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut out = Vec::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(ng::CONTENT_HASH), None, None)
        {
            let q = q.map_err(self.storage())?;
            if let (oxigraph::model::NamedOrBlankNode::NamedNode(s), GraphName::NamedNode(g)) =
                (&q.subject, &q.graph_name)
            {
                if s == g && g.as_str() != ONTOLOGY_GRAPH {
                    out.push(g.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The triples of one named graph (empty if it does not exist).
    pub fn graph_triples(&self, graph: &NamedNode) -> Result<Vec<Triple>, StoreError> {
        self.store
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .map_err(self.storage())
    }

    /// Number of quads in the store.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.store.len().map_err(self.storage())
    }

    /// True when the store holds no quad at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.store.is_empty().map_err(self.storage())
    }

    /// Runs one of newsgraph's own SELECT queries; a failure is a store error.
    pub fn internal_select(&self, q: &str) -> Result<query::Rows, StoreError> {
        self.select(q, &QueryOptions::default())
            .map_err(|e| StoreError::Query {
                path: self.path.clone(),
                source: Box::new(e),
            })
    }

    /// Counts for `newsgraph stats`.
    /// True when the store holds at most `n` article graphs (reads at most `n + 1` of them, so
    /// it is as fast on a store of a million articles as on one of ten).
    pub fn holds_at_most(&self, n: usize) -> Result<bool, StoreError> {
        let rows = self.internal_select(&format!(
            "SELECT ?g WHERE {{ GRAPH ?g {{ ?g <{}> ?id }} }} LIMIT {}",
            ng::ARTICLE_ID.as_str(),
            n + 1
        ))?;
        Ok(rows.len() <= n)
    }

    pub fn stats(&self) -> Result<Stats, StoreError> {
        let count = |q: &str| -> Result<u64, StoreError> {
            let rows = self.internal_select(q)?;
            Ok(rows
                .first()
                .and_then(|r| r.first().cloned().flatten())
                .and_then(|t| match t {
                    Term::Literal(l) => l.value().parse().ok(),
                    _ => None,
                })
                .unwrap_or(0))
        };
        let typed = |class: &str| {
            count(&format!(
                "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{class}> }} FILTER(?g != <{ONTOLOGY_GRAPH}> && ?g != <{SUMMARY_GRAPH}>) }}"
            ))
        };
        use crate::rdf::vocab::schema;
        Ok(Stats {
            articles: count(&format!(
                "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?g <{}> ?id }} }}",
                ng::ARTICLE_ID.as_str()
            ))?,
            quads: self.len()? as u64,
            data_triples: self.data_triples()?,
            persons: typed(schema::PERSON.as_str())?,
            organisations: typed(schema::ORGANIZATION.as_str())?,
            places: typed(schema::PLACE.as_str())?,
            events: typed(schema::EVENT.as_str())?,
            post_holdings: typed(ng::POST_HOLDING.as_str())?,
        })
    }

    /// Distinct triples of the data graphs (every graph but the ontology's and the summary's,
    /// which are derived), counted graph by graph in bounded memory: a triple counts in the
    /// first data graph (in IRI order) that holds it, found with one index lookup per quad.
    fn data_triples(&self) -> Result<u64, StoreError> {
        let mut n = 0;
        for g in self.data_graphs()? {
            for q in self
                .store
                .quads_for_pattern(None, None, None, Some(g.as_ref()))
            {
                let q = q.map_err(self.storage())?;
                if self.first_data_graph_of(&q)? {
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// Replaces the links graph (`link` writes the result of one whole run).
    pub fn replace_links(&self, graph: &NamedNode, quads: &[Quad]) -> Result<(), StoreError> {
        self.replace_graph(graph.as_ref(), quads)
    }

    /// Compacts the whole RocksDB database (Oxigraph's `optimize`): merges the files bulk loads
    /// left, so that later reads touch fewer of them.
    #[cfg(feature = "rocksdb")]
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.store.optimize().map_err(self.storage())
    }

    /// Copies the store to `target` (a new directory) with RocksDB's consistent checkpoint.
    #[cfg(feature = "rocksdb")]
    pub fn backup(&self, target: &Path) -> Result<(), StoreError> {
        self.store.backup(target).map_err(self.storage())?;
        std::fs::copy(self.path.join(MARKER_FILE), target.join(MARKER_FILE)).map_err(|source| {
            StoreError::Io {
                path: target.into(),
                what: MARKER_FILE.into(),
                source,
            }
        })?;
        Ok(())
    }
}

/// A hash of the bundled ontology files, recorded in the ontology graph, so that any edit to
/// them reloads the graph.
fn ontology_version() -> String {
    crate::rdf::iri::content_hash(&[ONTOLOGY_TTL, ALIGNMENTS_TTL])[..16].to_owned()
}
