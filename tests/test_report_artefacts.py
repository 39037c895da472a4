"""What coordinators and officers receive: sheets, WhatsApp texts, map, GeoJSON, CSV.

Claims checked on a synthetic day with two vehicles, reloads, one unserved household and
input text that tries to be HTML, JavaScript or a spreadsheet formula.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from ktj_logistics import Plan, Scenario, StopKind

from .report_day import HOSTILE_ADDRESS, HOSTILE_NAME, HOSTILE_NOTES

Artefacts = Callable[..., Path]


class _Tags(HTMLParser):
    """Collects start tags and the text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Tags:
    p = _Tags()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _deliveries(plan: Plan, vehicle_id: str) -> int:
    route = next(r for r in plan.routes if r.vehicle_id == vehicle_id)
    return sum(1 for s in route.stops if s.kind == StopKind.delivery)


def test_the_plan_writes_sheets_whatsapp_map_and_geojson(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan]
) -> None:
    out = artefacts()
    _, plan = report_day
    used = [r.vehicle_id for r in plan.routes if _deliveries(plan, r.vehicle_id)]
    assert len(used) == 2, "the synthetic day should need both vehicles"
    for name in ("map.html", "routes.geojson", "stops.geojson", "routes.csv", "plan.json"):
        assert (out / name).is_file()
    slugs = {"m1": "m1", "c/1": "c_1"}
    for vid in used:
        for folder, suffix in (("sheets", "html"), ("sheets", "txt"), ("whatsapp", "txt")):
            assert (out / folder / f"{slugs[vid]}.{suffix}").is_file()
    assert (out / "sheets" / "all.html").is_file()
    combined = (out / "whatsapp" / "all.txt").read_text(encoding="utf-8")
    assert all(f"Rute {vid}" in combined for vid in used)


def test_each_sheet_has_one_page_per_trip_listing_every_stop_in_order(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan]
) -> None:
    _, plan = report_day
    route = next(r for r in plan.routes if r.vehicle_id == "m1")
    html = (artefacts() / "sheets" / "m1.html").read_text(encoding="utf-8")
    assert html.count('<section class="page"') == route.trips
    numbers = [int(n) for n in re.findall(r'<tr class="stop"[^>]*>\s*<td class="no">(\d+)<', html)]
    assert numbers == list(range(1, _deliveries(plan, "m1") + 1))
    assert "Serah terima tanpa kontak" in html
    assert html.count("https://www.google.com/maps/dir/?api=1") >= route.trips
    text = (artefacts() / "sheets" / "m1.txt").read_text(encoding="utf-8")
    assert text.count("Lembar rute · Rit ") == route.trips
    assert "Berangkat bermuatan dari" in text or "Muat di" in text


def test_whatsapp_text_is_short_lines_with_navigation_links(artefacts: Artefacts) -> None:
    text = (artefacts() / "whatsapp" / "c_1.txt").read_text(encoding="utf-8")
    assert "Buka peta" in text and "https://www.google.com/maps/dir/" in text
    prose = [line for line in text.splitlines() if "https://" not in line]
    assert max(len(line) for line in prose) <= 100


def test_geojson_has_a_linestring_per_route_and_points_for_every_stop(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan]
) -> None:
    sc, plan = report_day
    out = artefacts()
    routes = json.loads((out / "routes.geojson").read_text(encoding="utf-8"))
    stops = json.loads((out / "stops.geojson").read_text(encoding="utf-8"))
    lines = routes["features"]
    assert {f["geometry"]["type"] for f in lines} == {"LineString"}
    assert {f["properties"]["vehicle_id"] for f in lines} == {"m1", "c/1"}
    kinds = [f["properties"]["kind"] for f in stops["features"]]
    assert kinds.count("delivery") == _deliveries(plan, "m1") + _deliveries(plan, "c/1")
    assert kinds.count("unserved") == plan.totals.unserved == 1
    assert kinds.count("base") == len(sc.bases)
    h = sc.household("H05")
    [point] = [f for f in stops["features"] if f["properties"].get("household_ids") == "H05"]
    assert point["geometry"]["coordinates"] == [h.location.lon, h.location.lat]  # RFC 7946


