//! Finding codes of `sohoa check`: what a hand-keyed workbook gets wrong that a page read by OCR
//! cannot (encodings, Excel's own conversions, headers). Stable codes, Vietnamese and English
//! messages with `{field}` and `{detail}` placeholders, printed by `sohoa explain`. The rows are
//! also validated with the pipeline's generic findings (`MISSING-REQUIRED`, `BAD-CODE`,
//! `BAD-DATE`) and the register's own rules.

use crate::page::Severity;
use crate::validate::messages::Generic;

macro_rules! code {
    ($name:ident, $code:literal, $severity:ident, $vi:literal, $en:literal) => {
        pub const $name: Generic = Generic {
            code: $code,
            severity: Severity::$severity,
            vi: $vi,
            en: $en,
        };
    };
}

code!(
    ENC_TCVN3,
    "CHECK-ENC-TCVN3",
    Error,
    "{field} được gõ bằng bảng mã TCVN3 (ABC, phông .VnTime): chuyển sang Unicode là \"{detail}\"",
    "{field} was keyed in TCVN3 (ABC, a .VnTime font): in Unicode it reads \"{detail}\""
);
code!(
    ENC_VNI,
    "CHECK-ENC-VNI",
    Error,
    "{field} được gõ bằng bảng mã VNI (phông VNI-Times): chuyển sang Unicode là \"{detail}\"",
    "{field} was keyed in VNI (a VNI-Times font): in Unicode it reads \"{detail}\""
);
code!(
    ENC_WINDOWS1258,
    "CHECK-ENC-WINDOWS-1258",
    Error,
    "{field} được lưu bằng bảng mã Windows-1258: chuyển sang Unicode là \"{detail}\"",
    "{field} was saved in Windows-1258: in Unicode it reads \"{detail}\""
);
code!(
    ENC_UTF8_AS_1252,
    "CHECK-ENC-UTF8-AS-1252",
    Error,
    "{field} là chữ UTF-8 bị đọc nhầm thành Windows-1252: đúng là \"{detail}\"",
    "{field} is UTF-8 text read as Windows-1252: it reads \"{detail}\""
);
code!(
    ENC_DECOMPOSED,
    "CHECK-ENC-DECOMPOSED",
    Review,
    "{field} dùng Unicode tổ hợp (dấu tách rời chữ): chuyển sang Unicode dựng sẵn (NFC) là \"{detail}\"",
    "{field} is decomposed Unicode (marks apart from their letters): composed (NFC) it is \"{detail}\""
);
code!(
    WHITESPACE,
    "CHECK-WHITESPACE",
    Info,
    "{field} có khoảng trắng thừa, xuống dòng hoặc ký tự ẩn: sửa thành \"{detail}\"",
    "{field} has extra spaces, line breaks or invisible characters: tidied it is \"{detail}\""
);
code!(
    FORMULA,
    "CHECK-FORMULA",
    Error,
    "{field} chứa công thức ({detail}) thay vì giá trị nhập: tệp nhập cần giá trị",
    "{field} holds a formula ({detail}) instead of a keyed value: the import needs the value"
);
code!(
    FORMULA_LIKE,
    "CHECK-FORMULA-LIKE",
    Review,
    "{field} bắt đầu bằng ký tự mà bảng tính chạy như công thức (= + - @): \"{detail}\"",
    "{field} begins with a character spreadsheets run as a formula (= + - @): \"{detail}\""
);
code!(
    CELL_ERROR,
    "CHECK-CELL-ERROR",
    Error,
    "{field} là ô lỗi của Excel ({detail})",
    "{field} is an Excel error cell ({detail})"
);
code!(
    CELL_TYPE,
    "CHECK-CELL-TYPE",
    Review,
    "{field} chứa giá trị kiểu khác (đúng/sai, hoặc ngày ở cột không phải ngày) thay vì chữ: {detail}",
    "{field} holds a value of another type (true/false, or a date where no date belongs) instead of text: {detail}"
);
code!(
    PLACEHOLDER,
    "CHECK-PLACEHOLDER",
    Info,
    "{field} ghi \"{detail}\" thay cho \"không có\": coi là ô trống",
    "{field} holds \"{detail}\" for \"none\": taken as empty"
);
code!(
    DATE_SERIAL,
    "CHECK-DATE-SERIAL",
    Info,
    "{field} là ngày Excel lưu dưới dạng số; ghi lại là {detail}",
    "{field} is a date Excel stored as a number; written as {detail}"
);
code!(
    DATE_SERIAL_AMBIGUOUS,
    "CHECK-DATE-SERIAL-AMBIGUOUS",
    Review,
    "{field} là ngày Excel lưu dưới dạng số ({detail}); ngày và tháng đều không quá 12 nên có thể đã bị đảo khi gõ trên máy cài định dạng khác: cần đối chiếu sổ",
    "{field} is a date Excel stored as a number ({detail}); day and month are both 12 or less and may have been swapped by a keyboard set to another locale: check the book"
);
code!(
    DATE_SERIAL_INVALID,
    "CHECK-DATE-SERIAL-INVALID",
    Error,
    "{field} là số ngày Excel không ứng với ngày có thật ({detail})",
    "{field} is an Excel date number that is no real date ({detail})"
);
code!(
    DATE_NUMBER,
    "CHECK-DATE-NUMBER",
    Review,
    "{field} là một số, không phải ngày: có thể là {detail} (mất số 0 đầu hoặc mất định dạng ngày): cần đối chiếu sổ",
    "{field} is a number, not a date: it may be {detail} (a leading zero or the date format lost): check the book"
);
code!(
    DATE_TIME,
    "CHECK-DATE-TIME",
    Info,
    "{field} có cả giờ phút; chỉ giữ ngày {detail}",
    "{field} carries a time of day; only the date {detail} is kept"
);
code!(
    DATE_FORMAT,
    "CHECK-DATE-FORMAT",
    Info,
    "{field} không theo dạng dd.mm.yyyy; ghi lại là {detail}",
    "{field} is not written dd.mm.yyyy; written as {detail}"
);
code!(
    DATE_UNSURE,
    "CHECK-DATE-UNSURE",
    Review,
    "{field} đọc được là {detail} nhưng chưa chắc (năm hai chữ số, hoặc chữ cái thay cho số): cần đối chiếu sổ",
    "{field} reads as {detail} but not for sure (a two-digit year, or letters for figures): check the book"
);
code!(
    ID_AS_NUMBER,
    "CHECK-ID-AS-NUMBER",
    Info,
    "{field} được lưu dưới dạng số; ghi lại dạng chữ \"{detail}\" để Excel không làm mất số 0 đầu",
    "{field} is stored as a number; written as text \"{detail}\" so that Excel keeps leading zeros"
);
code!(
    ID_ZEROS_LOST,
    "CHECK-ID-ZEROS-LOST",
    Error,
    "{field} bị Excel làm mất số 0 đầu (lưu dạng số): có thể là \"{detail}\": cần đối chiếu giấy tờ",
    "{field} lost its leading zeros to Excel (stored as a number): it may be \"{detail}\": check the document"
);
code!(
    ID_DIGITS_LOST,
    "CHECK-ID-DIGITS-LOST",
    Error,
    "{field} bị Excel làm mất chữ số ({detail}: dạng lũy thừa hoặc quá 15 chữ số): phải nhập lại từ giấy tờ",
    "{field} lost digits to Excel ({detail}: scientific notation or more than 15 digits): key it again from the document"
);
code!(
    CODE_LABEL,
    "CHECK-CODE-LABEL",
    Error,
    "{field} ghi tên thay vì mã: tệp nhập cần mã {detail}",
    "{field} holds a label instead of its code: the import needs code {detail}"
);
code!(
    VALUE_SPELLING,
    "CHECK-VALUE-SPELLING",
    Info,
    "{field} viết khác cách viết của danh mục: \"{detail}\"",
    "{field} is spelled otherwise than the list: \"{detail}\""
);
code!(
    VALUE_UNKNOWN,
    "CHECK-VALUE-UNKNOWN",
    Review,
    "{field} \"{detail}\" không có trong danh mục",
    "{field} \"{detail}\" is not in the list"
);
code!(
    NAME_CHARS,
    "CHECK-NAME-CHARS",
    Review,
    "Họ tên {field} có chữ số hoặc ký hiệu: \"{detail}\"",
    "The name in {field} holds figures or symbols: \"{detail}\""
);
code!(
    DUPLICATE_NUMBER,
    "CHECK-DUPLICATE-NUMBER",
    Error,
    "Số đăng ký và quyển số trùng với dòng {detail}",
    "The registration number and volume repeat row {detail}"
);
code!(
    HEADER_SPELLING,
    "CHECK-HEADER-SPELLING",
    Info,
    "Tiêu đề cột {field} không viết đúng như mẫu; sửa thành \"{detail}\"",
    "The header of column {field} is not written as the template writes it; it becomes \"{detail}\""
);
code!(
    HEADER_UNKNOWN,
    "CHECK-HEADER-UNKNOWN",
    Review,
    "Cột \"{detail}\" không có trong mẫu {field}: không được kiểm tra và không nhập được",
    "Column \"{detail}\" is not in the {field} template: it is not checked and cannot be imported"
);
code!(
    HEADER_MISSING,
    "CHECK-HEADER-MISSING",
    Review,
    "Thiếu cột bắt buộc {field} của mẫu: mọi dòng đều thiếu giá trị này",
    "The template's required column {field} is missing: every row lacks it"
);
code!(
    HEADER_MISSING_OPTIONAL,
    "CHECK-HEADER-MISSING-OPTIONAL",
    Info,
    "Thiếu cột {field} của mẫu (không bắt buộc)",
    "The template's column {field} is missing (not required)"
);
code!(
    HEADER_DUPLICATE,
    "CHECK-HEADER-DUPLICATE",
    Error,
    "Cột {field} xuất hiện hai lần (cột {detail}); chỉ cột đầu được kiểm tra",
    "Column {field} appears twice (column {detail}); only the first is checked"
);
code!(
    HEADER_VARIANT,
    "CHECK-HEADER-VARIANT",
    Info,
    "Cột {field} thuộc một phiên bản khác của mẫu: được kiểm tra nhưng mẫu nhập có thể không nhận",
    "Column {field} belongs to another generation of the template: it is checked, but the import may not take it"
);
code!(
    PROVISIONAL_REGISTER,
    "CHECK-PROVISIONAL-REGISTER",
    Info,
    "Sổ {field} là tạm thời: các cột do sohoa tự thiết kế vì chưa có mẫu công khai; tệp có thể không đúng mẫu của Bộ",
    "Register {field} is provisional: its columns are sohoa's own design (no public template was found); the workbook may not match the ministry's"
);
code!(
    CSV_ENCODING,
    "CHECK-CSV-ENCODING",
    Info,
    "Tệp CSV không phải UTF-8: đã đọc theo Windows-1252 ({detail})",
    "The CSV file is not UTF-8: it was read as Windows-1252 ({detail})"
);
code!(
    ROW_FAILED,
    "CHECK-ROW-FAILED",
    Error,
    "Không kiểm tra được dòng này ({detail}); các dòng khác vẫn được kiểm tra",
    "This row could not be checked ({detail}); the other rows were"
);

