"""Heartbeats of the background processes, so that /healthz can say whether the worker and
beat are alive. The worker beats by running a task the beat schedules every minute; beat beats
by itself, each time its scheduler ticks. A stale worker with a fresh beat is a worker down (or
far behind); both stale is beat down, or both."""

from datetime import datetime, timedelta

from celery.beat import PersistentScheduler
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

WORKER, BEAT = "worker", "beat"
# Beat ticks every few seconds; one write a while is enough to know it is alive.
BEAT_WRITE_EVERY = timedelta(seconds=30)
# Older than this, a process counts as gone (the worker's task runs every 60 s).
STALE_AFTER = timedelta(minutes=3)


def heartbeat_record(name: str, *, at: datetime | None = None) -> None:
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})


def heartbeat_ages(*, now: datetime | None = None) -> dict[str, int | None]:
    """Seconds since each process last beat; None for one that never did."""
    from .models import Heartbeat

    now = now or timezone.now()
    seen = dict(Heartbeat.objects.filter(name__in=[WORKER, BEAT]).values_list("name", "at"))
    return {
        name: (int((now - seen[name]).total_seconds()) if name in seen else None)
        for name in (WORKER, BEAT)
    }


def heartbeat_fresh(age: int | None) -> bool:
    return age is not None and age <= STALE_AFTER.total_seconds()


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's own scheduler, which also records that beat is alive."""

    _last_beat: datetime | None = None

    def tick(self, *args, **kwargs):
        now = timezone.now()
        if self._last_beat is None or now - self._last_beat >= BEAT_WRITE_EVERY:
            try:
                # Beat serves no requests, so nothing else drops a connection the database
                # closed (a restart): without this, one restart would stale beat for good.
                close_old_connections()
                heartbeat_record(BEAT, at=now)
                self._last_beat = now
            except DatabaseError:  # the database is away: beat goes on, healthz will say so
                pass
        return super().tick(*args, **kwargs)
