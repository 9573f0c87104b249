"""Caching of public pages and open data.

Anonymous GET responses are cached per URL and language under a publication stamp; every
submission, review and publication moves the stamp, so what the public sees is never older
than the last change (and at most PUBLIC_CACHE_SECONDS in any case, for admin edits).
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

STAMP_KEY = "dxday:publication-stamp"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def publication_changed() -> None:
    cache.set(STAMP_KEY, time.time_ns(), None)


def _stamp() -> int:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = time.time_ns()
        cache.add(STAMP_KEY, stamp, None)
    return stamp


def cached_public(view):
    """Cache a public view's 200 responses for anonymous visitors."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method != "GET" or not anonymous:
            return view(request, *args, **kwargs)
        key = f"dxday:page:{_stamp()}:{get_language()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not getattr(response, "streaming", False):
                if hasattr(response, "render"):
                    response.render()
                headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
