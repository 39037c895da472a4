"""Turn the solver's visit sequences into a ``Plan`` with times, loads and outcomes.

Times are recomputed here by a forward pass (earliest feasible schedule) from the
problem's matrices, so the plan's numbers do not depend on how the solver chose to
report its cumul variables.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Scenario
from .plan import (
    AccessDenial,
    HouseholdOutcome,
    Plan,
    PriorityContribution,
    Route,
    SolverInfo,
    SourceUsage,
    Stop,
    StopKind,
    UnservedReason,
)
from .problem import Problem
from .shape import Shaped
from .solver import SearchConfig, SolveResult, Visit
from .supply import _first_window_end


def _items_dict(problem: Problem, demand: tuple[int, ...]) -> dict[str, int]:
    return {i: n for i, n in zip(problem.items, demand, strict=True) if n}


@dataclass
class _Built:
    route: Route
    served: dict[str, tuple[str, int, int, str, int]]
    used: dict[int, list[int]]
    latest_delay: int  # how much later the vehicle could leave without changing service


def _route(
    scenario: Scenario, problem: Problem, v: int, visits: tuple[Visit, ...], t: int
) -> _Built:
    """Earliest-time schedule of one vehicle's visits, leaving the base at ``t``."""
    spec = problem.vehicles[v]
    veh = scenario.vehicles[v]
    base = scenario.base_by_id()[veh.base]
    dur = problem.durations[spec.profile]
    used: dict[int, list[int]] = {}
    served: dict[str, tuple[str, int, int, str, int]] = {}
    trip, on_board = 0, 0
    base_loc = problem.locations[spec.loc]
    stops = [
        Stop(
            seq=0,
            kind=StopKind.start,
            trip=trip,
            place_id=veh.base,
            label=base.name or veh.base,
            lat=base_loc.lat,
            lon=base_loc.lon,
            arrival_s=t,
            departure_s=t,
        )
    ]
    prev = spec.loc
    delivered = 0
    # Slack of each service start before its window closes; bounds how late we may leave.
    slack = 10**9
    delay: int | None = None
    for seq, vis in enumerate(visits, start=1):
        if vis.kind == "load":
            depot = problem.depots[vis.index]
            here, windows = depot.loc, (depot.window,)  # type: tuple[int, tuple[tuple[int, int], ...]]
            # As in the solver: loading is set up once per visit to a place.
            service = depot.loading_s if here != prev else 0
        else:
            job = problem.jobs[vis.index]
            here, service, windows = job.loc, problem.service_s(vis.index, spec.kind), job.windows
        travel = int(dur[prev, here])
        arrive = t + travel
        begin = _first_window_end(windows, arrive)
        if begin is None:  # the verifier reports it; keep the arrival as is
            begin = arrive
        if delay is None and begin > arrive:
            delay = min(begin - arrive, slack)
        end_of_window = max((e for s_, e in windows if s_ <= begin <= e), default=begin)
        slack = min(slack, end_of_window - begin)
        common = dict(
            seq=seq,
            trip=trip,
            lat=problem.locations[here].lat,
            lon=problem.locations[here].lon,
            arrival_s=arrive,
            departure_s=begin + service,
            wait_s=begin - arrive,
            service_s=service,
            distance_from_previous_m=int(problem.distance[prev, here]),
            travel_from_previous_s=travel,
        )
        if vis.kind == "load":
            load = vis.load
            used[vis.index] = [
                a + b for a, b in zip(used.get(vis.index, [0] * len(load)), load, strict=True)
            ]
            if seq == 1 or visits[seq - 2].kind != "load":
                trip += 1  # a new trip starts with the first load after deliveries
            on_board += sum(load)
            common["trip"] = trip
            stop = Stop(
                kind=StopKind.load,
                place_id=depot.id,
                source_id=depot.id,
                label=scenario.sources[vis.index].name or depot.id,
                items=_items_dict(problem, load),
                load_after_packages=on_board,
                **common,
            )
        else:
            on_board -= job.parcels
            delivered += job.parcels
            stop = Stop(
                kind=StopKind.delivery,
                place_id=job.id,
                label=job.label,
                household_ids=list(job.household_ids),
                items=_items_dict(problem, job.demand),
                load_after_packages=on_board,
                **common,
            )
            for hid in job.household_ids:
                served[hid] = (veh.id, trip, seq, job.id, begin)
        stops.append(stop)
        t = stop.departure_s
        prev = here
    travel = int(dur[prev, spec.loc])
    stops.append(
        Stop(
            seq=len(visits) + 1,
            kind=StopKind.end,
            trip=trip,
            place_id=veh.base,
            label=base.name or veh.base,
            lat=base_loc.lat,
            lon=base_loc.lon,
            arrival_s=t + travel,
            departure_s=t + travel,
            distance_from_previous_m=int(problem.distance[prev, spec.loc]),
            travel_from_previous_s=travel,
            load_after_packages=on_board,
        )
    )
    route = Route(
        vehicle_id=veh.id,
        vehicle_kind=veh.kind.value,
        officer=veh.officer,
        base_id=veh.base,
        stops=stops,
        distance_m=sum(s.distance_from_previous_m for s in stops),
        duration_s=stops[-1].arrival_s - stops[0].arrival_s,
        trips=trip,
        packages_delivered=delivered,
        households_served=sum(len(s.household_ids) for s in stops),
    )
    return _Built(route, served, used, max(0, delay or 0))


