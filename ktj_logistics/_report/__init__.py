"""Stage 8 — report: every artefact is written by an ``Exporter`` (built-in or plugin).

Outputs are written atomically: all files go to a temporary folder beside ``out_dir``
and are moved into place only when every exporter has finished, so a failed run never
leaves half-written files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
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
from .options import ReportOptions

if TYPE_CHECKING:
    from .._options import Result

__all__ = ["ReportOptions", "exporters", "hhmm", "write_files", "write_outputs"]


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
    """Run ``chosen`` exporters into ``out_dir``; all files appear together or none do."""
    if options.travel is None:
        options = replace(options, travel=_travel_of(scenario))
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for exp in chosen:
            exp.write(plan, scenario, tmp, options)
        out_dir.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for src in sorted(tmp.rglob("*")):
            if src.is_dir():
                continue
            dest = out_dir / src.relative_to(tmp)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
            written.append(dest)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
