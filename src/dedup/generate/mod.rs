//! A realistic registry and batch of birth registrations with known duplicates, for measuring
//! and benchmarking `sohoa dedup` (`sohoa dedup-synth`).
//!
//! The registry is a province's families: parents, one to four children born years apart,
//! sometimes twins (same birth date, consecutive entries). The batch holds duplicates of
//! registry entries (copy books keeping the entry number, re-registrations with a new one), each
//! with zero to four corruptions of the kinds OCR and keying make; entries copied twice within
//! the batch; and near misses that must stay apart: twins of registry children, new siblings of
//! registry children, namesakes born the same year in the same commune, twins within the batch.
//!
//! Files: `registry.csv` and `batch.csv` (template headers), `pairs.csv`
//! (`kind,input_row,match_row`: every true duplicate pair, rows 1-based; for `input` pairs
//! `input_row` is the later row) and `near_misses.csv` (same plus `relation`). With
//! [`GenParams::within`], `within/` holds the same people as one file to deduplicate on its own
//! (`records.csv`: the registry's rows then the batch's), with its `pairs.csv` and
//! `near_misses.csv` (the registry's own twins included).

pub mod corrupt;
pub mod names;

use crate::dedup::phonetic::syllable_key;
use crate::text::fold;
use names::Weighted;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// How much to generate.
#[derive(Debug, Clone)]
pub struct GenParams {
    pub registry: usize,
    pub batch: usize,
    pub seed: u64,
    /// How heavily duplicates' given names are garbled, as a multiple of the usual rate
    /// ([`share::GIVEN_GARBLE`]): 2.0 is "twice as heavy".
    pub given_garble: f64,
    /// Also write `within/`: registry and batch as one file to deduplicate alone.
    pub within: bool,
}

impl GenParams {
    pub fn new(registry: usize, batch: usize, seed: u64) -> Self {
        Self {
            registry,
            batch,
            seed,
            given_garble: 1.0,
            within: false,
        }
    }
}

/// Shares of the batch by kind of record (the rest are new persons of new families).
mod share {
    /// Duplicates of registry entries.
    pub const DUPLICATE: f64 = 0.12;
    /// Of those, a second copy in the batch too.
    pub const DOUBLE: f64 = 0.05;
    /// New persons entered twice within the batch (counted per pair).
    pub const INPUT_PAIR: f64 = 0.03;
    /// New siblings of registry children.
    pub const SIBLING: f64 = 0.03;
    /// Twins of registry children.
    pub const TWIN: f64 = 0.01;
    /// Namesakes of registry children: same name, birth year and commune, other parents.
    pub const NAMESAKE: f64 = 0.02;
    /// Twin pairs within the batch (counted per pair).
    pub const INPUT_TWINS: f64 = 0.005;
    /// Duplicates whose child's given name is garbled past any spelling (one or two OCR
    /// edits: "HẰọG" for "Hằng"), on top of the other corruptions.
    pub const GIVEN_GARBLE: f64 = 0.12;
}

/// The columns the generator fills, by template key.
const KEYS: [&str; 26] = [
    "so",
    "quyenSo",
    "trangSo",
    "ngayDangKy",
    "loaiDangKy",
    "noiDangKy",
    "nksSoDinhDanh",
    "nksHoTen",
    "nksGioiTinh",
    "nksNgaySinh",
    "nksNoiSinh",
    "nksDanToc",
    "nksQuocTich",
    "nksLoaiKhaiSinh",
    "meHoTen",
    "meNgaySinh",
    "meDanToc",
    "meQuocTich",
    "meNoiCuTru",
    "chaHoTen",
    "chaNgaySinh",
    "chaDanToc",
    "chaQuocTich",
    "chaNoiCuTru",
    "nycHoTen",
    "nycQuanHe",
];

mod col {
    pub const SO: usize = 0;
    pub const QUYEN: usize = 1;
    pub const TRANG: usize = 2;
    pub const NGAY_DK: usize = 3;
    pub const LOAI_DK: usize = 4;
    pub const NOI_DK: usize = 5;
    pub const ID: usize = 6;
    pub const NAME: usize = 7;
    pub const SEX: usize = 8;
    pub const BORN: usize = 9;
    pub const PLACE: usize = 10;
    pub const ETHNIC: usize = 11;
    pub const NATION: usize = 12;
    pub const CASE: usize = 13;
    pub const ME_NAME: usize = 14;
    pub const ME_BORN: usize = 15;
    pub const ME_ETHNIC: usize = 16;
    pub const ME_NATION: usize = 17;
    pub const ME_HOME: usize = 18;
    pub const CHA_NAME: usize = 19;
    pub const CHA_BORN: usize = 20;
    pub const CHA_ETHNIC: usize = 21;
    pub const CHA_NATION: usize = 22;
    pub const CHA_HOME: usize = 23;
    pub const NYC_NAME: usize = 24;
    pub const NYC_REL: usize = 25;
}

