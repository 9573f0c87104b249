#!/usr/bin/env python3
"""Benchmark of results after 10/10 (docs/benchmarks.md, issue 18):

1. the national dataset (bench/dataset.py) with results for every unit whose plan was
   accepted (the submitted plans are accepted first): each prefilled from its plan, filled
   (≈ 85 % held, 10 % changed, 5 % cancelled, one added activity, participants and usage
   figures), submitted and accepted through dxday's own services — so the published tables
   are what production would hold;
2. the results report as the worker makes it (snapshot, XLSX, DOCX, PDF) in a process of its
   own: seconds and peak memory (ru_maxrss);
3. p50/p95 of the plan-versus-result API (national, province, one unit), the published
   results list, the public results pages and the agency's results tracking, uncached;
4. a surge: 100 communes with accepted plans each PUT their results and submit them through
   the write API within 60 s, from concurrent clients against gunicorn on 127.0.0.1; every
   one must be stored (0 errors, 0 lost).

Usage: .venv/bin/python bench/results.py [--var DIR] [--requests 50] [--spread 40]
--var reuses a folder where bench/dataset.py already ran (else one is built, a few minutes);
the results are added once (a second run finds them).
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402 — bench/common.py, next to this file
    BIN,
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

SURGE_YEAR = 2097

RESULTS = r"""
import json, random, time
from django.utils import timezone
from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan
from dxday.plans.services import plan_review
from dxday.results.models import Result
from dxday.results.services import (results_for_update, results_review, results_save_draft,
                                    results_submit)

def fill(draft, rng):
    for row in draft["activities"]:
        fate = rng.random()
        row["status"] = "held" if fate < 0.85 else "changed" if fate < 0.95 else "not_held"
        if row["status"] != "not_held":
            row["start"] = row["start"] or f"{YEAR}-10-05"
            row["participants_in_person"] = rng.randint(0, 800)
            row["participants_online"] = rng.randint(0, 3000)
            row["views"] = rng.randint(0, 20000)
            row["reach_source"] = "Cổng thông tin điện tử"
            row["evidence"] = ["https://example.vn/tin-tuc/1"]
        if row["status"] != "held":
            row["reason"] = "Thay đổi thời gian do thời tiết."
    draft["activities"].append({
        "planned": None, "title": "Ngày hội số bổ sung", "category": "digital_skills",
        "status": "held", "start": f"{YEAR}-10-08", "format": "in_person",
        "participants_in_person": rng.randint(10, 300)})
    for row in draft["initiatives"]:
        launched = rng.random() < 0.8
        row["launched"] = "yes" if launched else "no"
        if launched:
            row.update(usage_measure="users", usage_value=rng.randint(100, 50000),
                       usage_date=f"{YEAR}-10-31")
        else:
            row["reason"] = "Chưa hoàn thiện thủ tục."
    draft["summary"] = draft["summary"] or "Kết quả tổ chức hưởng ứng."
    contact = draft["contact"]
    contact["name"] = contact["name"] or "Cán bộ đầu mối"
    contact["email"] = contact["email"] or "daumoi@results-bench.example.vn"
    return draft

YEAR = 2026
c = Campaign.objects.get(year=YEAR)
now = timezone.now()
c.results_deadline, c.results_lock_at, c.lock_at = now + timezone.timedelta(days=10), None, None
c.save()
reviewer = User.objects.filter(email="reviewer@results-bench.example.vn").first() or \
    User.objects.create(email="reviewer@results-bench.example.vn", role="reviewer")
t0 = time.monotonic()
for plan in Plan.objects.filter(campaign=c, status=Plan.Status.SUBMITTED):
    plan_review(plan=plan, by=reviewer, decision="accept")
rng = random.Random(18)
made = 0
done = set(Result.objects.filter(campaign=c).values_list("organisation_id", flat=True))
for plan in Plan.objects.filter(campaign=c, status=Plan.Status.ACCEPTED).select_related(
        "organisation").order_by("organisation__code"):
    if plan.organisation_id in done:
        continue
    org = plan.organisation
    draft = results_for_update(campaign=c, organisation=org, by=reviewer).draft
    results_save_draft(campaign=c, organisation=org, data=fill(draft, rng), by=reviewer)
    result = results_submit(campaign=c, organisation=org, by=reviewer)
    results_review(result=result, by=reviewer, decision="accept")
    made += 1
from dxday.registry.models import Organisation


