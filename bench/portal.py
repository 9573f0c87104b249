#!/usr/bin/env python3
"""Benchmarks of the public portal and open data on the national-scale dataset
(docs/benchmarks.md): 67,540 published activities, 10,131 initiatives, 3,377 units.

1. home and campaign overview under load (wrk from 127.0.0.1): requests/s, p50/p95/p99, errors;
2. search: p95 of distinct, uncached queries (a query mix a citizen would type);
3. iCal and CSV of all activities, the DCAT catalogue, the data package and the open-data
   page: seconds for the first (uncached) and a repeated request.

Usage: .venv/bin/python bench/portal.py [--var DIR] [--duration 30] [--connections 16]
--var reuses a folder where bench/dataset.py already ran (else one is built, ~1 min).
Needs wrk (Debian package `wrk`). Only 127.0.0.1 is used; every run is bounded in time.
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
QUERIES = ["da nang", "ha noi", "chuyen doi so", "hoi thao", "ky nang so", "y te so",
           "thanh toan khong dung tien mat", "dich vu cong truc tuyen", "quang nam",
           "hoa binh", "Hoà Bình", "DAK LAK", "nong nghiep so", "giao duc so", "trien lam",
           "ngay hoi", "an toan thong tin", "kinh te so", "chinh quyen so", "du lieu so",
           "thuong mai dien tu", "can tho", "hue", "lao cai", "phu quoc", "4644",
           "bo khoa hoc va cong nghe", "tuyen quang", "ca mau", "xa", "phuong hoan kiem",
           "dien dan", "cuoc thi", "ra mat", "nen tang", "toa dam", "tap huan", "vi dien tu",
           "san thuong mai", "truong sa"]


def fetch(url: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        return response.status, time.perf_counter() - started, len(body)


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def wrk(url: str, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
                          "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_report.lua"), url],
                         capture_output=True, text=True, check=True,
                         timeout=duration + 60).stdout
    line = next(li for li in out.splitlines() if li.startswith("RESULT"))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()

    holder = None if args.var else tempfile.TemporaryDirectory()
    var = args.var or Path(holder.name)
    env = {**os.environ, "DXDAY_VAR_DIR": str(var),
           "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{var}/db.sqlite3")}
    if not (var / "db.sqlite3").exists() and "postgres" not in env["DATABASE_URL"]:
        for command in (["migrate", "--no-input", "-v", "0"], ["load_reference"]):
            subprocess.run([BIN / "dxday", *command], env=env, check=True, capture_output=True)
        subprocess.run([BIN / "python", ROOT / "bench" / "dataset.py"], env=env, check=True,
                       capture_output=True)
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
                fetch(base + "/")
                break
            except OSError:
                time.sleep(0.05)
        for name, path in (("iCal, all activities", "/api/v1/campaigns/2026/activities.ics"),
                           ("CSV, all activities", "/api/v1/campaigns/2026/activities.csv"),
                           ("DCAT-AP catalogue", "/api/v1/catalog.jsonld"),
                           ("data package", "/api/v1/campaigns/2026/datapackage.json"),
                           ("open-data page", "/du-lieu-mo/")):
            status, first, size = fetch(base + path)
            _, again, _ = fetch(base + path)
            results[name] = (f"first {first:.3f} s, cached {again:.3f} s "
                             f"({size / 1e6:.2f} MB)")
        times = []
        for query in QUERIES:
            status, seconds, _ = fetch(base + "/api/v1/search?q=" + urllib.parse.quote(query))
            assert status == 200
            times.append(seconds * 1000)
        results["search, 40 distinct uncached queries"] = (
            f"p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 95):.0f} ms, "
            f"max {max(times):.0f} ms")
        for name, path in (("home", "/"), ("campaign overview", "/campaigns/2026/")):
            fetch(base + path)  # warm the cache as the first visitor does
            r = wrk(base + path, args.duration, args.connections, 2)
            results[f"{name} under load"] = (
                f"{r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
                f"p99 {r['p99']:.1f} ms, errors {int(r['errors'])} "
                f"({int(r['requests'])} requests, {args.connections} connections)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if holder:
            holder.cleanup()
    for name, value in results.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
