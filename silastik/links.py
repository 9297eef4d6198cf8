"""Absolute links for e-mails and documents, which leave the request behind."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """SITE_URL joined with an absolute path ("/pesanan/7/")."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_reverse(viewname: str, *args: object) -> str:
    return absolute_url(reverse(viewname, args=args or None))
