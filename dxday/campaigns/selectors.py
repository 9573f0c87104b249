"""Reads of campaigns: recipients, successors, provinces (writes are in services.py)."""

import datetime

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
