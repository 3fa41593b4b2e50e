//! Name and place vocabularies for the generator, with frequencies (domain reference 8.2-8.3:
//! family names by national share, Văn/Thị as the common middles; given names Zipf-weighted).

use rand::Rng;

/// A weighted list sampled by binary search on the cumulative weights.
pub struct Weighted {
    items: Vec<&'static str>,
    cumulative: Vec<f64>,
}

impl Weighted {
    pub fn new(pairs: &[(&'static str, f64)]) -> Self {
        let mut acc = 0.0;
        let mut cumulative = Vec::with_capacity(pairs.len());
        for (_, w) in pairs {
            acc += w;
            cumulative.push(acc);
        }
        Self {
            items: pairs.iter().map(|p| p.0).collect(),
            cumulative,
        }
    }
    /// Zipf weights (1/rank^s) over a ranked list.
    pub fn zipf(items: &[&'static str], s: f64) -> Self {
        let pairs: Vec<(&'static str, f64)> = items
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, 1.0 / ((i + 1) as f64).powf(s)))
            .collect();
        Self::new(&pairs)
    }
    pub fn pick<R: Rng>(&self, rng: &mut R) -> &'static str {
        let total = *self.cumulative.last().expect("non-empty list");
        let x = rng.gen::<f64>() * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.items[i.min(self.items.len() - 1)]
    }
}

/// Shares in percent (national figures, with Hoàng/Huỳnh and Vũ/Võ split).
pub const FAMILY: &[(&str, f64)] = &[
    ("Nguyễn", 31.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.6),
    ("Huỳnh", 1.5),
    ("Phan", 4.5),
    ("Vũ", 2.4),
    ("Võ", 1.5),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 0.4),
    ("Đinh", 0.4),
    ("Đoàn", 0.4),
    ("Lâm", 0.3),
    ("Mai", 0.3),
    ("Trịnh", 0.3),
    ("Đào", 0.3),
    ("Cao", 0.3),
    ("Lương", 0.3),
    ("Hà", 0.3),
    ("Lưu", 0.2),
    ("Tô", 0.2),
    ("Tạ", 0.2),
    ("Châu", 0.2),
    ("Thái", 0.2),
    ("Phùng", 0.2),
    ("Quách", 0.1),
    ("Kiều", 0.1),
    ("Lại", 0.1),
    ("Vương", 0.1),
    ("Triệu", 0.1),
    ("Nông", 0.1),
    ("Chu", 0.1),
    ("Đàm", 0.1),
    ("Tăng", 0.05),
    ("Từ", 0.05),
    ("Vi", 0.05),
    ("Lò", 0.05),
    ("Khúc", 0.05),
    ("Mạc", 0.05),
    ("Thân", 0.05),
    ("Giáp", 0.05),
    ("Doãn", 0.05),
    ("Ninh", 0.05),
    ("Bạch", 0.03),
    ("Diệp", 0.03),
    ("Hứa", 0.03),
    ("Khổng", 0.03),
    ("Nghiêm", 0.03),
    ("Tôn", 0.03),
];

pub const MIDDLE_MALE: &[(&str, f64)] = &[
    ("Văn", 35.0),
    ("Minh", 8.0),
    ("Đức", 6.0),
    ("Quang", 5.0),
    ("Hữu", 5.0),
    ("Công", 4.0),
    ("Thanh", 4.0),
    ("Đình", 4.0),
    ("Quốc", 4.0),
    ("Xuân", 3.0),
    ("Ngọc", 3.0),
    ("Duy", 3.0),
    ("Gia", 3.0),
    ("Hoàng", 3.0),
    ("Trọng", 3.0),
    ("Bảo", 3.0),
    ("Tuấn", 2.0),
    ("Anh", 2.0),
    ("Thế", 2.0),
    ("Việt", 2.0),
    ("Khánh", 1.0),
    ("Tiến", 1.0),
    ("Mạnh", 1.0),
    ("Nhật", 1.0),
    ("", 3.0),
];

