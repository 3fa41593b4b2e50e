//! Lines of ink the engine returned no word for. Tesseract's page layout sometimes drops a
//! whole line (a value typed over leader dots it takes for a rule, a line squeezed between
//! two others); such a line is found from the image's row profile and read again on its own.

use crate::page::BBox;
use image::GrayImage;

/// Ink darker than this counts (the prepared page has white paper).
const INK: u8 = 128;

/// Bands of rows holding text-like ink that no word box covers, as rectangles on the image.
/// `word_boxes` are the boxes the engine returned (image coordinates).
pub fn missed_bands(image: &GrayImage, word_boxes: &[BBox]) -> Vec<BBox> {
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 || word_boxes.is_empty() {
        return Vec::new();
    }
    // A row holds text when a few pixels of it are ink; a band is a run of such rows.
    let min_row_ink = (w / 400).max(3);
    let row_ink: Vec<u32> = image
        .as_raw()
        .chunks_exact(w as usize)
        .map(|row| row.iter().filter(|&&v| v < INK).count() as u32)
        .collect();
    let mut heights: Vec<u32> = word_boxes.iter().map(|b| b.h).collect();
    heights.sort_unstable();
    let line_height = heights[heights.len() / 2].max(1);
    let mut bands = Vec::new();
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
        let covered = word_boxes.iter().any(|b| {
            let mid = b.y + b.h / 2;
            mid >= start && mid < y
        });
        if covered {
            continue;
        }
        let columns: Vec<u32> = (0..w)
            .filter(|&x| (start..y).any(|yy| image.get_pixel(x, yy)[0] < INK))
            .collect();
        let (Some(&x0), Some(&x1)) = (columns.first(), columns.last()) else {
            continue;
        };
        // Enough ink across to be words, not a lone mark.
        if columns.len() < (line_height * 3) as usize {
            continue;
        }
        let margin = line_height / 2;
        let x = x0.saturating_sub(margin);
        let top = start.saturating_sub(margin / 2);
        let right = (x1 + margin).min(w - 1);
        let bottom = (y + margin / 2).min(h);
        bands.push(BBox::new(x, top, right - x + 1, bottom - top));
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    fn page_with_lines(lines: &[(u32, u32)]) -> GrayImage {
        let mut img = GrayImage::from_pixel(800, 400, Luma([255]));
        for &(y, h) in lines {
            for yy in y..y + h {
                for x in (100..600).filter(|x| x % 7 < 4) {
                    img.put_pixel(x, yy, Luma([0]));
                }
            }
        }
        img
    }

    #[test]
    fn a_line_without_words_is_found_and_read_lines_are_not() {
        let img = page_with_lines(&[(50, 20), (100, 20), (150, 20)]);
        let words = [BBox::new(100, 50, 200, 20), BBox::new(100, 150, 200, 20)];
        let bands = missed_bands(&img, &words);
        assert_eq!(bands.len(), 1);
        assert!(
            bands[0].y <= 100 && bands[0].y + bands[0].h >= 120,
            "{:?}",
            bands[0]
        );
        assert!(bands[0].x <= 100 && bands[0].x + bands[0].w >= 600);
    }

    #[test]
    fn specks_and_big_blocks_are_not_lines() {
        let img = page_with_lines(&[(50, 20), (100, 3), (200, 90)]);
        let words = [BBox::new(100, 50, 200, 20)];
        assert!(missed_bands(&img, &words).is_empty());
    }
}
