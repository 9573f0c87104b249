"""The snapshot of a report generation: every figure and every annex row, read at one moment
in one read transaction, then stored with the generation. The DOCX, the PDF and the XLSX are
all rendered from it, so they agree with each other, and an old generation renders again with
the same figures whatever happened since.

Every figure comes from the selectors that the campaign page, the API and the tracking page
use (house rule 11). Labels are written in Vietnamese whatever the requester's language.
"""

import contextlib
import datetime
import gzip
import json

from django.db import connection, transaction
from django.utils import timezone, translation

from dxday.campaigns.models import Campaign, CampaignDocument
from dxday.plans import selectors
from dxday.plans.labels import CHOICE_LABELS
from dxday.registry.models import Document, Organisation
from dxday.scanner.selectors import kit_compliance

VERSION = 1
TOP_SECTORS = 15
NOTABLE = 10
DOCUMENT_KIND_WORDS = {
    "resolution": "Nghị quyết", "decree": "Nghị định", "decision": "Quyết định",
    "dispatch": "Công văn", "plan": "Kế hoạch", "report": "Báo cáo", "circular": "Thông tư",
    "other": "Văn bản",
}


@contextlib.contextmanager
def read_transaction():
    """One consistent view of the database for every read inside: REPEATABLE READ on
    PostgreSQL (one snapshot for the whole transaction); on SQLite a DEFERRED transaction in
    WAL mode, which reads as of its first read and takes no lock that would hold back the
    writers (the settings' IMMEDIATE mode would take the write lock for the whole read).
    Inside an outer transaction (tests, callers) the outer one's view is used as it is."""
    outer = connection.in_atomic_block
    previous = getattr(connection, "transaction_mode", None)
    if not outer and connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            if not outer and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    finally:
        if not outer and connection.vendor == "sqlite":
            connection.transaction_mode = previous


def _issuer(campaign: Campaign, day: datetime.date) -> str:
    """The ministry the agency belongs to on the report's date: the campaign's organiser, or
    the body it passed into (Bộ Thông tin và Truyền thông → Bộ Khoa học và Công nghệ)."""
    organiser = campaign.organiser
    seen = set()
    while organiser is not None and not organiser.is_valid_on(day) and organiser.pk not in seen:
        seen.add(organiser.pk)
        organiser = organiser.successors.order_by("code").first()
    return organiser.name if organiser else ""


def _document_phrase(document: Document) -> str:
    """"Quyết định số 505/QĐ-TTg ngày 22/04/2022 của Thủ tướng Chính phủ về Ngày …"."""
    issuer = document.issuer_text or (document.issuer.name if document.issuer else "")
    title = document.title.strip().rstrip(".")
    if title[:3].lower() == "về ":
        title = title[3:]
    phrase = (f"{DOCUMENT_KIND_WORDS.get(document.kind, 'Văn bản')} số {document.number} "
              f"ngày {document.date:%d/%m/%Y}")
    if issuer:
        phrase += f" của {issuer}"
    return phrase + (f" về {title}" if title else "")


def _unit_counts(counts) -> dict:
    return {"label": str(counts.label), "expected": counts.expected,
            "submitted": counts.submitted, "on_time": counts.on_time, "late": counts.late,
            "missing": counts.missing, "accepted": counts.accepted}


def _day(value):
    return value.isoformat() if value else None


