"""Officer areas: a vehicle with a hard area serves only households inside it; the plan,
the decomposition of large days and the verifier all hold to it. And daily distances."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

import ktj_logistics as ktj
from ktj_logistics import Base, Household, OfficerArea, Plan, TimeWindow, Vehicle
from ktj_logistics._area import place_keys
from ktj_logistics._parts.decompose import decompose
from ktj_logistics._plugins.host import build_host
from ktj_logistics._problem import day_of
from ktj_logistics._shape import shape

from .conftest import POLRES, household, make_scenario, problem_of


def test_an_area_is_read_from_a_csv_cell() -> None:
    area = OfficerArea.model_validate("kelurahan:Tebet Timur|TEBET  BARAT (soft)")
    assert area.kelurahan == ["Tebet Timur", "TEBET  BARAT"] and not area.hard
    assert OfficerArea.model_validate("kecamatan:TEBET").hard
    with pytest.raises(ValidationError):
        OfficerArea.model_validate("district:TEBET")
    with pytest.raises(ValidationError):
        OfficerArea.model_validate({"rw": ["05"]})  # an RW needs its kelurahan


@pytest.mark.parametrize(
    ("area", "inside"),
    [
        ({"kecamatan": ["tebet"]}, True),
        ({"kelurahan": ["Tebet  Timur"]}, True),
        ({"rw": ["TEBET TIMUR/5"]}, True),
        ({"rw": ["TEBET TIMUR/05"]}, True),
        ({"rw": ["TEBET TIMUR/06"]}, False),
        ({"kecamatan": ["PANCORAN"]}, False),
    ],
)
def test_a_household_is_inside_by_kecamatan_kelurahan_or_rw(
    area: dict[str, list[str]], inside: bool
) -> None:
    h = household("H", 0.0, 0.0, kecamatan="TEBET", kelurahan="TEBET TIMUR", rw="05")
    assert OfficerArea.model_validate(area).contains(h) is inside
    assert "rw:TEBET TIMUR/5" in place_keys(h)


def two_kecamatan(hard: bool = True, penalty_minutes: float = 30) -> ktj.Scenario:
    """Two households in A near the Polres and two in B; the only vehicle's area is A."""
    hs = [
        household("A1", 0.004, 0.0, kecamatan="A"),
        household("A2", 0.006, 0.002, kecamatan="A"),
        household("B1", -0.004, 0.0, kecamatan="B"),
        household("B2", -0.006, -0.002, kecamatan="B"),
    ]
    car = Vehicle(
        id="c1",
        kind="car",
        base="polres",
        capacity_packages=10,
        capacity_kg=300,
        area=OfficerArea(kecamatan=["A"], hard=hard, penalty_minutes=penalty_minutes),
    )
    return make_scenario(hs, [car])


def test_a_hard_area_keeps_the_officer_inside() -> None:
    plan = ktj.plan(two_kecamatan()).plan
    served = {o.household_id for o in plan.served()}
    assert served == {"A1", "A2"}
    outside = [o for o in plan.unserved() if o.household_id.startswith("B")]
    assert all(o.reason == ktj.UnservedReason.no_eligible_vehicle for o in outside)
    assert all("area" in o.reason_detail for o in outside)


@pytest.mark.parametrize(("penalty_minutes", "served"), [(5, 4), (24 * 60, 2)])
def test_a_soft_area_is_left_when_its_penalty_is_worth_it(
    penalty_minutes: float, served: int
) -> None:
    """Five minutes per stop outside is less than leaving a household out, so the officer
    goes; a day's worth is more than these (priority 0) households weigh."""
    scenario = two_kecamatan(hard=False, penalty_minutes=penalty_minutes)
    plan = ktj.plan(scenario).plan
    assert plan.totals.served == served
    assert {o.household_id for o in plan.served()} >= {"A1", "A2"}
    assert ktj.verify(scenario, plan) == []


def test_a_vehicle_takes_its_bases_area() -> None:
    scenario = two_kecamatan()
    car = scenario.vehicles[0].model_copy(update={"area": None})
    base = Base(id="polres", location=POLRES, area=OfficerArea(kecamatan=["B"]))
    moved = scenario.model_copy(update={"vehicles": [car], "bases": [base]})
    assert moved.area_of(car) == OfficerArea(kecamatan=["B"])
    served = {o.household_id for o in ktj.plan(moved).plan.served()}
    assert served == {"B1", "B2"}


