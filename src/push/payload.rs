//! The bodies of push requests: a graph's triples as N-Triples (valid Turtle, for the Graph
//! Store Protocol) or inside SPARQL Update operations. Entry points: [`ntriples`], [`update`].

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;

use super::remote::Write;

/// The triples of one request: N-Triples, and whether a blank node is among them.
pub(super) struct Body {
    pub nt: Vec<u8>,
    pub blank_nodes: bool,
}

impl Body {
    pub fn of(triples: &[Triple]) -> Body {
        Body {
            nt: ntriples(triples),
            blank_nodes: triples
                .iter()
                .any(|t| t.subject.is_blank_node() || t.object.is_blank_node()),
        }
    }
}

/// `triples` as N-Triples, one per line.
pub fn ntriples(triples: &[Triple]) -> Vec<u8> {
    let mut w = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t)
            .expect("writing N-Triples to memory cannot fail");
    }
    w.finish().expect("writing N-Triples to memory cannot fail")
}

/// The SPARQL Update request that performs `write` on `graph`: a replace is `DROP SILENT
/// GRAPH` then `INSERT DATA` in one request, an addition `INSERT DATA` alone. Triples with
/// blank nodes go in `INSERT { ... } WHERE {}` instead (the same triples, with fresh blank
/// nodes): Virtuoso refuses blank nodes in `INSERT DATA`.
pub(super) fn update(graph: &str, write: &Write<'_>) -> String {
    let data = |body: &Body| {
        let text = String::from_utf8_lossy(&body.nt);
        if body.blank_nodes {
            format!("INSERT {{ GRAPH <{graph}> {{\n{text}}} }} WHERE {{}}")
        } else {
            format!("INSERT DATA {{ GRAPH <{graph}> {{\n{text}}} }}")
        }
    };
    match write {
        Write::Replace(nt) => format!("DROP SILENT GRAPH <{graph}> ;\n{}", data(nt)),
        Write::Add(nt) => data(nt),
        Write::Delete => format!("DROP SILENT GRAPH <{graph}>"),
        Write::MoveFrom(from) => format!("MOVE SILENT GRAPH <{from}> TO GRAPH <{graph}>"),
    }
}

/// One SPARQL Update request that replaces several graphs: `DROP SILENT GRAPH` and an insert
/// for each, in order (executed as one operation by the stores we test).
pub(super) fn update_many(graphs: &[(&str, Body)]) -> String {
    graphs
        .iter()
        .map(|(g, body)| update(g, &Write::Replace(body)))
        .collect::<Vec<_>>()
        .join(" ;\n")
}

/// Whole graphs as one N-Quads document ([`super::Protocol::Quads`]).
pub(super) fn nquads(graphs: &[(&str, &[Triple])]) -> Vec<u8> {
    use oxigraph::model::{NamedNode, Quad};
    let mut w = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::new());
    for (g, triples) in graphs {
        let graph = NamedNode::new_unchecked(*g);
        for t in *triples {
            w.serialize_quad(&Quad::new(
                t.subject.clone(),
                t.predicate.clone(),
                t.object.clone(),
                graph.clone(),
            ))
            .expect("writing N-Quads to memory cannot fail");
        }
    }
    w.finish().expect("writing N-Quads to memory cannot fail")
}

