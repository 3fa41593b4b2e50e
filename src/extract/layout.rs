//! Splitting OCR lines into labelled segments: "Label: value Label: value".
//!
//! A colon is the strongest sign of a label's end, so labels are first looked for in the words
//! just before each colon, with a forgiving similarity (OCR garbles labels). Where OCR lost the
//! colon, only a close match of a long label counts, so that value words are not mistaken for
//! labels.

use super::lexicon::{LabelForm, LabelRef, Lexicon};
use crate::page::{BBox, OcrLine};
use crate::text::fold_compact;

/// Tunables of label finding.
#[derive(Debug, Clone)]
pub struct LayoutParams {
    /// Similarity a span ending in a colon needs to be taken for a label. Forgiving: the
    /// colon already says "a label ends here".
    pub colon_label_similarity: f32,
    /// Similarity a span without a colon needs: high, or values turn into labels.
    pub bare_label_similarity: f32,
    /// Labels this short (folded letters) need a colon and the start of the line ("Số").
    pub short_label_chars: usize,
    /// Longest label in words, plus slack for OCR splitting words.
    pub max_label_words: usize,
    /// Similarity a span needs when its colon was misread as a letter.
    pub misread_colon_similarity: f32,
    /// Shortest label (folded letters) believed with a misread colon.
    pub misread_colon_label_chars: usize,
    /// An edition's wording matched at least this well is taken over a reading of the
    /// label's words; below it, a reading of the words that fits well wins (a wording no
    /// edition holds, such as "Họ và tên người được khai sanh", is close in letters to
    /// an edition's "Họ và tên người đi khai sinh" and means another person).
    pub sure_wording_similarity: f32,
    /// Longest label a colon ends that no field takes, in words, for the report.
    pub unknown_label_words: usize,
}

impl Default for LayoutParams {
    fn default() -> Self {
        Self {
            colon_label_similarity: 0.62,
            bare_label_similarity: 0.86,
            short_label_chars: 3,
            max_label_words: 10,
            misread_colon_similarity: 0.86,
            misread_colon_label_chars: 6,
            sure_wording_similarity: 0.92,
            unknown_label_words: 6,
        }
    }
}

/// A word, split at colons, with its folded form.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    pub compact: String,
    pub bbox: BBox,
    /// How sure the engine is of the token's letters (its least sure one).
    pub conf: f32,
    /// The token as the engine's strongest other reading of one of its letters spells it,
    /// with that reading's confidence.
    pub rival: Option<(String, f32)>,
    /// Other figures the engine saw: (character index in `text`, figure, confidence).
    pub figure_rivals: Vec<(usize, char, f32)>,
    /// A colon follows the token (it ended with one, or the next token is one).
    pub colon_after: bool,
}

/// A label found on a line: tokens `start..end` of the line.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelHit {
    pub label: LabelRef,
    pub similarity: f32,
    pub start: usize,
    pub end: usize,
    pub bbox: BBox,
}

/// A line as labelled segments.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidOutLine {
    pub tokens: Vec<Token>,
    pub hits: Vec<LabelHit>,
    pub bbox: BBox,
}

impl LaidOutLine {
    /// Tokens before the first label (text continuing the previous line's value).
    pub fn leading(&self) -> &[Token] {
        let end = self.hits.first().map_or(self.tokens.len(), |h| h.start);
        &self.tokens[..end]
    }
    /// Value tokens of hit `i`: up to the next hit.
    pub fn value_of(&self, i: usize) -> &[Token] {
        let start = self.hits[i].end;
        let end = self.hits.get(i + 1).map_or(self.tokens.len(), |h| h.start);
        &self.tokens[start..end]
    }
}

/// Splits words at colons: "tên:NGUYỄN" becomes "tên" (colon after) and "NGUYỄN".
pub fn tokenize(line: &OcrLine) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for word in &line.words {
        let chars: Vec<char> = word.text.chars().collect();
        let n = chars.len().max(1) as f32;
        let mut start = 0usize;
        let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if *c == ':' {
                pieces.push((start, i, true));
                start = i + 1;
            }
        }
        pieces.push((start, chars.len(), false));
        // The rival spelling split the same way, when it splits alike.
        let rival_pieces: Vec<String> = word
            .rival
            .as_deref()
            .map(|r| r.split(':').map(|p| p.trim().to_string()).collect())
            .unwrap_or_default();
        let rivals_align = rival_pieces.len() == pieces.len();
        for (k, (a, b, colon)) in pieces.into_iter().enumerate() {
            let text: String = chars[a..b].iter().collect();
            let text = text.trim().to_string();
            // A lone small letter glued after a colon ("mẹ:c Nguyễn") is a speck, not a value.
            let speck = a > 0 && {
                let mut it = text.chars();
                it.next().is_some_and(|c| c.is_lowercase()) && it.next().is_none()
            };
            if speck {
                continue;
            }
            if text.is_empty() {
                if colon {
                    if let Some(prev) = tokens.last_mut() {
                        prev.colon_after = true;
                    }
                }
                continue;
            }
            // Box of the piece, in proportion to its characters.
            let x0 = word.bbox.x + (word.bbox.w as f32 * a as f32 / n) as u32;
            let x1 = word.bbox.x + (word.bbox.w as f32 * b as f32 / n) as u32;
            let rival = rival_pieces
                .get(k)
                .filter(|r| rivals_align && **r != text && !r.is_empty())
                .map(|r| (r.clone(), word.rival_conf));
            // Figure rivals of this piece, at their place in the trimmed text.
            let lead = chars[a..b].iter().take_while(|c| c.is_whitespace()).count();
            let figure_rivals = word
                .figure_rivals
                .iter()
                .map(|r| r.at as usize)
                .zip(&word.figure_rivals)
                .filter(|(at, _)| (a + lead..b).contains(at))
                .map(|(at, r)| (at - a - lead, r.figure, r.conf))
                .filter(|(at, _, _)| *at < text.chars().count())
                .collect();
            tokens.push(Token {
                figure_rivals,
                compact: fold_compact(&text),
                text,
                bbox: BBox::new(x0, word.bbox.y, x1.saturating_sub(x0).max(1), word.bbox.h),
                conf: word.letters_conf.unwrap_or(word.conf),
                rival,
                colon_after: colon,
            });
        }
    }
    tokens
}

