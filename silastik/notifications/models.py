"""What the back office is told: one row per person and event, shown as a badge and a list, and
e-mailed at once or in the morning's digest as the person chose (User.notify_by)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # The event it is about ("order-event:41", "payment:7"): one notification per person and
    # event, however often the caller is run.
    event = models.CharField(_("event"), max_length=80)
    # An English sentence marked with gettext_noop and its values: shown and mailed in the
    # reader's language, not in the language of whoever caused it.
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(_("values"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Mailed on its own (immediately) or in a digest; empty while it waits for the digest.
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="notifications_once_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notifications_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(mailed_at__isnull=True),
                name="notifications_unmailed",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The message in the active language."""
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)
