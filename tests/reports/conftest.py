"""A campaign with different counts per category, format, beneficiary, sector, kind and
province, and the expected figures counted by the test from the plans it wrote."""

import dataclasses
import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from dxday.plans.services import plan_review, plan_save_draft, plan_submit

CATEGORIES = ["conference", "exhibition", "communication", "launch", "digital_skills",
              "digital_consumption", "emulation", "other"]
FORMATS = ["in_person", "online", "hybrid"]
BENEFICIARIES = ["citizens", "businesses", "officials"]
SECTORS = ["Y tế", "Giáo dục", "Dịch vụ công", "Nông nghiệp", ""]


@dataclasses.dataclass
class Expected:
    units: dict  # code → (kind, state, on_time)
    categories: Counter
    formats: Counter
    provinces: Counter  # province code ("" for none) → activities
    beneficiaries: Counter
    sectors: Counter
    activities: int
    initiatives: int
    activity_titles: list

    def count(self, *, kind=None, state=None, on_time=None, province=None) -> int:
        return sum(1 for code, (k, s, t, p) in self.units.items()
                   if (kind is None or k in kind) and (state is None or s in state)
                   and (on_time is None or t is on_time) and (province is None or p == province))


def _plan(rng, index, provinces):
    activities = []
    for j in range(3 + index * 2):
        activities.append({
            "title": f"Hoạt động {index}-{j}", "category": rng.choice(CATEGORIES[: 3 + index]),
            "start": f"2026-10-{1 + (j % 9):02d}", "end": f"2026-10-{2 + (j % 9):02d}",
            "location": "Hội trường", "province": rng.choice([*provinces[:4], None]),
            "format": rng.choice(FORMATS[: 1 + index % 3]), "audience": "", "description": "",
            "url": ""})
    initiatives = []
    for j in range(1 + index):
        chosen = [b for b in BENEFICIARIES if rng.random() < 0.5] or ["citizens"]
        initiatives.append({"name": f"Sáng kiến {index}-{j}", "description": "",
                            "beneficiaries": chosen, "sector": rng.choice(SECTORS),
                            "url": f"https://dv{index}.example.vn/{j}",
                            "launch_date": "2026-10-10"})
    return {"summary": "Kế hoạch", "contact": {"name": "A", "position": "B", "phone": "0236 3822 111",
                                                 "email": "a@example.vn"},
            "activities": activities, "initiatives": initiatives, "communications": [],
            "display_urls": []}


@pytest.fixture
def mixed(campaign, reviewer):
    """Nine units: five accepted on time, one accepted late, one submitted late, one
    returned, one with a draft only; the rest of the 56 recipients sent nothing."""
    rng = random.Random(12)
    recipients = list(campaign.recipients.order_by("code"))
    provincial = [o for o in recipients if o.kind in ("province", "city")]
    central = [o for o in recipients if o.kind not in ("province", "city")]
    units = provincial[:6] + central[:3]
    province_codes = [o.code for o in provincial]
    expected = Expected({}, Counter(), Counter(), Counter(), Counter(), Counter(), 0, 0, [])
    outcome = ["accept"] * 5 + ["accept-late", "late", "return", "draft"]
    for index, (org, what) in enumerate(zip(units, outcome, strict=True)):
        data = _plan(rng, index, province_codes)
        if what in ("accept-late", "late"):
            campaign.submission_deadline = timezone.now() - datetime.timedelta(days=1)
            campaign.save()
        plan_save_draft(campaign=campaign, organisation=org, data=data, by=None)
        state, on_time = "missing", None
        if what != "draft":
            plan = plan_submit(campaign=campaign, organisation=org, by=None)
            state, on_time = "submitted", not what.endswith("late") and what != "late"
            if what.startswith("accept"):
                plan_review(plan=plan, by=reviewer, decision="accept")
                state = "accepted"
                for a in data["activities"]:
                    expected.categories[a["category"]] += 1
                    expected.formats[a["format"]] += 1
                    expected.provinces[a["province"] or ""] += 1
                    expected.activity_titles.append(a["title"])
                for i in data["initiatives"]:
                    expected.beneficiaries.update(i["beneficiaries"])
                    expected.sectors[i["sector"]] += 1
                expected.activities += len(data["activities"])
                expected.initiatives += len(data["initiatives"])
            elif what == "return":
                plan_review(plan=plan, by=reviewer, decision="return", comment="Bổ sung")
                state = "returned"
        campaign.submission_deadline = timezone.now() + datetime.timedelta(days=3)
        campaign.save()
        expected.units[org.code] = (org.kind, state, on_time, org.code if org in provincial
                                    else "")
    for org in recipients:
        if org.code not in expected.units:
            expected.units[org.code] = (org.kind, "missing", None,
                                        org.code if org in provincial else "")
    # The dataset is uneven where it matters: a figure copied into the wrong row shows.
    assert len(set(expected.categories.values())) > 2
    assert len(set(expected.formats.values())) > 1
    assert len(set(expected.sectors.values())) > 1
    return expected
