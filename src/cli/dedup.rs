//! `sohoa dedup`.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct DedupArgs {}

pub fn execute(args: DedupArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("sohoa dedup is not built yet")
}
