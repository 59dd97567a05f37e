"""The shared save of every importer: exact rows after each sample, idempotency,
matching by identity across sources, all-or-nothing, errors, and owners kept apart."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from restons.models import (
    Affiliation, Identity, Interaction, MergeSuggestion, Milestone, Organisation, Person, SourceRecord,
)
from restons.services import imports, prepared
from restons.services.errors import UserError
from restons.services.imports import run_import
from restons.services.people import PersonInput, add_person

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
LINKEDIN = SAMPLES / "linkedin"
TABLES = (Person, Identity, Organisation, Affiliation, Milestone, Interaction, SourceRecord, MergeSuggestion)

CAMILLE = "https://www.linkedin.com/in/camille-fontaine-4a1b2c"
THEO = "https://www.linkedin.com/in/theo-marchal"
NADIA = "https://www.linkedin.com/in/nadia-okafor"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def counts(owner=None) -> dict[str, int]:
    """Rows per table (all owners, or one)."""
    return {
        model.__name__: (model.objects.filter(owner=owner) if owner else model.objects.all()).count()
        for model in TABLES
    }


def people(owner) -> list[dict]:
    """Every person of ``owner`` with what an import can give them, in name order."""
    result = []
    for p in Person.objects.filter(owner=owner).order_by("name", "id"):
        row = {
            "name": p.name,
            "identities": sorted(p.identities.values_list("kind", "value")),
            "organisations": sorted(p.affiliations.values_list("organisation__name", "title")),
        }
        if p.connected_on:
            row["connected_on"] = p.connected_on
        if p.notes:
            row["notes"] = p.notes
        milestones = sorted(p.milestones.values_list("title", "on", "yearly"))
        if milestones:
            row["milestones"] = milestones
        interactions = list(p.interactions.order_by("at").values_list("at", "direction", "channel", "summary"))
        if interactions:
            row["interactions"] = interactions
            row["last_touch"] = p.last_touch_at
        result.append(row)
    return result


def build_zip(path: Path, members: dict[str, bytes] | None = None) -> Path:
    """A LinkedIn export zip from tests/samples/linkedin/ (or the given members)."""
    if members is None:
        folder = "Complete_LinkedInDataExport_07-08-2026/"
        members = {folder + p.name: p.read_bytes() for p in sorted(LINKEDIN.iterdir())}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


# --- exact rows after each sample --------------------------------------------------

CONNECTIONS = [
    {"name": "Camille Fontaine", "identities": [("linkedin", CAMILLE)],
     "organisations": [("Brume Conseil", "Directrice")], "connected_on": date(2020, 1, 12)},
    {"name": "Inès Berthier", "identities": [("email", "ines.berthier@example.org")],
     "organisations": [("Institut Horizon", "Chercheuse")], "connected_on": date(2022, 2, 28)},
    {"name": "Nadia Okafor", "identities": [("linkedin", NADIA)],
     "organisations": [('=HYPERLINK("http://evil.example")', "Engineer")]},
    {"name": "Théo Marchal", "identities": [("linkedin", THEO)],
     "organisations": [("Atelier Lune", "Fondateur")], "connected_on": date(2021, 3, 3)},
    {"name": "Yusuf Kaya", "identities": [], "organisations": [], "connected_on": date(2019, 5, 5)},
]
CONNECTIONS_ERRORS = [
    {"where": "Connections.csv line 10", "why": "This row has one column where the header has 7; it was skipped."},
    {"where": "Connections.csv line 11, Connected On",
     "why": "'not a date' is not a date like 12 Jan 2020; the connection date was left out."},
    {"where": "Connections.csv line 12", "why": "This connection has no name; add one in LinkedIn or skip it."},
]


def test_linkedin_connections_alone(alice):
    summary = run_import(alice, "linkedin", LINKEDIN / "Connections.csv")

    assert (summary.created, summary.updated, summary.skipped, summary.interactions) == (5, 0, 0, 0)
    assert summary.errors == CONNECTIONS_ERRORS
    assert people(alice) == CONNECTIONS
    # Connected On is when you connected, not a ping: no interaction, no last touch.
    assert Interaction.objects.count() == 0
    assert set(Person.objects.values_list("last_touch_at", flat=True)) == {None}
    assert sorted(SourceRecord.objects.values_list("source", "key")) == sorted(
        [("linkedin", CAMILLE), ("linkedin", THEO), ("linkedin", NADIA),
         ("linkedin", "ines.berthier@example.org"), ("linkedin", "name:yusuf kaya")]
    )


def test_linkedin_whole_export_zip(alice, tmp_path):
    """GIVEN the complete export (Connections, messages, Invitations, Profile, guide_messages)
    WHEN it is imported
    THEN messages and invitations are interactions with the owner's direction (the capture rules:
    someone new you wrote to becomes a person, Hugo, who only invited you and is no connection, is a
    stranger), and the two Inès (email vs profile URL) are one merge suggestion."""
    summary = run_import(alice, "linkedin", build_zip(tmp_path / "Complete_LinkedInDataExport_07-08-2026.zip"))

    assert (summary.created, summary.updated, summary.skipped, summary.interactions) == (6, 0, 0, 6)
    assert summary.strangers == 1
    assert summary.errors == [
        *CONNECTIONS_ERRORS,
        {"where": "messages.csv line 8, DATE",
         "why": "The date 'yesterday' is not like 2023-05-01 14:22:10 UTC; this message was skipped."},
        {"where": "Invitations.csv line 4, Sent At",
         "why": "The date '13/45/25, 9:05 AM' is not like 7/8/26, 3:43 PM; this invitation was skipped."},
    ]
    salut = "Salut ! " * 17 + "Sal…"
    assert people(alice) == [
        {**CONNECTIONS[0], "last_touch": utc(2023, 5, 2, 9), "interactions": [
            (utc(2023, 5, 1, 14, 22, 10), "in", "linkedin", "Bonjour Alex, Ravie de t'avoir croisé hier."),
            (utc(2023, 5, 2, 9), "out", "linkedin", "Re: café"),
        ]},
        CONNECTIONS[1],
        {"name": "Inès Berthier", "identities": [("linkedin", "https://www.linkedin.com/in/ines-berthier")],
         "organisations": [], "last_touch": utc(2026, 7, 8, 15, 43),
         "interactions": [(utc(2026, 7, 8, 15, 43), "out", "linkedin",
                           "Invitation: Bonjour Inès, ravi d'échanger à la conférence.")]},
        {**CONNECTIONS[2], "last_touch": utc(2023, 6, 10, 8, 30),
         "interactions": [(utc(2023, 6, 10, 8, 30), "out", "linkedin", "Hello both")]},
        {**CONNECTIONS[3], "last_touch": utc(2023, 6, 10, 9), "interactions": [
            (utc(2023, 6, 10, 8, 30), "out", "linkedin", "Hello both"),
            (utc(2023, 6, 10, 9), "in", "linkedin", salut),
        ]},
        CONNECTIONS[4],
    ]
    # The owner (Alex Moreau, from Profile.csv/Invitations.csv) never becomes a person; nor does guide_messages' bot.
    assert not Person.objects.filter(name__in=["Alex Moreau", "LinkedIn Guide", "Hugo Lemaire"]).exists()
    assert summary.suggestions == 1
    assert list(MergeSuggestion.objects.values_list("person_a__name", "person_b__name", "reason", "status")) == [
        ("Inès Berthier", "Inès Berthier", "same-name", "pending")
    ]
    # Connected On is still not an interaction.
    assert Interaction.objects.filter(person__name="Yusuf Kaya").count() == 0


def test_linkedin_messages_uploaded_as_an_open_file_are_read_twice(alice):
    """messages.csv is read once to find the owner, then again; an upload must survive both passes."""
    upload = SimpleUploadedFile("messages.csv", (LINKEDIN / "messages.csv").read_bytes())

    summary = run_import(alice, "linkedin", upload)

    assert (summary.created, summary.interactions) == (3, 5)
    assert sorted(Interaction.objects.values_list("person__name", "direction")) == [
        ("Camille Fontaine", "in"), ("Camille Fontaine", "out"), ("Nadia Okafor", "out"),
        ("Théo Marchal", "in"), ("Théo Marchal", "out"),
    ]
    assert not upload.closed


def test_a_large_upload_on_disk_is_imported(alice):
    upload = TemporaryUploadedFile("Connections.csv", "text/csv", 0, None)
    upload.write((LINKEDIN / "Connections.csv").read_bytes())
    upload.seek(0)
    try:
        assert run_import(alice, "linkedin", upload).created == 5
    finally:
        upload.close()
    assert people(alice) == CONNECTIONS


APPLE = [
    {"name": "Lise Arnaud", "identities": [("email", "lise@example.org")], "organisations": [],
     # X-APPLE-OMIT-YEAR: a yearly birthday without a year, kept on 29 February of a leap year.
     "milestones": [("Birthday", date(2000, 2, 29), True)]},
    {"name": "Margaux Lefèvre",
     "identities": [("email", "m.lefevre@brume.example"), ("email", "margaux@example.org"),
                    ("linkedin", "https://www.linkedin.com/in/margaux-lefevre"),
                    ("phone", "+33123456789"), ("phone", "+33612345678"),
                    ("website", "https://margaux.example.org")],
     "organisations": [("Brume Conseil", "Consultante (Stratégie)")],
     "notes": "Rencontrée au salon de Lyon.\nAime le jazz, le vélo et les longues promenades.\n"
              "Related: Spouse: Julien Lefèvre\nRelated: Marraine: Rose Marin",
     "milestones": [("Birthday", date(2000, 4, 15), True)]},
    {"name": "Paul Girard", "identities": [("email", "paul.girard@example.net")],
     "organisations": [("Atelier Lune", "")],
     "milestones": [("Anniversary", date(2015, 9, 19), True), ("Birthday", date(1988, 11, 3), True)]},
]
V21 = [
    {"name": "Renée Dupé",
     "identities": [("email", "renee.dupe@example.fr"), ("phone", "+33612345678"),
                    ("website", "http://renee.example.fr")],
     "organisations": [("Boulangerie Étoile", "")]},
    {"name": "Дарина Ясенко",
     "identities": [("email", "daryna@example.org"), ("phone", "+33123456789"), ("phone", "+33698765432")],
     "organisations": [], "notes": "Première ligne\nDeuxième ligne",
     "milestones": [("Birthday", date(1990, 5, 12), True)]},
]
V40 = [
    {"name": "Jeanne Rivière",
     "identities": [("email", "jeanne.riviere@example.com"), ("phone", "+33611223344"),
                    ("website", "https://jeanne.example.com")],
     "organisations": [("Hôpital du Parc", "Cardiologue")],
     "notes": "Une note repliée sur plusieurs lignes selon la RFC.\nRelated: Spouse: Marc Rivière\n"
              "Related: Child: urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
     "milestones": [("Anniversary", date(2012, 6, 23), True), ("Birthday", date(2000, 4, 15), True)]},
    {"name": "Luc Bernard", "identities": [], "organisations": [],
     "milestones": [("Birthday", date(2000, 4, 15), True)]},
    {"name": "Éloïse Garnier", "identities": [], "organisations": [], "notes": "Birthday: vers 1980"},
]


@pytest.mark.parametrize(("sample", "expected", "errors"), [
    ("apple.vcf", APPLE, [
        {"where": "apple.vcf line 40", "why": "This card has no name (FN or N), organisation or email; it was skipped."},
        {"where": "apple.vcf line 48",
         "why": "The line 'THIS LINE IS BROKEN' could not be read (no colon) and was skipped; the rest of the card was kept."},
    ]),
    ("v21.vcf", V21, []),
    ("v40.vcf", V40, [
        {"where": "v40.vcf line 23", "why": "This card has no END:VCARD before the next card begins; it was skipped."},
    ]),
])
def test_vcard_files(alice, sample, expected, errors):
    summary = run_import(alice, "vcard", SAMPLES / "vcard" / sample)

    assert (summary.created, summary.updated, summary.skipped, summary.interactions) == (len(expected), 0, 0, 0)
    assert summary.errors == errors
    assert people(alice) == expected
    assert Interaction.objects.count() == 0


GOOGLE = [
    {"name": "Aurélie Chevalier",
     "identities": [("email", "aurelie.perso@example.org"), ("email", "aurelie@verre.example"),
                    ("linkedin", "https://www.linkedin.com/in/aurelie-chevalier"), ("phone", "+33612345678"),
                    ("website", "https://aurelie.example.org")],
     "organisations": [("Verre & Co", "Designer (Studio)")],
     "notes": "Rencontrée à Nantes\nAime la voile\nRelated: Sister: Claire Chevalier",
     "milestones": [("Anniversary", date(2015, 9, 19), True), ("Birthday", date(2000, 12, 9), True)]},
    {"name": "Jean Pierre Dubois Jr.", "identities": [("email", "jp.dubois@example.com")], "organisations": [],
     "milestones": [("Birthday", date(1975, 3, 21), True)]},
    {"name": "Mamie", "identities": [("phone", "+33655443322")], "organisations": []},
    {"name": "noname@example.org", "identities": [("email", "noname@example.org")], "organisations": []},
]
GOOGLE_OLD = [
    {"name": "Bastien Roux",
     "identities": [("email", "b.roux@example.org"), ("email", "bastien.roux@example.net"),
                    ("linkedin", "https://www.linkedin.com/in/bastien-roux"), ("phone", "+33781234567")],
     "organisations": [("Cycles Roux", "Gérant")], "notes": "Voisin\nRelated: Spouse: Anaïs Roux",
     "milestones": [("Birthday", date(1982, 7, 30), True)]},
    {"name": "Odile Faure", "identities": [("phone", "+33472001122")], "organisations": []},
]
OUTLOOK = [
    {"name": "François Mérieux",
     "identities": [("email", "francois@etoile.example"), ("phone", "+33123456789"), ("phone", "+33612345678"),
                    ("website", "https://www.etoile.example")],
     "organisations": [("Boulangerie Étoile", "Gérant (Ventes)")],
     "notes": 'Livre le pain "bio"\nle mardi\nRelated: Spouse: Hélène Mérieux',
     "milestones": [("Birthday", date(1985, 7, 4), True)]},
    {"name": "Kenji Aozora", "identities": [("email", "kenji.aozora@example.jp")], "organisations": []},
]
OUTLOOK_FR = [
    {"name": "Élodie Carpentier",
     "identities": [("email", "elodie@lune.example"), ("linkedin", "https://www.linkedin.com/in/elodie-carpentier"),
                    ("phone", "+33198765432"), ("phone", "+33611223344")],
     "organisations": [("Atelier Lune", "Ingénieure (R&D)")], "notes": "Vue au salon",
     "milestones": [("Birthday", date(1985, 7, 4), True)]},
]


@pytest.mark.parametrize(("source", "sample", "expected"), [
    ("google-csv", "google.csv", GOOGLE),
    ("google-csv", "google_old.csv", GOOGLE_OLD),
    ("outlook-csv", "outlook.csv", OUTLOOK),
    ("outlook-csv", "outlook_fr.csv", OUTLOOK_FR),
])
def test_address_book_csv_with_a_phone_region(alice, monkeypatch, source, sample, expected):
    """Numbers without + ("06 12 34 56 78") follow --region FR, whatever the default region."""
    monkeypatch.setenv("RESTONS_DEFAULT_REGION", "US")

    summary = run_import(alice, source, SAMPLES / "csv" / sample, region="FR")

    assert (summary.created, summary.updated, summary.skipped, summary.interactions) == (len(expected), 0, 0, 0)
    nobody = {"google.csv": 7, "outlook.csv": 5}
    assert summary.errors == ([{"where": f"{sample} line {nobody[sample]}", "why": "This row has no name, email, "
                                "phone or website to know the person by; it was skipped."}] if sample in nobody else [])
    assert people(alice) == expected


def test_a_number_not_valid_in_the_default_region_is_refused_not_stored_wrong(alice, monkeypatch):
    """GIVEN region US WHEN a French "06 11 22 33 44" is imported THEN one error line, and no +1 061… stored."""
    monkeypatch.setenv("RESTONS_DEFAULT_REGION", "US")

    summary = run_import(alice, "outlook-csv", SAMPLES / "csv" / "outlook_fr.csv")

    assert sorted(Identity.objects.filter(kind="phone").values_list("value", flat=True)) == ["+33198765432"]
    assert summary.errors == [{
        "where": "outlook_fr.csv line 2, Tél. mobile",
        "why": "'06 11 22 33 44' is not a valid phone number in region US; write it with + and its country code, "
               "or change the phone region in Settings",
    }]


def test_without_a_region_numbers_follow_the_owners_region(alice, monkeypatch):
    """GIVEN an instance in region US and a user whose time zone is Paris WHEN importing THEN FR applies."""
    from restons.services.accounts import save_settings

    monkeypatch.setenv("RESTONS_DEFAULT_REGION", "US")
    save_settings(alice, language="en", time_zone="Europe/Paris")

    run_import(alice, "outlook-csv", SAMPLES / "csv" / "outlook_fr.csv")

    assert sorted(Identity.objects.filter(kind="phone").values_list("value", flat=True)) == [
        "+33198765432", "+33611223344"
    ]


# --- idempotency ------------------------------------------------------------------


@pytest.mark.parametrize(("source", "sample"), [
    ("linkedin", "linkedin/Connections.csv"),
    ("linkedin", "linkedin_old/Connections.csv"),
    ("linkedin", "zip"),
    ("vcard", "vcard/apple.vcf"),
    ("vcard", "vcard/v21.vcf"),
    ("vcard", "vcard/v40.vcf"),
    ("google-csv", "csv/google.csv"),
    ("google-csv", "csv/google_old.csv"),
    ("outlook-csv", "csv/outlook.csv"),
    ("outlook-csv", "csv/outlook_fr.csv"),
])
def test_the_same_file_twice_changes_nothing(alice, tmp_path, source, sample):
    path = build_zip(tmp_path / "export.zip") if sample == "zip" else SAMPLES / sample
    first = run_import(alice, source, path, region="FR")
    before = counts()
    rows = people(alice)

    second = run_import(alice, source, path, region="FR")

    assert counts() == before
    assert people(alice) == rows
    assert (second.created, second.updated, second.interactions, second.suggestions) == (0, 0, 0, 0)
    # Every contact read, none saved again (messages are conversations: found stored, not "unchanged people").
    assert second.skipped == first.records - len(first.errors) - (6 if sample == "zip" else 0)
    assert second.errors == first.errors


def test_a_reimport_takes_what_changed_and_reports_again_what_it_refused(alice, tmp_path):
    """GIVEN three cards imported, one with a number that is no phone number WHEN a later export changes
    one card and adds one THEN only those two are written, the refused number is reported again, and
    that export once more changes nothing."""
    ana = ("Ana Lopez", ["EMAIL:ana@example.org", "TEL:+33 6 90 55 25 36"])  # no such French mobile
    cy = ("Cy Martin", ["EMAIL:cy@example.org", "BDAY:1990-04-15"])
    first = run_import(alice, "vcard", vcf(tmp_path, "contacts.vcf", ana, ("Bo Long", ["EMAIL:bo@example.org"]), cy))
    refused = [{"where": "contacts.vcf line 5, TEL", "why": "'+33 6 90 55 25 36' is not a valid phone number"}]
    assert (first.created, first.errors) == (3, refused)

    # A new card first: every other card is further down the file, the same text.
    later = vcf(tmp_path, "contacts.vcf", ("Dee Ray", ["EMAIL:dee@example.org"]), ana,
                ("Bo Long", ["EMAIL:bo@example.org", "TEL:06 12 34 56 78", "ORG:Acme;", "TITLE:Designer"]), cy)
    second = run_import(alice, "vcard", later, region="FR")

    refused = [{**refused[0], "where": "contacts.vcf line 10, TEL"}]  # reported again, where it is now
    assert (second.created, second.updated, second.skipped, second.errors) == (1, 1, 2, refused)
    assert people(alice) == [
        {"name": "Ana Lopez", "identities": [("email", "ana@example.org")], "organisations": []},
        {"name": "Bo Long", "identities": [("email", "bo@example.org"), ("phone", "+33612345678")],
         "organisations": [("Acme", "Designer")]},
        {"name": "Cy Martin", "identities": [("email", "cy@example.org")], "organisations": [],
         "milestones": [("Birthday", date(1990, 4, 15), True)]},
        {"name": "Dee Ray", "identities": [("email", "dee@example.org")], "organisations": []},
    ]
    before = counts()
    third = run_import(alice, "vcard", later, region="FR")
    assert (third.created, third.updated, third.skipped, third.errors) == (0, 0, 4, refused)
    assert counts() == before


def test_a_reimport_in_another_phone_region_reads_the_numbers_again(alice, tmp_path):
    """A number without + is read in the import's region: the same card in another region is not "unchanged"."""
    path = vcf(tmp_path, "one.vcf", ("Ana Lopez", ["EMAIL:ana@example.org", "TEL:06 12 34 56 78"]))
    assert run_import(alice, "vcard", path, region="FR").errors == []

    again = run_import(alice, "vcard", path, region="US")

    assert again.errors == [{"where": "one.vcf line 5, TEL",
                             "why": "'06 12 34 56 78' is not a valid phone number in region US; write it with + "
                                    "and its country code, or change the phone region in Settings"}]
    assert (again.created, again.updated, again.skipped) == (0, 0, 1)
    assert list(Identity.objects.filter(kind="phone").values_list("value", flat=True)) == ["+33612345678"]


