"""The scanner's error texts (English, part of the `dxday scan` contract) told to the agency in
its language; the technical text stays available beside it."""

import re

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (pattern at the start of the scanner's message, what the reviewer reads)
ERRORS = [
    (r"cannot resolve", _("The site's name does not exist or cannot be resolved (DNS).")),
    (r"refused: .* resolves to|host .* is a metadata|scheme |credentials in the URL|"
     r"the URL has no host|malformed URL",
     _("The address is not a public web address: it was not visited.")),
    (r"blocked by robots\.txt", _("The site's robots.txt does not allow checking this page.")),
    (r"more than \d+ redirects|redirect loop", _("The page redirects too many times.")),
    (r"timed out", _("The site did not answer in time.")),
    (r"connection refused|cannot connect", _("The site refused the connection.")),
    (r"TLS error", _("The site's HTTPS certificate or connection is faulty.")),
    (r"^HTTP 404$", _("The page does not exist (HTTP 404).")),
    (r"^HTTP [45]\d\d$", _("The site answered with an error (HTTP %(status)s).")),
    (r"HTTP error", _("The site's answer could not be read.")),
    (r"body larger than", _("The page or image is too large to check.")),
    (r"cannot decode", _("The page's content could not be decoded.")),
    (r"scanner error", _("The page's content could not be analysed.")),
]
_COMPILED = [(re.compile(pattern), label) for pattern, label in ERRORS]


@register.filter
def scan_error(message: str) -> str:
    """What a scanner error means, in the interface's language."""
    if not message:
        return ""
    for pattern, label in _COMPILED:
        found = pattern.search(message)
        if found:
            status = re.search(r"HTTP (\d{3})", found.group(0))
            return str(label) % {"status": status.group(1)} if status else str(label)
    return str(_("The address could not be checked."))
