"""The ``dxday`` console script: Django's manage.py for this project."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = argv if argv is not None else sys.argv
    if len(argv) > 1 and argv[1] == "scan":
        # The scanner needs no database and no Django: keep it free of both.
        from dxday.scanner.cli import main as scan_main

        sys.exit(scan_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
