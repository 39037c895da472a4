"""Planning on roads: the solver, the verifier, the loader and the outputs with a road model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

import ktj_logistics as ktj
from ktj_logistics._cost import Costs, Profile
from ktj_logistics._cost.road import RoadTravel, load_network
from ktj_logistics._scenario import TravelSettings

from .roadnet import Way, at, grid, write_network

RIVER = [
    Way(((0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 5)), "residential", "Tepi Barat"),
    Way(((0.2, 0), (0.2, 1), (0.2, 2), (0.2, 3), (0.2, 4), (0.2, 5)), "residential", "Tepi Timur"),
    Way(((0, 0), (0.2, 0)), "residential", "Jembatan"),  # the only bridge, in the south
]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KTJ_CACHE_DIR", str(tmp_path / "cache"))


def river_day(network: Path, model: str) -> ktj.Scenario:
    """Base in the south-west, stock in the north-west; household W on the west bank,
    household E across the river (200 m wide) and a little further north."""
    travel = TravelSettings(model=model, network=str(network))  # type: ignore[arg-type]
    return ktj.Scenario(
        settings=ktj.Settings(
            planning_date="2021-07-01",  # type: ignore[arg-type]
            time_limit_s=2,
            deterministic=True,
            travel=travel,
        ),
        sources=[ktj.SupplySource(id="gudang", location=at(0, 5), stock={"standard": 10})],
        bases=[ktj.Base(id="polsek", location=at(0, 0))],
        vehicles=[
            ktj.Vehicle(id="c1", kind="car", base="polsek", capacity_packages=10, capacity_kg=300)
        ],
        households=[
            ktj.Household(id="W", location=at(0, 2)),
            ktj.Household(id="E", location=at(0.2, 2.5)),
        ],
    )


def delivery_order(plan: ktj.Plan) -> list[str]:
    return [
        h for r in plan.routes for s in r.stops for h in s.household_ids if s.kind == "delivery"
    ]


def test_a_river_with_one_bridge_changes_the_route_order(tmp_path: Path) -> None:
    """From the stock in the north, the straight line serves E (across the river) first;
    on the roads, with the only bridge in the south, W comes first and E on the way back."""
    network = write_network(tmp_path / "river.osm", RIVER)
    straight = ktj.plan(river_day(network, "geodesic")).plan
    roads = ktj.plan(river_day(network, "road")).plan
    assert delivery_order(straight) == ["E", "W"]
    assert delivery_order(roads) == ["W", "E"]
    # 5 km to the stock, 3 km down to W, 4.7 km round by the bridge to E, 2.7 km home
    assert 15_350 <= roads.totals.distance_m <= 15_450


class OneWrongEntry(RoadTravel):
    """The real road model with one matrix cell (``a`` → ``b``) made ten times cheaper."""

    def __init__(self, network: Path, a: ktj.Location, b: ktj.Location) -> None:
        super().__init__(load_network(network))
        self.a, self.b = a, b

    def costs(
        self,
        origins: Sequence[ktj.Location],
        destinations: Sequence[ktj.Location] | None,
        profiles: Sequence[Profile],
    ) -> list[Costs]:
        out = super().costs(origins, destinations, profiles)
        to = origins if destinations is None else destinations
        for c in out:
            for i, o in enumerate(origins):
                for j, d in enumerate(to):
                    if (o, d) == (self.a, self.b):
                        c.distance[i, j] //= 10
                        c.duration[i, j] //= 10
        return out


def test_the_independent_leg_check_catches_a_corrupted_matrix_entry(tmp_path: Path) -> None:
    """The stock → W cell made ten times cheaper: the plan uses it, the verifier's own
    networkx leg says it is wrong, and the plan is refused."""
    network = write_network(tmp_path / "river.osm", RIVER)
    day = river_day(network, "road")
    sound = ktj.plan(day, ktj.PlanOptions(travel=OneWrongEntry(network, at(9, 9), at(9, 9))))
    assert delivery_order(sound.plan) == ["W", "E"]
    with pytest.raises(ktj.PlanRejected) as caught:
        ktj.plan(day, ktj.PlanOptions(travel=OneWrongEntry(network, at(0, 5), at(0, 2))))
    codes = {v.code for v in caught.value.violations}
    assert {"distance", "travel_time"} <= codes


def write_day(folder: Path, households: str, network: str = "net.osm") -> Path:
    write_network(folder / "net.osm", grid(5, 0.4))
    base = at(0, 0)
    (folder / "scenario.yaml").write_text(
        f"""name: tiny-roads
settings:
  planning_date: 2021-07-01
  time_limit_s: 2
  deterministic: true
  travel: {{model: road, network: {network}}}
sources:
  - {{id: pos, location: {{lat: {base.lat}, lon: {base.lon}}}, stock: {{standard: 20}}}}
bases:
  - {{id: pos, location: {{lat: {base.lat}, lon: {base.lon}}}}}
vehicles: vehicles.csv
households: households.csv
""",
        encoding="utf-8",
    )
    (folder / "vehicles.csv").write_text(
        "id,kind,base,capacity_packages,capacity_kg\nc1,car,pos,10,300\nm1,motorbike,pos,2,40\n",
        encoding="utf-8",
    )
    (folder / "households.csv").write_text("id,lat,lon\n" + households, encoding="utf-8")
    return folder / "scenario.yaml"


def row(hid: str, x: float, y: float) -> str:
    p = at(x, y)
    return f"{hid},{p.lat},{p.lon}\n"


def test_a_household_beyond_the_snapping_limit_warns_with_file_row_and_distance(
    tmp_path: Path,
) -> None:
    path = write_day(tmp_path, row("near", 0.8, 0.42) + row("far", 0.8, 2.4))
    loaded = ktj.load(path)
    (issue,) = loaded.warnings
    assert (issue.file, issue.row, issue.field, issue.severity) == (
        "households.csv",
        3,
        "lat/lon",
        "warning",
    )
    assert re.search(r"\b(79\d|80\d) m from the nearest road", issue.message)
    assert issue.value is not None and issue.fix


def test_a_missing_network_file_is_an_input_error(tmp_path: Path) -> None:
    path = write_day(tmp_path, row("h", 0.4, 0.4), network="missing.osm")
    with pytest.raises(ktj.InputError) as caught:
        ktj.load(path)
    assert [i.field for i in caught.value.issues] == ["settings.travel.network"]


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ktj_logistics", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_tiny_day_is_planned_verified_and_drawn_along_the_roads(tmp_path: Path) -> None:
    households = "".join(
        row(f"H{i}", x, y)
        for i, (x, y) in enumerate([(0.2, 0.41), (0.8, 0.79), (1.21, 0.3), (1.5, 1.2), (0.1, 1.4)])
    )
    path = write_day(tmp_path, households)
    out = tmp_path / "out"
    planned = cli("plan", path, "--out", out, "--lang", "en", "-q")
    assert planned.returncode == 0, planned.stderr
    checked = cli("verify", path, out / "plan.json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["totals"]["served"] == 5
    routes = json.loads((out / "routes.geojson").read_text(encoding="utf-8"))["features"]
    for feature in routes:
        stops = feature["properties"]["stops"] + 2
        assert len(feature["geometry"]["coordinates"]) > stops  # bends at the junctions
    sheets = (out / "sheets" / "all.txt").read_text(encoding="utf-8")
    assert re.search(r"via Jl\. (Baris|Lajur) \d", sheets)
