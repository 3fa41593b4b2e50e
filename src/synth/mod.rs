//! Synthetic register pages with known truth, for tests and accuracy measurement (`sohoa synth`).
//!
//! A set is planned first (books, editions, entries: [`book`], [`entry`]), then every page is
//! printed from its edition's data ([`print`], [`fields`]), laid out ([`layout`]), drawn
//! ([`render`]), optionally degraded ([`degrade`]) and written ([`write`]) with its truth rows.
//! Everything random comes from one ChaCha8 seed, and each page draws from its own stream, so a
//! set is the same whatever the number of threads.

pub mod book;
pub mod dates;
pub mod degrade;
pub mod entry;
pub mod fields;
pub mod layout;
pub mod names;
pub mod places;
pub mod print;
pub mod render;
pub mod write;

use crate::schema::{FormEdition, Schemas};
use book::{BookPlan, Storage};
use degrade::{Degradation, DegradeParams};
use image::GrayImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use render::Fonts;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How worn the pages look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Straight, crisp, white paper, PNG.
    #[default]
    Clean,
    /// Skew, blur, noise, uneven paper, stains, faded ink, some JPEG.
    Degraded,
}

impl FromStr for Profile {
    type Err = SynthError;
    fn from_str(s: &str) -> Result<Profile, SynthError> {
        match s {
            "clean" => Ok(Profile::Clean),
            "degraded" => Ok(Profile::Degraded),
            other => Err(SynthError::UnknownProfile(other.to_string())),
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Profile::Clean => "clean",
            Profile::Degraded => "degraded",
        })
    }
}

/// What to make.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// The set's folder: `scans/`, `truth.csv` and `synth.toml` go there.
    pub out: PathBuf,
    pub books: u32,
    /// Pages per book.
    pub pages: u32,
    pub profile: Profile,
    pub seed: u64,
    /// Scan resolution; A4 at 200 dpi is 1654 x 2339 pixels.
    pub dpi: u32,
    /// Folder of the TrueType fonts (see [`render::FONT_DIR`]).
    pub font_dir: PathBuf,
    /// Faces to use instead of the built-in ones.
    pub fonts: render::FontChoice,
    /// Register to make books of.
    pub register: String,
    pub degrade: DegradeParams,
    /// Editions to print the books with instead of the schemas' (files outside `schemas/`,
    /// e.g. a form a test writes to read pages worded as no known edition).
    pub editions: Vec<FormEdition>,
}

impl SynthOptions {
    pub fn new(out: impl Into<PathBuf>, books: u32, pages: u32) -> SynthOptions {
        SynthOptions {
            out: out.into(),
            books,
            pages,
            profile: Profile::Clean,
            seed: 1,
            dpi: 200,
            font_dir: PathBuf::from(render::FONT_DIR),
            fonts: render::FontChoice::default(),
            register: "KS".into(),
            degrade: DegradeParams::default(),
            editions: Vec::new(),
        }
    }
}

