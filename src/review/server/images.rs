//! Page images for the review page: each page decoded once, stood upright as it was read, and
//! kept reduced in a small least-recently-used cache; crops of fields and whole pages are cut
//! from that copy and sent as JPEG scaled for a screen.
//!
//! Memory stays bounded: a reduced page is at most [`MAX_SIDE`] pixels on its long side (about
//! 12 MB in colour) and at most `capacity` pages are kept.

use crate::page::{BBox, PageKey, PageSource};
use crate::preprocess::orientation::Turn;
use image::{imageops, RgbImage};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// Long side of the kept copy: 2400 pixels keeps an A4 page at about 200 dpi, as legible as the
/// scans sohoa reads, and still lets the entry view zoom in.
pub const MAX_SIDE: u32 = 2400;
/// Widest image sent.
pub const MAX_WIDTH: u32 = 2400;
const JPEG_QUALITY: u8 = 85;

/// One page as kept: the reduced upright copy and the size of the upright original, in whose
/// pixels every box of the page results is given.
pub struct PageImage {
    pub reduced: RgbImage,
    pub width: u32,
    pub height: u32,
}

impl PageImage {
    fn scale(&self) -> f64 {
        self.reduced.width() as f64 / self.width.max(1) as f64
    }
}

/// Where a page's image comes from: the run's own page (never a path from a request).
#[derive(Debug, Clone)]
pub struct PageFile {
    pub key: PageKey,
    pub root: PathBuf,
    pub source: PageSource,
    /// How far the page was turned to be read (boxes are on the page as turned).
    pub turned_degrees: u16,
}

type Slot = Arc<OnceLock<Result<Arc<PageImage>, String>>>;

/// The cache of decoded pages.
pub struct PageImages {
    capacity: usize,
    slots: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    map: HashMap<PageKey, Slot>,
    /// Least recently used first.
    order: VecDeque<PageKey>,
}

impl PageImages {
    pub fn new(capacity: usize) -> Self {
        PageImages {
            capacity: capacity.max(1),
            slots: Mutex::new(Slots::default()),
        }
    }

