//! The whole BBC corpus (../shared/corpus/bbc, 2,225 articles) through `ingest`: no panic, no
//! failed article, every article graph present, and a second run changes nothing.

mod common;

use std::path::PathBuf;

use common::*;

fn bbc() -> PathBuf {
    let p = std::env::var_os("NEWSGRAPH_BBC")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo("../shared/corpus/bbc"));
    assert!(
        p.is_dir(),
        "the BBC corpus is not at {} (set NEWSGRAPH_BBC to its folder)",
        p.display()
    );
    p
}

#[test]
fn ingest_whole_bbc_corpus_without_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let mut c = ng(&store);
    c.arg("ingest")
        .arg(bbc())
        .args(["--quiet", "--published", "2005-03"]);
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("(2225 written, 0 unchanged, 0 failed)"),
        "{err}"
    );
    let mut c = ng(&store);
    c.args(["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&ok(c)).unwrap();
    assert_eq!(stats["articles"], 2225);
    // Idempotent: a second ingest writes nothing.
    let mut c = ng(&store);
    c.arg("ingest")
        .arg(bbc())
        .args(["--quiet", "--published", "2005-03"]);
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("(0 written, 2225 unchanged, 0 failed)"),
        "{err}"
    );
}
