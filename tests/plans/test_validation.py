"""The one validator of plan documents."""

import copy
import unicodedata

import pytest

from dxday.plans.validation import validate_plan

pytestmark = pytest.mark.django_db


def paths(result):
    return {p.path for p in result.errors}


def test_a_good_plan_validates_and_can_be_submitted(campaign, good_plan):
    result = validate_plan(good_plan, campaign=campaign, for_submit=True)
    assert result.errors == []
    assert result.warnings == []
    assert result.data["activities"][0]["province"] == "48"


def test_activity_ending_before_it_starts(campaign, good_plan):
    good_plan["activities"][0]["end"] = "2026-10-01"
    assert paths(validate_plan(good_plan, campaign=campaign)) == {"activities[0].end"}


def test_dates_outside_the_window_are_a_warning(campaign, good_plan):
    good_plan["activities"][0].update(start="2026-10-20", end="2026-10-21")
    result = validate_plan(good_plan, campaign=campaign, for_submit=True)
    assert result.errors == []
    assert {w.path for w in result.warnings} == {"activities[0].start", "activities[0].end"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.vn/a", "danang.vn", "http://"])
def test_urls_are_http_or_https_only(campaign, good_plan, url):
    good_plan["initiatives"][0]["url"] = url
    assert paths(validate_plan(good_plan, campaign=campaign)) == {"initiatives[0].url"}


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda p: p.update(extra=1), "extra"),
    (lambda p: p["activities"][0].update(colour="red"), "activities[0].colour"),
    (lambda p: p["activities"][0].update(category="party"), "activities[0].category"),
    (lambda p: p["activities"][0].update(start="32/13/2026"), "activities[0].start"),
    (lambda p: p["activities"][0].update(province="99"), "activities[0].province"),
    (lambda p: p["activities"][0].update(title=["a"]), "activities[0].title"),
    (lambda p: p["initiatives"][0].update(beneficiaries=["aliens"]),
     "initiatives[0].beneficiaries"),
    (lambda p: p["contact"].update(email="not-an-email"), "contact.email"),
    (lambda p: p["contact"].update(phone="call me"), "contact.phone"),
    (lambda p: p.update(activities={"a": 1}), "activities"),
    (lambda p: p.update(summary="x" * 10_001), "summary"),
])
def test_bad_input_names_the_field(campaign, good_plan, mutate, path):
    mutate(good_plan)
    assert path in paths(validate_plan(good_plan, campaign=campaign))


def test_not_a_json_object():
    assert paths(validate_plan(["a list"])) == {"(document)"}


def test_a_draft_may_be_partial_but_a_submission_may_not(campaign):
    draft = {"activities": [{"title": "Chưa xong"}]}
    assert validate_plan(draft, campaign=campaign).errors == []
    assert paths(validate_plan(draft, campaign=campaign, for_submit=True)) >= {
        "summary", "contact.name", "contact.email", "activities[0].category",
        "activities[0].start", "activities[0].format"}


def test_vietnamese_dates_and_nfd_text_are_normalised(campaign, good_plan):
    good_plan["activities"][0]["start"] = "05/10/2026"
    good_plan["summary"] = unicodedata.normalize("NFD", "Chuyển đổi số")
    result = validate_plan(good_plan, campaign=campaign)
    assert result.data["activities"][0]["start"] == "2026-10-05"
    assert result.data["summary"] == "Chuyển đổi số"
    assert unicodedata.is_normalized("NFC", result.data["summary"])


def test_hostile_text_is_kept_as_typed(campaign, good_plan):
    hostile = '<script>alert("x")</script> =HYPERLINK("http://evil") @SUM(1)'
    good_plan["activities"][0]["title"] = hostile
    result = validate_plan(good_plan, campaign=campaign)
    assert result.data["activities"][0]["title"] == hostile


def test_validation_does_not_change_its_input(campaign, good_plan):
    before = copy.deepcopy(good_plan)
    validate_plan(good_plan, campaign=campaign, for_submit=True)
    assert good_plan == before
