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
    fn center_x(&self) -> f32 {
        (self.x0 + self.x1) as f32 / 2.0
    }
}

/// Connected-component labels of an ink mask: 0 paper, else the blob's label.
pub type Labels = image::ImageBuffer<Luma<u32>, Vec<u32>>;

/// Blobs of an ink mask (255 ink, 0 paper) and the label image.
pub fn blobs(mask: &GrayImage) -> (Vec<Blob>, Labels) {
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

/// What to paint out: whole blobs by label, and boxes of leader dots fused to a letter.
#[derive(Debug, Default)]
pub struct NonText {
    pub labels: Vec<u32>,
    pub boxes: Vec<InkBox>,
}

/// An inclusive pixel rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InkBox {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

/// Runs of at least five small dots on one baseline with regular spacing (leaders; the dots of
/// Vietnamese letters never line up like that), long thin horizontal strokes (rules,
/// underlines, dashes of a dashed leader run), and specks. `labels` is the label image the
/// blobs come from.
pub fn non_text(blobs: &[Blob], letter: f32, labels: &Labels) -> NonText {
    let dot_max = (letter * 0.32).max(3.0);
    let mut erase = Vec::new();
    let mut boxes = Vec::new();
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
    let mut leaders: Vec<Leader> = Vec::new();
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
        let members: Vec<&Blob> = run.iter().map(|&k| dots[k]).collect();
        let spacing = if run.len() >= 5 {
            leader_spacing(&members)
        } else {
            None
        };
        if let Some(spacing) = spacing {
            let open: Vec<bool> = members.iter().map(|b| !letters.under_a_letter(b)).collect();
            let grid = Grid::fit(&members, spacing).calibrated(&members, &open);
            for (m, &k) in run.iter().enumerate() {
                used[k] = true;
                // A dot under a letter is the letter's own dot below (ạ, ị, ọ typed over the
                // leader) when it is bigger than the leader's dots (often merged with the one
                // it covers), off the leader's even spacing, or hanging lower than its line.
                // Leader dots under a typed value go: left there they read as dots below.
                // A comma or full stop caught in the run stands taller than the leader's dots
                // or above their line: punctuation, kept.
                let own_dot = (letters.under_a_letter(dots[k])
                    && (grid.bigger(dots[k]) || !grid.on(&members, m) || grid.below_line(dots[k])))
                    || !grid.level(&members, m)
                    || colon_bottom(dots[k], &dots, letter);
                if !own_dot {
                    erase.push(dots[k].label);
                }
            }
            boxes.extend(grid.fused_dots(&members, blobs, labels, letter));
            leaders.push(Leader {
                centers: members.iter().map(|b| b.center_x()).collect(),
                grid,
            });
        }
    }
    // Leader dots left alone between two long words: the chain above stops at a gap longer
    // than `max_gap` (a wide word whose feet hide the dots under it), so the one or two dots
    // in the next word gap make no run of their own and are read as stops ("Quảng. Bình").
    // A lone dot between two stretches of leader on its line, on their spacing and of a
    // leader dot's size, is one.
    let reach = letter * LEADER_BRIDGE_LETTERS;
    for (k, d) in dots.iter().enumerate() {
        if used[k] || letters.under_a_letter(d) {
            continue;
        }
        let bridged = |left: bool| {
            leaders.iter().any(|leader| {
                leader.extends_to(d, reach)
                    && leader.centers.iter().any(|&c| {
                        if left {
                            c < d.center_x()
                        } else {
                            c > d.center_x()
                        }
                    })
            })
        };
        if bridged(true) && bridged(false) {
            erase.push(d.label);
        }
    }
    NonText {
        labels: erase,
        boxes,
    }
}

/// How far (in letter heights) a lone dot may stand from a found leader's nearest dot and
/// still be taken for one of its dots: a long word or two on each side.
const LEADER_BRIDGE_LETTERS: f32 = 14.0;

/// A leader found on a line: its dots' centres and its grid.
struct Leader {
    centers: Vec<f32>,
    grid: Grid,
}

