"""One route at a time: base and shift, every leg re-priced, loads, deliveries, capacity.

Items on board are tracked by (source, item): a trip may load at several sources, and a
household must get its items from the source the plan names for its visit. Capacity
counts package places (``Settings.package_places``) and kilograms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from .._cost import Profile, TravelModel
from .._kinds import VehicleKind, VehicleRole
from .._plan import HouseholdOutcome, Route, Stop, StopKind
from .._scenario import Hub, Location, Scenario, SupplySource, Vehicle
from .._shape import Shaped
from .._timefmt import hhmm
from .hubs import HubEvent, at_hub, events
from .violation import Violation

START_AT_BASE_M = 50
"""How far a route's start or end may lie from its vehicle's base (rounding of points)."""


@dataclass
class Trace:
    """What the routes did, for the checks across routes."""

    delivered_at: dict[str, list[tuple[str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # household -> (vehicle, stop seq)
    handed: dict[tuple[str, str, int], Counter[str]] = field(default_factory=dict)
    """(household, vehicle, stop seq) -> the items handed over there."""
    loaded: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    vehicles: set[str] = field(default_factory=set)
    hub_events: list[HubEvent] = field(default_factory=list)


def tolerance(value: int) -> int:
    """Slack for comparing the solver's vectorised distances with ``leg``'s per-leg ones."""
    return 2 + int(0.002 * abs(value))


def in_windows(t: int, windows: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> bool:
    return not windows or any(s <= t <= e for s, e in windows)


def location(stop: Stop) -> Location:
    return Location(lat=stop.lat, lon=stop.lon)


class _RouteCheck:
    def __init__(
        self,
        scenario: Scenario,
        shaped: Shaped,
        travel: TravelModel,
        v: Vehicle,
        outcome: Mapping[str, HouseholdOutcome],
        trace: Trace,
    ) -> None:
        self.scenario, self.shaped, self.travel, self.v = scenario, shaped, travel, v
        self.outcome, self.trace = outcome, trace
        self.profile = Profile(v.kind, v.effective_speed_kmh())
        self.sources = scenario.source_by_id()
        self.hubs = scenario.hub_by_id()
        self.area = scenario.area_of(v)
        self.households = {h.id: h for h in scenario.households}
        st = scenario.settings
        self.weights = {k: round(i.weight_kg * 1000) for k, i in st.items.items()}
        self.places = {k: st.package_places(k) for k in st.items}
        self.out: list[Violation] = []
        self.on_board: Counter[tuple[str, str]] = Counter()
        self.trips = 0
        self.last_source: str | None = None

    def add(self, code: str, message: str) -> None:
        self.out.append(Violation(code, message))

    def run(self, route: Route) -> list[Violation]:
        stops = route.stops
        if not stops or stops[0].kind != StopKind.start or stops[-1].kind != StopKind.end:
            self.add("route_shape", f"{self.v.id}: a route must begin with start and end with end")
            return self.out
        self.base_and_shift(stops[0], stops[-1])
        self.start_load(stops[0])
        self.capacity(stops[0])
        for prev, s in zip(stops, stops[1:], strict=False):
            self.leg(prev, s)
            if s.kind == StopKind.load and s.place_id in self.hubs:
                self.hub_load(prev, s, self.hubs[s.place_id])
            elif s.kind == StopKind.load:
                self.load(prev, s)
            elif s.kind == StopKind.unload:
                self.unload(s)
            elif s.kind == StopKind.delivery:
                self.delivery(s)
            self.capacity(s)
        if self.v.max_trips is not None and self.trips > self.v.max_trips:
            self.add(
                "trips", f"{self.v.id}: {self.trips} trips, at most {self.v.max_trips} allowed"
            )
        ridden = sum(s.distance_from_previous_m for s in stops)
        if self.v.max_km is not None and ridden > round(self.v.max_km * 1000) + tolerance(ridden):
            self.add(
                "max_km",
                f"{self.v.id}: rides {ridden / 1000:.1f} km, at most {self.v.max_km:g} km allowed",
            )
        return self.out

    def base_and_shift(self, first: Stop, last: Stop) -> None:
        v = self.v
        base = self.scenario.base_by_id()[v.base]
        for s in (first, last):
            place, at = v.base, base.location
            if v.start is not None and s is first:  # a re-plan: where the vehicle was found
                place, at = f"start:{v.id}", Location(lat=v.start.lat, lon=v.start.lon)
            d, _ = self.travel.leg(at, location(s), self.profile)
            if s.place_id != place or d > tolerance(0) + START_AT_BASE_M:
                self.add("wrong_base", f"{v.id}: starts/ends away from {place}")
        shift_start, shift_end = v.shift.as_seconds()
        if first.departure_s < shift_start:
            self.add("shift", f"{v.id}: leaves at {hhmm(first.departure_s)}, before its shift")
        if last.arrival_s > shift_end:
            self.add(
                "shift",
                f"{v.id}: back at {hhmm(last.arrival_s)}, after its shift ends "
                f"at {hhmm(shift_end)}",
            )

    def start_load(self, first: Stop) -> None:
        """A plan may load at the start when the base is a source."""
        if not first.items:
            return
        v = self.v
        src = self.sources.get(first.source_id or "")
        if src is None:
            self.add("load_place", f"{v.id}: loads at the start with no source named")
            return
        base = self.scenario.base_by_id()[v.base]
        d, _ = self.travel.leg(src.location, base.location, self.profile)
        if d > 2 * START_AT_BASE_M:
            self.add("load_place", f"{v.id}: base {v.base} is not at {src.id}")
        self.permission(src)
        self.trips, self.last_source = 1, src.id
        self.on_board.update({(src.id, k): n for k, n in first.items.items()})
        self.trace.loaded[src.id].update(first.items)

    def leg(self, prev: Stop, s: Stop) -> None:
        v = self.v
        d, t = self.travel.leg(location(prev), location(s), self.profile)
        if abs(s.distance_from_previous_m - d) > tolerance(d):
            self.add(
                "distance",
                f"{v.id} stop {s.seq}: leg is {d} m, plan says {s.distance_from_previous_m} m",
            )
        if s.arrival_s + tolerance(t) < prev.departure_s + t:
            self.add(
                "travel_time",
                f"{v.id} stop {s.seq}: arrives {hhmm(s.arrival_s)} but cannot be there "
                f"before {hhmm(prev.departure_s + t)}",
            )
        if s.wait_s < 0 or s.departure_s < s.arrival_s + s.wait_s + s.service_s:
            self.add("service", f"{v.id} stop {s.seq}: leaves before its service ends")

    def load(self, prev: Stop, s: Stop) -> None:
        v = self.v
        src = self.sources.get(s.source_id or s.place_id)
        if src is None:
            self.add("load_place", f"{v.id} stop {s.seq}: {s.place_id} is no source")
            return
        if prev.kind != StopKind.load:
            self.trips += 1
        self.last_source = src.id
        self.permission(src)
        lo, hi = src.load_window_s()
        begin = s.arrival_s + s.wait_s
        if not lo <= begin <= hi:
            self.add(
                "source_hours",
                f"{v.id} loads at {src.id} at {hhmm(begin)}, outside {hhmm(lo)}-{hhmm(hi)}",
            )
        self.on_board.update({(src.id, k): n for k, n in s.items.items()})
        self.trace.loaded[src.id].update(s.items)

    def hub_load(self, prev: Stop, s: Stop, hub: Hub) -> None:
        """Loading staged stock at a hub: the source it came from is named on the stop."""
        v, who = self.v, f"{self.v.id} stop {s.seq}"
        self.out += at_hub(self.scenario, self.travel, hub, s, self.profile, who)
        if prev.kind != StopKind.load:
            self.trips += 1
        if v.sources and hub.id not in v.sources:
            self.add("load_permission", f"{v.id} may not load at hub {hub.id}")
        if hub.vehicle_kinds and v.kind not in hub.vehicle_kinds:
            self.add("load_permission", f"{v.kind.value}s may not load at hub {hub.id}")
        sid = s.source_id or ""
        if sid not in self.sources:
            self.add("load_place", f"{who}: loads at hub {hub.id} without naming a source")
            return
        self.last_source = sid
        self.on_board.update({(sid, k): n for k, n in s.items.items()})
        begin = s.arrival_s + s.wait_s
        self.trace.hub_events += events(hub.id, sid, s.items, -1, begin, who)

    def unload(self, s: Stop) -> None:
        """A trunk vehicle leaves stock at a hub: only what it has on board."""
        who = f"{self.v.id} stop {s.seq}"
        hub = self.hubs.get(s.place_id)
        sid = s.source_id or ""
        if hub is None or sid not in self.sources:
            self.add(
                "unload_place",
                f"{who}: unloads at {s.place_id}, which is no hub, or names no source",
            )
            return
        self.out += at_hub(self.scenario, self.travel, hub, s, self.profile, who)
        for item, n in s.items.items():
            self.on_board[(sid, item)] -= n
            if self.on_board[(sid, item)] < 0:
                self.add("load", f"{who}: unloads {item} from {sid} but not that many on board")
                self.on_board[(sid, item)] = 0
        self.trace.hub_events += events(hub.id, sid, s.items, 1, s.departure_s, who)

    def delivery(self, s: Stop) -> None:
        v = self.v
        if v.role == VehicleRole.trunk:
            self.add("trunk_delivery", f"{v.id} is a trunk vehicle but delivers at stop {s.seq}")
        expected: Counter[str] = Counter()
        for hid in s.household_ids:
            h = self.households.get(hid)
            if h is None:
                self.add("unknown_household", f"{v.id} delivers to unknown {hid}")
                continue
            self.trace.delivered_at[hid].append((v.id, s.seq))
            given = Counter(s.handovers[hid] if s.handovers else h.demand())
            if s.handovers and hid not in s.handovers:
                self.add("items", f"{v.id} stop {s.seq}: no handover listed for {hid}")
            self.trace.handed[(hid, v.id, s.seq)] = given
            expected.update(given)
            self.household(s, hid)
            sid = self.source_of(hid, s)
            if sid is None or sid not in self.sources:
                self.add("no_load", f"{v.id} delivers to {hid} before loading")
                continue
            src = self.sources[sid]
            if src.earmark is not None and not src.earmark.allows(h):
                self.add("earmark", f"{hid} gets stock from {src.id}, earmarked for others")
            for item, n in given.items():
                self.on_board[(sid, item)] -= n
                if self.on_board[(sid, item)] < 0:
                    self.add(
                        "load",
                        f"{v.id} stop {s.seq}: hands {item} from {sid} to {hid} "
                        "but none is on board",
                    )
                    self.on_board[(sid, item)] = 0
        if Counter(s.items) != expected:
            self.add(
                "items",
                f"{v.id} stop {s.seq}: hands over {dict(s.items)}, the households get "
                f"{dict(expected)}",
            )

    def source_of(self, hid: str, s: Stop) -> str | None:
        """The source the plan names for this visit (1.1), or for the household (1.0)."""
        named = self.outcome.get(hid)
        if named is None:
            return self.last_source
        for visit in named.visits:
            if (visit.vehicle_id, visit.stop_seq) == (self.v.id, s.seq):
                return visit.source_id
        return named.source_id or self.last_source

    def household(self, s: Stop, hid: str) -> None:
        """Access rules, windows and handover time for one household at a delivery stop."""
        v = self.v
        sh = self.shaped.households[hid]
        if v.kind not in sh.allowed_kinds:
            why = "; ".join(d.reason for d in sh.denied if d.kind == v.kind.value)
            self.add(
                "access",
                f"{v.id} ({v.kind.value}) serves household {hid}, where "
                f"{v.kind.value}s are not allowed: {why}",
            )
        h = self.households[hid]
        if self.area is not None and self.area.hard and not self.area.contains(h):
            self.add("area", f"{v.id} serves {hid} outside its officer area ({self.area})")
        begin = s.arrival_s + s.wait_s
        if sh.window_conflict or not in_windows(begin, sh.windows_s):
            self.add("time_window", f"{v.id} serves {hid} at {hhmm(begin)}, outside its windows")
        need = sh.service_s + sh.extra_service_s.get(VehicleKind(v.kind), 0)
        if len(s.household_ids) == 1 and s.service_s < need:
            self.add("service", f"{v.id} stop {s.seq}: {s.service_s} s of service, {need} s needed")

    def capacity(self, s: Stop) -> None:
        v = self.v
        on = [(i, n) for (_, i), n in self.on_board.items() if n > 0]
        parcels = sum(self.places.get(i, 1) * n for i, n in on)
        grams = sum(self.weights.get(i, 0) * n for i, n in on)
        if parcels > v.capacity_packages or grams > round(v.capacity_kg * 1000):
            self.add(
                "capacity",
                f"{v.id} stop {s.seq}: carries {parcels} package places / "
                f"{grams / 1000:.1f} kg; "
                f"capacity {v.capacity_packages} / {v.capacity_kg} kg",
            )

    def permission(self, src: SupplySource) -> None:
        v = self.v
        if v.sources and src.id not in v.sources:
            self.add("load_permission", f"{v.id} may not load at {src.id}")
        if src.vehicle_kinds and v.kind not in src.vehicle_kinds:
            self.add("load_permission", f"{v.kind.value}s may not load at {src.id}")


def check_route(
    scenario: Scenario,
    shaped: Shaped,
    travel: TravelModel,
    route: Route,
    outcome: Mapping[str, HouseholdOutcome],
    trace: Trace,
) -> list[Violation]:
    """Every rule one route breaks; records its deliveries and loads in ``trace``."""
    vehicles = {v.id: v for v in scenario.vehicles}
    v = vehicles.get(route.vehicle_id)
    if v is None:
        return [Violation("unknown_vehicle", f"route for unknown vehicle {route.vehicle_id}")]
    twice = [Violation("duplicate_route", f"vehicle {v.id} has two routes")]
    out = twice if v.id in trace.vehicles else []
    trace.vehicles.add(v.id)
    return out + _RouteCheck(scenario, shaped, travel, v, outcome, trace).run(route)
