"""Parts made of nearby trips (``_solve/trips.py``) and the part settings that adapt to
the day's shape (``_solve/improve.py``): every trip part fits the model as it stands,
splicing loses nothing, and parts never lengthen the day's longest route."""

from __future__ import annotations

import random
import time

import pytest

import ktj_logistics as ktj
from ktj_logistics import Vehicle
from ktj_logistics._plan import StopKind
from ktj_logistics._problem import Problem
from ktj_logistics._solve import improve, trips
from ktj_logistics._solve.construct import initial_routes
from ktj_logistics._solve.ortools import solve
from ktj_logistics._solve.types import Routes, SearchConfig, Visit

from .conftest import household, make_scenario, problem_of

PRICE = SearchConfig(time_limit_s=0)


def _reload_day(n: int = 80, windows: bool = False) -> ktj.Scenario:
    """Households in four clusters; motorbikes of 4 packages reloading at the Polres."""
    hs = []
    for i in range(n):
        cx, cy = [(-0.012, -0.01), (0.011, -0.009), (-0.01, 0.012), (0.012, 0.011)][i % 4]
        kw: dict[str, object] = {}
        if windows and i % 5 == 0:
            kw["time_windows"] = ["09:00-12:00"]
        hs.append(household(f"H{i}", cx + 0.0005 * (i % 7), cy + 0.0005 * (i // 7 % 5), **kw))
    fleet = [
        Vehicle(id=f"m{k}", kind="motorbike", base="polres", capacity_packages=4, capacity_kg=80)
        for k in range(5)
    ]
    return make_scenario(hs, fleet, stock=200)


@pytest.fixture(scope="module", params=[False, True], ids=["any-time", "windows"])
def reload(request: pytest.FixtureRequest) -> tuple[Problem, Routes]:
    p = problem_of(_reload_day(windows=request.param))
    assert p.single_trip_depot() is None
    return p, initial_routes(p)


def _never_short(problem: Problem, routes: Routes) -> bool:
    """Every delivery is of packages loaded before it (the verifier's check, by counts;
    a load without amounts, as built by hand, takes what is delivered before the next)."""
    for r in routes:
        on_board = 0
        for i, v in enumerate(r):
            if v.kind == StopKind.delivery:
                on_board -= problem.jobs[v.index].parcels
            elif v.load:
                on_board += sum(v.load)
            else:
                for w in r[i + 1 :]:
                    if w.kind == StopKind.load:
                        break
                    on_board += problem.jobs[w.index].parcels
            if on_board < 0:
                return False
    return True


def _served(routes: Routes) -> list[int]:
    return sorted(v.index for r in routes for v in r if v.kind == StopKind.delivery)


def test_every_trip_is_a_slot_that_holds_its_own_trip(reload: tuple[Problem, Routes]) -> None:
    """A trip, cut out with its time slot, is a feasible plan of the stand-in vehicle."""
    problem, routes = reload
    found = trips.slots(problem, routes)
    loads = sum(
        1
        for r in routes
        for i, v in enumerate(r)
        if v.kind == StopKind.load and (i == 0 or r[i - 1].kind != StopKind.load)
    )
    assert len(found) == loads > 10
    for s in found:
        sub = trips.slot_problem(problem, [s], [])
        priced = solve(sub, PRICE, None, (routes[s.vehicle][s.first : s.last],))
        assert priced.start_objective >= 0, s


def test_a_trip_part_fits_the_model_and_splicing_loses_no_stop(
    reload: tuple[Problem, Routes],
) -> None:
    problem, routes = reload
    all_slots = trips.slots(problem, routes)
    rng = random.Random(3)
    for _ in range(5):
        chosen = trips.pick_slots(problem, all_slots, rng, 12)
        assert len(chosen) >= 2 and len({(s.vehicle, s.trip) for s in chosen}) == len(chosen)
        assert sum(len(s.jobs) for s in chosen) >= 12
        sub = trips.slot_problem(problem, chosen, [])
        seed = tuple(routes[s.vehicle][s.first : s.last] for s in chosen)
        found = solve(sub, SearchConfig(time_limit_s=0.3, global_span=False), None, seed)
        assert 0 <= found.objective <= found.start_objective
        after: list[tuple[Visit, ...]] = list(routes)
        trips.splice(after, chosen, found.routes)
        assert _served(tuple(after)) == _served(routes)
        assert _never_short(problem, tuple(after))
        # The day with the new trips still fits the whole model: nothing is late.
        assert solve(problem, PRICE, None, tuple(after)).start_objective >= 0


def test_parts_never_lengthen_the_longest_route(reload: tuple[Problem, Routes]) -> None:
    problem, routes = reload
    longest = max(trips.span_s(problem, v, r) for v, r in enumerate(routes))
    better = improve.improve(
        problem, routes, SearchConfig(time_limit_s=60), time.monotonic() + 60, max_rounds=8
    )
    assert max(trips.span_s(problem, v, r) for v, r in enumerate(better.routes)) <= longest
    assert _served(better.routes) == _served(routes)
    assert _never_short(problem, better.routes)
    assert solve(problem, PRICE, None, better.routes).start_objective >= 0


def test_a_reload_day_planned_with_trip_parts_is_verified_and_serves_everyone() -> None:
    day = _reload_day(120, windows=True)
    result = ktj.plan(day, ktj.PlanOptions(time_limit_s=4, deterministic=False))
    assert result.plan.totals.served == 120
    assert any(s.improve_rounds > 0 for s in result.searches)


def test_a_trip_that_delivers_what_an_earlier_load_took_is_no_slot(
    reload: tuple[Problem, Routes],
) -> None:
    """The model may load at one visit what the vehicle delivers after the next one;
    such trips are not cut out alone (the goods would be left behind)."""
    problem, routes = reload
    v = next(k for k, r in enumerate(routes) if sum(x.kind == StopKind.load for x in r) >= 2)
    r = routes[v]
    loads = [i for i, x in enumerate(r) if x.kind == StopKind.load]
    first, second = loads[0], loads[1]
    ends = [*loads[1:], len(r)]

    def demand(a: int, b: int) -> list[int]:
        d = [0] * len(problem.items)
        for x in r[a + 1 : b]:
            d = [p + q for p, q in zip(d, problem.jobs[x.index].demand, strict=True)]
        return d

    moved = r[second + 1]  # delivered on the second trip, loaded on the first instead
    extra = problem.jobs[moved.index].demand
    one = tuple(a + b for a, b in zip(demand(first, ends[0]), extra, strict=True))
    two = tuple(a - b for a, b in zip(demand(second, ends[1]), extra, strict=True))
    changed = list(routes)
    changed[v] = (
        r[:first]
        + (Visit(StopKind.load, r[first].index, one),)
        + r[first + 1 : second]
        + (Visit(StopKind.load, r[second].index, two),)
        + r[second + 1 :]
    )
    assert _never_short(problem, tuple(changed))
    mine = {s.trip for s in trips.slots(problem, tuple(changed)) if s.vehicle == v}
    assert 0 not in mine and 1 not in mine


@pytest.mark.parametrize(
    ("per_route", "expected"), [(3, 30), (8, 30), (15, 45), (20, 60), (40, 60)]
)
def test_a_part_holds_whole_routes_however_long_they_are(per_route: int, expected: int) -> None:
    """Short routes: the fewest jobs a part aims for; long routes: three of them, capped."""
    visit = Visit(StopKind.delivery, 0)
    routes = tuple((visit,) * per_route for _ in range(6)) + ((),)
    assert improve.PartShape(30, 60, 3).jobs(routes) == expected


def test_trips_piled_on_one_vehicle_are_spread_over_its_twins(
    reload: tuple[Problem, Routes],
) -> None:
    """Parts do not cost the longest route; ``balance`` moves whole trips to twins."""
    problem, routes = reload
    piled: list[tuple[Visit, ...]] = list(routes)
    piled[0], piled[1] = routes[0] + routes[1], ()
    assert solve(problem, PRICE, None, tuple(piled)).start_objective >= 0  # still feasible
    before = [trips.span_s(problem, v, r) for v, r in enumerate(piled)]
    spread = trips.balance(problem, tuple(piled), time.monotonic() + 30)
    after = [trips.span_s(problem, v, r) for v, r in enumerate(spread)]
    assert max(after) < max(before)
    assert _served(spread) == _served(routes) and _never_short(problem, spread)
    assert solve(problem, PRICE, None, spread).start_objective >= 0
    # The same stops in the same order: only whole trips changed hands.
    assert sorted(map(repr, sum(spread, ()))) == sorted(map(repr, sum(tuple(piled), ())))