type Row = [String; 26];
type Date = (u8, u8, i32);

#[derive(Debug, Clone)]
struct Parent {
    name: String,
    born: Date,
}

#[derive(Debug, Clone)]
struct Family {
    mother: Option<Parent>,
    father: Option<Parent>,
    family_name: &'static str,
    commune: usize,
    home: String,
}

#[derive(Debug, Clone)]
struct Person {
    family: Family,
    name: String,
    given: &'static str,
    male: bool,
    born: Date,
    place: String,
    registered: Date,
    so: u32,
    book: String,
    id: String,
}

struct World {
    communes: Vec<(String, usize)>,
    districts: Vec<String>,
    province: &'static str,
    province_code: &'static str,
    family: Weighted,
    middle_m: Weighted,
    middle_f: Weighted,
    given_m: Weighted,
    given_f: Weighted,
}

impl World {
    fn new(rng: &mut ChaCha8Rng, registry: usize) -> Self {
        let syl = names::PLACE_SYLLABLES;
        let mut used = std::collections::HashSet::new();
        let mut place_name = |rng: &mut ChaCha8Rng| loop {
            let n = format!("{} {}", syl.choose(rng).unwrap(), syl.choose(rng).unwrap());
            let (a, b) = n.split_once(' ').unwrap();
            if a != b && used.insert(n.clone()) {
                return n;
            }
        };
        let n_communes = (registry / 2_000).clamp(20, 1_500);
        let n_districts = n_communes / 15 + 1;
        let districts: Vec<String> = (0..n_districts).map(|_| place_name(rng)).collect();
        let communes = (0..n_communes)
            .map(|i| (place_name(rng), i % n_districts))
            .collect();
        let p = rng.gen_range(0..names::PROVINCES.len());
        Self {
            communes,
            districts,
            province: names::PROVINCES[p],
            province_code: ["036", "034", "040", "080", "030"][p],
            family: Weighted::new(names::FAMILY),
            middle_m: Weighted::new(names::MIDDLE_MALE),
            middle_f: Weighted::new(names::MIDDLE_FEMALE),
            // Flat enough that the commonest given name is about 5 % of a sex, as in large
            // name lists; Zipf 1 would give it 20 %.
            given_m: Weighted::zipf(names::GIVEN_MALE, 0.5),
            given_f: Weighted::zipf(names::GIVEN_FEMALE, 0.5),
        }
    }

    fn commune(&self, c: usize) -> &str {
        &self.communes[c].0
    }
    fn district(&self, c: usize) -> &str {
        &self.districts[self.communes[c].1]
    }

    fn full_name(&self, rng: &mut ChaCha8Rng, family: &str, male: bool) -> (String, &'static str) {
        let middle = if male {
            self.middle_m.pick(rng)
        } else {
            self.middle_f.pick(rng)
        };
        let given = if male {
            self.given_m.pick(rng)
        } else {
            self.given_f.pick(rng)
        };
        let name = if middle.is_empty() {
            format!("{family} {given}")
        } else {
            format!("{family} {middle} {given}")
        };
        (name, given)
    }

    fn family(&self, rng: &mut ChaCha8Rng, first_child_year: i32) -> Family {
        let commune = rng.gen_range(0..self.communes.len());
        let mother_year = first_child_year - rng.gen_range(19..34);
        let father_year = mother_year - rng.gen_range(-2..8);
        let family_name = self.family.pick(rng);
        let parent_date = |rng: &mut ChaCha8Rng, y: i32| {
            // Old books give the parents' year of birth only.
            if first_child_year < 2000 && rng.gen_bool(0.7) {
                (0, 0, y)
            } else {
                (rng.gen_range(1..=28), rng.gen_range(1..=12), y)
            }
        };
        let case = rng.gen::<f64>();
        let father = (case >= 0.04).then(|| Parent {
            name: self.full_name(rng, family_name, true).0,
            born: parent_date(rng, father_year),
        });
        let mother_family = self.family.pick(rng);
        let mother = (case >= 0.005).then(|| Parent {
            name: self.full_name(rng, mother_family, false).0,
            born: parent_date(rng, mother_year),
        });
        let village = if rng.gen_bool(0.5) {
            format!("Thôn {}", rng.gen_range(1..15))
        } else {
            format!("Xóm {}", names::PLACE_SYLLABLES.choose(rng).unwrap())
        };
        let home = format!(
            "{village}, xã {}, huyện {}, tỉnh {}",
            self.commune(commune),
            self.district(commune),
            self.province
        );
        Family {
            mother,
            father,
            family_name,
            commune,
            home,
        }
    }

