"""Reading files as volunteers save them: any encoding Excel writes, YAML with line numbers.

Input is bounded: only regular files are read (a device such as ``/dev/zero`` would never
end, a named pipe would block), at most ``MAX_TABLE_BYTES`` of a table and
``MAX_SCENARIO_BYTES`` of a scenario, and a YAML document may not expand (through
aliases) to more than ``MAX_YAML_NODES`` nodes, so an alias bomb is refused before it is
built.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, cast

import yaml

MAX_SCENARIO_BYTES = 4 * 1024 * 1024
"""A scenario file is settings and short lists; its tables hold the households."""
MAX_TABLE_BYTES = 64 * 1024 * 1024
"""About 300,000 households of a typical sheet: far above any day of a Polres."""
MAX_YAML_NODES = 200_000
"""Nodes a scenario file may expand to, aliases followed (its own text is far smaller)."""


class LineDict(dict[str, Any]):
    line: int = 0


class TooLarge(yaml.YAMLError):
    """A document that would expand past the limits (an alias bomb, or nesting)."""


class LineLoader(yaml.SafeLoader):
    """Safe YAML (no arbitrary objects) that remembers the line of every mapping and
    refuses a document that expands to more than ``MAX_YAML_NODES`` nodes."""

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None and expanded_size(node) > MAX_YAML_NODES:
            raise TooLarge(
                f"the document expands to more than {MAX_YAML_NODES:,} values "
                "(through anchors and aliases)"
            )
        return node


def expanded_size(node: yaml.Node) -> int:
    """How many nodes ``node`` stands for with every alias copied out (memoised per node,
    so a bomb is measured in time linear in its text)."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node, depth: int) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if depth > 200:
            raise TooLarge("the document nests deeper than 200 levels")
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(c, depth + 1) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        sizes[id(n)] = min(total, MAX_YAML_NODES + 1)
        return sizes[id(n)]

    return size(node, 0)


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


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``ValueError`` otherwise.

    Opened without blocking (a named pipe with no writer would wait forever) and checked
    on the open descriptor, so what is checked is what is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise ValueError(f"not a regular file but {what}")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // (1024 * 1024)} MB, the most that is read")
    return data


def check_regular(path: Path, limit: int = MAX_TABLE_BYTES) -> None:
    """``ValueError`` unless ``path`` is a regular file of at most ``limit`` bytes (for
    readers that open the file themselves, such as the workbook reader)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file but a device, pipe, socket or folder")
    if st.st_size > limit:
        raise ValueError(f"larger than {limit // (1024 * 1024)} MB, the most that is read")


def read_text(path: Path, limit: int = MAX_TABLE_BYTES) -> str:
    raw = read_limited(path, limit)
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
