//! Exports: the data as Turtle, N-Triples, RDF/XML (triples) or N-Quads, TriG, JSON-LD (graphs).

use std::io::Write;
use std::str::FromStr;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad};

use super::{NewsStore, StoreError, SUMMARY_GRAPH};
use crate::rdf::vocab::prefixes;
use crate::rdf::ONTOLOGY_GRAPH;

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
    /// Writes the store to `out`, graph by graph, in bounded memory (one graph's quads at a
    /// time, sorted so that exports are stable and Turtle groups each subject's statements).
    ///
    /// - With `graph`: that graph only (in a dataset format, as a named graph).
    /// - Without: triple formats get the distinct triples of all data graphs (every graph but
    ///   the ontology's, which ships in `ontology/`, and the summary's, which is derived): each
    ///   triple is written in the first data graph, in IRI order, that holds it. Dataset formats
    ///   get every graph, in IRI order, the ontology and summary graphs included.
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
        let graphs: Vec<GraphName> = match graph {
            Some(g) => {
                self.check_graph(g)?;
                vec![GraphName::NamedNode(g.clone())]
            }
            None if format.keeps_graphs() => self.all_graphs()?,
            None => self.data_graphs()?,
        };
        for g in &graphs {
            let mut quads = self.graph_quads(g.as_ref())?;
            quads.sort_by_cached_key(|q| {
                (
                    q.subject.to_string(),
                    q.predicate.to_string(),
                    q.object.to_string(),
                )
            });
            for q in &quads {
                if format.keeps_graphs() {
                    writer.serialize_quad(q).map_err(write_err)?;
                } else if graph.is_some() || self.first_data_graph_of(q)? {
                    writer.serialize_triple(q.as_ref()).map_err(write_err)?;
                }
            }
        }
        writer.finish().map_err(ExportError::Write)?;
        Ok(())
    }

    fn check_graph(&self, g: &NamedNode) -> Result<(), ExportError> {
        let known = self
            .store
            .contains_named_graph(g)
            .map_err(|e| ExportError::Store(self.storage()(e)))?;
        if known {
            Ok(())
        } else {
            Err(ExportError::UnknownGraph {
                graph: g.as_str().to_owned(),
            })
        }
    }

    fn graph_quads(&self, graph: GraphNameRef<'_>) -> Result<Vec<Quad>, ExportError> {
        self.store
            .quads_for_pattern(None, None, None, Some(graph))
            .collect::<Result<_, _>>()
            .map_err(|e| ExportError::Store(self.storage()(e)))
    }

    /// Every graph: the default graph, then the named graphs in IRI order (graphs named by a
    /// blank node last), as [`graph_order`] orders them.
    fn all_graphs(&self) -> Result<Vec<GraphName>, StoreError> {
        let mut graphs: Vec<GraphName> = std::iter::once(Ok(GraphName::DefaultGraph))
            .chain(self.store.named_graphs().map(|g| g.map(GraphName::from)))
            .collect::<Result<_, _>>()
            .map_err(self.storage())?;
        graphs.sort_unstable_by(|a, b| graph_order(a).cmp(&graph_order(b)));
        Ok(graphs)
    }

    /// The data graphs: every graph but the ontology's and the summary's, in IRI order (the
    /// default graph first). The list grows with the articles, never with their quads.
    pub(super) fn data_graphs(&self) -> Result<Vec<GraphName>, StoreError> {
        let mut graphs = self.all_graphs()?;
        graphs.retain(is_data_graph);
        Ok(graphs)
    }

    /// True when `q`'s graph is the first data graph, in the order of [`Self::data_graphs`],
    /// that holds `q`'s triple: so each distinct triple is counted or written once.
    pub(super) fn first_data_graph_of(&self, q: &Quad) -> Result<bool, StoreError> {
        for other in self.store.quads_for_pattern(
            Some(q.subject.as_ref()),
            Some(q.predicate.as_ref()),
            Some(q.object.as_ref()),
            None,
        ) {
            let other = other.map_err(self.storage())?;
            if is_data_graph(&other.graph_name)
                && graph_order(&other.graph_name) < graph_order(&q.graph_name)
            {
                return Ok(false);
            }
        }
        Ok(true)
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

/// True for every graph but the ontology's and the summary's.
fn is_data_graph(g: &GraphName) -> bool {
    match g {
        GraphName::NamedNode(n) => n.as_str() != ONTOLOGY_GRAPH && n.as_str() != SUMMARY_GRAPH,
        _ => true,
    }
}

/// The order of graphs in exports: the default graph first, then named graphs by IRI.
fn graph_order(g: &GraphName) -> (u8, &str) {
    match g {
        GraphName::DefaultGraph => (0, ""),
        GraphName::NamedNode(n) => (1, n.as_str()),
        GraphName::BlankNode(b) => (2, b.as_str()),
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

impl ExportError {
    /// An unknown graph is bad input; a store error keeps its own kind.
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            Self::UnknownGraph { .. } => crate::error::ErrorKind::BadInput,
            Self::Store(s) => s.kind(),
            Self::Write(_) => crate::error::ErrorKind::Failure,
        }
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{BlankNode, Literal, NamedNode, Quad};

    use super::*;

    /// Regression: the graph-by-graph export listed named graphs by IRI only and dropped a
    /// graph named by a blank node, which the whole-store export before it wrote.
    #[test]
    fn dataset_exports_keep_graphs_named_by_blank_nodes() {
        let tmp = tempfile::tempdir().unwrap();
        let store = NewsStore::open(&tmp.path().join("store")).unwrap();
        let s = NamedNode::new_unchecked("http://example.org/s");
        let p = NamedNode::new_unchecked("http://example.org/p");
        let blank = BlankNode::new_unchecked("g1");
        let named = NamedNode::new_unchecked("http://example.org/g");
        for (g, o) in [
            (GraphName::BlankNode(blank), "in the blank graph"),
            (GraphName::NamedNode(named), "in the named graph"),
            (GraphName::DefaultGraph, "in the default graph"),
        ] {
            store
                .store
                .insert(&Quad::new(s.clone(), p.clone(), Literal::from(o), g))
                .unwrap();
        }
        let mut out = Vec::new();
        store.export(ExportFormat::NQuads, None, &mut out).unwrap();
        let nq = String::from_utf8(out).unwrap();
        for o in [
            "in the blank graph",
            "in the named graph",
            "in the default graph",
        ] {
            assert!(nq.contains(o), "{o} missing from:\n{nq}");
        }
        // The default graph first, named graphs by IRI, blank-node graphs last.
        let at = |o: &str| nq.find(o).unwrap();
        assert!(at("in the default graph") < at("in the named graph"));
        assert!(at("in the named graph") < at("in the blank graph"));
    }
}
