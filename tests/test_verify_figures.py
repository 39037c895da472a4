"""verify recounts every figure a plan states: a false total, stock figure, route figure or
unserved reason fails, however consistent the rest of the plan looks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import ktj_logistics as ktj
from ktj_logistics import Household, Location, Plan

from .golden_day import plan, scenario

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def day() -> tuple[ktj.Scenario, Plan]:
    """The golden day with one more household, far out of everyone's reach (unserved)."""
    sc = scenario()
    far = Household(id="FAR", location=Location(lat=-6.30, lon=106.75), packages_needed=1)
    sc = sc.model_copy(update={"households": [*sc.households, far]})
    base = plan(scenario())
    outcome = ktj.HouseholdOutcome(
        household_id="FAR",
        status="unserved",
        priority=0.0,
        items={"standard": 1},
        reason=ktj.UnservedReason.fleet_capacity,
        reason_detail="no vehicle had time or room left for it",
    )
    households = [*base.households, outcome]
    fixed = Plan.of_day(
        base.scenario,
        base.planning_date,
        [],
        base.routes,
        households,
        base.sources,
        base.solver,
    )
    return sc, fixed


def _codes(day: tuple[ktj.Scenario, Plan], edit: Edit) -> list[str]:
    sc, p = day
    data = p.model_dump(mode="json")
    edit(data)
    return [str(v) for v in ktj.verify(sc, Plan.model_validate(data))]


def test_the_true_plan_passes(day: tuple[ktj.Scenario, Plan]) -> None:
    assert _codes(day, lambda d: None) == []


def _totals(d: dict[str, Any]) -> None:
    d["totals"]["served"] += 1
    d["totals"]["packages_delivered"] = 40


def _stock(d: dict[str, Any]) -> None:
    polres = next(s for s in d["sources"] if s["source_id"] == "polres")
    polres["used"]["standard"] = 1
    polres["left"]["standard"] = 9


def _route(d: dict[str, Any]) -> None:
    d["routes"][0]["distance_m"] //= 2
    d["routes"][0]["trips"] = 1


def _reason(d: dict[str, Any]) -> None:
    far = next(o for o in d["households"] if o["household_id"] == "FAR")
    far.update(reason="stock_shortfall", short_items=["standard"])  # 7 standard are left


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (_totals, "totals.served: plan says 5, the stops give 4"),
        (_stock, "source polres used: plan says {'standard': 1}, the stops give {'standard': 3}"),
        (_route, "m1 trips: plan says 1, the stops give 2"),
        (
            _reason,
            "FAR is unserved for stock_shortfall, but the stock and rules say fleet_capacity",
        ),
    ],
    ids=["totals", "stock used and left", "route figures", "unserved reason"],
)
def test_a_false_figure_fails_verify(day: tuple[ktj.Scenario, Plan], edit: Edit, said: str) -> None:
    found = _codes(day, edit)
    assert any(said in v for v in found), found
    assert all(v.startswith(("[figure]", "[reason]")) for v in found), found


def test_the_cli_verify_exits_1_on_a_false_figure(
    day: tuple[ktj.Scenario, Plan], ktj_route, tmp_path
) -> None:
    import yaml

    sc, p = day
    data = p.model_dump(mode="json")
    _totals(data)
    (tmp_path / "plan.json").write_text(Plan.model_validate(data).model_dump_json())
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(sc.model_dump(mode="json")))
    ran = ktj_route("verify", tmp_path / "scenario.yaml", tmp_path / "plan.json")
    assert ran.exit_code == 1
    assert "[figure] totals.served: plan says 5, the stops give 4" in ran.text
