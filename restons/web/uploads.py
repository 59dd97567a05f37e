"""An uploaded file is checked for its kind by what it holds, never by its name.

The Import page says what kind of file it expects (a LinkedIn export, a vCard
file, a CSV): :func:`check_kind` reads the first few kilobytes and refuses,
in one line, a file that cannot be that — a PNG named ``contacts.vcf``, a zip
given as CSV — before any importer sees it.
"""

from __future__ import annotations

import codecs

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from restons.services.errors import UserError

HEAD = 8192
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# What a refused file looks like, for the one-line message.
KNOWN = [
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF87a", gettext_lazy("a GIF image")),
    (b"GIF89a", gettext_lazy("a GIF image")),
    (b"%PDF-", gettext_lazy("a PDF document")),
    (b"PK\x03\x04", gettext_lazy("a zip archive")),
    (b"PK\x05\x06", gettext_lazy("a zip archive")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"SQLite format 3\x00", gettext_lazy("a database")),
]
# Bytes no text file holds: control characters other than tab, line feed, form feed and carriage return.
BINARY = set(range(0, 9)) | {11} | set(range(14, 32))


def _text(head: bytes) -> str | None:
    """The head decoded as text (UTF-16 with its BOM, UTF-8, or cp1252), or None when it is binary."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):len(bom) + (len(head) - len(bom)) // 2 * 2].decode(encoding, errors="replace")
    head = head.removeprefix(codecs.BOM_UTF8)
    if any(byte in BINARY for byte in head):
        return None
    return head.decode("utf-8", errors="replace")


def _looks_like(head: bytes) -> str:
    for magic, what in KNOWN:
        if head.startswith(magic):
            return str(what)
    return str(_("binary data"))


def check_kind(source: str, upload, expected: str) -> None:
    """UserError (one line) unless ``upload`` holds what ``source`` reads; ``expected`` names it for people.

    ``linkedin``: a zip archive or CSV text; ``vcard``: text starting with BEGIN:VCARD;
    ``google-csv`` and ``outlook-csv``: CSV text. The file is left at its start.
    """
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    if source == "linkedin" and head.startswith(ZIP_MAGIC):
        return
    text = _text(head)
    if text is not None:
        if source == "vcard" and text.lstrip().upper().startswith("BEGIN:VCARD"):
            return
        if source in ("linkedin", "google-csv", "outlook-csv") and text.strip():
            return
        what = str(_("text that is not a vCard")) if source == "vcard" and text.strip() else str(_("nothing"))
    else:
        what = _looks_like(head)
    raise UserError(_("This file is not a %(expected)s: it holds %(what)s. Choose the right kind of file above, "
                      "or export it again.") % {"expected": expected, "what": what})
