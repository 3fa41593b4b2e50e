use super::*;
use crate::schema::Schemas;

/// A cell as a workbook holds it: the bytes as Windows-1252 characters.
fn cell(bytes: &[u8]) -> String {
    cp1252::decode(bytes)
}

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

fn converted(bytes: &str) -> Option<(Encoding, String)> {
    detect(&cell(&hex(bytes)), None).map(|c| (c.encoding, c.text))
}

#[test]
fn sample_words_of_the_domain_reference_are_converted() {
    // Table 9.2, verified bytes.
    let cases = [
        ("4E 67 75 79 D4 6E", Encoding::Tcvn3, "Nguyễn"),
        ("4E 67 75 79 65 E3 6E", Encoding::Vni, "Nguyễn"),
        ("4E 67 75 79 EA DE 6E", Encoding::Windows1258, "Nguyễn"),
        (
            "54 72 C7 6E 20 54 68 DE 20 48 BB 6E 67",
            Encoding::Tcvn3,
            "Trần Thị Hằng",
        ),
        (
            "54 72 61 E0 6E 20 54 68 F2 20 48 61 E8 6E 67",
            Encoding::Vni,
            "Trần Thị Hằng",
        ),
        (
            "54 72 E2 CC 6E 20 54 68 69 F2 20 48 E3 CC 6E 67",
            Encoding::Windows1258,
            "Trần Thị Hằng",
        ),
        (
            "A7 C6 6E 67 20 56 A8 6E 20 4C A9 6D",
            Encoding::Tcvn3,
            "Đặng Văn Lâm",
        ),
        (
            "D1 61 EB 6E 67 20 56 61 EA 6E 20 4C 61 E2 6D",
            Encoding::Vni,
            "Đặng Văn Lâm",
        ),
        (
            "D0 E3 F2 6E 67 20 56 E3 6E 20 4C E2 6D",
            Encoding::Windows1258,
            "Đặng Văn Lâm",
        ),
        ("50 68 B9 6D", Encoding::Tcvn3, "Phạm"),
        ("50 68 61 EF 6D", Encoding::Vni, "Phạm"),
        ("50 68 61 F2 6D", Encoding::Windows1258, "Phạm"),
        ("48 6F B5 6E 67", Encoding::Tcvn3, "Hoàng"),
        ("48 6F 61 F8 6E 67", Encoding::Vni, "Hoàng"),
        ("48 6F 61 CC 6E 67", Encoding::Windows1258, "Hoàng"),
        ("48 75 FA 6E 68", Encoding::Tcvn3, "Huỳnh"),
        ("48 75 79 F8 6E 68", Encoding::Vni, "Huỳnh"),
        ("48 75 79 CC 6E 68", Encoding::Windows1258, "Huỳnh"),
        ("A7 E7", Encoding::Tcvn3, "Đỗ"),
        ("D1 6F E3", Encoding::Vni, "Đỗ"),
        ("D0 F4 DE", Encoding::Windows1258, "Đỗ"),
        ("44 AD AC 6E 67", Encoding::Tcvn3, "Dương"),
        ("44 F6 F4 6E 67", Encoding::Vni, "Dương"),
        ("44 FD F5 6E 67", Encoding::Windows1258, "Dương"),
        ("4C AA", Encoding::Tcvn3, "Lê"),
        ("4C 65 E2", Encoding::Vni, "Lê"),
        ("42 EF 69", Encoding::Tcvn3, "Bùi"),
        ("42 75 F8 69", Encoding::Vni, "Bùi"),
        ("42 75 CC 69", Encoding::Windows1258, "Bùi"),
        ("4E 67 AB", Encoding::Tcvn3, "Ngô"),
        ("4E 67 6F E2", Encoding::Vni, "Ngô"),
        ("48 E5", Encoding::Tcvn3, "Hồ"),
        // VNI "Hồ" (48 6F E0) shows as "Hoà", a Unicode name in its own right: only the
        // font or the sheet tells (see the_sheet_decides_words_that_read_both_ways).
        ("48 F4 CC", Encoding::Windows1258, "Hồ"),
    ];
    for (bytes, encoding, text) in cases {
        assert_eq!(
            converted(bytes),
            Some((encoding, text.to_string())),
            "{bytes}"
        );
    }
}

#[test]
fn encodings_that_look_like_unicode_need_no_conversion() {
    // Windows-1258 "Lê" (4C EA) and "Ngô" (4E 67 F4) are the same characters as Unicode.
    assert_eq!(converted("4C EA"), None);
    assert_eq!(converted("4E 67 F4"), None);
}

#[test]
fn utf8_read_as_windows_1252_is_undone() {
    let mojibake = cell("Nguyễn Văn Ánh".as_bytes());
    assert_eq!(mojibake, "Nguyá»…n VÄƒn Ã\u{81}nh");
    let c = detect(&mojibake, None).unwrap();
    assert_eq!(c.encoding, Encoding::Utf8AsWindows1252);
    assert_eq!(c.text, "Nguyễn Văn Ánh");
}

