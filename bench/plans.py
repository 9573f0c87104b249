#!/usr/bin/env python3
"""Benchmarks of unit plans (docs/benchmarks.md):

1. the deadline surge on SQLite: 93 editors each save a draft (PUT) and submit (POST) through
   the write API within one minute, against gunicorn on 127.0.0.1; errors, "database is
   locked" in the server log, p50/p95 of each call, and every plan submitted once;
2. the agency's tracking page for a campaign of 3,377 recipients (56 units + 3,321 communes,
   a third of them submitted): p50/p95 of GET /backoffice/<year>/.

Usage: .venv/bin/python bench/plans.py [--spread 60] [--workers 2] [--requests 100]
Only 127.0.0.1 is used; every loop is bounded.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, call, django_script, gunicorn, summary, surge, timed_gets  # noqa: E402

SETUP = """
import datetime, json
from django.utils import timezone
from django.contrib.sessions.backends.db import SessionStore
from dxday.accounts.models import User
from dxday.accounts.services import token_create
from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan
from dxday.registry.models import Organisation

c = Campaign.objects.get(year=2022)
c.submission_deadline = timezone.now() + datetime.timedelta(days=1)
c.lock_at = None
c.window_start, c.window_end = datetime.date(2022, 10, 1), datetime.date(2022, 10, 10)
c.save()
tokens = {}
for org in c.recipients.all():
    user = User.objects.create(email=f"editor-{org.code.lower()}@bench.example.vn",
                               role="editor", organisation=org)
    tokens[org.code] = token_create(user=user)[1]

big = Campaign.objects.create(year=2099, title="Bench: communes")
units = list(Organisation.objects.valid_on(datetime.date(2026, 10, 10)).exclude(kind="other"))
big.recipients.set(units)
now = timezone.now()
Plan.objects.bulk_create([
    Plan(campaign=big, organisation=o, status="submitted", submitted_at=now,
         last_submitted_at=now, on_time=i % 2 == 0)
    for i, o in enumerate(u for u in units if u.kind in Organisation.COMMUNE_KINDS)
    if i % 3 == 0])
reviewer = User.objects.create(email="reviewer@bench.example.vn", role="reviewer")
session = SessionStore()
session["_auth_user_id"] = str(reviewer.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = reviewer.get_session_auth_hash()
session.create()
print("BENCH", json.dumps({"tokens": tokens, "session": session.session_key,
                          "recipients": big.recipients.count()}))
"""

PLAN = {
    "summary": "Kế hoạch hưởng ứng Ngày Chuyển đổi số quốc gia.",
    "contact": {"name": "Nguyễn Văn An", "position": "Chuyên viên", "phone": "024 3943 0000",
                "email": "an@bench.example.vn"},
    "activities": [{"title": f"Hoạt động {i}", "category": "conference", "start": "2022-10-05",
                    "end": "2022-10-06", "location": "Hội trường", "province": None,
                    "format": "hybrid", "audience": "Người dân", "description": "Mô tả " * 40,
                    "url": "https://example.vn/a"} for i in range(8)],
    "initiatives": [{"name": f"Sáng kiến {i}", "description": "Mô tả", "sector": "Y tế",
                     "beneficiaries": ["citizens", "businesses"], "url": "https://example.vn/i",
                     "launch_date": "2022-10-10"} for i in range(4)],
    "communications": [{"title": "Phóng sự", "channel": "tv", "url": "", "date": "2022-10-05"}],
    "display_urls": [{"url": "https://example.vn/", "kind": "portal"}],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spread", type=float, default=60.0,
                        help="seconds over which the 93 editors start")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--requests", type=int, default=100, help="tracking page requests")
    parser.add_argument("--port", type=int, default=8781)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "DXDAY_VAR_DIR": var, "DATABASE_URL": f"sqlite:///{var}/db.sqlite3"}
        for command in (["migrate", "--no-input", "-v", "0"], ["load_reference"],
                        ["collectstatic", "--no-input", "-v", "0"]):
            subprocess.run([BIN / "dxday", *command], env=env, check=True, capture_output=True)
        setup = django_script(env, SETUP)
        log = Path(var) / "server.log"
        with gunicorn(env, port=args.port, workers=args.workers, log=log) as base:
            def editor(key):
                code, token = key
                url = f"{base}/api/v1/campaigns/2022/plans/{code}"
                headers = {"Authorization": f"Bearer {token}"}
                return [(name, *call(method, url + path, body, headers)[:2])
                        for name, method, path, body in (("put", "PUT", "", PLAN),
                                                         ("submit", "POST", "/submit", {}))]

            results, errors, elapsed = surge(
                {code: (code, token) for code, token in setup["tokens"].items()}, editor,
                spread=args.spread, seed=2022)
            cookie = {"Cookie": f"sessionid={setup['session']}"}
            timings, failures = timed_gets(base, [("tracking", "/backoffice/2099/", cookie)],
                                           requests=args.requests)
            assert not failures, failures
            tracking = timings["tracking"]
        check = subprocess.run([BIN / "dxday", "shell", "--no-imports", "-c", (
            "from dxday.plans.models import Plan, PlanVersion; "
            "print(Plan.objects.filter(campaign__year=2022, status='submitted').count(), "
            "PlanVersion.objects.filter(plan__campaign__year=2022).count())")],
            env=env, check=True, capture_output=True, text=True).stdout.splitlines()[-1].split()
        locked = log.read_text().count("database is locked")

    n = len(setup["tokens"])
    print(f"surge: {n} editors over {args.spread:.0f} s ({elapsed:.1f} s wall), "
          f"{args.workers} gunicorn workers, SQLite")
    print(f"  errors: {len(errors)} {errors[:5]}; "
          f"'database is locked' in server log: {locked}")
    print(f"  submitted plans: {check[0]}/{n}, versions: {check[1]}")
    for name in ("put", "submit"):
        print(f"  {name}: {summary(results[name])}")
    print(f"tracking page, {setup['recipients']} recipients: {summary(tracking)}")
    ok = not errors and not locked and int(check[0]) == n == int(check[1])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