    fn birthplace(&self, rng: &mut ChaCha8Rng, commune: usize, year: i32) -> String {
        let (c, d, p) = (self.commune(commune), self.district(commune), self.province);
        let home_birth = if year < 1990 { 0.5 } else { 0.1 };
        let x = rng.gen::<f64>();
        if x < home_birth {
            format!("xã {c}, huyện {d}, tỉnh {p}")
        } else if x < home_birth + 0.4 {
            format!("Trạm y tế xã {c}")
        } else if x < home_birth + 0.6 {
            format!("Bệnh viện Đa khoa huyện {d}")
        } else if x < home_birth + 0.75 {
            format!("Bệnh viện Đa khoa tỉnh {p}")
        } else {
            format!("Nhà hộ sinh xã {c}")
        }
    }

    /// A child of `family` born on `born`.
    fn child(&self, rng: &mut ChaCha8Rng, family: &Family, born: Date, male: bool) -> Person {
        let (name, given) = self.full_name(rng, family.family_name, male);
        let place = self.birthplace(rng, family.commune, born.2);
        let registered = registration_after(rng, born);
        let id = if born.2 >= 2016 || rng.gen_bool(0.1) {
            let g = if born.2 >= 2000 { 2 } else { 0 } + if male { 0 } else { 1 };
            format!(
                "{}{g}{:02}{:06}",
                self.province_code,
                born.2 % 100,
                rng.gen_range(0..1_000_000)
            )
        } else {
            String::new()
        };
        Person {
            family: family.clone(),
            name,
            given,
            male,
            born,
            place,
            registered,
            so: rng.gen_range(1..400),
            book: format!("{:02}/{}", rng.gen_range(1..4), registered.2),
            id,
        }
    }

    /// A twin of `p`: same parents, birth date and registration, the next entry number, another
    /// given name that no sound rule or OCR slip makes the same.
    fn twin(&self, rng: &mut ChaCha8Rng, p: &Person) -> Person {
        let male = rng.gen_bool(0.5);
        let mut t = self.child(rng, &p.family, p.born, male);
        while distinct_given(t.given, p.given).is_none() {
            t = self.child(rng, &p.family, p.born, male);
        }
        t.place = p.place.clone();
        t.registered = p.registered;
        t.book = p.book.clone();
        t.so = p.so + 1;
        t
    }

    fn render(&self, p: &Person) -> Row {
        let mut r: Row = Default::default();
        let c = p.family.commune;
        r[col::SO] = p.so.to_string();
        r[col::QUYEN] = p.book.clone();
        r[col::TRANG] = (p.so / 4 + 1).to_string();
        r[col::NGAY_DK] = corrupt::date_text(p.registered);
        let late = days(p.registered) - days(p.born) > 60;
        r[col::LOAI_DK] = if late { "4" } else { "1" }.into();
        r[col::NOI_DK] = format!(
            "UBND xã {}, huyện {}, tỉnh {}",
            self.commune(c),
            self.district(c),
            self.province
        );
        r[col::ID] = p.id.clone();
        r[col::NAME] = p.name.clone();
        r[col::SEX] = if p.male { "1" } else { "2" }.into();
        r[col::BORN] = corrupt::date_text(p.born);
        r[col::PLACE] = p.place.clone();
        r[col::ETHNIC] = "Kinh".into();
        r[col::NATION] = "Việt Nam".into();
        r[col::CASE] = match (&p.family.mother, &p.family.father) {
            (Some(_), Some(_)) => "1",
            (None, Some(_)) => "2",
            (Some(_), None) => "3",
            (None, None) => "4",
        }
        .into();
        if let Some(m) = &p.family.mother {
            r[col::ME_NAME] = m.name.clone();
            r[col::ME_BORN] = corrupt::date_text(m.born);
            r[col::ME_ETHNIC] = "Kinh".into();
            r[col::ME_NATION] = "Việt Nam".into();
            r[col::ME_HOME] = p.family.home.clone();
        }
        if let Some(f) = &p.family.father {
            r[col::CHA_NAME] = f.name.clone();
            r[col::CHA_BORN] = corrupt::date_text(f.born);
            r[col::CHA_ETHNIC] = "Kinh".into();
            r[col::CHA_NATION] = "Việt Nam".into();
            r[col::CHA_HOME] = p.family.home.clone();
        }
        let requester = p.family.father.as_ref().map(|f| (f, "Cha")).or(p
            .family
            .mother
            .as_ref()
            .map(|m| (m, "Mẹ")));
        if let Some((who, rel)) = requester {
            r[col::NYC_NAME] = who.name.clone();
            r[col::NYC_REL] = rel.into();
        }
        r
    }
}

