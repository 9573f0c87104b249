"""Session limits and the second factor for agency roles.

SessionTimeoutMiddleware ends a session 30 minutes after its last request (idle) and 12 hours
after login (absolute), whatever the cookie says. AgencyOTPRequiredMiddleware lets an agency
reviewer or admin past the password only: until a TOTP code is verified in this session, every
page except the two-factor pages, logging out and static files leads to setting up or entering
a code.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED_KEY = "dxday_started"
SEEN_KEY = "dxday_seen"
# The last-seen time is written at most once a minute, so that reading pages does not write a
# session row on every request.
SEEN_RESOLUTION = 60


def _send_to(request, name: str, *, message: str, status: int):
    """Redirect a page to ``name`` (coming back afterwards); scripts and htmx fragments get the
    status and the message instead of a page they cannot show."""
    if request.path.startswith("/api/") or request.headers.get("HX-Request"):
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(STARTED_KEY)
            seen = session.get(SEEN_KEY)
            if started is None:
                session[STARTED_KEY] = session[SEEN_KEY] = now
            elif (now - started > settings.SESSION_ABSOLUTE_SECONDS
                  or now - (seen or started) > settings.SESSION_IDLE_SECONDS):
                logout(request)
                message = _("Your session has ended. Please log in again.")
                messages.info(request, message)
                return _send_to(request, settings.LOGIN_URL, message=message, status=401)
            elif now - (seen or 0) >= SEEN_RESOLUTION:
                session[SEEN_KEY] = now
        return self.get_response(request)


# Paths an agency user who has not yet given a code may still reach.
OTP_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/",
                       "/healthz")


class AgencyOTPRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.OTP_REQUIRED_FOR_AGENCY and user is not None and user.is_authenticated
                and user.is_agency and not user.is_verified()
                and not request.path.startswith(OTP_EXEMPT_PREFIXES)):
            from dxday.accounts.services import otp_has_device

            name = "accounts:otp_verify" if otp_has_device(user=user) else "accounts:otp_setup"
            return _send_to(request, name, message=_("A two-factor code is required."),
                            status=403)
        return self.get_response(request)
