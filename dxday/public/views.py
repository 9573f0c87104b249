"""Public pages: read-only, no login, published data only (cached by PublicCacheMiddleware)."""

import calendar as calendar_module
import datetime
from collections import Counter
from html import escape
from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.lib.text import sort_key
from dxday.lib.urls import site_url
from dxday.plans import continuity, selectors
from dxday.plans.labels import CHOICE_LABELS
from dxday.plans.models import Activity, Initiative, Plan
from dxday.plans.uploads import CONTENT_TYPES, document_filename, stored_kind
from dxday.public import opendata, results
from dxday.public.search import search as run_search
from dxday.registry.models import Document, Organisation, Succession
from dxday.results import selectors as results_selectors
from dxday.results.models import Result

CATEGORIES = list(CHOICE_LABELS["category"])
SEARCH_TYPES = {"organisation": _("Organisation"), "activity": _("Activity"),
                "initiative": _("Digital initiative"), "document": _("Document"),
                "activity_held": _("Activity held")}
FORMATS = list(CHOICE_LABELS["format"])
BENEFICIARIES = list(CHOICE_LABELS["beneficiaries"])

# Months the calendar shows: wide enough for every campaign, far from the date limits.
CALENDAR_FIRST, CALENDAR_LAST = datetime.date(1900, 1, 1), datetime.date(2200, 12, 1)


def current_campaign(campaigns):
    """This year's campaign, or else the latest one."""
    year = timezone.localdate().year
    return next((c for c in campaigns if c.year == year), campaigns[0] if campaigns else None)


def home(request):
    campaigns = list(selectors.campaigns_with_counts())
    return render(request, "public/home.html", {
        "campaigns": campaigns, "current": current_campaign(campaigns),
    })


def _bars(counter: Counter, labels: dict) -> list[dict]:
    top = max(counter.values(), default=0) or 1
    return [{"key": key, "label": labels.get(key, key), "count": counter.get(key, 0),
             "width": round(200 * counter.get(key, 0) / top)} for key in labels]


def campaign_detail(request, year: int):
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), year=year)
    links = list(campaign.campaign_documents.select_related("document"))
    # The public tracking figures (a draft counts as not submitted), from the selectors that
    # the API, the tracking page and the report use.
    rows = selectors.unit_rows(campaign, detail=False)
    summary = selectors.summarise(rows)
    states = {"missing": str(_("Not submitted")),
              **{status.value: str(status.label) for status in Plan.Status}}
    late = format_html(' <span class="badge text-bg-danger">{}</span>', _("late"))
    base = reverse("public:organisation", args=["CODE"]).replace("CODE/", "")
    groups = []
    for counts in summary["groups"]:
        items = sorted((r for r in rows if r.group == counts.key),
                       key=lambda r: sort_key(r.short_name))
        # Thousands of rows: built here with escaping, several times faster than a template
        # loop (the uncached overview stays within its budget on deadline day).
        # (html.escape on plain strings: Django's lazy-aware escape costs 3× as much here.)
        rows_html = mark_safe("\n".join(  # noqa: S308 - every value escaped just here
            f'<tr><td><a href="{base}{quote(r.code)}/">{escape(r.name)}</a></td>'
            f'<td>{escape(states.get(r.state, r.state))}{late if r.on_time is False else ""}'
            "</td></tr>" for r in items))
        groups.append({"kind": counts.key, "label": counts.label, "counts": counts,
                       "items": items, "rows_html": rows_html})
    missing = [r for r in rows if r.state == "missing"]
    activities = selectors.activity_counts(campaign)
    initiatives = selectors.initiative_counts(campaign)
    return render(request, "public/campaign.html", {
        "campaign": campaign,
        "legal_basis": [lk for lk in links if lk.role == "legal_basis"],
        "other_documents": [lk for lk in links if lk.role != "legal_basis"],
        "groups": groups, "recipients_count": summary["total"].expected,
        "answered": summary["total"].submitted, "on_time": summary["total"].on_time,
        "missing": missing,
        "missing_html": mark_safe("".join(  # noqa: S308 - escaped just here
            f"<li>{escape(r.name)}</li>" for r in missing)),
        "activities_count": activities.total, "initiatives_count": initiatives.total,
        "by_category": _bars(activities.by_category, CHOICE_LABELS["category"]),
        "by_beneficiary": _bars(initiatives.by_beneficiary, CHOICE_LABELS["beneficiaries"]),
        "published": campaign.is_published(),
    })


