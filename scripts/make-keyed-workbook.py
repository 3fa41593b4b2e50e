#!/usr/bin/env python3
"""Writes a hand-keyed birth-register workbook (KS template headers, sheet "DL Import") of N rows
for timing `sohoa check`, with the faults keyed books carry: names in TCVN3 and VNI, dates
stored by Excel as serial numbers, ID numbers stored as numbers, stray spaces.
Standard library only (the XLSX is written as inline strings and numbers).

    scripts/make-keyed-workbook.py OUT.xlsx ROWS [SEED]
"""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

out, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)

# Header row of schemas/registers/KS.toml, read from the file so the two never disagree.
headers = []
for line in open(__file__.rsplit("/", 2)[0] + "/schemas/registers/KS.toml", encoding="utf-8"):
    if line.startswith("header = "):
        headers.append(line[len("header = "):].strip()[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE_M, MIDDLE_F = ["Văn", "Đức", "Minh", "Quang"], ["Thị", "Ngọc", "Thu", "Kim"]
GIVEN = ["An", "Bình", "Hằng", "Lâm", "Tuấn", "Hương", "Lan", "Dũng", "Phương", "Sơn", "Thảo", "Hải"]
# TCVN3 and VNI forms of a few names (domain reference 9.2), as a workbook cell holds them.
TCVN3 = {"Nguyễn Văn An": "NguyÔn V¨n An", "Trần Thị Hằng": "TrÇn ThÞ H»ng", "Đặng Văn Lâm": "§Æng V¨n L©m"}
VNI = {"Nguyễn Văn An": "Nguyeãn Vaên An", "Trần Thị Hằng": "Traàn Thò Haèng", "Đặng Văn Lâm": "Ñaëng Vaên Laâm"}


def name(female):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F if female else MIDDLE_M)} {rng.choice(GIVEN)}"


def serial(d, m, y):
    import datetime
    return (datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days


seeded = {"TCVN3 name": 0, "VNI name": 0, "name with stray spaces": 0, "birth date as serial": 0,
          "document number as number": 0}


def row(i):
    y = rng.choice([2008, 2012, 2016])
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    female = rng.random() < 0.5
    child = name(female)
    r = rng.random()
    if r < 0.01:
        child = rng.choice(list(TCVN3.values()))
        seeded["TCVN3 name"] += 1
    elif r < 0.02:
        child = rng.choice(list(VNI.values()))
        seeded["VNI name"] += 1
    elif r < 0.03:
        child = "  " + child + " "
        seeded["name with stray spaces"] += 1
    birth = f"{d:02}.{m:02}.{y}"
    reg = f"{min(d + 10, 28):02}.{m:02}.{y}"
    v = {
        "STT": str(i), "so": str(i), "quyenSo": f"01/{y}", "trangSo": str(i // 2 + 1),
        "ngayDangKy": reg, "loaiDangKy": "1", "noiDangKy": "UBND xã Tân Phong, huyện Tân Phú, tỉnh Đồng Nai",
        "nksHoTen": child, "nksGioiTinh": "2" if female else "1",
        "nksNgaySinh": birth,
        "nksNoiSinh": "Trạm y tế xã Tân Phong", "nksDanToc": "Kinh", "nksQuocTich": "Việt Nam",
        "nksLoaiKhaiSinh": "1", "meHoTen": name(True), "meNgaySinh": str(y - rng.randint(18, 40)),
        "meDanToc": "Kinh", "meQuocTich": "Việt Nam", "chaHoTen": name(False),
        "chaNgaySinh": str(y - rng.randint(20, 45)), "chaDanToc": "Kinh", "chaQuocTich": "Việt Nam",
        "meLoaiGiayToTuyThan\ni=[1,2,3,4,5,6,7,8]": "1",
    }
    if rng.random() < 0.05:
        v["nksNgaySinh"] = ("serial", serial(d, m, y))
        seeded["birth date as serial"] += 1
    if rng.random() < 0.05:
        v["meSoGiayToTuyThan"] = ("number", rng.randint(10**8, 10**9 - 1))
        seeded["document number as number"] += 1
    return v


def cell(ref, value):
    if isinstance(value, tuple):
        # Style 1 is a date format (built-in 14): Excel's date cells.
        style = ' s="1"' if value[0] == "serial" else ""
        return f'<c r="{ref}"{style}><v>{value[1]}</v></c>'
    if value == "":
        return ""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


keys = [h.split()[0].split("\n")[0] for h in headers]
lines = ['<row r="1">' + "".join(cell(f"{col(c)}1", h) for c, h in enumerate(headers)) + "</row>"]
for i in range(1, rows + 1):
    v = row(i)
    v.setdefault("meLoaiGiayToTuyThan", v.pop("meLoaiGiayToTuyThan\ni=[1,2,3,4,5,6,7,8]"))
    cells = "".join(cell(f"{col(c)}{i + 1}", v.get(k, "")) for c, k in enumerate(keys))
    lines.append(f'<row r="{i + 1}">{cells}</row>')
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         "<sheetData>" + "".join(lines) + "</sheetData></worksheet>")
NS = "http://schemas.openxmlformats.org"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships">'
               f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}/spreadsheetml/2006/main" '
               f'xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="DL Import" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships">'
               f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               f'<Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
    z.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}/spreadsheetml/2006/main">'
               '<fonts count="1"><font><sz val="13"/><name val="Times New Roman"/></font></fonts>'
               '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
               '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
               '<cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/></cellXfs></styleSheet>')
    z.writestr("xl/worksheets/sheet1.xml", sheet)
print(f"{out}: {rows} rows, {len(headers)} columns; seeded: " + ", ".join(f"{k} {n}" for k, n in seeded.items()))
