"""Reminders (đôn đốc): to units that have not submitted, before and after their deadline.

Each unit is reminded against its own deadline (campaigns.selectors.unit_deadline): the
extension it was granted, else its province round's, else the campaign's; a commune of a round
on the round's reminder days. Scheduled reminders follow the campaign's days (7 and 2 days
before, 1 day after…); reviewers also send one when they choose, to the units they see in a
preview first.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.campaigns.selectors import rounds_by_province, unit_deadline, unit_reminder_days
from dxday.lib import mail
from dxday.plans.models import Plan, Reminder
from dxday.registry.models import Contact, Organisation

logger = logging.getLogger(__name__)
DAY = datetime.timedelta(days=1)
# A reminder after the deadline is sent on its day, or the next if the scheduler was down;
# later it would only confuse.
AFTER_GRACE = 2 * DAY
MANUAL_PREFIX = "manual-"


def unit_addresses(organisation: Organisation) -> list[str]:
    """Where a unit's mail goes: its active editors and its focal contacts."""
    return addresses_by_unit([organisation.pk]).get(organisation.pk, [])


def addresses_by_unit(pks) -> dict[int, list[str]]:
    """unit_addresses for many units at once, in two queries (a campaign has thousands)."""
    found: dict[int, set[str]] = {}
    editors = User.objects.filter(organisation_id__in=pks, is_active=True,
                                  role=User.Role.EDITOR).values_list("organisation_id", "email")
    focal = Contact.objects.filter(organisation_id__in=pks, is_focal=True).exclude(
        email="").values_list("organisation_id", "email")
    for pk, address in (*editors, *focal):
        found.setdefault(pk, set()).add(address)
    return {pk: sorted(addresses) for pk, addresses in found.items()}


def due_kind(campaign: Campaign, now: datetime.datetime,
             deadline: datetime.datetime | None = None,
             days: tuple[list[int], list[int]] | None = None) -> str | None:
    """The one reminder due now against ``deadline`` (the campaign's by default), if any
    ("before-2", "after-1"…); ``days`` (before, after) are the campaign's by default, a
    province round's for its communes."""
    deadline = deadline or campaign.submission_deadline
    days_before, days_after = days or (campaign.days_before, campaign.days_after)
    if deadline is None or campaign.is_locked(now):
        return None
    if now < deadline:
        passed = [d for d in days_before if now >= deadline - d * DAY]
        return f"before-{min(passed)}" if passed else None
    passed = [d for d in days_after
              if deadline + d * DAY <= now < deadline + d * DAY + AFTER_GRACE]
    return f"after-{max(passed)}" if passed else None


def missing_units(campaign: Campaign):
    """Recipients that have not submitted: no plan, or a plan still in draft."""
    submitted = Plan.objects.filter(campaign=campaign).filter(
        ~Q(status=Plan.Status.DRAFT)).values("organisation_id")
    return campaign.recipients.exclude(pk__in=submitted)


def extensions_of(campaign: Campaign) -> dict[int, datetime.datetime]:
    """The extended deadlines of the campaign's units (the others have their round's or the
    campaign's)."""
    return dict(Plan.objects.filter(campaign=campaign, deadline_extension__isnull=False)
                .values_list("organisation_id", "deadline_extension"))


