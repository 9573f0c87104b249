"""Public results (issue 18): what units did after the October window, from their accepted
results, past the campaign's embargo (ActivityOutcome and InitiativeOutcome ``.public()``).

A results page per campaign (plan versus result: totals, by category, by province, the units
whose results are published) and per unit (each activity held or not, its participants and
evidence; each initiative launched or not, with its usage). Each page has a Vietnamese and an
English address and is served in that address's language whatever the visitor's cookie says
(as the year-by-year pages). The figures come from dxday.results.selectors, the one reader of
plan-versus-result figures; the rows from the published tables.
"""

import dataclasses
from html import escape
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from dxday.campaigns.models import Campaign
from dxday.lib.urls import site_url
from dxday.plans.labels import CHOICE_LABELS
from dxday.public.cache import publication_stamp
from dxday.registry.models import Organisation
from dxday.results import schema as results_schema
from dxday.results import selectors as results_selectors
from dxday.results.models import ActivityOutcome, InitiativeOutcome, Result

HELD = ("held", "changed")
# The two addresses of each page, by language.
CAMPAIGN_PAGES = {"vi": "public:results", "en": "public:results_en"}
UNIT_PAGES = {"vi": "public:unit_results", "en": "public:unit_results_en"}


def _language_page(request, pages: dict, language: str, args: list, template: str, context):
    """Render ``template`` in ``language``; ?lang= of the other language leads to the page's
    other address."""
    other = "en" if language == "vi" else "vi"
    if request.GET.get("lang") == other:
        return redirect(pages[other], *args)
    with translation.override(language):
        response = render(request, template, {
            **context(), "page_language": language,
            "alternates": {code: site_url(reverse(name, args=args))
                           for code, name in pages.items()},
            "other_language": {"code": other, "url": reverse(pages[other], args=args),
                               "name": "English" if other == "en" else "Tiếng Việt"},
        })
    response["Content-Language"] = language
    return response


# The campaign results page lists the units with published results a page at a time (3,060
# on the national dataset: 240 kB of links, a third of the page's time).
UNITS_PER_PAGE = 200


def results_page_url(campaign: Campaign, language: str = "") -> str:
    language = language or translation.get_language() or "vi"
    return reverse(CAMPAIGN_PAGES["en" if language == "en" else "vi"], args=[campaign.year])


def campaign_results(request, year: int, language: str):
    """Plan versus result for a campaign: totals, by category, by province, and the units
    whose results are published (each linking to its page)."""
    campaign = get_object_or_404(Campaign, year=year)

    def context():
        figures = results_selectors.plan_vs_result(campaign, public=True)
        activities = figures["activities"]
        # Up to thousands of units (communes): their list built here with escaping, several
        # times faster than a template loop (as the campaign page's).
        base = reverse(UNIT_PAGES[language], args=[year, "CODE"]).replace("CODE/", "")
        units = Paginator(results_selectors.published_units(campaign), UNITS_PER_PAGE).get_page(
            request.GET.get("page"))
        units_html = mark_safe("\n".join(  # noqa: S308 - every value escaped just here
            f'<li><a href="{base}{quote(code)}/">{escape(name)}</a></li>'
            for code, name in units))
        return {"campaign": campaign, "figures": figures,
                "took_place": activities["held"] + activities["changed"],
                "published": campaign.is_published(), "units": units, "page": units,
                "units_html": units_html}

    return _language_page(request, CAMPAIGN_PAGES, language, [year],
                          "public/results.html", context)


def _link(url: str) -> str:
    """An evidence address shown as a link only when it is a web address (http, https)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


@dataclasses.dataclass
class Evidence:
    url: str
    href: str  # "" when it is not a web address: shown as text


def unit_results(request, year: int, code: str, language: str):
    """A unit's published results: each activity (held, changed or not held) with its
    participants, reach and evidence; each initiative launched or not, with its usage.
    Nothing published yet (no accepted results, or the campaign under its embargo): the page
    says so and shows no row, no figure; a unit's draft or submitted results never show."""
    campaign = get_object_or_404(Campaign, year=year)
    organisation = get_object_or_404(Organisation, code=code)
    if not campaign.recipients.filter(pk=organisation.pk).exists():
        # A unit the campaign did not ask (as the plan-versus-result API answers, and as the
        # campaign's figures and list leave it out).
        raise Http404("Not a recipient of this campaign")
    result = Result.objects.filter(campaign=campaign, organisation=organisation,
                                   status=Result.Status.ACCEPTED).first()
    if result is not None and not campaign.is_published():
        result = None

    def context():
        if result is None:
            return {"campaign": campaign, "organisation": organisation, "result": None,
                    "campaign_page": reverse(CAMPAIGN_PAGES[language], args=[year])}
        figures = results_selectors.unit_plan_vs_result(campaign, organisation, public=True)
        activities = list(ActivityOutcome.objects.public().filter(result=result)
                          .select_related("province").order_by("position", "pk"))
        categories = CHOICE_LABELS["category"]
        for a in activities:
            a.category_label = categories.get(a.category, a.category)
            a.links = [Evidence(url, _link(url)) for url in a.evidence or []]
            a.participants = ((a.participants_in_person or 0) + (a.participants_online or 0)
                              if a.participants_in_person is not None
                              or a.participants_online is not None else None)
        initiatives = list(InitiativeOutcome.objects.public().filter(result=result)
                           .order_by("position", "pk"))
        for n in initiatives:
            n.href = _link(n.url)
            n.measure_label = str(results_schema.USAGE_MEASURE.get(n.usage_measure,
                                                                   n.usage_measure)).lower()
        return {
            "campaign": campaign, "organisation": organisation, "result": result,
            "figures": figures, "took_place": (figures["activities"]["held"]
                                               + figures["activities"]["changed"]),
            "activities": activities, "initiatives": initiatives,
            "campaign_page": reverse(CAMPAIGN_PAGES[language], args=[year]),
        }

    return _language_page(request, UNIT_PAGES, language, [year, code],
                          "public/unit_results.html", context)


