"""The input contract: what a scenario is made of.

Every model is frozen and rejects unknown fields, so a typo in a scenario file is an
error rather than a silently ignored setting. Units are in the field names. Times of day
are ``HH:MM`` on the planning date; inside the solver everything becomes integer
seconds and metres (see ``problem.py``).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from ._area import OfficerArea
from ._basics import Frozen as _Frozen
from ._basics import Hub as Hub
from ._basics import Location as Location
from ._basics import TimeWindow as TimeWindow
from ._basics import seconds_of_day as seconds_of_day
from ._expect.model import Expectations
from ._fairness_settings import FairnessSettings
from ._kinds import BaseKind, SourceKind, VehicleKind, VehicleRole
from ._resume import Issued, VehicleStart

STANDARD_ITEM = "standard"
"""The standard sembako package; ``Household.packages_needed`` counts these."""


DEFAULT_SPEED_KMH: dict[VehicleKind, float] = {
    VehicleKind.motorbike: 22.0,
    VehicleKind.car: 18.0,
    VehicleKind.van: 16.0,
    VehicleKind.truck: 15.0,
    VehicleKind.on_foot: 4.5,
}
"""Average door-to-door speeds in Jakarta traffic, used when a vehicle gives none."""


class ItemKind(_Frozen):
    """One kind of item that sources stock and households need.

    ``packages`` is how many of a vehicle's ``capacity_packages`` places one item takes.
    ``capacity_packages`` counts standard-size packages: by default an item weighing at
    least half a standard package takes one place, and a smaller one (an infant pack,
    an elderly pack) takes none and is limited by the vehicle's ``capacity_kg`` only.
    """

    weight_kg: Annotated[float, Field(gt=0, le=200)]
    description: str = ""
    packages: Annotated[int, Field(ge=0, le=20)] | None = Field(
        default=None,
        description="Package places one item takes in a vehicle (default: 1 when it weighs at"
        " least half a standard package, else 0 — counted by weight only).",
    )


def _default_items() -> dict[str, ItemKind]:
    return {STANDARD_ITEM: ItemKind(weight_kg=15.0, description="standard sembako package")}


class Household(_Frozen):
    """A household in self-isolation that may receive sembako.

    ``name`` and ``phone`` are personal data: they are never logged, and ``--redact``
    removes them (with ``address``) from every output.
    """

    id: Annotated[str, Field(min_length=1, max_length=64)]
    location: Location
    kelurahan: str = ""
    kecamatan: str = ""
    rw: str = ""
    rt: str = ""
    address: str = ""
    name: str = ""
    phone: str = ""
    settlement_type: str = "regular"
    building: str = Field(
        default="",
        description="Tower or estate the household belongs to; grouping plugins use it.",
    )
    zone_colour: Literal["red", "orange", "yellow", "green", ""] = ""
    members: Annotated[int, Field(ge=1, le=100)] = 1
    packages_needed: Annotated[int, Field(ge=0, le=1000)] = 1
    items: dict[str, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=dict, description="Special items beyond standard packages."
    )
    elderly: bool = False
    child_under_5: bool = False
    pregnant: bool = False
    comorbid: bool = False
    disability: bool = False
    no_income: bool = False
    isolation_start: date | None = None
    time_windows: list[TimeWindow] = Field(default_factory=list)
    notes: str = ""
    tags: dict[str, str] = Field(
        default_factory=dict, description="Free-form data for plugins, e.g. an alley id."
    )

    @field_validator("settlement_type", mode="before")
    @classmethod
    def _norm_type(cls, v: Any) -> Any:
        return v.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(v, str) else v

    def demand(self) -> dict[str, int]:
        """All items this household needs, standard packages included (zero counts dropped)."""
        out = {STANDARD_ITEM: self.packages_needed} if self.packages_needed else {}
        for item, n in self.items.items():
            if n:
                out[item] = out.get(item, 0) + n
        return out


class Earmark(_Frozen):
    """Restricts where a source's stock may go (a donor's wish). Empty lists mean 'any'."""

    kelurahan: list[str] = Field(default_factory=list)
    settlement_types: list[str] = Field(default_factory=list)

    def allows(self, household: Household) -> bool:
        kel_ok = not self.kelurahan or household.kelurahan.upper() in {
            k.upper() for k in self.kelurahan
        }
        type_ok = not self.settlement_types or household.settlement_type in self.settlement_types
        return kel_ok and type_ok


class SupplySource(_Frozen):
    """Where packages are loaded: the Polda shipment, members' donations, a donor's store."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    name: str = ""
    kind: SourceKind = SourceKind.other
    location: Location
    stock: dict[str, Annotated[int, Field(ge=0)]] = Field(
        description="Count of each item kind held, e.g. {standard: 120, infant_pack: 10}."
    )
    opening_hours: TimeWindow = TimeWindow(start=time(7, 0), end=time(21, 0))
    available_from: time | None = Field(
        default=None, description="Stock can be loaded only from this time (a truck arriving)."
    )
    loading_minutes: Annotated[float, Field(ge=0, le=240)] = 5.0
    earmark: Earmark | None = None
    vehicle_kinds: list[VehicleKind] = Field(
        default_factory=list, description="Vehicle kinds that may load here; empty means all."
    )

    def load_window_s(self) -> tuple[int, int]:
        start, end = self.opening_hours.as_seconds()
        if self.available_from is not None:
            start = max(start, seconds_of_day(self.available_from))
        return start, end


