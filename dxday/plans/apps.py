from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "dxday.plans"
    verbose_name = _("Plans")

    def ready(self):
        # Imported once the app registry is ready: services import the models.
        from dxday.campaigns.signals import round_deadline_set
        from dxday.plans.services import plans_round_timeliness

        round_deadline_set.connect(plans_round_timeliness, dispatch_uid="plans-round-timeliness")
