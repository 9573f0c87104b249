"""The agency's yearly set-up: a campaign copied from last year, its settings and legal basis,
its recipients chosen by group, the call composed and sent, reminders on demand and deadline
extensions. No step needs the developer admin."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxday.accounts.access import admin_required, reviewer_required
from dxday.backoffice import call as call_services
from dxday.backoffice.forms import (
    CallForm,
    CampaignCopyForm,
    CampaignForm,
    DocumentLinkForm,
    ExtensionDecisionForm,
    RecipientGroupsForm,
)
from dxday.backoffice.reminders import RESULTS_REMINDERS
from dxday.backoffice.rounds import province_round
from dxday.campaigns import services as campaign_services
from dxday.campaigns.models import CallDelivery, Campaign
from dxday.lib import mail
from dxday.plans.extensions import extension_decide
from dxday.plans.models import ExtensionRequest, Reminder
from dxday.plans.reminders import MANUAL_PREFIX, reminder_preview
from dxday.plans.tasks import send_reminders_now
from dxday.registry.models import Organisation


def _form_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form's fields (or on top when no field matches)."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@admin_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    """A new campaign, copied from an earlier one (last year's by default)."""
    latest = Campaign.objects.order_by("-year").first()
    initial = {"source": latest.year, "year": latest.year + 1} if latest else {}
    form = CampaignCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_services.campaign_copy(source=form.cleaned_data["source"],
                                                       year=form.cleaned_data["year"],
                                                       by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The %(year)d campaign was created from %(source)d: "
                                        "check its dates, recipients and legal basis.")
                             % {"year": campaign.year, "source": form.cleaned_data["source"].year})
            return redirect("backoffice:campaign_setup", campaign.year)
    return render(request, "backoffice/campaign_new.html", {"form": form},
                  status=422 if form.errors else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def campaign_setup(request, year: int):
    """The campaign's settings and its legal basis."""
    campaign = get_object_or_404(Campaign, year=year)
    form = CampaignForm(initial=CampaignForm.initial_for(campaign))
    doc_form = DocumentLinkForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "save":
            form = CampaignForm(request.POST)
            if form.is_valid():
                try:
                    campaign_services.campaign_update(campaign=campaign, values=form.values(),
                                                      by=request.user)
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("Campaign saved."))
                    return redirect("backoffice:campaign_setup", year)
            campaign.refresh_from_db()
        elif action == "link":
            doc_form = DocumentLinkForm(request.POST)
            if doc_form.is_valid():
                data = doc_form.cleaned_data
                try:
                    campaign_services.campaign_link_document(
                        campaign=campaign, number=data["doc_number"], date=data["doc_date"],
                        title=data["doc_title"], by=request.user)
                except ValidationError as exc:
                    _form_errors(doc_form, exc)
                else:
                    messages.success(request, _("Document added to the legal basis."))
                    return redirect("backoffice:campaign_setup", year)
        elif action == "unlink":
            link = request.POST.get("link", "")
            if not link.isdigit():
                raise Http404("No such document link")
            campaign_services.campaign_unlink_document(
                campaign=campaign, link_id=int(link), by=request.user)
            messages.success(request, _("Document removed from the legal basis."))
            return redirect("backoffice:campaign_setup", year)
        if form.errors or doc_form.errors:
            status = 422
    links = campaign.campaign_documents.select_related("document").order_by("order")
    return render(request, "backoffice/campaign_setup.html", {
        "campaign": campaign, "form": form, "doc_form": doc_form, "links": links,
        "error_forms": [f for f in (form, doc_form) if f.errors]}, status=status)


def _recipient_groups(campaign: Campaign) -> list[dict]:
    counts = dict(campaign.recipients.values_list("kind").annotate(n=Count("pk"))
                  .values_list("kind", "n"))
    labels = dict(Organisation.Kind.choices)
    return [{"label": labels.get(kind, kind), "count": n} for kind, n in sorted(counts.items())]


