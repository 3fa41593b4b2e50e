//! `sohoa eval`.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {}

pub fn execute(args: EvalArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("sohoa eval is not built yet")
}
