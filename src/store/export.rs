//! Exports: the data as Turtle, N-Triples, RDF/XML (triples) or N-Quads, TriG, JSON-LD (graphs).

use std::io::Write;
use std::str::FromStr;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, Quad};

use super::{NewsStore, StoreError};
use crate::rdf::vocab::prefixes;

/// Formats of `newsgraph export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    #[default]
    Turtle,
    NTriples,
    NQuads,
    TriG,
    RdfXml,
    JsonLd,
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "turtle" | "ttl" => Self::Turtle,
            "ntriples" | "nt" => Self::NTriples,
            "nquads" | "nq" => Self::NQuads,
            "trig" => Self::TriG,
            "rdfxml" | "xml" => Self::RdfXml,
            "jsonld" | "json-ld" => Self::JsonLd,
            _ => {
                return Err(format!(
                    "unknown export format {s:?}; use one of: turtle, ntriples, nquads, trig, rdfxml, jsonld"
                ))
            }
        })
    }
}

impl ExportFormat {
    fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::TriG => RdfFormat::TriG,
            Self::RdfXml => RdfFormat::RdfXml,
            Self::JsonLd => RdfFormat::from_extension("jsonld").expect("oxigraph knows JSON-LD"),
        }
    }

    /// True for formats that keep named graphs.
    pub fn keeps_graphs(self) -> bool {
        self.rdf_format().supports_datasets()
    }
}

impl NewsStore {
    /// Writes the store to `out`.
    ///
    /// - With `graph`: that graph only (in a dataset format, as a named graph).
    /// - Without: triple formats get the distinct triples of all data graphs (every graph but
    ///   the ontology's, which ships in `ontology/`); dataset formats get every quad, the
    ///   ontology graph included.
    ///
    /// Output is sorted (subject, predicate, object), so exports are stable and Turtle groups
    /// each subject's statements.
    pub fn export(
        &self,
        format: ExportFormat,
        graph: Option<&NamedNode>,
        out: &mut dyn Write,
    ) -> Result<(), ExportError> {
        let mut serializer = RdfSerializer::from_format(format.rdf_format());
        for (p, ns) in prefixes() {
            serializer = serializer
                .with_prefix(p, ns)
                .expect("vocabulary namespaces are valid IRIs");
        }
        let mut writer = serializer.for_writer(out);
        let write_err = ExportError::Write;
        if format.keeps_graphs() {
            let mut quads: Vec<Quad> = match graph {
                Some(g) => self.graph_quads(GraphNameRef::NamedNode(g.as_ref()))?,
                None => self
                    .store
                    .iter()
                    .collect::<Result<_, _>>()
                    .map_err(|e| ExportError::Store(self.storage()(e)))?,
            };
            quads.sort_by_cached_key(|q| {
                (
                    q.graph_name.to_string(),
                    q.subject.to_string(),
                    q.predicate.to_string(),
                    q.object.to_string(),
                )
            });
            for q in &quads {
                writer.serialize_quad(q).map_err(write_err)?;
            }
        } else {
            let triples = match graph {
                Some(g) => {
                    let mut t: Vec<_> = self
                        .graph_quads(GraphNameRef::NamedNode(g.as_ref()))?
                        .into_iter()
                        .map(oxigraph::model::Triple::from)
                        .collect();
                    t.sort_by_cached_key(|t| {
                        (
                            t.subject.to_string(),
                            t.predicate.to_string(),
                            t.object.to_string(),
                        )
                    });
                    t
                }
                None => self.data_triples().map_err(ExportError::Store)?,
            };
            for t in &triples {
                writer.serialize_triple(t).map_err(write_err)?;
            }
        }
        writer.finish().map_err(ExportError::Write)?;
        Ok(())
    }

    fn graph_quads(&self, graph: GraphNameRef<'_>) -> Result<Vec<Quad>, ExportError> {
        if let GraphNameRef::NamedNode(n) = graph {
            let known = self
                .store
                .contains_named_graph(n)
                .map_err(|e| ExportError::Store(self.storage()(e)))?;
            if !known {
                return Err(ExportError::UnknownGraph {
                    graph: n.as_str().to_owned(),
                });
            }
        }
        self.store
            .quads_for_pattern(None, None, None, Some(graph))
            .collect::<Result<_, _>>()
            .map_err(|e| ExportError::Store(self.storage()(e)))
    }

    /// IRIs of the named graphs: articles, links, and the ontology (`ONTOLOGY_GRAPH`).
    pub fn graphs(&self) -> Result<Vec<String>, StoreError> {
        let mut out: Vec<String> = self
            .store
            .named_graphs()
            .map(|g| g.map(|g| g.to_string().trim_matches(['<', '>']).to_owned()))
            .collect::<Result<_, _>>()
            .map_err(self.storage())?;
        out.sort();
        Ok(out)
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no graph <{graph}> in the store; `newsgraph graphs` lists the graphs")]
    UnknownGraph { graph: String },
    #[error("cannot write the export: {0}")]
    Write(#[source] std::io::Error),
}
