#!/usr/bin/env python3
"""Generate the national-scale dataset into the database of the environment (DATABASE_URL /
DXDAY_VAR_DIR): the 2026 campaign addressed to the 56 units and the 3,321 communes, every
unit with a focal contact and a plan of about 20 activities and 3 initiatives: 85 % accepted
and published, 5 % submitted, 10 % none (≈ 57,000 activities, ≈ 8,600 initiatives).
Categories, formats and sectors are drawn with uneven weights, so a figure copied into the
wrong row shows.
Publication goes through dxday's own plan_publish, so the published tables and the search
index are what production would hold.

Usage: DXDAY_VAR_DIR=… .venv/bin/python bench/dataset.py [--activities-per-unit 20]
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")

WORDS = ("Hội thảo", "Triển lãm", "Ngày hội", "Diễn đàn", "Tập huấn", "Ra mắt", "Tọa đàm",
         "Cuộc thi", "Chiến dịch")
TOPICS = ("chuyển đổi số", "dữ liệu số", "kỹ năng số", "thanh toán không dùng tiền mặt",
          "dịch vụ công trực tuyến", "thương mại điện tử", "nông nghiệp số", "y tế số",
          "giáo dục số", "chính quyền số", "an toàn thông tin", "kinh tế số")
CATEGORIES = ("conference", "exhibition", "communication", "launch", "digital_skills",
              "digital_consumption", "emulation", "other")
FORMATS = ("in_person", "online", "hybrid")
CATEGORY_WEIGHTS = (30, 12, 20, 6, 15, 8, 5, 4)
FORMAT_WEIGHTS = (55, 30, 15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities-per-unit", type=int, default=20)
    parser.add_argument("--initiatives-per-unit", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from dxday.campaigns.models import Campaign
    from dxday.campaigns.selectors import recipients_on
    from dxday.plans.models import Plan, PlanVersion
    from dxday.plans.services import plan_publish
    from dxday.registry.models import Contact, Organisation

    started = time.monotonic()
    rng = random.Random(10_10)
    campaign = Campaign.objects.get(year=2026)
    campaign.submission_deadline = timezone.make_aware(datetime.datetime(2026, 9, 15))
    campaign.window_start, campaign.window_end = datetime.date(2026, 10, 1), datetime.date(
        2026, 10, 10)
    campaign.save()
    units = [*recipients_on(datetime.date(2026, 10, 10)),
             *Organisation.objects.commune_level().select_related("parent")]
    campaign.recipients.set(units)
    # Every unit has a focal contact (the call's addressee, the iCal ORGANIZER).
    with_focal = set(Contact.objects.filter(is_focal=True).values_list("organisation_id",
                                                                        flat=True))
    Contact.objects.bulk_create([
        Contact(organisation=org, name="Cán bộ đầu mối", is_focal=True,
                email=f"dau-moi.{org.code.lower()}@example.gov.vn")
        for org in units if org.pk not in with_focal], batch_size=1000)
    provinces = {o.pk: o.code for o in Organisation.objects.valid_on(
        datetime.date(2026, 10, 10)).provincial()}
    now = timezone.now()
    count = 0
    for batch_start in range(0, len(units), 200):
        with transaction.atomic():
            for org in units[batch_start:batch_start + 200]:
                fate = rng.random()
                if fate < 0.10:
                    continue  # sends nothing
                province = provinces.get(org.pk) or provinces.get(org.parent_id) or rng.choice(
                    list(provinces.values()))
                data = {"summary": f"Kế hoạch của {org.name}", "contact": {
                    "name": "Cán bộ đầu mối", "position": "", "phone": "", "email": ""},
                    "communications": [], "display_urls": [], "activities": [
                        {"title": f"{rng.choice(WORDS)} {rng.choice(TOPICS)} — {org.short_name}",
                         "category": rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0],
                         "start": (day := datetime.date(2026, 10, rng.randint(1, 10))).isoformat(),
                         "end": (day + datetime.timedelta(days=rng.choice((0, 0, 1, 2)))
                                 ).isoformat(),
                         "location": f"Trụ sở {org.short_name}", "province": province,
                         "format": rng.choices(FORMATS, FORMAT_WEIGHTS)[0],
                         "audience": "Người dân, doanh nghiệp",
                         "description": f"Hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia "
                                        f"của {org.name}.", "url": ""}
                        for _ in range(args.activities_per_unit)],
                    "initiatives": [
                        {"name": f"Nền tảng {rng.choice(TOPICS)} {i + 1} — {org.short_name}",
                         "description": "", "beneficiaries": rng.sample(
                             ["citizens", "businesses", "officials"], rng.randint(1, 2)),
                         "sector": rng.choices(TOPICS, range(len(TOPICS), 0, -1))[0], "url": "https://example.vn/",
                         "launch_date": "2026-10-10"}
                        for i in range(args.initiatives_per_unit)]}
                accepted = fate >= 0.15
                plan, _ = Plan.objects.update_or_create(
                    campaign=campaign, organisation=org, defaults={
                        "status": Plan.Status.ACCEPTED if accepted else Plan.Status.SUBMITTED,
                        "draft": data, "submitted_at": now,
                        "last_submitted_at": now, "on_time": rng.random() < 0.8,
                        "reviewed_at": now if accepted else None})
                if not plan.versions.exists():
                    PlanVersion.objects.create(plan=plan, number=1, data=data,
                                               submitted_at=now, late=False)
                if accepted:
                    count += plan_publish(plan=plan, now=now)[0]
        print(f"{min(batch_start + 200, len(units))}/{len(units)} units, {count} activities, "
              f"{time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