/// Every code of `sohoa check`, for `sohoa explain` and the tests.
pub const ALL: &[&Generic] = &[
    &ENC_TCVN3,
    &ENC_VNI,
    &ENC_WINDOWS1258,
    &ENC_UTF8_AS_1252,
    &ENC_DECOMPOSED,
    &WHITESPACE,
    &FORMULA,
    &FORMULA_LIKE,
    &CELL_ERROR,
    &CELL_TYPE,
    &PLACEHOLDER,
    &DATE_SERIAL,
    &DATE_SERIAL_AMBIGUOUS,
    &DATE_SERIAL_INVALID,
    &DATE_NUMBER,
    &DATE_TIME,
    &DATE_FORMAT,
    &DATE_UNSURE,
    &ID_AS_NUMBER,
    &ID_ZEROS_LOST,
    &ID_DIGITS_LOST,
    &CODE_LABEL,
    &VALUE_SPELLING,
    &VALUE_UNKNOWN,
    &NAME_CHARS,
    &DUPLICATE_NUMBER,
    &HEADER_SPELLING,
    &HEADER_UNKNOWN,
    &HEADER_MISSING,
    &HEADER_MISSING_OPTIONAL,
    &HEADER_DUPLICATE,
    &HEADER_VARIANT,
    &PROVISIONAL_REGISTER,
    &CSV_ENCODING,
    &ROW_FAILED,
];

/// The finding of a legacy encoding.
pub fn of_encoding(encoding: super::legacy::Encoding) -> &'static Generic {
    use super::legacy::Encoding as E;
    match encoding {
        E::Tcvn3 => &ENC_TCVN3,
        E::Vni => &ENC_VNI,
        E::Windows1258 => &ENC_WINDOWS1258,
        E::Utf8AsWindows1252 => &ENC_UTF8_AS_1252,
        E::Decomposed => &ENC_DECOMPOSED,
    }
}
