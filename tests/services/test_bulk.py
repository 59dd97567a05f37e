"""Rows written with one prepared statement read back as the ORM writes them (both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from restons.models import Channel, Interaction, Person
from restons.services.bulk import insert_rows, update_rows

AT = datetime(2026, 3, 3, 9, 15, 30, 123456, tzinfo=UTC)


def test_inserted_rows_read_back_as_written_with_defaults(alice):
    jane = Person.objects.create(owner=alice, name="Jane", created_at=AT)
    paris = timezone(timedelta(hours=1))
    insert_rows(Interaction, [
        dict(owner_id=alice.pk, person_id=jane.pk, at=AT, until=AT + timedelta(hours=2), direction="out",
             channel=Channel.EMAIL, summary="Caf\u00e9 ?", source="mbox", source_key="k1"),
        dict(owner_id=alice.pk, person_id=jane.pk, at=AT.astimezone(paris), direction="in"),
    ])
    rows = list(Interaction.objects.order_by("id").values(
        "at", "until", "direction", "channel", "summary", "source", "source_key", "content_id"))
    assert rows == [
        dict(at=AT, until=AT + timedelta(hours=2), direction="out", channel="email", summary="Caf\u00e9 ?",
             source="mbox", source_key="k1", content_id=None),
        dict(at=AT, until=None, direction="in", channel="other", summary="", source="manual", source_key="",
             content_id=None),
    ]


def test_updated_rows(alice):
    jane = Person.objects.create(owner=alice, name="Jane", created_at=AT)
    one = Interaction.objects.create(owner=alice, person=jane, at=AT, direction="out", summary="a")
    two = Interaction.objects.create(owner=alice, person=jane, at=AT, direction="out", summary="b")
    later = AT + timedelta(days=1)
    assert update_rows(Interaction, ["at", "until", "summary"], [[later, later, "A", one.pk]]) == 1
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.at, one.until, one.summary) == (later, later, "A")
    assert (two.at, two.until, two.summary) == (AT, None, "b")
    assert insert_rows(Interaction, []) == 0 and update_rows(Interaction, ["at"], []) == 0
