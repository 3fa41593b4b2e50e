//! Vietnamese personal names for synthetic entries (domain reference 8.1-8.3): family names by
//! their national frequencies, sex-marked middle names, and a few hundred given names.

use rand::distributions::{Distribution, WeightedIndex};
use rand::seq::SliceRandom;
use rand::Rng;

/// Broad region of a province: family-name spellings (Hoàng/Huỳnh, Vũ/Võ) and village words
/// differ between North and South.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    North,
    Centre,
    South,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn random(rng: &mut impl Rng) -> Sex {
        // About 106 boys for 100 girls at birth in the 2000s-2010s.
        if rng.gen_bool(0.515) {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

/// Family names and weights in per mille (domain reference 8.2); Hoàng/Huỳnh and Vũ/Võ are
/// split by region in [`family_weight`].
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 384),
    ("Trần", 121),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 0),
    ("Huỳnh", 0),
    ("Phan", 45),
    ("Vũ", 0),
    ("Võ", 0),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Trương", 5),
    ("Đinh", 5),
    ("Đoàn", 4),
    ("Lâm", 3),
    ("Mai", 3),
    ("Trịnh", 4),
    ("Đào", 4),
    ("Cao", 3),
    ("Lương", 3),
    ("Hà", 3),
    ("Lưu", 2),
    ("Tô", 2),
    ("Tạ", 2),
    ("Châu", 2),
    ("Thái", 1),
    ("Phùng", 2),
    ("Quách", 1),
    ("Kiều", 1),
    ("Lại", 1),
    ("Vương", 1),
    ("Triệu", 1),
    ("Chu", 1),
    ("Đàm", 1),
    ("Văn", 1),
    ("Tăng", 1),
    ("Từ", 1),
    ("Khúc", 1),
    ("Nghiêm", 1),
    ("Doãn", 1),
    ("Mạc", 1),
    ("Lục", 1),
    ("Giang", 1),
    ("La", 1),
    ("Tống", 1),
];

fn family_weight(name: &str, weight: u32, region: Region) -> u32 {
    match (name, region) {
        ("Hoàng", Region::South) | ("Huỳnh", Region::North) => 3,
        ("Hoàng", _) => 50,
        ("Huỳnh", _) => 45,
        ("Vũ", Region::South) | ("Võ", Region::North) => 4,
        ("Vũ", _) => 38,
        ("Võ", _) => 35,
        _ => weight,
    }
}

/// Middle words for men; `Văn` is weighted in [`middle_names`].
const MALE_MIDDLE: &[&str] = &[
    "Đức", "Minh", "Quang", "Hữu", "Công", "Đình", "Trọng", "Duy", "Quốc", "Thế", "Xuân", "Thanh",
    "Ngọc", "Gia", "Bảo", "Hoàng", "Anh", "Tuấn", "Mạnh", "Trung", "Hải", "Tiến", "Khắc", "Chí",
    "Thành", "Việt", "Nhật", "Phúc", "Đăng", "Kim",
];

const FEMALE_MIDDLE: &[&str] = &[
    "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Mỹ", "Phương", "Bích", "Diệu", "Khánh", "Minh", "Thùy",
    "Hoài", "Xuân", "Lan", "Quỳnh", "Bảo", "Tuyết", "Hải", "Hương", "Như", "Cẩm", "Vân", "Mai",
    "Tường",
];

