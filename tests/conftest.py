"""Shared fixtures: small scenarios whose plans can be checked by hand."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ktj_logistics import (
    Base,
    EmptyDay,
    Household,
    Location,
    Plan,
    PlanOptions,
    ReportOptions,
    Result,
    Scenario,
    Settings,
    SupplySource,
    Vehicle,
    plan,
    write_outputs,
)
from ktj_logistics._allocate import allocate
from ktj_logistics._cli.app import app
from ktj_logistics._cost import travel_for
from ktj_logistics._plugins.host import build_host
from ktj_logistics._problem import Problem, day_of, priced
from ktj_logistics._shape import shape

from .report_day import plan_for
from .report_day import scenario as report_scenario

DATA = Path(__file__).parent / "data"
POLRES = Location(lat=-6.253334, lon=106.798257)
TEST_SOLUTIONS = 60
"""The deterministic search budget of ``make_scenario`` days: a few dozen stops reach
their best plan well within 60 solutions, and the default 400 (tuned for real days) made
the tests that check behaviour, not quality, take seconds each."""


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
            **{"search_solutions": TEST_SOLUTIONS, **settings},  # type: ignore[arg-type]
        ),
        sources=[SupplySource(id="polres", location=POLRES, stock={"standard": stock})],
        bases=[Base(id="polres", location=POLRES)],
        vehicles=vehicles
        or [Vehicle(id="c1", kind="car", base="polres", capacity_packages=10, capacity_kg=300)],
        households=households,
    )


def one_trip_cars(n: int, packages: int = 10) -> list[Vehicle]:
    """Cars loaded at the Polres that make one trip each: the day takes the CVRP shape."""
    return [
        Vehicle(
            id=f"c{k}",
            kind="car",
            base="polres",
            capacity_packages=packages,
            capacity_kg=300,
            max_trips=1,
        )
        for k in range(n)
    ]


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


SHORT_SEARCH = 10
"""Solutions a copied library scenario searches when a test checks a behaviour (which
expectation fails and how it reads, how a tool reports it), not the plan's quality: the
library scenarios search 30 to 300. The checks as shipped are tests of their own."""


def short_search(path: Path, solutions: int = SHORT_SEARCH) -> None:
    """Make the copied scenario at ``path`` search ``solutions`` solutions: its file says
    so, as ``ktj-route check`` and the pytest plugin plan a scenario as its file says."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"^  search_solutions: \d+.*$", text, flags=re.MULTILINE)
    assert len(found) == 1, f"{path} has no one settings.search_solutions"
    path.write_text(text.replace(found[0], f"  search_solutions: {solutions}"), encoding="utf-8")


TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "data" / "tiny" / "scenario.yaml"


@dataclass(frozen=True)
class Ran:
    exit_code: int
    text: str  # stdout and stderr, whitespace collapsed so wrapped lines compare as one
    exception: BaseException | None


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def ktj_route(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Call ``ktj_route("plan", path, ...)``; the output is 1,000 columns wide, so lines
    do not wrap ($COLUMNS is how rich learns the width of a non-terminal)."""
    runner = CliRunner()
    monkeypatch.setenv("COLUMNS", "1000")

    def run(*args: str | Path) -> Ran:
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        exc = result.exception if not isinstance(result.exception, SystemExit) else None
        return Ran(result.exit_code, flat(result.output), exc)

    yield run


@pytest.fixture(scope="session")
def report_result() -> Result:
    """The synthetic report day (reloads, an unserved household, a hostile name), planned."""
    return plan_for(report_scenario())


@pytest.fixture(scope="session")
def report_day(report_result: Result) -> tuple[Scenario, Plan]:
    return report_result.scenario, report_result.plan


@pytest.fixture(scope="session")
def artefacts(
    report_result: Result, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, bool], Path]:
    """``artefacts(lang, redact)``: the folder with every default artefact of the day."""
    made: dict[tuple[str, bool], Path] = {}

    def make(lang: str = "id", redact: bool = False) -> Path:
        if (lang, redact) not in made:
            out = tmp_path_factory.mktemp(f"out-{lang}-{'redacted' if redact else 'full'}")
            write_outputs(report_result, out, options=ReportOptions(lang=lang, redact=redact))
            made[(lang, redact)] = out
        return made[(lang, redact)]

    return make


def problem_of(scenario: Scenario) -> Problem:
    """The priced ``Problem`` of a whole (small) day, as the engine builds it."""
    shaped = shape(scenario, build_host(scenario.plugins))
    day = day_of(scenario, shaped)
    travel = travel_for(scenario.settings)
    return priced(day, travel, allocate(scenario, day, travel).assigned)


def plan_even_if_empty(scenario: Scenario, options: PlanOptions | None = None) -> Plan:
    """The plan of ``scenario``, also when nobody can be served (``EmptyDay`` carries it):
    for tests that look at the reasons of a day too small to have a plan."""
    try:
        return plan(scenario, options).plan
    except EmptyDay as nobody:
        return nobody.plan


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers per core.

    Many tests wait rather than compute (a browser, a server, a ``ktj-route`` killed and
    restarted, a search that runs to its time limit), so one worker per core leaves a core
    idle a quarter of the time; two per core keep both busy.
    """
    get = getattr(os, "sched_getaffinity", None)
    return 2 * (len(get(0)) if get else (os.cpu_count() or 1))


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, pin each worker to one core (two workers per core, see above).

    A plan searches on every core its process may use (two racing searches here), so
    workers each racing on both cores would fight over them; pinned, each worker's plans
    search on one core and the workers run side by side. The claims tests make do not
    depend on the race (the tests of the race ask for two workers themselves). The main
    process first lets every process keep its bytecode (``_keep_bytecode``).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        _keep_bytecode()  # before any worker starts
        return
    if not hasattr(os, "sched_setaffinity"):
        return
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[int(worker[2:]) % len(cpus)]})


def _keep_bytecode() -> None:
    """Let the workers, and every process a test starts, keep the bytecode they compile.

    The README installs with ``pip install --no-compile``: pip would byte-compile every
    module of every dependency, 37 s of a fresh setup's 60 s, most of it code the tests
    never import. Python compiles a module on first import and keeps the result, unless
    PYTHONDONTWRITEBYTECODE is set (some shells and CI images set it): then each of the
    ~100 ``ktj-route`` processes the tests start would compile pydantic, OR-Tools' Python
    side and the package anew. So the test run clears it; what is compiled lands in
    ``__pycache__`` folders that git ignores.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


LONGEST_FILES = (
    "test_campaign_crash.py",
    "test_scale.py",
    "test_browser.py",
    "test_bundled_scenario.py",
    "test_service_api.py",
    "test_fairness.py",
    "test_replan.py",
    "test_loader_fuzz.py",
    "test_lns.py",
    "test_service_restart.py",
    "test_check.py",
    "test_docs.py",
    "test_service_browser.py",
    "test_nothing_lost.py",
)
"""The test files that take longest, longest first (53 s down to 16 s on a worker; from
the test start and end times of a run of the suite, sum per file)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files go first, whole.

    ``--dist loadfile`` gives each worker whole files, in this order (with
    ``--no-loadscope-reorder``), so a module's shared fixture, such as the service with the
    bundled day planned, is built once, and the long files start side by side instead of
    one worker ending alone with the last of them. ``--dist load`` handed the first 47
    tests, all the long ones, to one worker: it ran 50 s after the others were done.
    """
    rank = {name: i for i, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
