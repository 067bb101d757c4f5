//! SHACL validation of article graphs against `ontology/shapes.ttl` (or a user's shapes file).
//!
//! Entry points: [`Shapes::bundled`] / [`Shapes::from_file`] compile the shapes once;
//! [`Shapes::validate`] checks one graph's triples and returns a [`Report`], rendered by
//! [`report`] as a table, JSON or a `sh:ValidationReport` in Turtle.
//!
//! The engine is rudof's `shacl` crate (native mode, in-memory Oxigraph graph). Where a result
//! comes from a constraint nested in a shape (`sh:or` inside a property shape), the engine gives
//! its own generic text ("OR not satisfied"); this module then uses the failing shape's own
//! `sh:message`, looked up in the shapes graph the engine compiled.

pub mod report;

use std::collections::HashMap;
use std::path::Path;

use oxigraph::model::{Literal, NamedNode, Term, TripleRef};
use rudof_rdf::rdf_core::term::Object;
use rudof_rdf::rdf_core::{RDFFormat, SHACLPath};
use rudof_rdf::rdf_impl::{OxigraphInMemory, ReaderMode};
use shacl::ir::IRSchema;
use shacl::rdf::ShaclParser;
use shacl::types::Severity as ShaclSeverity;
use shacl::validator::processor::{GraphValidation, ShaclProcessor};
use shacl::validator::store::Graph;
use shacl::validator::{ShaclConfig, ShaclValidationMode};

use crate::rdf::vocab::sh;

pub use report::{Finding, Report, ReportFormat, Severity};

/// The shapes that ship with newsgraph.
pub const BUNDLED_SHAPES: &str = include_str!("../../ontology/shapes.ttl");

/// Why shapes could not be used or a graph could not be validated.
#[derive(Debug, thiserror::Error)]
pub enum ShaclError {
    #[error("cannot read the shapes file {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{source_name}: not a usable SHACL shapes graph: {message}; check its Turtle syntax and SHACL terms")]
    Shapes {
        source_name: String,
        message: String,
    },
    #[error("SHACL validation of {graph} failed inside the engine: {message}")]
    Engine { graph: String, message: String },
}

/// Compiled shapes plus the text the engine drops (`sh:message`, `sh:name` per shape).
pub struct Shapes {
    schema: IRSchema,
    /// Shape id (IRI or blank node label of the shapes graph) → its `sh:message`.
    messages: HashMap<String, String>,
    /// Shape id → its `sh:name`.
    names: HashMap<String, String>,
    /// Where the shapes came from (a path, or "bundled").
    pub source_name: String,
}

impl std::fmt::Debug for Shapes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shapes")
            .field("source_name", &self.source_name)
            .field("messages", &self.messages.len())
            .finish()
    }
}

impl Shapes {
    /// The shapes of `ontology/shapes.ttl`, compiled into the binary.
    pub fn bundled() -> Result<Self, ShaclError> {
        Self::from_turtle(BUNDLED_SHAPES, "ontology/shapes.ttl (bundled)")
    }

    /// Shapes from a Turtle file.
    pub fn from_file(path: &Path) -> Result<Self, ShaclError> {
        let text = std::fs::read_to_string(path).map_err(|source| ShaclError::Io {
            path: path.into(),
            source,
        })?;
        Self::from_turtle(&text, &path.display().to_string())
    }

    /// Shapes from Turtle text; `source_name` names it in errors.
    pub fn from_turtle(text: &str, source_name: &str) -> Result<Self, ShaclError> {
        let shapes_err = |message: String| ShaclError::Shapes {
            source_name: source_name.to_owned(),
            message,
        };
        let graph = OxigraphInMemory::from_reader(
            &mut text.as_bytes(),
            source_name,
            &RDFFormat::Turtle,
            None,
            &ReaderMode::Strict,
        )
        .map_err(|e| shapes_err(e.to_string()))?;
        let mut messages = HashMap::new();
        let mut names = HashMap::new();
        for q in graph.quads() {
            let key = q.subject.to_string();
            let value = match &q.object {
                Term::Literal(l) => l.value().to_owned(),
                _ => continue,
            };
            if q.predicate.as_ref() == sh::MESSAGE {
                messages.insert(key, value);
            } else if q.predicate.as_ref() == sh::NAME {
                names.insert(key, value);
            }
        }
        let schema = ShaclParser::new(graph)
            .parse()
            .map_err(|e| shapes_err(e.to_string()))?;
        let schema = IRSchema::compile(&schema).map_err(|e| shapes_err(e.to_string()))?;
        Ok(Self {
            schema,
            messages,
            names,
            source_name: source_name.to_owned(),
        })
    }

