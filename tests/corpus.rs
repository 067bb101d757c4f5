//! The whole BBC corpus (../shared/corpus/bbc, 2,225 articles) through `ingest`: no panic, no
//! failed article, every article graph present, and a second run changes nothing.

use std::path::Path;

use crate::common::*;

/// Ingests `path` into `store` with `flags`; returns success and stderr.
fn ingest(store: &Path, path: &Path, flags: &[&str]) -> (bool, String) {
    let mut c = ng(store);
    c.arg("ingest")
        .arg(path)
        .args(["--quiet", "--published", "2005-03"])
        .args(flags);
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Ingests the whole corpus into `store`; returns success and stderr.
fn ingest_bbc(store: &Path) -> (bool, String) {
    ingest(store, &bbc(), &[])
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

/// Bulk batches handed to the loader thread while the next is gathered (several in one run)
/// write the same article graphs as one transaction per article.
#[test]
fn bulk_batches_in_flight_write_what_transactions_write() {
    let tmp = tempfile::tempdir().unwrap();
    let politics = bbc().join("politics");
    let ingest = |store: &Path, flags: &[&str]| {
        let (success, err) = ingest(store, &politics, flags);
        assert!(success, "{err}");
        err
    };
    let bulk = tmp.path().join("bulk");
    let tx = tmp.path().join("tx");
    let err = ingest(&bulk, &["--batch-quads", "20000"]);
    assert!(
        err.contains("(417 written, 0 unchanged, 0 failed)"),
        "{err}"
    );
    ingest(&tx, &["--transactional"]);
    assert_eq!(stats(&bulk), stats(&tx));
    // Every graph's stored facts hash matches a fresh extraction: nothing half-written.
    let err = ingest(&bulk, &["--transactional"]);
    assert!(
        err.contains("(0 written, 417 unchanged, 0 failed)"),
        "{err}"
    );
}
