//! `newsgraph link`: the store's entities linked to reference datasets. Entry point: [`run`].

use std::path::PathBuf;

use anyhow::Context;

use newsgraph::link::{
    candidates, curated, link, links_graph, read_mappings, read_reference, LinkOptions,
};

use super::{parse_unit_interval, Global, Outcome};

/// Link the store's persons, organisations and places to reference datasets (Wikidata ids
/// from EveryPolitician CSVs, the Our World in Data country list, RDF files). The links graph
/// is replaced with this run's result: owl:sameAs for confident matches, skos:closeMatch for
/// weaker unambiguous ones; ambiguous ones are only reported.
#[derive(clap::Args)]
pub struct Args {
    /// Reference files: .csv (EveryPolitician layout, or described in --mapping), .ts (OWID
    /// countries), .ttl or .nt. Without any, the curated linkset that ships with newsgraph.
    #[arg(long = "reference", value_name = "FILE")]
    reference: Vec<PathBuf>,
    /// TOML file describing CSV references ([[reference]] file, kind, name_column, ...).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Minimum score for owl:sameAs (0-1).
    #[arg(long, default_value_t = 0.9, value_name = "X", value_parser = parse_unit_interval)]
    threshold: f64,
    /// Also use the curated linkset when --reference is given.
    #[arg(long)]
    with_curated: bool,
    /// Write every decision (JSON) to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let mappings = match &args.mapping {
        Some(m) => read_mappings(m)?,
        None => vec![],
    };
    let mut datasets = Vec::new();
    if args.reference.is_empty() || args.with_curated {
        datasets.push(curated()?);
    }
    for r in &args.reference {
        datasets.push(read_reference(r, &mappings)?);
    }
    let store = global.open_store()?;
    let cands = candidates(&store)?;
    let opts = LinkOptions {
        threshold: args.threshold,
        ..Default::default()
    };
    let (decisions, quads) = link(&cands, &datasets, &opts, &global.base);
    store.replace_links(&links_graph(&global.base), &quads)?;
    if let Some(path) = args.report {
        std::fs::write(&path, serde_json::to_string_pretty(&decisions)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let count = |o: &str| decisions.iter().filter(|d| d.outcome == o).count();
    for d in decisions.iter().filter(|d| d.outcome == "ambiguous") {
        eprintln!(
            "ambiguous: {} ({}) — {} {:.3} vs {} {:.3}; not linked",
            d.name,
            d.kind,
            d.target.as_deref().unwrap_or("?"),
            d.score,
            d.runner_up.as_deref().unwrap_or("?"),
            d.runner_up_score
        );
    }
    eprintln!(
        "linked {} entities (owl:sameAs), {} weak (skos:closeMatch), {} ambiguous, against {} dataset(s)",
        count("same_as"),
        count("close_match"),
        count("ambiguous"),
        datasets.len()
    );
    Ok(Outcome::Done)
}
