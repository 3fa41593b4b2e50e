//! Planning the books of a synthetic set: edition, year, commune, volume, the look of the book,
//! and every page's entries with registration numbers and dates running through the book.

use super::dates::{add_days, day_number, DateFormat, WordsSpelling};
use super::entry::{make_entry, BookContext, EntryFacts};
use super::names::NameMaker;
use super::places::{self, Commune, PROVINCES};
use crate::normalize::PartialDate;
use crate::schema::{FormEdition, Schemas};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Last registration year of a synthetic book: fixed, so a set does not depend on the day it
/// was made, and in the past, so no registration date lies in the future.
pub const LAST_YEAR: i32 = 2024;

/// How the book's pages were stored by the scanning operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// One 8-bit grayscale PNG per page (some JPEG in the degraded profile).
    Pages,
    /// All pages in one multi-page TIFF.
    Tiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leader {
    /// A row of typed full stops.
    Periods,
    /// A printed dotted rule.
    DottedRule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// The look of a book: fonts, sizes, how values and dates are typed.
#[derive(Debug, Clone, PartialEq)]
pub struct BookStyle {
    /// Index into [`super::render::LABEL_FONTS`] (serif faces).
    pub label_font: usize,
    /// Index into [`super::render::VALUE_FONTS`].
    pub value_font: usize,
    /// Body size in points.
    pub points: f32,
    pub upper_case_names: bool,
    pub date_format: DateFormat,
    pub words: WordsSpelling,
    /// Share of addresses written without unit words ("Tân Phong, Vũ Thư, Thái Bình").
    pub short_address_share: f64,
    pub leader: Leader,
    pub heading_align: Align,
    pub header_align: Align,
    pub footer_align: Align,
    /// A rule between entries, else a wider gap.
    pub entry_rule: bool,
    /// Where the typed value starts after the label's colon, in ems.
    pub value_offset_em: f32,
    /// Margins in inches: left, right, top, bottom.
    pub margins: [f32; 4],
    pub label_ink: u8,
    pub value_ink: u8,
}

impl BookStyle {
    fn random(rng: &mut impl Rng, label_fonts: usize, value_fonts: usize) -> BookStyle {
        let align = |rng: &mut ChaCha8Rng| {
            *[Align::Left, Align::Centre, Align::Right]
                .choose(rng)
                .expect("aligns")
        };
        let mut r = ChaCha8Rng::seed_from_u64(rng.gen());
        BookStyle {
            label_font: r.gen_range(0..label_fonts.max(1)),
            value_font: r.gen_range(0..value_fonts.max(1)),
            points: r.gen_range(11.0..=13.0),
            upper_case_names: r.gen_bool(1.0 / 3.0),
            date_format: DateFormat::random(&mut r),
            words: WordsSpelling::random(&mut r),
            short_address_share: if r.gen_bool(0.3) { 0.5 } else { 0.0 },
            leader: if r.gen_bool(0.5) {
                Leader::Periods
            } else {
                Leader::DottedRule
            },
            heading_align: if r.gen_bool(0.6) {
                Align::Centre
            } else {
                Align::Left
            },
            header_align: align(&mut r),
            footer_align: align(&mut r),
            entry_rule: r.gen_bool(0.6),
            value_offset_em: r.gen_range(0.4..1.6),
            margins: [
                r.gen_range(0.7..0.95),
                r.gen_range(0.5..0.75),
                r.gen_range(0.5..0.75),
                r.gen_range(0.5..0.7),
            ],
            label_ink: r.gen_range(10..40),
            value_ink: r.gen_range(5..60),
        }
    }
}

/// One page: its number in the book and its entries top to bottom.
#[derive(Debug, Clone)]
pub struct PagePlan {
    pub number: u32,
    pub entries: Vec<EntryFacts>,
}

/// One book of the set, fully decided before anything is drawn.
#[derive(Debug, Clone)]
pub struct BookPlan {
    pub id: String,
    pub edition: FormEdition,
    pub year: i32,
    pub volume: String,
    pub commune: Commune,
    pub authority: String,
    pub storage: Storage,
    pub style: BookStyle,
    pub pages: Vec<PagePlan>,
    /// Seed of this book's page rendering (each page takes its own stream).
    pub render_seed: u64,
}

/// Provinces weighted so that about 85% of children are Kinh across a set.
fn pick_province(rng: &mut impl Rng) -> &'static places::Province {
    PROVINCES
        .choose_weighted(rng, |p| if p.minority_share > 0.3 { 0.3 } else { 1.0 })
        .expect("provinces")
}

