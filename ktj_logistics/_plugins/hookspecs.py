"""The hooks a ktj-route plugin may implement. Each docstring is the contract.

A plugin is a module whose functions are marked with ``@hookimpl`` or, when it has
settings, a module with a ``Plugin`` class (methods marked ``@hookimpl``) and a pydantic
``Config`` model; ``Plugin(config)`` receives the validated ``plugins: {name: {...}}``
section of the scenario (see ``docs/plugins.md``). An implementation may accept any
subset of a hook's arguments, so hooks can gain arguments without breaking plugins.
Every answer is type-checked; a plugin that raises or answers with the wrong type stops
the run with an error naming it and the hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:
    from .._kinds import VehicleKind
    from .._plan import Plan
from .._scenario import Household, Location, Scenario, TimeWindow

PROJECT = "ktj_logistics"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class Contribution:
    """Points added to (or, if negative, taken from) a household's priority, and why."""

    points: float
    reason: str
    rule: str = ""


@dataclass(frozen=True)
class AccessRule:
    """What one vehicle kind may do at a household.

    ``allowed=False`` forbids the kind (a veto). ``extra_service_s`` adds time at the stop
    for that kind (e.g. a car parks at the alley mouth and the officer walks in).
    """

    kind: VehicleKind
    allowed: bool
    reason: str
    extra_service_s: int = 0


@dataclass(frozen=True)
class StopGroup:
    """Households delivered in one stop: an apartment lobby, an estate's security post.

    ``setup_s`` is spent once per stop (signing in, the lift); each household's own service
    time is added on top. ``time_windows`` (if any) bound the whole stop.
    """

    key: str
    household_ids: tuple[str, ...]
    location: Location
    label: str
    setup_s: int = 0
    time_windows: tuple[TimeWindow, ...] = ()


@dataclass(frozen=True)
class Exporter:
    """An output format: ``write`` puts its files in ``out_dir`` and returns their paths."""

    name: str
    description: str
    write: ExportFunction
    default: bool = True


class ExportFunction(Protocol):
    def __call__(
        self, plan: Plan, scenario: Scenario, out_dir: Path, options: Any
    ) -> list[Path]: ...


@dataclass(frozen=True)
class Loader:
    """Reads another file format into CSV-like records (column name -> cell text).

    ``read(path)`` returns one mapping per row. The records then go through exactly the
    checks a CSV does (column aliases, required columns, types), with row numbers
    counted as in a sheet (header = row 1). ``decimal_comma`` says numbers are written
    ``-6,25``; ``suffixes`` include the dot (``".json"``).
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], list[dict[str, Any]]]
    description: str = ""
    decimal_comma: bool = False


class KtjHookSpecs:
    """Namespace for the hook specifications."""

    @hookspec
    def ktj_settlement_types(self) -> list[str]:  # type: ignore[empty-body]
        """Return the settlement types this plugin understands (lower_snake_case).

        Combined: union of every plugin's list, plus ``regular``. A household whose type is
        in no list is an input error that lists the valid types — unless the type belongs
        to a plugin the scenario switches off (``name: false``): then it is a warning and
        the household is planned as a regular one.
        """

    @hookspec
    def ktj_priority(self, household: Household, scenario: Scenario) -> list[Contribution] | None:
        """Return priority contributions for ``household`` (points with a reason), or None.

        Combined: all contributions from all plugins are kept and their points summed into
        the household's score (floored at 0). Higher scores are served first when stock or
        fleet time runs short; each contribution is shown by ``ktj-route explain``.
        """

    @hookspec
    def ktj_vehicle_access(
        self, household: Household, scenario: Scenario
    ) -> list[AccessRule] | None:
        """Return access rules for vehicle kinds at ``household``, or None for no opinion.

        Combined: any veto wins (a kind is allowed unless some rule forbids it); extra
        service times of allowed kinds are summed (for a grouped stop: the largest of its
        households'). The verifier re-checks every route against the combined rules,
        extra service time included.
        """

    @hookspec
    def ktj_service_time(self, household: Household, scenario: Scenario) -> int | None:
        """Return seconds of handover time at ``household``, or None.

        Combined: first non-None answer wins. Plugins are asked ``tryfirst`` ones first,
        then the most recently registered (local files, then third-party, then built-ins),
        ``trylast`` ones last. Without an answer ``settings.service_minutes`` applies.
        """

    @hookspec
    def ktj_time_windows(self, household: Household, scenario: Scenario) -> list[TimeWindow] | None:
        """Return windows during which ``household`` may be visited (building hours, curfew).

        Combined: intersected with the household's own windows and with every other
        plugin's answer. An empty intersection makes the household unservable
        (reason ``time_window``). None means no restriction.
        """

    @hookspec
    def ktj_group_stops(
        self, households: list[Household], scenario: Scenario
    ) -> list[StopGroup] | None:
        """Return groups of households delivered together in one stop, or None.

        Combined: groups from all plugins are kept; a household claimed by two groups, or
        a key used twice, is a plugin error. Ungrouped households are stops of their own.
        A group's stop allows only vehicle kinds every member allows and takes ``setup_s``
        plus each member's service time. The verifier checks that every group is served in
        one stop or not at all, at its ``location``, with nobody else, for long enough and
        within its windows.
        """

    @hookspec
    def ktj_register_exporters(self) -> list[Exporter]:  # type: ignore[empty-body]
        """Return output formats this plugin adds.

        Combined: all lists are concatenated; a later exporter with the same name replaces
        an earlier one, so a plugin can override a built-in format.
        """

    @hookspec
    def ktj_register_loaders(self) -> list[Loader]:  # type: ignore[empty-body]
        """Return readers for further file formats of household/vehicle/source/base lists.

        Combined: concatenated; for a file named in the scenario whose suffix is not
        ``.csv``/``.txt``/``.tsv`` (always the built-in CSV reader) or ``.xlsx``/``.xlsm``
        (always the built-in workbook reader), the first loader in call order claiming the
        suffix reads it; a suffix no loader claims is read as CSV.
        A loader that raises or returns something other than a list of mappings stops the
        run with an error naming its plugin.
        """
