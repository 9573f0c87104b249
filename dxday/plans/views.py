"""Unit-facing pages: my plans, edit a plan, submit it, its versions and their differences."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxday.accounts.session import keeps_posted_form, pop_stash
from dxday.campaigns.models import Campaign
from dxday.campaigns.selectors import province_codes
from dxday.lib.dates import deadline_text
from dxday.plans import continuity
from dxday.plans.access import plan_or_blank, plan_target
from dxday.plans.diff import diff
from dxday.plans.excel import WorkbookRefused, plan_workbook
from dxday.plans.forms import blank_row, plan_from_post, problem_label, problem_links
from dxday.plans.labels import CHOICE_LABELS, SECTION_ROW_LABELS
from dxday.plans.models import PlanVersion
from dxday.plans.responses import document_download, draft_saved
from dxday.plans.services import (
    PlanConflict,
    plan_check_submit,
    plan_import_workbook,
    plan_save_draft,
    plan_submit,
    submission_reference,
)
from dxday.plans.validation import SECTIONS, PlanInvalid, Problem, validate_plan
from dxday.registry.models import Organisation

# The details of the last workbook import, shown once on the plan page.
IMPORT_KEY = "dxday_import"
IMPORT_DETAILS_MAX = 200


@login_required
def home(request):
    """The campaigns the user's unit must answer; the agency goes to its back office."""
    user = request.user
    if user.is_staff_reviewer:  # the agency, and province reviewers
        return redirect("backoffice:home")
    if user.organisation is None:
        raise PermissionDenied
    campaigns = Campaign.objects.filter(recipients=user.organisation).order_by("-year")
    plans = {p.campaign_id: p for p in user.organisation.plans.all()}
    rows = [{"campaign": c, "plan": plans.get(c.pk)} for c in campaigns]
    return render(request, "plans/home.html", {"rows": rows, "organisation": user.organisation})


def _form_context(request, campaign, organisation, plan, data, errors=(), warnings=(),
                  add=None):
    data = {**data, **{s: list(data.get(s) or []) for s in SECTIONS}}
    if add in SECTIONS:
        data[add].append(blank_row(add))
    provinces = (Organisation.objects.filter(code__in=province_codes(campaign))
                 .order_by("code").values_list("code", "name"))
    editable = (plan.is_editable and not campaign.is_locked()
                and request.user.organisation_id == organisation.pk)
    return {
        "campaign": campaign, "organisation": organisation, "plan": plan, "data": data,
        "errors": {p.path: p.message for p in errors},
        "error_list": problem_links(errors, editable=editable),
        "workbook_errors": any("!" in p.path or p.path == "(file)" for p in errors),
        "warnings": {p.path: p.message for p in warnings}, "warning_list": list(warnings),
        "choices": CHOICE_LABELS, "provinces": list(provinces),
        "sections": SECTION_ROW_LABELS, "versions": list(plan.versions.all()) if plan.pk else [],
        "events": list(plan.events.select_related("by")) if plan.pk else [],
        "editable": editable,
        # Earlier plans to start from, while the plan is not yet submitted (decision 0018).
        "carry_over": (continuity.offers(campaign, organisation)
                       if editable and continuity.may_start(plan) else []),
    }


def _restorable(request, year: int, org_code: str) -> dict | None:
    """What was typed on this page when the session ended (kept by the session middleware),
    taken once; only for a user who may write this plan."""
    kept = pop_stash(request)
    if kept is None:
        return None
    try:
        plan_target(request.user, year=year, org_code=org_code, write=True)
    except (Http404, PermissionDenied):
        return None  # someone else logged in here: the typing is not theirs to see
    return kept


@keeps_posted_form
@require_http_methods(["GET", "POST"])
def plan_edit(request, year: int, org_code: str):
    """The plan form. A save that arrives after the session ended is kept (without its files)
    and put back here after the next login (dxday.accounts.session.keeps_posted_form)."""
    if request.method == "GET":
        kept = _restorable(request, year, org_code)
        campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
        plan = plan_or_blank(campaign, organisation)
        imported = _import_details(request)
        if kept is not None:
            context = _form_context(request, campaign, organisation, plan,
                                    plan_from_post(kept["post"]))
            if context["editable"]:
                text = _("What you typed before your session ended has been restored. It is "
                         "not saved yet: press Save draft.")
                if kept["file"]:
                    text += " " + _("The file you had attached was not kept: attach it again.")
                if plan.pk and plan.updated_at.timestamp() > kept["at"]:
                    # A colleague saved the draft meanwhile: saving would replace their work.
                    text += " " + _("The draft was saved by someone else since then "
                                    "(%(at)s): saving now replaces their changes.") % {
                        "at": f"{timezone.localtime(plan.updated_at):%d/%m/%Y %H:%M}"}
                messages.warning(request, text)
                return render(request, "plans/plan.html", context)
            messages.warning(request, _("What you typed before your session ended could not "
                                        "be restored: the plan can no longer be changed."))
        result = validate_plan(plan.draft, campaign=campaign)
        return render(request, "plans/plan.html", {**_form_context(
            request, campaign, organisation, plan, plan.draft, warnings=result.warnings),
            "imported": imported})

    campaign, organisation = plan_target(request.user, year=year, org_code=org_code,
                                         write=True)
    plan = plan_or_blank(campaign, organisation)
    data = plan_from_post(request.POST)
    action = request.POST.get("action", "save")
    if action.startswith("add-"):
        # Without JavaScript, "add a row" comes back here: the page keeps what was typed.
        return render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, data, add=action[4:]))
    upload = request.FILES.get("document")
    return draft_saved(
        request, action=action, page="plans:plan", submit_page="plans:submit",
        args=[year, org_code], label=problem_label,
        save=lambda: plan_save_draft(campaign=campaign, organisation=organisation, data=data,
                                     upload=upload, by=request.user),
        form=lambda status, **problems: render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, data, **problems), status=status))


