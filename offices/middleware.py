"""The back office works on its office's clock."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .selectors import office_of


class OfficeTimeZoneMiddleware:
    """Times on pages follow the office of the person reading them: Tana Tidung's staff read
    WITA. Everyone else reads the portal's zone (WIB)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        office = office_of(user) if user is not None and user.is_authenticated else None
        if office is not None:
            timezone.activate(office.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
