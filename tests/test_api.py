"""The public Python API: small, typed, and exactly what ``__all__`` says."""

from __future__ import annotations

from pathlib import Path

import ktj_logistics as ktj


def test_two_lines_plan_a_day(tiny_path: Path) -> None:
    plan = ktj.plan(ktj.load_scenario(tiny_path)).plan
    assert isinstance(plan, ktj.Plan)
    assert plan.totals.served + plan.totals.unserved == 4


def test_every_household_is_in_the_plan_once(tiny_path: Path) -> None:
    scenario = ktj.load_scenario(tiny_path)
    plan = ktj.plan(scenario).plan
    assert sorted(o.household_id for o in plan.households) == sorted(
        h.id for h in scenario.households
    )


def test_all_is_sorted_and_complete() -> None:
    assert ktj.__all__ == sorted(ktj.__all__)
    for name in ktj.__all__:
        assert hasattr(ktj, name)


def test_a_plan_round_trips_through_json(tiny_path: Path) -> None:
    plan = ktj.plan(ktj.load_scenario(tiny_path)).plan
    assert ktj.Plan.model_validate_json(plan.model_dump_json()) == plan


def test_all_lists_every_public_name_and_nothing_private() -> None:
    """What the package shows without an underscore is the API, and ``__all__`` says so."""
    import inspect

    values = {name: getattr(ktj, name) for name in dir(ktj)}  # imported on first use
    shown = {
        name
        for name, value in values.items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", "").startswith("ktj_logistics")
    }
    assert shown <= set(ktj.__all__)
    assert not [n for n in ktj.__all__ if n.startswith("_") and n != "__version__"]


def test_importing_the_api_does_not_load_or_tools() -> None:
    """Apps and plugins that read scenarios and plans never pay for the solver."""
    _runs_cleanly(
        "import sys, ktj_logistics as k; "
        "[getattr(k, n) for n in k.__all__]; "
        "assert 'ortools' not in sys.modules, 'OR-Tools was loaded'"
    )


def test_importing_the_package_and_the_command_loads_no_engine() -> None:
    """Names are imported on first use, and each command imports what it runs: every
    ``ktj-route`` command starts without numpy, geopy or the engine, and those that
    never plan (``--help``, ``campaign import``, ``record``) never load them."""
    _runs_cleanly(
        "import sys, ktj_logistics, ktj_logistics._cli.app; "
        "heavy = {'numpy', 'geopy', 'ortools', 'ktj_logistics._engine'} & set(sys.modules); "
        "assert not heavy, heavy"
    )


def _runs_cleanly(code: str) -> None:
    """``code`` passes in a fresh interpreter (what it imports is not yet loaded there)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_options_are_frozen_and_validated() -> None:
    import pydantic
    import pytest

    options = ktj.PlanOptions(time_limit_s=5)
    with pytest.raises(pydantic.ValidationError):
        options.time_limit_s = 6  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        ktj.PlanOptions(time_limit_s=-1)
    with pytest.raises(pydantic.ValidationError):
        ktj.PlanOptions(part_sise=100)  # type: ignore[call-arg]
