//! `push` and `ingest --shard` against real servers on loopback: Oxigraph server (PyPI) and
//! Virtuoso (Debian), started by the tests; never a mock.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::servers::{graph_counts, remote_counts, remote_csv, Oxigraph, Virtuoso};
use crate::common::*;

/// The first `n` BBC politics articles, copied into `dir` (so a test can edit them).
fn politics(dir: &Path, n: usize) -> PathBuf {
    let src = bbc().join("politics");
    let out = dir.join("articles");
    std::fs::create_dir_all(&out).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|f| f.to_string_lossy().ends_with(".txt"))
        .collect();
    names.sort();
    for f in names.into_iter().take(n) {
        std::fs::copy(src.join(&f), out.join(&f)).unwrap();
    }
    out
}

/// A store holding the seed and `n` BBC politics articles.
fn store_with(tmp: &Path, n: usize) -> (PathBuf, PathBuf) {
    let store = tmp.join("store");
    let articles = politics(tmp, n);
    ingest(&store, &[repo(SEED_TEXT), articles.clone()]);
    (store, articles)
}

/// Triples per named graph of the local store.
fn local_counts(store: &Path) -> Vec<(String, u64)> {
    graph_counts(query_text_csv(
        store,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ))
}

/// Waits until `push` (the `child` process on `store`) has logged more than `graphs` graphs.
fn wait_until_logged(store: &Path, child: &mut std::process::Child, graphs: usize) {
    let log_dir = store.join("push-state");
    let start = Instant::now();
    loop {
        let lines = std::fs::read_dir(&log_dir)
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .map_or(0, |t| t.lines().count());
        if lines > graphs {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the push ended too soon"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the push did not start"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn graphs(counts: &[(String, u64)]) -> Vec<String> {
    counts.iter().map(|(g, _)| g.clone()).collect()
}

/// `push` with these arguments, quiet; returns (exit code, stdout, stderr).
fn push(store: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = ng(store);
    c.arg("push").args(args);
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn pushed_ok(store: &Path, args: &[&str]) -> String {
    let (code, _, err) = push(store, args);
    assert_eq!(code, 0, "push {args:?} failed: {err}");
    err
}

/// Sorted data rows of a CSV answer (header dropped), numbers as the servers write them.
fn rows(mut csv: Vec<Vec<String>>) -> Vec<Vec<String>> {
    csv.remove(0);
    csv.sort();
    csv
}

/// The shipped queries answer the same on the remote as on the local store.
fn same_answers(store: &Path, endpoint: &str, files: &[&str]) {
    for f in files {
        let text = std::fs::read_to_string(repo(f)).unwrap();
        let local = rows(query_all_csv(store, f));
        let remote = rows(remote_csv(endpoint, &text));
        assert!(!local.is_empty(), "{f} has no rows locally");
        assert_eq!(local, remote, "{f}: local and remote answers differ");
    }
}

#[test]
fn push_to_oxigraph_server_is_complete_incremental_and_replaces_changed_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, articles) = store_with(tmp.path(), 40);
    let server = Oxigraph::start(&tmp.path().join("remote"));
    let to = server.url("/store");

    let (_, listed, _) = push(&store, &["--to", &to, "--dry-run"]);
    let local = local_counts(&store);
    assert_eq!(listed.lines().count(), local.len(), "{listed}");
    assert!(listed.lines().all(|l| l.starts_with("put\t")), "{listed}");
    assert_eq!(
        remote_counts(&server.url("/query"), &graphs(&local)),
        vec![],
        "a dry run sends nothing"
    );

    let first = pushed_ok(&store, &["--to", &to]);
    assert!(
        first.contains(&format!("pushed {} graph(s)", local.len())),
        "{first}"
    );
    assert_eq!(remote_counts(&server.url("/query"), &graphs(&local)), local);
    same_answers(
        &store,
        &server.url("/query"),
        &[
            "queries/meetings.rq",
            "queries/persons.rq",
            "queries/who-met-whom.rq",
        ],
    );

    // Nothing changed: nothing is sent.
    let second = pushed_ok(&store, &["--to", &to]);
    assert!(second.contains("pushed 0 graph(s)"), "{second}");
    assert!(
        second.contains(&format!("{} unchanged", local.len())),
        "{second}"
    );

    // One article changes: its graph (and the summary) are replaced, and only they are sent.
    let file = articles.join("001.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen(
            "\n\n",
            "\n\nPrime Minister Tony Blair met Gerhard Schroeder in Berlin on Monday.\n\n",
            1,
        ),
    )
    .unwrap();
    ingest(&store, std::slice::from_ref(&articles));
    let (_, listed, _) = push(&store, &["--to", &to, "--dry-run"]);
    let replaced: Vec<&str> = listed.lines().collect();
    assert_eq!(replaced.len(), 2, "{listed}"); // the article and the summary
    assert!(
        replaced.iter().all(|l| l.starts_with("replace\t")),
        "{listed}"
    );
    let third = pushed_ok(&store, &["--to", &to]);
    assert!(third.contains("pushed 2 graph(s)"), "{third}");
    let local = local_counts(&store);
    assert_eq!(remote_counts(&server.url("/query"), &graphs(&local)), local);
    same_answers(&store, &server.url("/query"), &["queries/who-met-whom.rq"]);
}

#[test]
fn a_push_cut_off_by_a_server_crash_finishes_on_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = store_with(tmp.path(), 417);
    let mut server = Oxigraph::start(&tmp.path().join("remote"));
    let to = server.url("/store");
    let local = local_counts(&store);

    let mut child = spawn_push(
        &store,
        &["--to", &to, "--jobs", "1", "--retries", "1", "--quiet"],
        Stdio::piped(),
    );
    // Kill the server once the push has written some graphs.
    wait_until_logged(&store, &mut child, 20);
    server.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(err.contains("run push again"), "{err}");
    let partial = remote_counts_after_restart(&mut server, &local);
    assert!(
        partial.len() < local.len(),
        "the crash came too late to test anything"
    );

    // The re-run sends the rest and the server holds exactly the local graphs.
    rerun_completes(&store, &to, &server.url("/query"), &local);
}

