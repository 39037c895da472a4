"""Property-based: on random small supply days, no rule of stock, earmark or load is broken.

Each example is planned with a tiny deterministic search and checked here by recounting
the routes, independently of the verifier (which ``run`` applies as well).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ktj_logistics as ktj
from ktj_logistics import (
    Base,
    Earmark,
    EmptyDay,
    ItemKind,
    Location,
    Scenario,
    Settings,
    SupplySource,
    Vehicle,
)
from ktj_logistics._allocate import Reach, allocate
from ktj_logistics._cost import travel_for
from ktj_logistics._plugins.host import build_host
from ktj_logistics._problem import Day, day_of
from ktj_logistics._shape import shape

from .conftest import POLRES
from .recount import recount

KELURAHAN = ["PULO", "MELAWAI", "GANDARIA"]
ITEMS = {"standard": ItemKind(weight_kg=15), "infant_pack": ItemKind(weight_kg=3)}
offset = st.floats(-0.02, 0.02, allow_nan=False)


@st.composite
def supply_day(draw: st.DrawFn, single_item: bool = False) -> Scenario:
    """2-4 sources (some with infant packs, earmarks, vehicle kinds), 1-3 vehicles, 1-8
    households; ``single_item``: each household needs exactly one standard package."""
    n_sources = draw(st.integers(2, 4))
    sources = []
    for k in range(n_sources):
        stock = {"standard": draw(st.integers(0, 2 if single_item else 6))}
        if draw(st.booleans()):
            stock["infant_pack"] = draw(st.integers(0, 3))
        earmark = None
        if draw(st.integers(0, 2)) == 0:
            earmark = Earmark(
                kelurahan=draw(
                    st.lists(st.sampled_from(KELURAHAN), min_size=1, max_size=2, unique=True)
                )
            )
        kinds = draw(st.sampled_from([[], [], ["car"], ["motorbike"]]))
        sources.append(
            SupplySource(
                id=f"s{k}",
                location=Location(lat=POLRES.lat + draw(offset), lon=POLRES.lon + draw(offset)),
                stock=stock,
                earmark=earmark,
                vehicle_kinds=kinds,
            )
        )
    ids = [s.id for s in sources]
    vehicles = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["motorbike", "car"]))
        cap = draw(st.integers(1, 2)) if kind == "motorbike" else draw(st.integers(3, 6))
        allowed = draw(st.lists(st.sampled_from(ids), max_size=len(ids), unique=True))
        vehicles.append(
            Vehicle(
                id=f"v{i}",
                kind=kind,  # type: ignore[arg-type]
                base="polres",
                capacity_packages=cap,
                capacity_kg=cap * 16,
                sources=allowed,
                max_trips=draw(st.none() | st.integers(1, 4)),
            )
        )
    households = []
    for i in range(draw(st.integers(1, 8))):
        households.append(
            ktj.Household(
                id=f"h{i}",
                location=Location(lat=POLRES.lat + draw(offset), lon=POLRES.lon + draw(offset)),
                kelurahan=draw(st.sampled_from(KELURAHAN)),
                packages_needed=1 if single_item else draw(st.integers(0, 2)),
                items={"infant_pack": 1}
                if not single_item and draw(st.integers(0, 3)) == 0
                else {},
                elderly=draw(st.booleans()),
                comorbid=draw(st.booleans()),
                time_windows=draw(st.sampled_from([[], [], ["09:00-12:00"], ["13:00-15:00"]])),
            )
        )
    return Scenario(
        name="random-supply",
        settings=Settings(planning_date="2021-07-01", items=ITEMS),  # type: ignore[arg-type]
        sources=sources,
        bases=[Base(id="polres", location=POLRES)],
        vehicles=vehicles,
        households=households,
    )


TINY = ktj.PlanOptions(time_limit_s=1, deterministic=True, search_solutions=20, workers=1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_day())
def test_random_days_keep_stock_earmarks_capacity_and_account_for_everyone(sc: Scenario) -> None:
    try:
        plan = ktj.plan(sc, TINY).plan  # raises if the verifier finds anything
    except EmptyDay as exc:  # nobody can be served: every household still has a reason
        plan = exc.plan
    sources = sc.source_by_id()
    households = {h.id: h for h in sc.households}
    vehicles = {v.id: v for v in sc.vehicles}
    for r in plan.routes:
        v = vehicles[r.vehicle_id]
        for s in r.stops:
            if s.items and s.kind.value in ("start", "load"):
                source = sources[s.source_id or ""]
                assert not v.sources or source.id in v.sources
                assert not source.vehicle_kinds or v.kind in source.vehicle_kinds
    for o in plan.households:
        for visit in o.visits:  # each visit's items come from a source that may give them
            own = sources[visit.source_id]
            assert own.earmark is None or own.earmark.allows(households[o.household_id])
            assert all(own.stock.get(item, 0) >= n for item, n in visit.items.items())
    assert recount(sc, plan) == []


@settings(max_examples=150, deadline=None)
@given(supply_day(single_item=True))
def test_households_left_out_for_stock_are_never_more_urgent_than_an_allocated_rival(
    sc: Scenario,
) -> None:
    """With one package per stop the allocation is exact (greedy on a transversal
    matroid): a stop left without stock could not take a less urgent stop's place."""
    day = day_of(sc, shape(sc, build_host(sc.plugins)))
    travel = travel_for(sc.settings)
    alloc = allocate(sc, day, travel)
    reach = Reach(day, travel)
    for j, ex in alloc.excluded.items():
        job = day.jobs[j]
        if ex.reason.value != "stock_shortfall":
            continue
        h = sc.household(job.household_ids[0])
        for i, k in alloc.assigned.items():
            src = sc.source_by_id()[day.depots[k].id]
            if day.jobs[i].priority < job.priority and (
                src.earmark is None or src.earmark.allows(h)
            ):
                assert not _could_use(day, reach, j, k)


def _could_use(day: Day, reach: Reach, j: int, k: int) -> bool:
    job, depot = day.jobs[j], day.depots[k]
    return any(
        v.kind in job.kinds
        and k in v.depots
        and job.parcels <= v.cap_parcels
        and job.weight_g <= v.cap_weight_g
        and reach.can_serve(job, depot, v, job.service_s + job.extra_service_s.get(v.kind, 0))
        for v in day.vehicles
    )