# --- year by year and national trends ------------------------------------------------------

@dataclasses.dataclass
class YearResults:
    """A body's published results for one campaign (None figures: nothing published), counted
    as plan versus result counts them: activities held are the planned ones that took place
    (held as planned or with changes), added ones apart; participants of every row;
    initiatives launched among the planned ones."""

    published: bool = False
    activities_held: int | None = None
    activities_added: int | None = None
    participants: int | None = None
    initiatives_launched: int | None = None


def year_results(pairs: list[tuple[int, int]], now=None) -> dict[tuple[int, int], YearResults]:
    """(campaign pk, organisation pk) → that body's published results figures, from the
    plan-versus-result selector (unit_counts, per campaign). Published only: accepted
    results, the campaign past its embargo."""
    now = now or timezone.now()
    by_campaign: dict[int, list[int]] = {}
    for campaign_id, organisation_id in pairs:
        by_campaign.setdefault(campaign_id, []).append(organisation_id)
    published = {(c, o) for c, o in Result.objects.filter(
        campaign_id__in=by_campaign, organisation_id__in={o for _, o in pairs},
        status=Result.Status.ACCEPTED)
        .filter(Q(campaign__publish_from__isnull=True) | Q(campaign__publish_from__lte=now))
        .values_list("campaign_id", "organisation_id")}
    found = {pair: YearResults() for pair in pairs}
    for campaign in Campaign.objects.filter(pk__in={c for c, _ in published}):
        ids = [o for o in by_campaign[campaign.pk] if (campaign.pk, o) in published]
        for organisation_id, figures in results_selectors.unit_counts(campaign, ids,
                                                                      public=True).items():
            a = figures["activities"]
            found[(campaign.pk, organisation_id)] = YearResults(
                True, a["held"] + a["changed"], a["added"], figures["participants"]["total"],
                figures["initiatives"]["launched"])
    return found


def trends(now=None) -> list[dict]:
    """National figures per campaign, oldest first, from the plan-versus-result selector
    (published figures: plans and results past the embargo): expected units, plans accepted,
    results accepted, activities planned, held (the planned ones that took place) and added,
    participants, initiatives launched (among the planned)."""
    found = []
    for campaign in Campaign.objects.order_by("year"):
        figures = results_selectors.plan_vs_result(campaign, public=True)
        found.append({
            "year": campaign.year,
            "published": campaign.is_published(now),
            "expected_units": figures["units"]["expected"],
            "plans_accepted": figures["units"]["plans_accepted"],
            "results_accepted": figures["units"]["results_accepted"],
            "activities_planned": figures["activities"]["planned"],
            "activities_held": figures["activities"]["held"] + figures["activities"]["changed"],
            "activities_added": figures["activities"]["added"],
            "participants": figures["participants"]["total"],
            "initiatives_launched": figures["initiatives"]["launched"],
        })
    return found



def cached_trends() -> list[dict]:
    """trends(), kept under the publication stamp (renewed by every review, publication and
    admin edit, as the public pages) and at most PUBLIC_CACHE_SECONDS, never past the end of
    an embargo: every unit's year-by-year page shows them, and they count every campaign's
    rows."""
    key = f"dxday:trends:{publication_stamp()}"
    found = cache.get(key)
    if found is None:
        found = trends()
        now = timezone.now()
        seconds = settings.PUBLIC_CACHE_SECONDS
        for publish_from in (Campaign.objects.filter(publish_from__gt=now)
                             .values_list("publish_from", flat=True)):
            seconds = min(seconds, max(1, int((publish_from - now).total_seconds())))
        cache.set(key, found, seconds)
    return found
