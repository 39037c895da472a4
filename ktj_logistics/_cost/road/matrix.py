"""Many-to-many road costs with scipy's compiled Dijkstra on the junction graph.

A point part-way along a street leaves it by one of the street's two junctions (those
its directions allow) and is reached from one of them, each at the price of the piece
of street in between (``graph.py``). So Dijkstra needs to run only from junctions, on
the graph of junctions alone: ``scipy.sparse.csgraph.dijkstra`` on a CSR matrix of the
kind's strongly connected core, from the side with fewer distinct junctions — the
origins' exits on the graph, or (stops → bases) the destinations' entries on the
reversed graph. For 5,000 points in South Jakarta that is ~2,300 searches over 7,700
junctions instead of 5,000 over 12,000 nodes with every point cut in.

A cell is then the cheapest of (exit piece + junction path + entry piece) over the two
exits and two entries, or the piece of street between the two points when both lie on
the same street in a direction it may be travelled. Everything stays in the exact
integer weights (milliseconds · 2^24 + decimetres) until the last step, and the work is
done in chunks of at most ``CHUNK_BYTES``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .graph import DIST_BITS, DIST_MASK, KindGraph
from .snap import Snap

CHUNK_BYTES = 32 << 20
JUNCTION_BYTES = 256 << 20
"""Largest block of junction-to-junction weights held at once."""
NONE = 1 << 60
"""Weight of a way that does not exist (three of them still fit in int64)."""


@dataclass(frozen=True, eq=False)
class Points:
    """Snapped points as arrays: access leg (ms, dm) and an id per distinct location
    (two points at the same place are 0 apart)."""

    snaps: Sequence[Snap]
    access_ms: np.ndarray
    access_dm: np.ndarray
    place: np.ndarray


def seconds(total_ms: np.ndarray, scale: float) -> np.ndarray:
    """Whole seconds of ``total_ms`` for a vehicle whose road times are scaled by ``scale``."""
    out: np.ndarray = np.rint(np.asarray(total_ms, dtype=np.float64) * (scale / 1000.0)).astype(
        np.int64
    )
    return out


def metres(total_dm: np.ndarray) -> np.ndarray:
    out: np.ndarray = (np.asarray(total_dm, dtype=np.int64) + 5) // 10
    return out


def _shares(total: np.ndarray, offset: np.ndarray, length: np.ndarray) -> np.ndarray:
    """``graph.rounded_share`` over arrays (the same integer formula)."""
    out: np.ndarray = (2 * total * offset + length) // (2 * length)
    return out


def _piece(graph: KindGraph, street: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weight of travelling ``street`` from offset ``a`` to ``b`` (along or against it)."""
    total, length = graph.time_ms[street], graph.length_dm[street]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    along = a <= b
    lo_s = np.where(along, lo, length - hi)
    hi_s = np.where(along, hi, length - lo)
    ms = _shares(total, hi_s, length) - _shares(total, lo_s, length)
    out: np.ndarray = (ms << DIST_BITS) + (hi - lo)
    return out


@dataclass(frozen=True, eq=False)
class _Ends:
    """Per point, two ways on or off the network: junction (-1: none) and its weight."""

    node: np.ndarray  # (n, 2)
    weight: np.ndarray  # (n, 2)


def _ends(graph: KindGraph, snaps: Sequence[Snap], leaving: bool) -> _Ends:
    net = graph.net
    s = np.array([p.street for p in snaps], dtype=np.int64)
    o = np.array([p.offset_dm for p in snaps], dtype=np.int64)
    length = graph.length_dm[s]
    start, end = net.start[s], net.end[s]
    zero, full = np.zeros_like(o), length
    # Travelling along the street: leave by its end, or come in from its start.
    along_node = end if leaving else start
    along_w = _piece(graph, s, o, full) if leaving else _piece(graph, s, zero, o)
    against_node = start if leaving else end
    against_w = _piece(graph, s, o, zero) if leaving else _piece(graph, s, full, o)
    node = np.stack(
        [np.where(graph.forward[s], along_node, -1), np.where(graph.backward[s], against_node, -1)],
        axis=1,
    )
    weight = np.stack([along_w, against_w], axis=1)
    at_start, at_end = o <= 0, o >= length
    for at, junction in ((at_start, start), (at_end, end)):
        node[at] = np.stack([junction[at], np.full(int(at.sum()), -1)], axis=1)
        weight[at] = 0
    weight = np.where(node >= 0, weight, NONE)
    return _Ends(node, weight)


