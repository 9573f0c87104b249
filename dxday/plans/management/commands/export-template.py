"""``dxday export-template --campaign YEAR --org CODE -o FILE``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.campaigns.models import Campaign
from dxday.plans.excel import plan_workbook
from dxday.plans.models import Plan
from dxday.registry.models import Organisation


class Command(BaseCommand):
    help = ("Write a unit's plan workbook (.xlsx, pre-filled with its current draft) to fill in "
            "and import with `dxday import-plan` or on the plan page.")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="campaign year")
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, campaign, org, output, **options):
        the_campaign = Campaign.objects.filter(year=campaign).first()
        if the_campaign is None:
            raise CommandError(f"No campaign for year {campaign}.")
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None or not the_campaign.recipients.filter(pk=organisation.pk).exists():
            raise CommandError(f"{org!r} is not a recipient of the {campaign} campaign.")
        plan = Plan.objects.filter(campaign=the_campaign, organisation=organisation).first()
        output.write_bytes(plan_workbook(campaign=the_campaign, organisation=organisation,
                                         data=plan.draft if plan else {}))
        self.stdout.write(str(output))
