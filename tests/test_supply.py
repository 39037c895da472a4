"""Finite stock at several sources, the choice of source, reloads, and why some go without."""

from __future__ import annotations

import re
from datetime import time

import ktj_logistics as ktj
from ktj_logistics import (
    Base,
    Earmark,
    ItemKind,
    Location,
    Scenario,
    Settings,
    StopKind,
    SupplySource,
    UnservedReason,
    Vehicle,
)
from ktj_logistics._report.builtin import summary_text, trip_line

from .conftest import POLRES, household, make_scenario, plan_even_if_empty

EAST = Location(lat=POLRES.lat, lon=POLRES.lon + 0.02)
ITEMS = {"standard": ItemKind(weight_kg=15), "infant_pack": ItemKind(weight_kg=3)}


def day(
    households: list[ktj.Household],
    sources: list[SupplySource],
    vehicles: list[Vehicle] | None = None,
    bases: list[Base] | None = None,
) -> Scenario:
    return Scenario(
        name="supply",
        settings=Settings(
            planning_date="2021-07-01",  # type: ignore[arg-type]
            time_limit_s=2,
            deterministic=True,
            items=ITEMS,
        ),
        sources=sources,
        bases=bases or [Base(id="polres", location=POLRES)],
        vehicles=vehicles
        or [Vehicle(id="c1", kind="car", base="polres", capacity_packages=10, capacity_kg=300)],
        households=households,
    )


def test_when_stock_is_short_exactly_the_least_urgent_go_without_naming_the_item() -> None:
    # Priorities rise with the number of flags; stock 4 of 6 across two sources.
    flags = [
        {},
        {"no_income": True},
        {"elderly": True},
        {"comorbid": True},
        {"comorbid": True, "elderly": True},
        {"comorbid": True, "elderly": True, "no_income": True},
    ]
    hs = [household(f"h{i}", 0.003 * i, 0.002, **f) for i, f in enumerate(flags)]
    sources = [
        SupplySource(id="polres", location=POLRES, stock={"standard": 2}),
        SupplySource(id="east", location=EAST, stock={"standard": 2}),
    ]
    plan = ktj.plan(day(hs, sources)).plan
    assert {o.household_id for o in plan.served()} == {"h2", "h3", "h4", "h5"}
    for hid in ("h0", "h1"):
        o = plan.outcome(hid)
        assert o.reason == UnservedReason.stock_shortfall
        assert o.short_items == ["standard"]
    assert plan.shortfall == {"standard": 2}
    assert all(s.left.get("standard", 0) == 0 for s in plan.sources)


def test_a_nearer_source_is_given_up_when_only_it_may_serve_a_later_household() -> None:
    """Greedy-nearest would spend polres on 'urgent'; moving it to east frees polres."""
    urgent = household("urgent", 0.001, 0.0, comorbid=True, kelurahan="PULO")
    later = household("later", 0.002, 0.0, kelurahan="MELAWAI")
    sources = [
        SupplySource(id="polres", location=POLRES, stock={"standard": 1}),
        SupplySource(
            id="east", location=EAST, stock={"standard": 1}, earmark=Earmark(kelurahan=["PULO"])
        ),
    ]
    plan = ktj.plan(day([urgent, later], sources)).plan
    assert plan.totals.served == 2
    assert plan.outcome("urgent").source_id == "east"
    assert plan.outcome("later").source_id == "polres"


def test_a_household_needing_infant_packs_gets_them_from_a_source_that_has_them() -> None:
    baby = household("baby", 0.004, 0.0, items={"infant_pack": 1}, child_under_5=True)
    plain = household("plain", 0.005, 0.0)
    sources = [
        SupplySource(id="polres", location=POLRES, stock={"standard": 5}),
        SupplySource(id="east", location=EAST, stock={"standard": 1, "infant_pack": 1}),
    ]
    plan = ktj.plan(day([baby, plain], sources)).plan
    assert plan.outcome("baby").source_id == "east"
    assert plan.outcome("baby").status == "served"
    assert plan.outcome("plain").source_id == "polres"


