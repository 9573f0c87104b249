"""The scanner on the labelled corpus, through `dxday scan` and through the Python API."""

import json
import os
import subprocess
import sys

import pytest

from dxday.lib.http import Policy
from dxday.scanner.detect import Matcher
from dxday.scanner.scan import Scanner

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
        processes = scanner.pool._executor._processes
        assert len(processes) == 2 and all(p.pid != os.getpid() for p in processes.values())
    finally:
        scanner.close()
    for name, result in results.items():
        alone = static_results[name]
        assert (result["verdict"], result["score"], result["error"]) == \
            (alone["verdict"], alone["score"], alone["error"]), name
        if alone["evidence"]:
            assert result["evidence"]["method"] == alone["evidence"]["method"], name
            assert result["evidence"].get("bbox") == alone["evidence"].get("bbox"), name


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
