"""The live progress line of ``ktj-route plan`` (part of the CLI layer: it draws on stderr).

A long solve otherwise looks hung. The engine reports a ``Progress`` on each plan a
search accepts (one model) or each part finished (a large day); this object keeps the
best and rich redraws the line a few times a second. It stays invisible for the first
``delay_s`` seconds so short solves print nothing, and it is transient: the line
disappears when the solve ends. It shows counts and costs only, never household data.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from .._i18n import Translator
from .._options import Progress


class PlanProgress:
    """Pass as ``PlanOptions(progress=...)`` inside ``with PlanProgress(console, lang, limit)``."""

    def __init__(
        self, console: Console, lang: str, time_limit_s: float, delay_s: float = 2.0
    ) -> None:
        self.console = console
        self.tr = Translator(lang)
        self.time_limit_s = max(time_limit_s, 0.001)
        self.delay_s = delay_s
        self.best: Progress | None = None
        self._t0 = time.monotonic()
        self._spinner = Spinner("dots")
        self._live: Live | None = None

    def __call__(self, event: Progress) -> None:
        # Local search also reports worse neighbours; keep the cheapest plan.
        if (
            self.best is None
            or event.stage == "parts"
            or (event.objective is not None and event.objective < (self.best.objective or 0))
        ):
            self.best = event
        if self._live is not None:
            self._live.refresh()

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def line(self) -> str:
        """The words of the progress line (without spinner and bar)."""
        b = self.best
        if b is None:
            best = self.tr("progress.none_yet")
        elif b.stage == "parts":
            best = self.tr(
                "progress.parts", done=b.parts_done, total=b.parts_total, served=b.served
            )
        else:
            best = self.tr("progress.best", served=b.served, objective=b.objective)
        return f"{self.tr('progress.solving')} {self.elapsed():5.1f} s — {best}"

    def __rich__(self) -> RenderableType:
        elapsed = self.elapsed()
        if elapsed < self.delay_s:
            return Group()
        grid = Table.grid(padding=(0, 1))
        grid.add_row(
            self._spinner,
            ProgressBar(
                total=self.time_limit_s, completed=min(elapsed, self.time_limit_s), width=20
            ),
            Text(self.line()),
        )
        return grid

    def __enter__(self) -> PlanProgress:
        self._t0 = time.monotonic()
        self._live = Live(self, console=self.console, transient=True, refresh_per_second=4)
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
