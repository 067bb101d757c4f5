//! `newsgraph graphs`: the named graphs of the store. Entry point: [`run`].

use std::io::Write;

use anyhow::Context;

use super::{Global, Outcome};

/// List the named graphs in the store.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: Args, global: &Global) -> anyhow::Result<Outcome> {
    let store = global.open_store()?;
    let mut out = std::io::stdout().lock();
    for g in store.graphs()? {
        writeln!(out, "{g}").context("cannot write the graph list")?;
    }
    Ok(Outcome::Done)
}
