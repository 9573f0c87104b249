"""The agency's side of results: who reported what (per level, like the plans' tracking),
the review of a unit's results beside its accepted plan, bulk accept and reminders.

The figures come from dxday.results.selectors (house rule 11); the writes from
dxday.results.services; who may see which unit from dxday.plans.access, as for plans.
"""

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxday.accounts.access import reviewer_required
from dxday.backoffice.reminders import RESULTS_REMINDERS
from dxday.backoffice.rounds import accept_ticked, province_round
from dxday.backoffice.tasks import send_results_reminders_now
from dxday.campaigns.models import Campaign
from dxday.lib.text import fold
from dxday.plans.access import may_review, of_province_communes, plan_target
from dxday.plans.diff import PATH_PART, diff
from dxday.plans.models import Reminder
from dxday.plans.reminders import reminder_preview
from dxday.plans.selectors import GROUP_LABELS, KIND_GROUPS
from dxday.plans.services import PlanConflict
from dxday.plans.validation import PlanInvalid
from dxday.registry.models import Organisation
from dxday.results.models import Result
from dxday.results.schema import CHOICES as RESULT_CHOICES
from dxday.results.schema import SECTIONS as RESULT_SECTIONS
from dxday.results.selectors import plan_vs_result, result_rows, tally
from dxday.results.services import accepted_plan_version, results_bulk_accept, results_review

RESULT_STATES = {
    "not_ready": gettext_lazy("Not ready (plan not accepted)"),
    "missing": gettext_lazy("Missing"), "draft": gettext_lazy("Draft, not submitted"),
    "submitted": gettext_lazy("Submitted, to review"), "returned": gettext_lazy("Returned"),
    "accepted": gettext_lazy("Accepted")}
FIELD_LABELS = {f.name: f.label for s in RESULT_SECTIONS for f in s.fields}
ROW_LABELS = {s.name: s.row_label for s in RESULT_SECTIONS}


def _group(row) -> str:
    return getattr(row, "group", "") or KIND_GROUPS.get(getattr(row, "kind", ""), "other")


def _filters(request) -> dict:
    get = request.GET
    return {"group": get.get("group", "") if get.get("group") in GROUP_LABELS else "",
            "state": get.get("state", "") if get.get("state") in RESULT_STATES else "",
            "parent": get.get("parent", "")[:32], "q": get.get("q", "")[:100],
            "late": get.get("late") == "1"}


def _matches(row, filters: dict) -> bool:
    needle = fold(filters["q"])
    return not ((filters["group"] and _group(row) != filters["group"])
                or (filters["state"] and row.state != filters["state"])
                or (filters["late"] and row.on_time is not False)
                or (needle and needle not in fold(f"{row.code} {row.name}")))


def _levels(rows) -> list[dict]:
    """National → province: each provincial recipient whose communes are recipients too, with
    its communes' tally (their rows lead on with ?parent=CODE)."""
    provincial = {r.code: r for r in rows if getattr(r, "kind", "") in
                  Organisation.PROVINCIAL_KINDS}
    below: dict[str, list] = {}
    for row in rows:
        if row.parent_code in provincial and row.kind in Organisation.COMMUNE_KINDS:
            below.setdefault(row.parent_code, []).append(row)
    return [{"code": code, "name": provincial[code].name, "own": provincial[code].state,
             "counts": tally(communes)} for code, communes in sorted(
                below.items(), key=lambda item: provincial[item[0]].name)]


@reviewer_required
@require_GET
def tracking(request, year: int):
    """Who reported results: national → province → commune (?parent=CODE); a province
    reviewer sees the communes of its round only. The plan-versus-result figures of the
    level shown come from the one selector."""
    campaign = get_object_or_404(Campaign, year=year)
    own_round = province_round(request.user, campaign)
    filters = _filters(request)
    within = own_round.province.code if own_round else filters["parent"]
    all_rows = result_rows(campaign, within=within)
    if own_round is not None:
        # The round's communes only (its province's own results are the agency's to review).
        all_rows = [r for r in all_rows if r.kind in Organisation.COMMUNE_KINDS]
    rows = [r for r in all_rows if _matches(r, filters)]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    parent = Organisation.objects.filter(code=within).first() if within else None
    preview = reminder_preview(campaign, track=RESULTS_REMINDERS,
                               within=own_round.province_id if own_round else None)
    return render(request, "backoffice/results_tracking.html", {
        "campaign": campaign, "round": own_round, "parent": parent, "filters": filters,
        "states": RESULT_STATES, "groups": GROUP_LABELS, "query": query.urlencode(),
        "summary": tally(all_rows), "filtered": tally(rows) if len(rows) != len(all_rows) else None,
        "page": page, "levels": None if within else _levels(all_rows),
        "figures": plan_vs_result(
            campaign, parent=within, public=False,
            kinds=Organisation.COMMUNE_KINDS if own_round is not None else ()),
        "remindable": sum(1 for r in preview if r["addresses"]), "to_remind": len(preview),
        "batch": secrets.token_hex(12), "sent": _reminders_sent(campaign, own_round)})


@reviewer_required
@require_POST
def bulk_accept(request, year: int):
    """Accept the ticked submitted results (rounds.accept_ticked)."""
    return accept_ticked(
        request, year, model=Result, page="backoffice:results",
        accept=lambda results, by: results_bulk_accept(results=results, by=by),
        accepted_text=_("%(n)d results accepted."))


