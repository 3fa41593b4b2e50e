//! From Tesseract's words to [`OcrPage`] lines: words with boxes and confidences, dotted
//! leaders and punctuation-only noise removed (and counted, to tell a junk page).

use crate::page::{BBox, FigureRival, OcrLine, OcrPage, OcrWord};
use std::collections::BTreeMap;

/// A word as Tesseract reported it, before cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineWord {
    /// (block, paragraph, line) numbers: Tesseract's own line grouping.
    pub line: (u32, u32, u32),
    pub bbox: BBox,
    /// 0..=100 as Tesseract gives it.
    pub conf: f32,
    /// Lowest confidence among the word's letters and digits, 0..=100.
    pub letters_conf: Option<f32>,
    /// The word's symbols as the engine segmented them.
    pub symbols: Vec<String>,
    /// The strongest other reading of one of its letters.
    pub rival: Option<Rival>,
    /// For each figure the engine read, its strongest other reading as a figure, if any:
    /// a dotted zero taken for a nine still has the zero beside it.
    pub figure_rivals: Vec<Rival>,
    pub text: String,
}

/// Another reading of one symbol of a word.
#[derive(Debug, Clone, PartialEq)]
pub struct Rival {
    /// Index of the symbol in [`EngineWord::symbols`].
    pub at: usize,
    pub text: String,
    /// 0..=100.
    pub conf: f32,
}

impl EngineWord {
    /// The word spelled with its rival letter instead of the chosen one.
    fn rival_spelling(&self) -> Option<String> {
        let rival = self.rival.as_ref()?;
        let mut symbols = self.symbols.clone();
        *symbols.get_mut(rival.at)? = rival.text.clone();
        clean_word(&symbols.concat())
    }

    /// The figure rivals as positions in the cleaned word `text`: each substitution spelled,
    /// cleaned, and kept when it changes exactly one character of `text`.
    fn figure_rivals_in(&self, text: &str) -> Vec<FigureRival> {
        let read: Vec<char> = text.chars().collect();
        self.figure_rivals
            .iter()
            .filter_map(|r| {
                let mut symbols = self.symbols.clone();
                *symbols.get_mut(r.at)? = r.text.clone();
                let spelled: Vec<char> = clean_word(&symbols.concat())?.chars().collect();
                if spelled.len() != read.len() {
                    return None;
                }
                let mut differ = (0..read.len()).filter(|&i| read[i] != spelled[i]);
                let (Some(at), None) = (differ.next(), differ.next()) else {
                    return None;
                };
                Some(FigureRival {
                    at: at as u32,
                    figure: spelled[at],
                    conf: (r.conf / 100.0).clamp(0.0, 1.0),
                })
            })
            .collect()
    }
}

