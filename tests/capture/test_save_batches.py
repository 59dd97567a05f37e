"""The capture writes cut in many batches give what one batch gives (services/capture.py's _Writer).

On SQLite the stored conversations of an import's people are kept from one batch to the next
instead of being asked for again; the summaries (last touch, ...) are refreshed once, at the end,
for everyone the file speaks of. Here a chat whose conversations straddle batches of a few pings
is imported with the real service, and compared with the same chat in batches of a thousand.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from restons.models import Interaction, Person
from restons.services import capture
from restons.services.access import owned
from restons.services.imports import run_import
from restons.services.interactions import edit_interaction, refresh_summaries
from restons.services.me import add_me

SUMMARY_FIELDS = ("last_touch_at", "first_touch_at", "last_in_at", "last_out_at", "out_streak")


def chat(path, lines: int, seed: int) -> None:
    """A WhatsApp chat with Jane and a number: bursts minutes apart, now and then hours or days of silence."""
    rng = random.Random(seed)
    moment = datetime(2024, 1, 1, 8)
    authors = ["Jane Doe", "Alex Martin", "\u202a+33 6 12 34 56 78\u202c"]
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(lines):
            moment += timedelta(minutes=rng.choice([1, 3, 20, 90, 400, 800, 2000]))
            handle.write(f"{moment:%d/%m/%Y, %H:%M} - {rng.choice(authors)}: message {rng.randint(1, 9)}\n")


def owner(email: str):
    user = get_user_model().objects.create_user(email, email, None)
    add_me(user, name="Alex Martin")
    return user


def stored(user) -> list[tuple]:
    rows = owned(Interaction, user).values_list("person__name", "at", "until", "direction", "channel", "summary")
    return sorted(rows, key=repr)


def summaries(user) -> dict:
    return {name: values for name, *values in owned(Person, user).values_list("name", *SUMMARY_FIELDS)}


@pytest.mark.django_db
def test_a_chat_in_batches_of_three_pings_is_the_chat_in_one_batch(tmp_path, monkeypatch):
    """GIVEN a chat of a few hundred lines whose conversations straddle batches
    WHEN it is imported in batches of 3 pings, then again in batches of 3, and by another user in batches of 1,000
    THEN both users have the same interactions and summaries, the summaries are those refresh_summaries
    computes, and the second import adds nothing."""
    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    chat(path, 400, seed=3)
    small, large = owner("small@example.org"), owner("large@example.org")
    monkeypatch.setattr(capture, "WRITE_BATCH", 3)
    monkeypatch.setattr(capture, "DRAIN", 7)  # the rules hand over open conversations: later batches extend them
    monkeypatch.setattr(capture, "MEMORY_PINGS", 10)  # three batches kept in memory, the others spooled
    made, spooled = [], []
    keep, dump = capture._Reader._batch, capture.pickle.dump
    monkeypatch.setattr(capture._Reader, "_batch", lambda reader, batch: made.append(len(batch)) or keep(reader, batch))
    monkeypatch.setattr(capture.pickle, "dump", lambda batch, *args, **kwargs: spooled.append(len(batch))
                        or dump(batch, *args, **kwargs))
    plans = []
    reconcile = capture.reconcile
    monkeypatch.setattr(capture, "reconcile", lambda *args: plans.append(reconcile(*args)) or plans[-1])
    first = run_import(small, "whatsapp", str(path), region="FR")
    assert any(plan.update for plan in plans), "no batch extended a conversation an earlier batch wrote"
    assert len(made) - len(spooled) == 3 and spooled == made[3:], "not the first three kept, the rest spooled"
    again = run_import(small, "whatsapp", str(path), region="FR")
    monkeypatch.setattr(capture, "WRITE_BATCH", 1000)
    monkeypatch.setattr(capture, "DRAIN", 5000)
    monkeypatch.setattr(capture, "MEMORY_PINGS", 50_000)
    whole = run_import(large, "whatsapp", str(path), region="FR")

    assert first.interactions == whole.interactions > 20
    assert again.interactions == 0 and again.created == 0
    assert stored(small) == stored(large)
    assert summaries(small) == summaries(large)
    before = summaries(small)
    refresh_summaries(small, owned(Person, small).values_list("id", flat=True))
    assert summaries(small) == before
    assert any(values[0] is not None for values in before.values())


@pytest.mark.django_db
def test_summaries_left_stale_by_an_interrupted_run_are_put_right_by_the_next(tmp_path):
    """GIVEN a chat imported, then its people's summaries wiped as a run killed before its end leaves them
    WHEN the same chat is imported again (it writes no interaction)
    THEN the summaries are back to what refresh_summaries computes."""
    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    chat(path, 120, seed=5)
    user = owner("alice@example.org")
    run_import(user, "whatsapp", str(path), region="FR")
    right = summaries(user)
    owned(Person, user).update(last_touch_at=None, first_touch_at=None, last_in_at=None, last_out_at=None,
                               out_streak=0)
    assert run_import(user, "whatsapp", str(path), region="FR").interactions == 0
    assert summaries(user) == right


def test_the_kept_conversations_near_a_batch_are_those_a_scan_finds():
    """_Spans.near (bisect on the start, back by the longest span) finds exactly what a full scan finds,
    after spans were added out of order and some removed."""
    rng = random.Random(7)
    for _round in range(300):
        spans = capture._Spans()
        items = []
        for ref in range(rng.randint(0, 30)):
            at = rng.randint(0, 2000) * 3600
            item = (at, at + rng.choice([0, 1, 5, 30, 400]) * 3600, ref)
            spans.add(*item)
            items.append(item)
        for item in rng.sample(items, len(items) // 4):
            assert spans.remove(item[2], item[0])
            items.remove(item)
        assert not spans.remove(999, 0)
        low = rng.randint(-50, 2100) * 3600
        high = low + rng.randint(0, 300) * 3600
        assert sorted(spans.near(low, high)) == sorted(ref for at, until, ref in items if at <= high and until >= low)


def test_microseconds_keep_the_order_and_the_value_of_times():
    start = datetime(2020, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC)
    later = start + timedelta(microseconds=1)
    assert capture._micro(start) + 1 == capture._micro(later)
    assert capture.EPOCH + capture._micro(start) * capture.MICROSECOND == start


def test_the_kept_conversations_near_a_batchs_spans_are_those_near_each_span():
    """_Known.near_spans (one range per group, then sifted) reads exactly the kept conversations that come
    within 12 hours of one of the batch's spans in its group: those reconcile needs, and no others."""
    rng = random.Random(11)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for _round in range(300):
        known = capture._Known()
        items = []
        for ref in range(rng.randint(0, 40)):
            group = (rng.choice([1, 2]), "text", rng.choice(["in", "out"]))
            at = start + timedelta(hours=rng.randint(0, 2000))
            until = at + timedelta(hours=rng.choice([0, 1, 5, 30, 400]))
            known._add(group, at, until, ref)
            items.append((group, at, until, ref))
        spans = []
        for _span in range(rng.randint(1, 10)):
            first = start + timedelta(hours=rng.randint(-50, 2100))
            group = (("person", rng.choice([1, 2, 3])), "text", rng.choice(["in", "out"]))
            spans.append((group, SimpleNamespace(first=first, last=first + timedelta(hours=rng.choice([0, 2, 20])))))
        known._read = lambda _owner, refs: refs
        gap = timedelta(hours=12)
        assert known.near_spans(None, spans) == sorted({
            ref for group, at, until, ref in items for (who, channel, direction), span in spans
            if group == (who[1], channel, direction) and at <= span.last + gap and until >= span.first - gap})


