//! The person/organisation meeting network for graph tools: GraphML (networkx, Cytoscape,
//! Gephi), GEXF 1.2 (Gephi) and a CSV edge list. Entry points: [`Network::read`] (the
//! summary graph's pairs, by `queries/network.rq`) and [`Network::write`].

use std::collections::BTreeMap;
use std::io::Write;

use quick_xml::escape::escape;

use crate::store::{NewsStore, QueryError, QueryOptions};

/// The query that reads the network.
pub const QUERY: &str = include_str!("../queries/network.rq");

/// A network export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    GraphMl,
    Gexf,
    Csv,
}

impl std::str::FromStr for NetworkFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "graphml" => Ok(Self::GraphMl),
            "gexf" => Ok(Self::Gexf),
            "csv" => Ok(Self::Csv),
            _ => Err(format!(
                "unknown network format {s:?}; use one of: graphml, gexf, csv"
            )),
        }
    }
}

/// A person or organisation of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub iri: String,
    pub name: String,
    pub kind: String,
    pub articles: u64,
}

/// Two entities that took part in the same meeting-like events.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub events: u64,
    pub articles: u64,
    pub first: String,
    pub last: String,
}

/// The network: nodes sorted by IRI, edges by their ends.
#[derive(Debug, Default)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Why a network could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("cannot write the network: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot write the network: {0}")]
    Csv(#[from] csv::Error),
}

impl NetworkError {
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            NetworkError::Query(e) => e.kind(),
            _ => crate::error::ErrorKind::Failure,
        }
    }
}

impl Network {
    /// Reads the network from the store's summary graph.
    pub fn read(store: &NewsStore) -> Result<Network, NetworkError> {
        let rows = store.select_rows(QUERY, "queries/network.rq", &QueryOptions::default())?;
        let mut ids: BTreeMap<String, Node> = BTreeMap::new();
        for row in &rows {
            for end in ["a", "b"] {
                let iri = row.get(end);
                ids.entry(iri.to_owned()).or_insert_with(|| Node {
                    iri: iri.to_owned(),
                    name: row.get(&format!("{end}_name")).to_owned(),
                    kind: row.get(&format!("{end}_kind")).to_owned(),
                    articles: row.int(&format!("{end}_articles")),
                });
            }
        }
        let nodes: Vec<Node> = ids.into_values().collect();
        let index = |iri: &str| nodes.binary_search_by(|n| n.iri.as_str().cmp(iri)).ok();
        let edges = rows
            .iter()
            .filter_map(|row| {
                Some(Edge {
                    source: index(row.get("a"))?,
                    target: index(row.get("b"))?,
                    events: row.int("events"),
                    articles: row.int("articles"),
                    first: row.get("first").to_owned(),
                    last: row.get("last").to_owned(),
                })
            })
            .collect();
        Ok(Network { nodes, edges })
    }

    /// Writes the network in `format`.
    pub fn write(&self, format: NetworkFormat, out: &mut dyn Write) -> Result<(), NetworkError> {
        match format {
            NetworkFormat::GraphMl => self.graphml(out)?,
            NetworkFormat::Gexf => self.gexf(out)?,
            NetworkFormat::Csv => self.csv(out)?,
        }
        Ok(())
    }