#[test]
fn a_push_killed_mid_way_finishes_on_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = store_with(tmp.path(), 417);
    let server = Oxigraph::start(&tmp.path().join("remote"));
    let to = server.url("/store");
    let local = local_counts(&store);
    let mut child = spawn_push(
        &store,
        &["--to", &to, "--jobs", "2", "--quiet"],
        Stdio::inherit(),
    );
    wait_until_logged(&store, &mut child, 20);
    child.kill().unwrap(); // SIGKILL: no cleanup
    child.wait().unwrap();
    let partial = remote_counts(&server.url("/query"), &graphs(&local));
    assert!(
        partial.len() < local.len(),
        "the kill came too late to test anything"
    );
    rerun_completes(&store, &to, &server.url("/query"), &local);
}

/// A push (with `args`) started in the background, as the kill tests cut it off.
fn spawn_push(store: &Path, args: &[&str], stderr: Stdio) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("newsgraph"))
        .arg("--store")
        .arg(store)
        .arg("push")
        .args(args)
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// After a push was cut off: the re-run sends the rest, the server then holds exactly the
/// local graphs (`query_url` counts them), and a third push sends nothing.
fn rerun_completes(store: &Path, to: &str, query_url: &str, local: &[(String, u64)]) {
    let rerun = pushed_ok(store, &["--to", to]);
    assert!(!rerun.contains("pushed 0 graph(s)"), "{rerun}");
    assert_eq!(remote_counts(query_url, &graphs(local)), local);
    let again = pushed_ok(store, &["--to", to]);
    assert!(again.contains("pushed 0 graph(s)"), "{again}");
}

