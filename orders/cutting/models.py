"""The portal's cuts of microdata: one run per attempt, its progress and what it produced."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CutStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Cutting")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE = (CutStatus.QUEUED, CutStatus.RUNNING)


class CutRun(models.Model):
    """One attempt to cut a microdata line's product and sample from the office's master files
    (orders.cutting.tasks). What it makes becomes the line's prepared files; nothing reaches
    the customer before staff send the offer."""

    line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="cuts", verbose_name=_("line")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CutStatus.choices, default=CutStatus.QUEUED
    )
    # Percent of the masters' records read.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Why it failed, in words staff can act on (in the language of the person who started it).
    message = models.CharField(_("message"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_at = models.DateTimeField(_("worker started at"), null=True, blank=True)
    # Touched while the worker cuts: a running cut that has not moved for CUT_STALE_AFTER lost
    # its worker (killed, the machine restarted) and may be started again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The sample's seed: a revision of the sample draws other records.
    sample_seed = models.PositiveIntegerField(_("sample seed"), default=0)
    product = models.ForeignKey(
        "orders.LineFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sample = models.ForeignKey(
        "orders.LineFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    records = models.PositiveBigIntegerField(_("records"), null=True, blank=True)
    variables = models.PositiveIntegerField(_("variables"), null=True, blank=True)
    data_bytes = models.PositiveBigIntegerField(_("data size (bytes)"), null=True, blank=True)
    # Each data file made: name, bytes, records, variables and its first rows.
    files = models.JSONField(_("files"), default=list, blank=True)

    class Meta:
        verbose_name = _("cut of microdata")
        verbose_name_plural = _("cuts of microdata")
        ordering = ["line", "-created_at"]
        constraints = [
            # A double click, or two people at once, start one cut per line.
            models.UniqueConstraint(
                fields=["line"],
                condition=models.Q(status__in=["queued", "running"]),
                name="orders_one_active_cut_per_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def stale(self) -> bool:
        """Running, but its worker has given no sign of life for CUT_STALE_AFTER."""
        if self.status != CutStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > settings.CUT_STALE_AFTER
