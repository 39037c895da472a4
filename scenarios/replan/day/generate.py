"""Derive the small re-plan day from the bundled South Jakarta day (run from this folder).

Keeps the households of kecamatan Tebet and Pancoran (the first 18 of each, in file
order), the vehicles of Polres Jakarta Selatan (one car, two motorbikes), Polsek Tebet
and Polsek Pancoran, and the Polda and Polres sources with stock scaled to the day;
travel on the same road network. Small enough that planning it and re-planning it take seconds.
"""

from __future__ import annotations

import csv
from pathlib import Path

SRC = Path("../../jakarta-selatan")
KECAMATAN = ("TEBET", "PANCORAN")
BASES = ("polres-metro-jaksel", "polsek-tebet", "polsek-pancoran")
PER_KECAMATAN = 18


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main() -> None:
    header, rows = _rows(SRC / "households.csv")
    kec = header.index("kecamatan")
    kept: list[list[str]] = []
    for k in KECAMATAN:
        kept += [r for r in rows if r[kec] == k][:PER_KECAMATAN]
    _write(Path("households.csv"), header, kept)
    header, rows = _rows(SRC / "vehicles.csv")
    base = header.index("base")
    drop = {"c-jaksel-2", "c-jaksel-3"}
    _write(
        Path("vehicles.csv"),
        header,
        [r for r in rows if r[base] in BASES and r[0] not in drop],
    )


if __name__ == "__main__":
    main()