/// Words before a colon compared letter by letter with the vocabulary's wordings when they
/// are no vocabulary words (run together, garbled).
const LETTER_SPAN_WORDS: usize = 2;

/// How surely a label closed by a stop instead of its colon must read by its words.
const STOP_LABEL_SIMILARITY: f32 = 0.95;

/// Well-spelled label words sharing fewer words than this (Dice) with an edition's wording
/// are another label.
const OTHER_WORDING_DICE: f32 = 0.5;

/// How far back (in words from the label's end) a label's capital is looked for.
const MAX_CAPITAL_REACH: usize = 8;

/// Letters a small colon is misread as when it touches the label ("chai.", "hệt", "sinhh").
const COLON_LOOKALIKES: &[char] = &['c', 'i', 'l', 't', 'h', '1'];

/// Letters a colon takes into itself when they touch it ("tạ:" for "tại:").
const LOST_TO_COLON: &[char] = &['i'];

/// Bytes at the end of a folded token that may be a misread colon: the last one or two
/// letters when they are colon lookalikes ("tộctc"); all ASCII, so a byte each.
fn colon_lookalike_tails(compact: &str) -> Vec<usize> {
    let letters: Vec<char> = compact.chars().collect();
    (1..=2)
        .take_while(|&n| {
            letters.len() > n + 1 && COLON_LOOKALIKES.contains(&letters[letters.len() - n])
        })
        .collect()
}

fn span_compact(tokens: &[Token]) -> String {
    tokens.iter().map(|t| t.compact.as_str()).collect()
}

/// The best reading by meaning of a span of label words ending at token `j` (before a colon):
/// the words before it that may belong to a label (vocabulary words, no figures), every
/// suffix of them tried, the longer preferred at equal fit. Also says whether the reading is
/// by letters (words run together) rather than by words.
fn label_by_meaning(
    tokens: &[Token],
    taken: &[bool],
    j: usize,
    lexicon: &Lexicon,
    params: &LayoutParams,
) -> Option<(LabelHit, bool)> {
    let meaning = lexicon.meaning.as_ref()?;
    let mut first = j + 1;
    while first > 0
        && j + 1 - first < params.max_label_words
        && !taken[first - 1]
        && meaning.is_label_word(&tokens[first - 1].text)
    {
        first -= 1;
    }
    let mut best: Option<(LabelHit, f32, bool)> = None;
    // Words run together and garbled ("Họtênmce:") are no vocabulary words: the last one or
    // two before the colon are also compared letter by letter.
    let letters_from = (j + 1).saturating_sub(LETTER_SPAN_WORDS).min(first);
    for start in letters_from..=j {
        if taken[start..=j].iter().any(|t| *t) {
            continue;
        }
        let text: Vec<&str> = tokens[start..=j].iter().map(|t| t.text.as_str()).collect();
        let text = text.join(" ");
        let by_words = if start >= first {
            meaning.read(&text)
        } else {
            None
        };
        let figures = tokens[start..=j]
            .iter()
            .any(|t| t.text.chars().any(|c| c.is_ascii_digit()));
        let by_letters = by_words.is_none();
        let reading = by_words.or_else(|| {
            (!figures)
                .then(|| meaning.read_letters(&span_compact(&tokens[start..=j])))
                .flatten()
        });
        let Some(reading) = reading else {
            continue;
        };
        // Right after another label, with no value between, only a sure reading is a label:
        // a speck read as a colon after a value word ("Quốc tịch: Việt: Nam") is no label.
        if start > 0 && taken[start - 1] && reading.score < 1.0 {
            continue;
        }
        // Nor is a word of personal names read loosely ("Nguyên" as the first word of
        // "nguyên quán" at the end of "tỉnh Thái Nguyên :").
        if start == j && reading.score < 1.0 && meaning.is_name_word(&tokens[j].text) {
            continue;
        }
        let compact = span_compact(&tokens[start..=j]);
        // Short labels ("Số", "Tên") only where a line opens with them, as for editions',
        // unless an abbreviation spelled out by the vocabulary ("NS:" for "năm sinh").
        let abbreviation = start == j && meaning.is_abbreviation(&tokens[j].text);
        if compact.chars().count() <= params.short_label_chars && start != 0 && !abbreviation {
            continue;
        }
        let score = reading.score.powi(4) * (compact.len() as f32).sqrt();
        if best.as_ref().is_none_or(|(_, b, _)| score > *b) {
            let form = lexicon.form_of_reading(&text, &reading);
            best = Some((
                LabelHit {
                    label: LabelRef::Meaning(Box::new(form)),
                    similarity: reading.score,
                    start,
                    end: j + 1,
                    bbox: BBox::union_all(tokens[start..=j].iter().map(|t| &t.bbox)),
                },
                score,
                by_letters,
            ));
        }
    }
    best.map(|(hit, _, by_letters)| (hit, by_letters))
}

