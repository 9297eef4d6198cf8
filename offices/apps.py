from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def portal_cache_clear(**kwargs: object) -> None:
    from django.core.cache import cache

    from .selectors import PORTAL_CACHE_KEY

    cache.delete(PORTAL_CACHE_KEY)


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("Offices")

    def ready(self) -> None:
        # A changed office shows at once on the pages that name the portal's office.
        post_save.connect(
            portal_cache_clear, sender="offices.Office", dispatch_uid="offices.portal"
        )
        post_delete.connect(
            portal_cache_clear, sender="offices.Office", dispatch_uid="offices.portal_delete"
        )
