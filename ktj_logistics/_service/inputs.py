"""Submitted files → a job's input folder → the loader, with the loader's own issues.

A submission is loaded with ``ktj_logistics.load`` from its own folder, so a coordinator
sees exactly what ``ktj-route validate`` would print. Before that, what only a server
must refuse is refused: file names with folders in them (a scenario naming
``../other-job/households.csv`` would read another coordinator's data), plugin files (a
scenario's ``plugin_paths`` would run uploaded code), and YAML whose aliases expand
beyond any real day.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .._errors import InputError, Issue
from .._load import Loaded, load

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
"""What may be uploaded: the scenario, and the tables it names (``.xlsx`` where the
loader reads it; any other suffix is refused before it reaches the disk)."""

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()+-]{0,99}$")
MAX_YAML_NODES = 2_000_000
"""More nodes than a day of 100,000 households has: only an alias bomb gets there."""

COLLECTIONS = ("households", "vehicles", "sources", "bases")


def upload_name(raw: str | None) -> str | None:
    """The plain file name an upload is stored under, or ``None`` if it is not usable."""
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    if not FILE_NAME.match(name) or name.startswith("."):
        return None
    if not name.lower().endswith(SCENARIO_SUFFIXES + DATA_SUFFIXES):
        return None
    return name


def bad_name(raw: str | None) -> Issue:
    return Issue(
        "(upload)",
        "file name",
        "not a file the service takes",
        "upload the scenario (.yaml, .yml or .json) and the tables it names "
        f"({', '.join(DATA_SUFFIXES)}), with plain file names",
        value=(raw or "")[:100],
    )


def scenario_of(names: list[str]) -> tuple[str | None, list[Issue]]:
    """The one scenario file among ``names``."""
    found = [n for n in names if n.lower().endswith(SCENARIO_SUFFIXES)]
    if len(found) == 1:
        return found[0], []
    fix = "upload one scenario file (.yaml) together with the CSV files it names"
    if not found:
        return None, [Issue("(upload)", "files", "no scenario file among the uploads", fix)]
    return None, [
        Issue("(upload)", "files", "more than one scenario file", fix, value=", ".join(found))
    ]


def _nodes(root: yaml.Node) -> int:
    """How many nodes ``root`` stands for with every alias expanded (memoised)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key not in sizes:
            sizes[key] = 1  # a cycle counts once
            if isinstance(node, yaml.MappingNode):
                total = 1 + sum(size(k) + size(v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                total = 1 + sum(size(v) for v in node.value)
            else:
                total = 1
            sizes[key] = min(total, MAX_YAML_NODES + 1)
        return sizes[key]

    return size(root)


def _file_refs(value: Any) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict) and set(item) == {"csv"}:
            yield str(item["csv"])


def server_checks(scenario_file: Path) -> list[Issue]:
    """What a file may say on a laptop but not on a shared server."""
    shown = scenario_file.name
    try:
        text = scenario_file.read_text(encoding="utf-8-sig", errors="replace")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None and _nodes(root) > MAX_YAML_NODES:
            fix = "write the records out instead of repeating them with & and * aliases"
            return [Issue(shown, "(yaml)", "the aliases expand to too much data", fix)]
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, RecursionError):
        return []  # not readable: the loader says where and why
    if not isinstance(data, dict):
        return []
    issues: list[Issue] = []
    if data.get("plugin_paths"):
        issues.append(
            Issue(
                shown,
                "plugin_paths",
                "the service does not run plugin files sent with a scenario",
                "remove plugin_paths; ask the service's operator to install the plugin",
            )
        )
    for coll in COLLECTIONS:
        for ref in _file_refs(data.get(coll)):
            if ref != PurePosixPath(ref.replace("\\", "/")).name or ref.startswith("."):
                issues.append(
                    Issue(
                        shown,
                        coll,
                        "a file named with a folder",
                        "name the file without folders and upload it with the scenario",
                        value=ref[:100],
                    )
                )
    return issues


@dataclass(frozen=True)
class Checked:
    """A submission that loaded: the loader's answer and the scenario's file name."""

    loaded: Loaded
    scenario_file: str


def check_folder(folder: Path, scenario_file: str, networks: Path | None = None) -> Checked:
    """Load the submission in ``folder``; an ``InputError`` with every issue otherwise."""
    path = folder / scenario_file
    issues = server_checks(path) or provide_network(path, networks)
    if issues:
        raise InputError(issues)
    return Checked(load(path), scenario_file)


def provide_network(scenario_file: Path, networks: Path | None) -> list[Issue]:
    """Put the road network a scenario names (``settings.travel.network``) beside it, from
    the operator's folder (``ktj-route serve --networks DIR``), found by its file name.

    Networks are large and shared by every coordinator of a city, so they are installed
    on the server once rather than uploaded with each day."""
    try:
        data = yaml.safe_load(scenario_file.read_text(encoding="utf-8-sig", errors="replace"))
        ref = data["settings"]["travel"]["network"]
    except (yaml.YAMLError, ValueError, RecursionError, KeyError, TypeError):
        return []  # no network named (or unreadable: the loader says why)
    if not isinstance(ref, str) or not ref:
        return []
    name = PurePosixPath(ref.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or name.name.startswith("."):
        fix = "name the network by its file name; the service's operator installs it"
        return [
            Issue(
                scenario_file.name,
                "settings.travel.network",
                "not a usable file name",
                fix,
                value=ref[:100],
            )
        ]
    found = networks / name.name if networks is not None else None
    if found is None or not found.is_file():
        offered = sorted(f.name for f in networks.iterdir() if f.is_file()) if networks else []
        return [
            Issue(
                scenario_file.name,
                "settings.travel.network",
                "this service has no road network of that name",
                (f"use one of: {', '.join(offered)}" if offered else "ask the service's operator")
                + "; or plan with travel: {model: geodesic}",
                value=ref[:100],
            )
        ]
    target = scenario_file.parent / name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.hardlink_to(found)
    except OSError:  # another file system
        shutil.copyfile(found, target)
    return []
