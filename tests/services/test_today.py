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

    log_ping(alice, ava, channel="email", about=issue)

    assert today_list(alice) == []


def test_content_hook_is_not_proposed_to_a_reader_who_replied_about_it(alice, person, ping):
    """GIVEN Ava and Léa (every two weeks) both wrote after Issue 42 came out, Ava about it
    WHEN  Today runs 11 days later
    THEN  both are owed a reply, but only Léa is proposed the issue: Ava has read it.
    """
    issue = add_content(alice, "Issue 42", date(2026, 6, 3), "newsletter", ["Strategy"])
    today_list(alice)  # today's checkups exist: the link must make Ava's stale
    ava = person("Ava Nguyen", interests=["strategy"], cadence_days=14)
    lea = person("Léa Dubois", interests=["strategy"], cadence_days=14)
    ping(ava, "2026-06-04 09:00", direction="in", note="thanks for the newsletter", about=issue)
    ping(lea, "2026-06-04 09:00", direction="in")

    kinds = {e["person"]["name"]: [r["kind"] for r in e["reasons"]] for e in today_list(alice)}

    assert kinds == {"Ava Nguyen": ["reply-owed"], "Léa Dubois": ["reply-owed", "content"]}


def test_limit_caps_the_list(alice, person, ping):
    for n in range(8):
        someone = person(f"Person {n}", cadence_days=30)
        ping(someone, f"2026-04-{n + 1:02d}")

    assert len(today_list(alice)) == 5
    assert len(today_list(alice, limit=3)) == 3
    assert len(today_list(alice, limit=100)) == 8


def test_the_draft_leads_with_the_game_not_with_a_while(alice, person, ping):
    """GIVEN Suzanne, overdue, who follows football, with two games this week and your newsletter
    WHEN  Today runs
    THEN  the games fold into one line, the card reads most specific first, and the draft is about the first game.
    """
    from restons.services.planning import add_event

    suzanne = person("Suzanne Olsen", cadence_days=30, interests=["football", "pr"])
    ping(suzanne, "2026-04-01", direction="in", note="Moving to Saint Paul")
    ping(suzanne, "2026-04-02")
    add_event(alice, "Vikings vs Packers", date(2026, 6, 21), ["football"])
    add_event(alice, "Gophers vs Iowa", date(2026, 6, 20), ["football"])
    add_content(alice, "Issue 31", date(2026, 6, 10), "newsletter", ["PR"])

    (entry,) = today_list(alice)

    assert entry["reasons"] == [
        {"kind": "event",
         "text": "Gophers vs Iowa on Saturday 20 June and Vikings vs Packers on Sunday 21 June; they follow football"},
        {"kind": "content", "text": "You published “Issue 31”; they follow pr"},
        {"kind": "overdue", "text": "44 days overdue; last in touch on 2 April 2026"},
    ]
    assert entry["draft"] == "Hi Suzanne, Gophers vs Iowa is on Saturday 20 June. Are you going? It made me think of you."
    assert entry["channel"] == "text"


def test_a_card_shows_at_most_three_reasons_the_score_counts_them_all(alice, person, ping):
    from restons.services.planning import add_event, add_milestone

    noah = person("Noah Bennett", cadence_days=30, interests=["football"])
    ping(noah, "2026-04-01", direction="in")
    ping(noah, "2026-04-02")
    add_event(alice, "Cup final", date(2026, 6, 20), ["football"])
    add_milestone(alice, "Birthday", date(1990, 6, 18), noah, True)
    leave(alice, "Acme", date(2026, 6, 10), [noah], None)
    alone = today_list(alice)[0]["score"]
    add_content(alice, "Issue 31", date(2026, 6, 10), "newsletter", ["football"])

    (entry,) = today_list(alice)

    assert [r["kind"] for r in entry["reasons"]] == ["milestone", "event", "content"]  # pledge and overdue cut
    assert entry["score"] > alone  # the content still counts
    assert entry["draft"].startswith("Hi Noah, your birthday is coming up on Thursday 18 June.")


def test_the_draft_quotes_the_note_of_their_last_message(alice, person, ping):
    """A reply owed thanks them for that message; someone overdue whose message ended the conversation hears of it."""
    ines = person("Inès Laurent")
    ping(ines, "2026-06-10 09:00", direction="in", note="Lunch next week?")
    bruno = person("Bruno Petit", cadence_days=30)
    ping(bruno, "2026-03-01")
    ping(bruno, "2026-04-01", direction="in", note="New job in Lyon!")
    chloe = person("Chloé Roux", cadence_days=30)
    ping(chloe, "2026-03-31", direction="in", note="old news")
    ping(chloe, "2026-04-01")

    drafts = {e["person"]["name"]: e["draft"] for e in today_list(alice)}

    assert drafts == {
        "Inès Laurent": "Hi Inès, thank you for your message “Lunch next week?”, and sorry for the slow reply! "
                        "How are you?",
        "Bruno Petit": "Hi Bruno, it has been a while! How are things since your message “New job in Lyon!”?",
        "Chloé Roux": "Hi Chloé, it has been a while! How are you doing?",  # you wrote last
    }
    # Planning ahead goes through the engine over everyone: the same drafts.
    ahead = {e["person"]["name"]: e["draft"] for e in today_list(alice, date(2026, 6, 16))}
    assert ahead["Bruno Petit"] == drafts["Bruno Petit"]
