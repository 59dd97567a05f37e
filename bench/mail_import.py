"""Mail import, the whole of it: ``restons import mbox`` into a fresh database, against a bare scan and mbox-to-sqlite.

Usage (from the repository root)::

    .venv/bin/python bench/mail_import.py [--messages 20000] [--seed 1] [--database-url postgresql://...]
                                          [--big] [--big-gb 2] [--no-mbox-to-sqlite] [--keep FILE]

Generates a Takeout-style mbox with ``bench/mail.py``'s generator (20,000
messages of 2–20 KB, about 180 MB: multipart with base64 attachments,
quoted-printable text, encoded-word names in eight charsets, 4–12 Received
hops, unescaped ``From `` body lines, about 3 % raw 8-bit subjects) and
prints, in one run, each step in its own process:

- **bare scan**: the file split into messages on ``From `` lines and
  nothing else (the bar's baseline), and only counting those lines;
- **parse + rules**: ``restons.importers.mbox.parse`` into
  ``restons.capture.rules.Capture``, drained as an import writes (no database);
- **full import**: ``restons import mbox PATH --json`` (the console script, as
  a user runs it) into a fresh SQLite home — after ``restons init``, which is
  not timed — and, with ``--database-url``, into a new PostgreSQL database
  created beside the one named (``restons_bench_mail_<pid>``, dropped at the
  end); then the same import again (idempotent: nothing new). Peak resident
  memory is the import process's own (``wait4``'s ``ru_maxrss``);
- **mbox-to-sqlite** (``pip install mbox-to-sqlite`` into ``var/bench-venv``,
  never a project dependency) on the same file: it stops on this file (see
  bench/README.md), so it is also timed on a twin it can read (``From `` body
  lines escaped, subjects encoded), beside our import of that twin;
- with ``--big``, the import of a ~2 GB file made the same way, for its
  resident memory (the file is deleted afterwards);
- **start-up**: ``restons me show`` in the same home (the fastest of 3):
  Python, Django set up and one query, what any command costs before it
  reads a byte; then the **floor** of any import: start-up plus parse +
  rules (nothing written), and start-up plus the bare scan (nothing parsed),
  each beside the bars it would need to meet.

The bars (PRODUCT.md § 7): ≥ 15,000 messages/s, within 3× of the bare scan,
≥ 10× faster than mbox-to-sqlite, resident memory ≤ 150 MB at any size.
Exit status 1 when the full import misses one of them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import mail as mailbench  # noqa: E402 — bench/mail.py: the generator and the parse-side steps

VENV = ROOT / "var" / "bench-venv"
BARS = {"rate": 15_000, "scan": 3.0, "tool": 10.0, "rss": 150.0}


def restons() -> str:
    here = Path(sys.executable).parent / "restons"
    return str(here if here.exists() else ROOT / ".venv" / "bin" / "restons")


def run_measured(command: list[str], env: dict, out: Path) -> dict:
    """Run ``command``; its wall time, CPU time, peak RSS (its own, from wait4), exit status and output."""
    stdout, stderr = out.with_suffix(".out"), out.with_suffix(".err")
    with open(stdout, "wb") as so, open(stderr, "wb") as se:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=so, stderr=se, stdin=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "code": process.returncode, "out": stdout.read_text(errors="replace"),
            "err": stderr.read_text(errors="replace")}


def save_path_landed() -> bool:
    """Whether this checkout writes captured mail to the database (restons.services.capture)."""
    import importlib.util

    return importlib.util.find_spec("restons.services.capture") is not None


def temporary_postgres(url: str):
    """(URL of a new empty database beside the one named, a function that drops it)."""
    import psycopg

    parts = urlsplit(url)
    name = f"restons_bench_mail_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def full_import(path: Path, work: Path, label: str, database_url: str | None, *, again: bool = True) -> dict:
    """``restons init`` (untimed), then ``restons import mbox PATH --json`` timed (and once more, with ``again``)."""
    home = Path(tempfile.mkdtemp(prefix="restons-bench-home-", dir=work))
    env = {k: v for k, v in os.environ.items() if k != "RESTONS_DATABASE_URL"}
    env.update(RESTONS_HOME=str(home), RESTONS_LANGUAGE="en")
    drop = None
    if database_url:
        env["RESTONS_DATABASE_URL"], drop = temporary_postgres(database_url)
    try:
        init = run_measured([restons(), "init"], env, work / f"{label}-init")
        if init["code"]:
            raise SystemExit(f"restons init failed ({label}):\n{init['err'][-2000:]}")
        # What any command costs before it reads a byte: Python, Django set up, one query (the fastest of 3).
        startup = min((run_measured([restons(), "me", "show"], env, work / f"{label}-me") for _ in range(3)),
                      key=lambda r: r["seconds"])
        first = run_measured([restons(), "import", "mbox", str(path), "--json"], env, work / f"{label}-import")
        if first["code"]:
            raise SystemExit(f"restons import mbox failed ({label}):\n{first['err'][-2000:]}")
        first["summary"] = json.loads(first["out"])
        first["startup"] = startup
        if again:
            second = run_measured([restons(), "import", "mbox", str(path), "--json"], env, work / f"{label}-again")
            second["summary"] = json.loads(second["out"]) if second["code"] == 0 else {"error": second["err"][-300:]}
            first["again"] = second
        return first
    finally:
        if drop:
            drop()
        shutil.rmtree(home, ignore_errors=True)


def mbox_to_sqlite(path: Path, work: Path) -> dict:
    """mbox-to-sqlite on ``path``, from its own venv (made on first use): wall, CPU, RSS, and whether it completed."""
    tool = VENV / "bin" / "mbox-to-sqlite"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "mbox-to-sqlite"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = work / f"mbox-to-sqlite-{path.stem}.db"
    database.unlink(missing_ok=True)
    result = run_measured([str(tool), "mbox", str(database), str(path)], dict(os.environ), work / f"tool-{path.stem}")
    database.unlink(missing_ok=True)
    lines = [line for line in result["err"].strip().splitlines() if line.strip()]
    result["ok"] = result["code"] == 0
    result["error"] = lines[-1] if lines and not result["ok"] else ""
    return result


def row(label: str, result: dict, messages: int | None, note: str = "") -> str:
    """A table row; ``messages`` None for a step that reads no mail (no rate)."""
    rate = "—" if messages is None else f"{messages / result['seconds'] if result['seconds'] else float('inf'):,.0f}"
    cpu = f"{result['cpu']:.2f} s" if result.get("cpu") is not None else "—"
    rss = f"{result['rss_mb']:.0f} MB" if result.get("rss_mb") else "—"
    return f"| {label} | {result['seconds']:.2f} s | {rate} | {cpu} | {rss} | {note} |"


def summary_note(summary: dict) -> str:
    ignored = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.get("ignored", {}).items()))
    return (f"{summary.get('interactions', 0):,} interactions, {summary.get('created', 0):,} people created, "
            f"{summary.get('strangers', 0):,} strangers, {len(summary.get('errors', [])):,} errors; ignored: {ignored}")


def verdict(name: str, ok: bool, text: str) -> tuple[str, bool]:
    return f"{'met ' if ok else 'MISSED'} {name}: {text}", ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL: also import into a new database "
                        "beside it (created and dropped by the script)")
    parser.add_argument("--big", action="store_true", help="also import a ~2 GB file for its resident memory")
    parser.add_argument("--big-gb", type=float, default=2.0)
    parser.add_argument("--no-mbox-to-sqlite", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL (with --database-url)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="restons-bench-mail-import-"))
    results: dict[str, dict] = {}
    checks: list[tuple[str, bool]] = []
    try:
        path = work / "All mail Including Spam and Trash.mbox"
        started = time.perf_counter()
        count = mailbench.generate(path, args.messages, args.seed)
        size = path.stat().st_size
        print(f"Generated {count:,} messages, {size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s "
              f"({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} when measuring began)\n")
        print("| step | wall | msg/s | CPU | peak RSS | note |\n|---|---|---|---|---|---|")
        split = mailbench.measure("scan-split", path)
        print(row("bare scan: split into messages on `From ` lines", split, count, "the baseline of the 3× bar"), flush=True)
        lines = mailbench.measure("scan-lines", path)
        print(row("bare scan: only count `From ` lines", lines, count, ""), flush=True)
        parse = mailbench.measure("parse", path)
        print(row("parse + rules, no database", parse, count, f"{parse['pings']:,} interactions decided"), flush=True)

        landed = save_path_landed()
        databases = []
        if not landed:
            print("| full import | — | — | — | — | skipped: `restons import mbox` is not wired to the database "
                  "on this checkout yet |")
        else:
            if not args.no_sqlite:
                databases.append(("SQLite", None))
            if args.database_url:
                databases.append(("PostgreSQL", args.database_url))
        for name, url in databases:
            result = full_import(path, work, name.lower(), url)
            results[name] = result
            print(row(f"**restons import mbox, {name}**", result, count, summary_note(result["summary"])), flush=True)
            again = result["again"]
            new = again["summary"].get("interactions", "?"), again["summary"].get("created", "?")
            print(row(f"the same import again, {name}", again, count,
                      f"{new[0]} interactions, {new[1]} people new (idempotent: 0 and 0)"), flush=True)
            print(row(f"start-up: `restons me show`, {name} (fastest of 3)", result["startup"], None,
                      "Python, Django set up, one query: before any command reads a byte"), flush=True)

        tool = twin_tool = twin_import = None
        if not args.no_mbox_to_sqlite:
            tool = mbox_to_sqlite(path, work)
            print(row("mbox-to-sqlite, same file", tool, count,
                      "completed" if tool["ok"] else f"FAILED: {tool['error'][:140]}"), flush=True)
            if not tool["ok"]:
                twin = work / "twin.mbox"
                mailbench.generate(twin, args.messages, args.seed, ascii_subjects=True, escape_from=True)
                twin_tool = mbox_to_sqlite(twin, work)
                print(row("mbox-to-sqlite, a twin it can read (`From ` body lines escaped, subjects encoded)",
                          twin_tool, count,
                          "completed" if twin_tool["ok"] else f"FAILED: {twin_tool['error'][:140]}"), flush=True)
                if landed and databases:
                    name, url = databases[0]
                    twin_import = full_import(twin, work, "twin", url, again=False)
                    print(row(f"restons import mbox, the same twin, {name}", twin_import, count,
                              summary_note(twin_import["summary"])), flush=True)
                twin.unlink()

        big = None
        if args.big and landed and databases:
            path.unlink()
            big_path = work / "big.mbox"
            started = time.perf_counter()
            # About 115,000 messages a GB: closer together, so that all of them are in the past (12 years).
            spacing = max(1, int(19_000 * 20_000 / (args.big_gb * 115_000)))
            big_count = mailbench.generate(big_path, 0, args.seed + 1, target_bytes=int(args.big_gb * 1e9),
                                           spacing=spacing)
            print(f"| (generated {big_path.stat().st_size / 1e9:.1f} GB, {big_count:,} messages in "
                  f"{time.perf_counter() - started:.0f} s) | | | | | |", flush=True)
            name, url = databases[0]
            big = full_import(big_path, work, "big", url, again=False)
            print(row(f"restons import mbox, {big_path.stat().st_size / 1e9:.1f} GB file, {name}", big, big_count,
                      summary_note(big["summary"])), flush=True)
            big_path.unlink()

        print()
        print(f"bare scan {count / split['seconds']:,.0f} msg/s; parse + rules {count / parse['seconds']:,.0f} msg/s "
              f"({parse['seconds'] / split['seconds']:.2f}× the bare scan), peak RSS {parse['rss_mb']:.0f} MB")
        for name, result in results.items():
            # The least any import can take: start-up, then reading the file and applying the rules (no writes).
            floor = result["startup"]["seconds"] + parse["seconds"]
            print(f"{name} floor, start-up + parse + rules without writing: {floor:.2f} s = {count / floor:,.0f} msg/s, "
                  f"{floor / split['seconds']:.2f}× the bare scan; start-up + the bare scan alone: "
                  f"{result['startup']['seconds'] + split['seconds']:.2f} s")
        for name, result in results.items():
            rate = count / result["seconds"]
            checks.append(verdict(f"{name} speed", rate >= BARS["rate"],
                                  f"{rate:,.0f} msg/s wall, {count / result['cpu']:,.0f} msg/s CPU (bar ≥ 15,000)"))
            ratio = result["seconds"] / split["seconds"]
            checks.append(verdict(f"{name} against the bare scan", ratio <= BARS["scan"],
                                  f"{ratio:.2f}× wall, {result['cpu'] / split['cpu']:.2f}× CPU (bar ≤ 3×)"))
            checks.append(verdict(f"{name} resident memory", result["rss_mb"] <= BARS["rss"],
                                  f"{result['rss_mb']:.0f} MB (bar ≤ 150 MB)"))
            again = result["again"]["summary"]
            checks.append(verdict(f"{name} idempotent", again.get("interactions") == 0 and again.get("created") == 0,
                                  f"second import: {again.get('interactions')} interactions, "
                                  f"{again.get('created')} people new"))
        if twin_tool and twin_tool["ok"] and twin_import:
            ratio = twin_tool["seconds"] / twin_import["seconds"]
            least = twin_import["startup"]["seconds"] + split["seconds"]
            print(f"mbox-to-sqlite on the twin against start-up + the bare scan (an import that parsed nothing): "
                  f"{twin_tool['seconds'] / least:.1f}×")
            checks.append(verdict("against mbox-to-sqlite", ratio >= BARS["tool"],
                                  f"{ratio:.1f}× faster wall, {twin_tool['cpu'] / twin_import['cpu']:.1f}× less CPU "
                                  f"on the twin it reads; on the same file it "
                                  f"{'completes' if tool['ok'] else 'fails'} (bar ≥ 10×)"))
        elif tool and tool["ok"] and results:
            first = next(iter(results.values()))
            ratio = tool["seconds"] / first["seconds"]
            checks.append(verdict("against mbox-to-sqlite", ratio >= BARS["tool"], f"{ratio:.1f}× faster (bar ≥ 10×)"))
        if big:
            checks.append(verdict("resident memory, big file", big["rss_mb"] <= BARS["rss"],
                                  f"{big['rss_mb']:.0f} MB (bar ≤ 150 MB)"))
        for text, _ok in checks:
            print(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not all(ok for _text, ok in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
