"""Import speed: a 30,000-row LinkedIn Connections.csv and a 10,000-card vCard file.

Usage (from the repository root)::

    .venv/bin/python bench/imports.py [--connections N] [--cards N] [--seed S] [--repeat R]
    .venv/bin/python bench/imports.py --database-url postgresql://user@host/any   # also PostgreSQL
    (or RESTONS_DATABASE_URL=postgresql://… in the environment)

Bars (issue 12): the Connections.csv import within 2× the CPU time of
``sqlite-utils insert --csv`` of the same rows; 10,000 vCards in ≤ 2 s;
re-import of either (nothing new) in ≤ 1 s; peak resident memory ≤ 150 MB. sqlite-utils is installed by this
script into a bench-only virtual environment, ``var/bench-venv`` (never a
project dependency). A third baseline is the floor of any CSV import: the
``csv`` module and one ``executemany`` into a table of the same columns, in
SQLite (and in PostgreSQL when one is given). CPU time is the figure compared
(this shared machine's wall clock drifts with its load); wall time is printed
beside it. On PostgreSQL, CPU is the importing process's only (the server's
work is in the wall time).

The files are generated (invented names, realistic fields) in a temporary
directory. Each database gets a fresh data set: SQLite in a new temporary
RESTONS_HOME always, and PostgreSQL when RESTONS_DATABASE_URL is given, in a
temporary database created beside the one named (``restons_bench_<pid>``) and
dropped afterwards, so an existing database is never touched.

For each file the script prints the time of ``run_import`` (the function behind
``restons import`` and the web upload, with its matching, batching and
transaction) beside a baseline measured in the same run on the same file: a
bare scan that only reads and splits it (``csv.reader`` over the rows;
splitting the cards on ``BEGIN:VCARD``). The vCard file is imported after the
connections, and 15 % of its cards share an email or profile URL with a
connection, so matching across sources is part of the figure. A second import
of each file shows what an idempotent re-run costs: every contact is found
stored with the same digest (the vCard's cards are not even parsed again),
except the cards whose numbers were refused, which are read and reported again.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

FIRST = (
    "Camille Noah Inès Oliver Léa Maya Hugo Zoé Ethan Chloé Samuel Ava Lucas Emma Louis Jade Gabriel Alice Arthur "
    "Lina Jules Rose Adam Anna Raphaël Mia Léo Julia Nathan Sofia Tom Clara Paul Eva Victor Lou Sacha Nora Théo "
    "Iris Martin Elena Oscar Amira Yusuf Priya Kenji Aiko Mateo Lucia Diego Ingrid Lars Freya Tariq Leila Omar "
    "Grace Henry Olivia James Amelia William Harper Daniel Ella Benjamin Chiara Marco Greta Pavel Olga Nadia "
    "Malik Sven Astrid Bruno Carmen Dario Esther Fatou Gaspard Hana Igor Jeanne Karim Lotte Mehdi Nina Otto"
).split()
SYLLABLES_A = "Bel Mar Fon Ber Dur Lef Gar Mor Ros Val Cha Bou Per Lam Gui Mon Ric Sal Tes Vin Aub Cor Del Fau".split()
SYLLABLES_B = "ard ain eau ier ot in on et and ert oux ac el ine ade isse our ey ant ol eux ique au ane".split()
COMPANIES = [f"{a}{b} {kind}" for a in SYLLABLES_A for b in SYLLABLES_B[:12]
             for kind in ("Conseil", "Studio", "Labs", "& Co", "Industries")][:1200]
TITLES = ("Engineer", "Senior Engineer", "Product Manager", "Designer", "Consultant", "Directrice", "Founder",
          "Sales Lead", "Data Analyst", "Head of Marketing", "CTO", "Chercheuse", "Account Manager", "Recruiter")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing. '
    'You will only see email addresses for connections who have allowed their connections to see or download '
    'their email address using this setting."\n\n'
)


def surname(rng: random.Random) -> str:
    name = rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)
    return name if rng.random() < 0.2 else name + rng.choice(SYLLABLES_B).lower()


# A few big employers, many small ones, as in a real network: the largest holds about 3 % of it.
COMPANY_WEIGHTS = [1 / (rank + 5) for rank in range(len(COMPANIES))]


def company(rng: random.Random) -> str:
    return rng.choices(COMPANIES, weights=COMPANY_WEIGHTS)[0]


def slug(first: str, last: str, n: int) -> str:
    plain = f"{first}-{last}".lower().translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))
    return f"{plain}-{n:06x}"


def generate(folder: Path, connections: int, cards: int, seed: int) -> tuple[Path, Path]:
    rng = random.Random(seed)
    people = []
    csv_path = folder / "Connections.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        handle.write(PREAMBLE)
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"])
        start = date(2012, 1, 1)
        for n in range(connections):
            first, last = rng.choice(FIRST), surname(rng)
            url = f"https://www.linkedin.com/in/{slug(first, last, n)}" if rng.random() > 0.02 else ""
            email = f"{slug(first, last, n)}@example.org" if rng.random() < 0.12 else ""
            on = start + timedelta(days=rng.randrange(5000))
            has_job = rng.random() < 0.9
            writer.writerow([first, last, url, email, company(rng) if has_job else "",
                             rng.choice(TITLES) if has_job else "", f"{on.day:02d} {MONTHS[on.month - 1]} {on.year}"])
            people.append((first, last, url, email))

    vcf_path = folder / "contacts.vcf"
    with open(vcf_path, "w", encoding="utf-8", newline="") as handle:
        for n in range(cards):
            if rng.random() < 0.15:  # someone you also know on LinkedIn
                first, last, url, email = rng.choice(people)
                email = email or f"{first.lower()}.{last.lower()}.{n}@mail.example"
            else:
                first, last, url = rng.choice(FIRST), surname(rng), ""
                email = f"{slug(first, last, n)}@mail.example"
            lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.0//EN",
                     f"N:{last};{first};;;", f"FN:{first} {last}",
                     f"UID:{n:08x}-5f7c-4d0b-9e65-{rng.getrandbits(48):012x}",
                     f"item1.EMAIL;type=INTERNET;type=pref:{email}", "item1.X-ABLabel:_$!<Other>!$_"]
            if rng.random() < 0.8:
                lines.append("TEL;type=CELL;type=VOICE;type=pref:+33 6 {:02d} {:02d} {:02d} {:02d}".format(
                    *(rng.randrange(100) for _ in range(4))))
            if rng.random() < 0.2:
                lines.append(f"TEL;type=WORK;type=VOICE:01 {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
                             f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}")
            if rng.random() < 0.6:
                lines += [f"ORG:{company(rng)};", f"TITLE:{rng.choice(TITLES)}"]
            if url:
                lines.append(f"item2.URL;type=pref:{url.replace(':', chr(92) + ':')}")
            if rng.random() < 0.3:
                day = date(2000, 1, 1) + timedelta(days=rng.randrange(366))
                if rng.random() < 0.5:
                    lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{day.month:02d}-{day.day:02d}")
                else:
                    lines.append(f"BDAY:{rng.randrange(1950, 2004)}-{day.month:02d}-{day.day:02d}")
            if rng.random() < 0.25:
                note = f"Rencontré·e au salon de {rng.choice(['Lyon', 'Nantes', 'Lille', 'Bordeaux'])}. " * rng.randint(1, 4)
                folded = [note[i:i + 74] for i in range(0, len(note), 74)]
                lines.append("NOTE:" + "\r\n ".join(folded))
            lines.append("END:VCARD")
            handle.write("\r\n".join(lines) + "\r\n")
    return csv_path, vcf_path


# --- baselines: read and split, nothing else ----------------------------------------


def scan_csv(path: Path) -> int:
    rows = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle):
            rows += 1
    return rows


def scan_vcards(path: Path) -> int:
    cards = 0
    with open(path, encoding="utf-8", newline="") as handle:
        current: list[str] = []
        for line in handle:
            if line.startswith("BEGIN:VCARD"):
                cards += 1
                current = []
            current.append(line)
    return cards


def best_of(repeat: int, function, *args) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return min(times)


# --- one database, in its own process (Django is set up once per process) -----------


def child(csv_path: str, vcf_path: str) -> None:
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restons.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from restons.services.imports import run_import

    call_command("migrate", verbosity=0)
    owner = get_user_model().objects.create_user("bench@example.org", "bench@example.org", None)
    results = {}
    for label, source, path in STEPS_OF(csv_path, vcf_path):
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_import(owner, source, path, region="FR")
        results[label] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                          "records": summary.records,
                          "created": summary.created, "updated": summary.updated, "skipped": summary.skipped,
                          "errors": len(summary.errors), "suggestions": summary.suggestions}
    results["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(results))


def STEPS_OF(csv_path, vcf_path):  # noqa: N802 - a table, read like a constant
    return (("connections", "linkedin", csv_path), ("vcard", "vcard", vcf_path),
            ("connections again", "linkedin", csv_path), ("vcard again", "vcard", vcf_path))


LABELS = ("connections", "vcard", "connections again", "vcard again")


# --- baselines: sqlite-utils, and csv + executemany -----------------------------------

BENCH_VENV = ROOT / "var" / "bench-venv"


def sqlite_utils() -> Path:
    """The sqlite-utils command of the bench-only virtual environment, installed on first use."""
    command = BENCH_VENV / "bin" / "sqlite-utils"
    if not command.exists():
        print(f"installing sqlite-utils into {BENCH_VENV} (bench only) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run([str(BENCH_VENV / "bin" / "pip"), "install", "-q", "sqlite-utils"], check=True)
    return command


def plain_csv(path: Path, folder: Path) -> Path:
    """The same rows without LinkedIn's preamble: what sqlite-utils and the baseline read."""
    out = folder / "connections-plain.csv"
    with open(path, encoding="utf-8", newline="") as source, open(out, "w", encoding="utf-8", newline="") as target:
        for line in source:
            if line.startswith("First Name,"):
                target.write(line)
                break
        for line in source:
            target.write(line)
    return out


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sqlite_utils_insert(path: Path, folder: Path, repeat: int) -> tuple[float, float]:
    """(CPU s, wall s), best of ``repeat``, of ``sqlite-utils insert DB connections FILE --csv`` into a new file."""
    command = sqlite_utils()
    best = (float("inf"), float("inf"))
    for n in range(repeat):
        database = folder / f"sqlite-utils-{n}.db"
        cpu, wall = children_cpu(), time.perf_counter()
        subprocess.run([str(command), "insert", str(database), "connections", str(path), "--csv"], check=True)
        best = min(best, (children_cpu() - cpu, time.perf_counter() - wall))
    return best


