"""Unit-facing pages of results: report what happened against the accepted plan, check and
submit, the versions and their signed documents. Province reviewers and the agency see them
read-only (the same access as plans: dxday.plans.access)."""

import datetime
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxday.accounts.models import User
from dxday.accounts.session import keeps_posted_form, pop_stash
from dxday.campaigns.selectors import province_codes
from dxday.lib.dates import moment_text
from dxday.lib.text import grouped
from dxday.plans import schema as plan_schema
from dxday.plans.access import plan_target
from dxday.plans.responses import document_download, draft_saved
from dxday.plans.services import PlanConflict, submission_reference
from dxday.plans.validation import PlanInvalid
from dxday.registry.models import Organisation
from dxday.results.forms import (
    ADD_LABELS,
    ANSWERING,
    SECTION_NAMES,
    blank_result_row,
    field_errors,
    problem_links,
    result_problem_label,
    results_from_post,
)
from dxday.results.models import Result, ResultVersion
from dxday.results.schema import SECTION, SECTIONS
from dxday.results.services import (
    accepted_plan_version,
    not_ready_reason,
    prefilled,
    results_check_submit,
    results_for_update,
    results_save_draft,
    results_submit,
)
from dxday.results.validation import validate_results
from dxday.scanner.models import ScanResult, ScanTarget

ROW_LABELS = {s.name: s.row_label for s in SECTIONS}


def _result_or_blank(campaign, organisation, version) -> Result:
    """The stored results, or unsaved ones prefilled from the accepted plan (a page view
    never writes)."""
    found = (Result.objects.select_related("campaign", "organisation")
             .filter(campaign=campaign, organisation=organisation).first())
    if found is not None:
        return found
    return Result(campaign=campaign, organisation=organisation,
                  plan=version.plan if version else None, draft=prefilled(version))


def _may_write(user: User, organisation: Organisation) -> bool:
    return user.role == User.Role.EDITOR and user.organisation_id == organisation.pk


def _day(value) -> str:
    if not value:
        return ""
    try:
        return f"{datetime.date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value)


def _plan_facts(section: str, row: dict, provinces: dict) -> list[tuple[str, str]]:
    """What the accepted plan said of a row, as (label, text) pairs shown beside the inputs."""
    facts = []
    for field in plan_schema.SECTION[section].fields:
        if field.name in ("description", "carried_over", "beneficiaries", "audience"):
            continue
        value = row.get(field.name)
        if value in (None, "", []):
            continue
        if isinstance(field.rule, dict):
            value = field.rule.get(value, value)
        elif field.rule == "date":
            value = _day(value)
        elif field.rule == "province":
            value = provinces.get(value, value)
        facts.append((str(field.label), str(value)))
    return facts


def kit_checks(campaign, organisation, urls) -> dict[str, dict]:
    """The kit check's latest verdict for each of a unit's display addresses in this
    campaign: url → {verdict, label, checked_at}; an address never checked is absent. An
    address matches its scan target with or without a final "/"."""
    variants: dict[str, str] = {}
    for url in urls:
        text = (url or "").strip()
        if text:
            for variant in (text, text.rstrip("/"), text.rstrip("/") + "/"):
                variants.setdefault(variant, text)
    if not variants:
        return {}
    latest = ScanResult.objects.filter(target=OuterRef("pk")).order_by("-checked_at", "-id")
    targets = (ScanTarget.objects.filter(campaign=campaign, organisation=organisation,
                                         url__in=list(variants))
               .annotate(verdict=Subquery(latest.values("verdict")[:1]),
                         checked=Subquery(latest.values("checked_at")[:1]))
               .exclude(verdict=None).values("url", "verdict", "checked"))
    labels = dict(ScanResult.Verdict.choices)
    found: dict[str, dict] = {}
    for target in targets:
        url = variants[target["url"]]
        current = found.get(url)
        if current is None or target["checked"] > current["checked_at"]:
            found[url] = {"verdict": target["verdict"],
                          "label": str(labels.get(target["verdict"], target["verdict"])),
                          "checked_at": target["checked"],
                          "checked_text": moment_text(target["checked"])}
    return found


