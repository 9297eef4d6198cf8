from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from silastik.celery import app as celery_app
from silastik.users.services import user_language_set


def home(request: HttpRequest):
    return render(request, "home.html")


@require_POST
def language_set(request: HttpRequest):
    response = set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "ok"


def _broker_state() -> str:
    if celery_app.conf.task_always_eager:
        return "not configured"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "down"
    return "ok"


def health_details() -> dict[str, object]:
    """The detailed answer of /healthz, one entry per check: add further checks here."""
    details: dict[str, object] = {"database": _database_state(), "broker": _broker_state()}
    if details["database"] == "ok":
        details.update(_background_state())
    return details


def _background_state() -> dict[str, object]:
    """Whether the worker and beat are alive (their heartbeats, silastik/heartbeats.py), and
    how much mail waits in the outbox and for how long."""
    from django.db.models import Min
    from django.utils import timezone

    from .heartbeats import heartbeat_ages, heartbeat_fresh
    from .mail.models import OutboundEmail

    now = timezone.now()
    ages = heartbeat_ages(now=now)
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    state: dict[str, object] = {}
    for name, age in ages.items():
        state[name] = "ok" if heartbeat_fresh(age) else "stale"
        state[f"{name}_age"] = age
    state["outbox_pending"] = pending["count"]
    state["outbox_oldest_age"] = (
        int((now - pending["oldest"]).total_seconds()) if pending["oldest"] else None
    )
    return state


def _health_details_allowed(request: HttpRequest) -> bool:
    """Staff, or a monitor sending the X-Healthz-Token header (HEALTHZ_TOKEN)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (user.is_staff or user.is_superuser):
        return True
    expected = settings.HEALTHZ_TOKEN
    given = request.headers.get("X-Healthz-Token", "")
    return bool(expected) and constant_time_compare(given, expected)


@never_cache
def back_office_check(request: HttpRequest) -> HttpResponse:
    """nginx's question before it accepts a large upload to the back office (auth_request in
    deploy/nginx/silastik-proxy.conf): 204 for an active back-office account's session, else
    401, and nginx refuses the request before reading its body."""
    user = request.user
    allowed = user.is_authenticated and user.is_active and user.is_staff
    return HttpResponse(status=204 if allowed else 401)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: {"status": "ok"}, or 503 {"status": "down"} without the
    database. What runs behind the node is told only to staff and to monitors with the token."""
    if not _health_details_allowed(request):
        if _database_state() != "ok":
            return JsonResponse({"status": "down"}, status=503)
        return JsonResponse({"status": "ok"})
    details = health_details()
    # A broker outage delays background work but loses none (outbox, sweeps), so the web node
    # stays in service: 503 only when the database is gone.
    if details["database"] != "ok":
        return JsonResponse({"status": "error", **details}, status=503)
    status = "degraded" if {"down", "stale"} & set(details.values()) else "ok"
    return JsonResponse({"status": status, **details})
