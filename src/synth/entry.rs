//! The facts of one synthetic birth registration: the child, the parents, the requester, the
//! registration. Facts are kept apart from how a page prints them ([`super::fields`]), so the
//! same entry can be printed by any edition.

use super::book::BookStyle;
use super::dates::{add_days, day_number, DateFormat};
use super::names::{NameMaker, Sex};
use super::places::{self, Commune};
use crate::normalize::PartialDate;
use crate::schema::{CodeTables, EthnicGroup};
use rand::distributions::{Distribution, WeightedIndex};
use rand::seq::SliceRandom;
use rand::Rng;

/// An ethnic group as printed and as emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Ethnicity {
    pub code: String,
    /// Canonical name (the truth).
    pub name: String,
    /// The name or an alias, as the clerk wrote it.
    pub printed: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// As printed (upper case for the child in some books).
    pub name: String,
    pub sex: Sex,
    pub birth: PartialDate,
    pub ethnicity: Ethnicity,
    pub nationality: String,
    pub residence: String,
}

/// An identity document of the requester.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Code of table `loai_giay_to`: 1 CMND, 2 passport, 4 CCCD.
    pub type_code: &'static str,
    pub number: String,
    /// "CMND số 012345678".
    pub printed: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requester {
    pub name: String,
    /// Code of table `quan_he` and the word printed for it.
    pub kinship_code: String,
    pub kinship_printed: String,
    pub document: Document,
}

/// Everything one entry says.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFacts {
    /// Registration number, running through the book.
    pub so: u32,
    pub registration: PartialDate,
    /// Code of table `loai_dang_ky_ks` and its printed wording.
    pub reg_type_code: String,
    pub reg_type_printed: String,
    pub child: Person,
    pub birth_place: String,
    pub home_town: String,
    /// 12-digit personal ID of the child (printed only by editions that have the line).
    pub id_number: String,
    pub mother: Option<Person>,
    pub father: Option<Person>,
    pub requester: Requester,
    pub signer: String,
    pub signer_position: String,
    pub clerk: String,
    pub note: String,
    /// How this entry's dates in figures are printed.
    pub date_format: DateFormat,
}

/// What every entry of a book shares.
pub struct BookContext<'a> {
    pub commune: &'a Commune,
    pub style: &'a BookStyle,
    pub names: &'a NameMaker,
    pub codes: &'a CodeTables,
    pub signers: &'a [(String, String)],
    pub clerks: &'a [String],
}

/// Last day a registration counts as on time: 30 days before Decree 158/2005 took effect
/// (1/4/2006), 60 days since (domain reference 6.1).
fn on_time_days(registration: &PartialDate) -> i64 {
    if registration.compare(&PartialDate::full(1, 4, 2006)) == Some(std::cmp::Ordering::Less) {
        30
    } else {
        60
    }
}

