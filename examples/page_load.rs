//! Latency of the web pages of a running `newsgraph serve`, and a bounded load test.
//!
//! `cargo run --example page_load -- http://127.0.0.1:7878 RUNS CLIENTS REQUESTS PATH...`
//!
//! First each PATH is fetched RUNS times in a row (after one warm-up): prints
//! `path<TAB>bytes<TAB>median ms<TAB>max ms`. Then CLIENTS threads share REQUESTS requests,
//! cycling through the paths, each on its own connection: prints the count, errors (any
//! status but 200, or a failed connection), requests/s, p50 and p99 in ms. Exits non-zero
//! if any request failed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One GET on a new connection: (status, body bytes).
fn get(addr: &str, path: &str) -> Result<(u16, usize), String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).map_err(|e| format!("read: {e}"))?;
    let head_end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no response head")?;
    let status = std::str::from_utf8(&out[..head_end])
        .ok()
        .and_then(|h| h.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok((status, out.len() - head_end - 4))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, runs, clients, requests, paths @ ..] = args.as_slice() else {
        return Err("usage: page_load BASE_URL RUNS CLIENTS REQUESTS PATH...".into());
    };
    if paths.is_empty() {
        return Err("give at least one PATH".into());
    }
    let addr = base.trim_start_matches("http://").trim_end_matches('/');
    let runs: usize = runs.parse()?;
    let clients: usize = clients.parse()?;
    let requests: usize = requests.parse()?;

    println!("path\tbytes\tmedian ms\tmax ms");
    for path in paths {
        let (status, _) = get(addr, path)?;
        if status != 200 {
            return Err(format!("{path}: status {status}").into());
        }
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let (status, n) = get(addr, path)?;
            times.push(t.elapsed());
            if status != 200 {
                return Err(format!("{path}: status {status}").into());
            }
            bytes = n;
        }
        times.sort();
        println!(
            "{path}\t{bytes}\t{:.1}\t{:.1}",
            ms(quantile(&times, 0.5)),
            ms(*times.last().unwrap())
        );
    }

    let next = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let first_error = Mutex::new(None::<String>);
    let times = Mutex::new(Vec::with_capacity(requests));
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let path = &paths[i % paths.len()];
                    let t = Instant::now();
                    match get(addr, path) {
                        Ok((200, _)) => mine.push(t.elapsed()),
                        other => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            let mut f = first_error.lock().unwrap();
                            f.get_or_insert_with(|| format!("{path}: {other:?}"));
                        }
                    }
                }
                times.lock().unwrap().extend(mine);
            });
        }
    });
    let wall = start.elapsed();
    let mut times = times.into_inner()?;
    times.sort();
    let errors = errors.into_inner();
    println!(
        "load: {requests} requests, {clients} clients, {errors} errors, {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        requests as f64 / wall.as_secs_f64(),
        ms(quantile(&times, 0.5)),
        ms(quantile(&times, 0.99)),
        ms(times.last().copied().unwrap_or_default())
    );
    if let Some(e) = first_error.into_inner()? {
        return Err(format!("{errors} requests failed; the first: {e}").into());
    }
    Ok(())
}
