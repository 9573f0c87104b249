"""Reads of campaigns: recipients, successors, provinces (writes are in services.py)."""

import datetime

from django.utils import timezone

from dxday.campaigns.models import ProvincialRound
from dxday.registry.models import Organisation, Succession


def province_codes(campaign=None) -> set[str]:
    """Codes a plan may name as an activity's province: those valid during the campaign."""
    qs = Organisation.objects.provincial()
    if campaign is not None:
        day = campaign.window_start or campaign.event_date
        if day:
            qs = qs.valid_on(day)
    return set(qs.values_list("code", flat=True))


def recipients_on(day):
    """The default recipients of a campaign: central bodies and provinces existing on ``day``."""
    return Organisation.objects.valid_on(day).filter(kind__in=(
        *Organisation.CENTRAL_KINDS, *Organisation.PROVINCIAL_KINDS))


def successors_on(organisations, day: datetime.date) -> set[int]:
    """The bodies that answer for ``organisations`` on ``day``: each one if it still exists,
    otherwise its successors, followed link by link until one exists on that day."""
    links: dict[int, list[int]] = {}
    for pred, succ in Succession.objects.values_list("predecessor_id", "successor_id"):
        links.setdefault(pred, []).append(succ)
    valid = set(Organisation.objects.valid_on(day).values_list("pk", flat=True))
    found, seen = set(), set()
    todo = [o.pk if hasattr(o, "pk") else o for o in organisations]
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        if pk in valid:
            found.add(pk)
        else:
            todo.extend(links.get(pk, []))
    return found


def rounds_by_province(campaign) -> dict[int, ProvincialRound]:
    """The campaign's provincial rounds, by province id (one query)."""
    return {r.province_id: r for r in ProvincialRound.objects.filter(campaign=campaign)}


def unit_deadline(campaign, *, parent_id: int | None, extension: datetime.datetime | None = None,
                  rounds: dict[int, ProvincialRound] | None = None) -> datetime.datetime | None:
    """A unit's own deadline, the one rule every caller uses (on time at submission, the
    plan's page, reminders, tracking): the extension granted to it, else the deadline of its
    province's round (a unit whose parent runs a round: a commune of that province), else the
    campaign's. ``rounds`` (from rounds_by_province) saves the query when many units are
    asked at once."""
    if extension is not None:
        return extension
    if parent_id is not None:
        if rounds is None:
            found = ProvincialRound.objects.filter(campaign=campaign, province_id=parent_id
                                                   ).values_list("deadline", flat=True).first()
            if found is not None:
                return found
        elif parent_id in rounds:
            return rounds[parent_id].deadline
    return campaign.submission_deadline


def unit_reminder_days(campaign, *, parent_id: int | None,
                       rounds: dict[int, ProvincialRound]) -> tuple[list[int], list[int]]:
    """The days before and after its deadline a unit is reminded: its province round's, else
    the campaign's."""
    found = rounds.get(parent_id) if parent_id is not None else None
    source = found if found is not None else campaign
    return source.days_before, source.days_after


def round_communes(campaign, province: Organisation):
    """The commune-level units of ``province`` that exist on the campaign's day (its window,
    its ceremony, else its deadline; today when it has none)."""
    day = (campaign.window_start or campaign.event_date
           or (timezone.localtime(campaign.submission_deadline).date()
               if campaign.submission_deadline else timezone.localdate()))
    return Organisation.objects.commune_level().filter(parent=province).valid_on(day)