def test_serving_outside_a_hard_area_is_caught() -> None:
    """A plan made without areas breaks the rule once the car's area is set to A."""
    free = two_kecamatan()
    car = free.vehicles[0].model_copy(update={"area": None})
    plan = ktj.plan(free.model_copy(update={"vehicles": [car]})).plan
    assert plan.totals.served == 4
    codes = [v.code for v in ktj.verify(two_kecamatan(), plan)]
    assert codes.count("area") == 2
    assert [v.code for v in ktj.verify(two_kecamatan(hard=False), plan)] == []


def test_riding_further_than_the_daily_limit_is_caught() -> None:
    scenario = two_kecamatan()
    plan = ktj.plan(scenario).plan
    (route,) = plan.routes
    short = route.distance_m / 1000 / 2
    car = scenario.vehicles[0].model_copy(update={"max_km": short})
    codes = [v.code for v in ktj.verify(scenario.model_copy(update={"vehicles": [car]}), plan)]
    assert "max_km" in codes


def test_a_daily_limit_is_kept_by_the_plan() -> None:
    """Ten households 2 km out, a motorbike of 2 packages limited to 12 km: it can make
    three round trips, and the plan stops there."""
    hs = [household(f"H{i}", 0.018 + 0.0002 * i, 0.0) for i in range(10)]
    bike = Vehicle(
        id="m1",
        kind="motorbike",
        base="polres",
        capacity_packages=2,
        capacity_kg=40,
        max_km=12,
        shift=TimeWindow(start=time(8, 0), end=time(17, 0)),
    )
    plan = ktj.plan(make_scenario(hs, [bike])).plan
    (route,) = plan.routes
    assert route.distance_m <= 12_000
    assert 2 <= plan.totals.served <= 6
    assert all(o.reason == ktj.UnservedReason.fleet_capacity for o in plan.unserved())


def test_the_decomposition_keeps_hard_areas() -> None:
    """Area B has far more need than its fleet; the vehicles of A, whose hard area is A,
    are not lent to it, while a vehicle without an area may be."""
    hs: list[Household] = [household(f"A{i}", 0.002 * i, 0.01, kecamatan="A") for i in range(4)]
    hs += [household(f"B{i}", -0.002 * i, -0.03, kecamatan="B") for i in range(40)]
    far = Base(id="b-south", location=POLRES.model_copy(update={"lat": POLRES.lat - 0.03}))
    vehicles = [
        Vehicle(
            id=f"a{i}",
            kind="car",
            base="polres",
            capacity_packages=8,
            capacity_kg=200,
            area=OfficerArea(kecamatan=["A"]),
        )
        for i in range(4)
    ]
    vehicles.append(
        Vehicle(id="free", kind="car", base="polres", capacity_packages=8, capacity_kg=200)
    )
    vehicles.append(
        Vehicle(id="b0", kind="motorbike", base="b-south", capacity_packages=2, capacity_kg=40)
    )
    scenario = make_scenario(hs, vehicles, stock=100)
    scenario = scenario.model_copy(update={"bases": [*scenario.bases, far]})
    problem = problem_of(scenario)
    day = day_of(scenario, shape(scenario, build_host(scenario.plugins)))
    parts = decompose(day, problem.assigned, part_size=20)
    by_area: dict[str, set[str]] = {}
    for p in parts:
        by_area.setdefault(p.area, set()).update(day.vehicles[v].id for v in p.vehicles)
    assert {"a0", "a1", "a2", "a3"} <= by_area["A"]
    assert not {"a0", "a1", "a2", "a3"} & by_area["B"]
    assert "free" in by_area["B"]


def test_a_large_day_by_parts_keeps_hard_areas() -> None:
    hs = [household(f"A{i}", 0.001 * i, 0.01, kecamatan="A") for i in range(30)]
    hs += [household(f"B{i}", -0.001 * i, -0.01, kecamatan="B") for i in range(30)]
    vehicles = [
        Vehicle(
            id=f"{k.lower()}{i}",
            kind="car",
            base="polres",
            capacity_packages=10,
            capacity_kg=300,
            area=OfficerArea(kecamatan=[k]),
        )
        for k in "AB"
        for i in range(2)
    ]
    scenario = make_scenario(hs, vehicles)
    result = ktj.plan(scenario, ktj.PlanOptions(method="parts", part_size=20, workers=1))
    assert result.method == "parts"
    plan: Plan = result.plan
    for o in plan.served():
        assert o.vehicle_id is not None and o.vehicle_id[0] == o.household_id[0].lower()
    assert plan.totals.served == 60
