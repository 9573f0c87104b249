"""The public read API, /api/v1/."""

import pytest

pytestmark = pytest.mark.django_db
CENTRAL_AND_PROVINCES = ["ministry", "ministerial_agency", "government_agency", "province", "city"]
COMMUNE_LEVEL = ["commune", "ward", "special_zone"]


def test_organisations_on_the_dispatch_day(api):
    status, body = api("organisations", on="2022-09-13", limit=1000)
    assert status == 200
    assert body["count"] == 93
    assert len(body["items"]) == 93
    quang_nam = next(o for o in body["items"] if o["code"] == "49-2022")
    assert quang_nam == {
        "code": "49-2022", "name": "Tỉnh Quảng Nam", "short_name": "Quảng Nam",
        "kind": "province", "official_code": "49", "parent_code": None, "valid_from": None,
        "valid_to": "2025-06-30", "successor_codes": ["48"],
    }


def test_organisations_today(api):
    status, body = api("organisations", on="2026-11-28", kind=CENTRAL_AND_PROVINCES, limit=1000)
    assert (status, body["count"]) == (200, 56)
    status, body = api("organisations", on="2026-11-28", kind=COMMUNE_LEVEL, limit=1000)
    assert (status, body["count"], len(body["items"])) == (200, 3321, 1000)
    assert body["items"][0]["parent_code"]
    assert api("organisations", on="2026-11-28", limit=1)[1]["count"] == 56 + 3321


def test_pagination_walks_every_commune_once(api):
    codes = []
    for offset in range(0, 4000, 1000):
        codes += [o["code"] for o in api("organisations", kind=COMMUNE_LEVEL, limit=1000,
                                         offset=offset)[1]["items"]]
    assert len(codes) == len(set(codes)) == 3321


def test_filter_by_parent(api):
    status, body = api("organisations", parent="48", limit=1000)
    assert status == 200
    assert "Đặc khu Hoàng Sa" in [o["name"] for o in body["items"]]
    assert {o["parent_code"] for o in body["items"]} == {"48"}


@pytest.mark.parametrize(("params", "field"), [
    ({"on": "2022-13-45"}, "on"), ({"on": "yesterday"}, "on"), ({"kind": "county"}, "kind"),
    ({"limit": 5000}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset"),
    ({"offset": 13178209571553652736}, "offset"),
])
def test_bad_parameters_are_422_naming_the_parameter(api, params, field):
    status, body = api("organisations", **params)
    assert status == 422
    assert field in [part for error in body["detail"] for part in error["loc"]]


def test_one_organisation(api):
    status, body = api("organisations/BTTTT-2022")
    assert status == 200
    assert body["name"] == "Bộ Thông tin và Truyền thông"
    assert body["successor_codes"] == ["BKHCN", "BVHTTDL"]
    status, body = api("organisations/NO-SUCH-CODE")
    assert status == 404
    assert "NO-SUCH-CODE" in body["detail"]


def test_campaigns_list(api):
    status, body = api("campaigns")
    assert status == 200
    assert [c["year"] for c in body] == [2026, 2025, 2024, 2023, 2022]


def test_campaign_2022(api):
    status, body = api("campaigns/2022")
    assert status == 200
    assert body["submission_deadline"] == "2022-09-15T00:00:00+07:00"
    assert (body["window_start"], body["window_end"]) == ("2022-10-01", "2022-10-10")
    assert body["window_note"] == "hoặc trong tháng 10/2022"
    assert body["organiser"] == "Bộ Thông tin và Truyền thông"
    assert body["contact_point"] == {"unit": "Cục Chuyển đổi số quốc gia",
                                     "person": "Bà Vũ Thị Nhung", "phone": "0916868700",
                                     "email": "vtnhung@mic.gov.vn"}
    numbers = [d["number"] for d in body["documents"]]
    assert "4644/BTTTT-CĐSQG" in numbers and "505/QĐ-TTg" in numbers
    assert body["recipients_count"] == 93


def test_unknown_campaign_is_404(api):
    status, body = api("campaigns/1999")
    assert status == 404
    assert "1999" in body["detail"]
    assert api("campaigns/1999/recipients")[0] == 404
    assert api("campaigns/abc")[0] == 422


def test_recipients(api):
    status, body = api("campaigns/2022/recipients", limit=1000)
    assert status == 200
    assert body["count"] == 93
    assert {r["status"] for r in body["items"]} == {"not_submitted"}
    assert set(body["items"][0]) == {"code", "name", "kind", "status", "submitted_at", "on_time"}
    status, body = api("campaigns/2026/recipients", kind="ministry")
    assert body["count"] == 14


def test_json_keeps_vietnamese_letters(client):
    raw = client.get("/api/v1/organisations/49-2022").content.decode()
    assert "Tỉnh Quảng Nam" in raw


def test_openapi_and_docs_are_served_locally(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organisations" in spec["paths"]
    assert "/api/v1/campaigns/{year}/recipients" in spec["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
    assert 'src="http' not in html and 'href="http' not in html
