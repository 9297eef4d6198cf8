"""Catalog reads from a read replica, for when the national catalog outgrows one database
server (docs/operations.md, *PostgreSQL for the national network*).

Behind a setting: with `READ_REPLICA_DATABASE` empty (the default) nothing changes. Set, the
public catalog's GET and HEAD requests (`READ_REPLICA_PATHS`) read the models of
`READ_REPLICA_APPS` (products, codebooks, regions, tariffs, offices) from that database.
Everything else stays on the primary: every write, every transaction's locks
(select_for_update is a write), orders, accounts and sessions, the back office, the desk and
the worker, so a change staff make is read back from where it was made and nothing that
decides money or state ever reads a replica that lags.

The core imports no app: the apps are named in settings, not imported here.
"""

import re
from contextvars import ContextVar

from django.conf import settings

_catalog_request: ContextVar[bool] = ContextVar("silastik_replica_reads", default=False)


def _replica() -> str:
    return getattr(settings, "READ_REPLICA_DATABASE", "") or ""


class ReplicaReadsMiddleware:
    """Marks the public catalog's safe requests: only their reads may go to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not _replica()
            or request.method not in ("GET", "HEAD")
            or not re.match(settings.READ_REPLICA_PATHS, request.path_info)
        ):
            return self.get_response(request)
        token = _catalog_request.set(True)
        try:
            return self.get_response(request)
        finally:
            _catalog_request.reset(token)


class ReadReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = _replica()
        if alias and _catalog_request.get() and model._meta.app_label in settings.READ_REPLICA_APPS:
            return alias
        return None  # the primary

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows: a product read from it may be put on an order.
        both = {obj1._state.db, obj2._state.db}
        return both <= {"default", _replica()} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None
