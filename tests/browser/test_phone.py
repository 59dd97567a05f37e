"""On a 390 px phone, in French: every navigation item in sight, and no page wider than the screen.

GIVEN the demo network (in French) and a person whose every free text is one long unbroken string
WHEN  each page is opened at 390 x 844 with a French browser
THEN  every link of the top navigation lies inside the viewport (nothing hidden off-screen with no cue),
      even with eight items, and no page scrolls sideways (nor on a laptop). Screenshots go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DAY = datetime(2026, 6, 15, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
UNBROKEN = "Supercalifragilistic" * 12  # 240 characters without a space


@pytest.fixture
def frozen(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # the browser keeps real time
    with time_machine.travel(DAY, tick=True):
        yield


@pytest.fixture
def network(django_user_model, frozen):
    """Alice with the French demo, plus Zacharie whose name, notes and every other text is one unbroken word."""
    from restons.services.demo import fill_demo
    from restons.services.interactions import log_ping
    from restons.services.people import PersonInput, add_person
    from restons.services.planning import add_event, add_outcome, leave

    alice = django_user_model.objects.create_user("alice@example.org", "alice@example.org", "a long pass phrase")
    with translation.override("fr"):
        fill_demo(alice)
    long = add_person(alice, PersonInput(
        name=UNBROKEN[:250], met=UNBROKEN * 4, notes=UNBROKEN * 8, orgs=[UNBROKEN[:300]], interests=[UNBROKEN[:200]],
        circles=[UNBROKEN[:200]], emails=[f"{UNBROKEN[:60].lower()}@example.org"], cadence_days=7,
    ))
    log_ping(alice, long, at=datetime(2026, 5, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris")), note=UNBROKEN * 2)
    add_outcome(alice, long, "client", date(2026, 6, 1), UNBROKEN * 2)
    add_event(alice, UNBROKEN[:300], date(2026, 6, 18), [UNBROKEN[:200]])
    pledge = leave(alice, UNBROKEN[:300], date(2026, 5, 1), [long], 30)
    return {"person": long, "pledge": pledge}


@pytest.fixture
def phone(browser, live_server, network):
    """A French phone browser, logged in as alice."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "alice@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    yield page
    context.close()


def outside(page) -> list[str]:
    """The navigation links not wholly inside the viewport, by text."""
    return page.evaluate("""() => [...document.querySelectorAll('header nav a')]
        .filter(a => { const r = a.getBoundingClientRect();
                       return r.width === 0 || r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight; })
        .map(a => a.textContent.trim())""")


def test_every_navigation_item_is_in_sight_on_a_phone(phone, screenshots):
    phone.goto(phone.base + "/")
    links = phone.locator("header nav a").all_inner_texts()
    assert [text.strip() for text in links] == ["Aujourd’hui", "Personnes", "Cercles", "Agenda", "Engagements",
                                                "Statistiques", "Bilan", "Importer", "Réglages"]
    assert outside(phone) == []
    phone.screenshot(path=str(screenshots / "phone-nav-fr.png"))

    # Room to grow: two more long French labels still fit.
    phone.evaluate("""() => { const nav = document.querySelector('header nav');
        for (const label of ['Statistiques', 'Cercles']) {
            const a = document.createElement('a'); a.href = '#'; a.textContent = label; nav.appendChild(a); } }""")
    assert len(phone.locator("header nav a").all()) >= 11
    assert outside(phone) == []
    phone.screenshot(path=str(screenshots / "phone-nav-fr-more-items.png"))


def wider(page) -> list[str]:
    """The innermost elements reaching past the right edge of the screen, for the failure message."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                     && ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}`)""")


def test_no_page_is_wider_than_the_phone_even_with_long_unbroken_text(phone, network, screenshots):
    person, pledge = network["person"], network["pledge"]
    pages = {
        "today": "/", "people": "/people/", "person": f"/people/{person.id}/", "plans": "/plans/",
        "events": "/plans/events/", "outcomes": "/plans/outcomes/", "pledges": "/pledges/",
        "pledge": f"/pledges/{pledge.id}/", "import": "/import/", "settings": "/settings/",
        "new-person": "/people/new/",
    }
    too_wide = {}
    for name, path in pages.items():
        phone.goto(phone.base + path)
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = (width, wider(phone))
        phone.screenshot(path=str(screenshots / f"phone-fr-{name}.png"), full_page=True)
        assert outside(phone) == [], name
    assert too_wide == {}

    # The same pages on a laptop: the French dates in full fit the plan lists too.
    phone.set_viewport_size({"width": 1280, "height": 900})
    for name in ("plans", "people", "person", "pledges"):
        phone.goto(phone.base + pages[name])
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 1280, name
        phone.screenshot(path=str(screenshots / f"laptop-fr-{name}.png"), full_page=True)
