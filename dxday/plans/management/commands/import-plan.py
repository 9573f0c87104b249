"""``dxday import-plan --campaign YEAR --org CODE FILE.json [--submit]``."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.plans.excel import WorkbookRefused
from dxday.plans.services import PlanConflict, plan_import_workbook, plan_save_draft, plan_submit
from dxday.plans.validation import PlanInvalid
from dxday.registry.models import Organisation


class Command(BaseCommand):
    help = ("Replace a unit's draft with a plan document (canonical JSON) or a filled workbook "
            "(.xlsx), checked by the same validator as the web form and the API; --submit then "
            "submits it. All or nothing: on bad input a one-line reason and a non-zero exit.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--campaign", type=int, required=True, help="campaign year")
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--submit", action="store_true")
        parser.add_argument("--as", dest="as_user", help="email of the acting account "
                            "(recorded in the history); default: none")

    def handle(self, *args, file, campaign, org, submit=False, as_user=None, **options):
        the_campaign = Campaign.objects.filter(year=campaign).first()
        if the_campaign is None:
            raise CommandError(f"No campaign for year {campaign}.")
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {org!r}.")
        user = None
        if as_user:
            user = User.objects.filter(email__iexact=as_user).first()
            if user is None:
                raise CommandError(f"No account with email {as_user!r}.")
        suffix = file.suffix.lower()
        if suffix not in (".json", ".xlsx"):
            raise CommandError(f"{file}: expected a .json or .xlsx file.")
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            if suffix == ".xlsx":
                plan, warnings, _changes = plan_import_workbook(
                    campaign=the_campaign, organisation=organisation, raw=file.read_bytes(),
                    by=user)
            else:
                try:
                    data = json.loads(file.read_text(encoding="utf-8-sig"))
                except (ValueError, UnicodeDecodeError) as exc:
                    raise CommandError(f"{file}: not valid JSON ({exc}).") from None
                plan, result = plan_save_draft(campaign=the_campaign, organisation=organisation,
                                               data=data, by=user)
                warnings = result.warnings
            for warning in warnings:
                self.stderr.write(f"warning: {warning.path}: {warning.message}")
            if submit:
                plan = plan_submit(campaign=the_campaign, organisation=organisation, by=user)
        except PlanInvalid as exc:
            raise CommandError("; ".join(f"{p.path}: {p.message}" for p in exc.errors)) from None
        except WorkbookRefused as exc:
            raise CommandError("; ".join(f"{p.path}: {p.message}"
                                         for p in exc.problems)) from None
        except PlanConflict as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{organisation.code} {campaign}: {plan.get_status_display()}"
                          + (f", version {plan.versions.count()}" if submit else ""))
