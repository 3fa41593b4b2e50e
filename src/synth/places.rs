//! Administrative places for synthetic books: provinces (real GSO codes, domain reference 5.1),
//! real district names, and communes drawn from pools of common commune names.
//!
//! District and ward codes are synthetic but consistent: a district's code is
//! `province * 10 + its index` (3 digits) and a commune's `district * 32 + its index` (5 digits),
//! so the delivery package can name files with them.

use super::names::Region;
use rand::seq::SliceRandom;
use rand::Rng;

/// One province: GSO code (2 digits), name, whether it is a centrally governed city, region,
/// the minority groups living there (ethnic code, weight) and their share of births, and its
/// districts as (unit word, name).
#[derive(Debug)]
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
    pub city: bool,
    pub region: Region,
    pub minority_share: f64,
    pub minorities: &'static [(&'static str, u32)],
    pub districts: &'static [(&'static str, &'static str)],
}

use Region::{Centre as C, North as N, South as S};

const fn p(
    code: &'static str,
    name: &'static str,
    city: bool,
    region: Region,
    minority_share: f64,
    minorities: &'static [(&'static str, u32)],
    districts: &'static [(&'static str, &'static str)],
) -> Province {
    Province {
        code,
        name,
        city,
        region,
        minority_share,
        minorities,
        districts,
    }
}

const H: &str = "huyện";
const Q: &str = "quận";
const TP: &str = "thành phố";
const TX: &str = "thị xã";

/// The lowland default: a few births of other groups anywhere.
const MIXED: &[(&str, u32)] = &[("06", 3), ("02", 2), ("04", 2), ("07", 1), ("03", 1)];

