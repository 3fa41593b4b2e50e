//! Tests of the synthetic sets: determinism, truth shape, realistic and consistent values.
//! Only two tests render, one page each.

use super::book::{plan_books, BookPlan, LAST_YEAR};
use super::print::print_page;
use super::*;
use crate::normalize::PartialDate;
use crate::schema::{EditionItem, EditionLine, Schemas};
use std::collections::BTreeSet;

fn schemas() -> Schemas {
    Schemas::load(&Schemas::locate(None)).expect("project schemas load")
}

fn plans(seed: u64, books: u32, pages: u32, schemas: &Schemas) -> Vec<BookPlan> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    plan_books(&mut rng, schemas, "KS", books, pages, 2, 5)
}

/// Truth rows of a whole plan, keyed by column.
fn truth_rows(plans: &[BookPlan], schemas: &Schemas) -> Vec<(String, Vec<(String, String)>)> {
    let reg = schemas.register("KS").unwrap();
    let mut out = Vec::new();
    for plan in plans {
        for page in &plan.pages {
            let sheet = print_page(plan, page, reg, &schemas.codes);
            for row in sheet.truth {
                let keyed = reg.keys().map(str::to_string).zip(row).collect();
                out.push((plan.edition.id.clone(), keyed));
            }
        }
    }
    out
}

fn get<'a>(row: &'a [(String, String)], key: &str) -> &'a str {
    &row.iter().find(|(k, _)| k == key).expect(key).1
}

fn date(s: &str) -> PartialDate {
    let parts: Vec<i32> = s.split('.').map(|p| p.parse().unwrap()).collect();
    match parts[..] {
        [d, m, y] => PartialDate::full(d as u8, m as u8, y),
        [y] => PartialDate::year_only(y),
        _ => panic!("unexpected date {s}"),
    }
}

#[test]
fn an_unknown_profile_is_a_clear_error() {
    let err = "worn".parse::<Profile>().unwrap_err().to_string();
    assert!(err.contains("\"worn\""), "{err}");
    assert!(err.contains("clean or degraded"), "{err}");
    assert_eq!("degraded".parse::<Profile>().unwrap(), Profile::Degraded);
}

#[test]
fn the_same_seed_plans_the_same_set_and_another_seed_does_not() {
    let s = schemas();
    let a = truth_rows(&plans(9, 4, 3, &s), &s);
    let b = truth_rows(&plans(9, 4, 3, &s), &s);
    let c = truth_rows(&plans(10, 4, 3, &s), &s);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn every_edition_appears_and_years_fit_the_edition() {
    let s = schemas();
    let books = plans(5, 8, 1, &s);
    let used: BTreeSet<&str> = books.iter().map(|b| b.edition.id.as_str()).collect();
    assert_eq!(used.len(), s.editions_of("KS").count());
    let ids: BTreeSet<&str> = books.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids.len(), books.len(), "book ids are unique");
    for b in &books {
        let (first, last) = b.edition.years;
        assert!(
            b.year >= first && b.year <= last.min(LAST_YEAR),
            "{} {}",
            b.id,
            b.year
        );
        assert!(b.id.is_ascii() && !b.id.contains(' '), "{}", b.id);
        assert!(b.volume.ends_with(&format!("/{}", b.year)));
    }
    assert!(books.iter().any(|b| b.storage == book::Storage::Tiff));
}

