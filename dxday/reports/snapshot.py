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
from dxday.results import selectors as results_selectors
from dxday.results.models import ActivityOutcome, InitiativeOutcome
from dxday.scanner.selectors import kit_compliance

VERSION = 1
RESULTS_VERSION = 1
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


# The results report's words (the report is written in Vietnamese whatever the requester's
# language, like the consolidated report's).
RESULT_STATES = {"missing": "Chưa gửi", "draft": "Đang soạn", "submitted": "Đã gửi, chờ duyệt",
                 "returned": "Trả lại để bổ sung", "accepted": "Đã chấp nhận",
                 "not_ready": "Kế hoạch chưa được chấp nhận"}
OUTCOME_WORDS = {"held": "Đã tổ chức", "changed": "Đã tổ chức, có thay đổi",
                 "not_held": "Không tổ chức"}
USAGE_WORDS = {"users": "Người dùng", "transactions": "Giao dịch", "downloads": "Lượt tải",
               "visits": "Lượt truy cập", "records": "Hồ sơ được xử lý", "other": "Khác"}
UNIT_FIGURES = ("expected", "plans_accepted", "results_submitted", "results_on_time",
                "results_late", "results_missing", "results_not_ready", "results_returned",
                "results_accepted")
UNIT_COUNTS = ("planned", "held", "changed", "cancelled", "added", "participants",
               "initiatives_planned", "launched", "initiatives_added")
NOT_SENT = ("not_ready", "missing", "draft")


def _local_minutes(moment) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None).isoformat(timespec="minutes")


def _unit_tallies(campaign: Campaign) -> dict[int, dict]:
    """Each unit's counts for Phụ lục I (UNIT_COUNTS), from results.selectors.unit_counts —
    counted as plan_vs_result counts the totals, so the annex adds up to them (tested)."""
    tallies = {}
    for org_id, figures in results_selectors.unit_counts(campaign, None,
                                                          public=False).items():
        a, i = figures["activities"], figures["initiatives"]
        tallies[org_id] = {
            "planned": a["planned"], "held": a["held"], "changed": a["changed"],
            "cancelled": a["cancelled"], "added": a["added"],
            "participants": figures["participants"]["total"],
            "initiatives_planned": i["planned"], "launched": i["launched"],
            "initiatives_added": i["added"]}
    return tallies


