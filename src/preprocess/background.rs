//! Paper flattening: divides the page by an estimate of its paper tone, so uneven light,
//! yellowed paper and stains become white while ink, even faded ink, stays dark; then a global
//! Otsu threshold on the flattened page separates ink from paper.

use image::{GrayImage, Luma};
use imageproc::contrast::otsu_level;
use imageproc::filter::box_filter;

/// Downscale factor of the background estimate.
const CELL: u32 = 8;

/// The paper tone around every pixel: the brightest value per 8x8 cell (ink strokes are
/// thinner than a cell), spread by a max filter so a whole glyph sits inside paper, smoothed.
fn paper_tone(gray: &GrayImage) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let mut cells = GrayImage::new(cw, ch);
    for cy in 0..ch {
        for cx in 0..cw {
            let mut best = 0u8;
            for y in cy * CELL..((cy + 1) * CELL).min(h) {
                for x in cx * CELL..((cx + 1) * CELL).min(w) {
                    best = best.max(gray.get_pixel(x, y)[0]);
                }
            }
            cells.put_pixel(cx, cy, Luma([best]));
        }
    }
    // Glyphs up to ~5 cells across (a bold capital at 300 dpi) must not darken the tone.
    let spread = max_filter(&cells, 2);
    box_filter(&spread, 3, 3)
}

fn max_filter(img: &GrayImage, radius: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let r = radius as i64;
    let mut out = GrayImage::new(w, h);
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            let mut m = 0u8;
            for dy in -r..=r {
                for dx in -r..=r {
                    let (xx, yy) = (x + dx, y + dy);
                    if xx >= 0 && yy >= 0 && xx < w as i64 && yy < h as i64 {
                        m = m.max(img.get_pixel(xx as u32, yy as u32)[0]);
                    }
                }
            }
            out.put_pixel(x as u32, y as u32, Luma([m]));
        }
    }
    out
}

/// The page divided by its paper tone: paper near 255, ink keeps its contrast to the paper.
pub fn flatten(gray: &GrayImage) -> GrayImage {
    let tone = paper_tone(gray);
    let (w, h) = gray.dimensions();
    let mut out = GrayImage::new(w, h);
    for y in 0..h {
        let ty = (y / CELL).min(tone.height() - 1);
        for x in 0..w {
            let t = tone.get_pixel((x / CELL).min(tone.width() - 1), ty)[0].max(1) as u32;
            let p = gray.get_pixel(x, y)[0] as u32;
            out.put_pixel(x, y, Luma([((p * 255) / t).min(255) as u8]));
        }
    }
    out
}

/// Ink threshold of a flattened page: Otsu's level, kept within bounds so that a page of
/// mostly paper or mostly ink does not push it to an extreme.
pub fn ink_threshold(flat: &GrayImage) -> u8 {
    otsu_level(flat).clamp(110, 215)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uneven_paper_becomes_white_and_faded_ink_stays_ink() {
        // Paper darkening from 240 on the left to 150 on the right; "ink" squares of 90.
        let mut g = GrayImage::from_fn(400, 200, |x, _| Luma([(240 - x * 90 / 400) as u8]));
        for (x0, y0) in [(20u32, 20u32), (350, 150)] {
            for y in y0..y0 + 4 {
                for x in x0..x0 + 30 {
                    g.put_pixel(x, y, Luma([90]));
                }
            }
        }
        let flat = flatten(&g);
        let t = ink_threshold(&flat);
        assert!(flat.get_pixel(380, 50)[0] > t, "dark paper reads as paper");
        assert!(flat.get_pixel(10, 190)[0] > t);
        assert!(flat.get_pixel(30, 21)[0] < t, "ink on light paper");
        assert!(flat.get_pixel(360, 151)[0] < t, "ink on dark paper");
    }
}
