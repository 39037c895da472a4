"""Stage 8 — report: every artefact is written by an ``Exporter`` (built-in or plugin).

Each run writes a fresh folder inside ``out_dir`` and switches to it atomically
(``folder.py``), so ``out_dir`` always shows one complete plan, never a mix of two.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .._cost import TravelModel, travel_for
from .._errors import InputError, Issue
from .._log import logger
from .._plan import Plan
from .._plugins.hookspecs import Exporter
from .._plugins.host import PluginHost
from .._scenario import Scenario
from .._timefmt import hhmm
from .folder import new_run
from .manifest import plan_id, write_manifest
from .options import ReportOptions
from .privacy import shared_plan

if TYPE_CHECKING:
    from .._options import Result

__all__ = ["ReportOptions", "exporters", "hhmm", "render", "write_files", "write_outputs"]


def exporters(host: PluginHost) -> dict[str, Exporter]:
    """Built-in exporters, then plugin ones (a plugin may replace a built-in by name)."""
    from . import builtin, geo, sheets, webmap, whatsapp

    built_in = [
        *builtin.EXPORTERS,
        *sheets.EXPORTERS,
        *whatsapp.EXPORTERS,
        *webmap.EXPORTERS,
        *geo.EXPORTERS,
    ]
    found: dict[str, Exporter] = {e.name: e for e in built_in}
    for _, answer in host.call("ktj_register_exporters", Exporter):
        for e in answer:
            found[e.name] = e
    return found


def write_outputs(
    result: Result,
    out_dir: Path,
    *,
    formats: Sequence[str] | None = None,
    options: ReportOptions | None = None,
) -> list[Path]:
    """Write ``result``'s artefacts into ``out_dir`` (all files or none).

    ``formats`` names exporters (built-in or from plugins); by default every exporter
    that is on by default. An unknown name is an ``InputError`` before anything is
    written.
    """
    from .._plugins.host import build_host

    host = result.host or build_host(result.scenario.plugins)
    available = exporters(host)
    names = list(formats) if formats else [n for n, e in available.items() if e.default]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise InputError(
            [
                Issue(
                    "command line",
                    "--format",
                    f"unknown format {n!r}",
                    f"use one of: {', '.join(available)}",
                )
                for n in unknown
            ]
        )
    opts = options or ReportOptions()
    if opts.travel is None and result.travel is not None:
        opts = replace(opts, travel=result.travel)
    return write_files(result.plan, result.scenario, out_dir, [available[n] for n in names], opts)


def _travel_of(scenario: Scenario) -> TravelModel | None:
    """The scenario's own travel model, for drawing legs; None if it cannot be built."""
    try:
        return travel_for(scenario.settings, scenario.base_dir)
    except (OSError, ValueError) as exc:
        logger.warning("legs drawn as straight lines: no travel model (%s)", exc)
        return None


def write_files(
    plan: Plan,
    scenario: Scenario,
    out_dir: Path,
    chosen: Sequence[Exporter],
    options: ReportOptions,
) -> list[Path]:
    """Run ``chosen`` exporters into a new run folder of ``out_dir`` and switch to it.

    Every exporter works from the plan as shared (``shared_plan``: with ``redact``,
    coordinates coarsened and health flags dropped), so all files tell the same story;
    ``manifest.json`` lists them with their hashes and the plan id.
    """
    if options.travel is None:
        options = replace(options, travel=_travel_of(scenario))
    shared = shared_plan(plan, options.redact)
    pid = plan_id(shared)
    opts = replace(options, plan_id=pid)
    with new_run(out_dir) as run:
        render(shared, scenario, run.folder, chosen, opts)
        write_manifest(run.folder, shared, pid, opts.lang, opts.redact, [e.name for e in chosen])
        final = run.publish(pid)
    out = Path(os.path.abspath(out_dir))
    return [out / p.relative_to(final) for p in sorted(final.rglob("*")) if p.is_file()]


def render(
    shared: Plan, scenario: Scenario, folder: Path, chosen: Sequence[Exporter], opts: ReportOptions
) -> None:
    """The exporters' files for ``shared`` in ``folder`` (also used to re-check a folder)."""
    for exp in chosen:
        exp.write(shared, scenario, folder, opts)
