"""Shared fixtures: small scenarios whose plans can be checked by hand."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ktj_logistics.model import (
    Base,
    Household,
    Location,
    Scenario,
    Settings,
    SupplySource,
    Vehicle,
)

DATA = Path(__file__).parent / "data"
POLRES = Location(lat=-6.253334, lon=106.798257)


@pytest.fixture
def tiny_path() -> Path:
    return DATA / "tiny" / "scenario.yaml"


def make_scenario(
    households: list[Household],
    vehicles: list[Vehicle] | None = None,
    stock: int = 100,
    **settings: object,
) -> Scenario:
    """A one-source, one-base day at the Polres; vehicles default to one car."""
    return Scenario(
        name="test",
        settings=Settings(
            planning_date="2021-07-01",  # type: ignore[arg-type]
            time_limit_s=2,
            deterministic=True,
            **settings,  # type: ignore[arg-type]
        ),
        sources=[SupplySource(id="polres", location=POLRES, stock={"standard": stock})],
        bases=[Base(id="polres", location=POLRES)],
        vehicles=vehicles
        or [Vehicle(id="c1", kind="car", base="polres", capacity_packages=10, capacity_kg=300)],
        households=households,
    )


def household(hid: str, dlat: float, dlon: float, **kw: object) -> Household:
    return Household(
        id=hid,
        location=Location(lat=POLRES.lat + dlat, lon=POLRES.lon + dlon),
        **kw,  # type: ignore[arg-type]
    )


REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
TINY = REPO / "tests" / "data" / "tiny"


@pytest.fixture
def copy_scenario(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a library scenario folder (or tests/data/tiny) into tmp_path; returns its YAML."""

    def _copy(name: str) -> Path:
        src = TINY if name == "tiny" else SCENARIOS / name
        dst = tmp_path / name
        shutil.copytree(src, dst)
        return dst / "scenario.yaml"

    return _copy
