"""An Atom feed of newly published plans (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from dxday.lib.urls import site_url
from dxday.plans.models import Plan


class PublishedPlansFeed(Feed):
    feed_type = Atom1Feed
    title = "dxday — kế hoạch mới công bố / newly published plans"
    subtitle = "Ngày Chuyển đổi số quốc gia"

    # Every address in the feed is absolute from SITE_URL: left relative, the syndication
    # framework would complete it with the request's Host, and the feed is cached for all.
    def link(self):
        return site_url(reverse("public:home"))

    def feed_url(self):
        return site_url(reverse("public:feed"))

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
        return site_url(reverse("public:organisation", args=[plan.organisation.code])
                        + f"#campaign-{plan.campaign.year}")

    def item_pubdate(self, plan):
        return plan.reviewed_at

    def item_updateddate(self, plan):
        return plan.reviewed_at

    def item_guid(self, plan):
        return site_url(f"/plans/{plan.pk}/published/{plan.reviewed_at:%s}")