def _choice(request, name, allowed):
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def _activity_filters(request) -> dict:
    def day(name):
        try:
            return datetime.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return {"province": request.GET.get("province", "")[:32] or None,
            "category": _choice(request, "category", CATEGORIES) or None,
            "format": _choice(request, "format", FORMATS) or None,
            "organisation": request.GET.get("organisation", "")[:32] or None,
            "date_from": day("date_from"), "date_to": day("date_to")}


def _provinces(campaign):
    day = campaign.window_start or campaign.event_date or timezone.localdate()
    return sorted(Organisation.objects.valid_on(day).provincial(),
                  key=lambda o: sort_key(o.short_name))


def calendar(request, year: int):
    """Activities by month or as a list, filterable; the iCal link keeps the filters."""
    campaign = get_object_or_404(Campaign, year=year)
    filters = _activity_filters(request)
    qs = opendata.activities_qs(campaign, **filters).select_related("organisation", "province")
    view = "month" if request.GET.get("view") == "month" else "list"
    context = {"campaign": campaign, "filters": filters, "view": view,
               "categories": CHOICE_LABELS["category"], "formats": CHOICE_LABELS["format"],
               "provinces": _provinces(campaign)}
    context["ics_query"] = urlencode([
        (k, v) for k, v in request.GET.items()
        if k in {"province", "category", "format", "organisation", "date_from", "date_to"} and v])
    if view == "month":
        month = request.GET.get("month", "")
        try:
            first = datetime.date.fromisoformat(month + "-01")
        except ValueError:
            first = None
        # A month far from any campaign (0001-01, 9999-12) would overflow the previous and
        # next links: the calendar shows the campaign's own month instead.
        if first is None or not CALENDAR_FIRST <= first <= CALENDAR_LAST:
            first = (campaign.window_start or datetime.date(year, 10, 1)).replace(day=1)
        last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
        # Only four titles a day are shown, with the day's count: plain rows, not models.
        items = (qs.select_related(None).filter(start__lte=last)
                 .filter(Q(end__gte=first) | Q(end__isnull=True, start__gte=first))
                 .values_list("pk", "title", "start", "end"))
        weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(first.year,
                                                                            first.month)
        shown: dict[datetime.date, list] = {}
        counts: Counter = Counter()
        for pk, title, start, end in items.iterator(chunk_size=5000):
            day = max(start, first)
            end = min(end or start, last)
            while day <= end:
                counts[day] += 1
                if counts[day] <= 4:
                    shown.setdefault(day, []).append({"pk": pk, "title": title})
                day += datetime.timedelta(days=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        context.update(first=first, weeks=[[{"date": d, "in_month": d.month == first.month,
                                              "items": shown.get(d, []), "count": counts[d]}
                                             for d in week] for week in weeks],
                       previous=previous.strftime("%Y-%m"),
                       next=(last + datetime.timedelta(days=1)).strftime("%Y-%m"))
    else:
        today = timezone.localdate()
        in_window = (campaign.window_start and campaign.window_end
                     and campaign.window_start <= today <= campaign.window_end)
        if in_window:  # during the window, what is still to come first
            qs = qs.annotate(past=Case(When(Q(end__lt=today) | Q(end__isnull=True,
                                                                start__lt=today),
                                            then=Value(1)), default=Value(0))
                             ).order_by("past", "start", "pk")
        context["page"] = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "public/calendar.html", context)


def activity_detail(request, year: int, pk: int):
    activity = get_object_or_404(Activity.objects.public().select_related(
        "organisation", "province", "campaign"), pk=pk, campaign__year=year)
    return render(request, "public/activity.html", {"activity": activity,
                                                    "campaign": activity.campaign})


def catalogue(request, year: int):
    """The digital initiatives that citizens and businesses can use."""
    campaign = get_object_or_404(Campaign, year=year)
    filters = {"beneficiary": _choice(request, "beneficiary", BENEFICIARIES) or None,
               "sector": request.GET.get("sector", "")[:100] or None,
               "province": request.GET.get("province", "")[:32] or None}
    qs = opendata.initiatives_qs(campaign, **filters).select_related("organisation")
    return render(request, "public/catalogue.html", {
        "campaign": campaign, "filters": filters, "page": Paginator(qs, 50).get_page(
            request.GET.get("page")),
        "beneficiaries": CHOICE_LABELS["beneficiaries"], "provinces": _provinces(campaign)})