const MALE_GIVEN: &[&str] = &[
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Chiến",
    "Công",
    "Dũng",
    "Duy",
    "Dương",
    "Đạt",
    "Đức",
    "Định",
    "Đông",
    "Giang",
    "Hải",
    "Hào",
    "Hiếu",
    "Hiển",
    "Hiệp",
    "Hòa",
    "Hoàng",
    "Huy",
    "Hùng",
    "Hưng",
    "Khải",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Lộc",
    "Long",
    "Lực",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Nhân",
    "Nhật",
    "Phát",
    "Phong",
    "Phúc",
    "Phước",
    "Quân",
    "Quang",
    "Quyết",
    "Sơn",
    "Tài",
    "Tâm",
    "Tân",
    "Thắng",
    "Thành",
    "Thịnh",
    "Thông",
    "Toàn",
    "Trung",
    "Trường",
    "Tuấn",
    "Tùng",
    "Vinh",
    "Việt",
    "Vũ",
    "Hậu",
    "Khôi",
    "Kiệt",
    "Lợi",
    "Luân",
    "Nguyên",
    "Quý",
    "Sang",
    "Sỹ",
    "Tiến",
    "Tín",
    "Trí",
    "Trọng",
    "Tú",
    "Tường",
    "Vương",
    "Hoàn",
    "Bách",
    "Cảnh",
    "Chính",
    "Cương",
    "Doanh",
    "Điệp",
    "Giáp",
    "Hợp",
    "Huân",
    "Khiêm",
    "Lân",
    "Lượng",
    "Mậu",
    "Năng",
    "Ninh",
    "Quốc",
    "Sáng",
    "Sinh",
    "Tạo",
    "Thái",
    "Thiện",
    "Thuận",
    "Thức",
    "Tiệp",
    "Toản",
    "Triều",
    "Tuyến",
    "Uy",
    "Vĩnh",
    "Đăng",
    "Hưởng",
    "Khương",
    "Tấn",
    "Thạch",
    "Tuệ",
    "Hoạt",
    "Biên",
    "Chung",
    "Đoàn",
    "Hạnh",
    "Hiệu",
    "Kha",
    "Lập",
    "Luận",
    "Nhất",
    "Phú",
    "Phương",
    "Quyền",
    "Sáu",
    "Tam",
    "Thanh",
    "Thiệu",
    "Thọ",
    "Thuấn",
    "Tòng",
    "Trực",
    "Tuyên",
    "Văn",
    "Vỹ",
    "Xuân",
    "Dân",
    "Hanh",
    "Hồng",
    "Kỳ",
    "Lai",
    "Mừng",
    "Nhã",
    "Phi",
    "Quảng",
    "Sỉ",
    "Thân",
    "Vị",
];

const FEMALE_GIVEN: &[&str] = &[
    "An",
    "Anh",
    "Ánh",
    "Bích",
    "Châu",
    "Chi",
    "Cúc",
    "Diệp",
    "Diệu",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hảo",
    "Hiền",
    "Hoa",
    "Hòa",
    "Hồng",
    "Huệ",
    "Hương",
    "Hường",
    "Huyền",
    "Khánh",
    "Khuê",
    "Lan",
    "Liên",
    "Liễu",
    "Linh",
    "Loan",
    "Lụa",
    "Lý",
    "Mai",
    "Mến",
    "My",
    "Mỹ",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nguyệt",
    "Nhàn",
    "Nhung",
    "Nhi",
    "Nương",
    "Oanh",
    "Phấn",
    "Phương",
    "Phượng",
    "Quyên",
    "Quỳnh",
    "Sen",
    "Tâm",
    "Thanh",
    "Thảo",
    "Thắm",
    "Thơ",
    "Thoa",
    "Thu",
    "Thúy",
    "Thủy",
    "Thư",
    "Thương",
    "Tiên",
    "Trang",
    "Trâm",
    "Trinh",
    "Tú",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vi",
    "Vy",
    "Xuân",
    "Yến",
    "Ly",
    "Hậu",
    "Lệ",
    "Dịu",
    "Gấm",
    "Hân",
    "Hiên",
    "Khanh",
    "Lài",
    "Lành",
    "Lương",
    "Mận",
    "Minh",
    "Na",
    "Nụ",
    "Quế",
    "Sương",
    "Thêu",
    "Thìn",
    "Thuận",
    "Thùy",
    "Tình",
    "Trà",
    "Tươi",
    "Xoan",
    "Ý",
    "Đào",
    "Điệp",
    "Hải",
    "Hạ",
    "Huế",
    "Kim",
    "Lam",
    "Lê",
    "Lựu",
    "Mơ",
    "Ngà",
    "Nhạn",
    "Nhài",
    "Phúc",
    "Son",
    "Tuyền",
    "Thi",
    "Thục",
    "Vinh",
    "Hoài",
    "Hợi",
    "Ngọ",
    "Quyến",
    "Hiếu",
    "Đông",
    "Như",
    "Loan",
    "Thoan",
];

/// Family names and given words of some minority groups (domain reference 8.1), by ethnic code.
const MINORITY_FAMILY: &[(&str, &[&str])] = &[
    (
        "08",
        &[
            "Giàng", "Thào", "Vừ", "Mùa", "Lầu", "Sùng", "Lý", "Hầu", "Vàng", "Tráng",
        ],
    ),
    (
        "03",
        &["Lò", "Lường", "Quàng", "Cầm", "Hà", "Vi", "Lù", "Tòng"],
    ),
    (
        "02",
        &[
            "Nông", "Hoàng", "Lục", "Bế", "Ma", "Triệu", "Hà", "Lăng", "Đàm",
        ],
    ),
    (
        "07",
        &["Nông", "Hoàng", "Lương", "Lăng", "Mã", "Chu", "Vy", "Sầm"],
    ),
    ("09", &["Triệu", "Bàn", "Đặng", "Lý", "Phàn", "Chảo", "Tẩn"]),
    ("06", &["Bùi", "Đinh", "Quách", "Hà", "Xa", "Cao"]),
    ("05", &["Thạch", "Sơn", "Kim", "Danh", "Lâm", "Châu", "Lý"]),
];

