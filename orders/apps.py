from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from .verification import verification_resolvers_register
        from .work import work_sources_register

        verification_resolvers_register()
        work_sources_register()