#[test]
fn capitals_lost_by_tcvn3_are_restored() {
    // NGUYỄN VĂN ĐỨC in a capitals font: toned letters use the lower-case bytes.
    let upper = cell(&hex("4E 47 55 59 D4 4E 20 56 A1 4E 20 A7 F8 43"));
    assert_eq!(detect(&upper, None).unwrap().text, "NGUYỄN VĂN ĐỨC");
    // "Ánh" opening with a toned capital among capitalised words.
    let title = cell(&hex("4C AA 20 B8 6E 68"));
    assert_eq!(detect(&title, None).unwrap().text, "Lê Ánh");
}

#[test]
fn mixed_cells_convert_only_their_legacy_words() {
    let mixed = format!("Nguyễn {} Hằng", cell(&hex("54 68 DE")));
    let c = detect(&mixed, None).unwrap();
    assert_eq!(c.encoding, Encoding::Tcvn3);
    assert_eq!(c.text, "Nguyễn Thị Hằng");
    // With an address in ASCII figures and punctuation around the legacy words.
    let address = format!(
        "Sè 12, {}",
        cell(&hex("A7 AD EA 6E 67 20 4C AA 20 4C EE 69"))
    );
    assert_eq!(detect(&address, None).unwrap().text, "Số 12, Đường Lê Lợi");
}

#[test]
fn decomposed_unicode_is_composed() {
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323}";
    let c = detect(nfd, None).unwrap();
    assert_eq!(c.encoding, Encoding::Decomposed);
    assert_eq!(c.text, "Nguyễn Thị");
    // Unikey's "Unicode tổ hợp": the hat precomposed, the tone apart.
    assert_eq!(detect("Nguy\u{ea}\u{303}n", None).unwrap().text, "Nguyễn");
}

#[test]
fn the_font_decides_for_its_encoding() {
    // As Unicode "Võ" is a name; in a .VnTime cell the same bytes were typed as TCVN3 "Vừ".
    let text = cell(&hex("56 F5"));
    assert_eq!(text, "Võ");
    assert_eq!(detect(&text, None), None);
    let font = Encoding::of_font(".VnTime");
    let c = detect(&text, font).unwrap();
    assert_eq!((c.encoding, c.text.as_str()), (Encoding::Tcvn3, "Vừ"));
    // A Unicode font says nothing.
    assert_eq!(Encoding::of_font("Times New Roman"), None);
    assert_eq!(Encoding::of_font("VNI-Times"), Some(Encoding::Vni));
}

#[test]
fn the_sheet_decides_words_that_read_both_ways() {
    let vni = |t: &str| encode(t, Encoding::Vni).unwrap();
    let sheet: Vec<String> = ["Trần Thị Hằng", "Nguyễn Văn Lâm", "Đặng Văn An", "Hồ"]
        .iter()
        .map(|t| vni(t))
        .collect();
    assert_eq!(sheet[3], "Hoà");
    let hint = sheet_encoding(sheet.iter().map(String::as_str));
    assert_eq!(hint, Some(Encoding::Vni));
    assert_eq!(detect(&sheet[3], hint).unwrap().text, "Hồ");
    // A Unicode sheet with one legacy cell gives no hint: its other cells stay as they are.
    let unicode = [
        "Nguyễn Văn Lâm",
        "Trần Thị Hằng",
        "Hoà",
        "Lê Văn Tư",
        &sheet[0],
    ];
    assert_eq!(sheet_encoding(unicode.iter().copied()), None);
}

#[test]
fn ordinary_text_is_left_alone() {
    for text in [
        "Nguyễn Văn An",
        "NGUYỄN THỊ TUYẾT MAI",
        "Võ Hà",
        "José Müller",
        "H'Hen Niê",
        "Ksor Y Moan",
        "15/03/1998",
        "UBND xã An Nhơn, huyện Đạ Tẻh, tỉnh Lâm Đồng",
        "Bệnh Viện Phụ Sản Hải Phòng",
        "Mẹ Đẻ",
        "",
        "Ông bà — anh chị",
    ] {
        assert_eq!(detect(text, None), None, "{text}");
    }
}

/// Every Vietnamese text the schemas hold: names, places, code labels, messages, words.
fn corpus() -> Vec<String> {
    let s = Schemas::load(&Schemas::locate(None)).expect("schemas");
    let c = &s.codes;
    let mut out: Vec<String> = Vec::new();
    out.extend(c.family_names.iter().cloned());
    out.extend(c.middle_names.iter().cloned());
    out.extend(c.given_names.iter().cloned());
    out.extend(c.provinces.iter().cloned());
    for g in &c.ethnicity.groups {
        out.push(g.name.clone());
        out.extend(g.aliases.iter().cloned());
    }
    for n in &c.nationalities {
        out.push(n.name.clone());
        out.extend(n.aliases.iter().cloned());
    }
    for t in &c.tables {
        for e in &t.entries {
            out.push(e.name.clone());
            out.extend(e.labels.iter().cloned());
        }
    }
    for r in s.registers.values() {
        out.push(r.name_vi.clone());
        out.extend(r.rules.iter().map(|x| x.vi.clone()));
        out.extend(r.person_words.values().flatten().cloned());
    }
    out.sort();
    out.dedup();
    out
}