    /// Validates one graph's triples; `graph` names it in the report (an article IRI or a file).
    pub fn validate<'a>(
        &self,
        graph: &str,
        triples: impl IntoIterator<Item = TripleRef<'a>>,
    ) -> Result<Report, ShaclError> {
        let engine_err = |message: String| ShaclError::Engine {
            graph: graph.to_owned(),
            message,
        };
        let mut data = OxigraphInMemory::new();
        let mut n = 0;
        for t in triples {
            data.add_triple_ref(t.subject, t.predicate, t.object)
                .map_err(|e| engine_err(e.to_string()))?;
            n += 1;
        }
        let mut validation = GraphValidation::new(Graph::from(data));
        let result = validation
            .validate(
                &self.schema,
                &ShaclValidationMode::Native,
                &ShaclConfig::default(),
            )
            .map_err(|e| engine_err(e.to_string()))?;
        let findings: Vec<Finding> = result
            .results()
            .iter()
            .map(|r| {
                let shape = r.source().map(object_key);
                let engine_message = r
                    .message()
                    .messages()
                    .iter()
                    .min_by_key(|(lang, _)| lang.as_ref().map(|l| l.to_string()))
                    .map(|(_, m)| m.clone());
                let message = shape
                    .as_ref()
                    .and_then(|s| self.messages.get(s).cloned())
                    .or(engine_message)
                    .unwrap_or_else(|| "constraint not met".to_owned());
                Finding {
                    graph: graph.to_owned(),
                    focus: object_term(r.focus_node()),
                    path: r.path().map(path_of),
                    value: r.value().map(object_term),
                    message,
                    severity: Severity::of(r.severity()),
                    component: object_key(r.constraint_component()),
                    shape_name: shape.as_ref().and_then(|s| self.names.get(s).cloned()),
                    shape: shape.filter(|s| !s.starts_with("_:")),
                }
            })
            .collect();
        let mut report = Report {
            findings,
            graphs: 1,
            triples: n,
        };
        report.sort();
        report.findings.dedup();
        Ok(report)
    }
}

/// A SHACL property path, as the report keeps it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapePath {
    Predicate(String),
    Inverse(Box<ShapePath>),
    Sequence(Vec<ShapePath>),
    Alternative(Vec<ShapePath>),
    ZeroOrMore(Box<ShapePath>),
    OneOrMore(Box<ShapePath>),
    ZeroOrOne(Box<ShapePath>),
}

fn path_of(p: &SHACLPath) -> ShapePath {
    let b = |p: &SHACLPath| Box::new(path_of(p));
    match p {
        SHACLPath::Predicate { pred } => ShapePath::Predicate(pred.as_str().to_owned()),
        SHACLPath::Inverse { path } => ShapePath::Inverse(b(path)),
        SHACLPath::Sequence { paths } => ShapePath::Sequence(paths.iter().map(path_of).collect()),
        SHACLPath::Alternative { paths } => {
            ShapePath::Alternative(paths.iter().map(path_of).collect())
        }
        SHACLPath::ZeroOrMore { path } => ShapePath::ZeroOrMore(b(path)),
        SHACLPath::OneOrMore { path } => ShapePath::OneOrMore(b(path)),
        SHACLPath::ZeroOrOne { path } => ShapePath::ZeroOrOne(b(path)),
    }
}

/// The N-Triples-like key of a shape id, matching `Subject::to_string` of the shapes graph.
fn object_key(o: &Object) -> String {
    match o {
        Object::Iri(i) => format!("<{}>", i.as_str()),
        Object::BlankNode(b) => format!("_:{b}"),
        other => other.to_string(),
    }
}

fn object_term(o: &Object) -> Term {
    match o {
        Object::Iri(i) => NamedNode::new_unchecked(i.as_str()).into(),
        Object::BlankNode(b) => oxigraph::model::BlankNode::new_unchecked(b.as_str()).into(),
        Object::Literal(l) => Term::Literal(l.clone().into()),
        // RDF 1.2 triple terms never occur in newsgraph data; keep their text.
        other => Literal::new_simple_literal(other.to_string()).into(),
    }
}

impl Severity {
    fn of(s: &ShaclSeverity) -> Self {
        match s {
            ShaclSeverity::Violation => Severity::Violation,
            ShaclSeverity::Warning => Severity::Warning,
            _ => Severity::Info,
        }
    }
}
