"""Issue 3's acceptance claims, on small scenarios built here (not the bundled one)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ktj_logistics import Plan, StopKind
from ktj_logistics._cli.app import app
from tests.plugin_fixtures import car, household, motorbike, plan_of, scenario_data, write_scenario

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


def _dense_day(plugins: dict | None = None) -> dict:
    dense = [
        household(
            f"D{i}", 0.004 * i, 0.003, settlement_type="dense_settlement", tags={"alley_m": "80"}
        )
        for i in range(1, 5)
    ]
    regular = [household("R1", -0.004, 0.0), household("R2", 0.0, -0.004)]
    # The motorbike can take only two packages, once: the car is needed for the rest.
    return scenario_data(
        dense + regular, [car(), motorbike(capacity=2, max_trips=1)], plugins=plugins
    )


def _served_by(plan: Plan) -> dict[str, str]:
    return {
        hid: r.vehicle_kind
        for r in plan.routes
        for s in r.stops
        if s.kind == StopKind.delivery
        for hid in s.household_ids
    }


def test_with_dense_settlement_on_no_car_or_van_serves_a_dense_settlement_household() -> None:
    result = plan_of(_dense_day())  # run() verifies: a car in an alley would be rejected
    kinds = _served_by(result.plan)
    dense = {f"D{i}" for i in range(1, 5)}
    assert {kinds[h] for h in dense if h in kinds} <= {"motorbike", "on_foot"}
    assert {h for h in dense if h in kinds}, "the motorbike still serves some of them"
    unserved = {o.household_id: o for o in result.plan.unserved()}
    assert set(unserved) <= dense


def test_with_dense_settlement_off_cars_serve_dense_settlement_households() -> None:
    kinds = _served_by(plan_of(_dense_day({"dense_settlement": False})).plan)
    assert any(kinds.get(f"D{i}") == "car" for i in range(1, 5))
    assert len(kinds) == 6


def test_a_car_parked_at_the_alley_mouth_spends_the_walking_time_at_the_stop() -> None:
    data = _dense_day({"dense_settlement": {"car_parks_at_mouth": True, "walking_speed_kmh": 3.6}})
    plan = plan_of(data).plan
    car_stops = [
        s
        for r in plan.routes
        if r.vehicle_kind == "car"
        for s in r.stops
        if s.kind == StopKind.delivery and s.household_ids[0].startswith("D")
    ]
    assert car_stops, "the car may now serve the alleys"
    # 4 min handover + 80 m there and back at 1 m/s.
    assert {s.service_s for s in car_stops} == {240 + 160}


def _tower_day(plugins: dict | None = None) -> dict:
    # Five units of one tower, geocoded a few metres apart, 1 km from the Polres.
    tower = [
        household(
            f"A{i}",
            0.009 + 0.0002 * i,
            0.002 - 0.0001 * i,
            settlement_type="apartment",
            building="Rusun Blok A",
        )
        for i in range(5)
    ]
    return scenario_data([*tower, household("R1", -0.003, 0.001)], [car()], plugins=plugins)


def test_with_apartment_on_a_towers_households_are_served_in_one_stop() -> None:
    plan = plan_of(_tower_day()).plan
    stops = [s for r in plan.routes for s in r.stops if s.kind == StopKind.delivery]
    tower_stops = [s for s in stops if any(h.startswith("A") for h in s.household_ids)]
    assert len(tower_stops) == 1
    assert tower_stops[0].household_ids == [f"A{i}" for i in range(5)]
    assert tower_stops[0].place_id == "apartment:Rusun Blok A"
    assert tower_stops[0].service_s == 5 * 60 + 5 * 2 * 60
    assert {o.group_key for o in plan.households if o.household_id.startswith("A")} == {
        "apartment:Rusun Blok A"
    }


def test_with_apartment_on_there_are_fewer_stops_and_less_total_time_than_with_it_off() -> None:
    on = plan_of(_tower_day()).plan
    off = plan_of(_tower_day({"apartment": False})).plan

    def stops(plan: Plan) -> int:
        return sum(1 for r in plan.routes for s in r.stops if s.kind == StopKind.delivery)

    assert on.totals.served == off.totals.served == 6
    assert (stops(on), stops(off)) == (2, 6)
    assert on.totals.duration_s < off.totals.duration_s


HEALTH_WORKER_PLUGIN = '''\
"""Health workers first: a household tagged ``nakes: ya`` gets ``points`` (default 50).

