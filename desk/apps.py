from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def desks_ensure(*, apps: Apps = global_apps, **kwargs: object) -> None:
    """An office without any counter gets two to start with; staff rename or add them."""
    # `apps` holds the models as the migrations left them; `flush` sends no `apps`, and then the
    # project's own models are those.
    desk_model = apps.get_model("desk", "Desk")
    if not desk_model.objects.exists():
        desk_model.objects.bulk_create(desk_model(number=n, name=f"Loket {n}") for n in (1, 2))


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Walk-in desk")

    def ready(self) -> None:
        post_migrate.connect(desks_ensure, sender=self, dispatch_uid="desk.desks")
