"""A tiny campaign to test with: one source and base at the Polres, two cars, households
a few hundred metres away. Plans are deterministic: the search stops after a fixed number
of solutions (about a second), long before its time limit even on a busy machine, so
the same input gives the same plan in every process."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

POLRES = (-6.253334, 106.798257)
START = date(2021, 7, 1)

DAY_TEMPLATE = """\
name: tiny-campaign-day
settings:
  planning_date: 2021-07-01
  time_limit_s: 30
  deterministic: true
  search_solutions: {solutions}
  service_area: {{min_lat: -6.40, max_lat: -6.15, min_lon: 106.70, max_lon: 106.90}}
sources:
  - id: polres
    location: {{lat: -6.253334, lon: 106.798257}}
    stock: {{standard: {stock}}}
bases:
  - {{id: polres, location: {{lat: -6.253334, lon: 106.798257}}}}
vehicles:
  - {{id: c1, kind: car, base: polres, capacity_packages: 8, capacity_kg: 200}}
  - {{id: c2, kind: car, base: polres, capacity_packages: 8, capacity_kg: 200}}
households: []
"""

COLUMNS = ["id", "name", "phone", "lat", "lon", "address", "kelurahan", "isolation_start"]


def make_campaign(folder: Path, stock: int = 40, rules: str = "", solutions: int = 60) -> Path:
    """Write ``campaign.yaml`` and its day template into ``folder``; the campaign file.
    ``solutions``: the search of each day stops after that many (deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = DAY_TEMPLATE.format(stock=stock, solutions=solutions)
    (folder / "day.yaml").write_text(text, "utf-8")
    path = folder / "campaign.yaml"
    path.write_text(f"name: tiny\nday: day.yaml\n{rules}", "utf-8")
    return path


def household(n: int, start: date | str = START, **kw: Any) -> dict[str, Any]:
    """Household ``H{n}``, about 100 m × n from the Polres, isolating from ``start``."""
    row: dict[str, Any] = {
        "id": f"H{n}",
        "name": f"Warga {n}",
        "phone": f"0800-1000-{n:04d}",
        "lat": round(POLRES[0] + 0.0009 * (n % 7), 6),
        "lon": round(POLRES[1] + 0.0009 * (n // 7 + 1), 6),
        "address": f"Jl. Contoh No. {n}",
        "kelurahan": "PULO" if n % 2 else "MELAWAI",
        "isolation_start": str(start),
    }
    row.update(kw)
    return row


def write_list(path: Path, rows: list[dict[str, Any]], extra: tuple[str, ...] = ()) -> Path:
    """A household list as coordinators export it (``;``-separated, UTF-8 with BOM)."""
    columns = COLUMNS + list(extra)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])
    return path


def write_results(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["household_id", "status", "time"])
        w.writerows(rows)
    return path
