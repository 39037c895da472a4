"""Where the day stands at the re-plan time T, read from the issued plan.

Per vehicle, the stops that stay (``kept``): every stop reached before T (done) and, for
a vehicle still on duty, the rest of a trip it loaded before T (the packages are on
board and the households expect that officer). A vehicle is free after its last kept
stop, at that place, from the later of T and its departure there (an officer on the way
back to the base is redirected from the last household served: conservative by the part
of the ride already made). A vehicle whose route ended before T is free at its base.

Stock: everything loaded before T has left its source. What a vehicle taken off duty
carries undelivered is lost for the day (packages handled by an officer who fell ill are
not handed on); its households are planned again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .._plan import Plan, Route, Stop, StopKind


def loaded_trips(route: Route, at_s: int) -> set[int]:
    """Trips of ``route`` whose loading began before ``at_s`` (at a source or the base)."""
    return {
        s.trip
        for s in route.stops
        if s.kind in (StopKind.load, StopKind.start) and s.items and s.arrival_s < at_s
    }


@dataclass
class VehicleState:
    """One vehicle at T: what stays, where and when it is free, what it carries."""

    vehicle_id: str
    off: bool
    kept: list[Stop] = field(default_factory=list)  # deliveries that stay, in order
    done: list[Stop] = field(default_factory=list)  # deliveries reached before T
    rest: list[Stop] = field(default_factory=list)  # deliveries the re-plan may change
    loaded: Counter[tuple[str, str]] = field(default_factory=Counter)  # (source, item)
    lost: Counter[str] = field(default_factory=Counter)  # items on board, off duty
    free_at: Stop | None = None  # the last kept stop (None: at its base)
    free_s: int = 0
    trips_used: int = 0
    ridden_m: int = 0  # distance ridden by the time it is free (for a daily km limit)
    home_before: bool = False  # its route ended before T


@dataclass
class Underway:
    """The whole issued day at T."""

    at_s: int
    vehicles: dict[str, VehicleState]

    def kept_households(self) -> dict[str, Counter[str]]:
        """Household -> items handed over on kept stops (done or on a loaded trip)."""
        out: dict[str, Counter[str]] = {}
        for st in self.vehicles.values():
            for s in st.kept:
                shares = s.handovers or {h: s.items for h in s.household_ids}
                for hid, items in shares.items():
                    out.setdefault(hid, Counter()).update(items)
        return out

    def left_from(self, source: str) -> Counter[str]:
        """Items that left ``source`` before T (loaded), lost ones included."""
        out: Counter[str] = Counter()
        for st in self.vehicles.values():
            for (src, item), n in st.loaded.items():
                if src == source:
                    out[item] += n
        return out


def underway(plan: Plan, at_s: int, off: set[str]) -> Underway:
    """The issued ``plan`` at ``at_s``, with the vehicles in ``off`` taken off duty."""
    states: dict[str, VehicleState] = {}
    for r in plan.routes:
        st = VehicleState(r.vehicle_id, r.vehicle_id in off)
        trips = loaded_trips(r, at_s)
        for s in r.stops:
            if s.kind in (StopKind.load, StopKind.start) and s.trip in trips and s.items:
                st.loaded.update({(s.source_id or "", k): n for k, n in s.items.items()})
            if s.kind != StopKind.delivery:
                continue
            done = s.arrival_s < at_s
            if done:
                st.done.append(s)
            if done or (s.trip in trips and not st.off):
                st.kept.append(s)
            else:
                st.rest.append(s)
        if st.off:
            on_board: Counter[str] = Counter()
            for (_, item), n in st.loaded.items():
                on_board[item] += n
            for s in st.kept:
                on_board.subtract(s.items)
            st.lost = +on_board
        st.trips_used = max((s.trip for s in st.kept), default=0)
        st.home_before = r.stops[-1].arrival_s <= at_s
        st.free_at, st.free_s = _free(r, st, at_s)
        st.ridden_m = sum(s.distance_from_previous_m for s in r.stops if s.arrival_s <= st.free_s)
        states[r.vehicle_id] = st
    return Underway(at_s, states)


def _free(route: Route, st: VehicleState, at_s: int) -> tuple[Stop | None, int]:
    """Where (None: its base) and from when the vehicle is free for the re-plan.

    After its last kept stop when that is still to do or being served at T; else, when
    it is on the road at T, at the place it is driving to (a source, or its base) when
    it gets there; else at its base from T."""
    if st.kept and st.kept[-1].departure_s >= at_s:
        return st.kept[-1], st.kept[-1].departure_s
    stops = route.stops
    reached = [i for i, s in enumerate(stops) if s.arrival_s < at_s]
    if not reached or stops[reached[-1]].departure_s >= at_s or reached[-1] + 1 >= len(stops):
        return None, at_s  # still at its base, or home before T
    nxt = stops[reached[-1] + 1]
    if nxt.kind == StopKind.load:
        return nxt, max(at_s, nxt.arrival_s)
    if nxt.kind == StopKind.end:
        return None, max(at_s, nxt.arrival_s)
    last = st.kept[-1] if st.kept else None  # heading to a stop it no longer serves
    return last, at_s
