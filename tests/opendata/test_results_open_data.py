"""Open data of the results (issue 18): activities held and initiatives launched as JSON, CSV
and XLSX, the same published rows in every format (compared with the rows of the published
tables), formulas escaped, the embargo applied; in the data package (validated by
frictionless, offline) and in the DCAT catalogue (validated by pyshacl)."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dxday.results.models import ActivityOutcome, InitiativeOutcome
from tests.opendata import results_sample
from tests.opendata.results_sample import HOSTILE
from tests.opendata.test_dcat import as_graph, shacl

pytestmark = [pytest.mark.django_db,
              # rdflib's own JSON-LD parser, not this code
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]
BASE = "/api/v1/campaigns/2026/"
# The sample's fixtures, used here.
published, with_results = results_sample.published, results_sample.with_results


def json_rows(client, table, **params):
    response = client.get(BASE + table, {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def csv_rows(client, table, **params):
    raw = client.get(BASE + table + ".csv", params).content
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(client, table, **params):
    sheet = load_workbook(io.BytesIO(client.get(BASE + table + ".xlsx", params).content)).active
    values = list(sheet.values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def text(value) -> str:
    return "" if value is None else str(value)


def test_activities_held_are_the_published_rows_in_every_format(client, with_results):
    outcomes = list(ActivityOutcome.objects.public().filter(campaign=with_results)
                    .order_by("organisation__code", "position", "pk"))
    assert len(outcomes) == 4
    js = json_rows(client, "activity_results")
    cs = csv_rows(client, "activity_results")
    xs = xlsx_rows(client, "activity_results")
    assert [r["id"] for r in js] == [o.pk for o in outcomes]
    assert [r["id"] for r in cs] == [str(o.pk) for o in outcomes]
    assert [r["id"] for r in xs] == [o.pk for o in outcomes]
    for row, c, x, o in zip(js, cs, xs, outcomes, strict=True):
        assert (row["status"], row["planned"], row["participants_in_person"],
                row["participants_online"]) == (o.status, o.planned, o.participants_in_person,
                                                o.participants_online)
        assert c["status"] == x["status"] == o.status
        assert c["participants_in_person"] == text(o.participants_in_person)
        assert x["participants_in_person"] == o.participants_in_person
        assert row["evidence"].split() == o.evidence
        assert row["page_url"].endswith(f"/campaigns/2026/results/48/#activity-{o.pk}")
        assert row["start"] == (o.start.isoformat() if o.start else None)
    # The figures of the table add up to the counts of the rows.
    assert sum(r["participants_in_person"] or 0 for r in js) == sum(
        o.participants_in_person or 0 for o in outcomes)


def test_initiatives_launched_are_the_published_rows_in_every_format(client, with_results):
    outcomes = list(InitiativeOutcome.objects.public().filter(campaign=with_results)
                    .order_by("organisation__code", "position", "pk"))
    js = json_rows(client, "initiative_results")
    cs = csv_rows(client, "initiative_results")
    xs = xlsx_rows(client, "initiative_results")
    assert [r["id"] for r in js] == [o.pk for o in outcomes] == [int(r["id"]) for r in cs] \
        == [r["id"] for r in xs]
    assert [r["launched"] for r in js] == ["yes" if o.launched else "no" for o in outcomes] \
        == [r["launched"] for r in cs]
    assert [r["usage_value"] for r in js] == [o.usage_value for o in outcomes]
    assert [r["name"] for r in json_rows(client, "initiative_results", launched="yes")] == [
        o.name for o in outcomes if o.launched]


def test_filters_and_unknown_parameters(client, with_results):
    held = json_rows(client, "activity_results", status="not_held")
    assert [r["id"] for r in held] == list(ActivityOutcome.objects.filter(
        campaign=with_results, status="not_held").values_list("pk", flat=True))
    assert client.get(BASE + "activity_results", {"colour": "red"}).status_code == 422
    assert client.get(BASE + "activity_results", {"status": "maybe"}).status_code == 422
    assert client.get("/api/v1/campaigns/1999/activity_results").status_code == 404


def test_formulas_are_escaped_in_spreadsheets(client, with_results):
    def hostile(rows):
        return next(r for r in rows if r["title"] and "HYPERLINK" in r["title"])

    assert hostile(csv_rows(client, "activity_results"))["title"].startswith("'=")
    assert hostile(csv_rows(client, "activity_results"))["reason"].startswith("'=")
    assert hostile(xlsx_rows(client, "activity_results"))["title"].startswith("'=")
    assert hostile(json_rows(client, "activity_results"))["title"] == HOSTILE
    book = load_workbook(io.BytesIO(client.get(BASE + "activity_results.xlsx").content))
    assert not [c for row in book.active.iter_rows() for c in row if c.data_type == "f"]


def test_the_embargo_holds_the_results_back(client, with_results):
    with_results.publish_from = timezone.now() + datetime.timedelta(days=1)
    with_results.save()
    for table in ("activity_results", "initiative_results"):
        assert json_rows(client, table) == []
        assert csv_rows(client, table) == []
        assert xlsx_rows(client, table) == []


def test_the_data_package_validates_with_the_results(client, with_results, tmp_path):
    from frictionless import Package, validate

    descriptor = client.get(BASE + "datapackage.json").json()
    names = [r["name"] for r in descriptor["resources"]]
    assert {"activity_results", "initiative_results"} <= set(names)
    for resource in descriptor["resources"]:
        name = resource["name"]
        (tmp_path / f"{name}.csv").write_bytes(client.get(BASE + f"{name}.csv").content)
        resource["path"] = f"{name}.csv"
        for field in resource["schema"]["fields"]:
            # Every column described in Vietnamese and in English.
            assert field["title"] and field["title_en"], field
            assert field["description"].strip() and field["description_en"].strip(), field
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("activity_results").read_rows()
    outcomes = ActivityOutcome.objects.public().filter(campaign=with_results)
    assert sorted(r["id"] for r in rows) == sorted(outcomes.values_list("pk", flat=True))
    assert sum(r["participants_online"] or 0 for r in rows) == sum(
        o.participants_online or 0 for o in outcomes)
    rows = package.get_resource("initiative_results").read_rows()
    assert sorted(r["id"] for r in rows) == sorted(InitiativeOutcome.objects.public().filter(
        campaign=with_results).values_list("pk", flat=True))
    status = next(f for f in descriptor["resources"][names.index("activity_results")]
                  ["schema"]["fields"] if f["name"] == "status")
    assert all(code in status["description_en"] for code in ("held", "changed", "not_held"))


def test_the_dcat_catalogue_lists_the_results(client, with_results):
    body = json.loads(client.get("/api/v1/catalog.jsonld").content)
    conforms, report = shacl(body)
    assert conforms, report
    as_graph(body)
    dataset = next(d for d in body["dcat:dataset"] if d["dct:identifier"] == "dxday-2026")
    urls = {d["dcat:accessURL"]["@id"].rsplit("/", 1)[1] for d in dataset["dcat:distribution"]}
    for table in ("activity_results", "initiative_results"):
        assert {table, f"{table}.csv", f"{table}.xlsx"} <= urls
    for distribution in dataset["dcat:distribution"]:
        url = distribution["dcat:accessURL"]["@id"]
        if "_results" in url:
            path = url.split("://", 1)[1].split("/", 1)[1]
            assert client.get("/" + path).status_code == 200, url
            titles = {t["@language"]: t["@value"] for t in distribution["dct:title"]}
            assert set(titles) == {"vi", "en"}
