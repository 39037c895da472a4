"""Jobs: what the solver is asked to deliver, one visit at a time.

A job is one stop of a vehicle: a household, or some units of a tower or estate handed
over together at its lobby or security post. Most households are one job. Two cases make
several jobs ("visits") of one household or group — its *family*:

* **split delivery** — a household that no allowed vehicle can carry whole (three
  standard packages in a gang where only 2-package motorbikes may go) becomes visits
  that each fit the largest allowed vehicle; they may be made by one vehicle over
  several trips or by several vehicles;
* **groups by unit** — a group's units are packed into visits that each fit a vehicle
  and share a time window; the shared setup (lobby, security post) is paid once per
  visit. A unit whose own windows clash with the building's is a job of its own that
  cannot be served, with the clash named, so it never holds back its neighbours.

Capacity counts package places (``Settings.package_places``) and grams per item kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ._area import place_keys
from ._kinds import VehicleKind
from ._scenario import Household, Location, Scenario
from ._shape import HouseholdShape, Shaped, intersect
from ._timefmt import hhmm

MAX_VISITS = 12
"""A household needing more visits than this is not split (it is reported instead)."""


def first_start(windows: Sequence[tuple[int, int]], t: int) -> int | None:
    """Earliest service start at or after ``t`` within ``windows`` (None if none fits)."""
    if not windows:
        return t
    for s, e in sorted(windows):
        if t <= e:
            return max(t, s)
    return None


@dataclass(frozen=True)
class Job:
    """One stop: a household, or units of a group served together; maybe one of several
    visits of its family (``visit`` of ``visits``)."""

    id: str
    household_ids: tuple[str, ...]
    label: str
    loc: int
    demand: tuple[int, ...]  # per item, in Day.items order: what this visit hands over
    shares: tuple[tuple[int, ...], ...]  # per household of household_ids, its part of demand
    parcels: int  # package places the demand takes (what capacity_packages counts)
    weight_g: int
    service_s: int  # setup + each household's handover
    extra_service_s: Mapping[VehicleKind, int]
    windows: tuple[tuple[int, int], ...]  # empty: any time
    window_conflict: bool  # no time at all: the windows that bind it do not overlap
    kinds: frozenset[VehicleKind]
    priority: float
    area: str  # kecamatan: where a large day is cut
    family: str = ""  # the household or group whose visit this is
    visit: int = 1
    visits: int = 1
    conflict_detail: str = ""  # which windows clash, when window_conflict
    setup_s: int = 0
    unit_service_s: tuple[int, ...] = ()  # per household: its own handover time
    places: frozenset[str] = frozenset()  # place keys every household of the stop lies in

    def share_of(self, household_id: str) -> tuple[int, ...]:
        return self.shares[self.household_ids.index(household_id)]


@dataclass(frozen=True)
class Sizes:
    """Package places and grams of one item of each kind (Day.items order)."""

    places: tuple[int, ...]
    grams: tuple[int, ...]

    @classmethod
    def of(cls, scenario: Scenario, items: Sequence[str]) -> Sizes:
        st = scenario.settings
        return cls(
            tuple(st.package_places(i) for i in items),
            tuple(round(st.items[i].weight_kg * 1000) for i in items),
        )

    def load(self, demand: Sequence[int]) -> tuple[int, int]:
        """(package places, grams) of ``demand``."""
        return (
            sum(n * p for n, p in zip(demand, self.places, strict=True)),
            sum(n * g for n, g in zip(demand, self.grams, strict=True)),
        )


def with_shares(job: Job, shares: Sequence[tuple[int, ...]], sizes: Sizes) -> Job:
    """``job`` handing over only ``shares`` (per household); households given nothing
    leave the stop, with their handover time."""
    keep = [k for k, s in enumerate(shares) if any(s)]
    kept = tuple(tuple(shares[k]) for k in keep)
    demand = tuple(map(sum, zip(*kept, strict=True))) if kept else tuple(0 for _ in job.demand)
    places, grams = sizes.load(demand)
    service = job.service_s
    if job.unit_service_s:
        service = job.setup_s + sum(job.unit_service_s[k] for k in keep)
    return replace(
        job,
        household_ids=tuple(job.household_ids[k] for k in keep),
        shares=kept,
        demand=demand,
        parcels=places,
        weight_g=grams,
        service_s=service,
        unit_service_s=tuple(job.unit_service_s[k] for k in keep) if job.unit_service_s else (),
    )


Capacity = tuple[int, int]  # (package places, grams) of a vehicle
Fleet = Mapping[VehicleKind, list[tuple[Capacity, frozenset[str] | None]]]
"""Per kind, each vehicle's capacity and hard officer area (place keys; None: anywhere)."""


