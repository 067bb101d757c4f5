//! The summary graph (issue 6): the listings that read it agree with the article graphs, it is
//! the same whether counts were added run by run or rebuilt, and a cut-off run is mended.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::*;

fn rows(store: &Path, query: &str) -> BTreeSet<Vec<String>> {
    query_text_csv(store, query).into_iter().skip(1).collect()
}

fn rows_of_file(store: &Path, file: &str) -> BTreeSet<Vec<String>> {
    query_csv(store, file).into_iter().skip(1).collect()
}

/// The politics articles, sorted, so that runs can take them in parts.
fn politics() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(bbc().join("politics"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

const PREFIXES: &str = "PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX ng: <https://w3id.org/newsgraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>";

#[test]
fn summary_listings_agree_with_the_article_graphs() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    ingest(&store, &[bbc().join("politics")]);
    // Each listing, computed the slow way: over every article graph.
    for (file, class) in [
        ("queries/persons.rq", "schema:Person"),
        ("queries/organisations.rq", "schema:Organization"),
    ] {
        let direct = rows(
            &store,
            &format!(
                "{PREFIXES} SELECT ?e (MIN(?n) AS ?name) (COUNT(DISTINCT ?g) AS ?articles) WHERE {{
                   GRAPH ?g {{ ?g ng:articleId ?id . ?e a {class} ; schema:name ?n }}
                 }} GROUP BY ?e"
            ),
        );
        assert!(direct.len() > 100, "{file}: {} rows", direct.len());
        assert_eq!(rows_of_file(&store, file), direct, "{file}");
    }
    let direct_places = rows(
        &store,
        &format!(
            "{PREFIXES} SELECT ?e (MIN(?n) AS ?name) (COUNT(DISTINCT ?g) AS ?articles) WHERE {{
               GRAPH ?g {{ ?g ng:articleId ?id . ?e a schema:Place ; schema:name ?n }}
             }} GROUP BY ?e"
        ),
    );
    let places: BTreeSet<Vec<String>> = rows_of_file(&store, "queries/places.rq")
        .into_iter()
        .map(|r| vec![r[0].clone(), r[1].clone(), r[3].clone()])
        .collect();
    assert_eq!(places, direct_places);
    let direct_posts = rows(
        &store,
        &format!(
            "{PREFIXES} SELECT ?pn ?title ?on ?status ?articles WHERE {{
               {{ SELECT ?p ?title ?of ?st (COUNT(DISTINCT ?g) AS ?articles) WHERE {{
                   GRAPH ?g {{ ?g ng:articleId ?id .
                     ?h a ng:PostHolding ; org:member ?p ; ng:postTitle ?title ; ng:status ?st .
                     OPTIONAL {{ ?h org:organization ?of }} }}
                 }} GROUP BY ?p ?title ?of ?st }}
               {{ SELECT ?p (MIN(?n) AS ?pn) WHERE {{ GRAPH ?a {{ ?a ng:articleId ?x . ?p schema:name ?n }} }} GROUP BY ?p }}
               OPTIONAL {{
                 {{ SELECT ?o (MIN(?n2) AS ?on) WHERE {{ GRAPH ?b {{ ?b ng:articleId ?y . ?o schema:name ?n2 }} }} GROUP BY ?o }}
                 FILTER(?o = ?of)
               }}
               BIND(LCASE(STRAFTER(STR(?st), \"#\")) AS ?status)
             }}"
        ),
    );
    assert!(direct_posts.len() > 100);
    assert_eq!(rows_of_file(&store, "queries/posts.rq"), direct_posts);
    let direct_events = rows(
        &store,
        &format!(
            "{PREFIXES} SELECT ?class (COUNT(DISTINCT ?e) AS ?events) WHERE {{
               ?class rdfs:subClassOf+ schema:Event . GRAPH ?g {{ ?e a ?class }}
             }} GROUP BY ?class"
        ),
    );
    let events: BTreeSet<Vec<String>> = rows_of_file(&store, "queries/events-by-class.rq")
        .into_iter()
        .map(|r| vec![r[0].clone(), r[2].clone()])
        .collect();
    assert_eq!(events, direct_events);
    // Who met whom: per pair, the events (once per article reporting one) and the articles.
    let direct_pairs = rows(
        &store,
        &format!(
            "{PREFIXES} SELECT ?x ?y (COUNT(*) AS ?events) (COUNT(DISTINCT ?g) AS ?articles) WHERE {{
               {{ SELECT DISTINCT ?g ?ev ?x ?y WHERE {{ GRAPH ?g {{ ?g ng:articleId ?id .
                 VALUES ?c {{ ng:Meeting ng:Talks ng:Visit ng:Call ng:Briefing }}
                 ?ev a ?c ; ng:status ng:Occurred ; ng:hasParticipation ?px , ?py .
                 ?px ng:participant ?x . ?py ng:participant ?y .
                 ?x a ?tx . ?y a ?ty .
                 FILTER(?tx IN (schema:Person, schema:Organization) && ?ty IN (schema:Person, schema:Organization))
                 FILTER(STR(?x) < STR(?y)) }} }} }}
             }} GROUP BY ?x ?y"
        ),
    );
    assert!(direct_pairs.len() > 20, "{} pairs", direct_pairs.len());
    let summary_pairs = rows(
        &store,
        &format!(
            "{PREFIXES} SELECT ?x ?y ?events ?articles WHERE {{
               GRAPH <https://w3id.org/newsgraph/ns/summary> {{
                 ?pair ng:pairMember ?x , ?y ; ng:eventCount ?events ; ng:articleCount ?articles .
                 FILTER(STR(?x) < STR(?y)) }} }}"
        ),
    );
    assert_eq!(summary_pairs, direct_pairs);
    assert_eq!(
        rows_of_file(&store, "queries/who-met-whom.rq").len(),
        direct_pairs.len()
    );
}

