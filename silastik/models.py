from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """When a background process last said it was alive: the worker (by running the beat's
    heartbeat task) and beat (each time it looks at its schedule). /healthz reads them."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
