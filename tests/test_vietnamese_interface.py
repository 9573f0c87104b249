"""The Vietnamese interface speaks Vietnamese: every public and workspace page, rendered in
vi, holds no English word of a stop list in its visible text (text inside an element marked
lang="en", such as the language switch or the English half of a bilingual mail, is English on
purpose and is left out)."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dxday.plans.models import Activity, ExtensionRequest, Initiative, Plan
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Contact, Document, Organisation

pytestmark = pytest.mark.django_db

# Words that are English and never Vietnamese (with or without tone marks stripped).
STOP = set(["the", "and", "with", "your", "you", "this", "that", "from", "into", "plan", "plans", "campaign", "campaigns", "submit", "submitted", "save", "saved", "draft", "deadline", "status", "none", "true", "false", "organisation", "organisations", "activity", "activities", "initiative", "initiatives", "document", "documents", "recipient", "recipients", "accepted", "returned", "missing", "late", "page", "search", "login", "logout", "back", "next", "previous", "yes", "unit", "units", "send", "sent", "reminder", "reminders", "extension", "extensions", "report", "reports", "settings", "people", "history", "changed", "created", "deleted", "tracking", "error", "errors", "expected", "select", "filter", "kind", "state", "parent", "version", "versions", "review", "reviewer", "editor", "admin", "account", "password", "email", "contact", "contacts", "change", "changes", "add", "remove", "delete", "before", "after", "never", "always", "today", "new", "old", "all", "any", "other", "edit", "view", "open", "closed", "public"])
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class VisibleText(HTMLParser):
    """Text a reader sees: not in script, style, template or an element in English."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.words: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        skip = (tag in {"script", "style", "template", "code", "pre"}
                or (attrs.get("lang") or "").startswith("en") or "hidden" in attrs)
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping():
            # Addresses, e-mail and file names are not words of the interface.
            data = re.sub(r"\S+@\S+|https?://\S+|\S+\.(?:xlsx|csv|pdf|docx|json)\b", " ", data)
            self.words.extend(re.findall(r"[A-Za-z]+", data))


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {w for w in parser.words if w.lower() in STOP}


def routes(resolver=None, prefix=""):
    """Every named URL pattern: (path pattern, name)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


@pytest.fixture
def world(campaign, editor_a, reviewer, agency_admin, good_plan):
    """A campaign with a submitted plan, an accepted one, an extension request, a contact."""
    danang, hanoi = (Organisation.objects.get(code=c) for c in ("48", "01"))
    plan_save_draft(campaign=campaign, organisation=hanoi, data=good_plan, by=None)
    plan_review(plan=plan_submit(campaign=campaign, organisation=hanoi, by=None), by=reviewer,
                decision="accept")
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=editor_a)
    plan_submit(campaign=campaign, organisation=danang, by=editor_a)
    bkhcn = Organisation.objects.get(code="BKHCN")
    Contact.objects.create(organisation=bkhcn, name="Trần Thị B", email="b@bkhcn.example.vn",
                           is_focal=True)
    plan = Plan.objects.create(campaign=campaign, organisation=bkhcn)
    ExtensionRequest.objects.create(plan=plan, reason="Lãnh đạo vắng", requested_by=None,
                                    wanted_until=datetime.date(2026, 12, 30))
    return {"danang": danang, "hanoi": hanoi}


def pages_for(world):
    activity = Activity.objects.first()
    initiative = Initiative.objects.first()
    document = Document.objects.first()
    public = ["/", "/search/?q=ha+noi", "/campaigns/2026/", "/campaigns/2026/calendar/",
              "/campaigns/2026/calendar/?view=month&month=2026-10",
              f"/campaigns/2026/activities/{activity.pk}/", "/campaigns/2026/initiatives/",
              f"/campaigns/2026/initiatives/{initiative.pk}/", "/campaigns/2026/map/",
              "/campaigns/2026/kit/", "/organisations/01/", f"/documents/{document.pk}/",
              "/campaigns/2022/", "/don-vi/48/qua-cac-nam/", "/no-such-page/"]
    agency = ["/backoffice/", "/backoffice/2026/", "/backoffice/2026/plans/48/",
              "/backoffice/2026/reports/", "/backoffice/2026/bulk/", "/backoffice/2026/kit/",
              "/backoffice/history/", "/backoffice/campaigns/new/", "/backoffice/2026/setup/",
              "/backoffice/2026/recipients/", "/backoffice/2026/call/",
              "/backoffice/2026/reminders/", "/backoffice/2026/extensions/",
              "/accounts/profile/"]
    agency += [p for p in ("/backoffice/people/", "/backoffice/people/invite/",
                           "/backoffice/units/", "/backoffice/units/48/")
               if any(r.startswith(p.strip("/").split("/")[0]) for r in routes())]
    editor = ["/plans/", "/plans/2026/48/", "/plans/2026/48/versions/1/",
              "/plans/2026/48/submit/", "/plans/2026/48/extension/",
              "/plans/2026/48/carry-over/"]
    anonymous = ["/accounts/login/", "/accounts/password-reset/"]
    return public, agency, editor, anonymous


def check(client, paths, found):
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="vi")
        expected = 404 if path == "/no-such-page/" else 200
        assert response.status_code == expected, (path, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        words = english_words(response.content.decode())
        if words:
            found[path] = sorted(words)


def test_no_english_in_the_vietnamese_interface(client, world, editor_a, agency_admin):
    public, agency, editor, anonymous = pages_for(world)
    found: dict[str, list[str]] = {}
    client.cookies["django_language"] = "vi"
    check(client, anonymous + public, found)
    client.force_login(agency_admin)
    check(client, agency, found)
    client.logout()
    client.force_login(editor_a)
    check(client, editor, found)
    assert found == {}, "\n".join(f"{p}: {w}" for p, w in found.items())


def test_the_stop_list_catches_english():
    """The check can fail: an English sentence in Vietnamese text is found, a lang="en"
    element and an address are not."""
    html = ('<p>Kế hoạch của đơn vị</p><p>Save the draft</p><a lang="en" href="#">Search'
            '</a><p>https://example.vn/plan bientap@plan.vn</p><script>var plan;</script>')
    assert english_words(html) == {"Save", "the", "draft"}
