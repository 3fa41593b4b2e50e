//! Finding what is not text among the ink: the dotted leaders values are typed on, ruled
//! lines and specks. Tesseract reads a dotted leader as a string of junk and, worse, loses
//! the line it stands on, so these are painted out before OCR.

use image::{GrayImage, Luma};
use imageproc::region_labelling::{connected_components, Connectivity};

/// One connected blob of ink.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blob {
    pub label: u32,
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub area: u32,
}

impl Blob {
    pub fn width(&self) -> u32 {
        self.x1 - self.x0 + 1
    }
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
    fn center_y(&self) -> f32 {
        (self.y0 + self.y1) as f32 / 2.0
    }
}

/// Blobs of an ink mask (255 ink, 0 paper) and the label image.
pub fn blobs(mask: &GrayImage) -> (Vec<Blob>, image::ImageBuffer<Luma<u32>, Vec<u32>>) {
    let labels = connected_components(mask, Connectivity::Eight, Luma([0u8]));
    let mut out: Vec<Blob> = Vec::new();
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l[0];
        if l == 0 {
            continue;
        }
        let i = l as usize - 1;
        if i >= out.len() {
            out.resize(
                i + 1,
                Blob {
                    label: 0,
                    x0: u32::MAX,
                    y0: u32::MAX,
                    x1: 0,
                    y1: 0,
                    area: 0,
                },
            );
        }
        let b = &mut out[i];
        b.label = l;
        b.x0 = b.x0.min(x);
        b.y0 = b.y0.min(y);
        b.x1 = b.x1.max(x);
        b.y1 = b.y1.max(y);
        b.area += 1;
    }
    out.retain(|b| b.area > 0);
    (out, labels)
}

/// Typical height of a letter: the median height of blobs that are neither specks nor huge.
pub fn letter_height(blobs: &[Blob]) -> f32 {
    let mut hs: Vec<u32> = blobs
        .iter()
        .map(|b| b.height())
        .filter(|&h| (8..200).contains(&h))
        .collect();
    if hs.is_empty() {
        return 20.0;
    }
    hs.sort_unstable();
    hs[hs.len() / 2] as f32
}

/// Labels of blobs to erase: runs of at least five small dots on one baseline with regular
/// spacing (leaders; the dots of Vietnamese letters never line up like that), long thin
/// horizontal strokes (rules, underlines, dashes of a dashed leader run), and specks.
pub fn non_text(blobs: &[Blob], letter: f32) -> Vec<u32> {
    let dot_max = (letter * 0.32).max(3.0);
    let mut erase = Vec::new();
    let mut dots: Vec<&Blob> = Vec::new();
    for b in blobs {
        let (w, h) = (b.width() as f32, b.height() as f32);
        let speck = b.area <= 2;
        let rule = h <= (letter * 0.25).max(3.0) && w >= letter * 2.5;
        if speck || rule {
            erase.push(b.label);
        } else if w <= dot_max && h <= dot_max {
            dots.push(b);
        } else if h <= (letter * 0.3).max(3.0) && w <= letter * 0.9 && w >= h * 2.0 {
            // A dash of a dashed leader: treated as a dot for run detection.
            dots.push(b);
        }
    }
    // Runs: dots sorted by baseline band, then by x.
    dots.sort_by(|a, b| {
        (a.center_y() / (dot_max * 1.5))
            .floor()
            .partial_cmp(&(b.center_y() / (dot_max * 1.5)).floor())
            .unwrap()
            .then(a.x0.cmp(&b.x0))
    });
    let letters = Letters::new(blobs, letter);
    let max_gap = letter * 4.0;
    let mut used = vec![false; dots.len()];
    for i in 0..dots.len() {
        if used[i] {
            continue;
        }
        // Greedy chain to the right along the same baseline.
        let mut run = vec![i];
        let mut last = i;
        for j in i + 1..dots.len() {
            if used[j] {
                continue;
            }
            let (a, b) = (dots[last], dots[j]);
            if b.center_y() - dots[i].center_y() > dot_max * 3.0 {
                break;
            }
            if (b.center_y() - a.center_y()).abs() > dot_max * 0.8 {
                continue;
            }
            let gap = b.x0 as f32 - a.x1 as f32;
            if gap < 0.0 {
                continue;
            }
            if gap > max_gap {
                continue;
            }
            run.push(j);
            last = j;
        }
        if run.len() >= 5 && regular(&run.iter().map(|&k| dots[k]).collect::<Vec<_>>()) {
            let members: Vec<&Blob> = run.iter().map(|&k| dots[k]).collect();
            let grid = Grid::fit(&members);
            for &k in &run {
                used[k] = true;
                // A dot under a letter and off the leader's even spacing is the letter's own
                // dot below (ạ, ị, ọ typed over the leader): keep it. Leader dots under a
                // typed value go: left there they make Tesseract lose the line.
                let own_dot = (letters.under_a_letter(dots[k])
                    && (!grid.on(dots[k]) || grid.below_line(dots[k])))
                    || colon_bottom(dots[k], &dots, letter);
                if !own_dot {
                    erase.push(dots[k].label);
                }
            }
        }
    }
    erase
}

