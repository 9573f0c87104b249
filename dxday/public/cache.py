"""Caching of public pages and open data.

Anonymous GET responses are cached per URL and language under a publication stamp; every
submission, review and publication moves the stamp, so what the public sees is never older
than the last change (and at most PUBLIC_CACHE_SECONDS in any case, for admin edits).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

STAMP_KEY = "dxday:publication-stamp"
MAX_CACHED_BYTES = 4 * 1024 * 1024
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
BUILD_WAIT_SECONDS = 10


def publication_changed() -> None:
    cache.set(STAMP_KEY, time.time_ns(), None)


def _stamp() -> int:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = time.time_ns()
        cache.add(STAMP_KEY, stamp, None)
    return stamp


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
        path = request.get_full_path().encode("utf-8", "surrogateescape")
        key = f"dxday:page:{_stamp()}:{get_language()}:{hashlib.sha256(path).hexdigest()}"
        hit = cache.get(key)
        locked = False
        if hit is None:
            # One request builds a missing page; the others wait for it a little instead of
            # all building it at once (a popular page expiring under load).
            building = f"{key}:building"
            locked = cache.add(building, 1, BUILD_WAIT_SECONDS)
            if not locked:
                deadline = time.monotonic() + BUILD_WAIT_SECONDS
                while (hit is None and time.monotonic() < deadline
                       and cache.get(building) is not None):
                    time.sleep(0.05)
                    hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Cache"] = "hit"
        else:
            try:
                response = self.get_response(request)
                # Whole-table exports (tens of MB) are rebuilt faster than the cache
                # compresses them.
                if (response.status_code == 200 and not response.streaming
                        and not response.cookies and len(response.content) <= MAX_CACHED_BYTES):
                    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                    cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
            finally:
                if locked:
                    cache.delete(f"{key}:building")
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response