pub const PROVINCES: &[Province] = &[
    p(
        "01",
        "Hà Nội",
        true,
        N,
        0.02,
        MIXED,
        &[
            (Q, "Ba Đình"),
            (Q, "Hoàn Kiếm"),
            (Q, "Đống Đa"),
            (Q, "Cầu Giấy"),
            (Q, "Hai Bà Trưng"),
            (H, "Gia Lâm"),
            (H, "Đông Anh"),
            (H, "Sóc Sơn"),
            (H, "Thanh Trì"),
            (H, "Ba Vì"),
        ],
    ),
    p(
        "31",
        "Hải Phòng",
        true,
        N,
        0.01,
        MIXED,
        &[
            (Q, "Lê Chân"),
            (Q, "Ngô Quyền"),
            (H, "Thủy Nguyên"),
            (H, "An Lão"),
            (H, "Tiên Lãng"),
            (H, "Vĩnh Bảo"),
        ],
    ),
    p(
        "34",
        "Thái Bình",
        false,
        N,
        0.005,
        MIXED,
        &[
            (TP, "Thái Bình"),
            (H, "Vũ Thư"),
            (H, "Kiến Xương"),
            (H, "Tiền Hải"),
            (H, "Thái Thụy"),
            (H, "Quỳnh Phụ"),
            (H, "Hưng Hà"),
            (H, "Đông Hưng"),
        ],
    ),
    p(
        "36",
        "Nam Định",
        false,
        N,
        0.005,
        MIXED,
        &[
            (TP, "Nam Định"),
            (H, "Hải Hậu"),
            (H, "Giao Thủy"),
            (H, "Xuân Trường"),
            (H, "Ý Yên"),
            (H, "Nghĩa Hưng"),
            (H, "Trực Ninh"),
        ],
    ),
    p(
        "35",
        "Hà Nam",
        false,
        N,
        0.005,
        MIXED,
        &[
            (H, "Duy Tiên"),
            (H, "Kim Bảng"),
            (H, "Thanh Liêm"),
            (H, "Bình Lục"),
            (H, "Lý Nhân"),
        ],
    ),
    p(
        "37",
        "Ninh Bình",
        false,
        N,
        0.02,
        MIXED,
        &[
            (H, "Gia Viễn"),
            (H, "Hoa Lư"),
            (H, "Yên Khánh"),
            (H, "Kim Sơn"),
            (H, "Nho Quan"),
        ],
    ),
    p(
        "30",
        "Hải Dương",
        false,
        N,
        0.005,
        MIXED,
        &[
            (H, "Cẩm Giàng"),
            (H, "Gia Lộc"),
            (H, "Kinh Môn"),
            (H, "Nam Sách"),
            (H, "Thanh Hà"),
            (H, "Ninh Giang"),
        ],
    ),
    p(
        "33",
        "Hưng Yên",
        false,
        N,
        0.005,
        MIXED,
        &[
            (H, "Văn Lâm"),
            (H, "Mỹ Hào"),
            (H, "Khoái Châu"),
            (H, "Kim Động"),
            (H, "Phù Cừ"),
        ],
    ),
    p(
        "27",
        "Bắc Ninh",
        false,
        N,
        0.005,
        MIXED,
        &[
            (H, "Yên Phong"),
            (H, "Quế Võ"),
            (H, "Tiên Du"),
            (H, "Thuận Thành"),
            (H, "Gia Bình"),
        ],
    ),
    p(
        "24",
        "Bắc Giang",
        false,
        N,
        0.1,
        &[("07", 4), ("02", 3), ("18", 2), ("15", 1)],
        &[
            (H, "Lạng Giang"),
            (H, "Yên Dũng"),
            (H, "Việt Yên"),
            (H, "Lục Nam"),
            (H, "Tân Yên"),
        ],
    ),
    p(
        "26",
        "Vĩnh Phúc",
        false,
        N,
        0.03,
        &[("18", 3), ("15", 1)],
        &[
            (H, "Tam Dương"),
            (H, "Vĩnh Tường"),
            (H, "Yên Lạc"),
            (H, "Lập Thạch"),
        ],
    ),
    p(
        "25",
        "Phú Thọ",
        false,
        N,
        0.1,
        &[("06", 5), ("15", 1), ("09", 1)],
        &[
            (H, "Lâm Thao"),
            (H, "Phù Ninh"),
            (H, "Thanh Ba"),
            (H, "Cẩm Khê"),
            (H, "Thanh Sơn"),
        ],
    ),
    p(
        "19",
        "Thái Nguyên",
        false,
        N,
        0.25,
        &[("02", 5), ("07", 3), ("09", 1), ("18", 1)],
        &[
            (H, "Đại Từ"),
            (H, "Phú Bình"),
            (H, "Đồng Hỷ"),
            (H, "Định Hóa"),
        ],
    ),
    p(
        "22",
        "Quảng Ninh",
        false,
        N,
        0.1,
        &[("09", 3), ("02", 2), ("15", 1), ("18", 1)],
        &[
            (TP, "Hạ Long"),
            (H, "Tiên Yên"),
            (H, "Đầm Hà"),
            (H, "Hải Hà"),
        ],
    ),
    p(
        "20",
        "Lạng Sơn",
        false,
        N,
        0.8,
        &[("07", 5), ("02", 4), ("09", 1)],
        &[
            (H, "Cao Lộc"),
            (H, "Văn Lãng"),
            (H, "Lộc Bình"),
            (H, "Bắc Sơn"),
        ],
    ),
    p(
        "04",
        "Cao Bằng",
        false,
        N,
        0.9,
        &[("02", 5), ("07", 4), ("08", 1), ("09", 1)],
        &[
            (H, "Hòa An"),
            (H, "Trùng Khánh"),
            (H, "Quảng Hòa"),
            (H, "Bảo Lạc"),
        ],
    ),
    p(
        "02",
        "Hà Giang",
        false,
        N,
        0.85,
        &[("08", 5), ("02", 3), ("09", 2), ("07", 1)],
        &[
            (H, "Đồng Văn"),
            (H, "Mèo Vạc"),
            (H, "Yên Minh"),
            (H, "Bắc Quang"),
        ],
    ),
    p(
        "10",
        "Lào Cai",
        false,
        N,
        0.65,
        &[("08", 4), ("02", 2), ("09", 2), ("25", 1)],
        &[
            (H, "Bát Xát"),
            (H, "Bắc Hà"),
            (H, "Bảo Thắng"),
            (H, "Mường Khương"),
        ],
    ),
    p(
        "14",
        "Sơn La",
        false,
        N,
        0.8,
        &[("03", 6), ("08", 3), ("06", 1)],
        &[
            (H, "Mai Sơn"),
            (H, "Mộc Châu"),
            (H, "Thuận Châu"),
            (H, "Sông Mã"),
        ],
    ),
    p(
        "11",
        "Điện Biên",
        false,
        N,
        0.8,
        &[("03", 5), ("08", 4), ("29", 1)],
        &[(H, "Điện Biên"), (H, "Tuần Giáo"), (H, "Mường Chà")],
    ),
    p(
        "17",
        "Hòa Bình",
        false,
        N,
        0.75,
        &[("06", 8), ("03", 2), ("09", 1)],
        &[
            (H, "Mai Châu"),
            (H, "Tân Lạc"),
            (H, "Lạc Sơn"),
            (H, "Kim Bôi"),
        ],
    ),
    p(
        "38",
        "Thanh Hóa",
        false,
        C,
        0.15,
        &[("06", 5), ("03", 3)],
        &[
            (H, "Hoằng Hóa"),
            (H, "Quảng Xương"),
            (H, "Thọ Xuân"),
            (H, "Nga Sơn"),
            (H, "Tĩnh Gia"),
            (H, "Ngọc Lặc"),
        ],
    ),
    p(
        "40",
        "Nghệ An",
        false,
        C,
        0.12,
        &[("03", 6), ("29", 1), ("08", 1)],
        &[
            (H, "Diễn Châu"),
            (H, "Quỳnh Lưu"),
            (H, "Nghi Lộc"),
            (H, "Đô Lương"),
            (H, "Yên Thành"),
            (H, "Con Cuông"),
        ],
    ),
    p(
        "42",
        "Hà Tĩnh",
        false,
        C,
        0.005,
        MIXED,
        &[
            (H, "Can Lộc"),
            (H, "Đức Thọ"),
            (H, "Thạch Hà"),
            (H, "Kỳ Anh"),
        ],
    ),
    p(
        "44",
        "Quảng Bình",
        false,
        C,
        0.02,
        &[("23", 3), ("44", 1)],
        &[(H, "Bố Trạch"), (H, "Quảng Trạch"), (H, "Lệ Thủy")],
    ),
    p(
        "46",
        "Thừa Thiên Huế",
        false,
        C,
        0.03,
        &[("26", 2), ("31", 2)],
        &[
            (H, "Phú Vang"),
            (H, "Phong Điền"),
            (H, "Quảng Điền"),
            (TX, "Hương Thủy"),
        ],
    ),
    p(
        "48",
        "Đà Nẵng",
        true,
        C,
        0.01,
        MIXED,
        &[
            (Q, "Hải Châu"),
            (Q, "Thanh Khê"),
            (Q, "Sơn Trà"),
            (H, "Hòa Vang"),
        ],
    ),
    p(
        "49",
        "Quảng Nam",
        false,
        C,
        0.05,
        &[("26", 3), ("14", 2), ("27", 1)],
        &[
            (TX, "Điện Bàn"),
            (H, "Duy Xuyên"),
            (H, "Thăng Bình"),
            (H, "Núi Thành"),
            (H, "Quế Sơn"),
        ],
    ),
    p(
        "51",
        "Quảng Ngãi",
        false,
        C,
        0.1,
        &[("19", 5), ("30", 1), ("14", 1)],
        &[
            (H, "Bình Sơn"),
            (H, "Sơn Tịnh"),
            (H, "Tư Nghĩa"),
            (H, "Mộ Đức"),
        ],
    ),
    p(
        "52",
        "Bình Định",
        false,
        C,
        0.02,
        &[("13", 2), ("21", 1)],
        &[
            (H, "Tuy Phước"),
            (H, "Phù Cát"),
            (H, "Phù Mỹ"),
            (H, "Hoài Nhơn"),
        ],
    ),
    p(
        "56",
        "Khánh Hòa",
        false,
        C,
        0.02,
        &[("21", 3)],
        &[
            (H, "Diên Khánh"),
            (TX, "Ninh Hòa"),
            (H, "Vạn Ninh"),
            (H, "Cam Lâm"),
        ],
    ),
    p(
        "66",
        "Đắk Lắk",
        false,
        C,
        0.3,
        &[("12", 5), ("07", 2), ("02", 2), ("20", 1)],
        &[
            (H, "Krông Pắc"),
            (H, "Cư M'gar"),
            (H, "Ea Kar"),
            (H, "Krông Ana"),
        ],
    ),
    p(
        "64",
        "Gia Lai",
        false,
        C,
        0.45,
        &[("10", 6), ("13", 4)],
        &[
            (H, "Chư Păh"),
            (H, "Ia Grai"),
            (H, "Đức Cơ"),
            (H, "Mang Yang"),
        ],
    ),
    p(
        "68",
        "Lâm Đồng",
        false,
        C,
        0.2,
        &[("16", 6), ("28", 2), ("36", 1)],
        &[
            (H, "Đức Trọng"),
            (H, "Di Linh"),
            (H, "Lâm Hà"),
            (H, "Bảo Lâm"),
        ],
    ),
    p(
        "79",
        "Hồ Chí Minh",
        true,
        S,
        0.05,
        &[("04", 9), ("05", 1), ("17", 1)],
        &[
            (Q, "1"),
            (Q, "3"),
            (Q, "5"),
            (Q, "8"),
            (Q, "10"),
            (Q, "Bình Thạnh"),
            (Q, "Gò Vấp"),
            (Q, "Tân Bình"),
            (H, "Củ Chi"),
            (H, "Bình Chánh"),
        ],
    ),
    p(
        "75",
        "Đồng Nai",
        false,
        S,
        0.04,
        &[("04", 4), ("32", 1), ("07", 1)],
        &[
            (H, "Trảng Bom"),
            (H, "Vĩnh Cửu"),
            (H, "Long Thành"),
            (H, "Nhơn Trạch"),
            (H, "Định Quán"),
        ],
    ),
    p(
        "74",
        "Bình Dương",
        false,
        S,
        0.02,
        &[("04", 2), ("05", 1)],
        &[
            (H, "Phú Giáo"),
            (H, "Bàu Bàng"),
            (H, "Dầu Tiếng"),
            (H, "Bắc Tân Uyên"),
        ],
    ),
    p(
        "72",
        "Tây Ninh",
        false,
        S,
        0.02,
        &[("05", 2), ("17", 1)],
        &[
            (H, "Gò Dầu"),
            (TX, "Trảng Bàng"),
            (TX, "Hòa Thành"),
            (H, "Châu Thành"),
        ],
    ),
    p(
        "80",
        "Long An",
        false,
        S,
        0.005,
        MIXED,
        &[
            (H, "Bến Lức"),
            (H, "Cần Giuộc"),
            (H, "Đức Hòa"),
            (H, "Thủ Thừa"),
        ],
    ),
    p(
        "82",
        "Tiền Giang",
        false,
        S,
        0.005,
        MIXED,
        &[
            (H, "Cái Bè"),
            (H, "Cai Lậy"),
            (H, "Chợ Gạo"),
            (H, "Gò Công Tây"),
        ],
    ),
    p(
        "83",
        "Bến Tre",
        false,
        S,
        0.005,
        MIXED,
        &[
            (H, "Ba Tri"),
            (H, "Giồng Trôm"),
            (H, "Mỏ Cày Nam"),
            (H, "Châu Thành"),
        ],
    ),
    p(
        "86",
        "Vĩnh Long",
        false,
        S,
        0.02,
        &[("05", 3)],
        &[
            (H, "Long Hồ"),
            (H, "Mang Thít"),
            (H, "Trà Ôn"),
            (H, "Tam Bình"),
        ],
    ),
    p(
        "87",
        "Đồng Tháp",
        false,
        S,
        0.005,
        MIXED,
        &[
            (H, "Cao Lãnh"),
            (H, "Lấp Vò"),
            (H, "Tháp Mười"),
            (H, "Lai Vung"),
        ],
    ),
    p(
        "89",
        "An Giang",
        false,
        S,
        0.06,
        &[("05", 6), ("17", 2), ("04", 1)],
        &[
            (H, "Chợ Mới"),
            (H, "Phú Tân"),
            (H, "Tri Tôn"),
            (H, "Tịnh Biên"),
        ],
    ),
    p(
        "91",
        "Kiên Giang",
        false,
        S,
        0.12,
        &[("05", 6), ("04", 1)],
        &[
            (H, "Hòn Đất"),
            (H, "Giồng Riềng"),
            (H, "Gò Quao"),
            (H, "Châu Thành"),
        ],
    ),
    p(
        "92",
        "Cần Thơ",
        true,
        S,
        0.02,
        &[("05", 3), ("04", 1)],
        &[
            (Q, "Ninh Kiều"),
            (Q, "Cái Răng"),
            (H, "Phong Điền"),
            (H, "Cờ Đỏ"),
        ],
    ),
    p(
        "94",
        "Sóc Trăng",
        false,
        S,
        0.35,
        &[("05", 6), ("04", 1)],
        &[
            (H, "Mỹ Xuyên"),
            (H, "Long Phú"),
            (H, "Kế Sách"),
            (H, "Trần Đề"),
        ],
    ),
    p(
        "84",
        "Trà Vinh",
        false,
        S,
        0.32,
        &[("05", 8)],
        &[
            (H, "Cầu Ngang"),
            (H, "Trà Cú"),
            (H, "Tiểu Cần"),
            (H, "Cầu Kè"),
        ],
    ),
    p(
        "96",
        "Cà Mau",
        false,
        S,
        0.02,
        &[("05", 2), ("04", 1)],
        &[
            (H, "Thới Bình"),
            (H, "Trần Văn Thời"),
            (H, "U Minh"),
            (H, "Cái Nước"),
        ],
    ),
];

