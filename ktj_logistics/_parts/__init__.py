"""Planning a large day by parts: decompose, solve side by side (local processes or a
Dask cluster), repair at the boundaries, merge."""

from .by_parts import PartReport, PartsResult, PartsSettings, plan_by_parts
from .lend import Lending
from .runners import PartRunner, PartsFailed

__all__ = [
    "Lending",
    "PartReport",
    "PartRunner",
    "PartsFailed",
    "PartsResult",
    "PartsSettings",
    "plan_by_parts",
]
