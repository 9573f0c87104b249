#!/usr/bin/env python3
"""Load scenarios of docs/benchmarks.md, with locust from 127.0.0.1 against the production
configuration (gunicorn with dxday/gunicorn.conf.py, a `dxday worker`).

public  the public mix on the national-scale dataset (bench/dataset.py): home, campaign pages,
        calendar, search, iCal, API, paced at --users × --user-rps requests per second for
        --duration seconds; reports requests/s, p50/p95/p99 and failures.
surge   the deadline surge: --editors editors of different units log in, save their draft
        with a 5 MB signed PDF and submit, all starting within --within seconds; afterwards
        every unit must have exactly one submitted version holding that PDF (0 lost versions).
deadline both at once on the national-scale dataset: the public mix for --duration seconds
        while --editors editors of units that have not sent a plan submit theirs (every
        submission renews the public pages' cache, so the campaign overview is rebuilt again
        and again); the public mix must keep p95 < 300 ms with 0 errors, the surge 0 errors
        and 0 lost versions.

    .venv/bin/python bench/load.py public --db sqlite [--var DIR] [--duration 300]
    .venv/bin/python bench/load.py public --db postgres [--duration 300]
    .venv/bin/python bench/load.py surge --db sqlite|postgres [--editors 100]
    .venv/bin/python bench/load.py deadline --db sqlite|postgres [--var DIR] [--duration 180]

--db postgres uses DATABASE_URL's server (default 127.0.0.1:5432) and its own databases
dxday_bench (kept between runs: the dataset takes minutes to build) and dxday_surge (new).
"""

import argparse
import csv
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = "Ngay-CDS-10/10-bench"  # noqa: S105 - bench personas only
PG_SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test").rsplit(
    "/", 1)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dxday(env, *args, stdin=None) -> str:
    return subprocess.run([BIN / "dxday", *args], env=env, input=stdin, text=True, check=True,
                          capture_output=True, cwd=ROOT).stdout


