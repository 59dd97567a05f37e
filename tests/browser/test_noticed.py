"""What the engine says, in a real browser: the draft's hook, a ping about your milestone, who noticed, a pledge in progress.

GIVEN Camille (overdue, follows football) with a game on Saturday, and Bruno who wrote after your studio opened
WHEN  you log Camille's congratulations "about" the studio, confirm Bruno's message, and make a pledge
THEN  Today speaks of the game, the milestone's page lists both as having noticed, and the pledge is in progress.
Screenshots (laptop and phone widths) go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from restons.models import Interaction, Milestone
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person
from restons.services.planning import add_event, add_milestone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2026, 6, 15, 9, 30, tzinfo=PARIS)


@pytest.fixture
def frozen(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(DAY, tick=True):
        yield


@pytest.fixture
def network(django_user_model, frozen):
    owner = django_user_model.objects.create_user("owner@example.org", "owner@example.org", "a long pass phrase")
    camille = add_person(owner, PersonInput(name="Camille Martin", interests=["football"], cadence_days=30))
    log_ping(owner, camille, direction="in", at=datetime(2026, 4, 1, 10, tzinfo=PARIS))
    log_ping(owner, camille, at=datetime(2026, 4, 2, 10, tzinfo=PARIS))
    bruno = add_person(owner, PersonInput(name="Bruno Petit"))
    add_event(owner, "Cup final", date(2026, 6, 20), ["football"])
    add_milestone(owner, "Opened my studio", date(2026, 6, 1), None, False)
    log_ping(owner, bruno, direction="in", at=datetime(2026, 6, 3, 9, tzinfo=PARIS), note="Bravo!")
    return owner


def test_the_game_who_noticed_and_a_pledge_in_progress(page, shoot, network):
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "owner@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")

    # Today: Camille is overdue and follows football; the draft speaks of the game.
    entry = page.locator("li.entry", has_text="Camille Martin")
    assert "Hi Camille, Cup final is on Saturday 20 June." in entry.inner_text()
    shoot("noticed-01-today")

    # Her answer, logged from her page "about" your studio.
    entry.locator("a.name").click()
    page.wait_for_url("**/people/*/")
    page.select_option("select[name=direction]", "in")
    page.fill("input[name=note]", "Congrats on the studio")
    page.fill("input[name=about]", "Opened my studio")
    shoot("noticed-02-ping-about")
    page.click("text=Log the ping")
    page.wait_for_selector("text=Ping logged")
    assert Interaction.objects.get(summary="Congrats on the studio").milestone.title == "Opened my studio"

    # The milestone's page: Camille noticed; Bruno's message is a suggestion to confirm, in place.
    studio = Milestone.objects.get(title="Opened my studio")
    page.goto(page.base + f"/plans/milestones/{studio.id}/")
    noticed = page.locator("#noticed")
    assert "Camille Martin" in noticed.inner_text() and "Bravo!" in noticed.inner_text()
    shoot("noticed-03-milestone")
    noticed.locator("button", has_text="Yes, they noticed").click()
    expect(page.locator("#noticed")).not_to_contain_text("Bravo!")  # no eval: the CSP refuses it
    assert "Bruno Petit" in page.locator("#noticed").inner_text()
    shoot("noticed-04-confirmed")

    # A pledge made today is in progress, not "100 %".
    page.goto(page.base + "/pledges/")
    page.fill("input[name=org]", "Acme")
    page.fill(".picker-search input[name=q]", "Camille")
    page.wait_for_selector(".picker-list label:has-text('Camille Martin')")
    page.check(".picker-list label:has-text('Camille Martin') input")
    page.click("text=Make the pledge")
    page.wait_for_url("**/pledges/*/")
    assert "in progress: 0 of 1 pinged, 14 days left" in page.inner_text("main")
    page.goto(page.base + "/pledges/")
    assert "in progress: 0 of 1 pinged, 14 days left" in page.inner_text("main")
    assert "100%" not in page.inner_text("main")
    shoot("noticed-05-pledge-in-progress")