/// The text written in a legacy encoding, as a workbook cell holds it; `None` when a letter
/// has no bytes there.
fn encode(text: &str, encoding: Encoding) -> Option<String> {
    let mut bytes = Vec::new();
    for c in text.nfc() {
        if c.is_ascii() {
            bytes.push(c as u8);
            continue;
        }
        let l = LETTERS.iter().find(|l| l.lower == c || l.upper == c)?;
        let upper = l.upper == c;
        let b = match (encoding, upper) {
            (Encoding::Tcvn3, false) => l.tcvn3,
            (Encoding::Tcvn3, true) => l.tcvn3_upper,
            (Encoding::Vni, false) => l.vni,
            (Encoding::Vni, true) => l.vni_upper,
            (Encoding::Windows1258, false) => l.cp1258,
            (Encoding::Windows1258, true) => l.cp1258_upper,
            (Encoding::Utf8AsWindows1252, _) => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            (Encoding::Decomposed, _) => return None,
        };
        bytes.extend_from_slice(b);
    }
    Some(cell(&bytes))
}

/// Figures for the README: legacy encodings found in text that is ordinary Unicode (false
/// positives) over every name, place and label of the schemas, in their own, capital and lower
/// case, and how many of the same texts written in each legacy encoding come back right.
/// `cargo test --release --lib check::legacy::tests::measured -- --nocapture` prints them.
#[test]
fn measured_false_positives_and_recovery() {
    let mut texts = Vec::new();
    for t in corpus() {
        texts.push(t.to_uppercase());
        texts.push(t.to_lowercase());
        texts.push(t);
    }
    texts.sort();
    texts.dedup();
    let flagged: Vec<&String> = texts.iter().filter(|t| detect(t, None).is_some()).collect();
    println!(
        "false positives: {} of {} Unicode texts ({} distinct words)",
        flagged.len(),
        texts.len(),
        texts
            .iter()
            .flat_map(|t| t.split_whitespace())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    assert!(flagged.is_empty(), "flagged as legacy: {flagged:?}");

    // Full names as cells hold them: family, middle and given names of the lists, combined.
    let s = Schemas::load(&Schemas::locate(None)).expect("schemas");
    let c = &s.codes;
    let mut names = Vec::new();
    for (i, family) in c.family_names.iter().enumerate() {
        for (j, middle) in c.middle_names.iter().enumerate().skip(i % 7).step_by(7) {
            let given = &c.given_names[(i * 31 + j * 17) % c.given_names.len()];
            let name = format!("{family} {middle} {given}");
            names.push(if (i + j) % 3 == 0 {
                name.to_uppercase()
            } else {
                name
            });
        }
    }
    let flagged_names = names.iter().filter(|t| detect(t, None).is_some()).count();
    println!(
        "false positives: {flagged_names} of {} full names",
        names.len()
    );
    assert_eq!(flagged_names, 0);
    report_recovery("single texts", &texts, None, 0.90);
    report_recovery("full names", &names, None, 0.97);
    for encoding in [Encoding::Tcvn3, Encoding::Vni, Encoding::Windows1258] {
        report_recovery(
            "single texts, sheet in that encoding",
            &texts,
            Some(encoding),
            0.97,
        );
    }
}

/// How many of the texts, written in each legacy encoding, are found and come back right.
fn report_recovery(what: &str, texts: &[String], sheet: Option<Encoding>, floor: f64) {
    for encoding in [
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Windows1258,
        Encoding::Utf8AsWindows1252,
    ]
    .into_iter()
    .filter(|e| sheet.is_none_or(|s| s == *e))
    {
        let (mut tried, mut found, mut exact, mut missed) = (0, 0, 0, Vec::new());
        for t in texts {
            let Some(keyed) = encode(t, encoding) else {
                continue;
            };
            if keyed == *t {
                continue; // nothing to convert (ASCII, or the same characters)
            }
            tried += 1;
            match detect(&keyed, sheet) {
                Some(c) if c.encoding == encoding => {
                    found += 1;
                    if c.text == *t {
                        exact += 1;
                    } else if c.text.to_lowercase() != t.to_lowercase() {
                        missed.push(format!("{t} -> {}", c.text));
                    }
                }
                Some(c) => missed.push(format!("{t} -> {:?} {}", c.encoding, c.text)),
                None => missed.push(format!("{t} -> not found")),
            }
        }
        println!(
            "{what}, {}: {found} of {tried} found ({:.2}%), {exact} exactly as written ({:.2}%); missed or wrong: {}",
            encoding.name(),
            100.0 * found as f64 / tried as f64,
            100.0 * exact as f64 / tried as f64,
            missed.len()
        );
        for m in missed.iter().take(12) {
            println!("    {m}");
        }
        assert!(
            found as f64 >= floor * tried as f64,
            "{what}, {}: only {found} of {tried}",
            encoding.name()
        );
    }
}
