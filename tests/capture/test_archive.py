"""The capture rules on a realistic generated archive, checked against the truth its generator writes.

bench/capture_archive.py makes two overlapping Takeout exports and a Google
calendar, each message and meeting generated as the kind it is (personal,
newsletter, no-reply, room, decline, recurring 1:1 ...), with the truth beside.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime
from pathlib import Path

import pytest

from restons.capture.conversations import Stored, reconcile
from restons.capture.me import KnownPeople, Me
from restons.capture.rules import Capture, conversation_spans
from restons.importers import ics, mbox
from restons.importers.records import ParseError

ROOT = Path(__file__).resolve().parent.parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("capture_archive", ROOT / "bench" / "capture_archive.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    truth = load_generator().generate(out, seed=3, people=16, years=1)
    return out, truth


def people(truth, extra=None):
    identities = {("email", e): k["ref"] for k in truth["known"] for e in k["emails"]}
    identities.update(extra or {})
    return KnownPeople(identities, {k["ref"]: k["name"] for k in truth["known"]})


def run(records, truth, me=(), extra=None):
    records = list(records)
    assert [r for r in records if isinstance(r, ParseError)] == []
    return Capture(Me(me), people(truth, extra)).add_all(records)


def found(result):
    return [{"direction": p.direction, "channel": p.channel, "person": p.person, "email": p.address.value,
             "at": p.at.isoformat(), "key": p.key} for p in result.pings]


def expected(part):
    return [{k: v for k, v in p.items() if k != "summary"} for p in part["pings"]]


def test_the_archive_is_realistic(archive):
    _out, truth = archive
    both = truth["both"]
    assert len(both["pings"]) + len(truth["calendar.ics"]["pings"]) >= 100
    assert set(both["ignored"]) >= {"list", "bulk", "no-reply", "auto", "spam", "draft", "self", "group"}
    assert set(truth["calendar.ics"]["ignored"]) >= {"declined", "resource"}
    assert both["strangers"] > 0 and both["suggestions"]


def test_first_export_alone(archive):
    """GIVEN no identity of yours (the Sent label teaches it) WHEN the first export is read in file order
    THEN every interaction, stranger, ignored message and suggestion is the truth's."""
    out, truth = archive
    result = run(mbox.parse(out / "export-1.mbox"), truth)
    part = truth["export-1.mbox"]
    assert found(result) == expected(part)
    assert result.summary() == {"strangers": part["strangers"], "ignored": part["ignored"]}
    assert sorted(s.address.value for s in result.suggestions) == part["suggestions"]
    assert [a.value for a in result.learned] == [truth["me"]]


def test_overlapping_later_export_adds_only_what_is_new(archive):
    """GIVEN the first export imported and stored (new people created)
    WHEN the later, overlapping export is imported
    THEN the stored interactions and the new ones are exactly those of one import of all the mail,
    and importing the later export again changes nothing."""
    out, truth = archive
    me = [("email", truth["me"])]
    first = run(mbox.parse(out / "export-1.mbox"), truth, me)
    # Save: new people get ids, every conversation is stored with its span.
    new_ids = {}
    for ping in first.pings:
        if ping.person is None:
            ping.person = new_ids.setdefault(ping.address.value, 1000 + len(new_ids))
    store = {i: ping for i, ping in enumerate(first.pings)}

    def stored():
        return [Stored(ref=i, who=("person", p.person), channel=p.channel, direction=p.direction, at=p.at,
                       until=p.until, key=p.key, summary=p.summary) for i, p in store.items()]

    def apply(plan):
        for ref in plan.delete:
            del store[ref]
        for _group, span in plan.update:
            old = store[span.stored]
            old.at, old.until, old.summary = span.first, span.last, span.summary
        for group, span in plan.create:
            store[max(store) + 1] = type(first.pings[0])(
                key=span.key, at=span.first, until=span.last, direction=group[2], channel=group[1],
                address=span.address, name="", person=group[0][1], summary=span.summary, where=span.where,
                grouped=True)
        return plan

    extra = {("email", email): ref for email, ref in new_ids.items()}
    second = run(mbox.parse(out / "export-2.mbox"), truth, me, extra)
    plan = apply(reconcile(conversation_spans(second.pings), stored()))
    assert plan.create and plan.update  # new mail, and conversations that went on across the cut

    final = sorted((p.direction, p.person, p.at.isoformat()) for p in store.values())
    truth_people = {e: r for r, e in ((v, k[1]) for k, v in extra.items())}
    assert final == sorted((p["direction"], p["person"] or truth_people[p["email"]], p["at"])
                           for p in truth["both"]["pings"])

    again = run(mbox.parse(out / "export-2.mbox"), truth, me, extra)
    replay = reconcile(conversation_spans(again.pings), stored())
    assert (replay.create, replay.update, replay.delete) == ([], [], [])


def test_calendar(archive):
    out, truth = archive
    now = datetime.fromisoformat(truth["now"])
    result = run(ics.parse(out / "calendar.ics", now=now), truth)
    part = truth["calendar.ics"]
    assert [{k: v for k, v in p.items() if k != "key"} for p in found(result)] == [
        {k: v for k, v in p.items() if k != "key"} for p in part["pings"]]
    assert [p.key for p in result.pings] == [p["key"] for p in part["pings"]]
    assert result.summary() == {"strangers": 0, "ignored": part["ignored"]}
    assert [a.value for a in result.learned] == [truth["me"]]  # X-WR-CALNAME says who you are


def test_writing_in_small_batches_gives_the_same_interactions(archive):
    """GIVEN the capture drained every 25 messages (as an import writes, to keep memory flat)
    WHEN each batch is written through reconcile (new people made once per address)
    THEN the stored interactions are those of one batch at the end: nothing split, nothing twice."""
    out, truth = archive
    capture = Capture(Me([("email", truth["me"])]), people(truth))
    store: dict[int, tuple] = {}
    new_ids: dict[str, int] = {}
    next_id = iter(range(1, 10**6))
    merged = []

    def write(pings):
        for ping in pings:
            if ping.person is None:
                ping.person = new_ids.setdefault(ping.address.value, 1000 + len(new_ids))
        stored = [Stored(ref=i, who=("person", who), channel=channel, direction=direction, at=at, until=until, key=key)
                  for i, (who, channel, direction, at, until, key) in store.items()]
        plan = reconcile(conversation_spans(pings), stored)
        merged.extend(plan.update)
        for ref in plan.delete:
            del store[ref]
        for group, span in plan.update:
            who, channel, direction, _at, _until, key = store[span.stored]
            store[span.stored] = (who, channel, direction, span.first, span.last, key)
        for group, span in plan.create:
            store[next(next_id)] = (group[0][1], group[1], group[2], span.first, span.last, span.key)

    for number, record in enumerate(mbox.parse(out / "export-1.mbox")):
        capture.add(record)
        if number % 25 == 24:
            write(capture.drain())
    write(capture.finish().pings)

    assert merged  # conversations did cross batches (the file is not in time order)
    by_address = {v: k for k, v in new_ids.items()}
    assert sorted((d, str(by_address.get(who, who)), at.isoformat()) for who, _c, d, at, _u, _k in store.values()) == sorted(
        (p["direction"], str(p["person"] or p["email"]), p["at"]) for p in truth["export-1.mbox"]["pings"])
