from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "dxday.public"
    verbose_name = _("Public portal")

    def ready(self):
        from dxday.campaigns.signals import campaign_changed
        from dxday.public.cache import publication_changed

        # A campaign's settings, recipients or documents changed: public pages are renewed.
        campaign_changed.connect(lambda **kwargs: publication_changed(),
                                 dispatch_uid="public-cache-campaign", weak=False)
