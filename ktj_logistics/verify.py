"""Stage 5 — verify: check any plan against its scenario, independently of the solver.

Nothing here reads the solver's model or the ``Problem`` matrices: travel legs are
re-priced with the travel model's own ``leg`` (geopy for geodesic travel), loads are
re-counted from the stops, and access rules, windows and groups come from the plugins'
answers for the scenario. A plan written by hand is checked the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .model import Location, Scenario, SupplySource, Vehicle, VehicleKind
from .plan import Plan, Stop, StopKind
from .shape import Shaped
from .travel import TravelModel


@dataclass(frozen=True)
class Violation:
    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def _tolerance(value: int) -> int:
    """Slack for comparing the solver's vectorised distances with geopy's per-leg ones."""
    return 2 + int(0.002 * abs(value))


def _in_windows(t: int, windows: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> bool:
    return not windows or any(s <= t <= e for s, e in windows)


def verify_plan(
    scenario: Scenario, plan: Plan, shaped: Shaped, travel: TravelModel
) -> list[Violation]:
    """Every way ``plan`` breaks the scenario's rules; an empty list means it is sound."""
    out: list[Violation] = []
    add = out.append
    households = {h.id: h for h in scenario.households}
    vehicles = {v.id: v for v in scenario.vehicles}
    sources = scenario.source_by_id()
    bases = scenario.base_by_id()
    weights = {k: round(v.weight_kg * 1000) for k, v in scenario.settings.items.items()}

    # 1. Nothing lost: every household exactly once, with a reason if unserved.
    counts = Counter(o.household_id for o in plan.households)
    for hid in households:
        if counts[hid] == 0:
            add(Violation("missing_household", f"household {hid} is not in the plan"))
        elif counts[hid] > 1:
            add(Violation("duplicate_household", f"household {hid} appears {counts[hid]} times"))
    for hid in counts:
        if hid not in households:
            add(Violation("unknown_household", f"plan lists household {hid}, not in the input"))
    outcome = {o.household_id: o for o in plan.households}
    for o in plan.households:
        if o.status == "unserved" and o.reason is None:
            add(Violation("no_reason", f"household {o.household_id} is unserved with no reason"))

    # 2. Routes.
    delivered_at: dict[str, list[tuple[str, int]]] = defaultdict(list)
    loaded: dict[str, Counter[str]] = defaultdict(Counter)
    seen_vehicles: set[str] = set()
    for route in plan.routes:
        v = vehicles.get(route.vehicle_id)
        if v is None:
            add(Violation("unknown_vehicle", f"route for unknown vehicle {route.vehicle_id}"))
            continue
        if route.vehicle_id in seen_vehicles:
            add(Violation("duplicate_route", f"vehicle {v.id} has two routes"))
        seen_vehicles.add(v.id)
        speed = v.effective_speed_kmh()
        shift_start, shift_end = v.shift.as_seconds()
        stops = route.stops
        if not stops or stops[0].kind != StopKind.start or stops[-1].kind != StopKind.end:
            add(Violation("route_shape", f"{v.id}: a route must begin with start and end with end"))
            continue
        base = bases[v.base]
        for s in (stops[0], stops[-1]):
            d, _ = travel.leg(base.location, _loc(s), speed)
            if s.place_id != v.base or d > _tolerance(0) + 50:
                add(Violation("wrong_base", f"{v.id}: starts/ends away from its base {v.base}"))
        if stops[0].departure_s < shift_start:
            add(
                Violation(
                    "shift", f"{v.id}: leaves at {_hm(stops[0].departure_s)}, before its shift"
                )
            )
        if stops[-1].arrival_s > shift_end:
            add(
                Violation(
                    "shift",
                    f"{v.id}: back at {_hm(stops[-1].arrival_s)}, after its shift ends "
                    f"at {_hm(shift_end)}",
                )
            )
        # Items on board, by (source, item): a trip may load at several sources, and a
        # household must get its items from the source the plan names for it.
        on_board: Counter[tuple[str, str]] = Counter()
        trips = 0
        last_source: str | None = None
        first = stops[0]
        if first.items:  # a plan may load at the start when the base is a source
            src0 = sources.get(first.source_id or "")
            if src0 is None:
                add(Violation("load_place", f"{v.id}: loads at the start with no source named"))
            else:
                d, _ = travel.leg(src0.location, base.location, speed)
                if d > 100:
                    add(Violation("load_place", f"{v.id}: base {v.base} is not at {src0.id}"))
                _check_load(v.id, v.kind, v.sources, src0, add)
                trips, last_source = 1, src0.id
                on_board.update({(src0.id, k): n for k, n in first.items.items()})
                loaded[src0.id].update(first.items)
        _check_capacity(v, first, on_board, weights, add)
        for prev, s in zip(stops, stops[1:], strict=False):
            d, t = travel.leg(_loc(prev), _loc(s), speed)
            if abs(s.distance_from_previous_m - d) > _tolerance(d):
                add(
                    Violation(
                        "distance",
                        f"{v.id} stop {s.seq}: leg is {d} m, plan says "
                        f"{s.distance_from_previous_m} m",
                    )
                )
            if s.arrival_s + _tolerance(t) < prev.departure_s + t:
                add(
                    Violation(
                        "travel_time",
                        f"{v.id} stop {s.seq}: arrives {_hm(s.arrival_s)} but cannot be there "
                        f"before {_hm(prev.departure_s + t)}",
                    )
                )
            if s.wait_s < 0 or s.departure_s < s.arrival_s + s.wait_s + s.service_s:
                add(Violation("service", f"{v.id} stop {s.seq}: leaves before its service ends"))
            if s.kind == StopKind.load:
                src = sources.get(s.source_id or s.place_id)
                if src is None:
                    add(Violation("load_place", f"{v.id} stop {s.seq}: {s.place_id} is no source"))
                    continue
                if prev.kind != StopKind.load:
                    trips += 1
                last_source = src.id
                _check_load(v.id, v.kind, v.sources, src, add)
                lo, hi = src.load_window_s()
                begin = s.arrival_s + s.wait_s
                if not lo <= begin <= hi:
                    add(
                        Violation(
                            "source_hours",
                            f"{v.id} loads at {src.id} at {_hm(begin)}, "
                            f"outside {_hm(lo)}-{_hm(hi)}",
                        )
                    )
                on_board.update({(src.id, k): n for k, n in s.items.items()})
                loaded[src.id].update(s.items)
            elif s.kind == StopKind.delivery:
                expected: Counter[str] = Counter()
                for hid in s.household_ids:
                    h = households.get(hid)
                    if h is None:
                        add(Violation("unknown_household", f"{v.id} delivers to unknown {hid}"))
                        continue
                    delivered_at[hid].append((v.id, s.seq))
                    expected.update(h.demand())
                    _check_household(v, s, hid, shaped, add)
                    named = outcome.get(hid)
                    sid = named.source_id if named is not None and named.source_id else last_source
                    if sid is None or sid not in sources:
                        add(Violation("no_load", f"{v.id} delivers to {hid} before loading"))
                        continue
                    src = sources[sid]
                    if src.earmark is not None and not src.earmark.allows(h):
                        add(
                            Violation(
                                "earmark", f"{hid} gets stock from {src.id}, earmarked for others"
                            )
                        )
                    for item, n in h.demand().items():
                        on_board[(sid, item)] -= n
                        if on_board[(sid, item)] < 0:
                            add(
                                Violation(
                                    "load",
                                    f"{v.id} stop {s.seq}: hands {item} from {sid} to {hid} "
                                    "but none is on board",
                                )
                            )
                            on_board[(sid, item)] = 0
                if Counter(s.items) != expected:
                    add(
                        Violation(
                            "items",
                            f"{v.id} stop {s.seq}: hands over {dict(s.items)}, the households "
                            f"need {dict(expected)}",
                        )
                    )
            _check_capacity(v, s, on_board, weights, add)
        if v.max_trips is not None and trips > v.max_trips:
            add(Violation("trips", f"{v.id}: {trips} trips, at most {v.max_trips} allowed"))

    # 3. Served means delivered exactly once; unserved means not delivered.
    for hid, o in outcome.items():
        places = delivered_at.get(hid, [])
        if o.status == "served":
            if len(places) != 1:
                add(Violation("served_once", f"household {hid} is delivered {len(places)} times"))
            elif (o.vehicle_id, o.stop_seq) != places[0]:
                add(Violation("outcome", f"household {hid}: outcome and route disagree"))
        elif places:
            add(Violation("unserved_delivered", f"household {hid} is unserved but delivered"))

    # 4. Groups are served in one stop, or not at all; that stop is the group's place
    # (lobby, security post), holds no one else, and keeps the group's own windows.
    for key, g in shaped.groups.items():
        stops_used = {delivered_at[h][0] for h in g.household_ids if delivered_at.get(h)}
        served_n = sum(1 for h in g.household_ids if delivered_at.get(h))
        if len(stops_used) > 1 or 0 < served_n < len(g.household_ids):
            add(Violation("group", f"group {key} is split across stops or partly served"))
    group_of = {h: key for key, g in shaped.groups.items() for h in g.household_ids}
    for route in plan.routes:
        for s in route.stops:
            keys = {group_of.get(h) for h in s.household_ids if h in households}
            if s.kind != StopKind.delivery or keys == {None} or not keys:
                continue
            if len(keys) > 1:
                add(
                    Violation(
                        "group",
                        f"{route.vehicle_id} stop {s.seq} mixes households of different "
                        "stop groups (or grouped and ungrouped ones)",
                    )
                )
                continue
            g = shaped.groups[next(k for k in keys if k is not None)]
            d, _ = travel.leg(g.location, _loc(s), 18.0)
            if d > 50:
                add(
                    Violation(
                        "group_place",
                        f"{route.vehicle_id} stop {s.seq} serves group {g.key} {d} m away "
                        f"from its place ({g.label})",
                    )
                )
            need = g.setup_s + sum(shaped.households[h].service_s for h in g.household_ids)
            if s.service_s < need:
                add(
                    Violation(
                        "service",
                        f"{route.vehicle_id} stop {s.seq}: {s.service_s} s at group {g.key}, "
                        f"{need} s needed (setup + each household)",
                    )
                )
            windows = [w.as_seconds() for w in g.time_windows]
            if not _in_windows(s.arrival_s + s.wait_s, windows):
                add(
                    Violation(
                        "time_window",
                        f"{route.vehicle_id} serves group {g.key} at "
                        f"{_hm(s.arrival_s + s.wait_s)}, outside the group's windows",
                    )
                )

    # 5. Stock.
    for sid, used in loaded.items():
        stock = sources[sid].stock
        for item, n in used.items():
            if n > stock.get(item, 0):
                add(
                    Violation(
                        "stock",
                        f"{n} × {item} loaded at {sid}, which holds {stock.get(item, 0)}",
                    )
                )
    return out


