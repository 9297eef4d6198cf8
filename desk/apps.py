from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The counters an office starts with; staff rename or add them in the back office.
FIRST_DESKS = (1, 2)


def desks_ensure(*, apps: Apps = global_apps, **kwargs: object) -> None:
    """Every active office without any counter gets two to start with. An office added later
    gets them when its desk page is first opened (desk.services.office_desks_ensure)."""
    # `apps` holds the models as the migrations left them; `flush` sends no `apps`, and then the
    # project's own models are those.
    try:
        desk_model = apps.get_model("desk", "Desk")
        office_model = apps.get_model("offices", "Office")
        desk_model._meta.get_field("office")
    except LookupError:  # migrated back to before offices: nothing to do
        return
    bare = office_model.objects.filter(is_active=True).exclude(
        pk__in=desk_model.objects.values("office")
    )
    desk_model.objects.bulk_create(
        [
            desk_model(office=office, number=n, name=f"Loket {n}")
            for office in bare
            for n in FIRST_DESKS
        ],
        ignore_conflicts=True,
    )


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Walk-in desk")

    def ready(self) -> None:
        post_migrate.connect(desks_ensure, sender=self, dispatch_uid="desk.desks")
