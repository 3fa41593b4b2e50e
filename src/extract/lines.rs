//! Printed lines the engine split in two. A value typed a little above or below its printed
//! line (a typewriter's or a hand's baseline off the form's), or a line bent on the scan, is
//! set by Tesseract on a line of its own: "Tuổi cha:" ends one line and "31" stands alone
//! beside it, or half a value sits on a line of its own. Two lines side by side, one wholly
//! to the right of the other, whose words stand at the same height within a fraction of a
//! letter's height, are one printed line: their words are put back together, left to right,
//! before the labels are looked for.

use crate::page::{BBox, OcrLine, OcrWord};

/// Two lines are one when the facing words' middles are this many letter heights apart at
/// most (printed lines are two letter heights apart or more).
const SAME_LINE_HEIGHTS: f32 = 0.8;
/// Overlap allowed between two lines side by side, in letter heights.
const SIDE_BY_SIDE_OVERLAP: f32 = 0.5;
/// How many lines apart in the engine's order the two halves are looked for.
const REACH: usize = 3;

/// The lines with those the engine split put back together, in the order of their first
/// halves.
pub fn rejoin_split_lines(lines: &[OcrLine]) -> Vec<OcrLine> {
    let mut lines: Vec<Option<OcrLine>> = lines.iter().cloned().map(Some).collect();
    loop {
        // The closest pair first, so that a stray value joins the line it stands on.
        let mut best: Option<(usize, usize, f32)> = None;
        for i in 0..lines.len() {
            let Some(a) = &lines[i] else { continue };
            let near = lines.iter().enumerate().skip(i + 1).take(REACH);
            for (j, b) in near.filter_map(|(j, b)| b.as_ref().map(|b| (j, b))) {
                if let Some(d) = split_distance(a, b) {
                    if best.is_none_or(|(_, _, bd)| d < bd) {
                        best = Some((i, j, d));
                    }
                }
            }
        }
        let Some((i, j, _)) = best else { break };
        let b = lines[j].take().expect("a line");
        let a = lines[i].as_mut().expect("a line");
        a.words.extend(b.words);
        a.words.sort_by_key(|w| w.bbox.x);
        a.bbox = a.bbox.union(&b.bbox);
    }
    lines.into_iter().flatten().collect()
}

/// How far apart in height two lines side by side are, in letter heights, when they are
/// halves of one printed line.
fn split_distance(a: &OcrLine, b: &OcrLine) -> Option<f32> {
    let (left, right) = if a.bbox.x <= b.bbox.x { (a, b) } else { (b, a) };
    let height = letter_height(a).max(letter_height(b));
    if height <= 0.0 {
        return None;
    }
    let overlap = left.bbox.right() as f32 - right.bbox.x as f32;
    if overlap > SIDE_BY_SIDE_OVERLAP * height {
        return None;
    }
    // The facing words: the left line's last, the right line's first (a bent line rises or
    // falls along its length).
    let facing_left = left.words.iter().max_by_key(|w| w.bbox.right())?;
    let facing_right = right.words.iter().min_by_key(|w| w.bbox.x)?;
    let d = (middle(&facing_left.bbox) - middle(&facing_right.bbox)).abs() / height;
    (d <= SAME_LINE_HEIGHTS).then_some(d)
}

fn middle(b: &BBox) -> f32 {
    b.center_y()
}

/// A line's letter height: its words' median box height.
fn letter_height(line: &OcrLine) -> f32 {
    let mut heights: Vec<u32> = line.words.iter().map(|w: &OcrWord| w.bbox.h).collect();
    if heights.is_empty() {
        return 0.0;
    }
    heights.sort_unstable();
    heights[heights.len() / 2] as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &[(&str, u32, u32)], h: u32) -> OcrLine {
        let words: Vec<OcrWord> = words
            .iter()
            .map(|(text, x, y)| OcrWord {
                text: text.to_string(),
                bbox: BBox::new(*x, *y, 20 * text.chars().count() as u32, h),
                conf: 0.9,
                letters_conf: None,
                rival: None,
                rival_conf: 0.0,
                figure_rivals: Vec::new(),
            })
            .collect();
        let bbox = BBox::union_all(words.iter().map(|w| &w.bbox));
        OcrLine { words, bbox }
    }

    fn texts(lines: &[OcrLine]) -> Vec<String> {
        lines.iter().map(OcrLine::text).collect()
    }

    #[test]
    fn a_value_set_a_little_off_its_line_joins_it() {
        let lines = [
            line(&[("31", 1300, 588)], 26),
            line(
                &[("Tên", 100, 602), ("họ:", 180, 602), ("Tuổi:", 900, 600)],
                27,
            ),
            line(
                &[("Chỗ", 100, 668), ("ở:", 180, 668), ("Xóm", 260, 668)],
                27,
            ),
        ];
        assert_eq!(
            texts(&rejoin_split_lines(&lines)),
            vec!["Tên họ: Tuổi: 31", "Chỗ ở: Xóm"]
        );
    }

    #[test]
    fn lines_one_above_the_other_stay_apart() {
        // A wrapped value starts under its line, and the next printed line is two letter
        // heights down.
        let lines = [
            line(
                &[("Nơi", 100, 400), ("sinh:", 180, 400), ("Xã", 300, 400)],
                25,
            ),
            line(&[("huyện", 100, 440), ("Châu", 240, 440)], 25),
            line(&[("Quê:", 100, 470)], 25),
        ];
        assert_eq!(rejoin_split_lines(&lines).len(), 3);
    }
}
