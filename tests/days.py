"""Synthetic multi-area days for the decomposition tests (seeded, so reproducible)."""

from __future__ import annotations

from datetime import date

import numpy as np

from ktj_logistics import (
    Base,
    Household,
    Location,
    Scenario,
    Settings,
    SupplySource,
    Vehicle,
    VehicleKind,
)

# Three neighbouring South Jakarta kecamatan with a post near the middle of each.
AREAS = {
    "TEBET": (-6.2265, 106.8535),
    "SETIABUDI": (-6.2180, 106.8300),
    "PANCORAN": (-6.2500, 106.8450),
}


def day(
    per_area: int = 30,
    vehicles_per_area: int = 2,
    stock: int | None = None,
    time_limit_s: float = 1.0,
    deterministic: bool = True,
    seed: int = 7,
) -> Scenario:
    rng = np.random.default_rng(seed)
    households: list[Household] = []
    bases: list[Base] = []
    vehicles: list[Vehicle] = []
    for a, (lat, lon) in AREAS.items():
        bases.append(
            Base(id=f"polsek-{a.lower()}", kind="polsek", location=Location(lat=lat, lon=lon))
        )
        for i in range(vehicles_per_area):
            kind = VehicleKind.car if i % 2 == 0 else VehicleKind.motorbike
            vehicles.append(
                Vehicle(
                    id=f"{a.lower()}-{i}",
                    kind=kind,
                    base=f"polsek-{a.lower()}",
                    capacity_packages=8 if kind == VehicleKind.car else 3,
                    capacity_kg=200 if kind == VehicleKind.car else 60,
                )
            )
        for i in range(per_area):
            households.append(
                Household(
                    id=f"{a[:3]}{i:04d}",
                    location=Location(
                        lat=lat + float(rng.normal(0, 0.006)), lon=lon + float(rng.normal(0, 0.006))
                    ),
                    kecamatan=a,
                    elderly=bool(rng.random() < 0.2),
                )
            )
    total = stock if stock is not None else len(households)
    return Scenario(
        name="three-kecamatan",
        settings=Settings(
            planning_date=date(2021, 7, 1), time_limit_s=time_limit_s, deterministic=deterministic
        ),
        sources=[
            SupplySource(
                id="polres",
                kind="member_donation",
                location=Location(lat=-6.2406, lon=106.8160),
                stock={"standard": total},
            )
        ],
        bases=[
            *bases,
            Base(id="polres", kind="polres", location=Location(lat=-6.2406, lon=106.8160)),
        ],
        vehicles=vehicles,
        households=households,
    )
