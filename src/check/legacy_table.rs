//! The Vietnamese letters in the legacy encodings, letter by letter: transcribed from the
//! domain reference's table 9.3, itself computed from Unikey's converter tables
//! (`unikey/vnconv/data.cpp`) and cross-checked there against Python's `cp1258` codec and glibc
//! iconv (`CP1258`, `TCVN5712-1`). The tests of [`super::legacy`] check the sample words of its
//! table 9.2, whose bytes were verified independently.
//!
//! TCVN3 (the "VN3" font variant, `.VnTime`) has no toned capitals: a toned capital is written
//! with the lower-case byte in a capitals font (`.VnTimeH`), so `tcvn3_upper` repeats `tcvn3`
//! for those. `cp1258` is Unikey's fully decomposed form (base letter + combining tone byte);
//! Windows writes the precomposed byte where the code page has one, which decoding handles too.

/// One Vietnamese letter with a mark, lower and upper case, and its bytes in each encoding.
pub struct Letter {
    pub lower: char,
    pub upper: char,
    pub tcvn3: &'static [u8],
    pub tcvn3_upper: &'static [u8],
    pub vni: &'static [u8],
    pub vni_upper: &'static [u8],
    /// Decoding composes Windows-1258 from the code page itself; these bytes serve the tests,
    /// which write text the way Unikey does.
    #[cfg_attr(not(test), allow(dead_code))]
    pub cp1258: &'static [u8],
    #[cfg_attr(not(test), allow(dead_code))]
    pub cp1258_upper: &'static [u8],
}

