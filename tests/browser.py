"""Headless Chromium for the tests that look at artefacts as a person would.

Debian's ``chromium`` and ``chromium-driver`` packages provide the browser and its
driver (``.ci/run`` installs them). Nothing is downloaded at test time: Selenium is given
the driver's path, so its driver manager never runs, and every host name resolves to
nothing, so a page can only use what it carries.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium and chromedriver are not installed "
    "(apt-get install chromium chromium-driver; .ci/run does this)",
)


@contextmanager
def chromium_driver(width: int = 1200, height: int = 800, loopback: bool = False) -> Iterator[Any]:
    """A Selenium WebDriver on a fresh profile, quit afterwards.

    ``loopback``: 127.0.0.1 still resolves (a server the test started); nothing else does.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM and CHROMEDRIVER
    flags = [
        f"{f}, EXCLUDE 127.0.0.1" if loopback and f.startswith("--host-resolver-rules") else f
        for f in FLAGS
    ]
    with tempfile.TemporaryDirectory(prefix="ktj-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in [*flags, f"--user-data-dir={profile}", f"--window-size={width},{height}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def print_to_pdf(page: Path, pdf: Path) -> None:
    """Chromium's own print (``--print-to-pdf``): what the post's printer would get."""
    assert CHROMIUM
    with tempfile.TemporaryDirectory(prefix="ktj-chromium-") as profile:
        subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
