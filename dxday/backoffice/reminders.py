"""Results reminders: the plans' reminders (dxday.plans.reminders) for the results track.

Units whose plan was accepted and whose results are missing (none, or a draft) or returned
are reminded before and after their results deadline (their extension, else the campaign's),
on the campaign's reminder days; kinds are prefixed "results-" in the same table. Registered
when the app is ready, so that the scheduled task (plans.tasks.send_due_reminders) sends them.
"""

import datetime

from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan
from dxday.plans.reminders import Reminders, register
from dxday.results.models import Result


def results_missing(campaign: Campaign):
    """Recipients whose plan is accepted and whose results are not in: none, a draft, or
    returned to them."""
    ready = Plan.objects.filter(campaign=campaign, status=Plan.Status.ACCEPTED).values(
        "organisation_id")
    done = Result.objects.filter(campaign=campaign, status__in=(
        Result.Status.SUBMITTED, Result.Status.ACCEPTED)).values("organisation_id")
    return campaign.recipients.filter(pk__in=ready).exclude(pk__in=done)


def results_extended(campaign: Campaign) -> dict[int, datetime.datetime]:
    return dict(Result.objects.filter(campaign=campaign, deadline_extension__isnull=False)
                .values_list("organisation_id", "deadline_extension"))


RESULTS_REMINDERS = Reminders(
    name="results", prefix="results-", template="results_reminder",
    deadline=lambda campaign: campaign.results_deadline,
    locked=lambda campaign, now: campaign.results_locked(now),
    missing=results_missing, extensions=results_extended,
    returned=lambda campaign, organisation: Result.objects.filter(
        campaign=campaign, organisation=organisation,
        status=Result.Status.RETURNED).exists())


def register_results_reminders() -> None:
    register(RESULTS_REMINDERS)
