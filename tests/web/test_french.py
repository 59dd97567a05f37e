"""The web app in French: dates as French writes them, quarters T1–T4, elision, typography."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from restons.models import Circle, Membership, Person
from restons.services import checkups
from restons.services.interactions import log_ping
from restons.services.planning import add_event, add_milestone, add_outcome, leave
from restons.web import figures

PARIS = ZoneInfo("Europe/Paris")
NB = "\u00a0"
# "14 Jun", "30 Jul", "14 Jui": a short or English month after a day number.
SHORT_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Jui|jui|jan|fév|avr|aoû)\b")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0, tzinfo=PARIS), tick=False)


@pytest.fixture
def french(alice_client):
    alice_client.post("/language/", {"language": "fr"})
    return alice_client


@pytest.fixture
def world(alice, camille):
    """Camille touched in July last year, an event next Saturday, pledges at Agence Lumen and Globex."""
    log_ping(alice, camille, at=datetime(2025, 7, 30, 18, 30, tzinfo=PARIS))
    add_event(alice, "Finale de la coupe", date(2026, 6, 20), ["football"])
    add_milestone(alice, "Anniversaire", date(1990, 6, 25), camille, True)
    add_outcome(alice, camille, "referral-received", date(2026, 6, 1), "")
    return {"agence": leave(alice, "Agence Lumen", date(2026, 1, 10), [camille], 30),
            "globex": leave(alice, "Globex", date(2026, 2, 1), [camille], 30)}


def test_dates_are_written_in_full_on_every_page(french, camille, world):
    pages = {path: french.get(path).content.decode()
             for path in ("/", "/people/", f"/people/{camille.id}/", "/plans/", "/plans/events/", "/plans/outcomes/",
                          "/pledges/", f"/pledges/{world['agence'].id}/", "/?date=2026-06-19")}

    for path, html in pages.items():
        assert not SHORT_MONTH.search(html), (path, SHORT_MONTH.search(html))
    assert "30 juillet 2025" in pages["/people/"]  # last touch
    assert "30 juillet 2025 à 18:30" in pages[f"/people/{camille.id}/"]  # the timeline
    assert "samedi 20 juin 2026" in pages["/plans/"]  # the event, with its weekday
    assert "1 juin 2026" in pages["/plans/outcomes/"]
    assert "Signes du vendredi 19 juin 2026" in pages["/?date=2026-06-19"]


def test_quarters_are_t1_to_t4_and_organisations_elide(french, camille, world):
    pledge_page = french.get(f"/pledges/{world['agence'].id}/").content.decode()
    person_page = french.get(f"/people/{camille.id}/").content.decode()
    globex_page = french.get(f"/pledges/{world['globex'].id}/").content.decode()

    assert "<h1>Départ d’Agence Lumen</h1>" in pledge_page
    assert "<h1>Départ de Globex</h1>" in globex_page
    assert "<tr><td>T1 2026</td>" in pledge_page and "<tr><td>T2 2026</td>" in pledge_page
    # "Q1" as a word (English's quarter, or the ISO "2026-Q1"): inside the page's random CSRF token it is neither.
    assert not re.search(r"\bQ[1-4]\b", pledge_page) and "2026-Q1" not in pledge_page
    assert "Départ d’Agence Lumen, 10 janvier 2026" in person_page
    assert "Départ de Globex, 1 février 2026" in person_page
    assert "Signes avec Camille Martin par mois, de juillet 2025 à juin 2026" in person_page  # the chart, in French
    assert "Départ le 10 janvier 2026" in french.get("/pledges/").content.decode()


def test_english_keeps_its_own_words(alice_client, camille, world):
    pledge_page = alice_client.get(f"/pledges/{world['agence'].id}/").content.decode()

    assert "<h1>Leaving Agence Lumen</h1>" in pledge_page
    assert "<tr><td>Q1 2026</td>" in pledge_page
    assert "30 Jul 2025" in alice_client.get("/people/").content.decode()


def test_empty_lists_of_a_person_say_nothing_yet_whatever_their_gender(french, alice):
    from restons.services.people import PersonInput, add_person

    nobody = add_person(alice, PersonInput(name="Noé Vide"))
    page = french.get(f"/people/{nobody.id}/").content.decode()

    assert page.count("rien pour l’instant") == 4  # addresses, organisations, interests, circles
    assert "aucun pour l’instant" not in page


def test_the_pledge_sentence_keeps_french_punctuation(french):
    page = french.get("/pledges/").content.decode()

    assert f"{NB};</span>" in page and "je resterai en contact avec ces personnes" in page


def test_durations_in_french_units_are_accepted_by_the_forms(french, alice, camille):
    response = french.post(f"/people/{camille.id}/edit/cadence/", {"every": "2s"})

    assert response.status_code == 302
    camille.refresh_from_db()
    assert camille.cadence_days == 14
    response = french.post("/people/new/", {"name": "Ana Lopes", "every": "1a"})
    assert response.status_code == 302
    assert Person.objects.get(owner=alice, name="Ana Lopes").cadence_days == 365


def test_french_help_texts_give_french_units(french):
    page = french.get("/people/new/").content.decode()

    assert "10j, 2s, 3m, 1a" in page


def test_counts_of_thousands_are_grouped_in_each_language(alice_client, alice):
    """"1,234 people" in English, "1 234 personnes" in French: on People, Stats and in the pace line."""
    Person.objects.bulk_create(Person(owner=alice, name=f"Person {n:04d}", created_at=datetime(2026, 1, 1, tzinfo=PARIS))
                               for n in range(1234))
    alumni = Circle.objects.create(owner=alice, name="Alumni", cadence_days=90)
    Membership.objects.bulk_create(Membership(owner=alice, person=p, circle=alumni)
                                   for p in Person.objects.filter(owner=alice))
    checkups.forget(alice.pk)  # (bulk_create sends no signal: the kept verdicts are told here, then computed
    checkups.ensure_current(alice, date(2026, 6, 15))  # before the pages, which would not wait for 1,234)
    circle = f"/circles/{alumni.pk}/"
    english = {path: alice_client.get(path).content.decode() for path in ("/people/", "/stats/", "/circles/", circle)}
    assert "1,234 people ·" in english["/circles/"]
    assert "See all 1,234 in People" in english[circle]
    assert "1,234 people." in english["/people/"]
    assert "1,234 people in your network" in english["/stats/"]
    assert "<strong>1,234</strong> <small>100%</small>" in english["/stats/"]  # every one of them due
    alice_client.post("/language/", {"language": "fr"})
    french = {path: alice_client.get(path).content.decode() for path in ("/people/", "/stats/", "/circles/", circle)}
    assert f"1{NB}234 dans Personnes" in french[circle]
    assert f"1{NB}234 personnes" in french["/circles/"]
    assert f"1{NB}234 personnes." in french["/people/"]
    assert f"1{NB}234 personnes dans votre réseau" in french["/stats/"]
    assert f"<strong>1{NB}234</strong>" in french["/stats/"]


@pytest.mark.parametrize("language, text", [("en", "And 5,406 more."), ("fr", f"Et 5{NB}406 de plus.")])
def test_and_more_under_a_shortened_list_is_grouped(language, text):
    """The line under every shortened list (drift, who noticed, a plan's section) says its count as pages do."""
    with translation.override(language):
        assert render_to_string("restons/_and_more.html", {"more": 5406}).strip() == text


@pytest.mark.parametrize("language, n", [("en", "{},{}"), ("fr", "{}\u00a0{}")])
def test_the_review_charts_write_their_numbers_grouped(language, n):
    """A busy year's figures: the axis, the legend of who reached out first and the channel bars read "28,280"."""
    with translation.override(language):
        months = figures.pings_per_month([{"month": "2026-01", "in": 39124, "out": 1200}], chart_id="m", title="t")
        first = figures.first_move({"you": 28280, "them": 22499, "together": 10890}, chart_id="f")
        channels = figures.channels({"email": {"in": 67381, "out": 76758}}, chart_id="c")
    assert f">{n.format(39, 124)}</text>" in months
    assert f": {n.format(28, 280)}</text>" in first and f": {n.format(10, 890)}</text>" in first
    assert f">{n.format(67, 381)}</text>" in channels and f">{n.format(76, 758)}</text>" in channels
