//! Ink the engine returned no word for. Tesseract's page layout sometimes drops a whole line (a
//! value typed over leader dots it takes for a rule, a line squeezed between two others), or
//! the last short value of a line standing apart after its label (a "1", a "Mẹ" after a long
//! gap). Such ink is found from the image's row and column profiles and read again on its own.

use crate::page::BBox;
use image::GrayImage;

/// Ink darker than this counts (the prepared page has white paper).
const INK: u8 = 128;

/// Most stretches read again on one page: a page with more has a reason (a stamp, a drawing,
/// a table) that reading each piece would not mend, and would cost its time.
const MOST_STRETCHES: usize = 24;

/// Stretches of text-like ink that no word box covers, as rectangles on the image.
/// `word_boxes` are the boxes the engine returned (image coordinates). The words read in a
/// stretch join the line they stand on when the page's lines are built
/// ([`super::words::build_page`]).
///
/// A line is a band of rows holding ink, of about the height of the words read. A band no word
/// stands in is read again whole when it holds enough ink across to be words; in a band with
/// words, each run of ink that no word overlaps (runs are split where paper stands for more
/// than a line height, as between a label and a value after its leader was erased) is read
/// again when it stands as tall as a letter.
pub fn missed_ink(image: &GrayImage, word_boxes: &[BBox]) -> Vec<BBox> {
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 || word_boxes.is_empty() {
        return Vec::new();
    }
    // A row holds text when a few pixels of it are ink; a band is a run of such rows.
    let min_row_ink = (w / 400).max(3);
    let rows: Vec<&[u8]> = image.as_raw().chunks_exact(w as usize).collect();
    let row_ink: Vec<u32> = rows
        .iter()
        .map(|row| row.iter().filter(|&&v| v < INK).count() as u32)
        .collect();
    let mut heights: Vec<u32> = word_boxes.iter().map(|b| b.h).collect();
    heights.sort_unstable();
    let line_height = heights[heights.len() / 2].max(1);
    let mut missed = Vec::new();
    let mut y = 0;
    while y < h {
        if row_ink[y as usize] < min_row_ink {
            y += 1;
            continue;
        }
        let start = y;
        while y < h && row_ink[y as usize] >= min_row_ink {
            y += 1;
        }
        let band_h = y - start;
        // Text of the page's size: not a speck row, not a block of several lines or a stamp.
        if band_h * 2 < line_height || band_h > line_height * 2 {
            continue;
        }
        let in_band: Vec<usize> = (0..word_boxes.len())
            .filter(|&i| {
                let b = &word_boxes[i];
                let mid = b.y + b.h / 2;
                mid >= start && mid < y
            })
            .collect();
        // Which columns of the band hold ink, and the rows of ink in each.
        let mut top = vec![u32::MAX; w as usize];
        let mut bottom = vec![0u32; w as usize];
        for yy in start..y {
            for (x, &v) in rows[yy as usize].iter().enumerate() {
                if v < INK {
                    top[x] = top[x].min(yy);
                    bottom[x] = bottom[x].max(yy);
                }
            }
        }
        let inked: Vec<u32> = (0..w).filter(|&x| top[x as usize] != u32::MAX).collect();
        let (Some(&first), Some(&last)) = (inked.first(), inked.last()) else {
            continue;
        };
        let margin = line_height / 2;
        let rect = |x0: u32, x1: u32| {
            let x = x0.saturating_sub(margin);
            let top = start.saturating_sub(margin / 2);
            let right = (x1 + margin).min(w - 1);
            let bottom = (y + margin / 2).min(h);
            BBox::new(x, top, right - x + 1, bottom - top)
        };
        if in_band.is_empty() {
            // Enough ink across to be words, not a lone mark.
            if inked.len() >= (line_height * 3) as usize {
                missed.push(rect(first, last));
            }
            continue;
        }
        // Runs of ink split at gaps wider than a line height.
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for &x in &inked {
            match runs.last_mut() {
                Some(run) if x - run.1 <= line_height => run.1 = x,
                _ => runs.push((x, x)),
            }
        }
        for (x0, x1) in runs {
            let covered = in_band.iter().any(|&i| {
                let b = &word_boxes[i];
                b.x <= x1 && x0 < b.x + b.w.max(1)
            });
            let ink_top = (x0..=x1).map(|x| top[x as usize]).min().unwrap_or(0);
            let ink_bottom = (x0..=x1).map(|x| bottom[x as usize]).max().unwrap_or(0);
            // As tall as a letter: a figure "1" is, a stop, a comma or a speck is not.
            let letter_tall = (ink_bottom - ink_top + 1) * 5 >= line_height * 2;
            if covered || !letter_tall {
                continue;
            }
            missed.push(rect(x0, x1));
        }
    }
    missed.truncate(MOST_STRETCHES);
    missed
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A page with lines of "text" (dashed ink) spanning columns `x0..x1`, `h` rows high.
    fn page_with_lines(lines: &[(u32, u32, u32, u32)]) -> GrayImage {
        let mut img = GrayImage::from_pixel(800, 400, Luma([255]));
        for &(x0, x1, y, h) in lines {
            for yy in y..y + h {
                for x in (x0..x1).filter(|x| x % 7 < 4) {
                    img.put_pixel(x, yy, Luma([0]));
                }
            }
        }
        img
    }

    #[test]
    fn a_line_without_words_is_found_and_read_lines_are_not() {
        let img = page_with_lines(&[(100, 600, 50, 20), (100, 600, 100, 20), (100, 600, 150, 20)]);
        let words = [BBox::new(100, 50, 500, 20), BBox::new(100, 150, 500, 20)];
        let missed = missed_ink(&img, &words);
        assert_eq!(missed.len(), 1);
        let band = missed[0];
        assert!(band.y <= 100 && band.y + band.h >= 120, "{band:?}");
        assert!(band.x <= 100 && band.x + band.w >= 600);
    }

    #[test]
    fn a_value_left_out_after_its_label_is_found() {
        // A label read at 100..300, its value at 500..540 not read; a second line read whole.
        let img = page_with_lines(&[(100, 300, 50, 20), (500, 540, 50, 20), (100, 600, 150, 20)]);
        let words = [
            BBox::new(100, 50, 90, 20),
            BBox::new(200, 50, 100, 20),
            BBox::new(100, 150, 500, 20),
        ];
        let missed = missed_ink(&img, &words);
        assert_eq!(missed.len(), 1, "{missed:?}");
        let r = missed[0];
        assert!(r.x <= 500 && r.x + r.w >= 540 && r.x > 300, "{r:?}");
    }

    #[test]
    fn specks_stops_and_big_blocks_are_not_words() {
        let mut img =
            page_with_lines(&[(100, 300, 50, 20), (100, 600, 100, 3), (100, 600, 200, 90)]);
        // A stop after the label's line, far off: too low to be a letter.
        for yy in 64..69 {
            for x in 500..505 {
                img.put_pixel(x, yy, Luma([0]));
            }
        }
        let words = [BBox::new(100, 50, 200, 20)];
        assert!(missed_ink(&img, &words).is_empty());
    }
}