/// `triples` reordered so that triples linked by a blank node are next to each other, and the
/// indices where a group starts: a graph split after a 413 is cut only there, since a blank
/// node is a different node in each request.
pub(super) fn blank_node_groups<'t>(triples: &'t [Triple]) -> (Vec<Triple>, Vec<usize>) {
    use oxigraph::model::{NamedOrBlankNode, Term};
    use std::collections::HashMap;
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut ids: HashMap<&'t str, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    let mut node = |b: &'t str, parent: &mut Vec<usize>| {
        let n = ids.len();
        *ids.entry(b).or_insert_with(|| {
            parent.push(n);
            n
        })
    };
    let mut of_triple: Vec<Option<usize>> = Vec::with_capacity(triples.len());
    for t in triples {
        let s = match &t.subject {
            NamedOrBlankNode::BlankNode(b) => Some(node(b.as_str(), &mut parent)),
            _ => None,
        };
        let o = match &t.object {
            Term::BlankNode(b) => Some(node(b.as_str(), &mut parent)),
            _ => None,
        };
        if let (Some(a), Some(b)) = (s, o) {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra] = rb;
        }
        of_triple.push(s.or(o));
    }
    let mut keyed: Vec<(Option<usize>, usize)> = of_triple
        .iter()
        .enumerate()
        .map(|(i, c)| (c.map(|c| find(&mut parent, c)), i))
        .collect();
    keyed.sort_unstable();
    let mut out = Vec::with_capacity(triples.len());
    let mut starts = Vec::new();
    let mut previous: Option<Option<usize>> = None;
    for (group, i) in keyed {
        if group.is_none() || previous != Some(group) {
            starts.push(out.len());
        }
        previous = Some(group);
        out.push(triples[i].clone());
    }
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal, NamedNode};

    fn sample() -> Vec<Triple> {
        let p = NamedNode::new_unchecked("http://schema.org/name");
        vec![
            Triple::new(
                NamedNode::new_unchecked("http://x/a"),
                p.clone(),
                Literal::new_language_tagged_literal_unchecked("Gid\u{e9}on \"G\"\n", "en"),
            ),
            Triple::new(BlankNode::new_unchecked("b1"), p, Literal::from(3)),
        ]
    }

    #[test]
    fn update_bodies_parse_as_sparql_update_and_carry_every_triple() {
        let body = Body::of(&sample());
        let nt = body.nt.clone();
        for w in [
            Write::Replace(&body),
            Write::Add(&body),
            Write::Delete,
            Write::MoveFrom("urn:x:staging"),
        ] {
            let text = update("http://x/graph", &w);
            let parsed = spargebra::SparqlParser::new()
                .parse_update(&text)
                .unwrap_or_else(|e| panic!("{e}\n{text}"));
            let ops = parsed.operations.len();
            match w {
                Write::Replace(_) => assert_eq!(ops, 2),
                Write::Add(_) | Write::Delete => assert_eq!(ops, 1),
                // spargebra reads MOVE as the operations it stands for.
                Write::MoveFrom(_) => assert!(text.starts_with("MOVE SILENT GRAPH"), "{text}"),
            }
        }
        // The N-Triples read back to the same triples.
        let back: Vec<_> = oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(&nt)
            .map(|q| q.unwrap())
            .collect();
        assert_eq!(back.len(), 2);
        assert!(String::from_utf8(nt).unwrap().contains("Gid\u{e9}on"));
    }

    #[test]
    fn several_graphs_go_in_one_update_request() {
        let (a, b) = (Body::of(&sample()), Body::of(&sample()[..1]));
        let text = update_many(&[("http://g/1", a), ("http://g/2", b)]);
        let parsed = spargebra::SparqlParser::new()
            .parse_update(&text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(parsed.operations.len(), 4, "{text}");
    }

    #[test]
    fn blank_nodes_go_in_an_insert_template() {
        let body = Body::of(&sample());
        assert!(body.blank_nodes);
        let with = update("http://g", &Write::Add(&body));
        assert!(
            with.starts_with("INSERT {") && with.ends_with("WHERE {}"),
            "{with}"
        );
        spargebra::SparqlParser::new().parse_update(&with).unwrap();
        let plain = Body::of(&sample()[..1]);
        assert!(!plain.blank_nodes);
        assert!(update("http://g", &Write::Add(&plain)).starts_with("INSERT DATA {"));
    }

    #[test]
    fn triples_linked_by_blank_nodes_stay_in_one_group() {
        let p = NamedNode::new_unchecked("http://p");
        let (a, b, c) = (
            BlankNode::new_unchecked("a"),
            BlankNode::new_unchecked("b"),
            BlankNode::new_unchecked("c"),
        );
        let s = NamedNode::new_unchecked("http://s");
        let triples = vec![
            Triple::new(a.clone(), p.clone(), Literal::from(1)),
            Triple::new(s.clone(), p.clone(), Literal::from(2)),
            Triple::new(c.clone(), p.clone(), Literal::from(3)),
            Triple::new(b.clone(), p.clone(), a.clone()),
            Triple::new(s.clone(), p.clone(), b.clone()),
            Triple::new(s.clone(), p.clone(), Literal::from(4)),
        ];
        let (ordered, starts) = blank_node_groups(&triples);
        assert_eq!(ordered.len(), triples.len());
        // Groups: {a, b linked: 3 triples}, {c: 1}; the two plain triples are a group each.
        let sizes: Vec<usize> = starts
            .iter()
            .zip(starts.iter().skip(1).chain([&ordered.len()]))
            .map(|(x, y)| y - x)
            .collect();
        let mut sorted = sizes.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [1, 1, 1, 3], "{sizes:?}");
    }
}
