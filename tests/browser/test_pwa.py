"""The installable app in Chromium: manifest, service worker, and Today offline with its mark.

GIVEN the demo network WHEN its owner opens Today in Chromium THEN Chromium finds
the app installable (no installability error), the service worker controls the
page, and with the network gone Today still shows the last list, marked offline.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from restons.services.demo import fill_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime(2026, 6, 15, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def owner(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(DAY, tick=True):
        user = get_user_model().objects.create_user("owner@example.org", "owner@example.org", "a long pass phrase")
        fill_demo(user)
        yield user


def test_installable_with_a_service_worker_and_today_offline(page, shoot, owner):
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "owner@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    names = page.locator("li.entry .name").all_inner_texts()
    assert len(names) == 5

    # The service worker installs, then controls the page from the next load on.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)") == page.base + "/sw.js"
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL") == \
        page.base + "/sw.js"

    # Chromium's own verdict on installability, and the manifest it parsed.
    cdp = page.context.new_cdp_session(page)
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito, where Chromium never installs: that one is the test's, not the app's.
    assert [e for e in errors if e != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == page.base + "/manifest.webmanifest"
    assert manifest["errors"] == []
    assert page.locator(".offline-mark").is_hidden()

    # The network goes: Today shows the list it had, with the offline mark.
    page.context.set_offline(True)
    page.reload()
    assert page.locator("li.entry .name").all_inner_texts() == names
    assert page.locator(".offline-mark").is_visible()
    assert "Offline: this is the list as it was when you last opened it." in page.locator(".offline-mark").inner_text()
    shoot("today-offline")
    page.goto(page.base + "/people/")
    assert "You are offline" in page.content()
    page.context.set_offline(False)
    page.goto(page.base + "/")
    assert page.locator(".offline-mark").is_hidden()

    # Settings: turn the digest on and create the calendar address.
    page.goto(page.base + "/settings/")
    page.select_option("select[name=digest]", "daily")
    page.click("#digest button.primary")
    page.wait_for_selector("text=Digest saved.")
    page.click("text=Create my calendar address")
    page.wait_for_selector("#feed-url")
    assert page.input_value("#feed-url").startswith(page.base + "/feed/")
    shoot("settings-reminders")
