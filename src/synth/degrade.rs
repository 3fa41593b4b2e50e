//! The `degraded` profile: what years on a shelf and a hurried scan do to a page. Rotation up to
//! ±3°, blur, noise, uneven paper tone, stains, faded ink and JPEG artefacts, each drawn at
//! random within bounds that keep the page legible to a clerk.

use image::imageops::{self, FilterType};
use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};
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
                    radius: rng.gen_range(0.1..0.35),
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

    /// Paper tone and ink fade on a coarse grid (one cell per `CELL` pixels), smooth by nature.
    fn maps(&self, width: u32, height: u32) -> (GrayImage, GrayImage) {
        let (gw, gh) = (width.div_ceil(CELL).max(2), height.div_ceil(CELL).max(2));
        let aspect = height as f32 / width as f32;
        let (dx, dy) = (self.gradient_angle.cos(), self.gradient_angle.sin());
        let mut paper = GrayImage::new(gw, gh);
        let mut fade = GrayImage::new(gw, gh);
        for gy in 0..gh {
            for gx in 0..gw {
                let u = gx as f32 / (gw - 1) as f32;
                let v = gy as f32 / (gh - 1) as f32;
                // Linear gradient across the page in a random direction, 0..1.
                let along = ((u - 0.5) * dx + (v - 0.5) * dy) / 1.0 + 0.5;
                // Darker towards the edges and corners.
                let edge = ((u - 0.5).powi(2) + (v - 0.5).powi(2)) * 2.0;
                let mut tone = self.paper_light
                    - self.paper_drop * along.clamp(0.0, 1.0)
                    - self.vignette * edge.clamp(0.0, 1.0);
                for s in &self.stains {
                    let d2 = ((u - s.x).powi(2) + ((v - s.y) * aspect).powi(2)) / s.radius.powi(2);
                    if d2 < 1.0 {
                        tone -= s.depth * (1.0 - d2).powi(2);
                    }
                }
                paper.put_pixel(gx, gy, Luma([tone.clamp(0.0, 255.0) as u8]));
                let mut level = 0.0f32;
                for f in &self.fades {
                    let weight = if f.radius.is_infinite() {
                        1.0
                    } else {
                        let d2 =
                            ((u - f.x).powi(2) + ((v - f.y) * aspect).powi(2)) / f.radius.powi(2);
                        (1.0 - d2).clamp(0.0, 1.0)
                    };
                    level = level.max(f.level as f32 * weight);
                }
                fade.put_pixel(gx, gy, Luma([level as u8]));
            }
        }
        let paper = imageops::resize(&paper, width, height, FilterType::Triangle);
        let fade = imageops::resize(&fade, width, height, FilterType::Triangle);
        (paper, fade)
    }

    /// Applies the degradation to a clean page (black ink on white).
    pub fn apply(&self, clean: &GrayImage) -> GrayImage {
        let (width, height) = clean.dimensions();
        let (paper, fade) = self.maps(width, height);
        let mut out = GrayImage::new(width, height);
        for (((o, &v), &p), &f) in out
            .iter_mut()
            .zip(clean.iter())
            .zip(paper.iter())
            .zip(fade.iter())
        {
            // Ink darkness, lightened where the ink faded, laid on the paper tone.
            let darkness = (255 - v as u32) * (255 - f as u32) / 255;
            *o = (p as u32 * (255 - darkness) / 255) as u8;
        }
        let mut out = if self.rotation_deg.abs() > 0.01 {
            rotate_about_center(
                &out,
                self.rotation_deg.to_radians(),
                Interpolation::Bilinear,
                Border::Constant(Luma([255])),
            )
        } else {
            out
        };
        if self.blur_sigma > 0.0 {
            out = imageproc::filter::gaussian_blur_f32(&out, self.blur_sigma);
        }
        if self.noise_sigma > 0.0 {
            imageproc::noise::gaussian_noise_mut(&mut out, 0.0, self.noise_sigma, self.noise_seed);
        }
        out
    }
}

/// Pixels per cell of the coarse paper and fade maps.
const CELL: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;
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
        for _ in 0..20 {
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
}
