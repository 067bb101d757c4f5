//! `newsgraph validate`: facts files or the store's article graphs against the shapes.
//! Entry point: [`run`].

use std::path::PathBuf;

use anyhow::Context;
use newsgraph::shacl::ReportFormat;

use super::{load_shapes, output, Global, InputError, Outcome};

/// Validate facts files, or (without files) every article graph in the store, against the
/// SHACL shapes. Exit code 0 when everything conforms, 7 when something does not.
#[derive(clap::Args)]
pub struct Args {
    /// Facts JSON files. Without any, the store's article graphs are validated.
    #[arg(value_name = "FACTS.json")]
    files: Vec<PathBuf>,
    /// SHACL shapes (Turtle). Default: the bundled ontology/shapes.ttl.
    #[arg(long, value_name = "FILE")]
    shapes: Option<PathBuf>,
    /// table, json, or turtle (a sh:ValidationReport).
    #[arg(long, default_value = "table")]
    format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    if !args.files.is_empty() && global.store.is_some() {
        return Err(InputError(
            "give either --store (validate its article graphs) or facts files, not both".into(),
        )
        .into());
    }
    let shapes = load_shapes(&args.shapes)?;
    let report = if args.files.is_empty() {
        let store = global.open_store()?;
        newsgraph::validate::validate_store(&store, &shapes)?
    } else {
        newsgraph::validate::validate_facts_files(&shapes, &args.files, &global.base)?
    };
    let mut out = output(&args.output)?;
    report
        .write(args.format, &mut out)
        .and_then(|_| out.flush())
        .context("cannot write the validation report")?;
    if !report.conforms() {
        return Ok(Outcome::NotConforming(report.summary()));
    }
    eprintln!("{}", report.summary());
    Ok(Outcome::Done)
}
