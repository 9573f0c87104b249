"""Unit-facing pages: my plans, edit a plan, submit it, its versions and their differences."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxday.campaigns.models import Campaign
from dxday.campaigns.services import province_codes
from dxday.plans.access import plan_or_blank, plan_target
from dxday.plans.diff import diff
from dxday.plans.forms import blank_row, plan_from_post
from dxday.plans.labels import CHOICE_LABELS, SECTION_ROW_LABELS
from dxday.plans.models import PlanVersion
from dxday.plans.services import PlanConflict, plan_save_draft, plan_submit
from dxday.plans.uploads import UploadRefused
from dxday.plans.validation import SECTIONS, PlanInvalid, Problem, validate_plan
from dxday.registry.models import Organisation


@login_required
def home(request):
    """The campaigns the user's unit must answer; the agency goes to its back office."""
    user = request.user
    if user.is_agency:
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
    return {
        "campaign": campaign, "organisation": organisation, "plan": plan, "data": data,
        "errors": {p.path: p.message for p in errors}, "error_list": list(errors),
        "warnings": {p.path: p.message for p in warnings}, "warning_list": list(warnings),
        "choices": CHOICE_LABELS, "provinces": list(provinces),
        "sections": SECTION_ROW_LABELS, "versions": list(plan.versions.all()) if plan.pk else [],
        "events": list(plan.events.select_related("by")) if plan.pk else [],
        "editable": (plan.is_editable and not campaign.is_locked()
                     and request.user.organisation_id == organisation.pk),
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, year: int, org_code: str):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code,
                                         write=request.method == "POST")
    plan = plan_or_blank(campaign, organisation)
    if request.method == "GET":
        result = validate_plan(plan.draft, campaign=campaign)
        return render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, plan.draft, warnings=result.warnings))

    data = plan_from_post(request.POST)
    action = request.POST.get("action", "save")
    if action.startswith("add-"):
        # Without JavaScript, "add a row" comes back here: the page keeps what was typed.
        return render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, data, add=action[4:]))
    upload = request.FILES.get("document")
    try:
        plan, result = plan_save_draft(campaign=campaign, organisation=organisation, data=data,
                                       upload=upload, by=request.user)
    except PlanInvalid as exc:
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, data, errors=exc.errors,
            warnings=exc.warnings), status=422)
    except UploadRefused as exc:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
        return render(request, "plans/plan.html", _form_context(
            request, campaign, organisation, plan, data,
            errors=[Problem("document", str(exc))]), status=422)
    except PlanConflict as exc:
        messages.error(request, str(exc))
        return redirect("plans:plan", year, org_code)
    messages.success(request, _("Draft saved."))
    for warning in result.warnings:
        messages.warning(request, warning.message)
    if action == "submit":
        return redirect("plans:submit", year, org_code)
    return redirect("plans:plan", year, org_code)


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


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit_view(request, year: int, org_code: str):
    """Submit, after a confirmation page that shows what is still missing."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    plan = plan_or_blank(campaign, organisation)
    if request.method == "POST":
        try:
            plan_submit(campaign=campaign, organisation=organisation, by=request.user)
        except PlanInvalid as exc:
            return render(request, "plans/submit.html", {
                "campaign": campaign, "organisation": organisation, "plan": plan,
                "errors": exc.errors}, status=422)
        except PlanConflict as exc:
            messages.error(request, str(exc))
            return redirect("plans:plan", year, org_code)
        messages.success(request, _("Plan submitted. A receipt was emailed."))
        return redirect("plans:plan", year, org_code)
    result = validate_plan(plan.draft, campaign=campaign, for_submit=True)
    return render(request, "plans/submit.html", {
        "campaign": campaign, "organisation": organisation, "plan": plan,
        "errors": result.errors, "warnings": result.warnings})


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
    """The signed document of a version (or of the draft, number 0), for those who may see."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    plan = plan_or_blank(campaign, organisation)
    if number == 0:
        path, name = (plan.document.name if plan.pk else ""), plan.document_name
    else:
        version = _version(plan, number)
        path, name = version.document, version.document_name
    if not path or not default_storage.exists(path):
        raise Http404("No document")
    return FileResponse(default_storage.open(path, "rb"), as_attachment=True,
                        filename=name or path.rsplit("/", 1)[-1])



@login_required
@require_GET
def workbook_download(request, year: int, org_code: str):
    """The draft as an Excel workbook to fill in."""
    from django.http import HttpResponse

    from dxday.plans.excel import plan_workbook

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
    from dxday.plans.excel import WorkbookRefused
    from dxday.plans.services import plan_import_workbook

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
    messages.success(request, _("Workbook imported: %(n)d changes.") % {"n": len(changes)})
    for change in changes[:20]:
        messages.info(request, f"{change.label}: {change.old or '—'} → {change.new or '—'}")
    for warning in warnings:
        messages.warning(request, f"{warning.path}: {warning.message}")
    return redirect("plans:plan", year, org_code)