def test_a_connection_that_changed_is_updated_and_the_others_stay_as_they_are(alice, tmp_path):
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    rows = ["Ana,Lopez,https://www.linkedin.com/in/ana-lopez,,Acme,Designer,1 Jan 2020\n",
            "Bo,Long,https://www.linkedin.com/in/bo-long,,,,2 Feb 2021\n"]
    path = tmp_path / "Connections.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    run_import(alice, "linkedin", path)

    path.write_text(header + rows[0] + "Bo,Long,https://www.linkedin.com/in/bo-long,bo@example.org,Globex,CTO,"
                    "2 Feb 2021\n", encoding="utf-8")
    summary = run_import(alice, "linkedin", path)

    assert (summary.created, summary.updated, summary.skipped) == (0, 1, 1)
    assert people(alice)[1] == {
        "name": "Bo Long", "identities": [("email", "bo@example.org"), ("linkedin", "https://www.linkedin.com/in/bo-long")],
        "organisations": [("Globex", "CTO")], "connected_on": date(2021, 2, 2)}


# --- matching by identity across sources ----------------------------------------------

CARD = """BEGIN:VCARD
VERSION:3.0
FN:{name}
{lines}
END:VCARD
"""


def vcf(tmp_path: Path, name: str, *cards: tuple[str, list[str]]) -> Path:
    path = tmp_path / name
    path.write_text("".join(CARD.format(name=n, lines="\n".join(lines)) for n, lines in cards), encoding="utf-8")
    return path


