from django.contrib import admin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.admin import OfficeScopedAdmin
from offices.selectors import office_of
from orders.models import OrderChannel
from orders.workflow import Actor, actor_of
from silastik.admin_files import is_private
from silastik.admin_workflow import WorkflowAdmin
from silastik.money import rupiah

from . import services
from .forms import DecisionForm
from .models import (
    BillingCode,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentChannel,
    PaymentStatus,
    Receipt,
)

MONEY_FIELDS = {"total": "total_rupiah", "amount": "amount_rupiah"}


class ReadOnlyAdmin(OfficeScopedAdmin, WorkflowAdmin):
    @admin.display(description=gettext_lazy("total"), ordering="total")
    def total_rupiah(self, obj) -> str:
        return rupiah(obj.total)

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_rupiah(self, obj) -> str:
        return rupiah(obj.amount)

    """Money documents never change in the back office: only the services change them, through
    the treasurer's buttons."""

    def act_allowed(self, request, obj) -> bool:
        # The services check the role (only the treasurer confirms money).
        return self.has_view_permission(request, obj)

    # The record's page on the site is the customer's order, which the back office cannot open.
    view_on_site = False

    def has_change_permission(self, request, obj=None) -> bool:
        # Django then shows the record to read ("View invoice"), with no Save button that
        # would answer "changed successfully" after changing nothing; the buttons below the
        # record post to the services.
        return False

    def _shown_fields(self) -> list[str]:
        # Private files have no URL: they are linked through views that check rights.
        return [f.name for f in self.model._meta.fields if not is_private(f)]

    def get_readonly_fields(self, request, obj=None):
        # Every field stays read-only (the sums too: only services change money), and the sums
        # are shown as rupiah, with their thousands separated.
        return [*self._shown_fields(), *MONEY_FIELDS.values(), "document_link"]

    def get_fields(self, request, obj=None):
        return [*(MONEY_FIELDS.get(name, name) for name in self._shown_fields()), "document_link"]

    def get_exclude(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if is_private(f)]

    @admin.display(description=gettext_lazy("document"))
    def document_link(self, obj) -> str:
        if isinstance(obj, Payment):
            if not obj.proof:
                return "—"
            url = reverse("billing:proof_view", args=[obj.pk])
        elif getattr(obj, "pdf", None):
            kind = "invoice" if isinstance(obj, Invoice) else "receipt"
            url = reverse("billing:document", args=[kind, obj.pk])
        else:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open"))


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = ["description", "detail", "quantity", "unit_price_rupiah", "amount_rupiah"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("unit price"))
    def unit_price_rupiah(self, obj: InvoiceLine) -> str:
        return rupiah(obj.unit_price)

    @admin.display(description=gettext_lazy("amount"))
    def amount_rupiah(self, obj: InvoiceLine) -> str:
        return rupiah(obj.amount)


class InvoiceDeskFilter(admin.SimpleListFilter):
    title = gettext_lazy("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [("cash", gettext_lazy("Walk-in invoices to take in cash"))]

    def queryset(self, request, queryset):
        if self.value() == "cash":
            return queryset.filter(
                order__channel=OrderChannel.WALK_IN,
                status=InvoiceStatus.ISSUED,
                pay_by_transfer=False,
            )
        return queryset


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    office_path = "order__office"
    list_display = [
        "number",
        "order",
        "payer_name",
        "total_rupiah",
        "status",
        "issued_at",
        "valid_until",
    ]
    list_filter = [InvoiceDeskFilter, "status", "pay_by_transfer"]
    search_fields = ["number", "order__number", "payer_name", "payer_email", "billing_codes__code"]
    list_select_related = ["order"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]
    change_form_template = "admin/billing/invoice/change_form.html"

    def act(self, request, obj: Invoice, action: str) -> str:
        if action != "cash":
            raise Http404
        typed = DecisionForm(request.POST).decision()
        services.cash_record(
            invoice=obj,
            by=request.user,
            reference=typed["reference"],
            value_date=typed["value_date"],
        )
        return _("The cash payment is recorded; the receipt follows.")

    def detail_context(self, request, obj: Invoice, **bound) -> dict:
        return {"is_treasurer": actor_of(request.user) == Actor.TREASURER}


class DeskFilter(admin.SimpleListFilter):
    title = gettext_lazy("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("verify", gettext_lazy("To verify (proofs and cash)")),
            ("reconcile", gettext_lazy("Billing-code payments (reconciliation)")),
            ("reconcile_month", gettext_lazy("Billing-code payments this month")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "verify":
            return queryset.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.REFUND_DUE])
        if self.value() == "reconcile":
            return queryset.filter(channel=PaymentChannel.BILLING_CODE)
        if self.value() == "reconcile_month":
            office = office_of(request.user)
            zone = office.zone if office else None
            return queryset.filter(
                channel=PaymentChannel.BILLING_CODE,
                status=PaymentStatus.CONFIRMED,
                value_date__gte=timezone.localdate(timezone=zone).replace(day=1),
            )
        return queryset


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    office_path = "invoice__order__office"
    list_display = [
        "invoice",
        "channel",
        "amount_rupiah",
        "status",
        "ntpn",
        "ntb",
        "reference",
        "submitted_at",
        "decided_by",
    ]
    list_filter = [DeskFilter, "status", "channel"]
    search_fields = ["invoice__number", "ntpn", "ntb", "reference", "invoice__order__number"]
    list_select_related = ["invoice", "decided_by"]
    date_hierarchy = "submitted_at"
    change_form_template = "admin/billing/payment/change_form.html"

    def act(self, request, obj: Payment, action: str) -> str:
        typed = DecisionForm(request.POST).decision()
        if action == "confirm":
            services.payment_confirm(
                payment=obj,
                by=request.user,
                reference=typed["reference"],
                value_date=typed["value_date"],
            )
            return _(
                "The transfer for %(invoice)s is confirmed: the receipt is issued and e-mailed "
                "to the customer, and the order goes to staff for delivery."
            ) % {"invoice": obj.invoice.number}
        if action == "reject":
            services.payment_reject(payment=obj, by=request.user, reason=typed["reason"])
            return _(
                "The proof for %(invoice)s is rejected; the customer has been e-mailed the reason "
                "and can send another."
            ) % {"invoice": obj.invoice.number}
        raise Http404

    def detail_context(self, request, obj: Payment, **bound) -> dict:
        return {"is_treasurer": actor_of(request.user) == Actor.TREASURER, "payment": obj}


@admin.register(BillingCode)
class BillingCodeAdmin(ReadOnlyAdmin):
    office_path = "invoice__order__office"
    list_display = ["code", "invoice", "issued_at", "expires_at"]
    search_fields = ["code", "invoice__number"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    office_path = "payment__invoice__order__office"
    list_display = ["number", "payment", "issued_at", "treasurer_name"]
    search_fields = ["number", "payment__invoice__number", "payment__ntpn"]
