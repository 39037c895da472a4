"""PNG charts of the campaign status, drawn with matplotlib's Agg backend (no display).

PNG rather than an interactive chart: a coordinator forwards them in WhatsApp to the
Kapolres, and they print. matplotlib is imported here only, when charts are drawn.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .status import CampaignStatus


def draw_charts(status: CampaignStatus, out_dir: Path) -> list[Path]:
    """Write the charts into ``out_dir``; their paths, in the report's order."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"font.size": 9, "figure.dpi": 100})
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        _served(status, out_dir / "due_served.png"),
        _waiting(status, out_dir / "waiting.png"),
        _stock(status, out_dir / "stock.png"),
        _kelurahan(status, out_dir / "kelurahan.png"),
    ]
    return [p for p in paths if p is not None]


def _labels(status: CampaignStatus) -> list[str]:
    return [d.day.strftime("%d %b") for d in status.days]


def _served(status: CampaignStatus, path: Path) -> Path:
    import matplotlib.pyplot as mpl

    fig, ax = mpl.subplots(figsize=(9, 3.6))
    x = list(range(len(status.days)))
    ax.bar([i - 0.2 for i in x], [d.due for d in status.days], 0.4, label="due", color="#9db9d8")
    ax.bar(
        [i + 0.2 for i in x],
        [d.delivered for d in status.days],
        0.4,
        label="delivered",
        color="#2b7a3d",
    )
    ax.plot(x, [d.over_limit for d in status.days], "o-", color="#c0392b", label="waiting too long")
    ax.set_xticks(x, _labels(status), rotation=45, ha="right")
    ax.set_ylabel("households")
    ax.set_title("Households due and delivered per day")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    mpl.close(fig)
    return path


def _waiting(status: CampaignStatus, path: Path) -> Path:
    import matplotlib.pyplot as mpl

    fig, ax = mpl.subplots(figsize=(9, 3.2))
    x = list(range(len(status.days)))
    ax.plot(x, [d.max_wait for d in status.days], "o-", label="longest wait", color="#c0392b")
    ax.plot(x, [d.mean_wait for d in status.days], "s--", label="mean wait", color="#34495e")
    limit = status.rules.max_wait_days
    ax.axhline(limit, color="#e67e22", linestyle=":", label=f"limit ({limit} days)")
    ax.set_xticks(x, _labels(status), rotation=45, ha="right")
    ax.set_ylabel("days waiting")
    ax.set_title("Days waiting of the households due")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    mpl.close(fig)
    return path


def _stock(status: CampaignStatus, path: Path) -> Path | None:
    import matplotlib.pyplot as mpl

    series: dict[str, dict[str, int]] = defaultdict(dict)
    for s in status.stock:
        if s.item == "standard":
            series[s.source_id][s.day.isoformat()] = s.used
    if not series:
        return None
    fig, ax = mpl.subplots(figsize=(9, 3.2))
    x = list(range(len(status.days)))
    bottom = [0] * len(x)
    for source, used in sorted(series.items()):
        values = [used.get(d.day.isoformat(), 0) for d in status.days]
        ax.bar(x, values, 0.6, bottom=bottom, label=source)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(x, _labels(status), rotation=45, ha="right")
    ax.set_ylabel("standard packages")
    ax.set_title("Standard packages used per source")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    mpl.close(fig)
    return path


def _kelurahan(status: CampaignStatus, path: Path) -> Path | None:
    import matplotlib.pyplot as mpl
    import numpy as np

    names = sorted({k.kelurahan for k in status.kelurahan})
    if not names:
        return None
    col = {d.day: i for i, d in enumerate(status.days)}
    row = {n: i for i, n in enumerate(names)}
    grid = np.full((len(names), len(status.days)), np.nan)
    for k in status.kelurahan:
        grid[row[k.kelurahan], col[k.day]] = k.delivered / k.due if k.due else np.nan
    fig, ax = mpl.subplots(figsize=(9, max(3.0, 0.16 * len(names) + 1.2)))
    image = ax.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=0, vmax=1, interpolation="none")
    ax.set_yticks(range(len(names)), names, fontsize=6)
    ax.set_xticks(range(len(status.days)), _labels(status), rotation=45, ha="right")
    ax.set_title("Share of due households delivered, per kelurahan and day")
    fig.colorbar(image, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path)
    mpl.close(fig)
    return path
