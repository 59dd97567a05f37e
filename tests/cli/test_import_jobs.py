"""The Import page's jobs from the command line: `restons worker --once` runs them, `restons status` counts them."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from restons.models import ImportJob, Person
from restons.services import jobs

APPLE = Path(__file__).resolve().parent.parent / "samples" / "vcard" / "apple.vcf"


def test_worker_once_runs_the_queued_imports_and_status_counts_them(restons, alice, tmp_path, monkeypatch):
    monkeypatch.setenv("RESTONS_HOME", str(tmp_path))
    jobs.queue(alice, "vcard", SimpleUploadedFile("apple.vcf", APPLE.read_bytes()))
    jobs.queue(alice, "vcard", SimpleUploadedFile("photo.vcf", b"\x89PNG\r\n\x1a\n"))

    status = restons("status", "--json")  # exits 1: no worker ran yet
    assert status.json["imports"] == {"queued": 2, "running": 0}
    assert "Imports: 0 running, 2 waiting." in restons("status").out

    assert restons.ok("worker", "--once").out == "imports done: 1, imports failed: 1\n"

    assert sorted(ImportJob.objects.values_list("file_name", "status")) == [("apple.vcf", "done"),
                                                                            ("photo.vcf", "failed")]
    assert Person.objects.filter(owner=alice).count() == 3
    assert restons.ok("status", "--json").json["imports"] == {"queued": 0, "running": 0}
