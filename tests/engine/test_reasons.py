"""Each reason kind, with its trigger and its window."""

from __future__ import annotations

from datetime import date, datetime, timedelta


from restons.engine.reasons import (
    CONTENT_FRESH_DAYS,
    MILESTONE_AHEAD_DAYS,
    MY_MILESTONE_DAYS,
    REPLY_AFTER_DAYS,
    REPLY_FORGET_DAYS,
    MAX_SHOWN,
    SPECIFICITY,
    WEIGHTS,
    card,
    draft_hooks,
    reasons,
    weight,
)
from restons.engine.state import ContentInfo, EventInfo, MilestoneInfo, PledgeLink, Reason, World

TODAY = date(2026, 3, 16)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def kinds(person, world=None):
    return [r.kind for r in reasons(person, world or World(today=TODAY))]


def of_kind(person, world, kind):
    return [r for r in reasons(person, world) if r.kind == kind]


def test_constants():
    assert (REPLY_AFTER_DAYS, REPLY_FORGET_DAYS) == (3, 60)
    assert MILESTONE_AHEAD_DAYS == MY_MILESTONE_DAYS == 7
    assert CONTENT_FRESH_DAYS == 14


class TestDueAndOverdue:
    def test_due_then_overdue(self, person):
        p = person(cadence_days=30, history=[(at(date(2026, 2, 1)), "both")])  # due 3 March, grace 7
        assert kinds(p, World(date(2026, 3, 2))) == []
        due = of_kind(p, World(date(2026, 3, 3)), "due")
        assert due[0].data == {"next_due": date(2026, 3, 3), "last_touch": date(2026, 2, 1)}
        assert kinds(p, World(date(2026, 3, 10))) == ["due"]
        overdue = of_kind(p, World(date(2026, 3, 11)), "overdue")
        assert overdue[0].data == {"days": 8, "last_touch": date(2026, 2, 1)}

    def test_first_ping_due_has_no_last_touch(self, person):
        p = person(id=1, cadence_days=30, created_on=date(2026, 3, 14))  # staggered: due 16 March
        assert of_kind(p, World(TODAY), "due")[0].data["last_touch"] is None

    def test_untracked_and_dormant_are_neither_due_nor_overdue(self, person):
        assert kinds(person(history=[(at(date(2025, 1, 1)), "out")])) == []
        assert kinds(person(cadence_days=30, history=[(at(date(2025, 1, 1)), "out")])) == []


class TestReplyOwed:
    def test_bounds(self, person):
        for waited, owed in [(0, False), (2, False), (3, True), (30, True), (60, True), (61, False)]:
            p = person(history=[(at(date(2026, 1, 1)), "out"), (at(TODAY - timedelta(days=waited), 23), "in")])
            found = of_kind(p, World(TODAY), "reply-owed")
            assert bool(found) is owed, waited
            if owed:
                assert found[0].data == {"since": TODAY - timedelta(days=waited), "days": waited}

    def test_first_message_from_them_is_owed_a_reply(self, person):
        assert kinds(person(history=[(at(date(2026, 3, 10)), "in")])) == ["reply-owed"]

    def test_answered_or_met_is_not_owed(self, person):
        replied = person(history=[(at(date(2026, 3, 1), 9), "in"), (at(date(2026, 3, 1), 18), "out")])
        met = person(history=[(at(date(2026, 3, 1), 9), "in"), (at(date(2026, 3, 2)), "both")])
        assert "reply-owed" not in kinds(replied)
        assert "reply-owed" not in kinds(met)


