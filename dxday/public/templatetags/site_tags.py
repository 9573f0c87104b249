"""Site-wide template helpers."""

import datetime

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dxday.lib import text
from dxday.lib.dates import moment_text
from dxday.public.datasets import PAGES

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


@register.filter
def day(value) -> str:
    """A date, or a date written yyyy-mm-dd as a plan or results document holds it, as
    dd/mm/yyyy; anything else as it is ("" for none)."""
    if not value:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


@register.filter
def grouped(value) -> str:
    """lib.text.grouped: 12.500 in Vietnamese, 12,500 in English."""
    return text.grouped(value)


@register.simple_tag
def page_url(page: str) -> str:
    """The address of a page that has one per language (datasets.PAGES), in the active one."""
    names = PAGES[page]
    return reverse(names.get(get_language(), names["vi"]))


@register.filter
def path_breaks(path: str) -> str:
    """A URL path that may wrap after each "/" on a narrow screen, never inside a word."""
    return mark_safe("/<wbr>".join(escape(part) for part in str(path).split("/")))  # noqa: S308
