"""Complaints and suggestions (pengaduan): filed by anyone, tracked by a code, answered by staff."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from silastik.storage import private_storage

__all__ = [
    "COMPLAINT_MOVES",
    "Complaint",
    "ComplaintCategory",
    "ComplaintMessage",
    "ComplaintStatus",
    "MessageKind",
]


class ComplaintCategory(models.TextChoices):
    SERVICE = "service", _("Service")
    DATA_QUALITY = "data_quality", _("Data quality")
    TARIFF = "tariff", _("Tariff or payment")
    STAFF_CONDUCT = "staff_conduct", _("Staff conduct")
    FACILITIES = "facilities", _("Facilities")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", _("Other")


class ComplaintChannel(models.TextChoices):
    """How the complaint reached the office (service standards: the suggestion box at the desk,
    the web form, e-mail, and the national LAPOR! channel; WhatsApp and the telephone in
    practice). Staff enter all but the web form."""

    WEB = "web", _("Web form")
    BOX = "box", _("Suggestion box at the desk")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Telephone")
    IN_PERSON = "in_person", _("In person at the desk")
    LAPOR = "lapor", _("LAPOR!")


class ComplaintStatus(models.TextChoices):
    # "New" also after the filer's follow-up: whatever is in this state waits for staff.
    NEW = "new", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class MessageKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up by the filer")
    ANSWER = "answer", pgettext_lazy("message kind", "Answer")
    CLOSING = "closing", _("Closing note")


S = ComplaintStatus

# The one table of allowed moves: message kind -> (states it may start from, state it leads to).
COMPLAINT_MOVES: dict[str, tuple[frozenset[str], str]] = {
    MessageKind.ANSWER: (frozenset({S.NEW, S.ANSWERED}), S.ANSWERED),
    MessageKind.FOLLOW_UP: (frozenset({S.NEW, S.ANSWERED}), S.NEW),
    MessageKind.CLOSING: (frozenset({S.NEW, S.ANSWERED}), S.CLOSED),
}


def _attachment_path(instance, filename: str) -> str:
    # `filename` is already random (uploads.safe_name): nothing of the uploader's name is kept.
    return f"complaints/{timezone.now():%Y/%m}/{filename}"


class Complaint(models.Model):
    # The code is the only key a filer without an account has: random, and never shown to
    # anyone but the filer and staff.
    code = models.CharField(_("tracking code"), max_length=20, editable=False)
    # The office it is addressed to: its staff answer it, and no other office sees it. About an
    # order, the office that served the order.
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("office"),
    )
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    text = models.TextField(_("complaint or suggestion"))
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("order"),
    )
    attachment = models.FileField(
        _("attachment"),
        storage=private_storage,
        upload_to=_attachment_path,
        blank=True,
        max_length=200,
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    # Empty when the filer gave none: the complaint is then followed by its code only.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    channel = models.CharField(
        _("channel"), max_length=12, choices=ComplaintChannel.choices, default=ComplaintChannel.WEB
    )
    # The member of staff who entered a complaint received by another channel.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("account"),
    )
    # The filer's language at the time of filing: every e-mail about the complaint uses it.
    language = models.CharField(_("language"), max_length=8, default="id")
    # For abuse review only; never shown on the public pages.
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="feedback_complaint_code_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="feedback_complaint_queue_idx"),
            # An office's staff list their own office's complaints, newest first.
            models.Index(fields=["office", "created_at"], name="feedback_complaint_office_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("complaints:status", args=[self.code])

    @property
    def is_open(self) -> bool:
        return self.status != ComplaintStatus.CLOSED


class ComplaintMessage(models.Model):
    """One message of a complaint's thread. Each also records the status it moved the complaint
    from and to, so the thread is the complaint's audit log."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="messages", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    # Empty for a follow-up by a filer without an account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("message"), blank=True)
    from_status = models.CharField(_("from"), max_length=12, choices=ComplaintStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ComplaintStatus.choices)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.get_kind_display()}"

    @property
    def from_office(self) -> bool:
        return self.kind != MessageKind.FOLLOW_UP
