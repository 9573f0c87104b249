from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "dxday.backoffice"
    verbose_name = _("Agency back office")

    def ready(self):
        # Imported once the app registry is ready (it reads the results' models): the
        # scheduled reminders then include results reminders.
        from dxday.backoffice.reminders import register_results_reminders

        register_results_reminders()
