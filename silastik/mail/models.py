from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silastik.storage import private_storage


class OutboundEmail(models.Model):
    """An e-mail is a row first; a task delivers it, so a broker or SMTP outage loses nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Carries a secret (a verification, password-reset or download link): the body is shown to
    # nobody in the back office and erased once the message is sent.
    sensitive = models.BooleanField(_("contains a personal link"), default=False)
    # A document sent along (a report); the file belongs to whoever made it and is not copied.
    attachment = models.FileField(
        _("attachment"), storage=private_storage, blank=True, max_length=200
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="mail_pending_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