const NORTH_COMMUNES: &[&str] = &[
    "Tân Phong",
    "An Bình",
    "Hòa Bình",
    "Đông Hưng",
    "Tân Hòa",
    "Minh Tân",
    "Hồng Phong",
    "Quang Trung",
    "Nam Hà",
    "Đại Đồng",
    "Xuân Lâm",
    "Thanh Sơn",
    "Tiến Thắng",
    "Bình Minh",
    "Phú Lâm",
    "Yên Phú",
    "Hợp Thành",
    "Song An",
    "Việt Hùng",
    "Tân Lập",
    "Đồng Tâm",
    "Hưng Đạo",
    "Liên Hiệp",
    "Cộng Hòa",
    "Độc Lập",
    "Tự Do",
    "Thống Nhất",
    "Hồng Thái",
    "Nam Sơn",
    "Bắc Sơn",
    "Đông Sơn",
    "Tây Sơn",
    "Phúc Thành",
    "Hòa Lạc",
    "Vũ Hội",
    "Vũ Tiến",
    "Việt Thuận",
    "Minh Khai",
    "Minh Lãng",
    "Dũng Nghĩa",
    "Tam Quang",
    "Hiệp Hòa",
    "Nguyên Xá",
    "Đồng Thanh",
    "Xuân Hòa",
    "Duy Nhất",
    "Hồng Lý",
    "Trung An",
    "Tân Lập",
    "Vũ Vân",
    "Quỳnh Hải",
    "Quỳnh Hoa",
    "An Khê",
    "An Lễ",
    "Đông Hòa",
    "Đông La",
    "Bình Nguyên",
    "Thanh Tân",
    "Quang Lịch",
    "Vũ Lễ",
    "Hải Anh",
    "Hải Minh",
    "Hải Sơn",
    "Giao Thiện",
    "Xuân Ninh",
    "Trực Đạo",
    "Yên Mỹ",
    "Yên Lợi",
    "Nghĩa Lạc",
    "Liêm Thuận",
    "Mỹ Thọ",
    "Tràng An",
    "Gia Thắng",
    "Khánh Hòa",
    "Khánh Thiện",
    "Lai Cách",
    "Cẩm Phúc",
    "Thạch Khôi",
    "Nam Hồng",
    "Đồng Lạc",
    "Hưng Long",
    "Lạc Hồng",
    "Đình Dù",
    "Tân Tiến",
    "Đông Phong",
    "Tam Giang",
    "Nội Duệ",
    "Song Hồ",
    "Ninh Xá",
    "Phù Lãng",
    "Tân Dĩnh",
    "Nghĩa Hòa",
    "Tư Mại",
    "Tam Hồng",
    "Đại Đồng",
    "Văn Quán",
    "Sơn Vi",
    "Chu Hóa",
    "Hùng Lô",
    "La Bằng",
    "Hà Thượng",
    "Kha Sơn",
    "Cao Ngạn",
    "Hoàng Đồng",
    "Mai Pha",
    "Đức Long",
    "Nam Tuấn",
    "Lũng Cú",
    "Sủng Trà",
    "Pả Vi",
    "Vĩnh Tuy",
    "Bản Vược",
    "Cốc San",
    "Chiềng Mung",
    "Chiềng Sơn",
    "Mường Sại",
    "Thanh Nưa",
    "Quài Cang",
    "Phong Phú",
    "Mãn Đức",
    "Nam Thượng",
    "Kim Lập",
    "Phúc Lâm",
    "Đồng Tiến",
    "Xuân Giang",
    "Hoằng Quang",
    "Quảng Tâm",
    "Xuân Lai",
    "Nga Thạch",
    "Diễn Kỷ",
    "Quỳnh Đôi",
    "Nghi Phong",
    "Tràng Sơn",
    "Vĩnh Thành",
    "Môn Sơn",
];

