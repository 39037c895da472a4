"""Route sheets, WhatsApp messages and the summary of a hand-made day, word for word.

The day (``golden_day.py``) has a window that makes the officer wait half an hour, a
trip that loads at two sources and a package carried into the next trip. Set
``KTJ_UPDATE_GOLDEN=1`` to rewrite the golden files after a deliberate change, and read
the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import ktj_logistics as ktj
from ktj_logistics import ReportOptions, Result, write_outputs

from .golden_day import plan, scenario

GOLDEN = Path(__file__).parent / "golden"
FILES = ["sheets/m1.txt", "whatsapp/m1.txt", "summary.txt"]


@pytest.fixture(scope="module")
def day() -> Result:
    sc = scenario()
    return Result(plan(sc), "whole", sc, {})


def _normal(text: str) -> str:
    """The plan id hashes the version too: compare it as a placeholder."""
    return re.sub(r"\b(Rencana|Plan) [0-9a-f]{12}\b", r"\1 <plan-id>", text)


def test_the_golden_day_is_a_sound_plan(day: Result) -> None:
    assert ktj.verify(day.scenario, day.plan) == []


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", FILES)
def test_sheets_messages_and_summary_match_the_golden_files(
    day: Result, lang: str, name: str, tmp_path: Path
) -> None:
    write_outputs(day, tmp_path / "out", options=ReportOptions(lang=lang))
    got = _normal((tmp_path / "out" / name).read_text(encoding="utf-8"))
    golden = GOLDEN / lang / name.replace("/", "-")
    if os.environ.get("KTJ_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_a_trip_names_every_load_what_is_on_board_the_window_and_the_wait(
    day: Result, tmp_path: Path
) -> None:
    write_outputs(day, tmp_path / "out", options=ReportOptions(lang="en"))
    sheet = (tmp_path / "out" / "sheets" / "m1.txt").read_text(encoding="utf-8")
    trip1, trip2 = sheet.split("Route sheet · Trip 2 of 2")
    assert "Load at Polres at 08:00: 2× paket sembako" in trip1
    assert "Load at Donatur at 08:04: 1× susu formula" in trip1  # the second source
    assert "Already on board from the previous trip: 1× paket sembako" in trip2
    assert "Hand over 09:00 (window 09:00-12:00)" in trip2
    assert "wait 29 min: the household asked for 09:00-12:00" in trip2
    for hid in ("H1", "H2", "H3", "H4"):
        assert f"ID: {hid}" in sheet
    assert "HH-" not in sheet  # H3 has no name: it shows as its id, not a pseudonym
    summary = (tmp_path / "out" / "summary.txt").read_text(encoding="utf-8")
    assert "1: load polres (2 standard) + donor (1 infant_pack) -> H2 H1" in summary
    assert "2: on board 1 standard, load polres (1 standard) -> H3 H4" in summary