class Base(_Frozen):
    """Where officers start and end their day: a Polres, Polsek or KTJ post."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    name: str = ""
    kind: BaseKind = BaseKind.other
    location: Location
    area: OfficerArea | None = Field(
        default=None,
        description="Where the officers based here deliver (their vehicles' default area).",
    )


class Vehicle(_Frozen):
    """An officer's vehicle for the day."""

    id: Annotated[str, Field(min_length=1, max_length=64)]
    kind: VehicleKind
    base: str
    capacity_packages: Annotated[int, Field(ge=1, le=10_000)]
    capacity_kg: Annotated[float, Field(gt=0, le=20_000)]
    shift: TimeWindow = TimeWindow(start=time(8, 0), end=time(16, 0))
    speed_kmh: Annotated[float, Field(gt=0, le=120)] | None = None
    officer: str = ""
    sources: list[str] = Field(
        default_factory=list, description="Sources this vehicle may load at; empty means all."
    )
    max_trips: Annotated[int, Field(ge=1, le=100)] | None = None
    start: VehicleStart | None = Field(None, description="Starts here, not at its base (replan).")
    max_km: Annotated[float, Field(gt=0, le=2000)] | None = Field(
        default=None, description="The most its officer rides in the day (km); none: no limit."
    )
    role: VehicleRole = Field(
        default=VehicleRole.delivery,
        description="delivery: serves households; trunk: only moves stock to hubs.",
    )
    area: OfficerArea | None = Field(
        default=None, description="Where it may deliver; default: its base's area, if any."
    )

    def effective_speed_kmh(self) -> float:
        return self.speed_kmh if self.speed_kmh is not None else DEFAULT_SPEED_KMH[self.kind]