const SOUTH_COMMUNES: &[&str] = &[
    "Tân Thạnh",
    "Phước Thạnh",
    "Tân An",
    "Hiệp Phước",
    "Bình Đức",
    "An Hòa",
    "Long Hưng",
    "Mỹ Hưng",
    "Phú Hữu",
    "Tân Phú Trung",
    "An Nhơn Tây",
    "Phước Hiệp",
    "Tân Thông Hội",
    "Vĩnh Lộc A",
    "Bình Lợi",
    "Tân Nhựt",
    "Hố Nai 3",
    "Giang Điền",
    "Thạnh Phú",
    "Long Đức",
    "Phú Hội",
    "Long Tân",
    "Phú Vinh",
    "An Linh",
    "Lai Uyên",
    "Định Hiệp",
    "Thanh Phước",
    "Lộc Hưng",
    "An Tịnh",
    "Thái Bình",
    "Thạnh Đức",
    "Long Hiệp",
    "Phước Lợi",
    "Mỹ Yên",
    "Long Thượng",
    "Phước Vĩnh Tây",
    "Đức Lập Hạ",
    "Mỹ Lạc",
    "Tân Hưng",
    "Mỹ Thiện",
    "Hậu Thành",
    "Long Bình Điền",
    "Bình Phan",
    "Thành Công",
    "An Hiệp",
    "An Ngãi Trung",
    "Lương Hòa",
    "Phong Nẫm",
    "Định Thủy",
    "An Hóa",
    "Thanh Đức",
    "Bình Hòa Phước",
    "Thiện Mỹ",
    "Hựu Thành",
    "Mỹ Xương",
    "Tân Khánh Trung",
    "Hưng Thạnh",
    "Tân Phước",
    "Kiến An",
    "Hội An",
    "Phú Thạnh",
    "Châu Lăng",
    "Núi Tô",
    "An Cư",
    "Văn Giáo",
    "Bình Sơn",
    "Thạnh Lộc",
    "Ngọc Chúc",
    "Vĩnh Phước",
    "Nhơn Ái",
    "Trường Long",
    "Thới Hưng",
    "Gia Hòa 1",
    "Tài Văn",
    "Song Phụng",
    "Phong Nẫm",
    "Kế An",
    "Đại Ân 2",
    "Hiệp Mỹ Đông",
    "Thạnh Hòa Sơn",
    "Tân Sơn",
    "Long Hiệp",
    "Phong Phú",
    "Hòa Ân",
    "Biển Bạch",
    "Tân Lộc",
    "Khánh Lâm",
    "Nguyễn Phích",
    "Khánh Hưng",
    "Hưng Mỹ",
    "Trần Thới",
    "Tân Hưng Đông",
];

