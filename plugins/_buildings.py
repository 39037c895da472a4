"""Shared by ``apartment`` and ``luxury_housing``: one stop per building or estate.

Not a plugin itself (the leading underscore keeps it out of plugin discovery).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ktj_logistics import Household, Location, StopGroup, TimeWindow


def by_building(
    households: Iterable[Household], settlement_type: str
) -> dict[str, list[Household]]:
    """Households of ``settlement_type`` with a ``building``, keyed by building, in input order.

    A household without a building cannot be grouped and stays a stop of its own.
    """
    out: dict[str, list[Household]] = {}
    for h in households:
        if h.settlement_type == settlement_type and h.building:
            out.setdefault(h.building, []).append(h)
    return out


def mean_location(members: list[Household]) -> Location:
    """The centre of the members' coordinates: where a tower's lobby most likely is when
    the units were geocoded one by one around it."""
    return Location(
        lat=sum(h.location.lat for h in members) / len(members),
        lon=sum(h.location.lon for h in members) / len(members),
    )


def groups(
    households: Iterable[Household],
    settlement_type: str,
    *,
    prefix: str,
    label: Callable[[str], str],
    locations: Mapping[str, Location | None],
    setup_s: Callable[[str], int],
    windows: Callable[[str], tuple[TimeWindow, ...]] = lambda _: (),
) -> list[StopGroup]:
    """One ``StopGroup`` per building, at its configured location or the members' centre."""
    out = []
    for building, members in by_building(households, settlement_type).items():
        out.append(
            StopGroup(
                key=f"{prefix}:{building}",
                household_ids=tuple(h.id for h in members),
                location=locations.get(building) or mean_location(members),
                label=label(building),
                setup_s=setup_s(building),
                time_windows=windows(building),
            )
        )
    return out