/// `Some` when two given names sound the same (no family names two children so).
fn same_sound<'a>(given: &'a str, other: &str) -> Option<&'a str> {
    (syllable_key(&fold(given)) == syllable_key(&fold(other))).then_some(given)
}

/// The given name if it is told apart from `other` by sound, OCR skeleton and spelling.
fn distinct_given<'a>(given: &'a str, other: &str) -> Option<&'a str> {
    let (a, b) = (fold(given), fold(other));
    let close = syllable_key(&a) == syllable_key(&b) || strsim::jaro_winkler(&a, &b) >= 0.88;
    (!close).then_some(given)
}

fn days(d: Date) -> i64 {
    crate::normalize::PartialDate::full(d.0.max(1), d.1.max(1), d.2)
        .day_number()
        .unwrap_or(0)
}

fn date_from_days(n: i64) -> Date {
    // day_number counts from 0001-01-01; from_unix_days from 1970-01-01.
    let unix = n - days((1, 1, 1970));
    let d = crate::normalize::PartialDate::from_unix_days(unix);
    (d.day.unwrap_or(1), d.month.unwrap_or(1), d.year)
}

fn registration_after(rng: &mut ChaCha8Rng, born: Date) -> Date {
    let delay = if rng.gen_bool(0.9) {
        rng.gen_range(3..60)
    } else {
        rng.gen_range(61..3000)
    };
    date_from_days(days(born) + delay)
}

fn random_birth(rng: &mut ChaCha8Rng) -> Date {
    // More registrations in recent decades.
    let year = 2024 - (rng.gen::<f64>().powf(1.3) * 68.0) as i32;
    (rng.gen_range(1..=28), rng.gen_range(1..=12), year)
}

/// A record of the batch and who it is.
struct BatchRow {
    row: Row,
    /// Registry row (0-based) of the person, or a new person's id above the registry.
    person: u64,
}

/// What was generated, for the terminal.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GenSummary {
    pub registry: usize,
    pub batch: usize,
    pub duplicate_pairs: usize,
    pub existing_pairs: usize,
    pub input_pairs: usize,
    pub near_misses: BTreeMap<String, usize>,
}

