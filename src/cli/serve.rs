//! `newsgraph serve`: the web pages and a query-only SPARQL endpoint over the store. Entry
//! point: [`run`].

use std::time::Duration;

use anyhow::Context;

use super::{Global, Outcome};

/// Serve the store: web pages at http://ADDR/ and a SPARQL endpoint (query only) at
/// http://ADDR/query.
///
/// The pages (start page with the store's figures and a search box, entity pages, article
/// pages with their evidence highlighted, a timeline) are server-rendered HTML that work
/// without JavaScript; each is a query of queries/pages/. The store is read-only while it is
/// served. Stop the server with Ctrl-C.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on. Keep it on loopback (127.0.0.1 or [::1]) unless everyone who can
    /// reach the port may read the whole store.
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
    listen: String,
    /// Stop after answering N requests (for scripts and tests).
    #[arg(long, value_name = "N")]
    max_requests: Option<usize>,
    /// Requests handled at once; more wait in a queue of 64, then in the kernel's backlog.
    #[arg(long, default_value_t = 4, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=256))]
    workers: usize,
    /// Cancel a /query request after SECONDS.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = super::parse_seconds)]
    timeout: Duration,
    /// Refuse a /query result of more than N rows (or triples).
    #[arg(long, default_value_t = 10_000, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_rows: usize,
    /// Refuse a request body (a POSTed query) larger than BYTES.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_body: usize,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let store = global.open_store()?;
    let listener = std::net::TcpListener::bind(&args.listen).with_context(|| {
        format!(
            "cannot listen on {}; is the port in use? (--listen 127.0.0.1:0 takes a free one)",
            args.listen
        )
    })?;
    let addr = listener.local_addr()?;
    let limits = newsgraph::serve::Limits {
        workers: args.workers,
        query_timeout: args.timeout,
        max_rows: args.max_rows,
        max_body: args.max_body,
        ..Default::default()
    };
    let site = newsgraph::web::Site::new(&store);
    site.warm()
        .context("cannot read the store for the pages (its search index)")?;
    // One write, so that a reader that takes the first line and closes the pipe (a script
    // waiting for the address) has had all of it.
    let mut announce = format!("listening on http://{addr}/query\npages at http://{addr}/\n");
    if !addr.ip().is_loopback() {
        announce.push_str(&format!(
            "warning: {addr} is not a loopback address: anyone who can reach this port can read \
             the whole store (read-only). Note: --listen 127.0.0.1:{} keeps it on this machine.\n",
            addr.port()
        ));
    }
    eprint!("{announce}");
    newsgraph::serve::serve(&site, &listener, args.max_requests, &limits)
        .context("the server stopped")?;
    Ok(Outcome::Done)
}
