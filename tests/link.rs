//! Linking (issue 4): the seed against the curated linkset and the EveryPolitician files, the
//! 100 US senators written as news writes them, and federated queries against a real SPARQL
//! endpoint on loopback.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::*;
use serde_json::{json, Value};

fn datasets() -> PathBuf {
    let p = repo("../shared/datasets");
    assert!(
        p.is_dir(),
        "the reference datasets are not at {}",
        p.display()
    );
    p
}

/// Runs `link` and returns the decisions of its report.
fn link(store: &Path, args: &[&str]) -> Vec<Value> {
    let report = store.with_extension("report.json");
    let mut c = ng(store);
    c.arg("link").args(args).arg("--report").arg(&report);
    ok(c);
    serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap()
}

/// (entity name → target) for one outcome.
fn outcome(decisions: &[Value], which: &str) -> BTreeMap<String, String> {
    decisions
        .iter()
        .filter(|d| d["outcome"] == which)
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_owned(),
                d["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn seed_links_to_checked_wikidata_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let d = link(&store, &[]);
    let same = outcome(&d, "same_as");
    let wd = |q: &str| format!("http://www.wikidata.org/entity/{q}");
    for (name, q) in [
        ("Isaac Herzog", "Q983258"),
        ("Benjamin Netanyahu", "Q43723"),
        ("Gideon Saar", "Q966349"),
        ("Israel", "Q801"),
        ("Azerbaijan", "Q227"),
        ("Türkiye", "Q43"),
        ("United States", "Q30"),
    ] {
        assert_eq!(same.get(name), Some(&wd(q)), "{name}: {same:?}");
    }
    // Nothing links wrongly: every other link is a country whose name is exactly in the list.
    for (name, target) in &same {
        let ok_extra = ["Syria", "United Arab Emirates"].contains(&name.as_str());
        assert!(
            ok_extra
                || [
                    "Isaac Herzog",
                    "Benjamin Netanyahu",
                    "Gideon Saar",
                    "Israel",
                    "Azerbaijan",
                    "Türkiye",
                    "United States"
                ]
                .contains(&name.as_str()),
            "unexpected link {name} → {target}"
        );
    }
    assert!(outcome(&d, "close_match").is_empty(), "{d:?}");
    // The links are in the graph, with provenance, and queries/linked.rq shows them.
    let rows = query_csv(&store, "queries/linked.rq");
    assert!(
        rows.iter()
            .any(|r| r[1] == "Isaac Herzog" && r[2] == wd("Q983258")),
        "{rows:?}"
    );
    // Linking again gives the same graph.
    let before = dump(&store);
    link(&store, &[]);
    assert_eq!(before, dump(&store));
}

#[test]
fn seed_against_turkey_and_azerbaijan_assemblies_links_nobody() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let ds = datasets().join("everypolitician");
    for f in [
        "turkey-assembly-term-26.csv",
        "azerbaijan-national_assembly-term-5.csv",
    ] {
        let d = link(&store, &["--reference", ds.join(f).to_str().unwrap()]);
        let linked: Vec<&Value> = d.iter().filter(|d| d["outcome"] != "none").collect();
        assert!(linked.is_empty(), "{f}: {linked:#?}");
    }
}

#[test]
fn knesset_file_links_the_seed_politicians() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let f = datasets().join("everypolitician/israel-knesset-term-19.csv");
    let d = link(&store, &["--reference", f.to_str().unwrap()]);
    let same = outcome(&d, "same_as");
    assert_eq!(
        same.get("Gideon Saar").map(String::as_str),
        Some("http://www.wikidata.org/entity/Q966349")
    );
    assert_eq!(
        same.get("Isaac Herzog").map(String::as_str),
        Some("http://www.wikidata.org/entity/Q983258")
    );
    assert_eq!(
        same.len(),
        2 + usize::from(same.contains_key("Benjamin Netanyahu")),
        "{same:?}"
    );
}

