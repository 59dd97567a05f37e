"""Seeded mutations of real-shaped files, for fuzzing any parser or importer.

Pure functions, bytes in and bytes out, no database: a parser's tests, the
importers' fuzz test (``tests/fuzz/test_importers.py``) and any later format
reuse them. Every case is reproducible from its seed alone::

    rng = case_rng(seed, "vcard", 17)
    names, data = mutate(sample_bytes, rng)

:func:`mutate` stacks one to three mutators chosen by ``rng``; zips go
through :func:`mutate_zip`, which mutates members (then rebuilds a valid
archive) or the archive's own bytes (corrupt deflate data, sizes that lie,
truncation). The mutations are the ways real files arrive broken: bit flips,
truncation, inserted bytes, CR-only line endings (Excel for Mac), a bare CR
inside a field, NUL bytes, a field over 16 MiB (on request, ``huge=True``:
it is slow), odd encodings, impossible or out-of-range dates, over-long
text, and files that are not text at all.
"""

from __future__ import annotations

import codecs
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable

Mutator = Callable[[bytes, random.Random], bytes]

# Bytes that mean something to CSV, vCard, quoted-printable, zip or a decoder.
TOKENS = [
    b'"', b",", b";", b":", b"=", b"\\", b"\r", b"\n", b"\r\n", b"\x00", b"\t", b" ", b"\xff", b"\xfe\xff",
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\xc3", b"\xe2\x80", b"=\r\n", b"=C3=A9", b"\\n", b"\\,",
    b"BEGIN:VCARD", b"END:VCARD", b"item1.BEGIN:VCARD\r\n", b"item1.END:VCARD\r\n", b"item9.",
    b";ENCODING=QUOTED-PRINTABLE", b";CHARSET=x-unknown", b";CHARSET=utf-16", b";X-APPLE-OMIT-YEAR=\xc2\xb2",
    b";TYPE=\"a,b", b"PK\x03\x04", b"<p>", b"&#x0;", b"&amp;", "é".encode(), "🎸".encode(), b"\xed\xa0\x80",
]
# Values a field may hold that a parser must refuse or fit, never crash on.
VALUES = [
    b"", b"31 Feb 2021", b"29 Feb 2023", b"0 Jan 2020", b"12 Foo 2020", b"1 Jan 1850", b"1 Jan 9999",
    b"9999-12-31 23:59:59 UTC", b"0001-01-01 00:00:00 UTC", b"2099-01-01 00:00:00 UTC",
    b"9999-12-31T23:59:59+14:00", b"0001-01-01T00:00:00-12:00", b"2023-02-30 10:00:00 UTC",
    b'"12/31/99, 11:59 PM"', b'"2/30/26, 3:43 PM"', b'"7/8/99, 13:43 PM"', b'"99/99/9999, 0:00 AM"',
    b"1899-12-31", b"2200-01-01", b"--02-30", b"--13-45", b"16040229", b"0/0/00", b"31/02/2021", b"31.02.2021",
    b"not-an-address", b"a@b", b"@@", b"*123#", b"+", b"+33 6", b"tel:", b"mailto:",
    b"https://www.linkedin.com/in/", b"https://www.linkedin.com/in/" + b"z" * 600, b"http://[::1", b"//",
    b"x" * 12_000, "😀".encode() * 3_000, b"=HYPERLINK(\"http://evil.example\")", b"\x00\x00\x00",
    b"\xc2\xb2", "١٩٨٥-١٢-١٠".encode(),
]
BIG_FIELD = 16 * 1024 * 1024 + 64  # over csv's field limit


# --- text mutators ----------------------------------------------------------------------


def bit_flips(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(out))
        out[position] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)] if data else data


def insert_token(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(out) + 1)
        out = out[:position] + rng.choice(TOKENS) + out[position:]
    return out


def insert_random_bytes(data: bytes, rng: random.Random) -> bytes:
    position = rng.randrange(len(data) + 1)
    return data[:position] + rng.randbytes(rng.randint(1, 64)) + data[position:]


def delete_range(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 200):]


def duplicate_range(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 300)]
    position = rng.randrange(len(data) + 1)
    return data[:position] + piece + data[position:]


def cr_only(data: bytes, rng: random.Random) -> bytes:
    """Line endings as Excel for Mac writes them: a lone CR."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def crlf(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def bare_cr_in_field(data: bytes, rng: random.Random) -> bytes:
    """A CR inside a line, not at its end (a cell edited on a Mac, pasted text)."""
    lines = data.split(b"\n")
    index = rng.randrange(len(lines))
    line = lines[index]
    position = rng.randrange(len(line) + 1)
    lines[index] = line[:position] + b"\r" + line[position:]
    return b"\n".join(lines)


def nul_bytes(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 5)):
        position = rng.randrange(len(out) + 1)
        out = out[:position] + b"\x00" * rng.randint(1, 3) + out[position:]
    return out


def replace_field(data: bytes, rng: random.Random) -> bytes:
    """One value (between separators) replaced by an odd one: an impossible date, a bad address, a long text."""
    spans = [m.span() for m in re.finditer(rb"[^,;:\r\n\"]+", data)]
    if not spans:
        return data + rng.choice(VALUES)
    start, end = rng.choice(spans)
    return data[:start] + rng.choice(VALUES) + data[end:]


def huge_field(data: bytes, rng: random.Random) -> bytes:
    """A value over 16 MiB (csv's field limit), quoted or not."""
    spans = [m.span() for m in re.finditer(rb"[^,;:\r\n\"]+", data)] or [(len(data), len(data))]
    start, end = rng.choice(spans)
    filler = b"y" * BIG_FIELD
    if rng.random() < 0.5:
        filler = b'"' + filler + b'"'
    return data[:start] + filler + data[end:]


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) > 1:
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


