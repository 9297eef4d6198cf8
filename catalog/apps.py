from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from .services import tariffs_seed_if_empty

        # Also after a test database flush, which empties what data migrations wrote.
        post_migrate.connect(tariffs_seed_if_empty, sender=self, dispatch_uid="catalog.tariffs")
        # A product saved or deleted makes every cached search stale (catalog.search), and so
        # does a subject or an office (their slugs and codes name them in searches). Named
        # senders only: a receiver of every model's deletes would end Django's fast deletes.
        from offices.models import Office

        from .models import Dataset, DigitalMap, Product, Publication, Subject

        for model in (Product, Publication, Dataset, DigitalMap, Subject, Office):
            uid = f"catalog.search.{model.__name__}"
            post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}.saved")
            post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}.deleted")


def _catalog_changed(sender, **kwargs) -> None:
    from .search import catalog_changed

    # After the commit: a search run meanwhile must not cache the old rows as new.
    transaction.on_commit(catalog_changed)
