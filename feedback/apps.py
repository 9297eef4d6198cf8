from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from .receivers import receivers_connect
        from .work import figures_register

        receivers_connect()
        figures_register()
