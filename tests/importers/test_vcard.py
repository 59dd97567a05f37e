"""vCard parser: Apple 3.0, Android/Outlook 2.1, 4.0, and broken cards."""

from __future__ import annotations

from datetime import date

from restons.importers import vcard
from restons.importers.records import ContactRecord, MilestoneRecord, ParseError
from restons.importers.textfiles import stable_key


def test_apple_vcard(samples):
    records = list(vcard.parse(samples / "vcard" / "apple.vcf"))
    assert records == [
        # Item groups and labels, two emails, duplicate phone dropped, LinkedIn URL apart from the
        # website (Apple's "https\://" unescaped), ORG department into the title, folded NOTE with
        # escapes, related names as note lines, the 1604 "no year" birthday, the photo ignored.
        ContactRecord(
            where="apple.vcf card 1",
            source_key="6B29A4E1-5F7C-4D0B-9E65-1F2A3B4C5D6E",
            name="Margaux Lefèvre",
            emails=["margaux@example.org", "m.lefevre@brume.example"],
            phones=["+33 6 12 34 56 78", "+33 1 23 45 67 89"],
            linkedin="https://www.linkedin.com/in/margaux-lefevre",
            websites=["https://margaux.example.org"],
            organisations=[("Brume Conseil", "Consultante (Stratégie)")],
            notes="Rencontrée au salon de Lyon.\nAime le jazz, le vélo et les longues promenades.\n"
            "Related: Spouse: Julien Lefèvre\nRelated: Marraine: Rose Marin",
            milestones=[MilestoneRecord("Birthday", date(2000, 4, 15), yearly=True)],
        ),
        # No UID: a stable hash; emoji dropped from FN; a birthday with its year; a labelled X-ABDATE.
        ContactRecord(
            where="apple.vcf card 2",
            source_key=stable_key("vcard", "Paul Girard", ["paul.girard@example.net"]),
            name="Paul Girard",
            emails=["paul.girard@example.net"],
            organisations=[("Atelier Lune", "")],
            milestones=[
                MilestoneRecord("Birthday", date(1988, 11, 3), yearly=True),
                MilestoneRecord("Anniversary", date(2015, 9, 19), yearly=True),
            ],
        ),
        ParseError("apple.vcf card 3", "This card has no name (FN or N), organisation or email; it was skipped."),
        # A line without a colon is reported, the rest of the card kept; N used without FN;
        # quoted X-APPLE-OMIT-YEAR with a basic-format date on 29 February.
        ParseError(
            "apple.vcf card 4",
            "The line 'THIS LINE IS BROKEN' could not be read (no colon) and was skipped; the rest of the card was kept.",
        ),
        ContactRecord(
            where="apple.vcf card 4",
            source_key=stable_key("vcard", "Lise Arnaud", ["lise@example.org"]),
            name="Lise Arnaud",
            emails=["lise@example.org"],
            milestones=[MilestoneRecord("Birthday", date(2000, 2, 29), yearly=True)],
        ),
    ]


def test_vcard_21_quoted_printable(samples):
    """QP with soft line breaks in UTF-8, QP in windows-1252 and without charset, a cp1252 byte in ORG."""
    assert list(vcard.parse(samples / "vcard" / "v21.vcf")) == [
        ContactRecord(
            where="v21.vcf card 1",
            source_key=stable_key(
                "vcard", "Дарина Ясенко", ["daryna@example.org", "+33 6 98 76 54 32", "+33 1 23 45 67 89"]
            ),
            name="Дарина Ясенко",
            emails=["daryna@example.org"],
            phones=["+33 6 98 76 54 32", "+33 1 23 45 67 89"],
            notes="Première ligne\nDeuxième ligne",
            milestones=[MilestoneRecord("Birthday", date(1990, 5, 12), yearly=True)],
        ),
        ContactRecord(
            where="v21.vcf card 2",
            source_key=stable_key("vcard", "Renée Dupé", ["renee.dupe@example.fr", "06 12 34 56 78"]),
            name="Renée Dupé",
            emails=["renee.dupe@example.fr"],
            phones=["06 12 34 56 78"],
            websites=["http://renee.example.fr"],
            organisations=[("Boulangerie Étoile", "")],
        ),
    ]


def test_vcard_40_and_a_card_without_end(samples):
    assert list(vcard.parse(samples / "vcard" / "v40.vcf")) == [
        # BOM before BEGIN; TEL as a tel: URI with a quoted TYPE list; --0415; ANNIVERSARY; RELATED.
        ContactRecord(
            where="v40.vcf card 1",
            source_key="urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
            name="Jeanne Rivière",
            emails=["jeanne.riviere@example.com"],
            phones=["+33-6-11-22-33-44"],
            websites=["https://jeanne.example.com"],
            organisations=[("Hôpital du Parc", "Cardiologue")],
            notes="Une note repliée sur plusieurs lignes selon la RFC.\nRelated: Spouse: Marc Rivière\n"
            "Related: Child: urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
            milestones=[
                MilestoneRecord("Birthday", date(2000, 4, 15), yearly=True),
                MilestoneRecord("Anniversary", date(2012, 6, 23), yearly=True),
            ],
        ),
        # N without FN (the "Dr." prefix left out), --04-15.
        ContactRecord(
            where="v40.vcf card 2",
            source_key=stable_key("vcard", "Luc Bernard", []),
            name="Luc Bernard",
            milestones=[MilestoneRecord("Birthday", date(2000, 4, 15), yearly=True)],
        ),
        ParseError("v40.vcf card 3", "This card has no END:VCARD before the next card begins; it was skipped."),
        # A free-text birthday is kept in the notes.
        ContactRecord(
            where="v40.vcf card 4",
            source_key=stable_key("vcard", "Éloïse Garnier", []),
            name="Éloïse Garnier",
            notes="Birthday: vers 1980",
        ),
    ]


def test_file_cut_short(tmp_path):
    path = tmp_path / "cut.vcf"
    path.write_bytes(b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada Verin\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Bo")
    records = list(vcard.parse(path))
    assert [type(r).__name__ for r in records] == ["ContactRecord", "ParseError"]
    assert records[1].where == "cut.vcf card 2"
    assert "ends without END:VCARD" in records[1].why


def test_org_email_fallbacks_and_linkedin_social_profile(tmp_path):
    path = tmp_path / "fallback.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Atelier Lune\r\nEMAIL:contact@lune.example\r\n"
        "X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/Atelier-Lune\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:solo@example.org\r\nTITLE:Freelance\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    first, second = vcard.parse(path)
    assert (first.name, first.linkedin, first.organisations) == (
        "Atelier Lune",
        "https://www.linkedin.com/in/atelier-lune",
        [("Atelier Lune", "")],
    )
    assert (second.name, second.notes) == ("solo@example.org", "Title: Freelance")


def test_stable_key_ignores_order_case_and_phone_formatting():
    assert stable_key("vcard", "Zoë Müller", ["A@Example.org", "+33 6 12 34 56 78"]) == stable_key(
        "vcard", "zoe  muller", ["+33612345678", "a@example.org"]
    )