def _deadline(campaign, result) -> dict:
    deadline = result.deadline if result is not None else campaign.results_deadline
    return {"deadline": deadline, "deadline_text": moment_text(deadline),
            "extended": result is not None and result.deadline_extension is not None,
            "late": deadline is not None and timezone.now() >= deadline,
            "first_submitted": result.submitted_at if result is not None else None,
            "first_on_time": result.on_time if result is not None else None}


def _form_context(request, campaign, organisation, result, version, data, *, errors=(),
                  warnings=(), add=None) -> dict:
    data = {**data, **{s: list(data.get(s) or []) for s in SECTION_NAMES}}
    if add in SECTION_NAMES:
        data[add].append(blank_result_row(add))
    editable = (result.is_editable and not campaign.results_locked()
                and _may_write(request.user, organisation))
    planned = version.data if version is not None else {}
    provinces = list(Organisation.objects.filter(code__in=province_codes(campaign))
                     .order_by("code").values_list("code", "name"))
    rows = {}
    for section in SECTION_NAMES:
        rows[section] = []
        for index, row in enumerate(data[section]):
            entry = {"row": row, "index": index, "planned": None, "facts": []}
            number = row.get("planned") if section in ANSWERING else None
            try:
                number = int(number) if number not in (None, "") else None
            except (TypeError, ValueError):
                number = None
            in_plan = planned.get(section) or []
            if number is not None and 1 <= number <= len(in_plan):
                entry["planned"] = number
                entry["facts"] = _plan_facts(section, in_plan[number - 1], dict(provinces))
            rows[section].append(entry)
    kit = kit_checks(campaign, organisation, [r.get("url") for r in data["display_urls"]])
    for entry in rows["display_urls"]:
        entry["kit"] = kit.get((entry["row"].get("url") or "").strip())
    return {
        "campaign": campaign, "organisation": organisation, "result": result, "data": data,
        "plan_version": version, "rows": rows, "sections": SECTIONS, "row_labels": ROW_LABELS,
        "errors": field_errors(errors), "error_list": problem_links(errors, editable=editable),
        "warnings": field_errors(warnings), "warning_list": problem_links(warnings),
        "provinces": provinces, "add_labels": ADD_LABELS,
        "versions": list(result.versions.all()) if result.pk else [],
        "events": list(result.events.select_related("by")) if result.pk else [],
        "editable": editable, "timing": _deadline(campaign, result if result.pk else None),
        "may_start": (not result.pk and _may_write(request.user, organisation)
                      and not campaign.results_locked()),
    }


def _not_ready(request, campaign, organisation):
    return render(request, "results/not_ready.html", {
        "campaign": campaign, "organisation": organisation,
        "reason": not_ready_reason(campaign, organisation),
        "timing": _deadline(campaign, None)})


