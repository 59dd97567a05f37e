"""Duplicates: what is suggested (and never twice), and what a merge keeps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from restons.models import (
    Affiliation, Identity, Interaction, Interest, Membership, MergeSuggestion, Milestone, Outcome, Person,
    PledgePerson, SourceRecord,
)
from restons.services.errors import NotFound, UserError
from restons.services.imports import run_import
from restons.services.merges import decide, merge_people, pending_suggestions, suggest_duplicates
from restons.services.planning import add_milestone, add_outcome, leave
from restons.services.people import PersonInput, add_person

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CONNECTIONS = SAMPLES / "linkedin" / "Connections.csv"
PENDING, REJECTED = MergeSuggestion.Status.PENDING, MergeSuggestion.Status.REJECTED


def vcf(tmp_path: Path, *cards: tuple[str, list[str]], name: str = "contacts.vcf") -> Path:
    path = tmp_path / name
    path.write_text(
        "".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:{n}\n" + "".join(f"{line}\n" for line in lines) + "END:VCARD\n"
                for n, lines in cards),
        encoding="utf-8",
    )
    return path


def suggestions(owner=None) -> list[tuple[str, str, str, str]]:
    """(name, name, why in English, status) of each suggestion."""
    rows = MergeSuggestion.objects.filter(owner=owner) if owner else MergeSuggestion.objects.all()
    return sorted((s.person_a.name, s.person_b.name, s.reason_text(), s.status) for s in rows.select_related(
        "person_a", "person_b"))


# --- what is suggested ----------------------------------------------------------------


def test_the_same_name_with_different_identities_is_one_pending_suggestion(alice, tmp_path):
    run_import(alice, "linkedin", CONNECTIONS)
    linkedin_camille = Person.objects.get(name="Camille Fontaine")

    summary = run_import(alice, "vcard", vcf(tmp_path, ("Camille Fontaine", ["EMAIL:camille@perso.example"])))

    assert (summary.created, summary.suggestions) == (1, 1)
    card_camille = Person.objects.exclude(pk=linkedin_camille.pk).get(name="Camille Fontaine")
    suggestion = MergeSuggestion.objects.get()
    assert pending_suggestions(alice) == [{
        "id": suggestion.id, "reason": "same name", "reason_code": "same-name", "score": 100,
        "people": [{"id": linkedin_camille.id, "name": "Camille Fontaine"},
                   {"id": card_camille.id, "name": "Camille Fontaine"}],
    }]


def test_names_differing_only_in_accents_and_case_are_the_same_name(alice, tmp_path):
    run_import(alice, "linkedin", CONNECTIONS)

    run_import(alice, "vcard", vcf(tmp_path, ("THEO MARCHAL", ["EMAIL:theo@lune.example"])))

    assert suggestions(alice) == [("Théo Marchal", "THEO MARCHAL", "same name", "pending")]


@pytest.mark.parametrize(("new_name", "org", "suggested"), [
    ("Katherine Smith", "Acme", True),  # a short and a long first name (token_sort_ratio is only 80)
    ("Kate Smyth", "ACME", True),  # a typo; organisations compare without case
    ("Katherine Smith", "Other Corp", False),  # not at the same organisation
    ("Karen Smith", "Acme", False),  # another person of the same family
    ("Paul Smith", "Acme", False),
])
def test_similar_names_at_the_same_organisation(alice, tmp_path, new_name, org, suggested):
    add_person(alice, PersonInput(name="Kate Smith", emails=["kate@acme.example"], orgs=["Acme"]))

    summary = run_import(alice, "vcard", vcf(tmp_path, (new_name, [f"ORG:{org}", "EMAIL:k.smith@home.example"])))

    assert summary.created == 1
    if suggested:
        assert suggestions(alice) == [("Kate Smith", new_name, "similar names at Acme", "pending")]
        assert summary.suggestions == 1
    else:
        assert suggestions(alice) == []


def test_an_existing_person_who_joins_the_organisation_is_compared_too(alice, tmp_path):
    """GIVEN Kate Smith at Acme, and Katherine Smith already known without an organisation
    WHEN an address book says Katherine works at Acme
    THEN the two are suggested, though nobody was created."""
    add_person(alice, PersonInput(name="Kate Smith", orgs=["Acme"]))
    add_person(alice, PersonInput(name="Katherine Smith", emails=["katherine@example.org"]))

    summary = run_import(alice, "vcard", vcf(tmp_path, ("Katherine Smith", ["EMAIL:katherine@example.org", "ORG:Acme"])))

    assert (summary.created, summary.updated, summary.suggestions) == (0, 1, 1)
    assert suggestions(alice) == [("Kate Smith", "Katherine Smith", "similar names at Acme", "pending")]


def test_a_pair_is_never_suggested_twice(alice, tmp_path):
    run_import(alice, "linkedin", CONNECTIONS)
    first = vcf(tmp_path, ("Camille Fontaine", ["EMAIL:camille@perso.example"]), name="one.vcf")
    run_import(alice, "vcard", first)
    ids = list(Person.objects.filter(name="Camille Fontaine").values_list("id", flat=True))

    assert run_import(alice, "vcard", first).suggestions == 0
    assert suggest_duplicates(alice, ids) == 0
    # A third Camille is suggested against each of the two others, once each.
    third = run_import(alice, "vcard", vcf(tmp_path, ("Camille Fontaine", ["EMAIL:c.f@work.example"]), name="two.vcf"))
    assert third.suggestions == 2
    assert MergeSuggestion.objects.count() == 3
    assert suggest_duplicates(alice, Person.objects.values_list("id", flat=True)) == 0


def test_a_rejected_pair_is_never_suggested_again_on_reimport(alice, tmp_path):
    path = vcf(tmp_path, ("Camille Fontaine", ["EMAIL:camille@perso.example"]))
    run_import(alice, "linkedin", CONNECTIONS)
    run_import(alice, "vcard", path)
    suggestion = MergeSuggestion.objects.get()

    assert decide(alice, suggestion.id, accept=False) is None

    assert pending_suggestions(alice) == []
    again = run_import(alice, "vcard", path)
    assert again.suggestions == 0
    assert suggest_duplicates(alice, Person.objects.values_list("id", flat=True)) == 0
    assert list(MergeSuggestion.objects.values_list("status", flat=True)) == [REJECTED]
    assert pending_suggestions(alice) == []
    with pytest.raises(NotFound):  # decided once is decided
        decide(alice, suggestion.id, accept=True)


# --- what a merge keeps -------------------------------------------------------------------


@pytest.fixture
def twins(alice, tmp_path):
    """Camille from LinkedIn (a message each way) and Camille from an address book (a call from her),
    each with interests, circles, organisations, milestones, outcomes and pledges, some shared."""
    from restons.services.interactions import log_ping
    from tests.services.conftest import local

    run_import(alice, "linkedin", SAMPLES / "linkedin" / "messages.csv")
    run_import(alice, "linkedin", CONNECTIONS)
    one = Person.objects.get(name="Camille Fontaine")
    run_import(alice, "vcard", vcf(tmp_path, ("Camille Fontaine", [
        "EMAIL:camille@perso.example", "TEL:+33 6 01 02 03 04", "ORG:Brume Conseil", "TITLE:Associée", "BDAY:--06-21",
        "NOTE:Aime le théâtre",
    ])))
    two = Person.objects.exclude(pk=one.pk).get(name="Camille Fontaine")
    from restons.services.people import edit_person

    edit_person(alice, one, PersonInput(interests=["jazz", "voile"], circles=["Brume alumni"], orgs=["Atelier Lune"],
                                        met="Salon de Lyon"))
    edit_person(alice, two, PersonInput(interests=["voile", "théâtre"], circles=["Brume alumni", "Friends"]))
    add_milestone(alice, "Birthday", date(2000, 6, 21), one, yearly=True)  # the same birthday from both sources
    add_outcome(alice, one, "intro", date(2024, 3, 1))
    add_outcome(alice, two, "meetup", date(2024, 5, 1))
    leave(alice, "Brume Conseil", date(2024, 1, 31), [one, two], None)
    log_ping(alice, two, direction="in", channel="call", at=local("2024-09-01 18:00"))
    return one, two


def test_accepting_keeps_every_identity_and_interaction_of_both(alice, twins):
    one, two = twins
    for person in twins:
        person.refresh_from_db()
    assert one.last_touch_at < two.last_touch_at  # the call (Sept 2024) is after the messages (May 2023)
    suggestion = MergeSuggestion.objects.get()
    kept_per_person = {
        model: {p.pk: model.objects.filter(person=p).count() for p in twins}
        for model in (Identity, Interaction, Outcome, SourceRecord)
    }

    kept = decide(alice, suggestion.id, accept=True)

    assert kept.pk == one.pk  # the older one stays
    assert not Person.objects.filter(pk=two.pk).exists()
    assert Person.objects.filter(name="Camille Fontaine").count() == 1
    for model, per_person in kept_per_person.items():
        assert model.objects.filter(person=kept).count() == sum(per_person.values()), model.__name__
    assert sorted(kept.identities.values_list("kind", "value")) == [
        ("email", "camille@perso.example"), ("linkedin", "https://www.linkedin.com/in/camille-fontaine-4a1b2c"),
        ("phone", "+33601020304"),
    ]
    assert sorted(kept.interactions.values_list("direction", "channel")) == [
        ("in", "call"), ("in", "linkedin"), ("out", "linkedin"),
    ]
    # Deduplicated: what both had is there once.
    assert sorted(Interest.objects.filter(person=kept).values_list("topic", flat=True)) == ["jazz", "theatre", "voile"]
    assert sorted(Membership.objects.filter(person=kept).values_list("circle__name", flat=True)) == [
        "Brume alumni", "Friends"
    ]
    assert sorted(Affiliation.objects.filter(person=kept).values_list("organisation__name", "title")) == [
        ("Atelier Lune", ""), ("Brume Conseil", "Directrice")
    ]
    assert list(Milestone.objects.filter(person=kept).values_list("title", "on", "yearly")) == [
        ("Birthday", date(2000, 6, 21), True)
    ]
    assert PledgePerson.objects.filter(person=kept).count() == 1
    # Fields: what one lacked comes from the other.
    assert (kept.met_how, kept.connected_on, kept.notes) == ("Salon de Lyon", date(2020, 1, 12), "Aime le théâtre")
    # Summaries refreshed from both: last touch is the later of the two, first touch the earlier.
    kept.refresh_from_db()
    assert kept.last_touch_at == max(one.last_touch_at, two.last_touch_at)
    assert (kept.last_in_at, kept.last_out_at, kept.first_touch_at) == (
        two.last_in_at, one.last_out_at, one.first_touch_at
    )
    assert pending_suggestions(alice) == []


def test_after_a_merge_reimporting_both_sources_creates_nothing(alice, twins, tmp_path):
    decide(alice, MergeSuggestion.objects.get().id, accept=True)
    people, interactions = Person.objects.count(), Interaction.objects.count()

    again = run_import(alice, "linkedin", CONNECTIONS)
    card = run_import(alice, "vcard", tmp_path / "contacts.vcf")

    assert (again.created, card.created, again.suggestions, card.suggestions) == (0, 0, 0, 0)
    assert (Person.objects.count(), Interaction.objects.count()) == (people, interactions)


def test_keeping_the_title_only_the_duplicate_knew(alice):
    one = add_person(alice, PersonInput(name="Kate Smith", orgs=["Acme"]))
    two = add_person(alice, PersonInput(name="Katherine Smith"))
    Affiliation.objects.create(owner=alice, person=two, organisation=one.affiliations.get().organisation,
                               title="CFO")

    merge_people(alice, one, two)

    assert list(one.affiliations.values_list("organisation__name", "title")) == [("Acme", "CFO")]


def test_a_rejection_survives_a_merge(alice, tmp_path):
    """GIVEN three Camilles, the second and third said to be different
    WHEN the first and second are merged
    THEN the first and third are different too: their pending suggestion becomes rejected."""
    run_import(alice, "vcard", vcf(tmp_path, *[("Camille Fontaine", [f"EMAIL:camille{i}@example.org"]) for i in (1, 2, 3)]))
    a, b, c = Person.objects.order_by("id")
    rejected = MergeSuggestion.objects.get(person_a=b, person_b=c)
    decide(alice, rejected.id, accept=False)

    decide(alice, MergeSuggestion.objects.get(person_a=a, person_b=b).id, accept=True)

    assert list(MergeSuggestion.objects.values_list("person_a", "person_b", "status")) == [(a.id, c.id, REJECTED)]
    assert pending_suggestions(alice) == []


def test_a_suggestion_about_the_duplicate_moves_to_the_kept_person(alice, tmp_path):
    add_person(alice, PersonInput(name="Kate Smith", orgs=["Acme"]))
    run_import(alice, "vcard", vcf(tmp_path, ("Katherine Smith", ["ORG:Acme", "EMAIL:k@example.org"]),
                                   ("Kate Smith", ["EMAIL:kate@example.org"])))
    kate, katherine, kate_card = Person.objects.order_by("id")
    assert suggestions(alice) == [("Kate Smith", "Kate Smith", "same name", "pending"),
                                  ("Kate Smith", "Katherine Smith", "similar names at Acme", "pending")]

    merge_people(alice, kate_card, kate)

    assert list(MergeSuggestion.objects.values_list("person_a", "person_b", "status")) == [
        (katherine.id, kate_card.id, PENDING)
    ]


def test_a_person_cannot_be_merged_with_themselves(alice):
    one = add_person(alice, PersonInput(name="Kate Smith"))

    with pytest.raises(UserError):
        merge_people(alice, one, one)


# --- owners ------------------------------------------------------------------------------


def test_bobs_suggestions_and_alices_are_apart(alice, bob, tmp_path):
    path = vcf(tmp_path, ("Camille Fontaine", ["EMAIL:camille@perso.example"]))
    for owner in (alice, bob):
        run_import(owner, "linkedin", CONNECTIONS)
        run_import(owner, "vcard", path)
    alices = MergeSuggestion.objects.get(owner=alice)

    assert [s["id"] for s in pending_suggestions(bob)] == [MergeSuggestion.objects.get(owner=bob).id]
    for accept in (True, False):
        with pytest.raises(NotFound):
            decide(bob, alices.id, accept=accept)
    alices.refresh_from_db()
    assert alices.status == PENDING
    assert Person.objects.filter(owner=alice).count() == 6


def test_suggestions_never_pair_two_owners_people(alice, bob, tmp_path):
    run_import(alice, "linkedin", CONNECTIONS)

    summary = run_import(bob, "linkedin", CONNECTIONS)

    assert summary.suggestions == 0
    assert MergeSuggestion.objects.count() == 0


# --- bounded: blocks, caps, placeholders -------------------------------------------------


def connections(tmp_path: Path, rows: list[tuple[str, str, str]], name: str = "Connections.csv") -> Path:
    """A Connections.csv of (first, last, company) rows, each with its own profile URL."""
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [f"{first},{last},https://www.linkedin.com/in/p{n},,{company},,12 Jan 2020"
              for n, (first, last, company) in enumerate(rows)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["LinkedIn Member", "Membre LinkedIn", "Unknown", "???", "+33 6 12 34 56 78",
                                  "jane@example.org", "https://example.org/jane", "  "])
def test_placeholder_names_name_nobody(name):
    from restons.services.merges import is_placeholder

    assert is_placeholder(name)


@pytest.mark.parametrize("name", ["Jane Doe", "Li", "Ōta Kenji", "Memberg Linke"])
def test_real_names_are_not_placeholders(name):
    from restons.services.merges import is_placeholder

    assert not is_placeholder(name)


def test_two_thousand_linkedin_members_are_never_suggested(alice, tmp_path):
    """GIVEN an export where 2,000 connections are hidden as "LinkedIn Member" (some at one company)
    WHEN it is imported THEN every one is a person, and none is suggested as a duplicate of another:
    a placeholder is no name."""
    rows = [("LinkedIn", "Member", "Acme" if n % 2 else "") for n in range(2000)]

    summary = run_import(alice, "linkedin", connections(tmp_path, rows))

    assert (summary.created, summary.suggestions) == (2000, 0)
    assert MergeSuggestion.objects.count() == 0


def test_three_hundred_people_with_one_real_name_give_at_most_the_caps(alice, tmp_path):
    """GIVEN 300 connections called Jean Martin, all at Acme WHEN imported, then imported again
    THEN at most MAX_PER_BLOCK suggestions per block, none naming a person more than MAX_PER_PERSON
    times, and the second import adds none."""
    from restons.services.merges import MAX_PER_BLOCK, MAX_PER_PERSON

    path = connections(tmp_path, [("Jean", "Martin", "Acme")] * 300)

    first = run_import(alice, "linkedin", path)

    assert first.created == 300
    # One block for the name, one for the organisation.
    assert 0 < first.suggestions <= 2 * MAX_PER_BLOCK
    assert MergeSuggestion.objects.count() == first.suggestions
    named = {}
    for a, b in MergeSuggestion.objects.values_list("person_a_id", "person_b_id"):
        named[a], named[b] = named.get(a, 0) + 1, named.get(b, 0) + 1
    assert max(named.values()) <= MAX_PER_PERSON
    assert suggest_duplicates(alice, Person.objects.values_list("id", flat=True)) == 0
    assert run_import(alice, "linkedin", path).suggestions == 0
