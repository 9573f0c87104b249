"""The agency's back office: tracking, review, bulk accept, exports, history."""

import re
import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxday.accounts.access import agency_required, reviewer_required
from dxday.backoffice.rounds import accept_ticked, province_round
from dxday.backoffice.tracking import tracking_table
from dxday.campaigns.models import Campaign, ProvincialRound
from dxday.lib.tables import to_csv, to_xlsx
from dxday.lib.text import fold
from dxday.plans.access import may_review, plan_or_blank, plan_target
from dxday.plans.excel import WorkbookRefused, campaign_workbook
from dxday.plans.models import Plan
from dxday.plans.selectors import (
    GROUP_LABELS,
    STATES,
    campaigns_with_counts,
    level_counts,
    level_table,
    national_tallies,
    summarise,
    unit_details,
    unit_order,
    unit_rows,
)
from dxday.plans.services import PlanConflict, plan_review, plans_bulk_accept, plans_bulk_import
from dxday.plans.validation import SECTIONS, PlanInvalid, Problem
from dxday.registry.models import Organisation
from dxday.reports.generate import KINDS
from dxday.reports.models import ReportGeneration
from dxday.reports.render import MEDIA_TYPES
from dxday.reports.selectors import figures_delta
from dxday.reports.services import EDITABLE as REPORT_FIELDS
from dxday.reports.services import (
    ReportBusy,
    ReportInvalid,
    ReportIssued,
    report_issue,
    report_request,
    report_rerender,
    report_update,
)


@reviewer_required
@require_GET
def home(request):
    campaigns = campaigns_with_counts()
    province = request.user.reviews_province
    rounds = {}
    if province is not None:
        # A province reviewer: the campaigns addressed to the province, and its rounds.
        campaigns = campaigns.filter(recipients=province)
        rounds = {r.campaign_id: r for r in ProvincialRound.objects.select_related(
            "campaign", "province").filter(province=province)}
        # Its rounds' figures (its communes), not the national ones.
        figures = {pk: level_counts(r.campaign, r.province) for pk, r in rounds.items()}
        for found in rounds.values():
            found.figures = figures[found.campaign_id]
    return render(request, "backoffice/home.html", {"campaigns": campaigns, "rounds": rounds})


def _filters(request) -> dict:
    get = request.GET
    return {"group": get.get("group", "") if get.get("group") in GROUP_LABELS else "",
            "state": get.get("state", "") if get.get("state") in STATES else "",
            "parent": get.get("parent", "")[:32], "q": get.get("q", "")[:100],
            "late": get.get("late") == "1"}


@reviewer_required
@require_GET
def tracking(request, year: int):
    """Who answered: national → province → commune. The agency sees every recipient (a
    province's row leads to its communes, ?parent=CODE); a province reviewer sees the
    communes of its round only."""
    campaign = get_object_or_404(Campaign, year=year)
    own_round = province_round(request.user, campaign)
    filters = _filters(request)
    within = own_round.province.code if own_round else ""
    if not within and filters["parent"]:
        within = filters["parent"]
    fmt = request.GET.get("format")
    if not within and not any(filters.values()) and fmt not in {"csv", "xlsx"}:
        # Every recipient, unfiltered: the figures counted in the database, and only the
        # shown page's 100 rows built (of 3,377 on the national dataset).
        summary, levels = national_tallies(campaign)
        page = Paginator(unit_order(campaign), 100).get_page(request.GET.get("page"))
        page.object_list = unit_rows(campaign, ids=list(page.object_list))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "backoffice/tracking.html", {
            "campaign": campaign, "summary": summary, "filtered": summary, "page": page,
            "filters": filters, "groups": GROUP_LABELS, "states": STATES,
            "query": query.urlencode(),
            "round": own_round, "parent": None, "levels": levels,
            "plans_url": reverse("backoffice:review", args=[year, "-"])[:-2],
            "parent_round": None})
    all_rows = unit_rows(campaign, within=within, detail=False)
    rows = all_rows
    if any(filters.values()):
        rows = [r for r in all_rows if _matches(r, filters)]
    if fmt in {"csv", "xlsx"}:
        unit_details(campaign, rows, within=within)
        name, table = f"dxday-{year}-tracking.{fmt}", tracking_table(rows, title=f"{year}")
        if fmt == "csv":
            body, ctype = to_csv(table), "text/csv; charset=utf-8"
        else:
            body = to_xlsx(table)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    unit_details(campaign, list(page.object_list))  # reminders and contacts: this page's
    query = request.GET.copy()
    query.pop("page", None)
    summary = summarise(all_rows)
    parent = (Organisation.objects.filter(code=within).first() if within else None)
    return render(request, "backoffice/tracking.html", {
        "campaign": campaign, "summary": summary,
        "filtered": summary if rows is all_rows else summarise(rows),
        "page": page, "filters": filters, "groups": GROUP_LABELS, "states": STATES,
        "query": query.urlencode(), "round": own_round, "parent": parent,
        # National → province: the level table; a province's communes are the units below.
        "levels": None if within else level_table(all_rows, top=True),
        # A plan's review page is this prefix and the unit's code (one reverse, not 150).
        "plans_url": reverse("backoffice:review", args=[year, "-"])[:-2],
        "parent_round": (ProvincialRound.objects.filter(campaign=campaign, province=parent)
                         .first() if parent else None),
    })


