"""LinkedIn ``messages.csv`` through the database under the capture rules: conversations, direction, strangers."""

from __future__ import annotations

from datetime import UTC, datetime

from restons.models import Interaction, Person
from restons.services.access import owned
from restons.services.imports import run_import

HEADER = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
          "CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n")
ME = "https://www.linkedin.com/in/alex-moreau-owner"
CAMILLE = "https://www.linkedin.com/in/camille-fontaine-4a1b2c"
HUGO = "https://www.linkedin.com/in/hugo-lemaire"


def line(sender: str, url: str, to: str, to_url: str, at: str, text: str, folder: str) -> str:
    return f'2-abc==,,{sender},{url},{to},{to_url},{at} UTC,,"{text}",{folder},,No\n'


def thread(tmp_path, *rows: str):
    path = tmp_path / "messages.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def stored(owner) -> list[tuple]:
    return sorted((i.person.name, i.direction, i.at, i.until, i.summary)
                  for i in owned(Interaction, owner).select_related("person"))


def test_five_messages_in_a_day_are_one_conversation_each_way(alice, tmp_path):
    """GIVEN a thread where Camille writes three messages and you answer twice, all within a day
    WHEN messages.csv is imported THEN she has one interaction in (at her first message, until her last)
    and one out (your first reply), not five; the same file again changes nothing."""
    path = thread(
        tmp_path,
        line("Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 09:00:00", "Bonjour Alex", "INBOX"),
        line("Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 09:05:00", "Tu es dispo ?", "INBOX"),
        line("Alex Moreau", ME, "Camille Fontaine", CAMILLE, "2023-05-01 12:00:00", "Oui, jeudi ?", "SENT"),
        line("Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 18:00:00", "Parfait", "INBOX"),
        line("Alex Moreau", ME, "Camille Fontaine", CAMILLE, "2023-05-01 18:30:00", "À jeudi", "SENT"),
    )

    summary = run_import(alice, "linkedin", path)

    assert (summary.created, summary.interactions, summary.strangers) == (1, 2, 0)
    assert stored(alice) == [
        ("Camille Fontaine", "in", datetime(2023, 5, 1, 9, tzinfo=UTC), datetime(2023, 5, 1, 18, tzinfo=UTC),
         "Bonjour Alex"),
        ("Camille Fontaine", "out", datetime(2023, 5, 1, 12, tzinfo=UTC), datetime(2023, 5, 1, 18, 30, tzinfo=UTC),
         "Oui, jeudi ?"),
    ]
    before = stored(alice)

    again = run_import(alice, "linkedin", path)

    assert (again.created, again.updated, again.interactions) == (0, 0, 0)
    assert stored(alice) == before and owned(Person, alice).count() == 1


def test_a_later_export_extends_the_conversation_instead_of_adding_one(alice, tmp_path):
    first = [line("Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 09:00:00", "Bonjour", "INBOX"),
             line("Alex Moreau", ME, "Camille Fontaine", CAMILLE, "2023-05-01 10:00:00", "Salut", "SENT")]
    run_import(alice, "linkedin", thread(tmp_path, *first))

    later = run_import(alice, "linkedin", thread(tmp_path, *first, line(
        "Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 20:00:00", "Et demain ?", "INBOX")))

    assert later.interactions == 0
    assert [(direction, until) for _n, direction, _at, until, _s in stored(alice)] == [
        ("in", datetime(2023, 5, 1, 20, tzinfo=UTC)), ("out", datetime(2023, 5, 1, 10, tzinfo=UTC))]


def test_someone_new_who_only_wrote_is_a_stranger_not_a_person(alice, tmp_path):
    """Hugo, not a connection, wrote; you never answered: counted, not created (as for every chat)."""
    summary = run_import(alice, "linkedin", thread(tmp_path, line(
        "Hugo Lemaire", HUGO, "Alex Moreau", ME, "2023-05-01 09:00:00", "Une opportunité pour vous", "INBOX")),
        owner_profile_url=ME)

    assert (summary.created, summary.interactions, summary.strangers) == (0, 0, 1)
    assert owned(Person, alice).count() == 0


def test_messages_imported_one_per_row_before_capture_are_merged_not_added_again(alice, bob, tmp_path):
    """GIVEN messages stored the old way (one interaction per message, no end) WHEN the upgrade's migration
    runs and the same export is imported again THEN they become the conversations a fresh import makes:
    nothing is counted twice."""
    from django.apps import apps

    from restons.services.people import PersonInput, add_person

    rows = [
        line("Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 09:00:00", "Bonjour Alex", "INBOX"),
        line("Camille Fontaine", CAMILLE, "Alex Moreau", ME, "2023-05-01 09:05:00", "Tu es dispo ?", "INBOX"),
        line("Alex Moreau", ME, "Camille Fontaine", CAMILLE, "2023-05-01 12:00:00", "Oui, jeudi ?", "SENT"),
    ]
    run_import(bob, "linkedin", thread(tmp_path, *rows))  # bob: a clean import, for comparison
    camille = add_person(alice, PersonInput(name="Camille Fontaine", linkedin=CAMILLE))
    for key, (direction, hour, minute, text) in enumerate(
            [("in", 9, 0, "Bonjour Alex"), ("in", 9, 5, "Tu es dispo ?"), ("out", 12, 0, "Oui, jeudi ?")]):
        Interaction.objects.create(owner=alice, person=camille, at=datetime(2023, 5, 1, hour, minute, tzinfo=UTC),
                                   direction=direction, channel="linkedin", summary=text, source="linkedin",
                                   source_key=f"old-{key}")
    migration = __import__("restons.migrations.0015_linkedin_until", fromlist=["give_linkedin_messages_an_end"])
    migration.give_linkedin_messages_an_end(apps, None)

    again = run_import(alice, "linkedin", thread(tmp_path, *rows))

    assert again.interactions == 0
    assert [(d, at, until) for _n, d, at, until, _s in stored(alice)] == \
        [(d, at, until) for _n, d, at, until, _s in stored(bob)]
