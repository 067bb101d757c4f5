//! Latency of every query file on a store: each runs RUNS times (after one warm-up) with its
//! results serialised as CSV into memory; prints `label<TAB>result bytes<TAB>median ms<TAB>max
//! ms`. A run slower than one second is not repeated, and a run past TIMEOUT seconds (default
//! 30) is cancelled and reported as such.
//!
//! A scoped query (a `# Scope:` line) runs once per given binding of one of its scope
//! variables, labelled `file --bind NAME=VALUE`; with none given it runs over the whole store,
//! labelled `file --all`.
//!
//! `cargo run --example query_latency -- STORE_DIR queries/ 5 30 'name=Tony Blair'` (or one
//! `.rq` file instead of the folder; bindings as `newsgraph query --bind` takes them).

use std::path::PathBuf;
use std::time::Instant;

use newsgraph::store::{parse_binding, NewsStore, QueryOptions, ResultFormat, Scope};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (store, dir, runs, timeout, bindings) = match args.as_slice() {
        [s, d] => (s, d, 5, 30.0, &[][..]),
        [s, d, r] => (s, d, r.parse()?, 30.0, &[][..]),
        [s, d, r, t, b @ ..] => (s, d, r.parse()?, t.parse::<f64>()?, b),
        _ => return Err(
            "usage: query_latency STORE_DIR QUERIES_DIR|FILE.rq [RUNS] [TIMEOUT] [NAME=VALUE...]"
                .into(),
        ),
    };
    let bindings = bindings
        .iter()
        .map(|b| Ok((b.clone(), parse_binding(b)?)))
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
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
        let opts = QueryOptions {
            timeout: Some(std::time::Duration::from_secs_f64(timeout)),
            ..QueryOptions::default()
        };
        let scope = Scope::of_query(&text)?;
        let mut runs_of: Vec<(String, QueryOptions)> = bindings
            .iter()
            .filter(|(_, (var, _))| scope.variables.contains(var))
            .map(|(arg, b)| {
                let o = QueryOptions {
                    bindings: vec![b.clone()],
                    ..opts.clone()
                };
                (format!("{name} --bind {arg}"), o)
            })
            .collect();
        if runs_of.is_empty() {
            let all = !scope.variables.is_empty();
            let label = if all { format!("{name} --all") } else { name };
            runs_of.push((label, QueryOptions { all, ..opts }));
        }
        for (label, opts) in runs_of {
            measure(&store, &text, &label, &opts, runs);
        }
    }
    Ok(())
}

fn measure(store: &NewsStore, text: &str, label: &str, opts: &QueryOptions, runs: usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..=runs {
        let mut out = Vec::new();
        let start = Instant::now();
        if let Err(e) = store.run_query(text, label, opts, ResultFormat::Csv, &mut out) {
            let e = e.to_string();
            println!("{label}\t-\t-\t-\t{}", e.lines().next().unwrap_or(""));
            return;
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        bytes = out.len();
        std::hint::black_box(out);
        if ms > 1000.0 {
            break;
        }
    }
    if times.len() > 1 {
        times.remove(0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{label}\t{bytes}\t{:.1}\t{:.1}",
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
