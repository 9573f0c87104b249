"""Search: folded Vietnamese, ranked, the same results on the page and in the API."""

import pytest

pytestmark = pytest.mark.django_db


def titles(client, q):
    response = client.get("/api/v1/search", {"q": q})
    assert response.status_code == 200
    return [r["title"] for r in response.json()]


@pytest.mark.parametrize(("query", "expected"), [
    ("da nang", "Thành phố Đà Nẵng"),
    ("DAK LAK", "Tỉnh Đắk Lắk"),
    ("hoa binh", "Tỉnh Hòa Bình"),
    ("Hoà Bình", "Tỉnh Hòa Bình"),
    ("quang nam", "Tỉnh Quảng Nam"),
    ("4644", "4644/BTTTT-CĐSQG — V/v triển khai Quyết định số 505/QĐ-TTg ngày 22/4/2022 của "
             "Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia"),
])
def test_unaccented_and_either_tone_placement_find_names(client, query, expected):
    assert expected in titles(client, query)


def test_published_activities_and_initiatives_are_found(client, published):
    found = client.get("/api/v1/search", {"q": "chuyen doi so"}).json()
    assert {"type": "activity", "title": "Hội thảo chuyển đổi số", "campaign": 2026} in [
        {k: r[k] for k in ("type", "title", "campaign")} for r in found]
    assert any(r["type"] == "initiative" for r in client.get(
        "/api/v1/search", {"q": "vi dien tu"}).json())
    assert titles(client, "chua duoc duyet") == []  # submitted, not accepted
    assert titles(client, "ban nhap") == []  # a draft


def test_the_page_shows_the_api_results(client, published):
    api = titles(client, "trien lam")
    html = client.get("/search/", {"q": "trien lam"}).content.decode()
    assert api and all(t.replace("“", "&ldquo;") in html or t in html for t in api)


def test_results_follow_the_embargo(client, published):
    import datetime

    from django.utils import timezone

    published.publish_from = timezone.now() + datetime.timedelta(days=1)
    published.save()
    assert titles(client, "hoi thao chuyen doi so") == []


@pytest.mark.parametrize("query", [
    "", " ", '"', "*", "NEAR(a b)", "a OR b AND", "'; DROP TABLE x; --", "😀🇻🇳",
    "x" * 10_000, "Đ" * 3000, "\u0301\u0300", "title:hack", "-", "a^b", "(((",
])
def test_any_query_gives_results_or_nothing_never_an_error(client, query):
    response = client.get("/api/v1/search", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json(), list)
    assert client.get("/search/", {"q": query}).status_code == 200


def test_a_nul_in_the_query_is_refused_with_a_message_naming_it(client):
    """No person types a NUL; PostgreSQL cannot hold one. Refused before the search runs."""
    response = client.get("/api/v1/search", {"q": "a\x00b"})
    assert response.status_code == 400 and "“q”" in response.json()["detail"]
    page = client.get("/search/", {"q": "a\x00b"})
    assert page.status_code == 400 and "“q”" in page.content.decode()
