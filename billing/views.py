import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from offices.selectors import works_at
from orders.files import download_log
from orders.workflow import Actor, actor_of
from silastik import uploads
from silastik.errors import ApplicationError
from silastik.files import private_file_response
from silastik.storage import private_storage

from . import services
from .documents import billing_slip_render_pdf
from .errors import BillingError
from .forms import BankSimulationForm, ProofForm
from .gateway import CallbackRejected
from .models import Invoice, InvoiceStatus, Payment, PaymentStatus, Receipt
from .rendering import (
    invoice_document,
    invoice_pdf_current,
    invoice_store_pdf,
    receipt_issue_once,
)

log = logging.getLogger(__name__)


def _customer_invoice(request, pk: int) -> Invoice:
    # Another customer's invoice is simply not found.
    return get_object_or_404(
        Invoice.objects.select_related("order"), pk=pk, order__customer=request.user
    )


@login_required
@require_POST
def proof_upload(request, pk: int):
    invoice = _customer_invoice(request, pk)
    form = ProofForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("proof", [_("Check the file.")])))
        return redirect(invoice.order.get_absolute_url())
    try:
        services.payment_proof_submit(
            invoice=invoice, by=request.user, proof=form.cleaned_data["proof"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your proof is sent. The treasurer checks it and issues the receipt.")
        )
    return redirect(invoice.order.get_absolute_url())


@login_required
@require_POST
def billing_code_reissue(request, pk: int):
    invoice = _customer_invoice(request, pk)
    try:
        services.billing_code_reissue(invoice=invoice, by=request.user)
    except BillingError as exc:
        messages.error(request, exc.message)
    return redirect(invoice.order.get_absolute_url())


@login_required
def billing_slip(request, pk: int):
    """The current billing code of the customer's own invoice on paper (none once it lapsed:
    the order page makes a new one)."""
    invoice = _customer_invoice(request, pk)
    if invoice.status != InvoiceStatus.ISSUED:
        raise Http404
    code = invoice.billing_codes.order_by("-issued_at").first()
    if code is None or code.is_lapsed():
        raise Http404
    document = invoice_document(invoice)
    response = HttpResponse(
        billing_slip_render_pdf(document=document), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        False, f"kode-billing-{code.code}.pdf"
    )
    return response


DOCUMENTS = {"invoice": (Invoice, "order"), "receipt": (Receipt, "payment__invoice__order")}


@login_required
def document_download(request, kind: str, pk: int):
    """Invoice and receipt PDFs: the customer's own, or the serving office's back office."""
    if kind not in DOCUMENTS:
        raise Http404
    model, order_path = DOCUMENTS[kind]
    obj = get_object_or_404(model.objects.select_related(order_path), pk=pk)
    order = obj.order if kind == "invoice" else obj.payment.invoice.order
    back_office = actor_of(request.user) in (Actor.STAFF, Actor.TREASURER) and works_at(
        request.user, order.office_id
    )
    if not back_office and order.customer_id != request.user.pk:
        raise Http404
    if not obj.pdf or (kind == "invoice" and not invoice_pdf_current(obj)):
        # Its task was lost or has not run yet, or the code it prints has lapsed or been
        # replaced since: the document is made now, once.
        obj = _pdf_made(kind, obj)
    if not obj.pdf:
        messages.info(request, _("The document is being prepared; try again in a moment."))
        return redirect(order.get_absolute_url() if not back_office else "admin:index")
    download_log(order=order, document=kind, user=request.user, request=request)
    filename = f"{obj.number.replace('/', '-')}.pdf"
    return private_file_response(
        name=obj.pdf.name, filename=filename, content_type="application/pdf"
    )


def _pdf_made(kind: str, obj):
    if kind == "invoice":
        invoice_store_pdf(invoice_id=obj.pk)
        obj.refresh_from_db(fields=["pdf"])
        return obj
    return receipt_issue_once(payment_id=obj.payment_id) or obj


@csrf_exempt
@require_POST
def payment_callback(request):
    """The government billing gateway reports a payment: signed JSON, answered idempotently."""
    try:
        payload = json.loads(request.body)
        payment, recorded = services.payment_notice_receive(payload=payload)
    except RecursionError:  # JSON nested deeper than any notice: not one
        log.warning("Payment notice rejected: nested too deeply")
        return JsonResponse({"status": "rejected", "reason": "malformed"}, status=400)
    except (ValueError, CallbackRejected) as exc:
        log.warning("Payment notice rejected: %s", exc)
        return JsonResponse({"status": "rejected", "reason": str(exc)}, status=400)
    except BillingError:
        # No detail for the outside world; the treasurer sees the payment in the desk.
        return JsonResponse({"status": "refused"}, status=409)
    if payment.status == PaymentStatus.REFUND_DUE:
        return JsonResponse({"status": "refund_due", "ntpn": payment.ntpn})
    return JsonResponse({"status": "paid" if recorded else "already", "ntpn": payment.ntpn})


def bank_simulation(request):
    """The simulated bank: pay a billing code as at a teller, ATM or e-banking. Exists only
    while the simulated gateway is configured."""
    if not settings.BILLING_SIMULATION_ENABLED:
        raise Http404
    form = BankSimulationForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.bank_payment_simulate(
                code=form.cleaned_data["code"], channel=form.cleaned_data["channel"]
            )
        except BillingError as exc:
            form.add_error("code", exc.message)
        else:
            if payment.status == PaymentStatus.REFUND_DUE:  # a race with another payment
                form.add_error("code", payment.reject_reason)
            else:
                result = payment
    return render(request, "billing/bank_simulation.html", {"form": form, "result": result})


@login_required
def proof_view(request, pk: int):
    """The treasurer (and staff) look at a transfer proof; nobody else."""
    if actor_of(request.user) not in (Actor.STAFF, Actor.TREASURER):
        raise Http404
    payment = get_object_or_404(Payment.objects.select_related("invoice__order"), pk=pk)
    if not payment.proof or not works_at(request.user, payment.invoice.order.office_id):
        raise Http404
    with private_storage().open(payment.proof.name, "rb") as file:
        kind = uploads.sniff(file)
    download_log(order=payment.invoice.order, document="proof", user=request.user, request=request)
    return private_file_response(
        name=payment.proof.name,
        filename=payment.proof.name.rsplit("/", 1)[-1],
        content_type=kind.content_type if kind else "application/octet-stream",
        attachment=False,
    )
