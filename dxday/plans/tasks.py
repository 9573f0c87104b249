"""Background tasks of plans (run by `dxday worker`)."""

from django.utils import timezone
from django_tasks import task

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.lib import mail
from dxday.plans.models import PlanEvent, PlanVersion
from dxday.plans.reminders import reminders_send_due, reminders_send_now, unit_addresses


@task()
def send_submission_receipt(plan_id: int, version: int) -> int:
    """Mail the unit a receipt for a submitted version."""
    v = PlanVersion.objects.select_related("plan__campaign", "plan__organisation",
                                           "submitted_by").get(plan_id=plan_id, number=version)
    to = unit_addresses(v.plan.organisation)
    if v.submitted_by:
        to.append(v.submitted_by.email)
    return mail.send(to=to, template="receipt", context={
        "plan": v.plan, "version": v, "submitted_at": timezone.localtime(v.submitted_at)})


@task()
def send_return_notice(event_id: int) -> int:
    """Mail the unit that its plan was returned, with the comment of that review (the plan
    may have moved on by the time the worker runs)."""
    event = PlanEvent.objects.select_related("plan__campaign", "plan__organisation").get(
        pk=event_id)
    return mail.send(to=unit_addresses(event.plan.organisation), template="returned",
                     context={"plan": event.plan, "comment": event.comment})


@task()
def send_due_reminders() -> int:
    """Send the reminders that are due; the scheduler enqueues this every few minutes."""
    return len(reminders_send_due())


@task()
def send_reminders_now(campaign_id: int, batch: str, by_id: int | None = None) -> int:
    """A reminder a reviewer asked for: sent by the worker, once per unit and batch."""
    campaign = Campaign.objects.get(pk=campaign_id)
    by = User.objects.filter(pk=by_id).first() if by_id else None
    # A province reviewer's reminder goes to the communes of its round only.
    return len(reminders_send_now(campaign=campaign, batch=batch, by=by,
                                  within=by.reviews_province if by else None))
