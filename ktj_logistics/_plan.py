"""The output contract: a ``Plan`` as written to ``plan.json``.

Times are integer seconds since midnight of the planning date (``*_s``), distances integer
metres (``*_m``), as in the solver. Every input household appears exactly once in
``households``: served (with its vehicle, trip and stop) or unserved (with a reason).
The schema is versioned; ``ktj-route schema`` prints it as JSON Schema.

Version 1.1 adds, without changing any 1.0 field: split and partial delivery — a
household's ``visits`` (one per stop that hands it something), what it was ``delivered``
and what is ``missing`` with the reason; per stop, ``handovers`` (what each household
gets there) and ``visit``/``visits`` ("visit 1 of 2"); ``Totals.partially_served`` and
``Totals.items_missing``. A served household is one that receives something today; its
``vehicle_id``, ``trip``, ``stop_seq``, ``arrival_s`` and ``source_id`` are those of its
first visit. A 1.0 plan still reads (and verifies: each served household then gets all
its items in one stop).

Version 1.2 adds the fairness figure: ``Plan.fairness`` (served share of due households
per kelurahan or RW, lowest and highest, the gap to the overall share, Jain's index,
the floor enforced when ``settings.fairness`` is on) and ``HouseholdOutcome.fairness``
for a household whose outcome fairness, not priority, decided.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ._plan_fairness import Fairness, FairnessNote

SCHEMA_VERSION: Literal["1.2"] = "1.2"
SchemaVersion = Literal["1.0", "1.1", "1.2"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UnservedReason(StrEnum):
    """Why a household gets nothing today. Each has a plain-words explanation."""

    stock_shortfall = "stock_shortfall"
    fleet_capacity = "fleet_capacity"
    no_eligible_vehicle = "no_eligible_vehicle"
    time_window = "time_window"
    exceeds_vehicle_capacity = "exceeds_vehicle_capacity"
    nothing_needed = "nothing_needed"


REASON_TEXT: dict[UnservedReason, str] = {
    UnservedReason.stock_shortfall: "not enough stock at any source it may be supplied from",
    UnservedReason.fleet_capacity: "the vehicles had no time or room left for it today",
    UnservedReason.no_eligible_vehicle: "no vehicle allowed to reach it (access rules, loading)",
    UnservedReason.time_window: "no vehicle can arrive within its delivery time window",
    UnservedReason.exceeds_vehicle_capacity: "needs more than any allowed vehicle can carry",
    UnservedReason.nothing_needed: "the household needs no items",
}


class StopKind(StrEnum):
    """``load``: items taken on at a source or a hub; ``unload``: a trunk vehicle leaves
    staged stock at a hub; ``delivery``: items handed to households."""

    start = "start"
    load = "load"
    unload = "unload"
    delivery = "delivery"
    end = "end"


class PriorityContribution(_Out):
    plugin: str
    rule: str
    points: float
    reason: str


class AccessDenial(_Out):
    """A vehicle kind a plugin forbade at a household, and why (for ``ktj-route explain``)."""

    kind: str
    plugin: str
    reason: str


class Stop(_Out):
    """One visit of a route, in driving order."""

    seq: int
    kind: StopKind
    trip: int = Field(description="1-based trip number; 0 before the first load")
    place_id: str = Field(description="Base, source, hub or stop id (a household or a group key)")
    label: str = ""
    lat: float
    lon: float
    source_id: str | None = Field(
        None,
        description="Source the items come from (start, load, unload); at a hub, the source"
        " its staged stock came from",
    )
    household_ids: list[str] = Field(default_factory=list)
    items: dict[str, int] = Field(
        default_factory=dict,
        description="Loaded (load stop), left at the hub (unload) or handed over (delivery)",
    )
    arrival_s: int = Field(description="When the vehicle gets there")
    departure_s: int = Field(description="arrival + wait + service")
    wait_s: int = Field(0, description="Waiting for a window or opening hour before service")
    service_s: int = 0
    distance_from_previous_m: int = 0
    travel_from_previous_s: int = 0
    load_after_packages: int = Field(0, description="Items on board after this stop")
    handovers: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Delivery (1.1): per household, the items handed over here",
    )
    visit: int = Field(
        1, description="Delivery (1.1): this is visit `visit` of `visits` to its household or group"
    )
    visits: int = Field(1, description="How many visits its household or group gets today")


class Route(_Out):
    vehicle_id: str
    vehicle_kind: str
    officer: str = ""
    base_id: str
    stops: list[Stop]
    distance_m: int
    duration_s: int
    trips: int
    packages_delivered: int
    households_served: int


class MissingItem(_Out):
    """Items a served household does not get today, and why (1.1)."""

    item: str
    count: int
    reason: UnservedReason
    detail: str = ""


class HouseholdVisit(_Out):
    """One stop that hands a household some of its items (1.1)."""

    vehicle_id: str
    trip: int
    stop_seq: int
    stop_place_id: str
    arrival_s: int = Field(description="When the handover starts")
    source_id: str
    items: dict[str, int]


class HouseholdOutcome(_Out):
    """What happens to one input household."""

    household_id: str
    status: Literal["served", "unserved"]
    priority: float
    contributions: list[PriorityContribution] = Field(default_factory=list)
    vehicle_id: str | None = None
    trip: int | None = None
    stop_seq: int | None = None
    stop_place_id: str | None = None
    arrival_s: int | None = Field(None, description="When the handover starts")
    source_id: str | None = None
    items: dict[str, int] = Field(default_factory=dict)
    reason: UnservedReason | None = None
    reason_detail: str = ""
    short_items: list[str] = Field(
        default_factory=list, description="For stock_shortfall: the item kinds that ran out"
    )
    group_key: str | None = Field(
        None, description="Stop group (apartment tower, estate) the household belongs to"
    )
    denied_vehicle_kinds: list[AccessDenial] = Field(
        default_factory=list, description="Vehicle kinds plugins forbade here, with reasons"
    )
    time_windows: list[str] = Field(
        default_factory=list, description="Effective delivery windows (HH:MM-HH:MM); empty: any"
    )
    visits: list[HouseholdVisit] = Field(
        default_factory=list, description="1.1: every stop that hands it items, in time order"
    )
    delivered: dict[str, int] = Field(
        default_factory=dict, description="1.1: what it receives today, all visits together"
    )
    missing: list[MissingItem] = Field(
        default_factory=list,
        description="1.1: for a served household, the items it does not get, with the reason",
    )
    fairness: FairnessNote | None = Field(
        None, description="1.2: when fairness, not priority, decided its outcome"
    )


class SourceUsage(_Out):
    source_id: str
    stock: dict[str, int]
    used: dict[str, int]
    left: dict[str, int]


class HubUsage(_Out):
    """What was staged at one hub: brought by trunk vehicles, loaded by officers, left."""

    hub_id: str
    received: dict[str, int]
    loaded: dict[str, int]
    left: dict[str, int]
    first_arrival_s: int | None = Field(None, description="When the first stock was unloaded")
    last_arrival_s: int | None = Field(None, description="When the last stock was unloaded")


class Totals(_Out):
    households: int
    served: int
    unserved: int
    unserved_by_reason: dict[str, int]
    packages_delivered: int
    vehicles_used: int
    distance_m: int
    duration_s: int
    partially_served: int = Field(0, description="1.1: served, but missing some items")
    items_missing: dict[str, int] = Field(
        default_factory=dict, description="1.1: per item, what served households miss"
    )


def totals_of(routes: list[Route], households: list[HouseholdOutcome]) -> Totals:
    """The day's figures, counted from its routes and outcomes (one rule for every plan)."""
    served = sum(1 for o in households if o.status == "served")
    reasons: dict[str, int] = {}
    missing: dict[str, int] = {}
    for o in households:
        if o.reason is not None:
            reasons[o.reason.value] = reasons.get(o.reason.value, 0) + 1
        if o.status == "served":
            for m in o.missing:
                missing[m.item] = missing.get(m.item, 0) + m.count
    return Totals(
        households=len(households),
        served=served,
        unserved=len(households) - served,
        unserved_by_reason=dict(sorted(reasons.items())),
        packages_delivered=sum(r.packages_delivered for r in routes),
        vehicles_used=len(routes),
        distance_m=sum(r.distance_m for r in routes),
        duration_s=sum(r.duration_s for r in routes),
        partially_served=sum(1 for o in households if o.status == "served" and o.missing),
        items_missing=dict(sorted(missing.items())),
    )