def _send_one(*, campaign: Campaign, organisation: Organisation, kind: str,
              deadline: datetime.datetime | None, now: datetime.datetime,
              addresses: list[str], by=None) -> Reminder | None:
    """Write the reminder's row, then send it; a row already there means it was sent."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(campaign=campaign, organisation=organisation,
                                               kind=kind, recipients=", ".join(addresses),
                                               sent_by=by)
    except IntegrityError:
        return None  # another run (or a second click) took it
    # Mail is sent outside any transaction (SMTP must not hold the database's write lock);
    # if it fails, the row goes so that the next run tries again.
    try:
        mail.send(to=addresses, template="reminder", context={
            "campaign": campaign, "organisation": organisation,
            "before": deadline is None or now < deadline,
            "deadline": timezone.localtime(deadline) if deadline else None})
    except Exception:
        logger.exception("Reminder %s to %s failed", kind, organisation.code)
        reminder.delete()
        return None
    return reminder


def reminders_send_due(*, now: datetime.datetime | None = None) -> list[Reminder]:
    """Send every reminder due now, once: the row is written before the mail goes, so a
    second scheduler (or a second run) finds it and sends nothing."""
    now = now or timezone.now()
    sent = []
    for campaign in Campaign.objects.exclude(submission_deadline=None):
        if campaign.is_locked(now):
            continue
        extended = extensions_of(campaign)
        rounds = rounds_by_province(campaign)
        if due_kind(campaign, now) is None and not extended and not rounds:
            continue  # nothing due for anyone: no need to look at the units
        done = set(Reminder.objects.filter(campaign=campaign).exclude(
            kind__startswith=MANUAL_PREFIX).values_list("organisation_id", "kind"))
        missing = list(missing_units(campaign))
        addresses_of = addresses_by_unit([o.pk for o in missing])
        for organisation in missing:
            deadline = unit_deadline(campaign, parent_id=organisation.parent_id,
                                     extension=extended.get(organisation.pk), rounds=rounds)
            kind = due_kind(campaign, now, deadline, unit_reminder_days(
                campaign, parent_id=organisation.parent_id, rounds=rounds))
            if kind is None or (organisation.pk, kind) in done:
                continue
            addresses = addresses_of.get(organisation.pk, [])
            if not addresses:
                continue  # tracking shows the unit has no address on file
            reminder = _send_one(campaign=campaign, organisation=organisation, kind=kind,
                                 deadline=deadline, now=now, addresses=addresses)
            if reminder is not None:
                sent.append(reminder)
    return sent


def reminder_preview(campaign: Campaign, *, now: datetime.datetime | None = None,
                     within: int | None = None) -> list[dict]:
    """Who an on-demand reminder would go to: every unit that has not submitted (``within``:
    the communes of that province only), its own deadline, whether that is past, and its
    addresses (empty: it cannot be reminded). Nobody once the campaign is locked: units can
    no longer submit."""
    now = now or timezone.now()
    if campaign.is_locked(now):
        return []
    extended = extensions_of(campaign)
    rounds = rounds_by_province(campaign)
    missing = missing_units(campaign).order_by("code")
    if within is not None:
        missing = missing.filter(parent_id=within, kind__in=Organisation.COMMUNE_KINDS)
    missing = list(missing)
    addresses_of = addresses_by_unit([o.pk for o in missing])
    rows = []
    for organisation in missing:
        deadline = unit_deadline(campaign, parent_id=organisation.parent_id,
                                 extension=extended.get(organisation.pk), rounds=rounds)
        rows.append({"organisation": organisation, "deadline": deadline,
                     "extended": organisation.pk in extended,
                     "late": deadline is not None and now >= deadline,
                     "addresses": addresses_of.get(organisation.pk, [])})
    return rows


def reminders_send_now(*, campaign: Campaign, batch: str, by=None,
                       codes: list[str] | None = None, within: int | None = None,
                       now: datetime.datetime | None = None) -> list[Reminder]:
    """A reminder a reviewer sends now, to the units of the preview (or those of ``codes``).
    ``batch`` comes from the form the reviewer saw: the same batch twice (a double click, a
    resent form) sends nothing more."""
    now = now or timezone.now()
    kind = f"{MANUAL_PREFIX}{batch[:24]}"
    sent = []
    for row in reminder_preview(campaign, now=now, within=within):
        organisation = row["organisation"]
        if codes is not None and organisation.code not in codes:
            continue
        if not row["addresses"]:
            continue
        reminder = _send_one(campaign=campaign, organisation=organisation, kind=kind,
                             deadline=row["deadline"], now=now, addresses=row["addresses"],
                             by=by)
        if reminder is not None:
            sent.append(reminder)
    return sent
