"""Reminders (đôn đốc): to units that have not submitted, before and after the deadline."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.lib import mail
from dxday.plans.models import Plan, Reminder
from dxday.registry.models import Organisation

logger = logging.getLogger(__name__)
DAY = datetime.timedelta(days=1)
# A reminder after the deadline is sent on its day, or the next if the scheduler was down;
# later it would only confuse.
AFTER_GRACE = 2 * DAY


def unit_addresses(organisation: Organisation) -> list[str]:
    """Where a unit's mail goes: its active editors and its focal contacts."""
    editors = User.objects.filter(organisation=organisation, is_active=True,
                                  role=User.Role.EDITOR).values_list("email", flat=True)
    focal = organisation.contacts.filter(is_focal=True).exclude(email="").values_list(
        "email", flat=True)
    return sorted({*editors, *focal})


def due_kind(campaign: Campaign, now: datetime.datetime) -> str | None:
    """The one reminder due now for this campaign, if any ("before-2", "after-1"…)."""
    deadline = campaign.submission_deadline
    if deadline is None or campaign.is_locked(now):
        return None
    if now < deadline:
        passed = [d for d in campaign.days_before if now >= deadline - d * DAY]
        return f"before-{min(passed)}" if passed else None
    passed = [d for d in campaign.days_after
              if deadline + d * DAY <= now < deadline + d * DAY + AFTER_GRACE]
    return f"after-{max(passed)}" if passed else None


def missing_units(campaign: Campaign):
    """Recipients that have not submitted: no plan, or a plan still in draft."""
    submitted = Plan.objects.filter(campaign=campaign).filter(
        ~Q(status=Plan.Status.DRAFT)).values("organisation_id")
    return campaign.recipients.exclude(pk__in=submitted)


def reminders_send_due(*, now: datetime.datetime | None = None) -> list[Reminder]:
    """Send every reminder due now, once: the row is written before the mail goes, so a
    second scheduler (or a second run) finds it and sends nothing."""
    now = now or timezone.now()
    sent = []
    for campaign in Campaign.objects.exclude(submission_deadline=None):
        kind = due_kind(campaign, now)
        if kind is None:
            continue
        done = set(Reminder.objects.filter(campaign=campaign, kind=kind)
                   .values_list("organisation_id", flat=True))
        for organisation in missing_units(campaign).exclude(pk__in=done):
            addresses = unit_addresses(organisation)
            if not addresses:
                continue  # tracking shows the unit has no address on file
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(campaign=campaign,
                                                       organisation=organisation, kind=kind,
                                                       recipients=", ".join(addresses))
            except IntegrityError:
                continue  # another scheduler run took it
            # Mail is sent outside any transaction (SMTP must not hold the database's write
            # lock); if it fails, the row goes so that the next run tries again.
            try:
                mail.send(to=addresses, template="reminder", context={
                    "campaign": campaign, "organisation": organisation,
                    "before": kind.startswith("before"),
                    "deadline": timezone.localtime(campaign.submission_deadline)})
            except Exception:
                logger.exception("Reminder %s to %s failed", kind, organisation.code)
                reminder.delete()
                continue
            sent.append(reminder)
    return sent