def _largest(kinds: frozenset[VehicleKind], fleet: Fleet, places: frozenset[str]) -> list[Capacity]:
    """Capacities of the vehicles of ``kinds`` whose officers may deliver at ``places``."""
    caps = {c for k in kinds for c, area in fleet.get(k, []) if area is None or area & places}
    return sorted(caps, reverse=True)


def fits_one(need: Capacity, caps: Sequence[Capacity]) -> bool:
    return any(need[0] <= p and need[1] <= g for p, g in caps)


def split_items(
    demand: Sequence[int], sizes: Sizes, caps: Sequence[Capacity]
) -> list[tuple[int, ...]]:
    """The fewest loads (first fit, biggest items first) of ``demand`` that each fit one
    of ``caps``; [] when some item fits no vehicle or more than ``MAX_VISITS`` are needed."""
    best: list[tuple[int, ...]] = []
    units = sorted(
        (i for i, n in enumerate(demand) for _ in range(n)),
        key=lambda i: (-sizes.places[i], -sizes.grams[i], i),
    )
    for p_cap, g_cap in caps:
        if any(sizes.places[i] > p_cap or sizes.grams[i] > g_cap for i in units):
            continue
        bins: list[list[int]] = []  # [places, grams, *counts]
        for i in units:
            for b in bins:
                if b[0] + sizes.places[i] <= p_cap and b[1] + sizes.grams[i] <= g_cap:
                    break
            else:
                b = [0, 0, *(0 for _ in demand)]
                bins.append(b)
            b[0] += sizes.places[i]
            b[1] += sizes.grams[i]
            b[2 + i] += 1
        if len(bins) <= MAX_VISITS and (not best or len(bins) < len(best)):
            best = [tuple(b[2:]) for b in bins]
    return best


def windows_text(windows: Sequence[tuple[int, int]]) -> str:
    return ", ".join(f"{hhmm(s)}-{hhmm(e)}" for s, e in windows) or "none"


@dataclass
class _Builder:
    """Builds the jobs of a day: one family at a time."""

    scenario: Scenario
    shaped: Shaped
    items: tuple[str, ...]
    sizes: Sizes
    add: Callable[[str, Location], int]
    fleet: Fleet

    def demand(self, members: Sequence[Household]) -> list[tuple[int, ...]]:
        return [tuple(h.demand().get(i, 0) for i in self.items) for h in members]

    def job(
        self,
        key: str,
        label: str,
        loc: int,
        members: Sequence[Household],
        shares: Sequence[tuple[int, ...]],
        *,
        setup_s: int = 0,
        windows: list[tuple[int, int]] | None,
        conflict: str = "",
        family: str,
        grouped: bool = False,
    ) -> Job:
        shapes = [self.shaped.households[h.id] for h in members]
        extra: dict[VehicleKind, int] = {}
        for x in shapes:
            for k, v in x.extra_service_s.items():
                extra[k] = max(extra.get(k, 0), v)
        demand = tuple(map(sum, zip(*shares, strict=True)))
        places, grams = self.sizes.load(demand)
        unit = tuple(x.service_s for x in shapes)
        blocked = bool(conflict) or (windows is not None and not windows)
        return Job(
            id=key,
            household_ids=tuple(h.id for h in members),
            label=label,
            loc=loc,
            demand=demand,
            shares=tuple(tuple(s) for s in shares),
            parcels=places,
            weight_g=grams,
            service_s=setup_s + sum(unit),
            extra_service_s=extra,
            windows=() if blocked else tuple(windows or ()),
            window_conflict=blocked,
            kinds=frozenset.intersection(*(x.allowed_kinds for x in shapes)),
            priority=max(x.priority for x in shapes),
            area=" ".join(members[0].kecamatan.upper().split()),
            family=family,
            conflict_detail=conflict or ("its time windows do not overlap" if blocked else ""),
            setup_s=setup_s,
            unit_service_s=unit if grouped else (),
            places=frozenset.intersection(*(place_keys(h) for h in members)),
        )

    def household(self, h: Household) -> list[Job]:
        s = self.shaped.households[h.id]
        (need,) = self.demand([h])
        loc = self.add(f"job:{h.id}", h.location)
        windows = list(s.windows_s) if s.windows_s else None
        conflict = conflict_of(s) if s.window_conflict else ""
        loads = self._loads(need, s.allowed_kinds, place_keys(h))
        return [
            self.job(h.id, h.id, loc, [h], [load], windows=windows, conflict=conflict, family=h.id)
            for load in loads
        ]

    def _loads(
        self, need: tuple[int, ...], kinds: frozenset[VehicleKind], places: frozenset[str]
    ) -> list[tuple[int, ...]]:
        """``need`` as one load, or as visits when no allowed vehicle carries it whole."""
        caps = _largest(kinds, self.fleet, places)
        if not caps or fits_one(self.sizes.load(need), caps):
            return [need]
        return split_items(need, self.sizes, caps) or [need]

    def group(self, key: str) -> list[Job]:
        g = self.shaped.groups[key]
        by_id = {h.id: h for h in self.scenario.households}
        members = [by_id[i] for i in g.household_ids]
        loc = self.add(f"job:{key}", g.location)
        gw = [w.as_seconds() for w in g.time_windows] or None
        out: list[Job] = []
        clusters: list[_Cluster] = []
        for h, need in zip(members, self.demand(members), strict=True):
            s = self.shaped.households[h.id]
            own = list(s.windows_s) if s.windows_s else None
            w = intersect(gw, own) if own is not None else gw
            if s.window_conflict or (w is not None and not w):
                why = (
                    conflict_of(s)
                    if s.window_conflict
                    else (
                        f"its windows {windows_text(own or [])} do not overlap the group's "
                        f"{windows_text(gw or [])}"
                    )
                )
                out.append(self._unit(g.key, g.label, loc, h, need, g.setup_s, [], why))
                continue
            loads = self._loads(need, s.allowed_kinds, place_keys(h))
            if len(loads) > 1:  # a unit bigger than a vehicle: visits of its own
                out += [self._unit(g.key, g.label, loc, h, x, g.setup_s, w) for x in loads]
                continue
            for c in clusters:
                if c.admits(h, need, s, w, self):
                    break
            else:
                c = _Cluster([], [], s.allowed_kinds, w, place_keys(h))
                clusters.append(c)
            c.take(h, need, s, w)
        out = [
            self.job(
                key,
                g.label,
                loc,
                c.members,
                c.shares,
                setup_s=g.setup_s,
                windows=c.windows,
                family=key,
                grouped=True,
            )
            for c in clusters
        ] + out
        return out

    def _unit(
        self,
        key: str,
        label: str,
        loc: int,
        h: Household,
        need: tuple[int, ...],
        setup_s: int,
        windows: list[tuple[int, int]] | None,
        conflict: str = "",
    ) -> Job:
        return self.job(
            key,
            label,
            loc,
            [h],
            [need],
            setup_s=setup_s,
            windows=windows,
            conflict=conflict,
            family=key,
            grouped=True,
        )


