"""What the logs carry: every line in UTC with the request it belongs to, so the lines of one
request can be found across web nodes, and server errors and failed tasks reach people."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# A request id given by the proxy in front (nginx's $request_id), when it looks like one.
_GIVEN = re.compile(r"[A-Za-z0-9._-]{8,64}")


class UTCFormatter(logging.Formatter):
    """Every node writes the same clock: offices are in WIB, WITA and WIT, logs in UTC."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return super().formatTime(record, datefmt or "%Y-%m-%dT%H:%M:%S") + "Z"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """Names each request (the proxy's X-Request-ID, else a new one) for its log lines, and
    answers with it so a person reporting a fault can quote it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _GIVEN.fullmatch(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs a failed request's response after the
        # middleware has returned it. The next request on this thread sets its own.
        request_id.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def sentry_init(dsn: str, *, environment: str) -> None:
    """Server errors and failed tasks to Sentry, when SENTRY_DSN is set (`pip install
    ".[sentry]"`). No personal data is sent."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
    )
