"""Hand-built road networks for the road tests, drawn in kilometres east/north of a point
in South Jakarta and written as OSM XML (the format any OSM extract comes in)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ktj_logistics import Location

ORIGIN = (-6.25, 106.80)
KM_LAT = 6371.0088 * math.pi / 180  # km per degree on the mean sphere
KM_LON = KM_LAT * math.cos(math.radians(ORIGIN[0]))


def at(x_km: float, y_km: float) -> Location:
    """The point ``x_km`` east and ``y_km`` north of the origin."""
    return Location(
        lat=round(ORIGIN[0] + y_km / KM_LAT, 7), lon=round(ORIGIN[1] + x_km / KM_LON, 7)
    )


@dataclass(frozen=True)
class Way:
    points: tuple[tuple[float, float], ...]  # (x_km, y_km)
    highway: str = "residential"
    name: str = ""
    oneway: bool = False


def osm_xml(ways: list[Way]) -> str:
    """The ways as an OSM XML document; ways meet where they share a point."""
    ids: dict[tuple[float, float], int] = {}
    nodes: list[str] = []
    body: list[str] = []
    for w in ways:
        for p in w.points:
            if p not in ids:
                ids[p] = len(ids) + 1
                loc = at(*p)
                nodes.append(f'  <node id="{ids[p]}" lat="{loc.lat}" lon="{loc.lon}"/>')
    for i, w in enumerate(ways, start=1):
        body.append(f'  <way id="{i}">')
        body += [f'    <nd ref="{ids[p]}"/>' for p in w.points]
        body.append(f'    <tag k="highway" v="{w.highway}"/>')
        if w.name:
            body.append(f'    <tag k="name" v={quoteattr(w.name)}/>')
        if w.oneway:
            body.append('    <tag k="oneway" v="yes"/>')
        body.append("  </way>")
    return '<?xml version="1.0"?>\n<osm version="0.6">\n' + "\n".join(nodes + body) + "\n</osm>\n"


def write_network(path: Path, ways: list[Way]) -> Path:
    path.write_text(osm_xml(ways), encoding="utf-8")
    return path


def grid(n: int = 4, step_km: float = 0.5) -> list[Way]:
    """An n × n grid of two-way residential streets, with named rows."""
    ways = []
    for i in range(n):
        row = tuple((j * step_km, i * step_km) for j in range(n))
        col = tuple((i * step_km, j * step_km) for j in range(n))
        ways.append(Way(row, "secondary" if i == 0 else "residential", f"Baris {i}"))
        ways.append(Way(col, "residential", f"Lajur {i}"))
    return ways
