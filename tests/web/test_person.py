"""The Person page: details, in-place edits, pings, archive and snooze, the monthly chart and the strength curve."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import re

import pytest
import time_machine
from django.utils import timezone

from restons.models import Affiliation, Identity, Interaction, Interest, Membership
from restons.services.health import next_due_of, person_detail
from restons.services.interactions import log_ping
from restons.services.people import PersonInput, add_person, edit_person

PARIS = ZoneInfo("Europe/Paris")
HX = {"HTTP_HX_REQUEST": "true"}


def url(person, tail=""):
    return f"/people/{person.id}/{tail}"


POSTS = [
    ("edit/name/", {"name": "Stolen"}),
    ("edit/notes/", {"notes": "x"}),
    ("edit/interests/", {"interests": "x"}),
    ("remove/interests/", {"value": "football"}),
    ("remove/identities/", {"value": "email:camille@example.org"}),
    ("ping/", {"channel": "email", "direction": "out"}),
    ("archive/", {"archived": "1"}),
    ("snooze/", {"days": "7"}),
]
GETS = ["", "edit/name/", "edit/met/", "field/name/"]


# -- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tail", GETS)
def test_bob_gets_404_on_alices_person(bob_client, camille, tail):
    assert bob_client.get(url(camille, tail)).status_code == 404
    assert bob_client.get(url(camille, tail), **HX).status_code == 404


@pytest.mark.parametrize("tail,data", POSTS)
def test_bob_cannot_change_alices_person(bob_client, camille, tail, data):
    assert bob_client.post(url(camille, tail), data).status_code == 404
    assert bob_client.post(url(camille, tail), data, **HX).status_code == 404
    camille.refresh_from_db()
    assert camille.name == "Camille Martin" and not camille.archived and camille.snoozed_until is None
    assert camille.interests.count() == 1 and camille.identities.count() == 1
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("tail", GETS)
def test_anonymous_is_sent_to_login(client, camille, tail):
    response = client.get(url(camille, tail))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("tail,data", POSTS)
def test_anonymous_post_is_sent_to_login(client, camille, tail, data):
    response = client.post(url(camille, tail), data)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("tail,data", POSTS)
def test_post_without_csrf_token_is_refused(csrf_client, camille, tail, data):
    assert csrf_client.post(url(camille, tail), data).status_code == 403
    camille.refresh_from_db()
    assert camille.name == "Camille Martin" and not Interaction.objects.exists()


def test_unknown_field_is_404(alice_client, camille):
    assert alice_client.get(url(camille, "edit/owner/")).status_code == 404
    assert alice_client.post(url(camille, "remove/name/"), {"value": "x"}).status_code == 404


# -- the page ----------------------------------------------------------------------------------------


def test_page_shows_everything(alice_client, alice, camille):
    edit_person(alice, camille, PersonInput(met="Ran the 2015 marathon together", met_on=date(2015, 4, 12),
                                            orgs=["Acme"], notes="Two kids; loves the Gophers."))
    log_ping(alice, camille, direction="in", channel="text", note="Game on Saturday?")
    log_ping(alice, camille, direction="out", channel="call")
    html = alice_client.get(url(camille)).content.decode()
    for text in ("Camille Martin", "Ran the 2015 marathon together", "12 April 2015", "camille@example.org",
                 "Acme", "football", "Friends", "every month", "Two kids; loves the Gophers.", "Game on Saturday?",
                 "they reached out", "you reached out", "←", "→", "on track", "mutual", "<svg", "<title id=\"person-pings-title\">", "<title id=\"person-strength-title\">",
                 "Log a ping", "Archive", "Snooze"):
        assert text in html, text


# -- in-place edits ----------------------------------------------------------------------------------


def test_edit_form_fragment_and_page(alice_client, camille):
    fragment = alice_client.get(url(camille, "edit/name/"), **HX).content.decode()
    assert fragment.lstrip().startswith('<div id="field-name"') and "<html" not in fragment
    assert 'name="name" value="Camille Martin"' in fragment
    # Without JavaScript, the same link opens the whole page with the form in place.
    page = alice_client.get(url(camille, "edit/name/")).content.decode()
    assert "<html" in page and 'name="name" value="Camille Martin"' in page
    # Cancel gives the display back.
    shown = alice_client.get(url(camille, "field/name/"), **HX).content.decode()
    assert "<h1>Camille Martin</h1>" in shown
    assert alice_client.get(url(camille, "field/name/"))["Location"] == url(camille)


def test_edit_name_in_place(alice_client, camille):
    response = alice_client.post(url(camille, "edit/name/"), {"name": "  Camille  Durand "}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Camille Durand</h1>" in html and "<html" not in html
    camille.refresh_from_db()
    assert camille.name == "Camille Durand"


def test_edit_without_javascript_redirects(alice_client, camille):
    response = alice_client.post(url(camille, "edit/notes/"), {"notes": "Plays the cello."})
    assert response.status_code == 302 and response["Location"] == url(camille)
    camille.refresh_from_db()
    assert camille.notes == "Plays the cello."


def test_edit_error_is_shown_in_the_form(alice_client, camille):
    response = alice_client.post(url(camille, "edit/name/"), {"name": "   "}, **HX)
    assert response.status_code == 200 and "A person needs a name." in response.content.decode()
    assert 'name="name"' in response.content.decode()
    page = alice_client.post(url(camille, "edit/name/"), {"name": ""})
    assert page.status_code == 400 and "A person needs a name." in page.content.decode()
    camille.refresh_from_db()
    assert camille.name == "Camille Martin"


def test_edit_how_we_met(alice_client, camille):
    html = alice_client.post(url(camille, "edit/met/"), {"met": "At the Lyon meetup", "met_on": "2018-09-20"}, **HX).content.decode()
    assert "At the Lyon meetup" in html and "20 September 2018" in html
    camille.refresh_from_db()
    assert camille.met_how == "At the Lyon meetup" and camille.met_on == date(2018, 9, 20)
    alice_client.post(url(camille, "edit/met/"), {"met": "At a meetup", "met_on": ""}, **HX)
    camille.refresh_from_db()
    assert camille.met_how == "At a meetup" and camille.met_on is None
    bad = alice_client.post(url(camille, "edit/met/"), {"met": "x", "met_on": "someday"}, **HX).content.decode()
    assert "is not a date" in bad
    camille.refresh_from_db()
    assert camille.met_how == "At a meetup"


def test_edit_cadence(alice_client, camille):
    html = alice_client.post(url(camille, "edit/cadence/"), {"every": "3m"}, **HX).content.decode()
    camille.refresh_from_db()
    assert camille.cadence_days == 90 and "every 3 months" in html
    assert 'id="status" hx-swap-oob="true"' in html  # next due changed too
    assert "is not a duration" in alice_client.post(url(camille, "edit/cadence/"), {"every": "often"}, **HX).content.decode()
    camille.refresh_from_db()
    assert camille.cadence_days == 90
    # Empty: the person's own cadence goes; their circle's (none here) decides.
    html = alice_client.post(url(camille, "edit/cadence/"), {"every": ""}, **HX).content.decode()
    camille.refresh_from_db()
    assert camille.cadence_days is None and "not tracked" in html


def test_interests_add_and_remove(alice_client, alice, camille):
    html = alice_client.post(url(camille, "edit/interests/"), {"interests": "Jazz, open  source"}, **HX).content.decode()
    assert set(Interest.objects.filter(person=camille).values_list("topic", flat=True)) == {"football", "jazz", "open source"}
    assert html.lstrip().startswith('<dd id="field-interests"') and "jazz" in html
    alice_client.post(url(camille, "remove/interests/"), {"value": "football"}, **HX)
    assert set(Interest.objects.filter(person=camille).values_list("topic", flat=True)) == {"jazz", "open source"}


def test_circles_add_and_remove(alice_client, alice, camille):
    html = alice_client.post(url(camille, "edit/circles/"), {"circles": "Book club"}, **HX).content.decode()
    assert sorted(Membership.objects.filter(person=camille).values_list("circle__name", flat=True)) == ["Book club", "Friends"]
    assert 'id="field-cadence" hx-swap-oob="true"' in html
    response = alice_client.post(url(camille, "remove/circles/"), {"value": "Friends"})
    assert response.status_code == 302
    assert list(Membership.objects.filter(person=camille).values_list("circle__name", flat=True)) == ["Book club"]


def test_identities_add_and_remove(alice_client, alice, camille):
    other = add_person(alice, PersonInput(name="Dominique", emails=["dom@example.org"]))
    alice_client.post(url(camille, "edit/identities/"), {"kind": "phone", "value": "06 11 22 33 44"}, **HX)
    assert Identity.objects.filter(person=camille, kind="phone", value="+33611223344").exists()
    taken = alice_client.post(url(camille, "edit/identities/"), {"kind": "email", "value": "dom@example.org"}, **HX)
    assert "dom@example.org already belongs to Dominique" in taken.content.decode()
    assert not Identity.objects.filter(person=camille, value="dom@example.org").exists()
    # Removing another person's identity through Camille's page does nothing.
    alice_client.post(url(camille, "remove/identities/"), {"value": "email:dom@example.org"}, **HX)
    assert Identity.objects.filter(person=other).exists()
    alice_client.post(url(camille, "remove/identities/"), {"value": "email:camille@example.org"}, **HX)
    assert list(Identity.objects.filter(person=camille).values_list("kind", flat=True)) == ["phone"]


def test_organisations_add_and_remove(alice_client, camille):
    html = alice_client.post(url(camille, "edit/organisations/"), {"organisation": "Initech"}, **HX).content.decode()
    assert "Initech" in html
    assert list(Affiliation.objects.filter(person=camille).values_list("organisation__name", flat=True)) == ["Initech"]
    alice_client.post(url(camille, "remove/organisations/"), {"value": "initech"}, **HX)
    assert not Affiliation.objects.filter(person=camille).exists()


# -- pings, archive, snooze --------------------------------------------------------------------------


def test_log_ping_moves_next_due_and_updates_the_timeline(alice_client, alice, camille):
    before = next_due_of(alice, camille)
    response = alice_client.post(url(camille, "ping/"), {"channel": "call", "direction": "in", "at": "", "note": "Called about the game"}, **HX)
    html = response.content.decode()
    ping = Interaction.objects.get(person=camille)
    assert (ping.direction, ping.channel, ping.summary) == ("in", "call", "Called about the game")
    after = next_due_of(alice, camille)
    assert after == timezone.localdate() + timedelta(days=30) and after != before
    assert "Ping logged." in html
    assert 'id="activity" hx-swap-oob="true"' in html and "Called about the game" in html
    assert 'id="status" hx-swap-oob="true"' in html


def test_log_ping_at_a_given_time_without_javascript(alice_client, camille):
    response = alice_client.post(url(camille, "ping/"), {"channel": "meeting", "direction": "both", "at": "2024-03-05T18:30"})
    assert response.status_code == 302 and response["Location"] == url(camille)
    ping = Interaction.objects.get(person=camille)
    assert ping.at == datetime(2024, 3, 5, 18, 30, tzinfo=PARIS) and ping.direction == "both"


def test_log_ping_errors(alice_client, camille):
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    html = alice_client.post(url(camille, "ping/"), {"channel": "email", "direction": "out", "at": future}, **HX).content.decode()
    assert "is in the future" in html and html.lstrip().startswith('<section class="card" id="ping"')
    assert alice_client.post(url(camille, "ping/"), {"channel": "pigeon", "direction": "out"}).status_code == 400
    assert not Interaction.objects.exists()


def test_archive_and_unarchive(alice_client, camille):
    html = alice_client.post(url(camille, "archive/"), {"archived": "1"}, **HX).content.decode()
    camille.refresh_from_db()
    assert camille.archived and "Unarchive" in html
    assert alice_client.post(url(camille, "archive/"), {"archived": "0"}).status_code == 302
    camille.refresh_from_db()
    assert not camille.archived


def test_snooze_and_wake(alice_client, camille):
    html = alice_client.post(url(camille, "snooze/"), {"days": "30"}, **HX).content.decode()
    camille.refresh_from_db()
    assert camille.snoozed_until == timezone.localdate() + timedelta(days=30)
    assert "snoozed until" in html and "End the snooze" in html
    alice_client.post(url(camille, "snooze/"), {"end": "1"}, **HX)
    camille.refresh_from_db()
    assert camille.snoozed_until is None
    bad = alice_client.post(url(camille, "snooze/"), {"until": "2001-01-01"}, **HX).content.decode()
    assert "is in the past" in bad
    camille.refresh_from_db()
    assert camille.snoozed_until is None


# -- the chart ---------------------------------------------------------------------------------------


@time_machine.travel(datetime(2026, 5, 15, 12, 0, tzinfo=PARIS), tick=False)
def test_monthly_counts_are_exact(alice, alice_client, camille):
    """GIVEN pings around month boundaries in local time (Paris, UTC+2 in summer)
    WHEN the chart covers June 2023 (the first ping's month) to May 2026
    THEN each ping lands in its local month, and "both" counts on each side."""
    def at(*args):
        return datetime(*args, tzinfo=PARIS)

    log_ping(alice, camille, direction="out", at=at(2023, 6, 30, 23, 30))   # June 2023
    log_ping(alice, camille, direction="out", at=at(2023, 7, 1, 0, 30))     # July 2023 (still June 30 in UTC)
    log_ping(alice, camille, direction="in", at=at(2025, 3, 31, 23, 59))    # March 2025
    log_ping(alice, camille, direction="in", at=at(2025, 4, 1, 0, 1))       # April 2025
    log_ping(alice, camille, direction="both", at=at(2026, 1, 15, 10))      # January 2026, both sides
    log_ping(alice, camille, direction="in", at=at(2026, 4, 10, 9))         # April 2026
    log_ping(alice, camille, direction="out", at=at(2026, 5, 1, 9))
    log_ping(alice, camille, direction="out", at=at(2026, 5, 2, 9))
    other = add_person(alice, PersonInput(name="Somebody else"))
    log_ping(alice, other, direction="in", at=at(2026, 5, 3, 9))            # not Camille's

    detail = person_detail(alice, camille)
    months = detail["history"]["months"]
    assert len(months) == 36 and months[0]["month"] == "2023-06" and months[-1]["month"] == "2026-05"
    assert {m["month"]: (m["in"], m["out"], m["together"]) for m in months if m["in"] or m["out"]} == {
        "2023-06": (0, 1, 0), "2023-07": (0, 1, 0), "2025-03": (1, 0, 0), "2025-04": (1, 0, 0),
        "2026-01": (1, 1, 1), "2026-04": (1, 0, 0), "2026-05": (0, 2, 0),
    }
    # The strength curve ends today, on the same score the page shows.
    curve = detail["history"]["strength"]
    assert [p["on"] for p in curve[:2]] == ["2023-06-30", "2023-07-31"] and curve[-1]["on"] == "2026-05-15"
    assert curve[-1]["strength"] == detail["strength"]
    html = alice_client.get(url(camille)).content.decode()
    assert "<title>June 2023: 0 from them, 1 from you</title>" in html
    assert "<title>May 2026: 0 from them, 2 from you</title>" in html
    assert "(4 in all); below it, pings from you (5 in all)" in html
    assert f"<title>15 May 2026: strength {detail['strength']}</title>" in html
    # The tallest bar (2) is full height; a bar of 1 is half of it.
    assert 'class="bar-below" x="' in html and 'height="56" fill="#8098f9"' in html
    assert 'height="28" fill="#1f6f5c"' in html


def test_chart_numbers_are_not_localised(alice, alice_client, camille):
    """SVG coordinates need a decimal point in every language."""
    for n in range(3):
        log_ping(alice, camille, direction="out", at=timezone.now() - timedelta(days=n + 1))
    html = alice_client.get(url(camille), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in html
    assert "Signes avec" in html or "signes" in html.lower()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert re.search(r'width="\d+\.\d"', svg) and not re.search(r'="\d+,\d', svg)


@time_machine.travel(datetime(2026, 12, 3, 12, 0, tzinfo=PARIS), tick=False)
def test_a_due_date_that_has_passed_reads_due_since(alice_client, alice, camille):
    """Overdue since July, the page says "Due since 18 July 2026", not "Next due"; a ping moves it ahead again."""
    with time_machine.travel(datetime(2026, 6, 18, 12, 0, tzinfo=PARIS), tick=False):
        log_ping(alice, camille, direction="both", channel="meeting")  # every 30 days: due on 18 July
    html = alice_client.get(url(camille)).content.decode()
    assert re.search(r"<dt>Due since</dt>\s*<dd><time datetime=\"2026-07-18\">18 July 2026</time>", html)
    html = alice_client.post(url(camille, "ping/"), {"channel": "call", "direction": "out", "at": ""}, **HX).content.decode()
    assert "<dt>Next due</dt>" in html and "Due since" not in html
