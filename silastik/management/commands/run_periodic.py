from django.conf import settings
from django.core.management.base import BaseCommand

from silastik.celery import app


class Command(BaseCommand):
    help = (
        "Run every task of the beat schedule once, in this process. For machines without a "
        "broker and beat (make run); with Redis, `celery beat` does this on schedule."
    )

    def handle(self, *args, **options):
        app.loader.import_default_modules()
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task = app.tasks[entry["task"]]
            result = task.apply()
            self.stdout.write(f"{name}: {result.result!r}")
