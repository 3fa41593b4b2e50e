//! Writing a synthetic set: page images (PNG, JPEG, multi-page TIFF), `book.toml`, `truth.csv`
//! and the set's manifest `synth.toml`.

use super::book::BookPlan;
use super::SynthError;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{GrayImage, ImageEncoder};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use tiff::encoder::{colortype, Compression, DeflateLevel, Rational, TiffEncoder};
use tiff::tags::ResolutionUnit;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SynthError + '_ {
    move |source| SynthError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn image_err(path: &Path, e: impl std::fmt::Display) -> SynthError {
    SynthError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes a file through a temporary name, so a killed run leaves no half-written image.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SynthError> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io_err(path))
}

/// Writes an 8-bit grayscale PNG. `fast` trades size for time: noisy pages barely compress and
/// the default level spends most of a page's time for a few percent.
pub fn write_png(path: &Path, img: &GrayImage, fast: bool) -> Result<(), SynthError> {
    let mut bytes = Vec::new();
    let compression = if fast {
        CompressionType::Fast
    } else {
        CompressionType::Default
    };
    PngEncoder::new_with_quality(&mut bytes, compression, FilterType::Adaptive)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| image_err(path, e))?;
    write_atomic(path, &bytes)
}

pub fn write_jpeg(path: &Path, img: &GrayImage, quality: u8) -> Result<(), SynthError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| image_err(path, e))?;
    write_atomic(path, &bytes)
}

/// A multi-page TIFF written a page at a time (deflate-compressed 8-bit gray).
pub struct TiffBook {
    path: std::path::PathBuf,
    encoder: TiffEncoder<BufWriter<File>>,
    dpi: u32,
}

impl TiffBook {
    pub fn create(path: &Path, dpi: u32) -> Result<TiffBook, SynthError> {
        let file = File::create(path).map_err(io_err(path))?;
        let encoder = TiffEncoder::new(BufWriter::new(file))
            .map_err(|e| image_err(path, e))?
            .with_compression(Compression::Deflate(DeflateLevel::Balanced));
        Ok(TiffBook {
            path: path.to_path_buf(),
            encoder,
            dpi,
        })
    }

    pub fn push(&mut self, img: &GrayImage) -> Result<(), SynthError> {
        let path = self.path.clone();
        let mut image = self
            .encoder
            .new_image::<colortype::Gray8>(img.width(), img.height())
            .map_err(|e| image_err(&path, e))?;
        image.resolution(ResolutionUnit::Inch, Rational { n: self.dpi, d: 1 });
        image
            .write_data(img.as_raw())
            .map_err(|e| image_err(&path, e))
    }
}

/// `book.toml` as ingest reads it; the codes name the delivery files.
#[derive(Serialize)]
struct BookToml<'a> {
    register: &'a str,
    volume: &'a str,
    year: i32,
    authority: &'a str,
    ward_code: String,
    district_code: String,
    province_code: String,
    district_initials: String,
    province_initials: String,
}

pub fn write_book_toml(dir: &Path, book: &BookPlan) -> Result<(), SynthError> {
    let c = &book.commune;
    let toml = BookToml {
        register: &book.edition.register,
        volume: &book.volume,
        year: book.year,
        authority: &book.authority,
        ward_code: c.ward_code(),
        district_code: c.district_code(),
        province_code: c.province_code(),
        district_initials: c.district_initials(),
        province_initials: c.province_initials(),
    };
    let text = toml::to_string(&toml).map_err(|e| image_err(&dir.join("book.toml"), e))?;
    let path = dir.join("book.toml");
    write_atomic(&path, text.as_bytes())
}

/// `truth.csv`: `book_id,page,entry,register` then the register's column keys.
pub fn write_truth(path: &Path, keys: &[&str], rows: &[Vec<String>]) -> Result<(), SynthError> {
    let csv_err = |e: csv::Error| SynthError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["book_id", "page", "entry", "register"];
    header.extend_from_slice(keys);
    w.write_record(&header).map_err(csv_err)?;
    for row in rows {
        w.write_record(row).map_err(csv_err)?;
    }
    let bytes = w.into_inner().map_err(|e| SynthError::Encode {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    write_atomic(path, &bytes)
}

/// What made the set, so it can be made again and recognised as ours before overwriting.
#[derive(Serialize)]
pub struct Manifest {
    pub generator: String,
    pub seed: u64,
    pub books: u32,
    pub pages: u32,
    pub profile: String,
    pub dpi: u32,
    pub book: Vec<ManifestBook>,
}

#[derive(Serialize)]
pub struct ManifestBook {
    pub id: String,
    pub edition: String,
    pub storage: String,
    pub value_font: String,
    pub upper_case_names: bool,
}

pub fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), SynthError> {
    let text = toml::to_string(manifest).map_err(|e| image_err(path, e))?;
    let mut bytes = Vec::new();
    bytes
        .write_all(b"# Written by `sohoa synth`; the folder may be overwritten by it.\n")
        .map_err(io_err(path))?;
    bytes.extend_from_slice(text.as_bytes());
    write_atomic(path, &bytes)
}