impl Leader {
    /// `dot` stands on this leader's line, within `reach` of its nearest dot, at a whole
    /// number of periods from it, with no more ink or height than its dots.
    fn extends_to(&self, dot: &Blob, reach: f32) -> bool {
        let g = &self.grid;
        // The line first: most leaders of a page stand on other lines.
        let on_line = (dot.center_y() - g.line_y).abs() <= (g.dot_height * 0.6).max(1.5);
        if !on_line {
            return false;
        }
        let x = dot.center_x();
        let Some(nearest) = self
            .centers
            .iter()
            .copied()
            .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
        else {
            return false;
        };
        let distance = x - nearest;
        let periods = (distance / g.period).round();
        let off_grid = (distance - periods * g.period).abs();
        distance.abs() <= reach
            && periods.abs() >= 1.0
            && off_grid <= g.tolerance.max(1.5)
            && (dot.area as f32) < g.bigger_area
            && dot.height() as f32 <= g.dot_height * 1.8 + 1.0
    }
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

/// The even spacing of a leader: period, each dot's offset from it, and the dots' typical
/// line and size.
struct Grid {
    period: f32,
    /// Offset of each run member from an ideal grid of `period` started at the first dot.
    /// Offsets drift slowly (the period is rounded to whole pixels when printed or scanned)
    /// and jump where one run spans two printed leaders, so a dot is compared with its
    /// neighbours' offsets, never with one global phase.
    offsets: Vec<f32>,
    line_y: f32,
    dot_height: f32,
    dot_area: f32,
    dot_width: f32,
    /// How far from the grid a leader dot may stand (pixels), and the least ink of a dot
    /// bigger than a leader's: both measured on the open leader, where no letter stands
    /// (see [`Grid::calibrated`]).
    tolerance: f32,
    bigger_area: f32,
}

impl Grid {
    fn fit(run: &[&Blob], spacing: f32) -> Self {
        // Refine the spacing over gaps that span one or more whole periods.
        let (mut span, mut periods) = (0.0, 0.0);
        for w in run.windows(2) {
            let gap = w[1].center_x() - w[0].center_x();
            let k = (gap / spacing).round();
            if k >= 1.0 && (gap - k * spacing).abs() <= spacing * 0.2 {
                span += gap;
                periods += k;
            }
        }
        let period = if periods > 0.0 {
            span / periods
        } else {
            spacing
        };
        let first = run[0].center_x();
        let offsets = run
            .iter()
            .map(|b| {
                let p = (b.center_x() - first).rem_euclid(period);
                if p > period / 2.0 {
                    p - period
                } else {
                    p
                }
            })
            .collect();
        Self {
            period,
            offsets,
            line_y: median(run.iter().map(|b| b.center_y())),
            dot_height: median(run.iter().map(|b| b.height() as f32)),
            dot_area: median(run.iter().map(|b| b.area as f32)),
            dot_width: median(run.iter().map(|b| b.width() as f32)),
            tolerance: 0.0,
            bigger_area: 0.0,
        }
        .calibrated(run, &vec![false; run.len()])
    }

    /// Sets what "on the grid" and "bigger than a leader dot" mean from the leader's own open
    /// stretch (members not under a letter, `open`): printed and scanned dots stand up to a
    /// pixel or two off an ideal grid and vary in ink, more on a blurred or noisy scan. A
    /// letter's dot below stands anywhere in the period and is bigger than the leader's.
    fn calibrated(mut self, run: &[&Blob], open: &[bool]) -> Self {
        let mut errors: Vec<f32> = Vec::new();
        let mut areas: Vec<f32> = Vec::new();
        for m in (0..run.len()).filter(|&m| open[m]) {
            errors.push(self.phase_error(run, m));
            areas.push(run[m].area as f32);
        }
        let floor = (self.period * 0.12).max(1.2);
        self.tolerance = if errors.len() >= 5 {
            (percentile(&mut errors, 0.9) * 1.3).clamp(floor, (self.period * 0.25).max(floor))
        } else {
            floor
        };
        self.bigger_area = if areas.len() >= 5 {
            (percentile(&mut areas, 0.9) * 1.35).max(self.dot_area + 3.0)
        } else {
            (self.dot_area * 2.0).max(self.dot_area + 4.0)
        };
        self
    }

    /// Member `m` has a leader dot's height and stands on the line its neighbours make (the
    /// line's own neighbours, as a page left a little tilted drifts along a long leader).
    fn level(&self, run: &[&Blob], m: usize) -> bool {
        let b = run[m];
        if b.height() as f32 > self.dot_height * 1.8 + 1.0 {
            return false;
        }
        let reach = self.period * 8.0;
        let line = median(
            run.iter()
                .enumerate()
                .filter(|(j, o)| *j != m && (o.center_x() - b.center_x()).abs() <= reach)
                .map(|(_, o)| o.center_y()),
        );
        line == 0.0 || b.center_y() - line >= -(self.dot_height * 0.6).max(1.5)
    }

    /// Member `m` sits where its neighbours' spacing puts a leader dot.
    fn on(&self, run: &[&Blob], m: usize) -> bool {
        self.phase_error(run, m) <= self.tolerance
    }

