"""Writes to accounts. Every write goes through a function here."""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from dxday.accounts.models import ApiToken, User
from dxday.lib import mail
from dxday.registry.models import Organisation


def one_time_link(user: User, *, invitation: bool) -> str:
    """A link that sets the password once: Django's reset token is void after it is used."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    name = "accounts:invitation" if invitation else "accounts:password_reset_confirm"
    return reverse(name, kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_create(*, email: str, role: str, organisation: Organisation | None = None,
                password: str | None = None, full_name: str = "") -> User:
    """Create an account. Editors need an organisation; agency staff have none."""
    email = email.strip().lower()
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    if role == User.Role.EDITOR and organisation is None:
        raise ValidationError({"organisation": _("A unit editor needs an organisation.")})
    if role != User.Role.EDITOR:
        organisation = None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    user = User(email=email, role=role, organisation=organisation, full_name=full_name,
                is_staff=role == User.Role.ADMIN, is_superuser=role == User.Role.ADMIN)
    user.full_clean(exclude=["password"])
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def user_invite(*, user: User) -> int:
    """Email the account a one-time link to choose its password."""
    return mail.send(to=[user.email], template="invitation", context={
        "user": user, "link": one_time_link(user, invitation=True)})


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token; the key is returned once and only its hash is kept."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.digest(key),
                                    hint=key[:8])
    return token, key


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_authenticate(key: str) -> User | None:
    """The active user a bearer key belongs to, or None; notes when the token was used."""
    token = (ApiToken.objects.active().select_related("user", "user__organisation")
             .filter(key_hash=ApiToken.digest(key)).first())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- two-factor authentication (TOTP, django-otp) -------------------------------------------


def otp_has_device(*, user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def otp_device_start(*, user: User):
    """The unconfirmed authenticator being set up for the user (one at a time)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"),
                                           confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, device, token: str) -> bool:
    """Confirm the device being set up with its first code; other unconfirmed ones go."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.user_id != user.pk or not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return True


def otp_verify(*, user: User, token: str):
    """The confirmed device that accepts this code, or None. Each device throttles its own
    failures (django-otp doubles the wait after each) and refuses a code used before."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6):
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None


@transaction.atomic
def otp_reset(*, user: User) -> int:
    """Remove a user's authenticators (an admin does this when a phone is lost)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user).delete()[0]
