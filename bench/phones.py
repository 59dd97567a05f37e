"""Phone import, parse side: a 1 GB SMS backup and a 100,000-line WhatsApp export, against bare baselines.

Usage (from the repository root)::

    .venv/bin/python bench/phones.py [--gb 1] [--lines 100000] [--seed 1]

Generates in a temporary folder (removed at the end):

- an SMS Backup & Restore ``sms.xml`` of ``--gb`` GB, 90 % of it base64 media
  in MMS ``<part data="…">`` attributes (photos of 150–600 KB, as one line
  each, as the app writes them), the rest SMS with emoji as UTF-16 surrogate
  pairs in character references (``&#55357;&#56396;``), ``null`` strings and
  ``(Unknown)`` names, and group MMS;
- a twin of it with the emoji written as valid references (``&#128076;``):
  the real file cannot be read by a bare XML parser at all (it stops at the
  first surrogate), so the baselines read the twin;
- a WhatsApp Android export of ``--lines`` lines (three authors, one shown as
  a number; messages in bursts minutes apart, now and then hours or days of
  silence; a few multi-line messages, media placeholders).

Each step runs in its own process and prints wall and CPU time, throughput
and peak resident memory (``ru_maxrss``); Django and the parsers' modules
are loaded before the clock starts:

- SMS **bare**: ``xml.parsers.expat`` counting start tags, fed 1 MiB chunks,
  and ``xml.etree.ElementTree.XMLPullParser`` counting elements (clearing
  them), both on the twin;
- SMS **parse**: ``restons.importers.sms_xml.parse`` feeding
  ``restons.capture.rules.Capture`` (drained every 10,000 records) on the
  real file, then ``sms_xml.parse`` alone (what the rules cost is the
  difference);
- WhatsApp **bare**: the file read and split into lines (``for line in
  file``), and the same decoding each line as UTF-8;
- WhatsApp **parse**: ``restons.importers.whatsapp.parse`` (both passes)
  alone, then feeding ``Capture`` (drained every 10,000 records).

- SMS and WhatsApp **import**: ``run_import`` (what ``restons import
  sms-xml`` and ``restons import whatsapp`` run), parse, rules and database
  writes, into a fresh SQLite database (migrated, with one user, before the
  clock starts; ``RESTONS_DATABASE_URL`` to point it elsewhere).

On PostgreSQL the WhatsApp import is followed (after its clock stops) by the **server's floor** of its
writes: the interactions it wrote, read back and copied again (binary ``COPY``, as the import does) into
a twin of the interaction table (a table of its own, dropped after) with the same indexes and the same two deferred foreign keys
(owner, person), in batches of 2,000, then committed. The copies' time is the indexes' entries, the
commit's is the foreign keys' checks: neither can overlap the reading, which ends before the first
write (an import reads its whole file first, so that a file refused half-way writes nothing).

Bars (issue 8): the SMS import within 3× of the bare streaming parse with RSS
≤ 150 MB; the WhatsApp import ≥ 100,000 lines a second.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMOJI = ["&#55357;&#56396;", "&#55357;&#56832;", "&#55356;&#57225;", "&#55357;&#56397;"]
VALID = ["&#128076;", "&#128512;", "&#127881;", "&#128077;"]


def generate_sms(path: Path, twin: Path, gb: float, seed: int) -> dict:
    rng = random.Random(seed)
    photo = base64.b64encode(random.Random(seed + 1).randbytes(450_000))
    target = int(gb * 1024**3)
    # The messages fill the eight years before now whatever the size (SMS lines are about 10 % of the file and
    # 320 bytes each; 300 here, so they end a little before now): a date in the future is left out by the import,
    # which would then write less than a real backup of this size.
    step = 8 * 365 * 86400 * 300 // max(1, int(0.1 * target))
    start = datetime.now(UTC) - timedelta(days=8 * 365)
    people = [f"+336{n:08d}" for n in range(10_000_000, 10_000_000 + 400)]
    head = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
            b'<smses count="0" backup_set="bench" backup_date="0" type="full">\n')
    counts = {"sms": 0, "mms": 0, "media_bytes": 0}
    with open(path, "wb") as real, open(twin, "wb") as valid:
        real.write(head)
        valid.write(head)
        size = len(head)
        moment = start
        while size < target:
            moment += timedelta(seconds=rng.randint(max(1, step // 70), 2 * step - step // 70))
            stamp = int(moment.timestamp() * 1000)
            if counts["media_bytes"] + 400_000 < 0.9 * size:
                length = rng.randint(150_000, 600_000) // 4 * 4
                members = rng.sample(people, rng.choice([1, 1, 1, 2, 3]))
                sender = members[0]
                addrs = "".join(f'<addr address="{m}" type="{137 if m == sender else 151}" charset="106" />'
                                for m in members)
                line = (f'  <mms date="{stamp}" msg_box="1" address="{"~".join(members)}" m_type="132" '
                        f'contact_name="(Unknown)" read="1"><parts><part seq="-1" ct="application/smil" '
                        f'name="null" text="&lt;smil&gt;" /><part seq="0" ct="image/jpeg" name="IMG.jpg" '
                        f'text="null" data="').encode()
                tail = (f'" /><part seq="0" ct="text/plain" name="null" text="Photo {counts["mms"]}" /></parts>'
                        f"<addrs>{addrs}</addrs></mms>\n").encode()
                for handle in (real, valid):
                    handle.write(line)
                    handle.write(photo[:length])
                    handle.write(tail)
                size += len(line) + length + len(tail)
                counts["mms"] += 1
                counts["media_bytes"] += length
                continue
            emoji = rng.randrange(len(EMOJI)) if rng.random() < 0.3 else None
            body = f"Message {counts['sms']} du jour, on se voit ? " * rng.randint(1, 3)
            for handle, refs in ((real, EMOJI), (valid, VALID)):
                text = body + (refs[emoji] if emoji is not None else "")
                data = (f'  <sms protocol="0" address="{rng.choice(people)}" date="{stamp}" type="{rng.choice((1, 2))}" '
                        f'subject="null" body="{text}" toa="null" sc_toa="null" service_center="null" read="1" '
                        f'status="-1" locked="0" date_sent="0" sub_id="1" readable_date="-" contact_name="(Unknown)" />\n')
                handle.write(data.encode())
            size += len(data)
            counts["sms"] += 1
        real.write(b"</smses>\n")
        valid.write(b"</smses>\n")
    counts["bytes"] = path.stat().st_size
    return counts


def generate_whatsapp(path: Path, lines: int, seed: int) -> None:
    """A chat in bursts that ends yesterday (a chat's messages are in the past: the import leaves out the future)."""
    rng = random.Random(seed)
    authors = ["Jane Doe", "Alex Martin", "\u202a+33 6 12 34 56 78\u202c"]
    messages, elapsed, written = [], timedelta(0), 1
    while written < lines:
        # A chat goes in bursts: minutes apart, now and then hours, a day or two of silence.
        pause = rng.random()
        elapsed += timedelta(minutes=rng.randint(0, 5) if pause < 0.7 else rng.randint(5, 120) if pause < 0.95
                             else rng.randint(720, 4320))
        text = rng.choice(["Salut !", "On se voit samedi ?", "<Media omitted>", "Haha 😂", "Ok",
                           "Tu as vu le match hier soir ? Incroyable la fin du deuxième temps."])
        written += 1
        second = rng.random() < 0.05 and written < lines
        written += second
        messages.append((elapsed, rng.choice(authors), text, second))
    start = (datetime.now() - timedelta(days=1) - elapsed).replace(second=0, microsecond=0)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{start:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. Tap to learn more.\n")
        for offset, author, text, second in messages:
            handle.write(f"{start + offset:%d/%m/%Y, %H:%M} - {author}: {text}\n")
            if second:
                handle.write("et une deuxième ligne\n")


# --- the steps, each run in its own process ---------------------------------------------


def step_expat(path: str) -> dict:
    from xml.parsers import expat

    parser = expat.ParserCreate()
    count = 0

    def start(_tag, _attrs):
        nonlocal count
        count += 1

    parser.StartElementHandler = start
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return {"elements": count}


def step_pull(path: str) -> dict:
    import xml.etree.ElementTree as ET

    parser = ET.XMLPullParser(events=("end",))
    count = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            parser.feed(chunk)
            for _event, element in parser.read_events():
                count += 1
                element.clear()
    parser.close()
    return {"elements": count}


def step_sms(path: str) -> dict:
    _django()
    from restons.capture.me import KnownPeople, Me
    from restons.capture.rules import Capture
    from restons.importers import sms_xml
    from restons.importers.records import ParseError

    capture = Capture(Me(), KnownPeople())
    records = pings = 0
    for record in sms_xml.parse(path, region="FR"):
        records += 1
        if not isinstance(record, ParseError):
            capture.add(record)
        if records % 10_000 == 0:
            pings += len(capture.drain())
    result = capture.finish()
    return {"records": records, "pings": pings + len(result.pings)}


def step_sms_parse(path: str) -> dict:
    _django()
    from restons.importers import sms_xml

    records = sum(1 for _record in sms_xml.parse(path, region="FR"))
    return {"records": records, "pings": 0}


def step_lines(path: str) -> dict:
    count = 0
    with open(path, "rb") as handle:
        for _line in handle:
            count += 1
    return {"lines": count}


def step_decoded_lines(path: str) -> dict:
    count = 0
    with open(path, "rb") as handle:
        for line in handle:
            line.decode("utf-8")
            count += 1
    return {"lines": count}


def step_whatsapp(path: str) -> dict:
    _django()
    from zoneinfo import ZoneInfo

    from restons.capture.me import KnownPeople, Me
    from restons.capture.rules import Capture
    from restons.importers import whatsapp

    capture = Capture(Me(), KnownPeople())
    records = pings = 0
    for record in whatsapp.parse(path, region="FR", tz=ZoneInfo("Europe/Paris"), me_names=["Alex Martin"]):
        records += 1
        capture.add(record)
        if records % 10_000 == 0:
            pings += len(capture.drain())
    return {"records": records, "pings": pings + len(capture.finish().pings)}


def step_whatsapp_parse(path: str) -> dict:
    from zoneinfo import ZoneInfo

    from restons.importers import whatsapp

    records = sum(1 for _record in whatsapp.parse(path, region="FR", tz=ZoneInfo("Europe/Paris"),
                                                   me_names=["Alex Martin"]))
    return {"records": records, "pings": 0}


def _owner(step: str):
    """A fresh database (RESTONS_HOME is a new temporary folder: SQLite) with a user of its own for ``step``, named
    Alex Martin (on PostgreSQL, RESTONS_DATABASE_URL's database is kept from step to step: each import has its own
    user there, named by the step and the process)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from restons.services.me import add_me

    call_command("migrate", verbosity=0)
    email = f"{step}-{os.getpid()}@example.org"  # (a PostgreSQL database is kept from one run of the bench to the next)
    owner = get_user_model().objects.create_user(email, email, None)
    add_me(owner, name="Alex Martin")
    return owner


def step_sms_import(path: str, owner=None) -> dict:
    from restons.models import Interaction, Person
    from restons.services.imports import run_import

    summary = run_import(owner, "sms-xml", path, region="FR")
    return {"records": summary.records, "pings": summary.interactions, "people": Person.objects.count(),
            "stored": Interaction.objects.count()}


def step_whatsapp_import(path: str, owner=None) -> dict:
    from restons.models import Interaction
    from restons.services.imports import run_import

    summary = run_import(owner, "whatsapp", path, region="FR")
    return {"records": summary.records, "pings": summary.interactions, "stored": Interaction.objects.count()}


def server_floor(owner) -> dict:
    """PostgreSQL: the server's time for the interactions ``owner``'s import wrote, copied again into a
    twin of the table (same indexes, same deferred foreign keys): (copies, commit) seconds."""
    from django.db import connection, transaction

    from restons.models import Interaction
    from restons.services.prepared import _copy_type

    columns = ["owner_id", "person_id", "at", "until", "direction", "channel", "summary", "source", "source_key"]
    rows = list(Interaction.objects.filter(owner=owner).order_by("person_id", "at").values_list(*columns))
    twin = f"bench_twin_{os.getpid()}"  # (a table of its own: a temporary one cannot have these foreign keys)
    fields = {f.attname: f for f in Interaction._meta.concrete_fields}
    types = [_copy_type(fields[column]) for column in columns]  # (as the import names them)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {twin} (LIKE {Interaction._meta.db_table} INCLUDING ALL)")
        try:
            for column, target in (("owner_id", "auth_user"), ("person_id", "restons_person")):
                cursor.execute(f"ALTER TABLE {twin} ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                               "DEFERRABLE INITIALLY DEFERRED")
            started = time.perf_counter()
            with transaction.atomic():
                for start in range(0, len(rows), 2000):
                    with cursor.cursor.copy(f"COPY {twin} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
                        copy.set_types(types)
                        for row in rows[start:start + 2000]:
                            copy.write_row(row)
                copied = time.perf_counter()
            committed = time.perf_counter()
        finally:
            cursor.execute(f"DROP TABLE {twin}")
    return {"rows": len(rows), "copies": copied - started, "commit": committed - copied}


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
    os.environ.setdefault("RESTONS_HOME", tempfile.mkdtemp(prefix="bench-phones-"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


STEPS = {"expat": step_expat, "pull": step_pull, "sms": step_sms, "sms-parse": step_sms_parse, "lines": step_lines,
         "decoded": step_decoded_lines, "whatsapp": step_whatsapp, "whatsapp-parse": step_whatsapp_parse,
         "sms-import": step_sms_import, "whatsapp-import": step_whatsapp_import}
IMPORTS = {"sms-import", "whatsapp-import"}  # a database made before the clock starts
PARSE_STEPS = {"sms", "sms-parse", "whatsapp", "whatsapp-parse"}
DATABASE = "PostgreSQL" if os.environ.get("RESTONS_DATABASE_URL", "").startswith("postgres") else "SQLite"


def run_step(name: str, path: Path) -> dict:
    output = subprocess.run([sys.executable, __file__, "--step", name, str(path)], check=True, capture_output=True,
                            text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--step", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, path = args.step
        if name in ("sms", "sms-parse", "whatsapp", "whatsapp-parse") or name in IMPORTS:
            _django()  # set up before the clock starts: the import's process has it already
        if name in PARSE_STEPS:  # the parser's and the rules' modules too: the clock times reading, not importing
            import restons.capture.rules  # noqa: F401
            import restons.importers.sms_xml  # noqa: F401
            import restons.importers.whatsapp  # noqa: F401
        owner = _owner(name) if name in IMPORTS else None
        started, cpu = time.perf_counter(), time.process_time()
        figures = STEPS[name](path, owner) if name in IMPORTS else STEPS[name](path)
        figures.update(wall=time.perf_counter() - started, cpu=time.process_time() - cpu,
                       rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if name == "whatsapp-import" and DATABASE == "PostgreSQL":
            figures["floor"] = server_floor(owner)
        print(json.dumps(figures))
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-"))
    try:
        sms, twin = folder / "sms.xml", folder / "sms-valid.xml"
        started = time.perf_counter()
        counts = generate_sms(sms, twin, args.gb, args.seed)
        print(f"sms.xml: {counts['bytes'] / 1024**3:.2f} GB, {counts['sms']:,} sms, {counts['mms']:,} mms, "
              f"{counts['media_bytes'] / counts['bytes']:.0%} base64 media (made in {time.perf_counter() - started:.0f} s)")
        rows = [("bare: expat counting tags (twin)", run_step("expat", twin)),
                ("bare: XMLPullParser counting elements (twin)", run_step("pull", twin)),
                ("parse: sms_xml + capture rules (real file)", run_step("sms", sms)),
                ("parse: sms_xml alone (real file)", run_step("sms-parse", sms)),
                (f"import: restons import sms-xml, {DATABASE} (real file)", run_step("sms-import", sms))]
        size_mb = counts["bytes"] / 1024**2
        print(f"{'step':48} {'wall s':>8} {'cpu s':>8} {'MB/s':>8} {'RSS MB':>8}")
        for label, figures in rows:
            print(f"{label:48} {figures['wall']:8.2f} {figures['cpu']:8.2f} {size_mb / figures['wall']:8.0f} "
                  f"{figures['rss_mb']:8.0f}")
        bare = min(rows[0][1]["wall"], rows[1][1]["wall"])
        bare_cpu = min(rows[0][1]["cpu"], rows[1][1]["cpu"])
        ours = rows[2][1]
        print(f"parse / fastest bare = {ours['wall'] / bare:.2f}× wall, {ours['cpu'] / bare_cpu:.2f}× CPU (bar: ≤ 3×); "
              f"RSS {ours['rss_mb']:.0f} MB (bar: ≤ 150); "
              f"{ours['records']:,} records, {ours['pings']:,} pings")
        alone = rows[3][1]
        print(f"parse alone / fastest bare = {alone['wall'] / bare:.2f}× wall, {alone['cpu'] / bare_cpu:.2f}× CPU")
        full = rows[4][1]
        print(f"import / fastest bare = {full['wall'] / bare:.2f}× wall, {full['cpu'] / bare_cpu:.2f}× CPU (bar: ≤ 3×); "
              f"RSS {full['rss_mb']:.0f} MB (bar: ≤ 150); "
              f"{full['records']:,} records, {full['pings']:,} interactions, {full['people']:,} people created")
        sms.unlink()
        twin.unlink()

        chat = folder / "WhatsApp Chat with Jane Doe.txt"
        generate_whatsapp(chat, args.lines, args.seed)
        rows = [("bare: lines split", run_step("lines", chat)),
                ("bare: lines split and decoded", run_step("decoded", chat)),
                ("parse: whatsapp (two passes)", run_step("whatsapp-parse", chat)),
                ("parse: whatsapp (two passes) + capture rules", run_step("whatsapp", chat)),
                (f"import: restons import whatsapp, {DATABASE}", run_step("whatsapp-import", chat))]
        print(f"\n{'step':48} {'wall s':>8} {'cpu s':>8} {'lines/s':>10} {'RSS MB':>8}")
        for label, figures in rows:
            print(f"{label:48} {figures['wall']:8.3f} {figures['cpu']:8.3f} {args.lines / figures['wall']:10,.0f} "
                  f"{figures['rss_mb']:8.0f}")
        print(f"WhatsApp parse + rules: {args.lines / rows[3][1]['wall']:,.0f} lines/s wall, "
              f"{args.lines / rows[3][1]['cpu']:,.0f} lines/s CPU (bar: ≥ 100,000); "
              f"{rows[3][1]['records']:,} records, {rows[3][1]['pings']:,} pings")
        full = rows[4][1]
        print(f"WhatsApp import: {args.lines / full['wall']:,.0f} lines/s wall, "
              f"{args.lines / full['cpu']:,.0f} lines/s CPU (bar: ≥ 100,000); "
              f"{full['records']:,} records, {full['pings']:,} interactions")
        if "floor" in full:
            floor = full["floor"]
            server = floor["copies"] + floor["commit"]
            reading = rows[3][1]["wall"]
            print(f"PostgreSQL's floor for those {floor['rows']:,} interactions (copied again into a twin table): "
                  f"copies {floor['copies']:.3f} s (indexes), commit {floor['commit']:.3f} s (foreign keys); "
                  f"with parse + rules alone {reading + server:.3f} s = "
                  f"{args.lines / (reading + server):,.0f} lines/s at most, before anything else the import does")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