pub const MIDDLE_FEMALE: &[(&str, f64)] = &[
    ("Thị", 45.0),
    ("Ngọc", 6.0),
    ("Thu", 5.0),
    ("Thanh", 4.0),
    ("Kim", 4.0),
    ("Hồng", 3.0),
    ("Minh", 3.0),
    ("Phương", 3.0),
    ("Mỹ", 2.0),
    ("Bích", 2.0),
    ("Như", 2.0),
    ("Khánh", 2.0),
    ("Bảo", 2.0),
    ("Xuân", 2.0),
    ("Thùy", 2.0),
    ("Thảo", 2.0),
    ("Diệu", 1.0),
    ("Hoài", 1.0),
    ("Tuyết", 1.0),
    ("Hải", 1.0),
    ("Thị Thu", 1.0),
    ("Thị Ngọc", 1.0),
    ("", 2.0),
];

/// Ranked by rough popularity.
pub const GIVEN_MALE: &[&str] = &[
    "Anh", "Minh", "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Huy", "Đức", "Thắng", "Hiếu",
    "Phúc", "Quang", "Sơn", "Trung", "Thành", "Tùng", "Bình", "Cường", "Khánh", "Lâm", "Nghĩa",
    "Phong", "Quân", "Tài", "Thịnh", "Toàn", "Trí", "Vinh", "Việt", "Hưng", "Hoàng", "Khoa",
    "Kiên", "Lộc", "Mạnh", "Nhân", "Phát", "Tâm", "Thái", "Thiện", "Tiến", "Tín", "Tú", "Vũ",
    "An", "Bảo", "Chiến", "Công", "Đạt", "Định", "Giang", "Hào", "Hậu", "Hiển", "Hòa", "Hợp",
    "Khải", "Khang", "Khôi", "Lực", "Luân", "Nhật", "Ninh", "Phương", "Quý", "Sang", "Tân",
    "Thạch", "Thông", "Thuận", "Trọng", "Tuệ", "Vĩnh", "Duy", "Đăng", "Kha", "Khiêm", "Lợi",
    "Nguyên", "Phi", "Quyết", "Sỹ", "Trường", "Uy", "Vỹ", "Hiệp", "Kỳ", "Lãm", "Nhẫn", "Quỳnh",
    "Thục", "Triều", "Tường", "Văn", "Xuyên", "Yên",
];

pub const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Linh", "Hương", "Hà", "Lan", "Hoa", "Hằng", "Trang", "Thảo", "Ngọc", "Mai", "Nhung",
    "Phương", "Thủy", "Thu", "Huyền", "Dung", "Hạnh", "Loan", "Nga", "Nhi", "Oanh", "Quỳnh",
    "Tâm", "Thanh", "Thúy", "Trinh", "Uyên", "Vân", "Yến", "Bích", "Châu", "Chi", "Diệp",
    "Duyên", "Giang", "Hiền", "Hồng", "Hường", "Khánh", "Kiều", "Lệ", "Liên", "Ly", "My", "Mỹ",
    "Nguyệt", "Nhàn", "Như", "Phượng", "Quyên", "Sen", "Tuyết", "Thơ", "Thắm", "Thoa", "Thư",
    "Tiên", "Trâm", "Vy", "Xuân", "Ánh", "Cúc", "Đào", "Gấm", "Huệ", "Lài", "Lụa", "Mận", "Mơ",
    "Nụ", "Quế", "Sương", "Tươi", "Hiên", "Diễm", "Hảo", "Khuê", "Ngân", "Trúc", "Vi", "Yên", "Ngà", "Hậu", "Lành",
];

/// Syllables that make commune, district and village names.
pub const PLACE_SYLLABLES: &[&str] = &[
    "An", "Bình", "Phú", "Lộc", "Hòa", "Tân", "Thạnh", "Mỹ", "Long", "Hưng", "Thuận", "Phước",
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Sơn", "Hải", "Thành", "Quang", "Yên", "Đại", "Vĩnh",
    "Xuân", "Hiệp", "Thịnh", "Nghĩa", "Đức", "Cát", "Hồng", "Minh", "Tiến", "Lạc", "Kim", "Ngọc",
    "Thủy", "Lâm", "Thái", "Khánh", "Điền", "Lợi", "Phong", "Hà", "Giang", "Trực", "Nghĩa",
    "Liêm", "Châu", "Định", "Hội", "Phụng", "Mộc", "Cường", "Thượng", "Hạ", "Vạn", "Trà", "Lý",
    "Cao", "Dương", "Hoàng", "Quế", "Tường", "Văn", "Vân", "Lĩnh", "Hợp", "Thắng", "Dũng",
];

pub const PROVINCES: &[&str] = &["Nam Định", "Thái Bình", "Nghệ An", "Long An", "Hải Dương"];