    /// How far member `m` stands from where its neighbours' spacing puts a leader dot, in
    /// pixels (0 with fewer than two neighbours).
    fn phase_error(&self, run: &[&Blob], m: usize) -> f32 {
        let here = run[m].center_x();
        let reach = self.period * 8.0;
        // Offsets wrap around the period: take each neighbour's offset relative to this dot's.
        let wrap = |d: f32| {
            let d = d.rem_euclid(self.period);
            if d > self.period / 2.0 {
                d - self.period
            } else {
                d
            }
        };
        let near: Vec<f32> = (0..run.len())
            .filter(|&j| j != m && (run[j].center_x() - here).abs() <= reach)
            .map(|j| wrap(self.offsets[j] - self.offsets[m]))
            .collect();
        if near.len() < 2 {
            return 0.0;
        }
        median(near.into_iter()).abs()
    }

    /// Clearly more ink than the leader's dots: a letter's own dot, alone or fused with the
    /// leader dot it covers.
    fn bigger(&self, b: &Blob) -> bool {
        b.area as f32 >= self.bigger_area
    }

    /// Leader dots hidden in the gaps of the run: where letters stand on the leader, a dot
    /// touching a letter's foot fuses with it and Tesseract reads it as a dot below (â -> ậ).
    /// Each hidden position, interpolated between its two visible neighbours, gives a box;
    /// it is painted out when its ink belongs to letters (a comma or a lone dot is not
    /// touched here), amounts to no more than a leader dot, and nothing hangs below it (a
    /// descender or a letter's own dot below runs on past the leader's rows).
    fn fused_dots(
        &self,
        run: &[&Blob],
        blobs: &[Blob],
        labels: &Labels,
        letter: f32,
    ) -> Vec<InkBox> {
        let (w, h) = (labels.width() as i64, labels.height() as i64);
        let label = |x: i64, y: i64| {
            if x >= 0 && y >= 0 && x < w && y < h {
                labels.get_pixel(x as u32, y as u32)[0]
            } else {
                0
            }
        };
        // Labels are consecutive from 1, in the order `blobs` lists them.
        let tall = |l: u32| {
            blobs
                .get(l as usize - 1)
                .is_some_and(|b| b.label == l && b.height() as f32 >= letter * 0.6)
        };
        let half = self.dot_width / 2.0 + 1.0;
        let mut out = Vec::new();
        for pair in run.windows(2) {
            let (a, b) = (pair[0].center_x(), pair[1].center_x());
            let n = ((b - a) / self.period).round();
            if n < 2.0 || ((b - a) - n * self.period).abs() > self.period * 0.25 {
                continue;
            }
            let step = (b - a) / n;
            // Rows from the two neighbours: a line left slightly tilted drifts along its length.
            let top = pair[0].y0.min(pair[1].y0) as i64;
            let bottom = pair[0].y1.max(pair[1].y1) as i64;
            for k in 1..n as i64 {
                let c = a + step * k as f32;
                let (x0, x1) = ((c - half).round() as i64, (c + half).round() as i64);
                let inside: Vec<u32> = (top..=bottom)
                    .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
                    .map(|(x, y)| label(x, y))
                    .filter(|&l| l != 0)
                    .collect();
                if inside.is_empty()
                    || inside.len() as f32 > self.dot_area * 1.6 + 2.0
                    || !inside.iter().all(|&l| tall(l))
                {
                    continue;
                }
                let hangs_below =
                    (bottom + 1..=bottom + 2).any(|y| (x0 - 1..=x1 + 1).any(|x| label(x, y) != 0));
                if hangs_below || x0 < 0 || top < 0 {
                    continue;
                }
                out.push(InkBox {
                    x0: x0 as u32,
                    y0: top as u32,
                    x1: (x1.min(w - 1)) as u32,
                    y1: (bottom.min(h - 1)) as u32,
                });
            }
        }
        out
    }

    /// Lower than the leader's line: a dot below a letter hangs under the baseline.
    fn below_line(&self, b: &Blob) -> bool {
        b.center_y() - self.line_y > (self.dot_height * 0.6).max(1.5)
    }
}

/// The `q` quantile (0..=1) of `values` (sorted in place); 0 when empty.
fn percentile(values: &mut [f32], q: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f32::total_cmp);
    values[((values.len() - 1) as f32 * q).round() as usize]
}