@pytest.mark.django_db
def test_an_interaction_you_edited_away_from_its_conversation_is_left_as_you_made_it(tmp_path):
    """GIVEN a chat imported, then one of its conversations edited into a call (it leaves its conversation's group)
    WHEN the same chat is imported again (its conversation comes again, with the same key)
    THEN nothing is added, the edited interaction is as you made it, and the counts say so."""
    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    chat(path, 120, seed=7)
    user = owner("alice@example.org")
    first = run_import(user, "whatsapp", str(path), region="FR")
    edited = owned(Interaction, user).order_by("at").first()
    edit_interaction(user, edited.pk, channel="call", note="Called instead")
    before = stored(user)

    again = run_import(user, "whatsapp", str(path), region="FR")

    assert first.interactions > 10
    assert again.interactions == 0 and again.created == 0
    assert stored(user) == before
    edited.refresh_from_db()
    assert (edited.channel, edited.summary) == ("call", "Called instead")


@pytest.mark.django_db
def test_a_capture_import_collects_garbage_less_often_and_gives_the_threshold_back(tmp_path, monkeypatch):
    """GIVEN the collector's usual threshold
    WHEN a chat is imported, then a file the parser refuses
    THEN the chat is read and written with the imports' higher threshold, and the process (a web worker's) has
    its own back after each, the refusal included."""
    import gc

    from restons.services import imports
    from restons.services.errors import UserError

    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    chat(path, 200, seed=3)
    user = owner("alex@example.org")
    seen = []
    write = capture._Writer.write

    def watched(self, pings):
        seen.append(gc.get_threshold()[0])
        return write(self, pings)

    monkeypatch.setattr(capture._Writer, "write", watched)
    before = gc.get_threshold()
    run_import(user, "whatsapp", path)
    assert seen and set(seen) == {max(before[0], imports.GC_THRESHOLD)}
    assert gc.get_threshold() == before
    broken = tmp_path / "sms.xml"
    broken.write_text("<smses><sms")
    with pytest.raises(UserError):
        run_import(user, "sms-xml", broken)
    assert gc.get_threshold() == before


