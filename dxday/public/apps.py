from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.signals import campaign_changed
from dxday.plans import signals as plans
from dxday.public import cache
from dxday.registry.signals import organisation_changed, reference_loaded
from dxday.results import signals as results


class PublicConfig(AppConfig):
    name = "dxday.public"
    verbose_name = _("Public portal")

    def ready(self):
        # The search index reads models, which can be imported only once the apps are ready.
        from dxday.public import search

        # The apps below tell what changed; the portal renews its pages (cache.py) and its index.
        for signal, receiver in ((campaign_changed, cache.publication_changed),
                                 (organisation_changed, cache.publication_changed),
                                 (plans.plan_changed, cache.publication_changed),
                                 (plans.plan_submitted, cache.tracking_changed),
                                 (plans.plan_unpublishing, search.drop_plan_entries),
                                 (plans.plan_published, search.index_plan),
                                 (reference_loaded, search.index_registry),
                                 (results.results_changed, cache.publication_changed),
                                 (results.results_submitted, cache.tracking_changed),
                                 (results.results_published, search.index_results)):
            signal.connect(receiver, dispatch_uid=f"public-{receiver.__name__}")
