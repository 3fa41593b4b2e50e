//! What one page costs, stage by stage, on a synthetic 300-dpi page (rendered once by
//! `sohoa synth` into a temporary folder): preparation (as read, and at the scan's own
//! resolution for comparison), Tesseract reading the prepared page, and extraction of the
//! entries from the page's words.
//!
//! ```text
//! cargo bench --bench page                      # all
//! cargo bench --bench page -- prepare           # preparation only
//! ```
//!
//! `scripts/test.sh` only compiles it; the whole pipeline against plain Tesseract is
//! `scripts/bench-ocr.sh`.

use criterion::{criterion_group, criterion_main, Criterion};
use image::GrayImage;
use sohoa::extract::{ExtractParams, Extractor};
use sohoa::ingest::{self, BookMeta};
use sohoa::ocr::{self, OcrConfig, OcrEngine, TesseractEngine};
use sohoa::page::OcrPage;
use sohoa::preprocess::{prepare_page, PreparedPage, PreprocessParams};
use sohoa::schema::Schemas;
use sohoa::synth::{generate, Profile, SynthOptions};
use std::time::Duration;

/// One rendered page and what the stages before each benchmark made of it.
struct Page {
    gray: GrayImage,
    meta: BookMeta,
}

fn rendered_page(profile: Profile, schemas: &Schemas) -> Page {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut opts = SynthOptions::new(dir.path().join("set"), 1, 1);
    opts.dpi = 300;
    opts.seed = 19;
    opts.profile = profile;
    generate(&opts, schemas).expect("synth renders a page");
    let scan = ingest::discover(&dir.path().join("set/scans")).expect("the set's scans");
    let book = &scan.books[0];
    let gray = ingest::load_page_gray(&scan.root, &book.pages[0]).expect("the page decodes");
    Page {
        gray,
        meta: book.meta.clone(),
    }
}

fn engine() -> TesseractEngine {
    ocr::limit_openmp_threads();
    let config = OcrConfig {
        tessdata_dir: ocr::locate_tessdata(None),
        lang: "vie".into(),
        page_timeout: Duration::from_secs(120),
    };
    TesseractEngine::new(&config).expect("Tesseract with the Vietnamese model")
}

fn read(engine: &mut TesseractEngine, page: &PreparedPage) -> OcrPage {
    engine
        .recognize(page, Duration::from_secs(120))
        .expect("the page is read")
}

fn stages(c: &mut Criterion) {
    let schemas = Schemas::load(&Schemas::locate(None)).expect("schemas");
    let clean = rendered_page(Profile::Clean, &schemas);
    let degraded = rendered_page(Profile::Degraded, &schemas);
    let params = PreprocessParams::default();
    let own_resolution = PreprocessParams {
        reading_x_height: 0.0,
        ..PreprocessParams::default()
    };

    let mut prepare = c.benchmark_group("prepare 300-dpi page");
    prepare.sample_size(20);
    prepare.bench_function("clean", |b| b.iter(|| prepare_page(&clean.gray, &params)));
    prepare.bench_function("degraded", |b| {
        b.iter(|| prepare_page(&degraded.gray, &params))
    });
    prepare.bench_function("clean, at 300 dpi", |b| {
        b.iter(|| prepare_page(&clean.gray, &own_resolution))
    });
    prepare.bench_function("degraded, at 300 dpi", |b| {
        b.iter(|| prepare_page(&degraded.gray, &own_resolution))
    });
    prepare.finish();

    let prepared = prepare_page(&clean.gray, &params).expect("prepared");
    let mut engine = engine();
    let mut reading = c.benchmark_group("read 300-dpi page");
    reading.sample_size(10);
    reading.bench_function("clean", |b| b.iter(|| read(&mut engine, &prepared)));
    reading.finish();

    let words = read(&mut engine, &prepared);
    let extractor =
        Extractor::new(&schemas, &clean.meta.register, ExtractParams::default()).expect("KS");
    c.bench_function("extract one page's words", |b| {
        b.iter(|| extractor.extract(&words, &clean.meta))
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