/// One entry registered on `registration` with number `so`.
pub fn make_entry(
    rng: &mut impl Rng,
    ctx: &BookContext,
    so: u32,
    registration: PartialDate,
) -> EntryFacts {
    let reg_day = day_number(&registration);
    let roll: f64 = rng.gen();
    let (reg_type_code, birth_day) = if roll < 0.88 {
        (
            "1",
            reg_day - rng.gen_range(0..=on_time_days(&registration)),
        )
    } else if roll < 0.98 {
        // Late: a year or more after the birth.
        ("4", reg_day - rng.gen_range(400..=12 * 365))
    } else {
        // Re-registration of a birth registered long ago.
        ("2", reg_day - rng.gen_range(5 * 365..=40 * 365))
    };
    let birth = add_days(birth_day);

    let child_ethnicity = pick_ethnicity(rng, ctx);
    let child_sex = Sex::random(rng);
    let has_father = !rng.gen_bool(0.03);
    let has_mother = !rng.gen_bool(0.005);

    // Parents' ages at the birth: father 19-45, mother a few years younger, 18-42.
    let father_age = rng.gen_range(19 * 365..=45 * 365);
    let mother_age =
        (father_age - rng.gen_range(-2 * 365..=8 * 365)).clamp(18 * 365 + 10, 42 * 365);
    let father = has_father.then(|| {
        let birth = add_days(birth_day - father_age);
        make_parent(rng, ctx, Sex::Male, birth, child_ethnicity.clone())
    });
    let mother = has_mother.then(|| {
        let birth = add_days(birth_day - mother_age);
        let ethnicity = if rng.gen_bool(0.9) {
            child_ethnicity.clone()
        } else {
            pick_ethnicity(rng, ctx)
        };
        make_parent(rng, ctx, Sex::Female, birth, ethnicity)
    });
    // Both parents live at the same address when both are named.
    let mother = match (mother, &father) {
        (Some(mut m), Some(f)) if rng.gen_bool(0.92) => {
            m.residence = f.residence.clone();
            Some(m)
        }
        (m, _) => m,
    };

    let family = match &father {
        Some(f) => f.name.split(' ').next().unwrap_or_default().to_string(),
        None => match &mother {
            Some(m) => m.name.split(' ').next().unwrap_or_default().to_string(),
            None => ctx.names.family(rng, &child_ethnicity.code),
        },
    };
    let given = ctx
        .names
        .middle_and_given(rng, child_sex, &child_ethnicity.code);
    let child_name = format!("{family} {given}");
    let child_name = if ctx.style.upper_case_names {
        child_name.to_uppercase()
    } else {
        child_name
    };
    let residence = father
        .as_ref()
        .or(mother.as_ref())
        .map(|p| p.residence.clone())
        .unwrap_or_else(|| residence_in(rng, ctx.commune, ctx.style));
    let child = Person {
        name: child_name,
        sex: child_sex,
        birth,
        ethnicity: child_ethnicity,
        nationality: "Việt Nam".into(),
        residence,
    };

    let birth_place = birth_place(rng, ctx, &registration);
    let home_town = if rng.gen_bool(0.6) {
        address_of(ctx.commune, ctx.style, rng)
    } else {
        address_of(&places::random_commune(rng), ctx.style, rng)
    };
    let id_number = id_number(rng, ctx.commune.province.code, &birth, child_sex);
    let requester = make_requester(rng, ctx, &registration, &child, &mother, &father);
    let reg_type_printed = code_label(rng, ctx.codes, "loai_dang_ky_ks", reg_type_code);
    let (signer, signer_position) = ctx.signers.choose(rng).cloned().unwrap_or_default();
    let clerk = ctx.clerks.choose(rng).cloned().unwrap_or_default();
    let note = if rng.gen_bool(0.05) {
        NOTES.choose(rng).expect("notes").to_string()
    } else {
        String::new()
    };
    let date_format = if rng.gen_bool(0.1) {
        DateFormat::random(rng)
    } else {
        ctx.style.date_format
    };
    EntryFacts {
        so,
        registration,
        reg_type_code: reg_type_code.to_string(),
        reg_type_printed,
        child,
        birth_place,
        home_town,
        id_number,
        mother,
        father,
        requester,
        signer,
        signer_position,
        clerk,
        note,
        date_format,
    }
}

const NOTES: &[&str] = &[
    "Đã cấp bản sao",
    "Con thứ hai",
    "Con thứ ba",
    "Sinh đôi",
    "Đã cấp 02 bản sao",
    "Cải chính họ tên theo Quyết định số 15/QĐ-UBND",
];

fn make_parent(
    rng: &mut impl Rng,
    ctx: &BookContext,
    sex: Sex,
    birth: PartialDate,
    ethnicity: Ethnicity,
) -> Person {
    let name = ctx.names.full(rng, sex, &ethnicity.code);
    let residence = if rng.gen_bool(0.9) {
        residence_in(rng, ctx.commune, ctx.style)
    } else {
        let other = places::random_commune_in(rng, ctx.commune.province);
        residence_in(rng, &other, ctx.style)
    };
    Person {
        name,
        sex,
        birth,
        ethnicity,
        nationality: "Việt Nam".into(),
        residence,
    }
}

/// Ethnic group of a child of the book's commune: the province's minorities at their share,
/// else Kinh; the canonical name mostly, an alias now and then.
fn pick_ethnicity(rng: &mut impl Rng, ctx: &BookContext) -> Ethnicity {
    let province = ctx.commune.province;
    let code = if rng.gen_bool(province.minority_share) && !province.minorities.is_empty() {
        let weights: Vec<u32> = province.minorities.iter().map(|(_, w)| *w).collect();
        let dist = WeightedIndex::new(weights).expect("minority weights");
        province.minorities[dist.sample(rng)].0
    } else {
        "01"
    };
    let groups = &ctx.codes.ethnicity.groups;
    let group: &EthnicGroup = groups
        .iter()
        .find(|g| g.code == code)
        .or_else(|| groups.first())
        .expect("the ethnicity table has groups");
    let alias_share = if code == "01" { 0.01 } else { 0.1 };
    let printed = match group.aliases.choose(rng) {
        Some(alias) if rng.gen_bool(alias_share) => alias.clone(),
        _ => group.name.clone(),
    };
    Ethnicity {
        code: group.code.clone(),
        name: group.name.clone(),
        printed,
    }
}