const HMONG_MALE_GIVEN: &[&str] = &["Páo", "Mí", "Chử", "Sính", "Pó", "Dình", "Chá", "Lử", "Sử"];
const HMONG_FEMALE_GIVEN: &[&str] = &["Mỷ", "Dợ", "Pà", "Sua", "Máy", "Chư", "Dung", "Mai"];

/// A name generator for one region; weights built once.
pub struct NameMaker {
    family: WeightedIndex<u32>,
}

impl NameMaker {
    pub fn new(region: Region) -> NameMaker {
        let weights: Vec<u32> = FAMILY
            .iter()
            .map(|(n, w)| family_weight(n, *w, region))
            .collect();
        NameMaker {
            family: WeightedIndex::new(weights).expect("positive family-name weights"),
        }
    }

    /// A family name for a person of the given ethnic group code.
    pub fn family(&self, rng: &mut impl Rng, ethnic_code: &str) -> String {
        if let Some((_, names)) = MINORITY_FAMILY.iter().find(|(c, _)| *c == ethnic_code) {
            if rng.gen_bool(0.85) {
                return names.choose(rng).expect("names").to_string();
            }
        }
        FAMILY[self.family.sample(rng)].0.to_string()
    }

    /// Middle words and given name, without the family name: "Thị Thu Hằng", "Văn An", "Minh".
    pub fn middle_and_given(&self, rng: &mut impl Rng, sex: Sex, ethnic_code: &str) -> String {
        if ethnic_code == "08" {
            let (middle, given) = match sex {
                Sex::Male => ("A", HMONG_MALE_GIVEN),
                Sex::Female => ("Thị", HMONG_FEMALE_GIVEN),
            };
            let given = given.choose(rng).expect("given");
            return if rng.gen_bool(0.8) {
                format!("{middle} {given}")
            } else {
                given.to_string()
            };
        }
        let given = match sex {
            Sex::Male => MALE_GIVEN,
            Sex::Female => FEMALE_GIVEN,
        };
        let given = *given.choose(rng).expect("given");
        let mut middles = middle_names(rng, sex);
        // "Nguyễn Văn Văn" does not happen.
        middles.retain(|m| *m != given);
        let mut words: Vec<&str> = middles;
        words.push(given);
        words.join(" ")
    }

    /// A whole name, family name first.
    pub fn full(&self, rng: &mut impl Rng, sex: Sex, ethnic_code: &str) -> String {
        let family = self.family(rng, ethnic_code);
        format!("{family} {}", self.middle_and_given(rng, sex, ethnic_code))
    }
}

/// Zero, one or two middle words: about 4% none, 7% two.
fn middle_names(rng: &mut impl Rng, sex: Sex) -> Vec<&'static str> {
    let roll: f64 = rng.gen();
    let count = if roll < 0.04 {
        0
    } else if roll < 0.11 {
        2
    } else {
        1
    };
    let mut out = Vec::new();
    for i in 0..count {
        let word = match sex {
            Sex::Female if i == 0 && rng.gen_bool(0.6) => "Thị",
            Sex::Male if i == 0 && rng.gen_bool(0.4) => "Văn",
            Sex::Female => FEMALE_MIDDLE.choose(rng).expect("middle"),
            Sex::Male => MALE_MIDDLE.choose(rng).expect("middle"),
        };
        if !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_varied_and_marked_by_sex() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let maker = NameMaker::new(Region::North);
        let mut distinct = BTreeSet::new();
        let mut nguyen = 0;
        for _ in 0..2000 {
            let name = maker.full(&mut rng, Sex::Female, "01");
            assert!(name.split(' ').count() >= 2, "{name}");
            assert!(!name.contains(" Văn "), "{name}");
            nguyen += name.starts_with("Nguyễn ") as usize;
            distinct.insert(name.rsplit(' ').next().unwrap().to_string());
        }
        assert!(distinct.len() > 100, "{} given names", distinct.len());
        assert!((600..=950).contains(&nguyen), "{nguyen} Nguyễn in 2000");
        assert!(MALE_GIVEN.len() + FEMALE_GIVEN.len() > 250);
    }
}
