"""What a search is asked and what it gives back, without any solver behind it.

These types cross process boundaries (a portfolio member in a worker process, a part on
a Dask worker), so they are plain frozen dataclasses of tuples and numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._plan import StopKind

if TYPE_CHECKING:
    from .._problem import Problem

SearchProgress = Callable[[int, int, float], None]
"""Called on each solution a search accepts: (objective, households served, elapsed s)."""

ITERATED_LOCAL_SEARCH = "ITERATED_LOCAL_SEARCH"
"""A ``SearchConfig.metaheuristic`` beside OR-Tools' own names: its iterated local search
(string removals — SISR — recreated by cheapest insertion, then greedy descent, the
result accepted by simulated annealing). It builds its own start, so a seed given
with it is only priced, and kept if the search ends worse or finds nothing."""


@dataclass(frozen=True)
class Visit:
    """A stop of a solved route: a ``load`` at a depot (with what is taken) or a
    ``delivery`` of a job."""

    kind: StopKind  # StopKind.load or StopKind.delivery
    index: int  # depot index or job index
    load: tuple[int, ...] = ()  # for a load: items taken, in Problem.items order


Routes = tuple[tuple[Visit, ...], ...]
"""Per vehicle, its visits between leaving the base and coming back."""


def jobs_of(route: tuple[Visit, ...]) -> list[int]:
    return [v.index for v in route if v.kind == StopKind.delivery]


@dataclass(frozen=True)
class SearchConfig:
    """How to search one model."""

    time_limit_s: float
    deterministic: bool = False
    solution_limit: int | None = None
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    """An OR-Tools ``LocalSearchMetaheuristic`` name, or ``ITERATED_LOCAL_SEARCH``."""
    portfolio: bool = False
    """Race several starts (see ``portfolio.py``) instead of this one search."""
    workers: int = 1
    """Processes a portfolio may race on (1: its members run one after another)."""
    use_initial: bool = True
    """Start from the constructed routes when given; False lets OR-Tools build its own."""
    decompose: bool = False
    """After a first search, re-solve groups of nearby routes (``improve.py``)."""
    engine: str = "ortools"
    """``ortools``, or ``pyvrp`` for a member searched by PyVRP (``portfolio.py``)."""
    pyvrp: bool = False
    """Race PyVRP as the second member on days it represents whole (``_solve/pyvrp``)."""
    global_span: bool = True
    """Cost the longest route too (days priced by duration). Parts are searched without
    it: OR-Tools reads and restores a seeded model ~100 times slower with it (0.6 s
    against 6 ms for a 40-stop part of a reload day), and a part's longest route is not
    the day's; ``improve.py`` keeps the day's longest route from growing instead."""


@dataclass(frozen=True)
class Solution:
    """The routes one search found, and how it got there."""

    routes: Routes
    status: str
    objective: int  # -1: no solution
    wall_s: float
    engine: str = "ortools"
    start_objective: int = -1
    """The objective of the seed routes in this model (-1 when the search had no seed)."""
    member: str = ""
    """Which search found it (e.g. ``SAVINGS/ITERATED_LOCAL_SEARCH``)."""
    improve_rounds: int = 0
    improve_accepted: int = 0
    """Sub-problems searched by ``improve.py``, and how many of them were kept."""

    @property
    def found(self) -> bool:
        return self.objective >= 0


SolveFn = Callable[["Problem", SearchConfig, SearchProgress | None, Routes | None], Solution]
"""One search of one model: ``ortools.solve``, or a test's stand-in."""
