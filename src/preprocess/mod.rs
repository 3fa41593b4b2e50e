//! Page image preparation before OCR: paper flattening (uneven tone, stains, faded ink),
//! deskew, and removal of the dotted leaders, rules and specks that make Tesseract emit junk
//! and drop whole lines.

mod background;
mod leaders;
pub mod orientation;
mod rotate;
pub mod scale;
mod skew;

use crate::page::BBox;
use image::{GrayImage, Luma};
pub use scale::Scale;

/// Tunables of preparation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PreprocessParams {
    /// Largest skew searched for, in degrees (scans come in rotated by up to 3).
    pub max_skew_degrees: f32,
    /// Skew below this is left alone (rotation blurs a little).
    pub min_skew_degrees: f32,
    /// Paint out dotted leaders, rules and specks.
    pub remove_leaders: bool,
    /// The x-height (pixels) a page is read at: a page whose letters are larger is brought
    /// down to it (see [`scale`]). 20 px is the low end of Tesseract's best range and what
    /// 12-point type gives at 220 dpi; pages scanned at 200 dpi (17-19 px) are read as they
    /// are, and read as well as at 300 dpi. 0 reads every page at its own resolution.
    #[serde(default = "default_reading_x_height")]
    pub reading_x_height: f32,
}

fn default_reading_x_height() -> f32 {
    20.0
}

impl Default for PreprocessParams {
    fn default() -> Self {
        Self {
            max_skew_degrees: 4.0,
            min_skew_degrees: 0.1,
            remove_leaders: true,
            reading_x_height: default_reading_x_height(),
        }
    }
}

/// A page ready for OCR.
#[derive(Debug, Clone)]
pub struct PreparedPage {
    /// Flattened, deskewed page at its reading resolution: paper white, ink keeping its grey
    /// levels, leaders erased.
    pub image: GrayImage,
    /// Rotation applied to straighten the page, degrees (positive: the scan's lines descended
    /// to the right and were turned counter-clockwise).
    pub skew_degrees: f32,
    /// Size of the page it was made from, pixels.
    pub original: (u32, u32),
    /// `image`'s pixels per original pixel.
    pub scale: Scale,
    /// The text's x-height measured on the original, pixels (`None`: too little text to tell).
    pub x_height: Option<f32>,
}

