//! A Vietnamese phonetic key per syllable that survives OCR and regional spelling (domain
//! reference 8.4-8.5): tones and vowel marks are gone with folding; initials d/gi/v/r, ch/tr,
//! s/x, c/k/q, ph/f, g/gh, ng/ngh are merged; finals n/ng/nh and t/c/ch are merged; y is i; a few
//! taboo pairs (Hoàng/Huỳnh, Vũ/Võ, Phúc/Phước...) share a key.

/// Key of one folded syllable (`nguyen`, `hang`); anything that is not a Vietnamese syllable is
/// keyed by the same rules, harmlessly.
pub fn syllable_key(folded: &str) -> String {
    let word = taboo_variant(folded).unwrap_or(folded);
    let (initial, rest) = split_initial(word);
    let mut key = String::with_capacity(word.len());
    key.push_str(canonical_initial(initial));
    let rest = rest.replace('y', "i");
    key.push_str(&canonical_final(&rest));
    key
}

/// Same-lineage or same-name spellings that no sound rule merges.
fn taboo_variant(folded: &str) -> Option<&'static str> {
    Some(match folded {
        "huynh" => "hoang",
        "vo" => "vu",
        "phuoc" => "phuc",
        "huong" => "hong",
        "kieng" => "kinh",
        "thiet" => "that",
        _ => return None,
    })
}

const INITIALS: [&str; 27] = [
    "ngh", "ng", "gh", "gi", "ch", "tr", "th", "kh", "nh", "ph", "qu", "b", "c", "d", "g", "h",
    "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x",
];

fn split_initial(word: &str) -> (&str, &str) {
    for init in INITIALS {
        if let Some(rest) = word.strip_prefix(init) {
            if init == "gi" {
                // `gia`, `giu`: gi is the initial; `gin`, `gi`: g + the vowel i.
                return match rest.chars().next() {
                    Some(c) if is_vowel(c) => ("gi", rest),
                    _ => ("gi", &word[1..]),
                };
            }
            if init == "qu" {
                // qu is k + the medial u.
                return ("q", &word[1..]);
            }
            return (init, rest);
        }
    }
    ("", word)
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn canonical_initial(initial: &str) -> &str {
    match initial {
        "d" | "gi" | "v" | "r" => "z",
        "ch" | "tr" => "ch",
        "s" | "x" => "s",
        "c" | "k" | "q" => "k",
        "ph" => "f",
        "gh" => "g",
        "ngh" => "ng",
        other => other,
    }
}

fn canonical_final(rest: &str) -> String {
    for (finals, to) in [(["ng", "nh", "n"], "n"), (["ch", "c", "t"], "t")] {
        for f in finals {
            if let Some(stem) = rest.strip_suffix(f) {
                if !stem.is_empty() {
                    return format!("{stem}{to}");
                }
            }
        }
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn key(s: &str) -> String {
        fold(s)
            .split_whitespace()
            .map(syllable_key)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn tones_and_vowel_marks_are_dropped() {
        assert_eq!(key("Nguyễn"), key("NGUYEN"));
        assert_eq!(key("Hằng"), key("Hàng"));
        assert_eq!(key("Phượng"), key("Phương"));
        assert_eq!(key("Vĩ"), key("Vỹ"));
    }

    #[test]
    fn initials_d_gi_v_r_merge() {
        assert_eq!(key("Vân"), key("Dân"));
        assert_eq!(key("Giang"), key("Dang"));
        assert_eq!(key("Vy"), key("Dy"));
        assert_eq!(key("Dung"), key("Rung"));
        assert_eq!(key("gì"), key("dì"));
    }

    #[test]
    fn initials_ch_tr_and_s_x_merge() {
        assert_eq!(key("Trung"), key("Chung"));
        assert_eq!(key("Sơn"), key("Xơn"));
        assert_eq!(key("Kiên"), key("Ciên"));
        assert_eq!(key("Quang"), key("Kuang"));
    }

    #[test]
    fn finals_n_ng_nh_and_t_c_ch_merge() {
        assert_eq!(key("Lan"), key("Lang"));
        assert_eq!(key("Thắn"), key("Thắng"));
        assert_eq!(key("Minh"), key("Min"));
        assert_eq!(key("Phát"), key("Phác"));
        assert_eq!(key("Thạch"), key("Thạt"));
    }

    #[test]
    fn taboo_pairs_and_i_y_share_a_key() {
        assert_eq!(key("Huỳnh"), key("Hoàng"));
        assert_eq!(key("Võ"), key("Vũ"));
        assert_eq!(key("Phước"), key("Phúc"));
        assert_eq!(key("Lý"), key("Lí"));
    }

    #[test]
    fn distinct_names_stay_distinct() {
        assert_ne!(key("Lan"), key("Lam"));
        assert_ne!(key("Thảo"), key("Thu"));
        assert_ne!(key("Mai"), key("My"));
        assert_ne!(key("Đức"), key("Tức"));
    }

    #[test]
    fn folded_d_bar_is_d() {
        assert_eq!(fold("Đặng"), "dang");
        assert_eq!(key("Đặng"), key("Dang"));
        assert_eq!(key("Đào"), key("Vào"));
    }
}
