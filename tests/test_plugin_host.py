"""The plugin host: discovery, settings, call order, and failures that name the culprit."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ktj_logistics import Contribution, InputError, PluginError, hookimpl
from ktj_logistics._cli.app import app
from ktj_logistics._plugins.host import build_host
from ktj_logistics._shape import shape
from tests.plugin_fixtures import build, household, scenario_data, write_scenario

runner = CliRunner()


def _local(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(
        "from ktj_logistics._plugins.hookspecs import Contribution, hookimpl\n\n" + body,
        encoding="utf-8",
    )
    return path


RAISES = """
@hookimpl
def ktj_priority(household):
    raise RuntimeError("no sheet for RW " + household.rw)
"""

WRONG_TYPE = """
@hookimpl
def ktj_priority(household):
    return {"points": 5}
"""


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (RAISES, "RuntimeError: no sheet for RW 07"),
        (WRONG_TYPE, "returned dict, expected a list of Contribution or None"),
    ],
)
def test_a_failing_plugin_stops_the_plan_with_exit_2_naming_plugin_and_hook(
    tmp_path: Path, body: str, detail: str
) -> None:
    _local(tmp_path, "broken", body)
    data = scenario_data([household("H1", 0.002, 0.0, rw="07")])
    data["plugin_paths"] = ["broken.py"]
    scenario = write_scenario(tmp_path, data)
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "plugin 'broken' failed in hook 'ktj_priority'" in message
    assert detail in message
    assert not (tmp_path / "out").exists()


def test_a_list_of_the_wrong_items_names_the_item_type() -> None:
    class Wrong:
        @hookimpl
        def ktj_priority(self) -> list[object]:
            return [Contribution(1, "ok"), ("2", "points")]

    sc = build(scenario_data([household("H1", 0, 0)]))
    with pytest.raises(PluginError) as e:
        shape(sc, build_host(extra=[("wrong", Wrong())]))
    assert (e.value.plugin, e.value.hook) == ("wrong", "ktj_priority")
    assert "containing tuple" in e.value.detail


def test_a_service_time_of_true_is_refused_though_bool_is_an_int() -> None:
    class Yes:
        @hookimpl
        def ktj_service_time(self) -> bool:
            return True

    sc = build(scenario_data([household("H1", 0, 0)]))
    with pytest.raises(PluginError, match="ktj_service_time"):
        shape(sc, build_host(extra=[("yes", Yes())]))


def test_a_hook_named_function_without_hookimpl_is_an_error_not_silently_ignored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "forgot.py"
    path.write_text("def ktj_priority(household):\n    return None\n", encoding="utf-8")
    with pytest.raises(PluginError) as e:
        build_host({}, [path])
    assert (e.value.plugin, e.value.hook) == ("forgot", "ktj_priority")
    assert "@hookimpl" in e.value.detail


def test_a_misspelt_hook_is_an_error_naming_the_plugin(tmp_path: Path) -> None:
    _local(tmp_path, "typo", "@hookimpl\ndef ktj_priorty(household):\n    return None\n")
    with pytest.raises(PluginError) as e:
        build_host({}, [tmp_path])
    assert e.value.plugin == "typo" and "ktj_priorty" in str(e.value)


def test_hook_wrappers_are_refused(tmp_path: Path) -> None:
    _local(
        tmp_path,
        "wrapper",
        "@hookimpl(wrapper=True)\ndef ktj_priority(household):\n    return (yield)\n",
    )
    with pytest.raises(PluginError, match="wrappers are not supported"):
        build_host({}, [tmp_path])


def test_settings_for_a_plugin_without_config_are_an_input_error(tmp_path: Path) -> None:
    _local(tmp_path, "plain", "@hookimpl\ndef ktj_priority(household):\n    return None\n")
    with pytest.raises(InputError) as e:
        build_host({"plain": {"points": 3}}, [tmp_path])
    assert e.value.issues[0].field == "plugins.plain"


def test_an_unknown_plugin_name_in_the_scenario_is_an_input_error() -> None:
    with pytest.raises(InputError) as e:
        build_host({"zone_color": False})
    assert e.value.issues[0].field == "plugins.zone_color"
    assert "zone_colour" in e.value.issues[0].fix


def test_a_missing_plugins_dir_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="1 problem"):
        build_host({}, [tmp_path / "nowhere"])


def test_a_disabled_plugin_is_not_asked() -> None:
    sc = build(
        scenario_data([household("H1", 0, 0, elderly=True)], plugins={"vulnerability": False})
    )
    s = shape(sc, build_host(sc.plugins))
    assert not [p for p in s.households["H1"].contributions if p.plugin == "vulnerability"]
    assert "vulnerability" not in s.plugins


class _Service:
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def ktj_service_time(self) -> int:
        return self.seconds


class _Early(_Service):
    @hookimpl(tryfirst=True)
    def ktj_service_time(self) -> int:
        return self.seconds


class _Plain(_Service):
    @hookimpl
    def ktj_service_time(self) -> int:
        return self.seconds


class _Late(_Service):
    @hookimpl(trylast=True)
    def ktj_service_time(self) -> int:
        return self.seconds


def test_for_first_answer_hooks_tryfirst_beats_later_registration_which_beats_trylast() -> None:
    sc = build(scenario_data([household("H1", 0, 0)]))

    def service(*plugins: tuple[str, object]) -> int:
        return shape(sc, build_host(extra=plugins)).households["H1"].service_s

    # Registered later is asked first ...
    assert service(("a", _Plain(10)), ("b", _Plain(20))) == 20
    # ... unless an earlier one says tryfirst, or the later one trylast.
    assert service(("a", _Early(10)), ("b", _Plain(20))) == 10
    assert service(("a", _Plain(10)), ("b", _Late(20))) == 10


def test_a_local_plugin_file_overrides_a_built_in_first_answer(tmp_path: Path) -> None:
    _local(
        tmp_path,
        "slow_lifts",
        "@hookimpl\ndef ktj_service_time(household):\n"
        "    return 600 if household.settlement_type == 'apartment' else None\n",
    )
    sc = build(scenario_data([household("A1", 0, 0, settlement_type="apartment", building="X")]))
    s = shape(sc, build_host({}, [tmp_path]))
    assert s.households["A1"].service_s == 600  # not the apartment plugin's 120


def test_two_groups_claiming_one_household_is_a_plugin_error() -> None:
    from ktj_logistics._plugins.hookspecs import StopGroup
    from ktj_logistics._scenario import Location

    class Greedy:
        @hookimpl
        def ktj_group_stops(self) -> list[StopGroup]:
            return [StopGroup("mine", ("A1",), Location(lat=-6.25, lon=106.8), "mine")]

    sc = build(scenario_data([household("A1", 0, 0, settlement_type="apartment", building="X")]))
    with pytest.raises(PluginError, match="is in group"):
        shape(sc, build_host(extra=[("greedy", Greedy())]))


def test_a_hook_argument_the_spec_does_not_offer_is_an_error_naming_the_plugin(
    tmp_path: Path,
) -> None:
    _local(
        tmp_path, "greedy", "@hookimpl\ndef ktj_priority(household, weather):\n    return None\n"
    )
    with pytest.raises(PluginError) as e:
        build_host({}, [tmp_path])
    assert e.value.plugin == "greedy" and "weather" in str(e.value)
