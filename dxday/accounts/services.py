"""Writes to accounts. Every write goes through a function here."""

import logging

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from dxday.accounts.models import ApiToken, User
from dxday.lib import mail
from dxday.lib.text import clean_typed
from dxday.lib.urls import site_url
from dxday.registry.models import Organisation

logger = logging.getLogger(__name__)


def one_time_link(user: User, *, invitation: bool) -> str:
    """A link that sets the password once: Django's reset token is void after it is used."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    name = "accounts:invitation" if invitation else "accounts:password_reset_confirm"
    return reverse(name, kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_create(*, email: str, role: str, organisation: Organisation | None = None,
                password: str | None = None, full_name: str = "") -> User:
    """Create an account. Editors need an organisation; a reviewer with a province reviews
    that province's communes (without one, the national agency's); admins have none."""
    email = email.strip().lower()
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    organisation = _unit_for_role(role, organisation)
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


def _unit_for_role(role: str, organisation: Organisation | None) -> Organisation | None:
    """The unit an account of ``role`` keeps: an editor's (required), a province reviewer's
    (a province or centrally-run city), none for the agency's staff."""
    if role == User.Role.EDITOR:
        if organisation is None:
            raise ValidationError({"organisation": _("A unit editor needs an organisation.")})
        return organisation
    if role == User.Role.REVIEWER and organisation is not None:
        if organisation.kind not in Organisation.PROVINCIAL_KINDS:
            raise ValidationError({"organisation": _(
                "A reviewer's unit must be a province or a centrally-run city (%(name)s is "
                "not): leave it empty for a reviewer of the national agency.")
                % {"name": organisation.name}})
        return organisation
    return None


def user_invite(*, user: User) -> int:
    """Email the account a one-time link (absolute, from SITE_URL) to choose its password."""
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: reactivate it before sending "
                                "an invitation."))
    return mail.send(to=[user.email], template="invitation", context={
        "user": user, "link": site_url(one_time_link(user, invitation=True))})


def _check_unit(*, role: str, organisation: Organisation | None,
                current: Organisation | None = None) -> None:
    """An editor's unit must exist today (a body that ended in the 2025 mergers is refused,
    unless it is the unit the account already has)."""
    if (role in (User.Role.EDITOR, User.Role.REVIEWER) and organisation is not None
            and organisation != current):
        today = timezone.localdate()
        if not organisation.is_valid_on(today):
            raise ValidationError({"organisation": _(
                "%(name)s does not exist today; choose the unit that took over from it.")
                % {"name": organisation.name}})


def user_create_invited(*, email: str, full_name: str, role: str,
                        organisation: Organisation | None, by: User | None
                        ) -> tuple[User, bool]:
    """Create an account without a usable password and mail its invitation: the person
    chooses the password with the one-time link. An address already used is refused on the
    email field, and nothing is saved. Returns the account and whether the mail went (when
    the mail server fails, the account stays and the invitation can be sent again)."""
    full_name = " ".join(clean_typed(full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    _check_unit(role=role, organisation=organisation)
    try:
        user = user_create(email=clean_typed(email or ""), role=role,
                           organisation=organisation, full_name=full_name)
    except IntegrityError:  # the same address saved at the same moment by another request
        raise ValidationError({"email": _("An account with this email already exists.")}
                              ) from None
    logger.info("account %s created by %s", user.email, by.email if by else "system")
    try:
        user_invite(user=user)
    except OSError:  # smtplib's errors are OSErrors
        logger.exception("invitation to %s not sent", user.email)
        return user, False
    return user, True


@transaction.atomic
def user_update(*, user: User, role: str, organisation: Organisation | None,
                by: User | None) -> User:
    """Change a person's role and unit. Editors need a unit that exists today; a reviewer
    may have a province (a province reviewer); admins have none. Nobody changes their own
    role (an admin cannot lock themself out)."""
    if role not in User.Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if by is not None and by.pk == user.pk and role != user.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    organisation = _unit_for_role(role, organisation)
    _check_unit(role=role, organisation=organisation, current=user.organisation)
    user.role, user.organisation = role, organisation
    # Admin rights follow the role, as when the account was created (user_create).
    user.is_staff = user.is_superuser = role == User.Role.ADMIN
    user.save(update_fields=["role", "organisation", "is_staff", "is_superuser"])
    logger.info("account %s: role %s, unit %s, by %s", user.email, role,
                organisation.code if organisation else "-", by.email if by else "system")
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User | None) -> User:
    """Deactivate (the person can no longer log in, nor use API tokens; nothing is deleted)
    or reactivate an account. Nobody deactivates themself."""
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("You cannot deactivate or reactivate your own account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        logger.info("account %s %s by %s", user.email,
                    "reactivated" if active else "deactivated", by.email if by else "system")
    return user


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