def test_no_source_with_the_special_item_still_brings_the_rice_and_names_the_missing_item() -> None:
    """The default rule (standard_required): the standard package goes ahead and the
    infant packs are recorded missing, for stock_shortfall."""
    baby = household("baby", 0.004, 0.0, items={"infant_pack": 2})
    sources = [SupplySource(id="polres", location=POLRES, stock={"standard": 5})]
    plan = plan_even_if_empty(day([baby], sources))
    o = plan.outcome("baby")
    assert o.status == "served" and o.delivered == {"standard": 1}
    (m,) = o.missing
    assert (m.item, m.count, m.reason) == ("infant_pack", 2, UnservedReason.stock_shortfall)
    assert "no source it may use stocks it" in m.detail
    assert plan.shortfall == {"infant_pack": 2}
    assert plan.totals.partially_served == 1 and plan.totals.items_missing == {"infant_pack": 2}


def test_with_partial_delivery_wait_a_missing_special_item_keeps_the_household_waiting() -> None:
    baby = household("baby", 0.004, 0.0, items={"infant_pack": 2})
    sources = [SupplySource(id="polres", location=POLRES, stock={"standard": 5})]
    sc = day([baby], sources)
    sc = sc.model_copy(
        update={"settings": sc.settings.model_copy(update={"partial_delivery": "wait"})}
    )
    plan = plan_even_if_empty(sc)
    o = plan.outcome("baby")
    assert o.reason == UnservedReason.stock_shortfall and o.short_items == ["infant_pack"]
    assert plan.shortfall == {"infant_pack": 2}


def test_a_motorbike_away_from_the_sources_reloads_at_two_of_them_and_each_reload_is_verified() -> (
    None
):
    bike = Vehicle(id="m1", kind="motorbike", base="post", capacity_packages=2, capacity_kg=40)
    hs = [household(f"w{i}", 0.002 * i, 0.001) for i in range(3)]
    hs += [household(f"e{i}", 0.002 * i, 0.021, kelurahan="TIMUR") for i in range(3)]
    sources = [
        SupplySource(id="polres", location=POLRES, stock={"standard": 3}),
        SupplySource(
            id="east", location=EAST, stock={"standard": 3}, earmark=Earmark(kelurahan=["TIMUR"])
        ),
    ]
    post = Base(id="post", location=Location(lat=POLRES.lat - 0.01, lon=POLRES.lon + 0.01))
    sc = day(hs, sources, [bike], [post])
    result = ktj.plan(sc)
    route = result.plan.routes[0]
    loads = [s for s in route.stops if s.kind == StopKind.load]
    assert result.plan.totals.served == 6
    assert route.trips == len(loads) >= 4  # 2 + 1 per source at least
    assert {s.source_id for s in loads} == {"polres", "east"}
    assert trip_line(route).count("load ") == route.trips
    # The verifier re-counts every reload: dropping one leaves deliveries unloaded.
    broken_stops = [s for s in route.stops if s is not loads[1]]
    broken = result.plan.model_copy(
        update={"routes": [route.model_copy(update={"stops": broken_stops})]}
    )
    codes = {v.code for v in ktj.verify(sc, broken)}
    assert codes & {"load", "distance", "travel_time"}


def test_when_the_only_source_admits_no_motorbike_a_motorbike_fleet_cannot_serve() -> None:
    bike = Vehicle(id="m1", kind="motorbike", base="polres", capacity_packages=2, capacity_kg=40)
    sources = [
        SupplySource(id="polres", location=POLRES, stock={"standard": 5}, vehicle_kinds=["car"])
    ]
    plan = plan_even_if_empty(day([household("h", 0.004, 0.0)], sources, [bike]))
    assert plan.outcome("h").reason == UnservedReason.no_eligible_vehicle