/// Writes `registry.csv`, `batch.csv`, `pairs.csv` and `near_misses.csv` into `dir`, with the
/// given template columns (`(key, header)` in template order).
pub fn generate(
    dir: &Path,
    params: &GenParams,
    columns: &[(String, String)],
) -> std::io::Result<GenSummary> {
    std::fs::create_dir_all(dir)?;
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let world = World::new(&mut rng, params.registry);
    let layout: Vec<Option<usize>> = columns
        .iter()
        .map(|(k, _)| KEYS.iter().position(|x| x == k))
        .collect();
    let headers: Vec<&str> = columns.iter().map(|(_, h)| h.as_str()).collect();

    let m = params.batch as f64;
    let n_dup = ((m * share::DUPLICATE) as usize).min(params.registry);
    let n_sib = (m * share::SIBLING) as usize;
    let n_twin = (m * share::TWIN) as usize;
    let n_name = (m * share::NAMESAKE) as usize;
    let wanted = (n_dup + n_sib + n_twin + n_name).min(params.registry);
    let mut chosen: Vec<usize> =
        rand::seq::index::sample(&mut rng, params.registry, wanted).into_vec();
    chosen.sort_unstable();
    let mut kept: Vec<(usize, Person)> = Vec::with_capacity(wanted);
    // Registry rows (0-based) of twins born next to each other: near misses within the registry.
    let mut registry_twins: Vec<(usize, usize)> = Vec::new();

    // The registry, streamed family by family.
    let mut w = csv_writer(&dir.join("registry.csv"), &headers)?;
    let mut row = 0usize;
    let mut next_chosen = 0usize;
    let mut emit = |p: &Person, w: &mut csv::Writer<_>, row: &mut usize| -> std::io::Result<()> {
        write_row(w, &layout, &world.render(p))?;
        if next_chosen < chosen.len() && chosen[next_chosen] == *row {
            kept.push((*row, p.clone()));
            next_chosen += 1;
        }
        *row += 1;
        Ok(())
    };
    while row < params.registry {
        let first = random_birth(&mut rng);
        let family = world.family(&mut rng, first.2);
        let children = 1 + (rng.gen::<f64>().powi(2) * 4.0) as usize;
        let mut born = first;
        // Parents do not give two children the same name (by sound).
        let mut named: Vec<&'static str> = Vec::new();
        for _ in 0..children {
            if row >= params.registry || born.2 > 2024 {
                break;
            }
            let male = rng.gen_bool(0.51);
            let mut p = world.child(&mut rng, &family, born, male);
            for _ in 0..20 {
                if named.iter().all(|g| same_sound(g, p.given).is_none()) {
                    break;
                }
                p = world.child(&mut rng, &family, born, male);
            }
            named.push(p.given);
            emit(&p, &mut w, &mut row)?;
            if rng.gen_bool(0.02) && row < params.registry {
                let t = world.twin(&mut rng, &p);
                registry_twins.push((row - 1, row));
                emit(&t, &mut w, &mut row)?;
            }
            born = date_from_days(days(born) + rng.gen_range(400..2500));
        }
    }
    w.flush()?;
    drop(w);
    kept.shuffle(&mut rng);

    // The batch.
    let mut batch: Vec<BatchRow> = Vec::with_capacity(params.batch + 16);
    let mut near: Vec<(u64, u64, Option<usize>, &'static str)> = Vec::new(); // (a, b, registry row, relation)
    let mut next_person = params.registry as u64;
    let mut new_id = || {
        next_person += 1;
        next_person
    };
    let mut it = kept.into_iter();
    let garble = (share::GIVEN_GARBLE * params.given_garble).clamp(0.0, 1.0);
    for (r, p) in it.by_ref().take(n_dup) {
        batch.push(BatchRow {
            row: duplicate(&world, &mut rng, &p, garble),
            person: r as u64,
        });
        if rng.gen_bool(share::DOUBLE) {
            batch.push(BatchRow {
                row: duplicate(&world, &mut rng, &p, garble),
                person: r as u64,
            });
        }
    }
    for (r, p) in it.by_ref().take(n_sib) {
        let gap = rng.gen_range(400..3000);
        let younger = date_from_days(days(p.born) + gap);
        let born = if younger.2 <= 2024 && rng.gen_bool(0.5) {
            younger
        } else {
            date_from_days(days(p.born) - gap)
        };
        let male = rng.gen_bool(0.5);
        let mut s = world.child(&mut rng, &p.family, born, male);
        for _ in 0..20 {
            if same_sound(s.given, p.given).is_none() {
                break;
            }
            s = world.child(&mut rng, &p.family, born, male);
        }
        if rng.gen_bool(0.3) {
            // Parents sometimes give siblings names that differ by one sound.
            if let Some(g) = similar_sibling_name(&world, &mut rng, &p) {
                s.name = g;
            }
        }
        let id = new_id();
        near.push((id, r as u64, Some(r), "sibling"));
        batch.push(BatchRow {
            row: world.render(&s),
            person: id,
        });
    }
    for (r, p) in it.by_ref().take(n_twin) {
        let t = world.twin(&mut rng, &p);
        let id = new_id();
        near.push((id, r as u64, Some(r), "twin"));
        batch.push(BatchRow {
            row: light_corruption(&mut rng, world.render(&t)),
            person: id,
        });
    }
    for (r, p) in it.by_ref().take(n_name) {
        let mut family = world.family(&mut rng, p.born.2);
        family.commune = p.family.commune;
        family.family_name = p.family.family_name;
        let born = (rng.gen_range(1..=28), rng.gen_range(1..=12), p.born.2);
        let mut s = world.child(&mut rng, &family, born, p.male);
        s.name = p.name.clone();
        s.given = p.given;
        let id = new_id();
        near.push((id, r as u64, Some(r), "namesake"));
        batch.push(BatchRow {
            row: world.render(&s),
            person: id,
        });
    }
    let n_pairs = (m * share::INPUT_PAIR) as usize;
    let n_twin_pairs = (m * share::INPUT_TWINS) as usize;
    for _ in 0..n_twin_pairs {
        let born = random_birth(&mut rng);
        let family = world.family(&mut rng, born.2);
        let male = rng.gen_bool(0.5);
        let a = world.child(&mut rng, &family, born, male);
        let b = world.twin(&mut rng, &a);
        let (ia, ib) = (new_id(), new_id());
        near.push((ia, ib, None, "twin"));
        batch.push(BatchRow {
            row: world.render(&a),
            person: ia,
        });
        batch.push(BatchRow {
            row: light_corruption(&mut rng, world.render(&b)),
            person: ib,
        });
    }
    for _ in 0..n_pairs {
        if batch.len() + 2 > params.batch {
            break;
        }
        let born = random_birth(&mut rng);
        let family = world.family(&mut rng, born.2);
        let male = rng.gen_bool(0.5);
        let p = world.child(&mut rng, &family, born, male);
        let id = new_id();
        batch.push(BatchRow {
            row: world.render(&p),
            person: id,
        });
        batch.push(BatchRow {
            row: duplicate(&world, &mut rng, &p, garble),
            person: id,
        });
    }
    while batch.len() < params.batch {
        let born = random_birth(&mut rng);
        let family = world.family(&mut rng, born.2);
        let male = rng.gen_bool(0.5);
        let p = world.child(&mut rng, &family, born, male);
        let id = new_id();
        batch.push(BatchRow {
            row: world.render(&p),
            person: id,
        });
    }
    batch.truncate(params.batch);
    batch.shuffle(&mut rng);

    let mut w = csv_writer(&dir.join("batch.csv"), &headers)?;
    for b in &batch {
        write_row(&mut w, &layout, &b.row)?;
    }
    w.flush()?;

    // Truth: every pair of records of the same person.
    let mut rows_of: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, b) in batch.iter().enumerate() {
        rows_of.entry(b.person).or_default().push(i + 1);
    }
    let mut summary = GenSummary {
        registry: params.registry,
        batch: batch.len(),
        ..Default::default()
    };
    let mut pairs = std::io::BufWriter::new(std::fs::File::create(dir.join("pairs.csv"))?);
    writeln!(pairs, "kind,input_row,match_row")?;
    for (&person, rows) in &rows_of {
        if (person as usize) < params.registry {
            for &r in rows {
                writeln!(pairs, "existing,{r},{}", person + 1)?;
                summary.existing_pairs += 1;
            }
        }
        for (i, &a) in rows.iter().enumerate() {
            for &b in &rows[..i] {
                writeln!(pairs, "input,{},{}", a.max(b), a.min(b))?;
                summary.input_pairs += 1;
            }
        }
    }
    pairs.flush()?;
    summary.duplicate_pairs = summary.existing_pairs + summary.input_pairs;

    let mut nm = std::io::BufWriter::new(std::fs::File::create(dir.join("near_misses.csv"))?);
    writeln!(nm, "kind,input_row,match_row,relation")?;
    for (a, b, registry_row, relation) in near {
        let ra = rows_of.get(&a).map(|v| v[0]);
        match (ra, registry_row) {
            (Some(ra), Some(r)) => writeln!(nm, "existing,{ra},{},{relation}", r + 1)?,
            (Some(ra), None) => {
                if let Some(rb) = rows_of.get(&b).map(|v| v[0]) {
                    writeln!(nm, "input,{},{},{relation}", ra.max(rb), ra.min(rb))?;
                }
            }
            _ => continue,
        }
        *summary.near_misses.entry(relation.to_string()).or_insert(0) += 1;
    }
    nm.flush()?;
    drop(nm);
    if params.within {
        write_within(dir, params.registry, &registry_twins)?;
    }
    Ok(summary)
}

