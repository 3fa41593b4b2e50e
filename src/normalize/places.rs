//! Known place names and the punctuation of addresses. A province, district or commune name
//! that folds (marks dropped, đ = d) to a known name is that name: OCR of a typed name loses
//! or adds marks (a leader dot read as a dot below, a horn lost to blur) far more often than
//! it turns one real name into another with the same letters. Known names are the provinces
//! of `schemas/codes/places.toml` and the units of the book's own registering authority,
//! which most addresses of a book share.

use std::collections::HashMap;

use crate::text::{fold, fold_compact, nfc};

/// Unit words that open a segment of an address ("huyện Bố Trạch"), folded, longest first.
const UNITS: &[&str] = &[
    "thanh pho",
    "thi tran",
    "thi xa",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
    "tp",
];

/// Level of a unit word: a name is only put right against names of its own level (the
/// district "huyện Thạnh Hóa" is not the province Thanh Hóa).
fn level(unit_folded: &str) -> &'static str {
    match unit_folded {
        "tinh" | "thanh pho" | "tp" => "province",
        "huyen" | "quan" | "thi xa" => "district",
        _ => "commune",
    }
}

/// Names by level and folded form; a fold two names of one level share is dropped (no
/// guessing between them).
#[derive(Debug, Clone, Default)]
pub struct PlaceNames {
    by_fold: HashMap<(&'static str, String), Option<String>>,
}

impl PlaceNames {
    /// Province names.
    pub fn new<'a>(provinces: impl IntoIterator<Item = &'a String>) -> Self {
        let mut out = Self::default();
        for n in provinces {
            out.add("province", n);
        }
        out
    }

    fn add(&mut self, level: &'static str, name: &str) {
        let name = nfc(name.trim());
        if name.is_empty() {
            return;
        }
        let key = (level, key(&name));
        match self.by_fold.get(&key) {
            Some(Some(known)) if *known != name => {
                self.by_fold.insert(key, None);
            }
            Some(_) => {}
            None => {
                self.by_fold.insert(key, Some(name));
            }
        }
    }

    /// The unit names of an authority ("UBND xã Liên Hiệp, huyện Bố Trạch, tỉnh Quảng Bình"
    /// gives Liên Hiệp, Bố Trạch and Quảng Bình).
    fn of_authority(authority: &str) -> Self {
        let mut out = Self::default();
        for segment in authority.split(',') {
            if let Some((unit, name)) = split_unit(segment.trim()) {
                out.add(level(&unit_key(&unit)), &name);
            }
        }
        out
    }

    /// The one name of any level that `name` folds to (a segment written without its unit
    /// word: "Phong Nẵm" in "Ấp 8, Phong Nẵm, Lấp Vò"); `None` when none or several do.
    fn lookup_any_level(&self, name: &str) -> Option<&str> {
        let k = key(name);
        let mut found = ["commune", "district", "province"]
            .into_iter()
            .filter_map(|level| self.by_fold.get(&(level, k.clone())))
            .map(|n| n.as_deref());
        match (found.next(), found.next()) {
            (Some(Some(one)), None) => Some(one),
            _ => None,
        }
    }

    fn lookup(&self, unit: &str, name: &str) -> Option<&str> {
        self.by_fold
            .get(&(level(&unit_key(unit)), key(name)))
            .and_then(|n| n.as_deref())
    }

    /// `text` with the name of each "unit Name" segment replaced by the known name it folds
    /// to, the names of the book's `authority` first; true when something changed.
    /// The words (folded, compact) of the address's units whose name the book's authority or
    /// the list knows as written: "xã Thới Hưng" in a book of that commune vouches for
    /// "xa", "thoi" and "hung"; a hamlet or street the list does not hold vouches for nothing.
    pub fn known_words(&self, text: &str, authority: Option<&str>) -> Vec<String> {
        let local = authority.map(Self::of_authority);
        let known = |unit: &str, name: &str| {
            local.as_ref().and_then(|l| l.lookup(unit, name)) == Some(name)
                || self.lookup(unit, name) == Some(name)
        };
        let mut words = Vec::new();
        for segment in text.split(',') {
            let segment = segment.trim();
            if let Some((unit, name)) = split_unit(segment) {
                if known(&unit, &name) {
                    let unit = unit_key(&unit);
                    let both = unit.split_whitespace().chain(name.split_whitespace());
                    words.extend(both.map(fold_compact));
                }
            } else if local.as_ref().and_then(|l| l.lookup_any_level(segment)) == Some(segment) {
                words.extend(segment.split_whitespace().map(fold_compact));
            }
        }
        words
    }

