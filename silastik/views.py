from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
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


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and monitoring: the database and the broker."""
    state = {"database": _database_state(), "broker": _broker_state()}
    # A broker outage delays background work but loses none (outbox, sweeps), so the web node
    # stays in service: 503 only when the database is gone.
    if state["database"] != "ok":
        return JsonResponse({"status": "error", **state}, status=503)
    status = "degraded" if state["broker"] == "down" else "ok"
    return JsonResponse({"status": status, **state})
