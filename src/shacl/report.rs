//! Validation reports: what failed where, and how to print it (table, JSON, Turtle).
//!
//! Entry point: [`Report::write`].

use std::fmt;
use std::io::{self, Write};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use super::ShapePath;
use crate::output::format_table;
use crate::rdf::vocab::{prefixes, rdf};

use crate::rdf::vocab::sh::NS as SH;

/// How bad a finding is (`sh:resultSeverity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Violation,
    Warning,
    Info,
}

impl Severity {
    fn iri(self) -> String {
        let local = match self {
            Severity::Violation => "Violation",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        };
        format!("{SH}{local}")
    }
}

/// One `sh:ValidationResult`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The graph validated: an article IRI or a facts file.
    pub graph: String,
    pub focus: Term,
    pub path: Option<ShapePath>,
    pub value: Option<Term>,
    /// The shape's `sh:message`, else the engine's own text.
    pub message: String,
    pub severity: Severity,
    /// The constraint component IRI, in angle brackets.
    pub component: String,
    /// The shape that failed, when it is an IRI (in angle brackets).
    pub shape: Option<String>,
    /// The shape's `sh:name`.
    pub shape_name: Option<String>,
}

impl Finding {
    fn sort_key(&self) -> (String, String, String, String) {
        (
            self.graph.clone(),
            self.focus.to_string(),
            self.path
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            self.message.clone(),
        )
    }
}

/// The findings of one or more graphs.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Graphs validated.
    pub graphs: usize,
    /// Triples validated.
    pub triples: usize,
}

/// Output of `newsgraph validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Turtle,
}

impl std::str::FromStr for ReportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "table" => Ok(Self::Table),
            "json" => Ok(Self::Json),
            "turtle" | "ttl" => Ok(Self::Turtle),
            _ => Err(format!(
                "unknown report format {s:?}; use table, json or turtle"
            )),
        }
    }
}

impl Report {
    /// True when nothing failed (SHACL: no validation result at all).
    pub fn conforms(&self) -> bool {
        self.findings.is_empty()
    }

    /// Findings of severity `sh:Violation`.
    pub fn violations(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Violation)
            .count()
    }

    /// Adds another graph's report to this one.
    pub fn merge(&mut self, other: Report) {
        self.findings.extend(other.findings);
        self.graphs += other.graphs;
        self.triples += other.triples;
    }

    /// Sorts findings by graph, focus node, path and message.
    pub fn sort(&mut self) {
        self.findings.sort_by_cached_key(Finding::sort_key);
    }

    /// A one-line summary, e.g. "2 graphs, 340 triples: 1 violation".
    pub fn summary(&self) -> String {
        let n = self.findings.len();
        format!(
            "{} graph{}, {} triples: {}",
            self.graphs,
            plural(self.graphs),
            self.triples,
            if n == 0 {
                "conforms".to_owned()
            } else {
                format!("{n} result{} ({} violations)", plural(n), self.violations())
            }
        )
    }

    pub fn write(&self, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
        match format {
            ReportFormat::Table => out.write_all(self.table().as_bytes()),
            ReportFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.json())?;
                out.write_all(b"\n")
            }
            ReportFormat::Turtle => self.turtle(out),
        }
    }

    /// The findings as an aligned text table, then the summary line.
    pub fn table(&self) -> String {
        let vars: Vec<String> = ["graph", "focus", "path", "value", "message"]
            .map(str::to_owned)
            .to_vec();
        let lit = |s: String| Some(Term::from(Literal::new_simple_literal(s)));
        let rows: Vec<Vec<Option<Term>>> = self
            .findings
            .iter()
            .map(|f| {
                vec![
                    lit(f.graph.clone()),
                    lit(compact(&f.focus.to_string())),
                    f.path.as_ref().map(|p| p.to_string()).and_then(lit),
                    f.value
                        .as_ref()
                        .map(|v| compact(&v.to_string()))
                        .and_then(lit),
                    lit(f.message.clone()),
                ]
            })
            .collect();
        if rows.is_empty() {
            return format!("{}\n", self.summary());
        }
        format!("{}{}\n", format_table(&vars, &rows), self.summary())
    }

    fn json(&self) -> serde_json::Value {
        let term = |t: &Term| match t {
            Term::Literal(l) => serde_json::json!({
                "type": "literal",
                "value": l.value(),
                "datatype": l.datatype().as_str(),
                "language": l.language(),
            }),
            Term::NamedNode(n) => serde_json::json!({"type": "iri", "value": n.as_str()}),
            other => serde_json::json!({"type": "bnode", "value": other.to_string()}),
        };
        serde_json::json!({
            "conforms": self.conforms(),
            "graphs": self.graphs,
            "triples": self.triples,
            "violations": self.violations(),
            "results": self.findings.iter().map(|f| serde_json::json!({
                "graph": f.graph,
                "focus_node": term(&f.focus),
                "path": f.path.as_ref().map(|p| p.to_string()),
                "value": f.value.as_ref().map(term),
                "message": f.message,
                "severity": f.severity,
                "constraint_component": f.component.trim_matches(['<', '>']),
                "source_shape": f.shape.as_ref().map(|s| s.trim_matches(['<', '>']).to_owned()),
                "shape_name": f.shape_name,
            })).collect::<Vec<_>>(),
        })
    }

    /// A `sh:ValidationReport` (one report node for all graphs validated).
    fn turtle(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut g = TripleSink::default();
        let sh = |l: &str| NamedNode::new_unchecked(format!("{SH}{l}"));
        let report = g.bnode();
        g.add(&report, rdf::TYPE.as_str(), sh("ValidationReport").into());
        g.add(
            &report,
            &format!("{SH}conforms"),
            Literal::from(self.conforms()).into(),
        );
        for f in &self.findings {
            let r = g.bnode();
            g.add(&report, &format!("{SH}result"), r.clone().into());
            g.add(&r, rdf::TYPE.as_str(), sh("ValidationResult").into());
            g.add(&r, &format!("{SH}focusNode"), f.focus.clone());
            if let Some(p) = &f.path {
                let t = g.path(p);
                g.add(&r, &format!("{SH}resultPath"), t);
            }
            if let Some(v) = &f.value {
                g.add(&r, &format!("{SH}value"), v.clone());
            }
            g.add(
                &r,
                &format!("{SH}resultMessage"),
                Literal::new_simple_literal(&f.message).into(),
            );
            g.add(
                &r,
                &format!("{SH}resultSeverity"),
                sh_term(&f.severity.iri()),
            );
            g.add(
                &r,
                &format!("{SH}sourceConstraintComponent"),
                sh_term(f.component.trim_matches(['<', '>'])),
            );
            if let Some(s) = &f.shape {
                g.add(
                    &r,
                    &format!("{SH}sourceShape"),
                    sh_term(s.trim_matches(['<', '>'])),
                );
            }
        }
        let mut ser = RdfSerializer::from_format(RdfFormat::Turtle)
            .with_prefix("sh", SH)
            .map_err(io::Error::other)?;
        for (p, ns) in prefixes() {
            ser = ser.with_prefix(p, ns).map_err(io::Error::other)?;
        }
        let mut w = ser.for_writer(out);
        for t in &g.triples {
            w.serialize_triple(t)?;
        }
        w.finish()?;
        Ok(())
    }
}

