"""The Review as a person sees it, in a real browser (headless Chromium).

GIVEN the demo network WHEN its owner opens last year's review in English
and in French, at laptop and phone widths, THEN every section is there, the
charts have their titles, fit a 390 px screen with readable text, and the
downloadable copy holds no script and loads nothing from elsewhere.
Screenshots of each page (laptop and phone widths) go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from restons.services.demo import fill_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
YEAR = 2025


@pytest.fixture
def owner(settings):
    # The browser keeps real time: session cookies must not carry a date from the frozen clock.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(DAY, tick=True):
        user = get_user_model().objects.create_user("ana@example.org", "ana@example.org", "a long pass phrase")
        fill_demo(user)
        yield user


def log_in(page) -> None:
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "ana@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")


def charts_fit_a_phone(page) -> None:
    """At 390 px, every chart fits the screen and its smallest text renders at 9 px or more."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        boxes = page.eval_on_selector_all(
            "svg.chart-svg", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })")
        assert boxes and all(left >= 0 and right <= 390 for left, right in boxes), boxes
        smallest = page.eval_on_selector_all(
            "svg.chart-svg text", "els => Math.min(...els.map(e => e.getBoundingClientRect().height))")
        assert smallest >= 9, smallest
    finally:
        page.set_viewport_size(size)


def test_the_review_of_a_demo_year_in_english_and_french(page, shoot, screenshots, owner):
    log_in(page)
    page.click("nav >> text=Review")
    page.wait_for_url(page.base + "/review/")
    assert "The last 12 months" in page.inner_text("h1")
    page.click(f".review-years >> text={YEAR}")
    page.wait_for_url(page.base + f"/review/{YEAR}/")
    main = page.inner_text("main")
    for text in ("Your year in review: 2025", "Stayed in touch", "You carried", "They carried", "Went quiet",
                 "Came back", "New people", "Who reached out first", "Your milestones, and who noticed",
                 "Your content, and who engaged", "Pledges", "What staying in touch brought you", "Grew most",
                 "Faded most"):
        assert text in main, text
    titles = page.eval_on_selector_all("svg.chart-svg > title", "els => els.map(e => e.textContent)")
    assert "Pings per month, 2025" in titles and "Who reached out first" in titles
    charts_fit_a_phone(page)
    shoot("review-2025-en")
    # The README's picture: the top of the page, down to the charts.
    page.screenshot(path=str(screenshots / "review-2025-en-top.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": 1240})

    page.click("button[lang=fr]")
    page.wait_for_load_state()
    main = page.inner_text("main")
    for text in ("Votre année en revue\u00a0: 2025", "En contact toute l’année", "Qui a fait le premier pas",
                 "Ce que rester en contact vous a apporté"):
        assert text in main, text
    charts_fit_a_phone(page)
    shoot("review-2025-fr")

    # The copy to share: one file, no script, nothing loaded from elsewhere.
    with page.expect_download() as download:
        page.click(".review-years .download")
    copy = open(download.value.path(), encoding="utf-8").read()
    assert "<script" not in copy and "src=" not in copy and "<link" not in copy and "href=" not in copy
    assert "Votre année en revue\u00a0: 2025" in copy and "<svg" in copy

    # The Person page's charts, the drift, and the pledges' line, in French.
    page.goto(page.base + "/people/")
    page.click("text=Qui décroche ce mois-ci")
    page.wait_for_url(page.base + "/people/drift/")
    shoot("drift-fr")
    page.goto(page.base + "/people/")
    page.click("table.people a.name >> nth=0")
    page.wait_for_selector("#person-pings-title", state="attached")
    charts_fit_a_phone(page)
    shoot("person-charts-fr")
    page.goto(page.base + "/pledges/")
    page.wait_for_selector("svg.chart-svg")
    shoot("pledges-fr")
