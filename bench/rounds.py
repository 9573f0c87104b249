#!/usr/bin/env python3
"""Benchmark of provincial rounds and the roll-up per level (docs/benchmarks.md, issue 17):

1. the national dataset (bench/dataset.py: 56 units and 3,321 communes, ≈ 90 % answered) with
   34 provincial rounds opened through the service over all its communes;
2. p50/p95 of the tracking API (GET /api/v1/campaigns/2026/tracking) at the national, province
   and commune level, and of the tracking pages: the agency's (national, ?parent=province), a
   province reviewer's (its round) and a commune's review page — uncached (the public cache
   is bypassed with a distinct URL per request);
3. a province round of 100 communes submitting within 60 s: 100 editors each save (PUT) and
   submit through the write API, from concurrent clients against gunicorn on 127.0.0.1; then
   the province submits its own plan and its version's roll-up must count the 100.

Usage: .venv/bin/python bench/rounds.py [--var DIR] [--requests 50] [--spread 30]
--var reuses a folder where bench/dataset.py already ran (else one is built, a few minutes).
Only 127.0.0.1 is used; every loop is bounded.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402 — bench/common.py, next to this file
    SESSION_OF,
    call,
    django_script,
    gunicorn,
    national_var,
    percentile,
    summary,
    surge,
    timed_gets,
)

SURGE_YEAR = 2098

SETUP = """
import datetime, json, time
from django.utils import timezone
from dxday.accounts.models import User
from dxday.accounts.services import token_create
from dxday.campaigns.models import Campaign, ProvincialRound
from dxday.campaigns.services import round_open
from dxday.registry.models import Organisation


YEAR = %(year)d
from dxday.plans.models import Plan
Plan.objects.filter(campaign__year=YEAR).delete()  # a previous run's (plans protect campaigns)
Campaign.objects.filter(year=YEAR).delete()
User.objects.filter(email__endswith="@rounds-bench.example.vn").delete()
now = timezone.now()
c = Campaign.objects.get(year=2026)
c.submission_deadline = now + datetime.timedelta(days=20)
c.lock_at = None
c.save()
admin = User.objects.create(email="admin@rounds-bench.example.vn", role="admin")
day = timezone.localdate() + datetime.timedelta(days=10)
provinces = list(c.recipients.filter(kind__in=Organisation.PROVINCIAL_KINDS).order_by("code"))
t0 = time.monotonic()
for p in provinces:
    round_open(campaign=c, province=p, deadline_day=day, by=admin)
opening = time.monotonic() - t0
communes = c.recipients.filter(kind__in=Organisation.COMMUNE_KINDS,
                               parent__in=provinces).count()
sizes = {p.code: c.recipients.filter(parent=p).count() for p in provinces}
biggest = Organisation.objects.get(code=max(sizes, key=sizes.get))
commune = c.recipients.filter(parent=biggest).order_by("code").first()
national = User.objects.create(email="national@rounds-bench.example.vn", role="reviewer")
provincial = User.objects.create(email="province@rounds-bench.example.vn", role="reviewer",
                                 organisation=biggest)

# The surge: a campaign of its own, the same province's round, 100 communes with editors.
surge = Campaign.objects.create(
    year=YEAR, title="Bench: a province round", submission_deadline=now + datetime.timedelta(
        days=10), window_start=datetime.date(YEAR, 10, 1), window_end=datetime.date(YEAR, 10, 10),
    signature_required=False)
surge.recipients.set([biggest])
round_open(campaign=surge, province=biggest, deadline_day=timezone.localdate()
           + datetime.timedelta(days=5), by=admin)
tokens = {}
for org in surge.recipients.filter(parent=biggest).order_by("code")[:100]:
    user = User.objects.create(email=f"xa-{org.code.lower()}@rounds-bench.example.vn",
                               role="editor", organisation=org)
    tokens[org.code] = token_create(user=user)[1]
province_editor = User.objects.create(email="tinh@rounds-bench.example.vn", role="editor",
                                      organisation=biggest)
print("BENCH", json.dumps({
    "rounds": ProvincialRound.objects.filter(campaign=c).count(), "communes": communes,
    "recipients": c.recipients.count(), "opening_s": round(opening, 1),
    "province": biggest.code, "province_communes": sizes[biggest.code],
    "commune": commune.code, "national": session_of(national),
    "provincial": session_of(provincial), "tokens": tokens,
    "province_token": token_create(user=province_editor)[1]}))