def _restorable(request, year: int, org_code: str) -> dict | None:
    """What was typed on this page when the session ended, taken once; only for a user who
    may write these results."""
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
def results_edit(request, year: int, org_code: str):
    """The results form, prefilled from the accepted plan; before the plan is accepted, why
    results cannot be reported yet. A save that arrives after the session ended is kept and
    put back after the next login, as on the plan form."""
    if request.method == "GET":
        kept = _restorable(request, year, org_code)
        campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
        version = accepted_plan_version(campaign, organisation)
        result = _result_or_blank(campaign, organisation, version)
        if not result.pk and version is None:
            return _not_ready(request, campaign, organisation)
        if kept is not None:
            context = _form_context(request, campaign, organisation, result, version,
                                    results_from_post(kept["post"]))
            if context["editable"]:
                text = _("What you typed before your session ended has been restored. It is "
                         "not saved yet: press Save draft.")
                if kept["file"]:
                    text += " " + _("The file you had attached was not kept: attach it again.")
                if result.pk and result.updated_at.timestamp() > kept["at"]:
                    text += " " + _("The draft was saved by someone else since then "
                                    "(%(at)s): saving now replaces their changes.") % {
                        "at": moment_text(result.updated_at)}
                messages.warning(request, text)
                return render(request, "results/results.html", context)
            messages.warning(request, _("What you typed before your session ended could not "
                                        "be restored: the results can no longer be changed."))
        checked = validate_results(result.draft, campaign=campaign,
                                   planned=version.data if version else None)
        return render(request, "results/results.html", _form_context(
            request, campaign, organisation, result, version, result.draft,
            warnings=checked.warnings))

    campaign, organisation = plan_target(request.user, year=year, org_code=org_code,
                                         write=True)
    version = accepted_plan_version(campaign, organisation)
    result = _result_or_blank(campaign, organisation, version)
    if not result.pk and version is None:
        return _not_ready(request, campaign, organisation)
    action = request.POST.get("action", "save")
    if action == "start":
        try:
            with transaction.atomic():
                results_for_update(campaign=campaign, organisation=organisation,
                                   by=request.user)
        except PlanConflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Results started from your accepted plan: say what "
                                        "happened to each activity and initiative."))
        return redirect("results:results", year, org_code)
    data = results_from_post(request.POST)
    if action.startswith("add-"):
        # Without JavaScript, "add a row" comes back here: the page keeps what was typed.
        return render(request, "results/results.html", _form_context(
            request, campaign, organisation, result, version, data, add=action[4:]))
    upload = request.FILES.get("document")
    return draft_saved(
        request, action=action, page="results:results", submit_page="results:submit",
        args=[year, org_code], label=result_problem_label,
        save=lambda: results_save_draft(campaign=campaign, organisation=organisation, data=data,
                                        upload=upload, by=request.user),
        form=lambda status, **problems: render(request, "results/results.html", _form_context(
            request, campaign, organisation, result, version, data, **problems), status=status))


@login_required
@require_GET
def results_row(request, year: int, org_code: str, section: str):
    """htmx: one empty row of a section (an activity or initiative not planned), with a fresh
    index."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    if section not in SECTION_NAMES:
        raise Http404
    provinces = (Organisation.objects.filter(code__in=province_codes(campaign))
                 .order_by("code").values_list("code", "name"))
    return render(request, "results/_row.html", {
        "section": section, "sections": SECTIONS, "row_labels": ROW_LABELS,
        # Milliseconds: larger than the indices already on the page, so new rows sort last.
        "entry": {"row": blank_result_row(section), "index": time.time_ns() // 1_000_000,
                  "planned": None, "facts": []},
        "provinces": list(provinces), "errors": {}, "warnings": {}, "editable": True})


def _status_text(section: str, row: dict) -> str:
    rules = {f.name: f for f in SECTION[section].fields}
    if section == "activities":
        parts = [str(rules["status"].rule.get(row.get("status"), "")) or _("not said yet")]
        if row.get("start"):
            parts.append(_day(row["start"]))
        people = [n for n in (row.get("participants_in_person"),
                              row.get("participants_online")) if isinstance(n, int)]
        if people:
            parts.append(_("%(n)s participants") % {"n": grouped(sum(people))})
        return " · ".join(parts)
    if section == "initiatives":
        parts = [str(rules["launched"].rule.get(row.get("launched"), "")) or _("not said yet")]
        if isinstance(row.get("usage_value"), int):
            parts.append(grouped(row["usage_value"]) + " "
                         + str(rules["usage_measure"].rule.get(row.get("usage_measure"), "")))
        return " · ".join(parts)
    return ""


def _outline(data: dict) -> list[dict]:
    """What the check page lists: each section's rows by their title, with what happened;
    an added row is marked."""
    out = []
    for section in SECTIONS:
        items = []
        for row in data.get(section.name) or []:
            items.append({"title": row.get("title") or row.get("name") or row.get("url") or "—",
                          "added": section.name in ANSWERING and row.get("planned") is None,
                          "detail": _status_text(section.name, row)})
        out.append({"name": section.name, "label": section.label, "items": items})
    return out


def _check_context(campaign, organisation, result, *, errors, warnings, data=None) -> dict:
    data = data if data is not None else result.draft
    return {
        "campaign": campaign, "organisation": organisation, "result": result, "data": data,
        "outline": _outline(data), "errors": problem_links(errors),
        "warnings": problem_links(warnings), "timing": _deadline(campaign, result),
        "editable": result.is_editable and not campaign.results_locked(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def results_submit_view(request, year: int, org_code: str):
    """Check your answers, then submit; once submitted, the receipt of the last submission
    with its reference (DXD-YYYY-CODE-KQ-Vn)."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code, write=True)
    result = Result.objects.filter(campaign=campaign, organisation=organisation).first()
    if result is None:
        # Nothing saved yet: the form first (or why results cannot be reported).
        return redirect("results:results", year, org_code)
    if request.method == "POST":
        try:
            results_submit(campaign=campaign, organisation=organisation, by=request.user)
        except PlanInvalid as exc:
            return render(request, "results/submit.html", _check_context(
                campaign, organisation, result, errors=exc.errors, warnings=exc.warnings),
                status=422)
        except PlanConflict as exc:
            messages.error(request, str(exc))
            return redirect("results:results", year, org_code)
        messages.success(request, _("Results submitted. A receipt was emailed."))
        return redirect("results:submit", year, org_code)
    if not result.is_editable:
        version = result.versions.select_related("submitted_by").order_by("-number").first()
        if version is not None:
            return render(request, "results/submitted.html", {
                "campaign": campaign, "organisation": organisation, "result": result,
                "version": version, "timing": _deadline(campaign, result),
                "submitted_text": moment_text(version.submitted_at),
                "reference": submission_reference(year=campaign.year,
                                                  org_code=organisation.code,
                                                  number=version.number, track="results")})
    checked = results_check_submit(result=result)
    return render(request, "results/submit.html", _check_context(
        campaign, organisation, result, errors=checked.errors, warnings=checked.warnings,
        data=checked.data))