#[test]
fn truth_rows_hold_what_each_edition_prints() {
    let s = schemas();
    let rows = truth_rows(&plans(21, 8, 4, &s), &s);
    for (edition, row) in &rows {
        let ed = s.editions.iter().find(|e| &e.id == edition).unwrap();
        let printed = |field: &str| ed.items().any(|i| i.field == field);
        assert!(!get(row, "quyenSo").is_empty());
        assert!(get(row, "noiDangKy").starts_with("UBND "));
        assert!(get(row, "STT").is_empty());
        assert!(!get(row, "nksHoTen").is_empty());
        assert!(["1", "2"].contains(&get(row, "nksGioiTinh")));
        let reg_type = get(row, "loaiDangKy");
        if printed("loaiDangKy") {
            assert!(["1", "2", "4"].contains(&reg_type), "{reg_type}");
        } else {
            assert_eq!(reg_type, "6");
        }
        assert_eq!(get(row, "trangSo").is_empty(), !printed("trangSo"));
        assert_eq!(
            get(row, "nksNgaySinhBangChu").is_empty(),
            !printed("nksNgaySinhBangChu")
        );
        if printed("nksNgaySinhBangChu") {
            let birth = date(get(row, "nksNgaySinh"));
            assert_eq!(
                get(row, "nksNgaySinhBangChu"),
                crate::normalize::canonical_date_words(&birth)
            );
        }
        let case = get(row, "nksLoaiKhaiSinh");
        assert_eq!(case == "3" || case == "4", get(row, "chaHoTen").is_empty());
        assert_eq!(case == "2" || case == "4", get(row, "meHoTen").is_empty());
        let doc = get(row, "nycSoGiayToTuyThan");
        match get(row, "nycLoaiGiayToTuyThan") {
            "" => assert!(doc.is_empty()),
            "1" => assert!(doc.len() == 9 && doc.bytes().all(|b| b.is_ascii_digit())),
            "4" => assert!(doc.len() == 12 && doc.bytes().all(|b| b.is_ascii_digit())),
            "2" => assert_eq!(doc.len(), 8),
            other => panic!("document type {other}"),
        }
        for key in ["nksHoTen", "meHoTen", "chaHoTen", "nycHoTen"] {
            let name = get(row, key);
            assert_eq!(name, crate::text::title_case(name), "{key} is title case");
        }
        if printed("nksDanToc") {
            let ethnicity = get(row, "nksDanToc");
            assert!(s.codes.ethnicity.groups.iter().any(|g| g.name == ethnicity));
        }
    }
    let without_father = rows.iter().filter(|(_, r)| get(r, "chaHoTen").is_empty());
    assert!(without_father.count() < rows.len() / 10);
}

