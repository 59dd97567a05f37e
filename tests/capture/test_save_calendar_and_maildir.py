"""Maildir and ICS imports through the database; the people's summaries the import computes."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from restons.models import Identity, Interaction, MyIdentity, Person
from restons.services.imports import run_import
from restons.services.interactions import refresh_summaries
from restons.services.me import add_me
from restons.services.people import PersonInput, add_person
from tests.capture.test_save_mbox import archive, known, stored, truth_pings  # noqa: F401  (fixtures)

SUMMARY_FIELDS = ("last_touch_at", "first_touch_at", "last_in_at", "last_out_at", "out_streak")


def test_maildir_tree(alice, samples, tmp_path):
    """GIVEN one address of yours WHEN a Maildir++ tree is imported
    THEN its Sent folder teaches your other address; Jane, whom you answered, is a person with both directions;
    Jürgen, who only wrote to you, is a stranger; the list and the trash are not pings."""
    folder = shutil.copytree(samples / "mail" / "maildir", tmp_path / "maildir")
    add_me(alice, ["alex.martin@example.org"])
    summary = run_import(alice, "maildir", folder)
    assert (summary.created, summary.interactions, summary.strangers) == (1, 2, 1)
    assert summary.ignored == {"list": 1, "trash": 1}
    assert summary.learned == [{"kind": "email", "value": "alex@perso.example.net"}]
    assert set(MyIdentity.objects.filter(owner=alice).values_list("value", flat=True)) == {
        "alex.martin@example.org", "alex@perso.example.net"}
    jane = Person.objects.get(owner=alice)
    assert jane.name == "Jane Doe" and list(jane.identities.values_list("value", flat=True)) == ["jane@example.com"]
    assert list(Interaction.objects.filter(owner=alice).order_by("at").values_list("direction", "source")) == [
        ("in", "maildir"), ("out", "maildir")]
    again = run_import(alice, "maildir", folder)
    assert (again.created, again.interactions) == (0, 0)


def test_calendar_meetings_per_occurrence(alice, archive, known):
    """GIVEN a Google calendar export (recurring 1:1 with EXDATE and a moved occurrence, rooms, declines, a
    cancellation, big meetings) WHEN imported THEN each occurrence that took place is one `both` interaction
    with each attendee, as the truth says; declined, cancelled, rooms and big meetings are counted, not pings;
    the calendar's owner is learned as you; a second import changes nothing."""
    out, truth = archive
    now = datetime.fromisoformat(truth["now"])
    part = truth["calendar.ics"]
    summary = run_import(alice, "ics", out / "calendar.ics", now=now)
    assert stored(alice, known) == truth_pings(part)
    assert summary.ignored == part["ignored"] and summary.strangers == 0
    assert {"declined", "resource"} <= set(summary.ignored)
    assert list(MyIdentity.objects.filter(owner=alice).values_list("value", flat=True)) == [truth["me"]]
    assert set(Interaction.objects.filter(owner=alice).values_list("direction", flat=True)) == {"both"}
    assert not Interaction.objects.filter(owner=alice, until__isnull=True).exists()  # a meeting has its end
    again = run_import(alice, "ics", out / "calendar.ics", now=now)
    assert (again.created, again.interactions) == (0, 0)
    assert Interaction.objects.filter(owner=alice).count() == len(part["pings"])


def test_a_calendar_folder(alice, archive, known, tmp_path):
    out, truth = archive
    folder = tmp_path / "calendars"
    folder.mkdir()
    shutil.copy(out / "calendar.ics", folder / "work.ics")
    summary = run_import(alice, "ics", folder, now=datetime.fromisoformat(truth["now"]))
    assert summary.interactions == len(truth["calendar.ics"]["pings"])


def test_summaries_are_those_refresh_summaries_computes(alice, archive, known):
    """The import's own UPDATEs give each person the last touch, last in/out and streak the engine's
    refresh_summaries gives."""
    out, truth = archive
    run_import(alice, "mbox", out / "export-1.mbox")
    run_import(alice, "ics", out / "calendar.ics", now=datetime.fromisoformat(truth["now"]))
    people = Person.objects.filter(owner=alice)
    before = {p.pk: tuple(getattr(p, f) for f in SUMMARY_FIELDS) for p in people}
    assert any(v[0] for v in before.values())
    refresh_summaries(alice, list(before))
    after = {p.pk: tuple(getattr(p, f) for f in SUMMARY_FIELDS) for p in Person.objects.filter(owner=alice)}
    assert after == before


def test_a_ping_logged_by_hand_is_never_merged_into_a_conversation(alice, tmp_path):
    add_me(alice, ["alex@example.org"])
    jane = add_person(alice, PersonInput(name="Jane Doe", emails=["jane@example.com"]))
    from restons.services.interactions import log_ping

    mine = log_ping(alice, jane, direction="out", channel="email", at=datetime(2025, 3, 3, 10, tzinfo=UTC),
                    note="by hand")
    from tests.capture.test_save_mbox import mail

    path = tmp_path / "sent.mbox"
    path.write_bytes(mail(1, "alex@example.org", "jane@example.com", "2025-03-03 09:00"))
    run_import(alice, "mbox", path)
    assert Interaction.objects.filter(pk=mine.pk, summary="by hand", until__isnull=True).exists()
    assert Interaction.objects.filter(owner=alice).count() == 2


