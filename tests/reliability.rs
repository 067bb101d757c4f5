//! Reliability (issue 5): bad input gets one clear error and leaves the store as it was;
//! writes are atomic per article under kill -9; a locked store says so; runaway queries stop.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use crate::common::*;

/// (article graph → (quad count, facts hash)) for every article graph of a store.
fn graphs(store: &Path) -> BTreeMap<String, (String, String)> {
    query_text_csv(
        store,
        "PREFIX ng: <https://w3id.org/newsgraph/ns#>
         SELECT ?g (COUNT(*) AS ?n) (SAMPLE(?h) AS ?hash) WHERE {
           GRAPH ?g { ?s ?p ?o . ?g ng:contentHash ?h }
         } GROUP BY ?g",
    )[1..]
        .iter()
        .map(|r| (r[0].clone(), (r[1].clone(), r[2].clone())))
        .collect()
}

#[test]
fn kill_9_during_ingest_never_leaves_a_partial_article() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = bbc().join("politics");
    let clean = tmp.path().join("clean");
    let mut c = ng(&clean);
    c.arg("ingest").arg(&corpus).arg("--quiet");
    ok(c);
    let expected = graphs(&clean);
    assert!(expected.len() > 400);
    let store = tmp.path().join("killed");
    let bin = assert_cmd::cargo::cargo_bin("newsgraph");
    // 20 kills at different moments, each followed by a check of every graph present; even
    // runs write with transactions, odd runs with small bulk-load batches (many commits).
    for i in 0..20u64 {
        let mut cmd = StdCommand::new(&bin);
        cmd.arg("--store")
            .arg(&store)
            .arg("ingest")
            .arg(&corpus)
            .arg("--quiet");
        if i % 2 == 0 {
            cmd.arg("--transactional");
        } else {
            cmd.args(["--batch-quads", "20000"]);
        }
        let mut child = cmd.stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(150 + (i * 137) % 900));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let got = graphs(&store);
        for (g, v) in &got {
            assert_eq!(
                Some(v),
                expected.get(g),
                "run {i}: graph {g} differs from a clean ingest"
            );
        }
    }
    // Re-running completes the set, and mends the summary graph a kill left out of date.
    let mut c = ng(&store);
    c.arg("ingest").arg(&corpus).arg("--quiet");
    ok(c);
    assert_eq!(graphs(&store), expected);
    assert_eq!(summary_nquads(&store), summary_nquads(&clean));
}

#[test]
fn a_second_process_on_a_busy_store_gets_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let (mut server, _) = serve(&store, None);
    let mut c = ng(&store);
    c.arg("stats");
    let (code, err) = fails(c);
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(code, 4);
    assert!(
        err.contains(&format!(
            "store {} is in use by another newsgraph process",
            store.display()
        )),
        "{err}"
    );
    assert!(!err.contains("Resource temporarily unavailable"), "{err}");
}

#[test]
fn runaway_query_is_cancelled_by_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let mut c = ng(&store);
    c.args([
        "query",
        "--timeout",
        "1",
        "--query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    ]);
    let (code, err) = fails(c);
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains("ran longer than 1 s and was cancelled"),
        "{err}"
    );
}

#[test]
fn bad_bind_values_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    for bad in ["name=<not an iri>", "name=\"unterminated", "nameonly"] {
        let mut c = ng(&store);
        c.args(["query", "queries/mentions.rq", "--bind", bad]);
        let (code, err) = fails(c);
        assert_eq!(code, 3, "{bad}: {err}");
        assert!(err.contains("invalid --bind"), "{err}");
    }
}

#[test]
fn unwritable_output_is_reported_and_store_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let before = dump(&store);
    let mut c = ng(&store);
    c.args([
        "query",
        "queries/persons.rq",
        "-o",
        "/nonexistent-dir/out.csv",
    ]);
    let (code, err) = fails(c);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot write /nonexistent-dir/out.csv"),
        "{err}"
    );
    assert_eq!(before, dump(&store));
}

fn facts_with(f: impl FnOnce(&mut serde_json::Value)) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo(SEED_FACTS)).unwrap()).unwrap();
    f(&mut v);
    v
}

#[test]
fn invalid_facts_are_refused_with_their_location() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let before = dump(&store);
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "unknown-field",
            facts_with(|v| v["entities"][0]["nickname"] = "x".into()),
            "unknown field `nickname`",
        ),
        (
            "wrong-type",
            facts_with(|v| v["events"][0]["status"] = 3.into()),
            "invalid facts JSON",
        ),
        (
            "span-outside",
            facts_with(|v| v["entities"][0]["mentions"][0]["end"] = 99999.into()),
            "entities[0].mentions[0]: span",
        ),
        (
            "span-mismatch",
            facts_with(|v| v["entities"][0]["mentions"][0]["text"] = "Nowhere".into()),
            "quotes \"Nowhere\" but the text there is",
        ),
        (
            "holder-not-person",
            facts_with(|v| v["posts"][0]["holder"] = "israel".into()),
            "posts[0].holder: entity \"israel\" is a place, expected a person",
        ),
    ];
    for (name, facts, expect) in cases {
        let f = tmp.path().join(format!("{name}.json"));
        std::fs::write(&f, serde_json::to_string_pretty(&facts).unwrap()).unwrap();
        let mut c = ng(&store);
        c.arg("load").arg(&f);
        let (code, err) = fails(c);
        assert_eq!(code, 3, "{name}: {err}");
        assert!(err.contains(expect), "{name}: {err}");
        assert!(
            err.contains(&f.display().to_string()),
            "{name} must name the file: {err}"
        );
    }
    assert_eq!(before, dump(&store));
}