@reviewer_required
@require_POST
def remind(request, year: int):
    """Remind now the units whose results are missing or returned (a province reviewer: its
    round's communes); the same form sent twice sends nothing more."""
    campaign = get_object_or_404(Campaign, year=year)
    own_round = province_round(request.user, campaign)
    batch = request.POST.get("batch", "")
    if not (len(batch) == 24 and all(c in "0123456789abcdef" for c in batch)):
        messages.error(request, _("This form has expired: look at the list again and send."))
        return redirect("backoffice:results", year)
    reachable = sum(1 for r in reminder_preview(
        campaign, track=RESULTS_REMINDERS,
        within=own_round.province_id if own_round else None) if r["addresses"])
    if reachable:
        send_results_reminders_now.enqueue(campaign.pk, batch, request.user.pk)
        messages.success(request, _("The results reminder is being sent to %(n)d units.")
                         % {"n": reachable})
    else:
        messages.info(request, _("No unit can be reminded now."))
    return redirect("backoffice:results", year)


def _reminder_label(reminder: Reminder) -> str:
    """ "results-before-7" → "7 days before"; a reviewer's → "sent by …"."""
    kind = reminder.kind.removeprefix(RESULTS_REMINDERS.prefix)
    if kind.startswith("before-"):
        return _("%(d)s days before") % {"d": kind.removeprefix("before-")}
    if kind.startswith("after-"):
        return _("%(d)s days after") % {"d": kind.removeprefix("after-")}
    return _("sent by %(who)s") % {"who": reminder.sent_by or _("a reviewer")}


def _reminders_sent(campaign: Campaign, own_round) -> list[Reminder]:
    sent = Reminder.objects.filter(campaign=campaign,
                                   kind__startswith=RESULTS_REMINDERS.prefix)
    if own_round is not None:
        sent = of_province_communes(sent, own_round.province_id)
    sent = list(sent.select_related("organisation", "sent_by").order_by("-sent_at")[:50])
    for reminder in sent:
        reminder.label = _reminder_label(reminder)
    return sent


def _label(path: str) -> str:
    """ "activities[0].status" → "Activity 1 — What happened" (the results' labels)."""
    parts = []
    for name, index in PATH_PART.findall(path):
        if index:
            parts.append(f"{ROW_LABELS.get(name, name)} {int(index) + 1}")
        else:
            parts.append(str(FIELD_LABELS.get(name, name)))
    return " — ".join(parts)


def _shown(field: str, value: str) -> str:
    return str(RESULT_CHOICES.get(field, {}).get(value, value)) if value else value


def _changes(old: dict, new: dict) -> list[dict]:
    """What changed from one results version to the next, in the results' words."""
    out = []
    for change in diff(old, new):
        field = PATH_PART.findall(change.path)[-1][0]
        out.append({"label": _label(change.path), "old": _shown(field, change.old),
                    "new": _shown(field, change.new), "kind": change.kind})
    return out


def _side_by_side(planned: dict, reported: dict, section: str, title: str) -> dict:
    """Each row of the plan with the row of the results that answers it (or None), then the
    rows that were not planned."""
    answers: dict[int, dict] = {}
    added = []
    for row in reported.get(section, []):
        if row.get("planned"):
            answers.setdefault(row["planned"], row)
        else:
            added.append(row)
    rows = [{"number": n, "plan": row, "result": answers.get(n)}
            for n, row in enumerate(planned.get(section, []), start=1)]
    return {"rows": rows, "added": added,
            "missing": sum(1 for r in rows if r["result"] is None), "title": title}


@reviewer_required
@require_http_methods(["GET", "POST"])
def review(request, year: int, org_code: str):
    """A unit's submitted results beside its accepted plan, row by row; the versions and
    what changed between them; accept, or return with a comment."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    result = (Result.objects.select_related("campaign", "organisation")
              .filter(campaign=campaign, organisation=organisation).first())
    if request.method == "POST":
        if result is None:
            raise Http404("No results")
        try:
            results_review(result=result, by=request.user,
                           decision=request.POST.get("decision", ""),
                           comment=request.POST.get("comment", ""))
        except PlanInvalid as exc:
            messages.error(request, " ".join(p.message for p in exc.errors))
        except PlanConflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Review recorded."))
        return redirect("backoffice:results_review", year, org_code)
    versions = (list(result.versions.select_related("submitted_by", "plan_version"))
                if result else [])
    for previous, version in zip(versions, versions[1:], strict=False):
        version.changes = _changes(previous.data, version.data)
    latest = versions[-1] if versions else None
    plan_version = ((latest.plan_version if latest else None)
                    or accepted_plan_version(campaign, organisation))
    planned = plan_version.data if plan_version else {}
    reported = latest.data if latest else {}
    return render(request, "backoffice/results_review.html", {
        "campaign": campaign, "organisation": organisation, "result": result,
        "states": RESULT_STATES, "versions": versions, "latest": latest,
        "plan_version": plan_version, "reported": reported,
        "activities": _side_by_side(planned, reported, "activities", _("Activities")),
        "initiatives": _side_by_side(planned, reported, "initiatives",
                                     _("Digital initiatives")),
        "choices": RESULT_CHOICES,
        "can_review": may_review(request.user, organisation),
        "events": list(result.events.select_related("by")) if result else []})
