"""vCard parser: Apple 3.0, Android/Outlook 2.1, 4.0, and broken cards."""

from __future__ import annotations

from datetime import date

import pytest

from restons.importers import vcard
from restons.importers.records import ContactRecord, FileRefused, MilestoneRecord, ParseError
from restons.importers.textfiles import stable_key


def test_apple_vcard(samples):
    records = list(vcard.parse(samples / "vcard" / "apple.vcf"))
    assert records == [
        # Item groups and labels, two emails, duplicate phone dropped, LinkedIn URL apart from the
        # website (Apple's "https\://" unescaped), ORG department into the title, folded NOTE with
        # escapes, related names as note lines, the 1604 "no year" birthday, the photo ignored.
        ContactRecord(
            where="apple.vcf line 1",
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
            where="apple.vcf line 30",
            source_key=stable_key("vcard", "Paul Girard", ["paul.girard@example.net"]),
            name="Paul Girard",
            emails=["paul.girard@example.net"],
            organisations=[("Atelier Lune", "")],
            milestones=[
                MilestoneRecord("Birthday", date(1988, 11, 3), yearly=True),
                MilestoneRecord("Anniversary", date(2015, 9, 19), yearly=True),
            ],
        ),
        ParseError("apple.vcf line 40", "This card has no name (FN or N), organisation or email; it was skipped."),
        # A line without a colon is reported, the rest of the card kept; N used without FN;
        # quoted X-APPLE-OMIT-YEAR with a basic-format date on 29 February.
        ParseError(
            "apple.vcf line 48",
            "The line 'THIS LINE IS BROKEN' could not be read (no colon) and was skipped; the rest of the card was kept.",
        ),
        ContactRecord(
            where="apple.vcf line 45",
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
            where="v21.vcf line 1",
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
            where="v21.vcf line 13",
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
            where="v40.vcf line 1",
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
            where="v40.vcf line 18",
            source_key=stable_key("vcard", "Luc Bernard", []),
            name="Luc Bernard",
            milestones=[MilestoneRecord("Birthday", date(2000, 4, 15), yearly=True)],
        ),
        ParseError("v40.vcf line 23", "This card has no END:VCARD before the next card begins; it was skipped."),
        # A free-text birthday is kept in the notes.
        ContactRecord(
            where="v40.vcf line 27",
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
    assert records[1].where == "cut.vcf line 5"
    assert "ends without END:VCARD" in records[1].why


def test_errors_and_values_say_their_line_and_property(samples):
    [margaux] = [r for r in vcard.parse(samples / "vcard" / "apple.vcf") if getattr(r, "name", "") == "Margaux Lefèvre"]
    assert margaux.wheres == {
        "name": "apple.vcf line 1", "notes": "apple.vcf line 22, NOTE",
        "margaux@example.org": "apple.vcf line 8, EMAIL", "m.lefevre@brume.example": "apple.vcf line 10, EMAIL",
        "+33 6 12 34 56 78": "apple.vcf line 11, TEL", "+33 1 23 45 67 89": "apple.vcf line 12, TEL",
        "https://www.linkedin.com/in/margaux-lefevre": "apple.vcf line 14, URL",
        "https://www.linkedin.com/in/margaux-lefevre/": "apple.vcf line 14, URL",
        "https://margaux.example.org": "apple.vcf line 16, URL",
    }
    assert [m.where for m in margaux.milestones] == ["apple.vcf line 21, BDAY"]


def test_begin_and_end_in_a_group_are_read(tmp_path):
    """Apple may group every line of a card, BEGIN and END included (item1.BEGIN:VCARD)."""
    path = tmp_path / "grouped.vcf"
    path.write_text("item1.BEGIN:VCARD\r\nitem1.VERSION:3.0\r\nitem1.FN:Ada Verin\r\n"
                    "item1.EMAIL:ada@example.org\r\nitem1.END:VCARD\r\n", encoding="utf-8")
    [record] = vcard.parse(path)
    assert (record.where, record.name, record.emails) == ("grouped.vcf line 1", "Ada Verin", ["ada@example.org"])


def test_one_odd_value_skips_that_value_not_the_card(tmp_path):
    """GIVEN a birthday with X-APPLE-OMIT-YEAR=² and an impossible anniversary
    WHEN the card is parsed THEN each is reported at its line and the card is kept without them."""
    path = tmp_path / "odd.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ada Verin\nBDAY;X-APPLE-OMIT-YEAR=²:1604-04-12\n"
                    "ANNIVERSARY:2021-02-31\nX-ABDATE:--04-12\nEND:VCARD\n", encoding="utf-8")
    assert list(vcard.parse(path)) == [
        ParseError("odd.vcf line 4, BDAY", "X-APPLE-OMIT-YEAR='²' is not a year; this date was left out."),
        ParseError("odd.vcf line 5, ANNIVERSARY", "'2021-02-31' is not a day of the calendar; this date was left out."),
        ContactRecord(where="odd.vcf line 1", source_key=stable_key("vcard", "Ada Verin", []), name="Ada Verin",
                      milestones=[MilestoneRecord("Date", date(2000, 4, 12), yearly=True)]),
    ]


def test_lines_outside_any_card_are_reported_once(tmp_path):
    path = tmp_path / "stray.vcf"
    path.write_text("Exported by Foo\r\nBEGIN:VCARD\r\nFN:Ada Verin\r\nEND:VCARD\r\n\r\ngarbage\r\n", encoding="utf-8")
    records = list(vcard.parse(path))
    assert records[1:] == [ParseError("stray.vcf line 1", "2 lines outside any card (not between BEGIN:VCARD and "
                                                          "END:VCARD) were skipped, the first here.")]


def test_a_file_without_cards_is_refused(tmp_path):
    path = tmp_path / "photo.vcf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FileRefused) as refused:
        list(vcard.parse(path))
    assert str(refused.value) == "no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts"


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


def test_cards_that_repeat_a_property_head_each_keep_their_own_values(tmp_path):
    """Heads are read once per file: the second card's quoted-printable note is decoded in its own
    charset, and its parameters are its own (a cp1252 note after a UTF-8 one with the same TEL types)."""
    path = tmp_path / "twice.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ana\r\nTEL;CELL;PREF:+33 6 12 34 56 78\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:caf=C3=A9\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bruno\r\nTEL;CELL;PREF:+33 6 98 76 54 32\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:th=C3=A9\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:cr=E8me\r\nEND:VCARD\r\n"
    )
    ana, bruno = vcard.parse(path)
    assert (ana.phones, ana.notes) == (["+33 6 12 34 56 78"], "café")
    assert (bruno.phones, bruno.notes) == (["+33 6 98 76 54 32"], "thé\ncrème")
    first, second = (vcard.read_card([(1, "TEL;TYPE=cell:1")]).properties[0] for _ in range(2))
    first.params["TYPE"].append("changed")
    assert second.params == {"TYPE": ["cell"]}
