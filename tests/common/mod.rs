//! Helpers shared by the integration tests: run the real binary on temp stores.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;

pub mod browser;
pub mod servers;

pub const SEED_FACTS: &str = "seeds/000_43bfa79b2a45682c.facts.json";
pub const SEED_TEXT: &str = "seeds/000_43bfa79b2a45682c.txt";

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The newsgraph binary with a private store and no environment leaking in.
pub fn ng(store: &Path) -> Command {
    let mut c = Command::cargo_bin("newsgraph").expect("binary built");
    c.env_remove("NEWSGRAPH_STORE")
        .env_remove("NEWSGRAPH_BASE")
        .arg("--store")
        .arg(store)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// The BBC corpus: $NEWSGRAPH_BBC, else ../shared/corpus/bbc beside the repo.
pub fn bbc() -> PathBuf {
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

/// Starts `newsgraph serve` on a free loopback port (stopping after `max_requests` when
/// given); returns the child, once it holds the store, and the endpoint URL.
pub fn serve(store: &Path, max_requests: Option<usize>) -> (Child, String) {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("newsgraph"));
    cmd.arg("--store")
        .arg(store)
        .args(["serve", "--listen", "127.0.0.1:0"]);
    if let Some(n) = max_requests {
        cmd.args(["--max-requests", &n.to_string()]);
    }
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("serve announces its address")
        .to_owned();
    (child, url)
}

/// Runs a command that must succeed and returns its stdout.
pub fn ok(mut c: Command) -> String {
    let out = c.output().expect("runs");
    assert!(
        out.status.success(),
        "command failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs a command that must fail; returns (exit code, stderr).
pub fn fails(mut c: Command) -> (i32, String) {
    let out = c.output().expect("runs");
    assert!(!out.status.success(), "command should have failed");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Loads the seed facts into a fresh store under `tmp` and returns the store path.
pub fn seeded_store(tmp: &Path) -> PathBuf {
    let store = tmp.join("store");
    let mut c = ng(&store);
    c.arg("load").arg(repo(SEED_FACTS));
    ok(c);
    store
}

/// `ingest --quiet PATHS...`, which must succeed; returns its standard error (the summary line
/// and notes).
pub fn ingest(store: &Path, paths: &[PathBuf]) -> String {
    let mut c = ng(store);
    c.arg("ingest").args(paths).arg("--quiet");
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a query file with CSV output and returns the rows (header first).
pub fn query_csv(store: &Path, file: &str) -> Vec<Vec<String>> {
    let mut c = ng(store);
    c.args(["query", file, "--format", "csv"]);
    parse_csv(&ok(c))
}

/// Runs query text (`query --query`) with CSV output and returns the rows (header first).
pub fn query_text_csv(store: &Path, text: &str) -> Vec<Vec<String>> {
    let mut c = ng(store);
    c.args(["query", "--format", "csv", "--query", text]);
    parse_csv(&ok(c))
}

/// Runs a query file with one `--bind NAME=VALUE` and CSV output; returns the rows (header
/// first).
pub fn query_bound_csv(store: &Path, file: &str, binding: &str) -> Vec<Vec<String>> {
    let mut c = ng(store);
    c.args(["query", file, "--format", "csv", "--bind", binding]);
    parse_csv(&ok(c))
}

/// Runs a scoped query file (a `# Scope:` line) over the whole store: `query --all`.
pub fn query_all_csv(store: &Path, file: &str) -> Vec<Vec<String>> {
    let mut c = ng(store);
    c.args(["query", file, "--all", "--format", "csv"]);
    parse_csv(&ok(c))
}

/// `newsgraph stats --json` of a store.
pub fn stats(store: &Path) -> serde_json::Value {
    let mut c = ng(store);
    c.args(["stats", "--json"]);
    serde_json::from_str(&ok(c)).expect("stats --json is JSON")
}

/// Full N-Quads dump of a store, for before/after comparisons.
pub fn dump(store: &Path) -> String {
    let mut c = ng(store);
    c.args(["export", "--format", "nquads"]);
    ok(c)
}

/// The summary graph of a store as sorted N-Quads.
pub fn summary_nquads(store: &Path) -> String {
    let mut c = ng(store);
    c.args([
        "export",
        "--format",
        "nquads",
        "--graph",
        "https://w3id.org/newsgraph/ns/summary",
    ]);
    ok(c)
}

/// The Python interpreter with rdflib and pySHACL (and PyPI oxigraph's `oxigraph` command beside
/// it, for the push tests): $NEWSGRAPH_PYTHON, else a venv that the
/// tests make on first use under the target dir (`python3 -m venv` + `pip install -r
/// tests/requirements.txt`), behind a file lock so that parallel tests and test processes do
/// not race. A machine that cannot make it fails the test with what to install: never a pass.
pub fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    if let Some(p) = std::env::var_os("NEWSGRAPH_PYTHON") {
        return PathBuf::from(p);
    }
    match PYTHON.get_or_init(make_venv) {
        Ok(p) => p.clone(),
        Err(e) => panic!(
            "this test needs Python with rdflib and pySHACL, and could not set it up: {e}\n\
             Note: install python3 with venv (Debian: apt-get install python3-venv) and let pip \
             reach PyPI, or set NEWSGRAPH_PYTHON to a Python that has rdflib and pyshacl"
        ),
    }
}

/// Runs a Python script (`python -c`) with `args` in the tests' venv; it must succeed. Its
/// stdout.
pub fn python_stdout(script: &str, args: &[PathBuf]) -> String {
    let out = StdCommand::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn make_venv() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-venv");
    let python = dir.join("bin/python");
    let ready = || {
        dir.join("bin/oxigraph").exists()
            && StdCommand::new(&python)
                .args(["-c", "import rdflib, pyshacl, networkx"])
                .output()
                .is_ok_and(|o| o.status.success())
    };
    if ready() {
        return Ok(python);
    }
    std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR")).map_err(|e| e.to_string())?;
    let lock =
        std::fs::File::create(Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-venv.lock"))
            .map_err(|e| format!("cannot create the venv lock: {e}"))?;
    lock.lock()
        .map_err(|e| format!("cannot take the venv lock: {e}"))?;
    if ready() {
        return Ok(python);
    }
    let run = |c: &mut StdCommand, what: &str| -> Result<(), String> {
        let o = c.output().map_err(|e| format!("{what}: {e}"))?;
        if o.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    run(
        StdCommand::new("python3").arg("-m").arg("venv").arg(&dir),
        "python3 -m venv",
    )?;
    run(
        StdCommand::new(&python)
            .args(["-m", "pip", "install", "-q", "-r"])
            .arg(repo("tests/requirements.txt")),
        "pip install -r tests/requirements.txt",
    )?;
    if ready() {
        Ok(python)
    } else {
        Err(
            "the venv was made but does not import rdflib and pyshacl, or lacks bin/oxigraph"
                .into(),
        )
    }
}

/// A small CSV reader for SPARQL CSV results (RFC 4180 quoting).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
