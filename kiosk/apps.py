from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KioskConfig(AppConfig):
    """The entrance tablet: the guest book, the queue ticket and the rating of a walk-in visit.

    No models of its own: it signs visitors in through desk's services and records their
    ratings through feedback's models; nothing imports it."""

    name = "kiosk"
    verbose_name = _("Kiosk")
