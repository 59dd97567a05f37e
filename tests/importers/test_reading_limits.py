"""Reading limits: a line or a field over 4 MiB, or a zip that would make us work for minutes, is
refused as it is read, with one line naming the file and the place, and nothing is written.

The crafted files are generated here and stay small on disk (a 128 MiB line zips to about 2 MB);
peak memory is measured with tracemalloc: it stays near the limit, not near the line's length.
"""

from __future__ import annotations

import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from restons.importers import linkedin
from restons.importers.textfiles import FIELD_MAX, LINE_MAX
from restons.models import Identity, Person, SourceRecord
from restons.services.errors import UserError
from restons.services.imports import run_import

HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROW = b"Ada,Verin,https://www.linkedin.com/in/ada-verin,,Acme,Engineer,12 Jan 2020\n"
MIB = 1024 * 1024
PEAK_MAX = 24 * MIB  # a few times the 4 MiB limit, far below the 128 MiB line refused


def lumpy(rng: random.Random, size: int) -> bytes:
    """``size`` bytes of letters that deflate about 60 to 1: under the zip-bomb ratio, as real text is."""
    blocks = []
    while size > 0:
        block = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=40)) + "a" * 4056
        blocks.append(block[:size].encode())
        size -= 4096
    return b"".join(blocks)


def refused(owner, source: str, path: Path) -> tuple[str, int]:
    """(the refusal's message, peak bytes allocated while importing)."""
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as error:
            run_import(owner, source, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (Person.objects.count(), Identity.objects.count(), SourceRecord.objects.count()) == (0, 0, 0)
    message = str(error.value)
    assert "\n" not in message
    return message, peak


def test_the_limits_are_four_mebibytes():
    assert LINE_MAX == FIELD_MAX == 4 * MIB


def test_a_line_longer_than_the_limit_is_refused_as_it_is_read(alice, tmp_path):
    """GIVEN a Connections.csv whose third line is 12 MiB without a line break
    WHEN imported THEN refused naming the file, the line and what to do, nothing written, and the
    line never in memory whole."""
    path = tmp_path / "Connections.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER + ROW)
        for _ in range(12):
            handle.write(b"x" * MIB)

    message, peak = refused(alice, "linkedin", path)

    assert message.startswith("Connections.csv: line 3 is longer than 4 MiB, the limit for one line")
    assert "Check that this is the export itself" in message
    assert peak < PEAK_MAX


def test_a_field_longer_than_the_limit_is_refused_even_across_lines(alice, tmp_path):
    """GIVEN a quoted field of 6 MiB made of short lines WHEN imported THEN refused at the line the row starts."""
    path = tmp_path / "Connections.csv"
    with open(path, "wb") as handle:
        handle.write(HEADER + ROW + b'Bo,Long,,,"')
        for _ in range(6 * MIB // 64):
            handle.write(b"y" * 63 + b"\n")
        handle.write(b'",,\n' + ROW)

    message, peak = refused(alice, "linkedin", path)

    assert message.startswith("Connections.csv: line 3 holds a field longer than 4 MiB, the limit for one field; "
                              "nothing was imported. Shorten that field")
    assert peak < PEAK_MAX


def test_a_utf16_line_longer_than_the_limit_is_refused(alice, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(("First Name,Last Name\nAda,Verin\n" + "z" * (LINE_MAX + 10) + "\n").encode("utf-16"))

    message, _peak = refused(alice, "google-csv", path)

    assert message.startswith("contacts.csv: line 3 is longer than 4 MiB")


def test_a_vcard_property_folded_past_the_limit_is_refused(alice, tmp_path):
    """GIVEN a card whose NOTE is folded over 6 MiB of short lines WHEN imported THEN refused, naming the card."""
    path = tmp_path / "contacts.vcf"
    with open(path, "wb") as handle:
        handle.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Verin\r\nEND:VCARD\r\n")
        handle.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Long\r\nNOTE:start\r\n")
        for _ in range(6 * MIB // 75):
            handle.write(b" " + b"n" * 74 + b"\r\n")
        handle.write(b"END:VCARD\r\n")

    message, peak = refused(alice, "vcard", path)

    assert "contacts.vcf: line " in message
    assert "the card that begins at line 5 is longer than 4 MiB without its photos" in message
    assert peak < PEAK_MAX


def test_a_zip_holding_one_huge_line_is_refused_after_the_limit(alice, tmp_path):
    """GIVEN a 2 MB zip whose Connections.csv is one 128 MiB line (compressed 60 to 1, under the bomb ratio)
    WHEN imported THEN refused at that line of that member, memory bounded by the limit."""
    path = tmp_path / "export.zip"
    rng = random.Random(13)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("Basic_LinkedInDataExport/Connections.csv", "w", force_zip64=True) as member:
            member.write(HEADER)
            for _ in range(128):
                member.write(lumpy(rng, MIB))
    assert path.stat().st_size < 4 * MIB

    message, peak = refused(alice, "linkedin", path)

    assert message.startswith("export.zip: Basic_LinkedInDataExport/Connections.csv: line 2 is longer than 4 MiB")
    assert peak < PEAK_MAX


def test_a_zip_of_190_copies_is_refused_before_reading_any(alice, tmp_path):
    """GIVEN a zip of 190 members of 1 MiB, each named messages.csv WHEN imported
    THEN refused from the archive's directory, before a member is read."""
    path = tmp_path / "export.zip"
    rng = random.Random(190)
    data = lumpy(rng, MIB)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n in range(190):
            archive.writestr(f"part{n}/messages.csv", data)

    message, peak = refused(alice, "linkedin", path)

    assert message == (f"export.zip: The archive holds more than {linkedin.MAX_COPIES} files named messages.csv; "
                       "a LinkedIn export holds one. It was refused: import the export as LinkedIn made it.")
    assert peak < PEAK_MAX


def test_a_zip_bomb_of_many_small_members_is_refused_by_its_whole_ratio(alice, tmp_path):
    """GIVEN 150 members of just under 1 MiB of zeros (each below the per-member check)
    WHEN imported THEN the archive as a whole is refused as a zip bomb."""
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Export/Connections.csv", HEADER + ROW)
        for n in range(150):
            archive.writestr(f"Export/padding{n}.txt", b"\0" * (MIB - 1))

    message, _peak = refused(alice, "linkedin", path)

    assert message == "export.zip: The archive is compressed more than 200 to 1 as a whole, like a zip bomb; it was refused."