/// `within/`: the registry's rows then the batch's in one `records.csv`, and the truth and
/// near misses renumbered (a batch row `r` is row `registry + r`; registry row `r` keeps its
/// number), with the registry's own twins as near misses.
fn write_within(dir: &Path, registry: usize, twins: &[(usize, usize)]) -> std::io::Result<()> {
    use std::io::{BufReader, Read, Seek};
    let out = dir.join("within");
    std::fs::create_dir_all(&out)?;
    let mut w =
        std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out.join("records.csv"))?);
    for (i, name) in ["registry.csv", "batch.csv"].iter().enumerate() {
        // The template's headers hold line breaks inside quotes: where the data starts is
        // where a CSV reader says the header row ends.
        let path = dir.join(name);
        let mut rdr = csv::Reader::from_path(&path)?;
        rdr.headers()?;
        let start = rdr.position().byte();
        let mut r = BufReader::with_capacity(1 << 20, std::fs::File::open(&path)?);
        if i == 0 {
            std::io::copy(&mut (&mut r).take(start), &mut w)?;
        } else {
            r.seek(std::io::SeekFrom::Start(start))?;
        }
        std::io::copy(&mut r, &mut w)?;
    }
    w.flush()?;
    let renumber = |from: &str, to: &str, extra: &[String]| -> std::io::Result<()> {
        let text = std::fs::read_to_string(dir.join(from))?;
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let mut w = std::io::BufWriter::new(std::fs::File::create(out.join(to))?);
        writeln!(w, "{header}")?;
        for line in lines {
            let parts: Vec<&str> = line.split(',').collect();
            let (Some(a), Some(b)) = (
                parts.get(1).and_then(|x| x.parse::<usize>().ok()),
                parts.get(2).and_then(|x| x.parse::<usize>().ok()),
            ) else {
                continue;
            };
            // `existing` pairs name a registry row; `input` pairs two batch rows.
            let later = registry + a;
            let earlier = if parts[0] == "existing" {
                b
            } else {
                registry + b
            };
            write!(w, "input,{later},{earlier}")?;
            for rest in &parts[3..] {
                write!(w, ",{rest}")?;
            }
            writeln!(w)?;
        }
        for line in extra {
            writeln!(w, "{line}")?;
        }
        w.flush()
    };
    renumber("pairs.csv", "pairs.csv", &[])?;
    let twin_lines: Vec<String> = twins
        .iter()
        .map(|&(a, b)| format!("input,{},{},twin", b + 1, a + 1))
        .collect();
    renumber("near_misses.csv", "near_misses.csv", &twin_lines)
}

