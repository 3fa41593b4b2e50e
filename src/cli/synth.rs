//! `sohoa synth`: renders synthetic register pages with their truth.
//!
//! ```text
//! sohoa synth --out set --books 4 --pages 3 --seed 1
//! sohoa synth --out set-worn --books 4 --pages 15 --profile degraded --seed 2
//! sohoa synth --out set-tinos --books 2 --pages 15 --seed 3 \
//!     --label-font croscore/Tinos-Regular.ttf,croscore/Tinos-Bold.ttf --value-font croscore/Tinos-Regular.ttf
//! sohoa synth --out set-held-out --books 4 --pages 15 --seed 4 --edition my-form.toml
//! ```
//!
//! Writes `set/scans/<book_id>/` (`book.toml` and page images: PNG, some JPEG when degraded,
//! one book in three as a multi-page TIFF), `set/truth.csv` (one row per entry, values as
//! sohoa's outputs normalise them) and `set/synth.toml` (what made the set). The same seed
//! gives the same set.

use super::Exit;
use crate::schema::Schemas;
use crate::synth::{generate, Profile, SynthOptions};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// Folder of the set (created; an earlier synth set there is replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of books.
    #[arg(long, default_value_t = 4)]
    pub books: u32,
    /// Pages per book.
    #[arg(long, default_value_t = 3)]
    pub pages: u32,
    /// clean (straight, crisp, white) or degraded (skew, blur, noise, stains, faded ink, JPEG).
    #[arg(long, default_value = "clean", value_parser = parse_profile)]
    pub profile: Profile,
    /// Random seed: the same seed makes the same set.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Scan resolution in dots per inch (A4 at 200 dpi is 1654 x 2339 pixels).
    #[arg(long, default_value_t = 200)]
    pub dpi: u32,
    /// Label and heading face instead of the built-in ones, as REGULAR or REGULAR,BOLD
    /// (TrueType files; relative to /usr/share/fonts/truetype). Repeat for several.
    #[arg(long = "label-font", value_name = "REGULAR[,BOLD]")]
    pub label_fonts: Vec<String>,
    /// Face the values are typed in instead of the built-in ones (TrueType file; relative to
    /// /usr/share/fonts/truetype). Repeat for several; each book draws one.
    #[arg(long = "value-font", value_name = "FILE")]
    pub value_fonts: Vec<PathBuf>,
    /// Print the books with this form edition (a TOML file laid out as those in
    /// schemas/editions) instead of the schemas' ones. Repeat for several; books take them in
    /// turn.
    #[arg(long = "edition", value_name = "FILE")]
    pub editions: Vec<PathBuf>,
    /// Schemas folder (default: ./schemas, else the one the binary was built with).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse()
        .map_err(|e: crate::synth::SynthError| e.to_string())
}

pub fn execute(args: SynthArgs) -> anyhow::Result<Exit> {
    let dir = Schemas::locate(args.schemas.as_deref());
    let schemas = Schemas::load(&dir)
        .with_context(|| format!("cannot load the schemas from {}", dir.display()))?;
    let mut opts = SynthOptions::new(&args.out, args.books, args.pages);
    opts.profile = args.profile;
    opts.seed = args.seed;
    opts.dpi = args.dpi;
    opts.fonts.values = args.value_fonts.clone();
    opts.editions = crate::synth::read_editions(&args.editions, &schemas)?;
    opts.fonts.labels = args
        .label_fonts
        .iter()
        .map(|pair| match pair.split_once(',') {
            Some((regular, bold)) => (PathBuf::from(regular), PathBuf::from(bold)),
            None => (PathBuf::from(pair), PathBuf::from(pair)),
        })
        .collect();
    let summary = generate(&opts, &schemas)
        .with_context(|| format!("cannot make the synthetic set in {}", args.out.display()))?;
    let secs = summary.elapsed.as_secs_f64();
    println!(
        "{} books, {} pages, {} entries ({} profile) in {:.1} s ({:.2} s/page)",
        summary.books.len(),
        summary.pages,
        summary.entries,
        opts.profile,
        secs,
        secs / summary.pages.max(1) as f64
    );
    println!("scans: {}", summary.scans.display());
    println!("truth: {}", summary.truth.display());
    Ok(Exit::Ok)
}
