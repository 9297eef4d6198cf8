"""The entrance tablet's rating form: a walk-in visitor rates today's visit to the office by
ticket and PIN.

No login, and nothing private on any page: the ticket number is all a page ever shows.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from desk.models import Visit
from feedback.forms import RatingForm
from feedback.services import FeedbackError
from offices.models import Office
from silastik.ratelimit import RateLimit, client_key
from silastik.users.auth import client_ip

from .forms import TicketForm
from .network import kiosk_only
from .rating import visit_for_rating, visit_rating_submit

TEN_MINUTES = 600
# The rating form carries the visit it rates, signed: after this long the ticket is asked again.
# (The salt keeps its old name: another one would void the forms open on the tablets.)
FORM_SALT = "feedback.kiosk-rating"
FORM_MAX_AGE = 15 * 60
# Back to the start after the thank-you, ready for the next visitor.
RESTART_SECONDS = 8


def _limit() -> RateLimit:
    # Every look-up counts, right or wrong, so guessing must be slow; a ticket also locks after
    # a few wrong PINs (rating.PIN_ATTEMPTS).
    # The tablet is one address for all visitors, and a rating takes minutes: the room is ample.
    per_ten_minutes = settings.KIOSK_RATING_LOOKUPS_PER_10_MINUTES
    return RateLimit("kiosk-rating", per_ten_minutes, TEN_MINUTES)


def _start(
    request: HttpRequest,
    office: Office,
    form: TicketForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    errors = [error] if error else list(form.non_field_errors())
    return render(
        request,
        "kiosk/rating/start.html",
        {"office": office, "form": form, "errors": errors},
        status=status,
    )


def _rate(
    request: HttpRequest, office: Office, visit: Visit, form: RatingForm, token: str
) -> HttpResponse:
    return render(
        request,
        "kiosk/rating/rate.html",
        {"office": office, "ticket": visit.ticket, "form": form, "token": token},
    )


@never_cache
@kiosk_only
def start(request: HttpRequest, office: Office) -> HttpResponse:
    """Type the ticket's number and PIN; a match of the office's day opens the rating form."""
    if request.method != "POST":
        return _start(request, office, TicketForm())
    form = TicketForm(request.POST)
    if not _limit().hit(client_key(client_ip(request))):
        form.add_error(
            None, _("Too many attempts at this tablet just now. Please ask the staff at the desk.")
        )
        return _start(request, office, form, status=429)
    if not form.is_valid():
        return _start(request, office, form)
    try:
        visit = visit_for_rating(
            office=office, ticket=form.cleaned_data["ticket"], pin=form.cleaned_data["pin"]
        )
    except FeedbackError as exc:
        form.add_error(None, exc.message)
        return _start(request, office, form)
    token = signing.dumps({"visit": visit.pk}, salt=FORM_SALT)
    return _rate(request, office, visit, RatingForm(), token)


def _restart(request: HttpRequest, office: Office, message: str) -> HttpResponse:
    return _start(request, office, TicketForm(), error=message)


@never_cache
@kiosk_only
@require_POST
def submit(request: HttpRequest, office: Office) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return _restart(
            request, office, _("The time for this rating ran out. Please type your ticket again.")
        )
    # The form rates a visit to this office only: another office's tablet cannot send it.
    visit = Visit.objects.filter(pk=data.get("visit"), office=office).first()
    if visit is None:
        return _restart(request, office, _("Please type your ticket again."))
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _rate(request, office, visit, form, token)
    try:
        visit_rating_submit(visit=visit, scores=form.scores(), comment=form.cleaned_data["comment"])
    except FeedbackError as exc:
        return _restart(request, office, exc.message)
    return redirect("kiosk_rating:thanks", office.code)


@never_cache
@kiosk_only
def thanks(request: HttpRequest, office: Office) -> HttpResponse:
    return render(
        request,
        "kiosk/rating/thanks.html",
        {"office": office, "restart_seconds": RESTART_SECONDS},
    )
