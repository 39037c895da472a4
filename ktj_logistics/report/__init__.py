"""Stage 6 — report: every artefact is written by an ``Exporter`` (built-in or plugin).

Outputs are written atomically: all files go to a temporary folder beside ``out_dir``
and are moved into place only when every exporter has finished, so a failed run never
leaves half-written files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..hookspecs import Exporter
from ..model import Scenario
from ..plan import Plan
from ..plugins import PluginHost


@dataclass(frozen=True)
class ReportOptions:
    """How artefacts are written: ``lang`` from ``i18n.LANGS``; ``redact`` for sharing."""

    lang: str = "id"
    redact: bool = False

    def __post_init__(self) -> None:
        from ..i18n import check_lang

        check_lang(self.lang)


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
    plan: Plan,
    scenario: Scenario,
    out_dir: Path,
    chosen: Sequence[Exporter],
    options: ReportOptions,
) -> list[Path]:
    """Run ``chosen`` exporters into ``out_dir``; all files appear together or none do."""
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


def hhmm(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
