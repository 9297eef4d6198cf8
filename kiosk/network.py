"""Which office a kiosk page is for, and where it answers: anywhere, or only on the networks of
that office's entrance tablets (the office's `kiosk_networks`)."""

import ipaddress
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from desk.selectors import walk_in_offices
from offices.models import Office
from silastik.users.auth import client_ip


def at_the_office(request: HttpRequest, office: Office) -> bool:
    """True when the office names no kiosk networks, or the client is in one of them."""
    networks = office.kiosk_network_list()
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


def kiosk_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The guest book and the kiosk's rating form of the office in the address (an unknown or
    inactive office is not found), for its entrance tablets only when the office has said
    which networks those are. The view is given the office, and runs on its clock."""

    @wraps(view)
    def wrapped(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        office = get_object_or_404(walk_in_offices(), code=code)
        if not at_the_office(request, office):
            return render(request, "kiosk/elsewhere.html", {"office": office}, status=403)
        # The tablet shows the office's own clock (a ticket's time, today's visits).
        with timezone.override(office.zone):
            return view(request, office, *args, **kwargs)

    return wrapped
