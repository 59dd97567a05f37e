"""``restons import``: the summary on success, one line and exit 1 on a file it refuses, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from restons.models import Person

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def export_zip(path: Path, damaged: bool = False) -> Path:
    members = {f"Export/{p.name}": p.read_bytes() for p in sorted((SAMPLES / "linkedin").iterdir())}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    if damaged:  # garble the middle of messages.csv's compressed bytes
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("Export/messages.csv")
        body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        middle = body + info.compress_size // 2
        data = data[:middle] + bytes(b ^ 0xA5 for b in data[middle : middle + 6]) + data[middle + 6 :]
    path.write_bytes(data)
    return path


def test_an_import_prints_its_summary_and_what_it_could_not_read(restons, alice, tmp_path):
    result = restons.ok("import", "linkedin", export_zip(tmp_path / "export.zip"), "--json")

    assert (result.json["created"], result.json["interactions"], result.json["strangers"]) == (6, 6, 1)
    assert {"where": "messages.csv line 8, DATE",
            "why": "The date 'yesterday' is not like 2023-05-01 14:22:10 UTC; this message was skipped."} in result.json["errors"]


@pytest.mark.parametrize(("name", "source", "data", "message"), [
    ("photo.vcf", "vcard", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "restons: photo.vcf: no BEGIN:VCARD line in it; expected a vCard file (.vcf) of contacts\n"),
    ("empty.csv", "google-csv", b"", "restons: empty.csv: the file is empty; expected a Google Contacts CSV export\n"),
    ("Connections.csv", "linkedin", b"First Name,Last Name\r\n,\r\n",
     "restons: Connections.csv: nothing in it could be imported; expected a LinkedIn export "
     "(the .zip, Connections.csv, messages.csv or Invitations.csv)\n"),
])
def test_a_refused_file_exits_1_with_one_line(restons, alice, row_counts, tmp_path, name, source, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    before = row_counts()

    result = restons("import", source, path)

    assert (result.code, result.out, result.err) == (1, "", message)
    assert row_counts() == before


def test_a_zip_with_a_damaged_member_exits_1_and_writes_nothing(restons, alice, row_counts, tmp_path):
    """Not 0 with the damage only in the JSON: Connections.csv was fine, but the export is not whole."""
    before = row_counts()

    result = restons("import", "linkedin", export_zip(tmp_path / "export.zip", damaged=True), "--json")

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("restons: export.zip: the archive member Export/messages.csv is damaged (")
    assert result.err.count("\n") == 1
    assert row_counts() == before
    assert not Person.objects.exists()
