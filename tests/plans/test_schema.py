"""One plan schema: the validator, the labels, the workbooks, the API, the open data and the
publication name only what dxday/plans/schema.py declares, and a category added there (one
line) reaches every one of them."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxday.api.plans import router as plans_router  # noqa: F401  (the API is registered)
from dxday.api.views import api
from dxday.campaigns.models import Campaign
from dxday.plans import excel, labels, schema, validation
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.public import opendata
from dxday.registry.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"summary", "contact", *schema.SECTION, *schema.FIELDS,
         *(f.name for f in schema.CONTACT)}
PLAN_COLUMNS = {c.name: c for s in schema.SECTIONS for f in s.fields for c in f.open_data}
TABLE_OWN = {"id", "campaign", "organisation_code", "organisation", "page_url"}


def enums(node) -> list[list]:
    """Every "enum" list in a JSON document."""
    if isinstance(node, dict):
        return ([node["enum"]] if "enum" in node else []) + [
            e for value in node.values() for e in enums(value)]
    if isinstance(node, list):
        return [e for value in node for e in enums(value)]
    return []


def test_the_validator_names_only_schema_fields_and_choices():
    assert set(validation.CONTACT) == {f.name for f in schema.CONTACT}
    for section, rules in validation.SECTIONS.items():
        declared = {f.name: f for f in schema.SECTION[section].fields}
        assert list(rules) == list(declared)
        assert all(rules[name] is f.rule for name, f in declared.items())
        assert set(validation.REQUIRED_TO_SUBMIT[section]) <= set(declared)
    plan = validation.PLAN_JSON_SCHEMA["properties"]
    assert set(plan) == {"summary", "contact", *schema.SECTION}
    choices = [set(c) for c in schema.CHOICES.values()]
    assert all(set(e) - {""} in choices for e in enums(validation.PLAN_JSON_SCHEMA))


def test_the_labels_name_only_schema_fields_and_choices():
    assert set(labels.FIELD_LABELS) == NAMES
    assert labels.CHOICE_LABELS is schema.CHOICES
    assert set(labels.SECTION_ROW_LABELS) == set(schema.SECTION)


@pytest.mark.django_db
def test_the_workbook_names_only_schema_fields_and_choices(campaign):
    danang = Organisation.objects.get(code="48")
    book = load_workbook(io.BytesIO(excel.plan_workbook(campaign=campaign, organisation=danang,
                                                        data={})))
    for section in schema.SECTIONS:
        for column in excel.columns(section.name):
            field, _sep, code = column.partition(".")
            assert field in {f.name for f in section.fields}
            assert not code or code in schema.CHOICES[field]
        headers = [c.value for c in book[section.sheet][1]]
        assert headers == [excel._header(c) for c in excel.columns(section.name)]
    lists = {col[0].value: [c.value for c in col[1:] if c.value]
             for col in book[excel.LISTS].iter_cols()}
    for field in excel.CHOICE_FIELDS:
        assert lists[field] == [str(label) for label in schema.CHOICES[field].values()]
    general = [row[0].value for row in book[excel.GENERAL].iter_rows(min_row=2)]
    assert general == [schema.SUMMARY.excel, *[f.excel for f in schema.CONTACT]]


def test_the_api_and_the_data_package_name_only_schema_columns_and_choices():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    components = document["components"]["schemas"]
    for table, model in (("activities", "ActivityOut"), ("initiatives", "InitiativeOut")):
        columns = [c.name for c in opendata.TABLES[table]]
        assert list(components[model]["properties"]) == columns
        assert set(columns) - TABLE_OWN <= set(PLAN_COLUMNS)
    choices = [set(c) for c in schema.CHOICES.values()]
    found = enums(document)
    assert set(schema.CATEGORY) in [set(e) - {""} for e in found]
    codes = {code for c in choices for code in c} - {"other"}  # organisation kinds have it
    assert all(set(e) - {""} in choices for e in found if set(e) & codes)
    package = opendata.datapackage(Campaign(year=2026, title="Ngày Chuyển đổi số 2026"))
    for resource in package["resources"]:
        if resource["name"] not in opendata.TABLES:
            continue  # the results' tables, from the results schema
        for field in resource["schema"]["fields"]:
            assert field["name"] in TABLE_OWN or field["name"] in PLAN_COLUMNS
            column = PLAN_COLUMNS.get(field["name"])
            if column is not None and column.choices:
                assert all(code in field["description_en"] for code in column.choices)


@pytest.mark.django_db
def test_published_rows_hold_the_schema_columns(client, campaign, editor_a, reviewer, good_plan):
    plan, _result = plan_save_draft(campaign=campaign, organisation=editor_a.organisation,
                                    data=good_plan, by=editor_a)
    plan = plan_submit(campaign=campaign, organisation=editor_a.organisation, by=editor_a)
    plan_review(plan=plan, by=reviewer, decision="accept")
    for table, (queryset, rows) in opendata.TABLE_SOURCES.items():
        found = list(rows(queryset(campaign)))
        assert found and all(list(row) == [c.name for c in opendata.TABLES[table]]
                             for row in found)
    activity, source = plan.activities.get(), plan.draft["activities"][0]
    assert (activity.title, activity.category, activity.format) == (
        source["title"], source["category"], source["format"])
    initiative = plan.initiatives.get()
    assert [b for b in schema.BENEFICIARY if getattr(initiative, f"for_{b}")] == \
        plan.draft["initiatives"][0]["beneficiaries"]


# --- adding a category is one line ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.once
def test_a_category_added_to_the_schema_reaches_everything():
    """A fresh run with the schema given one more category (a plugin loaded before Django,
    as the edit would be): it must reach the validator, the workbook, the OpenAPI document and
    the data package without any other change."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.plans.extra_category",
         f"{Path(__file__).relative_to(ROOT)}::test_added_category_everywhere"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout + run.stderr


@pytest.mark.django_db
def test_added_category_everywhere(client, campaign, good_plan):
    if "hackathon" not in schema.CATEGORY:
        pytest.skip("runs in the fresh run of the test above")
    good_plan["activities"][0]["category"] = "hackathon"
    assert validation.validate_plan(good_plan, campaign=campaign, for_submit=True).ok
    danang = Organisation.objects.get(code="48")
    raw = excel.plan_workbook(campaign=campaign, organisation=danang, data=good_plan)
    lists = load_workbook(io.BytesIO(raw))[excel.LISTS]
    assert "Hackathon" in [c.value for c in next(lists.iter_cols(min_col=1, max_col=1))]
    assert excel.plan_from_workbook(raw)[0]["activities"][0]["category"] == "hackathon"
    document = client.get("/api/v1/openapi.json").json()
    found = [e for e in enums(document) if "hackathon" in e]
    assert len(found) >= 2  # the plan document's category and the activities' filter
    package = opendata.datapackage(Campaign(year=2026, title="Ngày Chuyển đổi số 2026"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert "hackathon" in fields["category"]["description_en"]
    assert "hackathon (hackathon)" in fields["category"]["description"]
    assert json.dumps(package)
