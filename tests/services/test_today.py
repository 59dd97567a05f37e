"""``today_list``: who appears, who never does, and imported people spread over their first cadence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from restons.services.interactions import log_ping
from restons.services.people import PersonInput, edit_person, snooze
from restons.services.planning import add_content, leave
from restons.services.today import today_list

pytestmark = pytest.mark.usefixtures("frozen")

TODAY = date(2026, 6, 15)


def names(entries):
    return [entry["person"]["name"] for entry in entries]


@pytest.fixture
def overdue(person, ping):
    """Bruno, 45 days overdue on 15 June."""
    bruno = person("Bruno Petit", cadence_days=30)
    ping(bruno, "2026-04-01")
    return bruno


def test_snoozed_people_do_not_appear_until_the_day_after(alice, overdue):
    snooze(alice, overdue, date(2026, 6, 20))

    assert today_list(alice) == []
    assert today_list(alice, date(2026, 6, 20)) == []
    assert names(today_list(alice, date(2026, 6, 21))) == ["Bruno Petit"]


def test_a_snoozed_person_with_a_reply_owed_stays_hidden(alice, person, ping):
    ines = person("Inès Laurent")
    ping(ines, "2026-06-10", direction="in")
    snooze(alice, ines, date(2026, 6, 16))

    assert today_list(alice) == []


def test_archived_people_never_appear_whatever_their_hooks(alice, overdue, ping):
    ping(overdue, "2026-06-10", direction="in")
    leave(alice, "Acme", date(2026, 6, 12), [overdue], None)
    edit_person(alice, overdue, PersonInput(archived=True))

    for day in (TODAY, TODAY + timedelta(days=30), TODAY + timedelta(days=400)):
        assert today_list(alice, day, limit=100) == []


def test_reply_owed_after_three_days_until_you_answer(alice, person, ping):
    """GIVEN Inès wrote on 10 June
    WHEN  Today runs on 12, 13 June, then after you answer
    THEN  the reply is owed from the third day, and answering clears it.
    """
    ines = person("Inès Laurent")
    ping(ines, "2026-06-10 09:00", direction="in")

    assert today_list(alice, date(2026, 6, 12)) == []
    (entry,) = today_list(alice, date(2026, 6, 13))
    assert entry["reasons"] == [
        {"kind": "reply-owed", "text": "They reached out 3 days ago and are waiting for your reply"}
    ]
    assert entry["channel"] == "email"

    log_ping(alice, ines, direction="out", channel="email")

    assert today_list(alice, date(2026, 6, 20)) == []


def test_pledge_reason_until_the_first_ping_after_the_pledge(alice, person, ping):
    """GIVEN Noah, pinged before you left Acme, and Léa, who wrote to you after
    WHEN  you pledge to stay in touch with both on 10 June
    THEN  both carry the pledge reason until you ping them; their own message does not count.
    """
    noah, lea = person("Noah Bennett"), person("Léa Dubois")
    ping(noah, "2026-06-01")
    leave(alice, "Acme", date(2026, 6, 10), [noah, lea], None)
    ping(lea, "2026-06-14", direction="in")

    entries = {e["person"]["name"]: e for e in today_list(alice)}
    assert sorted(entries) == ["Léa Dubois", "Noah Bennett"]
    for entry in entries.values():
        assert {"kind": "pledge", "text": "You promised to stay in touch when you left Acme; first ping by 24 June 2026"} \
            in entry["reasons"]

    ping(noah, "2026-06-15 09:00")
    ping(lea, "2026-06-15 09:00")

    assert today_list(alice) == []


def test_content_hook_is_not_proposed_again_once_sent(alice, person):
    ava = person("Ava Nguyen", interests=["strategy"])
    issue = add_content(alice, "Issue 42", date(2026, 6, 12), "newsletter", ["Strategy"])
    assert [r["kind"] for r in today_list(alice)[0]["reasons"]] == ["content"]

    log_ping(alice, ava, channel="email", content=issue)

    assert today_list(alice) == []


def test_limit_caps_the_list(alice, person, ping):
    for n in range(8):
        someone = person(f"Person {n}", cadence_days=30)
        ping(someone, f"2026-04-{n + 1:02d}")

    assert len(today_list(alice)) == 5
    assert len(today_list(alice, limit=3)) == 3
    assert len(today_list(alice, limit=100)) == 8