impl PreparedPage {
    /// Maps a box on the prepared image back to the original page image: its centre is turned
    /// back about the page centre, the size kept (within 3 degrees the difference is a pixel or
    /// two); then brought to the original's resolution, covering every original pixel the box
    /// touches.
    pub fn to_original(&self, b: BBox) -> BBox {
        let (mut x, mut y) = (b.x as f64, b.y as f64);
        if self.skew_degrees != 0.0 {
            let (w, h) = (self.image.width() as f64, self.image.height() as f64);
            let (cx, cy) = (w / 2.0, h / 2.0);
            let (bx, by) = (x + b.w as f64 / 2.0 - cx, y + b.h as f64 / 2.0 - cy);
            let t = (self.skew_degrees as f64).to_radians();
            let (s, c) = t.sin_cos();
            // The page was turned by -t to straighten it; turn back by +t.
            let ox = bx * c - by * s + cx;
            let oy = bx * s + by * c + cy;
            x = (ox - b.w as f64 / 2.0).round().clamp(0.0, w - 1.0);
            y = (oy - b.h as f64 / 2.0).round().clamp(0.0, h - 1.0);
        }
        if self.scale.is_one() {
            return BBox::new(x as u32, y as u32, b.w, b.h);
        }
        let (x, y, w, h) = self
            .scale
            .rect_to_original((x, y, b.w as f64, b.h as f64), self.original);
        BBox::new(x, y, w, h)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PreprocessError {
    #[error("the image is empty ({width}x{height} pixels)")]
    Empty { width: u32, height: u32 },
    #[error("the image is too small to be a page ({width}x{height} pixels)")]
    TooSmall { width: u32, height: u32 },
}

/// Prepares a grayscale page for OCR: brought to its reading resolution first, so that all
/// the work after costs what the letters need, not what the scanner gave.
pub fn prepare_page(
    gray: &GrayImage,
    params: &PreprocessParams,
) -> Result<PreparedPage, PreprocessError> {
    let original = gray.dimensions();
    let (width, height) = original;
    if width == 0 || height == 0 {
        return Err(PreprocessError::Empty { width, height });
    }
    if width < 64 || height < 64 {
        return Err(PreprocessError::TooSmall { width, height });
    }
    let x_height = scale::measure_x_height(gray);
    let size = scale::reading_size(width, height, x_height, params.reading_x_height);
    let resized;
    let gray = if size == original {
        gray
    } else {
        resized = scale::resample(gray, size);
        &resized
    };
    let (width, height) = size;
    let flat = background::flatten(gray);
    // A grainy page's mask is cut from a smoothed copy; a clean page's from itself.
    let grainy = background::grain(&flat) > background::GRAINY;
    let smooth = |flat: &GrayImage| grainy.then(|| background::smoothed(flat));
    let mut basis = smooth(&flat);
    let threshold = background::ink_threshold(basis.as_ref().unwrap_or(&flat));
    let skew = {
        let b = basis.as_ref().unwrap_or(&flat);
        skew::InkPoints::sample(width, height, 4, |x, y| b.get_pixel(x, y)[0] < threshold)
            .estimate(params.max_skew_degrees)
    };
    let (mut image, skew) = if skew.abs() >= params.min_skew_degrees {
        // Rotating the flattened page keeps the paper white in the corners; the mask basis
        // is made again from the turned page rather than turned itself (one rotation, not two).
        let turned = rotate::rotate_about_centre_white(&flat, -skew.to_radians());
        basis = smooth(&turned);
        (turned, skew)
    } else {
        (flat, 0.0)
    };
    let mask = GrayImage::from_raw(
        width,
        height,
        basis
            .as_ref()
            .unwrap_or(&image)
            .as_raw()
            .iter()
            .map(|&v| if v < threshold { 255 } else { 0 })
            .collect(),
    )
    .expect("sized as the page");
    drop(basis);
    // Paper to pure white: stains and grain below the ink level vanish.
    for (p, &m) in image.iter_mut().zip(mask.as_raw()) {
        if m == 0 {
            *p = 255;
        }
    }
    if params.remove_leaders {
        let (blobs, labels) = leaders::blobs(&mask);
        let letter = leaders::letter_height(&blobs);
        let found = leaders::non_text(&blobs, letter, &labels);
        if !found.labels.is_empty() {
            let last = blobs.iter().map(|b| b.label).max().unwrap_or(0);
            let mut erase = vec![false; last as usize + 1];
            for l in found.labels {
                if let Some(e) = erase.get_mut(l as usize) {
                    *e = true;
                }
            }
            for (p, &l) in image.iter_mut().zip(labels.as_raw()) {
                if erase.get(l as usize).copied().unwrap_or(false) {
                    *p = 255;
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
        original,
        scale: Scale::between(original, size),
        x_height,
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
            original: (1000, 1000),
            scale: Scale::ONE,
            x_height: None,
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
    fn a_page_read_smaller_gives_boxes_on_the_scan() {
        // A 300-dpi page of 26 px letters is read at 20 px; a mark drawn at a known place on
        // the scan is found on the prepared page and mapped back onto itself.
        let mut scan = GrayImage::from_pixel(2480, 3508, Luma([235]));
        let letter = |scan: &mut GrayImage, x0: u32, y0: u32, w: u32, h: u32| {
            for y in y0..y0 + h {
                for x in x0..x0 + w {
                    scan.put_pixel(x, y, Luma([25]));
                }
            }
        };
        for line in 0..40 {
            let base = 300 + line * 75;
            for i in 0..70 {
                let tall = i % 4 == 0;
                let h = if tall { 37 } else { 26 };
                letter(&mut scan, 150 + i * 30, base - h, 18, h);
            }
        }
        let mark = BBox::new(1203, 3301, 61, 47);
        letter(&mut scan, mark.x, mark.y, mark.w, mark.h);
        let page = prepare_page(&scan, &PreprocessParams::default()).unwrap();
        let x = page.x_height.expect("measured");
        assert!((x - 26.0).abs() <= 2.0, "x-height {x}");
        assert!(
            page.scale.x < 0.85 && page.scale.x > 0.7,
            "{:?}",
            page.scale
        );
        assert_eq!(page.original, (2480, 3508));
        // The mark on the prepared page: its dark pixels below the last line of letters.
        let dark: Vec<(u32, u32)> = page
            .image
            .enumerate_pixels()
            .filter(|(_, y, p)| *y as f64 > 3260.0 * page.scale.y && p[0] < 128)
            .map(|(x, y, _)| (x, y))
            .collect();
        let (x0, x1) = (
            dark.iter().map(|p| p.0).min().unwrap(),
            dark.iter().map(|p| p.0).max().unwrap(),
        );
        let (y0, y1) = (
            dark.iter().map(|p| p.1).min().unwrap(),
            dark.iter().map(|p| p.1).max().unwrap(),
        );
        let found = page.to_original(BBox::new(x0, y0, x1 - x0 + 1, y1 - y0 + 1));
        let near = |a: u32, b: u32| a.abs_diff(b) <= 2;
        assert!(
            near(found.x, mark.x)
                && near(found.y, mark.y)
                && near(found.right(), mark.right())
                && near(found.y + found.h, mark.y + mark.h),
            "mark {mark:?} found at {found:?}"
        );
        // The whole prepared page is the whole scan.
        let whole = BBox::new(0, 0, page.image.width(), page.image.height());
        assert_eq!(page.to_original(whole), BBox::new(0, 0, 2480, 3508));
    }

    #[test]
    fn an_empty_or_tiny_image_is_an_error() {
        assert!(prepare_page(&GrayImage::new(0, 10), &Default::default()).is_err());
        assert!(prepare_page(&GrayImage::new(20, 20), &Default::default()).is_err());
    }
}
