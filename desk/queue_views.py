"""The public queue display of an office: the numbers each of its desks serves, refreshed by htmx
every few seconds."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .selectors import queue_board, walk_in_offices


def offices_choice(request: HttpRequest, *, target: str, title: str) -> HttpResponse:
    """The active offices to choose from, for an address without an office's code (the kiosk,
    the display); straight to the office's page when there is only one."""
    offices = list(walk_in_offices())
    if len(offices) == 1:
        return redirect(target, offices[0].code)
    return render(
        request, "desk/offices.html", {"offices": offices, "target": target, "title": title}
    )


@never_cache
def offices(request: HttpRequest) -> HttpResponse:
    return offices_choice(request, target="queue:display", title=_("Queue display"))


@never_cache
def display(request: HttpRequest, code: str) -> HttpResponse:
    office = get_object_or_404(walk_in_offices(), code=code)
    return render(
        request,
        "desk/queue/display.html",
        {"office": office, "board": queue_board(office=office)},
    )


@never_cache
def board(request: HttpRequest, code: str) -> HttpResponse:
    office = get_object_or_404(walk_in_offices(), code=code)
    return render(
        request, "desk/queue/_board.html", {"office": office, "board": queue_board(office=office)}
    )