def test_english_artefacts_use_english_words(artefacts: Artefacts) -> None:
    out = artefacts("en")
    assert "Route sheet · Trip 1 of" in (out / "sheets" / "m1.html").read_text(encoding="utf-8")
    assert "Open map" in (out / "whatsapp" / "m1.txt").read_text(encoding="utf-8")
    assert "Not served" in (out / "map.html").read_text(encoding="utf-8")
    assert "no vehicle can arrive" in (out / "stops.geojson").read_text(encoding="utf-8")
    assert "Lembar rute" not in (out / "sheets" / "all.html").read_text(encoding="utf-8")


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8-sig") for p in folder.rglob("*") if p.is_file())


def test_redacted_artefacts_hold_no_name_phone_address_or_notes(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan]
) -> None:
    sc, _ = report_day
    full = _all_text(artefacts())
    redacted = _all_text(artefacts("id", redact=True))
    secrets = {"Warga H05", "0812-0000-0005", "Jl. Contoh H05 No. 1", "dekat masjid"}
    assert all(s in full for s in secrets), "the unredacted day must show them (control)"
    for h in sc.households:
        for value in (h.name, h.phone, h.address, h.notes):
            if value:
                assert value not in redacted, f"{h.id} leaks into a redacted artefact"
                assert json.dumps(value)[1:-1] not in redacted
    assert "HH-" in redacted


def _occurs_as_text(path: Path, value: str) -> bool:
    """``value`` is in the file as data (decoded per format), not as a fragment of markup."""
    raw = path.read_text(encoding="utf-8-sig")
    if path.name == "map.html":  # the page draws its text from its JSON block
        return value in _strings(json.loads(_map_json(raw)))
    if path.suffix == ".html":
        return value in "".join(_parse(path).text)
    if path.suffix in (".json", ".geojson"):
        return value in _strings(json.loads(raw))
    if path.suffix == ".csv":
        return any(value in cell for row in csv.reader(raw.splitlines()) for cell in row)
    return value in raw


def _map_json(html: str) -> str:
    return html.split('<script type="application/json" id="ktj-data">', 1)[1].split("</script>")[0]


def _strings(data: object) -> str:
    if isinstance(data, str):
        return data + "\n"
    if isinstance(data, dict):
        return "".join(_strings(v) for v in data.values())
    if isinstance(data, list):
        return "".join(_strings(v) for v in data)
    return ""


def test_a_household_named_like_a_script_is_text_never_markup_in_every_artefact(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan]
) -> None:
    _, plan = report_day
    out = artefacts()
    vehicle = plan.outcome("H01").vehicle_id
    slug = {"m1": "m1", "c/1": "c_1"}[vehicle or ""]
    carriers = [
        "map.html",
        "stops.geojson",
        "routes.csv",
        *(f"{d}/{n}" for d in ("sheets", "whatsapp") for n in ("all.txt", f"{slug}.txt")),
        "sheets/all.html",
        f"sheets/{slug}.html",
    ]
    for name in carriers:
        assert _occurs_as_text(out / name, HOSTILE_NAME), f"{name}: name missing as text"
    html_files = list(out.rglob("*.html"))
    assert len(html_files) >= 4
    for path in html_files:
        raw = path.read_text(encoding="utf-8")
        assert HOSTILE_NAME not in raw, f"{path.name}: name pasted as markup"
        tags = _parse(path).tags
        assert "img" not in tags, f"{path.name}: the address became an element"
        expected_scripts = 3 if path.name == "map.html" else 0  # Leaflet, data, app
        assert tags.count("script") == expected_scripts, path.name
    text = "".join(_parse(out / "sheets" / "all.html").text)
    assert HOSTILE_NOTES in text and HOSTILE_ADDRESS in text


def test_map_data_cannot_close_its_script_element(artefacts: Artefacts) -> None:
    data = _map_json((artefacts() / "map.html").read_text(encoding="utf-8"))
    assert "<" not in data and ">" not in data
    parsed = json.loads(data)
    assert HOSTILE_NAME in _strings(parsed) and HOSTILE_NOTES in _strings(parsed)


def test_csv_neutralises_a_phone_number_that_is_a_formula(artefacts: Artefacts) -> None:
    rows = list(csv.DictReader((artefacts() / "routes.csv").open(encoding="utf-8-sig")))
    phones = [r["phone"] for r in rows if "HYPERLINK" in r["phone"]]
    assert phones and all(p.startswith("'=") for p in phones)
