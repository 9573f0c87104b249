"""An Atom feed of newly published plans (django.contrib.syndication)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from dxday.plans.models import Plan


class PublishedPlansFeed(Feed):
    feed_type = Atom1Feed
    title = "dxday — kế hoạch mới công bố / newly published plans"
    subtitle = "Ngày Chuyển đổi số quốc gia"

    def link(self):
        return reverse("public:home")

    def items(self):
        from django.db.models import Q
        from django.utils import timezone

        return (Plan.objects.filter(status=Plan.Status.ACCEPTED)
                .filter(Q(campaign__publish_from__isnull=True)
                        | Q(campaign__publish_from__lte=timezone.now()))
                .select_related("campaign", "organisation").order_by("-reviewed_at")[:50])

    def item_title(self, plan):
        return f"{plan.organisation.name} — {plan.campaign.title}"

    def item_description(self, plan):
        return (f"{plan.activities.count()} hoạt động, {plan.initiatives.count()} sáng kiến số"
                f" / activities, digital initiatives")

    def item_link(self, plan):
        return reverse("public:organisation", args=[plan.organisation.code]) + \
            f"#campaign-{plan.campaign.year}"

    def item_pubdate(self, plan):
        return plan.reviewed_at

    def item_updateddate(self, plan):
        return plan.reviewed_at

    def item_guid(self, plan):
        return f"{settings.SITE_URL.rstrip('/')}/plans/{plan.pk}/published/{plan.reviewed_at:%s}"