const VILLAGE_WORDS: &[&str] = &[
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "An Lạc",
    "Phú Xuân",
    "Đồng Tâm",
    "Cao Mại",
    "Lê Xá",
    "Tiền Phong",
    "Hòa Bình",
    "Tân Lập",
    "Quyết Tiến",
    "Đoài",
    "Chùa",
];
const SOUTH_HAMLETS: &[&str] = &[
    "Bình Hòa",
    "Phú Lợi",
    "Tân Quới",
    "Long Thạnh",
    "Mỹ Hòa",
    "An Thạnh",
    "Thạnh Phú",
    "Phước Hòa",
    "Bình Thới",
    "Hòa Hiệp",
    "Tân Hội",
    "Cây Dương",
];
const STREETS: &[&str] = &[
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Nguyễn Du",
    "Phan Chu Trinh",
    "Hoàng Văn Thụ",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Nguyễn Thị Minh Khai",
    "Võ Văn Tần",
    "Lê Duẩn",
    "Trần Phú",
    "Bà Triệu",
    "Nguyễn Huệ",
    "Lê Thánh Tông",
    "Phạm Ngũ Lão",
    "Tôn Đức Thắng",
];

/// A residence in a commune: hamlet or street, then the commune's address.
fn residence_in(rng: &mut impl Rng, commune: &Commune, style: &BookStyle) -> String {
    let address = address_of(commune, style, rng);
    let local = match commune.unit {
        "phường" | "thị trấn" => match rng.gen_range(0..3) {
            0 => format!(
                "Số {}, đường {}",
                rng.gen_range(1..200),
                STREETS.choose(rng).expect("streets")
            ),
            1 => format!("Tổ {}", rng.gen_range(1..30)),
            _ => format!("Khu phố {}", rng.gen_range(1..12)),
        },
        _ => match commune.province.region {
            super::names::Region::South => {
                if rng.gen_bool(0.5) {
                    format!("Ấp {}", SOUTH_HAMLETS.choose(rng).expect("hamlets"))
                } else {
                    format!("Ấp {}", rng.gen_range(1..10))
                }
            }
            _ => {
                if rng.gen_bool(0.6) {
                    format!("Thôn {}", VILLAGE_WORDS.choose(rng).expect("villages"))
                } else {
                    format!("Xóm {}", rng.gen_range(1..15))
                }
            }
        },
    };
    if rng.gen_bool(0.7) {
        format!("{local}, {}", lower_first(&address))
    } else {
        address
    }
}

/// The commune's address, long or short form as the book writes them.
fn address_of(commune: &Commune, style: &BookStyle, rng: &mut impl Rng) -> String {
    if rng.gen_bool(style.short_address_share) {
        commune.short_address()
    } else {
        commune.address()
    }
}

/// "Xã ..." inside a longer address reads "xã ..."; numbered units keep their capital.
fn lower_first(s: &str) -> String {
    for unit in ["Xã ", "Thị trấn "] {
        if let Some(rest) = s.strip_prefix(unit) {
            return format!("{}{rest}", unit.to_lowercase());
        }
    }
    if let Some(rest) = s.strip_prefix("Phường ") {
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return format!("phường {rest}");
        }
    }
    s.to_string()
}

/// Where the child was born: home, commune health station, district or provincial hospital.
fn birth_place(rng: &mut impl Rng, ctx: &BookContext, registration: &PartialDate) -> String {
    let c = ctx.commune;
    let home_share = if registration.year < 2000 { 0.35 } else { 0.08 };
    let roll: f64 = rng.gen();
    let province = c.province_part();
    if roll < home_share {
        return address_of(c, ctx.style, rng);
    }
    if c.province.city {
        let named: &[&str] = match c.province.code {
            "01" => &[
                "Bệnh viện Phụ sản Hà Nội",
                "Bệnh viện Phụ sản Trung ương",
                "Bệnh viện Bạch Mai",
            ],
            "79" => &[
                "Bệnh viện Từ Dũ",
                "Bệnh viện Hùng Vương",
                "Bệnh viện Nhân dân Gia Định",
            ],
            _ => &[],
        };
        if let Some(h) = named.choose(rng) {
            if rng.gen_bool(0.6) {
                return h.to_string();
            }
        }
        return match rng.gen_range(0..3) {
            0 => format!("Bệnh viện Phụ sản {}", c.province.name),
            1 => format!(
                "Nhà hộ sinh {}",
                places::capitalize_first(&c.district_part())
            ),
            _ => format!("Bệnh viện Đa khoa {province}"),
        };
    }
    match rng.gen_range(0..4) {
        0 => format!("Trạm y tế {}, {}", c.commune_part(), c.district_part()),
        1 => format!("Bệnh viện Đa khoa {}, {province}", c.district_part()),
        2 => format!("Trung tâm Y tế {}", c.district_part()),
        _ => format!("Bệnh viện Đa khoa {province}"),
    }
}

