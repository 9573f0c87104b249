"""Every public HTML page, walked with hostile query strings: out-of-range numbers and dates,
NUL and control characters, broken percent-encodings, very long values, markup. The answer is
the page (the nearest valid value), a 400 or a 404 — never a server error — and nothing typed
comes back as live markup. (The API is walked by the schema-driven fuzzer in tests/api.)"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from dxday.plans.models import Activity, Initiative
from dxday.registry.models import Document
from dxday.scanner.models import KitFile
from dxday.scanner.services import kit_file_add
from tests.conftest import pdf_bytes
from tests.scanner.conftest import kit_upload

pytestmark = pytest.mark.django_db

# Every query parameter a public page reads, and some it does not.
PARAMETERS = ["view", "month", "page", "p", "q", "province", "category", "format",
              "organisation", "date_from", "date_to", "beneficiary", "sector", "verdict",
              "lang", "year", "unknown"]
MARKUP = '"><script>alert(1)</script>'
VALUES = ["9999-12", "0001-01", "10000-01", "2026-13", "2026-02-31", "-1", "0",
          "99999999999999999999999999", "1e309", "NaN", "", " ", MARKUP,
          "'; DROP TABLE plans_plan;--", "\x00", "a\x00b", "\x1b[31m", "../../etc/passwd",
          "Ha\u0300 No\u0323i", "x" * 5000, "%", "٣"]
# Query strings that are broken before any value is read.
RAW = ["%ff%fe", "page=%00", "q=%E0%A4%A", "month=%F0%9F%98", "&&&==&", "page[]=1&page[]=2",
       "view=month&view=list&month=1&month=9999-12", "view=month&month=-0001-01",
       "view=month&month=%2B99999-01", "q=%ED%A0%80&province=%ED%A0%80", "q=" + "%C3%A0" * 3000]
ALLOWED = {200, 301, 302, 400, 404}


def public_routes():
    """(name, pattern) of every route in the public namespace (the portal's pages)."""
    resolver = get_resolver()
    found = []

    def walk(patterns, namespace, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace,
                     prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and namespace == "public":
                found.append((entry.name, prefix + str(entry.pattern)))

    walk(resolver.url_patterns, None, "")
    return found


@pytest.fixture
def addresses(published, campaign):
    kit = kit_file_add(campaign=campaign, variant=KitFile.Variant.COLOUR,
                       upload=kit_upload("logo.png"))
    call = Document.objects.create(kind=Document.Kind.DISPATCH, number="1/CĐSQG",
                                   date="2026-09-01", title="Hưởng ứng Ngày CĐS 2026")
    call.file.save("cong-van-2026.pdf", ContentFile(pdf_bytes(800)))
    values = {"year": 2026, "code": "48",
              "activity": Activity.objects.public().filter(campaign=campaign).first().pk,
              "initiative": Initiative.objects.public().filter(campaign=campaign).first().pk,
              "kit": kit.pk, "document": call.pk}
    urls = []
    for name, pattern in public_routes():
        path = "/" + pattern
        path = path.replace("<int:year>", str(values["year"]))
        path = path.replace("<str:code>", values["code"])
        pk = {"activity": values["activity"], "initiative": values["initiative"],
              "kit_file": values["kit"], "document": values["document"],
              "document_file": values["document"]}.get(name)
        path = path.replace("<int:pk>", str(pk))
        assert "<" not in path, f"no value for the route {name}: {path}"
        urls.append((name, path))
    return urls


def check(response, where):
    assert response.status_code in ALLOWED, f"{where}: {response.status_code}"
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        assert "<script>alert(1)" not in response.content.decode("utf-8", "replace"), where


def test_every_public_page_holds_against_hostile_query_strings(client, addresses):
    names = {name for name, _ in addresses}
    # The walk reaches the pages the public uses (a route added later is walked too).
    assert {"home", "search", "calendar", "catalogue", "map", "kit", "campaign",
            "organisation", "activity", "initiative", "document", "document_file", "feed",
            "open_data", "api_docs"} <= names
    requests = 0
    for name, path in addresses:
        assert client.get(path).status_code == 200, name
        # The calendar reads its other parameters in each of its two views.
        variants = ({}, {"view": "month"}) if name == "calendar" else ({},)
        for value in VALUES:
            for extra in variants:
                query = {key: value for key in PARAMETERS} | extra
                check(client.get(path, query), f"{path}?{value[:20]!r}{extra}")
                requests += 1
        for raw in RAW:
            check(client.get(f"{path}?{raw}"), f"{path}?{raw[:40]}")
            requests += 1
    assert requests == (len(addresses) + 1) * len(VALUES) + len(addresses) * len(RAW)


def test_each_parameter_alone_with_its_worst_values(client, addresses):
    """One parameter at a time (a page that ignores the others then reads only this one)."""
    pages = {name: path for name, path in addresses}
    for name in ("calendar", "catalogue", "search"):
        if name not in pages:
            continue
        for key in PARAMETERS:
            for value in ("9999-12", "-1", "\x00", MARKUP):
                query = {key: value}
                if name == "calendar":
                    query["view"] = "month" if key != "view" else value
                check(client.get(pages[name], query), f"{name} {key}={value[:20]!r}")


def test_the_calendar_link_to_the_ics_keeps_filters_encoded(client, published):
    page = client.get("/campaigns/2026/calendar/",
                      {"province": "48&category=x", "category": "conference"})
    html = page.content.decode()
    assert "province=48%26category%3Dx" in html
    assert "province=48&amp;category=x" not in html
