//! Page image preparation before OCR: paper flattening (uneven tone, stains, faded ink),
//! deskew, and removal of the dotted leaders, rules and specks that make Tesseract emit junk
//! and drop whole lines.

mod background;
mod leaders;
pub mod orientation;
mod skew;

use crate::page::BBox;
use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};

/// Tunables of preparation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PreprocessParams {
    /// Largest skew searched for, in degrees (scans come in rotated by up to 3).
    pub max_skew_degrees: f32,
    /// Skew below this is left alone (rotation blurs a little).
    pub min_skew_degrees: f32,
    /// Paint out dotted leaders, rules and specks.
    pub remove_leaders: bool,
}

impl Default for PreprocessParams {
    fn default() -> Self {
        Self {
            max_skew_degrees: 4.0,
            min_skew_degrees: 0.1,
            remove_leaders: true,
        }
    }
}

/// A page ready for OCR.
#[derive(Debug, Clone)]
pub struct PreparedPage {
    /// Flattened, deskewed page: paper white, ink keeping its grey levels, leaders erased.
    /// Same size as the original.
    pub image: GrayImage,
    /// Rotation applied to straighten the page, degrees (positive: the scan's lines descended
    /// to the right and were turned counter-clockwise).
    pub skew_degrees: f32,
}

impl PreparedPage {
    /// Maps a box on the prepared image back to the original page image: its centre is turned
    /// back about the page centre; the size is kept (within 3 degrees the difference is a
    /// pixel or two).
    pub fn to_original(&self, b: BBox) -> BBox {
        if self.skew_degrees == 0.0 {
            return b;
        }
        let (w, h) = (self.image.width() as f32, self.image.height() as f32);
        let (cx, cy) = (w / 2.0, h / 2.0);
        let (bx, by) = (
            b.x as f32 + b.w as f32 / 2.0 - cx,
            b.y as f32 + b.h as f32 / 2.0 - cy,
        );
        let t = self.skew_degrees.to_radians();
        let (s, c) = t.sin_cos();
        // The page was turned by -t to straighten it; turn back by +t.
        let ox = bx * c - by * s + cx;
        let oy = bx * s + by * c + cy;
        let x = (ox - b.w as f32 / 2.0).round().clamp(0.0, w - 1.0) as u32;
        let y = (oy - b.h as f32 / 2.0).round().clamp(0.0, h - 1.0) as u32;
        BBox::new(x, y, b.w, b.h)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PreprocessError {
    #[error("the image is empty ({width}x{height} pixels)")]
    Empty { width: u32, height: u32 },
    #[error("the image is too small to be a page ({width}x{height} pixels)")]
    TooSmall { width: u32, height: u32 },
}

/// Prepares a grayscale page for OCR.
pub fn prepare_page(
    gray: &GrayImage,
    params: &PreprocessParams,
) -> Result<PreparedPage, PreprocessError> {
    let (width, height) = gray.dimensions();
    if width == 0 || height == 0 {
        return Err(PreprocessError::Empty { width, height });
    }
    if width < 64 || height < 64 {
        return Err(PreprocessError::TooSmall { width, height });
    }
    let flat = background::flatten(gray);
    let basis = background::mask_basis(&flat);
    let threshold = background::ink_threshold(&basis);
    let skew = skew::InkPoints::sample(width, height, 4, |x, y| {
        basis.get_pixel(x, y)[0] < threshold
    })
    .estimate(params.max_skew_degrees);
    let ((flat, basis), skew) = if skew.abs() >= params.min_skew_degrees {
        // Rotating the flattened page keeps the paper white in the corners.
        let turn = |img: &GrayImage| {
            rotate_about_center(
                img,
                -skew.to_radians(),
                Interpolation::Bilinear,
                Border::Constant(Luma([255u8])),
            )
        };
        ((turn(&flat), turn(&basis)), skew)
    } else {
        ((flat, basis), 0.0)
    };
    let mut image = flat;
    let mask = GrayImage::from_fn(width, height, |x, y| {
        Luma([if basis.get_pixel(x, y)[0] < threshold {
            255
        } else {
            0
        }])
    });
    // Paper to pure white: stains and grain below the ink level vanish.
    for (p, m) in image.pixels_mut().zip(mask.pixels()) {
        if m[0] == 0 {
            p[0] = 255;
        }
    }
    if params.remove_leaders {
        let (blobs, labels) = leaders::blobs(&mask);
        let letter = leaders::letter_height(&blobs);
        let found = leaders::non_text(&blobs, letter, &labels);
        let erase: std::collections::HashSet<u32> = found.labels.into_iter().collect();
        if !erase.is_empty() {
            for (p, l) in image.pixels_mut().zip(labels.pixels()) {
                if l[0] != 0 && erase.contains(&l[0]) {
                    p[0] = 255;
                }
            }
        }
        for b in found.boxes {
            for y in b.y0..=b.y1 {
                for x in b.x0..=b.x1 {
                    image.put_pixel(x, y, Luma([255]));
                }
            }
        }
    }
    Ok(PreparedPage {
        image,
        skew_degrees: skew,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_map_back_through_the_rotation() {
        let page = PreparedPage {
            image: GrayImage::new(1000, 1000),
            skew_degrees: 2.0,
        };
        let b = BBox::new(800, 490, 40, 20);
        let o = page.to_original(b);
        // A point right of centre moves down when turned back by +2 degrees (y grows down).
        assert!(o.y > b.y, "{o:?}");
        assert_eq!((o.w, o.h), (40, 20));
        let straight = PreparedPage {
            skew_degrees: 0.0,
            ..page
        };
        assert_eq!(straight.to_original(b), b);
    }

    #[test]
    fn an_empty_or_tiny_image_is_an_error() {
        assert!(prepare_page(&GrayImage::new(0, 10), &Default::default()).is_err());
        assert!(prepare_page(&GrayImage::new(20, 20), &Default::default()).is_err());
    }
}
