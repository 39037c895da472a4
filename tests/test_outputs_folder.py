"""One run, one folder: ``--out`` always shows one complete plan, never parts of two.

Runs are killed at random moments of writing (SIGTERM, which the CLI turns into a clean
exit, and SIGKILL, which nothing can catch); after each kill the folder shows one whole
plan that ``verify`` accepts, with no stale sheet of another plan, and no temporary folder
lies outside it. Each run is a process of its own, forked from the test with both plans
loaded (as the engine forks its searches), so that a run costs its writing, not a start
of Python.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import random
import signal
import sys
import tempfile
import time
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
import typer
import yaml

import ktj_logistics as ktj
from ktj_logistics import Plan, ReportOptions, Result, Scenario, write_outputs
from ktj_logistics._cli.common import cleanup_on_signals
from ktj_logistics._plugins.host import build_host
from ktj_logistics._report.audit import audit
from ktj_logistics._report.folder import current_run
from ktj_logistics._report.manifest import file_hash, plan_id

from .report_day import plan_for
from .report_day import scenario as report_scenario

FORK = multiprocessing.get_context("fork")


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """An older plan of two vehicles and a newer one of one, each with its scenario file."""
    folder = tmp_path_factory.mktemp("plans")
    full = report_scenario()
    one = full.model_copy(update={"vehicles": [v for v in full.vehicles if v.id == "c/1"]})
    made: dict[str, tuple[Path, Path]] = {}
    for name, sc in (("old", full), ("new", one)):
        result = plan_for(sc)
        assert len([r for r in result.plan.routes if r.trips]) == (2 if name == "old" else 1)
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(sc.model_dump(mode="json")))
        (folder / f"{name}.json").write_text(result.plan.model_dump_json())
        made[name] = (folder / f"{name}.yaml", folder / f"{name}.json")
    return made


@functools.cache
def _day(scenario_file: Path, plan_file: Path) -> tuple[Scenario, Plan]:
    """A scenario file and its plan, read once."""
    plan = Plan.model_validate_json(plan_file.read_bytes())
    return ktj.load(scenario_file).scenario, plan


def _shown(out: Path, plans: dict[str, tuple[Path, Path]]) -> str:
    """Which plan ``out`` shows; fails unless it is one whole plan that verify accepts."""
    manifest = json.loads((out / "manifest.json").read_text())
    names = {plan_id(_day(*files)[1]): n for n, files in plans.items()}
    name = names[manifest["plan_id"]]
    sc = _day(*plans[name])[0]
    shown, broken = audit(sc, out, build_host(sc.plugins))
    assert broken == [] and shown is not None
    assert ktj.verify(sc, shown) == []
    sheets = {p.name for p in (out / "sheets").iterdir()}
    assert ("m1.html" in sheets) == (name == "old"), "a sheet of the other plan is left"
    return name


def _write(plans: dict[str, tuple[Path, Path]], name: str, out: Path) -> None:
    sc, p = _day(*plans[name])
    write_outputs(Result(p, "whole", sc, {}), out)


def test_a_rerun_with_fewer_vehicles_leaves_no_sheet_of_the_older_plan(
    two_plans: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _write(two_plans, "old", out)
    assert _shown(out, two_plans) == "old"
    _write(two_plans, "new", out)
    assert _shown(out, two_plans) == "new"
    assert len(list((out / "runs").iterdir())) == 1
    manifest = json.loads((out / "manifest.json").read_text())
    run = current_run(out)
    assert run is not None
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed == {
        p.relative_to(run).as_posix(): file_hash(p)
        for p in run.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }


def _write_when_told(result: Result, out: Path, ready: Event, go: Event) -> None:
    """In the forked process: one run of ``write_outputs``, from ``go`` on; SIGTERM ends
    it as it ends ``ktj-route plan`` (``cleanup_on_signals``, exit 130)."""
    ready.set()
    go.wait()
    try:
        with cleanup_on_signals():
            write_outputs(result, out)
    except typer.Exit as stop:
        sys.exit(stop.exit_code)


class _Writer:
    """A writing process, forked and ready: ``go()`` starts its run."""

    def __init__(self, plans: dict[str, tuple[Path, Path]], name: str, out: Path) -> None:
        sc, plan = _day(*plans[name])
        self.ready, self.start = FORK.Event(), FORK.Event()
        args = (Result(plan, "whole", sc, {}), out, self.ready, self.start)
        self.proc = FORK.Process(target=_write_when_told, args=args, daemon=True)
        self.proc.start()
        assert self.ready.wait(timeout=30), "the writer did not start"

    def go(self) -> float:
        self.start.set()
        return time.monotonic()


def test_runs_killed_at_random_moments_leave_one_complete_plan_and_no_temporary_folder(
    two_plans: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _write(two_plans, "old", out)
    writer = _Writer(two_plans, "new", out)  # how long a write takes here, to aim the kills
    t0 = writer.go()
    writer.proc.join(timeout=60)
    assert writer.proc.exitcode == 0
    took = time.monotonic() - t0
    rng = random.Random(18)
    outcomes: list[tuple[str, bool]] = []
    # Writes take longer or shorter than the timed one as the machine's load moves: aim
    # later after a kill that came before the switch, earlier after one that came after,
    # so the kills keep landing on both sides of it, and around it.
    scale = 1.0
    after = _shown(out, two_plans)
    for k in range(24):
        before = after  # nothing touched the folder since it was last looked at
        left_before = {p.name for p in (out / "runs").iterdir() if p.name.startswith(".")}
        writer = _Writer(two_plans, "old" if before == "new" else "new", out)
        sig = signal.SIGKILL if k % 3 == 2 else signal.SIGTERM
        started = writer.go()
        time.sleep(max(0.0, started + rng.uniform(0, took * 1.1 * scale) - time.monotonic()))
        os.kill(writer.proc.pid, sig)
        writer.proc.join(timeout=30)
        assert writer.proc.exitcode is not None, "the writer outlived its kill"
        after = _shown(out, two_plans)
        outcomes.append((after, after != before))
        scale *= 0.8 if after != before else 1.25
        beside = sorted(p.name for p in tmp_path.iterdir())
        assert beside == ["out"], f"something was left beside --out: {beside}"
        partial = {p.name for p in (out / "runs").iterdir() if p.name.startswith(".")}
        if sig == signal.SIGTERM:  # what a SIGKILL before left may stay until the next run
            assert partial <= left_before, "a run ended by SIGTERM left its temporary folder"
    assert any(switched for _, switched in outcomes), "no kill landed after the switch"
    assert any(not switched for _, switched in outcomes), "no kill landed before the switch"
    _write(two_plans, "new", out)  # the next complete run sweeps what SIGKILL left
    assert [p.name for p in (out / "runs").iterdir() if p.name.startswith(".")] == []
    assert _shown(out, two_plans) == "new"


def test_a_folder_of_an_earlier_version_is_converted_without_leaving_its_files(
    two_plans: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "sheets").mkdir(parents=True)
    (out / "plan.json").write_text("{}")
    (out / "sheets" / "m9.html").write_text("a vehicle of an older plan")
    _write(two_plans, "new", out)
    assert _shown(out, two_plans) == "new"
    assert not (out / "sheets" / "m9.html").exists()


def test_verify_of_a_folder_names_a_stale_or_edited_sheet(
    two_plans: dict[str, tuple[Path, Path]], tmp_path: Path, ktj_route
) -> None:
    out = tmp_path / "out"
    _write(two_plans, "new", out)
    scenario = two_plans["new"][0]
    assert ktj_route("verify", scenario, out).exit_code == 0
    (out / "sheets" / "m1.txt").write_text("a sheet of yesterday's plan")
    sheet = out / "sheets" / "c_1.txt"
    sheet.write_text(sheet.read_text().replace("Warga", "Ibu"))
    ran = ktj_route("verify", scenario, out)
    assert ran.exit_code == 1
    assert "sheets/m1.txt is not in manifest.json (left from another run?)" in ran.text
    assert "sheets/c_1.txt was changed after it was written" in ran.text
    assert "sheets/c_1.txt does not agree with plan.json" in ran.text


def test_redacted_outputs_verify_and_hold_only_coarse_points(
    two_plans: dict[str, tuple[Path, Path]], tmp_path: Path, ktj_route
) -> None:
    sc = ktj.load(two_plans["new"][0]).scenario
    p = Plan.model_validate_json(two_plans["new"][1].read_bytes())
    out = tmp_path / "out"
    write_outputs(Result(p, "whole", sc, {}), out, options=ReportOptions(redact=True))
    assert ktj_route("verify", two_plans["new"][0], out).exit_code == 0
    shared = Plan.model_validate_json((out / "plan.json").read_bytes())
    points = [(s.lat, s.lon) for r in shared.routes for s in r.stops]
    assert all(round(x, 3) == x for pt in points for x in pt)
    assert all(o.contributions == [] for o in shared.households)
    for name in ("routes.csv", "stops.geojson", "whatsapp/c_1.txt", "sheets/c_1.html"):
        text = (out / name).read_text(encoding="utf-8-sig")
        for h in sc.households:
            assert f"{h.location.lat:.5f}" not in text or round(h.location.lat, 3) == h.location.lat
        assert "RT/RW 01" not in text and '"rt_rw": "01' not in text


@pytest.mark.parametrize("case", ["a file", "the scenario folder", "not an output folder"])
def test_an_unusable_out_is_refused_before_solving_with_exit_2(
    case: str, tmp_path: Path, ktj_route, copy_scenario
) -> None:
    scenario = copy_scenario("tiny")
    out = {
        "a file": tmp_path / "notes.txt",
        "the scenario folder": scenario.parent,
        "not an output folder": tmp_path / "home",
    }[case]
    if case == "a file":
        out.write_text("keep me")
    if case == "not an output folder":
        out.mkdir()
        (out / "thesis.docx").write_text("keep me")
    t0 = time.monotonic()
    ran = ktj_route("plan", scenario, "--out", out, "--deterministic")
    assert ran.exit_code == 2, ran.text
    assert time.monotonic() - t0 < 5, "refused only after solving"
    said = {
        "a file": "is a file, not a folder",
        "the scenario folder": "is the scenario's folder (or holds it)",
        "not an output folder": "holds files that are not ktj-route outputs",
    }[case]
    assert f"--out = '{out}': {said}" in ran.text
    assert sorted(p.name for p in scenario.parent.iterdir()) == [
        "households.csv",
        "scenario.yaml",
        "vehicles.csv",
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as an ordinary user")
def test_a_read_only_out_is_refused_before_solving_for_an_ordinary_user(
    tmp_path: Path, copy_scenario, ktj_route
) -> None:
    """Root may write anywhere, so the command runs with the effective user ``nobody``."""
    scenario = copy_scenario("tiny")
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o555)
    # So that nobody may read the scenario: every folder from the temporary root down
    # (how deep that is depends on pytest, e.g. one more level with xdist workers).
    top = Path(tempfile.gettempdir())
    ups = [f for f in tmp_path.parents if top in f.parents]
    for folder in (tmp_path, *ups, scenario.parent):
        os.chmod(folder, 0o755)
    ktj_route("plan", scenario, "--out", scenario.parent)  # the same imports, as root
    os.seteuid(65534)
    try:
        ran = ktj_route("plan", scenario, "--out", locked / "out", "--deterministic")
    finally:
        os.seteuid(0)
    assert ran.exit_code == 2, ran.text
    assert f"--out = '{locked / 'out'}': cannot be written ({locked} is read-only)" in ran.text