class TestEvent:
    GAME = EventInfo("Rennes v Nantes", date(2026, 3, 21), frozenset({"football", "rennes"}))

    def test_in_lead_window_with_matching_interest(self, person):
        fan = person(interests=frozenset({"rennes", "jazz"}), created_on=date(2026, 1, 1))
        for day, expected in [
            (date(2026, 3, 13), False),  # 8 days before
            (date(2026, 3, 14), True),  # 7 days before
            (date(2026, 3, 21), True),  # the day itself
            (date(2026, 3, 22), False),  # past
        ]:
            found = of_kind(fan, World(day, events=(self.GAME,)), "event")
            assert bool(found) is expected, day
        found = of_kind(fan, World(TODAY, events=(self.GAME,)), "event")
        assert found[0].data == {"title": "Rennes v Nantes", "on": date(2026, 3, 21), "topic": "rennes", "in": 5}

    def test_first_shared_topic_in_alphabetical_order(self, person):
        fan = person(interests=frozenset({"rennes", "football"}), created_on=date(2026, 1, 1))
        assert of_kind(fan, World(TODAY, events=(self.GAME,)), "event")[0].data["topic"] == "football"

    def test_no_matching_interest(self, person):
        assert kinds(person(interests=frozenset({"jazz"})), World(TODAY, events=(self.GAME,))) == []
        assert kinds(person(), World(TODAY, events=(self.GAME,))) == []

    def test_custom_lead(self, person):
        conf = EventInfo("PRSA meetup", date(2026, 3, 30), frozenset({"prsa"}), lead_days=14)
        member = person(interests=frozenset({"prsa"}), created_on=date(2026, 1, 1))
        assert kinds(member, World(date(2026, 3, 16), events=(conf,))) == ["event"]
        assert kinds(member, World(date(2026, 3, 15), events=(conf,))) == []


class TestTheirMilestone:
    def test_within_seven_days(self, person):
        p = person(milestones=(MilestoneInfo("Birthday", date(1990, 3, 23), yearly=True),))
        assert of_kind(p, World(date(2026, 3, 16)), "milestone")[0].data == {
            "title": "Birthday", "on": date(2026, 3, 23), "mine": False, "in": 7,
        }
        assert kinds(p, World(date(2026, 3, 15))) == []
        assert kinds(p, World(date(2026, 3, 23))) == ["milestone"]
        assert kinds(p, World(date(2026, 3, 24))) == []

    def test_one_off(self, person):
        p = person(milestones=(MilestoneInfo("New job", date(2026, 3, 20)),))
        assert kinds(p, World(date(2026, 3, 13))) == ["milestone"]
        assert kinds(p, World(date(2026, 3, 21))) == []
        assert kinds(p, World(date(2027, 3, 18))) == []

    def test_yearly_across_year_end(self, person):
        p = person(milestones=(MilestoneInfo("Birthday", date(1985, 1, 3), yearly=True),))
        found = of_kind(p, World(date(2025, 12, 28)), "milestone")
        assert found[0].data["on"] == date(2026, 1, 3)
        assert kinds(p, World(date(2025, 12, 26))) == []

    def test_29_february_falls_on_28_february_in_common_years(self, person):
        p = person(milestones=(MilestoneInfo("Birthday", date(2000, 2, 29), yearly=True),))
        assert of_kind(p, World(date(2026, 2, 21)), "milestone")[0].data["on"] == date(2026, 2, 28)
        assert kinds(p, World(date(2026, 2, 20))) == []
        assert kinds(p, World(date(2026, 3, 1))) == []
        assert of_kind(p, World(date(2028, 2, 25)), "milestone")[0].data["on"] == date(2028, 2, 29)


class TestMyMilestone:
    TEN_YEARS = MilestoneInfo("Ten years of my business", date(2016, 3, 10), yearly=True)

    def world(self, day=TODAY):
        return World(day, my_milestones=(self.TEN_YEARS,))

    def test_only_for_mutual_people(self, person):
        mutual = person(history=[(at(date(2025, 12, 1)), "in"), (at(date(2025, 12, 2)), "out")])
        you_carry = person(history=[(at(date(2025, 12, 2)), "out")])
        they_carry = person(history=[(at(date(2025, 12, 2)), "in")])
        found = of_kind(mutual, self.world(), "milestone")
        assert found[0].data == {"title": "Ten years of my business", "on": date(2026, 3, 10), "mine": True}
        assert of_kind(you_carry, self.world(), "milestone") == []
        assert of_kind(they_carry, self.world(), "milestone") == []

    def test_within_seven_days_after(self, person):
        mutual = person(history=[(at(date(2026, 1, 15)), "both")])
        assert of_kind(mutual, self.world(date(2026, 3, 9)), "milestone") == []  # not yet
        assert of_kind(mutual, self.world(date(2026, 3, 10)), "milestone")
        assert of_kind(mutual, self.world(date(2026, 3, 17)), "milestone")
        assert of_kind(mutual, self.world(date(2026, 3, 18)), "milestone") == []

    def test_counts_half(self):
        assert weight(Reason("milestone", {"mine": True})) == 1.0
        assert weight(Reason("milestone", {"mine": False})) == 2.0


