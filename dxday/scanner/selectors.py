"""Reads of the kit check's figures: the one home of a campaign's compliance counts (the
dashboard and the consolidated report both call :func:`kit_compliance`)."""

from django.db.models import Count, Q

from dxday.campaigns.models import Campaign

from .models import ScanTarget

VERDICT_COUNTS = {
    "total": Count("id"),
    "present": Count("id", filter=Q(last_verdict="present")),
    "absent": Count("id", filter=Q(last_verdict="absent")),
    "error": Count("id", filter=Q(last_verdict="error")),
    "unchecked": Count("id", filter=Q(last_verdict="")),
}


def kit_compliance(campaign: Campaign) -> dict:
    """Last verdicts of the campaign's active addresses: totals, by kind of address and by
    province (a provincial unit's own addresses). ``checked`` = total − unchecked."""
    targets = campaign.scan_targets.filter(active=True).order_by()
    totals = targets.aggregate(**VERDICT_COUNTS)
    kinds = dict(ScanTarget.Kind.choices)
    by_kind = [{**row, "label": str(kinds.get(row["kind"], row["kind"])),
                "checked": row["total"] - row["unchecked"]}
               for row in targets.values("kind").annotate(**VERDICT_COUNTS).order_by("kind")]
    by_province = list(targets.filter(organisation__kind__in=("province", "city"))
                       .values("organisation__code", "organisation__name")
                       .annotate(**VERDICT_COUNTS).order_by("organisation__name"))
    return {"totals": {**totals, "checked": totals["total"] - totals["unchecked"]},
            "by_kind": by_kind, "by_province": by_province}