def shortfall_of(households: list[HouseholdOutcome]) -> dict[str, int]:
    """Per item, what households left out for stock needed of the items that ran out,
    and what served households miss for stock."""
    out: dict[str, int] = {}
    for o in households:
        if o.status == "unserved" and o.reason == UnservedReason.stock_shortfall:
            for item in o.short_items:
                out[item] = out.get(item, 0) + o.items.get(item, 0)
        elif o.status == "served":
            for m in o.missing:
                if m.reason == UnservedReason.stock_shortfall:
                    out[m.item] = out.get(m.item, 0) + m.count
    return dict(sorted(out.items()))


class SolverInfo(_Out):
    engine: str
    status: str
    objective: int
    wall_s: float = Field(description="Planning time, from shaping to the verified plan")
    time_limit_s: float = Field(description="Search time the whole day was given")
    deterministic: bool
    method: Literal["whole", "parts"] = Field(
        "whole", description="whole: one model; parts: planned by parts (a large day)"
    )
    parts: int = 1


class Hint(_Out):
    """What would serve more households: found by re-planning with one change (stock,
    vehicle), or read from the reasons of the households it names (1.1: window,
    capacity, access)."""

    kind: Literal["stock", "vehicle", "window", "capacity", "access"]
    text: str
    source_id: str | None = None
    base_id: str | None = None
    item: str | None = None
    vehicle_kind: str | None = None
    added: int = Field(description="Items (stock hints) or vehicles (vehicle hints) added")
    would_serve: int = Field(
        description="How many more households the changed plan serves (stock: serves fully;"
        " reason hints: how many households the fix concerns)"
    )
    checked_by: Literal["routing", "allocation", "reason"] = Field(
        description="routing: a re-solve served them; allocation: stock could go to them;"
        " reason: the fix their unserved reason points to, not re-planned"
    )
    household_ids: list[str] = Field(
        default_factory=list, description="1.1: the households a reason hint is about"
    )


