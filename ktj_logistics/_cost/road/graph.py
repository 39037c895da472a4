"""The network as one kind of vehicle sees it: open streets, directions, integer prices.

Every street travelled in a direction costs ``T`` milliseconds and ``D`` decimetres
(both integers ≥ 1). A shortest path minimises time, then distance: its weight is
``T·2^24 + D`` summed along the path — integers below 2^53, so exact in float64 and
decoded without loss (paths up to 1,677 km and 149 h). A point part-way along a street
at ``o`` decimetres from its start splits it: the piece from ``o1`` to ``o2`` costs
``R(o2) − R(o1)`` ms with ``R(o) = round(T·o / D)``, so the pieces of a street always add
up to the whole street, whichever other points split it too. The matrix code and the
independent leg code both price pieces with ``piece_cost``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .network import RoadNetwork
from .profiles import KindRules

DIST_BITS = 24
DIST_MASK = (1 << DIST_BITS) - 1


def rounded_share(total: int, offset: int, length: int) -> int:
    """``round(total · offset / length)`` in integers (halves round up)."""
    return (2 * total * offset + length) // (2 * length)


def piece_cost(total_ms: int, length_dm: int, o1: int, o2: int) -> tuple[int, int]:
    """(ms, dm) of the piece between offsets ``o1`` and ``o2`` of a street travelled
    along its shape; against it, pass ``length_dm - o`` for both offsets."""
    lo, hi = (o1, o2) if o1 <= o2 else (o2, o1)
    t = rounded_share(total_ms, hi, length_dm) - rounded_share(total_ms, lo, length_dm)
    return t, hi - lo


def weight(ms: int, dm: int) -> int:
    return (ms << DIST_BITS) + dm


def decode(w: int) -> tuple[int, int]:
    """(ms, dm) of a path weight."""
    return w >> DIST_BITS, w & DIST_MASK


@dataclass(frozen=True, eq=False)
class KindGraph:
    """The streets one kind may use, with their prices and its strongly connected core."""

    net: RoadNetwork
    rules: KindRules

    @cached_property
    def speed_kmh(self) -> np.ndarray:
        return self.rules.street_speeds(self.net)

    @cached_property
    def forward(self) -> np.ndarray:
        """May travel along the street's shape."""
        n = self.net
        both = n.forward | n.backward
        out: np.ndarray = (self.speed_kmh > 0) & (both if self.rules.ignores_oneway else n.forward)
        return out

    @cached_property
    def backward(self) -> np.ndarray:
        n = self.net
        both = n.forward | n.backward
        out: np.ndarray = (self.speed_kmh > 0) & (both if self.rules.ignores_oneway else n.backward)
        return out

    @cached_property
    def length_dm(self) -> np.ndarray:
        out: np.ndarray = np.maximum(1, np.rint(self.net.length_m * 10.0)).astype(np.int64)
        return out

    @cached_property
    def time_ms(self) -> np.ndarray:
        """Milliseconds to travel each street (whole length); 0 where closed."""
        speed = np.where(self.speed_kmh > 0, self.speed_kmh, 1.0)
        ms = np.maximum(1, np.rint(self.net.length_m * 3600.0 / speed)).astype(np.int64)
        out: np.ndarray = np.where(self.speed_kmh > 0, ms, 0)
        return out

    def directed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(tail, head, street) of every open street direction."""
        n = self.net
        f = np.flatnonzero(self.forward)
        b = np.flatnonzero(self.backward)
        tail = np.concatenate([n.start[f], n.end[b]])
        head = np.concatenate([n.end[f], n.start[b]])
        return tail, head, np.concatenate([f, b])

    @cached_property
    def core(self) -> np.ndarray:
        """Junctions of the largest strongly connected component (bool per junction)."""
        tail, head, _ = self.directed()
        size = self.net.junctions
        adjacency = csr_matrix(
            (np.ones(tail.size, dtype=np.int8), (tail, head)), shape=(size, size)
        )
        _, labels = connected_components(adjacency, directed=True, connection="strong")
        counts = np.bincount(labels[np.unique(np.concatenate([tail, head]))], minlength=1)
        out: np.ndarray = labels == int(np.argmax(counts))
        return out

    @cached_property
    def snappable(self) -> np.ndarray:
        """Streets a point may be attached to: open, in the core, not a toll road."""
        n = self.net
        out: np.ndarray = (
            (self.forward | self.backward)
            & self.core[n.start]
            & self.core[n.end]
            & self.rules.stopping_places(n)
        )
        return out
