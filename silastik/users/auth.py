from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from silastik.ratelimit import RateLimit, client_key

AXES_USERNAME_MAX = 255


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
    """Count failed logins per e-mail address regardless of how its case was typed; cut to
    what axes' records hold (255), so an absurdly long address is counted, not a 500."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()[:AXES_USERNAME_MAX]


def axes_client(request: HttpRequest) -> str | None:
    """The address axes counts an account's failures from: an IPv6 /64 as one (its first
    address, which axes' IP column can hold), like every other limit, so rotating addresses
    inside one's own /64 does not get around the account's pause."""
    key = client_key(client_ip(request))
    if key == "unknown":
        return None
    return key.split("/", 1)[0]


# --- Failed logins per client address, across accounts ----------------------------------------
# Axes counts failures per e-mail address and IP; an attacker trying one password on many
# accounts from one address never reaches that limit. This counter takes every failure from the
# address (an IPv6 /64) whatever the account, in windows of the cool-off time. Unlike axes'
# counts, a successful login does not reset it: otherwise logging in to one's own account now
# and then would reset the count of a spray.


def login_address_limit() -> RateLimit:
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return RateLimit("login-failures", settings.LOGIN_FAILURES_PER_ADDRESS, window)


def login_address_locked(request: HttpRequest) -> None:
    """Let AxesMiddleware answer with the lockout page, which tells why (users.views)."""
    request.axes_locked_out = True  # type: ignore[attr-defined]
    request.login_locked_address = True  # type: ignore[attr-defined]


def login_failure_count(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    """Receiver of user_login_failed: one more failure from the client's address."""
    if request is None:
        return
    limit = login_address_limit()
    who = client_key(client_ip(request))
    limit.hit(who)
    if limit.exceeded(who):
        login_address_locked(request)


class AddressThrottleBackend:
    """First of the authentication backends: refuses every login, right or wrong, from an
    address that has used up its failures, before any password is checked. It has no
    get_user(), so sessions (and the tests' force_login) never name it as their backend."""

    def authenticate(self, request: HttpRequest | None, **credentials):
        if request is not None and login_address_limit().exceeded(client_key(client_ip(request))):
            login_address_locked(request)
            raise PermissionDenied
        return None
