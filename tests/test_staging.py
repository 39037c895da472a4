"""Stock staged at hubs: trucks bring it, officers load it there only once it has arrived,
and the verifier catches any plan that loads stock a hub does not (yet) hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest

import ktj_logistics as ktj
from ktj_logistics import (
    Base,
    Hub,
    Location,
    Plan,
    Scenario,
    Settings,
    SupplySource,
    TimeWindow,
    Vehicle,
)

from .conftest import POLRES, TEST_SOLUTIONS, household

POLSEK = Location(lat=POLRES.lat - 0.045, lon=POLRES.lon + 0.03)  # about 6 km south-east


def near_polsek(hid: str, dlat: float, dlon: float, **kw: object) -> ktj.Household:
    return household(hid, POLSEK.lat - POLRES.lat + dlat, POLSEK.lon - POLRES.lon + dlon, **kw)


def staged_day(**settings: object) -> Scenario:
    """A Polsek 6 km from the only source; a truck at the Polres, a motorbike at the
    Polsek whose hub sits at the Polsek; eight households around the Polsek. Searched
    like ``make_scenario`` days (60 solutions, not 400: the same plans here, at 30 too)."""
    households = [
        near_polsek(f"H{i}", 0.004 * ((i % 4) - 1.5), 0.004 * ((i // 4) - 0.5), kecamatan="K")
        for i in range(8)
    ]
    return Scenario(
        name="staged",
        settings=Settings(
            planning_date="2021-07-01",  # type: ignore[arg-type]
            time_limit_s=4,
            deterministic=True,
            **{"search_solutions": TEST_SOLUTIONS, **settings},  # type: ignore[arg-type]
        ),
        sources=[SupplySource(id="polres-stock", location=POLRES, stock={"standard": 20})],
        bases=[
            Base(id="polres", kind="polres", location=POLRES),
            Base(id="polsek", kind="polsek", location=POLSEK),
        ],
        hubs=[Hub(id="hub-polsek", kind="polsek", base="polsek", unloading_minutes=10)],
        vehicles=[
            Vehicle(
                id="truck",
                kind="truck",
                base="polres",
                capacity_packages=100,
                capacity_kg=2000,
                role="trunk",
                shift=TimeWindow(start=time(8, 0), end=time(12, 0)),
            ),
            Vehicle(
                id="bike",
                kind="motorbike",
                base="polsek",
                capacity_packages=2,
                capacity_kg=40,
                shift=TimeWindow(start=time(7, 0), end=time(16, 0)),
            ),
        ],
        households=households,
    )


@pytest.fixture(scope="module")
def staged() -> ktj.Result:
    return ktj.plan(staged_day())


def _route(plan: Plan | dict[str, Any], vehicle: str) -> Any:
    routes = plan["routes"] if isinstance(plan, dict) else plan.routes
    return next(
        r for r in routes if (r["vehicle_id"] if isinstance(r, dict) else r.vehicle_id) == vehicle
    )


def test_the_truck_brings_the_stock_and_the_motorbike_loads_it_at_the_hub(
    staged: ktj.Result,
) -> None:
    """Every household is served from the hub, after the truck unloaded there."""
    plan = staged.plan
    assert plan.totals.served == 8
    truck = _route(plan, "truck")
    unloads = [s for s in truck.stops if s.kind == ktj.StopKind.unload]
    assert unloads and all(s.place_id == "hub-polsek" for s in unloads)
    assert sum(sum(s.items.values()) for s in unloads) == 8
    bike = _route(plan, "bike")
    loads = [s for s in bike.stops if s.kind == ktj.StopKind.load]
    assert loads and all(s.place_id == "hub-polsek" for s in loads)
    assert all(s.source_id == "polres-stock" for s in loads)  # the stock keeps its source
    arrived = min(s.departure_s for s in unloads)
    assert min(s.arrival_s + s.wait_s for s in loads) >= arrived
    assert all(o.source_id == "polres-stock" for o in plan.served())


def test_the_plan_counts_what_the_hub_received_loaded_and_kept(staged: ktj.Result) -> None:
    (hub,) = staged.plan.hubs
    assert hub.hub_id == "hub-polsek"
    assert hub.received == {"standard": 8} and hub.loaded == {"standard": 8}
    assert hub.left == {"standard": 0}
    assert hub.first_arrival_s is not None and hub.first_arrival_s >= 8 * 3600
    # Source stock counts what the truck took, once.
    (src,) = staged.plan.sources
    assert src.used == {"standard": 8}


def test_explain_says_the_items_came_through_the_hub(staged: ktj.Result) -> None:
    text = ktj.explain(staged.plan, "H1").text()
    assert "loaded at hub hub-polsek" in text and "source polres-stock" in text


def test_the_sheets_show_the_trunk_run(staged: ktj.Result, tmp_path: Path) -> None:
    ktj.write_outputs(staged, tmp_path, options=ktj.ReportOptions(lang="en"))
    truck = (tmp_path / "sheets" / "truck.txt").read_text(encoding="utf-8")
    assert "Unload at hub-polsek: 8× " in truck
    bike = (tmp_path / "whatsapp" / "bike.txt").read_text(encoding="utf-8")
    assert "Load at hub-polsek (polres-stock stock)" in bike


def test_trunk_runs_are_routes_but_deliver_no_packages(staged: ktj.Result) -> None:
    truck = _route(staged.plan, "truck")
    assert truck.packages_delivered == 0 and truck.households_served == 0
    assert staged.plan.totals.packages_delivered == 8


def test_without_staging_the_motorbike_rides_to_the_source(staged: ktj.Result) -> None:
    """The same day without hubs: the motorbike's trips start at the Polres, 6 km away,
    so it rides far more per package than when it loads at its own Polsek."""
    day = staged.scenario
    unstaged = day.model_copy(update={"hubs": [], "vehicles": day.vehicles[1:]})
    plain = ktj.plan(unstaged).plan
    staged_km = _route(staged.plan, "bike").distance_m
    assert plain.totals.served >= 1
    per_package = _route(plain, "bike").distance_m / _route(plain, "bike").packages_delivered
    assert staged_km / 8 < per_package / 2


def _broken(result: ktj.Result, change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = result.plan.model_dump(mode="json")
    change(data)
    return [v.code for v in ktj.verify(result.scenario, Plan.model_validate(data))]


def _stops(data: dict[str, Any], vehicle: str, kind: str) -> list[dict[str, Any]]:
    return [s for s in _route(data, vehicle)["stops"] if s["kind"] == kind]


def test_the_untouched_plan_passes(staged: ktj.Result) -> None:
    assert _broken(staged, lambda d: None) == []


def test_loading_at_the_hub_before_the_truck_arrives_is_caught(staged: ktj.Result) -> None:
    """The truck unloads an hour later than the plan said, after the first load there."""

    def late_truck(d: dict[str, Any]) -> None:
        for s in _stops(d, "truck", "unload"):
            s["arrival_s"] += 4 * 3600
            s["departure_s"] += 4 * 3600

    codes = _broken(staged, late_truck)
    assert "hub_early" in codes and "hub_stock" in codes


def test_loading_more_than_the_hub_received_is_caught(staged: ktj.Result) -> None:
    def greedy(d: dict[str, Any]) -> None:
        _stops(d, "truck", "unload")[0]["items"]["standard"] -= 1

    assert "hub_stock" in _broken(staged, greedy)


def test_a_hub_nobody_stocked_is_caught(staged: ktj.Result) -> None:
    def no_truck(d: dict[str, Any]) -> None:
        d["routes"] = [r for r in d["routes"] if r["vehicle_id"] != "truck"]

    codes = _broken(staged, no_truck)
    assert "hub_early" in codes and "hub_stock" in codes


def test_unloading_what_is_not_on_board_is_caught(staged: ktj.Result) -> None:
    def phantom(d: dict[str, Any]) -> None:
        _stops(d, "truck", "unload")[0]["items"]["standard"] += 5

    assert "load" in _broken(staged, phantom)


def test_unloading_away_from_the_hub_is_caught(staged: ktj.Result) -> None:
    def elsewhere(d: dict[str, Any]) -> None:
        _stops(d, "truck", "unload")[0]["place_id"] = "polres-stock"

    assert "unload_place" in _broken(staged, elsewhere)


def test_a_trunk_vehicle_that_delivers_is_caught(staged: ktj.Result) -> None:
    """Giving the motorbike the trunk role makes its deliveries a broken rule."""
    scenario = staged.scenario
    vehicles = [
        v.model_copy(update={"role": "trunk"}) if v.id == "bike" else v for v in scenario.vehicles
    ]
    codes = [
        v.code for v in ktj.verify(scenario.model_copy(update={"vehicles": vehicles}), staged.plan)
    ]
    assert "trunk_delivery" in codes


def test_a_hub_stocked_too_late_for_a_window_leaves_that_stop_at_the_source() -> None:
    """An urgent household that must be served by 08:15 cannot wait for the truck (it
    leaves at 08:00): it is supplied from the source directly, and still served."""
    day = staged_day()
    window = [TimeWindow(start=time(7, 0), end=time(8, 15))]
    urgent = {"time_windows": window, "elderly": True, "comorbid": True, "disability": True}
    early = [h.model_copy(update=urgent) if h.id == "H0" else h for h in day.households]
    result = ktj.plan(day.model_copy(update={"households": early}))
    first = next(o for o in result.plan.households if o.household_id == "H0")
    assert first.status == "served"
    bike = _route(result.plan, "bike")
    at = next(s for s in bike.stops if "H0" in s.household_ids)
    load = max(
        (s for s in bike.stops if s.kind == ktj.StopKind.load and s.seq < at.seq),
        key=lambda s: s.seq,
    )
    assert load.place_id == "polres-stock"
    assert sum(result.plan.hubs[0].received.values()) == 7
