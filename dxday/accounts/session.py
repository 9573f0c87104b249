"""The idle session, seen from the page: how long it has left, extending it, and keeping what
was typed in a form posted after it ended.

The page learns the seconds left from the session middleware (``request.dxday_session_left``)
and static/dxday/session.js warns two minutes before the end; "Stay logged in" POSTs to
:func:`extend`. A form whose view is wrapped in :func:`keeps_posted_form` and that arrives after
the session ended is not lost: its fields are kept in the new anonymous session under the
page's path, the user logs in again (Django's login keeps an anonymous session's data) and the
page puts them back with :func:`pop_stash`.
"""

import functools
import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

STARTED_KEY = "dxday_started"
SEEN_KEY = "dxday_seen"
# The last-seen time is written at most once a minute, so that reading pages does not write a
# session row on every request.
SEEN_RESOLUTION = 60
# The warning comes this long before the end (half the idle time when that is shorter).
WARN_SECONDS = 120
# {path: {"fields": [[name, [values…]], …], "file": bool, "at": epoch}}
STASH_KEY = "dxday_stash"
# Fields that are not the user's typing.
NOT_KEPT = {"csrfmiddlewaretoken"}


def seconds_left(session, now: int | None = None) -> int:
    """Seconds before the session middleware ends this session: the idle limit counted from
    the last-seen time *as stored* (it lags the last request by up to SEEN_RESOLUTION), or the
    absolute limit, whichever comes first."""
    now = int(time.time()) if now is None else now
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY) or started
    if started is None:
        return settings.SESSION_IDLE_SECONDS
    return max(0, min(seen + settings.SESSION_IDLE_SECONDS,
                      started + settings.SESSION_ABSOLUTE_SECONDS) - now)


def warn_seconds() -> int:
    return min(WARN_SECONDS, settings.SESSION_IDLE_SECONDS // 2)


def csrf_ok(request) -> bool:
    """The request passes Django's CSRF check (done here because the session middleware runs
    before the view's check, and a forged form must not be planted in someone's session)."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None


def stash_post(request) -> dict | None:
    """Keep the form fields of this POST (never its files) in the current session under the
    request's path; returns what was kept, or None when the request fails the CSRF check."""
    if not csrf_ok(request):
        return None
    entry = {"fields": [[name, values] for name, values in request.POST.lists()
                        if name not in NOT_KEPT],
             "file": any(f.size for f in request.FILES.values()),
             "at": int(time.time())}
    stash = dict(request.session.get(STASH_KEY) or {})
    stash[request.path] = entry
    request.session[STASH_KEY] = stash
    return entry


def pop_stash(request, path: str | None = None) -> dict | None:
    """Take (and drop) what was kept for ``path``: {"post": QueryDict, "file": bool,
    "at": epoch seconds when it was kept}."""
    path = path or request.path
    stash = request.session.get(STASH_KEY) or {}
    if path not in stash:
        return None
    entry = stash.pop(path)
    if stash:
        request.session[STASH_KEY] = stash
    else:
        del request.session[STASH_KEY]
    post = QueryDict(mutable=True)
    for name, values in entry.get("fields", []):
        post.setlist(name, list(values))
    return {"post": post, "file": bool(entry.get("file")), "at": int(entry.get("at") or 0)}


def keeps_posted_form(view):
    """login_required for a form page whose typing must survive the end of the session: a
    POST that arrives without a logged-in user (the session ended meanwhile) is kept with
    :func:`stash_post` before the redirect to the login page. The session middleware looks
    for the ``keeps_posted_form`` mark when it ends a session on such a POST."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            stash_post(request)
            return redirect_to_login(request.path)
        return redirect_to_login(request.get_full_path())

    wrapper.keeps_posted_form = True
    return wrapper


def _state(request, left: int) -> dict:
    return {"seconds_left": left, "warn_seconds": warn_seconds(),
            "idle_seconds": settings.SESSION_IDLE_SECONDS}


@never_cache
@require_GET
def status(request):
    """The seconds this session has left, without counting as activity (the middleware does
    not move the last-seen time for this path): another tab may have extended it."""
    if not request.user.is_authenticated:
        return JsonResponse({**_state(request, 0),
                             "detail": _("Your session has ended. Please log in again.")},
                            status=401)
    return JsonResponse(_state(request, seconds_left(request.session)))


@never_cache
@require_POST
def extend(request):
    """"Stay logged in": the session counts as seen now (the idle time starts again; the
    absolute limit stays)."""
    if not request.user.is_authenticated:
        return JsonResponse({**_state(request, 0),
                             "detail": _("Your session has ended. Please log in again.")},
                            status=401)
    now = int(time.time())
    request.session[SEEN_KEY] = now
    return JsonResponse(_state(request, seconds_left(request.session, now)))
