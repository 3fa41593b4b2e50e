//! The `degraded` profile: what years on a shelf and a hurried scan do to a page. Rotation up to
//! ±3°, blur, noise, uneven paper tone, stains, faded ink and JPEG artefacts, each drawn at
//! random within bounds that keep the page legible to a clerk.

//!
//! Every whole-page operation goes through `DynamicImage` methods (compiled, optimised, inside
//! the image crate) or through plain loops over byte slices: image's and imageproc's generic
//! functions would be compiled unoptimised in this crate's dev builds, at tens of seconds a
//! page.

use image::{DynamicImage, GrayImage};
use rand::Rng;

/// Bounds of the degradation; the defaults are the brief's: a clerk could still key the page.
#[derive(Debug, Clone, PartialEq)]
pub struct DegradeParams {
    /// Largest skew either way, in degrees (scans come in rotated by up to 3°).
    pub max_rotation_deg: f32,
    pub blur_sigma: (f32, f32),
    pub noise_sigma: (f64, f64),
    /// Darkest and lightest paper tone.
    pub paper_tone: (u8, u8),
    pub max_stains: u32,
    /// Gray level of faded ink (0 is black).
    pub faded_ink: (u8, u8),
    /// Chance that a page stored as its own file is a JPEG, and its quality range.
    pub jpeg_share: f64,
    pub jpeg_quality: (u8, u8),
}

impl Default for DegradeParams {
    fn default() -> Self {
        Self {
            max_rotation_deg: 3.0,
            blur_sigma: (0.4, 1.0),
            noise_sigma: (5.0, 15.0),
            paper_tone: (170, 245),
            max_stains: 3,
            faded_ink: (60, 120),
            jpeg_share: 0.3,
            jpeg_quality: (40, 75),
        }
    }
}

/// A soft blob darkening the paper, in page fractions.
#[derive(Debug, Clone, PartialEq)]
struct Stain {
    x: f32,
    y: f32,
    radius: f32,
    /// How many gray levels the centre loses.
    depth: f32,
}

/// A patch of faded ink, in page fractions; `radius` infinite means the whole page.
#[derive(Debug, Clone, PartialEq)]
struct Fade {
    x: f32,
    y: f32,
    radius: f32,
    level: u8,
}

/// The degradation drawn for one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Degradation {
    pub rotation_deg: f32,
    pub blur_sigma: f32,
    pub noise_sigma: f64,
    /// Paper tone at the lightest point and how much darker the far side and the edges get.
    paper_light: f32,
    paper_drop: f32,
    gradient_angle: f32,
    vignette: f32,
    stains: Vec<Stain>,
    fades: Vec<Fade>,
    noise_seed: u64,
}

impl Degradation {
    pub fn random(rng: &mut impl Rng, p: &DegradeParams) -> Degradation {
        let (dark, light) = (p.paper_tone.0 as f32, p.paper_tone.1 as f32);
        let paper_light = rng.gen_range((light - 15.0).max(dark)..=light);
        let paper_drop = rng.gen_range(0.0..=(paper_light - dark).max(0.0) * 0.6);
        let vignette = rng.gen_range(0.0..=(paper_light - dark - paper_drop).max(0.0));
        let stains = (0..rng.gen_range(0..=p.max_stains))
            .map(|_| Stain {
                x: rng.gen_range(0.05..0.95),
                y: rng.gen_range(0.05..0.95),
                radius: rng.gen_range(0.04..0.14),
                depth: rng.gen_range(15.0..45.0),
            })
            .collect();
        let fades = if rng.gen_bool(0.25) {
            vec![Fade {
                x: 0.5,
                y: 0.5,
                radius: f32::INFINITY,
                level: rng.gen_range(p.faded_ink.0..=p.faded_ink.1),
            }]
        } else {
            (0..rng.gen_range(0..=3))
                .map(|_| Fade {
                    x: rng.gen_range(0.0..1.0),
                    y: rng.gen_range(0.0..1.0),
                    radius: rng.gen_range(0.08..0.25),
                    level: rng.gen_range(p.faded_ink.0..=p.faded_ink.1),
                })
                .collect()
        };
        Degradation {
            rotation_deg: rng.gen_range(-p.max_rotation_deg..=p.max_rotation_deg),
            blur_sigma: rng.gen_range(p.blur_sigma.0..=p.blur_sigma.1),
            noise_sigma: rng.gen_range(p.noise_sigma.0..=p.noise_sigma.1),
            paper_light,
            paper_drop,
            gradient_angle: rng.gen_range(0.0..std::f32::consts::TAU),
            vignette,
            stains,
            fades,
            noise_seed: rng.gen(),
        }
    }

