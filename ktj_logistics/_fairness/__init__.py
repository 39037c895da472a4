"""Fairness across areas (``settings.fairness``): when stock or fleet is short, no
kelurahan (or RW) is left far behind the day's overall served share.

Two stages, both adaptive to the day: the allocation reserves stock for each area's
floor before the rest goes by priority (``stock.py``), and the routing raises the drop
penalties of areas still below the floor for lack of vehicle time and solves again
(``fleet.py``). ``figure.py`` measures the served share per area for every plan;
``notes.py`` marks the households fairness, not priority, decided.
"""

from .figure import area_of, fairness_figure, jain
from .fleet import FleetFairness, solve_fairly
from .notes import with_figure, with_notes
from .stock import Areas, StockFairness, balance_stock

__all__ = [
    "Areas",
    "FleetFairness",
    "StockFairness",
    "area_of",
    "balance_stock",
    "fairness_figure",
    "jain",
    "solve_fairly",
    "with_figure",
    "with_notes",
]