@pytest.mark.django_db
@pytest.mark.parametrize("kept", [True, False], ids=["conversations-kept", "asked-each-batch"])
def test_a_message_late_in_the_file_inside_a_long_conversation_joins_it(tmp_path, monkeypatch, kept):
    """GIVEN a chat whose messages to Jane, six hours apart for ten days, are one conversation written over many
    batches, and a last line from the middle of those days (a file out of order)
    WHEN it is imported in batches of 3 pings — with the conversations kept between batches (SQLite), or asked of
    the database for each batch (PostgreSQL; SQLite past KNOWN_MAX), by times no earlier than the batch's less
    the longest conversation stored
    THEN the last line joins the long conversation, as it does in one batch, and a second import adds nothing."""
    path = tmp_path / "WhatsApp Chat with Jane Doe.txt"
    start = datetime(2024, 3, 1, 8)
    lines = [f"{start + timedelta(hours=6 * step):%d/%m/%Y, %H:%M} - Alex Martin: message {step}" for step in range(40)]
    lines.append(f"{start + timedelta(days=5, hours=3):%d/%m/%Y, %H:%M} - Alex Martin: late line")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small, large = owner("small@example.org"), owner("large@example.org")
    monkeypatch.setattr(capture, "WRITE_BATCH", 3)
    monkeypatch.setattr(capture, "DRAIN", 3)
    if not kept:
        monkeypatch.setattr(capture, "KNOWN_MAX", 0)  # (the first batch finds none kept; the next ask)

    first = run_import(small, "whatsapp", str(path), region="FR")
    again = run_import(small, "whatsapp", str(path), region="FR")
    monkeypatch.setattr(capture, "WRITE_BATCH", 1000)
    monkeypatch.setattr(capture, "DRAIN", 5000)
    run_import(large, "whatsapp", str(path), region="FR")

    assert stored(small) == stored(large)
    assert [(row[0], row[1], row[2]) for row in stored(small)] == [
        ("Jane Doe", start.replace(tzinfo=UTC) - timedelta(hours=1), start.replace(tzinfo=UTC) + timedelta(
            hours=6 * 39 - 1))]
    assert first.interactions == 1 and again.interactions == 0
