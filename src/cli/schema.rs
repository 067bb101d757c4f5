//! `newsgraph schema`: the JSON Schema of the facts format. Entry point: [`run`].

use super::Outcome;

/// Print the JSON Schema of the facts format.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> anyhow::Result<Outcome> {
    print!("{}", newsgraph::facts::json_schema());
    Ok(Outcome::Done)
}
