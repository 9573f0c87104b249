"""Public pages: home and campaign pages. Read-only, no login."""

from itertools import groupby

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dxday.campaigns.models import Campaign
from dxday.lib.text import sort_key
from dxday.plans.models import Plan
from dxday.registry.models import Organisation

KIND_ORDER = [Organisation.Kind.MINISTRY, Organisation.Kind.MINISTERIAL_AGENCY,
              Organisation.Kind.GOVERNMENT_AGENCY, Organisation.Kind.CITY,
              Organisation.Kind.PROVINCE, Organisation.Kind.COMMUNE, Organisation.Kind.OTHER]


def current_campaign(campaigns):
    """This year's campaign, or else the latest one."""
    year = timezone.localdate().year
    return next((c for c in campaigns if c.year == year), campaigns[0] if campaigns else None)


def home(request):
    campaigns = list(Campaign.objects.select_related("organiser")
                     .annotate(recipients_count=Count("recipients")).order_by("-year"))
    return render(request, "public/home.html", {
        "campaigns": campaigns, "current": current_campaign(campaigns),
    })


def campaign_detail(request, year: int):
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), year=year)
    links = list(campaign.campaign_documents.select_related("document"))
    recipients = sorted(campaign.recipients.all(),
                        key=lambda o: (KIND_ORDER.index(o.kind), sort_key(o.short_name or o.name)))
    # The public tracking figures: a draft is the unit's own business ("not submitted").
    plans = {p.organisation_id: p for p in Plan.objects.filter(campaign=campaign).exclude(
        status=Plan.Status.DRAFT)}
    for org in recipients:
        org.public_plan = plans.get(org.pk)
    groups = [
        {"kind": kind, "label": Organisation.Kind(kind).label, "items": list(items)}
        for kind, items in groupby(recipients, key=lambda o: o.kind)
    ]
    return render(request, "public/campaign.html", {
        "campaign": campaign,
        "legal_basis": [lk for lk in links if lk.role == "legal_basis"],
        "other_documents": [lk for lk in links if lk.role != "legal_basis"],
        "groups": groups, "recipients_count": len(recipients),
    })