fn sh_term(iri: &str) -> Term {
    NamedNode::new_unchecked(iri).into()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `<http://schema.org/name>` → `schema:name` for the prefixes newsgraph uses.
fn compact(s: &str) -> String {
    if let Some(iri) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        for (p, ns) in prefixes() {
            if let Some(local) = iri.strip_prefix(ns) {
                if !local.is_empty() && !local.contains(['/', '#']) {
                    return format!("{p}:{local}");
                }
            }
        }
    }
    s.to_owned()
}

impl fmt::Display for ShapePath {
    /// SPARQL property path syntax with newsgraph's prefixes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |ps: &[ShapePath], sep: &str| {
            ps.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(sep)
        };
        match self {
            ShapePath::Predicate(iri) => write!(f, "{}", compact(&format!("<{iri}>"))),
            ShapePath::Inverse(p) => write!(f, "^{p}"),
            ShapePath::Sequence(ps) => write!(f, "({})", join(ps, "/")),
            ShapePath::Alternative(ps) => write!(f, "({})", join(ps, "|")),
            ShapePath::ZeroOrMore(p) => write!(f, "({p})*"),
            ShapePath::OneOrMore(p) => write!(f, "({p})+"),
            ShapePath::ZeroOrOne(p) => write!(f, "({p})?"),
        }
    }
}

/// Triples of the Turtle report, with fresh blank nodes.
#[derive(Default)]
struct TripleSink {
    triples: Vec<Triple>,
}

impl TripleSink {
    fn bnode(&mut self) -> BlankNode {
        BlankNode::default()
    }

    fn add(&mut self, s: &BlankNode, p: &str, o: Term) {
        self.triples.push(Triple::new(
            NamedOrBlankNode::from(s.clone()),
            NamedNode::new_unchecked(p),
            o,
        ));
    }

    /// The RDF form of a SHACL path (SHACL §2.3.1).
    fn path(&mut self, p: &ShapePath) -> Term {
        let one = |this: &mut Self, key: &str, inner: &ShapePath| -> Term {
            let n = this.bnode();
            let t = this.path(inner);
            this.add(&n, &format!("{SH}{key}"), t);
            n.into()
        };
        match p {
            ShapePath::Predicate(iri) => NamedNode::new_unchecked(iri.as_str()).into(),
            ShapePath::Inverse(i) => one(self, "inversePath", i),
            ShapePath::ZeroOrMore(i) => one(self, "zeroOrMorePath", i),
            ShapePath::OneOrMore(i) => one(self, "oneOrMorePath", i),
            ShapePath::ZeroOrOne(i) => one(self, "zeroOrOnePath", i),
            ShapePath::Sequence(ps) => self.list(ps),
            ShapePath::Alternative(ps) => {
                let n = self.bnode();
                let l = self.list(ps);
                self.add(&n, &format!("{SH}alternativePath"), l);
                n.into()
            }
        }
    }

    fn list(&mut self, ps: &[ShapePath]) -> Term {
        let mut rest: Term = NamedNode::new_unchecked(rdf::NIL.as_str()).into();
        for p in ps.iter().rev() {
            let cell = self.bnode();
            let first = self.path(p);
            self.add(&cell, rdf::FIRST.as_str(), first);
            self.add(&cell, rdf::REST.as_str(), rest);
            rest = cell.into();
        }
        rest
    }
}
