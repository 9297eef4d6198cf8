from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import DataFormat, ProductKind
from catalog.pricing import SizeBreakdown
from silastik.storage import private_storage


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Cart")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_INFO = "needs_info", _("More information needed")
    PREPARING = "preparing", _("Being prepared")
    OFFERED = "offered", _("Offer sent")
    REVISING = "revising", _("Offer being revised")
    PAYMENT_REVIEW = "payment_review", _("Payment being checked")
    AWAITING_DELIVERY = "awaiting_delivery", _("Paid, awaiting delivery")
    COMPLETED = "completed", _("Completed")
    CORRECTING = "correcting", _("Being corrected")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class OrderAction(models.TextChoices):
    """What an audit row records: a move of the workflow table (orders/workflow.py MOVES has
    one of each) or a note that changes no state."""

    # Moves.
    SUBMIT = "submit", _("Request submitted")
    APPROVE = "approve", _("Approved")
    ASK_INFO = "ask_info", _("More information asked for")
    REJECT = "reject", _("Rejected")
    ANSWER = "answer", _("Answered")
    OFFER = "offer", _("Offer sent")
    REQUEST_REVISION = "request_revision", _("Correction of the offer asked for")
    CANCEL = "cancel", _("Cancelled")
    PAYMENT_SUBMITTED = "payment_submitted", _("Payment proof sent")
    PAYMENT_REJECTED = "payment_rejected", _("Payment proof rejected")
    ACCEPT = "accept", _("Offer accepted (Rp0)")
    SETTLE = "settle", _("Paid")
    EXPIRE = "expire", _("Expired")
    DELIVER = "deliver", _("Delivered")
    REPORT_PROBLEM = "report_problem", _("Problem reported")
    REDELIVER = "redeliver", _("Correction delivered")
    # Notes.
    SPPD_UPLOADED = "sppd_uploaded", _("Signed data use agreement uploaded")
    SPPD_ORIGINALS = "sppd_originals", _("Signed originals of the agreement received")
    SPPD_ACCEPTED = "sppd_accepted", _("Signed agreement accepted and countersigned")
    SPPD_RETURNED = "sppd_returned", _("Signed agreement sent back")
    PRODUCT_UPLOADED = "product_uploaded", _("Product file prepared")
    SAMPLE_UPLOADED = "sample_uploaded", _("Sample data prepared")
    LINK_REQUESTED = "link_requested", _("New download link requested")
    DOWNLOADS_RENEWED = "downloads_renewed", _("Download links renewed")


class Exemption(models.TextChoices):
    NONE = "none", _("Not requested")
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class SppdStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Waiting for the signed agreement")
    UPLOADED = "uploaded", _("Signed agreement uploaded, being checked")
    # Staff checked the uploaded agreement; the office's countersigned copy is made.
    ACCEPTED = "accepted", _("Signed agreement accepted")
    ORIGINALS_RECEIVED = "originals", _("Signed originals received by post")


class OrderChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    WALK_IN = "walk_in", _("Walk-in desk")


class Handover(models.TextChoices):
    """How a walk-in visitor received the products (domain: walk-in service)."""

    CD_DVD = "cd_dvd", _("On CD/DVD")
    USB = "usb", _("On a USB flash drive")
    PRINTED = "printed", _("As a printed copy")
    DOWNLOAD = "download", _("Downloaded from the portal")
    # Printed publications: the customer's way of receiving them (shipping is theirs to pay).
    PICKUP = "pickup", _("Picked up at the office")
    COURIER = "courier", _("Sent by courier")


class FileKind(models.TextChoices):
    PRODUCT = "product", _("Product file")
    SAMPLE = "sample", _("Sample data")


def _order_file_path(instance, filename: str) -> str:
    return f"orders/{timezone.now():%Y/%m}/{filename}"