def junction_graph(graph: KindGraph) -> csr_matrix:
    """CSR of the core's junctions: the cheapest street between each pair."""
    tail, head, streets = graph.directed()
    w = (graph.time_ms[streets] << DIST_BITS) + graph.length_dm[streets]
    keep = (tail != head) & graph.core[tail] & graph.core[head]
    t, h, w = tail[keep], head[keep], w[keep]
    order = np.lexsort((w, h, t))
    t, h, w = t[order], h[order], w[order]
    first = np.ones(t.size, dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    size = graph.net.junctions
    return csr_matrix((w[first].astype(np.float64), (t[first], h[first])), shape=(size, size))


def _same_street(
    graph: KindGraph, origins: Sequence[Snap], destinations: Sequence[Snap]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, weight) of origin/destination pairs joined directly along one street."""
    by_street: dict[int, list[int]] = {}
    for j, q in enumerate(destinations):
        by_street.setdefault(q.street, []).append(j)
    pairs = [(i, j) for i, p in enumerate(origins) for j in by_street.get(p.street, ())]
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    both = np.array(pairs, dtype=np.int64)
    o, d = both[:, 0], both[:, 1]
    s = np.array([origins[k].street for k in o], dtype=np.int64)
    a = np.array([origins[k].offset_dm for k in o], dtype=np.int64)
    b = np.array([destinations[k].offset_dm for k in d], dtype=np.int64)
    ok = np.where(a <= b, graph.forward[s], graph.backward[s]) | (a == b)
    return o[ok], d[ok], _piece(graph, s[ok], a[ok], b[ok])


def _junction_block(
    csr: csr_matrix, sources: np.ndarray, targets: np.ndarray, reverse: bool
) -> np.ndarray:
    """Path weights between junctions, searched from ``sources`` (rows)."""
    graph = csr.T.tocsr() if reverse else csr
    out = np.empty((sources.size, targets.size), dtype=np.int64)
    rows = max(1, CHUNK_BYTES // (8 * csr.shape[0]))
    for lo in range(0, sources.size, rows):
        w = dijkstra(graph, directed=True, indices=sources[lo : lo + rows])[:, targets]
        out[lo : lo + rows] = np.where(np.isfinite(w), w, NONE).astype(np.int64)
    return out


def price(
    graph: KindGraph, origins: Points, destinations: Points, scales: Sequence[float]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Metres, and seconds per time scale (vehicles of one kind at different speeds):
    int64 matrices origins × destinations, access legs included."""
    n_o, n_d = len(origins.snaps), len(destinations.snaps)
    distance = np.zeros((n_o, n_d), dtype=np.int64)
    durations = [np.zeros((n_o, n_d), dtype=np.int64) for _ in scales]
    if n_o == 0 or n_d == 0:
        return distance, durations
    out_of = _ends(graph, origins.snaps, leaving=True)
    into = _ends(graph, destinations.snaps, leaving=False)
    exits = np.unique(out_of.node[out_of.node >= 0])
    csr = junction_graph(graph)
    direct = _same_street(graph, origins.snaps, destinations.snaps)
    # Destinations in blocks, so the junction weights held stay under JUNCTION_BYTES.
    per_block = max(1, JUNCTION_BYTES // (16 * max(1, exits.size)))
    for j0 in range(0, n_d, per_block):
        cols = np.arange(j0, min(n_d, j0 + per_block))
        block_entries = np.unique(into.node[cols][into.node[cols] >= 0])
        if exits.size <= block_entries.size:
            jw = _junction_block(csr, exits, block_entries, reverse=False)
        else:
            jw = _junction_block(csr, block_entries, exits, reverse=True).T
        row_of = np.searchsorted(exits, np.maximum(out_of.node, 0))
        col_of = np.searchsorted(block_entries, np.maximum(into.node[cols], 0))
        chunk = max(1, CHUNK_BYTES // (8 * 3 * cols.size))
        for i0 in range(0, n_o, chunk):
            rows = np.arange(i0, min(n_o, i0 + chunk))
            best = np.full((rows.size, cols.size), NONE, dtype=np.int64)
            for a in (0, 1):
                for b in (0, 1):
                    cand = jw[np.ix_(row_of[rows, a], col_of[:, b])]
                    cand += out_of.weight[rows, a][:, None]
                    cand += into.weight[cols, b][None, :]
                    np.minimum(best, cand, out=best)
            pick = (direct[0] >= rows[0]) & (direct[0] <= rows[-1])
            pick &= (direct[1] >= cols[0]) & (direct[1] <= cols[-1])
            r, c = direct[0][pick] - rows[0], direct[1][pick] - cols[0]
            best[r, c] = np.minimum(best[r, c], direct[2][pick])
            if np.any(best >= NONE):
                raise ValueError("a snapped point cannot be reached; the network core is broken")
            _fill(distance, durations, rows, cols, best, origins, destinations, scales)
    return distance, durations


def _fill(
    distance: np.ndarray,
    durations: list[np.ndarray],
    rows: np.ndarray,
    cols: np.ndarray,
    w: np.ndarray,
    origins: Points,
    destinations: Points,
    scales: Sequence[float],
) -> None:
    """Write cells ``rows`` × ``cols``: path weights ``w`` (changed in place) plus both
    access legs, as whole metres and seconds; 0 between points at the same place."""
    ms = w >> DIST_BITS
    ms += origins.access_ms[rows][:, None]
    ms += destinations.access_ms[cols][None, :]
    dm = np.bitwise_and(w, DIST_MASK, out=w)
    dm += origins.access_dm[rows][:, None]
    dm += destinations.access_dm[cols][None, :]
    dm += 5
    dm //= 10  # whole metres, as ``metres``
    same = origins.place[rows][:, None] == destinations.place[cols][None, :]
    dm[same] = 0
    block = np.s_[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    distance[block] = dm
    for duration, scale in zip(durations, scales, strict=True):
        t = seconds(ms, scale)
        t[same] = 0
        duration[block] = t