def build_plan(
    scenario: Scenario,
    shaped: Shaped,
    problem: Problem,
    result: SolveResult,
    config: SearchConfig,
) -> Plan:
    routes: list[Route] = []
    served: dict[str, tuple[str, int, int, str, int]] = {}
    used = [[0] * len(problem.items) for _ in problem.depots]
    for v, visits in enumerate(result.routes):
        if not visits:
            continue
        built = _route(scenario, problem, v, visits, problem.vehicles[v].shift[0])
        if built.latest_delay > 0:
            # Leave later instead of waiting on the road: same services, shorter day.
            later = _route(
                scenario, problem, v, visits, problem.vehicles[v].shift[0] + built.latest_delay
            )
            if all(
                a.arrival_s + a.wait_s == b.arrival_s + b.wait_s
                for a, b in zip(built.route.stops[1:-1], later.route.stops[1:-1], strict=True)
            ):
                built = later
        routes.append(built.route)
        served.update(built.served)
        for k, amounts in built.used.items():
            used[k] = [a + b for a, b in zip(used[k], amounts, strict=True)]
    outcomes = _outcomes(scenario, shaped, problem, served)
    sources = [
        SourceUsage(
            source_id=d.id,
            stock=_items_dict(problem, d.stock),
            used={i: n for i, n in zip(problem.items, used[k], strict=True) if n},
            left={i: s - u for i, s, u in zip(problem.items, d.stock, used[k], strict=True) if s},
        )
        for k, d in enumerate(problem.depots)
    ]
    return Plan.of_day(
        scenario.name,
        scenario.settings.planning_date,
        list(shaped.plugins),
        routes,
        outcomes,
        sources,
        SolverInfo(
            engine=result.engine,
            status=result.status,
            objective=result.objective,
            wall_s=round(result.wall_s, 3),
            time_limit_s=config.time_limit_s,
            deterministic=config.deterministic,
        ),
    )


def _outcomes(
    scenario: Scenario,
    shaped: Shaped,
    problem: Problem,
    served: dict[str, tuple[str, int, int, str, int]],
) -> list[HouseholdOutcome]:
    job_of = {hid: j for j, job in enumerate(problem.jobs) for hid in job.household_ids}
    out: list[HouseholdOutcome] = []
    for h in scenario.households:
        s = shaped.households[h.id]
        contributions = [
            PriorityContribution(plugin=p.plugin, rule=p.rule, points=p.points, reason=p.reason)
            for p in s.contributions
        ]
        j = job_of[h.id]
        context = {
            "group_key": s.group,
            "denied_vehicle_kinds": [
                AccessDenial(kind=k.value, plugin=p, reason=r) for k, p, r in s.denied
            ],
            "time_windows": [f"{_hm(a)}-{_hm(b)}" for a, b in s.windows_s],
        }
        if h.id in served:
            veh, trip, seq, place, arrival = served[h.id]
            out.append(
                HouseholdOutcome(
                    household_id=h.id,
                    status="served",
                    priority=s.priority,
                    contributions=contributions,
                    vehicle_id=veh,
                    trip=trip,
                    stop_seq=seq,
                    stop_place_id=place,
                    arrival_s=arrival,
                    source_id=problem.depots[problem.assigned[j]].id,
                    items=h.demand(),
                    **context,
                )
            )
            continue
        short: list[str] = []
        if j in problem.excluded:
            ex = problem.excluded[j]
            reason, detail, short = ex.reason, ex.detail, list(ex.short_items)
        else:
            reason = UnservedReason.fleet_capacity
            detail = "no vehicle had time or room left for it after more urgent stops"
        out.append(
            HouseholdOutcome(
                household_id=h.id,
                status="unserved",
                priority=s.priority,
                contributions=contributions,
                items=h.demand(),
                reason=reason,
                reason_detail=detail,
                short_items=short,
                **context,
            )
        )
    return out


def _hm(t: int) -> str:
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}"
