//! What a hostile or careless user does to `sohoa run` (issue 16): pages that cannot be read in
//! time, damaged or oddly named files, output folders that are not sohoa's.

use crate::util::*;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// A page of lines of random Vietnamese letters at `px` pixels: text as dense as print gets,
/// which Tesseract reads for minutes at A4 600 dpi.
fn dense_page(path: &Path, width: u32, height: u32, px: f32, seed: u64) {
    use rand::{Rng, SeedableRng};
    let bytes = std::fs::read("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        .expect("DejaVu Sans (fonts-dejavu-core, installed by scripts/install-deps.sh)");
    let font = ab_glyph::FontRef::try_from_slice(&bytes).unwrap();
    let letters: Vec<char> =
        "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
            .chars()
            .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut img = image::GrayImage::from_pixel(width, height, image::Luma([255]));
    let per_line = (width as f32 / (px * 0.55)) as usize;
    let mut y = 10.0;
    while y + px < height as f32 {
        let mut line = String::new();
        while line.chars().count() < per_line {
            let n = rng.gen_range(1..8);
            line.extend((0..n).map(|_| letters[rng.gen_range(0..letters.len())]));
            line.push(' ');
        }
        let scale = ab_glyph::PxScale::from(px);
        imageproc::drawing::draw_text_mut(
            &mut img,
            image::Luma([0]),
            10,
            y as i32,
            scale,
            &font,
            &line,
        );
        y += px * 1.3;
    }
    img.save(path).unwrap();
}

fn write_book_toml(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "register = \"KS\"\nvolume = \"01/1998\"\nyear = 1998\nauthority = \"UBND xã An Nhơn\"\n",
    )
    .unwrap();
}

#[test]
fn a_page_that_reaches_its_deadline_fails_alone_within_twice_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    let dense = scans.join("dense");
    write_book_toml(&dense);
    dense_page(&dense.join("p1.png"), 1654, 2339, 9.0, 1);
    dense_page(&dense.join("p2.png"), 4960, 7016, 27.0, 2);
    let out = dir.path().join("out");
    let limit = 3u64;
    let started = Instant::now();
    let o = run(
        &scans,
        &out,
        &["--jobs", "1", "--page-timeout", &limit.to_string()],
    );
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let rep = report(&out);
    let failed = rep["failed_pages"].as_array().unwrap();
    assert_eq!(failed.len(), 2, "{rep}");
    for f in failed {
        let reason = f["reason"].as_str().unwrap();
        assert!(reason.contains("time limit of 3 s"), "{reason}");
    }
    // Two pages one after the other, each stopped within twice its limit.
    assert!(
        took < Duration::from_secs(2 * 2 * limit),
        "two dense pages took {took:?} under a {limit} s limit"
    );

    // The run goes on past such pages: a book added later is read, the failed pages stay
    // failed (not retried, not crashing the resumed run).
    let good = synth(&dir.path().join("set"), 1, 1, "clean", 4242);
    let book = first_book(&good);
    std::fs::rename(&book, scans.join(book.file_name().unwrap())).unwrap();
    let o = run(&scans, &out, &["--jobs", "1"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let rep = report(&out);
    assert_eq!(rep["pages"]["failed"], 2);
    assert!(rep["entries"]["total"].as_u64().unwrap() >= 1, "{rep}");
}

#[test]
fn damaged_hidden_and_oddly_named_page_files() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    let scans = synth(&set, 1, 2, "clean", 31);
    let book = first_book(&scans);
    let pages = page_files(&book);
    // Page 1 as a JPEG cut in half; page 2 under a name that is not UTF-8 (Windows-1258 "ố").
    let first = image::open(&pages[0]).unwrap().to_luma8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&first)
        .unwrap();
    std::fs::remove_file(&pages[0]).unwrap();
    std::fs::write(book.join("page-1.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"page-2-s\xd4.png");
    std::fs::rename(&pages[1], book.join(odd)).unwrap();
    // macOS leaves a resource fork beside each copied file; it is no page.
    std::fs::write(book.join("._page-1.jpg"), b"\x00\x05\x16\x07 resource fork").unwrap();

    let out = dir.path().join("out");
    let o = run(&scans, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rep = report(&out);
    assert_eq!(rep["pages"]["total"], 2, "{rep}");
    let rows = records(&out);
    let on_page = |p: &str| rows.iter().filter(|r| &r[1] == p).collect::<Vec<_>>();
    // The page under the odd name was opened and read.
    assert!(!on_page("2").is_empty(), "page 2 read");
    assert!(on_page("2").iter().all(|r| !r[6].contains("IMAGE-DAMAGED")));
    // The cut page is read as far as it goes, and every entry on it is sent to review.
    let cut = on_page("1");
    assert!(!cut.is_empty(), "the upper part of page 1 is still read");
    for r in cut {
        assert_eq!(&r[4], "review");
        assert!(r[6].contains("IMAGE-DAMAGED"), "{:?}", r);
    }
}

#[test]
fn an_output_folder_holding_other_things_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    write_book_toml(&scans.join("b"));
    image::GrayImage::from_pixel(100, 140, image::Luma([255]))
        .save(scans.join("b/p1.png"))
        .unwrap();
    let out = dir.path().join("thesis");
    std::fs::create_dir_all(out.join("import")).unwrap();
    std::fs::write(out.join("report.json"), b"my report").unwrap();
    std::fs::write(out.join("chapter1.docx"), b"mine").unwrap();
    let o = run(&scans, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("chapter1.docx"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("report.json")).unwrap(),
        b"my report"
    );
    let o = run(&scans, &out, &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("chapter1.docx")).unwrap(), b"mine");
}

#[test]
fn usage_mistakes_and_empty_inputs_are_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    std::fs::create_dir_all(&scans).unwrap();
    let out = dir.path().join("out");
    // A confidence out of range is bad usage (2), named.
    let o = run(&scans, &out, &["--min-confidence", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("between 0 and 1"), "{}", stderr(&o));
    // An empty scans folder is nothing to do: an error (1), not success.
    let o = run(&scans, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no book found"), "{}", stderr(&o));
    // A book.toml that is a pipe is that book's error, at once (it hung the run forever).
    let book = scans.join("b");
    std::fs::create_dir_all(&book).unwrap();
    let fifo = std::ffi::CString::new(book.join("book.toml").as_os_str().as_bytes()).unwrap();
    // SAFETY: creating a FIFO at a path the test owns.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    image::GrayImage::from_pixel(100, 140, image::Luma([255]))
        .save(book.join("p1.png"))
        .unwrap();
    let mut child = sohoa()
        .args([
            "run",
            scans.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("sohoa hung on a FIFO named book.toml");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let rep = report(&out);
    let reason = rep["failed_books"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("not an ordinary file"), "{reason}");
}

#[test]
fn a_junk_registry_file_is_refused_before_any_page_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let scans = dir.path().join("scans");
    write_book_toml(&scans.join("b"));
    image::GrayImage::from_pixel(100, 140, image::Luma([255]))
        .save(scans.join("b/p1.png"))
        .unwrap();
    let junk = dir.path().join("registry.csv");
    let line = "TG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQsIGNvbnNlY3RldHVyIGFkaXBpc2Npbmc=\n";
    std::fs::write(&junk, line.repeat(5000)).unwrap();
    let out = dir.path().join("out");
    let o = run(&scans, &out, &["--existing", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("registry.csv"), "{}", stderr(&o));
    assert!(stderr(&o).contains("no column"), "{}", stderr(&o));
    assert!(
        !out.join("pages/b").exists(),
        "no page read before the registry was checked"
    );
}
