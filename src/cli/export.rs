//! `newsgraph export`: the graph as RDF, or its meeting network for graph tools. Entry point:
//! [`run`].

use std::path::PathBuf;

use anyhow::Context;
use oxigraph::model::NamedNode;

use newsgraph::network::{Network, NetworkFormat};
use newsgraph::store::ExportFormat;

use super::{output, Global, InputError, Outcome};

/// Export the graph as RDF, or the meeting network for graph tools (--network).
///
/// Without --graph, triple formats (turtle, ntriples, rdfxml) get the data of every
/// article and link graph; dataset formats (nquads, trig, jsonld) get every graph. The
/// export is streamed graph by graph, so its memory does not grow with the store.
///
/// --network writes the persons and organisations that took part in the same meetings,
/// talks, visits, calls and briefings (nodes with kind and article count; edges with event and article
/// counts and first/last dates), from the summary graph (queries/network.rq): graphml for
/// networkx and Cytoscape, gexf for Gephi, csv for an edge list with both ends described.
#[derive(clap::Args)]
pub struct Args {
    /// turtle, ntriples, nquads, trig, rdfxml or jsonld.
    #[arg(long, default_value = "turtle", conflicts_with = "network")]
    format: ExportFormat,
    /// Export only this named graph (an article's IRI; see `newsgraph graphs`).
    #[arg(long, value_name = "IRI", conflicts_with = "network")]
    graph: Option<String>,
    /// Write the meeting network instead of RDF: graphml, gexf or csv.
    #[arg(long, value_name = "FORMAT")]
    network: Option<NetworkFormat>,
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
    if let Some(format) = args.network {
        Network::read(&store)?.write(format, &mut out)?;
        out.flush().context("cannot write the network")?;
        return Ok(Outcome::Done);
    }
    store.export(args.format, graph.as_ref(), &mut out)?;
    out.flush().context("cannot write the export")?;
    Ok(Outcome::Done)
}
