"""Importers never crash: seeded mutations of every sample, each through the real import.

Every input either imports or is refused with one line naming the file, and a
refusal writes nothing (see ``harness.check_import``). The seed is fixed, so
a run is repeatable; ``FUZZ_INPUTS`` (cases per format, default 2000) and
``FUZZ_SEED`` explore further locally::

    FUZZ_INPUTS=20000 FUZZ_SEED=7 .venv/bin/python -m pytest tests/fuzz

A failure lists each distinct crash once, with the case that shows it, its
mutations, and a copy of the input under pytest's temporary directory.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

import pytest

from tests.cli.conftest import Runner
from tests.fuzz import harness
from tests.fuzz.mutations import case_rng, mutate, mutate_zip

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
INPUTS = int(os.environ.get("FUZZ_INPUTS", "2000"))
SEED = os.environ.get("FUZZ_SEED", "20261201")
WEB_INPUTS = max(INPUTS // 40, 10)  # the web and the CLI add their layer on a sample
CLI_INPUTS = max(INPUTS // 40, 10)
HUGE_EVERY = 500  # one case in this many also gets a field over 16 MiB (each costs a second, not milliseconds)
ZIP_FOLDER = "Complete_LinkedInDataExport_07-08-2026/"

# label -> (SOURCE, file name given to the importer, samples it mutates)
FORMATS = {
    "connections": ("linkedin", "Connections.csv", ["linkedin/Connections.csv", "linkedin_old/Connections.csv"]),
    "messages": ("linkedin", "messages.csv", ["linkedin/messages.csv"]),
    "invitations": ("linkedin", "Invitations.csv", ["linkedin/Invitations.csv"]),
    "linkedin-zip": ("linkedin", "Complete_LinkedInDataExport_07-08-2026.zip", []),
    "vcard": ("vcard", "contacts.vcf", ["vcard/apple.vcf", "vcard/v21.vcf", "vcard/v40.vcf"]),
    "google-csv": ("google-csv", "contacts.csv", ["csv/google.csv", "csv/google_old.csv"]),
    "outlook-csv": ("outlook-csv", "contacts.csv", ["csv/outlook.csv", "csv/outlook_fr.csv"]),
}


def zip_members() -> dict[str, bytes]:
    return {ZIP_FOLDER + p.name: p.read_bytes() for p in sorted((SAMPLES / "linkedin").iterdir())}


def make_case(label: str, index: int) -> tuple[list[str], bytes]:
    """The mutations and bytes of case ``index`` of ``label`` (the same for the same FUZZ_SEED)."""
    rng = case_rng(SEED, label, index)
    huge = index % HUGE_EVERY == HUGE_EVERY - 1
    if label == "linkedin-zip":
        return mutate_zip(zip_members(), rng, huge=huge)
    _source, _name, samples = FORMATS[label]
    return mutate((SAMPLES / rng.choice(samples)).read_bytes(), rng, huge=huge)


class Crashes:
    """Distinct failures (by exception type and place), each with its first case, kept for the report."""

    def __init__(self, label: str, keep: Path):
        self.label, self.keep, self.seen, self.count = label, keep, {}, {}

    def add(self, index: int, mutations: list[str], data: bytes, error: BaseException) -> None:
        frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
        place = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        signature = f"{type(error).__name__} at {place}"
        self.count[signature] = self.count.get(signature, 0) + 1
        if signature not in self.seen:
            saved = self.keep / f"{self.label}-{index}.bin"
            saved.write_bytes(data)
            self.seen[signature] = (
                f"{signature}: {str(error)[:300]!r}\n    case {index} (FUZZ_SEED={SEED}), "
                f"mutations {mutations}, input saved to {saved}"
            )

    def fail_if_any(self) -> None:
        if self.seen:
            lines = [f"[{self.count[s]} inputs] {text}" for s, text in self.seen.items()]
            pytest.fail(f"{sum(self.count.values())} inputs failed, {len(self.seen)} kinds of failure:\n"
                        + "\n".join(lines), pytrace=False)


@pytest.mark.parametrize("label", list(FORMATS))
def test_every_input_imports_or_is_refused_in_one_line(alice, tmp_path, label):
    """GIVEN a few thousand seeded mutations of the samples of one format
    WHEN each is imported (and rolled back)
    THEN each imports or is refused with one line naming the file, nothing else escapes,
    and a refusal writes nothing."""
    source, name, _samples = FORMATS[label]
    crashes = Crashes(label, tmp_path)
    outcomes = {"imported": 0, "refused": 0}
    before = harness.row_counts()
    for index in range(INPUTS):
        mutations, data = make_case(label, index)
        try:
            outcome = harness.check_import(alice, source, name, data, before=before)
        except Exception as error:  # noqa: BLE001 - every escape is collected and reported below
            crashes.add(index, mutations, data, error)
            continue
        outcomes["refused" if outcome.refused else "imported"] += 1

    crashes.fail_if_any()
    assert harness.row_counts() == before, "the rollbacks left rows"
    # Both outcomes occur: the mutations neither break everything nor leave every file intact.
    assert outcomes["imported"] > INPUTS // 10 and outcomes["refused"] > INPUTS // 50, outcomes


@pytest.mark.parametrize("label", list(FORMATS))
def test_the_import_page_answers_200_or_400_never_500(alice, alice_client, tmp_path, label):
    source, name, _samples = FORMATS[label]
    crashes = Crashes(f"web-{label}", tmp_path)
    statuses = set()
    for index in range(WEB_INPUTS):
        mutations, data = make_case(label, index)
        if len(data) > 1024 * 1024:
            continue  # the test client holds the whole body in memory twice; the import path is fuzzed above
        try:
            statuses.add(harness.check_upload(alice_client, source, name, data))
        except Exception as error:  # noqa: BLE001
            crashes.add(index, mutations, data, error)

    crashes.fail_if_any()
    assert statuses == {200, 400}


@pytest.mark.parametrize("label", list(FORMATS))
def test_the_command_exits_0_or_1_with_one_line(alice, capsys, tmp_path, label):
    source, name, _samples = FORMATS[label]
    runner = Runner(capsys)
    crashes = Crashes(f"cli-{label}", tmp_path)
    codes = set()
    folder = tmp_path / "inputs"
    folder.mkdir()
    for index in range(CLI_INPUTS):
        mutations, data = make_case(label, index)
        path = folder / str(index)
        path.mkdir()
        path = path / name
        path.write_bytes(data)
        try:
            codes.add(harness.check_cli(runner, source, path))
        except Exception as error:  # noqa: BLE001
            crashes.add(index, mutations, data, error)

    crashes.fail_if_any()
    assert codes == {0, 1}
