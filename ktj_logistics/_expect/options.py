"""How a checked scenario is planned: the caller's options, in the scenario's folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._options import PlanOptions


def planning_options(
    base: PlanOptions | None, base_dir: Path, plugins_dirs: Sequence[Path]
) -> PlanOptions:
    """``base`` (or the defaults: the scenario's own settings) with the scenario's folder
    as ``base_dir`` and ``plugins_dirs`` added to its ``plugin_dirs``.

    ``PlanOptions`` is imported here, not at the top, so that collecting scenario files
    (the pytest plugin) does not import the planner.
    """
    from .._options import PlanOptions

    base = base or PlanOptions()
    dirs = (*base.plugin_dirs, *plugins_dirs)
    return base.model_copy(update={"base_dir": base_dir, "plugin_dirs": dirs})
