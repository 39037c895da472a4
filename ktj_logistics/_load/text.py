"""Reading files as volunteers save them: any encoding Excel writes, YAML with line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import yaml


class LineDict(dict[str, Any]):
    line: int = 0


class LineLoader(yaml.SafeLoader):
    """Safe YAML (no arbitrary objects) that remembers the line of every mapping."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    d = LineDict(cast(dict[str, Any], loader.construct_mapping(node, deep=True)))
    d.line = node.start_mark.line + 1
    return d


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# PyYAML turns "2021-17-01" into a date itself and raises a bare ValueError when it is not
# one; keeping timestamps as text lets the model report a bad date with its row and fix.
LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    yaml.SafeLoader.construct_yaml_str,  # type: ignore[type-var]
)


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    # A UTF-8 BOM in front of Windows-1252 text happens when sheets are pasted together;
    # drop it before deciding the encoding so the first header is not mangled.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Indonesian Windows saves "CSV" as Windows-1252.
        return raw.decode("cp1252", errors="replace")


def display_path(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.resolve().parent))
    except ValueError:
        return str(path)


def strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj
