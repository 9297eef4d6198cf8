"""A conversation between a customer and one office's PST staff, and its messages."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silastik.storage import private_storage

__all__ = ["Conversation", "ConversationMessage", "ConversationStatus"]


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed by the office")


def _attachment_path(instance, filename: str) -> str:
    # `filename` is already random (uploads.safe_name): nothing of the uploader's name is kept.
    return f"conversations/{timezone.now():%Y/%m}/{filename}"


class Conversation(models.Model):
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("office"),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("customer"),
    )
    # The order it is about; empty for a question asked before ordering.
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
        verbose_name=_("order"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
    )
    # Whose turn it is: the office's after the customer wrote, the customer's after staff did.
    waiting_for_office = models.BooleanField(_("waiting for the office"), default=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(
                fields=["office", "last_message_at"],
                condition=models.Q(status="open", waiting_for_office=True),
                name="conversations_waiting",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("orders:conversation", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ConversationStatus.OPEN


class ConversationMessage(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    from_office = models.BooleanField(_("from the office"), default=False)
    text = models.TextField(_("message"))
    attachment = models.FileField(
        _("attachment"),
        storage=private_storage,
        upload_to=_attachment_path,
        blank=True,
        max_length=200,
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
