from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScannerConfig(AppConfig):
    name = "dxday.scanner"
    label = "scanner"
    verbose_name = _("Identity-kit display check")
    default_auto_field = "django.db.models.BigAutoField"