def test_a_vcard_with_a_connections_profile_url_or_email_updates_that_person(alice, tmp_path):
    """GIVEN the LinkedIn connections
    WHEN an address book holds Camille (by her profile URL, in another spelling) and Inès (by email)
    THEN both are updated with what the cards add, and nobody is duplicated."""
    run_import(alice, "linkedin", LINKEDIN / "Connections.csv")
    path = vcf(tmp_path, "contacts.vcf",
               ("Camille Fontaine", ["URL:https://fr.linkedin.com/in/Camille-Fontaine-4A1B2C/",
                                     "EMAIL:camille@brume.example", "TEL:+33 6 01 02 03 04",
                                     "BDAY:--06-21", "NOTE:Aime le théâtre"]),
               ("Ines Berthier", ["EMAIL:Ines.Berthier@EXAMPLE.org", "ORG:Université de Nantes",
                                  "TITLE:Maîtresse de conférences"]))

    summary = run_import(alice, "vcard", path)

    assert (summary.created, summary.updated, summary.skipped) == (0, 2, 0)
    assert Person.objects.count() == 5
    camille = people(alice)[0]
    assert camille == {
        "name": "Camille Fontaine",
        "identities": [("email", "camille@brume.example"), ("linkedin", CAMILLE), ("phone", "+33601020304")],
        "organisations": [("Brume Conseil", "Directrice")], "connected_on": date(2020, 1, 12),
        "notes": "Aime le théâtre", "milestones": [("Birthday", date(2000, 6, 21), True)],
    }
    ines = people(alice)[1]
    assert ines["name"] == "Inès Berthier"  # the name already kept is not overwritten
    assert ines["organisations"] == [("Institut Horizon", "Chercheuse"),
                                     ("Université de Nantes", "Maîtresse de conférences")]
    assert MergeSuggestion.objects.count() == 0


