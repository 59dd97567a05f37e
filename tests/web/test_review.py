"""The Review page, its standalone copy, and People › drifting."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from restons.models import Person
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person
from tests.services.year import build_year

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
URLS = ["/review/", "/review/2025/", "/review/download/", "/review/2025/download/", "/people/drift/"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def year(alice, frozen):
    return build_year(alice)


# -- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", URLS)
def test_a_post_without_csrf_token_is_refused(csrf_client, url):
    assert csrf_client.post(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_a_post_with_its_token_is_not_allowed_either(alice_client, url):
    assert alice_client.post(url).status_code == 405  # these pages only read


@pytest.mark.parametrize("url", ["/review/0/", "/review/1899/", "/review/2027/", "/review/99999/",
                                 "/review/99999999999999999999/", "/review/0/download/", "/review/2027/download/"])
def test_years_out_of_range_are_not_found(alice_client, frozen, url):
    assert alice_client.get(url).status_code == 404


def test_bobs_review_never_shows_alices_people(alice_client, bob_client, year):
    names = [p.name for p in year.values()] + ["Lumen", "Issue 7", "Ten years of the studio"]
    for url in ("/review/2025/", "/review/", "/review/2025/download/", "/people/drift/"):
        html = bob_client.get(url).content.decode()
        assert not [name for name in names if name in html], url
    assert "Camille Martin" in alice_client.get("/review/2025/").content.decode()


# -- the page ------------------------------------------------------------------------------------------


def test_the_page_shows_every_section_with_its_numbers(alice_client, year):
    response = alice_client.get("/review/2025/")
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for expected in (
        "Your year in review: 2025", "From 1 January 2025 to 31 December 2025.", "7 people in your network.",
        "People in touch 5", "Pings 12", "From you 8", "From them 5",
        "Stayed in touch 1", "Camille Martin 2 in, 4 out", "You carried 1", "Noah Bennett 0 in, 3 out",
        "They carried 2", "Went quiet 1", "Hugo Moreau last in touch 1 December 2024", "Came back 1",
        "Léa Dubois silent since 1 June 2023", "New people 3", "Maya Patel since 1 July 2025",
        "Ten years of the studio", "Issue 7", "sent to one person", "Leaving Lumen, 1 March 2025", "33% adherence",
        "Still in touch: Camille Martin , Noah Bennett", "No contact during the period: Hugo Moreau",
        "client × 1", "Brought the Acme account", "known since June 2024", "1 from them, 0 from you this period",
        "Léa Dubois 3 → 41", "More mutual: 1 from them and 1 from you (the year before: 0 and 0)",
        "Inès Laurent 0 → 35", "New: first in touch on 20 October 2025",
        "Hugo Moreau 55 → 2", "Last in touch on 1 December 2024",
        "More one-sided: 1 from them and 0 from you (the year before: 1 and 1)",
    ):
        assert expected in text, expected
    # The charts, each named for screen readers.
    for title in ("Pings per month, 2025", "Who reached out first", "Pings by channel",
                  "Adherence per quarter, Lumen"):
        assert f">{title}</title>" in html, title
    assert "<title>January 2025: 0 from them, 1 from you</title>" in html
    assert "Of 9 conversations, you opened 5, they opened 3, and 1 began with a meeting or a call together." in html
    assert 'href="/people/%d/"' % year["camille"].id in html
    # The years to choose from: from the first interaction's to this one.
    assert [int(y) for y in re.findall(r'href="/review/(\d{4})/"', html)] == [2026, 2025, 2024, 2023]


def test_the_last_12_months_and_the_year_under_way(alice_client, year):
    html = alice_client.get("/review/").content.decode()
    assert "Your year in review: The last 12 months" in html and "From 1 July 2025 to 15 June 2026." in html
    assert "Your year in review: 2026 so far" in alice_client.get("/review/2026/").content.decode()
    assert alice_client.get("/review/2025").status_code == 301  # the slash is added


def test_the_page_in_french(alice_client, year):
    html = alice_client.get("/review/2025/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in html
    for expected in ("Votre année en revue\u00a0: 2025", "En contact toute l’année", "Qui a fait le premier pas",
                     "Ce que rester en contact vous a apporté", "1 janvier 2025"):
        assert expected in html, expected
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert not re.search(r'="\d+,\d', svg)  # coordinates keep their decimal point


def test_the_standalone_copy_holds_everything_and_loads_nothing(alice_client, year):
    response = alice_client.get("/review/2025/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="restons-review-2025.html"'
    html = response.content.decode()
    assert html.startswith("<!doctype html>") and "<style>" in html and "@media print" in html
    for outside in ("<script", "<link", "src=", "href=", "url(", "@import"):
        assert outside not in html, outside
    assert "Camille Martin" in html and html.count("<svg") >= 4
    assert alice_client.get("/review/download/")["Content-Disposition"].endswith('"restons-review-last-12-months.html"')


def test_a_milestone_with_suggested_people_is_shown_apart(alice, year):
    """The noticed report may name unconfirmed people as ``suggested``; the page shows them apart."""
    from django.template.loader import render_to_string

    from restons.services.review import review
    from restons.web.views.review import context_of

    data = review(alice, 2025)
    data["milestones"][0]["suggested"] = [{"id": year["noah"].id, "name": "Noah Bennett"}]
    data["pledges"][0]["adherence"] = None  # a pledge too young to judge
    html = render_to_string("restons/review/_body.html", context_of(data))
    assert "Perhaps:" in html and "Noah Bennett" in html[html.index("Perhaps:"):]
    assert "adherence</span>" not in html[html.index("Leaving Lumen"):html.index("Leaving Lumen") + 200]


def test_the_nav_and_the_people_page_lead_here(alice_client, year):
    assert 'href="/review/"' in alice_client.get("/people/").content.decode()
    assert 'href="/people/drift/"' in alice_client.get("/people/").content.decode()


# -- drift -----------------------------------------------------------------------------------------------


def test_drift_lists_who_went_overdue_or_dormant_this_month(alice, alice_client, frozen):
    """GIVEN Ana (every 30 days, last ping 45 days ago: overdue since 7 days), Bea (every 30 days, last ping
    90 days ago: overdue for long), Cleo (every 30 days, last ping 370 days ago: dormant since 5 days)
    THEN the drift names Ana and Cleo, not Bea."""
    def person(name, days):
        someone = add_person(alice, PersonInput(name=name, cadence_days=30))
        Person.objects.filter(pk=someone.pk).update(created_at=timezone.now() - timedelta(days=800))
        log_ping(alice, someone, at=timezone.now() - timedelta(days=days))
        return someone

    person("Ana Lima", 45)
    person("Bea Costa", 90)
    person("Cleo Park", 370)
    html = alice_client.get("/people/drift/").content.decode()
    overdue = html[html.index("Went overdue"):html.index("Went dormant")]
    dormant = html[html.index("Went dormant"):]
    assert "Ana Lima" in overdue and "since 8 June" in overdue and "Bea Costa" not in html
    assert "Cleo Park" in dormant and "since 11 June" in dormant


def test_drift_shows_the_fifty_strongest_and_how_many_more(alice, alice_client, frozen, monkeypatch):
    """GIVEN 4 people who went overdue this month, and a page that shows 3 a list
    THEN the page names the 3 strongest (by their counts) and says 1 more; ``drift`` itself still has all 4."""
    from restons.services.drift import drift
    from restons.web.views import review

    monkeypatch.setattr(review, "DRIFT_SHOWN", 3)
    for n, pings in enumerate((1, 4, 3, 2)):
        someone = add_person(alice, PersonInput(name=f"Drifter {n}", cadence_days=30))
        Person.objects.filter(pk=someone.pk).update(created_at=timezone.now() - timedelta(days=800))
        for back in range(pings):
            log_ping(alice, someone, at=timezone.now() - timedelta(days=45 + 2 * back))

    html = alice_client.get("/people/drift/").content.decode()

    assert drift(alice)["overdue"]["count"] == 4
    assert [n for n in range(4) if f"Drifter {n}" in html] == [1, 2, 3] and "And 1 more." in html
