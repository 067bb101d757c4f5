//! Loading facts into the store: every input is read and checked before anything is written,
//! then each article graph is replaced in its own transaction.
//!
//! Entry point: [`load_facts_files`].

use std::path::PathBuf;

use crate::facts::{read_facts_file, Facts, FactsError};
use crate::rdf::{facts_hash, facts_to_quads, facts_to_quads_hashed, Base};
use crate::shacl::{ShaclError, Shapes};
use crate::store::{NewsStore, StoreError, SummaryRun, SummaryUpdate, Tally};
use crate::validate::validate_quads;

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Article graphs written (new or changed).
    pub written: Vec<String>,
    /// Article graphs that already held the same facts.
    pub unchanged: Vec<String>,
    /// Quads in the graphs written.
    pub quads: usize,
    /// What happened to the summary graph.
    pub summary: Option<SummaryUpdate>,
}

/// Why a load failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Facts(#[from] FactsError),
    #[error(
        "{first} and {second} both hold article {id:?}; each article id may appear once per load"
    )]
    DuplicateArticle {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{path}: the facts do not conform to the SHACL shapes ({summary}); nothing was loaded. Fix the facts, or load with --no-validate:\n{table}")]
    NotValid {
        path: PathBuf,
        summary: String,
        table: String,
    },
    #[error(transparent)]
    Shacl(#[from] ShaclError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LoadError {
    /// A store error keeps its own kind; everything else is the facts files' fault.
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            Self::Store(s) => s.kind(),
            _ => crate::error::ErrorKind::BadInput,
        }
    }
}

/// Writes one checked facts value to the store, replacing its article graph in one
/// transaction unless it already holds the same facts, and tells `summary` whether the article
/// was new (its counts) or replaced. Returns the quads written, `None` when unchanged.
fn write_facts(
    store: &NewsStore,
    facts: &Facts,
    base: &Base,
    summary: &mut SummaryRun<'_>,
) -> Result<Option<usize>, StoreError> {
    let article = base.article(&facts.article.id);
    let existing = store.facts_hash(&article)?;
    let hash = facts_hash(facts);
    if existing.as_deref() == Some(hash.as_str()) {
        return Ok(None);
    }
    let quads = facts_to_quads_hashed(facts, base, &hash);
    match existing {
        Some(_) => summary.replaced(),
        None => summary.added(Tally::of_article(&quads)),
    }
    summary.before_write()?;
    store.replace_graph(article.as_ref(), &quads)?;
    Ok(Some(quads.len()))
}

/// Reads and checks every file (and, with `shapes`, validates its article graph), then loads
/// them. If any file is invalid, nothing is written.
pub fn load_facts_files(
    store: &NewsStore,
    paths: &[PathBuf],
    base: &Base,
    shapes: Option<&Shapes>,
) -> Result<LoadReport, LoadError> {
    let mut all: Vec<(PathBuf, Facts)> = Vec::with_capacity(paths.len());
    for p in paths {
        let f = read_facts_file(p)?;
        if let Some((first, _)) = all.iter().find(|(_, g)| g.article.id == f.article.id) {
            return Err(LoadError::DuplicateArticle {
                id: f.article.id.clone(),
                first: first.clone(),
                second: p.clone(),
            });
        }
        if let Some(shapes) = shapes {
            let report =
                validate_quads(shapes, &p.display().to_string(), &facts_to_quads(&f, base))?;
            if !report.conforms() {
                return Err(LoadError::NotValid {
                    path: p.clone(),
                    summary: report.summary(),
                    table: report.table(),
                });
            }
        }
        all.push((p.clone(), f));
    }
    let mut report = LoadReport::default();
    let mut summary = SummaryRun::start(store)?;
    for (_, f) in &all {
        match write_facts(store, f, base, &mut summary)? {
            Some(n) => {
                report.written.push(f.article.id.clone());
                report.quads += n;
            }
            None => report.unchanged.push(f.article.id.clone()),
        }
    }
    report.summary = Some(summary.finish()?);
    Ok(report)
}