fn median(values: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// The spacing of a leader, if the run is one: most gaps are a whole number of one spacing
/// (dots hidden under a typed word, or fused with its letters, leave gaps of two, three...
/// periods). The spacing is the smallest gap that explains the run, and must leave paper
/// between two dots.
fn leader_spacing(run: &[&Blob]) -> Option<f32> {
    let mut gaps: Vec<f32> = run
        .windows(2)
        .map(|w| w[1].x0 as f32 - w[0].x0 as f32)
        .collect();
    gaps.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let dot_width = median(run.iter().map(|b| b.width() as f32));
    let tolerance = |base: f32| (base * 0.12).max(2.0);
    let explains = |base: f32| {
        let close = gaps
            .iter()
            .filter(|g| {
                let k = (**g / base).round();
                k >= 1.0 && (**g - k * base).abs() <= tolerance(base)
            })
            .count();
        // The spacing itself shows up between neighbours seen side by side, more than once.
        let single = gaps
            .iter()
            .filter(|g| (**g - base).abs() <= tolerance(base))
            .count();
        close * 10 >= gaps.len() * 7 && single >= 2 && single * 20 >= gaps.len() * 3
    };
    let lowest = &gaps[..=gaps.len() * 4 / 10];
    lowest
        .iter()
        .copied()
        .filter(|&base| base >= dot_width + 2.0)
        .find(|&base| explains(base))
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
        let (bs, labels) = blobs(&m);
        let letter = letter_height(&bs);
        assert!((letter - 30.0).abs() < 1.0);
        let erase = non_text(&bs, letter, &labels).labels;
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

    /// A leader of 3x3 dots every 10 px on rows 66..68 from x=150, with letters (30 px
    /// blocks ending on row 65) standing on it between x=200 and x=260.
    fn leader_under_letters(extra: impl Fn(&mut GrayImage)) -> GrayImage {
        mask_with(|m| {
            for i in 0..20u32 {
                let x = 150 + i * 10;
                if !(200..260).contains(&x) {
                    fill(m, x, 66, 3, 3);
                }
            }
            for x in [200, 220, 240] {
                fill(m, x, 36, 14, 30);
            }
            extra(m);
        })
    }

    #[test]
    fn leader_dots_fused_to_letter_feet_are_painted_out() {
        let m = leader_under_letters(|m| {
            // The hidden leader dots at 200, 210... touch the feet: fused into the letters.
            for x in [200, 220, 240] {
                fill(m, x, 66, 3, 3);
            }
        });
        let (bs, labels) = blobs(&m);
        let found = non_text(&bs, letter_height(&bs), &labels);
        let painted: Vec<u32> = found.boxes.iter().map(|b| (b.x0 + b.x1) / 2).collect();
        for x in [201, 221, 241] {
            assert!(
                painted.iter().any(|c| c.abs_diff(x) <= 1),
                "the fused dot at {x} is painted out: {:?}",
                found.boxes
            );
        }
        assert!(found.boxes.iter().all(|b| b.y0 >= 66 && b.y1 <= 68));
    }

    #[test]
    fn a_dot_below_fused_to_the_leader_dot_stays() {
        // The letter's own dot below, bigger and hanging lower, covers the leader dot at 220;
        // a comma after the last letter reaches the leader's rows too.
        let m = leader_under_letters(|m| {
            fill(m, 219, 66, 5, 6);
            fill(m, 256, 60, 3, 9);
        });
        let (bs, labels) = blobs(&m);
        let found = non_text(&bs, letter_height(&bs), &labels);
        let untouched = |x0: u32, x1: u32| {
            let erased_blob = bs
                .iter()
                .any(|b| found.labels.contains(&b.label) && b.x0 <= x1 && x0 <= b.x1 && b.y1 >= 60);
            let painted = found.boxes.iter().any(|k| k.x0 <= x1 && x0 <= k.x1);
            !erased_blob && !painted
        };
        assert!(
            untouched(219, 223),
            "the dot below stays: {:?}",
            found.boxes
        );
        assert!(untouched(256, 258), "the comma stays: {:?}", found.boxes);
    }

    #[test]
    fn lone_leader_dots_between_two_long_words_go_but_an_off_grid_stop_stays() {
        // Leader, word (no dot visible under it: 130 px), two leader dots in the word gap,
        // a stop off the spacing in the next gap, word, leader again; letters 30 px tall, so
        // the chain of dots breaks at each word.
        let m = mask_with(|m| {
            for x in (10..100).step_by(10) {
                fill(m, x, 66, 3, 3);
            }
            fill(m, 105, 36, 130, 30);
            fill(m, 240, 66, 3, 3);
            fill(m, 250, 66, 3, 3);
            fill(m, 258, 36, 130, 30);
            fill(m, 394, 66, 3, 3);
            fill(m, 402, 36, 140, 30);
            for x in (550..600).step_by(10) {
                fill(m, x, 66, 3, 3);
            }
        });
        let (bs, labels) = blobs(&m);
        let erase = non_text(&bs, letter_height(&bs), &labels).labels;
        let erased = |x: u32| bs.iter().any(|b| b.x0 == x && erase.contains(&b.label));
        assert!(
            erased(240) && erased(250),
            "the leader's dots in the gap go"
        );
        assert!(!erased(394), "the stop off the leader's spacing stays");
    }
}
