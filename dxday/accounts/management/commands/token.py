"""``dxday token EMAIL``: print a new API bearer token (its last line)."""

from django.core.management.base import BaseCommand, CommandError

from dxday.accounts.models import User
from dxday.accounts.services import token_create


class Command(BaseCommand):
    help = ("Create a new API bearer token for an account and print it as the last line. "
            "It is shown once; list and revoke tokens in the admin or on the profile page.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active account with email {email!r}.")
        _token, key = token_create(user=user, name=name)
        self.stdout.write(f"New token for {user.email} (use: Authorization: Bearer <token>):")
        self.stdout.write(key)