    /// `text` with each unit name one letter away from a name of the book's own `authority`
    /// ("thị trấn Cái Bò" in a book of thị trấn Cái Bè) given the authority's name; `None`
    /// when no name is that near. A guess: neighbouring communes can be a letter apart, so
    /// the caller doubts the value.
    pub fn correct_near_authority(&self, text: &str, authority: Option<&str>) -> Option<String> {
        let local = Self::of_authority(authority?);
        let near = |level: Option<&str>, name: &str| -> Option<String> {
            let k = key(name);
            if k.chars().filter(|c| c.is_alphabetic()).count() < 5 {
                return None;
            }
            let mut found = local.by_fold.iter().filter(|((l, known), n)| {
                n.is_some()
                    && level.is_none_or(|level| level == *l)
                    && known.split(' ').count() == k.split(' ').count()
                    && strsim::levenshtein(known, &k) == 1
            });
            match (found.next(), found.next()) {
                (Some((_, Some(one))), None) => Some(one.clone()),
                _ => None,
            }
        };
        let mut changed = false;
        let segments: Vec<String> = text
            .split(',')
            .map(|segment| {
                let lead = &segment[..segment.len() - segment.trim_start().len()];
                let trimmed = segment.trim();
                let fixed = match split_unit(trimmed) {
                    Some((unit, name)) if local.lookup(&unit, &name).is_none() => {
                        near(Some(level(&unit_key(&unit))), &name).map(|n| format!("{unit} {n}"))
                    }
                    Some(_) => None,
                    None if local.lookup_any_level(trimmed).is_none() => near(None, trimmed),
                    None => None,
                };
                match fixed {
                    Some(f) => {
                        changed = true;
                        format!("{lead}{f}")
                    }
                    None => segment.to_string(),
                }
            })
            .collect();
        changed.then(|| segments.join(","))
    }

    pub fn correct(&self, text: &str, authority: Option<&str>) -> (String, bool) {
        let local = authority.map(Self::of_authority);
        let find = |unit: &str, name: &str| {
            local
                .as_ref()
                .and_then(|l| l.lookup(unit, name))
                .or_else(|| self.lookup(unit, name))
        };
        let mut changed = false;
        let rejoined = rejoin_split_names(text, |name| {
            local
                .as_ref()
                .and_then(|l| l.lookup_any_level(name))
                .or_else(|| find("tinh", name))
                .is_some()
        });
        if rejoined != text {
            changed = true;
        }
        let text = rejoined.as_str();
        let count = text.split(',').count();
        let segments: Vec<String> = text
            .split(',')
            .enumerate()
            .map(|(i, segment)| {
                let lead = segment.len() - segment.trim_start().len();
                let trimmed = segment.trim();
                let Some((unit, name)) = split_unit(trimmed) else {
                    // The last of several segments without a unit word names the province
                    // ("Ấp 3, Biển Bạch, Trà Ôn, Vĩnh Lọng").
                    // Or a name of the book's own authority without its unit word.
                    let bare = local
                        .as_ref()
                        .and_then(|l| l.lookup_any_level(trimmed))
                        .or_else(|| {
                            (i + 1 == count && count > 2)
                                .then(|| find("tinh", trimmed))
                                .flatten()
                        })
                        .filter(|known| *known != trimmed)
                        .map(str::to_string);
                    return match garbled_province(trimmed, &find).or(bare) {
                        Some(fixed) => {
                            changed = true;
                            format!("{}{fixed}", &segment[..lead])
                        }
                        None => segment.to_string(),
                    };
                };
                let recased = !trimmed.ends_with(name.as_str());
                match find(&unit, &name) {
                    Some(known) if known != name || recased => {
                        changed = true;
                        format!("{}{unit} {known}", &segment[..lead])
                    }
                    _ if recased => {
                        changed = true;
                        format!("{}{unit} {name}", &segment[..lead])
                    }
                    _ => segment.to_string(),
                }
            })
            .collect();
        let joined = segments.join(",");
        let opens_upper = text.chars().next().is_some_and(char::is_uppercase);
        let joined = if opens_upper {
            capitalise_first(&joined)
        } else {
            joined
        };
        (joined, changed)
    }
}

