//! `newsgraph serve`: a query-only SPARQL endpoint over the store. Entry point: [`run`].

use std::time::Duration;

use anyhow::Context;

use super::{Global, Outcome};

/// Serve the store as a SPARQL endpoint (query only) at http://ADDR/query.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
    listen: String,
    /// Stop after answering N requests (for scripts and tests).
    #[arg(long, value_name = "N")]
    max_requests: Option<usize>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let store = global.open_store()?;
    let listener = std::net::TcpListener::bind(&args.listen)
        .with_context(|| format!("cannot listen on {}; is the port in use?", args.listen))?;
    eprintln!("listening on http://{}/query", listener.local_addr()?);
    newsgraph::serve::serve(
        &store,
        &listener,
        args.max_requests,
        Duration::from_secs(30),
    )
    .context("the server stopped")?;
    Ok(Outcome::Done)
}