/// A label without its colon read by its words at token `start`: written as a label (a
/// capital first, or opening the line), every word a vocabulary word, the whole of a phrase,
/// and a value after it ("Phái Nam", "Tuổi 42"). The longest such span wins.
fn bare_label_by_meaning(
    tokens: &[Token],
    taken: &[bool],
    start: usize,
    lexicon: &Lexicon,
    params: &LayoutParams,
) -> Option<LabelHit> {
    let meaning = lexicon.meaning.as_ref()?;
    let capital = tokens[start]
        .text
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    if !(capital || start == 0) {
        return None;
    }
    let longest = params.max_label_words.min(tokens.len() - start - 1);
    (1..=longest).rev().find_map(|k| {
        let end = start + k;
        if taken[start..end].iter().any(|t| *t) || taken[end] {
            return None;
        }
        let text: Vec<&str> = tokens[start..end].iter().map(|t| t.text.as_str()).collect();
        let text = text.join(" ");
        let reading = meaning.read_bare(&text)?;
        let compact = span_compact(&tokens[start..end]);
        let short = compact.chars().count() <= params.short_label_chars;
        if (short || reading.page_scope) && start != 0 {
            return None;
        }
        // Inside a line, one word before a figure ("Tuổi 42") and nothing else: values hold
        // such words ("Giồng Trôm", "Hộ chiếu số B4738952").
        let figure_follows = tokens[end]
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        if start != 0 && !(k == 1 && figure_follows) {
            return None;
        }
        Some(LabelHit {
            label: LabelRef::Meaning(Box::new(lexicon.form_of_reading(&text, &reading))),
            similarity: reading.score,
            start,
            end,
            bbox: BBox::union_all(tokens[start..end].iter().map(|t| &t.bbox)),
        })
    })
}

/// Whether two labels introduce the same field.
fn same_field(lexicon: &Lexicon, a: &LabelRef, b: &LabelRef) -> bool {
    let (Some(a), Some(b)) = (lexicon.form(a), lexicon.form(b)) else {
        return false;
    };
    a.person == b.person
        && a.roles.iter().next().map(|r| &r.role) == b.roles.iter().next().map(|r| &r.role)
}

/// Whether two labels introduce the same role, whoever's.
fn same_role(lexicon: &Lexicon, a: &LabelRef, b: &LabelRef) -> bool {
    let (Some(a), Some(b)) = (lexicon.form(a), lexicon.form(b)) else {
        return false;
    };
    a.roles.iter().next().map(|r| &r.role) == b.roles.iter().next().map(|r| &r.role)
}

/// Whether every word of the tokens is a vocabulary word as spelled.
fn all_vocabulary(tokens: &[Token], lexicon: &Lexicon) -> bool {
    let Some(meaning) = &lexicon.meaning else {
        return false;
    };
    tokens.iter().all(|t| {
        // Words OCR glued ("Làgì") are taken apart first.
        let words = meaning.canonical(&t.text);
        !words.is_empty() && words.iter().all(|w| meaning.is_vocabulary_word(w))
    })
}

/// A span of well-spelled label words that shares few words with an edition's wording is
/// another label, not that wording garbled ("Ủy viên hộ tịch" is no "Quốc tịch", however
/// close the letters): OCR garbles letters, it does not write other words.
fn another_wording(tokens: &[Token], form: &LabelForm, lexicon: &Lexicon) -> bool {
    let Some(meaning) = &lexicon.meaning else {
        return false;
    };
    if !all_vocabulary(tokens, lexicon) {
        return false;
    }
    let text: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let span = meaning.canonical(&text.join(" "));
    let wording = meaning.canonical(&form.text);
    let mut left = wording.clone();
    let common = span
        .iter()
        .filter(|w| match left.iter().position(|x| x == *w) {
            Some(i) => {
                left.remove(i);
                true
            }
            None => false,
        })
        .count();
    let dice = 2.0 * common as f32 / (span.len() + wording.len()).max(1) as f32;
    dice < OTHER_WORDING_DICE
}