@login_required
@require_http_methods(["GET", "POST"])
def plan_carry_over(request, year: int, org_code: str):
    """Start the draft from last year's plan, or from the plans of the bodies the unit came
    from. GET lists what is offered; POST copies one offer (``source``: "own", a predecessor's
    code, "all"); when the draft would lose content, a page says what and asks again with
    ``confirm``."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    plan = plan_or_blank(campaign, organisation)
    context = {"campaign": campaign, "organisation": organisation, "plan": plan,
               "offers": continuity.offers(campaign, organisation),
               "startable": continuity.may_start(plan) and not campaign.is_locked()}
    if request.method == "GET":
        return render(request, "plans/carry_over.html", context)
    source = request.POST.get("source", "")
    try:
        plan, result = continuity.plan_start_from(
            campaign=campaign, organisation=organisation, source=source, by=request.user,
            confirm=request.POST.get("confirm") == "1")
    except continuity.SourceUnavailable:
        raise Http404("No such earlier plan") from None
    except continuity.ConfirmationNeeded as exc:
        chosen = continuity.chosen_sources(campaign, organisation, source)
        return render(request, "plans/carry_over.html", {
            **context, "confirm": {"source": source, "replaced": exc.replaced,
                                   "origins": [s.origin for s in chosen]}}, status=409)
    except PlanInvalid as exc:
        messages.error(request, _("Nothing was saved: the earlier plan does not fit this "
                                  "year's form (%(problems)s).") % {
            "problems": "; ".join(f"{problem_label(p.path)}: {p.message}" for p in exc.errors)})
        return redirect("plans:plan", year, org_code)
    except PlanConflict as exc:
        messages.error(request, str(exc))
        return redirect("plans:plan", year, org_code)
    messages.success(request, _("Draft saved from the earlier plan: %(activities)d "
                                "activities and %(initiatives)d initiatives carried over. "
                                "Check each of them and change or remove what does not "
                                "apply this year.") % {
        "activities": sum(1 for a in plan.draft["activities"] if a.get("carried_over")),
        "initiatives": sum(1 for n in plan.draft["initiatives"] if n.get("carried_over"))})
    for warning in result.warnings:
        messages.warning(request, f"{problem_label(warning.path)}: {warning.message}")
    return redirect("plans:plan", year, org_code)


def _import_details(request) -> dict | None:
    details = request.session.get(IMPORT_KEY)
    if details is None:
        return None
    del request.session[IMPORT_KEY]
    return details if details.get("path") == request.path else None


@login_required
@require_GET
def plan_row(request, year: int, org_code: str, section: str):
    """htmx: one empty row of a section, with a fresh index."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    if section not in SECTIONS:
        raise Http404
    provinces = (Organisation.objects.filter(code__in=province_codes(campaign))
                 .order_by("code").values_list("code", "name"))
    return render(request, "plans/_row.html", {
        "section": section, "row": blank_row(section),
        # Milliseconds: larger than the indices already on the page, so new rows sort last.
        "index": time.time_ns() // 1_000_000,
        "choices": CHOICE_LABELS, "provinces": list(provinces), "errors": {}, "warnings": {},
        "sections": SECTION_ROW_LABELS, "editable": True})


def _timing(plan, now) -> dict:
    """On time or late if submitted now, against the unit's own deadline."""
    deadline = plan.deadline
    return {"deadline": deadline, "deadline_text": deadline_text(deadline),
            "extended": plan.deadline_extension is not None,
            "late": deadline is not None and now >= deadline,
            "first_submitted": plan.submitted_at, "first_on_time": plan.on_time}


