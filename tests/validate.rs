//! SHACL validation: `newsgraph validate`, validation in `load`/`ingest`, and pySHACL as an
//! independent cross-check of the engine on the same data and shapes.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use newsgraph::shacl::{ShapePath, Shapes};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Literal, NamedNode, Triple};

/// Shapes stricter than the bundled ones: every person needs a birth date.
const STRICT: &str = r#"
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix ex: <https://example.org/shapes#> .
ex:PersonBirth a sh:NodeShape ; sh:targetClass schema:Person ;
  sh:property [ sh:path schema:birthDate ; sh:minCount 1 ;
                sh:message "A person needs a schema:birthDate." ] .
"#;

#[test]
fn seed_facts_and_seeded_store_conform() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let mut c = ng(&store);
    c.args(["validate", "--format", "json"]);
    c.arg(repo(SEED_FACTS));
    c.env_remove("NEWSGRAPH_STORE");
    // --store is set by ng(); files and --store together are a usage error.
    let (code, err) = fails(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("either --store"), "{err}");

    let mut c = assert_cmd::Command::cargo_bin("newsgraph").unwrap();
    c.env("NEWSGRAPH_STORE", &store)
        .args(["validate", "--format", "json"])
        .arg(repo(SEED_FACTS));
    let report: serde_json::Value = serde_json::from_str(&ok(c)).unwrap();
    assert_eq!(report["conforms"], true, "{report:#}");
    assert!(report["triples"].as_u64().unwrap() > 300, "{report:#}");

    let store = seeded_store(tmp.path());
    let mut c = ng(&store);
    c.args(["validate", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&ok(c)).unwrap();
    assert_eq!(report["conforms"], true, "{report:#}");
    assert_eq!(report["graphs"], 1);
}

#[test]
fn violations_are_reported_with_focus_path_and_message_and_exit_7() {
    let tmp = tempfile::tempdir().unwrap();
    let shapes = tmp.path().join("strict.ttl");
    std::fs::write(&shapes, STRICT).unwrap();
    let store = seeded_store(tmp.path());

    let mut c = ng(&store);
    c.args(["validate", "--format", "json", "--shapes"])
        .arg(&shapes);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(7));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["conforms"], false);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 11, "one per seed person: {report:#}");
    for r in results {
        assert_eq!(r["message"], "A person needs a schema:birthDate.");
        assert_eq!(r["path"], "schema:birthDate");
        assert_eq!(r["severity"], "violation");
        assert!(r["focus_node"]["value"]
            .as_str()
            .unwrap()
            .starts_with("https://w3id.org/newsgraph/id/person/"));
    }

    // The table names the focus node and message; the summary goes to stderr.
    let mut c = ng(&store);
    c.args(["validate", "--shapes"]).arg(&shapes);
    let out = c.output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("<https://w3id.org/newsgraph/id/person/isaac-herzog>"),
        "{table}"
    );
    assert!(table.contains("11 results (11 violations)"), "{table}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not conform"));

    // Turtle: a sh:ValidationReport that rdflib reads, with 11 results and conforms false.
    let ttl = tmp.path().join("report.ttl");
    let mut c = ng(&store);
    c.args(["validate", "--format", "turtle", "--shapes"])
        .arg(&shapes)
        .arg("-o")
        .arg(&ttl);
    assert_eq!(c.output().unwrap().status.code(), Some(7));
    let script = r#"
import sys, rdflib
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
g = rdflib.Graph(); g.parse(sys.argv[1], format="turtle")
reports = list(g.subjects(rdflib.RDF.type, SH.ValidationReport))
assert len(reports) == 1, reports
print(g.value(reports[0], SH.conforms).toPython())
print(len(list(g.objects(reports[0], SH.result))))
"#;
    assert_eq!(
        python_stdout(script, std::slice::from_ref(&ttl)),
        "False\n11\n"
    );
}

