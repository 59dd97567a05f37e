"""Back from holiday and the pace, in a real browser (headless Chromium), in English and in French.

GIVEN an owner back after two weeks away, whose cadences ask for more than their pace WHEN they open
Today, the plan for the next days, the Pace page (accepting one proposal, then the rest, with HTMX)
and Stats THEN each page says what piled up, how long catching up takes, both rates and the changes,
and the database follows. Screenshots at laptop and phone widths go to RESTONS_SCREENSHOTS.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
import time_machine
from django.contrib.auth import get_user_model

from restons.models import Circle, Membership, Opening, Person
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2026, 6, 15, 9, 30, tzinfo=PARIS)

# The words the test reads on screen, per language.
TEXT = {
    "en": {"welcome": "Welcome back", "back": "Back after 14 days away: 6 people are overdue, 2 when you left.",
           "plan": "See the plan for the next days", "change": "What to change", "title": "Back from holiday",
           "line": "Your cadences ask for 0.33 pings a day; you manage 0.27.", "accept": "Accept",
           "all": "Accept them all", "done": "Done: Stop tracking Hugo Marchand",
           "fit": "Lately your cadences ask for more than your pace", "stats": "Stats", "pace": "Pace"},
    "fr": {"welcome": "Bon retour", "back": "De retour après 14 jours d’absence\u00a0: 6 personnes sont en retard, "
                                            "2 à votre départ.",
           "plan": "Voir le plan des prochains jours", "change": "Quoi changer", "title": "Retour de vacances",
           "line": "Vos cadences demandent 0,33 signes par jour\u00a0; vous en faites 0,27.", "accept": "Accepter",
           "all": "Tout accepter", "done": "Fait\u00a0: Ne plus suivre Hugo Marchand",
           "fit": "Ces derniers temps, vos cadences demandent plus que votre rythme", "stats": "Statistiques",
           "pace": "Rythme"},
}


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=PARIS)


@pytest.fixture
def owner(settings):
    """Family (30 days): six overdue, Jeanne owed a reply, one on track; Network (180 days): ten people and Hugo,
    who never answered. Today opened every six days from 1 April to 31 May, then two weeks away."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(DAY, tick=True):
        user = get_user_model().objects.create_user("pace@example.org", "pace@example.org", "a long pass phrase")
        Circle.objects.create(owner=user, name="Family", cadence_days=30)
        Circle.objects.create(owner=user, name="Network", cadence_days=180)
        for name, day in (("Ana Lopes", "2026-04-10"), ("Bruno Petit", "2026-04-13"), ("Chloé Roux", "2026-04-16"),
                          ("David Blanc", "2026-04-20"), ("Farid Haddad", "2026-04-22"), ("Gaspard Roy", "2026-04-25"),
                          ("Inès Morel", "2026-06-01")):
            someone = add_person(user, PersonInput(name=name, circles=["Family"]))
            log_ping(user, someone, direction="both", at=at(day))
        jeanne = add_person(user, PersonInput(name="Jeanne Petit", circles=["Family"]))
        log_ping(user, jeanne, direction="both", at=at("2026-05-01"))
        log_ping(user, jeanne, direction="in", at=at("2026-06-05"), note="Photos from the wedding!")
        network = [add_person(user, PersonInput(name=f"Network {i:02d}", circles=["Network"])) for i in range(10)]
        log_ping(user, network[0], direction="out", at=at("2026-04-25"))
        log_ping(user, network[1], direction="out", at=at("2026-05-20"))
        hugo = add_person(user, PersonInput(name="Hugo Marchand", circles=["Network"]))
        for day in ("2026-03-01", "2026-03-20", "2026-05-02"):
            log_ping(user, hugo, direction="out", at=at(day))
        neighbour = add_person(user, PersonInput(name="Léon Voisin"))
        for day in ("2026-04-25", "2026-05-01", "2026-05-07", "2026-05-13", "2026-05-19", "2026-05-25", "2026-05-31"):
            log_ping(user, neighbour, direction="out", at=at(day))
        for k in range(11):
            day = date(2026, 4, 1) + timedelta(days=6 * k)
            Opening.objects.create(owner=user, day=day, overdue=2 if day == date(2026, 5, 31) else 0)
        yield user


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_back_from_holiday_and_the_pace(page, shoot, owner, lang):
    text = TEXT[lang]
    page.goto(page.base + "/login/")
    page.fill("input[name=login]", "pace@example.org")
    page.fill("input[name=password]", "a long pass phrase")
    page.click("button.primary")
    page.wait_for_url(page.base + "/")
    if lang == "fr":
        page.click("button[lang=fr]")
        page.wait_for_load_state()

    # Today: welcome back, three people (the usual day), Jeanne's reply first; the pace line.
    banner = page.locator("section.catch-up")
    assert text["welcome"] in banner.inner_text()
    assert text["back"] in banner.inner_text()
    names = page.locator("li.entry a.name").all_inner_texts()
    assert names == ["Jeanne Petit", "Ana Lopes", "Bruno Petit"]
    assert text["line"] in page.locator("p.pace-line").inner_text()
    assert Opening.objects.get(owner=owner, day=date(2026, 6, 15)).overdue == 6
    shoot(f"pace-{lang}-1-today")

    # The plan: the next lists, three at a time.
    page.click(f"text={text['plan']}")
    page.wait_for_url(page.base + "/today/back/")
    assert page.locator("h1").inner_text() == text["title"]
    lists = page.locator("li.plan-day")
    assert lists.count() == 3
    assert lists.nth(1).locator("a").all_inner_texts() == ["Chloé Roux", "David Blanc", "Farid Haddad"]
    shoot(f"pace-{lang}-2-back")

    # The Pace page: accept Hugo's proposal with one click, then the rest.
    page.goto(page.base + "/")
    page.click(f"p.pace-line >> text={text['change']}")
    page.wait_for_url(page.base + "/pace/")
    assert text["line"] in page.locator("p.pace-line").inner_text()
    shoot(f"pace-{lang}-3-proposals")
    page.locator("li.proposal-untrack").locator(f"button:has-text('{text['accept']}')").click()
    page.locator("#proposals .messages").wait_for()
    assert text["done"] in page.locator("#proposals").inner_text()
    hugo = Person.objects.get(owner=owner, name="Hugo Marchand")
    assert not Membership.objects.filter(person=hugo).exists()
    shoot(f"pace-{lang}-4-accepted")
    page.click(f"#proposals >> text={text['all']}")
    expect(page.locator("#proposals")).to_contain_text(text["fit"])
    assert Circle.objects.get(owner=owner, name="Network").cadence_days == 365
    assert Circle.objects.get(owner=owner, name="Family").cadence_days == 30  # close circles are never proposed
    shoot(f"pace-{lang}-5-all-accepted")

    # Stats: the pace card.
    page.click(f"nav >> text={text['stats']}")
    card = page.locator("section[aria-labelledby=pace-title]")
    assert text["pace"] in card.inner_text()
    shoot(f"pace-{lang}-6-stats")
