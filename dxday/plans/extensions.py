"""Deadline extensions: a unit asks, with a reason; a reviewer grants a new deadline or
refuses with a comment. A granted extension is the unit's own deadline everywhere: on time or
late, reminders, tracking."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.campaigns.models import Campaign
from dxday.campaigns.selectors import unit_deadline
from dxday.campaigns.services import local_midnight
from dxday.lib import mail
from dxday.plans.models import ExtensionRequest
from dxday.plans.reminders import unit_addresses
from dxday.plans.services import plan_for_update
from dxday.registry.models import Organisation

logger = logging.getLogger(__name__)


def _check_day(campaign: Campaign, day: datetime.date | None, field: str,
               organisation: Organisation) -> dict:
    if day is None:
        return {field: _("Enter the new deadline (dd/mm/yyyy).")}
    moment = local_midnight(day)
    # The unit's deadline without an extension: its province round's, else the campaign's.
    base = unit_deadline(campaign, parent_id=organisation.parent_id)
    in_round = base is not None and base != campaign.submission_deadline
    if base and moment <= base:
        if in_round:
            return {field: _("The new deadline must be after the province's deadline "
                             "(%(day)s).") % {"day": f"{timezone.localtime(base):%d/%m/%Y}"}}
        return {field: _("The new deadline must be after the campaign's deadline.")}
    national = campaign.submission_deadline
    if in_round and national and moment > national:
        # A commune of a province's round answers to its province, which reports its
        # communes upward by the national deadline: its extension cannot pass that day.
        return {field: _("A commune of a province's round must send its plan by the national "
                         "deadline (%(day)s), so that the province can report it.") % {
            "day": f"{timezone.localtime(national):%d/%m/%Y}"}}
    if campaign.lock_at and moment > campaign.lock_at:
        locked = timezone.localtime(campaign.lock_at)
        return {field: _("The new deadline must not be after the day plans are locked "
                         "(%(day)s).") % {"day": f"{locked:%d/%m/%Y}"}}
    return {}


@transaction.atomic
def extension_request(*, campaign: Campaign, organisation: Organisation, by, reason: str,
                      wanted_until: datetime.date | None = None) -> ExtensionRequest:
    """A unit asks for more time. One open request at a time; not once the plan was sent."""
    plan = plan_for_update(campaign=campaign, organisation=organisation, by=by)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the unit needs more time.")
    if plan.submitted_at is not None:
        errors["reason"] = _("The plan has already been submitted: no extension is needed.")
    if campaign.is_locked():
        errors["reason"] = _("The campaign is closed.")
    if wanted_until is not None:
        errors.update(_check_day(campaign, wanted_until, "wanted_until", organisation))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ExtensionRequest.objects.create(plan=plan, reason=reason.strip(),
                                                   wanted_until=wanted_until, requested_by=by)
    except IntegrityError:
        raise ValidationError({"reason": _("A request of this unit is already waiting for a "
                                           "decision.")}) from None


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, by, decision: str,
                     until: datetime.date | None = None, comment: str = "") -> ExtensionRequest:
    """Grant (with the new deadline: “before dd/mm/yyyy”, i.e. 00:00 that day, Vietnam time)
    or refuse (with a comment). The unit is told by mail."""
    request = ExtensionRequest.objects.select_for_update().select_related(
        "plan__campaign", "plan__organisation").get(pk=request.pk)
    if request.status != ExtensionRequest.Status.REQUESTED:
        raise ValidationError({"decision": _("This request has already been decided.")})
    plan = request.plan
    campaign = plan.campaign
    if decision == "grant" and plan.submitted_at is not None:
        raise ValidationError({"decision": _("The plan was submitted while the request waited: "
                                             "no extension is needed; refuse it with a "
                                             "comment.")})
    if decision == "grant":
        errors = _check_day(campaign, until, "until", plan.organisation)
        if errors:
            raise ValidationError(errors)
        request.status, request.granted_until = (ExtensionRequest.Status.GRANTED,
                                                 local_midnight(until))
        plan.deadline_extension = request.granted_until
        plan.extension_reason = request.reason[:500]
        plan._history_user = by
        plan.save(update_fields=["deadline_extension", "extension_reason", "updated_at"])
    elif decision == "refuse":
        if not comment.strip():
            raise ValidationError({"comment": _("Say why the request is refused.")})
        request.status = ExtensionRequest.Status.REFUSED
    else:
        raise ValidationError({"decision": _("Choose to grant or to refuse.")})
    request.comment, request.decided_by, request.decided_at = (comment.strip(), by,
                                                                timezone.now())
    request.save()
    addresses = unit_addresses(plan.organisation)
    if request.requested_by_id and request.requested_by.email:
        addresses.append(request.requested_by.email)
    def tell_the_unit():
        # The decision stands even if the mail server is down; the unit sees it on its page.
        try:
            mail.send(to=addresses, template="extension", context={
                "request": request, "plan": plan, "campaign": campaign,
                "organisation": plan.organisation})
        except Exception:
            logger.exception("Extension decision mail to %s failed", plan.organisation.code)

    transaction.on_commit(tell_the_unit)
    return request

