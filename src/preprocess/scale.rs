//! The resolution reading needs. Tesseract reads best at letters of about 20 to 30 px x-height
//! (its documentation, "Improving the quality of the output"), and its LSTM scales every text
//! line to 36 px high before reading it: a page scanned with larger letters costs more time in
//! preparation and in the engine's own thresholding and layout, and buys nothing. So the text's
//! x-height is measured on a small copy of the page, and a page whose letters are larger than
//! needed is brought down before anything else; every box read on it is mapped back to the
//! scan ([`Scale`]).

use super::background;
use image::{GrayImage, Luma};
use imageproc::region_labelling::{connected_components, Connectivity};

/// How a prepared image relates to the page it was made from: prepared pixels per original
/// pixel, per axis (the sizes are whole pixels, so the two differ in the last decimals).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub x: f64,
    pub y: f64,
}

impl Scale {
    pub const ONE: Scale = Scale { x: 1.0, y: 1.0 };

    /// The scale from an original of `from` pixels to a copy of `to` pixels.
    pub fn between(from: (u32, u32), to: (u32, u32)) -> Scale {
        Scale {
            x: to.0 as f64 / from.0 as f64,
            y: to.1 as f64 / from.1 as f64,
        }
    }

    pub fn is_one(&self) -> bool {
        *self == Scale::ONE
    }

    /// The original pixels a prepared rectangle (`x`, `y`, `w`, `h`, possibly fractional)
    /// covers: every original pixel that any of its pixels touches, within `limit` (the
    /// original's size). Each prepared pixel `i` stands for original pixels `[i/s, (i+1)/s)`.
    pub fn rect_to_original(
        &self,
        (x, y, w, h): (f64, f64, f64, f64),
        limit: (u32, u32),
    ) -> (u32, u32, u32, u32) {
        let span = |start: f64, len: f64, s: f64, max: u32| {
            // A hair of slack so that an exact pixel edge is not pushed to the next pixel by
            // the division's rounding.
            let a = ((start / s) + 1e-9).floor().clamp(0.0, max as f64 - 1.0) as u32;
            let b = (((start + len) / s) - 1e-9)
                .ceil()
                .clamp(a as f64 + 1.0, max as f64) as u32;
            (a, b - a)
        };
        let (ox, ow) = span(x, w, self.x, limit.0);
        let (oy, oh) = span(y, h, self.y, limit.1);
        (ox, oy, ow, oh)
    }
}

/// The size a page of `width` x `height` pixels whose text has `x_height` takes to be read:
/// itself when its letters are no larger than `target` (with a tenth to spare, so that pages
/// scanned near the target are not resampled for nothing), else brought down to it. Never
/// enlarged: small letters read better than blurred large ones.
pub fn reading_size(width: u32, height: u32, x_height: Option<f32>, target: f32) -> (u32, u32) {
    match x_height {
        Some(x) if target > 0.0 && x > target * 1.1 => {
            let s = (target / x) as f64;
            let side = |v: u32| ((v as f64 * s).round() as u32).max(1);
            (side(width), side(height))
        }
        _ => (width, height),
    }
}

