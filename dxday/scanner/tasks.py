"""Background scans (run by `dxday worker`; enqueued on demand and by the scheduler)."""

from django.utils import timezone
from django_tasks import task

from dxday.campaigns.models import Campaign

from . import services


@task(takes_context=True)
def scan_campaign(context, campaign_id: int, due_only: bool = True) -> int:
    """Sync the targets of a campaign, then scan those due (or all of them).

    A run that a lost worker left unfinished is run again by another (dxday.ops.worker): it
    resumes, skipping every target checked since this task was enqueued, so no address is
    checked twice for one request."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if not campaign.kit_files.exclude(variant="negative").exists():
        return 0
    services.targets_sync(campaign=campaign)
    if due_only:
        targets = services.targets_due(campaign=campaign)
    else:
        targets = list(campaign.scan_targets.filter(active=True))
    since = context.task_result.enqueued_at
    if since is not None:
        targets = [t for t in targets if t.last_checked_at is None or t.last_checked_at < since]
    return services.targets_scan(campaign=campaign, targets=targets)


@task()
def scan_due_campaigns() -> int:
    """For every campaign inside its kit window, enqueue a scan of its due targets."""
    today = timezone.localdate()
    count = 0
    for campaign in Campaign.objects.filter(kit_window_start__lte=today,
                                            kit_window_end__gte=today):
        scan_campaign.enqueue(campaign.pk, True)
        count += 1
    return count
