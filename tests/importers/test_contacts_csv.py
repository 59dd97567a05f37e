"""Google and Outlook contacts CSV parser, and the shared text helpers."""

from __future__ import annotations

import io
from datetime import date

import pytest

from restons.importers import contacts_csv
from restons.importers.records import ContactRecord, FileRefused, MilestoneRecord, ParseError
from restons.importers.textfiles import ImpossibleDate, clean_name, iter_text_lines, one_line, parse_day, stable_key


def test_google_current_layout(samples):
    assert list(contacts_csv.parse_google(samples / "csv" / "google.csv")) == [
        # " ::: " multi-values, duplicates across cells dropped (case-insensitively for emails),
        # LinkedIn website apart, --12-09 birthday, an event, a relation, a multi-line note.
        ContactRecord(
            where="google.csv line 2",
            source_key=stable_key(
                "google",
                "Aurélie Chevalier",
                ["aurelie@verre.example", "aurelie.perso@example.org", "+33 6 12 34 56 78", "06 12 34 56 78",
                 "https://www.linkedin.com/in/aurelie-chevalier"],
            ),
            name="Aurélie Chevalier",
            emails=["aurelie@verre.example", "aurelie.perso@example.org"],
            phones=["+33 6 12 34 56 78", "06 12 34 56 78"],
            linkedin="https://www.linkedin.com/in/aurelie-chevalier",
            websites=["aurelie.example.org"],
            organisations=[("Verre & Co", "Designer (Studio)")],
            notes="Rencontrée à Nantes\nAime la voile\nRelated: Sister: Claire Chevalier",
            milestones=[
                MilestoneRecord("Birthday", date(2000, 12, 9), yearly=True),
                MilestoneRecord("Anniversary", date(2015, 9, 19), yearly=True),
            ],
        ),
        # The address and note span lines 2-4; prefix left out, suffix kept.
        ContactRecord(
            where="google.csv line 5",
            source_key=stable_key("google", "Jean Pierre Dubois Jr.", ["jp.dubois@example.com"]),
            name="Jean Pierre Dubois Jr.",
            emails=["jp.dubois@example.com"],
            milestones=[MilestoneRecord("Birthday", date(1975, 3, 21), yearly=True)],
        ),
        # Only a nickname.
        ContactRecord(
            where="google.csv line 6",
            source_key=stable_key("google", "Mamie", ["+33 6 55 44 33 22"]),
            name="Mamie",
            phones=["+33 6 55 44 33 22"],
        ),
        # Line 7 has neither name nor identity: reported and skipped. Line 8 has only an email: it names the contact.
        ParseError("google.csv line 7",
                   "This row has no name, email, phone or website to know the person by; it was skipped."),
        ContactRecord(
            where="google.csv line 8",
            source_key=stable_key("google", "noname@example.org", ["noname@example.org"]),
            name="noname@example.org",
            emails=["noname@example.org"],
        ),
    ]


def test_google_old_layout_with_bom(samples):
    assert list(contacts_csv.parse(samples / "csv" / "google_old.csv")) == [
        ContactRecord(
            where="google_old.csv line 2",
            source_key=stable_key(
                "google",
                "Bastien Roux",
                ["bastien.roux@example.net", "b.roux@example.org", "+33 7 81 23 45 67",
                 "https://www.linkedin.com/in/bastien-roux"],
            ),
            name="Bastien Roux",
            emails=["bastien.roux@example.net", "b.roux@example.org"],
            phones=["+33 7 81 23 45 67"],
            linkedin="https://www.linkedin.com/in/bastien-roux",
            organisations=[("Cycles Roux", "Gérant")],
            notes="Voisin\nRelated: Spouse: Anaïs Roux",
            milestones=[MilestoneRecord("Birthday", date(1982, 7, 30), yearly=True)],
        ),
        # "Name" is empty: built from Given Name and Family Name.
        ContactRecord(
            where="google_old.csv line 3",
            source_key=stable_key("google", "Odile Faure", ["+33 4 72 00 11 22"]),
            name="Odile Faure",
            phones=["+33 4 72 00 11 22"],
        ),
    ]