/// "Lỉnh Đồng Nai", "Bệnh viện Đa khoa lỉnh Thanh Hóa": a province name closing the segment
/// whose unit word lost one letter to OCR. Only "tỉnh" is repaired, and only before a known
/// province.
fn garbled_province<'a>(
    segment: &str,
    find: &impl Fn(&str, &str) -> Option<&'a str>,
) -> Option<String> {
    let words: Vec<&str> = segment.split(' ').collect();
    (0..words.len().saturating_sub(1)).find_map(|i| {
        let f = fold(words[i]);
        // "lỉnh", "Ltỉnh": one letter wrong or one too many.
        let near = ((4..=5).contains(&f.chars().count()) && strsim::levenshtein(&f, "tinh") == 1)
            // "ủnh", "nh": its first letters lost.
            || (f.ends_with("nh") && f.chars().count() <= 3);
        if !near {
            return None;
        }
        let name = words[i + 1..].join(" ");
        // "OQuảng Bình": a speck read as a capital glued before the name's own.
        let glued_capital = name.chars().take(2).all(char::is_uppercase);
        let known = find("tinh", &name).or_else(|| {
            let unglued: String = name.chars().skip(1).collect();
            glued_capital.then(|| find("tinh", &unglued)).flatten()
        })?;
        let before = words[..i].join(" ");
        let unit = if i == 0 { "tỉnh" } else { " tỉnh" };
        Some(format!("{before}{unit} {known}"))
    })
}

/// "Lệ Thủy, Quảng, Bình": two segments without unit words that make one known name when
/// joined (a stop or comma read between its words) are one segment again.
fn rejoin_split_names(text: &str, known: impl Fn(&str) -> bool) -> String {
    let segments: Vec<&str> = text.split(',').collect();
    let mut out: Vec<String> = Vec::with_capacity(segments.len());
    let mut i = 0;
    while i < segments.len() {
        let (a, b) = (segments[i].trim(), segments.get(i + 1).map(|s| s.trim()));
        if let Some(b) = b {
            let joined = format!("{a} {b}");
            let bare = |s: &str| split_unit(s).is_none() && !s.is_empty();
            if bare(a) && bare(b) && !known(a) && !known(b) && known(&joined) {
                let lead = &segments[i][..segments[i].len() - segments[i].trim_start().len()];
                out.push(format!("{lead}{joined}"));
                i += 2;
                continue;
            }
        }
        out.push(segments[i].to_string());
        i += 1;
    }
    out.join(",")
}

/// How many comma-separated segments of `text` name one of the book's own units as the
/// `authority` writes it ("Phường 6" in a book of "UBND Phường 6, quận Gò Vấp"), folded.
pub fn authority_units_named(text: &str, authority: &str) -> usize {
    let own: Vec<String> = authority
        .split(',')
        .map(|segment| {
            let k = key(segment);
            k.strip_prefix("ubnd ").map(str::to_string).unwrap_or(k)
        })
        .collect();
    // A segment names a unit when it is the unit or ends with it ("Trạm y tế xã Hải Sơn").
    text.split(',')
        .filter(|segment| {
            let k = key(segment);
            own.iter().any(|o| k == *o || k.ends_with(&format!(" {o}")))
        })
        .count()
}

