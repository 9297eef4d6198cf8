from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """When a background process last said it was alive: the worker (by running the beat's
    heartbeat task) and beat (each time it looks at its schedule). /healthz reads them."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class RateCounter(models.Model):
    """One window's count of a rate limit (silastik.ratelimit): in the database, so every web
    worker and node counts the same, atomically, whatever cache is configured."""

    name = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"
