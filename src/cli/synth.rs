//! `sohoa synth`.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct SynthArgs {}

pub fn execute(args: SynthArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("sohoa synth is not built yet")
}