class Order(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    # The office that serves it, set when the request is sent (a cart may hold products of
    # several offices; sending it makes one request per office).
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("office"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=OrderChannel.choices, default=OrderChannel.ONLINE
    )

    # Agreement to the purchase terms, as given at submission.
    terms_version = models.CharField(_("terms version"), max_length=20, blank=True)
    terms_agreed_at = models.DateTimeField(_("terms agreed at"), null=True, blank=True)
    terms_agreed_ip = models.GenericIPAddressField(_("terms agreed from"), null=True, blank=True)

    # Data-use abstract (microdata and maps).
    abstract_background = models.TextField(_("background"), blank=True)
    abstract_purpose = models.TextField(_("purpose"), blank=True)
    abstract_method = models.TextField(_("method"), blank=True)
    abstract_outputs = models.TextField(_("planned outputs"), blank=True)
    abstract_file = models.FileField(
        _("abstract document"), storage=private_storage, upload_to=_order_file_path, blank=True
    )

    # Rp0 tariff, applied for with an official letter and decided by staff at review.
    exemption = models.CharField(
        _("Rp0 tariff"), max_length=12, choices=Exemption.choices, default=Exemption.NONE
    )
    exemption_letter = models.FileField(
        _("request letter"), storage=private_storage, upload_to=_order_file_path, blank=True
    )

    # Data use agreement (SPPD) for microdata and maps.
    sppd_status = models.CharField(
        _("data use agreement"),
        max_length=12,
        choices=SppdStatus.choices,
        default=SppdStatus.NOT_NEEDED,
    )
    sppd_document = models.FileField(
        _("agreement to sign"), storage=private_storage, upload_to=_order_file_path, blank=True
    )
    sppd_signed = models.FileField(
        _("signed agreement"), storage=private_storage, upload_to=_order_file_path, blank=True
    )
    # The customer's signed agreement with the office's countersignature page after it.
    sppd_countersigned = models.FileField(
        _("countersigned agreement"),
        storage=private_storage,
        upload_to=_order_file_path,
        blank=True,
    )
    sppd_received_at = models.DateTimeField(_("agreement received at"), null=True, blank=True)
    # A walk-in visitor signs the printed agreement with a meterai at the desk, on this day.
    sppd_signed_on = models.DateField(_("agreement signed at the desk on"), null=True, blank=True)

    sample_revisions = models.PositiveSmallIntegerField(_("sample data revisions"), default=0)
    # Set by billing when the payment is confirmed, or at the offer when the total is Rp0.
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settlement_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Walk-in orders and printed copies: how the products were handed over at delivery, and
    # the courier's tracking number when they were sent.
    handover = models.CharField(
        _("handed over"), max_length=10, choices=Handover.choices, blank=True
    )
    tracking_number = models.CharField(_("courier and tracking number"), max_length=100, blank=True)
    # The office's working days from request to first delivery (the customer's turns excluded),
    # kept so that reports count the 10-day standard in the database.
    working_days_used = models.PositiveSmallIntegerField(
        _("working days used"), null=True, blank=True
    )
    downloads_until = models.DateTimeField(_("downloads until"), null=True, blank=True)
    # The customer asked for new download links (up to 30 days after completion) and waits
    # for staff to renew them; cleared by the renewal.
    link_requested_at = models.DateTimeField(_("new links asked for at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(status=OrderStatus.DRAFT),
                name="orders_one_cart_per_customer",
            )
        ]
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["customer", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.number or _("Cart of %(customer)s") % {"customer": self.customer_id}

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", kwargs={"pk": self.pk})

    @property
    def total(self) -> int:
        if self.exemption == Exemption.APPROVED:
            return 0
        return sum(line.quoted_amount for line in self.lines.all())

    @property
    def sppd_done(self) -> bool:
        """Signed and checked: an uploaded agreement counts once staff have accepted it;
        originals staff received (by post, at the desk) they have seen."""
        return self.sppd_status in (
            SppdStatus.NOT_NEEDED,
            SppdStatus.ACCEPTED,
            SppdStatus.ORIGINALS_RECEIVED,
        )


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProductKind.choices)
    description = models.CharField(_("description"), max_length=500)
    by_variable = models.BooleanField(_("chosen variables"), default=False)
    variables = models.ManyToManyField(
        "catalog.Variable", through="OrderLineVariable", related_name="+", blank=True
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    # Microdata: the format the customer wants the data in (the portal's cut writes it).
    data_format = models.CharField(
        _("data format"), max_length=3, choices=DataFormat.choices, default=DataFormat.CSV
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    # A publication sold as printed copies (`quantity` of them) rather than as its PDF.
    printed = models.BooleanField(_("printed copies"), default=False)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    quoted_amount = models.PositiveBigIntegerField(_("quoted price (Rp)"))
    # What the customer was quoted when they sent the request, kept when the offer prices the
    # line again from the prepared file, so staff compare the two and the record shows both.
    estimated_amount = models.PositiveBigIntegerField(
        _("estimated price (Rp)"), null=True, blank=True
    )
    estimated_bytes = models.PositiveBigIntegerField(
        _("estimated size (bytes)"), null=True, blank=True
    )
    # Microdata: how the offer's price follows from the prepared data (catalog.pricing
    # SizeBreakdown), as the customer and the invoice show it.
    price_breakdown = models.JSONField(_("price breakdown"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def needs_agreement(self) -> bool:
        """Microdata and maps need the abstract and the data use agreement (SPPD)."""
        return self.kind in (ProductKind.MICRODATA, ProductKind.MAP)

    @property
    def breakdown(self) -> SizeBreakdown | None:
        return SizeBreakdown.from_data(self.price_breakdown)

    def current_file(self, kind: str = FileKind.PRODUCT) -> "LineFile | None":
        return max(
            (f for f in self.files.all() if f.kind == kind), key=lambda f: f.version, default=None
        )


class OrderLineVariable(models.Model):
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE)
    # PROTECT: a codebook re-import must not drop a variable an order was sold with.
    variable = models.ForeignKey("catalog.Variable", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "variable"], name="orders_line_variable_unique")
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.variable_id}"


class LineFile(models.Model):
    """A prepared file for an order line. Corrections add versions; old ones stay."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_order_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    # The data it holds as the tariff prices it: an archive unpacked (silastik.uploads.data_bytes).
    data_bytes = models.PositiveBigIntegerField(_("data size (bytes)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        ordering = ["line", "kind", "version"]
        constraints = [
            models.UniqueConstraint(fields=["line", "kind", "version"], name="orders_file_version")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"


class OrderEvent(models.Model):
    """The audit log: every state change and note, with who and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=30, choices=OrderAction.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.action}"


class Correction(models.Model):
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="corrections")
    description = models.TextField(_("what is wrong"))
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_file = models.ForeignKey(
        LineFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["reported_at"]

    def __str__(self) -> str:
        return self.description[:80]


class DownloadLog(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="downloads")
    document = models.CharField(_("document"), max_length=40)
    line_file = models.ForeignKey(LineFile, on_delete=models.SET_NULL, null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.document} {self.at:%Y-%m-%d %H:%M}"


# The conversations with the office live in their own package and belong to this app.
from .conversations.models import (  # noqa: E402
    Conversation,
    ConversationMessage,
    ConversationStatus,
)
from .cutting.models import CutRun, CutStatus  # noqa: E402

__all__ = ["Conversation", "ConversationMessage", "ConversationStatus", "CutRun", "CutStatus"]
