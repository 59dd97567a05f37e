"""vCard 4.0 read back by a parser that is not ours (vobject), and CSV safe from formula injection."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from restons.exports.spreadsheet import export_csv, neutralise
from restons.exports.vcard import write_vcards
from restons.services.people import PersonInput, add_person
from tests.backup.network import build

vobject = pytest.importorskip("vobject")


def vcards_of(owner) -> str:
    out = io.StringIO()
    write_vcards(owner, out)
    return out.getvalue()


def test_vcards_open_in_vobject_with_every_field(alice, bob):
    """GIVEN alice's network WHEN exported as vCard THEN vobject reads names, emails, E.164 phones, org, birthday
    without a year, circles and notes — and nothing of bob's."""
    build(alice)
    add_person(bob, PersonInput(name="Bob's Friend", emails=["friend@example.net"]))
    text = vcards_of(alice)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cards = list(vobject.readComponents(text))
    assert [card.fn.value for card in cards] == ["Camille Martin", "Noah Bennett", "Noah Bennett"]
    camille = cards[0]
    assert camille.version.value == "4.0"
    assert (camille.n.value.family, camille.n.value.given) == ("Martin", "Camille")
    assert [e.value for e in camille.email_list] == ["camille@example.org"]
    assert [t.value for t in camille.tel_list] == ["+33612345678"]
    assert camille.org.value == ["Lumen Agency"]
    assert camille.bday.value == "--0415"
    assert camille.categories.value == ["Agency alumni"]
    assert camille.note.value == ("Likes =SUM(A1) jokes;\nsecond line, with a comma\n"
                                  "How we met: Same team, « l'agence » (2019-03-01)")
    assert "linkedin.com/in/camille-martin" in camille.url.value
    assert "friend@example.net" not in text


def test_a_birthday_with_its_year_keeps_it(alice):
    from datetime import date

    from restons.services.planning import add_milestone

    person = add_person(alice, PersonInput(name="Ana"))
    add_milestone(alice, "Birthday", date(1985, 12, 10), person, True)
    (card,) = vobject.readComponents(vcards_of(alice))
    assert card.bday.value == "19851210"


def test_long_and_accented_lines_are_folded_and_read_back_whole(alice):
    name = "Éléonore " + "Très-Longnom " * 12 + "Dupont"
    add_person(alice, PersonInput(name=" ".join(name.split()), notes="é" * 200))
    (card,) = vobject.readComponents(vcards_of(alice))
    assert card.fn.value == " ".join(name.split())
    assert card.note.value == "é" * 200


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_dangerous_first_character_is_neutralised(start):
    assert neutralise(f"{start}HYPERLINK(\"http://evil\")") == f"'{start}HYPERLINK(\"http://evil\")"


def test_harmless_cells_stay_as_they_are():
    assert [neutralise(v) for v in ("Camille", "2026-06-15", "", "a=b", " =1")] == ["Camille", "2026-06-15", "", "a=b", " =1"]


def test_csv_zip_has_a_bom_one_file_per_table_and_no_formula(alice, bob, tmp_path):
    """GIVEN notes and names that start like formulas WHEN exported as CSV THEN every such cell starts with '."""
    build(alice)
    add_person(alice, PersonInput(name="=cmd|' /C calc'!A0", notes="@SUM(1+1)", phones=["+33 6 98 76 54 32"]))
    add_person(bob, PersonInput(name="Bob's Friend"))
    path = export_csv(alice, tmp_path / "alice.zip")
    archive = zipfile.ZipFile(path)
    assert {"person.csv", "interaction.csv", "identity.csv", "preferences.csv"} <= set(archive.namelist())
    raw = archive.read("person.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    people = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    names = [row["name"] for row in people]
    assert "'=cmd|' /C calc'!A0" in names and "Bob's Friend" not in names
    assert "'@SUM(1+1)" in [row["notes"] for row in people]
    identities = list(csv.DictReader(io.StringIO(archive.read("identity.csv").decode("utf-8-sig"))))
    assert "'+33698765432" in [row["value"] for row in identities]
    assert {row["person_name"] for row in identities} >= {"Camille Martin"}
    for name in archive.namelist():
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), (name, row)


def test_csv_into_a_folder(alice, tmp_path):
    build(alice)
    folder = export_csv(alice, tmp_path / "tables")
    assert (folder / "person.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Camille Martin" in (folder / "person.csv").read_text(encoding="utf-8-sig")
