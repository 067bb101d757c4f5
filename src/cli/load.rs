//! `newsgraph load`: facts files into the store. Entry point: [`run`].

use std::path::PathBuf;

use newsgraph::load::load_facts_files;

use super::{load_shapes, note_summary, Global, Outcome};

/// Load facts files (JSON, see `newsgraph schema`); each replaces its article's graph.
///
/// Every file is read and checked first: if any is invalid, nothing is loaded.
#[derive(clap::Args)]
pub struct Args {
    /// Facts JSON files.
    #[arg(required = true, value_name = "FACTS.json")]
    files: Vec<PathBuf>,
    /// Skip SHACL validation of each article graph before loading.
    #[arg(long)]
    no_validate: bool,
    /// SHACL shapes (Turtle) to validate against. Default: the bundled ontology/shapes.ttl.
    #[arg(long, value_name = "FILE")]
    shapes: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let shapes = if args.no_validate {
        None
    } else {
        Some(load_shapes(&args.shapes)?)
    };
    let store = global.open_store()?;
    let report = load_facts_files(&store, &args.files, &global.base, shapes.as_ref())?;
    note_summary(report.summary);
    eprintln!(
        "loaded {} article graph(s) ({} quads), {} unchanged, into {}",
        report.written.len(),
        report.quads,
        report.unchanged.len(),
        store.path().display()
    );
    Ok(Outcome::Done)
}
