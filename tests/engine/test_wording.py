"""Reason texts and drafts, in English and French."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

import restons
from restons.engine.state import Reason
from restons.engine.wording import NOTE_MAX, clip, draft, first_name, reason_text

FRENCH_CATALOGUE = Path(restons.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
needs_french = pytest.mark.skipif(not FRENCH_CATALOGUE.exists(), reason="French catalogue not compiled yet")


@pytest.fixture(autouse=True)
def frozen():
    # The wording must not depend on the clock; freeze it anyway so a
    # regression that reads "now" shows up as a wrong date, not a flaky test.
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False):
        yield


def english(fn, *args):
    with translation.override("en"):
        return fn(*args)


def french(fn, *args):
    with translation.override("fr"):
        return fn(*args)


OVERDUE = Reason("overdue", {"days": 12, "last_touch": date(2026, 2, 2)})
DUE = Reason("due", {"next_due": date(2026, 3, 16), "last_touch": date(2026, 2, 14)})
FIRST = Reason("due", {"next_due": date(2026, 3, 16), "last_touch": None})
REPLY = Reason("reply-owed", {"since": date(2026, 3, 10), "days": 6})
EVENT = Reason("event", {"title": "Nantes jazz night", "on": date(2026, 3, 20), "topic": "jazz"})
THEIRS = Reason("milestone", {"title": "Birthday", "on": date(2026, 3, 23), "mine": False})
NEW_JOB = Reason("milestone", {"title": "New job at Acme", "on": date(2026, 3, 23), "mine": False})
MINE = Reason("milestone", {"title": "Ten years of my business", "on": date(2026, 3, 10), "mine": True})
PLEDGE = Reason("pledge", {"org": "Acme", "on": date(2026, 3, 1), "by": date(2026, 3, 15)})
CONTENT = Reason("content", {"title": "Issue 12", "on": date(2026, 3, 12), "kind": "newsletter", "topic": "pr", "id": 42})
GAMES = Reason("event", {"title": "Gophers vs Iowa", "on": date(2026, 3, 21), "topic": "football", "items": (
    {"title": "Gophers vs Iowa", "on": date(2026, 3, 21), "topic": "football"},
    {"title": "Vikings vs Packers", "on": date(2026, 3, 22), "topic": "football"},
    {"title": "Jazz night", "on": date(2026, 3, 23), "topic": "jazz"},
)})
ISSUES = Reason("content", {"title": "Issue 12", "on": date(2026, 3, 12), "kind": "newsletter", "topic": "pr", "id": 42,
                            "items": ({"title": "Issue 12", "topic": "pr"}, {"title": "Issue 11", "topic": "design"})})
REPLY_NOTE = Reason("reply-owed", {"since": date(2026, 3, 10), "days": 6, "note": "Lunch next week?"})
OVERDUE_NOTE = Reason("overdue", {"days": 12, "last_touch": date(2026, 2, 2), "note": "Moving to Lyon in April"})
RECONNECT = Reason("reconnect", {"last_touch": date(2024, 6, 1)})


def test_first_name():
    assert first_name("Camille Martin") == "Camille"
    assert first_name("  Jean-Pierre   Dupont ") == "Jean-Pierre"
    assert first_name("Prince") == "Prince"
    assert first_name("") == ""


class TestEnglish:
    @pytest.mark.parametrize(
        "reason, text",
        [
            (OVERDUE, "12 days overdue; last in touch on 2 February 2026"),
            (DUE, "Due: last in touch on 14 February 2026"),
            (FIRST, "Time for a first ping"),
            (REPLY, "They reached out 6 days ago and are waiting for your reply"),
            (Reason("reply-owed", {"since": None, "days": 1}), "They reached out 1 day ago and are waiting for your reply"),
            (EVENT, "Nantes jazz night is on Friday 20 March; they follow jazz"),
            (THEIRS, "Birthday on Monday 23 March"),
            (MINE, "Your news: Ten years of my business (Tuesday 10 March); they might like to hear it"),
            (PLEDGE, "You promised to stay in touch when you left Acme; first ping by 15 March 2026"),
            (CONTENT, "You published “Issue 12”; they follow pr"),
            (RECONNECT, "You used to be in touch both ways; last time on 1 June 2024"),
            (GAMES, "Gophers vs Iowa on Saturday 21 March, Vikings vs Packers on Sunday 22 March and Jazz night "
                    "on Monday 23 March; they follow football and jazz"),
            (ISSUES, "You published “Issue 12” and “Issue 11”; they follow design and pr"),
        ],
    )
    def test_reason_texts(self, reason, text):
        assert english(reason_text, reason) == text

    @pytest.mark.parametrize(
        "top, text",
        [
            (OVERDUE, "Hi Camille, it has been a while! How are you doing?"),
            (DUE, "Hi Camille, it has been a while! How are you doing?"),
            (REPLY, "Hi Camille, thank you for your message, and sorry for the slow reply! How are you?"),
            (EVENT, "Hi Camille, Nantes jazz night is on Friday 20 March. Are you going? It made me think of you."),
            (THEIRS, "Hi Camille, your birthday is coming up on Monday 23 March. Happy birthday in advance!"),
            (NEW_JOB, "Hi Camille, New job at Acme is coming up on Monday 23 March. Thinking of you!"),
            (MINE, "Hi Camille, some news from me: Ten years of my business. How are things with you?"),
            (PLEDGE, "Hi Camille, as promised when I left Acme: let's stay in touch! How are things going?"),
            (CONTENT, "Hi Camille, I just published “Issue 12” and thought of you, as you follow pr."),
            (RECONNECT, "Hi Camille, it has been far too long! I would love to catch up. How are you?"),
        ],
    )
    def test_drafts_use_the_first_name_and_the_top_reason(self, top, text):
        assert english(draft, "Camille Martin", [top, OVERDUE]) == text

    def test_a_reply_owed_opens_and_the_most_specific_hook_follows(self):
        assert english(draft, "Camille Martin", [REPLY, EVENT, OVERDUE]) == (
            "Hi Camille, thank you for your message, and sorry for the slow reply! "
            "Nantes jazz night is on Friday 20 March. Are you going? It made me think of you."
        )
        assert english(draft, "Camille Martin", [PLEDGE, REPLY]) == (
            "Hi Camille, thank you for your message, and sorry for the slow reply! "
            "As promised when I left Acme: let's stay in touch! How are things going?"
        )

    def test_the_most_specific_hook_leads_whatever_the_order_given(self):
        """Overdue and Saturday's game: the game, not "it has been a while"."""
        assert english(draft, "Suzanne Olsen", [OVERDUE, PLEDGE, CONTENT, GAMES]) == (
            "Hi Suzanne, Gophers vs Iowa is on Saturday 21 March. Are you going? It made me think of you."
        )
        assert english(draft, "Camille Martin", [MINE, PLEDGE]).startswith("Hi Camille, as promised")
        assert english(draft, "Camille Martin", [CONTENT, THEIRS]).startswith("Hi Camille, your birthday is coming up")

    def test_the_note_of_their_last_message(self):
        assert english(draft, "Camille Martin", [REPLY_NOTE, OVERDUE]) == (
            "Hi Camille, thank you for your message “Lunch next week?”, and sorry for the slow reply! How are you?"
        )
        assert english(draft, "Camille Martin", [OVERDUE_NOTE]) == (
            "Hi Camille, it has been a while! How are things since your message “Moving to Lyon in April”?"
        )
        # A hook says more than their old note.
        assert english(draft, "Camille Martin", [OVERDUE_NOTE, EVENT]).startswith("Hi Camille, Nantes jazz night")

    def test_a_long_note_is_cut_at_a_word(self):
        note = "Re: the photos from the Lyon trip, and a question about the designer you mentioned in June"
        assert clip(note) == "Re: the photos from the Lyon trip, and a question about the…"
        assert len(clip(note)) <= NOTE_MAX
        assert clip("  two\nlines  ") == "two lines"
        assert clip("x" * 80) == "x" * (NOTE_MAX - 1) + "…"

    def test_draft_without_reasons(self):
        assert english(draft, "Camille Martin", []) == "Hi Camille, it has been a while! How are you doing?"

    def test_unknown_kind(self):
        with pytest.raises(ValueError):
            english(reason_text, Reason("gossip", {}))


