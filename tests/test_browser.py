"""The map and the route sheets as a person sees them, in headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ktj_logistics import Plan, PlanOptions, Scenario, StopKind, load, plan, write_outputs

from .browser import chromium_driver, needs_chromium, print_to_pdf
from .report_day import HOSTILE_NAME

Artefacts = Callable[..., Path]

# Before any page script runs: record uncaught errors and any alert() an injection would make.
RECORDER = """
window.__ktjErrors = [];
window.__ktjAlerts = [];
window.addEventListener('error', function (e) { window.__ktjErrors.push(String(e.message)); });
window.addEventListener('unhandledrejection', function (e) {
  window.__ktjErrors.push(String(e.reason));
});
window.alert = function (m) { window.__ktjAlerts.push(String(m)); };
"""


@pytest.fixture(scope="module")
def bundled_map(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    """The bundled South Jakarta day, planned briefly (the map is the claim), and its map."""
    scenario = Path(__file__).parents[1] / "scenarios" / "jakarta-selatan" / "scenario.yaml"
    sc = load(scenario).scenario
    result = plan(sc, PlanOptions(time_limit_s=1, deterministic=False, workers=1))
    out = tmp_path_factory.mktemp("bundled")
    write_outputs(result, out, formats=["map"])
    return out / "map.html", result.plan


@needs_chromium
def test_map_renders_every_route_and_marker_without_javascript_errors(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    sc, plan = report_day
    page = artefacts() / "map.html"
    routes = [r for r in plan.routes if any(s.kind == StopKind.delivery for s in r.stops)]
    deliveries = sum(1 for r in routes for s in r.stops if s.kind == StopKind.delivery)
    with chromium_driver() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        driver.get(page.resolve().as_uri())
        WebDriverWait(driver, 20).until(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1"
        )
        count = lambda css: len(driver.find_elements(By.CSS_SELECTOR, css))  # noqa: E731
        assert count("path.ktj-route") == len(routes)
        assert count(".leaflet-marker-icon.ktj-stop") == deliveries
        assert count(".leaflet-marker-icon.ktj-source") == len(sc.sources)
        assert count(".leaflet-marker-icon.ktj-base") == len(sc.bases)
        assert count(".leaflet-marker-icon.ktj-unserved") == plan.totals.unserved
        assert count("#ktj-legend li") == len(routes)

        # The unserved household is named like a script: its popup shows the name as text.
        # Clicked through the DOM: another marker drawn on top must not take the click.
        marker = driver.find_element(By.CSS_SELECTOR, ".leaflet-marker-icon.ktj-unserved")
        driver.execute_script("arguments[0].click();", marker)
        popup = WebDriverWait(driver, 10).until(
            lambda d: next(
                (e for e in d.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content") if e.text),
                False,
            )
        )
        assert HOSTILE_NAME in popup.text
        assert popup.find_elements(By.TAG_NAME, "script") == []

        shot = tmp_path / "map.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
        if os.environ.get("KTJ_SCREENSHOT_DIR"):
            shutil.copy(shot, Path(os.environ["KTJ_SCREENSHOT_DIR"]) / "map-test.png")
        assert driver.execute_script("return window.__ktjErrors") == []
        assert driver.execute_script("return window.__ktjAlerts") == []
        severe = [
            e
            for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and e.get("source") != "network"
        ]
        assert severe == []


@needs_chromium
def test_a_route_sheet_prints_to_one_a4_page_per_trip(
    artefacts: Artefacts, report_day: tuple[Scenario, Plan], tmp_path: Path
) -> None:
    _, plan = report_day
    for vehicle, slug in (("m1", "m1"), ("c/1", "c_1")):
        route = next(r for r in plan.routes if r.vehicle_id == vehicle)
        pdf = tmp_path / f"{slug}.pdf"
        print_to_pdf(artefacts() / "sheets" / f"{slug}.html", pdf)
        pages = PdfReader(pdf).pages
        assert len(pages) == route.trips
        width_mm = float(pages[0].mediabox.width) / 72 * 25.4
        height_mm = float(pages[0].mediabox.height) / 72 * 25.4
        assert (round(width_mm), round(height_mm)) == (210, 297)


@needs_chromium
def test_every_qr_code_on_a_rendered_a4_page_opens_that_trips_navigation_link(
    artefacts: Artefacts,
) -> None:
    """Each page is rendered as it prints (A4 width, print styles) and its picture decoded."""
    import io

    import zxingcpp
    from PIL import Image
    from selenium.webdriver.common.by import By

    page = artefacts() / "sheets" / "all.html"
    with chromium_driver(900, 1300) as driver:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 794, "height": 1123, "deviceScaleFactor": 2, "mobile": False},
        )
        driver.get(page.resolve().as_uri())
        sections = driver.find_elements(By.CSS_SELECTOR, "section.page")
        assert sections
        decoded_any = 0
        for section in sections:
            links = [
                e.get_attribute("data-url")
                for e in section.find_elements(By.CSS_SELECTOR, ".qrbox")
            ]
            printed = [e.text for e in section.find_elements(By.CSS_SELECTOR, ".qrbox .url")]
            assert links and printed == links  # the URL is on paper too
            picture = Image.open(io.BytesIO(section.screenshot_as_png))
            found = sorted(b.text for b in zxingcpp.read_barcodes(picture))
            assert found == sorted(links), section.get_attribute("data-trip")
            decoded_any += len(found)
    assert decoded_any >= 4


def _visible_routes(driver: Any) -> list[tuple[str, str, str]]:
    """(vehicle, base, stroke colour) of each delivery line drawn now."""
    from selenium.webdriver.common.by import By

    return [
        (p.get_attribute("data-vehicle"), p.get_attribute("data-base"), p.get_attribute("stroke"))
        for p in driver.find_elements(By.CSS_SELECTOR, "path.ktj-route")
    ]


@needs_chromium
@pytest.mark.parametrize("size", [(412, 915), (1366, 768)], ids=["phone", "laptop"])
def test_the_district_map_filters_to_one_polsek_with_distinct_colours(
    bundled_map: tuple[Path, Plan], size: tuple[int, int], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    page, plan = bundled_map
    by_base: dict[str, set[str]] = {}
    for r in plan.routes:  # delivery routes, and the trunk runs that stock the hubs
        if any(s.kind in (StopKind.delivery, StopKind.unload) for s in r.stops):
            by_base.setdefault(r.base_id, set()).add(r.vehicle_id)
    with chromium_driver(*size) as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        # Headless windows are at least 500 px wide: emulate the phone's screen instead.
        metrics = {"width": size[0], "height": size[1], "deviceScaleFactor": 1}
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {**metrics, "mobile": size[0] < 600}
        )
        driver.get(page.resolve().as_uri())
        assert driver.execute_script("return window.innerWidth") == size[0]
        WebDriverWait(driver, 30).until(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1"
        )
        everything = _visible_routes(driver)
        assert len(everything) == sum(len(v) for v in by_base.values())
        for base in by_base:
            colours = [c for _, b, c in everything if b == base]
            assert len(set(colours)) == len(colours), f"{base}: two vehicles share a colour"
        toggle = driver.find_element(By.ID, "ktj-toggle")
        phone = size[0] < 600
        assert (toggle.get_attribute("aria-expanded") == "false") == phone
        if phone:  # the controls start folded away and open with one tap
            toggle.click()
        assert driver.find_element(By.ID, "ktj-base").is_displayed()
        panel = driver.find_element(By.CSS_SELECTOR, ".ktj-panel").rect
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= size[0]
        base = max(by_base, key=lambda b: len(by_base[b]))
        Select(driver.find_element(By.ID, "ktj-base")).select_by_value(base)
        shown = _visible_routes(driver)
        assert {v for v, _, _ in shown} == by_base[base]
        assert {b for _, b, _ in shown} == {base}
        assert len(driver.find_elements(By.CSS_SELECTOR, "#ktj-legend li")) == len(by_base[base])
        vehicle = sorted(by_base[base])[0]
        Select(driver.find_element(By.ID, "ktj-vehicle")).select_by_value(vehicle)
        assert [v for v, _, _ in _visible_routes(driver)] == [vehicle]
        driver.find_element(By.ID, "ktj-served").click()
        assert _visible_routes(driver) == []
        unserved = driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon.ktj-unserved")
        assert len(unserved) == plan.totals.unserved
        driver.find_element(By.ID, "ktj-unserved").click()
        assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon.ktj-unserved") == []
        loading = driver.find_elements(By.CSS_SELECTOR, "path.ktj-loading")
        assert all(float(p.get_attribute("stroke-opacity")) < 0.9 for p in loading)
        shot = tmp_path / "map.png"
        assert driver.save_screenshot(str(shot))
        assert driver.execute_script("return window.__ktjErrors") == []
