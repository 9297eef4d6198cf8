"""The walk-in desk: the electronic guest book, queue tickets and the visits they stand for."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from silastik.users.models import Segment


class Purpose(models.TextChoices):
    DATA = "data", _("Buy data or publications")
    CONSULTATION = "consultation", _("Statistical consultation")
    LIBRARY = "library", _("Library")
    OTHER = "other", _("Something else")


# Each purpose is a service with its own line of tickets: A-001, B-001, … every day.
SERVICE_LETTERS: dict[str, str] = {
    Purpose.DATA: "A",
    Purpose.CONSULTATION: "B",
    Purpose.LIBRARY: "C",
    Purpose.OTHER: "D",
}


class IdentityKind(models.TextChoices):
    KTP = "ktp", _("Identity card (KTP)")
    SIM = "sim", _("Driving licence (SIM)")
    PASSPORT = "passport", _("Passport")
    STUDENT = "student", _("Student card")
    OTHER = "other", _("Other")


class Visitor(models.Model):
    """Someone who signed an office's guest book; recognised again there by e-mail or phone.
    Each office keeps its own guest book: its people never see another office's visitors."""

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="desk_visitors",
        verbose_name=_("office"),
    )
    name = models.CharField(_("name"), max_length=150)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    identity_kind = models.CharField(
        _("identity document"), max_length=10, choices=IdentityKind.choices
    )
    identity_number = models.CharField(_("document number"), max_length=40)
    # The customer account a desk order was made for, once there is one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitor_records",
        verbose_name=_("customer account"),
    )
    created_at = models.DateTimeField(_("first visit"), default=timezone.now)
    last_visit_at = models.DateTimeField(_("last visit"), default=timezone.now)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-last_visit_at"]
        indexes = [
            models.Index("office", Lower("email"), name="desk_visitor_email_idx"),
            models.Index(fields=["office", "phone"], name="desk_visitor_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone=""), name="desk_visitor_has_contact"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Desk(models.Model):
    """A service counter (loket) of an office."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="desks", verbose_name=_("office")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60)
    active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("walk-in counter", "desk")
        verbose_name_plural = pgettext_lazy("walk-in counter", "desks")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="desk_desk_office_number")
        ]

    def __str__(self) -> str:
        return self.name


class TicketCounter(models.Model):
    """The last number an office gave out on its day for one service; its row lock serialises
    numbering."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    day = models.DateField()
    service = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "service"], name="desk_counter_office_day_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day:%Y-%m-%d} {self.service}: {self.last}"


class VisitStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    ABSENT = "absent", _("Not present")


class Visit(models.Model):
    """One visit: a queue ticket from the guest book until the visitor leaves the desk."""

    # The office's own, as its visitor, desk and day (the day on the office's clock).
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="desk_visits",
        verbose_name=_("office"),
    )
    visitor = models.ForeignKey(
        Visitor, on_delete=models.PROTECT, related_name="visits", verbose_name=_("visitor")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # As the visitor gave it that day: a student who comes back as a researcher counts as both.
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices)
    day = models.DateField(_("day"))
    service = models.CharField(_("service"), max_length=1)
    number = models.PositiveIntegerField(_("number"))
    # The line the visit waits in now: its ticket's service, or consultation (B) once the data
    # desk referred it there. The ticket (service and number, with its PIN) never changes.
    line = models.CharField(_("queue line"), max_length=1, default="")
    # Printed on the ticket: with the ticket number it opens the kiosk's rating form.
    pin = models.CharField(_("rating PIN"), max_length=6)
    # Wrong PINs typed for this ticket at the kiosk; after a few the ticket cannot be rated.
    pin_failures = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.WAITING
    )
    issued_at = models.DateTimeField(_("ticket taken at"), default=timezone.now)
    # The guest-book form it came from (a random key per form shown): a double tap, however
    # many at once, is the same submission and gets the same ticket.
    submission_key = models.CharField(max_length=32, blank=True, editable=False)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    calls = models.PositiveSmallIntegerField(_("calls"), default=0)
    serving_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The service standard: seconds from the previous visitor done at this desk (or from the
    # ticket, if later) to this call. At most 600 keeps the 10-minute standard.
    response_seconds = models.PositiveIntegerField(_("seconds to the call"), null=True, blank=True)
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=pgettext_lazy("walk-in counter", "desk"),
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("served by"),
    )
    note = models.TextField(_("what was done"), blank=True)
    # A data request that did not fit what the visitor needs: sent to statistical consultation.
    redirected_to_consultation = models.BooleanField(_("sent to consultation"), default=False)
    # The handover: when, from which desk and by whom. The visit then waits in the consultation
    # line with its own ticket; the desk and staff above become those who serve it there.
    referred_at = models.DateTimeField(_("sent to consultation at"), null=True, blank=True)
    referred_from = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent on by desk"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent on by"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("desk order"),
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-day", "issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "service", "number"], name="desk_visit_ticket_unique"
            ),
            models.UniqueConstraint(
                fields=["office", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="desk_visit_one_per_submission",
            ),
        ]
        indexes = [
            models.Index(
                fields=["office", "day", "status", "issued_at"], name="desk_visit_queue_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} ({self.day:%Y-%m-%d})"

    @property
    def ticket(self) -> str:
        return f"{self.service}-{self.number:03d}"

    @property
    def waiting_seconds(self) -> int | None:
        if self.called_at is None:
            return None
        return int((self.called_at - self.issued_at).total_seconds())

    @property
    def service_seconds(self) -> int | None:
        if self.serving_at is None or self.finished_at is None:
            return None
        return int((self.finished_at - self.serving_at).total_seconds())
