"""Site-wide template helpers."""

from django import template

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
