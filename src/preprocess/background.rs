//! Paper flattening: divides the page by an estimate of its paper tone, so uneven light,
//! yellowed paper and stains become white while ink, even faded ink, stays dark; then a global
//! Otsu threshold on the flattened page separates ink from paper.

use image::GrayImage;
use imageproc::contrast::otsu_level;
use imageproc::filter::box_filter;

/// Downscale factor of the background estimate.
const CELL: u32 = 8;

/// The paper tone around every pixel: the brightest value per 8x8 cell (ink strokes are
/// thinner than a cell), spread by a max filter so a whole glyph sits inside paper, smoothed.
fn paper_tone(gray: &GrayImage) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (cw, ch) = (w.div_ceil(CELL), h.div_ceil(CELL));
    let mut cells = vec![0u8; (cw * ch) as usize];
    for (y, row) in gray.as_raw().chunks_exact(w as usize).enumerate() {
        let cells_row = &mut cells[(y / CELL as usize) * cw as usize..][..cw as usize];
        for (best, run) in cells_row.iter_mut().zip(row.chunks(CELL as usize)) {
            *best = run.iter().fold(*best, |m, &v| m.max(v));
        }
    }
    let cells = GrayImage::from_raw(cw, ch, cells).expect("sized above");
    // Glyphs up to ~5 cells across (a bold capital at 300 dpi) must not darken the tone.
    let spread = max_filter(&cells, 2);
    box_filter(&spread, 3, 3)
}

/// The largest value within `radius` cells (a square window), as two passes: rows, columns.
fn max_filter(img: &GrayImage, radius: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let (w, h, r) = (w as usize, h as usize, radius as usize);
    let src = img.as_raw();
    let mut rows = vec![0u8; w * h];
    for y in 0..h {
        let line = &src[y * w..(y + 1) * w];
        for x in 0..w {
            rows[y * w + x] = line[x.saturating_sub(r)..(x + r + 1).min(w)]
                .iter()
                .copied()
                .max()
                .unwrap_or(0);
        }
    }
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
            let (dst, line) = (&mut out[y * w..(y + 1) * w], &rows[yy * w..(yy + 1) * w]);
            for (d, &v) in dst.iter_mut().zip(line) {
                *d = (*d).max(v);
            }
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).expect("sized above")
}

/// The page divided by its paper tone: paper near 255, ink keeps its contrast to the paper.
pub fn flatten(gray: &GrayImage) -> GrayImage {
    let tone = paper_tone(gray);
    let (w, h) = gray.dimensions();
    // `p * 255 / t` for every tone and pixel value, looked up: the division per pixel was most
    // of the cost.
    let mut table = vec![0u8; 256 * 256];
    for t in 0..256usize {
        let d = t.max(1);
        for p in 0..256usize {
            table[t * 256 + p] = ((p * 255) / d).min(255) as u8;
        }
    }
    let (tw, th) = (tone.width() as usize, tone.height() as usize);
    let tones = tone.as_raw();
    let mut out = vec![0u8; (w * h) as usize];
    for (y, (src, dst)) in gray
        .as_raw()
        .chunks_exact(w as usize)
        .zip(out.chunks_exact_mut(w as usize))
        .enumerate()
    {
        let tone_row = &tones[(y / CELL as usize).min(th - 1) * tw..][..tw];
        for (x, (&p, d)) in src.iter().zip(dst.iter_mut()).enumerate() {
            let t = tone_row[(x / CELL as usize).min(tw - 1)] as usize;
            *d = table[t * 256 + p as usize];
        }
    }
    GrayImage::from_raw(w, h, out).expect("sized above")
}

/// Grain of a flattened page: the median absolute deviation of its pixels from their median
/// (mostly paper). Clean scans stay within a few levels; a grainy scan of faded ink spreads
/// the paper so wide that no single threshold separates it from the ink.
pub fn grain(flat: &GrayImage) -> u32 {
    let mut hist = [0u64; 256];
    for p in flat.pixels() {
        hist[p[0] as usize] += 1;
    }
    let half = (flat.width() as u64 * flat.height() as u64).div_ceil(2);
    let quantile = |h: &[u64]| {
        let mut seen = 0;
        for (v, n) in h.iter().enumerate() {
            seen += n;
            if seen >= half {
                return v as u32;
            }
        }
        255
    };
    let median = quantile(&hist);
    let mut dev = [0u64; 256];
    for (v, n) in hist.iter().enumerate() {
        dev[(v as i32 - median as i32).unsigned_abs() as usize] += n;
    }
    quantile(&dev)
}

/// Grain above which the ink mask is taken from a lightly smoothed page ([`smoothed`]).
pub const GRAINY: u32 = 8;

/// What the ink mask of a grainy page is cut from: the page smoothed a little, so that grain
/// averages out while strokes and dots (darker, and several pixels across) stay ink. A clean
/// page's mask is cut from the page itself.
pub fn smoothed(flat: &GrayImage) -> GrayImage {
    imageproc::filter::gaussian_blur_f32(flat, 0.8)
}

/// Ink threshold of a flattened page: Otsu's level, kept within bounds so that a page of
/// mostly paper or mostly ink does not push it to an extreme.
pub fn ink_threshold(flat: &GrayImage) -> u8 {
    otsu_level(flat).clamp(110, 215)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

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

    #[test]
    fn grainy_faded_pages_are_masked_from_a_smoothed_copy() {
        // Paper 215 with +-24 grain (a fixed pseudo-random pattern), faded ink strokes of 150.
        let grainy = GrayImage::from_fn(300, 200, |x, y| {
            let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104729)).wrapping_mul(2654435761) >> 27;
            let ink = (40..44).contains(&y) || (100..103).contains(&x);
            Luma([if ink { 150 } else { 191 + n as u8 * 3 / 2 }])
        });
        let flat = flatten(&grainy);
        assert!(grain(&flat) > GRAINY, "grain {}", grain(&flat));
        let basis = smoothed(&flat);
        let t = ink_threshold(&basis);
        let ink_share = basis.pixels().filter(|p| p[0] < t).count() as f32 / (300.0 * 200.0);
        assert!(basis.get_pixel(150, 41)[0] < t && basis.get_pixel(101, 150)[0] < t);
        assert!(ink_share < 0.1, "grain stays paper: {ink_share}");
        // A clean page is masked as it is.
        let clean = GrayImage::from_fn(300, 200, |_, y| Luma([if y == 40 { 60 } else { 250 }]));
        let flat = flatten(&clean);
        assert!(grain(&flat) <= GRAINY);
    }
}
