//! What a store has pushed to one remote: an append-only log in the store directory.
//!
//! Entry point: [`PushState::open`]. One file per remote, `push-state/<key hash>.log`, one line
//! per graph the remote acknowledged: `<graph IRI> TAB <version>`, or `<graph IRI> TAB -` once
//! the graph was deleted there. A line is appended and flushed to disk after the server's
//! success answer and before the graph is counted as done, so a push killed at any point
//! leaves a log that names only graphs the remote holds in that version; a torn last line
//! (no newline) is ignored. The next `push` sends every graph whose version differs from the
//! log's: the ones cut off are sent again (a replace, so nothing is duplicated).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::PushError;

/// The folder of push logs inside a store directory.
pub const STATE_DIR: &str = "push-state";

/// The versions of the graphs one remote holds, as far as this store knows.
pub struct PushState {
    path: PathBuf,
    header: String,
    pushed: HashMap<String, String>,
    lines: usize,
    /// The log ends in a line cut off by a kill: rewritten before anything is appended.
    torn: bool,
    log: Option<File>,
}

impl PushState {
    /// Reads the log of remote `key` (its protocol and URL) in `store_dir`; an absent log is
    /// an empty state. Nothing is written until [`Self::record`].
    pub fn open(store_dir: &Path, key: &str) -> Result<Self, PushError> {
        let hash = crate::rdf::iri::content_hash(&[key]);
        let path = store_dir
            .join(STATE_DIR)
            .join(format!("{}.log", &hash[..16]));
        let mut pushed = HashMap::new();
        let mut lines = 0;
        let mut torn = false;
        match File::open(&path) {
            Ok(f) => {
                let mut reader = BufReader::new(f);
                let mut line = String::new();
                loop {
                    line.clear();
                    let n = reader
                        .read_line(&mut line)
                        .map_err(|source| PushError::State {
                            path: path.clone(),
                            cause: source,
                        })?;
                    // The end, or a last line cut off by a kill: not acknowledged as written.
                    if n == 0 || !line.ends_with('\n') {
                        torn = n > 0;
                        break;
                    }
                    lines += 1;
                    let Some((graph, version)) = line.trim_end_matches('\n').split_once('\t')
                    else {
                        continue; // the header
                    };
                    if version == "-" {
                        pushed.remove(graph);
                    } else {
                        pushed.insert(graph.to_owned(), version.to_owned());
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(cause) => return Err(PushError::State { path, cause }),
        }
        Ok(PushState {
            path,
            header: format!("# newsgraph push log for {key}\n"),
            pushed,
            lines,
            torn,
            log: None,
        })
    }

    /// The version of `graph` the remote holds, if this store pushed it.
    pub fn version(&self, graph: &str) -> Option<&str> {
        self.pushed.get(graph).map(String::as_str)
    }

    /// The graphs this store pushed and did not delete, in IRI order.
    pub fn graphs(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.pushed.keys().map(String::as_str).collect();
        out.sort_unstable();
        out
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records that the remote acknowledged `graph` in `version` (`None`: deleted), on disk
    /// before returning.
    pub fn record(&mut self, graph: &str, version: Option<&str>) -> Result<(), PushError> {
        let err = |cause| PushError::State {
            path: self.path.clone(),
            cause,
        };
        if self.log.is_none() {
            self.log = Some(self.open_log().map_err(err)?);
        }
        let line = format!("{graph}\t{}\n", version.unwrap_or("-"));
        let log = self.log.as_mut().expect("opened above");
        log.write_all(line.as_bytes())
            .and_then(|()| log.sync_data())
            .map_err(err)?;
        self.lines += 1;
        match version {
            Some(v) => self.pushed.insert(graph.to_owned(), v.to_owned()),
            None => self.pushed.remove(graph),
        };
        Ok(())
    }

    /// Opens the log for appending; a log that has grown to over twice its entries is first
    /// rewritten with one line per graph (to a temporary file renamed over it: a kill leaves
    /// the old log or the new one).
    fn open_log(&self) -> std::io::Result<File> {
        let dir = self.path.parent().expect("the log is in a folder");
        std::fs::create_dir_all(dir)?;
        let compact = self.torn || !self.path.exists() || self.lines > 2 * self.pushed.len() + 64;
        if compact {
            let tmp = self.path.with_extension("log.tmp");
            let mut f = File::create(&tmp)?;
            let mut text = self.header.clone();
            let mut entries: Vec<_> = self.pushed.iter().collect();
            entries.sort_unstable();
            for (g, v) in entries {
                text.push_str(&format!("{g}\t{v}\n"));
            }
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            File::open(dir)?.sync_all()?;
        }
        OpenOptions::new().append(true).open(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_the_last_version_and_forgets_deleted_graphs() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = PushState::open(dir.path(), "gsp http://x/store").unwrap();
        s.record("http://g/1", Some("a")).unwrap();
        s.record("http://g/2", Some("b")).unwrap();
        s.record("http://g/1", Some("c")).unwrap();
        s.record("http://g/2", None).unwrap();
        let s = PushState::open(dir.path(), "gsp http://x/store").unwrap();
        assert_eq!(s.version("http://g/1"), Some("c"));
        assert_eq!(s.version("http://g/2"), None);
        assert_eq!(s.graphs(), ["http://g/1"]);
        // Another remote has its own log.
        let other = PushState::open(dir.path(), "update http://x/update").unwrap();
        assert!(other.graphs().is_empty());
    }

    #[test]
    fn a_torn_last_line_is_not_taken_as_pushed() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = PushState::open(dir.path(), "k").unwrap();
        s.record("http://g/1", Some("a")).unwrap();
        let path = s.path().to_owned();
        drop(s);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"http://g/2\tb").unwrap(); // killed before the newline
        drop(f);
        let mut s = PushState::open(dir.path(), "k").unwrap();
        assert_eq!(s.version("http://g/1"), Some("a"));
        assert_eq!(s.version("http://g/2"), None);
        // The next line is not glued to the torn one.
        s.record("http://g/3", Some("c")).unwrap();
        let s = PushState::open(dir.path(), "k").unwrap();
        assert_eq!(s.graphs(), ["http://g/1", "http://g/3"]);
        assert_eq!(s.version("http://g/3"), Some("c"));
    }

    #[test]
    fn a_damaged_log_is_an_error_that_names_it_never_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let s = PushState::open(dir.path(), "k").unwrap();
        let path = s.path().to_owned();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        for bytes in [
            &b"\xff\xfe\n"[..],
            b"no tab here\n\t\n\t-\n",
            b"\n\n",
            b"a\tb\tc\n",
        ] {
            std::fs::write(&path, bytes).unwrap();
            match PushState::open(dir.path(), "k") {
                Ok(s) => assert!(s.graphs().len() <= 1),
                Err(e) => assert!(e.to_string().contains(&path.display().to_string()), "{e}"),
            }
        }
    }

    #[test]
    fn a_grown_log_is_compacted_on_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = PushState::open(dir.path(), "k").unwrap();
        for i in 0..200 {
            s.record("http://g/1", Some(&i.to_string())).unwrap();
        }
        drop(s);
        let mut s = PushState::open(dir.path(), "k").unwrap();
        s.record("http://g/2", Some("x")).unwrap();
        let text = std::fs::read_to_string(s.path()).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}"); // header, g/1, g/2
        let s = PushState::open(dir.path(), "k").unwrap();
        assert_eq!(s.version("http://g/1"), Some("199"));
        assert_eq!(s.version("http://g/2"), Some("x"));
    }
}