def _outline(data: dict) -> dict:
    """What the check page lists: every section's rows by their title, and the counts."""
    return {section: [row.get("title") or row.get("name") or row.get("url") or "—"
                      for row in data.get(section) or []] for section in SECTIONS}


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit_view(request, year: int, org_code: str):
    """Check your answers, then submit; once submitted, the receipt of the last submission."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    plan = plan_or_blank(campaign, organisation)
    if request.method == "POST":
        try:
            plan_submit(campaign=campaign, organisation=organisation, by=request.user)
        except PlanInvalid as exc:
            return render(request, "plans/submit.html", _check_context(
                campaign, organisation, plan, errors=exc.errors, warnings=exc.warnings),
                status=422)
        except PlanConflict as exc:
            messages.error(request, str(exc))
            return redirect("plans:plan", year, org_code)
        messages.success(request, _("Plan submitted. A receipt was emailed."))
        return redirect("plans:submit", year, org_code)
    if plan.pk and not plan.is_editable:
        version = plan.versions.select_related("submitted_by").order_by("-number").first()
        if version is not None:
            return render(request, "plans/submitted.html", {
                "campaign": campaign, "organisation": organisation, "plan": plan,
                "version": version, "timing": _timing(plan, version.submitted_at),
                "reference": submission_reference(year=campaign.year, org_code=organisation.code,
                                                  number=version.number)})
    result = plan_check_submit(plan=plan, campaign=campaign)
    return render(request, "plans/submit.html", _check_context(
        campaign, organisation, plan, errors=result.errors, warnings=result.warnings,
        data=result.data))


def _check_context(campaign, organisation, plan, *, errors, warnings, data=None) -> dict:
    data = data if data is not None else plan.draft
    return {
        "campaign": campaign, "organisation": organisation, "plan": plan, "data": data,
        "outline": _outline(data), "sections": SECTION_ROW_LABELS,
        "errors": problem_links(errors), "warnings": problem_links(warnings),
        "timing": _timing(plan, timezone.now()),
        "editable": plan.is_editable and not campaign.is_locked(),
    }


def _version(plan, number: int) -> PlanVersion:
    version = plan.versions.filter(number=number).first() if plan.pk else None
    if version is None:
        raise Http404("No such version")
    return version


@login_required
@require_GET
def version_detail(request, year: int, org_code: str, number: int):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    plan = plan_or_blank(campaign, organisation)
    version = _version(plan, number)
    return render(request, "plans/version.html", {
        "campaign": campaign, "organisation": organisation, "plan": plan, "version": version,
        "data": version.data, "choices": CHOICE_LABELS, "sections_order": list(SECTIONS)})


@login_required
@require_GET
def version_diff(request, year: int, org_code: str, old: int, new: int):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    plan = plan_or_blank(campaign, organisation)
    a, b = _version(plan, old), _version(plan, new)
    return render(request, "plans/diff.html", {
        "campaign": campaign, "organisation": organisation, "plan": plan, "old": a, "new": b,
        "changes": diff(a.data, b.data)})


@login_required
@require_GET
def version_document(request, year: int, org_code: str, number: int):
    """The signed document of a version (or of the draft, number 0), for those who may see.

    Always a download (attachment), typed by the file's content (PDF or DOCX) and named with
    that type's extension, whatever name the uploader gave it; never sniffed by the browser."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    plan = plan_or_blank(campaign, organisation)
    if number == 0:
        path, name = (plan.document.name if plan.pk else ""), plan.document_name
    else:
        version = _version(plan, number)
        path, name = version.document, version.document_name
    return document_download(path, name, default="tai-lieu")


@login_required
@require_GET
def workbook_download(request, year: int, org_code: str):
    """The draft as an Excel workbook to fill in."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    plan = plan_or_blank(campaign, organisation)
    response = HttpResponse(plan_workbook(campaign=campaign, organisation=organisation,
                                          data=plan.draft),
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = (f'attachment; filename="ke-hoach-{year}-'
                                       f'{organisation.code}.xlsx"')
    return response


@login_required
@require_http_methods(["POST"])
def workbook_upload(request, year: int, org_code: str):
    """Replace the draft with an uploaded workbook (all or nothing)."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    plan = plan_or_blank(campaign, organisation)
    upload = request.FILES.get("workbook")
    try:
        if upload is None:
            raise WorkbookRefused([Problem("workbook", _("Choose a workbook to upload."))])
        plan, warnings, changes = plan_import_workbook(
            campaign=campaign, organisation=organisation, raw=upload.read(), by=request.user)
    except WorkbookRefused as exc:
        messages.error(request, _("Nothing was saved: correct the cells listed below."))
        return render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, plan.draft, errors=exc.problems), status=422)
    except PlanConflict as exc:
        messages.error(request, str(exc))
        return redirect("plans:plan", year, org_code)
    messages.success(request, _("Workbook imported: %(changes)d changes, %(warnings)d warnings.")
                     % {"changes": len(changes), "warnings": len(warnings)})
    if changes or warnings:
        # The details once, on the plan page, under the message (not one alert per change).
        request.session[IMPORT_KEY] = {
            "path": reverse("plans:plan", args=[year, org_code]),
            "changes": [[c.label, c.old, c.new] for c in changes[:IMPORT_DETAILS_MAX]],
            "more": max(0, len(changes) - IMPORT_DETAILS_MAX),
            "warnings": [[problem_label(w.path), w.message] for w in warnings]}
    return redirect("plans:plan", year, org_code)
