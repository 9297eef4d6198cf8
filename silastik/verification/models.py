from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerificationCode(models.Model):
    """The short code printed, and carried by a QR code, on an issued document (invoice,
    receipt, SPPD): it opens the document's public verification page. The page asks the
    document's own app what the document is now, so a voided or replaced document says so
    without this row changing."""

    code = models.CharField(_("verification code"), max_length=14, unique=True)
    kind = models.CharField(_("document kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("document id"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="verification_one_code_per_document"
            )
        ]

    def __str__(self) -> str:
        return self.code