class TestPledge:
    PLEDGE = PledgeLink("Acme", date(2026, 3, 1), 90)

    def test_until_first_outbound_ping_after_the_pledge(self, person):
        before = person(pledges=(self.PLEDGE,), history=[(at(date(2026, 2, 20)), "out")])
        found = of_kind(before, World(TODAY), "pledge")
        assert found[0].data == {"org": "Acme", "on": date(2026, 3, 1), "by": date(2026, 3, 15), "in": -1}
        pinged = person(pledges=(self.PLEDGE,), history=[(at(date(2026, 3, 1), 8), "out")])
        assert of_kind(pinged, World(TODAY), "pledge") == []
        met = person(pledges=(self.PLEDGE,), history=[(at(date(2026, 3, 5)), "both")])
        assert of_kind(met, World(TODAY), "pledge") == []

    def test_inbound_does_not_fulfil_the_first_ping(self, person):
        p = person(pledges=(self.PLEDGE,), history=[(at(date(2026, 3, 10)), "in")])
        assert of_kind(p, World(TODAY), "pledge")

    def test_not_before_the_pledge_nor_after_it_ended(self, person):
        future = PledgeLink("Acme", date(2026, 4, 1), 90)
        ended = PledgeLink("Acme", date(2026, 3, 1), 90, ended_on=date(2026, 3, 15))
        assert of_kind(person(pledges=(future,)), World(TODAY), "pledge") == []
        assert of_kind(person(pledges=(ended,)), World(TODAY), "pledge") == []
        assert of_kind(person(pledges=(ended,)), World(date(2026, 3, 15)), "pledge")

    def test_custom_first_window(self, person):
        p = person(pledges=(PledgeLink("Acme", date(2026, 3, 1), 90, first_window_days=30),))
        assert of_kind(p, World(TODAY), "pledge")[0].data["by"] == date(2026, 3, 31)


class TestContent:
    ISSUE = ContentInfo(42, "Issue 12: the PR measurement guide", date(2026, 3, 2), "newsletter", frozenset({"pr"}))

    def test_within_fourteen_days_with_matching_interest(self, person):
        reader = person(interests=frozenset({"pr"}), created_on=date(2026, 1, 1))
        for day, expected in [
            (date(2026, 3, 1), False), (date(2026, 3, 2), True), (date(2026, 3, 16), True), (date(2026, 3, 17), False),
        ]:
            assert bool(of_kind(reader, World(day, content=(self.ISSUE,)), "content")) is expected, day
        assert of_kind(reader, World(TODAY, content=(self.ISSUE,)), "content")[0].data == {
            "title": "Issue 12: the PR measurement guide", "on": self.ISSUE.on, "kind": "newsletter", "topic": "pr", "id": 42,
        }

    def test_not_when_already_sent_or_no_interest(self, person):
        sent = person(interests=frozenset({"pr"}), content_sent=frozenset({42}))
        assert of_kind(sent, World(TODAY, content=(self.ISSUE,)), "content") == []
        assert of_kind(person(interests=frozenset({"jazz"})), World(TODAY, content=(self.ISSUE,)), "content") == []


class TestReconnect:
    def test_only_when_dormant_and_ever_mutual(self, person):
        old = at(date(2025, 1, 1))
        mutual = person(cadence_days=30, history=[(old - timedelta(days=3), "in"), (old, "out")])
        one_way = person(cadence_days=30, history=[(old - timedelta(days=3), "out"), (old, "out")])
        assert kinds(mutual, World(date(2026, 1, 1))) == ["overdue"]  # 365 days: not dormant yet
        found = of_kind(mutual, World(date(2026, 1, 2)), "reconnect")
        assert found[0].data == {"last_touch": date(2025, 1, 1)}
        assert kinds(mutual, World(date(2026, 1, 2))) == ["reconnect"]
        assert kinds(one_way, World(date(2026, 1, 2))) == []

    def test_a_meeting_is_mutual(self, person):
        p = person(cadence_days=30, history=[(at(date(2024, 6, 1)), "both")])
        assert kinds(p, World(TODAY)) == ["reconnect"]


