//! Finding books and pages in a scans folder and decoding page images.
//!
//! A book is a folder `SCANS/<book_id>/` holding `book.toml` and its page images (PNG, JPEG,
//! TIFF; a multi-page TIFF counts as one page per frame). Pages are numbered 1.. in natural sort
//! order of the file names. A bad `book.toml` is an error for that book only.

use crate::page::{PageKey, PageSource};
use crate::schema::hex;
use image::GrayImage;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// What `book.toml` says about a book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookMeta {
    /// Register type code (`KS`).
    pub register: String,
    /// Volume as written (`01/1998`): the template's `quyenSo` when pages do not print it.
    pub volume: String,
    /// Year the book covers.
    pub year: i32,
    /// Registering authority as written: `noiDangKy` when pages do not print it.
    pub authority: String,
    /// Every other key, kept as text (edition hint, ward/district/province codes...).
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

impl BookMeta {
    /// Value of a `book.toml` key by name, the required keys included.
    pub fn get(&self, key: &str) -> Option<String> {
        match key {
            "register" => Some(self.register.clone()),
            "volume" => Some(self.volume.clone()),
            "year" => Some(self.year.to_string()),
            "authority" => Some(self.authority.clone()),
            other => self.extra.get(other).cloned(),
        }
    }
}

/// A book ready to process.
#[derive(Debug, Clone)]
pub struct Book {
    pub id: String,
    pub dir: PathBuf,
    pub meta: BookMeta,
    /// SHA-256 of `book.toml`, part of each page's cache key.
    pub meta_sha256: String,
    pub pages: Vec<PageSource>,
}

/// Why a book cannot be processed. Each names the file and, where it applies, the key.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Serialize, Deserialize)]
pub enum BookError {
    #[error("{path}: book.toml is missing; every book folder needs one (register, volume, year, authority)")]
    MissingToml { path: String },
    #[error("{path}: cannot be read as TOML: {message}")]
    InvalidToml { path: String, message: String },
    #[error("{path}: key `{key}` is missing")]
    MissingKey { path: String, key: String },
    #[error("{path}: key `{key}` {message}")]
    InvalidKey {
        path: String,
        key: String,
        message: String,
    },
    #[error("{path}: no page images (PNG, JPEG or TIFF) in the folder")]
    NoPages { path: String },
    #[error("{path}: cannot read the folder: {message}")]
    Unreadable { path: String, message: String },
}

/// Errors that stop discovery altogether.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}: the scans folder does not exist or is not a folder")]
    NotAFolder(PathBuf),
    #[error("{path}: cannot read the scans folder: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why a page image cannot be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("{file}: cannot read the file: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: not a readable image ({message})")]
    Image { file: String, message: String },
    #[error("{file}: the TIFF has no frame {frame}")]
    NoFrame { file: String, frame: u32 },
    #[error("{file}: the image changed since the run started (its content hash differs)")]
    Changed { file: String },
}

/// What discovery found: books to process and books that failed.
#[derive(Debug, Default)]
pub struct Scan {
    pub root: PathBuf,
    pub books: Vec<Book>,
    /// Book id and why it cannot be processed.
    pub failed: Vec<(String, BookError)>,
}

impl Scan {
    pub fn page_count(&self) -> usize {
        self.books.iter().map(|b| b.pages.len()).sum()
    }
}

const REQUIRED_KEYS: [&str; 4] = ["register", "volume", "year", "authority"];

/// Hidden files are not pages: macOS leaves `._page-001.png` resource forks beside each image
/// copied from its disks, and editors leave `.~lock` files.
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().first() == Some(&b'.'))
}

fn is_page_image(path: &Path) -> bool {
    if is_hidden(path) {
        return false;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "tif" | "tiff")
    )
}

fn is_tiff(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("tif" | "tiff"))
}

