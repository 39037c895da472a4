"""Check a whole output folder: one run, every file listed, every sheet from plan.json.

The folder's current run must hold exactly the files its ``manifest.json`` lists, each
with the listed hash; the manifest's plan id must be that of ``plan.json``; and every
file an exporter writes must be what that exporter makes of ``plan.json`` and the
scenario now (sheets, messages, map, CSV, GeoJSON): a sheet edited by hand, or left from
another plan, disagrees. Re-made files go to a temporary folder beside the run (inside
the output folder), removed at once.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .._plan import Plan
from .._plugins.host import PluginHost
from .._scenario import Scenario
from .._verify import Violation
from .folder import PARTIAL, current_run
from .manifest import MANIFEST, file_hash, plan_id, read_manifest
from .options import ReportOptions


def _listed(run: Path, listed: dict[str, str]) -> list[Violation]:
    out: list[Violation] = []
    present = {
        p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file() and p.name != MANIFEST
    }
    for extra in sorted(present - set(listed)):
        out.append(Violation("folder", f"{extra} is not in {MANIFEST} (left from another run?)"))
    for missing in sorted(set(listed) - present):
        out.append(Violation("folder", f"{missing} is listed in {MANIFEST} but missing"))
    for path in sorted(present & set(listed)):
        if file_hash(run / path) != listed[path]:
            out.append(Violation("folder", f"{path} was changed after it was written"))
    return out


def _remade(
    plan: Plan,
    scenario: Scenario,
    run: Path,
    host: PluginHost,
    opts: ReportOptions,
    formats: tuple[str, ...],
) -> list[Violation]:
    from . import exporters, render

    available = exporters(host)
    unknown = [f for f in formats if f not in available]
    out = [Violation("folder", f"format {f!r} is not installed here") for f in unknown]
    chosen = [available[f] for f in formats if f in available]
    tmp = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}verify-", dir=run.parent))
    try:
        render(plan, scenario, tmp, chosen, opts)
        for made in sorted(p for p in tmp.rglob("*") if p.is_file()):
            rel = made.relative_to(tmp).as_posix()
            if not (run / rel).is_file():
                continue  # reported by _listed
            if made.read_bytes() != (run / rel).read_bytes():
                out.append(Violation("folder", f"{rel} does not agree with plan.json"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def audit(
    scenario: Scenario, folder: Path, host: PluginHost
) -> tuple[Plan | None, list[Violation]]:
    """The plan an output folder shows, and every way the folder disagrees with it."""
    run = current_run(folder)
    if run is None:
        return None, [Violation("folder", f"{folder} holds no complete run (no {MANIFEST})")]
    try:
        manifest = read_manifest(run)
        plan = Plan.model_validate_json((run / "plan.json").read_bytes())
    except (OSError, ValueError) as exc:
        return None, [Violation("folder", f"{run.name}: {exc}")]
    out = _listed(run, manifest.files)
    if plan_id(plan) != manifest.plan_id:
        out.append(Violation("folder", f"plan.json is not the plan {MANIFEST} names"))
    opts = ReportOptions(lang=manifest.lang, redact=manifest.redact, plan_id=manifest.plan_id)
    return plan, out + _remade(plan, scenario, run, host, opts, manifest.formats)
