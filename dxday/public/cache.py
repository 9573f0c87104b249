"""Caching of public pages and open data.

Anonymous GET responses are cached per URL and language under a publication stamp; every
review, publication and admin edit moves the stamp, so what the public sees is never older
than the last such change (and at most PUBLIC_CACHE_SECONDS in any case).

A submission changes only the public tracking figures. On deadline day hundreds arrive within
minutes, and renewing every page at each would rebuild the campaign overview (3,377 units)
again and again while the public reads it. So a submission only records its time: a cached
page that shows them (TRACKING_PATHS: the campaign overview and its results pages, the
API's recipients, figures and tracking), older than that, is rebuilt once it is
PUBLIC_TRACKING_SECONDS old (one request rebuilds it; the others are served the previous
copy meanwhile). The tracking figures the public sees are thus at most that many seconds
behind; other pages are not touched.
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

STAMP_KEY = "dxday:publication-stamp"
TRACKING_KEY = "dxday:tracking-changed"
TRACKING_PATHS = re.compile(
    r"^/(campaigns/\d+/|(en/)?campaigns/\d+/results/"
    r"|api/v1/campaigns/\d+/(recipients|figures|tracking))$")
MAX_CACHED_BYTES = 4 * 1024 * 1024
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
BUILD_WAIT_SECONDS = 10


def publication_changed(**kwargs) -> None:
    cache.set(STAMP_KEY, time.time_ns(), None)


def _site() -> str:
    return hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:12]


def tracking_changed(**kwargs) -> None:
    """A plan was submitted: the public tracking figures moved (see the module's doc)."""
    cache.set(TRACKING_KEY, time.time(), None)


def publication_stamp() -> int:
    """The current publication stamp: figures kept under it are renewed with the pages."""
    return _stamps()[0]


def _stamps() -> tuple[int, float]:
    found = cache.get_many([STAMP_KEY, TRACKING_KEY])
    stamp = found.get(STAMP_KEY)
    if stamp is None:
        stamp = time.time_ns()
        cache.add(STAMP_KEY, stamp, None)
    return stamp, found.get(TRACKING_KEY) or 0.0


PRIVATE_PREFIXES = ("/admin/", "/accounts/", "/plans/", "/backoffice/", "/i18n/", "/static/",
                    "/media/", "/healthz")


def cacheable(request) -> bool:
    path = request.path
    return (request.method == "GET" and not path.startswith(PRIVATE_PREFIXES)
            and "/plans/" not in path  # the write API's plan reads are private
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META)


class PublicCacheMiddleware:
    """Serve anonymous GETs of public pages and open data from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable(request):
            return self.get_response(request)
        # The scheme and host the request came by are part of what is cached, beside the
        # path: absolute links are built from SITE_URL only, but a page built for one Host is
        # never served to a request for another. The site's address is part of the key too:
        # a restart with another SITE_URL must not serve the old pages.
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        stamp, tracking = _stamps()
        key = (f"dxday:page:{stamp}:{_site()}:{get_language()}:"
               f"{hashlib.sha256(address.encode('utf-8', 'surrogateescape')).hexdigest()}")
        hit = cache.get(key)
        if hit is not None and len(hit) != 3:
            hit = None  # kept by an earlier release, without its time
        locked = False
        building = f"{key}:building"
        if (hit is not None and hit[2] < tracking and TRACKING_PATHS.match(request.path)
                and time.time() - hit[2] >= settings.PUBLIC_TRACKING_SECONDS):
            # Behind a submission and old enough: this request renews it, unless another
            # already does (then the copy in hand is served).
            locked = cache.add(building, 1, BUILD_WAIT_SECONDS)
            if locked:
                hit = None
        if hit is None and not locked:
            # One request builds a missing page; the others wait for it a little instead of
            # all building it at once (a popular page expiring under load).
            locked = cache.add(building, 1, BUILD_WAIT_SECONDS)
            if not locked:
                deadline = time.monotonic() + BUILD_WAIT_SECONDS
                while (hit is None and time.monotonic() < deadline
                       and cache.get(building) is not None):
                    time.sleep(0.05)
                    hit = cache.get(key)
        if hit is not None:
            content, headers = hit[0], hit[1]
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Cache"] = "hit"
        else:
            try:
                built = time.time()
                response = self.get_response(request)
                # Whole-table exports (tens of MB) are rebuilt faster than the cache
                # compresses them.
                if (response.status_code == 200 and not response.streaming
                        and not response.cookies and len(response.content) <= MAX_CACHED_BYTES):
                    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                    cache.set(key, (response.content, headers, built),
                              settings.PUBLIC_CACHE_SECONDS)
            finally:
                if locked:
                    cache.delete(f"{key}:building")
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response