def test_outlook_desktop_cp1252(samples):
    assert (samples / "csv" / "outlook.csv").read_bytes().count(b"\xe7") == 3  # "ç" in cp1252, not UTF-8
    assert list(contacts_csv.parse_outlook(samples / "csv" / "outlook.csv")) == [
        # The EX (Exchange) address is skipped; 7/4/1985 is month first; 0/0/00 is no date.
        ContactRecord(
            where="outlook.csv line 2",
            source_key=stable_key(
                "outlook", "François Mérieux", ["francois@etoile.example", "+33 6 12 34 56 78", "+33 1 23 45 67 89"]
            ),
            name="François Mérieux",
            emails=["francois@etoile.example"],
            phones=["+33 6 12 34 56 78", "+33 1 23 45 67 89"],
            websites=["www.etoile.example"],
            organisations=[("Boulangerie Étoile", "Gérant (Ventes)")],
            notes='Livre le pain "bio"\nle mardi\nRelated: Spouse: Hélène Mérieux',
            milestones=[MilestoneRecord("Birthday", date(1985, 7, 4), yearly=True)],
        ),
        ContactRecord(
            where="outlook.csv line 4",
            source_key=stable_key("outlook", "Kenji Aozora", ["kenji.aozora@example.jp"]),
            name="Kenji Aozora",
            emails=["kenji.aozora@example.jp"],
        ),
        # Line 5 has only a category: reported and skipped.
        ParseError("outlook.csv line 5",
                   "This row has no name, email, phone or website to know the person by; it was skipped."),
    ]


def test_outlook_french_headers_are_day_first(samples):
    assert list(contacts_csv.parse_outlook(samples / "csv" / "outlook_fr.csv")) == [
        ContactRecord(
            where="outlook_fr.csv line 2",
            source_key=stable_key(
                "outlook",
                "Élodie Carpentier",
                ["elodie@lune.example", "06 11 22 33 44", "+33 1 98 76 54 32",
                 "https://www.linkedin.com/in/elodie-carpentier"],
            ),
            name="Élodie Carpentier",
            emails=["elodie@lune.example"],
            phones=["06 11 22 33 44", "+33 1 98 76 54 32"],
            linkedin="https://www.linkedin.com/in/elodie-carpentier",
            organisations=[("Atelier Lune", "Ingénieure (R&D)")],
            notes="Vue au salon",
            milestones=[MilestoneRecord("Birthday", date(1985, 7, 4), yearly=True)],
        ),
    ]


def test_outlook_web_layout_in_utf16(tmp_path):
    path = tmp_path / "contacts.csv"
    text = (
        "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,"
        "E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,Mobile Phone,"
        "Job Title,Department,Company,Birthday,Anniversary,Notes,Categories\r\n"
        "Mei,,Tanaka-Roy,,,,,,mei@example.org,mei.t@example.org,,,,,,+49 170 1234567,"
        "Architecte,,Atelier Lune,1991-02-28,,,myContacts;starred\r\n"
    )
    path.write_bytes(text.encode("utf-16"))
    [record] = contacts_csv.parse_outlook(path)
    assert record == ContactRecord(
        where="contacts.csv line 2",
        source_key=stable_key("outlook", "Mei Tanaka-Roy", ["mei@example.org", "mei.t@example.org", "+49 170 1234567"]),
        name="Mei Tanaka-Roy",
        emails=["mei@example.org", "mei.t@example.org"],
        phones=["+49 170 1234567"],
        organisations=[("Atelier Lune", "Architecte")],
        milestones=[MilestoneRecord("Birthday", date(1991, 2, 28), yearly=True)],
    )