def pg_database(name: str, *, fresh: bool) -> tuple[str, bool]:
    """URL of database ``name`` on the PostgreSQL server; (url, existed)."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        existed = bool(admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                     (name,)).fetchone())
        if existed and fresh:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            existed = False
        if not existed:
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}", existed


class Platform:
    """gunicorn (production settings file) and one worker, on a free loopback port."""

    def __init__(self, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # As behind nginx: the client's address comes in X-Real-IP (rate limits count it).
        self.env = {**env, "SITE_URL": self.base, "DEBUG": "false", "WEB_ACCESS_LOG": "/dev/null",
                    "REAL_IP_HEADER": "HTTP_X_REAL_IP"}
        self.processes = []

    def __enter__(self):
        dxday(self.env, "collectstatic", "--no-input", "-v", "0")
        self.processes.append(subprocess.Popen(
            [BIN / "gunicorn", "-c", "dxday/gunicorn.conf.py", "dxday.wsgi", "--bind",
             f"127.0.0.1:{self.port}"], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True))
        self.processes.append(subprocess.Popen(
            [BIN / "dxday", "worker", "--no-startup-delay"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        for _ in range(600):
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the platform did not start")

    def __exit__(self, *exc):
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)


def locust(base: str, user_class: str, *, users: int, rate: float, seconds: int, env: dict,
           out: Path) -> dict:
    prefix = out / user_class
    run = subprocess.run(
        [BIN / "locust", "-f", str(ROOT / "bench" / "locustfile.py"), user_class, "--headless",
         "--users", str(users), "--spawn-rate", str(rate), "--run-time", f"{seconds}s",
         "--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "30",
         "--loglevel", "WARNING"], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=seconds + 300)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as found:
        failures = list(csv.DictReader(found))
    by_name = {row["Name"]: row for row in rows}
    total = by_name["Aggregated"]
    if not int(total["Request Count"]):
        raise RuntimeError(f"locust sent no request: {run.stderr[-2000:]}")
    return {
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]), "p50": float(total["50%"]),
        "p95": float(total["95%"]), "p99": float(total["99%"]),
        "by_name": {name: {"n": int(r["Request Count"]), "fail": int(r["Failure Count"]),
                           "p50": float(r["50%"]), "p95": float(r["95%"])}
                    for name, r in by_name.items() if name != "Aggregated"},
        "failure_samples": [f"{f['Name']}: {f['Error'][:200]}" for f in failures[:10]],
        "locust_exit": run.returncode,
    }


def national(args) -> tuple[dict, Path, str]:
    """The national-scale dataset's environment (built on first use), migrated and analysed,
    with an empty page cache; (env, var folder, "activities initiatives")."""
    if args.db == "postgres":
        url, existed = pg_database("dxday_bench", fresh=False)
        var = Path(args.var or tempfile.mkdtemp(prefix="dxday-load-"))
        env = {**os.environ, "DATABASE_URL": url, "DXDAY_VAR_DIR": str(var)}
        build = not existed or dxday(env, "shell", "--no-imports", "-c",
                                     "from dxday.plans.models import Activity as A; "
                                     "print(A.objects.count())").split()[-1] == "0"
    else:
        var = Path(args.var or tempfile.mkdtemp(prefix="dxday-load-"))
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{var}/db.sqlite3",
               "DXDAY_VAR_DIR": str(var)}
        build = not (var / "db.sqlite3").exists()
    env.pop("TASKS_BACKEND", None)
    if build:
        print("building the national-scale dataset…", file=sys.stderr)
        dxday(env, "migrate", "--no-input", "-v", "0")
        dxday(env, "load_reference")
        subprocess.run([BIN / "python", ROOT / "bench" / "dataset.py"], env=env, check=True,
                       capture_output=True, cwd=ROOT)
    # As a production database would be: migrated, with planner statistics (PostgreSQL's
    # autovacuum gathers them by itself; a freshly loaded database has none yet).
    dxday(env, "migrate", "--no-input", "-v", "0")
    dxday(env, "shell", "--no-imports", "-c",
          "from django.db import connection; connection.cursor().execute('ANALYZE')")
    subprocess.run(["rm", "-rf", str(var / "cache")], check=True)
    counts = dxday(env, "shell", "--no-imports", "-c",
                   "from dxday.plans.models import Activity as A, "
                   "Initiative as I; print(A.objects.count(), I.objects.count())")
    return env, var, counts


def public(args) -> dict:
    env, var, counts = national(args)
    with Platform(env) as platform:
        load_env = {**env, "DXDAY_USER_RPS": str(args.user_rps)}
        result = locust(platform.base, "PublicVisitor", users=args.users, rate=args.users / 10,
                        seconds=args.duration, env=load_env, out=var)
    result["dataset"] = dict(zip(("activities", "initiatives"), map(int, counts.split()),
                                 strict=True))
    return result


def pdf_of_size(size: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    content = DecodedStreamObject()
    content.set_data(b"% " + os.urandom(size // 2).hex().encode()[:size] + b"\n")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


SURGE_SEED = """
import datetime, json, sys
from django.utils import timezone
from dxday.accounts.services import user_create
from dxday.campaigns.models import Campaign
from dxday.campaigns.selectors import recipients_on
from dxday.registry.models import Organisation
from dxday.accounts.models import User
from dxday.plans.models import Plan
n, password = int(sys.argv[1]), sys.argv[2]
free = len(sys.argv) > 3  # units of the national dataset that have not sent a plan
c = Campaign.objects.get(year=2026)
c.submission_deadline = timezone.now() + datetime.timedelta(days=3)
c.window_start, c.window_end = datetime.date(2026, 10, 1), datetime.date(2026, 10, 10)
c.save()
units = [*recipients_on(datetime.date(2026, 10, 10)),
         *Organisation.objects.commune_level().order_by("code")]
if free:
    sent = set(Plan.objects.filter(campaign=c).exclude(status="draft")
               .values_list("organisation_id", flat=True))
    units = [o for o in units if o.pk not in sent]
units = units[:n]
c.recipients.add(*units)
editors = []
for org in units:
    email = f"bientap-{org.code.lower()}@bench.example.vn"
    if not User.objects.filter(email=email).exists():
        user_create(email=email, role="editor", organisation=org, password=password)
    editors.append(f"{email},{org.code}")
print(";".join(editors))
"""
SURGE_CHECK = """
import json, sys
from dxday.plans.models import Plan, PlanVersion
codes = sys.argv[1].split(",")
plans = Plan.objects.filter(campaign__year=2026, organisation__code__in=codes)
versions = PlanVersion.objects.filter(plan__in=plans)
print(json.dumps({
    "plans": plans.count(), "submitted": plans.exclude(status="draft").count(),
    "versions": versions.count(),
    "versions_with_pdf": versions.filter(document_sha256=sys.argv[2]).count(),
    "drafts_with_pdf": plans.filter(document_sha256=sys.argv[2]).count()}))