/// The page's text x-height in pixels, measured on a copy reduced to about 1000 px high:
/// `None` when the page holds too few letters to tell.
///
/// Letters are the blobs of the reduced ink mask at least 3 px high and no more than 2.5 times
/// as wide as high (rules, leaders' dots and words run together are left out), each weighing
/// its width so that specks and accents count little. Their heights form peaks: lower-case
/// bodies (the x-height), and capitals, figures and ascenders some 1.3 to 1.6 times higher.
/// The taller peak wins on pages of names in capitals and dates, so a peak of at least a third
/// of its weight between 0.55 and 0.85 of its height is taken as the x-height when there is one.
pub fn measure_x_height(gray: &GrayImage) -> Option<f32> {
    let (w, h) = gray.dimensions();
    let k = (w.max(h) / 1000).max(1);
    let small = reduce_by(gray, k);
    let (sw, sh) = small.dimensions();
    if sw < 64 || sh < 64 {
        return None;
    }
    let flat = background::flatten(&small);
    let threshold = background::ink_threshold(&flat);
    let mask = GrayImage::from_fn(sw, sh, |x, y| {
        Luma([if flat.get_pixel(x, y)[0] < threshold {
            255
        } else {
            0
        }])
    });
    let labels = connected_components(&mask, Connectivity::Eight, Luma([0u8]));
    // Bounding boxes per label: (x0, y0, x1, y1).
    let mut boxes: Vec<(u32, u32, u32, u32)> = Vec::new();
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l[0] as usize;
        if l == 0 {
            continue;
        }
        if l > boxes.len() {
            boxes.resize(l, (u32::MAX, u32::MAX, 0, 0));
        }
        let b = &mut boxes[l - 1];
        *b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
    }
    let max_h = (sh / 20).max(4) as usize;
    let mut weight = vec![0f64; max_h + 2];
    let mut letters = 0usize;
    for &(x0, y0, x1, y1) in boxes.iter().filter(|b| b.0 != u32::MAX) {
        let (bw, bh) = ((x1 - x0 + 1) as usize, (y1 - y0 + 1) as usize);
        if bh >= 3 && bh <= max_h && bw * 2 <= bh * 5 {
            weight[bh] += bw as f64;
            letters += 1;
        }
    }
    if letters < 30 {
        return None;
    }
    // Peaks of the height histogram, smoothed over a pixel each side (a letter's height
    // varies by a pixel with where it falls on the reduced grid).
    let smooth = |i: usize| {
        weight[i.saturating_sub(1)..=(i + 1).min(weight.len() - 1)]
            .iter()
            .sum::<f64>()
    };
    // A peak's height to a fraction of a pixel: the weighted mean over it and its neighbours.
    let centre = |peak: usize| {
        let around = peak.saturating_sub(1)..=(peak + 1).min(weight.len() - 1);
        let total: f64 = around.clone().map(|i| weight[i]).sum();
        around.map(|i| i as f64 * weight[i]).sum::<f64>() / total
    };
    let tallest_peak = (3..=max_h).max_by(|&a, &b| smooth(a).total_cmp(&smooth(b)))?;
    let tall = centre(tallest_peak);
    // Lower peaks whose smoothing window stays clear of the tallest one's.
    let lower = ((tall * 0.55).ceil() as usize).max(3);
    let upper = ((tall * 0.85).floor() as usize).min((tall.round() as usize).saturating_sub(3));
    let body = (lower..=upper)
        .filter(|&i| smooth(i) * 3.0 >= smooth(tallest_peak))
        .max_by(|&a, &b| smooth(a).total_cmp(&smooth(b)));
    let height = body.map_or(tall, centre);
    Some((height * k as f64) as f32)
}

/// The mean of every `k` x `k` block (the last row and column of blocks may be smaller).
pub fn reduce_by(gray: &GrayImage, k: u32) -> GrayImage {
    if k <= 1 {
        return gray.clone();
    }
    let (w, h) = gray.dimensions();
    let (sw, sh) = (w.div_ceil(k), h.div_ceil(k));
    let raw = gray.as_raw();
    let mut sums = vec![0u32; sw as usize];
    let mut counts = vec![0u32; sw as usize];
    let mut out = Vec::with_capacity((sw * sh) as usize);
    for by in 0..sh {
        sums.fill(0);
        counts.fill(0);
        for y in by * k..((by + 1) * k).min(h) {
            let row = &raw[(y * w) as usize..((y + 1) * w) as usize];
            for (x, &v) in row.iter().enumerate() {
                let c = x / k as usize;
                sums[c] += v as u32;
                counts[c] += 1;
            }
        }
        out.extend(sums.iter().zip(&counts).map(|(s, n)| (s / n) as u8));
    }
    GrayImage::from_raw(sw, sh, out).expect("sized above")
}

/// The page resampled to `to` (smaller or equal) with a Catmull-Rom filter widened to the
/// reduction, so that it averages away what the smaller page cannot hold without softening the
/// strokes: averaging the area each new pixel covers blurs the marks of small letters (the
/// dot of ạ, the horn of ư), which the reading of Vietnamese depends on.
/// New pixel `i` is centred on original position `(i + 0.5) / s`. Two passes (rows, then
/// columns) in fixed point, linear in the pixels.
pub fn resample(gray: &GrayImage, to: (u32, u32)) -> GrayImage {
    let (w, h) = gray.dimensions();
    if to == (w, h) {
        return gray.clone();
    }
    let xs = taps(w, to.0);
    let ys = taps(h, to.1);
    let raw = gray.as_raw();
    // Rows first: h rows of to.0 values, in 1/4096 of a level (the filter's lobes may go
    // below 0 and above 255 until the end).
    let mut rows = vec![0i32; (to.0 * h) as usize];
    for y in 0..h as usize {
        let src = &raw[y * w as usize..(y + 1) * w as usize];
        let dst = &mut rows[y * to.0 as usize..(y + 1) * to.0 as usize];
        for (d, t) in dst.iter_mut().zip(&xs) {
            *d = t
                .weights
                .iter()
                .zip(&src[t.first as usize..])
                .map(|(&k, &v)| k * v as i32)
                .sum();
        }
    }
    let mut out = vec![0u8; (to.0 * to.1) as usize];
    let mut acc = vec![0i64; to.0 as usize];
    for (y, t) in ys.iter().enumerate() {
        acc.fill(0);
        for (j, &k) in t.weights.iter().enumerate() {
            let row = t.first as usize + j;
            let src = &rows[row * to.0 as usize..(row + 1) * to.0 as usize];
            for (a, &v) in acc.iter_mut().zip(src) {
                *a += v as i64 * k as i64;
            }
        }
        let dst = &mut out[y * to.0 as usize..(y + 1) * to.0 as usize];
        for (d, &a) in dst.iter_mut().zip(&acc) {
            *d = ((a + (1 << 23)) >> 24).clamp(0, 255) as u8;
        }
    }
    GrayImage::from_raw(to.0, to.1, out).expect("sized above")
}

