#!/usr/bin/env python3
"""Benchmark of a unit's plans year by year (issue 17, decision 0018) on the national dataset
(bench/dataset.py: 2026 with 3,377 recipients), with plans added for 2022 (93 recipients) and
2025 (56), so that a 2025 province's page follows its predecessors back.

Fetches, one after the other and each address once (nothing cached), the Vietnamese page
/don-vi/<code>/qua-cac-nam/ and GET /api/v1/organisations/<code>/years for every 2026 central
body and province, 200 communes and every 2022 recipient; then the pages again (cached).
Prints p50/p95/max per kind and the error count.

Usage: .venv/bin/python bench/years.py [--var DIR] [--workers 2]
--var reuses a folder where bench/dataset.py already ran (else one is built, a few minutes).
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, ROOT, call, gunicorn, national_var, summary  # noqa: E402


def earlier_years() -> None:
    """Plans of 2022 and 2025 for their recipients: 80 % accepted and published, 10 %
    submitted, 10 % none; ~15 activities and 2 initiatives each (as bench/dataset.py)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from dxday.campaigns.models import Campaign
    from dxday.plans.models import Plan, PlanVersion
    from dxday.plans.services import plan_publish

    rng = random.Random(2025)
    now = timezone.now()
    for year in (2022, 2025):
        campaign = Campaign.objects.get(year=year)
        if campaign.plans.exists():
            continue
        with transaction.atomic():
            for org in campaign.recipients.all():
                fate = rng.random()
                if fate < 0.10:
                    continue
                data = {"summary": f"Kế hoạch {year} của {org.name}", "contact": {
                    "name": "Cán bộ đầu mối", "position": "", "phone": "", "email": ""},
                    "communications": [], "display_urls": [], "activities": [
                        {"title": f"Hoạt động {i + 1} — {org.short_name}",
                         "category": "conference", "start": f"{year}-10-0{rng.randint(1, 9)}",
                         "end": "", "location": "", "province": None, "format": "online",
                         "audience": "", "description": "", "url": ""} for i in range(15)],
                    "initiatives": [
                        {"name": f"Sáng kiến {i + 1} — {org.short_name}", "description": "",
                         "beneficiaries": ["citizens"], "sector": "", "url": "",
                         "launch_date": None} for i in range(2)]}
                accepted = fate >= 0.20
                plan = Plan.objects.create(
                    campaign=campaign, organisation=org, draft=data, submitted_at=now,
                    last_submitted_at=now, on_time=rng.random() < 0.8,
                    status=Plan.Status.ACCEPTED if accepted else Plan.Status.SUBMITTED)
                PlanVersion.objects.create(plan=plan, number=1, data=data, submitted_at=now,
                                           late=False)
                if accepted:
                    plan_publish(plan=plan, now=now)


def codes() -> list[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")
    import django

    django.setup()
    from dxday.campaigns.models import Campaign
    from dxday.registry.models import Organisation

    rng = random.Random(17)
    latest = Campaign.objects.get(year=2026).recipients
    top = list(latest.exclude(kind__in=Organisation.COMMUNE_KINDS).values_list("code", flat=True))
    communes = list(latest.filter(kind__in=Organisation.COMMUNE_KINDS)
                    .values_list("code", flat=True))
    old = list(Campaign.objects.get(year=2022).recipients.values_list("code", flat=True))
    return sorted(set(top)) + rng.sample(sorted(communes), 200) + sorted(set(old) - set(top))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--step", choices=("earlier", "codes"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "earlier":
        earlier_years()
        return 0
    if args.step == "codes":
        print("\n".join(codes()))
        return 0

    with national_var(args.var) as (var, env):
        here = [BIN / "python", Path(__file__).resolve()]
        subprocess.run([*here, "--step", "earlier"], env=env, check=True)
        units = subprocess.run([*here, "--step", "codes"], env=env, check=True,
                               capture_output=True, text=True).stdout.split()
        subprocess.run(["rm", "-rf", str(var / "cache")], check=True)
        results = {}
        with gunicorn(env, port=args.port, workers=args.workers,
                      log=var / "years-server.log") as base:
            for name, pattern in (("page (vi), uncached", "/don-vi/{}/qua-cac-nam/"),
                                  ("API, uncached", "/api/v1/organisations/{}/years"),
                                  ("page (vi), cached", "/don-vi/{}/qua-cac-nam/")):
                times, errors = [], 0
                for code in units:
                    status, seconds, _ = call("GET", base + pattern.format(code))
                    errors += status != 200
                    times.append(seconds * 1000)
                results[name] = f"{len(units)} units, {summary(times)}, errors {errors}"
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {args.workers} workers, "
          f"{env['DATABASE_URL'].split(':')[0]}")
    for name, value in results.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
