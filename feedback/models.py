from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ikm import CODES, ELEMENTS

SCORE = [MinValueValidator(1), MaxValueValidator(4)]


class Rating(models.Model):
    """One customer's rating of one completed order: the nine IKM elements and a comment."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="rating", verbose_name=_("order")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings"
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)
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

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{code}__gte": 1 for code in CODES}, **{f"{code}__lte": 4 for code in CODES}
                ),
                name="feedback_rating_scores_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} ({self.created_at:%Y-%m-%d})"

    @property
    def scores(self) -> dict[str, int]:
        return {code: getattr(self, code) for code in CODES}
