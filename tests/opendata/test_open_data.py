"""Open data: the same published rows in JSON, CSV, XLSX and iCal; filters; the data package;
the DCAT catalogue (validated in depth in test_dcat.py, test_ical.py, test_datapackage.py)."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
BASE = "/api/v1/campaigns/2026/"


def json_rows(client, table, **params):
    body = client.get(BASE + table, {"limit": 1000, **params}).json()
    return body["items"]


def csv_rows(client, table, **params):
    raw = client.get(BASE + table + ".csv", params).content
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(client, table, **params):
    sheet = load_workbook(io.BytesIO(client.get(BASE + table + ".xlsx", params).content)).active
    values = list(sheet.values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def ics_events(client, **params):
    response = client.get(BASE + "activities.ics", params)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return [e for e in calendar.walk("VEVENT")]


def test_only_accepted_plans_are_published(client, published):
    titles = [row["title"] for row in json_rows(client, "activities")]
    assert len(titles) == 3
    assert "Chưa được duyệt" not in titles and "Bản nháp" not in titles


def test_the_same_rows_in_every_format(client, published):
    js = json_rows(client, "activities")
    cs = csv_rows(client, "activities")
    xs = xlsx_rows(client, "activities")
    events = ics_events(client)
    ids = [str(r["id"]) for r in js]
    assert ids == [r["id"] for r in cs] == [str(r["id"]) for r in xs]
    assert [f"activity-{i}" for i in ids] == [str(e["UID"]).split("@")[0] for e in events]
    assert [r["title"] for r in js] == [r["title"] for r in cs] == [r["title"] for r in xs] \
        == [str(e["SUMMARY"]) for e in events]
    assert [r["start"] for r in js] == [r["start"] for r in cs] == [r["start"] for r in xs]
    ini = json_rows(client, "initiatives")
    assert [r["name"] for r in ini] == [r["name"] for r in csv_rows(client, "initiatives")] \
        == [r["name"] for r in xlsx_rows(client, "initiatives")]
    assert ini[1]["beneficiaries"] == "citizens;businesses"


def test_ical_events(client, published):
    events = {str(e["SUMMARY"]): e for e in ics_events(client)}
    expo = events["Triển lãm sản phẩm số; “Make in Vietnam”"]
    assert expo["DTSTART"].dt == datetime.date(2026, 10, 8)
    assert expo["DTEND"].dt == datetime.date(2026, 10, 11)  # exclusive end
    assert str(expo["DESCRIPTION"]) == "Dòng 1\nDòng 2, có dấu phẩy; và chấm phẩy"
    assert str(expo["URL"]).startswith("http") and "/campaigns/2026/activities/" in str(expo["URL"])
    raw = client.get(BASE + "activities.ics").content
    assert b"TZID:Asia/Ho_Chi_Minh" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_filters_apply_to_every_format(client, published):
    for params, count in [({"category": "exhibition"}, 1), ({"format": "online"}, 1),
                          ({"province": "48"}, 2), ({"organisation": "48"}, 3),
                          ({"date_from": "2026-10-09"}, 2), ({"date_to": "2026-10-05"}, 1)]:
        assert len(json_rows(client, "activities", **params)) == count, params
        assert len(csv_rows(client, "activities", **params)) == count, params
        assert len(ics_events(client, **params)) == count, params
    assert len(json_rows(client, "initiatives", beneficiary="businesses")) == 1
    assert len(json_rows(client, "initiatives", sector="thương")) == 1
    assert len(json_rows(client, "initiatives", province="48")) == 2


def test_earlier_years_count_toward_todays_province(client, published):
    rows = client.get("/api/v1/campaigns/2022/activities", {"province": "48"}).json()["items"]
    assert [r["title"] for r in rows] == ["Hội nghị Quảng Nam 2022"]
    assert rows[0]["province_code"] == "49-2022"


@pytest.mark.parametrize(("params", "field"), [
    ({"category": "party"}, "category"), ({"format": "x"}, "format"),
    ({"date_from": "yesterday"}, "date_from"), ({"colour": "red"}, "colour"),
    ({"limit": 5000}, "limit"),
])
def test_bad_filters_are_422_naming_the_parameter(client, published, params, field):
    for path in ("activities", "activities.csv", "activities.ics"):
        if path != "activities" and field == "limit":
            continue
        response = client.get(BASE + path, params)
        assert response.status_code == 422, path
        assert field in [part for e in response.json()["detail"] for part in e["loc"]]


def test_out_of_range_pages_are_empty(client, published):
    body = client.get(BASE + "activities", {"offset": 100000}).json()
    assert body["items"] == [] and body["count"] == 3
    assert client.get("/api/v1/campaigns/1999/activities").status_code == 404


def test_embargo_holds_publication_back(client, published):
    published.publish_from = timezone.now() + datetime.timedelta(days=1)
    published.save()
    assert json_rows(client, "activities") == []
    assert len(csv_rows(client, "activities")) == 0


def test_datapackage_validates(client, published, tmp_path):
    from frictionless import Package, validate

    descriptor = client.get(BASE + "datapackage.json").json()
    for resource in descriptor["resources"]:
        name = resource["name"]
        (tmp_path / f"{name}.csv").write_bytes(client.get(BASE + f"{name}.csv").content)
        resource["path"] = f"{name}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    assert package.get_resource("activities").read_rows()[0]["title"]


def test_dcat_catalogue(client, published):
    body = json.loads(client.get("/api/v1/catalog.jsonld").content)
    assert body["@type"] == "dcat:Catalog"
    dataset = next(d for d in body["dcat:dataset"] if d["dct:identifier"] == "dxday-2026")
    urls = {d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]
            if "dcat:downloadURL" in d}  # the JSON comes in pages: access only
    assert any(u.endswith("/campaigns/2026/activities.csv") for u in urls)
    assert any(u.endswith("/campaigns/2026/activities.ics") for u in urls)
    assert not any(u.endswith("/campaigns/2026/activities") for u in urls)


def test_hostile_text_is_escaped_in_spreadsheets(client, campaign, reviewer, good_plan):
    from tests.opendata.conftest import activity, publish

    publish(campaign, "48", {**good_plan, "activities": [
        activity('=HYPERLINK("http://evil.example","x")', "2026-10-05", "48")]}, reviewer)
    assert csv_rows(client, "activities")[0]["title"].startswith("'=")
    assert xlsx_rows(client, "activities")[0]["title"].startswith("'=")
    assert json_rows(client, "activities")[0]["title"].startswith("=HYPERLINK")
