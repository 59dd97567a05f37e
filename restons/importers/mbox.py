"""mbox files (Gmail Takeout's "All mail Including Spam and Trash.mbox" included) → messages.

The file is read in binary, a chunk at a time, and never indexed
(``mailbox.mbox`` builds an offset index and creates missing files): memory
stays flat whatever the file's size. Only each message's header block is
looked at; bodies are skipped with ``bytes.find`` and never decoded, so the
mboxo/mboxrd ``>From `` escaping of body lines does not matter. Per message the
split makes one search for the header's blank line (LF or CRLF) and one for
the next ``From `` line, which serves both to cut a header that has no blank
line and to find the next separator; the regex engine finds these fixed
strings faster than ``bytes.find``.

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
# Searches the hot loop makes: the regex engine finds these fixed strings faster than bytes.find
# (it skips to the first byte with a tight loop, then compares).
_FROM_LINE = re.compile(rb"\nFrom ").search
_BLANK_LINE = re.compile(rb"\n\r?\n").search
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
    template = _("%(file)s, message %(number)s (byte %(offset)s)")  # translated once, not per message
    try:
        with open_binary(path) as binary:
            for number, offset, separator, block in split(binary):
                if block is None:
                    yield ParseError(where=f"{name} line 1", why=separator.decode("utf-8", "replace"))
                    return
                where = template % {"file": name, "number": number, "offset": offset}
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
    """A sliding window over the file.

    Indices are relative to the window ``buf`` (``base`` is the file offset
    of its first byte). Reading more (:meth:`_more`) forgets the bytes before
    the index the caller still needs and says how far indices moved: the hot
    loop stays on local variables and ``bytes.find``.
    """

    def __init__(self, binary: BinaryIO):
        self.binary = binary
        # A bytearray: forgetting its front is free (CPython moves a start pointer), appending is amortised.
        self.buf = bytearray()
        self.base = 0
        self.eof = False

    def _more(self, keep: int) -> int:
        """Read one more chunk, forgetting ``buf[:keep]``; the shift of indices, or -1 at the end of the file."""
        if self.eof:
            return -1
        more = self.binary.read(CHUNK)
        if not more:
            self.eof = True
            return -1
        if keep > 0:
            del self.buf[:keep]
            self.buf += more
            self.base += keep
            return keep
        self.buf += more
        return 0

    def _line_end(self, start: int) -> tuple[int, int]:
        """(index of the newline ending the line at ``start`` or len(buf) at the end of the file, shift).

        Keeps a few bytes before ``start``: the lenient separator check looks at the line before.
        """
        shift = 0
        while True:
            end = self.buf.find(b"\n", start)
            if end >= 0:
                return end, shift
            if len(self.buf) - start > HEADER_MAX:
                return len(self.buf), shift
            moved = self._more(max(start - 8, 0))
            if moved < 0:
                return len(self.buf), shift
            start -= moved
            shift += moved

    def messages(self) -> Iterator[tuple[int, int, bytes, bytes | None]]:
        self._more(0)
        start = 3 if self.buf.startswith(b"\xef\xbb\xbf") else 0
        # Blank lines before the first separator are tolerated.
        while True:
            while start < len(self.buf) and self.buf[start] in b"\r\n \t":
                start += 1
            if start < len(self.buf) or self._more(0) < 0:
                break
        if start >= len(self.buf):
            return  # an empty file holds no messages
        line_end, shift = self._line_end(start)
        start -= shift
        first = bytes(self.buf[start:line_end])
        if not first.startswith(b"From "):
            yield 0, 0, _("not an mbox file: it does not start with a “From ” line").encode(), None
            return
        strict = SEPARATOR.match(first) is not None
        number = 0
        buf = self.buf
        # The loop below is the hot path, kept on local variables and bytes.find; the methods
        # it falls back to handle what needs reading more of the file.
        while True:
            number += 1
            header_start = line_end + 1
            # The header ends at its blank line ("\n\n", or "\n\r\n": whichever comes first)...
            blank = _BLANK_LINE(buf, line_end)
            if blank is not None:
                end = blank.start()
                limit = end + 6 if buf[end + 1] == 13 else end + 3
            else:
                end, limit = -1, len(buf)
            # ... or at a "From " line before it. The first "From " line after the separator is
            # also where the search for the next separator starts: one search, not two.
            found = _FROM_LINE(buf, line_end)
            following = found.start() if found is not None else -1
            if following >= 0 and following + 6 <= limit:
                end = following
            if end >= 0 and header_start < len(buf):
                header_end = end + 1
                hint = following
            else:
                header_end, shift = self._header_end(start, header_start)
                start, line_end, header_start = start - shift, line_end - shift, header_start - shift
                buf = self.buf
                hint = None
            yield number, self.base + start, bytes(buf[start:line_end]), bytes(buf[header_start:header_end])
            start, line_end = self._next_separator(header_end, strict, hint)
            if start < 0:
                return
            buf = self.buf

    def _header_end(self, keep: int, start: int) -> tuple[int, int]:
        """(where the header block starting at ``start`` ends: its blank line or the next separator, shift)."""
        shift = 0
        while start >= len(self.buf):
            moved = self._more(keep)
            if moved < 0:
                return len(self.buf), shift
            keep, start, shift = keep - moved, start - moved, shift + moved
        buf = self.buf
        if buf[start] in b"\r\n":
            return start, shift  # an empty header block
        scan = start - 1  # the newline that ends the separator line
        while True:
            # Each search stops where the previous one found something: a search that finds
            # nothing in the header would otherwise run through the whole window every message.
            end = buf.find(b"\n\n", scan)
            limit = end + 3 if end >= 0 else len(buf)
            crlf = buf.find(b"\n\r\n", scan, limit)
            if crlf >= 0:
                end, limit = crlf, crlf + 6
            separator = buf.find(b"\nFrom ", scan, limit)
            if separator >= 0:
                end = separator
            if end >= 0:
                return end + 1, shift
            if len(buf) - start > HEADER_MAX:
                return len(buf), shift  # no blank line: all of it is header (the caller reports a huge one)
            moved = self._more(keep)
            if moved < 0:
                return len(self.buf), shift
            buf = self.buf
            keep, start, shift = keep - moved, start - moved, shift + moved
            scan = start - 1  # headers are short: search the block again from its start

    def _next_separator(self, position: int, strict: bool, hint: int | None = None) -> tuple[int, int]:
        """(start, end) of the next separator line after ``position`` (a line start); (-1, -1) at the end.

        ``hint`` is where ``buf.find(b"\\nFrom ", position - 1)`` is, when the caller already searched.
        """
        scan = position - 1
        buf = self.buf
        found = hint
        while True:
            if found is None:
                match = _FROM_LINE(buf, scan)
                found = match.start() if match is not None else -1
            if found < 0:
                # Nothing in the window: only its last bytes could start a separator (and the
                # lenient check looks at the few bytes before one).
                searched = len(buf)
                moved = self._more(max(searched - 16, 0))
                if moved < 0:
                    return -1, -1
                buf = self.buf
                scan = max(searched - 7 - moved, 0)
                found = None
                continue
            candidate = found + 1
            found = None
            end = buf.find(b"\n", candidate)
            if end < 0:
                end, shift = self._line_end(candidate)
                candidate -= shift
                buf = self.buf
            # A separator has a time (hh:mm): most "From " lines of a body are dismissed at once.
            if (not strict or buf.find(b":", candidate, end) >= 0) and self._is_separator(candidate, end, strict):
                return candidate, end
            buf = self.buf
            scan = candidate

    def _is_separator(self, start: int, end: int, strict: bool) -> bool:
        buf = self.buf
        if strict:
            if not SEPARATOR.match(buf, start, end):
                return False
        elif not (buf[max(start - 2, 0):start] == b"\n\n" or buf[max(start - 4, 0):start] == b"\r\n\r\n"):
            return False  # a lenient separator follows a blank line
        # The next line must be a header line (or the end of the file). Reading more here
        # appends to the window without forgetting anything, so no index moves.
        after = end + 1
        if len(buf) - after >= 200 or buf.find(b"\n", after) >= 0:
            return _HEADER_LINE.match(buf, after) is not None
        while not self.eof and self.buf.find(b"\n", after, after + 200) < 0 and len(self.buf) - after < 200:
            more = self.binary.read(CHUNK)
            if not more:
                self.eof = True
            self.buf += more
        if after >= len(self.buf):
            return True
        return _HEADER_LINE.match(self.buf, after) is not None


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