    /// The page, decoded on first use. Two requests for the same page wait for one decoding;
    /// requests for other pages do not wait.
    pub fn get(&self, file: &PageFile) -> Result<Arc<PageImage>, String> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(at) = slots.order.iter().position(|k| *k == file.key) {
                let key = slots.order.remove(at).expect("position found");
                slots.order.push_back(key);
            } else {
                slots.order.push_back(file.key.clone());
            }
            let slot = slots.map.entry(file.key.clone()).or_default().clone();
            while slots.map.len() > self.capacity {
                let Some(oldest) = slots.order.pop_front() else {
                    break;
                };
                slots.map.remove(&oldest);
            }
            slot
        };
        let result = slot.get_or_init(|| decode(file).map(Arc::new)).clone();
        if result.is_err() {
            // A failure is not kept: the file may be put right while the server runs.
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            if slots
                .map
                .get(&file.key)
                .is_some_and(|s| Arc::ptr_eq(s, &slot))
            {
                slots.map.remove(&file.key);
                slots.order.retain(|k| *k != file.key);
            }
        }
        result
    }

    /// Pages held now (for tests of the bound).
    pub fn len(&self) -> usize {
        self.slots.lock().map_or(0, |s| s.map.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn decode(file: &PageFile) -> Result<PageImage, String> {
    let scan = crate::ingest::load_page_rgb(&file.root, &file.source).map_err(|e| e.to_string())?;
    let upright = match Turn::from_degrees(file.turned_degrees) {
        Some(Turn::Quarter) => imageops::rotate90(&scan),
        Some(Turn::Half) => imageops::rotate180(&scan),
        Some(Turn::ThreeQuarters) => imageops::rotate270(&scan),
        None => scan,
    };
    let (width, height) = upright.dimensions();
    let long = width.max(height);
    let reduced = if long > MAX_SIDE {
        let f = MAX_SIDE as f64 / long as f64;
        let w = ((width as f64 * f).round() as u32).max(1);
        let h = ((height as f64 * f).round() as u32).max(1);
        imageops::thumbnail(&upright, w, h)
    } else {
        upright
    };
    Ok(PageImage {
        reduced,
        width,
        height,
    })
}

/// The part of the page in `region` (original pixels; the whole page when `None` or when it
/// lies off the page), at most `max_width` pixels wide, as JPEG.
pub fn crop_jpeg(page: &PageImage, region: Option<BBox>, max_width: u32) -> Vec<u8> {
    let s = page.scale();
    let (rw, rh) = page.reduced.dimensions();
    let cut = region.and_then(|b| {
        let x0 = ((b.x as f64 * s).floor() as u32).min(rw);
        let y0 = ((b.y as f64 * s).floor() as u32).min(rh);
        let x1 = (((b.x as f64 + b.w as f64) * s).ceil() as u32).min(rw);
        let y1 = (((b.y as f64 + b.h as f64) * s).ceil() as u32).min(rh);
        (x1 > x0 && y1 > y0).then(|| BBox::new(x0, y0, x1 - x0, y1 - y0))
    });
    let part = match cut {
        Some(c) => imageops::crop_imm(&page.reduced, c.x, c.y, c.w, c.h).to_image(),
        None => page.reduced.clone(),
    };
    let max_width = max_width.clamp(16, MAX_WIDTH);
    let part = if part.width() > max_width {
        let h =
            ((part.height() as f64 * max_width as f64 / part.width() as f64).round() as u32).max(1);
        imageops::thumbnail(&part, max_width, h)
    } else {
        part
    };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    // Encoding an in-memory RGB image to a Vec cannot fail but for a zero-sized image,
    // which the crop above never makes.
    let _ = part.write_with_encoder(encoder);
    out
}

/// A field's box with a little of the page around it: the label to its left and a line above
/// and below, so that the reader sees what the value is.
pub fn with_context(b: BBox) -> BBox {
    let line = b.h.max(12);
    let left = (line * 6).max(b.w / 2);
    let right = line * 2;
    let up = line + line / 4;
    let x = b.x.saturating_sub(left);
    let y = b.y.saturating_sub(up);
    BBox::new(x, y, b.right() + right - x, b.bottom() + up - y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(w: u32, h: u32) -> (tempfile::TempDir, PageFile) {
        let dir = tempfile::tempdir().unwrap();
        let img = RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 256) as u8, 0, 0]));
        let path = dir.path().join("p.png");
        img.save(&path).unwrap();
        let sha = crate::ingest::sha256_file(&path).unwrap();
        let file = PageFile {
            key: PageKey {
                book_id: "b".into(),
                page: 1,
            },
            root: dir.path().to_path_buf(),
            source: PageSource {
                key: PageKey {
                    book_id: "b".into(),
                    page: 1,
                },
                file: "p.png".into(),
                file_bytes: None,
                frame: 0,
                sha256: sha,
            },
            turned_degrees: 0,
        };
        (dir, file)
    }

    #[test]
    fn a_large_page_is_kept_reduced_and_crops_are_cut_in_page_pixels() {
        let (_d, file) = page(3600, 1200);
        let cache = PageImages::new(2);
        let p = cache.get(&file).unwrap();
        assert_eq!((p.width, p.height), (3600, 1200));
        assert_eq!(p.reduced.dimensions(), (2400, 800));
        let jpeg = crop_jpeg(&p, Some(BBox::new(300, 300, 600, 150)), 900);
        let crop = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((crop.width(), crop.height()), (400, 100));
        // A region off the page gives the whole page, scaled to the width asked.
        let whole =
            image::load_from_memory(&crop_jpeg(&p, Some(BBox::new(5000, 0, 10, 10)), 600)).unwrap();
        assert_eq!((whole.width(), whole.height()), (600, 200));
    }

    #[test]
    fn the_cache_keeps_only_its_capacity_and_a_turned_page_stands_upright() {
        let (_d, mut file) = page(40, 30);
        file.turned_degrees = 90;
        let cache = PageImages::new(2);
        let p = cache.get(&file).unwrap();
        assert_eq!((p.width, p.height), (30, 40));
        for n in 2..6 {
            let mut other = file.clone();
            other.key.page = n;
            cache.get(&other).unwrap();
            assert!(cache.len() <= 2);
        }
        // A file that changed since the run is refused, and the failure is not kept.
        std::fs::write(file.root.join("p.png"), b"changed").unwrap();
        file.key.page = 99;
        assert!(cache.get(&file).is_err());
        assert!(cache.len() <= 2);
    }
}
