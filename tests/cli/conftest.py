"""Run the real ``restons`` entry point in-process, freeze time, count rows.

``restons("person", "add", "Ana")`` calls :func:`restons.cli.main` exactly as
the console script does and returns the exit code and what reached stdout
and stderr; ``restons.ok(...)`` also asserts success and returns the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from restons import models
from restons.cli import main

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=PARIS)  # a Monday

# Every table a command may write to.
TABLES = [
    models.Person, models.Identity, models.Interaction, models.Circle, models.Membership, models.Interest,
    models.Organisation, models.Affiliation, models.Event, models.Milestone, models.Content, models.Outcome,
    models.Pledge, models.PledgePerson, models.DismissedNotice,
]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


class Runner:
    def __init__(self, capsys):
        self.capsys = capsys

    def __call__(self, *args, user: str | None = None) -> Result:
        argv = (["--user", user] if user else []) + [str(a) for a in args]
        self.capsys.readouterr()
        code = 0
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def ok(self, *args, user: str | None = None) -> Result:
        result = self(*args, user=user)
        assert result.code == 0, f"restons {' '.join(map(str, args))} failed: {result.err}"
        assert result.err == ""
        return result


@pytest.fixture
def restons(db, capsys):
    yield Runner(capsys)
    translation.deactivate()  # the CLI activates the configured language for the process


@pytest.fixture
def frozen(time_machine):
    """Time stands still on Monday 15 June 2026, 12:00 in Paris; ``frozen.move_to`` travels."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def row_counts(db):
    """A function returning the number of rows in every table a command may write to, users included."""

    def counts() -> dict[str, int]:
        found = {model.__name__: model.objects.count() for model in TABLES}
        found["User"] = get_user_model().objects.count()
        return found

    return counts


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """alice and bob get a password; a fast hasher keeps each test from spending 0.25 s on PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