    /// Paper tone as a row term plus a column term: a linear gradient and a vignette are both
    /// sums of a function of x and a function of y, so the whole page costs one addition a pixel.
    fn paper_terms(&self, width: usize, height: usize) -> (Vec<i32>, Vec<i32>) {
        let (dx, dy) = (self.gradient_angle.cos(), self.gradient_angle.sin());
        let term = |t: f32, direction: f32| -> i32 {
            let along = (t - 0.5) * direction;
            let edge = (t - 0.5) * (t - 0.5) * 2.0;
            (-(self.paper_drop * along) - self.vignette * edge).round() as i32
        };
        let base = (self.paper_light - self.paper_drop * 0.5).round() as i32;
        let cols = (0..width)
            .map(|x| base + term(x as f32 / width as f32, dx))
            .collect();
        let rows = (0..height)
            .map(|y| term(y as f32 / height as f32, dy))
            .collect();
        (rows, cols)
    }

    /// Ink lightness added by fading, per pixel (0 where the ink is intact).
    fn fade_map(&self, width: usize, height: usize) -> Option<Vec<u8>> {
        if self.fades.is_empty() {
            return None;
        }
        let mut map = vec![0u8; width * height];
        for f in &self.fades {
            if f.radius.is_infinite() {
                map.fill(f.level);
                continue;
            }
            // A disc whose fading falls off linearly with the squared distance.
            let r = f.radius * width as f32;
            let (cx, cy) = (f.x * width as f32, f.y * height as f32);
            for_disc(width, height, cx, cy, r, |i, d2| {
                let level = (f.level as f32 * (1.0 - d2)) as u8;
                if level > map[i] {
                    map[i] = level;
                }
            });
        }
        Some(map)
    }

    /// Applies the degradation to a clean page (black ink on white).
    pub fn apply(&self, clean: &GrayImage) -> GrayImage {
        let (width, height) = (clean.width() as usize, clean.height() as usize);
        let (rows, cols) = self.paper_terms(width, height);
        let fade = self.fade_map(width, height);
        let src: &[u8] = clean;
        let mut out = vec![0u8; src.len()];
        // Plain index loops: this crate's dev builds are unoptimised, and iterator adapters
        // cost a function call each per pixel there.
        let mut i = 0;
        let mut y = 0;
        while y < height {
            let row = rows[y];
            let mut x = 0;
            while x < width {
                let tone = row + cols[x];
                let paper = if tone < 0 {
                    0
                } else if tone > 255 {
                    255
                } else {
                    tone as u32
                };
                // Ink darkness, lightened where the ink faded, laid on the paper tone.
                let mut darkness = 255 - src[i] as u32;
                if let Some(f) = &fade {
                    darkness = darkness * (255 - f[i] as u32) / 255;
                }
                out[i] = (paper * (255 - darkness) / 255) as u8;
                i += 1;
                x += 1;
            }
            y += 1;
        }
        for s in &self.stains {
            // Paper and ink under a stain both darken: a multiplication, softly edged.
            let r = s.radius * width as f32;
            let (cx, cy) = (s.x * width as f32, s.y * height as f32);
            let depth = s.depth / 255.0;
            for_disc(width, height, cx, cy, r, |i, d2| {
                let k = depth * (1.0 - d2) * (1.0 - d2);
                out[i] = (out[i] as f32 * (1.0 - k)) as u8;
            });
        }
        let mut out = GrayImage::from_raw(width as u32, height as u32, out)
            .expect("buffer of the page's size");
        if self.rotation_deg.abs() > 0.01 {
            out = rotate(out, self.rotation_deg.to_radians());
        }
        if self.blur_sigma > 0.0 {
            out = DynamicImage::ImageLuma8(out)
                .blur(self.blur_sigma)
                .into_luma8();
        }
        if self.noise_sigma > 0.0 {
            add_noise(&mut out, self.noise_sigma as f32, self.noise_seed);
        }
        out
    }
}

/// Calls `f(index, d2)` for each pixel of the disc, `d2` the squared distance from the centre
/// over the squared radius (0 at the centre, below 1 inside).
fn for_disc(width: usize, height: usize, cx: f32, cy: f32, r: f32, mut f: impl FnMut(usize, f32)) {
    if r <= 0.0 {
        return;
    }
    let y0 = (cy - r).max(0.0) as usize;
    let y1 = ((cy + r).ceil() as usize).min(height);
    let x0 = (cx - r).max(0.0) as usize;
    let x1 = ((cx + r).ceil() as usize).min(width);
    let r2 = r * r;
    let mut y = y0;
    while y < y1 {
        let dy = y as f32 - cy;
        let mut x = x0;
        while x < x1 {
            let dx = x as f32 - cx;
            let d2 = (dx * dx + dy * dy) / r2;
            if d2 < 1.0 {
                f(y * width + x, d2);
            }
            x += 1;
        }
        y += 1;
    }
}

