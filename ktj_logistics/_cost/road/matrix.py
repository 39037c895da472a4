"""Many-to-many road costs with scipy's compiled Dijkstra on a CSR matrix.

The kind's graph gets one extra node per snapped point (its street is cut there, see
``graph.py``), then ``scipy.sparse.csgraph.dijkstra`` runs from the smaller side: from
the origins on the graph, or — when there are fewer destinations (stops → bases) — from
the destinations on the reversed graph. Rows are searched in chunks so a 5,000-point
square never holds more than ``CHUNK_BYTES`` of search results at once, and each chunk
is turned straight into the final integer metres and seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .graph import DIST_BITS, DIST_MASK, KindGraph
from .snap import Snap

CHUNK_BYTES = 96 << 20


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


def split_graph(graph: KindGraph, snaps: Sequence[Snap]) -> tuple[csr_matrix, np.ndarray]:
    """CSR of the kind's graph with every snap as a node; and each snap's node."""
    net = graph.net
    n_junctions = net.junctions
    street = np.array([s.street for s in snaps], dtype=np.int64)
    offset = np.array([s.offset_dm for s in snaps], dtype=np.int64)
    length = graph.length_dm[street]
    node = np.where(offset <= 0, net.start[street], net.end[street])
    inner = (offset > 0) & (offset < length)
    keys, inverse = np.unique(np.stack([street[inner], offset[inner]]), axis=1, return_inverse=True)
    node[inner] = n_junctions + inverse.reshape(-1)
    size = n_junctions + keys.shape[1]

    # Chains along each cut street: its start, its cut points by offset, its end.
    cut = np.unique(keys[0])
    s_all = np.concatenate([cut, keys[0], cut])
    o_all = np.concatenate([np.zeros(cut.size, np.int64), keys[1], graph.length_dm[cut]])
    n_all = np.concatenate([net.start[cut], n_junctions + np.arange(keys.shape[1]), net.end[cut]])
    order = np.lexsort((o_all, s_all))
    s_all, o_all, n_all = s_all[order], o_all[order], n_all[order]
    pair = np.flatnonzero(s_all[:-1] == s_all[1:])
    s, o1, o2 = s_all[pair], o_all[pair], o_all[pair + 1]
    a, b = n_all[pair], n_all[pair + 1]
    total, dm = graph.time_ms[s], graph.length_dm[s]
    along = _shares(total, o2, dm) - _shares(total, o1, dm)
    against = _shares(total, dm - o1, dm) - _shares(total, dm - o2, dm)
    fwd, bwd = graph.forward[s], graph.backward[s]

    tail, head, streets = graph.directed()
    tails = [tail, a[fwd], b[bwd]]
    heads = [head, b[fwd], a[bwd]]
    ms = [graph.time_ms[streets], along[fwd], against[bwd]]
    dms = [graph.length_dm[streets], (o2 - o1)[fwd], (o2 - o1)[bwd]]
    t, h = np.concatenate(tails), np.concatenate(heads)
    w = (np.concatenate(ms) << DIST_BITS) + np.concatenate(dms)
    keep = t != h
    t, h, w = t[keep], h[keep], w[keep]
    # Parallel streets between the same two nodes: the CSR keeps the cheapest.
    order = np.lexsort((w, h, t))
    t, h, w = t[order], h[order], w[order]
    first = np.ones(t.size, dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    matrix = csr_matrix((w[first].astype(np.float64), (t[first], h[first])), shape=(size, size))
    return matrix, node


def price(
    graph: KindGraph, origins: Points, destinations: Points, scales: Sequence[float]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Metres, and seconds per time scale (vehicles of one kind at different speeds):
    int64 matrices origins × destinations, access legs included."""
    matrix, nodes = split_graph(graph, [*origins.snaps, *destinations.snaps])
    o_node, d_node = nodes[: len(origins.snaps)], nodes[len(origins.snaps) :]
    n_o, n_d = o_node.size, d_node.size
    distance = np.zeros((n_o, n_d), dtype=np.int64)
    durations = [np.zeros((n_o, n_d), dtype=np.int64) for _ in scales]
    if n_o == 0 or n_d == 0:
        return distance, durations
    reverse = np.unique(d_node).size < np.unique(o_node).size
    searched, found = (d_node, o_node) if reverse else (o_node, d_node)
    graph_csr = matrix.T.tocsr() if reverse else matrix
    sources, row_of = np.unique(searched, return_inverse=True)
    rows = max(1, CHUNK_BYTES // (8 * matrix.shape[0]))
    for lo in range(0, sources.size, rows):
        chunk = sources[lo : lo + rows]
        w = dijkstra(graph_csr, directed=True, indices=chunk)[:, found]
        if not np.all(np.isfinite(w)):
            raise ValueError("a snapped point cannot be reached; the network core is broken")
        members = np.flatnonzero((row_of >= lo) & (row_of < lo + chunk.size))
        wi = w[row_of[members] - lo].astype(np.int64)
        _fill(distance, durations, members, wi, origins, destinations, scales, reverse)
    return distance, durations


def _fill(
    distance: np.ndarray,
    durations: list[np.ndarray],
    members: np.ndarray,
    w: np.ndarray,
    origins: Points,
    destinations: Points,
    scales: Sequence[float],
    reverse: bool,
) -> None:
    """Write the rows of the searched points ``members`` (columns, when searched from
    the destinations): path weights ``w`` plus both access legs."""
    ms, dm = w >> DIST_BITS, w & DIST_MASK
    searched, other = (destinations, origins) if reverse else (origins, destinations)
    total_ms = searched.access_ms[members][:, None] + ms + other.access_ms[None, :]
    total_dm = searched.access_dm[members][:, None] + dm + other.access_dm[None, :]
    same = searched.place[members][:, None] == other.place[None, :]
    d = np.where(same, 0, metres(total_dm))
    if reverse:
        distance[:, members] = d.T
    else:
        distance[members] = d
    for duration, scale in zip(durations, scales, strict=True):
        t = np.where(same, 0, seconds(total_ms, scale))
        if reverse:
            duration[:, members] = t.T
        else:
            duration[members] = t
