//! A workbook's header row matched to a register's template columns, the way the ministry's
//! importer and the contractors' converters match them (domain reference 1.2): by the leading
//! key of the header (up to the first space or line feed, so `loaiDangKy \ni=[1,2,3]` is
//! `loaiDangKy`), in any case. A header matching no column is reported, never guessed; so is a
//! template column no header names. The register itself is found from the headers when not
//! given: the one whose columns the most headers name.

use crate::schema::{Column, RegisterSchema, Schemas};

/// The key a header carries: its leading run of ASCII letters and digits, after spaces.
pub fn leading_key(header: &str) -> &str {
    let h = header.trim_start();
    let end = h
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .unwrap_or(h.len());
    &h[..end]
}

/// How each column of the sheet maps to the register.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// For each sheet column, the index of its register column in
    /// [`RegisterSchema::with_variant_columns`] order; `None` for unknown, empty or repeated
    /// headers.
    pub columns: Vec<Option<usize>>,
    /// Sheet columns whose header names no column (with the header as written).
    pub unknown: Vec<(usize, String)>,
    /// Sheet columns repeating an earlier header: (this column, the first one).
    pub repeated: Vec<(usize, usize)>,
    /// Register columns (same indexing) no header names.
    pub missing: Vec<usize>,
}

/// Matches a header row to a register (its template and variant columns).
pub fn map_headers(headers: &[String], register: &RegisterSchema) -> HeaderMap {
    let wide: Vec<&Column> = register.readable_columns().collect();
    let mut columns = vec![None; headers.len()];
    let mut first_at: Vec<Option<usize>> = vec![None; wide.len()];
    let mut unknown = Vec::new();
    let mut repeated = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let key = leading_key(header);
        if key.is_empty() {
            if !header.trim().is_empty() {
                unknown.push((i, header.clone()));
            }
            continue;
        }
        match wide.iter().position(|c| c.answers_to(key)) {
            Some(j) => match first_at[j] {
                Some(first) => repeated.push((i, first)),
                None => {
                    first_at[j] = Some(i);
                    columns[i] = Some(j);
                }
            },
            None => unknown.push((i, header.clone())),
        }
    }
    let template = register.columns.len();
    let missing = (0..template).filter(|j| first_at[*j].is_none()).collect();
    HeaderMap {
        columns,
        unknown,
        repeated,
        missing,
    }
}

/// The register a header row belongs to, or why none could be chosen.
pub fn detect_register<'a>(
    headers: &[String],
    schemas: &'a Schemas,
) -> Result<&'a RegisterSchema, String> {
    let named = headers
        .iter()
        .filter(|h| !leading_key(h).is_empty())
        .count();
    let mut scored: Vec<(usize, &RegisterSchema)> = schemas
        .registers
        .values()
        .map(|r| {
            let matched = map_headers(headers, r)
                .columns
                .iter()
                .filter(|c| c.is_some())
                .count();
            (matched, r)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    let Some(&(best, register)) = scored.first() else {
        return Err("no register schema is loaded".into());
    };
    let runner_up = scored.get(1).map(|s| s.0).unwrap_or(0);
    if best < 3 || best * 2 < named {
        return Err(format!(
            "its headers match no register's template ({best} of {named} headers name columns of \
             {}, the closest): name the register with --register",
            register.code
        ));
    }
    if best == runner_up {
        let tied: Vec<&str> = scored
            .iter()
            .filter(|s| s.0 == best)
            .map(|s| s.1.code.as_str())
            .collect();
        return Err(format!(
            "its headers fit the registers {} equally well: name one with --register",
            tied.join(", ")
        ));
    }
    Ok(register)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> Schemas {
        Schemas::load(&Schemas::locate(None)).unwrap()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_leading_key_ignores_spaces_suffixes_and_case() {
        assert_eq!(leading_key("loaiDangKy \ni=[1,2,3,4,5,6]"), "loaiDangKy");
        assert_eq!(
            leading_key("nksLoaiKhaiSinh\ni=[1,2,3,4,5]"),
            "nksLoaiKhaiSinh"
        );
        assert_eq!(leading_key("  so "), "so");
        assert_eq!(leading_key("NOIDANGKY UBND xã"), "NOIDANGKY");
        assert_eq!(leading_key("(ghi chú)"), "");
    }

    #[test]
    fn headers_map_by_key_and_report_the_rest() {
        let s = schemas();
        let ks = s.register("KS").unwrap();
        let h = strings(&[
            "SO",
            "quyenSo ",
            "noiDangKyUBND",
            "hoTenCha",
            "so",
            "",
            "nksHoTen",
        ]);
        let m = map_headers(&h, ks);
        let key = |i: usize| m.columns[i].map(|j| ks.columns[j].key.as_str());
        assert_eq!(key(0), Some("so"));
        assert_eq!(key(1), Some("quyenSo"));
        assert_eq!(key(2), Some("noiDangKy"));
        assert_eq!(m.unknown, vec![(3, "hoTenCha".to_string())]);
        assert_eq!(m.repeated, vec![(4, 0)]);
        assert_eq!(m.missing.len(), 70 - 4);
    }

    #[test]
    fn the_register_is_found_from_its_headers() {
        let s = schemas();
        for code in ["KS", "KH", "KT", "CMC", "HN", "GH", "TDCC", "NCN"] {
            let r = s.register(code).unwrap();
            let h: Vec<String> = r.columns.iter().map(|c| c.header.clone()).collect();
            assert_eq!(detect_register(&h, &s).unwrap().code, code);
        }
        // The register block alone is shared by every register.
        let common = strings(&["so", "quyenSo", "trangSo", "ngayDangKy", "nguoiKy"]);
        let e = detect_register(&common, &s).unwrap_err();
        assert!(e.contains("equally well"), "{e}");
        let e = detect_register(&strings(&["ho ten", "ngay sinh", "x"]), &s).unwrap_err();
        assert!(e.contains("--register"), "{e}");
    }
}
