//! `newsgraph optimize`: compact the store now. Entry point: [`run`].

use super::{Global, Outcome};

/// Compact the store now. After a large bulk ingest RocksDB still has to merge the files it
/// was given, and until it has, queries are slower (and share the CPU with that merging);
/// this does the merging at once. Can take minutes on a store of 100,000 articles.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: Args, global: &Global) -> anyhow::Result<Outcome> {
    let store = global.open_store()?;
    let started = std::time::Instant::now();
    store.optimize()?;
    eprintln!(
        "optimized {} in {:.2} s",
        store.path().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Done)
}
