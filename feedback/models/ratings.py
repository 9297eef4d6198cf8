from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..ikm import CODES, ELEMENTS

__all__ = ["Channel", "FollowUpMessage", "Rating", "RatingInvitation"]

SCORE = [MinValueValidator(1), MaxValueValidator(4)]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    WALK_IN = "walk_in", _("Walk-in desk")


class Rating(models.Model):
    """One rating of one service: a completed order (online) or a visit to the desk (the kiosk,
    by ticket); the nine IKM elements and a comment."""

    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating",
        verbose_name=_("order"),
    )
    # A walk-in visit rated at the kiosk; it may have had no order (consultation, library).
    visit = models.OneToOneField(
        "desk.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating",
        verbose_name=_("visit"),
    )
    # The office whose service was rated (the order's serving office, the visit's office),
    # copied when the rating is recorded: its staff follow it up and its IKM counts it.
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("office"),
    )
    # The customer account, if there is one: a walk-in visitor may have none.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    # What was rated, copied from the order's lines (which never change after submission), so
    # that the report counts per product kind in one pass instead of joining every line.
    with_publication = models.BooleanField(_("publications"), default=False)
    with_microdata = models.BooleanField(_("microdata"), default=False)
    with_map = models.BooleanField(_("digital maps"), default=False)
    u1 = models.PositiveSmallIntegerField(ELEMENTS[0].name, validators=SCORE)
    u2 = models.PositiveSmallIntegerField(ELEMENTS[1].name, validators=SCORE)
    u3 = models.PositiveSmallIntegerField(ELEMENTS[2].name, validators=SCORE)
    u4 = models.PositiveSmallIntegerField(ELEMENTS[3].name, validators=SCORE)
    u5 = models.PositiveSmallIntegerField(ELEMENTS[4].name, validators=SCORE)
    u6 = models.PositiveSmallIntegerField(ELEMENTS[5].name, validators=SCORE)
    u7 = models.PositiveSmallIntegerField(ELEMENTS[6].name, validators=SCORE)
    u8 = models.PositiveSmallIntegerField(ELEMENTS[7].name, validators=SCORE)
    u9 = models.PositiveSmallIntegerField(ELEMENTS[8].name, validators=SCORE)
    comment = models.TextField(_("comment"), blank=True)
    # Any element scored 1 or 2, or staff flagged the comment: someone must act on it.
    needs_follow_up = models.BooleanField(_("needs follow-up"), default=False, db_index=True)
    flagged_by_staff = models.BooleanField(_("flagged by staff"), default=False)
    follow_up_closed_at = models.DateTimeField(_("follow-up closed at"), null=True, blank=True)
    follow_up_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up closed by"),
    )
    follow_up_outcome = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        indexes = [
            # The report aggregates a period; the queue lists what is still open.
            models.Index(fields=["created_at", "channel"], name="feedback_rating_period_idx"),
            models.Index(fields=["office", "created_at"], name="feedback_rating_office_idx"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(needs_follow_up=True, follow_up_closed_at__isnull=True),
                name="feedback_rating_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{code}__gte": 1 for code in CODES}, **{f"{code}__lte": 4 for code in CODES}
                ),
                name="feedback_rating_scores_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(order__isnull=False) | models.Q(visit__isnull=False),
                name="feedback_rating_order_or_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.created_at:%Y-%m-%d})"

    @property
    def reference(self) -> str:
        """What was rated: the order's number, or the desk ticket and its day."""
        if self.order_id:
            return str(self.order)
        return str(self.visit) if self.visit_id else ""

    @property
    def respondent_name(self) -> str:
        if self.customer_id:
            return self.customer.full_name or self.customer.email
        return self.visit.visitor.name if self.visit_id else ""

    @property
    def respondent_email(self) -> str:
        """Where follow-up e-mails go: the customer's account, else the address the walk-in
        visitor wrote in the guest book, which may be empty."""
        if self.customer_id:
            return self.customer.email
        return self.visit.visitor.email if self.visit_id else ""

    @property
    def scores(self) -> dict[str, int]:
        return {code: getattr(self, code) for code in CODES}

    @property
    def follow_up_open(self) -> bool:
        return self.needs_follow_up and self.follow_up_closed_at is None


class FollowUpMessage(models.Model):
    """One message of the thread on a rating: staff write to the customer by e-mail."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="messages", verbose_name=_("rating")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    email = models.ForeignKey(
        "mail.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )

    class Meta:
        verbose_name = _("follow-up message")
        verbose_name_plural = _("follow-up messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.text[:40]}"

    @property
    def from_customer(self) -> bool:
        return self.author_id == self.rating.customer_id


class RatingInvitation(models.Model):
    """The invitation to rate a completed order, and its one reminder."""

    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.CASCADE,
        related_name="rating_invitation",
        verbose_name=_("order"),
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")
        indexes = [
            models.Index(
                fields=["invited_at"],
                condition=models.Q(reminded_at__isnull=True),
                name="feedback_invitation_due_idx",
            )
        ]

    def __str__(self) -> str:
        return str(self.order)
