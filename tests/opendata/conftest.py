import datetime

import pytest

from dxday.campaigns.models import Campaign
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation


def publish(campaign, code, data, reviewer):
    org = Organisation.objects.get(code=code)
    plan_save_draft(campaign=campaign, organisation=org, data=data, by=None)
    plan = plan_submit(campaign=campaign, organisation=org, by=None)
    return plan_review(plan=plan, by=reviewer, decision="accept")


def activity(title, start, province, **extra):
    return {"title": title, "category": extra.pop("category", "conference"), "start": start,
            "end": extra.pop("end", start), "location": extra.pop("location", "Hội trường"),
            "province": province, "format": extra.pop("format", "in_person"),
            "audience": "", "description": extra.pop("description", ""),
            "url": "", **extra}


@pytest.fixture
def published(campaign, reviewer, good_plan):
    """2026: Đà Nẵng (3 activities, 2 initiatives) accepted; BKHCN submitted only; BTC draft.
    2022: Quảng Nam (now part of Đà Nẵng) accepted."""
    danang = {**good_plan, "activities": [
        activity("Hội thảo chuyển đổi số", "2026-10-05", "48", format="hybrid"),
        activity("Triển lãm sản phẩm số; “Make in Vietnam”", "2026-10-08", "48",
                 category="exhibition", end="2026-10-10",
                 description="Dòng 1\nDòng 2, có dấu phẩy; và chấm phẩy"),
        activity("Ngày hội kỹ năng số " + "rất dài " * 20, "2026-10-09", None,
                 category="digital_skills", format="online"),
    ], "initiatives": [
        {"name": "Ví điện tử công dân", "description": "", "beneficiaries": ["citizens"],
         "sector": "Dịch vụ công", "url": "https://danang.example.vn/vi",
         "launch_date": "2026-10-10"},
        {"name": "Sàn thương mại điện tử", "description": "",
         "beneficiaries": ["businesses", "citizens"], "sector": "Thương mại",
         "url": "https://danang.example.vn/san", "launch_date": ""},
    ]}
    publish(campaign, "48", danang, reviewer)
    org = Organisation.objects.get(code="BKHCN")
    plan_save_draft(campaign=campaign, organisation=org, data={
        **good_plan, "activities": [activity("Chưa được duyệt", "2026-10-05", None)]}, by=None)
    plan_submit(campaign=campaign, organisation=org, by=None)
    plan_save_draft(campaign=campaign, organisation=Organisation.objects.get(code="BTC"),
                    data={"activities": [activity("Bản nháp", "2026-10-05", None)]}, by=None)
    old = Campaign.objects.get(year=2022)
    old.submission_deadline = None
    old.window_start, old.window_end = datetime.date(2022, 10, 1), datetime.date(2022, 10, 10)
    old.save()
    publish(old, "49-2022", {**good_plan, "activities": [
        activity("Hội nghị Quảng Nam 2022", "2022-10-07", "49-2022")],
        "initiatives": []}, reviewer)
    return campaign