Nakes (tenaga kesehatan) in isolation cannot return to the wards until they recover,
so a Polres may want them supplied before others.
"""
from pydantic import BaseModel, Field

from ktj_logistics import Contribution, hookimpl
class Config(BaseModel):
    points: float = Field(50, ge=0)


class Plugin:
    def __init__(self, config: Config) -> None:
        self.config = config

    @hookimpl
    def ktj_priority(self, household):
        if household.tags.get("nakes") == "ya":
            return [Contribution(self.config.points, "a health worker lives here", rule="nakes")]
        return None
'''


def _short_stock_day(tmp_path: Path, with_plugin: bool) -> Path:
    data = scenario_data(
        [
            household("H1", 0.003, 0.0, elderly=True),  # vulnerability: +20
            household("H2", 0.0, 0.003, tags={"nakes": "ya"}),
        ],
        [car()],
        stock=1,
    )
    if with_plugin:
        (tmp_path / "nakes.py").write_text(HEALTH_WORKER_PLUGIN, encoding="utf-8")
        data["plugin_paths"] = ["nakes.py"]
        data["plugins"] = {"nakes": {"points": 50}}
    return write_scenario(tmp_path, data)


def _plan_cli(scenario: Path, out: Path) -> Plan:
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return Plan.model_validate_json((out / "plan.json").read_bytes())


def test_a_local_plugin_file_of_twenty_lines_changes_the_plan_as_its_docstring_says(
    tmp_path: Path,
) -> None:
    assert len(HEALTH_WORKER_PLUGIN.strip().splitlines()) <= 25
    (tmp_path / "without").mkdir()
    (tmp_path / "with").mkdir()
    before = _plan_cli(_short_stock_day(tmp_path / "without", False), tmp_path / "o1")
    after = _plan_cli(_short_stock_day(tmp_path / "with", True), tmp_path / "o2")
    # One package: the elderly household wins without the plugin, the nakes with it.
    assert [o.household_id for o in before.served()] == ["H1"]
    assert [o.household_id for o in after.served()] == ["H2"]
    assert after.outcome("H2").priority == 50
    assert after.outcome("H1").reason is not None
    assert after.outcome("H1").reason.value == "stock_shortfall"
    assert "nakes" in after.plugins


def test_explain_gives_the_priority_breakdown_for_a_served_household(tmp_path: Path) -> None:
    _plan_cli(_short_stock_day(tmp_path, True), tmp_path / "out")
    result = runner.invoke(app, ["explain", str(tmp_path / "out" / "plan.json"), "H2"], env=WIDE)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Household H2 was served by vehicle c1 (car), trip 1" in text
    assert "Priority 50: rank 1 of 2 households" in text
    assert "+50  nakes · nakes: a health worker lives here" in text
    assert "loaded at source polres" in text


def test_explain_says_why_an_unserved_household_was_not_served(tmp_path: Path) -> None:
    _plan_cli(_short_stock_day(tmp_path, True), tmp_path / "out")
    result = runner.invoke(app, ["explain", str(tmp_path / "out" / "plan.json"), "H1"], env=WIDE)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Household H1 was NOT served: stock_shortfall" in text
    assert "Priority 20: rank 2 of 2 households" in text
    assert "+20  vulnerability · elderly: household has an elderly member" in text
    assert "Of the 1 served households, 1 have a higher priority" in text


def test_explain_names_the_group_and_the_forbidden_vehicle_kinds(tmp_path: Path) -> None:
    data = _tower_day()
    data["households"].append(household("D1", 0.002, 0.002, settlement_type="dense_settlement"))
    data["vehicles"].append(motorbike())
    path = write_scenario(tmp_path, data)
    _plan_cli(path, tmp_path / "out")
    plan_file = str(tmp_path / "out" / "plan.json")
    tower = runner.invoke(app, ["explain", plan_file, "A3"], env=WIDE).stdout
    assert "Delivered in one stop at 'Rusun Blok A (lobby)' (group apartment:Rusun Blok A)" in tower
    assert "4 other household(s): A0, A1, A2, A4" in tower
    alley = runner.invoke(app, ["explain", plan_file, "D1"], env=WIDE).stdout
    assert "Vehicle kinds not allowed here: car (dense_settlement: a car cannot enter" in alley


def test_explain_of_an_unknown_household_is_an_input_error(tmp_path: Path) -> None:
    _plan_cli(_short_stock_day(tmp_path, False), tmp_path / "out")
    result = runner.invoke(app, ["explain", str(tmp_path / "out" / "plan.json"), "H9"])
    assert result.exit_code == 2
    assert "no household of this id" in result.stderr


def _table(text: str) -> dict[str, list[list[str]]]:
    """Rows of a rich table by plugin name; continuation lines (more hooks) appended."""
    rows: dict[str, list[list[str]]] = {}
    name = ""
    for line in text.splitlines():
        if "│" not in line:
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        name = cells[0] or name
        rows.setdefault(name, []).append(cells)
    return rows


def test_plugins_command_lists_name_version_source_and_hooks(tmp_path: Path) -> None:
    (tmp_path / "nakes.py").write_text(HEALTH_WORKER_PLUGIN, encoding="utf-8")
    result = runner.invoke(app, ["plugins", "--plugins-dir", str(tmp_path)], env=WIDE)
    assert result.exit_code == 0, result.output
    rows = _table(result.stdout)
    assert set(rows) >= {
        "apartment",
        "dense_settlement",
        "isolation_urgency",
        "luxury_housing",
        "vulnerability",
        "zone_colour",
        "nakes",
    }
    apartment = rows["apartment"]
    assert apartment[0][1:4] == ["0.1.0", "built-in", "yes"]
    assert [r[4] for r in apartment] == [
        "ktj_group_stops",
        "ktj_service_time",
        "ktj_settlement_types",
        "ktj_time_windows",
    ]
    assert apartment[0][5].startswith("Apartment towers")
    nakes = rows["nakes"][0]
    assert nakes[1] == "local" and nakes[2].endswith("nakes.py") and nakes[4] == "ktj_priority"


def test_plugins_command_shows_which_plugins_a_scenario_switches_off(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, _tower_day({"zone_colour": False}))
    result = runner.invoke(app, ["plugins", str(path)], env=WIDE)
    assert result.exit_code == 0, result.output
    rows = _table(result.stdout)
    assert rows["zone_colour"][0][3] == "no" and rows["apartment"][0][3] == "yes"


def test_switching_off_a_settlement_type_plugin_plans_its_households_as_regular(
    tmp_path: Path,
) -> None:
    path = write_scenario(tmp_path, _tower_day({"apartment": False}))
    result = runner.invoke(app, ["validate", str(path)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "plugin 'apartment' is switched off, so the 5 household(s)" in result.stderr


def test_a_settlement_type_no_plugin_knows_is_an_input_error(tmp_path: Path) -> None:
    data = _tower_day()
    data["households"][0]["settlement_type"] = "apartmen"
    result = runner.invoke(app, ["validate", str(write_scenario(tmp_path, data))], env=WIDE)
    assert result.exit_code == 2
    assert (
        "unknown settlement type" in result.stderr and "did you mean 'apartment'" in result.stderr
    )


def test_plan_json_round_trips_with_the_explanation_fields(tmp_path: Path) -> None:
    plan = _plan_cli(write_scenario(tmp_path, _tower_day()), tmp_path / "out")
    raw = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert Plan.model_validate(raw) == plan
    a0 = next(h for h in raw["households"] if h["household_id"] == "A0")
    assert a0["group_key"] == "apartment:Rusun Blok A"
    assert a0["time_windows"] == ["08:00-20:00"]
