"""The coordinator's page in headless Chromium on a phone-sized window (412 px wide)."""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import chromium_driver, needs_chromium
from .service_server import BAD_INPUTS, DAY_FILES, Server, running_server

PHONE = (412, 915)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("service-browser")) as s:
        yield s


def _log_in(driver: Any, server: Server) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server.url + "/")
    assert driver.find_element(By.ID, "login-button").text == "Masuk"
    driver.find_element(By.ID, "token").send_keys(server.tokens["rina"])
    driver.find_element(By.ID, "login-button").click()
    _wait(driver, lambda d: d.find_elements(By.ID, "upload-form"))


def _wait(driver: Any, until: Any, timeout: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(until)


def _fits_the_phone(driver: Any) -> bool:
    return bool(
        driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1;"
        )
    )


@needs_chromium
def test_a_coordinator_uploads_the_day_watches_it_planned_and_downloads_the_zip(
    server: Server, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium_driver(*PHONE, loopback=True) as driver:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        _log_in(driver, server)
        assert _fits_the_phone(driver)
        files = driver.find_element(By.ID, "files")
        files.send_keys("\n".join(str(p) for p in DAY_FILES))
        driver.find_element(By.ID, "time-limit").send_keys("1")
        driver.find_element(By.ID, "plan-button").click()

        bar = _wait(driver, lambda d: d.find_element(By.ID, "progress-card").is_displayed())
        assert bar
        result = _wait(driver, lambda d: d.find_element(By.ID, "result").is_displayed(), 180)
        assert result
        totals = driver.find_element(By.ID, "totals").text
        assert "dari 444 rumah tangga terlayani" in totals

        # The map, in its sandboxed frame: every route drawn, no script error.
        driver.switch_to.frame(driver.find_element(By.ID, "map-frame"))
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1"
        assert len(driver.find_elements(By.CSS_SELECTOR, "path.ktj-route")) > 10
        driver.switch_to.default_content()

        # One officer's sheet.
        select = Select(driver.find_element(By.ID, "officer-select"))
        assert len(select.options) > 10
        select.select_by_index(1)
        vehicle = select.first_selected_option.text.split(" — ")[0]
        driver.switch_to.frame(driver.find_element(By.ID, "sheet-frame"))
        _wait(driver, lambda d: vehicle in d.find_element(By.TAG_NAME, "body").text)
        assert "Lembar rute" in driver.find_element(By.TAG_NAME, "body").text
        driver.switch_to.default_content()
        assert _fits_the_phone(driver)
        if os.environ.get("KTJ_SCREENSHOT_DIR"):
            driver.save_screenshot(str(Path(os.environ["KTJ_SCREENSHOT_DIR"]) / "service.png"))

        # The zip of every file.
        link = driver.find_element(By.ID, "zip-link")
        driver.execute_script("arguments[0].scrollIntoView();", link)
        link.click()
        deadline = time.monotonic() + 60
        while not list(downloads.glob("*.zip")):
            assert time.monotonic() < deadline, "the zip did not download"
            time.sleep(0.2)
        time.sleep(0.5)  # the browser renames the file when it has all of it
        names = zipfile.ZipFile(next(downloads.glob("*.zip"))).namelist()
        assert {"plan.json", "map.html", "sheets/all.html"} <= set(names)


@needs_chromium
def test_every_problem_of_a_broken_spreadsheet_is_listed_with_its_row(server: Server) -> None:
    from selenium.webdriver.common.by import By

    folder = BAD_INPUTS / "many_problems_grouped"
    with chromium_driver(*PHONE, loopback=True) as driver:
        _log_in(driver, server)
        driver.get(server.url + "/?lang=en")
        assert driver.find_element(By.ID, "plan-button").text == "Make the plan"
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".csv"))
        driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
        driver.find_element(By.ID, "plan-button").click()
        _wait(driver, lambda d: d.find_element(By.ID, "problems").is_displayed())
        rows = driver.find_elements(By.CSS_SELECTOR, "#problems-table tbody tr.issue")
        assert len(rows) == 5
        cells = [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows]
        assert ["households.csv", "2", "packages_needed", "dua"] in [c[:4] for c in cells]
        assert "5 problem(s) found" in driver.find_element(By.ID, "problems-count").text
        assert _fits_the_phone(driver)  # the table scrolls inside its box, not the page
        assert not driver.find_element(By.ID, "result").is_displayed()
