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
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED_KEY = "dxday_started"
SEEN_KEY = "dxday_seen"
# The last-seen time is written at most once a minute, so that reading pages does not write a
# session row on every request.
SEEN_RESOLUTION = 60


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
                messages.info(request, _("Your session has ended. Please log in again."))
                if request.path.startswith("/api/") or request.headers.get("HX-Request"):
                    # Scripts and htmx fragments get the status, not a login page.
                    from django.http import HttpResponse

                    return HttpResponse(_("Your session has ended. Please log in again."),
                                        status=401, content_type="text/plain; charset=utf-8")
                return redirect(f"{reverse(settings.LOGIN_URL)}?"
                                f"{urlencode({'next': request.get_full_path()})}")
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
            target = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
            if request.path.startswith("/api/") or request.headers.get("HX-Request"):
                from django.http import HttpResponse

                return HttpResponse(_("A two-factor code is required."), status=403,
                                    content_type="text/plain; charset=utf-8")
            return redirect(target)
        return self.get_response(request)
