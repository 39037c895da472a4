"""Re-planning the rest of a day under way (``ktj-route replan``, docs/replan.md)."""

from .changes import Changes, ReplanFile, ReplanScenario, SourceChange, VehicleOff
from .report import ChangesReport, OfficerChange
from .run import Replanned, replan

__all__ = [
    "Changes",
    "ChangesReport",
    "OfficerChange",
    "ReplanFile",
    "ReplanScenario",
    "Replanned",
    "SourceChange",
    "VehicleOff",
    "replan",
]
