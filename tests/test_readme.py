"""The README's examples are programs: they must keep working."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ktj_logistics import Scenario

README = Path(__file__).parents[1] / "README.md"


def _block(lang: str, containing: str) -> str:
    blocks = re.findall(rf"```{lang}\n(.*?)```", README.read_text(), flags=re.S)
    return next(b for b in blocks if containing in b)


def test_the_scenario_example_validates() -> None:
    data = yaml.safe_load(_block("yaml", "planning_date"))
    data["vehicles"] = [
        {
            "id": "m1",
            "kind": "motorbike",
            "base": "polres",
            "capacity_packages": 2,
            "capacity_kg": 40,
        }
    ]
    data["households"] = [{"id": "H1", "location": {"lat": -6.25, "lon": 106.80}}]
    scenario = Scenario.model_validate(data)
    assert scenario.sources[0].load_window_s() == (10 * 3600, 21 * 3600)


def test_the_two_fresh_machine_commands_are_shown() -> None:
    text = README.read_text()
    assert "ktj-route plan scenarios/jakarta-selatan/scenario.yaml" in text
    assert "python -m pytest" in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert "pytest" in ci
