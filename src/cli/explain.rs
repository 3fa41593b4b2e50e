//! `sohoa explain`.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {}

pub fn execute(args: ExplainArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("sohoa explain is not built yet")
}