/// Restarts a killed server and reads its counts of the local graphs.
fn remote_counts_after_restart(
    server: &mut Oxigraph,
    local: &[(String, u64)],
) -> Vec<(String, u64)> {
    server.restart();
    let counts = remote_counts(&server.url("/query"), &graphs(local));
    // Whatever the server holds is whole: a graph it has is the local graph.
    for (g, n) in &counts {
        let l = local.iter().find(|(lg, _)| lg == g).unwrap();
        assert_eq!(*n, l.1, "graph {g} is only partly on the server");
    }
    counts
}

#[test]
fn push_to_a_server_that_is_not_there_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    let port = crate::common::servers::free_port();
    let url = format!("http://127.0.0.1:{port}/store");
    let started = Instant::now();
    let (code, _, err) = push(&store, &["--to", &url, "--retries", "2"]);
    assert_eq!(code, 9, "{err}");
    assert!(err.contains("cannot reach") && err.contains(&url), "{err}");
    assert!(err.contains("3 attempts"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));
    // A dry run does not need the server.
    let (code, listed, _) = push(&store, &["--to", &url, "--dry-run"]);
    assert_eq!(code, 0);
    assert!(listed.contains("put\t"), "{listed}");
    // Bad URLs are usage errors.
    let (code, _, err) = push(&store, &["--to", "localhost:7878/store"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn push_to_virtuoso_by_graph_store_protocol_and_by_update() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = store_with(tmp.path(), 30);
    let v = Virtuoso::start(&tmp.path().join("virtuoso"));
    let local = local_counts(&store);

    pushed_ok(&store, &["--to", &v.url("/sparql-graph-crud")]);
    assert_eq!(remote_counts(&v.url("/sparql"), &graphs(&local)), local);
    same_answers(
        &store,
        &v.url("/sparql"),
        &[
            "queries/persons.rq",
            "queries/who-met-whom.rq",
            "queries/meetings.rq",
        ],
    );
    let again = pushed_ok(&store, &["--to", &v.url("/sparql-graph-crud")]);
    assert!(again.contains("pushed 0 graph(s)"), "{again}");

    // The same graphs by SPARQL Update (another endpoint: its own log, so all are sent, and
    // each replaces its graph: no triple twice).
    let by_update = pushed_ok(&store, &["--update", &v.url("/sparql")]);
    assert!(
        by_update.contains(&format!("pushed {} graph(s)", local.len())),
        "{by_update}"
    );
    assert_eq!(remote_counts(&v.url("/sparql"), &graphs(&local)), local);

    // Virtuoso's authenticated endpoint refuses a push without (or with wrong) credentials.
    let (code, _, err) = push(&store, &["--to", &v.url("/sparql-graph-crud-auth")]);
    assert_eq!(code, 8, "{err}");
    assert!(
        err.contains("401") && err.contains("NEWSGRAPH_PUSH_USER"),
        "{err}"
    );
    let mut c = ng(&store);
    c.env("NEWSGRAPH_PUSH_USER", "dba")
        .env("NEWSGRAPH_PUSH_PASSWORD", "wrong")
        .args(["push", "--to", &v.url("/sparql-graph-crud-auth")]);
    let (code, err) = fails(c);
    assert_eq!(code, 8, "{err}");
    assert!(
        err.contains("user 'dba'") && !err.contains("wrong"),
        "{err}"
    );
}

#[test]
fn shards_partition_a_corpus_and_their_pushes_make_one_store() {
    let tmp = tempfile::tempdir().unwrap();
    let articles = politics(tmp.path(), 60);
    let whole = tmp.path().join("whole");
    ingest(&whole, std::slice::from_ref(&articles));
    let server = Oxigraph::start(&tmp.path().join("remote"));
    let mut seen = Vec::new();
    for k in 1..=3 {
        let store = tmp.path().join(format!("shard{k}"));
        let mut c = ng(&store);
        c.arg("ingest")
            .arg(&articles)
            .args(["--shard", &format!("{k}/3"), "--quiet"]);
        let err = String::from_utf8(c.output().unwrap().stderr).unwrap();
        assert!(err.contains(&format!("(shard {k}/3;")), "{err}");
        let counts = local_counts(&store);
        let mine: Vec<String> = graphs(&counts)
            .into_iter()
            .filter(|g| g.contains("/article/"))
            .collect();
        assert!(!mine.is_empty(), "shard {k} is empty");
        seen.extend(mine);
        pushed_ok(
            &store,
            &[
                "--to",
                &server.url("/store"),
                "--summary",
                "remote",
                "--query",
                &server.url("/query"),
            ],
        );
    }
    // Every article in exactly one shard.
    let mut all: Vec<String> = graphs(&local_counts(&whole))
        .into_iter()
        .filter(|g| g.contains("/article/"))
        .collect();
    all.sort();
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n, "an article is in two shards");
    assert_eq!(seen, all);
    // The shared store answers as the store of the whole corpus, summary included.
    let whole_counts = local_counts(&whole);
    assert_eq!(
        remote_counts(&server.url("/query"), &graphs(&whole_counts)),
        whole_counts
    );
    same_answers(
        &whole,
        &server.url("/query"),
        &[
            "queries/persons.rq",
            "queries/who-met-whom.rq",
            "queries/organisations.rq",
        ],
    );
}