def on(reason: Reason, days: int) -> Reason:
    """``reason`` as the engine gives it ``days`` before its day (``in``: 0 on the day itself)."""
    return Reason(reason.kind, {**reason.data, "in": days})


class TestTodayAndTomorrow:
    """On its day a birthday is not "coming up", and "happy birthday in advance" would be wrong."""

    @pytest.mark.parametrize("reason, days, text", [
        (EVENT, 0, "Nantes jazz night is today; they follow jazz"),
        (EVENT, 1, "Nantes jazz night is tomorrow; they follow jazz"),
        (EVENT, 4, "Nantes jazz night is on Friday 20 March; they follow jazz"),
        (THEIRS, 0, "Birthday today"),
        (THEIRS, 1, "Birthday tomorrow"),
        (THEIRS, 2, "Birthday on Monday 23 March"),
        (PLEDGE, 14, "You promised to stay in touch when you left Acme; first ping by 15 March 2026"),
        (PLEDGE, 1, "You promised to stay in touch when you left Acme; first ping by tomorrow"),
        (PLEDGE, 0, "You promised to stay in touch when you left Acme; first ping by today"),
        # Past its window, the pledge still stands until its first ping: the date is no longer one to ping "by".
        (PLEDGE, -106, "You promised to stay in touch when you left Acme; the first ping was due on 15 March 2026"),
    ])
    def test_reason_texts(self, reason, days, text):
        assert english(reason_text, on(reason, days)) == text

    @pytest.mark.parametrize("reason, days, text", [
        (THEIRS, 0, "Hi Camille, happy birthday! I hope you have a lovely day."),
        (THEIRS, 1, "Hi Camille, your birthday is tomorrow. Happy birthday in advance!"),
        (NEW_JOB, 0, "Hi Camille, New job at Acme is today. Thinking of you!"),
        (EVENT, 0, "Hi Camille, Nantes jazz night is today. Are you going? It made me think of you."),
        (EVENT, 1, "Hi Camille, Nantes jazz night is tomorrow. Are you going? It made me think of you."),
    ])
    def test_drafts(self, reason, days, text):
        assert english(draft, "Camille Martin", [on(reason, days), OVERDUE]) == text

    def test_a_series_of_events_says_which_is_today(self):
        first, *others = GAMES.data["items"]
        games = Reason("event", {**GAMES.data, "items": ({**first, "in": 0}, *others)})
        assert english(reason_text, games).startswith("Gophers vs Iowa today, Vikings vs Packers on Sunday 22 March")

    @needs_french
    def test_in_french(self):
        assert french(draft, "Camille Martin", [on(THEIRS, 0)]) == (
            "Bonjour Camille, joyeux anniversaire\u00a0! Je te souhaite une très belle journée.")
        assert french(reason_text, on(EVENT, 1)).startswith("Nantes jazz night a lieu demain\u00a0;")
        assert french(reason_text, on(PLEDGE, -3)) == (
            "Vous avez promis de rester en contact en quittant Acme\u00a0; le premier signe était attendu le 15 mars 2026")


