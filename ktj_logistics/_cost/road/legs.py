"""One leg at a time with networkx: the independent check of the matrices.

Nothing here shares code with ``matrix.py`` beyond the street prices (``piece_cost``):
the graph is a ``networkx.DiGraph`` built from the streets, a snapped point is inserted
by cutting its street (pieces are priced from the street's own offsets, so a street cut
many times still adds up), and a leg is ``networkx.bidirectional_dijkstra`` between the
two points' nodes. The graph only grows, so later legs reuse earlier cuts; one lock
guards it. Found legs are kept (up to ``KEEP_LEGS``) for the map and the sheets.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from .graph import KindGraph, decode, piece_cost, weight
from .snap import Snap

KEEP_LEGS = 50_000


@dataclass(frozen=True)
class Hop:
    """A stretch of one street on a leg, from offset ``o1`` to ``o2`` (dm along its shape)."""

    street: int
    o1: int
    o2: int


@dataclass(frozen=True)
class NetworkLeg:
    """The road part of a leg: milliseconds, decimetres and the streets taken."""

    ms: int
    dm: int
    hops: tuple[Hop, ...]


class LegFinder:
    def __init__(self, graph: KindGraph) -> None:
        self.graph = graph
        self.g: nx.DiGraph[Hashable] = nx.DiGraph()
        self.cuts: dict[int, list[int]] = {}
        self.lock = threading.Lock()
        self.found: OrderedDict[tuple[Hashable, Hashable], NetworkLeg] = OrderedDict()
        tail, head, streets = graph.directed()
        for t, h, s in zip(tail.tolist(), head.tolist(), streets.tolist(), strict=True):
            length = int(graph.length_dm[s])
            along = bool(graph.net.start[s] == t) and bool(graph.forward[s])
            o1, o2 = (0, length) if along else (length, 0)
            self._add(t, h, s, o1, o2)

    def _add(self, u: Hashable, v: Hashable, street: int, o1: int, o2: int) -> None:
        """Edge u→v travelling ``street`` from offset o1 to o2; the cheaper of parallels."""
        if u == v:
            return
        total, length = int(self.graph.time_ms[street]), int(self.graph.length_dm[street])
        if o1 <= o2:
            ms, dm = piece_cost(total, length, o1, o2)
        else:
            ms, dm = piece_cost(total, length, length - o1, length - o2)
        w = weight(ms, dm)
        old = self.g.get_edge_data(u, v)
        if old is None or old["w"] > w:
            self.g.add_edge(u, v, w=w, hop=Hop(street, o1, o2))

    def _node_at(self, street: int, offset: int) -> Hashable:
        net = self.graph.net
        if offset <= 0:
            return int(net.start[street])
        if offset >= int(self.graph.length_dm[street]):
            return int(net.end[street])
        return ("cut", street, offset)

    def node(self, snap: Snap) -> Hashable:
        """The node of a snapped point, cutting its street when it lies part-way."""
        s, o = snap.street, snap.offset_dm
        here = self._node_at(s, o)
        if not isinstance(here, tuple) or here in self.g:
            return here
        length = int(self.graph.length_dm[s])
        offsets = self.cuts.setdefault(s, [0, length])
        i = bisect.bisect_left(offsets, o)
        lo, hi = self._node_at(s, offsets[i - 1]), self._node_at(s, offsets[i])
        if self.graph.forward[s]:
            self._add(lo, here, s, offsets[i - 1], o)
            self._add(here, hi, s, o, offsets[i])
        if self.graph.backward[s]:
            self._add(hi, here, s, offsets[i], o)
            self._add(here, lo, s, o, offsets[i - 1])
        offsets.insert(i, o)
        return here

    def leg(self, a: Snap, b: Snap) -> NetworkLeg:
        """The fastest way from ``a``'s road point to ``b``'s (then the shortest)."""
        with self.lock:
            u, v = self.node(a), self.node(b)
            known = self.found.get((u, v))
            if known is not None:
                self.found.move_to_end((u, v))
                return known
            if u == v:
                out = NetworkLeg(0, 0, ())
            else:
                w, path = nx.bidirectional_dijkstra(self.g, u, v, weight="w")
                ms, dm = decode(int(w))
                hops = tuple(
                    self.g.edges[x, y]["hop"] for x, y in zip(path, path[1:], strict=False)
                )
                out = NetworkLeg(ms, dm, hops)
            self.found[(u, v)] = out
            if len(self.found) > KEEP_LEGS:
                self.found.popitem(last=False)
            return out
