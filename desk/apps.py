from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def desks_ensure(**kwargs) -> None:
    """An office without any counter gets two to start with; staff rename or add them."""
    from .models import Desk

    if not Desk.objects.exists():
        Desk.objects.bulk_create(Desk(number=n, name=f"Loket {n}") for n in (1, 2))


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Walk-in desk")

    def ready(self) -> None:
        post_migrate.connect(desks_ensure, sender=self, dispatch_uid="desk.desks")
