//! The command line's shape (issue 18): first queries answer on a small store, scoped queries
//! still ask for a scope on a large one, numeric flags are validated, and `stats` and `export`
//! stream in bounded memory.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::common::*;

/// A store of the BBC politics folder (417 articles, over the small-store limit of 100),
/// made once per test process; the mutex gives one test at a time the store (RocksDB lock).
fn politics_store() -> (std::sync::MutexGuard<'static, ()>, &'static Path) {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let (_, store) = STORE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let store = tmp.path().join("store");
        let mut c = ng(&store);
        c.arg("ingest")
            .arg(bbc().join("politics"))
            .args(["--quiet", "--no-validate"]);
        ok(c);
        (tmp, store)
    });
    (guard, store.as_path())
}

/// The seed article ingested, as the README's main job does.
fn seed_ingested(tmp: &Path) -> PathBuf {
    let store = tmp.join("store");
    ingest(&store, &[repo(SEED_TEXT)]);
    store
}

#[test]
fn meetings_rq_answers_on_the_seed_store_without_a_scope() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seed_ingested(tmp.path());
    let mut c = ng(&store);
    c.args(["query", "queries/meetings.rq"]);
    let out = c.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: queries/meetings.rq is scoped") && stderr.contains("--bind"),
        "{stderr}"
    );
    let davos = stdout
        .lines()
        .find(|l| l.contains("2025-01-21"))
        .unwrap_or_else(|| panic!("no Davos meeting in:\n{stdout}"));
    assert!(
        davos.contains("Davos") && davos.contains("Ilham Aliyev; Isaac Herzog"),
        "{davos}"
    );
    assert!(stdout.contains("(6 rows)"), "{stdout}");
}

#[test]
fn every_shipped_query_file_prints_rows_on_a_one_article_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seed_ingested(tmp.path());
    for f in std::fs::read_dir(repo("queries")).unwrap() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        // A federated query to Wikidata: its answer is the network's (refused without
        // --allow-service, and there is no network here).
        if name == "wikidata-enrich.rq" || !name.ends_with(".rq") {
            continue;
        }
        let mut c = ng(&store);
        c.arg("query").arg(&f);
        let out = c.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // linked.rq lists links, and the seed store has none until `link` runs.
        if name != "linked.rq" {
            assert!(
                !stdout.contains("(0 rows)") && stdout.contains(" row"),
                "{name} printed no rows:\n{stdout}"
            );
        }
    }
}

/// A scoped query run with no scope on a store of over 100 articles is refused, with the
/// bindings to use and `--all`.
#[test]
fn scoped_queries_need_a_binding_or_all_on_a_large_store() {
    let (_lock, store) = politics_store();
    let mut c = ng(store);
    c.args(["query", "queries/mentions.rq"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("queries/mentions.rq")
            && err.contains("bind article or name")
            && err.contains("--bind article=")
            && err.contains("--all"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // Binding some other variable does not scope it.
    let mut c = ng(store);
    c.args(["query", "queries/provenance.rq", "--bind", "rule=x"]);
    assert_eq!(c.output().unwrap().status.code(), Some(2));
    // Unscoped queries need neither.
    assert!(query_csv(store, "queries/persons.rq").len() > 1);
}

/// Regression: `--timeout 1e20` panicked (exit 101, "cannot convert float seconds to
/// Duration"); every numeric flag is now checked by clap.
#[test]
fn timeout_of_1e20_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded_store(tmp.path());
    for (args, why) in [
        (
            &["query", "--query", "ASK {}", "--timeout", "1e20"][..],
            "too long",
        ),
        (
            &["query", "--query", "ASK {}", "--timeout=-1"][..],
            "positive",
        ),
        (
            &["query", "--query", "ASK {}", "--timeout", "1e-300"][..],
            "too short",
        ),
        (
            &["query", "--query", "ASK {}", "--timeout", "NaN"][..],
            "positive",
        ),
        (&["link", "--threshold", "1.5"][..], "between 0 and 1"),
        (
            &["ingest", "x.txt", "--batch-quads", "0"][..],
            "--batch-quads",
        ),
    ] {
        let mut c = ng(&store);
        c.args(args);
        let (code, err) = fails(c);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains(why) && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

/// Runs `newsgraph --store STORE ARGS` and returns its peak resident memory in KiB (from
/// `wait4`, so it is this child's alone).
// The child is reaped by `wait4` below, which clippy does not see.
#[allow(clippy::zombie_processes)]
fn peak_rss_kib(store: &Path, args: &[&str]) -> i64 {
    let child = StdCommand::new(assert_cmd::cargo::cargo_bin("newsgraph"))
        .env_remove("NEWSGRAPH_STORE")
        .arg("--store")
        .arg(store)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: pid is our child, not yet reaped (the Child is never waited on).
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{args:?} failed: {status}"
    );
    usage.ru_maxrss
}

/// Regression: `stats` and `export` without `--graph` collected and sorted every quad of the
/// store in memory (31.8 M on the BBC x50 store). They now go graph by graph: on the politics
/// store their peak memory stays near that of opening the store.
#[test]
fn stats_and_export_do_not_hold_the_store_in_memory() {
    let (_lock, store) = politics_store();
    let tmp = tempfile::tempdir().unwrap();
    let out = |name: &str| tmp.path().join(name).display().to_string();
    let quads = stats(store)["quads"].as_u64().unwrap();
    let baseline = peak_rss_kib(store, &["graphs"]);
    for args in [
        vec!["stats", "--json"],
        vec!["export", "--format", "nquads", "-o", &out("all.nq")],
        vec!["export", "--format", "turtle", "-o", &out("all.ttl")],
    ] {
        let peak = peak_rss_kib(store, &args);
        // Measured on this store: the old code grew by 500 to 1,000 bytes a quad (72 to 151
        // MiB over `graphs`), the streaming code by 12 to 20 MiB (the largest article graph,
        // and stats' distinct-entity counts, which grow with entities, not quads).
        let grown = peak - baseline;
        eprintln!("{args:?}: peak {peak} KiB, {grown} KiB over `graphs`, {quads} quads");
        assert!(
            grown < (quads as i64) * 200 / 1024,
            "{args:?}: peak {peak} KiB, {grown} KiB over `graphs` ({baseline} KiB) for {quads} quads"
        );
    }
}

/// Each distinct triple of the data graphs is written once by a triple-format export, and
/// their number is what `stats` counts as data triples.
#[test]
fn triple_exports_write_each_distinct_triple_once() {
    let (_lock, store) = politics_store();
    let mut c = ng(store);
    c.args(["export", "--format", "ntriples"]);
    let nt = ok(c);
    let lines: Vec<&str> = nt.lines().filter(|l| !l.is_empty()).collect();
    let distinct: std::collections::HashSet<&str> = lines.iter().copied().collect();
    assert_eq!(lines.len(), distinct.len(), "a triple was written twice");
    assert_eq!(
        lines.len() as u64,
        stats(store)["data_triples"].as_u64().unwrap()
    );
    // An entity named in many articles has its type triple once.
    let blair = "<https://w3id.org/newsgraph/id/person/tony-blair> \
                 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> .";
    assert_eq!(lines.iter().filter(|l| **l == blair).count(), 1, "{blair}");
}