#[test]
fn id_numbers_are_valid_for_the_child() {
    let s = schemas();
    let rows = truth_rows(&plans(33, 12, 6, &s), &s);
    let mut checked = 0;
    for (_, row) in &rows {
        let id = get(row, "nksSoDinhDanh");
        if id.is_empty() {
            continue;
        }
        checked += 1;
        assert_eq!(id.len(), 12, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");
        let province = &id[1..3];
        assert!(
            places::PROVINCES.iter().any(|p| p.code == province),
            "{id}: province {province}"
        );
        let birth = date(get(row, "nksNgaySinh"));
        let g: i32 = id[3..4].parse().unwrap();
        let female = get(row, "nksGioiTinh") == "2";
        assert_eq!(g % 2 == 1, female, "{id}: sex digit");
        assert_eq!(
            1900 + 100 * (g / 2) + id[4..6].parse::<i32>().unwrap(),
            birth.year
        );
    }
    assert!(checked > 5, "only {checked} ID numbers");
}

#[test]
fn dates_are_consistent_through_the_book() {
    let s = schemas();
    let books = plans(44, 8, 6, &s);
    let rows = truth_rows(&books, &s);
    for b in &books {
        let mut last = None;
        let mut so = 0;
        for page in &b.pages {
            for e in &page.entries {
                so += 1;
                assert_eq!(e.so, so, "numbers run through the book");
                assert_eq!(e.registration.year, b.year);
                let day = dates::day_number(&e.registration);
                assert!(
                    last.is_none_or(|l| l <= day),
                    "registration dates go forward"
                );
                last = Some(day);
                let birth = dates::day_number(&e.child.birth);
                assert!(birth <= day, "born before registration");
                for parent in [&e.mother, &e.father].into_iter().flatten() {
                    let age = (birth - dates::day_number(&parent.birth)) / 365;
                    assert!((18..=45).contains(&age), "parent aged {age} at the birth");
                }
                if let Some(m) = &e.mother {
                    let age = (birth - dates::day_number(&m.birth)) / 365;
                    assert!(age <= 42, "mother aged {age}");
                }
            }
        }
    }
    for (_, row) in &rows {
        let reg = date(get(row, "ngayDangKy"));
        let birth = date(get(row, "nksNgaySinh"));
        assert_ne!(birth.compare(&reg), Some(std::cmp::Ordering::Greater));
        for key in ["meNgaySinh", "chaNgaySinh"] {
            let v = get(row, key);
            if !v.is_empty() {
                assert!(date(v).year < birth.year, "{key} {v} before {}", birth.year);
            }
        }
    }
}

#[test]
fn values_are_varied_and_mostly_kinh() {
    let s = schemas();
    let rows = truth_rows(&plans(55, 30, 5, &s), &s);
    let distinct = |key: &str| {
        rows.iter()
            .map(|(_, r)| get(r, key).to_string())
            .collect::<BTreeSet<_>>()
            .len()
    };
    assert!(distinct("nksHoTen") > rows.len() * 9 / 10);
    assert!(distinct("noiDangKy") >= 25);
    assert!(distinct("nksNoiSinh") > 50);
    let kinh = rows
        .iter()
        .filter(|(_, r)| get(r, "nksDanToc") == "Kinh")
        .count() as f64;
    let with_ethnicity = rows
        .iter()
        .filter(|(_, r)| !get(r, "nksDanToc").is_empty())
        .count() as f64;
    let share = kinh / with_ethnicity;
    assert!((0.7..0.97).contains(&share), "Kinh share {share}");
}

/// A new edition is data only: unusual labels, a field the generator has no value for, a
/// heading with items, and it still prints (the unknown field as a blank leader).
#[test]
fn a_new_edition_prints_with_no_code_change() {
    let s = schemas();
    let mut books = plans(3, 1, 1, &s);
    let book = &mut books[0];
    let mut ed = s.editions_of("KS").next().unwrap().clone();
    ed.id = "KS-TEST".into();
    ed.title = Some("SỔ THỬ".into());
    ed.page_footer = vec![EditionItem {
        label: "Tờ số".into(),
        field: "trangSo".into(),
        style: Default::default(),
    }];
    ed.lines.push(EditionLine {
        heading: Some("Phần thêm".into()),
        person: Some("nks".into()),
        items: vec![EditionItem {
            label: "Nơi sinh (đơn vị hành chính)".into(),
            field: "nksNoiSinhDVHC".into(),
            style: Default::default(),
        }],
    });
    book.edition = ed;
    let reg = s.register("KS").unwrap();
    let sheet = print_page(book, &book.pages[0], reg, &s.codes);
    assert_eq!(sheet.page.title.as_deref(), Some("SỔ THỬ"));
    assert_eq!(sheet.page.footer[0].value.as_deref(), Some("1"));
    let last = sheet.page.entries[0].last().unwrap();
    match last {
        layout::PrintedLine::Items(items) => assert_eq!(items[0].value, None),
        other => panic!("expected the extra line, got {other:?}"),
    }
    let trang = reg.keys().position(|k| k == "trangSo").unwrap();
    assert_eq!(sheet.truth[0][trang], "1");
}

#[test]
fn a_rendered_page_is_a4_non_blank_and_repeatable() {
    let s = schemas();
    let fonts = Fonts::load(Path::new(render::FONT_DIR)).expect("fonts installed");
    let books = plans(8, 1, 1, &s);
    let reg = s.register("KS").unwrap();
    let sheet = print_page(&books[0], &books[0].pages[0], reg, &s.codes);
    let opts = SynthOptions::new("unused", 1, 1);
    let (img, jpeg) = render_page(&books[0], 0, &sheet, &fonts, &opts);
    assert_eq!(img.dimensions(), (1654, 2339));
    assert_eq!(jpeg, None, "clean pages are PNG");
    let dark = img.pixels().filter(|p| p[0] < 128).count();
    assert!(dark > 20_000, "only {dark} dark pixels");
    let white = img.pixels().filter(|p| p[0] == 255).count();
    assert!(white > img.len() / 2, "clean paper is white");
    let (again, _) = render_page(&books[0], 0, &sheet, &fonts, &opts);
    assert!(img == again, "rendering is deterministic");
}

#[test]
fn generate_writes_books_images_and_one_truth_row_per_entry() {
    let s = schemas();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("set");
    let mut opts = SynthOptions::new(&out, 1, 1);
    opts.seed = 4;
    opts.dpi = 72;
    let summary = generate(&opts, &s).unwrap();
    assert_eq!(summary.books.len(), 1);
    let book_dir = out.join("scans").join(&summary.books[0]);
    let meta = crate::ingest::read_book_meta(&book_dir.join("book.toml")).unwrap();
    assert_eq!(meta.register, "KS");
    for key in [
        "ward_code",
        "district_code",
        "province_code",
        "district_initials",
        "province_initials",
    ] {
        assert!(meta.get(key).is_some_and(|v| !v.is_empty()), "{key}");
    }
    assert_eq!(meta.get("ward_code").unwrap().len(), 5);
    assert!(book_dir.join("page-001.png").is_file());

    let mut rdr = csv::Reader::from_path(&summary.truth).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let reg = s.register("KS").unwrap();
    let mut expected = vec!["book_id", "page", "entry", "register"];
    expected.extend(reg.keys());
    assert_eq!(header, expected);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), summary.entries);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(&r[0], summary.books[0]);
        assert_eq!(&r[1], "1");
        assert_eq!(r[2], (i + 1).to_string());
        assert_eq!(&r[3], "KS");
        assert_eq!(&r[4], "", "STT");
        assert_eq!(&r[5], (i + 1).to_string(), "so runs from 1");
        assert_eq!(&r[6], meta.volume, "quyenSo is the volume");
    }

    // Running again replaces the set; a folder of other files is refused.
    generate(&opts, &s).unwrap();
    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let mut other = opts.clone();
    other.out = foreign;
    assert!(matches!(generate(&other, &s), Err(SynthError::NotOurs(_))));
}