/// What was made.
#[derive(Debug, Clone)]
pub struct SynthSummary {
    pub books: Vec<String>,
    pub pages: usize,
    pub entries: usize,
    pub scans: PathBuf,
    pub truth: PathBuf,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("unknown profile \"{0}\": expected clean or degraded")]
    UnknownProfile(String),
    #[error("{0}")]
    InvalidOption(String),
    #[error("register {0} has no schema in the schemas folder")]
    NoRegister(String),
    #[error("register {0} has no form edition in schemas/editions: nothing to print")]
    NoEdition(String),
    #[error("{path}: not a form edition: {message}")]
    BadEdition { path: PathBuf, message: String },
    #[error(transparent)]
    Font(#[from] render::FontError),
    #[error("{0}: holds files that `sohoa synth` did not write (no synth.toml); choose a new or empty folder")]
    NotOurs(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot encode: {message}")]
    Encode { path: PathBuf, message: String },
}

/// Makes a synthetic set: `out/scans/<book_id>/` (book.toml and page images), `out/truth.csv`
/// and `out/synth.toml`. A folder made by an earlier `sohoa synth` is replaced.
pub fn generate(opts: &SynthOptions, schemas: &Schemas) -> Result<SynthSummary, SynthError> {
    let started = Instant::now();
    if opts.books == 0 || opts.pages == 0 {
        return Err(SynthError::InvalidOption(
            "--books and --pages must be at least 1".into(),
        ));
    }
    if !(72..=600).contains(&opts.dpi) {
        return Err(SynthError::InvalidOption(format!(
            "--dpi {} is out of range (72 to 600)",
            opts.dpi
        )));
    }
    let register = schemas
        .register(&opts.register)
        .ok_or_else(|| SynthError::NoRegister(opts.register.clone()))?;
    let editions: Vec<&FormEdition> = if opts.editions.is_empty() {
        schemas.editions_of(&opts.register).collect()
    } else {
        opts.editions
            .iter()
            .filter(|e| e.register == opts.register)
            .collect()
    };
    if editions.is_empty() {
        return Err(SynthError::NoEdition(opts.register.clone()));
    }
    let fonts = Fonts::load_chosen(&opts.font_dir, &opts.fonts)?;
    let scans = prepare_out(&opts.out)?;

    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let plans = book::plan_books_with(
        &mut rng,
        schemas,
        editions,
        opts.books,
        opts.pages,
        fonts.labels.len(),
        fonts.values.len(),
    );

    let mut truth = Vec::new();
    let mut pages = 0;
    for plan in &plans {
        let dir = scans.join(&plan.id);
        std::fs::create_dir_all(&dir).map_err(|source| SynthError::Io {
            path: dir.clone(),
            source,
        })?;
        write::write_book_toml(&dir, plan)?;
        let sheets: Vec<print::PrintedSheet> = plan
            .pages
            .iter()
            .map(|p| print::print_page(plan, p, register, &schemas.codes))
            .collect();
        for (page, sheet) in plan.pages.iter().zip(&sheets) {
            for (i, row) in sheet.truth.iter().enumerate() {
                let mut full = vec![
                    plan.id.clone(),
                    page.number.to_string(),
                    (i + 1).to_string(),
                    register.code.clone(),
                ];
                full.extend(row.iter().cloned());
                truth.push(full);
            }
        }
        render_book(plan, &sheets, &fonts, opts, &dir)?;
        pages += plan.pages.len();
    }

    let keys: Vec<&str> = register.keys().collect();
    let truth_path = opts.out.join("truth.csv");
    write::write_truth(&truth_path, &keys, &truth)?;
    write::write_manifest(&opts.out.join(MANIFEST), &manifest(opts, &plans, &fonts))?;
    Ok(SynthSummary {
        books: plans.iter().map(|p| p.id.clone()).collect(),
        pages,
        entries: truth.len(),
        scans,
        truth: truth_path,
        elapsed: started.elapsed(),
    })
}

const MANIFEST: &str = "synth.toml";

/// Form editions read from files outside `schemas/`, checked against their register.
pub fn read_editions(paths: &[PathBuf], schemas: &Schemas) -> Result<Vec<FormEdition>, SynthError> {
    let mut out = Vec::new();
    for path in paths {
        let bad = |message: String| SynthError::BadEdition {
            path: path.clone(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let edition: FormEdition = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let register = schemas.register(&edition.register).ok_or_else(|| {
            bad(format!(
                "register = \"{}\" names no register",
                edition.register
            ))
        })?;
        let problems = edition.check(register);
        if !problems.is_empty() {
            return Err(bad(problems.join("; ")));
        }
        out.push(edition);
    }
    Ok(out)
}

/// Makes `out/scans` empty: creates it, or clears a set written earlier by `sohoa synth`.
fn prepare_out(out: &Path) -> Result<PathBuf, SynthError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Io { path, source }
    };
    let scans = out.join("scans");
    let has_files = std::fs::read_dir(out)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if has_files {
        if !out.join(MANIFEST).is_file() {
            return Err(SynthError::NotOurs(out.to_path_buf()));
        }
        if scans.exists() {
            std::fs::remove_dir_all(&scans).map_err(io(&scans))?;
        }
    }
    std::fs::create_dir_all(&scans).map_err(io(&scans))?;
    Ok(scans)
}

fn manifest(opts: &SynthOptions, plans: &[BookPlan], fonts: &Fonts) -> write::Manifest {
    write::Manifest {
        generator: format!("sohoa {}", env!("CARGO_PKG_VERSION")),
        seed: opts.seed,
        books: opts.books,
        pages: opts.pages,
        profile: opts.profile.to_string(),
        dpi: opts.dpi,
        book: plans
            .iter()
            .map(|p| write::ManifestBook {
                id: p.id.clone(),
                edition: p.edition.id.clone(),
                storage: match p.storage {
                    Storage::Pages => "pages".into(),
                    Storage::Tiff => "tiff".into(),
                },
                value_font: fonts.value_name(p.style.value_font).to_string(),
                upper_case_names: p.style.upper_case_names,
            })
            .collect(),
    }
}

/// A rendered page and how to store it.
struct RenderedPage {
    image: GrayImage,
    jpeg_quality: Option<u8>,
}

/// Draws one page (and degrades it for the degraded profile).
pub fn render_page(
    plan: &BookPlan,
    page_index: usize,
    sheet: &print::PrintedSheet,
    fonts: &Fonts,
    opts: &SynthOptions,
) -> (GrayImage, Option<u8>) {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.render_seed);
    rng.set_stream(page_index as u64);
    let book_fonts = fonts.for_book(plan.style.label_font, plan.style.value_font);
    let layout = layout::layout_page(&mut rng, &sheet.page, &plan.style, &book_fonts, opts.dpi);
    let clean = render::draw(&layout, &book_fonts);
    match opts.profile {
        Profile::Clean => (clean, None),
        Profile::Degraded => {
            let d = Degradation::random(&mut rng, &opts.degrade);
            let jpeg = (plan.storage == Storage::Pages && rng.gen_bool(opts.degrade.jpeg_share))
                .then(|| rng.gen_range(opts.degrade.jpeg_quality.0..=opts.degrade.jpeg_quality.1));
            (d.apply(&clean), jpeg)
        }
    }
}

