"""Reminders (đôn đốc): to units that have not submitted, before and after their deadline.

Each unit is reminded against its own deadline (campaigns.selectors.unit_deadline): the
extension it was granted, else its province round's, else the campaign's; a commune of a round
on the round's reminder days. Scheduled reminders follow the campaign's days (7 and 2 days
before, 1 day after…); reviewers also send one when they choose, to the units they see in a
preview first.

What is reminded of is a :class:`Reminders` (plans by default, :data:`PLANS`): another thing
units send (their results) registers its own, with its deadline, lock, who is missing and its
mail; its reminder kinds carry its prefix ("results-before-7"), in the same table.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable

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


@dataclasses.dataclass(frozen=True)
class Reminders:
    """What units are reminded of: a campaign's deadline and lock for it, the recipients
    still to send it, the extended deadlines, the mail. ``rounds``: a province round's
    deadline and days apply to its communes (plans)."""

    name: str
    prefix: str  # of the reminder kinds: "" for plans, "results-" for results
    template: str  # templates/mail/<template>.txt
    deadline: Callable[[Campaign], datetime.datetime | None]
    locked: Callable[[Campaign, datetime.datetime], bool]
    missing: Callable[[Campaign], object]  # a queryset of Organisation
    extensions: Callable[[Campaign], dict[int, datetime.datetime]]
    rounds: bool = False
    # Whether a unit's submission was returned to it (reminded too, in other words); None:
    # a track that reminds only units that never sent.
    returned: Callable[[Campaign, Organisation], bool] | None = None

    @property
    def manual_prefix(self) -> str:
        return f"{self.prefix}{MANUAL_PREFIX}"


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


def _plans_missing(campaign: Campaign):
    submitted = Plan.objects.filter(campaign=campaign).filter(
        ~Q(status=Plan.Status.DRAFT)).values("organisation_id")
    return campaign.recipients.exclude(pk__in=submitted)


def _plans_extended(campaign: Campaign) -> dict[int, datetime.datetime]:
    return dict(Plan.objects.filter(campaign=campaign, deadline_extension__isnull=False)
                .values_list("organisation_id", "deadline_extension"))


PLANS = Reminders(
    name="plans", prefix="", template="reminder",
    deadline=lambda campaign: campaign.submission_deadline,
    locked=lambda campaign, now: campaign.is_locked(now),
    missing=_plans_missing, extensions=_plans_extended, rounds=True)
# Every kind of reminder the scheduled task sends, by name; others register theirs when
# their app is ready (register()).
TRACKS: dict[str, Reminders] = {PLANS.name: PLANS}


def register(track: Reminders) -> None:
    TRACKS[track.name] = track


def missing_units(campaign: Campaign, *, track: Reminders = PLANS):
    """Recipients that have not sent what ``track`` reminds of (plans: no plan, or a plan
    still in draft)."""
    return track.missing(campaign)


def extensions_of(campaign: Campaign, *, track: Reminders = PLANS
                  ) -> dict[int, datetime.datetime]:
    """The extended deadlines of the campaign's units (the others have their round's or the
    campaign's)."""
    return track.extensions(campaign)


def _deadline_and_days(campaign: Campaign, organisation: Organisation, *, track: Reminders,
                       extended: dict, rounds: dict):
    """A unit's own deadline for ``track`` and its reminder days (before, after)."""
    extension = extended.get(organisation.pk)
    if track.rounds:
        return (unit_deadline(campaign, parent_id=organisation.parent_id, extension=extension,
                              rounds=rounds),
                unit_reminder_days(campaign, parent_id=organisation.parent_id, rounds=rounds))
    return (extension or track.deadline(campaign),
            (campaign.days_before, campaign.days_after))


def due_kind(campaign: Campaign, now: datetime.datetime,
             deadline: datetime.datetime | None = None,
             days: tuple[list[int], list[int]] | None = None, *,
             track: Reminders = PLANS) -> str | None:
    """The one reminder due now against ``deadline`` (the campaign's by default), if any
    ("before-2", "after-1"…, after ``track``'s prefix); ``days`` (before, after) are the
    campaign's by default, a province round's for its communes."""
    deadline = deadline or track.deadline(campaign)
    days_before, days_after = days or (campaign.days_before, campaign.days_after)
    if deadline is None or track.locked(campaign, now):
        return None
    if now < deadline:
        passed = [d for d in days_before if now >= deadline - d * DAY]
        return f"{track.prefix}before-{min(passed)}" if passed else None
    passed = [d for d in days_after
              if deadline + d * DAY <= now < deadline + d * DAY + AFTER_GRACE]
    return f"{track.prefix}after-{max(passed)}" if passed else None


