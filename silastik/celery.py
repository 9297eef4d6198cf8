import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silastik.settings.local")

app = Celery("silastik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def django_logging(**kwargs) -> None:
    """Workers and beat log as the web does (UTC, request ids, errors to ADMINS), instead of
    Celery's own set-up."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