/// A sibling name one sound away from `p`'s (An/Anh, Lan/Lam) when one exists in the lists.
fn similar_sibling_name(world: &World, rng: &mut ChaCha8Rng, p: &Person) -> Option<String> {
    let list = if p.male {
        names::GIVEN_MALE
    } else {
        names::GIVEN_FEMALE
    };
    let close: Vec<&str> = list
        .iter()
        .copied()
        .filter(|g| *g != p.given)
        .filter(|g| {
            let (a, b) = (fold(g), fold(p.given));
            syllable_key(&a) == syllable_key(&b) || strsim::jaro_winkler(&a, &b) >= 0.85
        })
        .collect();
    let given = close.choose(rng)?;
    let _ = world;
    Some(match p.name.rsplit_once(' ') {
        Some((rest, _)) => format!("{rest} {given}"),
        None => given.to_string(),
    })
}

/// A duplicate of `p`: a copy-book entry (same number) or a re-registration (new number, later
/// date), with zero to four corruptions.
/// `garble` is the chance that the child's given name is garbled past any spelling as well.
fn duplicate(world: &World, rng: &mut ChaCha8Rng, p: &Person, garble: f64) -> Row {
    let mut r = world.render(p);
    if rng.gen_bool(0.5) {
        let again = date_from_days(days(p.registered) + rng.gen_range(200..9000));
        r[col::NGAY_DK] = corrupt::date_text(again);
        r[col::LOAI_DK] = "2".into();
        r[col::SO] = rng.gen_range(1..400).to_string();
        r[col::QUYEN] = format!("{:02}/{}", rng.gen_range(1..4), again.2);
    }
    let k = match rng.gen::<f64>() {
        x if x < 0.10 => 0,
        x if x < 0.45 => 1,
        x if x < 0.75 => 2,
        x if x < 0.90 => 3,
        _ => 4,
    };
    for _ in 0..k {
        corrupt_once(rng, &mut r);
    }
    if rng.gen_bool(garble) {
        let edits = if rng.gen_bool(0.7) { 1 } else { 2 };
        if let Some(v) = corrupt::garble_given(&r[col::NAME], edits, rng) {
            r[col::NAME] = v;
        }
    }
    r
}

/// Twins and other near misses are keyed too: at most one small slip.
fn light_corruption(rng: &mut ChaCha8Rng, mut r: Row) -> Row {
    if rng.gen_bool(0.3) {
        corrupt_once(rng, &mut r);
    }
    r
}

