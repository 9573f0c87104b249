"""Session limits and the second factor for agency roles.

SessionTimeoutMiddleware ends a session 30 minutes after its last request (idle) and 12 hours
after login (absolute), whatever the cookie says; it tells the page how long the session has
left (``request.dxday_session_left``, for the warning of static/dxday/session.js), and when a
form that keeps its typing (dxday.accounts.session.keeps_posted_form) arrives after the end,
its fields are kept for after the next login. AgencyOTPRequiredMiddleware lets an agency
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
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from dxday.accounts.services import otp_has_device
from dxday.accounts.session import (
    SEEN_KEY,
    SEEN_RESOLUTION,
    STARTED_KEY,
    csrf_ok,
    seconds_left,
    stash_post,
    warn_seconds,
)

__all__ = ["SEEN_KEY", "SEEN_RESOLUTION", "STARTED_KEY", "AgencyOTPRequiredMiddleware",
           "SessionTimeoutMiddleware"]


def _wants_status(request) -> bool:
    """Scripts, htmx fragments and JSON callers get a status, not a page they cannot show."""
    return (request.path.startswith("/api/") or bool(request.headers.get("HX-Request"))
            or "application/json" in request.headers.get("Accept", ""))


def _send_to(request, name: str, *, message: str, status: int):
    """Redirect a page to ``name`` (coming back afterwards); scripts and htmx fragments get the
    status and the message instead of a page they cannot show."""
    if _wants_status(request):
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def _keeps_posted_form(request) -> bool:
    if request.method != "POST":
        return False
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "keeps_posted_form", False)


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
            elif (now - started >= settings.SESSION_ABSOLUTE_SECONDS
                  or now - (seen or started) >= settings.SESSION_IDLE_SECONDS):
                # Over when no second is left (session.seconds_left is 0), as the page counts.
                return self.ended(request)
            elif (now - (seen or 0) >= SEEN_RESOLUTION
                  and request.path != reverse("accounts:session_status")):
                # Asking how long is left is not activity.
                session[SEEN_KEY] = now
            # For the page's warning (templates/_session.html).
            request.dxday_session_left = seconds_left(session, now)
            request.dxday_session_warn = warn_seconds()
        return self.get_response(request)

    def ended(self, request):
        """Log out; a form that keeps its typing is kept (fields, not files) for the same page
        after the next login, provided it passes the CSRF check."""
        keep = _keeps_posted_form(request) and csrf_ok(request)
        logout(request)
        if keep and stash_post(request) is not None:
            # The login page says what was kept; the form page puts it back.
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}")
        message = _("Your session has ended. Please log in again.")
        if not _wants_status(request):
            messages.info(request, message)
        return _send_to(request, settings.LOGIN_URL, message=message, status=401)


# Paths an agency user who has not yet given a code may still reach.
OTP_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/",
                       "/healthz",
                       # The session warning on the code page itself: time left, stay logged in.
                       "/accounts/session/")


class AgencyOTPRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.OTP_REQUIRED_FOR_AGENCY and user is not None and user.is_authenticated
                and user.is_staff_reviewer and not user.is_verified()
                and not request.path.startswith(OTP_EXEMPT_PREFIXES)):
            name = "accounts:otp_verify" if otp_has_device(user=user) else "accounts:otp_setup"
            return _send_to(request, name, message=_("A two-factor code is required."),
                            status=403)
        return self.get_response(request)