/// News writes "Senator Bernie Sanders", "Sen. Joe Manchin", "Mitt Romney": no middle
/// initials, no "Jr.", often a nickname and a title.
fn as_in_news(name: &str, i: usize) -> String {
    const NICK: &[(&str, &str)] = &[
        ("Bernard", "Bernie"),
        ("Charles", "Chuck"),
        ("Joseph", "Joe"),
        ("Edward", "Ed"),
        ("Richard", "Dick"),
        ("Patrick", "Pat"),
        ("Robert", "Bob"),
        ("Christopher", "Chris"),
        ("Michael", "Mike"),
        ("Thomas", "Tom"),
        ("James", "Jim"),
        ("Benjamin", "Ben"),
        ("Margaret", "Maggie"),
    ];
    let base = name.split(", ").next().unwrap();
    let words: Vec<&str> = base
        .split(' ')
        .filter(|w| !(w.len() == 2 && w.ends_with('.')))
        .collect();
    let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    if let Some((_, nick)) = NICK.iter().find(|(g, _)| *g == words[0]) {
        if i.is_multiple_of(2) {
            words[0] = nick.to_string();
        }
    }
    let plain = words.join(" ");
    match i % 3 {
        0 => format!("Senator {plain}"),
        1 => format!("Sen. {plain}"),
        _ => plain,
    }
}

#[test]
fn us_senators_as_written_in_news_link_with_full_precision() {
    let tmp = tempfile::tempdir().unwrap();
    let csv_path = datasets().join("everypolitician/united_states_of_america-senate-term-116.csv");
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (name_i, wd_i) = (col("name"), col("wikidata"));
    let mut text = String::new();
    let mut entities = Vec::new();
    let mut expected = BTreeMap::new();
    for (i, row) in rdr.records().enumerate() {
        let row = row.unwrap();
        let news = as_in_news(&row[name_i], i);
        let start = text.chars().count();
        text.push_str(&news);
        let end = text.chars().count();
        text.push_str(" spoke.\n");
        let span = json!({"start": start, "end": end, "text": news});
        entities.push(json!({
            "id": format!("s{i}"), "kind": "person", "name": news, "mentions": [span],
            "evidence": {"spans": [span], "annotator": "test", "confidence": 1.0}
        }));
        expected.insert(
            news,
            format!("http://www.wikidata.org/entity/{}", &row[wd_i]),
        );
    }
    assert_eq!(expected.len(), 100);
    let facts = json!({
        "format": "newsgraph-facts/1",
        "article": {"id": "senators", "text": text},
        "generated_by": {"tool": "hand", "annotator": "test"},
        "entities": entities,
    });
    let f = tmp.path().join("senators.json");
    std::fs::write(&f, facts.to_string()).unwrap();
    let store = tmp.path().join("store");
    let mut c = ng(&store);
    c.arg("load").arg(&f);
    ok(c);
    let d = link(&store, &["--reference", csv_path.to_str().unwrap()]);
    let made: Vec<(String, String)> = d
        .iter()
        .filter(|d| d["outcome"] == "same_as" || d["outcome"] == "close_match")
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_owned(),
                d["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let correct = made
        .iter()
        .filter(|(n, t)| expected.get(n) == Some(t))
        .count();
    let wrong: Vec<_> = made
        .iter()
        .filter(|(n, t)| expected.get(n) != Some(t))
        .collect();
    let precision = correct as f64 / made.len().max(1) as f64;
    let recall = correct as f64 / expected.len() as f64;
    eprintln!(
        "senators: {} links, precision {precision:.3}, recall {recall:.3}",
        made.len()
    );
    assert!(wrong.is_empty(), "wrong links: {wrong:?}");
    assert!(
        recall >= 0.95,
        "recall {recall:.3}; missed: {:?}",
        expected
            .keys()
            .filter(|n| !made.iter().any(|(m, _)| m == *n))
            .collect::<BTreeSet<_>>()
    );
}

#[test]
fn federated_query_against_a_loopback_endpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let remote = seeded_store(tmp.path());
    let local = tmp.path().join("local");
    let (mut child, url) = serve(&remote, Some(1));
    let q = format!(
        "PREFIX schema: <http://schema.org/>
         SELECT ?name WHERE {{ SERVICE <{url}> {{ ?p a schema:Person ; schema:name ?name }} }} ORDER BY ?name"
    );
    // Refused without --allow-service, with a clear message.
    let mut c = ng(&local);
    c.args(["query", "--query", &q]);
    let (code, err) = fails(c);
    assert_eq!(code, 3);
    assert!(
        err.contains(&format!(
            "SERVICE <{url}> is not allowed; pass --allow-service {url}"
        )),
        "{err}"
    );
    // Allowed: the remote store's persons come back.
    let mut c = ng(&local);
    c.args([
        "query",
        "--format",
        "csv",
        "--allow-service",
        &url,
        "--query",
        &q,
    ]);
    let rows = parse_csv(&ok(c));
    child.wait().unwrap();
    let names: BTreeSet<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(
        names.contains("Isaac Herzog") && names.len() == 11,
        "{names:?}"
    );
}
