"""Drill: PostgreSQL restarted under load.

A throwaway PostgreSQL 15 cluster (initdb as the postgres user, its own port and folder) serves
dxday through gunicorn and a `dxday worker`. Clients read public pages that must hit the
database (each URL different, so the page cache cannot answer), the API and /healthz. Then
PostgreSQL is stopped for a while and started again. Expected: while it is down every answer
is a 503 (the Vietnamese/English "temporarily unavailable" page, or /healthz saying the
database is down) and never a 500 or a dropped connection; once it is back, answers are 200
again within seconds, with no restart of gunicorn or of the worker, and /healthz sees the
worker's heartbeat again.

    .venv/bin/python bench/drill_postgres.py [--down 10] [--clients 8] [--json]

Needs root (to run initdb as postgres) and Debian's postgresql-15 binaries.
"""

import argparse
import collections
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*args, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], check=True,
                          capture_output=True, text=True, timeout=120, **kwargs)


class Cluster:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.log = root / "postgres.log"

    def init(self):
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root, "postgres", "postgres")
        as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                    "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")

    def start(self):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-o",
                    f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                    "-c fsync=off", "start")

    def stop(self):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, name="dxday"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def get(url: str, timeout: float = 10) -> tuple[int | str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:  # refused, reset, timed out: the web process failed
        return type(error).__name__, b""


def drill(*, up: float, down: float, after: float, clients: int,
          static: Path | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="dxday-pg-drill-"))
    work.chmod(0o755)  # the postgres user walks through it to its cluster
    cluster = Cluster(work / "pg")
    processes = []
    try:
        cluster.init()
        cluster.start()
        as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", cluster.port, "dxday")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DATABASE_URL": cluster.url(), "DXDAY_VAR_DIR": str(work / "var"),
               "DEBUG": "false", "SITE_URL": base, "WEB_CONCURRENCY": "2", "WEB_THREADS": "4",
               "WORKER_HEARTBEAT_SECONDS": "1", "WORKER_STALE_SECONDS": "5",
               "WEB_ACCESS_LOG": str(work / "access.log")}
        env.pop("TASKS_BACKEND", None)
        commands = [["migrate", "--no-input", "-v", "0"], ["load_reference"]]
        if static:  # static files already collected: used in place
            (work / "var").mkdir()
            (work / "var" / "static").symlink_to(static.resolve(), target_is_directory=True)
        else:
            commands.append(["collectstatic", "--no-input", "-v", "0"])
        for args in commands:
            subprocess.run([BIN / "dxday", *args], env=env, check=True, capture_output=True,
                           timeout=300)
        log = (work / "processes.log").open("w")
        processes.append(subprocess.Popen(
            [BIN / "gunicorn", "-c", "dxday/gunicorn.conf.py", "dxday.wsgi", "--bind",
             f"127.0.0.1:{port}"], env=env, stdout=log, stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[1], start_new_session=True))
        processes.append(subprocess.Popen(
            [BIN / "dxday", "worker", "--no-startup-delay"], env=env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 60
        while get(base + "/healthz", 2)[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("the platform did not become healthy")
            time.sleep(0.5)

        phase = {"name": "up"}
        seen: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        pages_ok = {"503-page": 0}
        stop = threading.Event()
        first_ok_after_restart: list[float] = []
        restarted_at = [0.0]

        def client(n: int):
            rng = random.Random(n)
            while not stop.is_set():
                choice = rng.random()
                if choice < 0.4:
                    url = f"{base}/api/v1/organisations?limit=5&offset={rng.randrange(90)}"
                elif choice < 0.7:
                    url = f"{base}/search/?q=s%E1%BB%91+{rng.randrange(10**6)}"
                elif choice < 0.85:
                    url = f"{base}/campaigns/2026/?v={rng.randrange(10**6)}"
                else:
                    url = f"{base}/healthz"
                status, body = get(url)
                name = phase["name"]
                seen[name][str(status)] += 1
                if status == 503 and "Hệ thống tạm thời gián đoạn".encode() in body:
                    pages_ok["503-page"] += 1
                needs_db = "/api/" in url or url.endswith("/healthz")
                if name == "after" and status == 200 and needs_db and not first_ok_after_restart:
                    first_ok_after_restart.append(time.monotonic() - restarted_at[0])

        threads = [threading.Thread(target=client, args=(n,), daemon=True)
                   for n in range(clients)]
        for thread in threads:
            thread.start()
        time.sleep(up)
        phase["name"] = "down"
        cluster.stop()
        time.sleep(down)
        healthz_down = json.loads(get(base + "/healthz")[1] or b"{}")
        phase["name"] = "after"
        restarted_at[0] = time.monotonic()
        cluster.start()
        time.sleep(after)
        stop.set()
        for thread in threads:
            thread.join(15)
        healthz_after = get(base + "/healthz")
        alive = [p.poll() is None for p in processes]
        return {
            "statuses": {k: dict(v) for k, v in seen.items()},
            "down_503_pages": pages_ok["503-page"],
            "healthz_while_down": healthz_down,
            "healthz_after": [healthz_after[0], json.loads(healthz_after[1] or b"{}")],
            "seconds_to_first_200_after_restart": round(first_ok_after_restart[0], 2)
            if first_ok_after_restart else None,
            "processes_alive": alive,
        }
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, 15)
                process.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, 9)
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def verdict(result: dict) -> list[str]:
    """What went wrong, if anything."""
    problems = []
    statuses = result["statuses"]
    if set(statuses.get("up", {})) - {"200"}:
        problems.append(f"errors before the outage: {statuses['up']}")
    if set(statuses.get("down", {})) - {"200", "503"}:
        problems.append(f"answers other than 503 while down: {statuses['down']}")
    if not statuses.get("down", {}).get("503"):
        problems.append("no 503 seen while the database was down")
    if result["down_503_pages"] == 0:
        problems.append("the 503 page was never shown")
    if result["healthz_while_down"].get("database") != "down":
        problems.append(f"/healthz while down: {result['healthz_while_down']}")
    after = statuses.get("after", {})
    if set(after) - {"200", "503"}:
        problems.append(f"answers other than 200/503 after the restart: {after}")
    if result["healthz_after"][0] != 200:
        problems.append(f"/healthz after the restart: {result['healthz_after']}")
    if result["seconds_to_first_200_after_restart"] is None:
        problems.append("never recovered")
    if not all(result["processes_alive"]):
        problems.append("a web or worker process died")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--up", type=float, default=5)
    parser.add_argument("--down", type=float, default=10)
    parser.add_argument("--after", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--static", type=Path, help="collected static files to use (else "
                        "collectstatic runs: it compresses every file, which takes minutes)")
    args = parser.parse_args()
    result = drill(up=args.up, down=args.down, after=args.after, clients=args.clients,
                   static=args.static)
    problems = verdict(result)
    if args.json:
        print(json.dumps({**result, "problems": problems}, ensure_ascii=False))
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        print("PASS" if not problems else "FAIL:\n  " + "\n  ".join(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
