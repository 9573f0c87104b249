"""Background tasks of the back office (run by `dxday worker`)."""

from django_tasks import task

from dxday.accounts.models import User
from dxday.backoffice.reminders import RESULTS_REMINDERS
from dxday.campaigns.models import Campaign
from dxday.plans.reminders import reminders_send_now


@task()
def send_results_reminders_now(campaign_id: int, batch: str, by_id: int | None = None) -> int:
    """A results reminder a reviewer asked for: sent by the worker, once per unit and batch;
    a province reviewer's to the communes of its round only."""
    campaign = Campaign.objects.get(pk=campaign_id)
    by = User.objects.filter(pk=by_id).first() if by_id else None
    return len(reminders_send_now(campaign=campaign, batch=batch, by=by, track=RESULTS_REMINDERS,
                                  within=by.reviews_province if by else None))
