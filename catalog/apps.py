from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from .services import tariffs_seed_if_empty

        # Also after a test database flush, which empties what data migrations wrote.
        post_migrate.connect(tariffs_seed_if_empty, sender=self, dispatch_uid="catalog.tariffs")