@admin_required
@require_http_methods(["GET", "POST"])
def campaign_recipients(request, year: int):
    """Recipients chosen by group (bodies existing on a day), and removed one by one."""
    campaign = get_object_or_404(Campaign, year=year)
    day = campaign_services.reference_day(campaign) or timezone.localdate()
    provinces = list(Organisation.objects.valid_on(day).provincial().order_by("name")
                     .values_list("code", "name"))
    form = RecipientGroupsForm(initial={"day": day, "replace": "add"})
    if request.method == "POST" and request.POST.get("action") == "remove":
        organisation = get_object_or_404(Organisation, code=request.POST.get("code", "")[:32])
        try:
            campaign_services.campaign_remove_recipient(
                campaign=campaign, organisation=organisation, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(org)s is no longer a recipient.")
                             % {"org": organisation})
        return redirect("backoffice:campaign_recipients", year)
    if request.method == "POST":
        form = RecipientGroupsForm(request.POST)
        form.fields["communes_of"].choices = provinces
        if form.is_valid():
            data = form.cleaned_data
            try:
                pks = campaign_services.recipients_for_groups(
                    day=data["day"], central=data["central"], provinces=data["provinces"],
                    communes_of=data["communes_of"])
                total = campaign_services.campaign_set_recipients(
                    campaign=campaign, pks=pks, replace=data["replace"], by=request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("%(n)d recipients.") % {"n": total})
                return redirect("backoffice:campaign_recipients", year)
    form.fields["communes_of"].choices = provinces
    recipients = (campaign.recipients.select_related("parent")
                  .order_by("kind", "parent__name", "name"))
    page = Paginator(recipients, 100).get_page(request.GET.get("page"))
    return render(request, "backoffice/campaign_recipients.html", {
        "campaign": campaign, "form": form, "page": page, "day": day,
        "groups": _recipient_groups(campaign)}, status=422 if form.errors else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def campaign_call(request, year: int):
    """The year's dispatch: written here, published as a document page, then mailed to the
    focal contacts of every recipient; each delivery's status is kept."""
    campaign = get_object_or_404(Campaign, year=year)
    link = call_services.call_link(campaign)
    document = link.document if link else None
    sent = call_services.call_sent(campaign)
    initial = ({"number": document.number, "date": document.date, "signer": document.signer,
                "title": document.title, "body": document.body} if document else
               {"date": timezone.localdate()})
    form = CallForm(initial=initial)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            queued = call_services.call_send(campaign=campaign, by=request.user)
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                messages.error(request, " ".join(problems))
        else:
            messages.success(request, _("The call is being sent to %(n)d addresses.")
                             % {"n": queued})
        return redirect("backoffice:campaign_call", year)
    if request.method == "POST":
        form = CallForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                call_services.call_compose(campaign=campaign, number=data["number"],
                                           date=data["date"], signer=data["signer"],
                                           title=data["title"], body=data["body"],
                                           upload=data["file"], by=request.user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Dispatch saved and published."))
                return redirect("backoffice:campaign_call", year)
        status = 422
    pairs, without = call_services.call_addresses(campaign)
    deliveries = campaign.call_deliveries.select_related("organisation")
    which = request.GET.get("status", "")
    if which in CallDelivery.Status.values:
        deliveries = deliveries.filter(status=which)
    page = Paginator(deliveries, 100).get_page(request.GET.get("page"))
    progress = call_services.call_progress(campaign)
    return render(request, "backoffice/campaign_call.html", {
        "campaign": campaign, "form": form, "document": document, "sent": sent,
        "addresses": len(pairs), "without": without, "page": page, "progress": progress,
        "statuses": CallDelivery.Status.choices, "which": which,
        "kit_count": campaign.kit_files.count(),
        "refresh": progress["queued"] > 0}, status=status)


@reviewer_required
@require_http_methods(["GET", "POST"])
def reminders(request, year: int):
    """Send a reminder now: the text and the units it goes to are shown first; each unit is
    told against its own deadline (an extension included). A province reviewer reminds the
    communes of its round only."""
    campaign = get_object_or_404(Campaign, year=year)
    own_round = province_round(request.user, campaign)
    within = own_round.province_id if own_round else None
    if request.method == "POST":
        batch = request.POST.get("batch", "")
        if not (len(batch) == 24 and all(c in "0123456789abcdef" for c in batch)):
            messages.error(request, _("This form has expired: look at the list again and "
                                      "send."))
            return redirect("backoffice:reminders", year)
        reachable = sum(1 for r in reminder_preview(campaign, within=within)
                        if r["addresses"])
        if reachable:
            send_reminders_now.enqueue(campaign.pk, batch, request.user.pk)
            messages.success(request, _("The reminder is being sent to %(n)d units; the list "
                                        "below shows each one once it has gone.")
                             % {"n": reachable})
        else:
            messages.info(request, _("No unit can be reminded now."))
        return redirect("backoffice:reminders", year)
    rows = reminder_preview(campaign, within=within)
    sample = next((r for r in rows if r["addresses"]), None)
    preview = None
    if sample is not None:
        message = mail.build(to=sample["addresses"], template="reminder", context={
            "campaign": campaign, "organisation": sample["organisation"],
            "before": not sample["late"],
            "deadline": sample["deadline"]})
        body_vi, _sep, body_en = message.body.partition("\n-- English --\n")
        subject_vi, _sep, subject_en = message.subject.partition(" / ")
        preview = {"subject": subject_vi, "subject_en": subject_en, "vi": body_vi.strip(),
                   "en": body_en.strip()}
    # The plans' reminders (results reminders are listed on the results page).
    history = Reminder.objects.filter(campaign=campaign).exclude(
        kind__startswith=RESULTS_REMINDERS.prefix)
    if within is not None:
        history = history.filter(organisation__parent_id=within)
    history = (history.select_related("organisation", "sent_by")
               .order_by("-sent_at")[:200])
    return render(request, "backoffice/reminders.html", {
        "campaign": campaign, "rows": rows, "preview": preview, "sample": sample,
        "reachable": sum(1 for r in rows if r["addresses"]), "batch": secrets.token_hex(12),
        "history": history, "manual_prefix": MANUAL_PREFIX})


@reviewer_required
@require_http_methods(["GET", "POST"])
def extensions(request, year: int):
    """Requests for more time: waiting ones first; grant a date or refuse with a comment.
    A province reviewer decides those of its round's communes only."""
    campaign = get_object_or_404(Campaign, year=year)
    own_round = province_round(request.user, campaign)
    requests = ExtensionRequest.objects.filter(plan__campaign=campaign)
    if own_round is not None:
        requests = requests.filter(plan__organisation__parent_id=own_round.province_id,
                                   plan__organisation__kind__in=Organisation.COMMUNE_KINDS)
    requests = (requests
                .select_related("plan__organisation", "requested_by", "decided_by")
                .order_by("status", "-requested_at"))
    forms_by_pk = {}
    status = 200
    if request.method == "POST":
        pk = request.POST.get("request", "")
        target = get_object_or_404(requests, pk=int(pk) if pk.isdigit() else 0)
        form = ExtensionDecisionForm(request.POST, prefix=str(target.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                extension_decide(request=target, by=request.user, decision=data["decision"],
                                 until=data["until"], comment=data["comment"])
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Decision recorded; the unit was told by mail."))
                return redirect("backoffice:extensions", year)
        forms_by_pk[target.pk] = form
        status = 422
    rows = [{"request": r, "form": forms_by_pk.get(r.pk) or ExtensionDecisionForm(
        prefix=str(r.pk), initial={"until": r.wanted_until})} for r in requests]
    return render(request, "backoffice/extensions.html", {
        "campaign": campaign, "rows": rows,
        "waiting": sum(1 for r in requests if r.status == ExtensionRequest.Status.REQUESTED),
    }, status=status)