/// The original pixels one new pixel draws on, from `first`, with their weights in 1/4096
/// (summing to 4096 exactly).
struct Taps {
    first: u32,
    weights: Vec<i32>,
}

/// Catmull-Rom (the cubic with B = 0, C = 0.5) at `x` in units of its support.
fn catmull_rom(x: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        1.5 * x * x * x - 2.5 * x * x + 1.0
    } else if x < 2.0 {
        -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0
    } else {
        0.0
    }
}

fn taps(from: u32, to: u32) -> Vec<Taps> {
    let ratio = from as f64 / to as f64;
    // The filter is stretched by the reduction so that it averages what falls between two
    // new pixels.
    let stretch = ratio.max(1.0);
    let support = 2.0 * stretch;
    (0..to)
        .map(|i| {
            let centre = (i as f64 + 0.5) * ratio;
            let lo = ((centre - support).floor().max(0.0)) as u32;
            let hi = ((centre + support).ceil().min(from as f64)) as u32;
            let raw: Vec<f64> = (lo..hi)
                .map(|p| catmull_rom((p as f64 + 0.5 - centre) / stretch))
                .collect();
            let sum: f64 = raw.iter().sum();
            let mut weights: Vec<i32> = raw
                .iter()
                .map(|k| (k / sum * 4096.0).round() as i32)
                .collect();
            // Rounding may leave the sum a unit or two off: the largest weight takes it.
            let off = 4096 - weights.iter().sum::<i32>();
            if let Some(big) = weights.iter_mut().max() {
                *big += off;
            }
            Taps { first: lo, weights }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_maps_back_to_the_original_pixels_it_covers() {
        // 2480 x 3508 brought to 1860 x 2631 (x 0.75).
        let s = Scale::between((2480, 3508), (1860, 2631));
        let limit = (2480, 3508);
        // Prepared pixels 30..33 are original pixels 40..44 exactly (3 / 0.75 = 4).
        assert_eq!(s.rect_to_original((30.0, 0.0, 3.0, 3.0), limit).0, 40);
        assert_eq!(s.rect_to_original((30.0, 0.0, 3.0, 3.0), limit).2, 4);
        // A box whose edges fall inside original pixels covers them whole.
        let (x, y, w, h) = s.rect_to_original((10.0, 20.0, 7.0, 5.0), limit);
        assert_eq!((x, w), (13, 10), "13.33..22.67 covers pixels 13 to 22");
        assert_eq!(y, (20.0f64 / (2631.0 / 3508.0)).floor() as u32);
        assert!((6..=8).contains(&h), "{h}");
        // The whole prepared page is the whole original page; nothing falls outside it.
        assert_eq!(
            s.rect_to_original((0.0, 0.0, 1860.0, 2631.0), limit),
            (0, 0, 2480, 3508)
        );
        assert_eq!(
            s.rect_to_original((1859.0, 2630.0, 5.0, 5.0), limit),
            (2478, 3506, 2, 2)
        );
        // At scale one a box is itself.
        assert_eq!(
            Scale::ONE.rect_to_original((10.0, 20.0, 7.0, 5.0), limit),
            (10, 20, 7, 5)
        );
    }

    #[test]
    fn ink_keeps_its_place_through_the_resize_and_back() {
        // A dark bar on original columns 400..460, rows 300..330, of a 1000 x 800 page.
        let page = GrayImage::from_fn(1000, 800, |x, y| {
            Luma([if (400..460).contains(&x) && (300..330).contains(&y) {
                0
            } else {
                255
            }])
        });
        let to = reading_size(1000, 800, Some(30.0), 20.0);
        assert_eq!(to, (667, 533));
        let small = resample(&page, to);
        let s = Scale::between((1000, 800), to);
        // The bar's box on the small page, mapped back, is the bar's box on the original.
        let dark: Vec<(u32, u32)> = small
            .enumerate_pixels()
            .filter(|p| p.2[0] < 128)
            .map(|p| (p.0, p.1))
            .collect();
        let x0 = dark.iter().map(|p| p.0).min().unwrap();
        let x1 = dark.iter().map(|p| p.0).max().unwrap();
        let y0 = dark.iter().map(|p| p.1).min().unwrap();
        let y1 = dark.iter().map(|p| p.1).max().unwrap();
        let (bx, by, bw, bh) = s.rect_to_original(
            (
                x0 as f64,
                y0 as f64,
                (x1 - x0 + 1) as f64,
                (y1 - y0 + 1) as f64,
            ),
            (1000, 800),
        );
        assert!(bx <= 400 && bx + 2 >= 400, "left edge {bx}");
        assert!(bx + bw >= 460 && bx + bw <= 462, "right edge {}", bx + bw);
        assert!(by <= 300 && by + 2 >= 300, "top edge {by}");
        assert!(by + bh >= 330 && by + bh <= 332, "bottom edge {}", by + bh);
        // The filter keeps the page's mean tone.
        let mean = |g: &GrayImage| g.pixels().map(|p| p[0] as f64).sum::<f64>() / g.len() as f64;
        assert!((mean(&page) - mean(&small)).abs() < 0.5);
        // Paper stays paper, ink stays ink well inside the bar.
        assert_eq!(small.get_pixel(10, 10)[0], 255);
        assert_eq!(small.get_pixel(286, 210)[0], 0);
    }

    #[test]
    fn pages_are_brought_down_to_the_target_and_never_up() {
        assert_eq!(reading_size(2480, 3508, Some(26.0), 20.0), (1908, 2698));
        assert_eq!(reading_size(1654, 2339, Some(17.0), 20.0), (1654, 2339));
        assert_eq!(
            reading_size(1654, 2339, Some(21.5), 20.0),
            (1654, 2339),
            "near the target"
        );
        assert_eq!(reading_size(2480, 3508, None, 20.0), (2480, 3508));
    }

    /// A page of "text": lines of letter-like blocks, `x` px high bodies and every third one
    /// taller by `tall` (ascenders, capitals), or two in three with `capitals`; dots between
    /// words.
    fn text_page(scale: f32, tall: f32, capitals: bool) -> GrayImage {
        let x = (17.0 * scale) as u32;
        let t = (x as f32 * tall) as u32;
        let mut g = GrayImage::from_pixel(
            (1654.0 * scale) as u32,
            (2339.0 * scale) as u32,
            Luma([240]),
        );
        let (w, h) = g.dimensions();
        let line = (x as f32 * 3.0) as u32;
        for row in 0..(h - 2 * line) / line {
            let base = line + row * line + t;
            let mut px = (100.0 * scale) as u32;
            let mut i = 0;
            while px + x < w - (100.0 * scale) as u32 {
                let height = if (i % 3 == 0) != capitals { t } else { x };
                for yy in base - height..base {
                    for xx in px..px + (x as f32 * 0.7) as u32 {
                        g.put_pixel(xx, yy, Luma([30]));
                    }
                }
                px += x;
                i += 1;
                if i % 6 == 0 {
                    // A leader dot in the word gap.
                    let d = (3.0 * scale) as u32;
                    for yy in base - d..base {
                        for xx in px..px + d {
                            g.put_pixel(xx, yy, Luma([30]));
                        }
                    }
                    px += x;
                }
            }
        }
        g
    }

    #[test]
    fn the_x_height_is_measured_at_any_resolution() {
        for (scale, capitals) in [(1.0f32, false), (1.5, false), (2.0, false), (1.5, true)] {
            let page = text_page(scale, 1.45, capitals);
            let x = measure_x_height(&page).expect("a page of text");
            let truth = (17.0 * scale).floor();
            assert!(
                (x - truth).abs() <= truth * 0.12,
                "scale {scale}, capitals {capitals}: measured {x}, drawn {truth}"
            );
        }
        assert_eq!(
            measure_x_height(&GrayImage::from_pixel(1654, 2339, Luma([240]))),
            None
        );
    }
}
