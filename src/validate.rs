//! `newsgraph validate`: SHACL validation of facts files (before they are loaded) or of every
//! article graph in a store, one graph at a time so memory stays bounded by the largest article.
//!
//! Entry points: [`validate_facts_files`], [`validate_store`], [`validate_quads`].

use std::path::{Path, PathBuf};

use oxigraph::model::Quad;

use crate::facts::{read_facts_file, FactsError};
use crate::rdf::{facts_to_quads, Base};
use crate::shacl::{Report, ShaclError, Shapes};
use crate::store::{NewsStore, StoreError};

/// Why validation could not run (a graph that does not conform is a [`Report`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error(transparent)]
    Facts(#[from] FactsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Shacl(#[from] ShaclError),
}

impl ValidateError {
    /// A store error keeps its own kind; facts and shapes that cannot be read are bad input.
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            Self::Store(s) => s.kind(),
            _ => crate::error::ErrorKind::BadInput,
        }
    }
}

/// Validates the triples of `quads` (graph names ignored) as one graph called `name`.
pub fn validate_quads(shapes: &Shapes, name: &str, quads: &[Quad]) -> Result<Report, ShaclError> {
    shapes.validate(
        name,
        quads.iter().map(|q| {
            let q = q.as_ref();
            oxigraph::model::TripleRef::new(q.subject, q.predicate, q.object)
        }),
    )
}

/// Checks and maps each facts file as `load` would, then validates its article graph.
pub fn validate_facts_files(
    shapes: &Shapes,
    paths: &[PathBuf],
    base: &Base,
) -> Result<Report, ValidateError> {
    let mut report = Report::default();
    for p in paths {
        report.merge(validate_facts_file(shapes, p, base)?);
    }
    report.sort();
    Ok(report)
}

fn validate_facts_file(shapes: &Shapes, path: &Path, base: &Base) -> Result<Report, ValidateError> {
    let facts = read_facts_file(path)?;
    let quads = facts_to_quads(&facts, base);
    Ok(validate_quads(shapes, &path.display().to_string(), &quads)?)
}

/// Validates every article graph of the store, one at a time.
pub fn validate_store(store: &NewsStore, shapes: &Shapes) -> Result<Report, ValidateError> {
    let mut report = Report::default();
    for g in store.article_graphs()? {
        let triples = store.graph_triples(&g)?;
        report.merge(shapes.validate(g.as_str(), triples.iter().map(|t| t.as_ref()))?);
    }
    report.sort();
    Ok(report)
}