const URBAN_WARDS: &[&str] = &[
    "Kim Mã",
    "Ngọc Hà",
    "Cống Vị",
    "Liễu Giai",
    "Hàng Bạc",
    "Hàng Bồ",
    "Cửa Nam",
    "Tràng Tiền",
    "Văn Miếu",
    "Quốc Tử Giám",
    "Láng Thượng",
    "Ô Chợ Dừa",
    "Dịch Vọng",
    "Nghĩa Đô",
    "Quan Hoa",
    "Yên Hòa",
    "Bạch Đằng",
    "Lê Đại Hành",
    "Minh Khai",
    "Bách Khoa",
    "Trần Nguyên Hãn",
    "Dư Hàng",
    "Cát Dài",
    "Lạch Tray",
    "Máy Tơ",
    "Cầu Đất",
    "Thạch Thang",
    "Hòa Thuận Tây",
    "Phước Ninh",
    "An Hải Bắc",
    "Thạc Gián",
    "Chính Gián",
    "Tân Chính",
    "Thọ Quang",
    "Bến Nghé",
    "Đa Kao",
    "Tân Định",
    "Cầu Ông Lãnh",
    "Nguyễn Thái Bình",
    "Phạm Ngũ Lão",
    "An Hòa",
    "An Cư",
    "Tân An",
    "Xuân Khánh",
    "Hưng Lợi",
    "Lê Bình",
    "Ba Láng",
    "Trần Lãm",
    "Kỳ Bá",
    "Bồ Xuyên",
    "Quang Trung",
    "Năng Tĩnh",
    "Lộc Hạ",
    "Vị Xuyên",
    "Hồng Hải",
    "Bãi Cháy",
    "Hà Khẩu",
    "Hòa Xuân",
];

