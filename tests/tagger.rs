//! The learned name tagger (issue 15): `newsgraph train` reproduces the shipped weights from
//! data in the repository and `../shared`, and refuses to train on the held-out set.

use crate::common::*;

fn train(tmp: &std::path::Path) -> assert_cmd::Command {
    let mut c = ng(&tmp.join("unused"));
    c.arg("train").arg("--corpus").arg(bbc());
    c
}

#[test]
fn the_shipped_weights_are_what_train_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("weights.bin");
    let mut c = train(tmp.path());
    c.args(["--gold", "tests/gold", "--gold", "tests/synthetic", "--out"])
        .arg(&out);
    ok(c);
    let made = std::fs::read(&out).unwrap();
    let shipped = std::fs::read(repo("src/extract/tagger/weights.bin")).unwrap();
    assert!(
        made == shipped,
        "src/extract/tagger/weights.bin is stale ({} bytes; train made {}): \
         run `newsgraph train --gold tests/gold --gold tests/synthetic` and commit it",
        shipped.len(),
        made.len()
    );
}

#[test]
fn train_refuses_the_held_out_set_and_a_dev_set_it_trains_on() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("w.bin");
    let mut c = train(tmp.path());
    c.args(["--gold", "tests/heldout", "--out"]).arg(&out);
    let (code, err) = fails(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("held-out set"), "{err}");
    let mut c = train(tmp.path());
    c.args([
        "--gold",
        "tests/synthetic",
        "--dev",
        "tests/synthetic",
        "--out",
    ])
    .arg(&out);
    let (code, err) = fails(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("never trained on"), "{err}");
    assert!(!out.exists(), "nothing written on refusal");
}

#[test]
fn train_names_the_bad_line_of_a_silver_file() {
    let tmp = tempfile::tempdir().unwrap();
    let silver = tmp.path().join("s.jsonl");
    std::fs::write(
        &silver,
        "{\"format\":\"newsgraph-silver/1\"}\n{\"id\":\"bbc-tech-001\",\"ents\":[[0,3,\"ORG\"]]}\n{\"id\":\"bbc-tech-002\",\"ents\":[[0,3]]}\n",
    )
    .unwrap();
    let mut c = train(tmp.path());
    c.arg("--silver")
        .arg(&silver)
        .arg("--out")
        .arg(tmp.path().join("w.bin"));
    let (code, err) = fails(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("s.jsonl:3:"), "{err}");
}

#[test]
fn eval_with_other_weights_reads_them_or_names_the_bad_file() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.bin");
    std::fs::write(&bad, b"not weights").unwrap();
    let mut c = ng(&tmp.path().join("unused"));
    c.args(["eval", "--gold", "tests/synthetic", "--weights"])
        .arg(&bad);
    let (code, err) = fails(c);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("bad.bin") && err.contains("newsgraph train"),
        "{err}"
    );
    // The shipped weights given as a file score exactly as the built-in ones.
    let mut c = ng(&tmp.path().join("unused"));
    c.args([
        "eval",
        "--gold",
        "tests/synthetic",
        "--format",
        "json",
        "--weights",
    ])
    .arg(repo("src/extract/tagger/weights.bin"));
    let from_file = ok(c);
    let mut c = ng(&tmp.path().join("unused"));
    c.args(["eval", "--gold", "tests/synthetic", "--format", "json"]);
    assert_eq!(from_file, ok(c));
}
