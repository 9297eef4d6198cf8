from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "silastik.verification"
    label = "verification"
    verbose_name = _("Document verification")
