from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from .receivers import receivers_connect
        from .verification import verification_resolvers_register
        from .work import work_sources_register

        receivers_connect()
        verification_resolvers_register()
        work_sources_register()