/// Whether two readings of a symbol are the same letter: case, Unicode composition and the
/// look-alike "Ð" (eth) for "Đ" do not make another reading.
pub fn same_letter(a: &str, b: &str) -> bool {
    let canon = |s: &str| crate::text::lower(s).replace('ð', "đ");
    canon(a) == canon(b)
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
    words: Vec<EngineWord>,
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
        let rival = w.rival_spelling().filter(|r| *r != text);
        let figure_rivals = w.figure_rivals_in(&text);
        lines.entry(w.line).or_default().push(OcrWord {
            figure_rivals,
            bbox: to_original(w.bbox),
            conf: (w.conf / 100.0).clamp(0.0, 1.0),
            letters_conf: w.letters_conf.map(|c| (c / 100.0).clamp(0.0, 1.0)),
            rival_conf: match &rival {
                Some(_) => w
                    .rival
                    .as_ref()
                    .map_or(0.0, |r| (r.conf / 100.0).clamp(0.0, 1.0)),
                None => 0.0,
            },
            rival,
            text,
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
    let lines = same_row_joined(lines);
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
        turned_degrees: 0,
        image_warnings: Vec::new(),
    }
}

/// Lines the engine split that stand on one printed line, joined left to right: its layout
/// sometimes puts a value far right of its label ("Ngày đăng ký:    19/02/2010"), or a part
/// read again on its own, in a block of its own. Two lines are one when neither reaches into
/// the other across, each one's middle lies within the other's rows, and they share at least
/// two thirds of the lower one's height (a short word of the next line, "Số:", shares less).
fn same_row_joined(lines: Vec<OcrLine>) -> Vec<OcrLine> {
    let within = |a: &BBox, b: &BBox| {
        let mid = a.y + a.h / 2;
        mid >= b.y && mid < b.y + b.h
    };
    let mut out: Vec<OcrLine> = Vec::with_capacity(lines.len());
    for line in lines {
        let row = out.iter_mut().rev().take(4).find(|o| {
            let (a, b) = (&o.bbox, &line.bbox);
            let across = a.x < b.right() && b.x < a.right();
            !across && within(a, b) && within(b, a) && a.vertical_overlap(b) * 3 >= a.h.min(b.h) * 2
        });
        match row {
            Some(o) => {
                o.bbox = o.bbox.union(&line.bbox);
                o.words.extend(line.words);
                o.words.sort_by_key(|w| w.bbox.x);
            }
            None => out.push(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(line: u32, x: u32, conf: f32, text: &str) -> EngineWord {
        EngineWord {
            line: (1, 1, line),
            bbox: BBox::new(x, 200 + 60 * (line - 1), 60, 30),
            conf,
            letters_conf: text
                .chars()
                .any(char::is_alphanumeric)
                .then_some(conf + 2.0),
            symbols: text.chars().map(String::from).collect(),
            rival: None,
            figure_rivals: Vec::new(),
            text: text.into(),
        }
    }

    fn words() -> Vec<EngineWord> {
        vec![
            word(1, 100, 96.5, "Họ,"),
            word(1, 170, 95.1, "tên:"),
            word(1, 260, 40.0, ".........."),
            word(1, 300, 91.0, "Nguyễn......"),
            word(2, 100, 88.0, "Nam"),
        ]
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
        let page = build_page(words(), 1654, 2339, 0.5, |b| b);
        assert_eq!(page.lines.len(), 2);
        assert_eq!(page.lines[0].text(), "Họ, tên: Nguyễn");
        assert!(page.junk_ratio > 0.3, "{}", page.junk_ratio);
        assert!((page.lines[1].words[0].conf - 0.88).abs() < 1e-6);
        assert_eq!(page.lines[1].words[0].letters_conf, Some(0.90));
    }

    #[test]
    fn the_strongest_other_reading_is_kept_as_a_spelling() {
        let mut w = word(1, 100, 60.0, "Thương......");
        w.rival = Some(Rival {
            at: 3,
            text: "ợ".into(),
            conf: 40.0,
        });
        let page = build_page(vec![w], 1654, 2339, 0.0, |b| b);
        let read = &page.lines[0].words[0];
        assert_eq!(read.text, "Thương");
        assert_eq!(read.rival.as_deref(), Some("Thượng"));
        assert!((read.rival_conf - 0.40).abs() < 1e-6);
    }

    #[test]
    fn figure_rivals_are_placed_in_the_cleaned_word() {
        let mut w = word(1, 100, 90.0, "..91/01/2096");
        w.figure_rivals = vec![
            Rival {
                at: 2,
                text: "0".into(),
                conf: 38.0,
            },
            Rival {
                at: 10,
                text: "0".into(),
                conf: 20.0,
            },
        ];
        let page = build_page(vec![w], 1654, 2339, 0.0, |b| b);
        let read = &page.lines[0].words[0];
        assert_eq!(read.text, "91/01/2096");
        let at: Vec<(u32, char)> = read
            .figure_rivals
            .iter()
            .map(|r| (r.at, r.figure))
            .collect();
        assert_eq!(at, [(0, '0'), (8, '0')]);
        assert!((read.figure_rivals[0].conf - 0.38).abs() < 1e-6);
    }

    #[test]
    fn a_value_the_engine_put_in_a_block_of_its_own_joins_its_line() {
        let mut words = words();
        // "12/03/2014" far right of "Nguyễn", on the same row, in another block; a line below.
        let mut apart = word(1, 900, 95.0, "12/03/2014");
        apart.line = (7, 1, 1);
        apart.bbox.y += 3;
        words.push(apart);
        let page = build_page(words, 1654, 2339, 0.0, |b| b);
        assert_eq!(page.lines.len(), 2);
        assert_eq!(page.lines[0].text(), "Họ, tên: Nguyễn 12/03/2014");
        assert_eq!(page.lines[1].text(), "Nam");
    }

    #[test]
    fn case_and_lookalikes_are_not_another_reading() {
        assert!(same_letter("Y", "y"));
        assert!(same_letter("Ð", "Đ"));
        assert!(same_letter("a\u{0306}", "ă"));
        assert!(!same_letter("ô", "ộ"));
    }

    #[test]
    fn boxes_are_mapped_to_the_original_image() {
        let page = build_page(words(), 1654, 2339, 0.0, |b| {
            BBox::new(b.x + 10, b.y, b.w, b.h)
        });
        assert_eq!(page.lines[1].words[0].bbox.x, 110);
    }
}
