"""What imports remember: which source record became which person, and suspected duplicates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from restons.models.base import Owned
from restons.models.people import Person


class SourceRecord(Owned):
    """A contact of an import source (a LinkedIn connection, a vCard) and the person it became.

    Re-importing the same file finds every record here and changes nothing.
    """

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=500)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="source_records")
    # A digest of the record as the import that saved it read it (restons.services.imports): the same
    # record again is known unchanged without normalising or comparing it. Empty: compare it whole.
    digest = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "source", "key"], name="source_record_unique")]
        indexes = [models.Index(fields=["owner", "person"], name="source_record_owner_person")]


class MergeSuggestion(Owned):
    """Two people who may be the same: same name with different identities, or similar names at one organisation."""

    class Status(models.TextChoices):
        # An accepted suggestion leaves no row: merging deletes the duplicate, and its suggestions with it.
        PENDING = "pending", _("pending")
        REJECTED = "rejected", _("rejected")

    class Reason(models.TextChoices):
        SAME_NAME = "same-name", _("same name")
        SIMILAR_AT_ORG = "similar-at-org", _("similar names at the same organisation")

    # person_a.id < person_b.id, so a pair is stored once.
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    organisation = models.CharField(max_length=300, blank=True, default="")  # for SIMILAR_AT_ORG
    score = models.PositiveSmallIntegerField(default=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "person_a", "person_b"], name="merge_suggestion_unique"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")), name="merge_suggestion_ordered"),
        ]
        indexes = [models.Index(fields=["owner", "status"], name="merge_suggestion_owner_status")]

    def reason_text(self) -> str:
        """Why they may be the same person, in the active language."""
        if self.reason == self.Reason.SIMILAR_AT_ORG and self.organisation:
            return _("similar names at %(org)s") % {"org": self.organisation}
        return str(self.Reason(self.reason).label)