def test_a_person_added_by_hand_is_matched_by_email(alice, tmp_path):
    manual = add_person(alice, PersonInput(name="Jean-Pierre Dubois", emails=["JP.Dubois@example.com"]))

    summary = run_import(alice, "google-csv", SAMPLES / "csv" / "google.csv")

    assert (summary.created, summary.updated) == (3, 1)
    manual.refresh_from_db()
    assert manual.name == "Jean-Pierre Dubois"
    assert list(manual.milestones.values_list("title", "on", "yearly")) == [("Birthday", date(1975, 3, 21), True)]
    assert Person.objects.filter(name__startswith="Jean").count() == 1


def test_messages_attach_to_the_connection_with_that_profile(alice):
    run_import(alice, "linkedin", LINKEDIN / "Connections.csv")
    camille = Person.objects.get(name="Camille Fontaine")

    summary = run_import(alice, "linkedin", LINKEDIN / "messages.csv")

    assert (summary.created, summary.interactions) == (0, 5)
    camille.refresh_from_db()
    assert camille.interactions.count() == 2
    assert (camille.last_touch_at, camille.last_in_at, camille.last_out_at) == (
        utc(2023, 5, 2, 9), utc(2023, 5, 1, 14, 22, 10), utc(2023, 5, 2, 9)
    )


