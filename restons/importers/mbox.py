"""mbox files (Gmail Takeout's "All mail Including Spam and Trash.mbox" included) → messages.

The file is read in binary, a chunk at a time, and never indexed
(``mailbox.mbox`` builds an offset index and creates missing files): memory
stays flat whatever the file's size. Only each message's header block is
looked at; bodies are skipped with ``bytes.find`` and never decoded, so the
mboxo/mboxrd ``>From `` escaping of body lines does not matter.

A message starts at a separator line: ``From `` followed by what an mbox
writer puts there, an envelope sender and an asctime date, Takeout's
``From 1545668983435175434@xxx Fri Sep 16 22:26:51 +0000 2016`` (zone before
the year) included, and then a header line. A body line that merely starts
with ``From `` ("From here on, …") is not one. A file whose first separator
does not have that shape (an unknown writer) is split on any ``From `` line
that follows a blank line and precedes a header line. CRLF files are read as
they are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import BinaryIO

from django.utils.translation import gettext as _

from restons.capture.records import Message
from restons.importers.mail import parse_headers
from restons.importers.records import ParseError
from restons.importers.textfiles import Source, open_binary, source_name

CHUNK = 1 << 20
HEADER_MAX = 1 << 20  # a header block longer than 1 MiB is not mail

_DAYS = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTHS = rb"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_ZONE = rb"(?:([+-]\d{4})|[A-Z]{3,5})"
SEPARATOR = re.compile(
    rb"From [^\r\n]*?[ \t]" + _DAYS + rb",?[ \t]+" + _MONTHS + rb"[ \t]+(\d{1,2})[ \t]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    rb"[ \t]+(?:" + _ZONE + rb"[ \t]+)?(\d{4})(?:[ \t]+" + _ZONE + rb")?(?:[ \t]+remote from [^\r\n]*)?[ \t]*\r?$",
    re.IGNORECASE,
)
# A header line: a field name (printable ASCII but colon and space) then a colon.
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_MONTH_NUMBERS = {m: i for i, m in enumerate(b"jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def parse(path: Source, *, outgoing: bool | None = None) -> Iterator[Message | ParseError]:
    """Every message of an mbox file, in file order, as :class:`Message` or :class:`ParseError`.

    ``outgoing=True`` says the file holds mail you sent (a mail client's
    ``Sent`` mbox); by default a file named ``Sent…`` (``Sent.mbox``,
    ``Sent Messages.mbox``) is taken as one.
    """
    name = source_name(path)
    if outgoing is None and name.casefold().startswith("sent"):
        outgoing = True
    try:
        with open_binary(path) as binary:
            for number, offset, separator, block in split(binary):
                if block is None:
                    yield ParseError(where=f"{name} line 1", why=separator.decode("utf-8", "replace"))
                    return
                where = _("%(file)s, message %(number)s (byte %(offset)s)") % {
                    "file": name, "number": number, "offset": offset}
                if len(block) > HEADER_MAX:
                    yield ParseError(where=where, why=_("the header is longer than 1 MiB"))
                    continue
                yield parse_headers(block, where, fallback_date=lambda s=separator: separator_date(s),
                                    outgoing=outgoing)
    except OSError as exc:
        yield ParseError(where=name, why=str(exc))


def split(binary: BinaryIO) -> Iterator[tuple[int, int, bytes, bytes | None]]:
    """``(number, byte offset, separator line, header block)`` for each message, streamed.

    When the file does not start with a ``From `` line, yields one tuple whose
    block is None and whose separator is the reason, then stops.
    """
    splitter = _Splitter(binary)
    yield from splitter.messages()


class _Splitter:
    """A sliding window over the file. Positions are absolute file offsets; the
    window forgets what lies before ``keep`` (the current message) when it reads more."""

    def __init__(self, binary: BinaryIO):
        self.binary = binary
        self.buf = b""
        self.base = 0  # file offset of buf[0]
        self.keep = 0  # nothing before this offset is needed any more
        self.eof = False

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def _fill(self) -> bool:
        """Read one more chunk; False at the end of the file."""
        if self.eof:
            return False
        more = self.binary.read(CHUNK)
        if not more:
            self.eof = True
            return False
        drop = self.keep - self.base
        if drop > 0:
            self.buf = self.buf[drop:] + more
            self.base = self.keep
        else:
            self.buf += more
        return True

    def find(self, needle: bytes, position: int) -> int:
        """Absolute offset of ``needle`` at or after ``position`` in what is read so far, or -1."""
        found = self.buf.find(needle, max(position - self.base, 0))
        return found + self.base if found >= 0 else -1

    def byte(self, position: int) -> bytes:
        return self.buf[position - self.base:position - self.base + 1]

    def slice(self, start: int, end: int) -> bytes:
        return self.buf[max(start - self.base, 0):max(end - self.base, 0)]

    def _line_end(self, start: int) -> int:
        """Offset of the newline ending the line at ``start`` (the file's end for a last line); -1 if absurdly long."""
        while True:
            found = self.find(b"\n", start)
            if found >= 0:
                return found
            if self.end - start > HEADER_MAX or not self._fill():
                return self.end if self.eof else -1

    def messages(self) -> Iterator[tuple[int, int, bytes, bytes | None]]:
        self._fill()
        start = 3 if self.buf.startswith(b"\xef\xbb\xbf") else 0
        # Blank lines before the first separator are tolerated.
        while True:
            while start < self.end and self.byte(start) in (b"\n", b"\r", b" ", b"\t"):
                start += 1
            if start < self.end or not self._fill():
                break
        if start >= self.end:
            return  # an empty file holds no messages
        line_end = self._line_end(start)
        first = self.slice(start, line_end if line_end >= 0 else start + 200)
        if not first.startswith(b"From "):
            yield 0, 0, _("not an mbox file: it does not start with a “From ” line").encode(), None
            return
        strict = SEPARATOR.match(first) is not None
        number = 0
        while True:
            number += 1
            self.keep = start
            line_end = self._line_end(start)
            if line_end < 0:
                return
            separator = self.slice(start, line_end)
            header_start = min(line_end + 1, self.end)
            header_end = self._header_end(header_start)
            yield number, start, separator, self.slice(header_start, header_end)
            self.keep = header_end
            start = self._next_separator(header_end, strict)
            if start < 0:
                return

    def _header_end(self, start: int) -> int:
        """Where the header block starting at ``start`` ends (its blank line, or the next separator)."""
        while start >= self.end and self._fill():
            pass
        if self.byte(start) in (b"\n", b"\r", b""):
            return start  # an empty header block
        scan = start - 1  # the newline that ends the separator line
        while True:
            candidates = [i for i in (
                self.find(b"\n\n", scan), self.find(b"\n\r\n", scan), self.find(b"\nFrom ", scan),
            ) if i >= 0]
            if candidates:
                return min(candidates) + 1
            if self.end - start > HEADER_MAX or not self._fill():
                return self.end  # no blank line: all of it is header (the caller reports a huge one)
            scan = max(self.end - CHUNK - 3, start - 1)

    def _next_separator(self, position: int, strict: bool) -> int:
        """Offset of the next separator line after ``position`` (a line start), or -1 at the end of the file."""
        scan = position - 1
        while True:
            found = self.find(b"\nFrom ", scan)
            if found < 0:
                # Nothing in the window: only its last bytes could start a separator.
                self.keep = max(self.end - 8, self.keep)
                scan = self.end - 6
                if not self._fill():
                    return -1
                continue
            candidate = found + 1
            end = self._line_end(candidate)
            if end >= 0 and self._is_separator(candidate, end, strict):
                return candidate
            scan = candidate

    def _is_separator(self, start: int, end: int, strict: bool) -> bool:
        if strict:
            if not SEPARATOR.match(self.slice(start, end)):
                return False
        elif not (self.slice(start - 2, start) == b"\n\n" or self.slice(start - 4, start) == b"\r\n\r\n"):
            return False  # a lenient separator follows a blank line
        # The next line must be a header line (or the end of the file).
        after = end + 1
        while self.end - after < 200 and self._fill():
            pass
        if after >= self.end:
            return True
        return _HEADER_LINE.match(self.buf, after - self.base) is not None


def separator_date(line: bytes) -> datetime | None:
    """The date of a separator line (``… Fri Sep 16 22:26:51 +0000 2016``), aware; None when unreadable."""
    match = SEPARATOR.match(line)
    if not match:
        return None
    month, day, hour, minute, second, zone_before, year, zone_after = match.groups()
    try:
        zone = UTC
        offset = zone_before or zone_after
        if offset:
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
            zone = timezone(-delta if offset[:1] == b"-" else delta)
        return datetime(int(year), _MONTH_NUMBERS[month.lower()], int(day), int(hour), int(minute),
                        int(second or 0), tzinfo=zone)
    except (ValueError, KeyError, OverflowError):
        return None


def is_mbox(path: str | os.PathLike) -> bool:
    """True when the file starts (after blank lines) with a ``From `` line."""
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"From ")
