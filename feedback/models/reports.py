"""IKM reports sent to an office's heads of dissemination."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silastik.storage import private_storage

__all__ = ["IkmReport"]


class IkmReport(models.Model):
    """One office's report for one period as it was sent: the PDF is kept exactly as its heads
    received it."""

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="ikm_reports",
        verbose_name=_("office"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Empty when the monthly task sent it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    automatic = models.BooleanField(_("sent by the monthly task"), default=False)
    respondents = models.PositiveIntegerField(_("respondents"))
    ikm = models.DecimalField(_("IKM"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="feedback/reports/%Y/", max_length=200
    )
    recipients = models.TextField(_("sent to"))
    emails = models.ManyToManyField("mail.OutboundEmail", related_name="+", blank=True)

    class Meta:
        verbose_name = _("IKM report")
        verbose_name_plural = _("IKM reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The monthly task sends each office's month once, however often it runs.
            models.UniqueConstraint(
                fields=["office", "start", "end"],
                condition=models.Q(automatic=True),
                name="feedback_report_monthly_once_per_office",
            )
        ]

    def __str__(self) -> str:
        return f"IKM {self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("ikm:report_pdf", args=[self.pk])