#[test]
fn load_and_ingest_refuse_graphs_that_do_not_conform() {
    let tmp = tempfile::tempdir().unwrap();
    let shapes = tmp.path().join("strict.ttl");
    std::fs::write(&shapes, STRICT).unwrap();
    let store = tmp.path().join("store");

    let mut c = ng(&store);
    c.args(["load", "--shapes"])
        .arg(&shapes)
        .arg(repo(SEED_FACTS));
    let (code, err) = fails(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("do not conform"), "{err}");
    assert!(err.contains("--no-validate"), "{err}");
    assert!(err.contains("A person needs a schema:birthDate."), "{err}");
    assert_eq!(stats(&store)["articles"], 0, "nothing loaded");

    let mut c = ng(&store);
    c.args(["ingest", "-q", "--shapes"])
        .arg(&shapes)
        .arg(repo(SEED_TEXT));
    let (code, err) = fails(c);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("do not conform"), "{err}");
    assert_eq!(stats(&store)["articles"], 0, "nothing ingested");

    // --no-validate lets the same input in.
    let mut c = ng(&store);
    c.args(["load", "--no-validate", "--shapes"])
        .arg(&shapes)
        .arg(repo(SEED_FACTS));
    ok(c);
    assert_eq!(stats(&store)["articles"], 1);
}

#[test]
fn unusable_shapes_are_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.ttl");
    std::fs::write(
        &bad,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y .\nthis is not turtle\n",
    )
    .unwrap();
    let mut c2 = assert_cmd::Command::cargo_bin("newsgraph").unwrap();
    c2.env("NEWSGRAPH_STORE", tmp.path().join("store"))
        .args(["validate", "--shapes"])
        .arg(&bad)
        .arg(repo(SEED_FACTS));
    let (code, err) = fails(c2);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("bad.ttl"), "{err}");
    let mut c3 = assert_cmd::Command::cargo_bin("newsgraph").unwrap();
    c3.env("NEWSGRAPH_STORE", tmp.path().join("store"))
        .args(["validate", "--shapes"])
        .arg(tmp.path().join("missing.ttl"))
        .arg(repo(SEED_FACTS));
    let (code, err) = fails(c3);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("missing.ttl"), "{err}");
}

/// The seed's article graph as triples (what `load` would write).
fn seed_triples() -> Vec<Triple> {
    let facts = newsgraph::facts::read_facts_file(&repo(SEED_FACTS)).unwrap();
    let base = newsgraph::rdf::Base::default();
    newsgraph::rdf::facts_to_quads(&facts, &base)
        .into_iter()
        .map(Triple::from)
        .collect()
}

fn iri(s: &str) -> NamedNode {
    NamedNode::new(s).unwrap()
}

/// Breaks the seed graph in one way per case: a missing name, a confidence out of range, a
/// wrongly typed article id, a second run, a participant that is no agent, an article no run
/// used (an inverse path).
fn broken_graphs() -> Vec<(&'static str, Vec<Triple>)> {
    let seed = seed_triples();
    let schema_name = iri("http://schema.org/name");
    let confidence = iri("https://w3id.org/newsgraph/ns#confidence");
    let article_id = iri("https://w3id.org/newsgraph/ns#articleId");
    let generated = iri("http://www.w3.org/ns/prov#wasGeneratedBy");
    let used = iri("http://www.w3.org/ns/prov#used");
    let rdf_type = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let person = iri("http://schema.org/Person");
    let herzog = iri("https://w3id.org/newsgraph/id/person/isaac-herzog");
    let first_with = |p: &NamedNode| seed.iter().find(|t| &t.predicate == p).unwrap().clone();

    let mut cases = Vec::new();
    cases.push((
        "person without a name",
        seed.iter()
            .filter(|t| !(t.subject == herzog.clone().into() && t.predicate == schema_name))
            .cloned()
            .collect(),
    ));
    let c = first_with(&confidence);
    let mut g: Vec<Triple> = seed.iter().filter(|t| **t != c).cloned().collect();
    g.push(Triple::new(
        c.subject.clone(),
        confidence.clone(),
        Literal::new_typed_literal("1.5", iri("http://www.w3.org/2001/XMLSchema#double")),
    ));
    cases.push(("confidence above 1", g));
    let a = first_with(&article_id);
    let mut g: Vec<Triple> = seed.iter().filter(|t| **t != a).cloned().collect();
    g.push(Triple::new(
        a.subject.clone(),
        article_id.clone(),
        Literal::from(7),
    ));
    cases.push(("article id typed as an integer", g));
    let r = first_with(&generated);
    let mut g = seed.clone();
    g.push(Triple::new(
        r.subject.clone(),
        generated.clone(),
        iri("https://w3id.org/newsgraph/id/run/other"),
    ));
    cases.push(("a second run", g));
    cases.push((
        "Herzog is no longer typed a person",
        seed.iter()
            .filter(|t| {
                !(t.subject == herzog.clone().into()
                    && t.predicate == rdf_type
                    && t.object == person.clone().into())
            })
            .cloned()
            .collect(),
    ));
    cases.push((
        "no run used the article",
        seed.iter()
            .filter(|t| t.predicate != used)
            .cloned()
            .collect(),
    ));
    cases
}

