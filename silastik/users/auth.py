from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind PROXY_COUNT trusted reverse proxies it is the entry the
    outermost proxy appended to X-Forwarded-For; entries further left are the client's own
    claims and can be forged, so they never count."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """Count failed logins per e-mail address regardless of how its case was typed."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()