"""


def surge(args) -> dict:
    var = Path(tempfile.mkdtemp(prefix="dxday-surge-"))
    if args.db == "postgres":
        url, _ = pg_database("dxday_surge", fresh=True)
    else:
        url = f"sqlite:///{var}/db.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "DXDAY_VAR_DIR": str(var)}
    env.pop("TASKS_BACKEND", None)
    dxday(env, "migrate", "--no-input", "-v", "0")
    dxday(env, "load_reference")
    editors = dxday(env, "shell", "--no-imports", "-c",
                    f"import sys; sys.argv = ['', '{args.editors}', {PASSWORD!r}]\n"
                    + SURGE_SEED).strip().splitlines()[-1]
    pdf = var / "ke-hoach.pdf"
    pdf.write_bytes(pdf_of_size(5 * 1024 * 1024))
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    started = time.monotonic()
    with Platform(env) as platform:
        load_env = {**env, "DXDAY_SURGE_PDF": str(pdf), "DXDAY_SURGE_EDITORS": editors,
                    "DXDAY_SURGE_PASSWORD": PASSWORD}
        result = locust(platform.base, "DeadlineEditor", users=args.editors,
                        rate=args.editors / args.within, seconds=args.within + 30,
                        env=load_env, out=var)
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    codes = ",".join(item.split(",")[1] for item in editors.split(";"))
    result["database"] = json.loads(dxday(
        env, "shell", "--no-imports", "-c",
        f"import sys; sys.argv = ['', {codes!r}, {digest!r}]\n" + SURGE_CHECK
    ).strip().splitlines()[-1])
    result["pdf_bytes"] = pdf.stat().st_size
    return result


def deadline(args) -> dict:
    """The public mix and the surge at once, on the national-scale dataset."""
    import threading

    env, var, counts = national(args)
    editors = dxday(env, "shell", "--no-imports", "-c",
                    f"import sys; sys.argv = ['', '{args.editors}', {PASSWORD!r}, 'free']\n"
                    + SURGE_SEED).strip().splitlines()[-1]
    assert len(editors.split(";")) == args.editors, "not enough units without a plan"
    pdf = var / "ke-hoach.pdf"
    pdf.write_bytes(pdf_of_size(5 * 1024 * 1024))
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    results = {}
    (var / "surge").mkdir(exist_ok=True)
    with Platform(env) as platform:
        surge_env = {**env, "DXDAY_SURGE_PDF": str(pdf), "DXDAY_SURGE_EDITORS": editors,
                     "DXDAY_SURGE_PASSWORD": PASSWORD}

        def run_surge():
            time.sleep(20)  # the public mix is at full pace first
            results["surge"] = locust(platform.base, "DeadlineEditor", users=args.editors,
                                      rate=args.editors / args.within,
                                      seconds=args.within + 30, env=surge_env,
                                      out=var / "surge")

        thread = threading.Thread(target=run_surge)
        thread.start()
        results["public"] = locust(platform.base, "PublicVisitor", users=args.users,
                                   rate=args.users / 10, seconds=args.duration,
                                   env={**env, "DXDAY_USER_RPS": str(args.user_rps)}, out=var)
        thread.join()
    codes = ",".join(item.split(",")[1] for item in editors.split(";"))
    results["surge"]["database"] = json.loads(dxday(
        env, "shell", "--no-imports", "-c",
        f"import sys; sys.argv = ['', {codes!r}, {digest!r}]\n" + SURGE_CHECK
    ).strip().splitlines()[-1])
    results["dataset"] = dict(zip(("activities", "initiatives"), map(int, counts.split()),
                                  strict=True))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["public", "surge", "deadline"])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--var", help="public: a folder where the SQLite dataset is kept")
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--user-rps", type=float, default=4.6)
    parser.add_argument("--editors", type=int, default=100)
    parser.add_argument("--within", type=int, default=90,
                        help="surge: seconds over which the editors start")
    args = parser.parse_args()
    result = {"public": public, "surge": surge, "deadline": deadline}[args.scenario](args)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.scenario == "deadline":
        db = result["surge"]["database"]
        ok = (result["public"]["failures"] == 0 and result["public"]["p95"] < 300
              and result["surge"]["failures"] == 0
              and db["versions"] == db["versions_with_pdf"] == db["submitted"] == args.editors)
    elif args.scenario == "surge":
        db = result["database"]
        ok = (result["failures"] == 0 and db["versions"] == db["versions_with_pdf"]
              == db["submitted"] == args.editors)
    else:
        ok = result["failures"] == 0 and result["p95"] < 300 and result["rps"] >= 200
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