def take_results(campaign: Campaign, *, as_of: datetime.datetime | None = None) -> dict:
    """Read everything the results report shows, in one read transaction: the figures of
    results.selectors.plan_vs_result (the embargo not applied: the agency reports what it
    accepted), each unit's results state and counts, and the rows of the annexes."""
    as_of = as_of or timezone.now()
    local = timezone.localtime(as_of)
    with translation.override("vi"), read_transaction():
        campaign = Campaign.objects.select_related("organiser").get(pk=campaign.pk)
        basis = [link.document for link in CampaignDocument.objects.filter(
            campaign=campaign, role=CampaignDocument.Role.LEGAL_BASIS).select_related(
                "document__issuer").order_by("order", "document__date")]
        figures = results_selectors.plan_vs_result(campaign, public=False)
        states = results_selectors.result_rows(campaign)
        tallies = _unit_tallies(campaign)
        kit = kit_compliance(campaign)
        communications = results_selectors.communications(campaign)
        kind_words = {k.value: str(k.label).split(" (")[0] for k in Organisation.Kind}
        labels = {field: {code: str(label) for code, label in choices.items()}
                  for field, choices in CHOICE_LABELS.items()}
        empty = dict.fromkeys(UNIT_COUNTS, 0)
        units, missing = [], []
        for row in states:
            counts = tallies.get(row.organisation_id, empty)
            kind = kind_words.get(row.kind, row.kind)
            units.append([row.code, row.name, kind, RESULT_STATES.get(row.state, row.state),
                          _local_minutes(row.submitted_at),
                          "" if row.on_time is None else ("Có" if row.on_time else "Không"),
                          *(counts[k] for k in UNIT_COUNTS)])
            if row.state in NOT_SENT:
                missing.append({"name": row.name, "kind": kind,
                                "state": RESULT_STATES.get(row.state, row.state)})
        activity_rows = []
        for a in (ActivityOutcome.objects.filter(campaign=campaign, status__in=("held", "changed"))
                  .order_by("start", "organisation__code", "position", "pk").values(
                      "pk", "organisation__name", "title", "category", "status", "planned",
                      "start", "end", "location", "province__name", "format",
                      "participants_in_person", "participants_online", "views", "shares",
                      "reach_source", "evidence").iterator(chunk_size=5000)):
            in_person, online = a["participants_in_person"] or 0, a["participants_online"] or 0
            activity_rows.append([
                a["organisation__name"], a["title"],
                labels["category"].get(a["category"], a["category"]),
                OUTCOME_WORDS.get(a["status"], a["status"]),
                "Phát sinh" if a["planned"] is None else "Theo kế hoạch",
                _day(a["start"]), _day(a["end"]), a["location"], a["province__name"] or "",
                labels["format"].get(a["format"], a["format"]), in_person, online,
                in_person + online, a["views"], a["shares"], a["reach_source"],
                "\n".join(a["evidence"] or [])])
        initiative_rows = [
            [i["organisation__name"], i["name"],
             "Phát sinh" if i["planned"] is None else "Theo kế hoạch", _day(i["launch_date"]),
             USAGE_WORDS.get(i["usage_measure"], i["usage_measure"]), i["usage_value"],
             _day(i["usage_date"]), i["url"]]
            for i in InitiativeOutcome.objects.filter(campaign=campaign, launched=True)
            .order_by("organisation__code", "position", "pk").values(
                "organisation__name", "name", "planned", "launch_date", "usage_measure",
                "usage_value", "usage_date", "url").iterator(chunk_size=5000)]
        activities, participants = figures["activities"], figures["participants"]
        initiatives, unit_figures = figures["initiatives"], figures["units"]
        flat = {**{k: unit_figures[k] for k in UNIT_FIGURES},
                **{f"activities_{k}": v for k, v in activities.items()},
                **{f"participants_{k}": v for k, v in participants.items()},
                **{f"initiatives_{k}": v for k, v in initiatives.items()}}
        snapshot = {
            "kind": "results",
            "version": RESULTS_VERSION,
            "as_of": local.isoformat(),
            "campaign": {"year": campaign.year, "title": campaign.title,
                         "theme": campaign.theme,
                         "results_deadline": _day(timezone.localtime(
                             campaign.results_deadline).date()
                             if campaign.results_deadline else None)},
            "issuer": _issuer(campaign, local.date()),
            "legal_basis": [_document_phrase(d) for d in basis],
            "figures": flat,
            "units": {k: unit_figures[k] for k in UNIT_FIGURES},
            "activities": dict(activities),
            "participants": dict(participants),
            "initiatives": dict(initiatives),
            # held there: the planned activities that took place (as planned or changed)
            "by_category": [{**{k: row[k] for k in ("category", "planned", "held", "changed",
                                                    "cancelled", "added", "participants")},
                             "label": labels["category"].get(row["category"], row["category"]
                                                             or "Chưa ghi loại hình")}
                            for row in figures["by_category"]],
            "by_province": [{k: row[k] for k in ("code", "name", "planned", "held", "changed",
                                                 "cancelled", "added", "participants",
                                                 "initiatives_planned",
                                                 "initiatives_launched")}
                            for row in figures["by_province"]],
            "missing": missing,
            "communications": {
                "by_channel": [[label, communications["channels"].get(code, 0)]
                               for code, label in labels["channel"].items()],
                "total": sum(communications["channels"].values()),
                "display_urls": communications["display_urls"]},
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
    expected = RESULTS_VERSION if data.get("kind") == "results" else VERSION
    if data.get("version") != expected:
        raise SnapshotUnreadable(f"snapshot version {data.get('version')!r}, expected {expected}")
    return data
