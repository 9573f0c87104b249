"""/api/v1/organisations/{code}: predecessors and successors, typed; commune kinds."""

import datetime
from collections import Counter

import pytest
from vietnam_provinces import VietNamDivisionType, Ward

from dxday.registry import reference_data
from dxday.registry.models import Organisation

pytestmark = pytest.mark.django_db
LINK_KEYS = {"code", "name", "type", "date", "note"}


def test_hanoi_and_foreign_affairs_show_no_change(api):
    for code in ("01", "BNG", *reference_data.CENTRAL_CONTINUED,
                 *reference_data.PROVINCES_CONTINUED):
        status, body = api(f"organisations/{code}")
        assert status == 200
        assert body["successors"] == [] and body["successor_codes"] == [], code
        assert (body["valid_from"], body["valid_to"]) == (None, None), code
        assert all(p["code"] != f"{code}-2022" for p in body["predecessors"]), code
    assert api("organisations/01")[1]["predecessors"] == []
    assert api("organisations/BNG-2022")[0] == 404


def test_hue_is_renamed(api):
    body = api("organisations/46-2022")[1]
    assert body["successors"] == [{
        "code": "46", "name": "Thành phố Huế", "type": "renamed", "date": "2025-01-01",
        "note": "Trở thành thành phố trực thuộc trung ương"}]
    assert api("organisations/46")[1]["predecessors"][0]["code"] == "46-2022"


def test_labour_and_information_ministries_are_split_with_what_passed(api):
    body = api("organisations/BLDTBXH-2022")[1]
    parts = {s["code"]: s for s in body["successors"]}
    assert set(parts) == {"BNV", "BGDDT", "BYT"}
    assert {s["type"] for s in parts.values()} == {"split"}
    assert parts["BGDDT"]["note"] == "giáo dục nghề nghiệp"
    assert "bảo trợ xã hội" in parts["BYT"]["note"]
    assert all(set(s) == LINK_KEYS and s["date"] == "2025-03-01" for s in parts.values())
    body = api("organisations/BTTTT-2022")[1]
    parts = {s["code"]: s for s in body["successors"]}
    assert set(parts) == {"BKHCN", "BVHTTDL"}
    assert "báo chí" in parts["BVHTTDL"]["note"] and "xuất bản" in parts["BVHTTDL"]["note"]
    # Seen from the receiving end: Bộ Y tế continued, and took over a part.
    received = api("organisations/BYT")[1]["predecessors"]
    assert [(p["code"], p["type"]) for p in received] == [("BLDTBXH-2022", "split")]


def test_every_2025_province_lists_its_predecessors(api):
    """The API against the registry's own table (tests/registry compares that table with the
    text of Nghị quyết 202/2025/QH15)."""
    expected = {}
    for gso, _short, _kind, new in reference_data.PROVINCES_2022:
        if gso not in reference_data.PROVINCES_CONTINUED:
            expected.setdefault(new, set()).add(f"{gso}-2022")
    status, body = api("organisations", on="2026-11-28", kind=["province", "city"], limit=100)
    assert body["count"] == 34
    for org in body["items"]:
        predecessors = api(f"organisations/{org['code']}")[1]["predecessors"]
        assert {p["code"] for p in predecessors} == expected.get(org["code"], set()), org
        if org["code"] in expected and org["code"] != "46":
            assert {p["type"] for p in predecessors} == {"merged"}
            assert {p["date"] for p in predecessors} == {"2025-07-01"}
    assert len(expected) == 24  # 23 merged provinces and Huế


def test_merged_predecessor_and_successor(api):
    body = api("organisations/48")[1]
    assert sorted(p["code"] for p in body["predecessors"]) == ["48-2022", "49-2022"]
    body = api("organisations/49-2022")[1]
    assert body["successors"] == [{"code": "48", "name": "Thành phố Đà Nẵng", "type": "merged",
                                   "date": "2025-07-01", "note": ""}]


def test_commune_kinds_filter_and_match_the_official_package(api):
    official = Counter(w.division_type for w in Ward.iter_all())
    expected = {"commune": official[VietNamDivisionType.XA],
                "ward": official[VietNamDivisionType.PHUONG],
                "special_zone": official[VietNamDivisionType.DAC_KHU]}
    assert expected == {"commune": 2621, "ward": 687, "special_zone": 13}  # facts.md
    for kind, count in expected.items():
        status, body = api("organisations", on=str(datetime.date(2026, 11, 28)), kind=kind,
                           limit=1000)
        assert (status, body["count"]) == (200, count), kind
        assert {o["kind"] for o in body["items"]} == {kind}
    zones = api("organisations", kind="special_zone", limit=100)[1]["items"]
    assert "Đặc khu Hoàng Sa" in [z["name"] for z in zones]
    assert Organisation.objects.commune_level().count() == sum(expected.values())


def test_openapi_describes_the_links(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["SuccessionOut"]["properties"]) == LINK_KEYS
    assert {"predecessors", "successors"} <= set(schemas["OrganisationDetailOut"]["properties"])
