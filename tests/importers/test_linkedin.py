"""LinkedIn export parser: Connections.csv, messages.csv, Invitations.csv and the zip."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest

from restons.importers import linkedin
from restons.importers.linkedin import UnsafeArchive
from restons.importers.records import ContactRecord, FileRefused, InteractionRecord, ParseError

OWNER = "https://www.linkedin.com/in/alex-moreau-owner"
CAMILLE = "https://www.linkedin.com/in/camille-fontaine-4a1b2c"
THEO = "https://www.linkedin.com/in/theo-marchal"
NADIA = "https://www.linkedin.com/in/nadia-okafor"


def at(*args):
    return datetime(*args, tzinfo=UTC)


CONNECTIONS = [
    ContactRecord(
        where="Connections.csv line 5",
        source_key=CAMILLE,
        name="Camille Fontaine",
        linkedin=CAMILLE,
        organisations=[("Brume Conseil", "Directrice")],
        connected_on=date(2020, 1, 12),
    ),
    # Decorated name cleaned; fr. subdomain, capitals, trailing slash and query string normalised.
    ContactRecord(
        where="Connections.csv line 6",
        source_key=THEO,
        name="Théo Marchal",
        linkedin=THEO,
        organisations=[("Atelier Lune", "Fondateur")],
        connected_on=date(2021, 3, 3),
    ),
    # No URL: the email is the key; ", PhD" dropped from the name.
    ContactRecord(
        where="Connections.csv line 7",
        source_key="ines.berthier@example.org",
        name="Inès Berthier",
        emails=["ines.berthier@example.org"],
        organisations=[("Institut Horizon", "Chercheuse")],
        connected_on=date(2022, 2, 28),
    ),
    # ",,,,,," on line 8 holds nothing; neither URL nor email: the name is the key; "MBA" dropped.
    ContactRecord(
        where="Connections.csv line 9",
        source_key="name:yusuf kaya",
        name="Yusuf Kaya",
        connected_on=date(2019, 5, 5),
    ),
    # "short" on line 10 is reported; pronouns dropped; a bad date is reported and left out; the formula kept raw.
    ParseError("Connections.csv line 10", "This row has one column where the header has 7; it was skipped."),
    ParseError("Connections.csv line 11, Connected On",
               "'not a date' is not a date like 12 Jan 2020; the connection date was left out."),
    ContactRecord(
        where="Connections.csv line 11",
        source_key=NADIA,
        name="Nadia Okafor",
        linkedin=NADIA,
        organisations=[('=HYPERLINK("http://evil.example")', "Engineer")],
        connected_on=None,
    ),
    ParseError("Connections.csv line 12", "This connection has no name; add one in LinkedIn or skip it."),
]


def test_connections_with_preamble_and_quirks(samples):
    assert list(linkedin.parse(samples / "linkedin" / "Connections.csv")) == CONNECTIONS


def test_old_connections_without_url_column_bom_and_odd_case(samples):
    assert list(linkedin.parse(samples / "linkedin_old" / "Connections.csv")) == [
        ContactRecord(
            where="Connections.csv line 2",
            source_key="hugo.lemaire@example.net",
            name="Hugo Lemaire",
            emails=["hugo.lemaire@example.net"],
            organisations=[("Verre & Co", "Designer")],
            connected_on=date(2018, 8, 15),
        ),
        ContactRecord(
            where="Connections.csv line 3",
            source_key="name:zoe perrin",
            name="Zoé Perrin",
            connected_on=date(2017, 2, 1),
        ),
    ]


def test_connections_without_header_is_refused(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("Name,Email\nAda,ada@example.org\n")
    with pytest.raises(FileRefused) as refused:
        list(linkedin.parse(path))
    assert str(refused.value) == ("no header row with First Name and Last Name in its first lines; "
                                  "expected LinkedIn's Connections.csv")


def test_each_value_says_where_it_was_read(samples):
    """Field errors and the shared save point at the file, the line and the column."""
    camille, theo, ines = list(linkedin.parse(samples / "linkedin" / "Connections.csv"))[:3]
    assert camille.wheres == {
        "name": "Connections.csv line 5, First Name", "connected_on": "Connections.csv line 5, Connected On",
        "organisations": "Connections.csv line 5, Company", "title": "Connections.csv line 5, Position",
        CAMILLE: "Connections.csv line 5, URL",
    }
    assert ines.wheres["ines.berthier@example.org"] == "Connections.csv line 7, Email Address"
    [message] = [r for r in linkedin.parse(samples / "linkedin" / "messages.csv") if r.where.endswith("line 2")]
    assert message.wheres == {"at": "messages.csv line 2, DATE", "summary": "messages.csv line 2, CONTENT",
                              CAMILLE: "messages.csv line 2, SENDER PROFILE URL"}


MESSAGES_AS_ALEX = [
    # Multi-line HTML content becomes one plain line.
    InteractionRecord(
        where="messages.csv line 2",
        source_key=f"2-abc==:2023-05-01T14:22:10+00:00:{CAMILLE}",
        at=at(2023, 5, 1, 14, 22, 10),
        direction="in",
        channel="linkedin",
        name="Camille Fontaine",
        identities=[("linkedin", CAMILLE)],
        summary="Bonjour Alex, Ravie de t'avoir croisé hier.",
    ),
    # The subject wins over the content.
    InteractionRecord(
        where="messages.csv line 4",
        source_key=f"2-abc==:2023-05-02T09:00:00+00:00:{CAMILLE}",
        at=at(2023, 5, 2, 9),
        direction="out",
        channel="linkedin",
        name="Camille Fontaine",
        identities=[("linkedin", CAMILLE)],
        summary="Re: café",
    ),
    # A group message sent by the owner: one record per recipient.
    InteractionRecord(
        where="messages.csv line 5",
        source_key=f"2-grp==:2023-06-10T08:30:00+00:00:{THEO}",
        at=at(2023, 6, 10, 8, 30),
        direction="out",
        channel="linkedin",
        name="Théo Marchal",
        identities=[("linkedin", THEO)],
        summary="Hello both",
    ),
    InteractionRecord(
        where="messages.csv line 5",
        source_key=f"2-grp==:2023-06-10T08:30:00+00:00:{NADIA}",
        at=at(2023, 6, 10, 8, 30),
        direction="out",
        channel="linkedin",
        name="Nadia Okafor",
        identities=[("linkedin", NADIA)],
        summary="Hello both",
    ),
    # A group message received: only the sender; the long content is cut at 140 characters.
    InteractionRecord(
        where="messages.csv line 6",
        source_key=f"2-grp==:2023-06-10T09:00:00+00:00:{THEO}",
        at=at(2023, 6, 10, 9),
        direction="in",
        channel="linkedin",
        name="Théo Marchal",
        identities=[("linkedin", THEO)],
        summary=("Salut ! " * 17 + "Sal")[:139] + "…",
    ),
    # Line 7 is a draft: skipped silently.
    ParseError(
        "messages.csv line 8, DATE",
        "The date 'yesterday' is not like 2023-05-01 14:22:10 UTC; this message was skipped.",
    ),
]


def test_messages_owner_inferred_from_every_conversation(samples):
    records = list(linkedin.parse(samples / "linkedin" / "messages.csv"))
    assert records == MESSAGES_AS_ALEX
    assert len(records[4].summary) == 140


def test_messages_with_explicit_owner(samples):
    """GIVEN Camille as the owner WHEN parsing THEN her messages are outgoing and Alex's incoming."""
    records = list(linkedin.parse(samples / "linkedin" / "messages.csv", owner_profile_url=CAMILLE + "/"))
    directions = [(r.where, r.direction, r.name) for r in records if isinstance(r, InteractionRecord)]
    assert directions == [
        ("messages.csv line 2", "out", "Alex Moreau"),
        ("messages.csv line 4", "in", "Alex Moreau"),
        ("messages.csv line 5", "in", "Alex Moreau"),
        ("messages.csv line 6", "in", "Théo Marchal"),
    ]
    assert records[0].identities == [("linkedin", OWNER)]


