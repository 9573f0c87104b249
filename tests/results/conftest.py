"""Results fixtures: a unit whose plan was accepted, and results filled from it."""

import datetime

import pytest
from django.utils import timezone

from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from tests.conftest import ORG_A


@pytest.fixture
def after_window(campaign):
    """The 2026 campaign after its window: plans were due, results are due in five days."""
    campaign.results_deadline = timezone.now() + datetime.timedelta(days=5)
    campaign.save()
    return campaign


@pytest.fixture
def accepted_plan(after_window, editor_a, reviewer, good_plan):
    """Đà Nẵng's plan (one activity, one initiative), submitted and accepted."""
    org = Organisation.objects.get(code=ORG_A)
    plan_save_draft(campaign=after_window, organisation=org, data=good_plan, by=editor_a)
    plan = plan_submit(campaign=after_window, organisation=org, by=editor_a)
    return plan_review(plan=plan, by=reviewer, decision="accept")


def filled(draft: dict) -> dict:
    """The prefilled draft with what happened said: the activity held with its figures, the
    initiative launched with its usage, and one activity that was not planned."""
    data = {**draft, "summary": "Đà Nẵng đã tổ chức các hoạt động hưởng ứng."}
    data["activities"] = [
        {**draft["activities"][0], "status": "held", "start": "2026-10-05",
         "participants_in_person": 320, "participants_online": "1.250", "views": 5000,
         "reach_source": "Cổng thông tin", "evidence": ["https://danang.example.vn/tin/1"]},
        {"planned": None, "title": "Ngày hội số cho người cao tuổi", "category": "digital_skills",
         "status": "held", "start": "2026-10-08", "format": "in_person",
         "participants_in_person": 80},
    ]
    data["initiatives"] = [{**draft["initiatives"][0], "launched": "yes",
                            "usage_measure": "users", "usage_value": 12000,
                            "usage_date": "2026-10-31"}]
    return data
