"""Capture imports never crash and never half-write: seeded mutations of real mail and calendars, into the database.

``tests/capture/test_fuzz_parsers.py`` fuzzes the parsers alone; here each
input goes the whole way, through :func:`restons.services.imports.run_import`
(the function behind ``restons import`` and the Import page): the capture
rules, new people, conversations reconciled with what is stored, meetings by
key. Every input either imports or is refused with a :class:`UserError` of
one line naming the file, and then no table gained or lost a row; nothing
else escapes. What an import stores keeps within ``restons.limits``, and
importing the same input again adds nothing (checked on every few inputs).

The inputs: the samples, a small archive of ``bench/capture_archive.py``
(mbox, Maildir and calendar), and a few messages of ``bench/mail.py``'s
generator (multipart, base64, encoded words in eight charsets, raw 8-bit
subjects), mutated by :mod:`tests.fuzz.mutations` (bytes, lines, encodings,
odd values) or by the mail- and calendar-aware mutator of the parser fuzz
(separators, header names, encoded words, RRULEs, time zones). Half the
cases are imported by an owner who has said who they are (``restons me
add``), half by one who has not. Each input is rolled back afterwards.
``FUZZ_INPUTS`` (cases per format, default 700: 2,100 in all) and ``FUZZ_SEED`` explore
further::

    FUZZ_INPUTS=10000 FUZZ_SEED=7 .venv/bin/python -m pytest tests/fuzz/test_capture_imports.py
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest
from django.db import transaction

from restons.services.errors import UserError
from restons.services.imports import run_import
from tests.capture.test_fuzz_parsers import ICS_TOKENS, MAIL_TOKENS
from tests.capture.test_fuzz_parsers import mutate as aware_mutate
from tests.cli.conftest import Runner
from tests.fuzz import harness
from tests.fuzz.mutations import case_rng, mutate
from tests.fuzz.test_importers import Crashes


ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "tests" / "samples"
INPUTS = int(os.environ.get("FUZZ_INPUTS", "700"))
SEED = os.environ.get("FUZZ_SEED", "20261201")
CLI_INPUTS = max(INPUTS // 50, 10)
AGAIN_EVERY = 4  # one successful input in this many is imported twice: the second adds nothing
ME = "alex.martin@example.org"
FORMATS = {"mbox": "All mail Including Spam and Trash.mbox", "maildir": "Maildir", "ics": "calendar.ics"}
MAILDIR_FOLDERS = ["", ".Sent", ".Drafts", ".Junk", ".Archive", "Sent", ".INBOX.Lists"]
MAILDIR_NAMES = ["1773050000.M1P1.mx:2,S", "1773136400.M2P2.mx", "99999999999.x", "0.x", "-1.x:2,", "abc"]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox, without their separator lines."""
    parts = [p for p in data.replace(b"\r\n", b"\n").split(b"\nFrom ") if p.strip()]
    return [p.split(b"\n", 1)[1] if b"\n" in p else p for p in parts]


@pytest.fixture(scope="module")
def pools(tmp_path_factory) -> dict[str, list[bytes]]:
    """Real-shaped inputs per format (and single messages for Maildir trees)."""
    out = tmp_path_factory.mktemp("pool")
    _bench("capture_archive").generate(out, seed=11, people=6, years=0.5)
    generator = _bench("mail").Generator(3)
    generated = b"".join(generator.message(n) for n in range(6))  # ~60 KB, 8-bit subjects among them
    generated_8bit = _bench("mail").Generator(4)
    mboxes = [(SAMPLES / "mail" / n).read_bytes() for n in ("takeout.mbox", "mboxrd.mbox", "crlf.mbox")]
    archive_mbox = (out / "export-1.mbox").read_bytes()
    # The archive's mbox cut to a few dozen messages: whole files of hundreds would slow every case.
    archive_messages = archive_mbox.split(b"\nFrom ")
    mboxes.append(b"\nFrom ".join(archive_messages[:30]) + b"\n")
    mboxes.append(generated)
    mboxes.append(b"".join(generated_8bit.message(n) for n in range(40, 43)))
    messages = [p.read_bytes() for p in sorted((SAMPLES / "mail" / "maildir").rglob("*")) if p.is_file()]
    messages += [m for data in mboxes for m in split_mbox(data)]
    calendars = [(SAMPLES / "ics" / n).read_bytes() for n in ("google.ics", "outlook.ics", "apple.ics")]
    calendars.append((out / "calendar.ics").read_bytes())
    return {"mbox": mboxes, "maildir": messages, "ics": calendars}


def mutated(rng, data: bytes, pool: list[bytes], label: str) -> tuple[list[str], bytes]:
    """One of the two mutators: the generic one (bytes, lines, encodings) or the format-aware one."""
    if rng.random() < 0.5:
        return mutate(data, rng)
    tokens = ICS_TOKENS if label == "ics" else MAIL_TOKENS
    return ["aware"], aware_mutate(rng, data, pool, tokens)