/// A label starts with a capital: a hit starting with a lower-case word after label words
/// that open with one ("Là trai hay gái" read as "trai hay gái") takes them in.
fn extend_to_capital(tokens: &[Token], taken: &[bool], hit: &mut LabelHit, lexicon: &Lexicon) {
    let lower = tokens[hit.start]
        .text
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    if !lower {
        return;
    }
    let mut c = hit.start;
    while c > 0 && hit.end - c < MAX_CAPITAL_REACH {
        c -= 1;
        if taken[c] || !all_vocabulary(&tokens[c..=c], lexicon) {
            return;
        }
        if tokens[c]
            .text
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
        {
            // A name's last word before "sinh năm" ("Phan Văn Tú sinh năm") is no label
            // word, though without its marks it reads as one ("tu" of "tư pháp").
            let meaning = lexicon
                .meaning
                .as_ref()
                .expect("all_vocabulary needs meaning");
            if meaning.is_name_word(&tokens[c].text)
                && !meaning.is_marked_vocabulary_word(&tokens[c].text)
            {
                return;
            }
            hit.start = c;
            hit.bbox = BBox::union_all(tokens[c..hit.end].iter().map(|t| &t.bbox));
            if let LabelRef::Meaning(form) = &mut hit.label {
                let text: Vec<&str> = tokens[c..hit.end].iter().map(|t| t.text.as_str()).collect();
                form.text = text.join(" ");
            }
            return;
        }
    }
}

/// Where a label no field took would start, ending at token `j` before a colon: words of
/// letters only, written as labels are ("Nghề nghiệp", "Tôn giáo": a capital, then lower
/// case), at most `most` words. `None` when the words before the colon do not look like a
/// label (figures, a value in capitals, a lone short word).
fn label_like_start(tokens: &[Token], taken: &[bool], j: usize, most: usize) -> Option<usize> {
    let letters = |t: &Token| !t.text.is_empty() && t.text.chars().all(|c| c.is_alphabetic());
    let mut start = j + 1;
    while start > 0 && j + 1 - start < most && !taken[start - 1] && letters(&tokens[start - 1]) {
        start -= 1;
        // Right after another label, with no value between, a colon is a speck inside that
        // label's value ("Quốc tịch: Việt: Nam"), not the end of a label of its own.
        if start > 0 && taken[start - 1] {
            return None;
        }
        let capital = tokens[start]
            .text
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        if capital {
            // The label's first word; a word in capitals throughout is a value's.
            let shouted = tokens[start]
                .text
                .chars()
                .filter(|c| c.is_uppercase())
                .count()
                > 1;
            if shouted {
                return None;
            }
            let rest_lower = tokens[start + 1..=j]
                .iter()
                .all(|t| t.text.chars().next().is_some_and(char::is_lowercase));
            // Three letters open a line ("Tại:"); inside it, four at least.
            let least = if start == 0 { 3 } else { 4 };
            let compact = span_compact(&tokens[start..=j]);
            return (rest_lower && compact.chars().count() >= least).then_some(start);
        }
    }
    // Lower-case words opening the line ("nghề nghiệp:").
    (start == 0 && start <= j && span_compact(&tokens[start..=j]).chars().count() >= 4)
        .then_some(start)
}

/// Whether the words from `from` on are a label's lower-case words ending at a colon, at
/// most `most` of them.
fn runs_on_to_colon(tokens: &[Token], taken: &[bool], from: usize, most: usize) -> bool {
    for (i, t) in tokens.iter().enumerate().skip(from).take(most) {
        let lower = !t.text.is_empty()
            && t.text.chars().all(char::is_alphabetic)
            && t.text.chars().next().is_some_and(char::is_lowercase);
        if taken[i] || !lower {
            return false;
        }
        if t.colon_after {
            return true;
        }
    }
    false
}

