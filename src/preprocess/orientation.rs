//! Pages fed to the scanner sideways or upside down. A page that yields no entry as scanned is
//! read again turned: upside down when it stands upright in shape, a quarter turn either way
//! when it lies on its side (a portrait form scanned landscape), keeping the turn whose entries
//! hold the most values. Boxes stay on the page as turned upright; [`Turn::box_on_scan`] maps
//! one back onto the scan as it is stored.

use crate::page::BBox;
use image::{imageops, GrayImage};

/// How far the scan was turned, clockwise, to stand the page upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    Quarter,
    Half,
    ThreeQuarters,
}

impl Turn {
    pub fn degrees(self) -> u16 {
        match self {
            Turn::Quarter => 90,
            Turn::Half => 180,
            Turn::ThreeQuarters => 270,
        }
    }

    pub fn from_degrees(degrees: u16) -> Option<Turn> {
        match degrees {
            90 => Some(Turn::Quarter),
            180 => Some(Turn::Half),
            270 => Some(Turn::ThreeQuarters),
            _ => None,
        }
    }

    /// The turns worth trying on a scan of this size, likeliest first: register pages are
    /// taller than wide, so a wide scan lies on its side.
    pub fn candidates(width: u32, height: u32) -> &'static [Turn] {
        if width > height {
            &[Turn::Quarter, Turn::ThreeQuarters]
        } else {
            &[Turn::Half]
        }
    }

    pub fn apply(self, image: &GrayImage) -> GrayImage {
        match self {
            Turn::Quarter => imageops::rotate90(image),
            Turn::Half => imageops::rotate180(image),
            Turn::ThreeQuarters => imageops::rotate270(image),
        }
    }

    /// A box on the turned page as a box on the scan, whose size is `scan_w` x `scan_h`.
    pub fn box_on_scan(self, b: BBox, scan_w: u32, scan_h: u32) -> BBox {
        match self {
            // The scan's column x became row x, its row y column (scan_h - 1 - y).
            Turn::Quarter => BBox::new(b.y, scan_h.saturating_sub(b.x + b.w), b.h, b.w),
            Turn::Half => BBox::new(
                scan_w.saturating_sub(b.x + b.w),
                scan_h.saturating_sub(b.y + b.h),
                b.w,
                b.h,
            ),
            Turn::ThreeQuarters => BBox::new(scan_w.saturating_sub(b.y + b.h), b.x, b.h, b.w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A scan with one dark box; turning it and mapping the box back finds the box again.
    #[test]
    fn a_box_on_the_turned_page_maps_back_onto_the_scan() {
        let (w, h) = (40u32, 30u32);
        let dark = BBox::new(5, 7, 6, 3);
        let scan = GrayImage::from_fn(w, h, |x, y| {
            let inside =
                (dark.x..dark.x + dark.w).contains(&x) && (dark.y..dark.y + dark.h).contains(&y);
            Luma([if inside { 0 } else { 255 }])
        });
        for turn in [Turn::Quarter, Turn::Half, Turn::ThreeQuarters] {
            let turned = turn.apply(&scan);
            let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
            for (x, y, p) in turned.enumerate_pixels() {
                if p[0] == 0 {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
            }
            let on_turned = BBox::new(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
            assert_eq!(turn.box_on_scan(on_turned, w, h), dark, "{turn:?}");
            assert_eq!(Turn::from_degrees(turn.degrees()), Some(turn));
        }
    }

    #[test]
    fn a_wide_scan_is_tried_on_its_sides_and_a_tall_one_upside_down() {
        assert_eq!(Turn::candidates(2339, 1654)[0], Turn::Quarter);
        assert_eq!(Turn::candidates(1654, 2339), &[Turn::Half]);
    }
}