# --- within one file ----------------------------------------------------------------


@pytest.mark.parametrize("batch", [1000, 1])
def test_the_same_contact_twice_in_a_file_is_one_person_whatever_the_batch(alice, tmp_path, monkeypatch, batch):
    monkeypatch.setattr(imports, "BATCH", batch)
    path = vcf(tmp_path, "twice.vcf",
               ("Zoé Perrin", ["EMAIL:zoe@example.org", "NOTE:Première fiche"]),
               ("Zoé Perrin", ["EMAIL:zoe@example.org", "TEL:+33 6 10 20 30 40", "NOTE:Seconde fiche"]))
    csv_path = tmp_path / "Connections.csv"
    csv_path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                        "Yusuf,Kaya,,,,,5 May 2019\nYusuf,Kaya,,,Kaya & Fils,Gérant,1 Jan 2018\n", encoding="utf-8")

    run_import(alice, "vcard", path)
    run_import(alice, "linkedin", csv_path)

    assert people(alice) == [
        {"name": "Yusuf Kaya", "identities": [], "organisations": [("Kaya & Fils", "Gérant")],
         "connected_on": date(2018, 1, 1)},
        {"name": "Zoé Perrin", "identities": [("email", "zoe@example.org"), ("phone", "+33610203040")],
         "organisations": [], "notes": "Première fiche\nSeconde fiche"},
    ]


def test_a_name_only_sender_is_one_person_not_one_per_message(alice, tmp_path, monkeypatch):
    """Old messages.csv exports have no profile URLs: three messages with Hugo make one Hugo."""
    monkeypatch.setattr(imports, "BATCH", 2)
    path = tmp_path / "messages.csv"
    path.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
        "c1,,Hugo Lemaire,Alex Moreau,2022-01-03 10:00:00 UTC,,Salut,INBOX\n"
        "c1,,Alex Moreau,Hugo Lemaire,2022-01-04 10:00:00 UTC,,Re: salut,SENT\n"
        "c1,,Hugo Lemaire,Alex Moreau,2022-01-05 10:00:00 UTC,,Merci,INBOX\n",
        encoding="utf-8",
    )

    summary = run_import(alice, "linkedin", path)

    assert (summary.created, summary.interactions, summary.suggestions) == (1, 3, 0)
    assert people(alice) == [{
        "name": "Hugo Lemaire", "identities": [], "organisations": [], "last_touch": utc(2022, 1, 5, 10),
        "interactions": [(utc(2022, 1, 3, 10), "in", "linkedin", "Salut"),
                         (utc(2022, 1, 4, 10), "out", "linkedin", "Re: salut"),
                         (utc(2022, 1, 5, 10), "in", "linkedin", "Merci")],
    }]


def test_odd_values_are_reported_or_fitted_not_a_database_error(alice, tmp_path):
    """A position without a company makes no nameless organisation; over-long values fit their
    columns (PostgreSQL refuses longer ones) or, for an address, are reported."""
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Lopez,,,,Freelance designer,1 Jan 2020\n"
        f"Bo,Long,,,{'X' * 400},{'T' * 400},1 Jan 2020\n"
        f"Cy,{'Y' * 400},,,,,1 Jan 2020\n"
        f"Di,Web,https://www.linkedin.com/in/{'z' * 600},,,,1 Jan 2020\n",
        encoding="utf-8",
    )

    summary = run_import(alice, "linkedin", path)

    assert summary.created == 4
    assert summary.errors == [
        {"where": "Connections.csv line 3, Company", "why": "This text is 400 characters long; it was cut to the first 300."},
        {"where": "Connections.csv line 3, Position", "why": "This text is 400 characters long; it was cut to the first 300."},
        {"where": "Connections.csv line 4, First Name",
         "why": "This text is 403 characters long; it was cut to the first 300."},
        {"where": "Connections.csv line 5, URL",
         "why": "https://www.linkedin.com/in/zzzzzzzzzzzz… is longer than 500 characters; it was left out."},
    ]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["X" * 300]
    assert list(Affiliation.objects.values_list("title", flat=True)) == ["T" * 300]
    assert len(Person.objects.get(name__startswith="Cy").name) == 300
    assert Identity.objects.count() == 0


# --- all or nothing -----------------------------------------------------------------


