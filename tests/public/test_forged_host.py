"""A request with a forged Host header never puts its address into what others receive: cached
public pages (the kit's HTML snippet, the Atom feed) and password-reset mail carry SITE_URL."""

import re

import defusedxml.ElementTree as ET
import pytest

from dxday.plans.models import Plan
from dxday.scanner.models import KitFile
from dxday.scanner.services import kit_file_add
from tests.conftest import make_user
from tests.scanner.conftest import kit_upload

pytestmark = pytest.mark.django_db
SITE = "https://dxday.example.gov.vn"
FORGED = "localhost:6666"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.SITE_URL = SITE


def addresses(text: str) -> set[str]:
    """The scheme and host of every absolute http(s) address in a text."""
    return set(re.findall(r"https?://[^/\"'<>\s]+", text))


def test_the_kit_snippet_served_after_a_forged_host_points_at_the_site(client, campaign):
    kit_file_add(campaign=campaign, variant=KitFile.Variant.COLOUR,
                 upload=kit_upload("logo.png"))
    forged = client.get("/campaigns/2026/kit/?p=1", HTTP_HOST=FORGED)
    assert forged.status_code == 200
    honest = client.get("/campaigns/2026/kit/?p=1")
    for response in (forged, honest):
        page = response.content.decode()
        snippet = re.search(r"&lt;a href=.*?&lt;/a&gt;", page, re.S)
        assert snippet, "the page shows the snippet to paste"
        assert FORGED not in page
        assert f"{SITE}/campaigns/2026/kit/files/" in snippet.group(0)


def test_the_atom_feed_is_built_from_the_site_address(client, published):
    forged = client.get("/feeds/plans.atom", HTTP_HOST=FORGED)
    again = client.get("/feeds/plans.atom")
    for response in (forged, again):
        assert response.status_code == 200
        text = response.content.decode()
        assert FORGED not in text
        feed = ET.fromstring(response.content)
        links = [e.get("href") for e in feed.iter(f"{ATOM}link")]
        ids = [e.text for e in feed.iter(f"{ATOM}id")]
        accepted = Plan.objects.filter(status=Plan.Status.ACCEPTED).count()
        assert len(feed.findall(f"{ATOM}entry")) == accepted > 0
        assert links and ids
        assert all(value.startswith(SITE + "/") for value in links + ids)
        assert addresses(text) <= {SITE, "http://www.w3.org"}


def test_a_page_cached_for_one_host_is_not_served_for_another(client, campaign):
    first = client.get("/campaigns/2026/", HTTP_HOST=FORGED)
    second = client.get("/campaigns/2026/")
    assert first.status_code == second.status_code == 200
    assert first.get("X-Cache") is None and second.get("X-Cache") is None
    assert client.get("/campaigns/2026/").get("X-Cache") == "hit"


def test_password_reset_mail_links_to_the_site_not_the_request_host(client, smtp, db):
    user = make_user("an.nguyen@danang.gov.vn", "editor", "48")
    response = client.post("/accounts/password-reset/", {"email": user.email},
                           HTTP_HOST=FORGED)
    assert response.status_code == 302
    assert len(smtp.messages) == 1
    body = smtp.messages[0]["body"]
    assert FORGED not in body
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 1 and links[0].startswith(f"{SITE}/accounts/reset/")
    # The link works: it opens the page to choose a new password.
    path = links[0][len(SITE):]
    assert client.get(path, follow=True).status_code == 200


def test_no_mail_template_builds_an_address_from_the_request():
    """Every mail's links start with {{ site_url }} (SITE_URL); none uses the request's
    protocol, domain or host."""
    from pathlib import Path

    from django.conf import settings as django_settings

    root = Path(django_settings.BASE_DIR) / "templates"
    mails = sorted(root.glob("mail/*.txt")) + sorted(root.glob("accounts/*email*.txt"))
    assert len(mails) >= 6
    for path in mails:
        text = path.read_text()
        assert not re.search(r"\{\{\s*(protocol|domain)\b|request\.(get_host|build_absolute_uri"
                             r"|META|scheme|get_full_path)", text), path.name
        for line in text.splitlines():
            if "{% url" in line:
                assert "{{ site_url }}{% url" in line, (path.name, line)
