//! Turning a page to straighten it. imageproc's general warp maps every pixel through a
//! projection in floating point with bounds-checked reads, and was the costliest step of
//! preparing a skewed page; a turn about the centre moves the source position by the same step
//! along every output row, so here the position advances in fixed point by two additions a pixel.

use image::GrayImage;

/// Fixed-point unit of source positions: 1/65536 of a pixel, so that the step's rounding drifts
/// by well under a tenth of a pixel across a page.
const ONE: i64 = 1 << 16;

/// `gray` turned by `theta` radians about its centre, with bilinear interpolation and white
/// where the turned page uncovers no paper: the same image as imageproc's
/// `rotate_about_center(gray, theta, Interpolation::Bilinear, Border::Constant(255))` to within
/// a few grey levels on stroke edges (it computes positions in `f32`).
pub fn rotate_about_centre_white(gray: &GrayImage, theta: f32) -> GrayImage {
    let (w, h) = gray.dimensions();
    let (wi, hi) = (w as i64, h as i64);
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let (s, c) = (theta as f64).sin_cos();
    let src = gray.as_raw();
    let at = |x: i64, y: i64| -> i64 {
        if x >= 0 && y >= 0 && x < wi && y < hi {
            src[(y * wi + x) as usize] as i64
        } else {
            255
        }
    };
    let fixed = |v: f64| (v * ONE as f64).round() as i64;
    // Output (x, y) reads the source at the centre plus the offset turned back by theta.
    let (step_x, step_y) = (fixed(c), fixed(-s));
    let mut out = vec![255u8; (w as usize) * (h as usize)];
    for (y, row) in out.chunks_exact_mut(w as usize).enumerate() {
        let (dx, dy) = (-cx, y as f64 - cy);
        let mut sx = fixed(c * dx + s * dy + cx);
        let mut sy = fixed(-s * dx + c * dy + cy);
        for d in row.iter_mut() {
            // An arithmetic shift floors negative positions too.
            let (x0, y0) = (sx >> 16, sy >> 16);
            let (fx, fy) = (sx & (ONE - 1), sy & (ONE - 1));
            let top = at(x0, y0) * (ONE - fx) + at(x0 + 1, y0) * fx;
            let bottom = at(x0, y0 + 1) * (ONE - fx) + at(x0 + 1, y0 + 1) * fx;
            let v = (top * (ONE - fy) + bottom * fy + (1 << 31)) >> 32;
            *d = v.clamp(0, 255) as u8;
            sx += step_x;
            sy += step_y;
        }
    }
    GrayImage::from_raw(w, h, out).expect("sized as the page")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;
    use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};

    #[test]
    fn the_turn_matches_imageproc_within_a_few_grey_levels() {
        // Text-like strokes and a gradient, so that both the places and the blend are checked.
        let page = GrayImage::from_fn(640, 480, |x, y| {
            let stroke = (x / 3 + y / 5) % 7 < 2 && (y / 11) % 3 != 0;
            Luma([if stroke {
                20
            } else {
                200 + ((x + y) % 50) as u8
            }])
        });
        for degrees in [-3.5f32, -0.4, 0.25, 2.0] {
            let theta = degrees.to_radians();
            let ours = rotate_about_centre_white(&page, theta);
            let theirs = rotate_about_center(
                &page,
                theta,
                Interpolation::Bilinear,
                Border::Constant(Luma([255u8])),
            );
            // The page's edge pixels may blend with the outside differently.
            for y in 3..477 {
                for x in 3..637 {
                    let (a, b) = (ours.get_pixel(x, y)[0], theirs.get_pixel(x, y)[0]);
                    assert!(
                        a.abs_diff(b) <= 3,
                        "{degrees} deg at ({x}, {y}): {a} vs {b}"
                    );
                }
            }
        }
    }
}
