"""Where the kiosk pages answer: anywhere, or only on the office's own network."""

import ipaddress
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from silastik.users.auth import client_ip


def at_the_office(request: HttpRequest) -> bool:
    """True when no KIOSK_NETWORKS are set, or the client is in one of them."""
    networks = settings.KIOSK_NETWORKS
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def kiosk_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The guest book and the kiosk's rating form, for the tablets at the entrance only when the
    office has said which networks those are."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not at_the_office(request):
            return render(request, "kiosk/elsewhere.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
