"""The Frictionless data package as a harvester takes it: absolute paths on SITE_URL (another
than the default here), the descriptor valid for frictionless offline, each resource valid
against the CSV the site serves (read through the test client, never the network), titles
and descriptions in Vietnamese and English at every level."""

import csv
import io

import pytest
import requests
from django.conf import settings
from django.test import override_settings
from frictionless import Package, Resource, Schema

from dxday.plans.models import Activity, Initiative
from dxday.results.models import ActivityOutcome, InitiativeOutcome

pytestmark = pytest.mark.django_db
OTHER_SITE = "https://dxday.example.gov.vn"
URL = "/api/v1/campaigns/2026/datapackage.json"
MODELS = {"activities": Activity, "initiatives": Initiative,
          "activity_results": ActivityOutcome, "initiative_results": InitiativeOutcome}


@pytest.fixture
def offline(monkeypatch):
    """Frictionless fetches remote paths with requests: any such attempt fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"the test reached for the network: {args} {kwargs}")

    monkeypatch.setattr(requests.Session, "request", refuse)


def served_csv(client, path: str) -> bytes:
    assert path.startswith(settings.SITE_URL + "/"), path
    response = client.get(path.removeprefix(settings.SITE_URL))
    assert response.status_code == 200, path
    return response.content


@override_settings(SITE_URL=OTHER_SITE)
def test_every_package_validates_on_another_site(client, published, offline):
    """Every campaign's package (2026 and 2022 hold published rows; the others none)."""
    from dxday.campaigns.models import Campaign

    years = list(Campaign.objects.order_by("year").values_list("year", flat=True))
    with_rows = set(Activity.objects.public().values_list("campaign__year", flat=True))
    assert {2022, 2026} <= with_rows and len(years) > len(with_rows)
    for year in years:
        campaign = Campaign.objects.get(year=year)
        url = f"/api/v1/campaigns/{year}/datapackage.json"
        descriptor = client.get(url).json()
        assert descriptor["homepage"].startswith(OTHER_SITE + "/")
        assert descriptor["id"] == OTHER_SITE + url
        report = Package.validate_descriptor(descriptor)
        assert report.valid, (year, report.flatten(["type", "note"]))
        package = Package.from_descriptor(descriptor)
        assert package.resource_names == list(MODELS)
        for resource in descriptor["resources"]:
            assert resource["path"] == (f"{OTHER_SITE}/api/v1/campaigns/{year}/"
                                        f"{resource['name']}.csv")
            content = served_csv(client, resource["path"])
            table = Resource(content, format=resource["format"],
                             encoding=resource["encoding"], mediatype=resource["mediatype"],
                             schema=Schema.from_descriptor(resource["schema"]))
            report = table.validate()
            assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
            rows = table.read_rows()
            public = MODELS[resource["name"]].objects.public().filter(campaign=campaign)
            assert len(rows) == public.count()
            assert sorted(r["id"] for r in rows) == sorted(public.values_list("pk", flat=True))
            # The page links in the rows are the site's too.
            assert all(r["page_url"].startswith(f"{OTHER_SITE}/campaigns/{year}/")
                       for r in rows)


def test_titles_and_descriptions_in_both_languages(client, published):
    descriptor = client.get(URL).json()
    assert descriptor["title"] == published.title  # the campaign's own, Vietnamese
    nodes = [descriptor, *descriptor["resources"]]
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(
            served_csv(client, resource["path"]).decode("utf-8-sig"))))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        nodes += fields
    for node in nodes:
        for key in ("title", "description"):
            assert node[key].strip() and node[f"{key}_en"].strip(), node
        assert set(node) & {"title_vi", "description_vi"} == set()  # one convention
    for node in [descriptor, *descriptor["resources"]]:
        assert node["title"] != node["title_en"]
        assert node["description"] != node["description_en"]
    titles = {r["name"]: (r["title"], r["title_en"]) for r in descriptor["resources"]}
    assert titles == {"activities": ("Hoạt động", "Activities"),
                      "initiatives": ("Sáng kiến số", "Digital initiatives"),
                      "activity_results": ("Kết quả tổ chức hoạt động", "Activities held"),
                      "initiative_results": ("Kết quả triển khai sáng kiến số",
                                             "Digital initiatives launched")}