#[test]
fn long_labels_sharing_a_line_leave_each_value_its_size() {
    use super::layout::{layout_page, Op, PrintedItem, PrintedLine, PrintedPage};
    let s = schemas();
    let fonts = Fonts::load(Path::new(render::FONT_DIR)).expect("fonts installed");
    let books = plans(8, 1, 1, &s);
    let style = &books[0].style;
    let book_fonts = fonts.for_book(style.label_font, style.value_font);
    let item = |label: &str, value: &str, width_em: f32| PrintedItem {
        label: label.into(),
        value: Some(value.into()),
        width_em,
    };
    let page = PrintedPage {
        title: None,
        header: Vec::new(),
        entries: vec![vec![PrintedLine::Items(vec![
            item("Thuộc thành phần dân tộc", "Kinh", 4.0),
            item("Quê quán của con", "Mộc Châu, Sơn La", 30.0),
        ])]],
        footer: Vec::new(),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let laid = layout_page(&mut rng, &page, style, &book_fonts, 200);
    let em_of = |text: &str| {
        laid.ops
            .iter()
            .find_map(|op| match op {
                Op::Text { text: t, em, .. } if t == text => Some(*em),
                _ => None,
            })
            .unwrap()
    };
    let label_em = em_of("Thuộc thành phần dân tộc:");
    let typed = label_em * book_fonts.value_scale();
    let kinh = em_of("Kinh");
    assert!(
        (kinh - typed).abs() < 1e-3,
        "a short value keeps its size: {kinh} for {typed}"
    );
}
