use sohoa::ocr::{OcrConfig, OcrEngine, TesseractEngine};
fn main() {
    sohoa::ocr::limit_openmp_threads();
    let path = std::env::args().nth(1).unwrap();
    let img = image::open(&path).unwrap().to_luma8();
    let prepared = sohoa::preprocess::prepare_page(&img, &Default::default()).unwrap();
    let cfg = OcrConfig {
        tessdata_dir: sohoa::ocr::locate_tessdata(None),
        lang: "vie".into(),
        page_timeout: std::time::Duration::from_secs(60),
    };
    eprintln!("{:?}", cfg.tessdata_dir);
    let mut e = TesseractEngine::new(&cfg).unwrap();
    let t = std::time::Instant::now();
    let page = e.recognize(&prepared).unwrap();
    eprintln!(
        "{:?} lines={} conf={} junk={}",
        t.elapsed(),
        page.lines.len(),
        page.mean_conf,
        page.junk_ratio
    );
    for l in &page.lines {
        println!(
            "{}",
            l.words
                .iter()
                .map(|w| format!("{}[{:.2}]", w.text, w.conf))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
}