def csv_executemany(path: Path, folder: Path, repeat: int, url: str = "") -> tuple[float, float]:
    """(CPU s, wall s), best of ``repeat``: ``csv.reader`` and one ``executemany`` into a new table."""
    best = (float("inf"), float("inf"))
    for n in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f'"{c}" TEXT' for c in header)
            marks = ", ".join(["%s" if url else "?"] * len(header))
            if url:
                import psycopg

                with psycopg.connect(url) as connection:
                    connection.execute(f"DROP TABLE IF EXISTS baseline_{n}")
                    connection.execute(f"CREATE TABLE baseline_{n} ({columns})")
                    with connection.cursor() as cursor:
                        cursor.executemany(f"INSERT INTO baseline_{n} VALUES ({marks})", list(reader))
            else:
                connection = sqlite3.connect(folder / f"baseline-{n}.db")
                connection.execute(f"CREATE TABLE connections ({columns})")
                connection.executemany(f"INSERT INTO connections VALUES ({marks})", reader)
                connection.commit()
                connection.close()
        best = min(best, (time.process_time() - cpu, time.perf_counter() - wall))
    return best


def run_child(env: dict, csv_path: Path, vcf_path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(csv_path), str(vcf_path)],
                          env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the import failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def temporary_postgres(url: str):
    """(URL of a new empty database on the same server, a function that drops it)."""
    import psycopg

    parts = urlsplit(url)
    name = f"restons_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="baseline runs (the best is kept)")
    parser.add_argument("--database-url", default=os.environ.get("RESTONS_DATABASE_URL", ""),
                        help="also measure on this PostgreSQL server (a temporary database is created beside it)")
    parser.add_argument("--child", nargs=2, metavar=("CSV", "VCF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    with tempfile.TemporaryDirectory(prefix="restons-bench-imports-") as folder:
        started = time.perf_counter()
        csv_path, vcf_path = generate(Path(folder), args.connections, args.cards, args.seed)
        print(f"generated {args.connections:,} connections ({csv_path.stat().st_size / 1e6:.1f} MB) and "
              f"{args.cards:,} cards ({vcf_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        scan = {"connections": best_of(args.repeat, scan_csv, csv_path), "vcard": best_of(args.repeat, scan_vcards, vcf_path)}
        plain = plain_csv(csv_path, Path(folder))
        baselines = {"SQLite": {"sqlite-utils": sqlite_utils_insert(plain, Path(folder), args.repeat),
                                "csv+executemany": csv_executemany(plain, Path(folder), args.repeat)}}
        rows = {"connections": args.connections, "vcard": args.cards, "connections again": args.connections,
                "vcard again": args.cards}

        databases = []
        home = Path(folder) / "sqlite-home"
        env = {k: v for k, v in os.environ.items() if k != "RESTONS_DATABASE_URL"}
        databases.append(("SQLite", run_child({**env, "RESTONS_HOME": str(home)}, csv_path, vcf_path)))
        url = args.database_url.strip()
        if url.startswith(("postgres://", "postgresql://")):
            bench_url, drop = temporary_postgres(url)
            try:
                baselines["PostgreSQL"] = {"csv+executemany": csv_executemany(plain, Path(folder), args.repeat, bench_url)}
                databases.append(("PostgreSQL", run_child(
                    {**env, "RESTONS_HOME": str(Path(folder) / "pg-home"), "RESTONS_DATABASE_URL": bench_url},
                    csv_path, vcf_path)))
            finally:
                drop()

        print(f"\nbaselines on the same {args.connections:,} rows (CPU s / wall s, best of {args.repeat}):")
        for name, figures in baselines.items():
            for label, (cpu, wall) in figures.items():
                print(f"  {name:<11} {label:<16} {cpu:7.2f} / {wall:6.2f}")
        print(f"  bare read and split: Connections.csv {scan['connections']:.3f} s, vCards {scan['vcard']:.3f} s")
        su_cpu = baselines["SQLite"]["sqlite-utils"][0]
        print(f"\n{'file':<19} {'database':<11} {'CPU s':>7} {'wall s':>7} {'rows/s (CPU)':>13}  "
              f"{'beside':<30} created/updated/skipped, errors, suggestions")
        for name, results in databases:
            for label in LABELS:
                r = results[label]
                if label == "connections":
                    beside = (f"{r['cpu'] / su_cpu:.1f}× sqlite-utils, "
                              f"{r['cpu'] / baselines[name]['csv+executemany'][0]:.0f}× csv+em")
                else:
                    beside = ""
                print(f"{label:<19} {name:<11} {r['cpu']:>7.2f} {r['seconds']:>7.2f} {rows[label] / r['cpu']:>13,.0f}  "
                      f"{beside:<30} {r['created']}/{r['updated']}/{r['skipped']}, {r['errors']}, {r['suggestions']}")
            print(f"{'':<19} {name:<11} peak resident memory {results['max_rss_mb']:.0f} MB")
            bars = [
                ("Connections.csv ≤ 2× sqlite-utils CPU", results["connections"]["cpu"] <= 2 * su_cpu,
                 f"{results['connections']['cpu']:.2f} s vs {2 * su_cpu:.2f} s"),
                ("10,000 vCards ≤ 2 s", results["vcard"]["cpu"] <= 2.0,
                 f"CPU {results['vcard']['cpu']:.2f} s, wall {results['vcard']['seconds']:.2f} s"),
                ("re-import Connections.csv ≤ 1 s", results["connections again"]["cpu"] <= 1.0,
                 f"CPU {results['connections again']['cpu']:.2f} s"),
                ("re-import vCards ≤ 1 s", results["vcard again"]["cpu"] <= 1.0,
                 f"CPU {results['vcard again']['cpu']:.2f} s"),
                ("import peak resident memory ≤ 150 MB", results["max_rss_mb"] <= 150,
                 f"{results['max_rss_mb']:.0f} MB, the whole process (Django, migrations, the four imports)"),
            ]
            for bar, met, figure in bars:
                print(f"  bar {name}: {bar}: {'met' if met else 'NOT met'} ({figure})")


if __name__ == "__main__":
    main()
