"""``dxday adduser EMAIL --role editor|reviewer|admin [--org CODE]``.

An editor's --org is its unit; a reviewer's --org is the province whose communes they review
(without it, a reviewer of the national agency)."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dxday.accounts.models import User
from dxday.accounts.services import user_create, user_invite
from dxday.registry.models import Organisation


class Command(BaseCommand):
    help = ("Create an account. The password is read from standard input when it is not a "
            "terminal (echo 'secret' | dxday adduser …); otherwise an invitation with a "
            "one-time link is emailed. --org is required for editors; for a reviewer it names "
            "the province whose communes they review (none: the national agency).")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=User.Role.values)
        parser.add_argument("--org", help="organisation code (editors: their unit; "
                                             "reviewers: their province)")
        parser.add_argument("--name", default="", help="full name")

    def handle(self, *args, email, role, org=None, name="", **options):
        organisation = None
        if org:
            organisation = Organisation.objects.filter(code=org).first()
            if organisation is None:
                raise CommandError(f"No organisation with code {org!r}.")
        password = None
        if not sys.stdin.isatty():
            password = sys.stdin.readline().rstrip("\r\n") or None
        try:
            user = user_create(email=email, role=role, organisation=organisation,
                               password=password, full_name=name)
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}"
                                 for field, errs in error.message_dict.items())
            raise CommandError(messages) from None
        if password:
            self.stdout.write(f"Created {user.email} ({user.get_role_display()}).")
        else:
            user_invite(user=user)
            self.stdout.write(f"Created {user.email}; an invitation was emailed.")
