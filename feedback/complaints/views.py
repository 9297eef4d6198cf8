"""The public complaint pages: file, thank you, look up by code, status and follow-up, my list."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from offices.selectors import offices_active
from orders.models import Order, OrderStatus
from silastik.ratelimit import RateLimit, client_key
from silastik.users.auth import client_ip
from silastik.users.models import User

from .forms import ComplaintForm, LookupForm, ReplyForm
from .models import Complaint
from .services import (
    REPEAT_WINDOW,
    ComplaintError,
    complaint_code_normalize,
    complaint_reply,
    complaint_submit,
)

FILED_SESSION_KEY = "complaints.filed"
HOUR = 3600
TEN_MINUTES = 600


def _submit_limit() -> RateLimit:
    return RateLimit("complaint-submit", settings.COMPLAINTS_SUBMIT_PER_HOUR, HOUR)


def _reply_limit() -> RateLimit:
    # A conversation needs more room than new complaints do, but not unlimited room.
    return RateLimit("complaint-reply", 2 * settings.COMPLAINTS_SUBMIT_PER_HOUR, HOUR)


def _lookup_limit() -> RateLimit:
    return RateLimit("complaint-lookup", settings.COMPLAINTS_LOOKUPS_PER_10_MINUTES, TEN_MINUTES)


def _who(request: HttpRequest) -> str:
    return client_key(client_ip(request))


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "feedback/complaints/limited.html", {"message": message}, status=429)


def _too_many_complaints(request: HttpRequest) -> HttpResponse:
    return _too_many(
        request,
        _(
            "Many complaints were sent from your network in the last hour. Please try again "
            "later, write to us by e-mail, or use LAPOR!."
        ),
    )


def _preselected(request: HttpRequest, user: User | None) -> dict:
    """The office and order a link to the form names: ?kantor=<office code> (an office's page),
    ?pesanan=<order id> (the customer's order page). A named order's office wins."""
    initial: dict = {}
    code = request.GET.get("kantor", "")[:4]
    if code and offices_active().filter(code=code).exists():
        initial["office"] = code
    order_id = request.GET.get("pesanan", "")
    if user is not None and order_id.isascii() and order_id.isdigit():
        order = (
            Order.objects.filter(pk=order_id, customer=user, office__is_active=True)
            .exclude(status=OrderStatus.DRAFT)
            .select_related("office")
            .first()
        )
        if order is not None:
            initial.update(order=order.pk, office=order.office.code)
    return initial


def complaint_new(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    # Checked before the form and its upload are validated; counted only for a complaint that
    # will be saved, so someone correcting a form is not locked out.
    if request.method == "POST" and _submit_limit().exceeded(_who(request)):
        return _too_many_complaints(request)
    form = ComplaintForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        initial=_preselected(request, user) if request.method == "GET" else None,
    )
    if request.method == "POST" and form.is_valid():
        if _filed_just_now(request, form.cleaned_data):
            return redirect("complaints:thanks")  # this browser's second click on "Send"
        if not _submit_limit().hit(_who(request)):
            return _too_many_complaints(request)
        try:
            complaint = complaint_submit(
                **form.submission(),
                by=user,
                language=request.LANGUAGE_CODE,
                ip=client_ip(request),
            )
        except ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[FILED_SESSION_KEY] = complaint.code
            return redirect("complaints:thanks")
    return render(request, "feedback/complaints/form.html", {"form": form})


def _filed_just_now(request: HttpRequest, data: dict) -> bool:
    """The same text sent again from the browser that just filed it (the code it was given is
    in its session): without an e-mail address, this is how a double click is told apart from
    another filer at the same address."""
    code = request.session.get(FILED_SESSION_KEY)
    if not code:
        return False
    return Complaint.objects.filter(
        code=code,
        text=(data.get("text") or "").strip(),
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).exists()


@never_cache
def complaint_thanks(request: HttpRequest) -> HttpResponse:
    # The code comes from the session, not the URL: only the browser that filed sees this page.
    code = request.session.get(FILED_SESSION_KEY)
    complaint = (
        Complaint.objects.select_related("office").filter(code=code).first() if code else None
    )
    if complaint is None:
        return redirect("complaints:new")
    return render(request, "feedback/complaints/thanks.html", {"complaint": complaint})


def complaint_lookup(request: HttpRequest) -> HttpResponse:
    """Type a code, see its status. Only the status page looks codes up, and counts them."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("complaints:status", form.cleaned_data["code"])
    return render(request, "feedback/complaints/lookup.html", {"form": form})


@never_cache
def complaint_status(request: HttpRequest, code: str) -> HttpResponse:
    # Every look-up counts, found or not: the code is the only key, so guessing must be slow.
    if not _lookup_limit().hit(_who(request)):
        return _too_many(
            request,
            _("Too many tracking codes were looked up from your network. Try again in a while."),
        )
    canonical = complaint_code_normalize(code)
    complaint = (
        Complaint.objects.select_related("order", "office").filter(code=canonical).first()
        if canonical
        else None
    )
    if complaint is None:
        form = LookupForm(initial={"code": code[:40]})
        return render(
            request,
            "feedback/complaints/lookup.html",
            {"form": form, "not_found": True},
            status=404,
        )
    if canonical != code:
        return redirect(complaint)
    reply_form = ReplyForm(request.POST or None)
    if request.method == "POST":
        if not _reply_limit().hit(_who(request)):
            return _too_many(
                request,
                _("Many messages were sent from your network in the last hour. Try again later."),
            )
        if reply_form.is_valid():
            try:
                complaint_reply(
                    complaint=complaint, by=request.user, text=reply_form.cleaned_data["text"]
                )
            except ComplaintError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Your message is added. We will answer it."))
            return redirect(complaint)
    return render(
        request,
        "feedback/complaints/status.html",
        {
            "complaint": complaint,
            "thread": complaint.messages.all(),
            "reply_form": reply_form,
        },
    )


@login_required
def complaint_mine(request: HttpRequest) -> HttpResponse:
    complaints = (
        Complaint.objects.filter(submitted_by=request.user)
        .select_related("order", "office")
        .annotate(message_count=Count("messages"))
        .order_by("-created_at", "-pk")
    )
    return render(request, "feedback/complaints/mine.html", {"complaints": complaints})
