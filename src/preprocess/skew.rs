//! Skew estimation by projection profiles: text lines make the row profile of ink sharpest
//! when the page is straight. Searched on a 4x reduced ink mask, coarse then fine.

/// Ink points (x, y) of a reduced mask.
pub struct InkPoints {
    points: Vec<(f32, f32)>,
    height: usize,
}

impl InkPoints {
    /// Ink pixels of `is_ink` sampled on a `step`-pixel grid.
    pub fn sample(width: u32, height: u32, step: u32, is_ink: impl Fn(u32, u32) -> bool) -> Self {
        let mut points = Vec::new();
        let mut y = 0;
        while y < height {
            let mut x = 0;
            while x < width {
                if is_ink(x, y) {
                    points.push(((x / step) as f32, (y / step) as f32));
                }
                x += step;
            }
            y += step;
        }
        Self {
            points,
            height: (height / step) as usize + 1,
        }
    }

    /// Sharpness of the row profile after shearing by `degrees`: sum of squared differences
    /// between neighbouring rows (high when lines and gaps alternate crisply).
    fn score(&self, degrees: f32) -> f64 {
        let t = degrees.to_radians().tan();
        let margin = self.height; // room for rows sheared above 0
        let mut rows = vec![0u32; self.height * 3];
        for &(x, y) in &self.points {
            let r = (y - x * t).round() as i64 + margin as i64;
            if r >= 0 && (r as usize) < rows.len() {
                rows[r as usize] += 1;
            }
        }
        rows.windows(2)
            .map(|w| {
                let d = w[1] as f64 - w[0] as f64;
                d * d
            })
            .sum()
    }

    /// The angle (degrees, positive when text lines descend to the right in image
    /// coordinates) within `max_degrees` that straightens the lines.
    pub fn estimate(&self, max_degrees: f32) -> f32 {
        if self.points.len() < 50 {
            return 0.0;
        }
        let best_in = |from: f32, to: f32, step: f32| {
            let mut best = (f64::MIN, 0.0f32);
            let mut a = from;
            while a <= to + 1e-4 {
                let s = self.score(a);
                if s > best.0 || (s == best.0 && a.abs() < best.1.abs()) {
                    best = (s, a);
                }
                a += step;
            }
            best.1
        };
        let coarse = best_in(-max_degrees, max_degrees, 0.25);
        best_in(coarse - 0.25, coarse + 0.25, 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_slope_of_ruled_lines() {
        // Lines descending 2 degrees to the right: y = y0 + x * tan(2°).
        let t = 2.0f32.to_radians().tan();
        let (w, h) = (1200u32, 1600u32);
        let ink = |x: u32, y: u32| {
            (0..20).any(|i| {
                let y0 = 100.0 + i as f32 * 70.0 + x as f32 * t;
                (y as f32 - y0).abs() < 3.0 && x > 100 && x < 1100
            })
        };
        let pts = InkPoints::sample(w, h, 4, ink);
        let a = pts.estimate(4.0);
        assert!((a - 2.0).abs() <= 0.1, "estimated {a}");
        let flat = InkPoints::sample(w, h, 4, |x, y| (y % 70) < 4 && x > 100 && x < 1100);
        assert!(flat.estimate(4.0).abs() <= 0.1);
    }
}