def _matches(row, filters: dict) -> bool:
    """The page's filters on a row already read (unit_rows applies the same ones)."""
    needle = fold(filters["q"])
    return not ((filters["group"] and row.group != filters["group"])
                or (filters["state"] and row.state != filters["state"])
                or (filters["late"] and not row.late)
                or (needle and needle not in fold(f"{row.code} {row.name}")))


@reviewer_required
@require_http_methods(["GET", "POST"])
def review(request, year: int, org_code: str):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    plan = plan_or_blank(campaign, organisation)
    if request.method == "POST":
        if plan.pk is None:
            raise Http404("No plan")
        try:
            plan_review(plan=plan, by=request.user, decision=request.POST.get("decision", ""),
                        comment=request.POST.get("comment", ""))
        except PlanInvalid as exc:
            messages.error(request, " ".join(p.message for p in exc.errors))
        except PlanConflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Review recorded."))
        return redirect("backoffice:review", year, org_code)
    versions = list(plan.versions.select_related("submitted_by")) if plan.pk else []
    latest = versions[-1] if versions else None
    return render(request, "backoffice/review.html", {
        "campaign": campaign, "organisation": organisation, "plan": plan,
        "versions": versions, "latest": latest, "data": latest.data if latest else None,
        "sections_order": list(SECTIONS), "can_review": may_review(request.user, organisation),
        "events": list(plan.events.select_related("by")) if plan.pk else [],
    })


@reviewer_required
@require_POST
def bulk_accept(request, year: int):
    """Accept the ticked submitted plans (rounds.accept_ticked)."""
    return accept_ticked(
        request, year, model=Plan, page="backoffice:tracking",
        accept=lambda plans, by: plans_bulk_accept(plans=plans, by=by),
        accepted_text=_("%(n)d plans accepted."))


@agency_required
@require_http_methods(["GET", "POST"])
def reports(request, year: int):
    """The reports of a campaign (consolidated, results): every generation kept; request a
    new one of either."""
    campaign = get_object_or_404(Campaign, year=year)
    if request.method == "POST":
        try:
            generation = report_request(campaign=campaign, by=request.user,
                                        number=request.POST.get("number", ""),
                                        kind=request.POST.get("kind") or "plans")
        except ReportInvalid as exc:
            messages.error(request, "; ".join(exc.errors.values()))
            return redirect("backoffice:reports", year)
        except ReportBusy as exc:
            messages.error(request, str(exc))
            return redirect("backoffice:reports", year)
        return redirect("backoffice:report", generation.pk)
    generations = ReportGeneration.objects.filter(campaign=campaign).select_related(
        "requested_by")
    return render(request, "backoffice/reports.html", {
        "campaign": campaign, "generations": generations,
        "kinds": ReportGeneration.Kind.choices})


FIGURE_LABELS = {
    "recipients": gettext_lazy("Units expected"), "responded": gettext_lazy("Plans sent"),
    "on_time": gettext_lazy("Sent on time"), "late": gettext_lazy("Sent late"),
    "missing": gettext_lazy("Not sent"), "accepted": gettext_lazy("Plans accepted"),
    "activities": gettext_lazy("Published activities"),
    "initiatives": gettext_lazy("Published digital initiatives"),
    # The results report's (snapshot.take_results)
    "expected": gettext_lazy("Units expected"),
    "plans_accepted": gettext_lazy("Plans accepted"),
    "results_submitted": gettext_lazy("Results sent"),
    "results_on_time": gettext_lazy("Results sent on time"),
    "results_late": gettext_lazy("Results sent late"),
    "results_missing": gettext_lazy("Results not sent"),
    "results_accepted": gettext_lazy("Results accepted"),
    "results_returned": gettext_lazy("Results returned"),
    "results_not_ready": gettext_lazy("Results not ready (plan not accepted)"),
    "activities_planned": gettext_lazy("Activities planned"),
    "activities_held": gettext_lazy("Activities held as planned"),
    "activities_changed": gettext_lazy("Activities held, changed"),
    "activities_cancelled": gettext_lazy("Activities not held"),
    "activities_added": gettext_lazy("Activities added"),
    "activities_not_reported": gettext_lazy("Activities not reported"),
    "participants_in_person": gettext_lazy("Participants in person"),
    "participants_online": gettext_lazy("Participants online"),
    "participants_total": gettext_lazy("Participants"),
    "initiatives_planned": gettext_lazy("Initiatives planned"),
    "initiatives_launched": gettext_lazy("Initiatives launched"),
    "initiatives_not_launched": gettext_lazy("Initiatives not launched"),
    "initiatives_not_reported": gettext_lazy("Initiatives not reported"),
    "initiatives_added": gettext_lazy("Initiatives added"),
}