def initiative_detail(request, year: int, pk: int):
    initiative = get_object_or_404(Initiative.objects.public().select_related(
        "organisation", "campaign"), pk=pk, campaign__year=year)
    return render(request, "public/initiative.html", {"initiative": initiative,
                                                      "campaign": initiative.campaign})


def organisation_detail(request, code: str):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), code=code)
    plans = []
    # Campaigns in which the unit's results are accepted (published with the plan's embargo).
    accepted_results = set(Result.objects.filter(organisation=organisation,
                                                 status=Result.Status.ACCEPTED)
                           .values_list("campaign_id", flat=True))
    for plan in (Plan.objects.filter(organisation=organisation, status=Plan.Status.ACCEPTED)
                 .select_related("campaign").order_by("-campaign__year")):
        if plan.campaign.is_published():
            plans.append({"plan": plan,
                          "activities": list(plan.activities.select_related("province")),
                          "initiatives": list(plan.initiatives.all()),
                          "results": plan.campaign_id in accepted_results})
    return render(request, "public/organisation.html", {
        "organisation": organisation, "plans": plans,
        "changes": _succession_lines(organisation)})


def _succession_lines(organisation: Organisation) -> list[str]:
    """How a body came to be and what it became, one sentence a link, worded by the link's
    type ("Hợp nhất vào …", "Chia tách: … chuyển về …", "Đổi tên thành …"); a body that simply
    continued says nothing."""
    link, sentence = _link, _sentence
    lines, merged = [], {}
    came_from = (Succession.objects.changes().filter(successor=organisation)
                 .select_related("predecessor").order_by("date", "pk"))
    for s in came_from:
        date = f"{s.date:%d/%m/%Y}"
        if s.type == Succession.Type.MERGED:
            merged.setdefault(date, []).append(link(s.predecessor))
        elif s.type == Succession.Type.SPLIT and s.note:
            lines.append(sentence(_("Took over %(note)s from %(name)s (%(date)s)"),
                                  note=escape(s.note), name=link(s.predecessor), date=date))
        elif s.type == Succession.Type.SPLIT:
            lines.append(sentence(_("Took over part of %(name)s (%(date)s)"),
                                  name=link(s.predecessor), date=date))
        else:
            lines.append(sentence(_("Renamed from %(name)s (%(date)s)"), s.note,
                                  name=link(s.predecessor), date=date))
    lines[:0] = [sentence(_("Formed by merging %(names)s (%(date)s)"),
                          names=mark_safe(", ".join(names)), date=date)  # noqa: S308
                 for date, names in merged.items()]
    became = (Succession.objects.changes().filter(predecessor=organisation)
              .select_related("successor").order_by("date", "pk"))
    lines.extend(became_line(s) for s in became)
    return lines


def _link(org, view: str = "public:organisation") -> str:
    return format_html('<a href="{}">{}</a>', reverse(view, args=[org.code]), org.name)


def _sentence(text, tail="", **values) -> str:
    # The translated text is trusted; every value is escaped HTML already.
    return mark_safe(str(text) % values  # noqa: S308
                     + (format_html(" — {}", tail) if tail else ""))


def became_line(s: Succession, view: str = "public:organisation") -> str:
    """What a body became through one link, worded by the link's type ("Hợp nhất vào …",
    "Chia tách: … chuyển về …", "Đổi tên thành …"); "" for a body that simply continued."""
    date, name = f"{s.date:%d/%m/%Y}", _link(s.successor, view)
    if s.type == Succession.Type.CONTINUED:
        return ""
    if s.type == Succession.Type.SPLIT and s.note:
        return _sentence(_("Split: %(note)s passed to %(name)s (%(date)s)"),
                         note=escape(s.note), name=name, date=date)
    if s.type == Succession.Type.SPLIT:
        return _sentence(_("Split: passed in part to %(name)s (%(date)s)"), name=name,
                         date=date)
    if s.type == Succession.Type.RENAMED:
        return _sentence(_("Renamed to %(name)s (%(date)s)"), s.note, name=name, date=date)
    return _sentence(_("Merged into %(name)s (%(date)s)"), s.note, name=name, date=date)


# The year-by-year page of a unit, at a Vietnamese and an English address, each served in its
# language whatever the visitor's cookie says (as the open-data pages, datasets._page).
YEARS_PAGES = {"vi": "public:organisation_years", "en": "public:organisation_years_en"}


