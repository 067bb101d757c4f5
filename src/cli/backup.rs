//! `newsgraph backup`: a consistent copy of the store. Entry point: [`run`].

use std::path::PathBuf;

use super::{Global, InputError, Outcome};

/// Copy the store to a new directory (consistent snapshot); query the copy while the
/// original is being written.
#[derive(clap::Args)]
pub struct Args {
    /// Target directory; must not exist.
    target: PathBuf,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<Outcome> {
    if args.target.exists() {
        return Err(InputError(format!(
            "{} exists; give a new directory for the backup",
            args.target.display()
        ))
        .into());
    }
    let store = global.open_store()?;
    store.backup(&args.target)?;
    eprintln!(
        "backed up {} to {}",
        store.path().display(),
        args.target.display()
    );
    Ok(Outcome::Done)
}
