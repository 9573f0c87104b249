"""Site-wide template helpers."""

from django import template

from dxday.lib.dates import moment_text

register = template.Library()


@register.simple_tag(takes_context=True)
def with_params(context, **params):
    """The current URL with some query parameters set (empty value: removed)."""
    request = context["request"]
    query = request.GET.copy()
    for key, value in params.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.filter
def moment(value) -> str:
    """A moment in Vietnam's time: "14 giờ 30 phút, 03/12/2026" (English: "14:30, …")."""
    return moment_text(value) if value else ""
