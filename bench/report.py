#!/usr/bin/env python3
"""Benchmark of the consolidated report on the national-scale dataset (docs/benchmarks.md).

1. A whole generation as the worker makes it — the snapshot (every figure and annex row in one
   read transaction), then XLSX, DOCX and PDF rendered from it — in a process of its own:
   seconds per step and in all, and the process's peak memory (ru_maxrss).
2. The campaign overview built without the page cache: p50/p95 of --runs requests through
   Django's test client (the figures read through the selectors), and its number of queries.

Usage: DXDAY_VAR_DIR=DIR [DATABASE_URL=…] .venv/bin/python bench/report.py [--runs 30]
(DIR where bench/dataset.py ran).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GENERATION = r"""
import json, resource, time
import django
django.setup()
from django.utils import timezone
from dxday.campaigns.models import Campaign
from dxday.reports import document, snapshot
from dxday.reports.render import render_docx, render_pdf, render_xlsx
details = {"number": "12/BC-CĐSQG", "issue_date": timezone.localdate(),
           "signer_title": "CỤC TRƯỞNG", "signer_name": "Nguyễn Văn A",
           "assessment": "Đánh giá.", "recommendations": "Kiến nghị.",
           "extra_recipients": "Bộ trưởng (để b/c)", "issued": True}
steps, sizes, started = {}, {}, time.monotonic()
def step(name, make):
    t = time.monotonic()
    value = make()
    steps[name] = round(time.monotonic() - t, 2)
    return value
data = step("snapshot", lambda: snapshot.take(Campaign.objects.get(year=2026)))
raw = step("snapshot stored (gzip JSON)", lambda: snapshot.dumps(data))
sizes["snapshot"] = len(raw)
sizes["xlsx"] = len(step("xlsx", lambda: render_xlsx(data, details)))
report = document.build(data, details)
sizes["docx"] = len(step("docx", lambda: render_docx(report)))
sizes["pdf"] = len(step("pdf", lambda: render_pdf(report)))
total = round(time.monotonic() - started, 2)
print(json.dumps({"steps": steps, "total": total, "sizes": sizes, "figures": data["figures"],
                  "tables": sum(b.kind == "table" for b in report.blocks),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""

OVERVIEW = r"""
import json, statistics, sys, time
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
runs = int(sys.argv[1])
client = Client()
times, size = [], 0
for i in range(runs + 1):
    cache.clear()
    t = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/campaigns/2026/", HTTP_ACCEPT_LANGUAGE="vi", HTTP_HOST="127.0.0.1")
    elapsed = time.monotonic() - t
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    if i:  # the first request warms the process (imports, templates)
        times.append(elapsed)
times.sort()
print(json.dumps({"runs": runs, "p50_ms": 1000 * statistics.median(times),
                  "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))],
                  "queries": len(queries), "bytes": size}))
"""


def run(code: str, *args) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dxday.settings", "DEBUG": "false"}
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    generation = run(GENERATION)
    print("generation:", json.dumps(generation, ensure_ascii=False, indent=1))
    subprocess.run([ROOT / ".venv" / "bin" / "dxday", "collectstatic", "--no-input", "-v", "0"],
                   check=True, cwd=ROOT)  # the pages name the static files of this folder
    overview = run(OVERVIEW, str(args.runs))
    print("overview (uncached):", json.dumps(overview))
    ok = (generation["total"] < 15 and generation["peak_mb"] < 500
          and overview["p95_ms"] < 300)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