@agency_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    """A generation: its figures and files; the draft's issuing details (number, date,
    signer, assessment, recommendations), saved or issued."""
    generation = get_object_or_404(ReportGeneration.objects.select_related("campaign"), pk=pk)
    errors, status, conflict = {}, 200, ""
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in REPORT_FIELDS
                  if name in request.POST}
        action = request.POST.get("action")
        try:
            if action == "issue":
                report_issue(generation=generation, by=request.user, values=values)
            elif action == "retry":
                report_rerender(generation=generation, by=request.user)
            else:
                report_update(generation=generation, by=request.user, values=values)
        except (ReportIssued, ReportBusy) as exc:
            conflict, status = str(exc), 409
        except ReportInvalid as exc:
            errors, status = exc.errors, 422
            for name, value in values.items():  # what was typed is shown again, not lost
                setattr(generation, name, value)
        else:
            messages.success(request, _("The report was issued; its files are being made.")
                             if action == "issue" else _("Saved; the files are being made again."))
            return redirect("backoffice:report", generation.pk)
    previous = generation.previous()
    delta = [(FIGURE_LABELS.get(key, key), old, new, change)
             for key, old, new, change in figures_delta(previous.figures, generation.figures)
             ] if previous else []
    return render(request, "backoffice/report.html", {
        "generation": generation, "campaign": generation.campaign, "previous": previous,
        "figures": [(FIGURE_LABELS.get(k, k), v) for k, v in generation.figures.items()],
        "delta": delta, "errors": errors, "conflict": conflict,
        "issue_date_text": (generation.issue_date.strftime("%d/%m/%Y")
                            if hasattr(generation.issue_date, "strftime")
                            else generation.issue_date or ""),
        "running": generation.status in ("queued", "running")}, status=status)


@agency_required
@require_GET
def report_file(request, pk: int, fmt: str):
    from django.http import FileResponse

    generation = get_object_or_404(ReportGeneration, pk=pk)
    if fmt not in MEDIA_TYPES or not getattr(generation, fmt):
        raise Http404("No such file")
    field = getattr(generation, fmt)
    return FileResponse(field.open("rb"), as_attachment=True, content_type=MEDIA_TYPES[fmt],
                        filename=f"{KINDS[generation.kind][3]}-{generation.campaign.year}-"
                                 f"{generation.pk}.{fmt}")


@agency_required
@require_GET
def bulk_workbook(request, year: int):
    """Every unit's draft in one workbook."""
    campaign = get_object_or_404(Campaign, year=year)
    response = HttpResponse(campaign_workbook(campaign=campaign), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-{year}-tat-ca.xlsx"'
    return response


@agency_required
@require_http_methods(["GET", "POST"])
def bulk_import(request, year: int):
    """Upload the agency's workbook: a preview first (nothing saved), then apply it."""
    campaign = get_object_or_404(Campaign, year=year)
    context = {"campaign": campaign}
    if request.method == "POST":
        token = request.POST.get("token", "")
        try:
            if request.POST.get("action") == "apply" and re.fullmatch(r"[0-9a-f]{32}", token):
                path = f"bulk/{token}.xlsx"
                if not default_storage.exists(path):
                    raise Http404("The preview has expired: upload the workbook again.")
                with default_storage.open(path, "rb") as handle:
                    raw = handle.read()
                context["results"] = plans_bulk_import(campaign=campaign, raw=raw,
                                                       by=request.user, apply=True)
                default_storage.delete(path)
                context["applied"] = True
            else:
                upload = request.FILES.get("workbook")
                if upload is None:
                    raise WorkbookRefused([Problem("(file)", _("Choose a workbook to upload."))])
                raw = upload.read()
                context["results"] = plans_bulk_import(campaign=campaign, raw=raw,
                                                       by=request.user, apply=False)
                token = uuid.uuid4().hex
                default_storage.save(f"bulk/{token}.xlsx", ContentFile(raw))
                context["token"] = token
        except WorkbookRefused as exc:
            context["problems"] = exc.problems
            return render(request, "backoffice/bulk.html", context, status=422)
    return render(request, "backoffice/bulk.html", context)