def _send_one(*, campaign: Campaign, organisation: Organisation, kind: str,
              deadline: datetime.datetime | None, now: datetime.datetime,
              addresses: list[str], by=None, track: Reminders = PLANS) -> Reminder | None:
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
        mail.send(to=addresses, template=track.template, context={
            "campaign": campaign, "organisation": organisation,
            "returned": bool(track.returned and track.returned(campaign, organisation)),
            "before": deadline is None or now < deadline,
            "deadline": timezone.localtime(deadline) if deadline else None})
    except Exception:
        logger.exception("Reminder %s to %s failed", kind, organisation.code)
        reminder.delete()
        return None
    return reminder


def reminders_send_due(*, now: datetime.datetime | None = None,
                       tracks: list[Reminders] | None = None) -> list[Reminder]:
    """Send every reminder due now (of every registered kind, or of ``tracks``), once: the
    row is written before the mail goes, so a second scheduler (or a second run) finds it
    and sends nothing."""
    now = now or timezone.now()
    sent = []
    for track in tracks if tracks is not None else list(TRACKS.values()):
        for campaign in Campaign.objects.all():
            sent += _send_due(campaign, track=track, now=now)
    return sent


def _send_due(campaign: Campaign, *, track: Reminders, now: datetime.datetime
              ) -> list[Reminder]:
    if track.deadline(campaign) is None or track.locked(campaign, now):
        return []
    extended = extensions_of(campaign, track=track)
    rounds = rounds_by_province(campaign) if track.rounds else {}
    if due_kind(campaign, now, track=track) is None and not extended and not rounds:
        return []  # nothing due for anyone: no need to look at the units
    done = set(Reminder.objects.filter(campaign=campaign, kind__startswith=track.prefix)
               .exclude(kind__startswith=track.manual_prefix)
               .values_list("organisation_id", "kind"))
    missing = list(missing_units(campaign, track=track))
    addresses_of = addresses_by_unit([o.pk for o in missing])
    sent = []
    for organisation in missing:
        deadline, days = _deadline_and_days(campaign, organisation, track=track,
                                            extended=extended, rounds=rounds)
        kind = due_kind(campaign, now, deadline, days, track=track)
        if kind is None or (organisation.pk, kind) in done:
            continue
        addresses = addresses_of.get(organisation.pk, [])
        if not addresses:
            continue  # tracking shows the unit has no address on file
        reminder = _send_one(campaign=campaign, organisation=organisation, kind=kind,
                             deadline=deadline, now=now, addresses=addresses, track=track)
        if reminder is not None:
            sent.append(reminder)
    return sent


def reminder_preview(campaign: Campaign, *, now: datetime.datetime | None = None,
                     within: int | None = None, track: Reminders = PLANS) -> list[dict]:
    """Who an on-demand reminder would go to: every unit that has not submitted (``within``:
    the communes of that province only), its own deadline, whether that is past, and its
    addresses (empty: it cannot be reminded). Nobody once the campaign is locked: units can
    no longer submit."""
    now = now or timezone.now()
    if track.locked(campaign, now):
        return []
    extended = extensions_of(campaign, track=track)
    rounds = rounds_by_province(campaign) if track.rounds else {}
    missing = missing_units(campaign, track=track).order_by("code")
    if within is not None:
        missing = missing.filter(parent_id=within, kind__in=Organisation.COMMUNE_KINDS)
    missing = list(missing)
    addresses_of = addresses_by_unit([o.pk for o in missing])
    rows = []
    for organisation in missing:
        deadline, _days = _deadline_and_days(campaign, organisation, track=track,
                                             extended=extended, rounds=rounds)
        rows.append({"organisation": organisation, "deadline": deadline,
                     "extended": organisation.pk in extended,
                     "late": deadline is not None and now >= deadline,
                     "addresses": addresses_of.get(organisation.pk, [])})
    return rows


def reminders_send_now(*, campaign: Campaign, batch: str, by=None,
                       codes: list[str] | None = None, within: int | None = None,
                       now: datetime.datetime | None = None, track: Reminders = PLANS
                       ) -> list[Reminder]:
    """A reminder a reviewer sends now, to the units of the preview (or those of ``codes``).
    ``batch`` comes from the form the reviewer saw: the same batch twice (a double click, a
    resent form) sends nothing more."""
    now = now or timezone.now()
    # The batch, cut so that the kind fits its column (a results batch keeps 17 of its 24
    # characters: still unique among a campaign's batches).
    room = Reminder._meta.get_field("kind").max_length - len(track.manual_prefix)
    kind = f"{track.manual_prefix}{batch[:min(24, room)]}"
    sent = []
    for row in reminder_preview(campaign, now=now, within=within, track=track):
        organisation = row["organisation"]
        if codes is not None and organisation.code not in codes:
            continue
        if not row["addresses"]:
            continue
        reminder = _send_one(campaign=campaign, organisation=organisation, kind=kind,
                             deadline=row["deadline"], now=now, addresses=row["addresses"],
                             by=by, track=track)
        if reminder is not None:
            sent.append(reminder)
    return sent