/// One corruption of a random kind on a random field.
fn corrupt_once(rng: &mut ChaCha8Rng, r: &mut Row) {
    let name_field = |rng: &mut ChaCha8Rng| match rng.gen_range(0..10) {
        0..=5 => col::NAME,
        6..=7 => col::ME_NAME,
        _ => col::CHA_NAME,
    };
    match rng.gen_range(0..100) {
        // Lost diacritics (keyed without a Vietnamese keyboard).
        0..=11 => {
            let f = name_field(rng);
            r[f] = corrupt::strip_marks(&r[f]);
        }
        // Swapped tone mark.
        12..=23 => {
            let f = name_field(rng);
            if let Some(v) = corrupt::swap_tone(&r[f], rng) {
                r[f] = v;
            }
        }
        // A word garbled past any spelling.
        24..=29 => {
            let f = name_field(rng);
            if let Some(v) = corrupt::garble_given(&r[f], 1, rng) {
                r[f] = v;
            }
        }
        // Confused letter.
        30..=35 => {
            let f = name_field(rng);
            if let Some(v) = corrupt::confuse_letter(&r[f], rng) {
                r[f] = v;
            }
        }
        // Regional spelling.
        36..=45 => {
            let f = name_field(rng);
            if let Some(v) = corrupt::regional_spelling(&r[f], rng) {
                r[f] = v;
            }
        }
        // Dropped middle name.
        46..=52 => {
            let f = name_field(rng);
            if let Some(v) = corrupt::drop_middle(&r[f]) {
                r[f] = v;
            }
        }
        // Reformatted: capitals, slashes, abbreviations.
        53..=60 => match rng.gen_range(0..4) {
            0 => {
                let f = name_field(rng);
                r[f] = r[f].to_uppercase();
            }
            1 => r[col::BORN] = r[col::BORN].replace('.', "/"),
            2 => {
                r[col::PLACE] = r[col::PLACE]
                    .replace("Trạm y tế", "TYT")
                    .replace("Bệnh viện", "BV")
                    .replace("Nhà hộ sinh", "NHS")
            }
            _ => r[col::PLACE] = format!("  {}  ", r[col::PLACE].to_lowercase()),
        },
        // Partial date.
        61..=68 => {
            let f = [col::BORN, col::ME_BORN, col::CHA_BORN][rng.gen_range(0..3)];
            if let Some(y) = r[f].rsplit(['.', '/']).next().map(str::to_string) {
                if f == col::BORN && rng.gen_bool(0.5) {
                    let parts: Vec<&str> = r[f].split(['.', '/']).collect();
                    if parts.len() == 3 {
                        r[f] = format!("{}.{}", parts[1], parts[2]);
                        return;
                    }
                }
                r[f] = y;
            }
        }
        // Day and month swapped.
        69..=74 => {
            let parts: Vec<String> = r[col::BORN].split(['.', '/']).map(str::to_string).collect();
            if parts.len() == 3 && parts[0].parse::<u8>().is_ok_and(|d| d <= 12) {
                r[col::BORN] = format!("{}.{}.{}", parts[1], parts[0], parts[2]);
            }
        }
        // One wrong digit.
        75..=84 => {
            let f = if rng.gen_bool(0.7) {
                col::BORN
            } else {
                col::ME_BORN
            };
            let d = crate::dedup::record::parse_date(&r[f]);
            if !d.is_missing() {
                let t = corrupt::date_typo((d.day, d.month, d.year as i32), rng);
                r[f] = corrupt::date_text(t);
            }
        }
        // A blank field.
        85..=94 => {
            let f = [
                col::ME_NAME,
                col::ME_BORN,
                col::CHA_NAME,
                col::CHA_BORN,
                col::PLACE,
                col::SEX,
                col::ID,
            ][rng.gen_range(0..7)];
            r[f].clear();
        }
        // A parent's age-derived year off by one.
        _ => {
            let f = if rng.gen_bool(0.5) {
                col::ME_BORN
            } else {
                col::CHA_BORN
            };
            let d = crate::dedup::record::parse_date(&r[f]);
            if !d.is_missing() {
                r[f] = format!("{}", d.year as i32 + if rng.gen_bool(0.5) { 1 } else { -1 });
            }
        }
    }
}

fn csv_writer(path: &Path, headers: &[&str]) -> std::io::Result<csv::Writer<std::fs::File>> {
    let mut file = std::fs::File::create(path)?;
    file.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 20)
        .from_writer(file);
    w.write_record(headers)?;
    Ok(w)
}

fn write_row<W: Write>(
    w: &mut csv::Writer<W>,
    layout: &[Option<usize>],
    row: &Row,
) -> std::io::Result<()> {
    w.write_record(layout.iter().map(|c| match c {
        Some(i) => row[*i].as_str(),
        None => "",
    }))?;
    Ok(())
}