/// The lower dot of a colon: another dot stands right above it.
fn colon_bottom(dot: &Blob, dots: &[&Blob], letter: f32) -> bool {
    let reach = (dot.height().max(dot.width()) as f32 * 3.5).max(letter * 0.45);
    dots.iter().any(|o| {
        o.label != dot.label
            && o.x0 <= dot.x1 + 1
            && dot.x0 <= o.x1 + 1
            && o.y1 < dot.y0
            && ((dot.y0 - o.y1) as f32) <= reach
    })
}

/// Letter-sized blobs indexed by 32-pixel columns, to ask what stands above a dot.
struct Letters<'a> {
    columns: std::collections::HashMap<u32, Vec<&'a Blob>>,
    letter: f32,
}

impl<'a> Letters<'a> {
    fn new(blobs: &'a [Blob], letter: f32) -> Self {
        let mut columns: std::collections::HashMap<u32, Vec<&Blob>> = Default::default();
        for b in blobs {
            let h = b.height() as f32;
            if h >= letter * 0.5 && h <= letter * 2.5 && (b.width() as f32) <= letter * 3.0 {
                for c in b.x0 / 32..=b.x1 / 32 {
                    columns.entry(c).or_default().push(b);
                }
            }
        }
        Self { columns, letter }
    }

    fn under_a_letter(&self, dot: &Blob) -> bool {
        let Some(candidates) = self.columns.get(&(dot.x0 / 32)) else {
            return false;
        };
        candidates.iter().any(|l| {
            let overlaps = l.x0 <= dot.x1 + 1 && dot.x0 <= l.x1 + 1;
            // Wholly under the letter's bottom: a leader dot under a typed word sits on the
            // baseline, level with the letters' feet.
            let above = l.y1 < dot.y0 && (dot.y0 - l.y1) as f32 <= self.letter * 0.5;
            overlaps && above
        })
    }
}

/// The even spacing of a leader: first dot's centre and the period.
struct Grid {
    start: f32,
    period: f32,
    /// Median centre height of the run's dots and their median size.
    line_y: f32,
    dot_height: f32,
}

impl Grid {
    /// Period from the typical gap, phase from the median offset: robust to a few dots that
    /// are not the leader's (a letter's dot below, a full stop) inside the run.
    fn fit(run: &[&Blob]) -> Self {
        let centre = |b: &Blob| (b.x0 + b.x1) as f32 / 2.0;
        let mut gaps: Vec<f32> = run
            .windows(2)
            .map(|w| centre(w[1]) - centre(w[0]))
            .collect();
        gaps.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let rough = gaps[gaps.len() / 2].max(1.0);
        let typical: Vec<f32> = gaps
            .iter()
            .copied()
            .filter(|g| (g - rough).abs() <= rough * 0.2)
            .collect();
        let period = typical.iter().sum::<f32>() / typical.len().max(1) as f32;
        let period = if period > 0.0 { period } else { rough };
        let first = centre(run[0]);
        let mut phases: Vec<f32> = run
            .iter()
            .map(|b| (centre(b) - first).rem_euclid(period))
            .map(|p| if p > period / 2.0 { p - period } else { p })
            .collect();
        phases.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mut ys: Vec<f32> = run.iter().map(|b| b.center_y()).collect();
        ys.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mut hs: Vec<u32> = run.iter().map(|b| b.height()).collect();
        hs.sort_unstable();
        Self {
            start: first + phases[phases.len() / 2],
            period,
            line_y: ys[ys.len() / 2],
            dot_height: hs[hs.len() / 2] as f32,
        }
    }