def zip_slip(tmp_path: Path) -> Path:
    return build_zip(tmp_path / "slip.zip", {
        "Connections.csv": (LINKEDIN / "Connections.csv").read_bytes(),
        "../../outside/Connections.csv": b"First Name,Last Name\nEvil,Twin\n",
    })


def zip_bomb(tmp_path: Path) -> Path:
    return build_zip(tmp_path / "bomb.zip", {
        "Connections.csv": (LINKEDIN / "Connections.csv").read_bytes(),
        "messages.csv": b"\0" * (8 * 1024 * 1024),
    })


@pytest.mark.parametrize(("make", "reason"), [
    (zip_slip, "slip.zip: The archive member ../../outside/Connections.csv points outside the archive; "
               "the archive was refused."),
    (zip_bomb, "bomb.zip: The archive member messages.csv is compressed more than 200 to 1, like a zip bomb."),
])
def test_an_unsafe_zip_is_refused_and_writes_nothing(alice, tmp_path, make, reason):
    add_person(alice, PersonInput(name="Already Here"))
    before = counts()

    with pytest.raises(UserError) as refused:
        run_import(alice, "linkedin", make(tmp_path))

    assert str(refused.value) == reason
    assert "\n" not in str(refused.value)
    assert counts() == before
    assert not (tmp_path.parent / "outside").exists()


def test_a_failure_in_the_middle_keeps_whole_batches_and_a_rerun_ends_clean(alice, bob, monkeypatch):
    """GIVEN batches of two records, and a save that breaks while writing the second batch
    WHEN Connections.csv (five people) is imported THEN the error comes through, the first batch is
    kept whole and the second not at all; AND running the import again ends exactly as a clean import."""
    from tests.services.snapshots import snapshot

    add_person(alice, PersonInput(name="Already Here", emails=["here@example.org"]))
    add_person(bob, PersonInput(name="Already Here", emails=["here@example.org"]))
    monkeypatch.setattr(imports, "BATCH", 2)
    # Each batch its own transaction on SQLite too (there, batches written within half a second share one).
    monkeypatch.setattr(prepared, "SQLITE_HOLD", 0)
    monkeypatch.setattr(prepared, "SQLITE_PAUSE", 0)
    original = imports.Saver.save_contacts
    seen = []

    def save_then_break(self, records):
        original(self, records)
        seen.append(Person.objects.filter(owner=alice).count())
        if len(seen) == 2:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports.Saver, "save_contacts", save_then_break)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(alice, "linkedin", LINKEDIN / "Connections.csv")
    assert seen == [3, 5]  # the second batch was written before the failure…
    assert Person.objects.filter(owner=alice).count() == 3  # …and rolled back alone.

    monkeypatch.setattr(imports.Saver, "save_contacts", original)
    run_import(alice, "linkedin", LINKEDIN / "Connections.csv")
    run_import(bob, "linkedin", LINKEDIN / "Connections.csv")
    assert snapshot(alice) == snapshot(bob)


def test_a_file_that_is_not_an_export_is_one_line_and_nothing(alice, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"PK\x03\x04 definitely not a zip")

    with pytest.raises(UserError) as refused:
        run_import(alice, "linkedin", path)

    assert str(refused.value) == ("notes.zip: it could not be read as a zip archive (File is not a zip file); "
                                  "expected LinkedIn's data export .zip")
    assert counts() == {model.__name__: 0 for model in TABLES}


def test_an_unknown_source_is_a_user_error(alice):
    with pytest.raises(UserError, match="unknown import source 'mbox2'"):
        run_import(alice, "mbox2", LINKEDIN / "Connections.csv")


def test_rows_that_cannot_be_read_are_reported_with_where_and_why_and_the_rest_imported(alice, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(CARD.format(name="Good One", lines="EMAIL:good@example.org")
                    + CARD.format(name="Bad Address", lines="EMAIL:not-an-address\nTEL:*123#")
                    + "BEGIN:VCARD\nVERSION:3.0\nNOTE:who?\nEND:VCARD\n", encoding="utf-8")

    summary = run_import(alice, "vcard", path)

    assert summary.created == 2
    # Parse errors come as the file is read, address errors as each batch is saved.
    assert sorted(summary.errors, key=lambda e: (e["where"], e["why"])) == [
        {"where": "contacts.vcf line 10, TEL", "why": "'*123#' is not a phone number"},
        {"where": "contacts.vcf line 12",
         "why": "This card has no name (FN or N), organisation or email; it was skipped."},
        {"where": "contacts.vcf line 9, EMAIL", "why": "'not-an-address' is not an email address"},
    ]
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Bad Address", "Good One"]


# --- owners ---------------------------------------------------------------------------


def test_bob_importing_the_same_file_gets_his_own_people(alice, bob, tmp_path):
    path = build_zip(tmp_path / "export.zip")
    run_import(alice, "linkedin", path)
    alice_rows, alice_counts = people(alice), counts(alice)

    summary = run_import(bob, "linkedin", path)

    assert (summary.created, summary.updated, summary.interactions) == (6, 0, 6)
    assert people(bob) == alice_rows
    assert counts(alice) == alice_counts
    assert counts(bob) == alice_counts
    assert not Person.objects.filter(owner=bob, interactions__owner=alice).exists()
    assert not Identity.objects.filter(owner=bob, person__owner=alice).exists()
    assert not Affiliation.objects.filter(owner=bob, organisation__owner=alice).exists()
    assert not MergeSuggestion.objects.filter(owner=bob, person_a__owner=alice).exists()


def test_the_summary_as_json_has_the_contract_fields(alice):
    summary = run_import(alice, "linkedin", io.BytesIO((LINKEDIN / "Connections.csv").read_bytes()))

    data = summary.as_json()
    assert {"created", "updated", "skipped", "interactions", "errors"} <= data.keys()
    assert data["created"] == 5
    assert data["errors"] == [{**error, "where": error["where"].replace("Connections.csv", "upload")}
                              for error in CONNECTIONS_ERRORS]


def test_birthdays_are_stored_in_the_readers_language_and_not_duplicated_in_another(alice, tmp_path):
    """GIVEN a vCard imported in French WHEN it is imported again in English THEN one birthday, titled in French."""
    from django.utils import translation

    from restons.models import Milestone

    card = tmp_path / "one.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lina Haddad\r\nEMAIL:lina@example.org\r\n"
                    "BDAY:1990-04-15\r\nEND:VCARD\r\n", encoding="utf-8")
    with translation.override("fr"):
        run_import(alice, "vcard", card)
    with translation.override("en"):
        run_import(alice, "vcard", card)
    assert list(Milestone.objects.values_list("title", "on", "yearly")) == [("Anniversaire", date(1990, 4, 15), True)]


