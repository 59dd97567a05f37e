"""Conversations: grouping by 12-hour gaps, in any order, and across re-imports of overlapping exports."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from restons.capture.conversations import Stored, reconcile
from restons.capture.me import KnownPeople, Me
from restons.capture.records import Address, Message
from restons.capture.rules import Capture, conversation_spans

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
ME = Address("email", "alex@example.org")
JANE = Address("email", "jane@example.com", "Jane Doe")


def msg(hours: float, outgoing: bool, n: int | None = None) -> Message:
    n = n if n is not None else int(hours * 100)
    sender, to = (ME, JANE) if outgoing else (JANE, ME)
    return Message(where=f"m{n}", source_key=f"k{n}", at=T0 + timedelta(hours=hours), channel="email",
                   sender=sender, recipients=(to,), summary=f"s{n}")


def run(messages):
    capture = Capture(Me([("email", "alex@example.org")]), KnownPeople({("email", "jane@example.com"): 7}))
    return capture.add_all(messages)


def shape(result):
    return [(p.direction, (p.at - T0) / timedelta(hours=1), (p.until - T0) / timedelta(hours=1), p.summary)
            for p in result.pings]


# Jane writes at 0, 5, 16 and 27 h (each under 12 h after the previous: one conversation), then at 40 h
# (13 h later: a new one). Alex answers at 6 and 7 h (one), and at 41 h. Exactly 12 h apart is not "less than".
CONVERSATION = [msg(0, False), msg(5, False), msg(16, False), msg(27, False), msg(40, False),
                msg(6, True), msg(7, True), msg(41, True), msg(53, True)]


def test_messages_group_per_direction_timed_at_the_first():
    assert shape(run(CONVERSATION)) == [
        ("in", 0, 27, "s0"),
        ("out", 6, 7, "s600"),
        ("in", 40, 40, "s4000"),
        ("out", 41, 41, "s4100"),
        ("out", 53, 53, "s5300"),
    ]


def test_file_order_does_not_matter():
    expected = shape(run(CONVERSATION))
    rng = random.Random(7)
    for _ in range(50):
        shuffled = CONVERSATION[:]
        rng.shuffle(shuffled)
        assert shape(run(shuffled)) == expected


def test_keys_are_stable_and_name_the_first_message():
    keys = [p.key for p in run(CONVERSATION).pings]
    assert keys == ["k0#in:jane@example.com", "k600#out:jane@example.com", "k4000#in:jane@example.com",
                    "k4100#out:jane@example.com", "k5300#out:jane@example.com"]
    assert [p.key for p in run(list(reversed(CONVERSATION))).pings] == keys


def stored(result, start_id=100):
    """What the database would hold after saving ``result`` (ids from ``start_id``)."""
    return [Stored(ref=start_id + i, who=("person", p.person), channel=p.channel, direction=p.direction, at=p.at,
                   until=p.until, key=p.key, summary=p.summary) for i, p in enumerate(result.pings)]


def new_spans(result):
    return conversation_spans(result.pings)


def test_reimporting_the_same_file_changes_nothing():
    first = run(CONVERSATION)
    plan = reconcile(new_spans(run(CONVERSATION)), stored(first))
    assert (plan.create, plan.update, plan.delete) == ([], [], [])


def test_an_overlapping_later_export_extends_and_adds_without_duplicates():
    """GIVEN an export up to hour 20 imported and stored
    WHEN a later export from hour 5 to hour 41 is imported (it starts mid-way through a conversation)
    THEN the stored conversation grows to hour 27 under its key, the new ones are created, nothing twice."""
    early = [m for m in CONVERSATION if m.at <= T0 + timedelta(hours=20)]
    later = [m for m in CONVERSATION if T0 + timedelta(hours=5) <= m.at <= T0 + timedelta(hours=41)]
    saved = stored(run(early))
    assert [(s.direction, s.at, s.until) for s in saved] == [
        ("in", T0, T0 + timedelta(hours=16)), ("out", T0 + timedelta(hours=6), T0 + timedelta(hours=7))]

    plan = reconcile(new_spans(run(later)), saved)

    assert [(span.stored, span.key, span.first, span.last) for _group, span in plan.update] == [
        (100, "k0#in:jane@example.com", T0, T0 + timedelta(hours=27))]
    assert [(group[2], span.key) for group, span in plan.create] == [
        ("in", "k4000#in:jane@example.com"), ("out", "k4100#out:jane@example.com")]
    assert plan.delete == []


def test_a_message_that_bridges_two_stored_conversations_merges_them():
    saved = stored(run([msg(0, False), msg(20, False)]))
    plan = reconcile(new_spans(run([msg(10, False)])), saved)
    assert [(span.stored, span.first, span.last, span.summary) for _g, span in plan.update] == [
        (100, T0, T0 + timedelta(hours=20), "s0")]
    assert plan.delete == [101] and plan.create == []


def test_an_earlier_message_retimes_the_stored_conversation():
    saved = stored(run([msg(10, False)]))
    plan = reconcile(new_spans(run([msg(1, False)])), saved)
    [(_group, span)] = plan.update
    assert (span.stored, span.key, span.first, span.last, span.summary) == (
        100, "k1000#in:jane@example.com", T0 + timedelta(hours=1), T0 + timedelta(hours=10), "s100")