@pytest.mark.parametrize("source", ["maildir", "imessage"])
def test_a_source_that_reads_a_folder_or_database_refuses_a_wrong_kind_of_path(alice, tmp_path, source):
    from restons.services.errors import UserError

    add_me(alice, ["alex@example.org"])
    path = tmp_path / "x.txt"
    path.write_text("hello")
    with pytest.raises(UserError) as error:
        run_import(alice, source, path if source == "maildir" else tmp_path)
    assert "\n" not in str(error.value)
    assert not Identity.objects.filter(owner=alice).exists()


def test_the_person_page_says_where_each_ping_came_from_and_a_conversations_span(alice, tmp_path):
    """GIVEN a conversation imported from mail (09:00 to 18:00), a meeting from a calendar and a ping by hand
    WHEN Jane's page is shown THEN the timeline says "Mail" with the span, "Calendar", and nothing for the
    ping by hand; `person show --json`'s timeline has each ping's `until`."""
    from django.test import Client

    from restons.capture.records import Attendee, Meeting
    from restons.services.capture import save_records
    from restons.services.health import person_detail
    from restons.services.interactions import log_ping
    from tests.capture.test_save_mbox import mail

    add_me(alice, ["alex@example.org"])
    jane = add_person(alice, PersonInput(name="Jane Doe", emails=["jane@example.com"]))
    path = tmp_path / "sent.mbox"
    path.write_bytes(mail(1, "alex@example.org", "jane@example.com", "2025-03-03 08:00")
                     + mail(2, "alex@example.org", "jane@example.com", "2025-03-03 17:00"))
    run_import(alice, "mbox", path)
    save_records(alice, "ics", [Meeting(
        where="work.ics, event 1", source_key="uid-1", start=datetime(2025, 3, 10, 9, tzinfo=UTC),
        end=datetime(2025, 3, 10, 10, tzinfo=UTC), summary="1:1", status="CONFIRMED",
        attendees=(Attendee("alex@example.org", partstat="ACCEPTED"), Attendee("jane@example.com")))], where="work.ics")
    log_ping(alice, jane, at=datetime(2025, 3, 12, 9, tzinfo=UTC), note="by hand")

    timeline = person_detail(alice, jane)["timeline"]
    assert [(t["source"], t["until"]) for t in timeline] == [
        ("manual", None), ("ics", "2025-03-10T11:00:00+01:00"), ("mbox", "2025-03-03T18:00:00+01:00")]
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/people/{jane.pk}/").content.decode()
    assert "(Mail)" in page and "(Calendar)" in page and "(manual)" not in page
    assert '<time datetime="2025-03-03T18:00:00+01:00">18:00</time>' in page


def _meeting(uid: str, start: str, end: str, summary: str) -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\n"
            "ORGANIZER:mailto:alex@example.org\r\n"
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alex@example.org\r\n"
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:jane@example.com\r\nEND:VEVENT\r\n")


def test_a_meeting_moved_and_renamed_in_a_later_export_updates_its_interaction(alice, tmp_path):
    """GIVEN a calendar export with two one-off meetings with Jane, imported
    WHEN a later export has one of them moved an hour later and renamed, the other as it was
    THEN the moved one's interaction has its new time and title, the other is untouched, and nothing is added."""
    add_me(alice, ["alex@example.org"])
    add_person(alice, PersonInput(name="Jane Doe", emails=["jane@example.com"]))
    path = tmp_path / "calendar.ics"
    kept = _meeting("kept@example.org", "20250303T090000Z", "20250303T093000Z", "Coffee")
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + kept
                    + _meeting("moved@example.org", "20250310T090000Z", "20250310T100000Z", "Lunch")
                    + "END:VCALENDAR\r\n")
    first = run_import(alice, "ics", path, now=datetime(2025, 6, 1, tzinfo=UTC))
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + kept
                    + _meeting("moved@example.org", "20250310T100000Z", "20250310T110000Z", "Lunch, moved")
                    + "END:VCALENDAR\r\n")

    again = run_import(alice, "ics", path, now=datetime(2025, 6, 1, tzinfo=UTC))

    assert (first.interactions, again.interactions, again.created) == (2, 0, 0)
    assert list(Interaction.objects.filter(owner=alice).order_by("at").values_list("at", "until", "summary")) == [
        (datetime(2025, 3, 3, 9, tzinfo=UTC), datetime(2025, 3, 3, 9, 30, tzinfo=UTC), "Coffee"),
        (datetime(2025, 3, 10, 10, tzinfo=UTC), datetime(2025, 3, 10, 11, tzinfo=UTC), "Lunch, moved")]
