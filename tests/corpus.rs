//! The whole BBC corpus (../shared/corpus/bbc, 2,225 articles) through `ingest`: no panic, no
//! failed article, every article graph present, and a second run changes nothing.

mod common;

use std::path::Path;

use common::*;

/// Ingests the whole corpus into `store`; returns success and stderr.
fn ingest_bbc(store: &Path) -> (bool, String) {
    let mut c = ng(store);
    c.arg("ingest")
        .arg(bbc())
        .args(["--quiet", "--published", "2005-03"]);
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn ingest_whole_bbc_corpus_without_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let (success, err) = ingest_bbc(&store);
    assert!(success, "{err}");
    assert!(
        err.contains("(2225 written, 0 unchanged, 0 failed)"),
        "{err}"
    );
    let stats = stats(&store);
    assert_eq!(stats["articles"], 2225);
    // Idempotent: a second ingest writes nothing.
    let (_, err) = ingest_bbc(&store);
    assert!(
        err.contains("(0 written, 2225 unchanged, 0 failed)"),
        "{err}"
    );
}