def test_old_messages_without_url_columns_use_the_sent_folder(tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text(
        '"CONVERSATION ID","CONVERSATION TITLE","FROM","TO","DATE","SUBJECT","CONTENT","FOLDER"\n'
        "c1,,Alex Moreau,Lina Haddad,2019-02-03 10:00:00 UTC,,Bonjour Lina,SENT\n"
        "c1,,Lina Haddad,Alex Moreau,2019-02-04 11:00:00 UTC,,Bonjour !,INBOX\n"
        "c2,,Spammy Recruiter,Alex Moreau,2019-02-05 11:00:00 UTC,,Great offer,SPAM\n",
        encoding="utf-8",
    )
    assert list(linkedin.parse(path)) == [
        InteractionRecord(
            where="messages.csv line 2",
            source_key="c1:2019-02-03T10:00:00+00:00:name:lina haddad",
            at=at(2019, 2, 3, 10),
            direction="out",
            channel="linkedin",
            name="Lina Haddad",
            summary="Bonjour Lina",
        ),
        InteractionRecord(
            where="messages.csv line 3",
            source_key="c1:2019-02-04T11:00:00+00:00:name:lina haddad",
            at=at(2019, 2, 4, 11),
            direction="in",
            channel="linkedin",
            name="Lina Haddad",
            summary="Bonjour !",
        ),
    ]


INVITATIONS = [
    InteractionRecord(
        where="Invitations.csv line 2",
        source_key="invitation:out:2026-07-08T15:43:00+00:00:https://www.linkedin.com/in/ines-berthier",
        at=at(2026, 7, 8, 15, 43),
        direction="out",
        channel="linkedin",
        name="Inès Berthier",
        identities=[("linkedin", "https://www.linkedin.com/in/ines-berthier")],
        summary="Invitation: Bonjour Inès, ravi d'échanger à la conférence.",
    ),
    InteractionRecord(
        where="Invitations.csv line 3",
        source_key="invitation:in:2025-12-01T09:05:00+00:00:https://www.linkedin.com/in/hugo-lemaire",
        at=at(2025, 12, 1, 9, 5),
        direction="in",
        channel="linkedin",
        name="Hugo Lemaire",
        identities=[("linkedin", "https://www.linkedin.com/in/hugo-lemaire")],
        summary="Invitation",
    ),
    ParseError(
        "Invitations.csv line 4, Sent At",
        "The date '13/45/25, 9:05 AM' is not like 7/8/26, 3:43 PM; this invitation was skipped.",
    ),
]


def test_invitations(samples):
    assert list(linkedin.parse(samples / "linkedin" / "Invitations.csv")) == INVITATIONS


def test_whole_export_zip(linkedin_zip):
    """The zip gives connections, then messages (guide_messages.csv ignored), then invitations."""
    records = list(linkedin.parse(linkedin_zip()))
    assert records == CONNECTIONS + MESSAGES_AS_ALEX + INVITATIONS
    assert not any("guide" in r.source_key for r in records if isinstance(r, InteractionRecord))


def test_zip_detected_by_magic_and_read_from_an_open_file(linkedin_zip):
    path = linkedin_zip(name="export.bin")
    with open(path, "rb") as handle:
        records = list(linkedin.parse(handle))
    assert records == CONNECTIONS + MESSAGES_AS_ALEX + INVITATIONS


def test_owner_from_profile_before_guessing(linkedin_zip, samples):
    """GIVEN a Profile.csv with a URL WHEN the zip is parsed THEN it names the owner before any guessing."""
    messages = (samples / "linkedin" / "messages.csv").read_bytes().splitlines(keepends=True)
    members = {
        "Profile.csv": b"First Name,Last Name,Public Profile Url\r\nCamille,Fontaine,https://www.linkedin.com/in/camille-fontaine-4a1b2c\r\n",
        "messages.csv": b"".join(messages[:4]),  # header + conversation 2-abc (one multi-line row)
    }
    records = list(linkedin.parse(linkedin_zip(members)))
    assert [(r.where, r.direction, r.name) for r in records] == [
        ("messages.csv line 2", "out", "Alex Moreau"),
        ("messages.csv line 4", "in", "Alex Moreau"),
    ]


def test_zip_without_linkedin_files(linkedin_zip):
    with pytest.raises(FileRefused, match="^it holds no Connections.csv, messages.csv or Invitations.csv; "):
        list(linkedin.parse(linkedin_zip({"notes.txt": b"hello"}, name="other.zip")))


def test_not_a_zip_at_all(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(FileRefused) as refused:
        list(linkedin.parse(path))
    assert str(refused.value) == ("it could not be read as a zip archive (File is not a zip file); "
                                  "expected LinkedIn's data export .zip")


def deflated(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def corrupt_member_data(data: bytes, member: str) -> bytes:
    """The zip with 8 bytes in the middle of ``member``'s compressed data garbled."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    start = info.header_offset
    body = start + 30 + int.from_bytes(data[start + 26 : start + 28], "little") + int.from_bytes(
        data[start + 28 : start + 30], "little")
    middle = body + info.compress_size // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 8]) + data[middle + 8 :]


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size in the central directory replaced by ``size``."""
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(member)] != member.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    return data[: entry + 24] + size.to_bytes(4, "little") + data[entry + 28 :]


@pytest.mark.parametrize("damage", ["corrupt", "truncated", "size"])
def test_a_damaged_member_refuses_the_whole_zip(samples, damage):
    """GIVEN an export whose messages.csv is damaged (garbled deflate data, cut short, or a size that lies)
    WHEN it is parsed
    THEN the whole archive is refused, naming the member, even though Connections.csv was fine."""
    members = {name: (samples / "linkedin" / name).read_bytes() for name in ("Connections.csv", "messages.csv")}
    data = deflated(members)
    if damage == "corrupt":
        data = corrupt_member_data(data, "messages.csv")
    elif damage == "truncated":
        data = data[: data.index(b"PK\x01\x02")]  # no central directory: the end is missing
    else:
        data = lie_about_size(data, "messages.csv", 5)
    upload = io.BytesIO(data)
    upload.name = "export.zip"

    with pytest.raises(FileRefused) as refused:
        list(linkedin.parse(upload))

    message = str(refused.value)
    if damage == "truncated":
        assert message.startswith("it could not be read as a zip archive (")
    else:
        assert message.startswith("the archive member messages.csv is damaged (")
        assert message.endswith("); nothing was imported. Download the export again.")


@pytest.mark.parametrize("member", ["../Connections.csv", "/etc/Connections.csv", "a/../../Connections.csv", "C:/x.csv"])
def test_zip_slip_is_refused(linkedin_zip, member):
    path = linkedin_zip({member: b"First Name,Last Name\nA,B\n"})
    with pytest.raises(UnsafeArchive, match="points outside the archive"):
        list(linkedin.parse(path))


def test_zip_bomb_ratio_is_refused(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", b"\0" * (4 * 1024 * 1024))  # about 1000 to 1
    with pytest.raises(UnsafeArchive, match="compressed more than 200 to 1"):
        list(linkedin.parse(path))


def test_zip_over_the_size_limit_is_refused(linkedin_zip):
    with pytest.raises(UnsafeArchive, match="over the 100 limit"):
        list(linkedin.parse(linkedin_zip(), max_bytes=100))
    members = {f"part{i}.csv": b"x" * 60 for i in range(3)}
    with pytest.raises(UnsafeArchive, match="more than 150 bytes"):
        list(linkedin.parse(linkedin_zip(members), max_bytes=150))


def test_check_archive_accepts_a_normal_export(linkedin_zip):
    with zipfile.ZipFile(linkedin_zip()) as archive:
        linkedin.check_archive(archive)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/8/26, 3:43 PM", at(2026, 7, 8, 15, 43)),
        ("12/31/25, 12:05 AM", at(2025, 12, 31, 0, 5)),
        ("1/2/2024, 12:00 PM", at(2024, 1, 2, 12, 0)),
        ("1/2/24 13:00", at(2024, 1, 2, 13, 0)),
        ("13/45/25, 9:05 AM", None),
        ("", None),
    ],
)
def test_us_datetime(text, expected):
    assert linkedin.parse_us_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12 Jan 2020", date(2020, 1, 12)), ("3 Sept 2021", date(2021, 9, 3)), ("12 mars 2023", date(2023, 3, 12)),
     ("12 janv. 2023", date(2023, 1, 12)), ("2020-01-12", date(2020, 1, 12)), ("", None)],
)
def test_connected_on(text, expected):
    assert linkedin.parse_connected_on(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [("31 Feb 2021", "'31 Feb 2021' is not a day of the calendar"),
     ("2021-02-30", "'2021-02-30' is not a day of the calendar"),
     ("12 Foo 2020", "'12 Foo 2020' is not a date like 12 Jan 2020"),
     ("yesterday", "'yesterday' is not a date like 12 Jan 2020")],
)
def test_connected_on_that_is_no_date_says_why(text, why):
    with pytest.raises(ValueError) as error:
        linkedin.parse_connected_on(text)
    assert str(error.value) == why


def test_a_short_row_and_an_impossible_date_are_reported_where_they_are(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                    "Ana,Lopez,,ana@example.org,,,31 Feb 2021\nBo\n", encoding="utf-8")
    assert list(linkedin.parse(path)) == [
        ParseError("Connections.csv line 2, Connected On",
                   "'31 Feb 2021' is not a day of the calendar; the connection date was left out."),
        ContactRecord(where="Connections.csv line 2", source_key="ana@example.org", name="Ana Lopez",
                      emails=["ana@example.org"]),
        ParseError("Connections.csv line 3", "This row has one column where the header has 7; it was skipped."),
    ]


def test_connections_streamed_from_a_binary_file():
    data = "First Name,Last Name,URL\nAda,Vérin,linkedin.com/in/ada-verin\n".encode("cp1252")
    upload = io.BytesIO(data)
    upload.name = "Connections.csv"
    [record] = linkedin.parse(upload)
    assert (record.name, record.linkedin) == ("Ada Vérin", "https://www.linkedin.com/in/ada-verin")