# --- files that are not what their source expects ------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
NOISE = bytes((i * 131 + 7) % 256 for i in range(4096))
LINKEDIN_EXPECTED = "expected a LinkedIn export (the .zip, Connections.csv, messages.csv or Invitations.csv)"


@pytest.mark.parametrize(("source", "name", "data", "message"), [
    ("vcard", "photo.vcf", PNG, "photo.vcf: no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"),
    ("vcard", "empty.vcf", b"", "empty.vcf: the file is empty; expected a vCard file (.vcf)"),
    ("vcard", "noise.vcf", NOISE, "noise.vcf: no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"),
    ("google-csv", "photo.csv", PNG, "photo.csv: no header row with First Name, Last Name in its first lines; "
                                     "expected a Google Contacts CSV export"),
    ("google-csv", "empty.csv", b"", "empty.csv: the file is empty; expected a Google Contacts CSV export"),
    ("outlook-csv", "noise.csv", NOISE, "noise.csv: no header row with First Name, Last Name in its first lines; "
                                        "expected an Outlook CSV export"),
    ("outlook-csv", "google.csv", (SAMPLES / "csv" / "google.csv").read_bytes().replace(b"First Name", b"Given")
     .replace(b"Last Name", b"Family").replace(b"Nickname", b"Alias"),
     "google.csv: no header row with First Name, Last Name in its first lines; expected an Outlook CSV export"),
    ("linkedin", "Connections.csv", PNG, "Connections.csv: no header row with First Name and Last Name in its first "
                                         "lines; expected LinkedIn's Connections.csv"),
    ("linkedin", "messages.csv", (LINKEDIN / "Connections.csv").read_bytes(),
     "messages.csv: no header row with FROM, DATE and CONTENT in its first lines; expected LinkedIn's messages.csv"),
    ("linkedin", "Invitations.csv", b"", f"Invitations.csv: the file is empty; {LINKEDIN_EXPECTED}"),
    ("linkedin", "export.zip", NOISE, "export.zip: it could not be read as a zip archive (File is not a zip file); "
                                      "expected LinkedIn's data export .zip"),
])
def test_a_file_that_is_not_what_its_source_expects_is_refused_in_one_line(alice, source, name, data, message):
    add_person(alice, PersonInput(name="Already Here"))
    before = counts()

    with pytest.raises(UserError) as refused:
        run_import(alice, source, named(name, data))

    assert str(refused.value) == message
    assert counts() == before


def named(name: str, data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_an_import_that_finds_nothing_is_refused_with_its_first_problem(alice):
    data = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            b",,https://www.linkedin.com/in/a,,,,\n,,https://www.linkedin.com/in/b,,,,\n")

    with pytest.raises(UserError) as refused:
        run_import(alice, "linkedin", named("Connections.csv", data))

    assert str(refused.value) == (
        "Connections.csv: nothing in it could be imported; 2 problems, the first: Connections.csv line 2: "
        "This connection has no name; add one in LinkedIn or skip it.")
    assert counts() == {model.__name__: 0 for model in TABLES}


def test_a_file_whose_records_are_all_there_already_is_a_success_that_imports_nothing(alice):
    run_import(alice, "vcard", SAMPLES / "vcard" / "v21.vcf")

    summary = run_import(alice, "vcard", SAMPLES / "vcard" / "v21.vcf")

    assert (summary.created, summary.updated, summary.skipped, summary.interactions) == (0, 0, 2, 0)
    assert not summary.imported


@pytest.mark.parametrize("damage", ["corrupt deflate data", "a size that lies"])
def test_a_zip_with_a_damaged_member_is_refused_whole(alice, tmp_path, damage):
    """GIVEN the whole export, whose messages.csv is damaged after Connections.csv was read fine
    WHEN it is imported THEN it is refused in one line naming the member, and nothing is written."""
    from tests.importers.test_linkedin import corrupt_member_data, lie_about_size

    data = build_zip(tmp_path / "export.zip").read_bytes()
    member = "Complete_LinkedInDataExport_07-08-2026/messages.csv"
    data = corrupt_member_data(data, member) if damage == "corrupt deflate data" else lie_about_size(data, member, 9)

    with pytest.raises(UserError) as refused:
        run_import(alice, "linkedin", named("export.zip", data))

    assert str(refused.value).startswith(f"export.zip: the archive member {member} is damaged (")
    assert str(refused.value).endswith("); nothing was imported. Download the export again.")
    assert counts() == {model.__name__: 0 for model in TABLES}


# --- values checked on the way in ------------------------------------------------------------


def test_dates_out_of_range_or_in_the_future_are_reported_and_never_stored(alice, time_machine):
    """GIVEN messages dated 9999-12-31, 1850, in a month's time, and a good one
    WHEN imported on 15 June 2026 THEN only the good one is stored and each other is reported at its DATE."""
    time_machine.move_to(datetime(2026, 6, 15, 12, tzinfo=UTC), tick=False)
    data = ("CONVERSATION ID,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
            "c1,Ana Lopez,https://www.linkedin.com/in/ana,Me,9999-12-31 23:59:59 UTC,,Hi,INBOX\n"
            "c1,Ana Lopez,https://www.linkedin.com/in/ana,Me,1850-01-01 10:00:00 UTC,,Hi,INBOX\n"
            "c1,Ana Lopez,https://www.linkedin.com/in/ana,Me,2026-07-15 10:00:00 UTC,,Hi,INBOX\n"
            "c1,Ana Lopez,https://www.linkedin.com/in/ana,Me,2026-06-15 12:03:00 UTC,,Hello,INBOX\n")

    summary = run_import(alice, "linkedin", named("messages.csv", data.encode()))

    assert summary.errors == [
        {"where": "messages.csv line 2, DATE", "why": "9999-12-31 is out of range (1900-01-01 to 2199-12-31); "
                                                      "it was left out."},
        {"where": "messages.csv line 3, DATE", "why": "1850-01-01 is out of range (1900-01-01 to 2199-12-31); "
                                                      "it was left out."},
        {"where": "messages.csv line 4, DATE",
         "why": "2026-07-15T10:00+00:00 is in the future; a ping records something that already happened, "
                "so this one was left out."},
    ]
    # Three minutes ahead is a clock running fast, not the future (as for `restons ping`).
    assert list(Interaction.objects.values_list("at", "summary")) == [(utc(2026, 6, 15, 12, 3), "Hello")]


