"""The entrance tablet's rating form: a walk-in visitor rates today's visit by ticket and PIN.

No login, and nothing private on any page: the ticket number is all a page ever shows.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from desk.kiosk import kiosk_only
from desk.models import Visit
from silastik.ratelimit import RateLimit, client_key
from silastik.users.auth import client_ip

from .forms import RatingForm
from .services import FeedbackError
from .walk_in import visit_for_rating, visit_rating_submit

TEN_MINUTES = 600
# The rating form carries the visit it rates, signed: after this long the ticket is asked again.
FORM_SALT = "feedback.kiosk-rating"
FORM_MAX_AGE = 15 * 60
# Back to the start after the thank-you, ready for the next visitor.
RESTART_SECONDS = 8


class TicketForm(forms.Form):
    ticket = forms.CharField(
        label=gettext_lazy("Queue number"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center fs-1",
                "placeholder": "A-007",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    pin = forms.CharField(
        label=gettext_lazy("PIN on your ticket"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center fs-1",
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": "[0-9]*",
                "placeholder": "••••••",
            }
        ),
    )


def _limit() -> RateLimit:
    # Every look-up counts, right or wrong, so guessing must be slow; a ticket also locks after
    # a few wrong PINs (walk_in.PIN_ATTEMPTS).
    # The tablet is one address for all visitors, and a rating takes minutes: the room is ample.
    per_ten_minutes = settings.KIOSK_RATING_LOOKUPS_PER_10_MINUTES
    return RateLimit("kiosk-rating", per_ten_minutes, TEN_MINUTES)


def _start(
    request: HttpRequest, form: TicketForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    errors = [error] if error else list(form.non_field_errors())
    return render(
        request, "feedback/kiosk/start.html", {"form": form, "errors": errors}, status=status
    )


def _rate(request: HttpRequest, visit: Visit, form: RatingForm, token: str) -> HttpResponse:
    return render(
        request,
        "feedback/kiosk/rate.html",
        {"ticket": visit.ticket, "form": form, "token": token},
    )


@never_cache
@kiosk_only
def start(request: HttpRequest) -> HttpResponse:
    """Type the ticket's number and PIN; a match opens the rating form."""
    if request.method != "POST":
        return _start(request, TicketForm())
    form = TicketForm(request.POST)
    if not _limit().hit(client_key(client_ip(request))):
        form.add_error(
            None, _("Too many attempts at this tablet just now. Please ask the staff at the desk.")
        )
        return _start(request, form, status=429)
    if not form.is_valid():
        return _start(request, form)
    try:
        visit = visit_for_rating(ticket=form.cleaned_data["ticket"], pin=form.cleaned_data["pin"])
    except FeedbackError as exc:
        form.add_error(None, exc.message)
        return _start(request, form)
    token = signing.dumps({"visit": visit.pk}, salt=FORM_SALT)
    return _rate(request, visit, RatingForm(), token)


def _restart(request: HttpRequest, message: str) -> HttpResponse:
    return _start(request, TicketForm(), error=message)


@never_cache
@kiosk_only
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        data = signing.loads(token, salt=FORM_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return _restart(
            request, _("The time for this rating ran out. Please type your ticket again.")
        )
    visit = Visit.objects.filter(pk=data.get("visit")).first()
    if visit is None:
        return _restart(request, _("Please type your ticket again."))
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _rate(request, visit, form, token)
    try:
        visit_rating_submit(visit=visit, scores=form.scores(), comment=form.cleaned_data["comment"])
    except FeedbackError as exc:
        return _restart(request, exc.message)
    return redirect("kiosk_rating:thanks")


@never_cache
@kiosk_only
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/kiosk/thanks.html", {"restart_seconds": RESTART_SECONDS})
