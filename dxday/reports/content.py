"""The consolidated report's content: every figure comes from the same querysets as the API
and the tracking page, at one moment ("as of"), so the report and the API agree."""

import dataclasses
from collections import Counter

from django.db.models import Count
from django.utils import timezone

from dxday.backoffice.tracking import EXPORT_HEADERS, export_rows, summarise, unit_rows
from dxday.campaigns.models import Campaign
from dxday.plans.labels import CHOICE_LABELS
from dxday.public import opendata
from dxday.scanner.services import compliance_summary

AGENCY = "CỤC CHUYỂN ĐỔI SỐ QUỐC GIA"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclasses.dataclass
class Table:
    """One table of the report: its title, headers and rows (the one row generator)."""

    name: str
    title: str
    headers: list[str]
    rows: list[list]


def _issuer(campaign: Campaign, day) -> str:
    """The ministry the agency belongs to on the report's date: the campaign's organiser, or
    the body it passed into (Bộ Thông tin và Truyền thông → Bộ Khoa học và Công nghệ)."""
    organiser = campaign.organiser
    while organiser is not None and not organiser.is_valid_on(day):
        organiser = organiser.successors.order_by("code").first()
    return organiser.name.upper() if organiser else ""


def report_content(campaign: Campaign, *, number: str = "", as_of=None, place: str = "Hà Nội"
                   ) -> dict:
    as_of = as_of or timezone.now()
    local = timezone.localtime(as_of)
    rows = unit_rows(campaign)
    summary = summarise(rows)
    activities = opendata.activities_qs(campaign)
    initiatives = opendata.initiatives_qs(campaign)
    by_category = dict(activities.values_list("category").annotate(n=Count("pk")))
    by_format = dict(activities.values_list("format").annotate(n=Count("pk")))
    beneficiaries = Counter()
    sectors = Counter()
    for row in initiatives.values("for_citizens", "for_businesses", "for_officials", "sector"):
        beneficiaries.update(b for b in ("citizens", "businesses", "officials")
                             if row[f"for_{b}"])
        if row["sector"]:
            sectors[row["sector"]] += 1
    notable = list(initiatives.exclude(url="").filter(for_citizens=True)
                   .select_related("organisation")[:10])
    total = summary["total"]
    return {
        "campaign": campaign, "issuer": _issuer(campaign, local.date()), "agency": AGENCY,
        "motto": MOTTO,
        "number": number or "…/BC-CĐSQG", "place": place, "as_of": local,
        "date_text": f"{place}, ngày {local.day:02d} tháng {local.month:02d} năm {local.year}",
        "title": ("Báo cáo tổng hợp kết quả triển khai Ngày Chuyển đổi số quốc gia "
                  f"năm {campaign.year}"),
        "figures": {"recipients": total.expected, "responded": total.submitted,
                    "on_time": total.on_time, "late": total.late, "missing": total.missing,
                    "accepted": total.accepted, "activities": activities.count(),
                    "initiatives": initiatives.count()},
        "groups": summary["groups"],
        "categories": [(str(label), by_category.get(code, 0))
                       for code, label in CHOICE_LABELS["category"].items()],
        "formats": [(str(label), by_format.get(code, 0))
                    for code, label in CHOICE_LABELS["format"].items()],
        "beneficiaries": [(str(label), beneficiaries.get(code, 0))
                          for code, label in CHOICE_LABELS["beneficiaries"].items()],
        "sectors": sectors.most_common(10),
        "notable": [{"name": n.name, "organisation": n.organisation.name, "url": n.url}
                    for n in notable],
        "missing": [r.name for r in rows if r.state == "missing"],
        "kit": compliance_summary(campaign),
        "recipients": ["- Như trên;", "- Bộ trưởng (để b/c);", "- Lưu: VT, CĐSQG."],
        "signer_title": "CỤC TRƯỞNG", "signer": "",
    }


ANNEX_ACTIVITY = ("id", "organisation", "title", "category", "start", "end", "province",
                  "format")
ANNEX_INITIATIVE = ("id", "organisation", "name", "beneficiaries", "sector", "url",
                    "launch_date")


def report_tables(campaign: Campaign) -> list[Table]:
    """The annexes: recipients and their status, activities, initiatives — the open-data rows
    with their main columns (the full tables are in the open data)."""
    rows = unit_rows(campaign)
    activity_fields = [f for f in opendata.ACTIVITY_FIELDS if f.name in ANNEX_ACTIVITY]
    initiative_fields = [f for f in opendata.INITIATIVE_FIELDS if f.name in ANNEX_INITIATIVE]
    return [
        Table("recipients", "Phụ lục 1. Đơn vị nhận và tình hình gửi kế hoạch",
              [str(h) for h in EXPORT_HEADERS], list(export_rows(rows))),
        Table("activities", "Phụ lục 2. Hoạt động đã công bố",
              [f.name for f in activity_fields],
              list(opendata.table_values(opendata.activity_rows(
                  opendata.activities_qs(campaign)), activity_fields))),
        Table("initiatives", "Phụ lục 3. Sáng kiến số đã công bố",
              [f.name for f in initiative_fields],
              list(opendata.table_values(opendata.initiative_rows(
                  opendata.initiatives_qs(campaign)), initiative_fields))),
    ]


def figures_delta(old: dict, new: dict) -> list[tuple[str, int, int, int]]:
    """Differences in the counts between two generations."""
    return [(key, old.get(key, 0), new.get(key, 0), new.get(key, 0) - old.get(key, 0))
            for key in new if new.get(key, 0) != old.get(key, 0)]


