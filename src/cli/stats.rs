//! `newsgraph stats`: counts of the store. Entry point: [`run`].

use super::{Global, Outcome};

/// Print counts: articles, quads, data triples, persons, organisations, places, events.
#[derive(clap::Args)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    let store = global.open_store()?;
    let s = store.stats()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        println!("store          {}", store.path().display());
        println!("articles       {}", s.articles);
        println!("quads          {}", s.quads);
        println!("data triples   {}", s.data_triples);
        println!("persons        {}", s.persons);
        println!("organisations  {}", s.organisations);
        println!("places         {}", s.places);
        println!("events         {}", s.events);
        println!("post holdings  {}", s.post_holdings);
    }
    Ok(Outcome::Done)
}
