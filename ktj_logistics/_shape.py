"""Stage 2 — shape: ask the plugins what each household needs.

The answers (priority with its reasons, which vehicle kinds may come, handover time,
time windows, grouping into stops) are collected into one immutable ``Shaped`` record.
The core itself knows nothing of settlement types; all of that comes from plugins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._errors import PluginError
from ._kinds import VehicleKind
from ._plan import AccessDenial, PriorityContribution
from ._plugins.hookspecs import AccessRule, Contribution, StopGroup
from ._plugins.host import PluginHost
from ._scenario import Household, Scenario, TimeWindow


@dataclass(frozen=True)
class HouseholdShape:
    """What the plugins decided for one household."""

    priority: float
    contributions: tuple[PriorityContribution, ...]
    allowed_kinds: frozenset[VehicleKind]
    denied: tuple[AccessDenial, ...]
    extra_service_s: Mapping[VehicleKind, int]
    service_s: int
    windows_s: tuple[tuple[int, int], ...]  # empty tuple + window_conflict => none possible
    window_conflict: bool
    group: str | None
    window_sources: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()
    """Who set which windows ("household" or a plugin), to name a clash."""


@dataclass(frozen=True)
class Shaped:
    households: Mapping[str, HouseholdShape]
    groups: Mapping[str, StopGroup]
    plugins: tuple[str, ...]


def intersect(a: list[tuple[int, int]] | None, b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans common to two lists of windows (``None`` means "any time")."""
    if a is None:
        return sorted(b)
    out = [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b]
    return sorted((s, e) for s, e in out if s < e)


Sources = list[tuple[str, tuple[tuple[int, int], ...]]]


def _windows(
    h: Household, host: PluginHost, scenario: Scenario
) -> tuple[list[tuple[int, int]] | None, Sources]:
    """The household's windows (None: any time) and who set which."""
    current: list[tuple[int, int]] | None = None
    said: Sources = []
    if h.time_windows:
        current = intersect(None, [w.as_seconds() for w in h.time_windows])
        said.append(("household", tuple(current)))
    for plugin, answer in host.call("ktj_time_windows", TimeWindow, household=h, scenario=scenario):
        mine = [w.as_seconds() for w in answer]
        current = intersect(current, mine)
        said.append((f"plugin {plugin}", tuple(sorted(mine))))
    return current, said


def shape(scenario: Scenario, host: PluginHost) -> Shaped:
    """Run the shaping hooks for every household of ``scenario``."""
    default_service = round(scenario.settings.service_minutes * 60)
    out: dict[str, HouseholdShape] = {}
    groups: dict[str, StopGroup] = {}
    owner: dict[str, str] = {}
    for plugin, answer in host.call(
        "ktj_group_stops", StopGroup, households=list(scenario.households), scenario=scenario
    ):
        for g in answer:
            if g.key in groups:
                raise PluginError(plugin, "ktj_group_stops", f"group key '{g.key}' used twice")
            for hid in g.household_ids:
                if hid in owner:
                    raise PluginError(
                        plugin,
                        "ktj_group_stops",
                        f"household {hid} is in group '{owner[hid]}' and '{g.key}'",
                    )
                owner[hid] = g.key
            groups[g.key] = g
    for h in scenario.households:
        parts: list[PriorityContribution] = []
        for plugin, answer in host.call(
            "ktj_priority", Contribution, household=h, scenario=scenario
        ):
            parts += [
                PriorityContribution(
                    plugin=plugin, rule=c.rule, points=float(c.points), reason=c.reason
                )
                for c in answer
            ]
        allowed = set(VehicleKind)
        denied: list[AccessDenial] = []
        extra: dict[VehicleKind, int] = {}
        for plugin, answer in host.call(
            "ktj_vehicle_access", AccessRule, household=h, scenario=scenario
        ):
            for rule in answer:
                if not rule.allowed:
                    allowed.discard(rule.kind)
                    denied.append(
                        AccessDenial(kind=rule.kind.value, plugin=plugin, reason=rule.reason)
                    )
                else:
                    extra[rule.kind] = extra.get(rule.kind, 0) + int(rule.extra_service_s)
        service = default_service
        answers = host.call("ktj_service_time", int, household=h, scenario=scenario)
        if answers:
            service = int(answers[0][1])
            if service < 0:
                raise PluginError(answers[0][0], "ktj_service_time", "negative service time")
        windows, said = _windows(h, host, scenario)
        out[h.id] = HouseholdShape(
            priority=max(0.0, sum(p.points for p in parts)),
            contributions=tuple(parts),
            allowed_kinds=frozenset(allowed),
            denied=tuple(denied),
            extra_service_s={k: v for k, v in extra.items() if k in allowed},
            service_s=service,
            windows_s=tuple(windows or ()),
            window_conflict=windows is not None and not windows,
            group=owner.get(h.id),
            window_sources=tuple(said),
        )
    unknown = set(owner) - set(out)
    if unknown:
        plugin = "?"
        raise PluginError(plugin, "ktj_group_stops", f"unknown household ids {sorted(unknown)}")
    return Shaped(out, groups, tuple(host.enabled))
