"""The bundled South Jakarta generator: reproducible, and faithful to the real data."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "scenarios" / "jakarta-selatan" / "generate.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("jaksel_generate_test", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def geo(gen: ModuleType) -> object:
    return gen.load_geography()


def test_the_same_seed_writes_byte_identical_files(gen: ModuleType, tmp_path: Path) -> None:
    gen.write_day(tmp_path / "a", 120, seed=7)
    gen.write_day(tmp_path / "b", 120, seed=7)
    for name in ("scenario.yaml", "households.csv", "vehicles.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_household_lies_inside_its_kelurahan_polygon(gen: ModuleType, geo: object) -> None:
    households = gen.make_households(geo, 300, seed=3)
    for h in households:
        kel = geo.by_name(h["kelurahan"])  # type: ignore[attr-defined]
        assert kel.area.contains_point(h["lat"], h["lon"]), h["id"]


def test_households_follow_the_30_june_isolation_counts(gen: ModuleType, geo: object) -> None:
    households = gen.make_households(geo, 444, seed=1)
    per_kel = Counter(h["kelurahan"] for h in households)
    weights = {k.name: k.isolating / k.people_per_household for k in geo.kelurahan}  # type: ignore[attr-defined]
    total = sum(weights.values())
    for name, w in weights.items():
        assert abs(per_kel[name] - 444 * w / total) < 1, name


def test_the_default_day_is_two_fourteenths_of_isolating_households(
    gen: ModuleType, geo: object
) -> None:
    assert 400 <= gen.default_day_size(geo) <= 450


def test_standard_stock_exceeds_demand_and_special_items_fall_short(
    gen: ModuleType, geo: object
) -> None:
    households = gen.make_households(geo, 444, seed=gen.DEFAULT_SEED)
    need = gen.demand(households)
    sources = gen.make_sources(geo, households)
    stock = Counter()
    for s in sources:
        stock.update(s["stock"])
    assert stock["standard"] > need["standard"]
    assert stock["infant_pack"] < need["infant_pack"]
    assert stock["elderly_pack"] < need["elderly_pack"]
    assert {s["kind"] for s in sources} == {"polda", "member_donation", "donor"}