"""


def plan(year: int) -> dict:
    return {
        "summary": "Kế hoạch hưởng ứng Ngày Chuyển đổi số quốc gia của xã.",
        "contact": {"name": "Nguyễn Văn An", "position": "Công chức", "phone": "0236 3822 111",
                    "email": "an@rounds-bench.example.vn"},
        "activities": [{"title": f"Ngày hội chuyển đổi số {i}", "category": "digital_skills",
                        "start": f"{year}-10-05", "end": f"{year}-10-05",
                        "location": "Nhà văn hóa xã", "province": None, "format": "in_person",
                        "audience": "Người dân", "description": "Hướng dẫn kỹ năng số.",
                        "url": ""} for i in range(5)],
        "initiatives": [{"name": "Bình dân học vụ số", "description": "", "sector": "Giáo dục",
                         "beneficiaries": ["citizens"], "url": "", "launch_date": ""}],
        "communications": [], "display_urls": [],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path)
    parser.add_argument("--requests", type=int, default=50, help="requests per URL timed")
    parser.add_argument("--spread", type=float, default=30.0,
                        help="seconds over which the 100 editors start")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8793)
    args = parser.parse_args()

    with national_var(args.var) as (var, env):
        setup = django_script(env, SESSION_OF + SETUP % {"year": SURGE_YEAR})
        log = var / "rounds-server.log"
        with gunicorn(env, port=args.port, workers=args.workers, log=log) as base:
            national = {"Cookie": f"sessionid={setup['national']}"}
            provincial = {"Cookie": f"sessionid={setup['provincial']}"}
            api = "/api/v1/campaigns/2026/tracking"
            # Anonymous API reads are cached (dxday.public.cache): timed_gets asks a distinct
            # URL each time; the back-office pages are never cached.
            timings, errors = timed_gets(base, [
                ("API, national level", api, {}),
                ("API, province level", f"{api}?parent={setup['province']}", {}),
                ("API, commune level", f"{api}?parent={setup['commune']}", {}),
                ("page, national (agency)", "/backoffice/2026/", national),
                ("page, province (agency, ?parent=)",
                 f"/backoffice/2026/?parent={setup['province']}", national),
                ("page, province (its reviewer)", "/backoffice/2026/", provincial),
                ("page, commune (review, province reviewer)",
                 f"/backoffice/2026/plans/{setup['commune']}/", provincial),
            ], requests=args.requests)
            body = plan(SURGE_YEAR)

            def editor(key):
                code, token = key
                url = f"{base}/api/v1/campaigns/{SURGE_YEAR}/plans/{code}"
                headers = {"Authorization": f"Bearer {token}"}
                return [(name, *call(method, url + suffix, payload, headers)[:2])
                        for name, method, suffix, payload in (
                            ("put", "PUT", "", body), ("submit", "POST", "/submit", {}))]

            results, failures, elapsed = surge(
                {code: (code, token) for code, token in setup["tokens"].items()}, editor,
                spread=args.spread)
            errors += failures
            # The province reports upward: its version's roll-up must count the 100.
            url = f"{base}/api/v1/campaigns/{SURGE_YEAR}/plans/{setup['province']}"
            headers = {"Authorization": f"Bearer {setup['province_token']}"}
            call("PUT", url, body, headers)
            status, _, payload = call("POST", url + "/submit", {}, headers)
            rollup = json.loads(payload).get("rollup") if status == 200 else None
        locked = log.read_text().count("database is locked")

    n = len(setup["tokens"])
    print(f"national dataset: {setup['recipients']} recipients, {setup['rounds']} provincial "
          f"rounds opened over {setup['communes']} communes in {setup['opening_s']} s")
    for name, values in timings.items():
        print(f"  {name}: {summary(values)}")
    print(f"round of {n} communes of {setup['province']} ({setup['province_communes']} "
          f"communes): {n} editors over {args.spread:.0f} s, {elapsed:.1f} s wall, "
          f"{args.workers} gunicorn workers")
    for name in ("put", "submit"):
        print(f"  {name}: {summary(results[name])}")
    print(f"  errors: {len(errors)} {errors[:5]}; 'database is locked' in server log: {locked}")
    print(f"  province's roll-up: {rollup}")
    slow = [name for name, values in timings.items() if percentile(values, 95) >= 200]
    ok = (not errors and not locked and elapsed <= 60 and rollup is not None
          and rollup["submitted"] == n and not slow)
    if slow:
        print(f"  p95 ≥ 200 ms: {slow}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
