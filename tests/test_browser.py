"""The map and the route sheets as a person sees them, in headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from ktj_logistics import Plan, Scenario, StopKind

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
        assert count(".leaflet-control-layers-overlays label") == len(routes) + 3

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