class ServiceArea(_Frozen):
    """A bounding box every point must lie in; catches swapped or mistyped coordinates."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def contains(self, loc: Location) -> bool:
        return self.min_lat <= loc.lat <= self.max_lat and self.min_lon <= loc.lon <= self.max_lon


class TravelSettings(_Frozen):
    """How travel is priced: ``geodesic`` (the straight line × ``detour_factor``, for areas
    without a road network) or ``road`` (shortest paths on a network file; see
    ``docs/roads.md``)."""

    model: Literal["geodesic", "road"] = "geodesic"
    network: str | None = Field(
        default=None,
        description="Road network for model road: GraphML or OSM XML (.gz/.bz2 too), "
        "relative to the scenario file.",
    )
    speeds: dict[VehicleKind, dict[str, Annotated[float, Field(gt=0, le=150)]]] = Field(
        default_factory=dict,
        description="km/h per vehicle kind and road class, over the defaults, "
        "e.g. {car: {primary: 25}}; a class a kind may not use has no speed.",
    )
    access_kmh: dict[VehicleKind, Annotated[float, Field(gt=0, le=60)]] = Field(
        default_factory=dict,
        description="Speed between a point and its road, per kind (defaults: motorbike 10, "
        "car and van 5, on foot 4.5).",
    )
    snap_limit_m: Annotated[float, Field(gt=0, le=50_000)] = Field(
        default=500.0, description="Warn about points farther than this from a usable road."
    )

    @model_validator(mode="after")
    def _network_for_road(self) -> TravelSettings:
        if self.model == "road" and not self.network:
            raise ValueError(
                "the road model needs a road network file; add network: FILE "
                "(GraphML or OSM XML, relative to the scenario), or use model: geodesic"
            )
        return self


PartialDelivery = Literal["standard_required", "allowed", "wait"]
"""When an item kind is short: ``standard_required`` (default) — a visit goes ahead when
all the standard packages it carries are in stock, and the special items it lacks are
recorded as missing; ``allowed`` — whatever is in stock is delivered, standard packages
too; ``wait`` — a household gets all its items or waits (unserved, ``stock_shortfall``)."""


class Settings(_Frozen):
    """How to plan the day."""

    planning_date: date
    time_limit_s: Annotated[float, Field(gt=0, le=86_400)] = 30.0
    deterministic: bool = Field(
        default=False,
        description="Same input, same plan: a fixed amount of search instead of wall time.",
    )
    detour_factor: Annotated[float, Field(ge=1.0, le=5.0)] = 1.35
    penalty_scale: Annotated[float, Field(gt=0, le=1000)] = 1.0
    service_minutes: Annotated[float, Field(ge=0, le=240)] = 4.0
    coordinates: Literal["wgs84", "planar"] = "wgs84"
    service_area: ServiceArea | None = None
    items: dict[str, ItemKind] = Field(default_factory=_default_items)
    travel: TravelSettings = Field(default_factory=TravelSettings)
    seed: int = 0
    partial_delivery: PartialDelivery = Field(
        default="standard_required",
        description="When an item is short: standard_required (deliver the rest when the"
        " standard packages are there), allowed (deliver whatever is in stock) or wait.",
    )
    fairness: FairnessSettings | None = Field(
        default=None,
        description="Share a shortfall of stock or fleet across kelurahan or RW (none: by"
        " priority alone).",
    )
    search_solutions: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        default=None,
        description="In deterministic mode, how many solutions the search may visit"
        " (default 400); fewer is faster, more finds better plans.",
    )

    @model_validator(mode="after")
    def _roads_need_wgs84(self) -> Settings:
        if self.travel.model == "road" and self.coordinates != "wgs84":
            raise ValueError(
                "a road network needs WGS 84 coordinates; use coordinates: wgs84 or "
                "travel model geodesic"
            )
        return self

    def package_places(self, item: str) -> int:
        """Package places (of ``capacity_packages``) one ``item`` takes; see ``ItemKind``."""
        kind = self.items[item]
        if kind.packages is not None:
            return kind.packages
        return 1 if kind.weight_kg >= self.items[STANDARD_ITEM].weight_kg / 2 else 0

    @field_validator("items")
    @classmethod
    def _standard_known(cls, v: dict[str, ItemKind]) -> dict[str, ItemKind]:
        if STANDARD_ITEM not in v:
            v = {**_default_items(), **v}
        return v


PluginConfig = bool | dict[str, Any]


class Scenario(_Frozen):
    """Everything needed to plan one day. Build it with ``load_scenario`` or directly."""

    name: str = "scenario"
    description: str = ""
    settings: Settings
    sources: list[SupplySource] = Field(min_length=1)
    bases: list[Base] = Field(min_length=1)
    vehicles: list[Vehicle] = Field(min_length=1)
    households: list[Household]
    hubs: list[Hub] = Field(
        default_factory=list,
        description="Where stock is staged by trunk vehicles (see Hub); none: no staging.",
    )
    plugins: dict[str, PluginConfig] = Field(
        default_factory=dict,
        description="Plugin name -> false (disabled), true (defaults) or its settings.",
    )
    plugin_paths: list[str] = Field(
        default_factory=list, description="Local plugin files, relative to the scenario file."
    )
    expect: Expectations | None = Field(
        default=None, description="What a good plan must achieve (ktj-route check, pytest)."
    )
    issued: Issued | None = Field(None, description="Sheets already issued today (replan).")

    _base_dir: Path | None = PrivateAttr(default=None)

    @property
    def base_dir(self) -> Path | None:
        """Folder of the scenario file (set by the loader); plugin paths are relative to it."""
        return self._base_dir

    def household(self, household_id: str) -> Household:
        for h in self.households:
            if h.id == household_id:
                return h
        raise KeyError(household_id)

    def base_by_id(self) -> dict[str, Base]:
        return {b.id: b for b in self.bases}

    def source_by_id(self) -> dict[str, SupplySource]:
        return {s.id: s for s in self.sources}

    def hub_by_id(self) -> dict[str, Hub]:
        return {h.id: h for h in self.hubs}

    def hub_location(self, hub: Hub) -> Location:
        """Where ``hub`` is: its own location, or its base's."""
        if hub.location is not None:
            return hub.location
        return self.base_by_id()[hub.base].location

    def area_of(self, vehicle: Vehicle) -> OfficerArea | None:
        """Where ``vehicle`` may deliver: its own area, else its base's (None: anywhere)."""
        if vehicle.area is not None:
            return vehicle.area
        base = self.base_by_id().get(vehicle.base)
        return base.area if base is not None else None
