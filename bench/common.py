"""What the benches share: the national dataset in a var folder, a gunicorn server on
127.0.0.1, timed requests and percentiles, and a surge of concurrent clients. Only loopback
addresses are used; every loop is bounded."""

import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(values) -> str:
    return (f"p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 95):.0f} ms, "
            f"max {max(values):.0f} ms ({len(values)} requests)")


def call(method, url, body=None, headers=None, timeout=60):
    """One request: (status, seconds, body); a refused connection is status 0."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    except OSError:
        status, payload = 0, b""
    return status, time.perf_counter() - started, payload


@contextlib.contextmanager
def national_var(var: Path | None):
    """(var folder, environment) holding the national dataset (bench/dataset.py), built when
    the folder has none (a few minutes), migrated and with its static files collected."""
    holder = None if var else tempfile.TemporaryDirectory()
    var = var or Path(holder.name)
    env = {**os.environ, "DXDAY_VAR_DIR": str(var),
           "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{var}/db.sqlite3")}
    fresh = not (var / "db.sqlite3").exists() and "postgres" not in env["DATABASE_URL"]
    commands = ([["migrate", "--no-input", "-v", "0"], ["load_reference"]] if fresh
                else [["migrate", "--no-input", "-v", "0"]])
    for command in commands:
        subprocess.run([BIN / "dxday", *command], env=env, check=True, capture_output=True)
    if fresh:
        subprocess.run([BIN / "python", ROOT / "bench" / "dataset.py"], env=env, check=True,
                       capture_output=True)
    subprocess.run([BIN / "dxday", "collectstatic", "--no-input", "-v", "0"], env=env,
                   check=True, capture_output=True)
    try:
        yield var, env
    finally:
        if holder:
            holder.cleanup()


def django_script(env: dict, script: str) -> dict:
    """Run ``script`` in `dxday shell`; it prints "BENCH <json>" last, which is returned."""
    done = subprocess.run([BIN / "dxday", "shell", "--no-imports"], input=script, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0 or "BENCH " not in done.stdout:
        raise SystemExit(f"the set-up script failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.rsplit("BENCH ", 1)[1])


@contextlib.contextmanager
def gunicorn(env: dict, *, port: int, workers: int = 2, log: Path):
    """gunicorn serving dxday on 127.0.0.1:port until the block ends; yields its base URL."""
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [BIN / "gunicorn", "dxday.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
             str(workers), "--timeout", "60"], cwd=ROOT, env=env, stdout=log_file,
            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            if call("GET", base + "/healthz")[0] == 200:
                break
            time.sleep(0.05)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def timed_gets(base: str, urls, *, requests: int) -> tuple[dict, list]:
    """p-values of GETs: ``urls`` is [(name, path, headers)]; three warm-up requests each,
    then ``requests`` timed ones. Anonymous API reads are cached (dxday.public.cache): a
    distinct query string each time measures the endpoint itself."""
    timings, errors = {}, []
    for name, path, headers in urls:
        for _ in range(3):
            call("GET", base + path, headers=headers)
        values = []
        for i in range(requests):
            url = base + path + ("&" if "?" in path else "?") + f"n={i}"
            status, seconds, _ = call("GET", url, headers=headers)
            if status != 200:
                errors.append((name, status))
            values.append(seconds * 1000)
        timings[name] = values
    return timings, errors


def surge(clients: dict, act, *, spread: float, seed: int = 17) -> tuple[dict, list, float]:
    """Each client (key → argument) runs ``act(argument) -> [(step, status, seconds)]`` after
    a random delay within ``spread`` seconds, all concurrently. Returns the milliseconds per
    step, the failures and the wall time."""
    times: dict[str, list[float]] = {}
    errors: list = []
    lock = threading.Lock()
    rng = random.Random(seed)

    def run(key, argument, delay):
        time.sleep(delay)
        for step, status, seconds in act(argument):
            with lock:
                times.setdefault(step, []).append(seconds * 1000)
                if status != 200:
                    errors.append((key, step, status))

    threads = [threading.Thread(target=run, args=(key, arg, rng.uniform(0, spread)))
               for key, arg in clients.items()]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=spread + 120)
    return times, errors, time.monotonic() - started


# For set-up scripts run by django_script: a signed-in session (with its second factor) of a
# user, as a cookie value for the timed requests.
SESSION_OF = """
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

def session_of(user):
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key
"""
