"""Maildir (``cur/`` and ``new/``) and a tree of Maildir++ folders → messages, header only.

``PATH`` is a Maildir (a folder holding ``cur/`` or ``new/``) or any folder
above one: every folder below it that holds ``cur/`` or ``new/`` is read,
Maildir++ subfolders (``.Sent``, ``.Archive``, ``.INBOX.Lists``) and
Dovecot's ``LAYOUT=fs`` tree (``Sent/cur``) alike. A folder's name tells
its role: ``Sent`` (in several languages) marks outgoing mail, ``Drafts``,
``Trash`` and ``Junk`` mark mail that is not a ping (:func:`mail.folder_role`).

Sent folders are read first, so that the identities they teach ("this is
you") are known before the received mail is looked at. Within a folder, files
are read in name order (delivery time first in a Maildir name), each only up
to the blank line that ends its header.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from restons.capture.records import Message
from restons.importers.mail import FOLDER_EFFECTS, folder_role, parse_headers
from restons.importers.records import ParseError

READ = 16 * 1024
_BLANK_LINE = re.compile(rb"\n\r?\n")
HEADER_MAX = 1 << 20


def parse(path: str | os.PathLike) -> Iterator[Message | ParseError]:
    """Every message below ``path``, Sent folders first, as :class:`Message` or :class:`ParseError`."""
    root = Path(path)
    if not root.is_dir():
        yield ParseError(where=root.name, why=_("not a folder: a Maildir is a folder holding cur/ and new/"))
        return
    folders = sorted(find_folders(root), key=lambda item: (folder_role(item[1]) != "sent", item[1]))
    if not folders:
        yield ParseError(where=root.name, why=_("no Maildir here: no folder below it holds cur/ or new/"))
        return
    for folder, name in folders:
        outgoing, flag = FOLDER_EFFECTS.get(folder_role(name), (None, None))
        for sub in ("cur", "new"):
            directory = folder / sub
            try:
                entries = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
            except OSError:
                continue
            for entry in entries:
                file = directory / entry
                where = str(file.relative_to(root.parent))
                try:
                    block = read_header(file)
                except OSError as exc:
                    yield ParseError(where=where, why=exc.strerror or str(exc))
                    continue
                if block is None:
                    yield ParseError(where=where, why=_("the header is longer than 1 MiB"))
                    continue
                yield parse_headers(block, where, fallback_date=lambda e=entry: delivery_time(e),
                                    outgoing=outgoing, folder_flag=flag)


def find_folders(root: Path) -> Iterator[tuple[Path, str]]:
    """``(folder, name)`` for every Maildir below ``root``; the root itself is named ``INBOX``."""
    for current, directories, _files in os.walk(root):
        here = Path(current)
        if "cur" in directories or "new" in directories:
            relative = here.relative_to(root)
            yield here, "INBOX" if relative == Path(".") else relative.as_posix().lstrip(".")
        # A Maildir's own cur/new/tmp hold messages, not folders.
        directories[:] = sorted(d for d in directories if d not in ("cur", "new", "tmp"))


def read_header(file: Path) -> bytes | None:
    """The header block of a message file (up to its first blank line); None when absurdly long."""
    with open(file, "rb") as handle:
        data = handle.read(READ)
        while True:
            end = _blank_line(data)
            if end >= 0:
                return data[:end]
            more = handle.read(READ)
            if not more:
                return data
            data += more
            if len(data) > HEADER_MAX:
                return None


def _blank_line(data: bytes) -> int:
    """Where the header ends (after the newline before its blank line, LF or CRLF); -1 when not yet read."""
    if data.startswith((b"\n", b"\r\n")):
        return 0
    found = _BLANK_LINE.search(data)  # whichever comes first, in one pass that stops there
    return found.start() + 1 if found is not None else -1


def delivery_time(name: str) -> datetime | None:
    """A Maildir file name starts with its delivery time (``1773050000.M1P1.host:2,S``)."""
    head = name.split(".", 1)[0]
    if head.isdigit() and len(head) <= 11:
        return datetime.fromtimestamp(int(head), UTC)
    return None
