"""Scenario tests: find scenario files, plan each, judge it against its ``expect:`` block.

Used by ``ktj-route check`` and by the pytest plugin, so both agree on what a scenario
file is and on when it passes: it loads, plans, the verifier accepts the plan, and every
stated expectation holds. A scenario with no ``expect:`` block passes when it plans and
verifies. Results can be written as JUnit XML for CI systems.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import InputError, Issue, KtjError
from .evaluate import Finding, evaluate
from .options import planning_options
from .outcome import ScenarioOutcome, Status, input_problem, internal_problem

if TYPE_CHECKING:
    from .._options import PlanOptions
    from .._plan import Plan

__all__ = [
    "ScenarioOutcome",
    "Status",
    "check_all",
    "check_file",
    "find_scenarios",
    "write_junit",
]

SCENARIO_SUFFIXES = (".yaml", ".yml")
SCENARIO_FILE_NAME = "scenario.yaml"
_SETTINGS_KEY = re.compile(r"^settings\s*:", re.MULTILINE)
_EXPECT_KEY = re.compile(r"^expect\s*:", re.MULTILINE)
_REPLAN_KEY = re.compile(r"^replan\s*:", re.MULTILINE)  # a re-plan case (docs/replan.md)
_SKIPPED_DIRS = {"node_modules", "site-packages", "__pycache__"}


def _head(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""


def is_scenario_file(path: Path) -> bool:
    """A ``scenario.yaml``, or a YAML file with a top-level ``settings:`` key."""
    if path.suffix not in SCENARIO_SUFFIXES or not path.is_file():
        return False
    head = _head(path)
    named = path.name == SCENARIO_FILE_NAME
    return named or bool(_SETTINGS_KEY.search(head) or _REPLAN_KEY.search(head))


def has_expectations(path: Path) -> bool:
    """Whether the file has a top-level ``expect:`` block (read as text, without loading)."""
    return bool(_EXPECT_KEY.search(_head(path)))


def _skipped_dir(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts[:-1]
    return any(p.startswith((".", "_")) or p in _SKIPPED_DIRS for p in parts)


def find_scenarios(paths: Iterable[Path]) -> list[Path]:
    """Scenario files named directly or found under folders, in a stable order.

    A file named on the command line is taken as a scenario whatever its name; under a
    folder, hidden and ``_``-prefixed folders are skipped.
    """
    found: dict[Path, None] = {}
    missing: list[str] = []
    for p in paths:
        if p.is_file():
            found[p] = None
        elif p.is_dir():
            candidates = sorted(f for suffix in SCENARIO_SUFFIXES for f in p.rglob(f"*{suffix}"))
            for f in candidates:
                if not _skipped_dir(f, p) and is_scenario_file(f):
                    found[f] = None
        else:
            missing.append(str(p))
    if missing:
        raise InputError(
            [Issue(m, "(path)", "no such file or folder", "check the path") for m in missing]
        )
    return list(found)


def _display_name(path: Path) -> str:
    return path.parent.name if path.stem == "scenario" and path.parent.name else path.stem


def check_file(
    path: Path,
    *,
    skip_tags: Iterable[str] = (),
    plugins_dirs: Sequence[Path] = (),
    options: PlanOptions | None = None,
) -> ScenarioOutcome:
    """Plan the scenario at ``path`` and judge it; never raises for a bad scenario.

    ``options`` changes how it is planned (its ``None`` fields leave the scenario's own
    settings), e.g. a shorter search for a test of a behaviour rather than of the plan's
    quality; the ``deterministic`` expectation re-plans with the same options. Left out,
    the scenario is planned exactly as its file says, as ``ktj-route check`` does.
    """
    from .._engine import plan
    from .._load import load

    if _REPLAN_KEY.search(_head(path)):
        from .replan import check_replan_file

        return check_replan_file(
            path, skip_tags=skip_tags, plugins_dirs=plugins_dirs, options=options
        )
    t0 = time.monotonic()
    try:
        loaded = load(path, plugins_dirs)
    except InputError as exc:
        return ScenarioOutcome(path, _display_name(path), "error", problem=input_problem(exc))
    except KtjError as exc:
        return ScenarioOutcome(path, _display_name(path), "error", problem=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken scenario must not stop the others
        return ScenarioOutcome(path, _display_name(path), "error", problem=internal_problem(exc))
    sc = loaded.scenario
    expect = sc.expect
    tags = tuple(expect.tags) if expect else ()
    skipping = sorted(set(tags) & set(skip_tags))
    if skipping:
        return ScenarioOutcome(
            path, sc.name, "skipped", problem=f"tagged {', '.join(skipping)}", tags=tags
        )

    options = planning_options(options, path.parent, plugins_dirs)

    def plan_once() -> Plan:
        return plan(sc, options).plan

    try:
        result = plan(sc, options)
    except Exception as exc:  # noqa: BLE001 - reported as this scenario's error
        problem = f"no verified plan: {exc}" if isinstance(exc, KtjError) else internal_problem(exc)
        return ScenarioOutcome(
            path, sc.name, "error", problem=problem, seconds=time.monotonic() - t0, tags=tags
        )
    made = result.plan
    t = made.totals
    findings = [
        Finding(
            "plans",
            True,
            f"planned and verified: {t.served} of {t.households} households served, "
            f"{t.distance_m / 1000:.1f} km",
        )
    ]
    if expect is not None:
        findings += evaluate(expect, sc, made, rerun=plan_once)
    status: Status = "passed" if all(f.passed for f in findings) else "failed"
    return ScenarioOutcome(
        path,
        sc.name,
        status,
        tuple(findings),
        seconds=time.monotonic() - t0,
        tags=tags,
        served=t.served,
        households=t.households,
        method=result.method,
    )


def check_all(
    paths: Iterable[Path],
    *,
    skip_tags: Iterable[str] = (),
    plugins_dirs: Sequence[Path] = (),
) -> list[ScenarioOutcome]:
    skip = tuple(skip_tags)
    return [check_file(p, skip_tags=skip, plugins_dirs=plugins_dirs) for p in find_scenarios(paths)]


def junit_tree(outcomes: Sequence[ScenarioOutcome], suite: str = "ktj-route check") -> ET.Element:
    """JUnit XML (the ``testsuites`` root CI systems read), one testcase per scenario."""
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("failed", "error", "skipped")}
    total_s = sum(o.seconds for o in outcomes)
    root = ET.Element(
        "testsuites",
        name=suite,
        tests=str(len(outcomes)),
        failures=str(counts["failed"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
        time=f"{total_s:.3f}",
    )
    ts = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(outcomes)),
        failures=str(counts["failed"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
        time=f"{total_s:.3f}",
    )
    for o in outcomes:
        case = ET.SubElement(
            ts,
            "testcase",
            classname="ktj_route.scenarios",
            name=o.path.as_posix(),
            file=o.path.as_posix(),
            time=f"{o.seconds:.3f}",
        )
        if o.status == "failed":
            words = o.explanation()
            fail = ET.SubElement(case, "failure", message=words[0], type="ExpectationFailed")
            fail.text = "\n".join(words)
        elif o.status == "error":
            err = ET.SubElement(case, "error", message=o.problem, type="ScenarioError")
            err.text = o.problem
        elif o.status == "skipped":
            ET.SubElement(case, "skipped", message=o.problem)
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(str(f) for f in o.findings) or o.problem
    return root


def write_junit(outcomes: Sequence[ScenarioOutcome], path: Path) -> None:
    tree = ET.ElementTree(junit_tree(outcomes))
    ET.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
