"""Public pages: content, language and the accessible structure of the base template."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Collects what an accessibility check looks at: lang, ids, landmarks, headings, links."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.ids, self.tags, self.headings, self.links, self.labels = set(), [], [], [], set()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag == "label":
            self.labels.add(attrs.get("for"))
        if tag in {"select", "input"} and attrs.get("type") != "hidden":
            self.inputs.append(attrs.get("id"))


def outline(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def assert_accessible_structure(page: Outline):
    assert page.lang in {"vi", "en"}
    assert page.links[0] == "#main", "the first link is the skip link"
    assert "main" in page.ids
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for previous, current in zip(page.headings, page.headings[1:], strict=False):
        assert current <= previous + 1, f"heading h{current} follows h{previous}"
    for control in page.inputs:
        assert control in page.labels, f"form control {control} has no label"


@pytest.mark.parametrize("path", ["/", "/campaigns/2022/", "/campaigns/2026/"])
def test_pages_have_an_accessible_structure(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_accessible_structure(outline(response))


def test_home_shows_the_current_campaign_and_all_years(client):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Ngày Chuyển đổi số quốc gia năm 2026" in html
    for year in range(2022, 2027):
        assert f'href="/campaigns/{year}/"' in html


def test_campaign_2022_page(client):
    response = client.get("/campaigns/2022/")
    html = response.content.decode()
    assert "4644/BTTTT-CĐSQG" in html
    assert "trước ngày 15/09/2022" in html
    assert "2022-09-15T00:00:00+07:00" in html
    assert "01/10/2022 – 10/10/2022 hoặc trong tháng 10/2022" in html
    assert "Bà Vũ Thị Nhung" in html and "mailto:vtnhung@mic.gov.vn" in html
    assert "hiển thị bộ nhận diện, biểu trưng của Ngày Chuyển đổi số quốc gia" in html
    groups = response.context["groups"]
    # The groups of the tracking page and of the report (the same selector).
    assert [(g["kind"], len(g["items"])) for g in groups] == [
        ("ministries", 18), ("agencies", 12), ("provinces", 63)]
    assert html.count("Chưa gửi") == 93
    ministries = [o.name for o in groups[0]["items"]]
    assert ministries[:3] == ["Bộ Công an", "Bộ Công Thương", "Bộ Giáo dục và Đào tạo"]
    assert ministries.index("Bộ Tài chính") < ministries.index("Bộ Thông tin và Truyền thông")
    provinces = [o.short_name for o in groups[2]["items"]]
    assert provinces[:4] == ["An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang"]
    start = provinces.index("Cà Mau")
    assert provinces[start:start + 9] == ["Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng",
                                          "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
                                          "Đồng Tháp"]
    assert provinces[-1] == "Yên Bái"


def test_unknown_campaign_page_is_404(client):
    assert client.get("/campaigns/1999/").status_code == 404


def test_vietnamese_by_default_even_for_english_browsers(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert "Chuyển đến nội dung chính" in html


def test_english_switch_with_csrf(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/")  # public pages carry no form, to stay cacheable
    token = page.cookies["csrftoken"].value
    refused = browser.post("/i18n/setlang/", {"language": "en", "next": "/campaigns/2022/"})
    assert refused.status_code == 403
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/campaigns/2022/",
                                               "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert switched["Location"] == "/campaigns/2022/"
    html = browser.get("/campaigns/2022/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html and "Legal basis" in html
    # Official names stay in Vietnamese.
    assert "Bộ Thông tin và Truyền thông" in html


def test_static_assets_are_local(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min" in html
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]


def test_admin_is_in_vietnamese(admin_client):
    html = admin_client.get("/admin/registry/organisation/?q=Quảng+Nam").content.decode()
    assert "Tỉnh Quảng Nam" in html
    assert "dxday — Quản trị" in html
    assert "Còn hiệu lực hôm nay" in html


def test_campaign_page_shows_public_plan_status(client, campaign, good_plan):
    from dxday.plans.services import plan_save_draft, plan_submit
    from dxday.registry.models import Organisation

    danang, bkhcn = Organisation.objects.get(code="48"), Organisation.objects.get(code="BKHCN")
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=None)
    plan_submit(campaign=campaign, organisation=danang, by=None)
    plan_save_draft(campaign=campaign, organisation=bkhcn, data=good_plan, by=None)
    html = client.get("/campaigns/2026/").content.decode()
    assert html.count("Chưa gửi") == 55  # the draft of BKHCN stays private
    row = html[html.index("Thành phố Đà Nẵng"):]
    assert row[:200].count("Đã gửi") == 1


def test_language_links_keep_the_query_and_remember_the_choice(client):
    page = client.get("/campaigns/2022/", {"x": "1"}).content.decode()
    assert 'href="/campaigns/2022/?x=1&amp;lang=en"' in page
    english = client.get("/campaigns/2022/", {"lang": "en"})
    assert '<html lang="en">' in english.content.decode()
    assert english.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_public_pages_are_cached_until_something_is_published(client, campaign, good_plan,
                                                               django_capture_on_commit_callbacks,
                                                               settings):
    from dxday.plans.services import plan_save_draft, plan_submit
    from dxday.registry.models import Organisation

    settings.PUBLIC_TRACKING_SECONDS = 0  # submissions shown at once (see the test below)
    first = client.get("/campaigns/2026/")
    assert "public" in first["Cache-Control"]
    assert first.content.decode().count("Chưa gửi") == 56
    danang = Organisation.objects.get(code="48")
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=None)
    assert client.get("/campaigns/2026/").content.decode().count("Chưa gửi") == 56
    with django_capture_on_commit_callbacks(execute=True):
        plan_submit(campaign=campaign, organisation=danang, by=None)
    assert client.get("/campaigns/2026/").content.decode().count("Chưa gửi") == 55


def test_a_submission_renews_public_pages_at_most_once_a_while(client, campaign, good_plan,
                                                              reviewer, settings,
                                                              django_capture_on_commit_callbacks):
    """On deadline day submissions do not rebuild the overview at each one: the tracking
    figures may lag by PUBLIC_TRACKING_SECONDS; a publication shows at once."""
    import time

    from dxday.plans.services import plan_review, plan_save_draft, plan_submit
    from dxday.registry.models import Organisation

    settings.PUBLIC_TRACKING_SECONDS = 3600
    assert client.get("/campaigns/2026/").content.decode().count("Chưa gửi") == 56
    danang = Organisation.objects.get(code="48")
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_submit(campaign=campaign, organisation=danang, by=None)
    cached = client.get("/campaigns/2026/")
    assert cached["X-Cache"] == "hit" and cached.content.decode().count("Chưa gửi") == 56
    settings.PUBLIC_TRACKING_SECONDS = 0.5
    time.sleep(0.6)
    renewed = client.get("/campaigns/2026/")
    assert "X-Cache" not in renewed and renewed.content.decode().count("Chưa gửi") == 55
    assert client.get("/campaigns/2026/")["X-Cache"] == "hit"  # renewed once, not each time
    settings.PUBLIC_TRACKING_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        plan_review(plan=plan, by=reviewer, decision="accept")
    accepted = client.get("/campaigns/2026/")
    assert "X-Cache" not in accepted and "Đã chấp nhận" in accepted.content.decode()


def test_cached_pages_follow_a_new_site_address(client, settings):
    """A restart with another SITE_URL does not serve cached pages holding the old address
    (the open data catalog builds its links from it)."""
    settings.SITE_URL = "https://old.example.vn"
    assert "https://old.example.vn" in client.get("/api/v1/catalog.jsonld").content.decode()
    settings.SITE_URL = "https://dxday.example.vn"
    renewed = client.get("/api/v1/catalog.jsonld").content.decode()
    assert "https://dxday.example.vn" in renewed and "old.example.vn" not in renewed


def test_search_page_names_result_types_in_vietnamese(client, campaign):
    html = client.get("/search/", {"q": "Đà Nẵng"}).content.decode()
    assert "Đơn vị" in html and ">organisation" not in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_not_found_and_forbidden_pages_are_the_sites_own(client, editor_a, language):
    client.cookies["django_language"] = language
    missing = client.get("/campaigns/1999/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert f'<html lang="{language}">' in html and 'href="/search/"' in html  # the site's own
    assert ("Không tìm thấy trang" if language == "vi" else "Page not found") in html
    client.force_login(editor_a)
    refused = client.get("/backoffice/")
    assert refused.status_code == 403
    assert ("Không có quyền truy cập" if language == "vi" else "Access refused") in \
        refused.content.decode()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "2026-1x", "-1", ""])
def test_calendar_month_out_of_range_shows_the_campaigns_month(client, month):
    """A month far from any campaign used to overflow the previous/next links (500)."""
    response = client.get("/campaigns/2026/calendar/", {"view": "month", "month": month})
    assert response.status_code == 200
    assert response.context["first"].year == 2026


def test_the_deadline_is_worded_as_the_dispatch_words_it(client, db):
    """Home and campaign pages say the deadline as the call does ("trước 00:00 ngày 15/09/…
    (giờ Việt Nam)" for a midnight deadline), never a bare "00:00 15/09"."""
    import datetime

    from dxday.campaigns.models import Campaign
    from dxday.campaigns.services import local_midnight
    from dxday.lib.dates import deadline_text

    campaign = Campaign.objects.get(year=2026)
    campaign.submission_deadline = local_midnight(datetime.date(2026, 9, 15))
    campaign.save()
    phrase = deadline_text(campaign.submission_deadline)
    assert "15/09/2026" in phrase
    for path in ("/", "/campaigns/2026/"):
        html = client.get(path).content.decode()
        assert phrase in html, path
        assert "00:00 15/09/2026" not in html, path