def test_outlook_german_headers(tmp_path):
    path = tmp_path / "kontakte.csv"
    path.write_bytes(
        "Vorname,Nachname,Firma,Position,Mobiltelefon,Geburtstag,E-Mail-Adresse,Notizen\r\n"
        "Jörg,Brandt,Glaswerk Nord,Leiter,+49 170 1234567,3.11.1979,joerg@glaswerk.example,\r\n".encode("cp1252")
    )
    [record] = contacts_csv.parse_outlook(path)
    assert (record.name, record.emails, record.phones, record.organisations, record.milestones) == (
        "Jörg Brandt",
        ["joerg@glaswerk.example"],
        ["+49 170 1234567"],
        [("Glaswerk Nord", "Leiter")],
        [MilestoneRecord("Birthday", date(1979, 11, 3), yearly=True)],
    )


@pytest.mark.parametrize(("parse", "kind"), [(contacts_csv.parse_google, "a Google Contacts CSV"),
                                             (contacts_csv.parse_outlook, "an Outlook CSV")])
def test_not_a_contacts_csv_is_refused(tmp_path, parse, kind):
    path = tmp_path / "numbers.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(FileRefused) as refused:
        list(parse(path))
    assert str(refused.value) == f"no header row with First Name, Last Name in its first lines; expected {kind} export"


def test_impossible_dates_and_bad_rows_are_reported_where_they_are(tmp_path):
    """GIVEN a birthday on 31 February, an anniversary in free text
    WHEN the file is parsed THEN the impossible date is reported at its column, the free text kept in
    the notes, and the next row read.
    (A field over the 1 MiB limit refuses the file: tests/importers/test_reading_limits.py.)"""
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        b"First Name,Last Name,E-mail Address,Birthday,Anniversary\r\n"
        b"Ada,Verin,ada@example.org,2/31/2021,some spring\r\n"
        b"Cy,Short,cy@example.org,,\r\n"
    )
    records = list(contacts_csv.parse_outlook(path))
    assert records == [
        ParseError("contacts.csv line 2, Birthday", "'2/31/2021' is not a day of the calendar; this date was left out."),
        ContactRecord(where="contacts.csv line 2", source_key=stable_key("outlook", "Ada Verin", ["ada@example.org"]),
                      name="Ada Verin", emails=["ada@example.org"], notes="Anniversary: some spring"),
        ContactRecord(where="contacts.csv line 3", source_key=stable_key("outlook", "Cy Short", ["cy@example.org"]),
                      name="Cy Short", emails=["cy@example.org"]),
    ]
    assert records[1].wheres["ada@example.org"] == "contacts.csv line 2, E-mail Address"


# --- shared helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("˗ˏˋ Théo Marchal ˎˊ˗", "Théo Marchal"),
        ("🚀 Léa Martin 🌍", "Léa Martin"),
        ("Jane Doe, PhD", "Jane Doe"),
        ("Jane Doe, Ph.D., MBA", "Jane Doe"),
        ("Yusuf Kaya MBA", "Yusuf Kaya"),
        ("Nadia Okafor (she/her)", "Nadia Okafor"),
        ("John Smith, Jr.", "John Smith, Jr."),
        ("Lan Ma", "Lan Ma"),  # a surname that looks like a credential stays
        ("Anne-Sophie O'Neil", "Anne-Sophie O'Neil"),
        ("Kealiʻi Makoa", "Kealiʻi Makoa"),
        ("Mom ❤️", "Mom"),
        ("👋", "👋"),  # nothing left: the raw text is better than nothing
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("1985-12-10", {}, (date(1985, 12, 10), True)),
        ("19851210", {}, (date(1985, 12, 10), True)),
        ("1985-12-10T00:00:00Z", {}, (date(1985, 12, 10), True)),
        ("--12-10", {}, (date(2000, 12, 10), False)),
        ("--1210", {}, (date(2000, 12, 10), False)),
        ("1604-04-12", {"omit_year": 1604}, (date(2000, 4, 12), False)),
        ("7/4/1985", {}, (date(1985, 7, 4), True)),
        ("7/4/1985", {"dayfirst": True}, (date(1985, 4, 7), True)),
        ("3.11.1979", {}, (date(1979, 11, 3), True)),
        ("0/0/00", {}, None),
        ("vers 1980", {}, None),
    ],
)
def test_parse_day(text, kwargs, expected):
    assert parse_day(text, **kwargs) == expected


