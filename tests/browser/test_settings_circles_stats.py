"""Settings, circles, the pledge picker, Stats and a 404, in a real browser (headless Chromium).

GIVEN the demo network WHEN its owner sets their Settings, gives a circle a
cadence, makes a pledge by naming the organisation and searching for one more
person, and opens Stats and a missing page THEN each page does what it says,
with JavaScript (HTMX) on. Screenshots go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from restons.models import Circle, Pledge, PledgePerson, Preferences
from restons.services.demo import fill_demo
from restons.services.people import PersonInput, add_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime(2026, 6, 15, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def owner(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(DAY, tick=True):
        user = get_user_model().objects.create_user("owner@example.org", "owner@example.org", "a long pass phrase")
        fill_demo(user)
        for name in ("Inès Acme", "Jules Acme"):
            add_person(user, PersonInput(name=name, orgs=["Acme Robotics"]))
        yield user


def test_settings_circles_pledge_picker_and_stats(page, shoot, owner):
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "Owner@Example.ORG")  # any case
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")

    # Settings: a time zone, and a smaller Today.
    page.click("nav >> text=Settings")
    page.select_option("select[name=time_zone]", "America/New_York")
    page.fill("input[name=today_limit]", "3")
    page.click("text=Save")
    assert "Settings saved." in page.content()
    assert page.locator("select[name=phone_region] option:checked").inner_text() == "Automatic: US"
    shoot("settings")
    preferences = Preferences.objects.get(owner=owner)
    assert (preferences.time_zone, preferences.today_limit) == ("America/New_York", 3)
    page.goto(page.base + "/")
    assert page.locator("li.entry").count() <= 3

    # Circles: give the first circle without a cadence one, from the list.
    Circle.objects.create(owner=owner, name="Book club")
    page.click("nav >> text=Circles")
    row = page.locator("li.circle-row", has_text="Book club")
    assert "no cadence" in row.inner_text()
    shoot("circles")
    row.locator("select[name=every]").select_option("1m")
    row.locator("text=Set").click()
    page.wait_for_url(page.base + "/circles/")
    assert Circle.objects.get(owner=owner, name="Book club").cadence_days == 30
    page.click("text=Book club")
    page.click("#add-members summary")
    page.fill("#add-members input[name=q]", "Jules")
    page.wait_for_selector("#add-members .picker-list label:has-text('Jules Acme')")
    page.check("#add-members .picker-list label:has-text('Jules Acme') input")
    page.click("text=Add to the circle")
    page.wait_for_selector("#circle-members >> text=One person added.")
    shoot("circle")

    # The pledge: naming the organisation ticks its people; a search adds one more.
    page.click("nav >> text=Pledges")
    page.fill("input[name=org]", "Acme Robotics")
    page.press("input[name=org]", "Tab")
    page.wait_for_selector(".picker-list label:has-text('Inès Acme') input:checked")
    assert page.locator(".picker-list input:checked").count() == 2
    someone = page.locator(".picker-list label").first.inner_text()
    page.fill(".picker-search input[name=q]", "a")
    page.wait_for_selector(".picker-list label:not(:has(input:checked))")
    assert page.locator(".picker-list input:checked").count() == 2  # the ticks survive the search
    extra = page.locator(".picker-list label:not(:has(input:checked))").first
    extra_name = extra.inner_text().strip()
    extra.locator("input").check()
    shoot("pledge-picker")
    page.click("text=Make the pledge")
    page.wait_for_url("**/pledges/*/")
    pledge = Pledge.objects.get(owner=owner, organisation__name="Acme Robotics")
    assert set(PledgePerson.objects.filter(pledge=pledge).values_list("person__name", flat=True)) == {
        "Inès Acme", "Jules Acme", extra_name}, someone

    # Stats, and a missing page.
    page.click("nav >> text=Stats")
    assert "people in your network" in page.content()
    shoot("stats")
    page.goto(page.base + "/no-such-page/")
    assert "This page does not exist" in page.content()
    shoot("404")
