"""`dxday restore DIR`: check a backup's checksums, restore it, verify the result."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `dxday backup`: every checksum is checked first, the "
            "row counts and files are compared afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="replace a database that already holds data")

    def handle(self, *, directory, force, **options):
        try:
            restore(directory, force=force, progress=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored from {directory}."))
