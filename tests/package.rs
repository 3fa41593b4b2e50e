//! `sohoa package` end to end on constructed runs: page images rendered here, page results built
//! in code and stored as a run would (no OCR), then the binary packages them. PDFs are checked
//! with poppler's `pdfinfo` and `pdftoppm`.

use image::{Rgb, RgbImage};
use sohoa::page::{Entry, EntryStatus, PageOutcome, PageResult, StageTimes};
use sohoa::pipeline::RunManifest;
use sohoa::store::PageStore;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BOOK_TOML: &str = "register = \"KS\"\nvolume = \"01/2008\"\nyear = 2008\n\
authority = \"UBND xã An Nhơn\"\nward_code = \"24892\"\ndistrict_initials = \"DT\"\n\
province_initials = \"LD\"\n";

#[path = "e2e/util.rs"]
mod util;

use util::{schemas_dir, sohoa_output as sohoa};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A colour page of A4 proportions at 75 dpi (small: tests run unoptimised): yellowish paper
/// with grain, blue "handwriting" strokes in three entry blocks, so it compresses like a scan
/// rather than like a flat image.
fn page_image(seed: u32) -> RgbImage {
    let (w, h) = (620u32, 877u32);
    let mut img = RgbImage::from_fn(w, h, |x, y| {
        // Paper grain.
        let n = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed) % 9) as u8;
        Rgb([236 - n, 229 - n, 206 - n])
    });
    for block in 0..3u32 {
        for line in 0..8u32 {
            let y0 = 60 + block * 270 + line * 30;
            let mut x = 50 + (seed * 13 + line * 29) % 30;
            while x < w - 80 {
                let len = 10 + (x * 31 + line * 17 + seed) % 35;
                for dx in 0..len {
                    let wobble = ((x + dx) / 3 % 5) as i32 - 2;
                    for t in 0..2 {
                        let yy = (y0 as i32 + wobble + t) as u32;
                        img.put_pixel(x + dx, yy, Rgb([30, 45, 140]));
                    }
                }
                x += len + 9;
            }
        }
    }
    img
}

fn entry(index: u32, so: u32, date: &str, status: EntryStatus) -> Entry {
    let values = [
        ("so", so.to_string()),
        ("quyenSo", "01/2008".to_string()),
        ("ngayDangKy", date.to_string()),
        ("nksHoTen", format!("Nguyễn Văn {so}")),
    ];
    Entry {
        status,
        ..Entry::from_values(index, values)
    }
}

/// A run output over one scans folder: books of `pages` pages with three entries each,
/// numbered from 1, dated one day apart from 15 January.
struct Fixture {
    _dir: tempfile::TempDir,
    scans: PathBuf,
    out: PathBuf,
}

impl Fixture {
    fn new(books: &[(&str, &str)], pages: u32) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let scans = dir.path().join("scans");
        let out = dir.path().join("out");
        for (b, (id, toml)) in books.iter().enumerate() {
            let book = scans.join(id);
            std::fs::create_dir_all(&book).unwrap();
            std::fs::write(book.join("book.toml"), toml).unwrap();
            for p in 1..=pages {
                page_image(p + 100 * b as u32)
                    .save(book.join(format!("p{p:03}.png")))
                    .unwrap();
            }
        }
        let f = Fixture {
            _dir: dir,
            scans,
            out,
        };
        f.store(|_, _, _| EntryStatus::Auto, |_, _, so| so);
        f
    }

    /// Stores the results a run would have made; `status` and `number` may spoil entries.
    fn store(
        &self,
        status: impl Fn(&str, u32, u32) -> EntryStatus,
        number: impl Fn(&str, u32, u32) -> u32,
    ) {
        let scan = sohoa::ingest::discover(&self.scans).unwrap();
        std::fs::create_dir_all(&self.out).unwrap();
        RunManifest {
            scans: self.scans.clone(),
            sohoa_version: "test".into(),
            min_confidence: None,
            existing: Vec::new(),
            dedup_config: None,
            ocr_model: None,
        }
        .save(&self.out)
        .unwrap();
        let store = PageStore::open(&self.out).unwrap();
        for book in &scan.books {
            for source in &book.pages {
                let p = source.key.page;
                let entries = (1..=3)
                    .map(|i| {
                        let so = (p - 1) * 3 + i;
                        entry(
                            i,
                            number(&book.id, p, so),
                            &format!("{:02}.01.2008", 14 + so),
                            status(&book.id, p, i),
                        )
                    })
                    .collect();
                store
                    .save(&PageResult {
                        format: PageResult::FORMAT,
                        source: source.clone(),
                        ocr_settings: "o".into(),
                        extract_settings: "e".into(),
                        outcome: PageOutcome::Done { entries },
                        times: StageTimes::default(),
                        ocr: None,
                    })
                    .unwrap();
            }
        }
    }

    fn package(&self, extra: &[&str]) -> Output {
        let mut args = vec!["package", self.out.to_str().unwrap()];
        args.extend_from_slice(extra);
        sohoa(&args)
    }

    fn delivery(&self, rel: &str) -> PathBuf {
        self.out.join("delivery").join(rel)
    }
}