def make_case(label: str, index: int, pools: dict, folder: Path) -> tuple[list[str], Path, bool]:
    """Case ``index`` of ``label`` written under ``folder``: (mutations, the path to import, whether you said who you are)."""
    rng = case_rng(SEED, label, index)
    pool = pools[label]
    knows_me = rng.random() < 0.5
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / FORMATS[label]
    if label != "maildir":
        names, data = mutated(rng, rng.choice(pool), pool, label)
        path.write_bytes(data)
        return names, path, knows_me
    names = []
    for n in range(rng.randint(1, 6)):
        sub = path / rng.choice(MAILDIR_FOLDERS) / rng.choice(["cur", "cur", "new"])
        sub.mkdir(parents=True, exist_ok=True)
        data = rng.choice(pool)
        if rng.random() < 0.7:
            changes, data = mutated(rng, data, pool, label)
            names += changes
        (sub / f"{rng.choice(MAILDIR_NAMES)}.{n}").write_bytes(data)
    if rng.random() < 0.05:
        shutil.rmtree(path)
        path.mkdir()  # a folder without cur/ or new/
        names.append("no-maildir")
    return names, path, knows_me


def check(owner, source: str, path: Path, before: tuple, again: bool) -> str:
    """Import ``path`` and check the promises inside a transaction rolled back afterwards: "imported" or "refused"."""
    outcome = ""
    try:
        with transaction.atomic():
            try:
                summary = run_import(owner, source, str(path))
            except UserError as error:
                message = str(error)
                assert len(message.splitlines()) == 1, f"refusal on several lines: {message!r}"
                assert path.name in message, f"refusal does not name {path.name}: {message!r}"
                assert harness.row_counts() == before, f"refused ({message}) but rows were written"
                outcome = "refused"
            else:
                for error in summary.errors:
                    assert error["where"] and error["why"], f"an error without where or why: {error}"
                    assert len((error["where"] + error["why"]).splitlines()) == 1, f"an error on several lines: {error}"
                assert all(count > 0 for count in summary.ignored.values()), summary.ignored
                bad = harness.out_of_bounds(owner)
                assert not bad, f"stored beyond the limits: {bad}"
                outcome = "imported"
                if again:
                    counts = harness.row_counts()
                    second = run_import(owner, source, str(path))
                    assert (second.created, second.interactions) == (0, 0), f"the same input again: {second.as_json()}"
                    assert harness.row_counts() == counts, "the same input again changed the rows"
            raise harness._Undo
    except harness._Undo:
        pass
    return outcome


@pytest.fixture
def owners(alice, bob):
    """alice has said who she is; bob has not (a source must teach it, or the import says to run `me add`)."""
    from restons.services.me import add_me

    add_me(alice, [ME])
    return {True: alice, False: bob}


@pytest.mark.parametrize("label", list(FORMATS))
def test_every_input_imports_or_is_refused_in_one_line(owners, pools, tmp_path, label):
    """GIVEN hundreds of seeded mutations of real-shaped mail or calendars
    WHEN each is imported into the database (and rolled back)
    THEN each imports or is refused with one line naming the file, nothing else escapes,
    a refusal writes nothing, what is stored keeps the limits, and a second import adds nothing."""
    crashes = Crashes(label, tmp_path)
    outcomes = {"imported": 0, "refused": 0}
    before = harness.row_counts()
    for index in range(INPUTS):
        mutations, path, knows_me = make_case(label, index, pools, tmp_path / "case")
        try:
            outcome = check(owners[knows_me], label, path, before, again=index % AGAIN_EVERY == 0)
        except Exception as error:  # noqa: BLE001 - every escape is collected and reported below
            data = path.read_bytes() if path.is_file() else b"".join(
                bytes(str(p.relative_to(path)), "utf-8") + b"\n" + p.read_bytes() + b"\n\n"
                for p in sorted(path.rglob("*")) if p.is_file())
            crashes.add(index, mutations, data, error)
            continue
        outcomes[outcome] += 1

    crashes.fail_if_any()
    assert harness.row_counts() == before, "the rollbacks left rows"
    # Both outcomes occur: the mutations neither break everything nor leave every file intact.
    assert outcomes["imported"] > INPUTS // 5 and outcomes["refused"] > INPUTS // 100, outcomes


@pytest.mark.parametrize("label", list(FORMATS))
def test_the_command_exits_0_or_1_with_one_line(alice, pools, capsys, tmp_path, label):
    """The same through ``restons import``: exit 0, or exit 1 with one line and no traceback, nothing written."""
    runner = Runner(capsys)
    crashes = Crashes(f"cli-{label}", tmp_path)
    codes = set()
    for index in range(CLI_INPUTS):
        mutations, path, _knows_me = make_case(label, index, pools, tmp_path / "case")
        try:
            codes.add(harness.check_cli(runner, label, path))
        except Exception as error:  # noqa: BLE001
            crashes.add(index, mutations, path.read_bytes() if path.is_file() else b"", error)

    crashes.fail_if_any()
    assert codes <= {0, 1} and 0 in codes
