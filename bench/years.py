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
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


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


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, (time.perf_counter() - started) * 1000


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


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

    holder = None if args.var else tempfile.TemporaryDirectory()
    var = args.var or Path(holder.name)
    env = {**os.environ, "DXDAY_VAR_DIR": str(var),
           "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{var}/db.sqlite3")}
    if not (var / "db.sqlite3").exists() and "postgres" not in env["DATABASE_URL"]:
        for command in (["migrate", "--no-input", "-v", "0"], ["load_reference"]):
            subprocess.run([BIN / "dxday", *command], env=env, check=True, capture_output=True)
        subprocess.run([BIN / "python", ROOT / "bench" / "dataset.py"], env=env, check=True,
                       capture_output=True)
    here = [BIN / "python", Path(__file__).resolve()]
    subprocess.run([*here, "--step", "earlier"], env=env, check=True)
    units = subprocess.run([*here, "--step", "codes"], env=env, check=True, capture_output=True,
                           text=True).stdout.split()
    subprocess.run([BIN / "dxday", "collectstatic", "--no-input", "-v", "0"], env=env,
                   check=True)
    subprocess.run(["rm", "-rf", str(var / "cache")], check=True)
    server = subprocess.Popen(
        [BIN / "gunicorn", "dxday.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers",
         str(args.workers), "--timeout", "60"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    results = {}
    try:
        for _ in range(400):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        for name, pattern in (("page (vi), uncached", "/don-vi/{}/qua-cac-nam/"),
                              ("API, uncached", "/api/v1/organisations/{}/years"),
                              ("page (vi), cached", "/don-vi/{}/qua-cac-nam/")):
            times, errors = [], 0
            for code in units:
                status, ms = fetch(base + pattern.format(code))
                errors += status != 200
                times.append(ms)
            results[name] = (f"{len(times)} units, p50 {statistics.median(times):.0f} ms, "
                             f"p95 {percentile(times, 95):.0f} ms, max {max(times):.0f} ms, "
                             f"errors {errors}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if holder:
            holder.cleanup()
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {args.workers} workers, "
          f"{env['DATABASE_URL'].split(':')[0]}")
    for name, value in results.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