    fn on(&self, b: &Blob) -> bool {
        let c = (b.x0 + b.x1) as f32 / 2.0;
        let k = (c - self.start) / self.period;
        (k - k.round()).abs() * self.period <= (self.period * 0.12).max(1.2)
    }

    /// Lower than the leader's line: a dot below a letter hangs under the baseline.
    fn below_line(&self, b: &Blob) -> bool {
        b.center_y() - self.line_y > (self.dot_height * 0.6).max(1.5)
    }
}

/// Leader dots are evenly spaced: most gaps are a whole number of the typical gap (dots
/// hidden under a typed word leave gaps of two, three... periods).
fn regular(run: &[&Blob]) -> bool {
    let mut gaps: Vec<f32> = run
        .windows(2)
        .map(|w| w[1].x0 as f32 - w[0].x0 as f32)
        .collect();
    gaps.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let base = gaps[gaps.len() * 3 / 10].max(1.0);
    let close = gaps
        .iter()
        .filter(|g| {
            let k = (**g / base).round();
            k >= 1.0 && (**g - k * base).abs() <= base * 0.25 + 1.5
        })
        .count();
    close * 10 >= gaps.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask_with(draw: impl Fn(&mut GrayImage)) -> GrayImage {
        let mut m = GrayImage::new(600, 120);
        draw(&mut m);
        m
    }

    fn fill(m: &mut GrayImage, x: u32, y: u32, w: u32, h: u32) {
        for yy in y..y + h {
            for xx in x..x + w {
                m.put_pixel(xx, yy, Luma([255]));
            }
        }
    }

    #[test]
    fn a_dotted_leader_is_erased_but_letters_and_their_dots_stay() {
        let m = mask_with(|m| {
            // "Letters": 30 px tall blocks.
            for i in 0..5 {
                fill(m, 10 + i * 22, 40, 14, 30);
            }
            // A Vietnamese dot below two letters, irregularly apart.
            fill(m, 14, 74, 4, 4);
            fill(m, 80, 74, 4, 4);
            // A letter typed over the leader, its dot below in line with the leader dots.
            fill(m, 241, 34, 14, 30);
            // A colon before the leader: its lower dot is level with the leader.
            fill(m, 138, 52, 3, 3);
            fill(m, 138, 66, 3, 3);
            fill(m, 244, 66, 3, 3);
            // Leader: 20 dots, 10 px apart, on the baseline.
            for i in (0..20).filter(|i| *i != 9) {
                fill(m, 150 + i * 10, 66, 3, 3);
            }
            // A ruling line.
            fill(m, 10, 100, 500, 2);
        });
        let (bs, _) = blobs(&m);
        let letter = letter_height(&bs);
        assert!((letter - 30.0).abs() < 1.0);
        let erase = non_text(&bs, letter);
        let erased: Vec<&Blob> = bs.iter().filter(|b| erase.contains(&b.label)).collect();
        assert_eq!(
            erased.len(),
            20,
            "19 leader dots (one under the letter) and the rule: {:?}",
            erased.iter().map(|b| (b.x0, b.y0)).collect::<Vec<_>>()
        );
        assert!(erased.iter().all(|b| b.x0 >= 150 || b.y0 == 100));
        assert!(
            !erased.iter().any(|b| b.x0 == 244),
            "the dot under a letter stays"
        );
    }
}
