"""Import jobs: an upload imported in the background, which the Import page follows.

The web app saves the uploaded file under the data directory and queues a
:class:`ImportJob`; a worker (:mod:`restons.services.jobs`) claims it, runs
the same import as ``restons import``, writes its progress as it goes and,
when it ends, the summary or the one line that refused the file — then
deletes the file. Closing the browser tab changes nothing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned


class ImportJob(Owned):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("refused")

    source = models.CharField(max_length=40)
    options = models.JSONField(default=dict, blank=True)  # the import's options: region, owner_profile_url
    language = models.CharField(max_length=8, blank=True, default="")  # of the page that queued it: its messages
    file_name = models.CharField(max_length=255)  # as uploaded: the name the summary's "where" uses
    file_path = models.CharField(max_length=500, blank=True, default="")  # relative to RESTONS_HOME; "" once deleted
    file_size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(default=0)  # records read so far
    summary = models.JSONField(null=True, blank=True)  # ImportSummary.as_json() once done
    error = models.CharField(max_length=1000, blank=True, default="")  # the one line, when refused
    attempts = models.PositiveSmallIntegerField(default=0)  # claims so far (a dead worker's claim counts)
    claimed_by = models.CharField(max_length=100, blank=True, default="")  # host:pid of the worker
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the worker's last sign of life
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "created_at"], name="import_job_owner_created"),
            # The worker's claim looks across owners (as Delivery's); on a distributed database each shard has its own.
            models.Index(fields=["status", "created_at"], name="import_job_status_created"),
        ]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
