"""Published results on top of the published plans of the open-data sample (conftest.published):
Đà Nẵng's 2026 results (an activity held, one held with changes, one not held, one added with
hostile text; an initiative launched, one not) and Quảng Nam's 2022 results (now part of Đà
Nẵng). Imported by the public and open-data results tests."""

import datetime

import pytest
from django.utils import timezone

from dxday.campaigns.models import Campaign
from dxday.registry.models import Organisation
from dxday.results.services import (
    results_for_update,
    results_review,
    results_save_draft,
    results_submit,
)
from tests.opendata.conftest import published  # noqa: F401 - the fixture, shared

HOSTILE = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>'


def report(campaign, code, fill, reviewer, *, accept=True):
    """The unit's results prefilled from its accepted plan, filled by ``fill(draft)``,
    submitted and (unless ``accept`` is false) accepted."""
    org = Organisation.objects.get(code=code)
    draft = results_for_update(campaign=campaign, organisation=org, by=None).draft
    results_save_draft(campaign=campaign, organisation=org, data=fill(draft), by=None)
    result = results_submit(campaign=campaign, organisation=org, by=None)
    if accept:
        result = results_review(result=result, by=reviewer, decision="accept")
    return result


def danang_2026(draft: dict) -> dict:
    first, second, third = draft["activities"]
    activities = [
        {**first, "status": "held", "start": "2026-10-05", "participants_in_person": 320,
         "participants_online": "1.250", "views": 5000, "reach_source": "Cổng thông tin",
         "evidence": ["https://danang.example.vn/tin/1", "https://danang.example.vn/anh"]},
        {**second, "status": "changed", "start": "2026-10-12", "end": "2026-10-13",
         "reason": "Dời lịch",
         "participants_in_person": 150},
        {**third, "status": "not_held", "reason": "Thời tiết xấu"},
        {"planned": None, "title": HOSTILE, "category": "digital_skills", "status": "held",
         "start": "2026-10-08", "format": "in_person", "province": "48",
         "participants_in_person": 80, "reason": HOSTILE,
         "evidence": ["https://danang.example.vn/tin/2?a=1&b=<x>"]},
    ]
    first_n, second_n = draft["initiatives"]
    initiatives = [
        {**first_n, "launched": "yes", "launch_date": "2026-10-10", "usage_measure": "users",
         "usage_value": 12000, "usage_date": "2026-10-31"},
        {**second_n, "launched": "no", "reason": "Chưa hoàn thiện"},
    ]
    return {**draft, "summary": "Đà Nẵng đã tổ chức các hoạt động hưởng ứng.",
            "activities": activities, "initiatives": initiatives}


def quang_nam_2022(draft: dict) -> dict:
    (first,) = draft["activities"]
    return {**draft, "summary": "Quảng Nam đã tổ chức hội nghị.", "activities": [
        {**first, "status": "held", "start": "2022-10-07", "participants_in_person": 200,
         "participants_online": 40}],
        "initiatives": [{"planned": None, "name": "Cổng dịch vụ công Quảng Nam",
                         "launched": "yes", "launch_date": "2022-10-10",
                         "usage_measure": "transactions", "usage_value": 900}]}


@pytest.fixture
def with_results(published, reviewer):  # noqa: F811 - the shared fixture
    """The sample's published plans, with Đà Nẵng's 2026 and Quảng Nam's 2022 results
    accepted."""
    published.results_deadline = timezone.now() + datetime.timedelta(days=5)
    published.save()
    old = Campaign.objects.get(year=2022)
    old.results_deadline = timezone.now() + datetime.timedelta(days=5)
    old.save()
    report(published, "48", danang_2026, reviewer)
    report(old, "49-2022", quang_nam_2022, reviewer)
    return published