def test_stock_arriving_after_the_window_closes_is_a_time_window_problem() -> None:
    hs = [household("morning", 0.004, 0.0, time_windows=["09:00-11:00"])]
    sources = [
        SupplySource(id="polda", location=POLRES, stock={"standard": 5}, available_from=time(13, 0))
    ]
    plan = plan_even_if_empty(day(hs, sources))
    assert plan.outcome("morning").reason == UnservedReason.time_window


def test_one_trip_of_one_package_leaves_the_rest_to_fleet_capacity() -> None:
    bike = Vehicle(
        id="m1", kind="motorbike", base="polres", capacity_packages=1, capacity_kg=40, max_trips=2
    )
    hs = [household(f"h{i}", 0.003 * (i + 1), 0.0) for i in range(4)]
    sources = [SupplySource(id="polres", location=POLRES, stock={"standard": 10})]
    plan = ktj.plan(day(hs, sources, [bike])).plan
    assert plan.totals.served == 2
    assert plan.totals.unserved_by_reason == {"fleet_capacity": 2}
    assert plan.routes[0].trips == 2


def test_hints_name_the_stock_and_the_vehicle_that_would_serve_more() -> None:
    bike = Vehicle(
        id="m1", kind="motorbike", base="polres", capacity_packages=1, capacity_kg=40, max_trips=2
    )
    hs = [household(f"h{i}", 0.003 * (i + 1), 0.0) for i in range(4)]
    sources = [SupplySource(id="polres", location=POLRES, stock={"standard": 1})]
    plan = ktj.plan(day(hs, sources, [bike]), ktj.PlanOptions(hints=True, hint_time_limit_s=1)).plan
    assert plan.totals.unserved_by_reason == {"stock_shortfall": 3}
    stock = [h for h in plan.hints if h.kind == "stock"]
    assert stock[0].source_id == "polres" and stock[0].added == 3
    # One bike with two one-package trips can take one more household, no further.
    assert stock[0].would_serve == 1 and stock[0].checked_by == "routing"
    assert "+3 standard at source polres would serve 1 more" in summary_text(plan, "en")
    # The summary speaks the reader's language (plan.json keeps the English text).
    indonesian = summary_text(plan, "id")
    assert "+3 standard di sumber polres akan melayani penuh 1 rumah tangga lagi" in indonesian
    assert "would serve" not in indonesian


def test_a_vehicle_hint_is_measured_by_re_solving_with_one_more_motorbike() -> None:
    bike = Vehicle(
        id="m1", kind="motorbike", base="polres", capacity_packages=1, capacity_kg=40, max_trips=2
    )
    hs = [household(f"h{i}", 0.003 * (i + 1), 0.0) for i in range(5)]
    sources = [SupplySource(id="polres", location=POLRES, stock={"standard": 10})]
    plan = ktj.plan(day(hs, sources, [bike]), ktj.PlanOptions(hints=True, hint_time_limit_s=1)).plan
    vehicle = [h for h in plan.hints if h.kind == "vehicle"]
    assert vehicle and vehicle[0].base_id == "polres" and vehicle[0].would_serve == 2
    assert not [h for h in plan.hints if h.kind == "stock"]


def test_no_hints_when_everyone_is_served() -> None:
    sources = [SupplySource(id="polres", location=POLRES, stock={"standard": 10})]
    plan = ktj.plan(day([household("h", 0.004, 0.0)], sources), ktj.PlanOptions(hints=True)).plan
    assert plan.hints == [] and plan.shortfall == {}


def test_the_summary_keeps_long_vehicle_names_apart_from_their_kind() -> None:
    """``c-kebayoran-baru-1`` once ran into its kind (``…-1car``) in a fixed-width column."""
    long_id = "c-kebayoran-baru-1-cadangan"
    car = Vehicle(id=long_id, kind="car", base="polres", capacity_packages=10, capacity_kg=300)
    plan = ktj.plan(make_scenario([household("H1", 0.003, 0.0)], [car])).plan
    rows = [line for line in summary_text(plan).splitlines() if line.startswith(long_id)]
    assert rows and all(re.match(rf"{re.escape(long_id)}\s+car\s", row) for row in rows)
