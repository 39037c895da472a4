"""``manifest.json``: every file of one run with its hash, and the plan it shows.

The plan id is the SHA-256 of the plan as the JSON exporter writes it (compact form),
so it can be recomputed from any ``plan.json``; sheets and messages print its first
twelve characters, and ``ktj-route verify`` checks that they all agree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._plan import Plan

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


def plan_id(plan: Plan) -> str:
    return hashlib.sha256(plan.model_dump_json().encode()).hexdigest()


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Manifest:
    plan_id: str
    lang: str
    redact: bool
    formats: tuple[str, ...]
    files: dict[str, str]  # relative POSIX path -> sha256


def write_manifest(
    folder: Path, plan: Plan, pid: str, lang: str, redact: bool, formats: Sequence[str]
) -> Path:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    data: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        "plan_id": pid,
        "scenario": plan.scenario,
        "planning_date": plan.planning_date.isoformat(),
        "generated_by": plan.generated_by,
        "lang": lang,
        "redacted": redact,
        "formats": list(formats),
        "files": [
            {"path": p.relative_to(folder).as_posix(), "sha256": file_hash(p)} for p in files
        ],
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a run folder; ``ValueError`` saying what is wrong with it."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(
            plan_id=str(data["plan_id"]),
            lang=str(data["lang"]),
            redact=bool(data["redacted"]),
            formats=tuple(str(f) for f in data["formats"]),
            files={str(f["path"]): str(f["sha256"]) for f in data["files"]},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{MANIFEST} is missing or unreadable ({type(exc).__name__})") from None