def drop_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if lines:
        del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def reencode(data: bytes, rng: random.Random) -> bytes:
    """The same text in another encoding, with or without a BOM (Outlook's cp1252, UTF-16 exports)."""
    text = data.decode("utf-8", errors="replace")
    choice = rng.randrange(5)
    if choice == 0:
        return codecs.BOM_UTF8 + data
    if choice == 1:
        return text.encode("utf-16")  # with its BOM
    if choice == 2:
        return text.encode("utf-16-le")  # without: looks like text full of NULs
    if choice == 3:
        return text.encode("cp1252", errors="replace")
    return text.encode("latin-1", errors="replace")


def not_text(data: bytes, rng: random.Random) -> bytes:
    """Something that is not the format at all: empty, random bytes, a PNG, a PDF, a zip."""
    choice = rng.randrange(5)
    if choice == 0:
        return b""
    if choice == 1:
        return rng.randbytes(rng.randint(1, 2048))
    if choice == 2:
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(200)
    if choice == 3:
        return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + rng.randbytes(100)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", data[:500])
    return buffer.getvalue()


# (mutator, weight). The heavy one, a 16 MiB field, is not drawn: ``mutate(..., huge=True)`` adds it
# to the cases a test chooses, so a few thousand cases stay quick and still hold a few of them.
TEXT_MUTATORS: list[tuple[Mutator, int]] = [
    (bit_flips, 10), (truncate, 8), (insert_token, 12), (insert_random_bytes, 6), (delete_range, 6),
    (duplicate_range, 5), (cr_only, 5), (crlf, 2), (bare_cr_in_field, 6), (nul_bytes, 6), (replace_field, 16),
    (swap_lines, 3), (drop_line, 3), (reencode, 4), (not_text, 2),
]


def mutate(
    data: bytes, rng: random.Random, mutators: list[tuple[Mutator, int]] = TEXT_MUTATORS, *, huge: bool = False
) -> tuple[list[str], bytes]:
    """``data`` with one to three mutations (and a field over 16 MiB when ``huge``); returns their names
    (for the failure message) and the result."""
    names = []
    functions = [m for m, _w in mutators]
    weights = [w for _m, w in mutators]
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        mutator = rng.choices(functions, weights)[0]
        names.append(mutator.__name__)
        data = mutator(data, rng)
    if huge:
        names.append(huge_field.__name__)
        data = huge_field(data, rng)
    return names, data


# --- zips ----------------------------------------------------------------------------------


def build_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _local_headers(data: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"PK\x03\x04", data)]


def corrupt_deflate(data: bytes, rng: random.Random) -> bytes:
    """Garble bytes inside a member's compressed data (zlib.error, or a CRC that no longer matches)."""
    headers = _local_headers(data)
    if not headers:
        return bit_flips(data, rng)
    start = rng.choice(headers)
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26) if start + 30 <= len(data) else (0, 0)
    body = start + 30 + name_length + extra_length
    compressed = struct.unpack_from("<I", data, start + 18)[0] if start + 22 <= len(data) else 0
    if compressed == 0 or body >= len(data):
        return bit_flips(data, rng)
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        position = body + rng.randrange(min(compressed, len(data) - body))
        out[position] = rng.randrange(256)
    return bytes(out)


def lie_about_size(data: bytes, rng: random.Random) -> bytes:
    """A member whose declared size (compressed or not, local or central) is not its real size."""
    out = bytearray(data)
    central = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    targets = [(h, 18) for h in _local_headers(data)] + [(h, 22) for h in _local_headers(data)]
    targets += [(c, 20) for c in central] + [(c, 24) for c in central]
    targets = [(h, o) for h, o in targets if h + o + 4 <= len(out)]
    if not targets:
        return truncate(data, rng)
    for _ in range(rng.randint(1, 2)):
        header, offset = rng.choice(targets)
        size = struct.unpack_from("<I", out, header + offset)[0]
        lie = rng.choice([0, 1, max(size // 2, 1), size - 1, size + 1, size * 2 + 7, 2**31, 2**32 - 1])
        struct.pack_into("<I", out, header + offset, lie % 2**32)
    return bytes(out)


def zip_truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


ZIP_MUTATORS: list[tuple[Mutator, int]] = [
    (corrupt_deflate, 10), (lie_about_size, 10), (zip_truncate, 4), (bit_flips, 6), (insert_random_bytes, 2),
]


def mutate_zip(members: dict[str, bytes], rng: random.Random, *, huge: bool = False) -> tuple[list[str], bytes]:
    """An export zip with mutated members (a valid archive around broken files) or a broken archive."""
    members = dict(members)
    names: list[str] = []
    if huge or rng.random() < 0.5:
        for member in rng.sample(sorted(members), rng.randint(1, 2)):
            changes, members[member] = mutate(members[member], rng, huge=huge)
            huge = False
            names += [f"{member.rsplit('/', 1)[-1]}:{c}" for c in changes]
    if rng.random() < 0.2:
        del members[rng.choice(sorted(members))]
        names.append("drop_member")
    compression = zipfile.ZIP_STORED if rng.random() < 0.2 else zipfile.ZIP_DEFLATED
    data = build_zip(members, compression)
    if not names or rng.random() < 0.5:
        more, data = mutate(data, rng, ZIP_MUTATORS)
        names += more
    return names, data


def case_rng(seed: int | str, label: str, index: int) -> random.Random:
    """The random source of case ``index`` of ``label``: each case replays alone from its seed."""
    return random.Random(f"{seed}:{label}:{index}")