/// Plans `books` books of `pages` pages each.
pub fn plan_books(
    rng: &mut ChaCha8Rng,
    schemas: &Schemas,
    register: &str,
    books: u32,
    pages: u32,
    label_fonts: usize,
    value_fonts: usize,
) -> Vec<BookPlan> {
    let editions: Vec<&FormEdition> = schemas.editions_of(register).collect();
    plan_books_with(
        rng,
        schemas,
        editions,
        books,
        pages,
        label_fonts,
        value_fonts,
    )
}

/// Plans `books` books of `pages` pages each, printed with the given editions (one each in
/// turn, in an order the seed draws).
pub fn plan_books_with(
    rng: &mut ChaCha8Rng,
    schemas: &Schemas,
    mut editions: Vec<&FormEdition>,
    books: u32,
    pages: u32,
    label_fonts: usize,
    value_fonts: usize,
) -> Vec<BookPlan> {
    editions.shuffle(rng);
    let mut plans: Vec<BookPlan> = Vec::new();
    for index in 0..books as usize {
        let edition = editions[index % editions.len()].clone();
        let mut book_rng = ChaCha8Rng::seed_from_u64(rng.gen());
        let plan = plan_book(
            &mut book_rng,
            schemas,
            edition,
            index,
            pages,
            label_fonts,
            value_fonts,
            &plans,
        );
        plans.push(plan);
    }
    plans
}

#[allow(clippy::too_many_arguments)]
fn plan_book(
    rng: &mut ChaCha8Rng,
    schemas: &Schemas,
    edition: FormEdition,
    index: usize,
    pages: u32,
    label_fonts: usize,
    value_fonts: usize,
    earlier: &[BookPlan],
) -> BookPlan {
    let (first, last) = edition.years;
    let last = last.min(LAST_YEAR).max(first);
    let year = rng.gen_range(first..=last);
    let province = pick_province(rng);
    let commune = places::random_commune_in(rng, province);
    let quyen = match rng.gen_range(0..20) {
        0 => 3,
        1..=3 => 2,
        _ => 1,
    };
    let volume = format!("{quyen:02}/{year}");
    let base_id = format!("ks-{year}-q{quyen:02}-{}", commune.slug());
    let mut id = base_id.clone();
    let mut n = 2;
    while earlier.iter().any(|b| b.id == id) {
        id = format!("{base_id}-{n}");
        n += 1;
    }
    let storage = if index % 3 == 1 {
        Storage::Tiff
    } else {
        Storage::Pages
    };
    let style = BookStyle::random(rng, label_fonts, value_fonts);
    let names = NameMaker::new(province.region);
    let vice_sex = super::names::Sex::random(rng);
    let signers = vec![
        (
            names.full(rng, super::names::Sex::Male, "01"),
            "Chủ tịch".to_string(),
        ),
        (names.full(rng, vice_sex, "01"), "Phó Chủ tịch".to_string()),
    ];
    let clerks: Vec<String> = (0..rng.gen_range(1..=2))
        .map(|_| {
            let sex = super::names::Sex::random(rng);
            names.full(rng, sex, "01")
        })
        .collect();

    let (min, max) = edition.entries_per_page;
    let counts: Vec<u32> = (0..pages).map(|_| rng.gen_range(min..=max)).collect();
    let total: u32 = counts.iter().sum();
    let dates = registration_dates(rng, year, total as usize);

    let authority = commune.authority();
    let ctx = BookContext {
        commune: &commune,
        style: &style,
        names: &names,
        codes: &schemas.codes,
        signers: &signers,
        clerks: &clerks,
    };
    let mut so = 0;
    let mut page_plans = Vec::new();
    for (i, count) in counts.iter().enumerate() {
        let mut entries = Vec::new();
        for _ in 0..*count {
            let registration = dates[so as usize];
            so += 1;
            entries.push(make_entry(rng, &ctx, so, registration));
        }
        page_plans.push(PagePlan {
            number: i as u32 + 1,
            entries,
        });
    }
    BookPlan {
        id,
        edition,
        year,
        volume,
        commune: commune.clone(),
        authority,
        storage,
        style,
        pages: page_plans,
        render_seed: rng.gen(),
    }
}

/// `n` non-decreasing dates within the year.
fn registration_dates(rng: &mut impl Rng, year: i32, n: usize) -> Vec<PartialDate> {
    let first = day_number(&PartialDate::full(1, 1, year));
    let last = day_number(&PartialDate::full(31, 12, year));
    let mut days: Vec<i64> = (0..n).map(|_| rng.gen_range(first..=last)).collect();
    days.sort_unstable();
    days.into_iter().map(add_days).collect()
}