    fn graphml(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
        )?;
        for (id, target, name, ty) in [
            ("name", "node", "name", "string"),
            ("kind", "node", "kind", "string"),
            ("articles", "node", "articles", "int"),
            ("iri", "node", "iri", "string"),
            ("events", "edge", "events", "int"),
            ("edge_articles", "edge", "articles", "int"),
            ("first", "edge", "first", "string"),
            ("last", "edge", "last", "string"),
        ] {
            writeln!(
                out,
                r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{ty}"/>"#
            )?;
        }
        writeln!(out, r#"  <graph id="meetings" edgedefault="undirected">"#)?;
        for (i, n) in self.nodes.iter().enumerate() {
            writeln!(
                out,
                r#"    <node id="n{i}"><data key="name">{}</data><data key="kind">{}</data><data key="articles">{}</data><data key="iri">{}</data></node>"#,
                escape(&n.name),
                escape(&n.kind),
                n.articles,
                escape(&n.iri)
            )?;
        }
        for (i, e) in self.edges.iter().enumerate() {
            write!(
                out,
                r#"    <edge id="e{i}" source="n{}" target="n{}"><data key="events">{}</data><data key="edge_articles">{}</data>"#,
                e.source, e.target, e.events, e.articles
            )?;
            if !e.first.is_empty() {
                write!(out, r#"<data key="first">{}</data>"#, escape(&e.first))?;
            }
            if !e.last.is_empty() {
                write!(out, r#"<data key="last">{}</data>"#, escape(&e.last))?;
            }
            writeln!(out, "</edge>")?;
        }
        writeln!(out, "  </graph>\n</graphml>")
    }

    fn gexf(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">"#
        )?;
        writeln!(
            out,
            "  <meta><creator>newsgraph {}</creator><description>persons and organisations that took part in the same meetings, talks, visits, calls and briefings</description></meta>",
            env!("CARGO_PKG_VERSION")
        )?;
        writeln!(
            out,
            r#"  <graph mode="static" defaultedgetype="undirected">"#
        )?;
        writeln!(out, r#"    <attributes class="node">"#)?;
        writeln!(
            out,
            r#"      <attribute id="kind" title="kind" type="string"/>
      <attribute id="articles" title="articles" type="integer"/>
      <attribute id="iri" title="iri" type="string"/>"#
        )?;
        writeln!(out, "    </attributes>")?;
        writeln!(out, r#"    <attributes class="edge">"#)?;
        writeln!(
            out,
            r#"      <attribute id="events" title="events" type="integer"/>
      <attribute id="articles" title="articles" type="integer"/>
      <attribute id="first" title="first" type="string"/>
      <attribute id="last" title="last" type="string"/>"#
        )?;
        writeln!(out, "    </attributes>")?;
        writeln!(out, "    <nodes>")?;
        for (i, n) in self.nodes.iter().enumerate() {
            writeln!(
                out,
                r#"      <node id="n{i}" label="{}"><attvalues><attvalue for="kind" value="{}"/><attvalue for="articles" value="{}"/><attvalue for="iri" value="{}"/></attvalues></node>"#,
                escape(&n.name),
                escape(&n.kind),
                n.articles,
                escape(&n.iri)
            )?;
        }
        writeln!(out, "    </nodes>")?;
        writeln!(out, "    <edges>")?;
        for (i, e) in self.edges.iter().enumerate() {
            write!(
                out,
                r#"      <edge id="e{i}" source="n{}" target="n{}" weight="{}"><attvalues><attvalue for="events" value="{}"/><attvalue for="articles" value="{}"/>"#,
                e.source, e.target, e.events, e.events, e.articles
            )?;
            if !e.first.is_empty() {
                write!(
                    out,
                    r#"<attvalue for="first" value="{}"/>"#,
                    escape(&e.first)
                )?;
            }
            if !e.last.is_empty() {
                write!(out, r#"<attvalue for="last" value="{}"/>"#, escape(&e.last))?;
            }
            writeln!(out, "</attvalues></edge>")?;
        }
        writeln!(out, "    </edges>\n  </graph>\n</gexf>")
    }

    /// One row per edge with both ends described (the network has no isolated nodes).
    fn csv(&self, out: &mut dyn Write) -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "source",
            "target",
            "source_name",
            "target_name",
            "source_kind",
            "target_kind",
            "source_articles",
            "target_articles",
            "events",
            "articles",
            "first",
            "last",
        ])?;
        for e in &self.edges {
            let (a, b) = (&self.nodes[e.source], &self.nodes[e.target]);
            w.write_record([
                a.iri.as_str(),
                b.iri.as_str(),
                &a.name,
                &b.name,
                &a.kind,
                &b.kind,
                &a.articles.to_string(),
                &b.articles.to_string(),
                &e.events.to_string(),
                &e.articles.to_string(),
                &e.first,
                &e.last,
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}