fn render_book(
    plan: &BookPlan,
    sheets: &[print::PrintedSheet],
    fonts: &Fonts,
    opts: &SynthOptions,
    dir: &Path,
) -> Result<(), SynthError> {
    let digits = plan.pages.len().to_string().len().max(3);
    let render = |i: usize| -> RenderedPage {
        let (image, jpeg_quality) = render_page(plan, i, &sheets[i], fonts, opts);
        RenderedPage {
            image,
            jpeg_quality,
        }
    };
    match plan.storage {
        Storage::Pages => (0..plan.pages.len()).into_par_iter().try_for_each(|i| {
            let page = render(i);
            let stem = format!("page-{:0digits$}", i + 1);
            match page.jpeg_quality {
                Some(q) => write::write_jpeg(&dir.join(format!("{stem}.jpg")), &page.image, q),
                None => write::write_png(
                    &dir.join(format!("{stem}.png")),
                    &page.image,
                    opts.profile == Profile::Degraded,
                ),
            }
        }),
        Storage::Tiff => {
            let mut tiff = write::TiffBook::create(&dir.join("scan.tif"), opts.dpi)?;
            // Rendered in parallel a few at a time, appended in order: bounded memory.
            let chunk = rayon::current_num_threads().max(1) * 2;
            let indices: Vec<usize> = (0..plan.pages.len()).collect();
            for group in indices.chunks(chunk) {
                let rendered: Vec<RenderedPage> = group.par_iter().map(|&i| render(i)).collect();
                for page in &rendered {
                    tiff.push(&page.image)?;
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;
