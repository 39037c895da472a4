"""Planning a large day by parts: one complete plan, verified against the whole day."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest

from ktj_logistics import travel
from ktj_logistics._scenario import TimeWindow
from ktj_logistics._parts.worker import PartJob, solve_part
from ktj_logistics._engine import host_for
from ktj_logistics._parts.runners import InlineRunner, LocalPoolRunner
from ktj_logistics._parts.plan_by_parts import ScaleOptions, plan_large
from ktj_logistics._shape import shape
from ktj_logistics._verify.checker import verify_plan

from .days import day


def _verified(result):
    sc = result.scenario
    t = travel.travel_for(sc.settings.coordinates, sc.settings.detour_factor)
    return verify_plan(sc, result.plan, shape(sc, host_for(sc)), t) == []


def test_a_decomposed_day_gives_one_complete_verified_plan():
    sc = day(per_area=40)
    r = plan_large(sc, options=ScaleOptions(part_size=20), runner=InlineRunner())
    assert len(r.parts) >= 6
    assert [o.household_id for o in r.plan.households] == [h.id for h in sc.households]
    assert r.plan.totals.served + r.plan.totals.unserved == len(sc.households)
    assert _verified(r)


def test_progress_reports_parts_done_and_households_served():
    sc = day(per_area=20)
    seen = []
    r = plan_large(
        sc,
        options=ScaleOptions(part_size=10),
        runner=InlineRunner(),
        progress=lambda done, total, served: seen.append((done, total, served)),
    )
    assert [d for d, _, _ in seen] == list(range(1, len(seen) + 1))
    assert seen[-1][0] == seen[-1][1]
    assert seen[-1][2] == r.plan.totals.served


def test_no_travel_matrix_spans_the_whole_day(monkeypatch):
    sizes = []
    real = travel.GeodesicTravel.distances

    def spy(self, points):
        sizes.append(len(points))
        return real(self, points)

    monkeypatch.setattr(travel.GeodesicTravel, "distances", spy)
    sc = day(per_area=40)
    plan_large(sc, options=ScaleOptions(part_size=20, repair=False), runner=InlineRunner())
    assert sizes
    assert max(sizes) < 40


def _no_constructed_start(monkeypatch):
    """Without the constructed start, a tiny time limit leaves OR-Tools with nothing."""
    import ktj_logistics._engine as pipeline

    monkeypatch.setattr(
        pipeline, "initial_routes", lambda problem: tuple(() for _ in problem.vehicles)
    )


def test_too_little_time_drops_a_whole_part_with_an_ordinary_status(monkeypatch):
    _no_constructed_start(monkeypatch)
    sc = day(per_area=50, vehicles_per_area=3, deterministic=False)
    o = solve_part(PartJob("all", sc, 0.03, False))
    # Either nothing at all, or households dropped with the status of a normal
    # time-limited run -- which only the served/dropped count per part reveals.
    assert o.plan is None or (
        o.plan.solver.status in {"success", "partial_success", "fail_timeout"}
        and o.unserved > 0
        and o.unexplained_drops > 0
    )


def test_a_part_that_drops_households_for_no_reason_is_solved_again(monkeypatch):
    _no_constructed_start(monkeypatch)
    sc = day(per_area=150, vehicles_per_area=4, deterministic=False)
    r = plan_large(
        sc,
        options=ScaleOptions(part_size=200, time_limit_s=0.005, retry_time_s=2.0, repair=False),
        runner=InlineRunner(),
    )
    assert any(p.retried for p in r.parts)
    assert all(p.unexplained_drops == 0 and p.served > 0 for p in r.parts)
    assert _verified(r)


def test_households_left_for_lack_of_fleet_get_a_second_chance_next_door():
    sc = day(per_area=30, vehicles_per_area=2, deterministic=False, time_limit_s=0.5)
    # Pancoran keeps one motorbike for two hours: it cannot serve its 30 households.
    two_hours = TimeWindow(start=time(8, 0), end=time(10, 0))
    vehicles = [
        v.model_copy(update={"shift": two_hours}) if v.id == "pancoran-1" else v
        for v in sc.vehicles
        if v.id != "pancoran-0"
    ]
    short = sc.model_copy(update={"vehicles": vehicles})
    opts = ScaleOptions(part_size=100, rebalance=False)
    without = plan_large(short, options=replace(opts, repair=False), runner=InlineRunner())
    repaired = plan_large(short, options=opts, runner=InlineRunner())
    assert without.plan.totals.unserved_by_reason.get("fleet_capacity", 0) > 0
    assert repaired.plan.totals.served > without.plan.totals.served
    assert any(p.repaired for p in repaired.parts)
    assert _verified(repaired)


def test_the_local_pool_gives_the_same_plan_as_one_process():
    sc = day(per_area=12)
    opts = ScaleOptions(part_size=10)
    inline = plan_large(sc, options=opts, runner=InlineRunner())
    pooled = plan_large(sc, options=opts, runner=LocalPoolRunner(2))
    assert pooled.runner == "local"
    assert pooled.plan.model_dump(exclude={"solver"}) == inline.plan.model_dump(exclude={"solver"})


@pytest.mark.parametrize("method", ["sweep", "kmeans"])
def test_both_clusterings_plan_the_whole_day(method):
    sc = day(per_area=30)
    r = plan_large(sc, options=ScaleOptions(part_size=15, method=method), runner=InlineRunner())
    assert r.plan.totals.households == len(sc.households)