#[test]
fn graphs_refused_as_too_large_go_in_parts_and_large_updates_are_staged() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, _) = store_with(tmp.path(), 10);
    let server = Oxigraph::start(&tmp.path().join("remote"));
    // A proxy that takes at most 16 KiB per request: the seed's graph (1,183 triples), the
    // ontology (with blank nodes) and the summary are refused whole.
    let proxy = crate::common::servers::Nginx::start(&tmp.path().join("nginx"), server.port, "16k");
    let local = local_counts(&store);
    let report = pushed_ok(&store, &["--to", &proxy.url("/store")]);
    assert!(report.contains("sent in parts"), "{report}");
    assert_eq!(remote_counts(&server.url("/query"), &graphs(&local)), local);
    // The ontology's blank nodes stayed whole: every list and restriction node still has its
    // statements (a blank node split across requests would leave dangling halves).
    let dangling = remote_csv(
        &server.url("/query"),
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/newsgraph/ns> {
           ?s ?p ?b . FILTER(isBlank(?b)) FILTER NOT EXISTS { ?b ?q ?o } } }",
    );
    assert_eq!(dangling[1][0], "0");

    // By SPARQL Update with 50 triples a request: every larger graph is staged, then moved.
    let by_update = pushed_ok(
        &store,
        &["--update", &server.url("/update"), "--max-triples", "50"],
    );
    assert!(by_update.contains("sent in parts"), "{by_update}");
    assert_eq!(remote_counts(&server.url("/query"), &graphs(&local)), local);
    let staging = remote_csv(
        &server.url("/query"),
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"urn:newsgraph:staging:\")) }",
    );
    assert_eq!(staging[1][0], "0", "a staging graph was left behind");
}

#[test]
fn quads_batches_load_fast_and_still_replace_changed_graphs() {
    let tmp = tempfile::tempdir().unwrap();
    let (store, articles) = store_with(tmp.path(), 30);
    let server = Oxigraph::start(&tmp.path().join("remote"));
    // Oxigraph's ?no_transaction: its bulk loader takes each batch.
    let to = server.url("/store?no_transaction");
    let args = ["--protocol", "quads", "--to", &to, "--max-triples", "5000"];
    let local = local_counts(&store);
    pushed_ok(&store, &args);
    assert_eq!(remote_counts(&server.url("/query"), &graphs(&local)), local);
    // A changed article: its graph is deleted and sent again, not added to.
    let file = articles.join("002.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("\n\n", "\n\nGordon Brown met Kofi Annan in London.\n\n", 1),
    )
    .unwrap();
    ingest(&store, std::slice::from_ref(&articles));
    let second = pushed_ok(&store, &args);
    assert!(second.contains("pushed 2 graph(s)"), "{second}");
    let local = local_counts(&store);
    assert_eq!(remote_counts(&server.url("/query"), &graphs(&local)), local);
    same_answers(&store, &server.url("/query"), &["queries/who-met-whom.rq"]);
}