class Plan(_Out):
    """A day's delivery plan. Reading it back with ``Plan.model_validate_json`` round-trips."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    scenario: str
    planning_date: date
    generated_by: str
    redacted: bool = False
    plugins: list[str] = Field(default_factory=list)
    routes: list[Route]
    households: list[HouseholdOutcome]
    sources: list[SourceUsage]
    hubs: list[HubUsage] = Field(
        default_factory=list, description="Stock staged at hubs (empty: no staging)"
    )
    totals: Totals
    solver: SolverInfo
    shortfall: dict[str, int] = Field(
        default_factory=dict,
        description="Per item, how many more would serve everyone left out for stock",
    )
    hints: list[Hint] = Field(default_factory=list)
    fairness: Fairness | None = Field(None, description="1.2: served share per area")

    @classmethod
    def of_day(
        cls,
        scenario: str,
        planning_date: date,
        plugins: list[str],
        routes: list[Route],
        households: list[HouseholdOutcome],
        sources: list[SourceUsage],
        solver: SolverInfo,
    ) -> Plan:
        """A plan whose totals and shortfall are counted from its routes and outcomes,
        so a small day and a merged large day follow one rule."""
        from ._version import __version__

        return cls(
            scenario=scenario,
            planning_date=planning_date,
            generated_by=f"ktj-route {__version__}",
            plugins=plugins,
            routes=routes,
            households=households,
            sources=sources,
            totals=totals_of(routes, households),
            shortfall=shortfall_of(households),
            solver=solver,
        )

    def outcome(self, household_id: str) -> HouseholdOutcome:
        for o in self.households:
            if o.household_id == household_id:
                return o
        raise KeyError(household_id)

    def served(self) -> list[HouseholdOutcome]:
        return [o for o in self.households if o.status == "served"]

    def unserved(self) -> list[HouseholdOutcome]:
        return [o for o in self.households if o.status == "unserved"]
