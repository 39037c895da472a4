"""Writing the campaign status: ``status.html`` with its PNG charts, and ``status.json``
(the same figures for scripts). Written into a temporary folder and moved into place
together, like a day's outputs."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .._report.templating import environment
from .charts import draw_charts
from .results import CLOSES_HOUSEHOLD
from .status import RETRY_RESULTS, CampaignStatus, DayRow, KelurahanDay


def _environment() -> Environment:
    return environment("ktj_logistics._campaign")


def _retry(d: DayRow) -> int:
    return sum(d.results.get(r, 0) for r in RETRY_RESULTS)


def _closed(d: DayRow) -> int:
    return sum(d.results.get(r, 0) for r in (*CLOSES_HOUSEHOLD, "refused"))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def status_json(status: CampaignStatus) -> str:
    data = dataclasses.asdict(status)
    data["rules"] = status.rules.model_dump()
    data["over_limit"] = status.over_limit()
    return json.dumps(data, default=_plain, indent=1, sort_keys=True)


def write_status(status: CampaignStatus, out_dir: Path, charts: bool = True) -> list[Path]:
    """Write the report into ``out_dir`` (all files or none); the files written."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        drawn = draw_charts(status, tmp) if charts else []
        per_kel: dict[str, dict[date, KelurahanDay]] = defaultdict(dict)
        for k in status.kelurahan:
            per_kel[k.kelurahan][k.day] = k
        html = (
            _environment()
            .get_template("status.html.j2")
            .render(
                s=status,
                charts=[p.name for p in drawn],
                kelurahan=sorted(per_kel.items()),
                retry=_retry,
                closed=_closed,
            )
        )
        (tmp / "status.html").write_text(html, "utf-8")
        (tmp / "status.json").write_text(status_json(status), "utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for src in sorted(tmp.iterdir()):
            os.replace(src, out_dir / src.name)
            written.append(out_dir / src.name)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
