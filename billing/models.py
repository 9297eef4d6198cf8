from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silastik.money import rupiah
from silastik.storage import private_storage


def _billing_path(instance, filename: str) -> str:
    return f"billing/{timezone.now():%Y/%m}/{filename}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    EXPIRED = "expired", _("Expired")


class Invoice(models.Model):
    """Immutable once issued: a correction voids it and issues a new one."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("order")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"))
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    payer_name = models.CharField(_("payer"), max_length=150)
    payer_email = models.EmailField(_("payer's e-mail"))
    payer_institution = models.CharField(_("institution"), max_length=200, blank=True)
    payer_address = models.TextField(_("address"), blank=True)
    payer_npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    # Customers abroad cannot use Indonesian billing codes: they transfer and upload a proof.
    pay_by_transfer = models.BooleanField(_("paid by bank transfer"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("issued by"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=_billing_path, blank=True)
    # The billing code the stored PDF prints ("" for none): once that code lapses or another
    # replaces it, the PDF is made again before it is handed out, so paper never shows a code
    # that can no longer be paid.
    pdf_billing_code = models.CharField(
        _("billing code on the PDF"), max_length=15, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status=InvoiceStatus.ISSUED),
                name="billing_one_open_invoice_per_order",
            )
        ]
        indexes = [
            models.Index(
                fields=["valid_until"],
                condition=models.Q(status=InvoiceStatus.ISSUED),
                name="billing_invoice_due_idx",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return self.order.get_absolute_url()

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) > self.valid_until


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(_("description"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.PositiveBigIntegerField(_("unit price (Rp)"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    # How the amount follows from the tariff, as the payer read it at issue (microdata: bytes,
    # the first MB and the 1.000-byte blocks).
    detail = models.CharField(_("calculation"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return self.description


class BillingCode(models.Model):
    """A government billing code (Simponi) for an invoice: valid 7 days, reissued within the
    invoice's month when it lapses."""

    code = models.CharField(_("billing code"), max_length=15, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="billing_codes")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("billing code")
        verbose_name_plural = _("billing codes")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code

    def is_lapsed(self, now=None) -> bool:
        return (now or timezone.now()) > self.expires_at


class PaymentChannel(models.TextChoices):
    BILLING_CODE = "billing_code", _("Billing code (Simponi)")
    TRANSFER = "transfer", _("Bank transfer")
    CASH = "cash", _("Cash at the treasurer")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the treasurer")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    # Money that reached the state for a closed invoice: the treasurer refunds it.
    REFUND_DUE = "refund_due", _("Refund due")


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    channel = models.CharField(_("channel"), max_length=16, choices=PaymentChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    billing_code = models.ForeignKey(
        BillingCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("billing code"),
    )
    # The state's proof of receipt; one payment each, so a repeated callback finds its row.
    ntpn = models.CharField("NTPN", max_length=16, unique=True, null=True, blank=True)
    ntb = models.CharField("NTB", max_length=32, blank=True)
    # The bank and channel that took a billing-code payment, as the gateway reports it.
    bank_channel = models.CharField(_("bank/channel"), max_length=32, blank=True)
    notice_id = models.CharField(
        _("callback id"), max_length=64, unique=True, null=True, blank=True
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    proof = models.FileField(
        _("transfer proof"), storage=private_storage, upload_to=_billing_path, blank=True
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # When the money arrived (the bank statement's date), as the treasurer books it; the revenue
    # report counts by it, not by the click that confirmed the payment.
    value_date = models.DateField(_("value date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(status=PaymentStatus.CONFIRMED),
                name="billing_one_confirmed_payment_per_invoice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.get_channel_display()} {rupiah(self.amount)}"


class Receipt(models.Model):
    """The kuitansi: one per confirmed payment, never changed after issue."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("payment")
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    treasurer_name = models.CharField(_("treasurer"), max_length=150)
    treasurer_nip = models.CharField(_("treasurer's NIP"), max_length=18, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=_billing_path, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