/// Rotation by three shears (Paeth): rows shifted whole pixels, columns sheared by turning the
/// page a quarter and shearing rows. No resampling; the blur that follows hides the steps.
/// Positive angles turn the page clockwise as seen on screen.
pub fn rotate(img: GrayImage, radians: f32) -> GrayImage {
    let a = -(radians / 2.0).tan();
    let b = radians.sin();
    let img = shear_rows(img, a);
    let turned = DynamicImage::ImageLuma8(img).rotate90().into_luma8();
    let turned = shear_rows(turned, -b);
    let img = DynamicImage::ImageLuma8(turned).rotate270().into_luma8();
    shear_rows(img, a)
}

/// Shifts each row by `factor` times its distance from the middle row (white fills the gap).
fn shear_rows(mut img: GrayImage, factor: f32) -> GrayImage {
    let (width, height) = (img.width() as usize, img.height() as usize);
    let middle = height as f32 / 2.0;
    let buf: &mut [u8] = &mut img;
    let mut row_copy = vec![0u8; width];
    for y in 0..height {
        let shift = (factor * (y as f32 - middle)).round() as isize;
        if shift == 0 {
            continue;
        }
        let row = &mut buf[y * width..(y + 1) * width];
        row_copy.copy_from_slice(row);
        row.fill(255);
        let n = width.saturating_sub(shift.unsigned_abs());
        if shift > 0 {
            row[shift as usize..shift as usize + n].copy_from_slice(&row_copy[..n]);
        } else {
            let s = shift.unsigned_abs();
            row[..n].copy_from_slice(&row_copy[s..s + n]);
        }
    }
    img
}

/// Adds Gaussian noise of standard deviation `sigma`: a table of normal deviates indexed by a
/// xorshift generator, cheap enough per pixel even unoptimised.
fn add_noise(img: &mut GrayImage, sigma: f32, seed: u64) {
    const TABLE: usize = 4096;
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // Box-Muller pairs.
    let mut table = [0i16; TABLE];
    for pair in table.chunks_mut(2) {
        let u1 = ((next() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        let u2 = (next() >> 11) as f64 / (1u64 << 53) as f64;
        let r = (-2.0 * u1.ln()).sqrt() * sigma as f64;
        let t = std::f64::consts::TAU * u2;
        pair[0] = (r * t.cos()).round() as i16;
        if pair.len() > 1 {
            pair[1] = (r * t.sin()).round() as i16;
        }
    }
    let buf: &mut [u8] = img;
    let mut bits = 0;
    let mut left = 0;
    let mut i = 0;
    while i < buf.len() {
        // One 64-bit draw gives five 12-bit indices.
        if left == 0 {
            bits = next();
            left = 5;
        }
        let index = (bits & (TABLE as u64 - 1)) as usize;
        bits >>= 12;
        left -= 1;
        let value = buf[i] as i16 + table[index];
        buf[i] = if value < 0 {
            0
        } else if value > 255 {
            255
        } else {
            value as u8
        };
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn degradation_stays_within_bounds_and_keeps_contrast() {
        let params = DegradeParams::default();
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut clean = GrayImage::from_pixel(200, 280, Luma([255]));
        for x in 60..140 {
            for y in 130..150 {
                clean.put_pixel(x, y, Luma([20]));
            }
        }
        for _ in 0..10 {
            let d = Degradation::random(&mut rng, &params);
            assert!(d.rotation_deg.abs() <= 3.0);
            assert!((0.4..=1.0).contains(&d.blur_sigma));
            let out = d.apply(&clean);
            assert_eq!(out.dimensions(), clean.dimensions());
            let ink = out.get_pixel(100, 140)[0] as i32;
            let paper = out.get_pixel(100, 60)[0] as i32;
            assert!(paper - ink > 40, "ink {ink} on paper {paper}");
        }
    }

    /// A horizontal and a vertical bar both turn by the angle: a rotation, not a shear.
    #[test]
    fn three_shears_rotate() {
        let mut img = GrayImage::from_pixel(400, 400, Luma([255]));
        for i in 50..350 {
            for t in 0..3 {
                img.put_pixel(i, 100 + t, Luma([0]));
                img.put_pixel(300 + t, i, Luma([0]));
            }
        }
        let turned = rotate(img, 3f32.to_radians());
        let dark_row = |x: u32| (0..400).find(|&y| turned.get_pixel(x, y)[0] < 128 && y < 250);
        let dark_col = |y: u32| (0..400).rev().find(|&x| turned.get_pixel(x, y)[0] < 128);
        let (y1, y2) = (dark_row(80).unwrap() as f32, dark_row(220).unwrap() as f32);
        let (x1, x2) = (dark_col(150).unwrap() as f32, dark_col(300).unwrap() as f32);
        let horizontal = ((y2 - y1) / 140.0).atan().to_degrees();
        let vertical = ((x1 - x2) / 150.0).atan().to_degrees();
        assert!(
            (horizontal - 3.0).abs() < 0.6,
            "horizontal bar at {horizontal}"
        );
        assert!((vertical - 3.0).abs() < 0.6, "vertical bar at {vertical}");
    }
}