@dataclass
class _Cluster:
    """Units of a group that one vehicle can serve in one visit."""

    members: list[Household]
    shares: list[tuple[int, ...]]
    kinds: frozenset[VehicleKind]
    windows: list[tuple[int, int]] | None
    places: frozenset[str]  # place keys every unit lies in (officer areas)

    def admits(
        self,
        h: Household,
        need: tuple[int, ...],
        s: HouseholdShape,
        w: list[tuple[int, int]] | None,
        b: _Builder,
    ) -> bool:
        kinds = self.kinds & s.allowed_kinds
        windows = intersect(self.windows, w) if w is not None else self.windows
        if not kinds or (windows is not None and not windows):
            return False
        total = tuple(map(sum, zip(*self.shares, need, strict=True)))
        caps = _largest(kinds, b.fleet, self.places & place_keys(h))
        return fits_one(b.sizes.load(total), caps)

    def take(
        self,
        h: Household,
        need: tuple[int, ...],
        s: HouseholdShape,
        w: list[tuple[int, int]] | None,
    ) -> None:
        self.members.append(h)
        self.shares.append(need)
        self.kinds &= s.allowed_kinds
        self.places &= place_keys(h)
        if w is not None:
            self.windows = intersect(self.windows, w)


def conflict_of(s: HouseholdShape) -> str:
    """Which windows of a household clash, by who set them."""
    if len(s.window_sources) < 2:
        return "its time windows do not overlap"
    said = "; ".join(f"{who}: {windows_text(w)}" for who, w in s.window_sources)
    return f"its time windows do not overlap ({said})"


def jobs_of(
    scenario: Scenario,
    shaped: Shaped,
    items: tuple[str, ...],
    add: Callable[[str, Location], int],
    vehicles: Sequence[tuple[VehicleKind, int, int, frozenset[str] | None]],
) -> list[Job]:
    """Every household's jobs, in input order; ``vehicles``: (kind, places, grams, hard
    officer area as place keys or None), the delivery fleet a visit must fit."""
    fleet: dict[VehicleKind, list[tuple[Capacity, frozenset[str] | None]]] = {}
    for kind, places, grams, area in vehicles:
        fleet.setdefault(kind, []).append(((places, grams), area))
    b = _Builder(scenario, shaped, items, Sizes.of(scenario, items), add, fleet)
    done: set[str] = set()
    jobs: list[Job] = []
    for h in scenario.households:
        group = shaped.households[h.id].group
        if group is not None and group in done:
            continue
        family = b.group(group) if group is not None else b.household(h)
        done.add(group or h.id)
        n = len(family)
        for k, job in enumerate(family, start=1):
            jobs.append(replace(job, id=job.id if n == 1 else f"{job.id}#{k}", visit=k, visits=n))
    return jobs
