"""Results through their services: the plan's workflow (same functions, a results track),
prefilled from the accepted plan, refused before it, validated against it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dxday.campaigns.models import Campaign
from dxday.campaigns.services import campaign_update, local_midnight
from dxday.plans.services import PlanConflict
from dxday.plans.validation import PlanInvalid
from dxday.registry.models import Organisation
from dxday.results.models import ActivityOutcome, InitiativeOutcome, Result, ResultEvent
from dxday.results.services import (
    results_for_update,
    results_review,
    results_save_draft,
    results_submit,
)
from tests.conftest import ORG_A, ORG_B
from tests.results.conftest import filled

pytestmark = pytest.mark.django_db


def org(code=ORG_A):
    return Organisation.objects.get(code=code)


def test_results_before_the_plan_is_accepted_are_refused(after_window, editor_b):
    with translation.override("en"), pytest.raises(PlanConflict, match="not accepted"):
        results_for_update(campaign=after_window, organisation=org(ORG_B), by=editor_b)
    assert not Result.objects.exists()


def test_prefilled_from_the_accepted_plan(accepted_plan, editor_a, good_plan):
    result = results_for_update(campaign=accepted_plan.campaign, organisation=org(), by=editor_a)
    assert result.plan_id == accepted_plan.pk
    rows = result.draft["activities"]
    assert [r["planned"] for r in rows] == [1]
    assert rows[0]["title"] == good_plan["activities"][0]["title"]
    assert rows[0]["status"] == ""  # what happened is the unit's to say
    assert result.draft["initiatives"][0]["name"] == good_plan["initiatives"][0]["name"]
    assert result.draft["contact"] == good_plan["contact"]


def test_whole_cycle_late_returned_accepted_published(accepted_plan, editor_a, reviewer, smtp,
                                                      django_capture_on_commit_callbacks):
    campaign = accepted_plan.campaign
    draft = results_for_update(campaign=campaign, organisation=org(), by=editor_a).draft
    result, checked = results_save_draft(campaign=campaign, organisation=org(),
                                         data=filled(draft), by=editor_a)
    assert result.draft["activities"][0]["participants_online"] == 1250  # "1.250"
    later = campaign.results_deadline + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = results_submit(campaign=campaign, organisation=org(), by=editor_a, now=later)
    assert result.status == "submitted" and result.on_time is False
    version = result.versions.get()
    assert version.late and version.plan_version_id == accepted_plan.versions.get().pk
    assert any("KQ-V1" in m["body"] for m in smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        result = results_review(result=result, by=reviewer, decision="return",
                                comment="Bổ sung số liệu")
    assert result.status == "returned"
    assert any("Bổ sung số liệu" in m["body"] for m in smtp.messages)
    results_save_draft(campaign=campaign, organisation=org(), data=result.draft, by=editor_a)
    result = results_submit(campaign=campaign, organisation=org(), by=editor_a, now=later)
    assert result.on_time is False and result.versions.count() == 2
    results_review(result=result, by=reviewer, decision="accept")
    outcomes = ActivityOutcome.objects.filter(result=result).order_by("position")
    assert [(o.planned, o.status, o.participants_in_person) for o in outcomes] == [
        (1, "held", 320), (None, "held", 80)]
    assert InitiativeOutcome.objects.get(result=result).usage_value == 12000
    kinds = list(ResultEvent.objects.filter(result=result).values_list("kind", flat=True))
    assert kinds.count("submitted") == 2 and kinds[-1] == "accepted" and "returned" in kinds


def test_a_row_naming_a_row_the_plan_lacks_is_added_not_attached(accepted_plan, editor_a):
    campaign = accepted_plan.campaign
    data = filled(results_for_update(campaign=campaign, organisation=org(), by=editor_a).draft)
    data["activities"][1]["planned"] = 7
    result, checked = results_save_draft(campaign=campaign, organisation=org(), data=data,
                                         by=editor_a)
    assert result.draft["activities"][1]["planned"] is None
    assert [w.path for w in checked.warnings] == ["activities[1].planned"]


@pytest.mark.parametrize("value, message", [
    (-1, "0 or more"), (10_000_001, "At most"), ("nhiều", "whole number"), (True, "whole"),
    (3.5, "whole number")])
def test_bad_participants_name_the_field_and_change_nothing(accepted_plan, editor_a, value,
                                                           message):
    campaign = accepted_plan.campaign
    before = results_for_update(campaign=campaign, organisation=org(), by=editor_a).draft
    data = filled(before)
    data["activities"][0]["participants_in_person"] = value
    with translation.override("en"), pytest.raises(PlanInvalid) as caught:
        results_save_draft(campaign=campaign, organisation=org(), data=data, by=editor_a)
    assert [p.path for p in caught.value.errors] == ["activities[0].participants_in_person"]
    assert message in caught.value.errors[0].message
    assert Result.objects.get().draft == before


def test_submission_needs_every_planned_row_and_reasons(accepted_plan, editor_a):
    campaign = accepted_plan.campaign
    data = filled(results_for_update(campaign=campaign, organisation=org(), by=editor_a).draft)
    data["activities"][0].update(status="not_held", participants_in_person=None,
                                 participants_online=None)
    data["initiatives"] = []
    results_save_draft(campaign=campaign, organisation=org(), data=data, by=editor_a)
    with pytest.raises(PlanInvalid) as caught:
        results_submit(campaign=campaign, organisation=org(), by=editor_a)
    paths = {p.path for p in caught.value.errors}
    assert paths == {"activities[0].reason", "initiatives"}
    assert Result.objects.get().status == "draft"


def test_results_lock(accepted_plan, editor_a):
    campaign = accepted_plan.campaign
    campaign.results_lock_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    with translation.override("en"), pytest.raises(PlanConflict, match="closed"):
        results_save_draft(campaign=campaign, organisation=org(), data={}, by=editor_a)


def test_results_dates_are_checked_by_the_campaign_service_too(campaign):
    inside = local_midnight(datetime.date(2026, 10, 10))  # still the window's last day
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        campaign_update(campaign=campaign, values={"results_deadline": inside})
    assert set(caught.value.message_dict) == {"results_deadline"}
    due = local_midnight(datetime.date(2026, 10, 31))
    with pytest.raises(ValidationError) as caught:
        campaign_update(campaign=campaign, values={"results_deadline": due,
                                                   "results_lock_at": due - datetime.timedelta(
                                                       days=1)})
    assert set(caught.value.message_dict) == {"results_lock_at"}
    assert Campaign.objects.get(pk=campaign.pk).results_deadline is None
    campaign_update(campaign=campaign, values={"results_deadline": due, "results_lock_at": due})
    assert Campaign.objects.get(pk=campaign.pk).results_deadline == due


def test_an_activity_not_held_has_no_figures_and_an_added_one_must_have_been_held(
        accepted_plan, editor_a):
    campaign = accepted_plan.campaign
    data = filled(results_for_update(campaign=campaign, organisation=org(), by=editor_a).draft)
    data["activities"][0].update(status="not_held", reason="Mưa bão")
    data["activities"][1]["status"] = "not_held"
    with translation.override("en"), pytest.raises(PlanInvalid) as caught:
        results_save_draft(campaign=campaign, organisation=org(), data=data, by=editor_a)
    assert {p.path for p in caught.value.errors} == {
        "activities[0].participants_in_person", "activities[0].participants_online",
        "activities[1].participants_in_person", "activities[1].status"}


def test_results_cannot_be_started_after_the_lock(after_window, accepted_plan, editor_a):
    after_window.results_lock_at = timezone.now() - datetime.timedelta(minutes=1)
    after_window.save()
    with translation.override("en"), pytest.raises(PlanConflict, match="closed"):
        results_for_update(campaign=after_window, organisation=org(), by=editor_a)
    assert not Result.objects.exists()
