//! From Tesseract's TSV output to [`OcrPage`] lines: words with boxes and confidences, dotted
//! leaders and punctuation-only noise removed (and counted, to tell a junk page).

use crate::page::{BBox, OcrLine, OcrPage, OcrWord};
use std::collections::BTreeMap;

/// A word as Tesseract reported it, before cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvWord {
    /// (block, paragraph, line) numbers: Tesseract's own line grouping.
    pub line: (u32, u32, u32),
    pub bbox: BBox,
    /// 0..=100 as Tesseract gives it.
    pub conf: f32,
    pub text: String,
}

/// Parses the word rows (level 5) of Tesseract's TSV text.
pub fn parse_tsv(tsv: &str) -> Vec<TsvWord> {
    let mut words = Vec::new();
    for row in tsv.lines() {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<i64>().unwrap_or(0).max(0) as u32;
        let text = cols[11].trim();
        if text.is_empty() {
            continue;
        }
        words.push(TsvWord {
            line: (num(2), num(3), num(4)),
            bbox: BBox::new(num(6), num(7), num(8), num(9)),
            conf: cols[10].trim().parse::<f32>().unwrap_or(0.0),
            text: text.to_string(),
        });
    }
    words
}

/// Removes leader dots and similar filler from the ends of a word ("Nam......" -> "Nam");
/// returns `None` when nothing meaningful is left. Colons stay: they anchor labels.
pub fn clean_word(text: &str) -> Option<String> {
    let filler = |c: char| matches!(c, '.' | '…' | '_' | '·' | '•' | '‥' | '¨' | '˙');
    let trimmed = text.trim_matches(|c: char| filler(c) || c == '\'' || c == '`' || c == '‘');
    // A single trailing dot may end a sentence or an abbreviation: keep it when the word
    // had exactly one.
    let kept = if text.ends_with('.') && !text.ends_with("..") && !trimmed.is_empty() {
        format!("{trimmed}.")
    } else {
        trimmed.to_string()
    };
    let kept = collapse_inner_leaders(&kept);
    let meaningful = kept.chars().any(|c| c.is_alphanumeric() || c == ':');
    meaningful.then_some(kept)
}

/// "tên:.......Nguyễn" -> "tên: Nguyễn" when OCR glued a leader between two tokens.
fn collapse_inner_leaders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dots = 0usize;
    for c in text.chars() {
        if c == '.' || c == '…' {
            dots += 1;
            continue;
        }
        if dots == 1 {
            out.push('.');
        } else if dots > 1 {
            out.push(' ');
        }
        dots = 0;
        out.push(c);
    }
    if dots == 1 {
        out.push('.');
    }
    out
}

/// Groups cleaned words into lines top to bottom, mapping every box through `to_original`.
pub fn build_page(
    words: Vec<TsvWord>,
    width: u32,
    height: u32,
    skew_degrees: f32,
    to_original: impl Fn(BBox) -> BBox,
) -> OcrPage {
    let mut total_chars = 0usize;
    let mut junk_chars = 0usize;
    let mut lines: BTreeMap<(u32, u32, u32), Vec<OcrWord>> = BTreeMap::new();
    for w in words {
        let n = w.text.chars().count();
        total_chars += n;
        let Some(text) = clean_word(&w.text) else {
            junk_chars += n;
            continue;
        };
        junk_chars += n.saturating_sub(text.chars().count());
        lines.entry(w.line).or_default().push(OcrWord {
            text,
            bbox: to_original(w.bbox),
            conf: (w.conf / 100.0).clamp(0.0, 1.0),
        });
    }
    let mut lines: Vec<OcrLine> = lines
        .into_values()
        .map(|mut words| {
            words.sort_by_key(|w| w.bbox.x);
            let bbox = BBox::union_all(words.iter().map(|w| &w.bbox));
            OcrLine { words, bbox }
        })
        .collect();
    lines.sort_by_key(|l| (l.bbox.y + l.bbox.h / 2, l.bbox.x));
    let confs: Vec<f32> = lines
        .iter()
        .flat_map(|l| l.words.iter().map(|w| w.conf))
        .collect();
    let mean_conf = if confs.is_empty() {
        0.0
    } else {
        confs.iter().sum::<f32>() / confs.len() as f32
    };
    OcrPage {
        width,
        height,
        skew_degrees,
        lines,
        mean_conf,
        junk_ratio: if total_chars == 0 {
            0.0
        } else {
            junk_chars as f32 / total_chars as f32
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t
5\t1\t1\t1\t1\t1\t100\t200\t60\t30\t96.5\tHọ,
5\t1\t1\t1\t1\t2\t170\t200\t80\t30\t95.1\ttên:
5\t1\t1\t1\t1\t3\t260\t200\t300\t30\t40.0\t..........
5\t1\t1\t1\t1\t4\t300\t198\t140\t32\t91.0\tNguyễn......
5\t1\t1\t1\t2\t1\t100\t260\t60\t30\t88.0\tNam
";

    #[test]
    fn parses_word_rows_only() {
        let w = parse_tsv(TSV);
        assert_eq!(w.len(), 5);
        assert_eq!(w[0].text, "Họ,");
        assert_eq!(w[0].line, (1, 1, 1));
        assert_eq!(w[3].bbox, BBox::new(300, 198, 140, 32));
    }

    #[test]
    fn leaders_are_removed_and_counted_as_junk() {
        assert_eq!(clean_word("..........").as_deref(), None);
        assert_eq!(clean_word("Nguyễn......").as_deref(), Some("Nguyễn"));
        assert_eq!(clean_word("tên:").as_deref(), Some("tên:"));
        assert_eq!(clean_word(":").as_deref(), Some(":"));
        assert_eq!(clean_word("05.03.1998").as_deref(), Some("05.03.1998"));
        assert_eq!(clean_word("tên:.......Lan").as_deref(), Some("tên: Lan"));
        assert_eq!(clean_word("—").as_deref(), None);
        let page = build_page(parse_tsv(TSV), 1654, 2339, 0.5, |b| b);
        assert_eq!(page.lines.len(), 2);
        assert_eq!(page.lines[0].text(), "Họ, tên: Nguyễn");
        assert!(page.junk_ratio > 0.3, "{}", page.junk_ratio);
        assert!((page.lines[1].words[0].conf - 0.88).abs() < 1e-6);
    }

    #[test]
    fn boxes_are_mapped_to_the_original_image() {
        let page = build_page(parse_tsv(TSV), 1654, 2339, 0.0, |b| {
            BBox::new(b.x + 10, b.y, b.w, b.h)
        });
        assert_eq!(page.lines[1].words[0].bbox.x, 110);
    }
}