def _version(result, number: int) -> ResultVersion:
    version = result.versions.filter(number=number).first() if result is not None else None
    if version is None:
        raise Http404("No such version")
    return version


def readable(data: dict) -> list[dict]:
    """A results document as the version page shows it: each section's rows as (label,
    text, links) triples of the non-empty fields."""
    out = []
    for section in SECTIONS:
        rows = []
        for row in data.get(section.name) or []:
            shown = []
            for field in section.fields:
                value = row.get(field.name)
                if value in (None, "", []):
                    continue
                if field.name == "planned":
                    shown.append((str(field.label), str(value), []))
                elif field.rule == "urls":
                    shown.append((str(field.label), "", list(value)))
                elif field.rule == "url":
                    shown.append((str(field.label), "", [value]))
                elif isinstance(field.rule, dict):
                    shown.append((str(field.label), str(field.rule.get(value, value)), []))
                elif field.rule == "date":
                    shown.append((str(field.label), _day(value), []))
                elif field.rule == "count":
                    shown.append((str(field.label), grouped(value), []))
                else:
                    shown.append((str(field.label), str(value), []))
            rows.append({"fields": shown, "added": section.name in ANSWERING
                         and row.get("planned") is None})
        out.append({"name": section.name, "label": section.label, "rows": rows})
    return out


@login_required
@require_GET
def version_detail(request, year: int, org_code: str, number: int):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    result = Result.objects.filter(campaign=campaign, organisation=organisation).first()
    version = _version(result, number)
    return render(request, "results/version.html", {
        "campaign": campaign, "organisation": organisation, "result": result,
        "version": version, "data": version.data, "sections_shown": readable(version.data),
        "submitted_text": moment_text(version.submitted_at),
        "reference": submission_reference(year=campaign.year, org_code=organisation.code,
                                          number=version.number, track="results")})


@login_required
@require_GET
def version_document(request, year: int, org_code: str, number: int):
    """The signed results document of a version (or of the draft, number 0), for those who
    may see; always a download typed by the file's content, never sniffed."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    result = Result.objects.filter(campaign=campaign, organisation=organisation).first()
    if result is None:
        raise Http404("No document")
    if number == 0:
        path, name = result.document.name, result.document_name
    else:
        version = _version(result, number)
        path, name = version.document, version.document_name
    return document_download(path, name, default="bao-cao-ket-qua")
