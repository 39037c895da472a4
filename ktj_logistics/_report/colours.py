"""Vehicle colours: told apart by people with colour-vision deficiency, per Polsek.

The district map shows a Polsek (a base) at a time, so colours need to differ within a
base, not across the district: each base's vehicles take the palette in order. The
first seven are Okabe & Ito's colour-blind-safe set (without its yellow, which vanishes
on a map), the next four from Paul Tol's muted scheme; a base with more vehicles than
colours repeats them with a dashed line, so no two vehicles of a base look the same.
"""

from __future__ import annotations

from collections.abc import Sequence

PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#882255",  # wine
    "#117733",  # green
    "#332288",  # indigo
    "#999933",  # olive
)

DASHES = ("", "8 6", "2 5")
"""Line patterns for bases with more vehicles than colours (SVG dash arrays)."""


def vehicle_styles(bases: Sequence[str]) -> list[tuple[str, str]]:
    """(colour, dash pattern) for vehicles whose bases are ``bases``, in that order."""
    seen: dict[str, int] = {}
    out = []
    for base in bases:
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append((PALETTE[k % len(PALETTE)], DASHES[(k // len(PALETTE)) % len(DASHES)]))
    return out