/// The entity listings sort by the summary's short sort key, then the name: the same order as
/// by the name (then the IRI).
#[test]
fn entity_listings_are_in_name_order() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    ingest(&store, &[bbc().join("politics")]);
    for file in ["queries/persons.rq", "queries/organisations.rq"] {
        let listed: Vec<Vec<String>> = query_csv(&store, file).into_iter().skip(1).collect();
        let mut sorted = listed.clone();
        sorted.sort_by(|a, b| (&a[1], &a[0]).cmp(&(&b[1], &b[0])));
        assert!(
            listed.iter().any(|r| r[1].chars().count() > 15),
            "{file}: some name longer than the sort key"
        );
        assert_eq!(listed, sorted, "{file}");
    }
}

#[test]
fn summary_added_run_by_run_equals_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let files = politics();
    // Store A: three runs, each adding a third of the articles.
    let a = tmp.path().join("a");
    for part in files.chunks(files.len().div_ceil(3)) {
        let err = ingest(&a, part);
        assert!(
            !err.contains("rebuilt"),
            "adding articles should not rebuild: {err}"
        );
    }
    // Store B: all at once, then one article replaced and put back: two rebuilds.
    let b = tmp.path().join("b");
    ingest(&b, &[bbc().join("politics")]);
    let dir = tmp.path().join("politics");
    std::fs::create_dir(&dir).unwrap();
    let one = dir.join(files[0].file_name().unwrap());
    let text = std::fs::read_to_string(&files[0]).unwrap();
    std::fs::write(
        &one,
        format!("{text}\nPrime Minister Zebulon Quartermain met Ann Oddity in Paris.\n"),
    )
    .unwrap();
    assert!(ingest(&b, std::slice::from_ref(&one)).contains("summary graph rebuilt"));
    assert!(
        summary_nquads(&b).contains("Zebulon Quartermain"),
        "the replaced article's new person is counted"
    );
    std::fs::write(&one, &text).unwrap();
    assert!(ingest(&b, &[one]).contains("summary graph rebuilt"));
    let (sa, sb) = (summary_nquads(&a), summary_nquads(&b));
    assert!(
        !sb.contains("Zebulon Quartermain"),
        "the person left with the text"
    );
    assert!(sa.lines().count() > 1000);
    assert_eq!(sa, sb, "incremental and rebuilt summaries differ");
}

#[test]
fn a_cut_off_run_is_noted_and_mended_by_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    ingest(&store, &[repo(SEED_TEXT)]);
    let before = summary_nquads(&store);
    // What a run killed after its first write leaves: the up-to-date marker removed.
    {
        let s = newsgraph::store::NewsStore::open(&store).unwrap();
        let mut run = newsgraph::store::SummaryRun::start(&s).unwrap();
        run.before_write().unwrap();
        assert!(!s.summary_is_current().unwrap());
    }
    let mut c = ng(&store);
    c.args(["query", "queries/persons.rq"]);
    let out = c.output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("summary graph this query reads is out of date"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Re-running the same ingest (nothing new to write) rebuilds it.
    let err = ingest(&store, &[repo(SEED_TEXT)]);
    assert!(err.contains("summary graph rebuilt"), "{err}");
    assert_eq!(summary_nquads(&store), before);
    let mut c = ng(&store);
    c.args(["query", "queries/persons.rq"]);
    let out = c.output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("out of date"));
}
