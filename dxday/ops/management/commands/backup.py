"""`dxday backup DIR`: the database and the media files, with a manifest of checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into DIR (new or empty)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *, directory, **options):
        try:
            manifest = backup(directory, progress=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {directory} ({len(manifest['tables'])} tables, "
            f"{len(manifest['media'])} media files)."))
