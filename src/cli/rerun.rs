//! `sohoa rerun`.

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct RerunArgs {}

pub fn execute(args: RerunArgs) -> anyhow::Result<Exit> {
    let _ = args;
    anyhow::bail!("sohoa rerun is not built yet")
}