fn zip_names(path: &Path) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

fn zip_member(path: &Path, name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// Column `key` of the Excel file's data rows.
fn xlsx_column(path: &Path, key: &str) -> Vec<String> {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range("DL Import").unwrap();
    let mut rows = range.rows();
    let header = rows.next().unwrap();
    let col = header
        .iter()
        .position(|h| h.to_string().trim() == key)
        .unwrap();
    rows.map(|r| match &r[col] {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    })
    .collect()
}

fn expected_pdfs(n: u32) -> Vec<String> {
    (1..=n)
        .map(|so| format!("KS.2008.01.2008-01-{:02}.{so:03}.pdf", 14 + so))
        .collect()
}

#[test]
fn book_package_holds_the_excel_entries_as_renderable_pdfs() {
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 2);
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let xlsx = f.delivery("ks-2008-01/24892_DT_LD.KS.2008.01.xlsx");
    let zip = f.delivery("ks-2008-01/24892_DT_LD.KS.2008.01.zip");
    assert!(xlsx.is_file() && zip.is_file(), "{}", text(&o));
    // The ZIP holds exactly the Excel file's entries, in its row order, named by the pattern.
    let names = zip_names(&zip);
    assert_eq!(names, expected_pdfs(6));
    let so: Vec<String> = xlsx_column(&xlsx, "so");
    assert_eq!(so, ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(xlsx_column(&xlsx, "STT"), ["1", "2", "3", "4", "5", "6"]);

    let tmp = tempfile::tempdir().unwrap();
    for name in &names {
        let pdf = tmp.path().join(name);
        std::fs::write(&pdf, zip_member(&zip, name)).unwrap();
        let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info_text = String::from_utf8_lossy(&info.stdout);
        assert!(info.status.success(), "pdfinfo {name}: {}", text(&info));
        assert!(
            info_text
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Pages:", "1"]),
            "{info_text}"
        );
        // A4 long side.
        assert!(info_text.contains("x 842 pts"), "{info_text}");
        let png = tmp.path().join("render");
        let r = Command::new("pdftoppm")
            .args(["-r", "50", "-png", "-singlefile"])
            .arg(&pdf)
            .arg(&png)
            .output()
            .unwrap();
        assert!(r.status.success(), "pdftoppm {name}: {}", text(&r));
        let img = image::open(png.with_extension("png")).unwrap().to_rgb8();
        // Colour kept: the blue ink survives.
        assert!(
            img.pixels().any(|p| p[2] as i32 - p[0] as i32 > 60),
            "no blue ink in {name}"
        );
    }
    // Entries on one page share the page image: same PDF bytes.
    assert_eq!(zip_member(&zip, &names[0]), zip_member(&zip, &names[2]));
    assert_ne!(zip_member(&zip, &names[0]), zip_member(&zip, &names[3]));

    let manifest = std::fs::read_to_string(f.delivery("manifest.csv")).unwrap();
    let lines: Vec<&str> = manifest.lines().collect();
    assert_eq!(lines[0], "file,book,entry,sha256,bytes,book_state,left_out");
    assert!(
        lines[1..].iter().all(|l| l.ends_with(",complete,0")),
        "{manifest}"
    );
    assert_eq!(lines.len(), 1 + 2 + 6, "{manifest}");
    assert!(lines[1].starts_with("ks-2008-01/24892_DT_LD.KS.2008.01.xlsx,ks-2008-01,,"));
    assert!(lines[3].starts_with(
        "ks-2008-01/24892_DT_LD.KS.2008.01.zip/KS.2008.01.2008-01-15.001.pdf,ks-2008-01,1:1,"
    ));
}

#[test]
fn packaging_twice_gives_identical_files_and_keeps_them() {
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 2);
    assert_eq!(f.package(&[]).status.code(), Some(0));
    let files = [
        "ks-2008-01/24892_DT_LD.KS.2008.01.xlsx",
        "ks-2008-01/24892_DT_LD.KS.2008.01.zip",
        "manifest.csv",
    ];
    let before: Vec<(Vec<u8>, std::time::SystemTime)> = files
        .iter()
        .map(|p| {
            let path = f.delivery(p);
            (
                std::fs::read(&path).unwrap(),
                std::fs::metadata(&path).unwrap().modified().unwrap(),
            )
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let o = f.package(&["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["books"][0]["rewritten"], 0, "{report}");
    for (p, (bytes, mtime)) in files.iter().zip(before) {
        let path = f.delivery(p);
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{p} changed");
        // Unchanged files are not even rewritten.
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    }
}

#[test]
fn pattern_change_in_schemas_renames_and_leaves_nothing_stale() {
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 1);
    assert_eq!(f.package(&[]).status.code(), Some(0));
    let schemas = tempfile::tempdir().unwrap();
    copy_dir(&schemas_dir(), schemas.path());
    let file = schemas.path().join("delivery/KS.toml");
    let toml = std::fs::read_to_string(&file)
        .unwrap()
        .replace(
            "entry = \"{register}.{year}.{volume_no}.{reg_date:yyyy-mm-dd}.{so:000}.pdf\"",
            "entry = \"{so:0000}_{reg_date:ddmmyyyy}.pdf\"",
        )
        .replace(
            "book = \"{ward_code}_{district_initials}_{province_initials}.{register}.{year}.{volume_no}\"",
            "book = \"{register}-{ward_code}-{year}\"",
        );
    std::fs::write(&file, toml).unwrap();
    let o = f.package(&["--schemas", schemas.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let dir = f.delivery("ks-2008-01");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["KS-24892-2008.xlsx", "KS-24892-2008.zip"]);
    assert_eq!(
        zip_names(&dir.join("KS-24892-2008.zip")),
        [
            "0001_15012008.pdf",
            "0002_16012008.pdf",
            "0003_17012008.pdf"
        ]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn incomplete_book_is_reported_and_allow_partial_packages_the_ready_entries() {
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 2);
    assert_eq!(f.package(&[]).status.code(), Some(0));
    f.store(
        |_, page, index| {
            if (page, index) == (2, 2) {
                EntryStatus::Review
            } else {
                EntryStatus::Auto
            }
        },
        |_, _, so| so,
    );
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("INCOMPLETE"), "{out}");
    assert!(out.contains("page 2 entry 2 so 5 review"), "{out}");
    // The package made before is stale now: gone.
    assert!(!f.delivery("ks-2008-01").exists());
    assert_eq!(
        std::fs::read_to_string(f.delivery("manifest.csv")).unwrap(),
        "file,book,entry,sha256,bytes,book_state,left_out\n"
    );

    let o = f.package(&["--allow-partial"]);
    // A partial package is never taken for a complete one: its own exit code, and the manifest.
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    let manifest = std::fs::read_to_string(f.delivery("manifest.csv")).unwrap();
    assert!(
        manifest.lines().skip(1).all(|l| l.ends_with(",partial,1")),
        "{manifest}"
    );
    let zip = f.delivery("ks-2008-01/24892_DT_LD.KS.2008.01.zip");
    let mut expected = expected_pdfs(6);
    expected.remove(4);
    assert_eq!(zip_names(&zip), expected);
    assert_eq!(
        xlsx_column(&f.delivery("ks-2008-01/24892_DT_LD.KS.2008.01.xlsx"), "so"),
        ["1", "2", "3", "4", "6"]
    );
    assert!(text(&o).contains("left out"), "{}", text(&o));
}

#[test]
fn book_checks_run_before_packaging() {
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 2);
    // Entry 4 read as 9 while 3 and 5 agree: a misread, so the entry goes to review.
    f.store(
        |_, _, _| EntryStatus::Auto,
        |_, _, so| if so == 4 { 9 } else { so },
    );
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        text(&o).contains("page 2 entry 1 so 9 review [BOOK-NUMBER-MISREAD(so)]"),
        "{}",
        text(&o)
    );
}

#[test]
fn missing_book_key_fails_that_book_alone() {
    // Another authority: a numbering sequence of its own.
    let without_ward = BOOK_TOML
        .replace("ward_code = \"24892\"\n", "")
        .replace("An Nhơn", "Khác");
    let f = Fixture::new(
        &[("ks-2008-01", BOOK_TOML), ("ks-2009-01", &without_ward)],
        1,
    );
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("ks-2009-01/book.toml: key `ward_code` is missing"),
        "{out}"
    );
    assert!(f
        .delivery("ks-2008-01/24892_DT_LD.KS.2008.01.zip")
        .is_file());
    assert!(!f.delivery("ks-2009-01").exists());
}

/// Measurement, run on demand (`cargo test --test package measure -- --ignored --nocapture`):
/// colour 300 dpi register-like pages are compressed with several settings; for each, the bytes
/// per page and Tesseract's reading of the PDF (rendered back at 300 dpi by `pdftoppm`) against
/// its reading of the original scan: character accuracy and share of field values read exactly.
/// Needs a Vietnamese font (DejaVu Sans) and `vie.traineddata` (./tessdata or Tesseract's own).
#[test]
#[ignore]
fn measure_pdf_compression() {
    use sohoa::package::pdf::{encode_page, entry_pdf, PdfParams};
    let font_path = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    let Ok(font_bytes) = std::fs::read(font_path) else {
        eprintln!("skipped: {} not found", font_path.display());
        return;
    };
    let font = ab_glyph::FontRef::try_from_slice(&font_bytes).unwrap();
    let tessdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("tessdata");
    let dir = tempfile::tempdir().unwrap();
    let pages: Vec<(RgbImage, Vec<String>, Vec<String>)> =
        (0..3).map(|p| scan_like_page(&font, p)).collect();
    let ocr = |png: &Path| -> String {
        let mut c = Command::new("tesseract");
        c.arg(png).arg("-").args(["-l", "vie"]);
        if tessdata.join("vie.traineddata").is_file() {
            c.arg("--tessdata-dir").arg(&tessdata);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let score = |read: &str, lines: &[String], fields: &[String]| -> (f64, f64) {
        let read: Vec<char> = squash(read).chars().collect();
        let truth: Vec<char> = squash(&lines.join("\n")).chars().collect();
        let dist = strsim::generic_levenshtein(&read, &truth) as f64;
        let char_acc = 1.0 - dist / truth.len() as f64;
        let flat = squash(&read.iter().collect::<String>());
        let hits = fields.iter().filter(|f| flat.contains(f.as_str())).count();
        (char_acc, hits as f64 / fields.len() as f64)
    };
    let mut baseline = (0.0, 0.0);
    for (i, (img, lines, fields)) in pages.iter().enumerate() {
        let png = dir.path().join(format!("orig{i}.png"));
        img.save(&png).unwrap();
        let (c, f) = score(&ocr(&png), lines, fields);
        baseline.0 += c / pages.len() as f64;
        baseline.1 += f / pages.len() as f64;
    }
    println!(
        "original 300 dpi scans: char accuracy {:.4}, fields exact {:.4}",
        baseline.0, baseline.1
    );
    let settings = [
        ("default (<=200 dpi, q<=75, 100 kB)", PdfParams::default()),
        (
            "<=150 dpi",
            PdfParams {
                max_dpi: 150.0,
                ..PdfParams::default()
            },
        ),
        (
            "<=300 dpi",
            PdfParams {
                max_dpi: 300.0,
                min_dpi: 120.0,
                ..PdfParams::default()
            },
        ),
        (
            "<=200 dpi, 60 kB",
            PdfParams {
                target_page_bytes: 60_000,
                ..PdfParams::default()
            },
        ),
    ];
    for (name, params) in settings {
        let (mut bytes, mut pdf_bytes, mut c_sum, mut f_sum) = (0usize, 0usize, 0.0, 0.0);
        let mut chosen = Vec::new();
        for (i, (img, lines, fields)) in pages.iter().enumerate() {
            let page = encode_page(img, &params).unwrap();
            chosen.push(format!("q{} {:.0}dpi", page.quality, page.dpi));
            bytes += page.jpeg.len();
            let pdf = entry_pdf(&[&page]).unwrap();
            pdf_bytes += pdf.len();
            let path = dir.path().join(format!("p{i}.pdf"));
            std::fs::write(&path, pdf).unwrap();
            let stem = dir.path().join(format!("r{i}"));
            let r = Command::new("pdftoppm")
                .args(["-r", "300", "-png", "-singlefile"])
                .arg(&path)
                .arg(&stem)
                .output()
                .unwrap();
            assert!(r.status.success());
            let (c, f) = score(&ocr(&stem.with_extension("png")), lines, fields);
            c_sum += c;
            f_sum += f;
        }
        let n = pages.len() as f64;
        println!(
            "{name}: {:.1} kB image / {:.1} kB PDF per page [{}]; char accuracy {:.4}, fields exact {:.4}",
            bytes as f64 / n / 1000.0,
            pdf_bytes as f64 / n / 1000.0,
            chosen.join(", "),
            c_sum / n,
            f_sum / n
        );
    }
}

fn squash(s: &str) -> String {
    sohoa::text::nfc(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A colour A4 page at 300 dpi printed like a register: three entries of labelled lines in
/// blue-black ink on yellowed, grainy paper with uneven lighting. Returns the image, its lines
/// and the field values on it.
fn scan_like_page(font: &ab_glyph::FontRef, seed: u32) -> (RgbImage, Vec<String>, Vec<String>) {
    let (w, h) = (2480u32, 3508u32);
    // Text height in pixels at 300 dpi (46 px ~ 11 pt); SOHOA_MEASURE_PX tries others.
    let text_px: f32 = std::env::var("SOHOA_MEASURE_PX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(46.0);
    let mut img = RgbImage::from_fn(w, h, |x, y| {
        let grain = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ seed) % 13;
        let shade = (x as f32 / w as f32 * 10.0 + y as f32 / h as f32 * 6.0) as u32;
        let v = |base: u32| (base - grain - shade) as u8;
        Rgb([v(240), v(232), v(210)])
    });
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    let middle = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu"];
    let given = [
        "Hằng", "Dũng", "Hương", "Tuấn", "Lan", "Quỳnh", "Việt", "Thắm",
    ];
    let communes = ["An Nhơn", "Phú Thọ", "Hòa Bình", "Thạch Hà", "Quế Võ"];
    let mut k = seed as usize * 7 + 3;
    let mut next = |n: usize| {
        k = (k * 1_103_515_245 + 12_345) % 2_147_483_648;
        (k / 65_536) % n
    };
    let mut name = || {
        format!(
            "{} {} {}",
            family[next(family.len())],
            middle[next(middle.len())],
            given[next(given.len())]
        )
    };
    let mut lines = Vec::new();
    let mut fields = Vec::new();
    for e in 0..3u32 {
        let so = seed * 3 + e + 1;
        let (child, mother, father) = (name(), name(), name());
        let day = 1 + (so * 7) % 27;
        let date = format!("{day:02}/{:02}/2008", 1 + so % 12);
        let birth = format!("{:02}/{:02}/2008", 1 + (day + 3) % 27, 1 + so % 12);
        let commune = communes[so as usize % communes.len()];
        let entry = [
            format!("Số: {so:02}        Ngày đăng ký: {date}"),
            format!("Họ và tên: {child}"),
            format!("Ngày, tháng, năm sinh: {birth}"),
            format!("Nơi sinh: Trạm y tế xã {commune}"),
            format!("Họ và tên mẹ: {mother}   Dân tộc: Kinh"),
            format!("Họ và tên cha: {father}   Quốc tịch: Việt Nam"),
            format!("Nơi cư trú: xã {commune}, huyện Đạ Tẻh"),
        ];
        fields.extend([date, child, birth, mother, father]);
        for (l, line) in entry.iter().enumerate() {
            let y = 260 + e as i32 * 1050 + l as i32 * 120;
            imageproc::drawing::draw_text_mut(
                &mut img,
                Rgb([38, 44, 104]),
                220,
                y,
                text_px,
                font,
                line,
            );
            lines.push(line.clone());
        }
    }
    (img, lines, fields)
}

/// Every file `manifest.csv` lists for a book is there with its hash, and nothing else is: the
/// manifest describes exactly the files beside it.
fn assert_delivery_matches_its_manifest(delivery: &Path) {
    let manifest = delivery.join("manifest.csv");
    let mut listed = std::collections::BTreeSet::new();
    listed.insert(PathBuf::from("manifest.csv"));
    let mut rdr = csv::Reader::from_path(&manifest).expect("a manifest");
    for row in rdr.records() {
        let row = row.unwrap();
        if !row[2].is_empty() {
            continue; // a PDF inside a ZIP
        }
        let bytes = std::fs::read(delivery.join(&row[0]))
            .unwrap_or_else(|e| panic!("{} listed but not there: {e}", &row[0]));
        let sha = sohoa::schema::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        assert_eq!(
            sha,
            row[3].to_string(),
            "{} differs from the manifest",
            &row[0]
        );
        listed.insert(PathBuf::from(&row[0]));
    }
    for e in walkdir::WalkDir::new(delivery).min_depth(1) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(delivery).unwrap();
            assert!(
                listed.contains(rel),
                "{} is not in the manifest",
                rel.display()
            );
        }
    }
}

#[test]
fn a_packaging_killed_at_any_moment_leaves_a_delivery_its_manifest_describes() {
    let f = Fixture::new(
        &[
            ("ks-2008-01", BOOK_TOML),
            (
                "ks-2008-02",
                &BOOK_TOML
                    .replace("An Nhơn", "Khác")
                    .replace("24892", "24893"),
            ),
        ],
        3,
    );
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let bin = env!("CARGO_BIN_EXE_sohoa");
    for round in 0..16u64 {
        // Each round changes what a complete packaging would deliver, then kills one midway.
        let shift = round as u32 % 3;
        f.store(
            |_, page, index| {
                if (page + index + shift).is_multiple_of(7) {
                    EntryStatus::Review
                } else {
                    EntryStatus::Auto
                }
            },
            |_, _, so| so,
        );
        let mut child = Command::new(bin)
            .env("SOHOA_SCHEMAS", schemas_dir())
            .args([
                "package",
                f.out.to_str().unwrap(),
                "--allow-partial",
                "--quiet",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(15 * round));
        let _ = child.kill();
        let _ = child.wait();
        if f.delivery("manifest.csv").exists() {
            assert_delivery_matches_its_manifest(&f.out.join("delivery"));
        }
    }
    let o = f.package(&["--allow-partial"]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(4),
        "{}",
        text(&o)
    );
    assert_delivery_matches_its_manifest(&f.out.join("delivery"));
    // Nothing of the interrupted attempts is left beside the delivery.
    let leftovers: Vec<String> = std::fs::read_dir(&f.out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".delivery"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_file_sohoa_did_not_write_in_the_delivery_is_never_deleted() {
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 1);
    assert_eq!(f.package(&[]).status.code(), Some(0));
    let mine = f.delivery("ks-2008-01/signed-by-the-director.pdf");
    std::fs::write(&mine, b"%PDF-1.4 mine").unwrap();
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("signed-by-the-director.pdf"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read(&mine).unwrap(), b"%PDF-1.4 mine");
    assert_delivery_matches_its_manifest_except(&f.out.join("delivery"), &mine);
}

fn assert_delivery_matches_its_manifest_except(delivery: &Path, extra: &Path) {
    let kept = std::fs::read(extra).unwrap();
    std::fs::remove_file(extra).unwrap();
    assert_delivery_matches_its_manifest(delivery);
    std::fs::write(extra, kept).unwrap();
}

#[test]
fn an_over_long_file_name_fails_its_book_alone() {
    let long = BOOK_TOML
        .replace("\"24892\"", &format!("\"{}\"", "9".repeat(300)))
        .replace("An Nhơn", "Khác");
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML), ("ks-2008-09", &long)], 1);
    let o = f.package(&[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("ks-2008-09: NOT PACKAGED"), "{out}");
    assert!(out.contains("bytes long"), "{out}");
    assert!(f
        .delivery("ks-2008-01/24892_DT_LD.KS.2008.01.zip")
        .is_file());
    assert_delivery_matches_its_manifest(&f.out.join("delivery"));
}

#[test]
fn a_book_folder_moved_away_keeps_the_last_outputs_and_says_which() {
    let f = Fixture::new(
        &[
            ("ks-2008-01", BOOK_TOML),
            ("ks-2008-02", &BOOK_TOML.replace("01/2008", "02/2008")),
        ],
        1,
    );
    let out = f.out.to_str().unwrap();
    let o = sohoa(&["rerun", out, "--failed", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let records = std::fs::read(f.out.join("records/KS.csv")).unwrap();
    std::fs::rename(f.scans.join("ks-2008-02"), f._dir.path().join("elsewhere")).unwrap();
    for args in [vec!["rerun", out, "--failed"], vec!["package", out]] {
        let o = sohoa(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("ks-2008-02"), "{}", text(&o));
        assert!(text(&o).contains("last outputs are kept"), "{}", text(&o));
    }
    assert_eq!(
        std::fs::read(f.out.join("records/KS.csv")).unwrap(),
        records
    );
}

#[test]
fn records_cells_cannot_run_as_formulas_and_open_as_utf8() {
    let f = Fixture::new(&[("=HYPERLINK(\"x\")", BOOK_TOML)], 1);
    let o = sohoa(&["rerun", f.out.to_str().unwrap(), "--failed", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let bytes = std::fs::read(f.out.join("records/KS.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let second = text.lines().nth(1).unwrap();
    assert!(second.starts_with("\"'=HYPERLINK(\"\"x\"\")\""), "{second}");
    assert!(f.package(&[]).status.success());
    let manifest = std::fs::read_to_string(f.delivery("manifest.csv")).unwrap();
    assert!(
        manifest
            .lines()
            .skip(1)
            .all(|l| l.contains(",\"'=HYPERLINK(")),
        "{manifest}"
    );
}

#[test]
fn a_second_command_on_the_same_output_folder_is_refused_naming_the_holder() {
    use std::os::fd::AsRawFd;
    let f = Fixture::new(&[("ks-2008-01", BOOK_TOML)], 1);
    let lock = f.out.join(".sohoa.lock");
    let file = std::fs::File::create(&lock).unwrap();
    std::fs::write(
        &lock,
        "sohoa run /data/scans, process 4242 on pc-07, since 2026-12-03T09:00:00Z",
    )
    .unwrap();
    // SAFETY: flock on a descriptor the test owns.
    assert_eq!(
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    for args in [
        vec!["package", f.out.to_str().unwrap()],
        vec!["rerun", f.out.to_str().unwrap(), "--failed"],
    ] {
        let o = sohoa(&args);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let t = text(&o);
        assert!(
            t.contains("another sohoa") && t.contains("process 4242 on pc-07"),
            "{t}"
        );
    }
    drop(file);
    assert!(f.package(&[]).status.success());
}

// ---- `sohoa emit` and `sohoa accept` on the same constructed runs ----

/// A person corrects a value in the journal; `sohoa emit` rebuilds the records and import file
/// with it, validated again, and says in the records who set it.
#[test]
fn emit_rebuilds_the_import_file_with_a_journal_correction() {
    let f = Fixture::new(&[("ks-a", BOOK_TOML)], 1);
    let mut journal = sohoa::journal::Journal::open(&f.out).unwrap();
    journal
        .record(&sohoa::journal::NewAction {
            target: sohoa::journal::Target {
                book_id: "ks-a".into(),
                page: 1,
                entry: 2,
                field: "nksHoTen".into(),
            },
            track: sohoa::journal::Track::Review,
            kind: sohoa::journal::ActionKind::Correct,
            who: "Lan".into(),
            role: "reviewer".into(),
            value_read: "Nguyễn Văn 2".into(),
            value: "Nguyễn Văn Hai".into(),
            pass: 0,
            reason: String::new(),
            source: "test".into(),
            supersedes: None,
            ms: None,
        })
        .unwrap();
    drop(journal);
    let o = sohoa(&["emit", f.out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let records = std::fs::read_to_string(f.out.join("records").join("KS.csv")).unwrap();
    let line = records
        .lines()
        .find(|l| l.starts_with("ks-a,1,2,"))
        .unwrap();
    assert!(
        line.contains("Nguyễn Văn Hai") && line.contains("nksHoTen=Lan:correct"),
        "{line}"
    );
    // The corrected entry is validated again as the pipeline validates: these constructed
    // entries lack required fields, so it now waits in review and leaves the import file.
    assert!(
        line.contains(",review,") && line.contains("MISSING-REQUIRED"),
        "{line}"
    );
    let names = xlsx_column(&f.out.join("import").join("KS.xlsx"), "nksHoTen");
    assert_eq!(names, ["Nguyễn Văn 1", "Nguyễn Văn 3"]);
}

fn accept(f: &Fixture, extra: &[&str]) -> Output {
    let mut args = vec!["accept", f.out.to_str().unwrap()];
    args.extend_from_slice(extra);
    sohoa(&args)
}

/// Rewrites a verdict sheet (CSV) with `verdict(field, value)` -> (verdict, correct value).
fn judge(sheet: &Path, to: &Path, verdict: impl Fn(&str, &str) -> (&'static str, String)) {
    let mut r = csv::Reader::from_path(sheet).unwrap();
    let mut w = csv::Writer::from_path(to).unwrap();
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let mut cells: Vec<String> = rec.iter().map(str::to_string).collect();
        let (v, right) = verdict(&cells[3], &cells[5]);
        cells[7] = v.into();
        cells[8] = right;
        w.write_record(&cells).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn acceptance_draws_by_book_records_verdicts_and_estimates_with_intervals() {
    let f = Fixture::new(&[("ks-a", BOOK_TOML), ("ks-b", BOOK_TOML)], 4);
    let sheet = f.out.join("sheet.csv");
    let o = accept(
        &f,
        &[
            "--sample",
            "6",
            "--seed",
            "9",
            "--sheet",
            sheet.to_str().unwrap(),
        ],
    );
    // Nothing judged yet: not accepted.
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let sample: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.out.join("acceptance/sample.json")).unwrap())
            .unwrap();
    let books: Vec<&str> = sample["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["book_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        books.iter().filter(|b| **b == "ks-a").count(),
        3,
        "{books:?}"
    );
    assert_eq!(
        books.iter().filter(|b| **b == "ks-b").count(),
        3,
        "{books:?}"
    );
    assert!(f.out.join("acceptance/sheets.html").is_file());
    // Drawing again is refused unless asked.
    let again = accept(&f, &["--sample", "6"]);
    assert_ne!(again.status.code(), Some(0));
    assert!(text(&again).contains("--redraw"), "{}", text(&again));

    // A sheet whose value was changed by hand is refused with its line, nothing recorded.
    let bad = f.out.join("bad.csv");
    judge(&sheet, &bad, |_, _| ("ok", String::new()));
    let mut content = std::fs::read_to_string(&bad).unwrap();
    content = content.replacen("Nguyễn Văn", "Trần Văn", 1);
    std::fs::write(&bad, content).unwrap();
    let o = accept(
        &f,
        &["--verdicts", bad.to_str().unwrap(), "--reviewer", "Sở"],
    );
    assert_ne!(o.status.code(), Some(0));
    let first = std::fs::read_to_string(&bad)
        .unwrap()
        .lines()
        .position(|l| l.contains("Trần Văn"))
        .unwrap()
        + 1;
    assert!(text(&o).contains(&format!("line {first}:")), "{}", text(&o));
    assert!(!f.out.join("acceptance.json").exists());

    // One wrong name among the sampled fields.
    let filled = f.out.join("filled.csv");
    let first_name = std::cell::Cell::new(true);
    judge(&sheet, &filled, |field, _| {
        if field == "nksHoTen" && first_name.replace(false) {
            ("sai", "Nguyễn Văn Đúng".into())
        } else {
            ("ok", String::new())
        }
    });
    let o = accept(
        &f,
        &[
            "--verdicts",
            filled.to_str().unwrap(),
            "--reviewer",
            "Sở Tư pháp",
        ],
    );
    // 24 fields cannot show an error rate under 0.5%: not accepted.
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let rep: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.out.join("acceptance.json")).unwrap()).unwrap();
    assert_eq!(rep["judged_entries"], 6);
    assert_eq!(rep["wrong_fields"], 1);
    assert_eq!(rep["wrong_entries"], 1);
    let (low, high) = (
        rep["field_error"]["low"].as_f64().unwrap(),
        rep["field_error"]["high"].as_f64().unwrap(),
    );
    let est = rep["field_error"]["estimate"].as_f64().unwrap();
    assert!(low < est && est < high && high < 1.0, "{rep}");
    assert_eq!(rep["wrong"][0]["correct_value"], "Nguyễn Văn Đúng");
    let html = std::fs::read_to_string(f.out.join("acceptance.html")).unwrap();
    assert!(html.contains("<svg"), "calibration plot");
    // Verdicts check the delivery, they do not change it.
    let o = sohoa(&["emit", f.out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let names = xlsx_column(&f.out.join("import").join("KS.xlsx"), "nksHoTen");
    assert!(!names.iter().any(|n| n == "Nguyễn Văn Đúng"), "{names:?}");
}
