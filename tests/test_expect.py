"""Expectations: validated like the rest of a scenario, judged in plain words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from ktj_logistics import Expectations, InputError, PlanOptions, UnservedReason, load, plan
from ktj_logistics._expect.evaluate import evaluate, first_difference
from ktj_logistics._expect.model import HouseholdExpectation, VehicleBan

TINY = Path(__file__).parent / "data" / "tiny"


def test_an_unknown_expectation_is_an_input_error_naming_it(
    copy_scenario: Callable[[str], Path],
) -> None:
    path = copy_scenario("tiny")
    path.write_text(path.read_text() + "expect:\n  min_servd: 3\n")
    with pytest.raises(InputError) as exc:
        load(path)
    assert [i.field for i in exc.value.issues] == ["expect.min_servd"]


def test_household_expectations_accept_the_short_forms() -> None:
    assert HouseholdExpectation.model_validate("served").status == "served"
    short = HouseholdExpectation.model_validate("unserved: stock_shortfall")
    mapping = HouseholdExpectation.model_validate({"unserved": "stock_shortfall"})
    assert short == mapping
    assert mapping.reason is UnservedReason.stock_shortfall


def test_a_served_household_cannot_have_a_reason() -> None:
    with pytest.raises(ValidationError, match="no reason"):
        HouseholdExpectation(status="served", reason=UnservedReason.fleet_capacity)


def test_a_vehicle_ban_must_say_where_it_applies() -> None:
    with pytest.raises(ValidationError, match="say where the ban applies"):
        VehicleBan.model_validate({"kinds": ["car"]})


@pytest.fixture(scope="module")
def tiny_plan() -> tuple[object, object]:
    sc = load(TINY / "scenario.yaml").scenario
    return sc, plan(sc, PlanOptions(base_dir=TINY)).plan


def test_met_expectations_pass_with_what_was_measured(tiny_plan: tuple[object, object]) -> None:
    sc, p = tiny_plan
    e = Expectations(min_served=4, stock_respected=True, back_by_shift_end=True)
    findings = evaluate(e, sc, p)  # type: ignore[arg-type]
    assert [f.passed for f in findings] == [True, True, True]
    assert findings[0].message == "4 of 4 households served; expected at least 4"


def test_each_broken_expectation_is_one_sentence_in_plain_words(
    tiny_plan: tuple[object, object],
) -> None:
    sc, p = tiny_plan
    e = Expectations.model_validate(
        {
            "min_served_share": 1.0,
            "max_total_km": 0.5,
            "max_route_minutes": 1,
            "households": {"H1": "unserved", "H99": "served"},
            "no_vehicle_at": [{"kinds": ["car"], "kelurahan": "PULO"}],
        }
    )
    failed = {f.expectation: f.message for f in evaluate(e, sc, p) if not f.passed}  # type: ignore[arg-type]
    assert set(failed) == {
        "max_total_km",
        "max_route_minutes",
        "households.H1",
        "households.H99",
        "no_vehicle_at[0]",
    }
    assert failed["max_total_km"].startswith("vehicles drive 4.9 km in total; limit 0.5 km")
    assert failed["households.H1"] == "household H1 was served; expected unserved"
    assert "car c1 delivers to 2 of the kelurahan PULO (H1, H2)" in failed["no_vehicle_at[0]"]


def test_determinism_without_a_second_run_fails_rather_than_passing(
    tiny_plan: tuple[object, object],
) -> None:
    sc, p = tiny_plan
    (finding,) = evaluate(Expectations(deterministic=True), sc, p)  # type: ignore[arg-type]
    assert not finding.passed


def test_first_difference_names_the_path_where_two_plans_part() -> None:
    a = {"routes": [{"vehicle_id": "m1", "stops": [1, 2]}], "totals": {"served": 3}}
    b = {"routes": [{"vehicle_id": "m1", "stops": [1, 3]}], "totals": {"served": 3}}
    assert first_difference(a, b) == "plan.routes[0].stops[1]: 2 vs 3"
    assert first_difference(a, a) is None


def test_coverage_expectations_fail_naming_the_households_and_the_idle_vehicle(
    tiny_plan: tuple[object, object],
) -> None:
    """A household left out as too big while a vehicle stayed at its base, one that got
    no rice because its infant pack ran out, and an unexpected reason are each named."""
    sc, p = tiny_plan
    data = p.model_dump(mode="json")  # type: ignore[attr-defined]
    used = {r["vehicle_id"] for r in data["routes"]}
    data["routes"] = [r for r in data["routes"] if r["vehicle_id"] == sorted(used)[0]]
    h3, h4 = (o for o in data["households"] if o["household_id"] in {"H3", "H4"})
    h3.update(status="unserved", reason="exceeds_vehicle_capacity", reason_detail="big")
    h4.update(
        status="unserved",
        reason="stock_shortfall",
        reason_detail="infant_pack ran out",
        short_items=["infant_pack"],
    )
    edited = type(p).model_validate(data)
    e = Expectations(
        no_capacity_drop_while_idle=True,
        special_shortfall_keeps_standard=True,
        unserved_only_for=[UnservedReason.time_window],
    )
    found = {f.expectation: f for f in evaluate(e, sc, edited)}  # type: ignore[arg-type]
    assert not any(f.passed for f in found.values())
    idle = sorted({v.id for v in sc.vehicles} - {sorted(used)[0]})  # type: ignore[attr-defined]
    assert f"H3 (idle: {idle[0]}" in found["no_capacity_drop_while_idle"].message
    assert (
        "H4 got nothing (infant_pack ran out)" in found["special_shortfall_keeps_standard"].message
    )
    assert "H3 (exceeds_vehicle_capacity: big)" in found["unserved_only_for"].message


def test_coverage_expectations_pass_on_the_plan_as_made(tiny_plan: tuple[object, object]) -> None:
    sc, p = tiny_plan
    e = Expectations(
        no_capacity_drop_while_idle=True,
        special_shortfall_keeps_standard=True,
        unserved_only_for=[UnservedReason.fleet_capacity],
    )
    findings = evaluate(e, sc, p)  # type: ignore[arg-type]
    assert all(f.passed for f in findings), [str(f) for f in findings]
