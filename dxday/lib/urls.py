"""The site's public address.

Every absolute link the site hands out (in mail, feeds, the kit's HTML snippet, open data) is
built from SITE_URL, never from the Host header of the request that happened to build it: a
request with a forged Host must not put its address in a page that is cached for everyone, or
in a password-reset mail."""

from django.conf import settings


def site_url(path: str = "/") -> str:
    """SITE_URL followed by ``path`` (which starts with "/")."""
    return settings.SITE_URL.rstrip("/") + path