/// How a district's communes are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WardNaming {
    Numbered,
    Named,
}

/// A commune (xã, phường or thị trấn) with its district and province.
#[derive(Debug, Clone)]
pub struct Commune {
    pub province: &'static Province,
    /// Index of the district in its province.
    pub district_index: usize,
    /// "xã", "phường" or "thị trấn".
    pub unit: &'static str,
    pub name: String,
    pub commune_index: usize,
}

impl Commune {
    pub fn district_unit(&self) -> &'static str {
        self.province.districts[self.district_index].0
    }

    pub fn district_name(&self) -> &'static str {
        self.province.districts[self.district_index].1
    }

    pub fn province_code(&self) -> String {
        self.province.code.to_string()
    }

    pub fn district_code(&self) -> String {
        let code: usize = self.province.code.parse().expect("numeric province code");
        format!("{:03}", code * 10 + self.district_index)
    }

    pub fn ward_code(&self) -> String {
        let district: usize = self.district_code().parse().expect("numeric district code");
        format!("{:05}", district * 32 + self.commune_index)
    }

    /// "xã Tân Phong", "Phường 7" (numbered units keep their capital).
    pub fn commune_part(&self) -> String {
        unit_and_name(self.unit, &self.name)
    }

    pub fn district_part(&self) -> String {
        unit_and_name(self.district_unit(), self.district_name())
    }

    pub fn province_part(&self) -> String {
        province_part(self.province)
    }

    /// "Xã Tân Phong, huyện Vũ Thư, tỉnh Thái Bình".
    pub fn address(&self) -> String {
        capitalize_first(&format!(
            "{}, {}, {}",
            self.commune_part(),
            self.district_part(),
            self.province_part()
        ))
    }

    /// "Tân Phong, Vũ Thư, Thái Bình": the unit words left out, as many clerks write.
    pub fn short_address(&self) -> String {
        let commune = if is_number(&self.name) {
            self.commune_part()
        } else {
            self.name.clone()
        };
        let district = if is_number(self.district_name()) {
            self.district_part()
        } else {
            self.district_name().to_string()
        };
        capitalize_first(&format!("{commune}, {district}, {}", self.province.name))
    }

    /// "UBND xã Tân Phong, huyện Vũ Thư, tỉnh Thái Bình".
    pub fn authority(&self) -> String {
        format!(
            "UBND {}, {}, {}",
            self.commune_part(),
            self.district_part(),
            self.province_part()
        )
    }

    /// Initials of the district: "VT" for Vũ Thư, "Q3" for Quận 3.
    pub fn district_initials(&self) -> String {
        let name = self.district_name();
        if is_number(name) {
            let unit = initials(self.district_unit());
            return format!("{}{name}", &unit[..1]);
        }
        initials(name)
    }

    pub fn province_initials(&self) -> String {
        initials(self.province.name)
    }

    /// Folder-safe ASCII form of the commune name: "tanphong", "phuong7".
    pub fn slug(&self) -> String {
        let text = if is_number(&self.name) {
            format!("{} {}", self.unit, self.name)
        } else {
            self.name.clone()
        };
        crate::text::fold_compact(&text)
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

fn unit_and_name(unit: &str, name: &str) -> String {
    if is_number(name) {
        format!("{} {name}", capitalize_first(unit))
    } else {
        format!("{unit} {name}")
    }
}

fn province_part(p: &Province) -> String {
    if p.city {
        format!("Thành phố {}", p.name)
    } else {
        format!("tỉnh {}", p.name)
    }
}

pub fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Upper-case ASCII initials of the words: "Hồ Chí Minh" -> "HCM", "Đắk Lắk" -> "DL".
fn initials(name: &str) -> String {
    crate::text::fold(name)
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The communes of one district, always the same for the same district.
pub fn communes_of(province: &'static Province, district_index: usize) -> Vec<Commune> {
    let (unit, name) = province.districts[district_index];
    let numbered_city = province.city && province.region == Region::South;
    let naming = if unit == Q && (numbered_city || is_number(name)) {
        WardNaming::Numbered
    } else {
        WardNaming::Named
    };
    let seed = name
        .chars()
        .chain(province.name.chars())
        .fold(7usize, |h, c| h.wrapping_mul(31).wrapping_add(c as usize));
    let rural = match province.region {
        Region::South => SOUTH_COMMUNES,
        _ => NORTH_COMMUNES,
    };
    let pick = |pool: &[&str], i: usize| -> String {
        // A stride coprime with the pool length visits distinct names.
        let stride = coprime_stride(pool.len(), seed);
        pool[(seed + i * stride) % pool.len()].to_string()
    };
    let mut out = Vec::new();
    let mut push = |unit: &'static str, name: String| {
        if !out.iter().any(|c: &Commune| c.name == name) {
            let commune_index = out.len();
            out.push(Commune {
                province,
                district_index,
                unit,
                name,
                commune_index,
            });
        }
    };
    match (unit, naming) {
        (_, WardNaming::Numbered) => {
            for i in 0..8 {
                push("phường", ((seed + i * 3) % 15 + 1).to_string());
            }
        }
        ("quận", WardNaming::Named) => {
            for i in 0..7 {
                push("phường", pick(URBAN_WARDS, i));
            }
        }
        ("huyện", _) => {
            push("thị trấn", name.to_string());
            for i in 0..8 {
                push("xã", pick(rural, i));
            }
        }
        _ => {
            for i in 0..4 {
                push("phường", pick(URBAN_WARDS, i));
            }
            for i in 0..4 {
                push("xã", pick(rural, i + 4));
            }
        }
    }
    out
}

fn coprime_stride(len: usize, seed: usize) -> usize {
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let mut stride = 7 + seed % 13;
    while gcd(stride, len) != 1 {
        stride += 1;
    }
    stride
}

/// A random commune of a random province (for home towns and births away from home).
pub fn random_commune(rng: &mut impl Rng) -> Commune {
    let province = PROVINCES.choose(rng).expect("provinces");
    random_commune_in(rng, province)
}

pub fn random_commune_in(rng: &mut impl Rng, province: &'static Province) -> Commune {
    let district = rng.gen_range(0..province.districts.len());
    communes_of(province, district)
        .choose(rng)
        .expect("communes")
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn addresses_and_codes_look_right() {
        let tb = PROVINCES.iter().find(|p| p.code == "34").unwrap();
        let vt = tb.districts.iter().position(|d| d.1 == "Vũ Thư").unwrap();
        let communes = communes_of(tb, vt);
        let c = &communes[1];
        assert_eq!(c.unit, "xã");
        assert!(c.address().starts_with("Xã "), "{}", c.address());
        assert!(c.address().ends_with(", huyện Vũ Thư, tỉnh Thái Bình"));
        assert!(c.authority().starts_with("UBND xã "));
        assert_eq!(c.district_initials(), "VT");
        assert_eq!(c.province_initials(), "TB");
        assert_eq!(c.district_code().len(), 3);
        assert_eq!(c.ward_code().len(), 5);
        assert_eq!(c.province_code(), "34");

        let hcm = PROVINCES.iter().find(|p| p.code == "79").unwrap();
        let q3 = hcm.districts.iter().position(|d| d.1 == "3").unwrap();
        let ward = &communes_of(hcm, q3)[0];
        assert!(ward.address().starts_with("Phường "), "{}", ward.address());
        assert!(ward.address().ends_with(", Quận 3, Thành phố Hồ Chí Minh"));
        assert_eq!(ward.district_initials(), "Q3");
        assert_eq!(ward.province_initials(), "HCM");
        assert!(ward.slug().starts_with("phuong"));
    }

    #[test]
    fn hundreds_of_distinct_communes_and_unique_codes() {
        let mut names = BTreeSet::new();
        let mut districts = BTreeSet::new();
        let mut wards = BTreeSet::new();
        for p in PROVINCES {
            assert!(
                p.districts.len() <= 10,
                "{}: district codes would collide",
                p.name
            );
            for d in 0..p.districts.len() {
                for c in communes_of(p, d) {
                    names.insert(c.address());
                    districts.insert(c.district_code());
                    assert!(wards.insert(c.ward_code()), "{}", c.address());
                }
            }
        }
        assert!(names.len() > 1000, "{} communes", names.len());
        assert!(districts.len() > 200);
    }
}
