"""The fuzz harness itself: each promise it checks can fail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from restons.models import Interaction, Milestone, Person
from restons.services.errors import UserError
from tests.fuzz import harness
from tests.fuzz.mutations import case_rng, mutate, mutate_zip

NOW = datetime(2026, 6, 15, tzinfo=UTC)
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Verin\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"


def test_values_beyond_the_limits_are_found(alice):
    person = Person.objects.create(owner=alice, name="Ada", created_at=NOW, notes="n" * 10_001, connected_on=date(1899, 1, 1))
    Milestone.objects.create(owner=alice, person=person, title="Birthday", on=date(2200, 1, 1))
    Interaction.objects.create(owner=alice, person=person, at=datetime(2199, 1, 1, tzinfo=UTC), direction="in")

    assert harness.out_of_bounds(alice) == ["person Ada", "milestone Birthday", "interaction "]


def test_values_within_the_limits_pass(alice):
    person = Person.objects.create(owner=alice, name="Ada", created_at=NOW, notes="n" * 10_000, connected_on=date(1900, 1, 1))
    Milestone.objects.create(owner=alice, person=person, title="Birthday", on=date(2199, 12, 31))
    Interaction.objects.create(owner=alice, person=person, at=datetime(1900, 1, 1, tzinfo=UTC), direction="in")

    assert harness.out_of_bounds(alice) == []


def test_an_import_is_checked_and_rolled_back(alice):
    outcome = harness.check_import(alice, "vcard", "one.vcf", CARD)

    assert not outcome.refused and outcome.counts["created"] == 1
    assert not Person.objects.exists()


def test_a_refusal_is_one_line_naming_the_file(alice):
    outcome = harness.check_import(alice, "vcard", "photo.vcf", b"\x89PNG\r\n")

    assert outcome.refused
    assert outcome.message.startswith("photo.vcf: ")


@pytest.mark.parametrize(("failure", "message"), [
    (ValueError("boom"), "boom"),
    (UserError("a refusal\non two lines"), "refusal on several lines"),
    (UserError("a refusal without the name of the file"), "refusal does not name one.vcf"),
])
def test_what_breaks_a_promise_comes_through(alice, monkeypatch, failure, message):
    def broken(owner, source, path, **options):
        raise failure

    monkeypatch.setattr(harness, "run_import", broken)
    with pytest.raises((AssertionError, ValueError), match=message):
        harness.check_import(alice, "vcard", "one.vcf", CARD)


def test_a_refusal_after_a_write_is_caught(alice, monkeypatch):
    def writes_then_refuses(owner, source, path, **options):
        Person.objects.create(owner=owner, name="Half", created_at=NOW)
        raise UserError("one.vcf: refused after writing")

    monkeypatch.setattr(harness, "run_import", writes_then_refuses)
    with pytest.raises(AssertionError, match="rows were written"):
        harness.check_import(alice, "vcard", "one.vcf", CARD)
    assert not Person.objects.exists()


def test_mutations_replay_from_their_seed():
    first = mutate(CARD, case_rng(7, "vcard", 3))
    again = mutate(CARD, case_rng(7, "vcard", 3))
    other = mutate(CARD, case_rng(8, "vcard", 3))

    assert first == again
    assert first != other
    assert mutate_zip({"a/Connections.csv": b"First Name,Last Name\n"}, case_rng(1, "zip", 0)) == mutate_zip(
        {"a/Connections.csv": b"First Name,Last Name\n"}, case_rng(1, "zip", 0))