def test_dates_of_contacts_out_of_range_are_reported_and_left_out(alice, tmp_path):
    connections = tmp_path / "Connections.csv"
    connections.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                           "Ana,Lopez,,,,,1 Jan 1850\n", encoding="utf-8")
    cards = vcf(tmp_path, "old.vcf", ("Bo Long", ["BDAY:1899-12-31", "ANNIVERSARY:2200-01-01", "X-ABDATE:--02-29"]))

    first = run_import(alice, "linkedin", connections)
    second = run_import(alice, "vcard", cards)

    assert first.errors == [{"where": "Connections.csv line 2, Connected On",
                             "why": "1850-01-01 is out of range (1900-01-01 to 2199-12-31); it was left out."}]
    assert second.errors == [
        {"where": "old.vcf line 4, BDAY", "why": "1899-12-31 is out of range (1900-01-01 to 2199-12-31); it was left out."},
        {"where": "old.vcf line 5, ANNIVERSARY",
         "why": "2200-01-01 is out of range (1900-01-01 to 2199-12-31); it was left out."},
    ]
    assert people(alice) == [
        {"name": "Ana Lopez", "identities": [], "organisations": []},
        {"name": "Bo Long", "identities": [], "organisations": [], "milestones": [("Date", date(2000, 2, 29), True)]},
    ]


def test_a_huge_note_is_cut_at_the_text_limit_and_the_cut_reported(alice, tmp_path):
    """A 3 MB NOTE (30 MB ones exist) is kept as its first 10,000 characters, the last one an ellipsis."""
    note = "Très long. " * 300_000
    cards = vcf(tmp_path, "big.vcf", ("Ana Lopez", ["EMAIL:ana@example.org", f"NOTE:{note}"]))

    summary = run_import(alice, "vcard", cards)

    assert summary.errors == [{"where": "big.vcf line 5, NOTE",
                               "why": "This text is 3299999 characters long; it was cut to the first 10000."}]
    stored = Person.objects.get().notes
    assert len(stored) == 10_000 and stored.endswith("…") and stored.startswith("Très long. Très")


def test_notes_gathered_from_several_cards_stay_within_the_limit(alice, tmp_path):
    cards = vcf(tmp_path, "twice.vcf", ("Ana Lopez", ["EMAIL:ana@example.org", "NOTE:" + "a" * 6000]),
                ("Ana Lopez", ["EMAIL:ana@example.org", "NOTE:" + "b" * 6000]))

    summary = run_import(alice, "vcard", cards)

    assert summary.errors == [{"where": "twice.vcf line 11, NOTE",
                               "why": "This text is 12001 characters long; it was cut to the first 10000."}]
    assert len(Person.objects.get().notes) == 10_000


def test_nul_bytes_are_removed_and_reported_once(alice):
    """PostgreSQL refuses NUL in text: they are removed while reading, and the file says where the first was."""
    data = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            b"Ana,Lo\x00pez,,ana@exam\x00ple.org,Ac\x00me,,\n"
            b"Bo,Long,,,,,\n")

    summary = run_import(alice, "linkedin", named("Connections.csv", data))

    assert summary.errors == [{"where": "Connections.csv line 2",
                               "why": "3 NUL bytes (\\0) were removed, the first here; a text export never holds them."}]
    assert people(alice) == [
        {"name": "Ana Lopez", "identities": [("email", "ana@example.org")], "organisations": [("Acme", "")]},
        {"name": "Bo Long", "identities": [], "organisations": []},
    ]


def test_a_csv_from_excel_for_mac_with_cr_line_endings_and_a_bare_cr_in_a_field(alice):
    """CR-only lines import like LF ones; a CR inside a quoted field is a line break of that field."""
    lf = (SAMPLES / "csv" / "outlook.csv").read_bytes().replace(b"\r\n", b"\n")
    mac = lf.replace(b"\n", b"\r")

    summary = run_import(alice, "outlook-csv", named("outlook.csv", mac), region="FR")

    assert (summary.created, [e["where"] for e in summary.errors]) == (2, ["outlook.csv line 5"])
    assert people(alice) == OUTLOOK


def test_where_and_why_in_french(alice):
    from django.utils import translation

    with translation.override("fr"):
        summary = run_import(alice, "linkedin", LINKEDIN / "Connections.csv")

    assert summary.errors[1] == {
        "where": "Connections.csv ligne 11, Connected On",
        "why": "'not a date' n’est pas une date de la forme 12 Jan 2020\u00a0; la date de mise en relation a été "
               "laissée de côté.",
    }


def test_an_import_collects_garbage_less_often_and_gives_the_threshold_back(alice, tmp_path, monkeypatch):
    import gc

    seen = []
    saver = imports.Saver.save_contacts

    def save_contacts(self, records):
        seen.append(gc.get_threshold()[0])
        return saver(self, records)

    monkeypatch.setattr(imports.Saver, "save_contacts", save_contacts)
    before = gc.get_threshold()
    run_import(alice, "linkedin", LINKEDIN / "Connections.csv")
    assert seen and set(seen) == {max(before[0], imports.GC_THRESHOLD)}
    assert gc.get_threshold() == before
    empty = tmp_path / "contacts.vcf"
    empty.write_text("")
    with pytest.raises(UserError):
        run_import(alice, "vcard", empty)
    assert gc.get_threshold() == before
