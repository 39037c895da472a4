"""Writes households.csv and vehicles.csv of the large-day scenario (seeded, reproducible).

2,000 households spread over the ten kecamatan of South Jakarta, clustered around each
kecamatan's centre as isolation cases cluster in RWs, with the vulnerability flags and
isolation start dates of a busy day in July 2021. Run it again after changing it:

    python scenarios/large-day/generate.py
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

PLANNING_DATE = date(2021, 7, 12)

# (kecamatan, kelurahan list, centre lat, centre lon, base id)
KECAMATAN = [
    ("KEBAYORAN BARU", ["PULO", "MELAWAI", "GANDARIA UTARA", "CIPETE UTARA"], -6.2440, 106.7990),
    ("KEBAYORAN LAMA", ["PONDOK PINANG", "CIPULIR", "GROGOL UTARA"], -6.2450, 106.7790),
    ("PESANGGRAHAN", ["BINTARO", "ULUJAMI", "PETUKANGAN UTARA"], -6.2450, 106.7560),
    ("CILANDAK", ["CIPETE SELATAN", "GANDARIA SELATAN", "CILANDAK BARAT"], -6.2870, 106.7975),
    ("PASAR MINGGU", ["PEJATEN TIMUR", "PEJATEN BARAT", "JATI PADANG"], -6.2840, 106.8440),
    ("JAGAKARSA", ["JAGAKARSA", "SRENGSENG SAWAH", "CIGANJUR"], -6.3340, 106.8220),
    ("MAMPANG PRAPATAN", ["MAMPANG PRAPATAN", "TEGAL PARANG", "BANGKA"], -6.2480, 106.8240),
    ("PANCORAN", ["RAWAJATI", "DUREN TIGA", "KALIBATA"], -6.2545, 106.8450),
    ("TEBET", ["BUKIT DURI", "MANGGARAI", "TEBET BARAT"], -6.2262, 106.8522),
    ("SETIABUDI", ["SETIABUDI", "KARET", "MENTENG ATAS"], -6.2150, 106.8300),
]
HOUSEHOLDS_HEADER = (
    "id;lat;lon;kelurahan;kecamatan;rw;rt;members;packages_needed;elderly;child_under_5;"
    "pregnant;comorbid;disability;no_income;isolation_start"
)


def _num(x: float) -> str:
    return f"{x:.6f}".replace(".", ",")  # decimal comma, as coordinators' sheets have it


def _yn(rng: random.Random, p: float) -> str:
    return "ya" if rng.random() < p else "tidak"


def households(rng: random.Random, n: int) -> list[str]:
    rows = []
    for i in range(n):
        kec, kels, lat0, lon0 = KECAMATAN[i % len(KECAMATAN)]
        kel = kels[rng.randrange(len(kels))]
        lat = lat0 + rng.gauss(0, 0.008)
        lon = lon0 + rng.gauss(0, 0.008)
        members = rng.randint(1, 7)
        start = PLANNING_DATE - timedelta(days=rng.randint(0, 13))
        rows.append(
            ";".join(
                [
                    f"LD{i + 1:04d}",
                    _num(lat),
                    _num(lon),
                    kel,
                    kec,
                    f"{rng.randint(1, 12):02d}",
                    f"{rng.randint(1, 15):03d}",
                    str(members),
                    "1" if members <= 4 else "2",
                    _yn(rng, 0.2),
                    _yn(rng, 0.12),
                    _yn(rng, 0.03),
                    _yn(rng, 0.15),
                    _yn(rng, 0.04),
                    _yn(rng, 0.25),
                    start.isoformat(),
                ]
            )
        )
    return rows


def vehicles() -> list[str]:
    """Each Polsek's own fleet, loading at its own store: two cars and a van."""
    rows = []
    for kec, _, _, _ in KECAMATAN:
        base = "polsek-" + kec.lower().replace(" ", "-")
        rows.append(f"{base}-c1;car;{base};12;240;08:00-16:00;{base}")
        rows.append(f"{base}-c2;car;{base};12;240;08:00-16:00;{base}")
        rows.append(f"{base}-v1;van;{base};40;700;08:00-16:00;{base}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    (args.out / "households.csv").write_text(
        HOUSEHOLDS_HEADER + "\n" + "\n".join(households(rng, args.households)) + "\n",
        encoding="utf-8",
    )
    (args.out / "vehicles.csv").write_text(
        "id;kind;base;capacity_packages;capacity_kg;shift;sources\n" + "\n".join(vehicles()) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