/// Finds the books under `root`. A folder that itself holds `book.toml` is one book.
pub fn discover(root: &Path) -> Result<Scan, IngestError> {
    if !root.is_dir() {
        return Err(IngestError::NotAFolder(root.to_path_buf()));
    }
    let mut scan = Scan {
        root: root.to_path_buf(),
        ..Scan::default()
    };
    let mut dirs: Vec<PathBuf> = if root.join("book.toml").is_file() {
        vec![root.to_path_buf()]
    } else {
        std::fs::read_dir(root)
            .map_err(|source| IngestError::Io {
                path: root.to_path_buf(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir() && !is_hidden(p))
            .collect()
    };
    dirs.sort_by(|a, b| natord::compare(&name_of(a), &name_of(b)));
    for dir in dirs {
        let id = name_of(&dir);
        // A folder with neither book.toml nor images is not a book (e.g. notes, outputs).
        let has_toml = dir.join("book.toml").symlink_metadata().is_ok();
        if !has_toml && list_images(&dir).map(|v| v.is_empty()).unwrap_or(true) {
            continue;
        }
        match read_book(root, &dir, &id) {
            Ok(book) => scan.books.push(book),
            Err(e) => scan.failed.push((id, e)),
        }
    }
    Ok(scan)
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn list_images(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_page_image(p))
        .collect();
    files.sort_by(|a, b| natord::compare(&name_of(a), &name_of(b)));
    Ok(files)
}

/// A `book.toml` holds a few short keys; a larger file is a mistake (a page image renamed, a
/// log pasted in) and reading it whole would cost time and memory for nothing.
const MAX_BOOK_TOML_BYTES: u64 = 64 * 1024;

/// The longest text value `book.toml` may give: an authority's full name is under 200 letters,
/// and every value is compared with words of every page (an 11 MB one cost minutes a page).
pub const MAX_BOOK_VALUE_CHARS: usize = 500;

/// Reads and checks `book.toml`, naming the key that is wrong.
pub fn read_book_meta(path: &Path) -> Result<BookMeta, BookError> {
    let shown = path.display().to_string();
    let invalid = |message: String| BookError::InvalidToml {
        path: shown.clone(),
        message,
    };
    // Only a regular file is read: a pipe named book.toml would block the run forever.
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BookError::MissingToml {
                path: shown.clone(),
            })
        }
        Err(e) => return Err(invalid(e.to_string())),
        Ok(m) if !m.is_file() => {
            return Err(invalid(
                "is not an ordinary file (a folder, pipe or device); book.toml must be a text file"
                    .into(),
            ))
        }
        Ok(m) if m.len() > MAX_BOOK_TOML_BYTES => {
            return Err(invalid(format!(
                "is {} bytes long; a book.toml holds a few short keys (at most {} kB)",
                m.len(),
                MAX_BOOK_TOML_BYTES / 1024
            )))
        }
        Ok(_) => {}
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BOOK_TOML_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| invalid(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        invalid(format!(
            "is not UTF-8 text (byte {} is not; save it as UTF-8)",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| BookError::InvalidToml {
            path: shown.clone(),
            message: e.message().to_string(),
        })?;
    for key in REQUIRED_KEYS {
        if !table.contains_key(key) {
            return Err(BookError::MissingKey {
                path: shown.clone(),
                key: key.into(),
            });
        }
    }
    let too_long = |key: &str, s: &str| BookError::InvalidKey {
        path: shown.clone(),
        key: key.into(),
        message: format!(
            "is {} letters long; a book.toml value holds at most {MAX_BOOK_VALUE_CHARS}",
            s.chars().count()
        ),
    };
    let text_key = |key: &str| -> Result<String, BookError> {
        match table.get(key) {
            Some(toml::Value::String(s)) if s.chars().count() > MAX_BOOK_VALUE_CHARS => {
                Err(too_long(key, s))
            }
            Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(crate::text::nfc(s.trim())),
            Some(toml::Value::String(_)) => Err(BookError::InvalidKey {
                path: shown.clone(),
                key: key.into(),
                message: "is empty".into(),
            }),
            Some(other) => Err(BookError::InvalidKey {
                path: shown.clone(),
                key: key.into(),
                message: format!("must be text in quotes, found {}", other.type_str()),
            }),
            None => Err(BookError::MissingKey {
                path: shown.clone(),
                key: key.into(),
            }),
        }
    };
    let register = text_key("register")?.to_uppercase();
    let volume = text_key("volume")?;
    let authority = text_key("authority")?;
    let year = match table.get("year") {
        Some(toml::Value::Integer(y)) if (1800..=2200).contains(y) => *y as i32,
        Some(toml::Value::String(s))
            if s.trim()
                .parse::<i32>()
                .is_ok_and(|y| (1800..=2200).contains(&y)) =>
        {
            s.trim().parse().unwrap_or_default()
        }
        Some(other) => {
            return Err(BookError::InvalidKey {
                path: shown,
                key: "year".into(),
                message: format!("must be a year such as 1998, found {other}"),
            })
        }
        None => unreachable!("checked above"),
    };
    let mut extra = BTreeMap::new();
    for (k, v) in &table {
        if REQUIRED_KEYS.contains(&k.as_str()) {
            continue;
        }
        let value = match v {
            toml::Value::String(s) if s.chars().count() > MAX_BOOK_VALUE_CHARS => {
                return Err(too_long(k, s))
            }
            toml::Value::String(s) => crate::text::nfc(s.trim()),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            other => other.to_string(),
        };
        if value.chars().count() > MAX_BOOK_VALUE_CHARS {
            return Err(too_long(k, &value));
        }
        extra.insert(k.clone(), value);
    }
    Ok(BookMeta {
        register,
        volume,
        year,
        authority,
        extra,
    })
}

fn read_book(root: &Path, dir: &Path, id: &str) -> Result<Book, BookError> {
    let toml_path = dir.join("book.toml");
    let meta = read_book_meta(&toml_path)?;
    let meta_sha256 = sha256_file(&toml_path).map_err(|e| BookError::Unreadable {
        path: toml_path.display().to_string(),
        message: e.to_string(),
    })?;
    let files = list_images(dir).map_err(|e| BookError::Unreadable {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    let mut pages = Vec::new();
    for file in files {
        let (rel, rel_bytes) = relative_path(root, &file);
        // An unreadable file still becomes a page: it fails at decoding, on its own.
        let sha = sha256_file(&file).unwrap_or_else(|_| "unreadable".into());
        let frames = if is_tiff(&file) {
            tiff_frame_count(&file).unwrap_or(1).max(1)
        } else {
            1
        };
        for frame in 0..frames {
            pages.push(PageSource {
                key: PageKey {
                    book_id: id.to_string(),
                    page: pages.len() as u32 + 1,
                },
                file: rel.clone(),
                file_bytes: rel_bytes.clone(),
                frame,
                sha256: sha.clone(),
            });
        }
    }
    if pages.is_empty() {
        return Err(BookError::NoPages {
            path: dir.display().to_string(),
        });
    }
    Ok(Book {
        id: id.to_string(),
        dir: dir.to_path_buf(),
        meta,
        meta_sha256,
        pages,
    })
}

/// The path of `file` under `root`, `/`-separated as shown, and its bytes in hex when a name
/// in it is not UTF-8 (shown with replacement marks, opened by its bytes).
fn relative_path(root: &Path, file: &Path) -> (String, Option<String>) {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let shown = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let bytes = rel.as_os_str().as_encoded_bytes();
    let exact = std::str::from_utf8(bytes).is_ok();
    (shown, (!exact).then(|| hex(bytes)))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// SHA-256 of a file's bytes, hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut reader = BufReader::new(std::fs::File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn tiff_frame_count(path: &Path) -> Option<u32> {
    let file = std::fs::File::open(path).ok()?;
    let mut decoder = tiff::decoder::Decoder::new(BufReader::new(file)).ok()?;
    let mut count = 1;
    while decoder.more_images() {
        if decoder.next_image().is_err() {
            break;
        }
        count += 1;
    }
    Some(count)
}

/// Absolute path of a page's file.
pub fn page_path(root: &Path, source: &PageSource) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    match source.file_bytes.as_deref().and_then(unhex) {
        Some(bytes) => root.join(std::ffi::OsString::from_vec(bytes)),
        None => root.join(&source.file),
    }
}

/// Decodes a page as it was scanned (colour kept).
pub fn load_page_rgb(root: &Path, source: &PageSource) -> Result<image::RgbImage, DecodeError> {
    Ok(load_page_dynamic(&page_path(root, source), source)?
        .0
        .to_rgb8())
}

/// Decodes a page to 8-bit grayscale.
pub fn load_page_gray(root: &Path, source: &PageSource) -> Result<GrayImage, DecodeError> {
    Ok(load_page_gray_checked(&page_path(root, source), source)?.0)
}

/// Decodes the page at `path` to 8-bit grayscale, with what the decoder found wrong although it
/// gave a picture (a file cut short): such a page is read, but its entries go to review.
pub fn load_page_gray_checked(
    path: &Path,
    source: &PageSource,
) -> Result<(GrayImage, Vec<String>), DecodeError> {
    let (image, warnings) = load_page_dynamic(path, source)?;
    Ok((image.to_luma8(), warnings))
}

/// A JPEG whose data stops before its end-of-image marker: decoders fill the missing rows with
/// grey and say nothing, so the lower part of the page (and its entries) would vanish in silence.
/// The marker is looked for after the first start-of-scan, so that a thumbnail's own end marker
/// in the header does not count; entropy-coded data never holds it (0xFF is stuffed with 0x00).
fn jpeg_cut_short(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    // Walk the header segments up to the first start of scan.
    let mut at = 2usize;
    let scan_start = loop {
        if at + 4 > bytes.len() {
            return true;
        }
        if bytes[at] != 0xFF {
            return false; // not a marker: not a JPEG this check understands
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        if marker == 0xDA {
            break at + 2 + len;
        }
        at += 2 + len;
    };
    let tail = bytes.get(scan_start..).unwrap_or_default();
    !tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

fn load_page_dynamic(
    path: &Path,
    source: &PageSource,
) -> Result<(image::DynamicImage, Vec<String>), DecodeError> {
    let path = path.to_path_buf();
    let file = source.file.clone();
    let bytes = std::fs::read(&path).map_err(|e| DecodeError::Io {
        file: file.clone(),
        source: e,
    })?;
    if source.sha256 != "unreadable" {
        let mut h = Sha256::new();
        h.update(&bytes);
        if hex(&h.finalize()) != source.sha256 {
            return Err(DecodeError::Changed { file });
        }
    }
    if is_tiff(&path) {
        return Ok((decode_tiff_frame(&bytes, source.frame, &file)?, Vec::new()));
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Io {
            file: file.clone(),
            source: e,
        })?;
    let jpeg = reader.format() == Some(image::ImageFormat::Jpeg);
    let image = reader.decode().map_err(|e| DecodeError::Image {
        file: file.clone(),
        message: e.to_string(),
    })?;
    let mut warnings = Vec::new();
    if jpeg && jpeg_cut_short(&bytes) {
        warnings.push(format!(
            "{file}: the JPEG file ends before its image does (premature end of data): the \
             lower part of the page may be missing; scan it again or check the copy"
        ));
    }
    Ok((image, warnings))
}

fn decode_tiff_frame(
    bytes: &[u8],
    frame: u32,
    file: &str,
) -> Result<image::DynamicImage, DecodeError> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::ColorType;
    let bad = |m: String| DecodeError::Image {
        file: file.to_string(),
        message: m,
    };
    let mut decoder = Decoder::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    for _ in 0..frame {
        if !decoder.more_images() {
            return Err(DecodeError::NoFrame {
                file: file.to_string(),
                frame,
            });
        }
        decoder.next_image().map_err(|e| bad(e.to_string()))?;
    }
    let (w, h) = decoder.dimensions().map_err(|e| bad(e.to_string()))?;
    let color = decoder.colortype().map_err(|e| bad(e.to_string()))?;
    let data = decoder.read_image().map_err(|e| bad(e.to_string()))?;
    let to_u8 = |d: DecodingResult| -> Result<Vec<u8>, DecodeError> {
        match d {
            DecodingResult::U8(v) => Ok(v),
            DecodingResult::U16(v) => Ok(v.into_iter().map(|x| (x >> 8) as u8).collect()),
            _ => Err(bad("unsupported sample format".into())),
        }
    };
    let too_short = || bad("the frame holds fewer pixels than its size says".into());
    match color {
        ColorType::Gray(1) => {
            // Bilevel scans: 1 bit per pixel, rows padded to whole bytes; 0 is black
            // (the decoder hands out the raw bits; WhiteIsZero files are rare for scans).
            let raw = to_u8(data)?;
            let stride = (w as usize).div_ceil(8);
            if raw.len() < stride * h as usize {
                return Err(too_short());
            }
            let img = GrayImage::from_fn(w, h, |x, y| {
                let byte = raw[y as usize * stride + x as usize / 8];
                let bit = (byte >> (7 - (x % 8))) & 1;
                image::Luma([if bit == 1 { 255 } else { 0 }])
            });
            Ok(image::DynamicImage::ImageLuma8(img))
        }
        ColorType::Gray(_) => {
            let raw = to_u8(data)?;
            GrayImage::from_raw(w, h, raw)
                .map(image::DynamicImage::ImageLuma8)
                .ok_or_else(too_short)
        }
        ColorType::RGB(_) => {
            let raw = to_u8(data)?;
            image::RgbImage::from_raw(w, h, raw)
                .map(image::DynamicImage::ImageRgb8)
                .ok_or_else(too_short)
        }
        ColorType::RGBA(_) => {
            let raw = to_u8(data)?;
            image::RgbaImage::from_raw(w, h, raw)
                .map(image::DynamicImage::ImageRgba8)
                .ok_or_else(too_short)
        }
        ColorType::GrayA(_) => {
            let raw = to_u8(data)?;
            image::GrayAlphaImage::from_raw(w, h, raw)
                .map(image::DynamicImage::ImageLumaA8)
                .ok_or_else(too_short)
        }
        other => Err(bad(format!("unsupported TIFF colour type {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const GOOD: &str = "register = \"KS\"\nvolume = \"01/1998\"\nyear = 1998\nauthority = \"UBND xã An Nhơn\"\nward_code = \"24892\"\n";

    fn png(path: &Path) {
        GrayImage::from_pixel(8, 8, image::Luma([255]))
            .save(path)
            .unwrap();
    }

    #[test]
    fn reads_book_meta_and_keeps_extra_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("book.toml");
        write(&p, GOOD);
        let m = read_book_meta(&p).unwrap();
        assert_eq!(m.register, "KS");
        assert_eq!(m.year, 1998);
        assert_eq!(m.get("ward_code").as_deref(), Some("24892"));
    }

    #[test]
    fn bad_book_toml_names_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("book.toml");
        write(
            &p,
            "register = \"KS\"\nvolume = \"01/1998\"\nauthority = \"x\"\n",
        );
        let e = read_book_meta(&p).unwrap_err();
        assert!(matches!(&e, BookError::MissingKey { key, .. } if key == "year"));
        assert!(e.to_string().contains("book.toml"));
        write(
            &p,
            "register = \"KS\"\nvolume = \"01\"\nyear = \"nineteen\"\nauthority = \"x\"\n",
        );
        let e = read_book_meta(&p).unwrap_err();
        assert!(
            matches!(&e, BookError::InvalidKey { key, .. } if key == "year"),
            "{e}"
        );
        write(&p, "register = [");
        assert!(matches!(
            read_book_meta(&p).unwrap_err(),
            BookError::InvalidToml { .. }
        ));
    }

    #[test]
    fn discovers_books_in_natural_order_and_isolates_bad_books() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("b1/book.toml"), GOOD);
        for name in ["p10.png", "p2.png", "p1.png"] {
            png(&root.join("b1").join(name));
        }
        std::fs::create_dir_all(root.join("b2")).unwrap();
        png(&root.join("b2/p1.png"));
        std::fs::create_dir_all(root.join("notes")).unwrap();
        let scan = discover(root).unwrap();
        assert_eq!(scan.books.len(), 1);
        let files: Vec<&str> = scan.books[0]
            .pages
            .iter()
            .map(|p| p.file.as_str())
            .collect();
        assert_eq!(files, ["b1/p1.png", "b1/p2.png", "b1/p10.png"]);
        assert_eq!(scan.books[0].pages[2].key.page, 3);
        assert_eq!(scan.failed.len(), 1);
        assert_eq!(scan.failed[0].0, "b2");
        assert!(matches!(scan.failed[0].1, BookError::MissingToml { .. }));
    }

    #[test]
    fn multi_page_tiff_counts_each_frame() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("b/book.toml"), GOOD);
        let path = root.join("b/all.tif");
        {
            let file = std::fs::File::create(&path).unwrap();
            let mut enc = tiff::encoder::TiffEncoder::new(file).unwrap();
            for shade in [10u8, 200u8] {
                let data = vec![shade; 16 * 8];
                enc.write_image::<tiff::encoder::colortype::Gray8>(16, 8, &data)
                    .unwrap();
            }
        }
        let scan = discover(root).unwrap();
        let pages = &scan.books[0].pages;
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].frame, 1);
        let second = load_page_gray(root, &pages[1]).unwrap();
        assert_eq!(second.get_pixel(3, 3).0[0], 200);
    }

    #[test]
    fn over_long_values_and_files_are_refused_naming_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("book.toml");
        let long = "x".repeat(MAX_BOOK_VALUE_CHARS + 1);
        write(&p, &GOOD.replace("UBND xã An Nhơn", &long));
        let e = read_book_meta(&p).unwrap_err();
        assert!(
            matches!(&e, BookError::InvalidKey { key, .. } if key == "authority"),
            "{e}"
        );
        write(&p, &format!("{GOOD}note = \"{long}\"\n"));
        let e = read_book_meta(&p).unwrap_err();
        assert!(
            matches!(&e, BookError::InvalidKey { key, .. } if key == "note"),
            "{e}"
        );
        write(&p, &format!("{GOOD}# {}\n", "y".repeat(70_000)));
        let e = read_book_meta(&p).unwrap_err();
        assert!(e.to_string().contains("few short keys"), "{e}");
    }

    #[test]
    fn hidden_files_are_not_pages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("b/book.toml"), GOOD);
        png(&root.join("b/page-001.png"));
        png(&root.join("b/._page-001.png"));
        std::fs::create_dir_all(root.join(".Trashes")).unwrap();
        png(&root.join(".Trashes/page-009.png"));
        let scan = discover(root).unwrap();
        assert_eq!(scan.books.len(), 1);
        assert_eq!(scan.books[0].pages.len(), 1);
        assert_eq!(scan.books[0].pages[0].file, "b/page-001.png");
    }

    #[test]
    fn a_jpeg_cut_short_is_told_from_a_whole_one() {
        let img = GrayImage::from_fn(64, 64, |x, y| image::Luma([((x * 4) ^ (y * 3)) as u8]));
        let mut whole = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut whole, 90)
            .encode_image(&img)
            .unwrap();
        assert!(!jpeg_cut_short(&whole));
        // Padding after the end marker, as some scanners write, is still whole.
        let mut padded = whole.clone();
        padded.extend_from_slice(&[0; 64]);
        assert!(!jpeg_cut_short(&padded));
        for cut in [whole.len() - 2, whole.len() / 2, 40] {
            assert!(jpeg_cut_short(&whole[..cut]), "cut at {cut}");
        }
        assert!(!jpeg_cut_short(b"\x89PNG"));
    }

    #[test]
    fn corrupt_image_is_a_decode_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("b/book.toml"), GOOD);
        std::fs::write(root.join("b/p1.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
        let scan = discover(root).unwrap();
        let err = load_page_gray(root, &scan.books[0].pages[0]).unwrap_err();
        assert!(err.to_string().contains("b/p1.png"), "{err}");
    }
}
