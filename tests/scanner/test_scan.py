"""The scanner on the labelled corpus, through `dxday scan` and through the Python API."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from dxday.lib.http import Policy
from dxday.scanner.detect import Matcher
from dxday.scanner.scan import Scanner
from dxday.scanner.workers import MatcherPool

NEEDS_BROWSER = {"js_inserted"}


@pytest.fixture(scope="module")
def static_results(labelled, served, kit_dir):
    scanner = Scanner(Matcher.from_directory(kit_dir), render=False, concurrency=6,
                      policy=Policy(allow_private=True, timeout=2.0, connect_timeout=1.0))
    try:
        return dict(zip([s.name for s in labelled.sites], scanner.scan(served.urls), strict=True))
    finally:
        scanner.close()


@pytest.mark.parametrize("case", [
    "exact", "resized", "jpeg", "webp", "gif", "png_reencoded", "white_on_dark", "banner",
    "banner_cropped", "banner_white", "css_inline", "css_linked", "css_import", "svg_file",
    "inline_svg", "srcset", "picture", "data_uri", "lazy", "iframe", "redirects", "small",
    "banner_kit",
    "broken_named", "link_only", "text_only", "named_unrelated", "negative", "lookalike",
    "stranger", "same_colours", "unused_css", "hidden", "og_image", "plain",
    "http_404", "http_500", "timeout", "redirect_loop", "too_many_redirects", "refused",
])
def test_static_pass_verdict(labelled, static_results, case):
    site = next(s for s in labelled.sites if s.name == case)
    result = static_results[case]
    assert result["verdict"] == site.label, result
    if site.label == "present":
        evidence = result["evidence"]
        assert evidence["method"] in {"sha256", "whole", "template", "features"}
        assert len(evidence["sha256"]) == 64 and evidence["crop"].startswith("data:image/png")
        assert evidence["scanner_version"] and evidence["final_url"].startswith("http://127.")
        assert result["score"] >= 0.7
    elif site.label == "error":
        assert result["error"] and result["evidence"] is None and result["score"] is None
    else:
        assert result["error"] is None and result["evidence"]["method"] is None


def test_evidence_points_at_the_logo(static_results):
    assert static_results["exact"]["evidence"]["method"] == "sha256"
    assert static_results["data_uri"]["evidence"]["image_url"] == "data-uri"
    assert static_results["inline_svg"]["evidence"]["image_url"] == "inline-svg"
    assert static_results["css_linked"]["evidence"]["image_url"].endswith("/assets/img/badge.png")
    assert static_results["redirects"]["evidence"]["final_url"].endswith("/final/")
    banner = static_results["banner"]["evidence"]
    assert banner["method"] == "template" and len(banner["bbox"]) == 4 and banner["bbox"][2] > 60


def test_worker_processes_decide_as_the_scanning_process_does(labelled, served, kit_dir,
                                                             static_results):
    """Images decided in two worker processes: the same verdicts, scores and evidence of
    absence as in the scanning process, and the work really left it."""
    scanner = Scanner(Matcher.from_directory(kit_dir), render=False, concurrency=6, workers=2,
                      policy=Policy(allow_private=True, timeout=2.0, connect_timeout=1.0))
    try:
        results = dict(zip([s.name for s in labelled.sites], scanner.scan(served.urls),
                           strict=True))
        pids = scanner.pool.pids()
        assert 1 <= len(pids) <= 2 and os.getpid() not in pids
    finally:
        scanner.close()
    for name, result in results.items():
        alone = static_results[name]
        assert (result["verdict"], result["score"], result["error"]) == \
            (alone["verdict"], alone["score"], alone["error"]), name
        if alone["evidence"]:
            assert result["evidence"]["method"] == alone["evidence"]["method"], name
            assert result["evidence"].get("bbox") == alone["evidence"].get("bbox"), name


def test_a_dead_matcher_process_never_becomes_a_verdict(labelled, kit_dir):
    """A matcher process killed (out of memory, a signal): the pool starts again once, then the
    scanning process decides; every answer is the one the matcher gives in this process."""
    matcher = Matcher.from_directory(kit_dir)
    banner = next(s for s in labelled.sites if s.name == "banner")
    data = next(v for k, v in banner.files.items() if k.endswith((".png", ".jpg")))
    expected = matcher.match_bytes(data)
    assert expected is not None
    pool = MatcherPool(matcher, workers=2)
    try:
        for round_ in range(3):
            match = pool.match_bytes(data)
            assert (match.method, match.score, match.bbox) == \
                (expected.method, expected.score, expected.bbox), round_
            assert pool.match_bytes(b"not an image") is None
            pids = pool.pids()
            assert (1 <= len(pids) <= 2) if round_ < 2 else pids == []  # started on demand
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.3)
    finally:
        pool.close()


def test_matcher_processes_ignore_a_stop_signal_and_leave_with_their_parent(kit_dir):
    pool = MatcherPool(Matcher.from_directory(kit_dir), workers=1)
    try:
        assert pool.match_bytes(b"not an image") is None  # started
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGTERM)
        time.sleep(0.5)
        assert pool.pids() == [pid]
    finally:
        pool.close()
    # the scanning process killed outright: its matcher processes leave too
    script = ("import sys, time\n"
              "from dxday.scanner.detect import Matcher\n"
              "from dxday.scanner.workers import MatcherPool\n"
              "pool = MatcherPool(Matcher.from_directory(sys.argv[1]), workers=2)\n"
              "pool.match_bytes(b'x')\n"
              "print(*pool.pids(), flush=True)\n"
              "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script, str(kit_dir)],
                              stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert pids
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in pids):
        time.sleep(0.2)
    assert not any(os.path.exists(f"/proc/{p}") for p in pids)


def test_error_reasons(static_results):
    assert static_results["http_404"]["error"] == "HTTP 404"
    assert static_results["http_500"]["error"] == "HTTP 500"
    assert "timed out" in static_results["timeout"]["error"]
    assert "loop" in static_results["redirect_loop"]["error"]
    assert "redirects" in static_results["too_many_redirects"]["error"]
    assert "refused" in static_results["refused"]["error"]


def test_script_inserted_logo_needs_the_static_pass_to_fail_first(static_results):
    assert static_results["js_inserted"]["verdict"] == "absent"


@pytest.mark.slow
def test_browser_pass(labelled, served, kit_dir):
    """Chromium renders what scripts insert; it also keeps absent pages absent."""
    names = ["js_inserted", "plain", "hidden"]
    urls = [served.urls[[s.name for s in labelled.sites].index(n)] for n in names]
    scanner = Scanner(Matcher.from_directory(kit_dir), render=True, concurrency=2,
                      policy=Policy(allow_private=True, timeout=5.0))
    try:
        results = dict(zip(names, scanner.scan(urls), strict=True))
    finally:
        scanner.close()
    assert results["js_inserted"]["verdict"] == "present"
    assert results["js_inserted"]["evidence"]["rendered_box"][2] == pytest.approx(180, abs=2)
    assert results["plain"]["verdict"] == "absent"
    assert results["hidden"]["verdict"] == "absent"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dxday.cli", "scan", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_contract(labelled, served, kit_dir):
    names = ["exact", "plain", "http_404", "banner"]
    urls = [served.urls[[s.name for s in labelled.sites].index(n)] for n in names]
    done = run_cli("--kit", str(kit_dir), "--allow-private", "--no-render", "--timeout", "3",
                   "--concurrency", "2", *urls)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["url"] for line in lines] == urls
    assert [line["verdict"] for line in lines] == ["present", "absent", "error", "present"]
    for line in lines:
        assert set(line) == {"url", "verdict", "score", "evidence", "error"}


def test_cli_refuses_loopback_without_the_flag(served, kit_dir):
    done = run_cli("--kit", str(kit_dir), "--no-render", served.urls[0], "http://10.0.0.1/",
                   "http://169.254.169.254/", "file:///etc/passwd")
    assert done.returncode == 0
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["verdict"] for line in lines] == ["error"] * 4
    assert all("refused" in line["error"] or "not allowed" in line["error"] for line in lines)


def test_cli_bad_arguments(tmp_path):
    assert run_cli("--kit", str(tmp_path / "missing"), "http://example.vn/").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_cli("--kit", str(empty), "http://example.vn/")
    assert done.returncode == 2 and "no reference image" in done.stderr
    (empty / "broken.png").write_bytes(b"not a png")
    done = run_cli("--kit", str(empty), "http://example.vn/")
    assert done.returncode == 2 and "broken.png" in done.stderr
