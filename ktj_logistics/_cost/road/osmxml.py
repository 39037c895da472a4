"""OSM XML (``.osm``, ``.osm.gz``, ``.osm.bz2``) → streets, without osmnx.

Ways with a ``highway`` tag that people or vehicles travel on are cut at every node
shared with another way (a junction) and at their ends; each piece is one street. One-way
rules: ``oneway=yes|true|1`` and roundabouts run along the way, ``oneway=-1|reverse``
against it. Kept tags: ``highway``, ``name``, ``service`` (``alley`` marks a gang).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from .network import RoadNetwork, Street, build, is_alley_name, open_text, shape_length

NOT_TRAVELLED = frozenset(
    {
        "proposed",
        "construction",
        "abandoned",
        "razed",
        "platform",
        "bus_stop",
        "elevator",
        "rest_area",
        "services",
        "raceway",
        "corridor",
    }
)
"""``highway`` values that are not a way anyone can take today."""


def _oneway(tags: dict[str, str]) -> tuple[bool, bool]:
    """(forward, backward) allowed along the way's node order."""
    value = tags.get("oneway", "").lower()
    if value in {"yes", "true", "1"} or tags.get("junction") in {"roundabout", "circular"}:
        return True, False
    if value in {"-1", "reverse"}:
        return False, True
    return True, True


def read_osm_xml(path: Path, digest: str) -> RoadNetwork:
    coords: dict[str, tuple[float, float]] = {}
    ways: list[tuple[list[str], dict[str, str]]] = []
    with open_text(path) as f:
        for _, elem in ET.iterparse(f, events=("end",)):
            if elem.tag == "node":
                coords[elem.attrib["id"]] = (float(elem.attrib["lat"]), float(elem.attrib["lon"]))
                elem.clear()
            elif elem.tag == "way":
                tags = {t.attrib["k"]: t.attrib["v"] for t in elem.iter("tag")}
                highway = tags.get("highway")
                if highway and highway not in NOT_TRAVELLED and tags.get("area") != "yes":
                    refs = [n.attrib["ref"] for n in elem.iter("nd")]
                    ways.append((refs, tags))
                elem.clear()
    uses: Counter[str] = Counter()
    for refs, _ in ways:
        uses.update(set(refs))
        uses.update([refs[0], refs[-1]])  # ends are junctions even when not shared
    index: dict[str, int] = {}
    lat: list[float] = []
    lon: list[float] = []

    def junction(ref: str) -> int:
        if ref not in index:
            index[ref] = len(lat)
            lat.append(coords[ref][0])
            lon.append(coords[ref][1])
        return index[ref]

    streets: list[Street] = []
    for refs, tags in ways:
        refs = [r for r in refs if r in coords]  # a clipped extract may miss nodes
        if len(refs) < 2:
            continue
        forward, backward = _oneway(tags)
        name = tags.get("name", "")
        piece = [refs[0]]
        for ref in refs[1:]:
            piece.append(ref)
            if uses[ref] > 1 or ref == refs[-1]:
                shape = tuple(coords[r] for r in piece)
                streets.append(
                    Street(
                        start=junction(piece[0]),
                        end=junction(piece[-1]),
                        length_m=shape_length(shape),
                        classes=(tags["highway"],),
                        name=name,
                        forward=forward,
                        backward=backward,
                        alley=tags.get("service") == "alley" or is_alley_name(name),
                        shape=shape,
                    )
                )
                piece = [ref]
    return build(digest, lat, lon, streets)
