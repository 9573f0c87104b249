"""Writes to campaigns. Every write goes through a function here."""

import zoneinfo

from django.conf import settings
from django.db import transaction

from dxday.campaigns import reference_data as ref
from dxday.campaigns.models import Campaign, CampaignDocument
from dxday.registry.models import Document, Organisation
from dxday.registry.services import LoadReport, organisations_load, reference_organisations

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
CAMPAIGN_FIELDS = ("title", "theme", "deadline_text", "window_start", "window_end",
                   "window_note", "kit_window_start", "kit_window_end", "event_date",
                   "contact_unit", "contact_person", "contact_phone", "contact_email")
_DATE_FIELDS = {"window_start", "window_end", "kit_window_start", "kit_window_end",
                "event_date"}
RECIPIENT_KINDS = (*Organisation.CENTRAL_KINDS, *Organisation.PROVINCIAL_KINDS)


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
    return Organisation.objects.valid_on(day).filter(kind__in=RECIPIENT_KINDS)


def _documents_load(*, refresh: bool) -> tuple[dict[str, Document], LoadReport]:
    report = LoadReport()
    issuers = dict(Organisation.objects.filter(
        code__in={d["issuer"] for d in ref.DOCUMENTS if d["issuer"]}).values_list("code", "pk"))
    docs = {}
    for spec in ref.DOCUMENTS:
        spec = dict(spec)
        body_file = spec.pop("body_file", None)
        spec["body"] = (ref.DATA_DIR / body_file).read_text(encoding="utf-8") if body_file else ""
        spec["issuer_id"] = issuers.get(spec.pop("issuer"))
        number, date = spec.pop("number"), spec.pop("date")
        doc = Document.objects.filter(number=number, date=date).first()
        if doc is None:
            doc = Document.objects.create(number=number, date=date, **spec)
            report.created += 1
        elif refresh and any(getattr(doc, k) != v for k, v in spec.items()):
            Document.objects.filter(pk=doc.pk).update(**spec)
            report.updated += 1
        else:
            report.unchanged += 1
        docs[number] = doc
    return docs, report


@transaction.atomic
def reference_load(*, refresh: bool = False) -> LoadReport:
    """Load the registry and the campaigns 2022–2026; idempotent.

    What is missing is created; what exists is left alone (admin edits survive), unless
    ``refresh`` sets the reference fields back to the reference values.
    """
    orgs, links = reference_organisations()
    report = organisations_load(orgs=orgs, successions=links, refresh=refresh)
    docs, doc_report = _documents_load(refresh=refresh)
    report += doc_report
    organisers = dict(Organisation.objects.filter(
        code__in={c["organiser"] for c in ref.CAMPAIGNS}).values_list("code", "pk"))

    for spec in ref.CAMPAIGNS:
        values = {f: spec.get(f, "" if f not in _DATE_FIELDS else None) for f in CAMPAIGN_FIELDS}
        values["organiser_id"] = organisers[spec["organiser"]]
        # Past campaigns were answered outside dxday: their plans came without a signed file.
        values["signature_required"] = spec.get("signature_required", False)
        values["submission_deadline"] = (
            spec["deadline"].replace(tzinfo=TZ) if spec.get("deadline") else None
        )
        campaign = Campaign.objects.filter(year=spec["year"]).first()
        if campaign is None:
            campaign = Campaign.objects.create(year=spec["year"], **values)
            campaign.recipients.set(recipients_on(spec["recipients_on"]))
            report.created += 1
        elif refresh and any(getattr(campaign, k) != v for k, v in values.items()):
            Campaign.objects.filter(pk=campaign.pk).update(**values)
            campaign.recipients.set(recipients_on(spec["recipients_on"]))
            report.updated += 1
        else:
            report.unchanged += 1
        linked = set(campaign.campaign_documents.values_list("document__number", flat=True))
        for order, (number, role) in enumerate(spec["documents"]):
            if number in linked:
                report.unchanged += 1
            else:
                CampaignDocument.objects.create(campaign=campaign, document=docs[number],
                                                role=role, order=order)
                report.created += 1
    from dxday.public.models import SearchEntry
    from dxday.public.search import index_registry

    indexed = SearchEntry.objects.filter(kind__in=["organisation", "document"]).count()
    if report.changed or indexed != Organisation.objects.count() + Document.objects.count():
        index_registry()
    return report

