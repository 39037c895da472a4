"""The lines of a route sheet: households, stops, loads, links and trips (plain data)."""

from __future__ import annotations

from dataclasses import dataclass

from .._i18n import Translator
from .._scenario import Household, Scenario
from .privacy import display_name, display_phone
from .words import items_text


@dataclass(frozen=True)
class HouseholdLine:
    household_id: str
    label: str
    address: str
    rt_rw: str
    kelurahan: str
    phone: str
    notes: str
    items: str
    visit: str = ""
    """``visit 1 of 2`` when a household's delivery is split over several visits; empty
    for a delivery in one visit."""


@dataclass(frozen=True)
class StopLine:
    number: int
    trip: int
    place_id: str
    group_label: str
    lat: float
    lon: float
    arrival: str
    handover: str
    window: str
    wait_note: str
    packages: int
    items: str
    households: tuple[HouseholdLine, ...]
    route: str = ""
    """The roads taken to get here and the walk off the road, if any (road travel)."""
    unload: bool = False
    """A trunk vehicle leaving stock at a hub (``group_label`` says where and what)."""


@dataclass(frozen=True)
class LoadLine:
    source_id: str
    source_name: str
    time: str
    items: str
    at_start: bool
    lat: float
    lon: float
    wait_note: str = ""


@dataclass(frozen=True)
class NavLink:
    url: str
    part: int
    parts: int


@dataclass(frozen=True)
class TripSheet:
    number: int
    loads: tuple[LoadLine, ...]
    on_board: str
    stops: tuple[StopLine, ...]
    nav: tuple[NavLink, ...]
    end_base: str
    end_time: str

    @property
    def nav_links(self) -> tuple[str, ...]:
        return tuple(n.url for n in self.nav)


def rt_rw(h: Household, redact: bool = False) -> str:
    return "" if redact else "/".join(p for p in (h.rt, h.rw) if p)


def household_line(
    h: Household, items: dict[str, int], scenario: Scenario, tr: Translator, redact: bool
) -> HouseholdLine:
    return HouseholdLine(
        household_id=h.id,
        label=display_name(h, redact),
        address="" if redact else h.address,
        rt_rw=rt_rw(h, redact),
        kelurahan=h.kelurahan,
        phone=display_phone(h, redact),
        notes="" if redact else h.notes,
        items=items_text(items, scenario, tr),
    )
