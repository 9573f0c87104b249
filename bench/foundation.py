#!/usr/bin/env python3
"""Benchmarks of the foundation (docs/benchmarks.md):

1. `dxday load_reference` into an empty, migrated SQLite database (3,470 organisations);
2. `make run` on a machine already set up: seconds until the home page answers 200;
3. GET /api/v1/organisations?on=…&kind=commune&limit=1000 through gunicorn: p50/p95/p99.

Usage: .venv/bin/python bench/foundation.py [--rounds N] [--requests N] [--database-url URL]
Only loopback addresses are used; every loop is bounded.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DXDAY = ROOT / ".venv" / "bin" / "dxday"


def wait_for(url: str, timeout: float) -> float:
    """Seconds until url answers 200, polling every 50 ms; raises after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def bench_load_reference(rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as var:
            env = {**os.environ, "DXDAY_VAR_DIR": var,
                   "DATABASE_URL": f"sqlite:///{var}/dxday.sqlite3"}
            subprocess.run([DXDAY, "migrate", "--no-input", "-v", "0"], env=env, check=True)
            started = time.monotonic()
            out = subprocess.run([DXDAY, "load_reference"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            times.append(time.monotonic() - started)
            assert "created 3493" in out, out
    return times


def bench_make_run(rounds: int, port: int) -> list[float]:
    subprocess.run(["make", "setup"], cwd=ROOT, check=True, capture_output=True)
    times = []
    for _ in range(rounds):
        started = time.monotonic()
        process = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            wait_for(f"http://127.0.0.1:{port}/", timeout=60)
            times.append(time.monotonic() - started)
        finally:
            stop(process)
    return times


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def bench_api(requests: int, port: int, database_url: str | None, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "DXDAY_VAR_DIR": var,
               "DATABASE_URL": database_url or f"sqlite:///{var}/dxday.sqlite3"}
        subprocess.run([DXDAY, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([DXDAY, "load_reference"], env=env, check=True, capture_output=True)
        subprocess.run([DXDAY, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
        server = subprocess.Popen(
            [ROOT / ".venv" / "bin" / "gunicorn", "dxday.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}/api/v1/organisations?on=2026-11-28&kind=commune&limit=1000"
        try:
            wait_for(base, timeout=30)

            def one(i: int) -> float:
                url = f"{base}&offset={(i % 4) * 1000}"
                started = time.perf_counter()
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read()
                    assert response.status == 200 and b'"count": 3321' in body
                return time.perf_counter() - started

            for i in range(20):  # warm both workers
                one(i)
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                started = time.monotonic()
                latencies = list(pool.map(one, range(requests)))
                elapsed = time.monotonic() - started
        finally:
            stop(server)
    ms = [t * 1000 for t in latencies]
    return {"requests": requests, "concurrency": concurrency,
            "p50": statistics.median(ms), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
            "rps": requests / elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", metavar="SERVER_URL", nargs="?",
                        const="postgres://postgres@127.0.0.1:5432",
                        help="also measure the API on PostgreSQL, in a database dxday_bench "
                             "created on this server and dropped after")
    parser.add_argument("--skip-make-run", action="store_true")
    args = parser.parse_args()

    load = bench_load_reference(args.rounds)
    print(f"load_reference from empty: median {statistics.median(load):.2f} s, "
          f"max {max(load):.2f} s over {len(load)} rounds")
    if not args.skip_make_run:
        runs = bench_make_run(args.rounds, args.port)
        print(f"make run (set up) until serving: median {statistics.median(runs):.2f} s, "
              f"max {max(runs):.2f} s over {len(runs)} rounds")
    targets = [("SQLite", None)]
    if args.postgres:
        targets.append(("PostgreSQL", f"{args.postgres}/dxday_bench"))
    for label, url in targets:
        if url:
            postgres_database(args.postgres, create=True)
        try:
            for concurrency in (1, 4):
                r = bench_api(args.requests, args.port + 1, url, concurrency)
                print(f"API communes limit=1000 on {label}, {concurrency} client(s): "
                      f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, "
                      f"{r['rps']:.0f} req/s over {r['requests']} requests")
                if url:  # the next round starts from an empty database again
                    postgres_database(args.postgres, create=True)
        finally:
            if url:
                postgres_database(args.postgres, create=False)
    return 0


def postgres_database(server: str, *, create: bool) -> None:
    """(Re)create, or drop, the benchmark's own database dxday_bench."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dxday_bench")
        if create:
            conn.execute("CREATE DATABASE dxday_bench")


if __name__ == "__main__":
    sys.exit(main())