def _check_household(
    v: Vehicle, s: Stop, hid: str, shaped: Shaped, add: Callable[[Violation], None]
) -> None:
    """Access rules, windows and handover time for one household at a delivery stop."""
    sh = shaped.households[hid]
    if v.kind not in sh.allowed_kinds:
        why = "; ".join(r for k, _, r in sh.denied if k == v.kind)
        add(
            Violation(
                "access",
                f"{v.id} ({v.kind.value}) serves household {hid}, where "
                f"{v.kind.value}s are not allowed: {why}",
            )
        )
    begin = s.arrival_s + s.wait_s
    if sh.window_conflict or not _in_windows(begin, sh.windows_s):
        add(Violation("time_window", f"{v.id} serves {hid} at {_hm(begin)}, outside its windows"))
    need = sh.service_s + sh.extra_service_s.get(VehicleKind(v.kind), 0)
    if len(s.household_ids) == 1 and s.service_s < need:
        add(
            Violation(
                "service", f"{v.id} stop {s.seq}: {s.service_s} s of service, {need} s needed"
            )
        )


def _check_capacity(
    v: Vehicle,
    s: Stop,
    on_board: Counter[tuple[str, str]],
    weights: dict[str, int],
    add: Callable[[Violation], None],
) -> None:
    parcels = sum(n for n in on_board.values() if n > 0)
    grams = sum(weights.get(item, 0) * n for (_, item), n in on_board.items() if n > 0)
    if parcels > v.capacity_packages or grams > round(v.capacity_kg * 1000):
        add(
            Violation(
                "capacity",
                f"{v.id} stop {s.seq}: carries {parcels} items / {grams / 1000:.1f} kg; "
                f"capacity {v.capacity_packages} / {v.capacity_kg} kg",
            )
        )


def _check_load(
    vehicle_id: str,
    kind: VehicleKind,
    allowed_sources: list[str],
    src: SupplySource,
    add: Callable[[Violation], None],
) -> None:
    if allowed_sources and src.id not in allowed_sources:
        add(Violation("load_permission", f"{vehicle_id} may not load at {src.id}"))
    if src.vehicle_kinds and kind not in src.vehicle_kinds:
        add(Violation("load_permission", f"{kind.value}s may not load at {src.id}"))


def _loc(stop: Stop) -> Location:
    return Location(lat=stop.lat, lon=stop.lon)


def _hm(t: int) -> str:
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}"