@pytest.mark.parametrize("text", ["1985-02-30", "2/30/2021", "31.02.2021", "--13-45", "19851310"])
def test_parse_day_of_a_day_that_does_not_exist(text):
    with pytest.raises(ImpossibleDate, match="is not a day of the calendar"):
        parse_day(text)


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"\xef\xbb\xbfa,\xc3\xa9\r\nb\r\n", ["a,é\n", "b\n"]),
        ("a,é\r\nb\rc\n".encode("utf-16"), ["a,é\n", "b\n", "c\n"]),
        (b"a,\xc3\xa9\nb,\xe9\nc,\xc3\xa9\n", ["a,é\n", "b,é\n", "c,Ã©\n"]),  # once ANSI, always ANSI
        (b"a\rb\rc", ["a\n", "b\n", "c"]),  # Excel for Mac ends lines with a lone CR
        (b"a,b\r\n\r\nc\n\rd", ["a,b\n", "\n", "c\n", "\n", "d"]),
    ],
)
def test_iter_text_lines(data, lines):
    assert list(iter_text_lines(io.BytesIO(data))) == lines


def test_text_lines_split_a_crlf_across_chunks_once_and_remove_nul_bytes(monkeypatch):
    from restons.importers import textfiles

    monkeypatch.setattr(textfiles, "_CHUNK", 4)
    reader = textfiles.TextLines(io.BytesIO(b"abc\r\nde\x00f\r\n\x00g\r\nlast"), "x.csv")
    assert list(reader) == ["abc\n", "def\n", "g\n", "last"]
    assert reader.problems() == [ParseError("x.csv line 2", "2 NUL bytes (\\0) were removed, the first here; "
                                                            "a text export never holds them.")]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 64 * 1024])
def test_text_lines_are_the_same_whatever_the_chunks(monkeypatch, chunk):
    """Lines are decoded a chunk at a time: a BOM, CR / CRLF / LF, a NUL byte, the switch to cp1252 at
    the first line that is not UTF-8, and a last line without a break give what line by line gave."""
    from restons.importers import textfiles

    monkeypatch.setattr(textfiles, "_CHUNK", chunk)
    data = b"\xef\xbb\xbfa,\xc3\xa9\r\nb\x00c\rd\n\xc3\xa9t\xc3\xa9\r\ncaf\xe9\n\xc3\xa9\r\nlast"
    reader = textfiles.TextLines(io.BytesIO(data), "x.csv")
    assert [(line, reader.line) for line in reader] == [
        ("a,é\n", 1), ("bc\n", 2), ("d\n", 3), ("été\n", 4), ("café\n", 5), ("Ã©\n", 6), ("last", 7)]
    assert reader.problems() == [ParseError("x.csv line 2", "A NUL byte (\\0) was removed here; "
                                                            "a text export never holds one.")]


def test_a_line_longer_than_the_limit_refuses_the_file(monkeypatch):
    from restons.importers import textfiles

    monkeypatch.setattr(textfiles, "LINE_MAX", 10)
    with pytest.raises(FileRefused, match="^line 2 is longer than"):
        list(textfiles.TextLines(io.BytesIO(b"short\n" + b"x" * 100_000), "x.csv"))


def test_one_line():
    assert one_line("<p>Hello&nbsp;<b>you</b></p>\n<p>there</p>") == "Hello you there"
    assert one_line("x" * 200) == "x" * 139 + "…"


@pytest.mark.parametrize("data", ["a\nb\n".encode("utf-16"), b"a\nb\n"])
def test_reading_lines_leaves_the_callers_file_open(tmp_path, data):
    """A second pass over the same file (LinkedIn's messages.csv) needs it open, UTF-16 or not."""
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with open(path, "rb") as handle:
        assert list(iter_text_lines(handle)) == ["a\n", "b\n"]
        handle.seek(0)
        assert list(iter_text_lines(io.BytesIO(handle.read()))) == ["a\n", "b\n"]
        assert not handle.closed
    upload = io.BytesIO(data)
    list(iter_text_lines(upload))
    assert not upload.closed
