"""The SSRF-safe fetcher: every refused case refused, caps and timeouts hold, politeness kept."""

import contextlib
import gzip
import http.server
import threading
import time

import pytest

from dxday.lib.http import FetchError, Policy, Refused, SafeFetcher, check_url

REFUSED = [
    "http://127.0.0.1/", "http://localhost/", "http://0.0.0.0/", "http://2130706433/",
    "http://0177.0.0.1/", "http://0x7f.1/", "http://0x7f000001/", "http://127.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/",
    "http://169.254.169.254/latest/meta-data/", "http://100.100.100.200/",
    "http://metadata.google.internal/", "http://100.64.0.1/", "http://10.0.0.1/",
    "http://10.255.255.254/", "http://172.16.0.1/", "http://172.31.255.1/",
    "http://192.168.0.1/", "http://192.168.255.255/", "http://224.0.0.1/", "http://240.0.0.1/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://[fd00:ec2::254]/", "http://[::]/",
    "http://user:pass@example.com/", "http://user@example.com/", "file:///etc/passwd",
    "ftp://example.com/", "gopher://example.com/", "dict://127.0.0.1:11211/", "javascript:alert(1)",
    "data:text/html,hi", "//example.com/", "http:///", "http://[::1/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused(url):
    with pytest.raises(Refused) as info:
        check_url(url)
    assert info.value.reason == "refused"
    with SafeFetcher() as fetcher, pytest.raises(Refused):
        fetcher.fetch(url)


def test_metadata_refused_even_when_private_is_allowed():
    policy = Policy(allow_private=True)
    for url in ("http://169.254.169.254/", "http://100.100.100.200/", "http://[fd00:ec2::254]/"):
        with pytest.raises(Refused, match="metadata"):
            check_url(url, policy=policy)
    assert check_url("http://127.0.0.1:8000/", policy=policy).ip == "127.0.0.1"


def test_public_address_allowed_and_pinned():
    target = check_url("http://8.8.8.8:8080/x?y=1")
    assert (target.ip, target.port, target.host) == ("8.8.8.8", 8080, "8.8.8.8")


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []
    active = 0
    peak = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        cls = type(self)
        counted = self.path == "/wait"
        with cls.lock:
            cls.active += counted
            cls.peak = max(cls.peak, cls.active)
            cls.seen.append((self.path, dict(self.headers)))
        route = cls.routes.get(self.path.split("?")[0], (404, {}, b"", 0))
        status, headers, body, delay = route
        time.sleep(delay)
        with cls.lock:  # counted while the request is handled, up to the answer
            cls.active -= counted
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    Handler.routes = {
        "/robots.txt": (200, {}, b"User-agent: dxday-kit-check\nDisallow: /private/\n", 0),
        "/ok": (200, {"Content-Type": "text/html"}, b"<p>xin chao</p>", 0),
        "/big": (200, {}, b"x" * (6 * 1024 * 1024), 0),
        "/bomb": (200, {"Content-Encoding": "gzip"}, bomb, 0),
        "/slow": (200, {}, b"late", 3),
        "/hop": (302, {"Location": "/ok"}, b"", 0),
        "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/"}, b"", 0),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b"", 0),
        "/loop-a": (302, {"Location": "/loop-b"}, b"", 0),
        "/loop-b": (302, {"Location": "/loop-a"}, b"", 0),
        "/private/x": (200, {}, b"secret", 0),
        "/wait": (200, {}, b"w", 0.3),
        **{f"/r{i}": (302, {"Location": f"/r{i + 1}"}, b"", 0) for i in range(8)},
    }
    yield base
    httpd.shutdown()


def fetcher(**kw):
    return SafeFetcher(Policy(allow_private=True, **kw))


def test_loopback_refused_by_default(server):
    with SafeFetcher() as f, pytest.raises(Refused, match="loopback"):
        f.fetch(server + "/ok")


def test_fetch_ok_with_honest_user_agent(server):
    with fetcher() as f:
        response = f.fetch(server + "/hop")
    assert response.status == 200 and response.content == b"<p>xin chao</p>"
    assert response.url.endswith("/ok") and response.redirects == [server + "/ok"]
    agent = next(h for p, h in Handler.seen if p == "/ok")["User-Agent"]
    assert agent.startswith("dxday-kit-check/") and "+https://" in agent


def test_redirect_to_refused_address_is_refused(server):
    with fetcher() as f:
        with pytest.raises(Refused, match="metadata"):
            f.fetch(server + "/to-metadata")
        with pytest.raises(Refused, match="scheme"):
            f.fetch(server + "/to-file")


def test_redirect_loop_and_too_many_redirects(server):
    with fetcher() as f:
        with pytest.raises(FetchError) as loop:
            f.fetch(server + "/loop-a")
        assert loop.value.reason == "redirect_loop"
        with pytest.raises(FetchError) as many:
            f.fetch(server + "/r0")
        assert many.value.reason == "redirects"


def test_body_caps_and_decompression_bomb(server):
    with fetcher() as f:
        with pytest.raises(FetchError) as big:
            f.fetch(server + "/big")
        assert big.value.reason == "too_large"
        with pytest.raises(FetchError) as bomb:
            f.fetch(server + "/bomb", max_bytes=10 * 1024 * 1024)
        assert bomb.value.reason == "too_large"


def test_timeout(server):
    with fetcher(timeout=1.0, connect_timeout=1.0) as f:
        started = time.monotonic()
        with pytest.raises(FetchError) as info:
            f.fetch(server + "/slow")
    assert info.value.reason == "timeout" and time.monotonic() - started < 2.5


def test_connection_refused():
    with fetcher() as f, pytest.raises(FetchError) as info:
        f.fetch("http://127.0.0.1:9/")
    assert info.value.reason == "connection_refused"


def test_robots_txt_obeyed(server):
    with fetcher() as f, pytest.raises(FetchError) as info:
        f.fetch(server + "/private/x")
    assert info.value.reason == "robots"


def test_at_most_two_requests_per_host(server):
    Handler.peak = 0
    with fetcher() as f:
        threads = [threading.Thread(target=f.fetch, args=(server + "/wait",)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert Handler.peak == 2
