//! Findings sohoa raises on any register, besides the rules a register lists in its schema:
//! stable codes with their severity and messages in Vietnamese and English. `sohoa explain`
//! prints these.

use crate::page::{Finding, Severity};

/// A generic finding: code, severity, Vietnamese and English text with `{field}` and
/// `{detail}` placeholders.
#[derive(Debug, PartialEq, Eq)]
pub struct Generic {
    pub code: &'static str,
    pub severity: Severity,
    pub vi: &'static str,
    pub en: &'static str,
}

pub const MISSING_REQUIRED: Generic = Generic {
    code: "MISSING-REQUIRED",
    severity: Severity::Review,
    vi: "Thiếu trường bắt buộc {field}: cần nhập từ ảnh trang sổ",
    en: "Required field {field} is missing: key it from the page image",
};

pub const MISSING_PRINTED: Generic = Generic {
    code: "MISSING-PRINTED",
    severity: Severity::Review,
    vi: "Mẫu sổ có in mục {field} nhưng không đọc được giá trị: cần đối chiếu ảnh trang sổ",
    en: "The form prints {field} but no value was read there: check the page image",
};

pub const UNREADABLE: Generic = Generic {
    code: "UNREADABLE",
    severity: Severity::Review,
    vi: "Không đọc được giá trị của {field} (\"{detail}\")",
    en: "The value of {field} could not be read (\"{detail}\")",
};

pub const OTHER_READING: Generic = Generic {
    code: "OTHER-READING",
    severity: Severity::Review,
    vi: "Giá trị {field} đọc được trái với quy tắc {detail}; cách đọc khác của máy phù hợp nên được dùng: cần đối chiếu ảnh",
    en: "The value of {field} as read breaks rule {detail}; the engine's other reading keeps it and is taken: check the page image",
};

pub const LOW_CONFIDENCE: Generic = Generic {
    code: "LOW-CONFIDENCE",
    severity: Severity::Review,
    vi: "Giá trị {field} đọc chưa chắc chắn (độ tin cậy {detail}): cần đối chiếu ảnh",
    en: "The value of {field} is uncertain (confidence {detail}): check it against the image",
};

pub const BAD_CODE: Generic = Generic {
    code: "BAD-CODE",
    severity: Severity::Error,
    vi: "Mã {detail} của {field} không có trong bảng mã",
    en: "Code {detail} of {field} is not in its code table",
};

pub const BAD_DATE: Generic = Generic {
    code: "BAD-DATE",
    severity: Severity::Error,
    vi: "Ngày {detail} của {field} không phải ngày hợp lệ",
    en: "{detail} in {field} is not a valid date",
};

pub const IMAGE_DAMAGED: Generic = Generic {
    code: "IMAGE-DAMAGED",
    severity: Severity::Review,
    vi: "Tệp ảnh trang sổ bị hỏng hoặc thiếu một phần ({detail}): phần dưới trang có thể bị mất, cần quét lại hoặc đối chiếu sổ gốc",
    en: "The page's image file is damaged or cut short ({detail}): part of the page may be missing; scan it again or check the book",
};

pub const UNKNOWN_LABEL: Generic = Generic {
    code: "UNKNOWN-LABEL",
    severity: Severity::Review,
    vi: "Mục in \"{detail}\" không ứng với trường nào nên giá trị của nó chưa được đọc (có thể là {field}): cần đối chiếu ảnh, và gán nhãn trong schemas/labels",
    en: "The printed label \"{detail}\" takes no field, so its value was not read (it may be {field}): check the image, and map the label in schemas/labels",
};

pub const YEAR_FROM_AGE: Generic = Generic {
    code: "YEAR-FROM-AGE",
    severity: Severity::Info,
    vi: "Mẫu sổ ghi tuổi, không ghi năm sinh: năm sinh {field} được tính bằng năm đăng ký trừ tuổi ({detail}), có thể sớm hơn một năm",
    en: "The form prints an age, not a birth year: {field} is the registration year less the age ({detail}), possibly one year earlier",
};

/// Every generic finding, for `sohoa explain`.
pub const ALL: &[&Generic] = &[
    &IMAGE_DAMAGED,
    &MISSING_REQUIRED,
    &MISSING_PRINTED,
    &UNREADABLE,
    &OTHER_READING,
    &LOW_CONFIDENCE,
    &BAD_CODE,
    &BAD_DATE,
    &YEAR_FROM_AGE,
    &UNKNOWN_LABEL,
];

impl Generic {
    pub fn finding(&self, field: &str, detail: &str) -> Finding {
        let fill = |t: &str| t.replace("{field}", field).replace("{detail}", detail);
        Finding {
            code: self.code.to_string(),
            severity: self.severity,
            field: Some(field.to_string()),
            message_vi: fill(self.vi),
            message_en: fill(self.en),
        }
    }
}
