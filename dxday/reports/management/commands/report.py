"""``dxday report --campaign YEAR [--report plans|results] --format docx|pdf|xlsx -o FILE
[issuing details]``."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.campaigns.models import Campaign
from dxday.reports import document, results_report, snapshot
from dxday.reports.render import FORMATS, render_docx, render_pdf, render_xlsx


def _day(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"--date {value!r}: write the date as dd/mm/yyyy.") from exc


class Command(BaseCommand):
    help = ("Write the consolidated report of a campaign (or, with --report results, its results "
            "report) in the Nghị định 30/2020 layout as DOCX or PDF, or its annexes (Phụ lục "
            "I–III) as XLSX, from a snapshot of the figures taken now. Nothing is stored: issue "
            "reports on the report page.")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="campaign year")
        parser.add_argument("--report", choices=("plans", "results"), default="plans",
                            help="the consolidated report of the plans (default) or the "
                                 "results report")
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--number", default="", help='số, ký hiệu, e.g. "12/BC-CĐSQG"')
        parser.add_argument("--date", type=_day, default=None, help="ngày ban hành, dd/mm/yyyy")
        parser.add_argument("--addressee", default="", help="Kính gửi (empty: none)")
        parser.add_argument("--signer-authority", default="",
                            help='e.g. "KT. CỤC TRƯỞNG", "TL. BỘ TRƯỞNG" (empty: signs as such)')
        parser.add_argument("--signer-title", default="CỤC TRƯỞNG", help="chức vụ người ký")
        parser.add_argument("--signer-name", default="", help="họ và tên người ký")
        parser.add_argument("--assessment", default="", help="V. Đánh giá (lines = paragraphs)")
        parser.add_argument("--recommendations", default="", help="VI. Kiến nghị, đề xuất")

    def handle(self, *args, campaign, format, output, **options):
        the_campaign = Campaign.objects.filter(year=campaign).first()
        if the_campaign is None:
            raise CommandError(f"No campaign for year {campaign}.")
        if output.parent and not output.parent.exists():
            raise CommandError(f"{output.parent}: no such folder.")
        details = {"number": options["number"], "issue_date": options["date"],
                   "addressee": options["addressee"],
                   "extra_recipients": "Bộ trưởng (để b/c)",
                   "signer_authority": options["signer_authority"],
                   "signer_title": options["signer_title"],
                   "signer_name": options["signer_name"],
                   "assessment": options["assessment"],
                   "recommendations": options["recommendations"], "issued": False}
        if options["report"] == "results":
            data = snapshot.take_results(the_campaign)
            annexes, build = results_report.render_xlsx, results_report.build
        else:
            data = snapshot.take(the_campaign)
            annexes, build = render_xlsx, document.build
        if format == "xlsx":
            body = annexes(data, details)
        else:
            report = build(data, details)
            body = render_docx(report) if format == "docx" else render_pdf(report)
        output.write_bytes(body)
        self.stdout.write(f"{output} ({output.stat().st_size // 1024} KiB)")