provinces = c.recipients.filter(kind__in=Organisation.PROVINCIAL_KINDS)
sizes = {p.code: c.recipients.filter(parent=p).count() for p in provinces}
province = max(sizes, key=sizes.get)
unit = Result.objects.filter(campaign=c, status="accepted", organisation__parent__code=province
                             ).order_by("organisation__code").first().organisation
editor = User.objects.filter(email="editor@results-bench.example.vn").first() or \
    User.objects.create(email="editor@results-bench.example.vn", role="editor", organisation=unit)
print("BENCH", json.dumps({"made": made, "seconds": round(time.monotonic() - t0, 1),
                           "results": Result.objects.filter(campaign=c).count(),
                           "recipients": c.recipients.count(), "province": province,
                           "unit": editor.organisation.code, "agency": session_of(reviewer),
                           "editor": session_of(editor)}))
"""

SURGE = r"""
import datetime, json
from django.utils import timezone
from dxday.accounts.models import User
from dxday.accounts.services import token_create
from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from dxday.results.models import Result

YEAR = %(year)d
Result.objects.filter(campaign__year=YEAR).delete()
Plan.objects.filter(campaign__year=YEAR).delete()
Campaign.objects.filter(year=YEAR).delete()
User.objects.filter(email__endswith="@results-surge.example.vn").delete()
now = timezone.now()
surge = Campaign.objects.create(
    year=YEAR, title="Bench: results surge", submission_deadline=now + datetime.timedelta(days=1),
    results_deadline=now + datetime.timedelta(days=10), window_start=datetime.date(YEAR, 10, 1),
    window_end=datetime.date(YEAR, 10, 10), signature_required=False)
communes = list(Organisation.objects.filter(kind__in=Organisation.COMMUNE_KINDS,
                                            valid_to__isnull=True).order_by("code")[:100])
surge.recipients.set(communes)
reviewer = User.objects.create(email="reviewer@results-surge.example.vn", role="reviewer")
plan = json.loads(%(plan)r)
tokens = {}
for org in communes:
    user = User.objects.create(email=f"xa-{org.code.lower()}@results-surge.example.vn",
                               role="editor", organisation=org)
    plan_save_draft(campaign=surge, organisation=org, data=plan, by=user)
    plan_review(plan=plan_submit(campaign=surge, organisation=org, by=user), by=reviewer,
                decision="accept")
    tokens[org.code] = token_create(user=user)[1]
print("BENCH", json.dumps({"tokens": tokens}))
"""


def surge_plan(year: int) -> dict:
    return {
        "summary": "Kế hoạch của xã.",
        "contact": {"name": "Nguyễn Văn An", "position": "Công chức", "phone": "0236 3822 111",
                    "email": "an@results-surge.example.vn"},
        "activities": [{"title": f"Ngày hội chuyển đổi số {i}", "category": "digital_skills",
                        "start": f"{year}-10-05", "end": f"{year}-10-05",
                        "location": "Nhà văn hóa xã", "province": None, "format": "in_person",
                        "audience": "Người dân", "description": "", "url": ""}
                       for i in range(5)],
        "initiatives": [{"name": "Bình dân học vụ số", "description": "", "sector": "Giáo dục",
                         "beneficiaries": ["citizens"], "url": "", "launch_date": ""}],
        "communications": [], "display_urls": [],
    }


def surge_results(year: int) -> dict:
    return {
        "summary": "Kết quả của xã.",
        "contact": {"name": "Nguyễn Văn An", "position": "Công chức",
                    "phone": "0236 3822 111", "email": "an@results-surge.example.vn"},
        "activities": [{"planned": i + 1, "title": f"Ngày hội chuyển đổi số {i}",
                        "category": "digital_skills", "status": "held",
                        "start": f"{year}-10-05", "participants_in_person": 120 + i,
                        "participants_online": 40} for i in range(5)],
        "initiatives": [{"planned": 1, "name": "Bình dân học vụ số", "launched": "yes",
                         "usage_measure": "users", "usage_value": 900,
                         "usage_date": f"{year}-10-31"}],
        "communications": [], "display_urls": [],
    }


GENERATION = r"""
import json, resource, time
import django
django.setup()
from django.utils import timezone
from dxday.campaigns.models import Campaign
from dxday.reports import results_report
details = {"number": "15/BC-CĐSQG", "issue_date": timezone.localdate(),
           "signer_title": "CỤC TRƯỞNG", "signer_name": "Nguyễn Văn A",
           "assessment": "Đánh giá.", "recommendations": "Kiến nghị.",
           "extra_recipients": "Bộ trưởng (để b/c)", "issued": True}
