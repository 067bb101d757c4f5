//! The peer for load speed: Oxigraph's own bulk loader (the code path of `oxigraph load`)
//! loading an N-Quads file into a new RocksDB store. Prints one JSON line.
//!
//! `cargo run --example oxigraph_bulk_load -- NEW_STORE_DIR FILE.nq`

use std::time::Instant;

use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, file] = args.as_slice() else {
        return Err("usage: oxigraph_bulk_load NEW_STORE_DIR FILE.nq".into());
    };
    let start = Instant::now();
    let store = Store::open(dir)?;
    let mut loader = store.bulk_loader();
    loader.load_from_reader(RdfFormat::NQuads, std::fs::File::open(file)?)?;
    loader.commit()?;
    let quads = store.len()?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"quads\": {quads}, \"seconds\": {secs:.3}, \"quads_per_s\": {:.0}}}",
        quads as f64 / secs
    );
    Ok(())
}
