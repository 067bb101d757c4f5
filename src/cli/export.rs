//! `newsgraph export`: the graph as RDF. Entry point: [`run`].

use std::path::PathBuf;

use anyhow::Context;
use oxigraph::model::NamedNode;

use newsgraph::store::ExportFormat;

use super::{output, Global, InputError, Outcome};

/// Export the graph as RDF.
///
/// Without --graph, triple formats (turtle, ntriples, rdfxml) get the data of every
/// article and link graph; dataset formats (nquads, trig, jsonld) get every graph. The
/// export is streamed graph by graph, so its memory does not grow with the store.
#[derive(clap::Args)]
pub struct Args {
    /// turtle, ntriples, nquads, trig, rdfxml or jsonld.
    #[arg(long, default_value = "turtle")]
    format: ExportFormat,
    /// Export only this named graph (an article's IRI; see `newsgraph graphs`).
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let graph = args
        .graph
        .map(|g| {
            NamedNode::new(g.trim_matches(['<', '>']))
                .map_err(|e| InputError(format!("--graph {g:?} is not an IRI: {e}")))
        })
        .transpose()?;
    let store = global.open_store()?;
    let mut out = output(&args.output)?;
    store.export(args.format, graph.as_ref(), &mut out)?;
    out.flush().context("cannot write the export")?;
    Ok(Outcome::Done)
}
