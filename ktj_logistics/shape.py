"""Stage 2 — shape: ask the plugins what each household needs.

The answers (priority with its reasons, which vehicle kinds may come, handover time,
time windows, grouping into stops) are collected into one immutable ``Shaped`` record.
The core itself knows nothing of settlement types; all of that comes from plugins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

from .errors import PluginError
from .hookspecs import AccessRule, Contribution, StopGroup
from .model import Household, Scenario, TimeWindow, VehicleKind, seconds_of_day
from .plugins import PluginHost

REGULAR = "regular"


@dataclass(frozen=True)
class PriorityPart:
    plugin: str
    rule: str
    points: float
    reason: str


@dataclass(frozen=True)
class HouseholdShape:
    """What the plugins decided for one household."""

    priority: float
    contributions: tuple[PriorityPart, ...]
    allowed_kinds: frozenset[VehicleKind]
    denied: tuple[tuple[VehicleKind, str, str], ...]  # (kind, plugin, reason)
    extra_service_s: Mapping[VehicleKind, int]
    service_s: int
    windows_s: tuple[tuple[int, int], ...]  # empty tuple + window_conflict => none possible
    window_conflict: bool
    group: str | None


@dataclass(frozen=True)
class Shaped:
    households: Mapping[str, HouseholdShape]
    groups: Mapping[str, StopGroup]
    plugins: tuple[str, ...]


def known_settlement_types(host: PluginHost) -> set[str]:
    types = {REGULAR}
    for _, answer in host.call("ktj_settlement_types", str):
        types.update(answer)
    return types


def _intersect(a: list[tuple[int, int]] | None, b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if a is None:
        return sorted(b)
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s < e:
                out.append((s, e))
    return sorted(out)


def _windows(h: Household, host: PluginHost, scenario: Scenario) -> list[tuple[int, int]] | None:
    current: list[tuple[int, int]] | None = None
    if h.time_windows:
        current = _intersect(None, [w.as_seconds() for w in h.time_windows])
    for _, answer in host.call("ktj_time_windows", TimeWindow, household=h, scenario=scenario):
        current = _intersect(current, [w.as_seconds() for w in answer])
    return current


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
        parts: list[PriorityPart] = []
        for plugin, answer in host.call(
            "ktj_priority", Contribution, household=h, scenario=scenario
        ):
            parts += [PriorityPart(plugin, c.rule, float(c.points), c.reason) for c in answer]
        allowed = set(VehicleKind)
        denied: list[tuple[VehicleKind, str, str]] = []
        extra: dict[VehicleKind, int] = {}
        for plugin, answer in host.call(
            "ktj_vehicle_access", AccessRule, household=h, scenario=scenario
        ):
            for rule in answer:
                if not rule.allowed:
                    allowed.discard(rule.kind)
                    denied.append((rule.kind, plugin, rule.reason))
                else:
                    extra[rule.kind] = extra.get(rule.kind, 0) + int(rule.extra_service_s)
        service = default_service
        answers = host.call("ktj_service_time", int, household=h, scenario=scenario)
        if answers:
            service = int(answers[0][1])
            if service < 0:
                raise PluginError(answers[0][0], "ktj_service_time", "negative service time")
        windows = _windows(h, host, scenario)
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
        )
    unknown = set(owner) - set(out)
    if unknown:
        plugin = "?"
        raise PluginError(plugin, "ktj_group_stops", f"unknown household ids {sorted(unknown)}")
    return Shaped(out, groups, tuple(host.enabled))


def day_seconds(t: time) -> int:
    return seconds_of_day(t)
