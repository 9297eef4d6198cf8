from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "silastik.mail"
    label = "mail"
    verbose_name = _("E-mail")

    def ready(self) -> None:
        from .work import work_sources_register

        work_sources_register()
