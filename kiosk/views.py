"""The entrance tablet of an office: the guest book and the ticket. No login, and nothing private
in reach."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from desk.models import Visit, VisitStatus
from desk.queue_views import offices_choice
from desk.services import DeskError, ticket_issue
from offices.models import Office
from silastik.ratelimit import RateLimit, client_key
from silastik.users.auth import client_ip

from .forms import GuestBookForm
from .network import kiosk_only

# The ticket shown once, to the browser that took it: a back button or the tablet's history
# must not show the next visitor the PIN.
SESSION_TICKET = "kiosk.ticket"
TEN_MINUTES = 600


def _limit() -> RateLimit:
    # The tablet is one address for every visitor: generous, but a script cannot flood the queue.
    return RateLimit("desk-ticket", settings.DESK_TICKETS_PER_10_MINUTES, TEN_MINUTES)


@never_cache
def offices(request: HttpRequest) -> HttpResponse:
    return offices_choice(request, target="kiosk:guest_book", title=_("Guest book"))


@never_cache
def rating_offices(request: HttpRequest) -> HttpResponse:
    return offices_choice(request, target="kiosk_rating:start", title=_("Rate our service"))


@never_cache
@kiosk_only
def guest_book(request: HttpRequest, office: Office) -> HttpResponse:
    form = GuestBookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _limit().hit(client_key(client_ip(request))):
            form.add_error(
                None, _("Too many tickets were taken here just now. Please ask the staff.")
            )
        else:
            try:
                visit, returning = ticket_issue(
                    office=office,
                    entry=form.entry(),
                    submission_key=form.cleaned_data["submission"],
                )
            except DeskError as exc:
                form.add_error(None, exc.message)
            else:
                request.session[SESSION_TICKET] = {"visit": visit.pk, "back": returning}
                return redirect("kiosk:ticket", office.code)
    return render(request, "kiosk/guest_book.html", {"form": form, "office": office})


@never_cache
@kiosk_only
def ticket(request: HttpRequest, office: Office) -> HttpResponse:
    data = request.session.pop(SESSION_TICKET, None)
    visit = (
        Visit.objects.select_related("visitor").filter(pk=data["visit"], office=office).first()
        if data
        else None
    )
    if visit is None:
        return redirect("kiosk:guest_book", office.code)
    ahead = Visit.objects.filter(
        office=office,
        day=visit.day,
        service=visit.service,
        status=VisitStatus.WAITING,
        issued_at__lt=visit.issued_at,
    ).count()
    return render(
        request,
        "kiosk/ticket.html",
        {"office": office, "visit": visit, "returning": data["back"], "ahead": ahead},
    )
