//! `sohoa run`.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct RunArgs {}

pub fn execute(args: RunArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("sohoa run is not built yet")
}