def organisation_years(request, code: str, language: str):
    """A unit's plans campaign by campaign, 2022 to now, with the bodies it came from for the
    years before it existed (the 2025 mergers): published figures only."""
    other = "en" if language == "vi" else "vi"
    organisation = get_object_or_404(Organisation, code=code)
    if request.GET.get("lang") == other:
        return redirect(YEARS_PAGES[other], code=organisation.code)
    with translation.override(language):
        rows = continuity.unit_years(organisation)
        outcomes = results.year_results([(row.campaign.pk, row.organisation.pk)
                                         for row in rows if row.recipient])
        for row in rows:
            row.how = became_line(row.link, YEARS_PAGES[language]) if row.link else ""
            row.results = outcomes.get((row.campaign.pk, row.organisation.pk))
        years = []
        for row in rows:
            if years and years[-1]["campaign"].pk == row.campaign.pk:
                years[-1]["rows"].append(row)
            else:
                years.append({"campaign": row.campaign, "rows": [row]})
        alternates = {lang: site_url(reverse(name, args=[organisation.code]))
                      for lang, name in YEARS_PAGES.items()}
        response = render(request, "public/organisation_years.html", {
            "organisation": organisation, "years": years, "page_language": language,
            "changes": _succession_lines(organisation), "alternates": alternates,
            "trends": results.cached_trends(),
            "other_language": {"code": other, "name": "English" if other == "en"
                               else "Tiếng Việt",
                               "url": reverse(YEARS_PAGES[other], args=[organisation.code])},
        })
    response["Content-Language"] = language
    return response


def document_detail(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    has_file = bool(document.file) and document.file.storage.exists(document.file.name)
    return render(request, "public/document.html", {"document": document, "has_file": has_file})


def document_file(request, pk: int):
    """The signed file of a public document (the campaign's call): a download typed by its
    content (PDF or DOCX), named after the document's number, never sniffed."""
    document = get_object_or_404(Document.objects.exclude(file=""), pk=pk)
    if not document.file.storage.exists(document.file.name):
        raise Http404("No document")
    handle = document.file.open("rb")
    kind = stored_kind(handle)
    if kind is None:
        handle.close()
        raise Http404("No document")
    name = document_filename(document.number.replace("/", "-"), kind, default="van-ban")
    response = FileResponse(handle, as_attachment=True, content_type=CONTENT_TYPES[kind],
                            filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def search(request):
    query = request.GET.get("q", "")[:1000]
    found = run_search(query) if query.strip() else []
    for result in found:  # the API keeps the codes; the page names them
        result["label"] = SEARCH_TYPES.get(result["type"], result["type"])
    return render(request, "public/search.html", {"query": query, "results": found})


def map_view(request, year: int):
    """Activities and initiatives per province on today's map (earlier units through their
    successors); without JavaScript, the table is the map."""
    campaign = get_object_or_404(Campaign, year=year)
    today = timezone.localdate()
    provinces = sorted(Organisation.objects.valid_on(today).provincial(),
                       key=lambda o: sort_key(o.short_name))
    current = {o.code for o in provinces}
    to_current = {}
    for code in current:
        for earlier in opendata.with_predecessors(code):
            to_current[earlier] = code
    activities = Counter()
    for code, n in selectors.activity_counts(campaign).by_province.items():
        if code in to_current:
            activities[to_current[code]] += n
    initiatives = Counter()
    for (org_code, parent_code), n in selectors.initiatives_by_unit(campaign).items():
        target = to_current.get(org_code) or to_current.get(parent_code)
        if target:
            initiatives[target] += n
    # The results (accepted, published) by province, from plan versus result.
    held, participants = Counter(), Counter()
    for row in results_selectors.plan_vs_result(campaign, public=True)["by_province"]:
        if target := to_current.get(row["code"]):
            held[target] += row["held"]
            participants[target] += row["participants"]
    rows = [{"code": o.code, "name": o.short_name, "activities": activities[o.code],
             "initiatives": initiatives[o.code], "held": held[o.code],
             "participants": participants[o.code]} for o in provinces]
    earlier = campaign.recipients.exclude(code__in=current).provincial().exists()
    return render(request, "public/map.html", {
        "campaign": campaign, "rows": rows, "earlier": earlier,
        "results_url": results.results_page_url(campaign),
        "counts": {r["code"]: [r["activities"], r["initiatives"]] for r in rows}})

