"""Planning a large day by parts: one complete plan, verified against the whole day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import time
from typing import Any

import pytest

import ktj_logistics as ktj
from ktj_logistics import PlanOptions, TimeWindow
from ktj_logistics._parts import PartsSettings
from ktj_logistics._parts.runners import InlineRunner, LocalPoolRunner, OnDone
from ktj_logistics._parts.worker import PartJob, PartOutcome, solve_part
from ktj_logistics._solve.types import SearchConfig

from .conftest import problem_of
from .days import day

QUICK = dict(time_limit_s=2, search_solutions=30, method="parts")


def _by_parts(
    sc: ktj.Scenario,
    runner: object = None,
    budget: float = 2,
    solutions: int = 30,
    **settings: object,
) -> ktj.Result:
    parts = PartsSettings(**{"workers": 1, **settings})  # type: ignore[arg-type]
    options = PlanOptions(
        **{**QUICK, "time_limit_s": budget, "search_solutions": solutions},
        parts_runner=runner or InlineRunner(),
        parts_settings=parts,
    )
    return ktj.plan(sc, options)


def test_a_decomposed_day_gives_one_complete_verified_plan() -> None:
    sc = day(per_area=40)
    r = _by_parts(sc, part_size=20)
    assert r.method == "parts" and len(r.parts) >= 6
    assert [o.household_id for o in r.plan.households] == [h.id for h in sc.households]
    assert r.plan.totals.served + r.plan.totals.unserved == len(sc.households)
    assert ktj.verify(sc, r.plan) == []


def test_progress_reports_parts_done_and_households_served() -> None:
    sc = day(per_area=20)
    seen: list[ktj.Progress] = []
    options = PlanOptions(
        **QUICK,
        parts_runner=InlineRunner(),
        parts_settings=PartsSettings(part_size=10, workers=1),
        progress=seen.append,
    )
    r = ktj.plan(sc, options)
    assert [p.parts_done for p in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].parts_done == seen[-1].parts_total
    assert seen[-1].served == r.plan.totals.served
    assert all(p.stage == "parts" and p.households == len(sc.households) for p in seen)


class _Recording(InlineRunner):
    """Runs parts in this process and keeps the jobs it was given."""

    def __init__(self) -> None:
        self.jobs: list[PartJob] = []

    def run(self, jobs: Sequence[PartJob], on_done: OnDone | None = None) -> list[PartOutcome]:
        self.jobs.extend(jobs)
        return super().run(jobs, on_done)


def test_no_travel_matrix_spans_the_whole_day() -> None:
    sc = day(per_area=40)
    runner = _Recording()
    _by_parts(sc, runner, part_size=20, repair=False)
    sizes = [len(j.problem.locations) for j in runner.jobs]
    assert sizes and max(sizes) < 40


def test_too_little_time_drops_a_whole_part_with_an_ordinary_status() -> None:
    p = problem_of(day(per_area=50, vehicles_per_area=3, deterministic=False))
    starved = SearchConfig(time_limit_s=0.03, use_initial=False)
    o = solve_part(PartJob("all", p, starved))
    # Either nothing at all, or households dropped with the status of a normal
    # time-limited run -- which only the served/dropped count per part reveals.
    assert o.scheduled is None or (
        o.status in {"success", "partial_success", "fail_timeout"}
        and o.dropped
        and o.unexplained_drops > 0
    )


class _StarvedFirstRound(InlineRunner):
    """The first round gets almost no time and no constructed start; later ones are normal."""

    def __init__(self) -> None:
        self.rounds = 0

    def run(self, jobs: Sequence[PartJob], on_done: OnDone | None = None) -> list[PartOutcome]:
        self.rounds += 1
        if self.rounds == 1:
            starve = {"time_limit_s": 0.005, "use_initial": False}
            jobs = [replace(j, config=replace(j.config, **starve)) for j in jobs]  # type: ignore[arg-type]
        return super().run(jobs, on_done)


def test_a_part_that_drops_households_for_no_reason_is_solved_again() -> None:
    sc = day(per_area=150, vehicles_per_area=4, deterministic=False)
    r = _by_parts(sc, _StarvedFirstRound(), part_size=200, repair=False)
    assert any(p.retried for p in r.parts)
    assert all(p.unexplained_drops == 0 and p.served > 0 for p in r.parts)
    assert ktj.verify(sc, r.plan) == []


def test_households_left_for_lack_of_fleet_get_a_second_chance_next_door() -> None:
    sc = day(per_area=30, vehicles_per_area=2)  # deterministic: parts end well before the budget
    # Pancoran keeps one motorbike for two hours: it cannot serve its 30 households.
    two_hours = TimeWindow(start=time(8, 0), end=time(10, 0))
    vehicles = [
        v.model_copy(update={"shift": two_hours}) if v.id == "pancoran-1" else v
        for v in sc.vehicles
        if v.id != "pancoran-0"
    ]
    short = sc.model_copy(update={"vehicles": vehicles})
    # Deterministic parts take what they need, not the budget: time is left for repair.
    # Ten solutions a search give the same counts as thirty (68 served, 22 for lack of
    # fleet; 90 repaired) in a third of the time.
    quick: dict[str, Any] = {"budget": 20, "solutions": 10, "part_size": 100, "rebalance": False}
    without = _by_parts(short, repair=False, **quick)
    repaired = _by_parts(short, **quick)
    assert without.plan.totals.unserved_by_reason.get("fleet_capacity", 0) > 0
    assert repaired.plan.totals.served > without.plan.totals.served
    assert any(p.repaired for p in repaired.parts)
    assert ktj.verify(short, repaired.plan) == []


def test_vehicles_their_part_left_unused_serve_households_another_part_dropped() -> None:
    """Tebet's households all live in alleys, so its car has nothing to do; Pancoran has
    one motorbike for two hours. Without lending or repair, the car is pooled for the
    households Pancoran left out."""
    sc = day(per_area=30, vehicles_per_area=2)
    two_hours = TimeWindow(start=time(8, 0), end=time(10, 0))
    vehicles = [
        v.model_copy(update={"shift": two_hours}) if v.id == "pancoran-1" else v
        for v in sc.vehicles
        if v.id != "pancoran-0"
    ]
    households = [
        h.model_copy(update={"settlement_type": "dense_settlement"})
        if h.kecamatan == "TEBET"
        else h
        for h in sc.households
    ]
    short = sc.model_copy(update={"vehicles": vehicles, "households": households})
    fixed = dict(budget=20, solutions=10, part_size=100, rebalance=False, repair=False)
    without = _by_parts(short, pool=False, **fixed)
    pooled = _by_parts(short, **fixed)
    assert "tebet-0" not in {r.vehicle_id for r in without.plan.routes}
    assert without.plan.totals.unserved_by_reason.get("fleet_capacity", 0) > 0
    assert pooled.plan.totals.served > without.plan.totals.served
    pool = next(p for p in pooled.parts if p.key == "pool")
    assert pool.served == pooled.plan.totals.served - without.plan.totals.served
    helped = {o.household_id for o in pooled.plan.served() if o.vehicle_id == "tebet-0"}
    assert helped and all(h.startswith("PAN") for h in helped)
    assert [o.household_id for o in pooled.plan.households] == [h.id for h in short.households]
    assert ktj.verify(short, pooled.plan) == []


def test_the_local_pool_gives_the_same_plan_as_one_process() -> None:
    sc = day(per_area=12)
    inline = _by_parts(sc, part_size=10)
    pooled = _by_parts(sc, LocalPoolRunner(2), part_size=10)
    assert pooled.plan.model_dump(exclude={"solver"}) == inline.plan.model_dump(exclude={"solver"})


@pytest.mark.parametrize("method", ["sweep", "kmeans"])
def test_both_clusterings_plan_the_whole_day(method: str) -> None:
    sc = day(per_area=30)
    r = _by_parts(sc, part_size=15, method=method)
    assert r.plan.totals.households == len(sc.households)
    assert ktj.verify(sc, r.plan) == []


def test_a_large_day_is_planned_by_parts_unasked() -> None:
    """``method="auto"``: more than twice part_size households go by parts."""
    sc = day(per_area=30)
    small = PlanOptions(time_limit_s=1, search_solutions=10, part_size=200, workers=1)
    assert ktj.plan(sc, small).method == "whole"
    parted = small.model_copy(update={"part_size": 40, "parts_runner": InlineRunner()})
    assert ktj.plan(sc, parted).method == "parts"


def test_unserved_reasons_on_a_large_day_are_true_for_the_whole_day() -> None:
    """Allocation runs once for the day: a household left without an infant pack is told
    the packs ran out (two sources stock them), and one too big for its part's vehicles
    is measured against the largest vehicle of the whole district."""
    sc = day(per_area=30, vehicles_per_area=2)
    infant = ktj.ItemKind(weight_kg=3)
    big_van = ktj.Vehicle(
        id="van-tebet", kind="van", base="polsek-tebet", capacity_packages=30, capacity_kg=600
    )
    donor = sc.sources[0].model_copy(
        update={"id": "donor", "stock": {"standard": 20, "infant_pack": 2}}
    )
    polres = sc.sources[0].model_copy(update={"stock": {"standard": 200, "infant_pack": 2}})
    babies = [
        h.model_copy(update={"items": {"infant_pack": 1}, "child_under_5": True})
        for h in sc.households[:6]
    ]
    huge = sc.households[40].model_copy(update={"packages_needed": 12})
    households = [*babies, *sc.households[6:40], huge, *sc.households[41:]]
    settings = sc.settings.model_copy(
        update={"items": {**sc.settings.items, "infant_pack": infant}}
    )
    big_day = sc.model_copy(
        update={
            "settings": settings,
            "sources": [polres, donor],
            "vehicles": [*sc.vehicles, big_van],
            "households": households,
        }
    )
    r = _by_parts(big_day, part_size=20)
    assert r.method == "parts"
    # Two babies miss their infant pack (four for six) but still get their rice.
    short = [o for o in r.plan.households if o.missing]
    assert len(short) == 2 and all(o.status == "served" for o in short)
    assert all([m.item for m in o.missing] == ["infant_pack"] for o in short)
    assert all("ran out for more urgent households" in o.missing[0].detail for o in short)
    o = r.plan.outcome(huge.id)
    assert o.status == "served", (o.reason, o.reason_detail)  # the Tebet van carries 30
