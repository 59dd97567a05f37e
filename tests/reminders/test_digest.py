"""The digest: what it says, in which language, with which headers, through a real SMTP server."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from restons.models import Delivery, Reminders
from restons.services import deliveries, digest
from restons.services.accounts import save_settings
from restons.services.reminders import set_digest

from .conftest import at


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_the_digest_says_who_to_ping_why_replies_owed_and_the_weeks_milestones(network, alice_paris):
    content, message, summary = digest.build(alice_paris)
    assert content["date"] == date(2026, 6, 15)
    assert [e["person"]["name"] for e in content["today"]] == ["Camille Martin", "Noah Bennett"]
    assert [r["kind"] for r in content["today"][0]["reasons"]] == ["reply-owed", "overdue"]
    assert content["replies"] == []  # Camille's reply owed is in Today already
    assert [(m["person"]["name"], m["title"], m["on"], m["years"]) for m in content["milestones"]] == [
        ("Noah Bennett", "Birthday", date(2026, 6, 18), 36)]
    assert summary == "2 people, 1 milestone"
    assert message.subject == "Restons: 2 people to ping today"


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_replies_owed_beyond_todays_size_are_listed(network, alice_paris):
    save_settings(alice_paris, language="en", time_zone="Europe/Paris", today_limit=1)
    content, _message, _summary = digest.build(alice_paris)
    assert [e["person"]["name"] for e in content["today"]] == ["Camille Martin"]
    assert content["replies"] == []  # Noah owes nothing: they met together in January
    set_digest(alice_paris, frequency="daily")


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_a_day_with_nothing_to_say_sends_nothing(alice_paris, smtp_server):
    set_digest(alice_paris, frequency="daily", hour=8)
    content, message, summary = digest.build(alice_paris)
    assert content["empty"] and message is None
    counts = deliveries.run_due("w1")
    assert counts == {"skipped": 1}
    assert smtp_server.messages == []
    assert Delivery.objects.get().summary == "0 people"


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_the_mail_has_text_and_html_parts_one_click_links_and_rfc8058_headers(network, alice_paris, smtp_server):
    """GIVEN a daily digest WHEN the worker runs THEN the SMTP server gets one multipart mail with
    working links and the one-click unsubscribe headers."""
    set_digest(alice_paris, frequency="daily", hour=8)
    assert deliveries.run_due("w1") == {"sent": 1}
    [mail] = smtp_server.messages
    assert mail["To"] == "alice@example.org"
    assert mail["From"] == "Restons <restons@localhost>"
    assert mail["Subject"] == "Restons: 2 people to ping today"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = mail["List-Unsubscribe"].strip().strip("<>")  # folded: a long header goes on the next line
    assert unsubscribe.startswith("http://127.0.0.1:8000/digest/unsubscribe/")
    assert mail["Message-ID"] == f"<digest.{alice_paris.pk}.2026-06-15@localhost>"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    assert "Your day with Restons, Monday 15 June 2026" in text
    assert "* Camille Martin\n  - They reached out 45 days ago and are waiting for your reply" in text
    assert "Birthdays and milestones this week" in text and "Thursday 18 June: Noah Bennett, Birthday (36 years)" in text
    assert text.count("http://127.0.0.1:8000/digest/act/") == 4  # log and snooze, for each of the two
    assert unsubscribe in text and unsubscribe in html
    assert "<strong style=\"font-size:16px\">Camille Martin</strong>" in html
    assert html.count("/digest/act/") == 4
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.period, delivery.state, delivery.attempts) == ("digest", "2026-06-15", "sent", 1)


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_the_digest_is_in_the_users_language(network, alice_paris, smtp_server):
    save_settings(alice_paris, language="fr", time_zone="Europe/Paris")
    set_digest(alice_paris, frequency="daily", hour=8)
    deliveries.run_due("w1")
    [mail] = smtp_server.messages
    # A non-ASCII subject is encoded, and folded onto its own line: a leading space when read back.
    assert mail["Subject"].strip() == "Restons\u00a0: 2 personnes à qui faire signe aujourd’hui"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Votre journée avec Restons, lundi 15 juin 2026" in text
    assert "Anniversaires et jalons de la semaine" in text
    assert "Arrêter (un clic, sans connexion)" in text
    assert Delivery.objects.get().summary == "2 personnes, 1 jalon"


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_pledge_checkpoints_in_the_week(alice_paris):
    from restons.services.people import PersonInput, add_person
    from restons.services.planning import leave

    ana = add_person(alice_paris, PersonInput(name="Ana", orgs=["Acme"]))
    leave(alice_paris, "Acme", date(2026, 6, 5), [ana], None)
    content, message, _summary = digest.build(alice_paris)
    assert content["checkpoints"] == [
        {"kind": "first-pings", "id": content["checkpoints"][0]["id"], "org": "Acme", "on": date(2026, 6, 19),
         "pending": 1, "people": 1}]
    assert "Acme: 1 person still waits for a first ping by Friday 19 June" in message.body


@time_machine.travel(at("2026-06-15 12:00"), tick=False)
def test_a_weekly_digest_goes_out_on_its_day_and_hour_once_a_week(network, alice_paris, smtp_server):
    set_digest(alice_paris, frequency="weekly", weekday="wednesday", hour="07:00")
    assert deliveries.run_due("w1") == {}  # Monday: not yet
    with time_machine.travel(at("2026-06-17 06:59"), tick=False):
        assert deliveries.run_due("w1") == {}
    with time_machine.travel(at("2026-06-17 07:00"), tick=False):
        assert deliveries.run_due("w1") == {"sent": 1}
    with time_machine.travel(at("2026-06-19 07:00"), tick=False):
        assert deliveries.run_due("w1") == {}  # the week's digest went out already
    assert Delivery.objects.get().period == "2026-W25"
    assert smtp_server.messages[0]["Subject"] == "Restons: 2 people to ping this week"
    assert "Your week with Restons, from Wednesday 17 June 2026" in smtp_server.messages[0].get_body(("plain",)).get_content()


def test_set_digest_refuses_bad_values_and_keeps_the_old_ones(alice):
    from restons.services.errors import UserError

    set_digest(alice, frequency="daily", hour=9)
    for bad in ({"frequency": "hourly"}, {"hour": "25"}, {"hour": "08:30"}, {"weekday": "someday"}):
        with pytest.raises(UserError):
            set_digest(alice, **bad)
    row = Reminders.objects.get(owner=alice)
    assert (row.digest, row.hour, row.weekday) == ("daily", 9, 0)
