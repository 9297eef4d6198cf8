from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.services import OrderError
from orders.workflow import Actor, actor_of
from silastik.admin_files import is_private

from . import services
from .models import BillingCode, Invoice, InvoiceLine, Payment, PaymentStatus, Receipt
from .services import BillingError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money documents never change in the back office: only the services change them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        # Private files have no URL: they are linked through views that check rights.
        return [f.name for f in self.model._meta.fields if not is_private(f)] + ["document_link"]

    def get_exclude(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if is_private(f)]

    @admin.display(description=gettext_lazy("document"))
    def document_link(self, obj) -> str:
        from django.utils.html import format_html

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
    readonly_fields = ["description", "quantity", "unit_price", "amount"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "payer_name", "total", "status", "issued_at", "valid_until"]
    list_filter = ["status", "pay_by_transfer"]
    search_fields = ["number", "order__number", "payer_name", "payer_email", "billing_codes__code"]
    list_select_related = ["order"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline]
    change_form_template = "admin/billing/invoice/change_form.html"

    def get_urls(self):
        cash = self.admin_site.admin_view(self.cash_view)
        return [path("<int:pk>/cash/", cash, name="billing_invoice_cash"), *super().get_urls()]

    def cash_view(self, request, pk: int):
        invoice = get_object_or_404(Invoice, pk=pk)
        if request.method == "POST":
            try:
                services.cash_record(
                    invoice=invoice, by=request.user, reference=request.POST.get("reference", "")
                )
            except (BillingError, OrderError) as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The cash payment is recorded; the receipt follows."))
        return redirect(reverse("admin:billing_invoice_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "is_treasurer": actor_of(request.user) == Actor.TREASURER,
        }
        return super().change_view(request, object_id, form_url, extra_context)


class DeskFilter(admin.SimpleListFilter):
    title = gettext_lazy("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("verify", gettext_lazy("To verify (proofs and cash)")),
            ("reconcile", gettext_lazy("Billing-code payments (reconciliation)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "verify":
            return queryset.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.REFUND_DUE])
        if self.value() == "reconcile":
            return queryset.filter(channel="billing_code")
        return queryset


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "invoice",
        "channel",
        "amount",
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

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/<slug:decision>/", decide, name="billing_payment_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int, decision: str):
        payment = get_object_or_404(Payment, pk=pk)
        if request.method != "POST" or decision not in ("confirm", "reject"):
            raise Http404
        try:
            if decision == "confirm":
                services.payment_confirm(
                    payment=payment, by=request.user, reference=request.POST.get("reference", "")
                )
            else:
                services.payment_reject(
                    payment=payment, by=request.user, reason=request.POST.get("reason", "")
                )
        except (BillingError, OrderError) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
        return redirect(reverse("admin:billing_payment_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payment = get_object_or_404(Payment, pk=object_id) if str(object_id).isdigit() else None
        if payment is None:
            raise Http404
        extra_context = {
            **(extra_context or {}),
            "is_treasurer": actor_of(request.user) == Actor.TREASURER,
            "payment": payment,
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(BillingCode)
class BillingCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "invoice", "issued_at", "expires_at"]
    search_fields = ["code", "invoice__number"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "payment", "issued_at", "treasurer_name"]
    search_fields = ["number", "payment__invoice__number", "payment__ntpn"]