@needs_french
class TestFrench:
    def test_generic_draft(self):
        # French typography: a no-break space before ! and ?
        assert french(draft, "Camille Martin", [OVERDUE]) == "Bonjour Camille, ça fait un moment\u00a0! Comment vas-tu\u00a0?"
        assert french(draft, "Camille Martin", []) == "Bonjour Camille, ça fait un moment\u00a0! Comment vas-tu\u00a0?"

    def test_reply_draft(self):
        assert french(draft, "Camille Martin", (REPLY, OVERDUE)) == (
            "Bonjour Camille, merci pour ton message, et pardon pour ce retard\u00a0! Comment vas-tu\u00a0?"
        )

    def test_a_reply_with_their_note_then_the_game_in_tu(self):
        assert french(draft, "Camille Martin", (OVERDUE, EVENT, REPLY_NOTE)) == (
            "Bonjour Camille, merci pour ton message «\u00a0Lunch next week?\u00a0», et pardon pour ce retard\u00a0! "
            "«\u00a0Nantes jazz night\u00a0» a lieu le vendredi 20 mars. Tu y vas\u00a0? Ça m’a fait penser à toi."
        )
        assert french(draft, "Camille Martin", [OVERDUE_NOTE]) == (
            "Bonjour Camille, ça fait un moment\u00a0! Comment ça va depuis ton message «\u00a0Moving to Lyon in "
            "April\u00a0»\u00a0?"
        )
        assert french(draft, "Camille Martin", [PLEDGE, REPLY]).endswith(
            "pardon pour ce retard\u00a0! Comme promis en quittant Acme\u00a0: restons en contact\u00a0! "
            "Comment ça se passe\u00a0?"
        )

    def test_folded_reasons(self):
        assert french(reason_text, GAMES) == (
            "Gophers vs Iowa le samedi 21 mars, Vikings vs Packers le dimanche 22 mars et Jazz night le lundi 23 mars"
            "\u00a0; sujets suivis par ce contact\u00a0: football et jazz"
        )
        assert french(reason_text, ISSUES) == (
            "Vous avez publié «\u00a0Issue 12\u00a0» et «\u00a0Issue 11\u00a0»\u00a0; sujets suivis par ce contact\u00a0: design et pr"
        )

    def test_first_ping(self):
        assert french(reason_text, FIRST) == "C’est le moment d’un premier signe"

    def test_reply_owed_plural_and_singular(self):
        assert french(reason_text, REPLY) == "Ce contact vous a écrit il y a 6 jours et attend votre réponse"
        assert french(reason_text, Reason("reply-owed", {"since": None, "days": 1})) == (
            "Ce contact vous a écrit il y a 1 jour et attend votre réponse"
        )

    @pytest.mark.parametrize(
        "reason, text",
        [
            (OVERDUE, "12 jours de retard\u00a0; dernier contact le 2 février 2026"),
            (EVENT, "Nantes jazz night a lieu le vendredi 20 mars\u00a0; sujet suivi par ce contact\u00a0: jazz"),
            (THEIRS, "Birthday le lundi 23 mars"),
            (CONTENT, "Vous avez publié «\u00a0Issue 12\u00a0»\u00a0; sujet suivi par ce contact\u00a0: pr"),
            (PLEDGE, "Vous avez promis de rester en contact en quittant Acme\u00a0; premier signe avant le 15 mars 2026"),
        ],
    )
    def test_reasons_write_dates_in_full_and_need_no_article_before_a_topic(self, reason, text):
        assert french(reason_text, reason) == text

    def test_drafts_quote_titles_typed_by_the_user(self):
        assert french(draft, "Camille Martin", [EVENT]) == (
            "Bonjour Camille, «\u00a0Nantes jazz night\u00a0» a lieu le vendredi 20 mars. Tu y vas\u00a0? "
            "Ça m’a fait penser à toi."
        )
        assert french(draft, "Camille Martin", [CONTENT]) == (
            "Bonjour Camille, je viens de publier «\u00a0Issue 12\u00a0» et j’ai pensé à toi\u00a0: ça parle de pr."
        )

    def test_language_is_switched_back(self):
        french(reason_text, FIRST)
        assert english(reason_text, FIRST) == "Time for a first ping"


def test_overdue_without_any_contact_says_never_in_touch():
    with translation.override("en"):
        assert reason_text(Reason("overdue", {"days": 12, "last_touch": None})) == "12 days overdue; never in touch yet"