fn path_key(p: &ShapePath) -> String {
    match p {
        ShapePath::Predicate(i) => format!("<{i}>"),
        ShapePath::Inverse(p) => format!("^{}", path_key(p)),
        other => format!("{other}"),
    }
}

/// (focus node, path) pairs pySHACL reports for `data` under `shapes`.
fn pyshacl_results(data: &Path, shapes: &Path) -> BTreeSet<(String, String)> {
    let script = r#"
import sys, json, rdflib, pyshacl
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
g = rdflib.Graph(); g.parse(sys.argv[1], format="nt")
s = rdflib.Graph(); s.parse(sys.argv[2], format="turtle")
conforms, report, _ = pyshacl.validate(g, shacl_graph=s, inference="none")
def path(p):
    if p is None: return ""
    if isinstance(p, rdflib.URIRef): return "<%s>" % p
    inv = report.value(p, SH.inversePath)
    if inv is not None: return "^<%s>" % inv
    return "?"
out = sorted({("<%s>" % report.value(r, SH.focusNode), path(report.value(r, SH.resultPath)))
              for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)})
print(json.dumps(out))
"#;
    let out = python_stdout(script, &[data.to_path_buf(), shapes.to_path_buf()]);
    let v: Vec<(String, String)> = serde_json::from_str(&out).unwrap();
    v.into_iter().collect()
}

#[test]
fn the_engine_agrees_with_pyshacl_on_broken_graphs() {
    let tmp = tempfile::tempdir().unwrap();
    let shapes = Shapes::bundled().unwrap();
    let shapes_file = repo("ontology/shapes.ttl");
    let mut differences = Vec::new();
    for (name, triples) in broken_graphs() {
        let report = shapes
            .validate(name, triples.iter().map(|t| t.as_ref()))
            .unwrap();
        assert!(!report.conforms(), "{name}: the engine found nothing");
        let ours: BTreeSet<(String, String)> = report
            .findings
            .iter()
            .map(|f| {
                (
                    f.focus.to_string(),
                    f.path.as_ref().map(path_key).unwrap_or_default(),
                )
            })
            .collect();
        let file = tmp.path().join("data.nt");
        let mut w = RdfSerializer::from_format(RdfFormat::NTriples)
            .for_writer(std::fs::File::create(&file).unwrap());
        for t in &triples {
            w.serialize_triple(t).unwrap();
        }
        w.finish().unwrap();
        let theirs = pyshacl_results(&file, &shapes_file);
        if ours != theirs {
            differences.push(format!(
                "{name}:\n  newsgraph {ours:?}\n  pySHACL   {theirs:?}"
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn the_intact_seed_graph_conforms_for_both_engines() {
    let tmp = tempfile::tempdir().unwrap();
    let triples = seed_triples();
    let report = Shapes::bundled()
        .unwrap()
        .validate("seed", triples.iter().map(|t| t.as_ref()))
        .unwrap();
    assert!(report.conforms(), "{}", report.table());
    let file = tmp.path().join("seed.nt");
    let mut w = RdfSerializer::from_format(RdfFormat::NTriples)
        .for_writer(std::fs::File::create(&file).unwrap());
    for t in &triples {
        w.serialize_triple(t).unwrap();
    }
    w.finish().unwrap();
    assert!(pyshacl_results(&file, &repo("ontology/shapes.ttl")).is_empty());
    // The file pySHACL read holds every triple.
    let n = RdfParser::from_format(RdfFormat::NTriples)
        .for_reader(std::fs::File::open(&file).unwrap())
        .count();
    assert_eq!(n, triples.len());
}