#[test]
fn a_10_mb_article_is_ingested() {
    let tmp = tempfile::tempdir().unwrap();
    // Mostly plain prose with a name now and then, like a long report or a transcript.
    let prose =
        "The committee went through the budget line by line and agreed to come back to it later. ";
    let names = "Prime Minister Tony Blair met President George Bush in Washington on Monday. ";
    let para = format!("{}{names}", prose.repeat(40));
    let text = format!("Big\n\n{}", para.repeat(10 * 1024 * 1024 / para.len()));
    assert!(text.len() >= 10 * 1000 * 1000);
    let reps = 10 * 1024 * 1024 / para.len();
    let f = tmp.path().join("big.txt");
    std::fs::write(&f, text).unwrap();
    let store = tmp.path().join("store");
    let mut c = ng(&store);
    c.arg("ingest").arg(&f).arg("--quiet");
    ok(c);
    // What was extracted, not only that it was: the two persons, every mention of them, and
    // the meeting in Washington.
    let s = stats(&store);
    assert_eq!(s["articles"], 1, "{s}");
    assert_eq!(s["persons"], 2, "{s}");
    let mut c = ng(&store);
    c.arg("extract").arg(&f);
    let facts: serde_json::Value = serde_json::from_str(&ok(c)).unwrap();
    let entity = |name: &str| {
        facts["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} not extracted"))
            .clone()
    };
    for name in ["Tony Blair", "George Bush", "Washington"] {
        let n = entity(name)["mentions"].as_array().unwrap().len();
        assert_eq!(n, reps, "mentions of {name}");
    }
    let (blair, bush, washington) = (
        entity("Tony Blair")["id"].clone(),
        entity("George Bush")["id"].clone(),
        entity("Washington")["id"].clone(),
    );
    let met = facts["events"].as_array().unwrap().iter().any(|e| {
        let who: Vec<&serde_json::Value> = e["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["entity"])
            .collect();
        e["kind"] == "meeting"
            && e["place"] == washington
            && who.contains(&&blair)
            && who.contains(&&bush)
    });
    assert!(
        met,
        "no Blair-Bush meeting in Washington: {}",
        facts["events"]
    );
}

#[test]
fn binary_and_lossy_input() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let bin = tmp.path().join("image.txt");
    std::fs::write(&bin, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let mut c = ng(&store);
    c.arg("ingest").arg(&bin).arg("--quiet");
    let (code, err) = fails(c);
    assert_eq!(code, 5);
    assert!(
        err.contains("looks like a binary file (NUL byte at byte offset 8)"),
        "{err}"
    );
    let latin = tmp.path().join("latin1.txt");
    std::fs::write(
        &latin,
        b"Caf\xe9 talks\n\nPresident Jacques Chirac met Chancellor Gerhard Schroeder in Paris.\n",
    )
    .unwrap();
    let mut c = ng(&store);
    c.arg("extract").arg(&latin);
    let (code, err) = fails(c);
    assert_eq!(code, 3);
    assert!(
        err.contains("invalid UTF-8 at byte offset 3") && err.contains("--lossy"),
        "{err}"
    );
    let mut c = ng(&store);
    c.arg("extract").arg(&latin).arg("--lossy");
    let out = ok(c);
    assert!(
        out.contains("Caf\u{fffd} talks") && out.contains("Jacques Chirac"),
        "{out}"
    );
}

#[test]
fn a_jsonl_line_with_invalid_utf8_is_reported_and_the_other_lines_ingested() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c.jsonl");
    let mut bytes =
        b"{\"id\":\"a\",\"text\":\"Angela Merkel met Emmanuel Macron in Paris.\"}\n".to_vec();
    let second = bytes.len();
    bytes.extend_from_slice(b"{\"id\":\"b\",\"text\":\"Caf\xe9 talks\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"c\",\"text\":\"Nothing here.\"}\n");
    std::fs::write(&corpus, &bytes).unwrap();
    let store = tmp.path().join("store");
    let mut c = ng(&store);
    c.arg("ingest").arg(&corpus).arg("--quiet");
    let (code, err) = fails(c);
    assert_eq!(code, 5, "{err}");
    let offset = second + "{\"id\":\"b\",\"text\":\"Caf".len();
    assert!(
        err.contains(&format!("c.jsonl:2: invalid JSON Lines record: invalid UTF-8 at byte offset {offset} of the file")),
        "{err}"
    );
    assert!(err.contains("2 written"), "{err}");
    // --lossy takes the line too.
    let mut c = ng(&store);
    c.arg("ingest").arg(&corpus).arg("--quiet").arg("--lossy");
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression: a kill while a new store was being created left RocksDB files without the
/// marker, and the next run refused the directory as foreign. The marker is now written first,
/// so the state a kill can leave is a directory holding only the marker, which must open.
#[test]
fn a_store_killed_while_being_created_still_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    std::fs::create_dir(&store).unwrap();
    std::fs::write(store.join("NEWSGRAPH_STORE"), "marker\n").unwrap();
    let mut c = ng(&store);
    c.arg("ingest").arg(repo(SEED_TEXT)).arg("--quiet");
    ok(c);
    assert_eq!(stats(&store)["articles"], 1);
}

/// Regression: `newsgraph graphs | head -1` panicked ("failed printing to stdout: Broken
/// pipe") once `head` had exited. A reader that goes away now ends the command quietly.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    for args in [
        &["graphs"][..],
        &["query", "queries/mentions.rq", "--all"][..],
    ] {
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_newsgraph"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before the first line
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
