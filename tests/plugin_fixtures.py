"""Small scenarios for the plugin tests, built in code so each test shows what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ktj_logistics import EmptyDay, PlanOptions, Result, Scenario, plan

POLRES = {"lat": -6.253334, "lon": 106.798257}
FAST = PlanOptions(time_limit_s=1, deterministic=True, search_solutions=40, workers=1)


def near(dlat: float, dlon: float) -> dict[str, float]:
    """A point ``dlat``/``dlon`` degrees from the Polres (0.001° ≈ 110 m)."""
    return {"lat": POLRES["lat"] + dlat, "lon": POLRES["lon"] + dlon}


def household(hid: str, dlat: float, dlon: float, **fields: Any) -> dict[str, Any]:
    return {"id": hid, "location": near(dlat, dlon), **fields}


def scenario_data(
    households: list[dict[str, Any]],
    vehicles: list[dict[str, Any]] | None = None,
    *,
    plugins: dict[str, Any] | None = None,
    stock: int = 50,
) -> dict[str, Any]:
    return {
        "name": "plugin-test",
        "settings": {"planning_date": "2021-07-01", "time_limit_s": 1, "deterministic": True},
        "sources": [{"id": "polres", "location": POLRES, "stock": {"standard": stock}}],
        "bases": [{"id": "polres", "location": POLRES}],
        "vehicles": vehicles
        or [
            {
                "id": "c1",
                "kind": "car",
                "base": "polres",
                "capacity_packages": 20,
                "capacity_kg": 400,
            }
        ],
        "households": households,
        "plugins": plugins or {},
    }


def build(data: dict[str, Any]) -> Scenario:
    return Scenario.model_validate(data)


def plan_of(data: dict[str, Any], **kwargs: Any) -> Result:
    """Plan (and verify: ``plan`` rejects a plan the verifier faults) with a tiny search;
    a day where nobody can be served gives its result too (for the reasons)."""
    try:
        return plan(build(data), FAST.model_copy(update=kwargs))
    except EmptyDay as nobody:
        return nobody.result


def write_scenario(tmp_path: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def car(vid: str = "c1", capacity: int = 20) -> dict[str, Any]:
    return {
        "id": vid,
        "kind": "car",
        "base": "polres",
        "capacity_packages": capacity,
        "capacity_kg": 400,
    }


def motorbike(vid: str = "m1", capacity: int = 2, **extra: Any) -> dict[str, Any]:
    return {
        "id": vid,
        "kind": "motorbike",
        "base": "polres",
        "capacity_packages": capacity,
        "capacity_kg": 40,
        **extra,
    }
