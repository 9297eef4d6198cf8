"""The error pages in the portal's own layout and in the visitor's language, each with a way
back. The 500 page stands alone: whatever failed (the database, a template) must not fail it."""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def _back(request: HttpRequest) -> str:
    """Where "back" leads: the page the visitor came from when it is ours, else the home."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        ours = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    except DisallowedHost:
        ours = False
    return referer if referer and ours else "/"


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, {"back_url": _back(request)}, status=status)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/404.html", 404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/403.html", 403)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/400.html", 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long, or after logging in elsewhere."""
    return _error(request, "errors/403_csrf.html", 403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: they read the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
