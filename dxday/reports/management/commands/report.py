"""``dxday report --campaign YEAR --format docx|pdf|xlsx -o FILE``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.campaigns.models import Campaign
from dxday.reports.render import FORMATS, render


class Command(BaseCommand):
    help = ("Write the consolidated report of a campaign (Nghị định 30/2020 layout) as DOCX or "
            "PDF, or its annexes as XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="campaign year")
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--number", default="", help='số, ký hiệu, e.g. "12/BC-CĐSQG"')

    def handle(self, *args, campaign, format, output, number="", **options):
        the_campaign = Campaign.objects.filter(year=campaign).first()
        if the_campaign is None:
            raise CommandError(f"No campaign for year {campaign}.")
        if output.parent and not output.parent.exists():
            raise CommandError(f"{output.parent}: no such folder.")
        output.write_bytes(render(the_campaign, format, number=number))
        self.stdout.write(f"{output} ({output.stat().st_size // 1024} KiB)")
