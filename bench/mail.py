"""Mail import, parse side: speed and memory of splitting an mbox, reading headers and applying the rules.

Usage (from the repository root)::

    .venv/bin/python bench/mail.py [--messages 20000] [--seed 1] [--big-gb 2] [--no-big] [--no-mbox-to-sqlite]

Generates (in a temporary folder, removed at the end) a Takeout-style mbox
of ``--messages`` messages of 2–20 KB (about 180 MB for 20,000): multipart
messages with base64 attachments, quoted-printable text, HTML parts,
encoded-word names in several charsets, long Received chains and DKIM
signatures, Gmail labels, unescaped ``From `` and ``>From `` body lines, and
about 3 % raw 8-bit (unencoded UTF-8 or Latin-1) subjects. Then it measures,
each in its own process (so peak resident memory is that step's own):

- **bare scan**: only splits the file on ``From `` lines, reading it line by
  line (``for line in file``), the baseline of the bar; and the same count
  with ``bytes.find`` over 1 MiB chunks, the fastest a split can be in Python;
- **our split alone** (``mbox.split``: separators checked, header blocks
  cut out) and **split + headers** (``mbox.parse``, no rules), to show where
  the read side's time goes;
- **parse**: ``restons.importers.mbox.parse`` (split, header fields, names,
  dates) feeding ``restons.capture.rules.Capture`` (direction, who counts,
  ignored reasons, conversations), drained every 10,000 messages as an
  import writes, in messages per second, and its peak RSS;
- **headers alone**, ours against ``BytesHeaderParser(policy=compat32)`` on the same blocks;
- **mbox-to-sqlite** (installed into its own venv, ``/tmp/bench-venv``) on
  the same file; it stops at the first raw 8-bit subject, which is printed,
  so it is also timed on an ASCII twin of the file (same messages, subjects
  encoded), beside our parse of that twin;
- the parse of a **2 GB** file made the same way (``--big-gb``), to show the
  memory stays flat; the file is deleted afterwards.

The bars (PRODUCT.md § 7, measured with database writes in the next step):
≥ 15,000 messages/s, within 3× of the bare scan, ≥ 10× faster than
mbox-to-sqlite, ≤ 150 MB resident. This script aims at ≥ 40,000 messages/s
for parse + rules, to leave room for the writes.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import quopri
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path("/tmp/bench-venv")

FIRST = ["Jane", "Zoë", "Jürgen", "José", "Amélie", "Omar", "Chloé", "Mateo", "Ingrid", "Kenji", "Léa", "Noah",
         "Björn", "Inès", "Søren", "Élodie", "Наташа", "Дмитрий", "美咲", "Łukasz", "Zoltán", "Ayşe"]
LAST = ["Doe", "Lefèvre", "Müller", "García", "Dubois", "Haddad", "Rossi", "Nakamura", "Larsen", "Novák",
        "Ødegaard", "Иванова", "田中", "Wiśniewski", "Kovács", "Yılmaz"]
CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-2", "koi8-r", "iso-2022-jp", "shift_jis", "gb2312"]
WORDS = ("meeting project budget lunch thanks slides report invoice quarterly review update travel conference "
         "café résumé naïve Zürich déjà vu").split()


# --- the generator -----------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int, ascii_subjects: bool = False, escape_from: bool = False, spacing: int = 19_000):
        self.rng = random.Random(seed)
        self.spacing = spacing  # seconds between two messages (20,000 of them span 12 years)
        self.ascii_subjects = ascii_subjects
        self.escape_from = escape_from
        noise = random.Random(seed + 1).randbytes(300_000)
        encoded = base64.encodebytes(noise)  # 76-character lines
        self.b64_lines = encoded.split(b"\n")
        self.people = [(f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}", f"user{n}@{self.rng.choice(['example.com', 'example.net', 'example.fr', 'mail.example.org'])}")
                       for n in range(3000)]
        self.start = datetime(2012, 1, 1, tzinfo=UTC)

    def name(self, text: str, rng: random.Random | None = None) -> bytes:
        """An encoded word; a person's name is always encoded the same way (their mail client's charset)."""
        if text.isascii():
            return text.encode()
        rng = rng or random.Random(text)
        for _ in range(3):
            charset = rng.choice(CHARSETS)
            try:
                raw = text.encode(charset)
                break
            except UnicodeEncodeError:
                continue
        else:
            charset, raw = "utf-8", text.encode()
        if rng.random() < 0.5:
            return b"=?" + charset.encode() + b"?B?" + base64.b64encode(raw) + b"?="
        # In a phrase, Q encoding leaves only letters and digits as they are (RFC 2047 § 5).
        quoted = b"".join(bytes([b]) if chr(b).isalnum() and b < 128 else b"_" if b == 32 else b"=%02X" % b for b in raw)
        return b"=?" + charset.encode() + b"?Q?" + quoted + b"?="

    def message(self, number: int) -> bytes:
        rng = self.rng
        size = int(min(20_000, max(2_000, rng.lognormvariate(8.95, 0.55))))
        at = self.start + timedelta(seconds=number * self.spacing + rng.randrange(self.spacing * 15 // 19))
        sent = rng.random() < 0.3
        me = ("Alex Martin", "alex.martin@example.org")
        other = rng.choice(self.people)
        sender = me if sent else other
        recipients = [other] + rng.sample(self.people, rng.choice([0, 0, 0, 1, 2, 3])) if sent else [me]
        labels = ["Sent"] if sent else ["Inbox", rng.choice(["Category Personal", "Category Updates",
                                                               "Category Promotions", "Opened", "Important"])]
        subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))).capitalize()
        if rng.random() < 0.03:
            subject_bytes = subject.encode("utf-8" if rng.random() < 0.5 else "latin-1")  # raw 8-bit, never escaped
            if self.ascii_subjects:  # the twin: encoded, with its own random source so the rest stays the same
                subject_bytes = self.name(subject, random.Random(number))
        else:
            subject_bytes = self.name(subject, rng)
        stamp = at.strftime("%a %b %d %H:%M:%S")
        lines = [f"From {1545668983435175434 + number}@xxx {stamp} +0000 {at.year}".encode(),
                 f"X-GM-THRID: {1545668983435175434 + number // 3}".encode(),
                 b"X-Gmail-Labels: " + ",".join(labels).encode(), b"Delivered-To: alex.martin@example.org"]
        for hop in range(rng.randint(4, 12)):
            lines.append(f"Received: from mx{hop}.relay.example.net (mx{hop}.relay.example.net [198.51.100.{hop}])".encode())
            lines.append(f"        by mx{hop + 1}.relay.example.net with ESMTPS id {rng.getrandbits(64):x}".encode())
            lines.append(f"        for <alex.martin@example.org>; {format_datetime(at)}".encode())
        lines.append(b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=20230601;")
        lines.append(b"        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date;")
        lines.append(b"        bh=" + base64.b64encode(rng.randbytes(32)) + b";")
        for line in self.b64_lines[rng.randrange(1000):][:4]:
            lines.append(b"        b=" + line)
        if not sent and labels[1] == "Category Promotions":
            lines.append(b"List-Id: <news.shop.example.com>")
            lines.append(b"List-Unsubscribe: <mailto:unsubscribe@shop.example.com>")
        lines += [
            b"MIME-Version: 1.0",
            f"Date: {format_datetime(at)}".encode(),
            f"Message-ID: <{number}.{rng.getrandbits(48):x}@mail.example.net>".encode(),
            b"Subject: " + subject_bytes,
            b"From: " + self.name(sender[0]) + b" <" + sender[1].encode() + b">",
            b"To: " + b", ".join(self.name(n) + b" <" + e.encode() + b">" for n, e in recipients),
            b'Content-Type: multipart/mixed; boundary="b1"',
            b"",
            b"--b1",
            b"Content-Type: text/plain; charset=UTF-8",
            b"Content-Transfer-Encoding: quoted-printable",
            b"",
        ]
        text = ("Bonjour,\n\nFrom here on, the café is open. " + " ".join(rng.choice(WORDS) for _ in range(60))
                + "\n>From the archive.\n").encode()
        body = quopri.encodestring(text)
        if self.escape_from:
            body = body.replace(b"\nFrom ", b"\n>From ")
        lines.append(body)
        lines += [b"--b1", b"Content-Type: application/pdf; name=\"report.pdf\"",
                  b"Content-Transfer-Encoding: base64", b"Content-Disposition: attachment", b""]
        used = sum(len(line) + 1 for line in lines)
        count = max(0, (size - used) // 77)
        offset = rng.randrange(len(self.b64_lines) - count - 1)
        lines += self.b64_lines[offset:offset + count]
        lines += [b"--b1--", b"", b""]
        return b"\n".join(lines)


def generate(path: Path, messages: int, seed: int, *, ascii_subjects: bool = False, escape_from: bool = False,
             target_bytes: int = 0, spacing: int = 19_000) -> int:
    """Write the mbox; with ``target_bytes``, as many messages as reach that size. Returns the message count.

    ``ascii_subjects`` encodes the raw 8-bit subjects, ``escape_from`` escapes body lines starting
    with "From " (mboxrd): the twins mbox-to-sqlite can read.
    """
    generator = Generator(seed, ascii_subjects, escape_from, spacing)
    written = 0
    number = 0
    with open(path, "wb", buffering=4 << 20) as handle:
        while (number < messages) if not target_bytes else (written < target_bytes):
            data = generator.message(number)
            handle.write(data)
            written += len(data)
            number += 1
    return number


# --- the measured steps (each in its own process) --------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(step: str, path: str) -> dict:
    started = time.perf_counter()
    cpu_started = _cpu()
    result: dict = {}
    if step == "scan-split":
        # The bare scan: split the file into messages on "From " lines, nothing else.
        count = 0
        lines: list[bytes] = []
        with open(path, "rb") as handle:
            for line in handle:
                if line.startswith(b"From ") and lines:
                    message = b"".join(lines)
                    count += 1
                    lines = []
                lines.append(line)
        if lines:
            message = b"".join(lines)  # noqa: F841 — the split makes each message, and drops it
            count += 1
        result["messages"] = count
    elif step == "scan-lines":
        count = 0
        with open(path, "rb") as handle:
            for line in handle:
                if line.startswith(b"From "):
                    count += 1
        result["messages"] = count
    elif step == "scan-find":
        count = 0
        with open(path, "rb") as handle:
            first = handle.read(5)
            count += first == b"From "
            tail = first
            while chunk := handle.read(1 << 20):
                block = tail + chunk
                count += block.count(b"\nFrom ")
                tail = block[-5:]
        result["messages"] = count
    elif step in ("parse", "split", "parse-no-rules", "headers-ours", "headers-stdlib"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
        import django

        django.setup()
        from restons.capture.me import KnownPeople, Me
        from restons.capture.rules import Capture
        from restons.importers import mbox
        from restons.importers.mail import parse_headers
        from restons.importers.records import ParseError

        started, cpu_started = time.perf_counter(), _cpu()
        if step == "split":
            # Our split alone (separators found, each header block cut out), beside the bare scan.
            with open(path, "rb") as handle:
                result["messages"] = sum(1 for _ in mbox.split(handle))
        elif step == "parse-no-rules":
            result["messages"] = sum(1 for _ in mbox.parse(path))
        elif step == "parse":
            capture = Capture(Me([("email", "alex.martin@example.org")]),
                              KnownPeople({("email", f"user{n}@example.com"): n for n in range(0, 3000, 2)}))
            errors = pings = 0
            for record in mbox.parse(path):
                if isinstance(record, ParseError):
                    errors += 1
                else:
                    capture.add(record)
                    # An import writes what is decided every few thousand messages: memory stays flat.
                    if capture.result.records % 10_000 == 0:
                        pings += len(capture.drain())
            outcome = capture.finish()
            result.update(messages=outcome.records + errors, errors=errors, pings=pings + len(outcome.pings),
                          ignored=dict(outcome.ignored), strangers=outcome.strangers)
        else:
            from email.parser import BytesHeaderParser
            from email.policy import compat32

            blocks = []
            with open(path, "rb") as handle:
                for _n, _offset, _separator, block in mbox.split(handle):
                    blocks.append(block)
                    if len(blocks) == 5000:
                        break
            started, cpu_started = time.perf_counter(), _cpu()
            if step == "headers-ours":
                for block in blocks:
                    parse_headers(block, "x")
            else:
                parser = BytesHeaderParser(policy=compat32)
                for block in blocks:
                    message = parser.parsebytes(block)
                    message.get_all("from"), message.get_all("to"), message.get("date"), message.get("subject")
            result["messages"] = len(blocks)
    result["seconds"] = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu"] = usage.ru_utime + usage.ru_stime - cpu_started
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def measure(step: str, path: Path) -> dict:
    env = dict(os.environ, RESTONS_HOME=tempfile.mkdtemp(prefix="restons-bench-home-"))
    done = subprocess.run([sys.executable, __file__, "--child", step, str(path)], capture_output=True, text=True,
                          env=env, cwd=ROOT)
    shutil.rmtree(env["RESTONS_HOME"], ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def mbox_to_sqlite(path: Path, work: Path) -> dict:
    """Time mbox-to-sqlite on ``path``; installs it into its own venv first."""
    tool = VENV / "bin" / "mbox-to-sqlite"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "mbox-to-sqlite"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = work / f"mbox-to-sqlite-{path.stem}.db"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", str(tool), "mbox", str(database), str(path)],
                          capture_output=True, text=True) if Path("/usr/bin/time").exists() else \
        subprocess.run([str(tool), "mbox", str(database), str(path)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = [line for line in done.stderr.strip().splitlines()
             if line.strip() and not line.startswith("Command exited with")]
    rss = cpu = None
    last = lines[-1].split() if lines else []
    if len(last) == 3 and last[0].isdigit():
        lines.pop()
        rss, cpu = int(last[0]) / 1024, float(last[1]) + float(last[2])
    database.unlink(missing_ok=True)
    return {"seconds": seconds, "cpu": cpu, "ok": done.returncode == 0,
            "error": lines[-1] if lines and done.returncode else "", "rss_mb": rss}


# --- the report ---------------------------------------------------------------------------------


def row(label: str, result: dict, messages: int, note: str = "") -> str:
    rate = messages / result["seconds"] if result["seconds"] else float("inf")
    cpu = f"{result['cpu']:.2f} s" if result.get("cpu") is not None else "—"
    cpu_rate = f"{messages / result['cpu']:,.0f}" if result.get("cpu") else "—"
    rss = f"{result['rss_mb']:.0f} MB" if result.get("rss_mb") else "—"
    return f"| {label} | {result['seconds']:.2f} s | {rate:,.0f} | {cpu} | {cpu_rate} | {rss} | {note} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--big-gb", type=float, default=2.0)
    parser.add_argument("--no-big", action="store_true")
    parser.add_argument("--no-mbox-to-sqlite", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return

    work = Path(tempfile.mkdtemp(prefix="restons-bench-mail-"))
    try:
        path = work / "All mail Including Spam and Trash.mbox"
        started = time.perf_counter()
        count = generate(path, args.messages, args.seed)
        size = path.stat().st_size
        load = os.getloadavg()[0]
        print(f"Generated {count:,} messages, {size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s "
              f"({os.cpu_count()} cores, load average {load:.1f} when measuring began)\n")
        print("| step | wall | msg/s (wall) | CPU | msg/s (CPU) | peak RSS | note |\n|---|---|---|---|---|---|---|")
        split = measure("scan-split", path)
        lines = measure("scan-lines", path)
        find = measure("scan-find", path)
        ours_split = measure("split", path)
        no_rules = measure("parse-no-rules", path)
        parse = measure("parse", path)
        print(row("bare scan: split into messages on `From ` lines", split, count, "the bar's baseline"))
        print(row("bare scan: only count `From ` lines", lines, count, ""))
        print(row("bare scan: count `\\nFrom ` with bytes.find", find, count, "the fastest a split can be"))
        print(row("read side: our split alone (`mbox.split`)", ours_split, count,
                  "separators checked, header blocks cut"))
        print(row("read side: split + headers (`mbox.parse`)", no_rules, count, "a Message per mail"))
        print(row("parse: split + headers + rules", parse, count,
                  f"{parse['pings']:,} interactions, {parse['errors']} errors, ignored {parse['ignored']}"))
        ours = measure("headers-ours", path)
        stdlib = measure("headers-stdlib", path)
        print(row("headers alone: restons.importers.mail", ours, ours["messages"], "5,000 header blocks"))
        print(row("headers alone: BytesHeaderParser(compat32)", stdlib, stdlib["messages"],
                  "same blocks, fields looked up, nothing decoded"))
        reference = None
        if not args.no_mbox_to_sqlite:
            tool = mbox_to_sqlite(path, work)
            print(row("mbox-to-sqlite, same file", tool, count,
                      "completed" if tool["ok"] else f"FAILED: {tool['error'][:140]}"))
            escaped = work / "escaped.mbox"
            generate(escaped, args.messages, args.seed, escape_from=True)
            escaped_tool = mbox_to_sqlite(escaped, work)
            escaped.unlink()
            print(row("mbox-to-sqlite, `From ` body lines escaped", escaped_tool, count,
                      "completed" if escaped_tool["ok"] else f"FAILED: {escaped_tool['error'][:140]}"))
            twin = work / "clean-twin.mbox"
            generate(twin, args.messages, args.seed, ascii_subjects=True, escape_from=True)
            twin_tool = mbox_to_sqlite(twin, work)
            twin_parse = measure("parse", twin)
            twin.unlink()
            print(row("mbox-to-sqlite, also subjects encoded (a twin it can read)", twin_tool, count,
                      "completed" if twin_tool["ok"] else f"FAILED: {twin_tool['error'][:140]}"))
            print(row("parse, the same twin", twin_parse, count, ""))
            if twin_tool["ok"]:
                reference = (twin_tool, twin_parse)
        big = None
        if not args.no_big:
            path.unlink()
            big_path = work / "big.mbox"
            big_count = generate(big_path, 0, args.seed + 1, target_bytes=int(args.big_gb * 1e9))
            big = measure("parse", big_path)
            print(row(f"parse, {big_path.stat().st_size / 1e9:.1f} GB file ({big_count:,} messages)", big, big_count,
                      f"{big['pings']:,} interactions"))
            big_path.unlink()
        print()
        print(f"parse + rules: {count / parse['seconds']:,.0f} msg/s wall, {count / parse['cpu']:,.0f} msg/s CPU "
              "(aim ≥ 40,000; the bar ≥ 15,000 is for the whole import, writes included)")
        print(f"against the bare scan (split on `From ` lines): {parse['seconds'] / split['seconds']:.2f}× wall, "
              f"{parse['cpu'] / split['cpu']:.2f}× CPU (bar ≤ 3×, writes included)")
        headers_cpu, rules_cpu = no_rules["cpu"] - ours_split["cpu"], parse["cpu"] - no_rules["cpu"]
        print(f"read side in parts (CPU): split {ours_split['cpu']:.2f} s, headers {headers_cpu:.2f} s, "
              f"rules {rules_cpu:.2f} s; our split is {ours_split['cpu'] / split['cpu']:.2f}× the bare scan")
        print(f"against counting `From ` lines: {parse['cpu'] / lines['cpu']:.2f}× CPU; "
              f"against bytes.find: {parse['cpu'] / find['cpu']:.2f}× CPU")
        print(f"headers: {stdlib['cpu'] / ours['cpu']:.1f}× less CPU than BytesHeaderParser(compat32)")
        if reference:
            tool, ours_twin = reference
            cpu_ratio = f", {tool['cpu'] / ours_twin['cpu']:.1f}× CPU" if tool.get("cpu") else ""
            print(f"against mbox-to-sqlite (on the twin it can read): {tool['seconds'] / ours_twin['seconds']:.1f}× "
                  f"faster wall{cpu_ratio} (bar ≥ 10×, writes included)")
        peak = max(parse["rss_mb"], big["rss_mb"] if big else 0)
        print(f"peak resident memory of the parse: {peak:.0f} MB (bar ≤ 150 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