print(json.dumps(results_report.bench(Campaign.objects.get(year=2026), details)))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path)
    parser.add_argument("--requests", type=int, default=50, help="requests per URL timed")
    parser.add_argument("--spread", type=float, default=40.0,
                        help="seconds over which the 100 editors start")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8794)
    parser.add_argument("--data-only", action="store_true", help="only add the results")
    args = parser.parse_args()

    with national_var(args.var) as (var, env):
        data = django_script(env, SESSION_OF + RESULTS)
        print(f"results: {data['made']} added in {data['seconds']} s; {data['results']} "
              f"results for {data['recipients']} recipients")
        if args.data_only:
            return 0
        generation = subprocess.run(
            [BIN / "python", "-c", GENERATION], capture_output=True, text=True,
            env={**env, "DJANGO_SETTINGS_MODULE": "dxday.settings"}, cwd=BIN.parent.parent)
        if generation.returncode != 0:
            raise SystemExit(f"the results report failed:\n{generation.stderr[-4000:]}")
        report = json.loads(generation.stdout.strip().splitlines()[-1])
        print(f"results report: {report}")
        setup = django_script(env, SURGE % {"year": SURGE_YEAR,
                                            "plan": json.dumps(surge_plan(SURGE_YEAR))})
        province, unit = data["province"], data["unit"]
        agency = {"Cookie": f"sessionid={data['agency']}"}
        editor_session = {"Cookie": f"sessionid={data['editor']}"}
        api = "/api/v1/campaigns/2026/plan-vs-result"
        urls = [
            ("API plan-vs-result, national", api, {}),
            ("API plan-vs-result, province", f"{api}?parent={province}", {}),
            ("API plan-vs-result, one unit", f"{api}/{unit}", {}),
            ("API published results (page 1)", "/api/v1/campaigns/2026/results", {}),
            ("public results page, campaign (vi)", "/campaigns/2026/results/", {}),
            ("public results page, campaign (en)", "/en/campaigns/2026/results/", {}),
            ("public results page, one unit", f"/campaigns/2026/results/{unit}/", {}),
            ("unit's results page (its editor)", f"/results/2026/{unit}/", editor_session),
            ("agency's results tracking", "/backoffice/2026/results/", agency),
        ]
        body = surge_results(SURGE_YEAR)

        def editor(argument):
            code, key = argument
            url = f"{base}/api/v1/campaigns/{SURGE_YEAR}/results/{code}"
            headers = {"Authorization": f"Bearer {key}"}
            steps = []
            for step, method, suffix, payload in (("put", "PUT", "", body),
                                                  ("submit", "POST", "/submit", {})):
                status, seconds, _ = call(method, url + suffix, payload, headers)
                steps.append((step, status, seconds))
            return steps

        log = var / "results-server.log"
        with gunicorn(env, port=args.port, workers=args.workers, log=log) as base:
            timings, errors = timed_gets(base, urls, requests=args.requests)
            clients = {code: (code, key) for code, key in setup["tokens"].items()}
            times, failures, elapsed = surge(clients, editor, spread=args.spread)
        stored = django_script(env, COUNT % {"year": SURGE_YEAR})
        locked = log.read_text().count("database is locked")
    for name, values in timings.items():
        print(f"  {name}: {summary(values)}")
    print(f"surge: {len(clients)} communes over {args.spread:.0f} s, {elapsed:.1f} s wall, "
          f"{args.workers} gunicorn workers")
    for step, values in times.items():
        print(f"  {step}: {summary(values)}")
    print(f"  errors: {len(failures)} {failures[:5]}; stored submitted: {stored['submitted']}; "
          f"'database is locked' in server log: {locked}")
    slow = [name for name, values in timings.items() if percentile(values, 95) >= 200]
    if slow:
        print(f"  p95 ≥ 200 ms: {slow}")
    ok = (not errors and not failures and not locked and elapsed <= 60 and not slow
          and stored["submitted"] == len(clients) and report["total"] < 15
          and report["peak_mb"] < 500)
    return 0 if ok else 1


COUNT = r"""
import json
from dxday.results.models import Result
print("BENCH", json.dumps({"submitted": Result.objects.filter(
    campaign__year=%(year)d, status="submitted").count()}))
"""


if __name__ == "__main__":
    sys.exit(main())