/// 12-digit personal ID (domain reference 5.1): province, century/sex, year, 6 random digits.
pub fn id_number(rng: &mut impl Rng, province_code: &str, birth: &PartialDate, sex: Sex) -> String {
    let century = (birth.year / 100 - 19).max(0) * 2;
    let g = century + i32::from(sex == Sex::Female);
    format!(
        "0{province_code}{g}{:02}{:06}",
        birth.year % 100,
        rng.gen_range(0..1_000_000)
    )
}

fn make_requester(
    rng: &mut impl Rng,
    ctx: &BookContext,
    registration: &PartialDate,
    child: &Person,
    mother: &Option<Person>,
    father: &Option<Person>,
) -> Requester {
    let adult_child = registration.year - child.birth.year >= 18;
    let roll: f64 = rng.gen();
    let (code, name, birth, sex) = if adult_child && roll < 0.5 {
        (
            "20",
            crate::text::title_case(&child.name),
            child.birth,
            child.sex,
        )
    } else if let (Some(f), true) = (father, roll < 0.6) {
        ("1", f.name.clone(), f.birth, Sex::Male)
    } else if let (Some(m), true) = (mother, roll < 0.9) {
        ("2", m.name.clone(), m.birth, Sex::Female)
    } else {
        let (code, sex, age) = *[
            ("3", Sex::Male, 55),
            ("4", Sex::Female, 52),
            ("5", Sex::Male, 56),
            ("6", Sex::Female, 50),
            ("11", Sex::Male, 35),
            ("12", Sex::Male, 45),
            ("13", Sex::Female, 33),
            ("14", Sex::Female, 34),
            ("15", Sex::Male, 36),
        ]
        .choose(rng)
        .expect("relatives");
        let family_of_father = matches!(code, "3" | "11" | "12" | "13");
        let name = match (family_of_father, father) {
            (true, Some(f)) => format!(
                "{} {}",
                f.name.split(' ').next().unwrap_or_default(),
                ctx.names.middle_and_given(rng, sex, &child.ethnicity.code)
            ),
            _ => ctx.names.full(rng, sex, &child.ethnicity.code),
        };
        let birth = add_days(day_number(&child.birth) - age * 365 - rng.gen_range(0..3000));
        (code, name, birth, sex)
    };
    let kinship_printed = code_label(rng, ctx.codes, "quan_he", code);
    let document = document(rng, ctx.commune.province.code, registration, &birth, sex);
    Requester {
        name,
        kinship_code: code.to_string(),
        kinship_printed,
        document,
    }
}

/// The requester's identity document, by the era of the registration.
fn document(
    rng: &mut impl Rng,
    province_code: &str,
    registration: &PartialDate,
    birth: &PartialDate,
    sex: Sex,
) -> Document {
    let cccd_share = match registration.year {
        ..=2015 => 0.0,
        2016..=2020 => 0.45,
        _ => 0.8,
    };
    let roll: f64 = rng.gen();
    if roll < 0.05 {
        let letter = *['B', 'C', 'N'].choose(rng).expect("letters");
        let number = format!("{letter}{:07}", rng.gen_range(0..10_000_000));
        Document {
            type_code: "2",
            printed: format!("Hộ chiếu số {number}"),
            number,
        }
    } else if roll < 0.05 + cccd_share {
        let number = id_number(rng, province_code, birth, sex);
        Document {
            type_code: "4",
            printed: format!("CCCD số {number}"),
            number,
        }
    } else {
        let number = format!(
            "{:02}{:07}",
            rng.gen_range(1..=38),
            rng.gen_range(0..10_000_000)
        );
        Document {
            type_code: "1",
            printed: format!("CMND số {number}"),
            number,
        }
    }
}

/// A wording of a code from its table: the first label mostly, another now and then.
pub fn code_label(rng: &mut impl Rng, codes: &CodeTables, table: &str, code: &str) -> String {
    let entry = codes
        .table(table)
        .and_then(|t| t.entries.iter().find(|e| e.code == code));
    match entry {
        Some(e) if !e.labels.is_empty() => {
            if e.labels.len() > 1 && rng.gen_bool(0.3) {
                e.labels.choose(rng).expect("labels").clone()
            } else {
                e.labels[0].clone()
            }
        }
        Some(e) => e.name.clone(),
        None => String::new(),
    }
}
