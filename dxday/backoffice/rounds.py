"""Provincial rounds: a province opens the campaign to its communes with its own deadline and
reminders; its reviewers track and review those communes (and nothing else of the agency)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxday.accounts.access import reviewer_required
from dxday.backoffice.forms import RoundForm
from dxday.campaigns.models import Campaign, ProvincialRound
from dxday.campaigns.selectors import round_communes
from dxday.campaigns.services import may_open_round, round_open
from dxday.plans.access import of_province_communes
from dxday.registry.models import Organisation


def province_round(user, campaign: Campaign) -> ProvincialRound | None:
    """The round of a province reviewer's province in ``campaign`` (None for the agency);
    a province reviewer whose province has no round there gets a 404."""
    province = user.reviews_province
    if province is None:
        return None
    found = (ProvincialRound.objects.select_related("province")
             .filter(campaign=campaign, province_id=province).first())
    if found is None:
        raise Http404("No round of this province")
    return found



def accept_ticked(request, year: int, *, model, accept, accepted_text: str, page: str):
    """A bulk accept of ticked units (plans or results, ``model``; ``accept`` the track's
    bulk service): the agency any unit's, a province reviewer its round's communes' (a code
    outside them is left out, as if it had not been sent). One message naming every unit left
    out, and why: the reviewer returns or follows up."""
    campaign = get_object_or_404(Campaign, year=year)
    own_round = province_round(request.user, campaign)
    ticked = (model.objects.filter(campaign=campaign,
                                   organisation__code__in=request.POST.getlist("codes"))
              .select_related("campaign", "organisation").order_by("organisation__code"))
    if own_round is not None:
        ticked = of_province_communes(ticked, own_round.province_id)
    accepted, skipped = accept(list(ticked), request.user)
    messages.success(request, accepted_text % {"n": len(accepted)})
    if skipped:
        messages.warning(request, _("Not accepted: %(units)s.") % {"units": "; ".join(
            f"{submission.organisation.name} — {reason}" for submission, reason in skipped)})
    return redirect(page, year)

def _provinces(user, campaign: Campaign) -> list[Organisation]:
    """The provinces this person may open a round for: their own, or (an agency admin) every
    province that is a recipient of the campaign."""
    if user.reviews_province is not None:
        return list(Organisation.objects.filter(pk=user.reviews_province))
    if not user.is_agency_admin:
        raise PermissionDenied
    return list(campaign.recipients.filter(kind__in=Organisation.PROVINCIAL_KINDS)
                .order_by("name"))


@reviewer_required
@require_http_methods(["GET", "POST"])
def round_page(request, year: int):
    """Open (or change) a province's round: the deadline, the reminder days; the province's
    communes become recipients. A province reviewer sees their own; an agency admin chooses
    the province."""
    campaign = get_object_or_404(Campaign, year=year)
    provinces = _provinces(request.user, campaign)
    rounds = {r.province_id: r for r in ProvincialRound.objects.filter(
        campaign=campaign, province__in=provinces).select_related("opened_by", "province")}
    choices = [(p.code, p.name) for p in provinces]
    chosen_code = request.POST.get("province") or request.GET.get("province") or (
        provinces[0].code if len(provinces) == 1 else "")
    chosen = next((p for p in provinces if p.code == chosen_code), None)
    current = rounds.get(chosen.pk) if chosen else None
    initial = {"province": chosen_code,
               "reminder_days_before": (current or campaign).reminder_days_before,
               "reminder_days_after": (current or campaign).reminder_days_after}
    if current is not None:
        initial["deadline"] = current.deadline
    form = RoundForm(request.POST or None, provinces=choices, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid() and chosen is not None and may_open_round(request.user, chosen):
            data = form.cleaned_data
            try:
                _round, added = round_open(
                    campaign=campaign, province=chosen, deadline_day=data["deadline"],
                    by=request.user, days_before=data["reminder_days_before"],
                    days_after=data["reminder_days_after"])
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
                status = 422
            else:
                messages.success(request, _("The round of %(province)s is open: %(n)d "
                                            "communes added to the recipients.")
                                 % {"province": chosen.name, "n": added})
                return redirect(f"{request.path}?province={chosen.code}")
        else:
            status = 422
    communes = round_communes(campaign, chosen).count() if chosen else 0
    return render(request, "backoffice/round.html", {
        "campaign": campaign, "form": form, "chosen": chosen, "current": current,
        "communes": communes, "rounds": sorted(rounds.values(), key=lambda r: r.province_id),
        "provinces": {p.pk: p for p in provinces}}, status=status)
