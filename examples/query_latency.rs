//! Latency of every query file on a store: each runs RUNS times (after one warm-up) with its
//! results serialised as CSV into memory; prints `file<TAB>result bytes<TAB>median ms<TAB>max ms`.
//! A run slower than one second is not repeated, and a run past TIMEOUT seconds (default 30)
//! is cancelled and reported as such.
//!
//! `cargo run --example query_latency -- STORE_DIR queries/ 5 30` (or one `.rq` file instead
//! of the folder).

use std::path::PathBuf;
use std::time::Instant;

use newsgraph::store::{NewsStore, QueryOptions, ResultFormat};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (store, dir, runs, timeout) = match args.as_slice() {
        [s, d] => (s, d, 5, 30.0),
        [s, d, r] => (s, d, r.parse()?, 30.0),
        [s, d, r, t] => (s, d, r.parse()?, t.parse::<f64>()?),
        _ => {
            return Err(
                "usage: query_latency STORE_DIR QUERIES_DIR|FILE.rq [RUNS] [TIMEOUT]".into(),
            )
        }
    };
    let opts = QueryOptions {
        timeout: Some(std::time::Duration::from_secs_f64(timeout)),
        ..QueryOptions::default()
    };
    let store = NewsStore::open(&PathBuf::from(store))?;
    let dir = PathBuf::from(dir);
    let mut files: Vec<PathBuf> = if dir.is_file() {
        vec![dir]
    } else {
        std::fs::read_dir(&dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?
    };
    files.retain(|f| f.extension().is_some_and(|e| e == "rq"));
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut times = Vec::new();
        let mut bytes = 0;
        let mut failed = None;
        for _ in 0..=runs {
            let mut out = Vec::new();
            let start = Instant::now();
            if let Err(e) = store.run_query(&text, &name, &opts, ResultFormat::Csv, &mut out) {
                failed = Some(e.to_string());
                break;
            }
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            bytes = out.len();
            std::hint::black_box(out);
            if ms > 1000.0 {
                break;
            }
        }
        match failed {
            Some(e) => println!("{name}\t-\t-\t-\t{}", e.lines().next().unwrap_or("")),
            None => {
                if times.len() > 1 {
                    times.remove(0);
                }
                times.sort_by(f64::total_cmp);
                println!(
                    "{name}\t{bytes}\t{:.1}\t{:.1}",
                    times[times.len() / 2],
                    times[times.len() - 1]
                );
            }
        }
    }
    Ok(())
}