/// The 67 marked letters (ASCII letters are themselves in every encoding).
#[rustfmt::skip]
pub const LETTERS: &[Letter] = &[
    Letter { lower: 'á', upper: 'Á', tcvn3: &[0xB8], tcvn3_upper: &[0xB8], vni: &[0x61, 0xF9], vni_upper: &[0x41, 0xD9], cp1258: &[0x61, 0xEC], cp1258_upper: &[0x41, 0xEC] },
    Letter { lower: 'à', upper: 'À', tcvn3: &[0xB5], tcvn3_upper: &[0xB5], vni: &[0x61, 0xF8], vni_upper: &[0x41, 0xD8], cp1258: &[0x61, 0xCC], cp1258_upper: &[0x41, 0xCC] },
    Letter { lower: 'ả', upper: 'Ả', tcvn3: &[0xB6], tcvn3_upper: &[0xB6], vni: &[0x61, 0xFB], vni_upper: &[0x41, 0xDB], cp1258: &[0x61, 0xD2], cp1258_upper: &[0x41, 0xD2] },
    Letter { lower: 'ã', upper: 'Ã', tcvn3: &[0xB7], tcvn3_upper: &[0xB7], vni: &[0x61, 0xF5], vni_upper: &[0x41, 0xD5], cp1258: &[0x61, 0xDE], cp1258_upper: &[0x41, 0xDE] },
    Letter { lower: 'ạ', upper: 'Ạ', tcvn3: &[0xB9], tcvn3_upper: &[0xB9], vni: &[0x61, 0xEF], vni_upper: &[0x41, 0xCF], cp1258: &[0x61, 0xF2], cp1258_upper: &[0x41, 0xF2] },
    Letter { lower: 'ă', upper: 'Ă', tcvn3: &[0xA8], tcvn3_upper: &[0xA1], vni: &[0x61, 0xEA], vni_upper: &[0x41, 0xCA], cp1258: &[0xE3], cp1258_upper: &[0xC3] },
    Letter { lower: 'ắ', upper: 'Ắ', tcvn3: &[0xBE], tcvn3_upper: &[0xBE], vni: &[0x61, 0xE9], vni_upper: &[0x41, 0xC9], cp1258: &[0xE3, 0xEC], cp1258_upper: &[0xC3, 0xEC] },
    Letter { lower: 'ằ', upper: 'Ằ', tcvn3: &[0xBB], tcvn3_upper: &[0xBB], vni: &[0x61, 0xE8], vni_upper: &[0x41, 0xC8], cp1258: &[0xE3, 0xCC], cp1258_upper: &[0xC3, 0xCC] },
    Letter { lower: 'ẳ', upper: 'Ẳ', tcvn3: &[0xBC], tcvn3_upper: &[0xBC], vni: &[0x61, 0xFA], vni_upper: &[0x41, 0xDA], cp1258: &[0xE3, 0xD2], cp1258_upper: &[0xC3, 0xD2] },
    Letter { lower: 'ẵ', upper: 'Ẵ', tcvn3: &[0xBD], tcvn3_upper: &[0xBD], vni: &[0x61, 0xFC], vni_upper: &[0x41, 0xDC], cp1258: &[0xE3, 0xDE], cp1258_upper: &[0xC3, 0xDE] },
    Letter { lower: 'ặ', upper: 'Ặ', tcvn3: &[0xC6], tcvn3_upper: &[0xC6], vni: &[0x61, 0xEB], vni_upper: &[0x41, 0xCB], cp1258: &[0xE3, 0xF2], cp1258_upper: &[0xC3, 0xF2] },
    Letter { lower: 'â', upper: 'Â', tcvn3: &[0xA9], tcvn3_upper: &[0xA2], vni: &[0x61, 0xE2], vni_upper: &[0x41, 0xC2], cp1258: &[0xE2], cp1258_upper: &[0xC2] },
    Letter { lower: 'ấ', upper: 'Ấ', tcvn3: &[0xCA], tcvn3_upper: &[0xCA], vni: &[0x61, 0xE1], vni_upper: &[0x41, 0xC1], cp1258: &[0xE2, 0xEC], cp1258_upper: &[0xC2, 0xEC] },
    Letter { lower: 'ầ', upper: 'Ầ', tcvn3: &[0xC7], tcvn3_upper: &[0xC7], vni: &[0x61, 0xE0], vni_upper: &[0x41, 0xC0], cp1258: &[0xE2, 0xCC], cp1258_upper: &[0xC2, 0xCC] },
    Letter { lower: 'ẩ', upper: 'Ẩ', tcvn3: &[0xC8], tcvn3_upper: &[0xC8], vni: &[0x61, 0xE5], vni_upper: &[0x41, 0xC5], cp1258: &[0xE2, 0xD2], cp1258_upper: &[0xC2, 0xD2] },
    Letter { lower: 'ẫ', upper: 'Ẫ', tcvn3: &[0xC9], tcvn3_upper: &[0xC9], vni: &[0x61, 0xE3], vni_upper: &[0x41, 0xC3], cp1258: &[0xE2, 0xDE], cp1258_upper: &[0xC2, 0xDE] },
    Letter { lower: 'ậ', upper: 'Ậ', tcvn3: &[0xCB], tcvn3_upper: &[0xCB], vni: &[0x61, 0xE4], vni_upper: &[0x41, 0xC4], cp1258: &[0xE2, 0xF2], cp1258_upper: &[0xC2, 0xF2] },
    Letter { lower: 'é', upper: 'É', tcvn3: &[0xD0], tcvn3_upper: &[0xD0], vni: &[0x65, 0xF9], vni_upper: &[0x45, 0xD9], cp1258: &[0x65, 0xEC], cp1258_upper: &[0x45, 0xEC] },
    Letter { lower: 'è', upper: 'È', tcvn3: &[0xCC], tcvn3_upper: &[0xCC], vni: &[0x65, 0xF8], vni_upper: &[0x45, 0xD8], cp1258: &[0x65, 0xCC], cp1258_upper: &[0x45, 0xCC] },
    Letter { lower: 'ẻ', upper: 'Ẻ', tcvn3: &[0xCE], tcvn3_upper: &[0xCE], vni: &[0x65, 0xFB], vni_upper: &[0x45, 0xDB], cp1258: &[0x65, 0xD2], cp1258_upper: &[0x45, 0xD2] },
    Letter { lower: 'ẽ', upper: 'Ẽ', tcvn3: &[0xCF], tcvn3_upper: &[0xCF], vni: &[0x65, 0xF5], vni_upper: &[0x45, 0xD5], cp1258: &[0x65, 0xDE], cp1258_upper: &[0x45, 0xDE] },
    Letter { lower: 'ẹ', upper: 'Ẹ', tcvn3: &[0xD1], tcvn3_upper: &[0xD1], vni: &[0x65, 0xEF], vni_upper: &[0x45, 0xCF], cp1258: &[0x65, 0xF2], cp1258_upper: &[0x45, 0xF2] },
    Letter { lower: 'ê', upper: 'Ê', tcvn3: &[0xAA], tcvn3_upper: &[0xA3], vni: &[0x65, 0xE2], vni_upper: &[0x45, 0xC2], cp1258: &[0xEA], cp1258_upper: &[0xCA] },
    Letter { lower: 'ế', upper: 'Ế', tcvn3: &[0xD5], tcvn3_upper: &[0xD5], vni: &[0x65, 0xE1], vni_upper: &[0x45, 0xC1], cp1258: &[0xEA, 0xEC], cp1258_upper: &[0xCA, 0xEC] },
    Letter { lower: 'ề', upper: 'Ề', tcvn3: &[0xD2], tcvn3_upper: &[0xD2], vni: &[0x65, 0xE0], vni_upper: &[0x45, 0xC0], cp1258: &[0xEA, 0xCC], cp1258_upper: &[0xCA, 0xCC] },
    Letter { lower: 'ể', upper: 'Ể', tcvn3: &[0xD3], tcvn3_upper: &[0xD3], vni: &[0x65, 0xE5], vni_upper: &[0x45, 0xC5], cp1258: &[0xEA, 0xD2], cp1258_upper: &[0xCA, 0xD2] },
    Letter { lower: 'ễ', upper: 'Ễ', tcvn3: &[0xD4], tcvn3_upper: &[0xD4], vni: &[0x65, 0xE3], vni_upper: &[0x45, 0xC3], cp1258: &[0xEA, 0xDE], cp1258_upper: &[0xCA, 0xDE] },
    Letter { lower: 'ệ', upper: 'Ệ', tcvn3: &[0xD6], tcvn3_upper: &[0xD6], vni: &[0x65, 0xE4], vni_upper: &[0x45, 0xC4], cp1258: &[0xEA, 0xF2], cp1258_upper: &[0xCA, 0xF2] },
    Letter { lower: 'í', upper: 'Í', tcvn3: &[0xDD], tcvn3_upper: &[0xDD], vni: &[0xED], vni_upper: &[0xCD], cp1258: &[0x69, 0xEC], cp1258_upper: &[0x49, 0xEC] },
    Letter { lower: 'ì', upper: 'Ì', tcvn3: &[0xD7], tcvn3_upper: &[0xD7], vni: &[0xEC], vni_upper: &[0xCC], cp1258: &[0x69, 0xCC], cp1258_upper: &[0x49, 0xCC] },
    Letter { lower: 'ỉ', upper: 'Ỉ', tcvn3: &[0xD8], tcvn3_upper: &[0xD8], vni: &[0xE6], vni_upper: &[0xC6], cp1258: &[0x69, 0xD2], cp1258_upper: &[0x49, 0xD2] },
    Letter { lower: 'ĩ', upper: 'Ĩ', tcvn3: &[0xDC], tcvn3_upper: &[0xDC], vni: &[0xF3], vni_upper: &[0xD3], cp1258: &[0x69, 0xDE], cp1258_upper: &[0x49, 0xDE] },
    Letter { lower: 'ị', upper: 'Ị', tcvn3: &[0xDE], tcvn3_upper: &[0xDE], vni: &[0xF2], vni_upper: &[0xD2], cp1258: &[0x69, 0xF2], cp1258_upper: &[0x49, 0xF2] },
    Letter { lower: 'ó', upper: 'Ó', tcvn3: &[0xE3], tcvn3_upper: &[0xE3], vni: &[0x6F, 0xF9], vni_upper: &[0x4F, 0xD9], cp1258: &[0x6F, 0xEC], cp1258_upper: &[0x4F, 0xEC] },
    Letter { lower: 'ò', upper: 'Ò', tcvn3: &[0xDF], tcvn3_upper: &[0xDF], vni: &[0x6F, 0xF8], vni_upper: &[0x4F, 0xD8], cp1258: &[0x6F, 0xCC], cp1258_upper: &[0x4F, 0xCC] },
    Letter { lower: 'ỏ', upper: 'Ỏ', tcvn3: &[0xE1], tcvn3_upper: &[0xE1], vni: &[0x6F, 0xFB], vni_upper: &[0x4F, 0xDB], cp1258: &[0x6F, 0xD2], cp1258_upper: &[0x4F, 0xD2] },
    Letter { lower: 'õ', upper: 'Õ', tcvn3: &[0xE2], tcvn3_upper: &[0xE2], vni: &[0x6F, 0xF5], vni_upper: &[0x4F, 0xD5], cp1258: &[0x6F, 0xDE], cp1258_upper: &[0x4F, 0xDE] },
    Letter { lower: 'ọ', upper: 'Ọ', tcvn3: &[0xE4], tcvn3_upper: &[0xE4], vni: &[0x6F, 0xEF], vni_upper: &[0x4F, 0xCF], cp1258: &[0x6F, 0xF2], cp1258_upper: &[0x4F, 0xF2] },
    Letter { lower: 'ô', upper: 'Ô', tcvn3: &[0xAB], tcvn3_upper: &[0xA4], vni: &[0x6F, 0xE2], vni_upper: &[0x4F, 0xC2], cp1258: &[0xF4], cp1258_upper: &[0xD4] },
    Letter { lower: 'ố', upper: 'Ố', tcvn3: &[0xE8], tcvn3_upper: &[0xE8], vni: &[0x6F, 0xE1], vni_upper: &[0x4F, 0xC1], cp1258: &[0xF4, 0xEC], cp1258_upper: &[0xD4, 0xEC] },
    Letter { lower: 'ồ', upper: 'Ồ', tcvn3: &[0xE5], tcvn3_upper: &[0xE5], vni: &[0x6F, 0xE0], vni_upper: &[0x4F, 0xC0], cp1258: &[0xF4, 0xCC], cp1258_upper: &[0xD4, 0xCC] },
    Letter { lower: 'ổ', upper: 'Ổ', tcvn3: &[0xE6], tcvn3_upper: &[0xE6], vni: &[0x6F, 0xE5], vni_upper: &[0x4F, 0xC5], cp1258: &[0xF4, 0xD2], cp1258_upper: &[0xD4, 0xD2] },
    Letter { lower: 'ỗ', upper: 'Ỗ', tcvn3: &[0xE7], tcvn3_upper: &[0xE7], vni: &[0x6F, 0xE3], vni_upper: &[0x4F, 0xC3], cp1258: &[0xF4, 0xDE], cp1258_upper: &[0xD4, 0xDE] },
    Letter { lower: 'ộ', upper: 'Ộ', tcvn3: &[0xE9], tcvn3_upper: &[0xE9], vni: &[0x6F, 0xE4], vni_upper: &[0x4F, 0xC4], cp1258: &[0xF4, 0xF2], cp1258_upper: &[0xD4, 0xF2] },
    Letter { lower: 'ơ', upper: 'Ơ', tcvn3: &[0xAC], tcvn3_upper: &[0xA5], vni: &[0xF4], vni_upper: &[0xD4], cp1258: &[0xF5], cp1258_upper: &[0xD5] },
    Letter { lower: 'ớ', upper: 'Ớ', tcvn3: &[0xED], tcvn3_upper: &[0xED], vni: &[0xF4, 0xF9], vni_upper: &[0xD4, 0xD9], cp1258: &[0xF5, 0xEC], cp1258_upper: &[0xD5, 0xEC] },
    Letter { lower: 'ờ', upper: 'Ờ', tcvn3: &[0xEA], tcvn3_upper: &[0xEA], vni: &[0xF4, 0xF8], vni_upper: &[0xD4, 0xD8], cp1258: &[0xF5, 0xCC], cp1258_upper: &[0xD5, 0xCC] },
    Letter { lower: 'ở', upper: 'Ở', tcvn3: &[0xEB], tcvn3_upper: &[0xEB], vni: &[0xF4, 0xFB], vni_upper: &[0xD4, 0xDB], cp1258: &[0xF5, 0xD2], cp1258_upper: &[0xD5, 0xD2] },
    Letter { lower: 'ỡ', upper: 'Ỡ', tcvn3: &[0xEC], tcvn3_upper: &[0xEC], vni: &[0xF4, 0xF5], vni_upper: &[0xD4, 0xD5], cp1258: &[0xF5, 0xDE], cp1258_upper: &[0xD5, 0xDE] },
    Letter { lower: 'ợ', upper: 'Ợ', tcvn3: &[0xEE], tcvn3_upper: &[0xEE], vni: &[0xF4, 0xEF], vni_upper: &[0xD4, 0xCF], cp1258: &[0xF5, 0xF2], cp1258_upper: &[0xD5, 0xF2] },
    Letter { lower: 'ú', upper: 'Ú', tcvn3: &[0xF3], tcvn3_upper: &[0xF3], vni: &[0x75, 0xF9], vni_upper: &[0x55, 0xD9], cp1258: &[0x75, 0xEC], cp1258_upper: &[0x55, 0xEC] },
    Letter { lower: 'ù', upper: 'Ù', tcvn3: &[0xEF], tcvn3_upper: &[0xEF], vni: &[0x75, 0xF8], vni_upper: &[0x55, 0xD8], cp1258: &[0x75, 0xCC], cp1258_upper: &[0x55, 0xCC] },
    Letter { lower: 'ủ', upper: 'Ủ', tcvn3: &[0xF1], tcvn3_upper: &[0xF1], vni: &[0x75, 0xFB], vni_upper: &[0x55, 0xDB], cp1258: &[0x75, 0xD2], cp1258_upper: &[0x55, 0xD2] },
    Letter { lower: 'ũ', upper: 'Ũ', tcvn3: &[0xF2], tcvn3_upper: &[0xF2], vni: &[0x75, 0xF5], vni_upper: &[0x55, 0xD5], cp1258: &[0x75, 0xDE], cp1258_upper: &[0x55, 0xDE] },
    Letter { lower: 'ụ', upper: 'Ụ', tcvn3: &[0xF4], tcvn3_upper: &[0xF4], vni: &[0x75, 0xEF], vni_upper: &[0x55, 0xCF], cp1258: &[0x75, 0xF2], cp1258_upper: &[0x55, 0xF2] },
    Letter { lower: 'ư', upper: 'Ư', tcvn3: &[0xAD], tcvn3_upper: &[0xA6], vni: &[0xF6], vni_upper: &[0xD6], cp1258: &[0xFD], cp1258_upper: &[0xDD] },
    Letter { lower: 'ứ', upper: 'Ứ', tcvn3: &[0xF8], tcvn3_upper: &[0xF8], vni: &[0xF6, 0xF9], vni_upper: &[0xD6, 0xD9], cp1258: &[0xFD, 0xEC], cp1258_upper: &[0xDD, 0xEC] },
    Letter { lower: 'ừ', upper: 'Ừ', tcvn3: &[0xF5], tcvn3_upper: &[0xF5], vni: &[0xF6, 0xF8], vni_upper: &[0xD6, 0xD8], cp1258: &[0xFD, 0xCC], cp1258_upper: &[0xDD, 0xCC] },
    Letter { lower: 'ử', upper: 'Ử', tcvn3: &[0xF6], tcvn3_upper: &[0xF6], vni: &[0xF6, 0xFB], vni_upper: &[0xD6, 0xDB], cp1258: &[0xFD, 0xD2], cp1258_upper: &[0xDD, 0xD2] },
    Letter { lower: 'ữ', upper: 'Ữ', tcvn3: &[0xF7], tcvn3_upper: &[0xF7], vni: &[0xF6, 0xF5], vni_upper: &[0xD6, 0xD5], cp1258: &[0xFD, 0xDE], cp1258_upper: &[0xDD, 0xDE] },
    Letter { lower: 'ự', upper: 'Ự', tcvn3: &[0xF9], tcvn3_upper: &[0xF9], vni: &[0xF6, 0xEF], vni_upper: &[0xD6, 0xCF], cp1258: &[0xFD, 0xF2], cp1258_upper: &[0xDD, 0xF2] },
    Letter { lower: 'ý', upper: 'Ý', tcvn3: &[0xFD], tcvn3_upper: &[0xFD], vni: &[0x79, 0xF9], vni_upper: &[0x59, 0xD9], cp1258: &[0x79, 0xEC], cp1258_upper: &[0x59, 0xEC] },
    Letter { lower: 'ỳ', upper: 'Ỳ', tcvn3: &[0xFA], tcvn3_upper: &[0xFA], vni: &[0x79, 0xF8], vni_upper: &[0x59, 0xD8], cp1258: &[0x79, 0xCC], cp1258_upper: &[0x59, 0xCC] },
    Letter { lower: 'ỷ', upper: 'Ỷ', tcvn3: &[0xFB], tcvn3_upper: &[0xFB], vni: &[0x79, 0xFB], vni_upper: &[0x59, 0xDB], cp1258: &[0x79, 0xD2], cp1258_upper: &[0x59, 0xD2] },
    Letter { lower: 'ỹ', upper: 'Ỹ', tcvn3: &[0xFC], tcvn3_upper: &[0xFC], vni: &[0x79, 0xF5], vni_upper: &[0x59, 0xD5], cp1258: &[0x79, 0xDE], cp1258_upper: &[0x59, 0xDE] },
    Letter { lower: 'ỵ', upper: 'Ỵ', tcvn3: &[0xFE], tcvn3_upper: &[0xFE], vni: &[0xEE], vni_upper: &[0xCE], cp1258: &[0x79, 0xF2], cp1258_upper: &[0x59, 0xF2] },
    Letter { lower: 'đ', upper: 'Đ', tcvn3: &[0xAE], tcvn3_upper: &[0xA7], vni: &[0xF1], vni_upper: &[0xD1], cp1258: &[0xF0], cp1258_upper: &[0xD0] },
];