def test_most_specific_first(person):
    """The order of a card and of a draft: their words, their day, what they follow, what you share, time."""
    p = person(
        cadence_days=30,
        interests=frozenset({"jazz"}),
        pledges=(PledgeLink("Acme", date(2026, 3, 1), 90),),
        history=[(at(date(2026, 1, 20)), "in")],
        milestones=(MilestoneInfo("Birthday", date(1990, 3, 18), yearly=True),),
    )
    world = World(
        TODAY,
        events=(EventInfo("Jazz night", date(2026, 3, 20), frozenset({"jazz"})),),
        content=(ContentInfo(1, "Jazz and PR", date(2026, 3, 10), "post", frozenset({"jazz"})),),
    )
    found = reasons(p, world)
    assert [r.kind for r in found] == ["reply-owed", "milestone", "event", "content", "pledge", "overdue"]
    # The weights, not the order, make the score.
    assert sorted(weight(r) for r in found) == [1.0, 1.5, 2.0, 2.0, 3.0, 3.0]
    assert set(WEIGHTS) == {"overdue", "due", "reply-owed", "event", "milestone", "pledge", "content", "reconnect"}
    assert SPECIFICITY == ("reply-owed", "milestone", "event", "content", "pledge", "my-milestone", "reconnect",
                           "overdue", "due")


def test_your_news_comes_after_the_pledge_and_before_time_alone(person):
    mine = MilestoneInfo("Ten years of my business", date(2016, 3, 12), yearly=True)
    p = person(cadence_days=30, history=[(at(date(2026, 1, 1)), "in"), (at(date(2026, 1, 2)), "out")],
               pledges=(PledgeLink("Acme", date(2026, 3, 1), 90),))
    found = reasons(p, World(TODAY, my_milestones=(mine,)))
    assert [(r.kind, r.data.get("mine")) for r in found] == [("pledge", None), ("milestone", True), ("overdue", None)]


class TestCard:
    """At most three lines on a card; several events (or pieces of content) fold into one."""

    GAMES = (
        EventInfo("Vikings vs Packers", date(2026, 3, 22), frozenset({"football"})),
        EventInfo("Gophers vs Iowa", date(2026, 3, 21), frozenset({"football"})),
        EventInfo("Jazz night", date(2026, 3, 20), frozenset({"jazz"})),
    )

    def test_events_fold_into_one_reason_soonest_first(self, person):
        fan = person(cadence_days=30, interests=frozenset({"football", "jazz"}),
                     history=[(at(date(2026, 1, 1)), "in"), (at(date(2026, 1, 2)), "out")])
        found = reasons(fan, World(TODAY, events=self.GAMES))
        assert [r.kind for r in found] == ["event", "event", "event", "overdue"]
        (event, overdue) = card(found)
        assert event.data["title"] == "Jazz night"  # the soonest leads
        assert [(e["title"], e["topic"]) for e in event.data["items"]] == [
            ("Jazz night", "jazz"), ("Gophers vs Iowa", "football"), ("Vikings vs Packers", "football"),
        ]
        assert overdue.kind == "overdue"

    def test_content_folds_latest_first(self, person):
        reader = person(interests=frozenset({"pr"}), created_on=date(2026, 3, 1))
        issues = (ContentInfo(1, "Issue 11", date(2026, 3, 2), "newsletter", frozenset({"pr"})),
                  ContentInfo(2, "Issue 12", date(2026, 3, 9), "newsletter", frozenset({"pr"})))
        (content,) = card(reasons(reader, World(TODAY, content=issues)))
        assert content.data["title"] == "Issue 12"
        assert [c["title"] for c in content.data["items"]] == ["Issue 12", "Issue 11"]

    def test_one_event_is_not_folded(self, person):
        fan = person(interests=frozenset({"jazz"}), created_on=date(2026, 3, 1))
        (event,) = card(reasons(fan, World(TODAY, events=self.GAMES)))
        assert event.data == {"title": "Jazz night", "on": date(2026, 3, 20), "topic": "jazz", "in": 4,
                              "items": ({"title": "Jazz night", "on": date(2026, 3, 20), "topic": "jazz", "in": 4},)}

    def test_at_most_three_reasons_the_least_specific_are_cut(self, person):
        p = person(
            cadence_days=30, interests=frozenset({"football"}),
            history=[(at(date(2026, 1, 1)), "in"), (at(date(2026, 1, 2)), "out")],
            pledges=(PledgeLink("Acme", date(2026, 3, 1), 90),),
            milestones=(MilestoneInfo("Birthday", date(1990, 3, 18), yearly=True),),
        )
        found = reasons(p, World(TODAY, events=self.GAMES))
        assert [r.kind for r in found] == ["milestone", "event", "event", "pledge", "overdue"]
        assert MAX_SHOWN == 3
        assert [r.kind for r in card(found)] == ["milestone", "event", "pledge"]


