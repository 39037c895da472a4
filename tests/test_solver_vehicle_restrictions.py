"""Vehicle restrictions (a source only some kinds may load at) reach the solver."""

from __future__ import annotations

from datetime import date

import ktj_logistics as ktj
from ktj_logistics import Location, Settings

POLRES = Location(lat=-6.253334, lon=106.798257)


def _scenario() -> ktj.Scenario:
    return ktj.Scenario(
        name="car-only-source",
        settings=Settings(planning_date=date(2021, 6, 30), time_limit_s=2, deterministic=True),
        sources=[
            ktj.SupplySource(
                id="polres",
                kind="member_donation",
                location=POLRES,
                stock={"standard": 4},
                vehicle_kinds=["car"],
            )
        ],
        bases=[ktj.Base(id="polres", kind="polres", location=POLRES)],
        vehicles=[
            ktj.Vehicle(
                id="m1", kind="motorbike", base="polres", capacity_packages=2, capacity_kg=40
            ),
            ktj.Vehicle(id="c1", kind="car", base="polres", capacity_packages=8, capacity_kg=200),
        ],
        households=[
            ktj.Household(id="H1", location=Location(lat=-6.2601, lon=106.8012)),
            ktj.Household(id="H2", location=Location(lat=-6.2555, lon=106.7950)),
        ],
    )


def test_households_supplied_from_a_car_only_source_are_served_by_the_car() -> None:
    plan = ktj.plan(_scenario()).plan
    served_by = {o.household_id: o.vehicle_id for o in plan.households}
    assert served_by == {"H1": "c1", "H2": "c1"}
