"""Run one input through the real import and check what every import promises.

An input either imports (something was created, updated, found already there
or logged, and every stored value keeps the limits of ``restons.limits``) or
is refused with a :class:`UserError` whose message is one line naming the
file, and then no table gained or lost a row. Any other exception is a bug.

Each check runs inside a transaction that is rolled back afterwards, so the
database stays empty and a few thousand inputs cost a few thousand small
imports, not a growing database. The same checks exist for the web view
(:func:`check_upload`: a summary or a refusal, never 500) and the CLI (:func:`check_cli`:
exit 0, or exit 1 with one line on stderr and no traceback).

Reusable by any importer: give it a SOURCE name of
``restons.services.imports.SOURCES``, a file name and bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, time
from datetime import timezone as tz

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from restons import limits
from restons.models import Interaction, Milestone, Person
from restons.services.errors import UserError
from restons.services.imports import run_import
from restons.services.interactions import FUTURE_TOLERANCE


class _Undo(Exception):
    """Raised to roll back one input's writes."""


def _tables() -> list[str]:
    models = list(apps.get_app_config("restons").get_models()) + [get_user_model()]
    return [m._meta.db_table for m in models if not m._meta.proxy]


def row_counts() -> tuple[int, ...]:
    """The number of rows of every table of the app (and users), in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def out_of_bounds(owner) -> list[str]:
    """What an import stored beyond the limits, in one query: empty when everything fits."""
    quote = connection.ops.quote_name
    person, milestone, interaction = (m._meta.db_table for m in (Person, Milestone, Interaction))
    low = datetime.combine(limits.DATE_MIN, time.min, tzinfo=tz.utc)
    high = min(datetime.combine(limits.DATE_MAX, time.max, tzinfo=tz.utc), timezone.now() + FUTURE_TOLERANCE)
    adapt = connection.ops.adapt_datetimefield_value
    sql = f"""
        SELECT 'person ' || name FROM {quote(person)} WHERE owner_id = %s AND (
            LENGTH(notes) > %s OR LENGTH(met_how) > %s OR connected_on < %s OR connected_on > %s)
        UNION ALL
        SELECT 'milestone ' || title FROM {quote(milestone)} WHERE owner_id = %s AND ({quote("on")} < %s OR {quote("on")} > %s)
        UNION ALL
        SELECT 'interaction ' || summary FROM {quote(interaction)} WHERE owner_id = %s AND (
            at < %s OR at > %s OR LENGTH(summary) > %s)
    """
    day_min, day_max = limits.DATE_MIN.isoformat(), limits.DATE_MAX.isoformat()
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner.pk, limits.TEXT_MAX, limits.TEXT_MAX, day_min, day_max,
                             owner.pk, day_min, day_max,
                             owner.pk, adapt(low), adapt(high), limits.TEXT_MAX])
        return [row[0][:60] for row in cursor.fetchall()]


def named_upload(name: str, data: bytes) -> io.BytesIO:
    """An open binary file with a name, as an upload arrives."""
    upload = io.BytesIO(data)
    upload.name = name
    return upload


@dataclass
class Outcome:
    refused: bool
    message: str = ""
    counts: dict = field(default_factory=dict)


def check_import(owner, source: str, name: str, data: bytes, *, before: tuple | None = None, **options) -> Outcome:
    """Import ``data`` (called ``name``) as ``source`` for ``owner``, check the promises, roll back.

    Raises AssertionError when a promise is broken; any other exception than
    UserError from the import comes through as it is. ``before`` (the
    :func:`row_counts` the database has, unchanged since every check rolls
    back) saves a query per input in a loop; check :func:`row_counts` once
    after the loop then.
    """
    check_after = before is None
    before = row_counts() if before is None else before
    outcome = None
    try:
        with transaction.atomic():
            try:
                summary = run_import(owner, source, named_upload(name, data), **options)
            except UserError as error:
                message = str(error)
                assert len(message.splitlines()) == 1, f"refusal on several lines: {message!r}"
                assert name in message, f"refusal does not name {name}: {message!r}"
                assert row_counts() == before, f"refused ({message}) but rows were written"
                outcome = Outcome(True, message)
            else:
                # Messages read count even when none became a ping: a stranger's, a group's (capture rules).
                found = (summary.created + summary.updated + summary.skipped + summary.interactions
                         + summary.strangers + sum(summary.ignored.values()))
                assert found > 0, f"an import that found nothing was a success: {summary.as_json()}"
                for error in summary.errors:
                    assert error["where"] and error["why"], f"an error without where or why: {error}"
                    assert len((error["where"] + error["why"]).splitlines()) == 1, f"an error on several lines: {error}"
                bad = out_of_bounds(owner)
                assert not bad, f"stored beyond the limits: {bad}"
                outcome = Outcome(False, counts=summary.as_json())
            raise _Undo
    except _Undo:
        pass
    if check_after:
        assert row_counts() == before, "the rollback after the check left rows"
    return outcome


def check_upload(client, source: str, name: str, data: bytes) -> int:
    """POST ``data`` to the Import page and run its job: 200 with a summary, or 400 with the reason; rolled back.

    The page queues the file (a redirect to the job's page); the job ends with its summary or its
    one-line refusal, after which nothing but the job's own row was written.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from restons.models import ImportJob
    from restons.services import jobs

    before = row_counts()
    status = 0
    try:
        with transaction.atomic():
            response = client.post("/import/", {"source": source, "file": SimpleUploadedFile(name, data)})
            assert response.status_code == 302, f"the Import page answered {response.status_code}"
            jobs.run_queued("fuzz")
            response = client.get(response["Location"])
            assert response.status_code == 200, f"the job's page answered {response.status_code}"
            html = response.content.decode()
            job = response.context["job"]
            if job.status == ImportJob.Status.FAILED:
                status = 400
                assert 'role="alert"' in html and name in html, "a refusal that does not show its reason"
                ImportJob.objects.filter(pk=job.pk).delete()
                assert row_counts() == before, "refused but rows were written"
            else:
                status = 200
                assert job.status == ImportJob.Status.DONE, f"a job left {job.status}"
                assert "import-summary" in html, "a finished job without a summary"
            raise _Undo
    except _Undo:
        pass
    return status


def check_cli(runner, source: str, path) -> int:
    """``restons import SOURCE PATH`` in-process: exit 0, or exit 1 with one line and no traceback; rolled back."""
    before = row_counts()
    code = 0
    try:
        with transaction.atomic():
            result = runner("import", source, str(path))
            code = result.code
            assert "Traceback" not in result.err + result.out, "a traceback reached the terminal"
            if code != 0:
                assert code == 1, f"exit status {code}"
                lines = result.err.strip().splitlines()
                assert len(lines) == 1 and lines[0].startswith("restons: "), f"not one line: {result.err!r}"
                assert path.name in lines[0], f"the line does not name the file: {lines[0]!r}"
                assert row_counts() == before, "refused but rows were written"
            raise _Undo
    except _Undo:
        pass
    return code