class TestDraftHooks:
    def test_a_reply_owed_opens_and_the_next_hook_is_the_body(self, person):
        p = person(cadence_days=30, interests=frozenset({"jazz"}), history=[(at(date(2026, 1, 20)), "in")])
        reply, hook = draft_hooks(reasons(p, World(TODAY, events=TestCard.GAMES)))
        assert (reply.kind, hook.kind, hook.data["title"]) == ("reply-owed", "event", "Jazz night")

    def test_the_cadence_is_no_hook(self, person):
        p = person(cadence_days=30, history=[(at(date(2026, 1, 1)), "out")])
        assert [r.kind for r in reasons(p, World(TODAY))] == ["overdue"]
        assert draft_hooks(reasons(p, World(TODAY))) == (None, None)


class TestTheirNote:
    """The note of their last message travels with the reasons a draft may quote it in."""

    def test_a_reply_owed_carries_it(self, person):
        p = person(history=[(at(date(2026, 3, 10)), "in")], last_in_note="Lunch next week?")
        (reply,) = reasons(p, World(TODAY))
        assert reply.data == {"since": date(2026, 3, 10), "days": 6, "note": "Lunch next week?"}

    def test_overdue_carries_it_only_when_their_message_was_the_last_touch(self, person):
        theirs = person(cadence_days=30, history=[(at(date(2026, 1, 2)), "out"), (at(date(2026, 1, 1)), "in")],
                        last_in_note="Moving to Lyon")
        ended_with_them = person(cadence_days=30, history=[(at(date(2025, 12, 20)), "out"), (at(date(2026, 1, 1)), "in")],
                                 last_in_note="Moving to Lyon")
        assert "note" not in reasons(theirs, World(TODAY))[0].data
        assert reasons(ended_with_them, World(TODAY))[0].data["note"] == "Moving to Lyon"


def test_untracked_people_are_not_proposed_for_reconnecting(person):
    """Old two-way correspondents without a cadence stay out of Today: reconnect is for dormant (tracked) people."""
    old = at(date(2024, 1, 1))
    untracked = person(history=[(old - timedelta(days=3), "in"), (old, "out")])
    assert kinds(untracked, World(TODAY)) == []


def test_a_hook_comes_before_the_cadence_reason_of_equal_weight(person):
    """Overdue and a birthday weigh the same; the birthday leads, so the draft speaks of it."""
    p = person(
        cadence_days=30,
        history=[(at(date(2026, 1, 1)), "both")],
        milestones=(MilestoneInfo("Birthday", date(1990, 3, 18), yearly=True),),
    )
    assert kinds(p, World(TODAY)) == ["milestone", "overdue"]


def test_a_dead_one_way_relationship_gets_no_soft_hook(person):
    """Someone who never answered, silent for years, is not pinged because of a game; a mutual friend is."""
    game = EventInfo("Rennes v Nantes", date(2026, 3, 21), frozenset({"football"}))
    world = World(TODAY, events=(game,))
    one_way = person(cadence_days=30, interests=frozenset({"football"}), history=[(at(date(2024, 1, 1)), "out")])
    old_friend = person(cadence_days=30, interests=frozenset({"football"}),
                        history=[(at(date(2024, 1, 1)), "in"), (at(date(2024, 1, 2)), "out")])
    added_long_ago = person(interests=frozenset({"football"}), created_on=date(2024, 1, 1))
    assert kinds(one_way, world) == []
    assert kinds(old_friend, world) == ["event", "reconnect"]
    assert kinds(added_long_ago, world) == []
