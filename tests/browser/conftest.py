"""Headless Chromium (Debian's package) driven by Playwright, against a live server.

Playwright's sync API runs an event loop in the test thread, so Django's
"async unsafe" guard is lifted for these tests only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("RESTONS_SCREENSHOTS") or ROOT / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("RESTONS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def shoot(page, screenshots):
    """Save a full-page screenshot named NAME.png, and a phone-width one as NAME-phone.png."""

    def take(name: str) -> None:
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(screenshots / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(size)

    return take
