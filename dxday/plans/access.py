"""Every lookup of a plan on a user's behalf goes through here.

A unit editor sees only its own organisation's plans; the agency sees all; a province reviewer
sees its province's communes. Anything else is a 404, so that nobody learns whether another
unit's plan exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan
from dxday.registry.models import Organisation


def may_see(user: User, organisation: Organisation) -> bool:
    """The agency sees every unit; a province reviewer its province and the communes under
    it; anyone else only their own unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_agency:
        return True
    if user.reviews_province is not None and in_province(user.reviews_province, organisation):
        return True
    return user.organisation_id is not None and user.organisation_id == organisation.pk


def in_province(province_id: int, organisation: Organisation) -> bool:
    """A commune-level unit of the province (what its reviewers review)."""
    return (organisation.parent_id == province_id
            and organisation.kind in Organisation.COMMUNE_KINDS)


def of_province_communes(queryset, province_id: int):
    """``queryset`` (of plans, results or anything with an ``organisation``) narrowed to the
    commune-level units of the province: in_province, as a filter."""
    return queryset.filter(organisation__parent_id=province_id,
                           organisation__kind__in=Organisation.COMMUNE_KINDS)


def may_review(user: User, organisation: Organisation) -> bool:
    """The agency reviews every unit's plan; a province reviewer its communes' plans."""
    return user.is_agency or (user.reviews_province is not None
                              and in_province(user.reviews_province, organisation))


def plan_target(user: User, *, year: int, org_code: str, write: bool = False
                ) -> tuple[Campaign, Organisation]:
    """The campaign and recipient organisation a user may see (or, with ``write``, edit).

    Another unit's plan is a 404. Only the unit's own editors write its plan: the agency,
    which sees every plan, gets a 403 there (it reviews, it does not edit).
    """
    campaign = Campaign.objects.filter(year=year).first()
    organisation = Organisation.objects.filter(code=org_code).first()
    if (campaign is None or organisation is None or not may_see(user, organisation)
            or not campaign.recipients.filter(pk=organisation.pk).exists()):
        raise Http404("No such plan")
    if write and (user.role != User.Role.EDITOR or user.organisation_id != organisation.pk):
        raise PermissionDenied("Only the unit's editors change its plan")
    return campaign, organisation


def plan_or_blank(campaign: Campaign, organisation: Organisation) -> Plan:
    """The stored plan, or an unsaved empty draft (a page view never writes)."""
    plan = (Plan.objects.select_related("campaign", "organisation")
            .filter(campaign=campaign, organisation=organisation).first())
    return plan or Plan(campaign=campaign, organisation=organisation)

