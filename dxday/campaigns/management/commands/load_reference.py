"""``dxday load_reference``: load the registry and the campaigns 2022–2026 (idempotent)."""

import time

from django.core.management.base import BaseCommand

from dxday.campaigns.services import reference_load


class Command(BaseCommand):
    help = ("Load the reference data: the 2022 and 2025 central bodies and provinces, the "
            "3,321 communes, and the campaigns 2022–2026 with their documents. Running it "
            "again changes nothing; records edited in the admin are kept unless --refresh.")

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true",
                            help="set existing records back to the reference values")

    def handle(self, *args, refresh=False, **options):
        started = time.monotonic()
        report = reference_load(refresh=refresh)
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"successions created {report.successions_created} "
            f"({time.monotonic() - started:.1f} s)"
        )