def take(campaign: Campaign, *, as_of: datetime.datetime | None = None) -> dict:
    """Read everything the report shows, in one read transaction (see the module's doc)."""
    as_of = as_of or timezone.now()
    local = timezone.localtime(as_of)
    with translation.override("vi"), read_transaction():
        campaign = Campaign.objects.select_related("organiser").get(pk=campaign.pk)
        basis = [link.document for link in CampaignDocument.objects.filter(
            campaign=campaign, role=CampaignDocument.Role.LEGAL_BASIS).select_related(
                "document__issuer").order_by("order", "document__date")]
        rows = selectors.unit_rows(campaign, detail=False)
        summary = selectors.summarise(rows)
        activities = selectors.activity_counts(campaign)
        initiatives = selectors.initiative_counts(campaign)
        kit = kit_compliance(campaign)
        kind_labels = {k.value: str(k.label) for k in Organisation.Kind}
        kind_words = {k: v.split(" (")[0] for k, v in kind_labels.items()}
        state_labels = {key: str(label) for key, label in selectors.STATES.items()}
        state_labels["missing"] = "Chưa gửi"
        units = [{"code": r.code, "name": r.name, "kind": kind_words.get(r.kind, r.kind),
                  "parent": r.parent_name, "state": state_labels[r.state],
                  "submitted_at": (timezone.localtime(r.submitted_at).replace(tzinfo=None)
                                   .isoformat(timespec="minutes") if r.submitted_at else None),
                  "on_time": None if r.on_time is None else ("Có" if r.on_time else "Không")}
                 for r in rows]
        labels = {field: {code: str(label) for code, label in choices.items()}
                  for field, choices in CHOICE_LABELS.items()}
        activity_rows = [
            [a["pk"], a["organisation__name"], a["title"],
             labels["category"].get(a["category"], a["category"]),
             labels["format"].get(a["format"], a["format"]), _day(a["start"]), _day(a["end"]),
             a["location"], a["province__name"] or ""]
            for a in selectors.published_activities(campaign).order_by("start", "pk").values(
                "pk", "organisation__name", "title", "category", "format", "start", "end",
                "location", "province__name").iterator(chunk_size=5000)]
        initiative_rows = [
            [i["pk"], i["organisation__name"], i["name"],
             "; ".join(labels["beneficiaries"][b] for b in selectors.BENEFICIARIES
                       if i[f"for_{b}"]),
             i["sector"], i["url"], _day(i["launch_date"])]
            for i in selectors.published_initiatives(campaign)
            .order_by("organisation__code", "position", "pk").values(
                "pk", "organisation__name", "name", "for_citizens", "for_businesses",
                "for_officials", "sector", "url", "launch_date").iterator(chunk_size=5000)]
        notable = [{"name": n["name"], "organisation": n["organisation__name"], "url": n["url"]}
                   for n in selectors.published_initiatives(campaign).exclude(url="")
                   .filter(for_citizens=True).order_by("organisation__code", "position", "pk")
                   .values("name", "organisation__name", "url")[:NOTABLE]]
        total = summary["total"]
        sectors = [(sector, n) for sector, n in initiatives.by_sector.most_common() if sector]
        snapshot = {
            "version": VERSION,
            "as_of": local.isoformat(),
            "campaign": {"year": campaign.year, "title": campaign.title,
                         "theme": campaign.theme},
            "issuer": _issuer(campaign, local.date()),
            "legal_basis": [_document_phrase(d) for d in basis],
            "figures": {"recipients": total.expected, "responded": total.submitted,
                        "on_time": total.on_time, "late": total.late,
                        "missing": total.missing, "accepted": total.accepted,
                        "activities": activities.total, "initiatives": initiatives.total},
            "by_kind": [_unit_counts(c) for c in summary["groups"]],
            "by_province": [_unit_counts(c) for c in summary["provinces"]],
            "missing": [{"name": r.name, "kind": kind_words.get(r.kind, r.kind),
                         "province": r.province_name if r.province_code != r.code else ""}
                        for r in rows if r.state == "missing"],
            "activities": {
                "by_category": [[label, activities.by_category.get(code, 0)]
                                for code, label in labels["category"].items()],
                "by_format": [[label, activities.by_format.get(code, 0)]
                              for code, label in labels["format"].items()],
                "by_province": sorted(
                    ([activities.province_names[code], n]
                     for code, n in activities.by_province.items() if code),
                    key=lambda item: (-item[1], item[0])),
                "no_province": activities.by_province.get("", 0),
            },
            "initiatives": {
                "by_beneficiary": [[label, initiatives.by_beneficiary.get(code, 0)]
                                   for code, label in labels["beneficiaries"].items()],
                "by_sector": [list(item) for item in sectors[:TOP_SECTORS]],
                "other_sectors": sum(n for _, n in sectors[TOP_SECTORS:]),
                "other_sectors_count": max(0, len(sectors) - TOP_SECTORS),
                "no_sector": initiatives.by_sector.get("", 0),
                "notable": notable,
            },
            "kit": {"totals": kit["totals"],
                    "by_kind": [{key: row[key] for key in
                                 ("label", "checked", "present", "absent", "error")}
                                for row in kit["by_kind"] if row["checked"]]},
            "annexes": {"units": units, "activities": activity_rows,
                        "initiatives": initiative_rows},
        }
    return snapshot


def dumps(snapshot: dict) -> bytes:
    return gzip.compress(json.dumps(snapshot, ensure_ascii=False).encode("utf-8"), 6)


class SnapshotUnreadable(ValueError):
    pass


def loads(raw: bytes) -> dict:
    data = json.loads(gzip.decompress(raw))
    if data.get("version") != VERSION:
        raise SnapshotUnreadable(f"snapshot version {data.get('version')!r}, expected {VERSION}")
    return data
