from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "dxday.backoffice"
    verbose_name = _("Agency back office")