/// Folded key of a name: marks, case, hyphens and spacing ignored.
fn key(name: &str) -> String {
    fold(name)
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The unit word of a segment's unit, folded ("UBND xã" gives "xa").
fn unit_key(unit: &str) -> String {
    let f = key(&unit.replace('.', " "));
    for u in UNITS {
        if f.ends_with(u) && (f.len() == u.len() || f[..f.len() - u.len()].ends_with(' ')) {
            return u.to_string();
        }
    }
    f
}

/// A segment opening with a unit word: the unit as written and the name after it. "UBND" or
/// "Ủy ban nhân dân" before the unit is skipped.
fn split_unit(segment: &str) -> Option<(String, String)> {
    let words: Vec<&str> = segment.split_whitespace().collect();
    let folded: Vec<String> = words
        .iter()
        .map(|w| fold(w.trim_end_matches('.')))
        .collect();
    let mut start = 0;
    if folded.first().is_some_and(|w| w == "ubnd") {
        start = 1;
    } else if folded.len() > 4 && folded[..4].join(" ") == "uy ban nhan dan" {
        start = 4;
    }
    // The unit opens the segment, or stands inside it in lower case after the name of a
    // place in it ("Trạm y tế xã An Nhơn Tây", "Trung tâm Y tế huyện Bố Trạch").
    for at in start..folded.len() {
        if at > start && !words[at].chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        for unit in UNITS {
            let n = unit.split(' ').count();
            if folded.len() > at + n && folded[at..at + n].join(" ") == *unit {
                let name = words[at + n..].join(" ");
                if name.chars().next().is_some_and(|c| c.is_uppercase()) {
                    return Some((words[..at + n].join(" "), name));
                }
                // A name whose first syllable lost its capital ("huyện lâm Hà"): the words
                // after it are capitalised, so it is a name too.
                let rest_capitalised = words.len() > at + n + 1
                    && words[at + n + 1..]
                        .iter()
                        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
                if at == start && rest_capitalised {
                    return Some((words[..at + n].join(" "), capitalise_first(&name)));
                }
            }
        }
    }
    None
}

/// Address punctuation put right: a leader dot read between two words ("Thới.Hưng") goes, a
/// comma read as a full stop before a lower-case word is a comma again, doubled marks are
/// one, a comma is restored before a unit that follows a name ("Thới Hưng huyện Bàu
/// Bàng"), and the value opens with a capital. Abbreviations ("TP.HCM", "P.5") keep their
/// stop. True when something changed.
pub fn tidy_address(text: &str) -> (String, bool) {
    let mended = q_read_as_o(&crate::normalize::names::mend_split_capitals(text));
    let chars: Vec<char> = mended.chars().collect();
    // An address written without unit words ("Hải Sơn, Vạn Ninh, Khánh Hòa") separates its
    // names by commas only: a stop between two names there is a comma read as a stop.
    let folded: Vec<String> = text
        .split([' ', ','])
        .map(|w| fold(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .collect();
    let bare = !UNITS.iter().any(|unit| {
        let parts: Vec<&str> = unit.split(' ').collect();
        folded.windows(parts.len()).any(|w| w == parts.as_slice())
    });
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = out.chars().last();
        let next = chars.get(i + 1).copied();
        match c {
            // A comma (or a low double or single comma mark: a comma and a speck read
            // together) with the next word glued to it: comma, then a space.
            // "huyện,Quảng Điền": no comma between a unit word and its name.
            ',' if next.is_some_and(char::is_uppercase) && ends_with_unit_word(&out) => {
                out.push(' ')
            }
            ',' | '„' | '‚' if next.is_some_and(char::is_alphabetic) => out.push_str(", "),
            '„' | '‚' => out.push(','),
            '.' | ',' if matches!(next, Some(',' | '.' | '„' | '‚')) => {
                // ",." ".," ",,": one comma, then a space before the next word.
                out.push(',');
                if chars.get(i + 2).is_some_and(|c| c.is_alphanumeric()) {
                    out.push(' ');
                }
                i += 2;
                continue;
            }
            // An abbreviation's stop is followed by a capital or a figure ("TP.HCM", "P.5"),
            // never by a lower-case word ("Y.tế"); a speck inside a word ("T.rạch") joins it.
            '.' if prev.is_some_and(char::is_alphabetic)
                && next.is_some_and(char::is_alphabetic)
                && (!abbreviation_before(&out) || next.is_some_and(char::is_lowercase)) =>
            {
                let before: String = out
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                let after: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                let joined: String = before.chars().rev().chain(after.chars()).collect();
                let split_letter =
                    before.chars().count() == 1 && next.is_some_and(char::is_lowercase);
                if !(split_letter && crate::normalize::is_syllable(&joined)) {
                    out.push(' ');
                }
            }
            '.' if next == Some(' ')
                && chars.get(i + 2).is_some_and(|c| c.is_lowercase())
                && !abbreviation_before(&out) =>
            {
                out.push(',');
            }
            // "Y. tế": an abbreviation's stop is followed by a name or a number, never by a
            // lower-case word; this one is a speck.
            '.' if next == Some(' ')
                && chars.get(i + 2).is_some_and(|c| c.is_lowercase())
                && abbreviation_before(&out) => {}
            // ". Xã" opens the next unit: a comma. ". Lợi", ". Hồ", ". Nam" inside a name or
            // after "Thành phố" are specks (names take no stops).
            '.' if next == Some(' ')
                && chars.get(i + 2).is_some_and(|c| c.is_uppercase())
                && prev.is_some_and(char::is_alphanumeric)
                && !abbreviation_before(&out) =>
            {
                if unit_word_at(&chars[i + 2..]) || bare {
                    out.push(',');
                } else if prev.is_some_and(char::is_numeric) {
                    out.push('.');
                }
            }
            // "Ấp.8": a numbered unit word and its number.
            '.' if prev.is_some_and(char::is_alphabetic)
                && next.is_some_and(|c| c.is_ascii_digit())
                && !abbreviation_before(&out) =>
            {
                out.push(' ');
            }
            _ => out.push(c),
        }
        i += 1;
    }
    let out = opening_unit(stray_opening(&out));
    let out = unglue_numbers(&out);
    let out = unglue_units(&out);
    let out = comma_before_units(&out);
    let out = capitalise_first(&out);
    let changed = out != text;
    (out, changed)
}

/// "huyện Ouảng Điền": no Vietnamese syllable opens with "ou"; that O is a Q.
fn q_read_as_o(text: &str) -> String {
    text.split(' ')
        .map(|w| match w.strip_prefix('O') {
            Some(rest) if rest.starts_with(['u', 'U']) => format!("Q{rest}"),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "( Bệnh viện ...", "- Xóm 3": a mark before the first word, a bracket never closed, is a
/// speck or the end of the leader.
fn stray_opening(text: &str) -> &str {
    let start = text
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(text.len(), |(i, _)| i);
    let lead = &text[..start];
    if lead.contains('(') && text.contains(')') {
        return text;
    }
    &text[start..]
}

/// "rhôn Quyết Tiến" is "Thôn Quyết Tiến": an address opening with a word that is no
/// Vietnamese syllable, one letter from a hamlet's unit word, before a name. "TỔ 14" in an
/// address otherwise in lower case is "Tổ 14".
fn opening_unit(text: &str) -> String {
    const HAMLET_UNITS: &[(&str, &str)] = &[("thon", "Thôn"), ("xom", "Xóm"), ("khom", "Khóm")];
    let Some((first, rest)) = text.split_once(' ') else {
        return text.to_string();
    };
    let f = fold(first);
    let shouted = first.chars().count() >= 2
        && first.chars().all(char::is_uppercase)
        && rest.chars().any(char::is_lowercase);
    if shouted && NUMBERED_UNITS.contains(&f.as_str()) {
        let mut letters = first.chars();
        let head: String = letters.next().into_iter().collect();
        let tail: String = letters.flat_map(char::to_lowercase).collect();
        return format!("{head}{tail} {rest}");
    }
    let names_follow = rest.chars().next().is_some_and(char::is_uppercase);
    let unit = HAMLET_UNITS
        .iter()
        .find(|(u, _)| u.len() == f.len() && strsim::hamming(u, &f) == Ok(1));
    match unit {
        Some((_, unit)) if names_follow && !crate::normalize::is_syllable(first) => {
            format!("{unit} {rest}")
        }
        _ => text.to_string(),
    }
}

/// Unit words of an address that a number follows ("Tổ 26", "Phường 6"), folded.
const NUMBERED_UNITS: &[&str] = &[
    "to", "ap", "xom", "so", "khu", "thon", "phuong", "quan", "doi", "ban", "khom",
];

/// Whether the text written so far ends with a lower-case unit word ("huyện", "xã").
fn ends_with_unit_word(written: &str) -> bool {
    let last = written.rsplit(' ').next().unwrap_or("");
    last.chars().next().is_some_and(char::is_lowercase)
        && ["xa", "phuong", "huyen", "quan", "tinh", "tran", "pho"].contains(&fold(last).as_str())
}

/// Unit words an address glues to the name after them ("ẤpLong Thạnh").
const GLUED_UNITS: &[&str] = &[
    "ấp",
    "xóm",
    "thôn",
    "tổ",
    "khu",
    "xã",
    "phường",
    "huyện",
    "tỉnh",
];

/// "ẤpLong" is "Ấp Long", "Tổ 2I" is "Tổ 21": a unit word glued to its name, and the
/// letters a unit's number was misread as.
fn unglue_units(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for w in text.split(' ') {
        let lower = crate::text::lower(w);
        let glued = GLUED_UNITS.iter().find_map(|u| {
            let rest = lower.strip_prefix(u)?;
            let cut = w.len() - rest.len();
            w[cut..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
                .then(|| (w[..cut].to_string(), w[cut..].to_string()))
        });
        match glued {
            Some((unit, name)) => {
                words.push(unit);
                words.push(name);
            }
            None => words.push(w.to_string()),
        }
    }
    for i in 1..words.len() {
        let numbered = NUMBERED_UNITS.contains(&fold(&words[i - 1]).as_str());
        let w = &words[i];
        let core = w.trim_end_matches(',');
        let has_digit = core.chars().any(|c| c.is_ascii_digit());
        let misread = core.chars().any(|c| matches!(c, 'I' | 'l' | ']'));
        let digitish = core
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'I' | 'l' | ']'));
        if numbered && has_digit && misread && digitish {
            let digits: String = core
                .chars()
                .map(|c| if c.is_ascii_digit() { c } else { '1' })
                .collect();
            words[i] = format!("{digits}{}", &w[core.len()..]);
        }
    }
    words.join(" ")
}

/// "Tổ26" is "Tổ 26": a number glued to a unit word of an address.
fn unglue_numbers(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let split = w.find(|c: char| c.is_ascii_digit());
            match split {
                Some(i) if i > 0 && NUMBERED_UNITS.contains(&fold(&w[..i]).as_str()) => {
                    format!("{} {}", &w[..i], &w[i..])
                }
                _ => w.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The word just written is an abbreviation: up to three capitals ("TP", "P", "KP").
/// Whether the text starts with a unit word of an address ("Xã", "Phường", "Thành phố", ...).
fn unit_word_at(rest: &[char]) -> bool {
    let text: String = rest.iter().take(12).collect();
    let folded = fold(&text);
    [
        "xa ",
        "phuong ",
        "huyen ",
        "quan ",
        "tinh ",
        "thanh pho ",
        "thi xa ",
        "thi tran ",
        "xa,",
        "ap ",
        "thon ",
        "to ",
        "khu ",
        "duong ",
        "so ",
    ]
    .iter()
    .any(|u| folded.starts_with(u))
}

fn abbreviation_before(written: &str) -> bool {
    let word: Vec<char> = written
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect();
    !word.is_empty() && word.len() <= 3 && word.iter().all(|c| c.is_uppercase())
}

fn comma_before_units(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let f = fold(w);
            let two = words.get(i + 1).map(|n| format!("{f} {}", fold(n)));
            let single_unit = ["xa", "phuong", "huyen", "quan", "tinh"].contains(&f.as_str())
                && w.chars().next().is_some_and(char::is_lowercase);
            let double_unit = two.as_deref().is_some_and(|t| {
                ["thanh pho", "thi xa", "thi tran"].contains(&t)
                    && words[i + 1].chars().next().is_some_and(char::is_lowercase)
            });
            let prev = out.last_mut().unwrap();
            // A name or number before the unit, not the authority's own "UBND".
            let after_name = prev
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && prev.chars().last().is_some_and(char::is_alphanumeric)
                && fold(prev) != "ubnd";
            if (single_unit || double_unit) && after_name {
                prev.push(',');
            }
        }
        out.push(w.to_string());
    }
    out.join(" ")
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> PlaceNames {
        let provinces: Vec<String> = ["Bình Dương", "Hồ Chí Minh", "Thanh Hóa", "Quảng Bình"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        PlaceNames::new(&provinces)
    }

    #[test]
    fn a_province_with_marks_misread_is_put_right() {
        let (v, changed) =
            names().correct("Ấp 5, xã Thới Hưng, huyện Bàu Bàng, tỉnh Bình Dượng", None);
        assert!(changed);
        assert_eq!(v, "Ấp 5, xã Thới Hưng, huyện Bàu Bàng, tỉnh Bình Dương");
        let (v, _) = names().correct("Xã Hợp Thành, tỉnh Thạnh Hóa", None);
        assert_eq!(v, "Xã Hợp Thành, tỉnh Thanh Hóa");
        let (v, _) = names().correct("huyện Gò Công Tây, ủnh Bình Dương", None);
        assert_eq!(v, "huyện Gò Công Tây, tỉnh Bình Dương");
        let (v, _) = names().correct("Bệnh viện Đa khoa lỉnh Thanh Hóa", None);
        assert_eq!(v, "Bệnh viện Đa khoa tỉnh Thanh Hóa");
        let (v, _) = names().correct("Phường 6, Thành phố Hồ Chi Minh", None);
        assert_eq!(v, "Phường 6, Thành phố Hồ Chí Minh");
        let (v, _) = names().correct("huyện Long Thành, Lỉnh Bình Dương", None);
        assert_eq!(v, "huyện Long Thành, tỉnh Bình Dương");
        let (v, _) = names().correct("huyện Lệ Thủy, Ltỉnh Quảng Bình", None);
        assert_eq!(v, "huyện Lệ Thủy, tỉnh Quảng Bình");
        let (v, _) = names().correct("huyện Lệ Thủy, Lĩnh OQuảng Bình", None);
        assert_eq!(v, "huyện Lệ Thủy, tỉnh Quảng Bình");
        // A stop read between the words of a province: one name again; an unknown hamlet
        // split the same way is left as read.
        let (v, _) = names().correct("Xóm 13, Mỹ Thọ, Lệ Thủy, Quảng, Bình", None);
        assert_eq!(v, "Xóm 13, Mỹ Thọ, Lệ Thủy, Quảng Bình");
        let (v, _) = names().correct("Thôn Tiền, Phong, Mỹ Thọ", None);
        assert_eq!(v, "Thôn Tiền, Phong, Mỹ Thọ");
        // A word one letter from "tỉnh" before an unknown name is left alone.
        let (v, changed) = names().correct("xã An Hòa, Linh Xuân", None);
        assert!(!changed);
        assert_eq!(v, "xã An Hòa, Linh Xuân");
    }

    #[test]
    fn the_books_authority_names_its_own_commune_and_district() {
        let authority = Some("UBND xã Liên Hiệp, huyện Bố Trạch, tỉnh Quảng Bình");
        let local = names();
        let correct = |t: &str| local.correct(t, authority);
        let (v, _) = correct("Xóm 2, xã Liên Hiêp, huyện Bố Trach, tỉnh Quảng Bình");
        assert_eq!(v, "Xóm 2, xã Liên Hiệp, huyện Bố Trạch, tỉnh Quảng Bình");
        // A unit inside a segment, after the name of a place in it.
        let (v, _) = correct("Trung tâm Y tế huyện Bố Trach, tỉnh Quảng Bình");
        assert_eq!(v, "Trung tâm Y tế huyện Bố Trạch, tỉnh Quảng Bình");
        // A name whose first syllable lost its capital.
        let (v, changed) = correct("Xóm 2, xã Liên Hiệp, huyện bố Trạch, tỉnh Quảng Bình");
        assert_eq!(v, "Xóm 2, xã Liên Hiệp, huyện Bố Trạch, tỉnh Quảng Bình");
        assert!(changed);
        let (v, _) = correct("Xóm 2, xã Yên Mỹ, huyện lâm Hà, tỉnh Lâm Đồng");
        assert_eq!(v, "Xóm 2, xã Yên Mỹ, huyện Lâm Hà, tỉnh Lâm Đồng");
        let (v, _) = correct("Xóm 2, Liên Hiệp, Bố Trạch, Quảng Bính");
        assert_eq!(v, "Xóm 2, Liên Hiệp, Bố Trạch, Quảng Bình");
        // A name of the authority written without its unit word.
        let (v, _) = correct("Xóm 2, Liên Hiêp, Bố Trach, Quảng Bình");
        assert_eq!(v, "Xóm 2, Liên Hiệp, Bố Trạch, Quảng Bình");
        assert_eq!(
            local.known_words("Trạm y tế xã Liên Hiệp, huyện Bố Trạch", authority),
            ["xa", "lien", "hiep", "huyen", "bo", "trach"]
        );
        // A different name, or a name with other letters, is left alone.
        // A letter off the authority's own names: a guess the caller doubts.
        let near = |t: &str| local.correct_near_authority(t, authority);
        assert_eq!(
            near("Khu phố 7, xã Liên Hiệt, huyện Bố Trạch").as_deref(),
            Some("Khu phố 7, xã Liên Hiệp, huyện Bố Trạch")
        );
        assert_eq!(
            near("Trung tâm Y tế huyện Bố Trạnh").as_deref(),
            Some("Trung tâm Y tế huyện Bố Trạch")
        );
        assert_eq!(near("Xóm 2, xã Liên Hiệp, huyện Bố Trạch"), None);
        assert_eq!(near("Xóm 2, xã Liên Hòa, huyện Bố Trạch"), None);
        let (v, changed) = correct("Xóm 2, xã Liên Hòa, huyện Bố Trạch");
        assert!(!changed);
        assert_eq!(v, "Xóm 2, xã Liên Hòa, huyện Bố Trạch");
    }

    #[test]
    fn segments_naming_the_books_own_units_are_counted() {
        let authority = "UBND Phường 6, quận Gò Vấp, Thành phố Hồ Chí Minh";
        assert_eq!(
            authority_units_named("Tổ 24, Phường 6, quận Gò Vấp", authority),
            2
        );
        assert_eq!(
            authority_units_named("Tổ 24, Phường 8, quận Gò Vấp", authority),
            1
        );
        assert_eq!(
            authority_units_named("Trạm y tế Phường 6, quận Gò Vấp", authority),
            2
        );
    }

    #[test]
    fn two_names_with_one_fold_are_not_guessed_between() {
        let both: Vec<String> = vec!["Thanh Hóa".into(), "Thạnh Hòa".into()];
        let (v, changed) = PlaceNames::new(&both).correct("tỉnh Thành Hóa", None);
        assert!(!changed);
        assert_eq!(v, "tỉnh Thành Hóa");
        // Nor is a district put right against a province.
        let (v, changed) = names().correct("huyện Thạnh Hóa, tỉnh Long An", None);
        assert!(!changed);
        assert_eq!(v, "huyện Thạnh Hóa, tỉnh Long An");
    }

    #[test]
    fn address_punctuation_is_put_right() {
        let t = |s: &str| tidy_address(s).0;
        assert_eq!(
            t("Ấp 4, xã Thới.Hưng. huyện Bàu Bàng,. tỉnh Bình Dương"),
            "Ấp 4, xã Thới Hưng, huyện Bàu Bàng, tỉnh Bình Dương"
        );
        assert_eq!(
            t("xã Hiệp Phước, huyện Bình Chánh"),
            "Xã Hiệp Phước, huyện Bình Chánh"
        );
        assert_eq!(
            t("Ấp Phú Lợi, xã Thới Hưng huyện Bàu Bàng"),
            "Ấp Phú Lợi, xã Thới Hưng, huyện Bàu Bàng"
        );
        // A unit after a common word is part of a name ("Trạm y tế xã ..."), and
        // abbreviations keep their stops.
        assert_eq!(
            t("Trạm y tế xã Thới Hưng, huyện Bàu Bàng"),
            "Trạm y tế xã Thới Hưng, huyện Bàu Bàng"
        );
        assert_eq!(t("Số 12, P.5, Q.3, TP.HCM"), "Số 12, P.5, Q.3, TP.HCM");
        assert_eq!(t("TP. Hồ Chí Minh"), "TP. Hồ Chí Minh");
        // Specks read as stops inside names, after a unit word and before a number.
        assert_eq!(
            t("Ấp Phú. Lợi, Thành phố. Hồ Chí Minh"),
            "Ấp Phú Lợi, Thành phố Hồ Chí Minh"
        );
        assert_eq!(
            t("Trung tâm Y. tế huyện Bàu Bàng"),
            "Trung tâm Y tế huyện Bàu Bàng"
        );
        assert_eq!(t("Ấp.8, xã Thới Hưng"), "Ấp 8, xã Thới Hưng");
        assert_eq!(
            t("Trung tâm Y.tế huyện Đức Thọ"),
            "Trung tâm Y tế huyện Đức Thọ"
        );
        assert_eq!(t("Ấp 3. Xã Tân Phú"), "Ấp 3, Xã Tân Phú");
        assert_eq!(t("Khu phố 5,„ Bố Trạch"), "Khu phố 5, Bố Trạch");
        assert_eq!(t("TỔ 14, thị trấn Lệ Thủy"), "Tổ 14, thị trấn Lệ Thủy");
        assert_eq!(
            t("xã Nam Sơn, huyện Ouảng Điền"),
            "Xã Nam Sơn, huyện Quảng Điền"
        );
        assert_eq!(t("( Bệnh viện Đa khoa"), "Bệnh viện Đa khoa");
        assert_eq!(t("(Cũ) Xóm 3"), "(Cũ) Xóm 3");
        assert_eq!(
            t("Hải Sơn. Vạn Ninh, Khánh Hòa"),
            "Hải Sơn, Vạn Ninh, Khánh Hòa"
        );
        assert_eq!(
            t("Ấp 5, xã Thới Hưng,.huyện Bàu Bàng"),
            "Ấp 5, xã Thới Hưng, huyện Bàu Bàng"
        );
        assert_eq!(t("UBND xã Hiệp Phước"), "UBND xã Hiệp Phước");
        assert_eq!(t("Tổ26, thị trấn Núi Thành"), "Tổ 26, thị trấn Núi Thành");
        assert_eq!(t("Ấp 7„ xã An Nhơn Tây"), "Ấp 7, xã An Nhơn Tây");
        assert_eq!(
            t("Xóm 14, xã Nam Sơn, huyện,Quảng Điền"),
            "Xóm 14, xã Nam Sơn, huyện Quảng Điền"
        );
        assert_eq!(
            t("ẤpLong Thạnh, xã Phong Nẫm"),
            "Ấp Long Thạnh, xã Phong Nẫm"
        );
        assert_eq!(t("Tổ2I,thị trấn Cai Lậy"), "Tổ 21, thị trấn Cai Lậy");
        // A hamlet's unit word with a letter misread; a real word there is left alone.
        assert_eq!(
            t("rhôn Quyết Tiến, xã An Khê"),
            "Thôn Quyết Tiến, xã An Khê"
        );
        assert_eq!(
            t("Thân Cửu Nghĩa, Châu Thành"),
            "Thân Cửu Nghĩa, Châu Thành"
        );
        assert_eq!(
            t("Xã Nga Thạch„huyện.Ngọc Lặc,tỉnh Thanh Hóa"),
            "Xã Nga Thạch, huyện Ngọc Lặc, tỉnh Thanh Hóa"
        );
        assert!(!tidy_address("Xã Yên Mỹ, huyện Lâm Hà").1);
    }
}