/// Finds the labels on a line.
pub fn lay_out(line: &OcrLine, lexicon: &Lexicon, params: &LayoutParams) -> LaidOutLine {
    let tokens = tokenize(line);
    let mut taken = vec![false; tokens.len()];
    let mut hits: Vec<LabelHit> = Vec::new();

    // Pass 1: spans ending at a colon; then, among the words left, spans ending at a letter
    // the colon was misread as (after, so that "khai sinh:" is not cut at "khai").
    let colon_ends = (0..tokens.len()).filter(|&j| tokens[j].colon_after);
    let misread_ends = (0..tokens.len().saturating_sub(1)).filter(|&j| !tokens[j].colon_after);
    for (j, misread) in colon_ends
        .map(|j| (j, false))
        .chain(misread_ends.map(|j| (j, true)))
    {
        // Letters dropped from the span's end: none before a real colon, else each tail that
        // may be the misread colon.
        let tails = if misread {
            colon_lookalike_tails(&tokens[j].compact)
        } else {
            vec![0]
        };
        let stop = tokens[j].text.ends_with('.');
        if misread && ((tails.is_empty() && !stop) || taken[j] || taken[j + 1]) {
            continue;
        }
        let mut best: Option<LabelHit> = None;
        let mut best_score = 0.0f32;
        for k in 1..=params.max_label_words.min(j + 1) {
            let start = j + 1 - k;
            if taken[start..=j].iter().any(|t| *t) {
                break;
            }
            let as_read_compact = span_compact(&tokens[start..=j]);
            let as_read = lexicon.best_label(&as_read_compact);
            for &tail in &tails {
                let compact = &as_read_compact[..as_read_compact.len() - tail];
                let Some((label, sim)) = lexicon.best_label(compact) else {
                    continue;
                };
                let form = &lexicon.labels[label];
                let short = form.compact.chars().count() <= params.short_label_chars;
                if short && (start != 0 || sim < 1.0) {
                    continue;
                }
                if sim < params.colon_label_similarity {
                    continue;
                }
                if sim < params.sure_wording_similarity
                    && another_wording(&tokens[start..=j], form, lexicon)
                {
                    continue;
                }
                // A colon read as a letter ("tên chai.", "Quan hệt") is believed only when the
                // label without that letter is a close match, and a closer one than with it.
                // Nor when the label stands whole before that word ("...tạm trú. Thị trấn"):
                // the word's last letters are the value's, not a colon.
                let whole_before = k > 1
                    && lexicon
                        .best_label(&span_compact(&tokens[start..j]))
                        .is_some_and(|(l, s)| l == label && s >= sim);
                if tail > 0
                    && (form.compact.chars().count() < params.misread_colon_label_chars
                        || sim < params.misread_colon_similarity
                        || as_read.is_some_and(|(_, s)| s >= sim)
                        || whole_before
                        || (start > 0 && form.is_register_level() && sim < 1.0))
                {
                    continue;
                }
                // Longer labels explain more of the line: prefer them at equal similarity, but a
                // close match beats a longer loose one ("Năm sinh" inside "Văn Chung Năm sinh").
                let score = sim.powi(4) * (form.compact.len() as f32).sqrt();
                if score > best_score {
                    best_score = score;
                    best = Some(LabelHit {
                        label: LabelRef::Form(label),
                        similarity: sim,
                        start,
                        end: j + 1,
                        bbox: BBox::union_all(tokens[start..=j].iter().map(|t| &t.bbox)),
                    });
                }
            }
        }
        // A wording no edition prints: read by its words, where no edition's wording is a
        // sure match. An edition's wording that means the same field is kept (it says which
        // edition the page is).
        if !misread {
            let sure = best
                .as_ref()
                .is_some_and(|h| h.similarity >= params.sure_wording_similarity);
            // An edition's wording read surely at the end of longer label words that say
            // another thing ("Chức danh người ký" ending in "Người ký"): the words that
            // explain more of the span win. Not when they only add a person: a value may end
            // in a person's word ("Dân tộc: Khơ Me Quốc tịch: ...").
            let longer = sure
                .then(|| label_by_meaning(&tokens, &taken, j, lexicon, params))
                .flatten()
                .filter(|(hit, by_letters)| {
                    !by_letters
                        && best.as_ref().is_some_and(|b| {
                            hit.start < b.start && !same_role(lexicon, &b.label, &hit.label)
                        })
                });
            if let Some((hit, _)) = longer {
                best = Some(hit);
            } else if !sure {
                let found = label_by_meaning(&tokens, &taken, j, lexicon, params);
                // A reading by letters competes with the editions' wordings on their ground.
                let found = found.filter(|(hit, by_letters)| {
                    !by_letters || best.as_ref().is_none_or(|h| hit.similarity > h.similarity)
                });
                if let Some((by_meaning, _)) = found {
                    let agree = best
                        .as_ref()
                        .is_some_and(|h| same_field(lexicon, &h.label, &by_meaning.label));
                    if !agree {
                        best = Some(by_meaning);
                    } else if let Some(hit) = best.as_mut() {
                        // The letters and the words agree on the field: as sure as the surer.
                        hit.similarity = hit.similarity.max(by_meaning.similarity);
                    }
                }
            }
        }
        // A label's last letter taken into its colon ("Sanh tạ:" for "Sanh tại:", "Cán bộ
        // gh:"): a thin i beside a colon reads as one mark. The words with that letter back,
        // every one a vocabulary word, read surely by meaning.
        if !misread && best.is_none() {
            for &letter in LOST_TO_COLON {
                let mut mended = tokens.clone();
                mended[j].text.push(letter);
                mended[j].compact = fold_compact(&mended[j].text);
                let found = label_by_meaning(&mended, &taken, j, lexicon, params).filter(
                    |(h, by_letters)| {
                        !by_letters
                            && h.similarity >= params.misread_colon_similarity
                            && all_vocabulary(&mended[h.start..=j], lexicon)
                    },
                );
                if let Some((hit, _)) = found {
                    best = Some(hit);
                    break;
                }
            }
        }
        // A colon read as a letter after label words OCR ran together ("Khaisinhsốc 3",
        // "Địachỉcủachac Ấp 5"): the words without that letter, every one a vocabulary word
        // spelled right and read surely, where the word before does not end the same label
        // already.
        if misread && best.is_none() {
            for &tail in &tails {
                let mut trimmed = tokens.clone();
                let text: Vec<char> = trimmed[j].text.chars().collect();
                if text.len() <= tail {
                    continue;
                }
                trimmed[j].text = text[..text.len() - tail].iter().collect();
                trimmed[j].compact = fold_compact(&trimmed[j].text);
                let found = label_by_meaning(&trimmed, &taken, j, lexicon, params).filter(
                    |(h, by_letters)| {
                        !by_letters
                            && h.similarity >= params.misread_colon_similarity
                            && span_compact(&trimmed[h.start..=j]).chars().count()
                                >= params.misread_colon_label_chars
                            && all_vocabulary(&trimmed[h.start..=j], lexicon)
                    },
                );
                let Some((hit, _)) = found else {
                    continue;
                };
                let whole_before = j > hit.start
                    && label_by_meaning(&tokens, &taken, j - 1, lexicon, params)
                        .is_some_and(|(h, _)| same_field(lexicon, &h.label, &hit.label));
                if !whole_before {
                    best = Some(hit);
                    break;
                }
            }
        }
        // A colon read as a stop ("Họ tên trẻ. NGUYỄN VĂN AN"): a label by its words, of two
        // words or more and read surely, ends there.
        // Not right after another label: a value may end in such words ("Số Giấy CMND/Hộ
        // chiếu: Hộ chiếu số. N0739020").
        if misread && best.is_none() && stop {
            best = label_by_meaning(&tokens, &taken, j, lexicon, params)
                .filter(|(h, by_letters)| {
                    !by_letters
                        && h.end - h.start >= 2
                        && h.similarity >= STOP_LABEL_SIMILARITY
                        && (h.start == 0 || !taken[h.start - 1])
                })
                .map(|(h, _)| h);
        }
        if let Some(mut hit) = best {
            extend_to_capital(&tokens, &taken, &mut hit, lexicon);
            for t in &mut taken[hit.start..hit.end] {
                *t = true;
            }
            hits.push(hit);
        }
    }

    // Pass 2: close matches of long labels where OCR lost the colon.
    let mut start = 0;
    while start < tokens.len() {
        if taken[start] {
            start += 1;
            continue;
        }
        let mut best: Option<(LabelHit, f32)> = None;
        for k in 1..=params.max_label_words {
            let end = start + k;
            if end > tokens.len() || taken[start..end].iter().any(|t| *t) {
                break;
            }
            let compact = span_compact(&tokens[start..end]);
            let Some((label, sim)) = lexicon.best_label(&compact) else {
                continue;
            };
            let form = &lexicon.labels[label];
            // A short label without its colon ("Số 3", "Tuổi 40") counts only when spelled
            // exactly and followed by a figure.
            let short = form.compact.chars().count() < 6;
            let figure_follows = tokens
                .get(end)
                .is_some_and(|t| t.text.chars().next().is_some_and(|c| c.is_ascii_digit()));
            // Or one opening its line, spelled exactly, before its value ("Chỗ ở Khánh Lâm").
            let opens_line = start == 0
                && end < tokens.len()
                && !form.is_register_level()
                && form.compact.chars().count() > params.short_label_chars;
            if short && !(sim >= 1.0 && (figure_follows || opens_line)) {
                continue;
            }
            // "Số 12, đường ..." inside an address is not the register number: register labels
            // without a colon only at the start of a line.
            if short && start > 0 && form.is_register_level() {
                continue;
            }
            if sim < params.bare_label_similarity {
                continue;
            }
            // A first word that does not help the match belongs to the value before ("1" in
            // "Số: 1 Quyển số. 01/2019").
            let without_first = span_compact(&tokens[start + 1..end]);
            if k > 1
                && lexicon
                    .best_label(&without_first)
                    .is_some_and(|(l, s)| l == label && s >= sim)
            {
                continue;
            }
            // Inside a line, page labels must be spelled exactly: place names look like them
            // ("Tràng Sơn" against "Trang số").
            if start > 0 && form.page_scope() && sim < 1.0 {
                continue;
            }
            let score = sim.powi(4) * (form.compact.len() as f32).sqrt();
            if best.as_ref().is_none_or(|(_, b)| score >= *b) {
                best = Some((
                    LabelHit {
                        label: LabelRef::Form(label),
                        similarity: sim,
                        start,
                        end,
                        bbox: BBox::union_all(tokens[start..end].iter().map(|t| &t.bbox)),
                    },
                    score,
                ));
            }
        }
        if best.is_none() {
            best = bare_label_by_meaning(&tokens, &taken, start, lexicon, params)
                .map(|hit| (hit, 0.0));
        }
        // Lower-case words running on from it to a colon ("Tên họ đứa nhỏ:") say the label
        // ends at that colon: the words without a colon are no label of their own.
        let best = best.filter(|(hit, _)| {
            !runs_on_to_colon(&tokens, &taken, hit.end, params.unknown_label_words)
        });
        match best {
            Some((hit, _)) => {
                for t in &mut taken[hit.start..hit.end] {
                    *t = true;
                }
                start = hit.end;
                hits.push(hit);
            }
            None => start += 1,
        }
    }

    // Pass 3: what stands before a colon like a label and no field took ("Nghề nghiệp:"):
    // its value is nobody's (it does not run on into the value before), and it is reported.
    for j in 0..tokens.len() {
        if !tokens[j].colon_after || taken[j] {
            continue;
        }
        if let Some(start) = label_like_start(&tokens, &taken, j, params.unknown_label_words) {
            // One word before a colon that ends the line, or a word of personal names, is a
            // value's last word with a speck ("..., tỉnh Hà Giang:"), not a label.
            let one_word = start == j;
            let ends_line = j + 1 == tokens.len();
            let name = lexicon
                .meaning
                .as_ref()
                .is_some_and(|m| m.is_name_word(&tokens[j].text));
            if one_word && (ends_line || name) {
                continue;
            }
            let text: Vec<&str> = tokens[start..=j].iter().map(|t| t.text.as_str()).collect();
            hits.push(LabelHit {
                label: LabelRef::Unknown(text.join(" ")),
                similarity: 0.0,
                start,
                end: j + 1,
                bbox: BBox::union_all(tokens[start..=j].iter().map(|t| &t.bbox)),
            });
            for t in &mut taken[start..=j] {
                *t = true;
            }
        }
    }
    hits.sort_by_key(|h| h.start);
    LaidOutLine {
        bbox: line.bbox,
        tokens,
        hits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::lexicon::tests::ks_lexicon;
    use crate::page::OcrWord;

    fn line(text: &str, y: u32) -> OcrLine {
        let words: Vec<OcrWord> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| OcrWord {
                text: w.to_string(),
                bbox: BBox::new(100 + i as u32 * 120, y, 100, 40),
                conf: 0.95,
                letters_conf: None,
                rival: None,
                rival_conf: 0.0,
                figure_rivals: Vec::new(),
            })
            .collect();
        OcrLine {
            bbox: BBox::union_all(words.iter().map(|w| &w.bbox)),
            words,
        }
    }

    fn labels_and_values(text: &str) -> Vec<(String, String)> {
        let lx = ks_lexicon();
        let laid = lay_out(&line(text, 100), &lx, &LayoutParams::default());
        (0..laid.hits.len())
            .map(|i| {
                let v: Vec<&str> = laid.value_of(i).iter().map(|t| t.text.as_str()).collect();
                let label = match &laid.hits[i].label {
                    LabelRef::Unknown(text) => format!("?{text}"),
                    other => lx.form(other).unwrap().text.clone(),
                };
                (label, v.join(" "))
            })
            .collect()
    }

    #[test]
    fn splits_several_items_on_a_line() {
        assert_eq!(
            labels_and_values("Giới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam"),
            vec![
                ("Giới tính".into(), "Nữ".into()),
                ("Dân tộc".into(), "Kinh".into()),
                ("Quốc tịch".into(), "Việt Nam".into()),
            ]
        );
    }

    #[test]
    fn colon_glued_to_value_and_garbled_labels() {
        assert_eq!(
            labels_and_values("HI, chí đũm, tên:NGUYỄN THỊ HẰNG"),
            vec![("Họ, chữ đệm, tên".into(), "NGUYỄN THỊ HẰNG".into())]
        );
        assert_eq!(
            labels_and_values("Sô: 12 Quyin sĩ: 01/2016"),
            vec![
                ("Số".into(), "12".into()),
                ("Quyển số".into(), "01/2016".into())
            ]
        );
    }

    #[test]
    fn colon_misread_as_a_letter_still_ends_the_label() {
        assert_eq!(
            labels_and_values("Họ và tên chai. Nguyễn Xuân Thông Năm sinh: 1985"),
            vec![
                ("Họ và tên cha".into(), "Nguyễn Xuân Thông".into()),
                ("Năm sinh".into(), "1985".into())
            ]
        );
        assert_eq!(
            labels_and_values("Người đứng khai: Nguyễn Thị Lan Quan hệt Mẹ"),
            vec![
                ("Người đứng khai".into(), "Nguyễn Thị Lan".into()),
                ("Quan hệ".into(), "Mẹ".into())
            ]
        );
        assert_eq!(
            labels_and_values("Họovàtênmẹ:c Nguyễn Kim Xoan"),
            vec![("Họ và tên mẹ".into(), "Nguyễn Kim Xoan".into())]
        );
        // Inside a line, a place ending in such a letter is not taken for "Quyển số".
        assert_eq!(
            labels_and_values("Quê quán: Phước Lợi, Mỹ Xuyên, Sóc Trăng"),
            vec![("Quê quán".into(), "Phước Lợi, Mỹ Xuyên, Sóc Trăng".into())]
        );
        assert_eq!(
            labels_and_values("Chỗ ở Khánh Lâm, Long Hồ, Vĩnh Long"),
            vec![("Chỗ ở".into(), "Khánh Lâm, Long Hồ, Vĩnh Long".into())]
        );
        // A value word before a label without its colon stays in the value.
        assert_eq!(
            labels_and_values("Số: 1 Quyển số. 01/2019"),
            vec![
                ("Số".into(), "1".into()),
                ("Quyển số".into(), "01/2019".into())
            ]
        );
        assert_eq!(
            labels_and_values("Dân tộctc Kinh Quốctịch: Việt Nam"),
            vec![
                ("Dân tộc".into(), "Kinh".into()),
                ("Quốc tịch".into(), "Việt Nam".into())
            ]
        );
        // A name ending in such a letter is not cut into a label.
        assert_eq!(
            labels_and_values("Người đứng khai: Nguyễn Văn Thanh Quan hệ: Cha"),
            vec![
                ("Người đứng khai".into(), "Nguyễn Văn Thanh".into()),
                ("Quan hệ".into(), "Cha".into())
            ]
        );
    }

    #[test]
    fn a_label_opens_with_its_capital() {
        // "giới tính" is an edition's wording; the label as printed starts at "Là".
        assert_eq!(
            labels_and_values("Họ và tên: Lê Văn An Là giới tính: Nam"),
            vec![
                ("Họ và tên".into(), "Lê Văn An".into()),
                ("Giới tính".into(), "Nam".into())
            ]
        );
    }

    #[test]
    fn words_read_by_meaning_that_explain_more_of_a_label_win_over_a_wording_at_its_end() {
        assert_eq!(
            labels_and_values("Người ký: Lê Văn Ba Chức vụ của người ký: Chủ tịch"),
            vec![
                ("Người ký".into(), "Lê Văn Ba".into()),
                ("Chức vụ của người ký".into(), "Chủ tịch".into())
            ]
        );
        // A person's word before the wording is the value's.
        assert_eq!(
            labels_and_values("Dân tộc: Khơ Me Quốc tịch: Việt Nam"),
            vec![
                ("Dân tộc".into(), "Khơ Me".into()),
                ("Quốc tịch".into(), "Việt Nam".into())
            ]
        );
    }

    #[test]
    fn a_label_without_colon_runs_on_to_a_colon_after_its_lower_case_words() {
        // Words the vocabulary does not know make it an unknown label, reported, not a
        // shorter label whose value they would be.
        assert_eq!(
            labels_and_values("Tên họ thầy thuốc: Lê Văn Ba"),
            vec![("?Tên họ thầy thuốc".into(), "Lê Văn Ba".into())]
        );
    }

    #[test]
    fn a_labels_last_letter_taken_into_its_colon() {
        assert_eq!(
            labels_and_values("Sanh tạ: Xã An Bình, huyện Châu Thành"),
            vec![("Sanh tại".into(), "Xã An Bình, huyện Châu Thành".into())]
        );
        // A value's word before a speck colon is not mended into a label.
        assert_eq!(
            labels_and_values("Nơi sinh: Xã Tân Hộ: Cơ"),
            vec![("Nơi sinh".into(), "Xã Tân Hộ Cơ".into())]
        );
    }

    #[test]
    fn label_words_run_together_with_a_misread_colon_or_none() {
        assert_eq!(
            labels_and_values("Nơiởcủamẹc Ấp 5, xã An Bình"),
            vec![("Nơiởcủamẹ".into(), "Ấp 5, xã An Bình".into())]
        );
        assert_eq!(
            labels_and_values("Họ và tên mẹ: Lê Thị Hoa Tuổicủamẹ 41"),
            vec![
                ("Họ và tên mẹ".into(), "Lê Thị Hoa".into()),
                ("Tuổicủamẹ".into(), "41".into())
            ]
        );
    }

    #[test]
    fn well_spelled_words_of_another_label_are_no_garbled_wording() {
        let lx = ks_lexicon();
        let tokens = |text: &str| tokenize(&line(text, 100));
        let form = |text: &str| {
            let (i, _) = lx.best_label(&fold_compact(text)).unwrap();
            lx.labels[i].clone()
        };
        assert!(another_wording(
            &tokens("Ủy viên hộ tịch"),
            &form("Quốc tịch"),
            &lx
        ));
        // Garbled letters, or the same words in another order, are the wording.
        assert!(!another_wording(
            &tokens("Quốc tích"),
            &form("Quốc tịch"),
            &lx
        ));
        assert!(!another_wording(
            &tokens("Sổ quyển"),
            &form("Quyển số"),
            &lx
        ));
        assert!(!another_wording(
            &tokens("Họovàtênmẹ"),
            &form("Họ và tên mẹ"),
            &lx
        ));
    }

    #[test]
    fn lost_colon_on_a_long_label_is_found() {
        assert_eq!(
            labels_and_values("Họ, chữ đệm, tên người mẹ Trần Thị Phượng"),
            vec![("Họ, chữ đệm, tên người mẹ".into(), "Trần Thị Phượng".into())]
        );
    }

    #[test]
    fn value_words_are_not_labels() {
        // "số" inside a value and a place named like a label word stay in the value.
        assert_eq!(
            labels_and_values("Giấy tờ tùy thân: CMND số 012345678"),
            vec![("Giấy tờ tùy thân".into(), "CMND số 012345678".into())]
        );
        assert_eq!(
            labels_and_values("Nơi sinh: Trạm y tế xã Dân Chủ, huyện Quốc Oai"),
            vec![(
                "Nơi sinh".into(),
                "Trạm y tế xã Dân Chủ, huyện Quốc Oai".into()
            )]
        );
        // A speck read as a colon right after a label's own colon is inside its value.
        assert_eq!(
            labels_and_values("Dân tộc: Kinh Quốc tịch: Việt: Nam"),
            vec![
                ("Dân tộc".into(), "Kinh".into()),
                ("Quốc tịch".into(), "Việt Nam".into())
            ]
        );
        // Nor is one at the end of the line after a value's last word.
        assert_eq!(
            labels_and_values("Chỗ ở: Xóm 13, xã Tam Giang, tỉnh Hà Giang:"),
            vec![("Chỗ ở".into(), "Xóm 13, xã Tam Giang, tỉnh Hà Giang".into())]
        );
        // A value's words before a stop, right after the label, stay the value's.
        assert_eq!(
            labels_and_values("Số Giấy CMND/Hộ chiếu: Hộ.chiếu số. N0739020"),
            vec![(
                "Số Giấy CMND/Hộ chiếu".into(),
                "Hộ.chiếu số. N0739020".into()
            )]
        );
    }
}
