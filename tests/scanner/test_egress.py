"""The browser pass reaches nothing but the fetcher.

A hostile page (served on 127.0.0.1) tries every way out of a browser we know of towards
listeners on other loopback addresses: WebRTC (STUN and TURN over UDP and TCP, also from a fresh
frame, a srcdoc frame and a popup, where an init script does not reach), WebTransport,
WebSockets (page and worker), EventSource, sendBeacon, keep-alive fetches, auto-submitted forms,
iframes, preconnect, dns-prefetch, prefetch, prerender, speculation rules, hyperlink pings. The
fetcher used here refuses the listeners' addresses, so whatever a listener receives — a datagram
or even a bare TCP connect — left the browser without going through the fetcher.

A control run with the lockdown removed shows that the probe does see such traffic, and each
network layer is checked on its own, so that one failing is noticed while the other still holds.
Every test runs on both browsers the scanner may use: Debian's headless shell (the default) and
the full Chromium (the fallback); they read different WebRTC switches.
"""

import contextlib
import http.server
import json
import shutil
import socket
import threading
import time

import pytest

from dxday.lib.http import Policy, Refused, SafeFetcher
from dxday.scanner import render

TCP_HOST, UDP_HOST = "127.0.0.2", "127.0.0.3"
TCP = ["preconnect", "preconnect_tls", "dns_prefetch", "prefetch", "prerender", "spec_prefetch",
       "spec_prerender", "iframe", "form_post", "form_get", "img", "preload", "modulepreload",
       "css_import", "ping", "turn_tcp", "frame_turn_tcp", "ws", "ws_worker", "fetch_worker",
       "eventsource", "beacon", "keepalive_post", "keepalive_get", "webtransport_tcp"]
UDP = ["stun", "turn_udp", "frame_stun", "srcdoc_stun", "popup_stun", "webtransport"]
# Requests a page makes through the normal loader: these must reach the fetcher (and be refused
# there), which shows they were routed rather than dropped or sent past it.
ROUTED = {"iframe", "form_get", "img", "preload", "modulepreload", "css_import", "fetch_worker",
          "eventsource", "keepalive_get", "prefetch"}
GRACE = 1.5  # seconds the listeners keep listening after the check (never asserted)


@pytest.fixture(autouse=True, params=["chromium-headless-shell", "chromium"])
def browser(request, monkeypatch):
    path = shutil.which(request.param)
    assert path, f"Debian's {request.param} is missing: run `make setup`"
    monkeypatch.setattr(render, "CHROMIUM", path)
    return path


class Listeners:
    """One TCP listener per channel on TCP_HOST, one UDP socket per channel on UDP_HOST."""

    def __init__(self):
        self.hits: dict[str, list] = {}
        self.tcp: dict[str, int] = {}
        self.udp: dict[str, int] = {}
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._stop = threading.Event()

    def record(self, name, what):
        with self._lock:
            self.hits.setdefault(name, []).append(what)

    def start(self):
        for name in TCP:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((TCP_HOST, 0))
            sock.listen(16)
            sock.settimeout(0.2)
            self._socks.append(sock)
            self.tcp[name] = sock.getsockname()[1]
            threading.Thread(target=self._accept, args=(name, sock), daemon=True).start()
        for name in UDP:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((UDP_HOST, 0))
            sock.settimeout(0.2)
            self._socks.append(sock)
            self.udp[name] = sock.getsockname()[1]
            threading.Thread(target=self._receive, args=(name, sock), daemon=True).start()

    def stop(self):
        self._stop.set()
        for sock in self._socks:
            sock.close()

    def _accept(self, name, sock):
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.record(name, "connect")  # a bare connect counts
            with contextlib.suppress(OSError), conn:
                conn.settimeout(0.5)
                data = conn.recv(200)
                if data:
                    self.record(name, data[:40])

    def _receive(self, name, sock):
        while not self._stop.is_set():
            try:
                data, _ = sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.record(name, data[:20])


def probe_page(ls: Listeners) -> str:
    def t(name):
        return f"{TCP_HOST}:{ls.tcp[name]}"

    def u(name):
        return f"{UDP_HOST}:{ls.udp[name]}"

    def ice(stun, turn_udp, turn_tcp):
        return json.dumps({"iceServers": [
            {"urls": [f"stun:{stun}"]},
            {"urls": [f"turn:{turn_udp}?transport=udp", f"turn:{turn_tcp}?transport=tcp"],
             "username": "u", "credential": "p"}]})

    rules = json.dumps({
        "prefetch": [{"source": "list", "urls": [f"http://{t('spec_prefetch')}/p"]}],
        "prerender": [{"source": "list", "urls": [f"http://{t('spec_prerender')}/r"]}]})
    worker = json.dumps(f"try {{ new WebSocket('ws://{t('ws_worker')}/w'); }} catch (e) {{}}"
                        f"try {{ fetch('http://{t('fetch_worker')}/f'); }} catch (e) {{}}")
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng</title>
<link rel="preconnect" href="http://{t('preconnect')}/">
<link rel="preconnect" href="https://{t('preconnect_tls')}/" crossorigin>
<link rel="dns-prefetch" href="http://{t('dns_prefetch')}/">
<link rel="dns-prefetch" href="//probe-dns-prefetch.invalid">
<link rel="prefetch" href="http://{t('prefetch')}/prefetch">
<link rel="prerender" href="http://{t('prerender')}/prerender">
<link rel="preload" as="image" href="http://{t('preload')}/i.png">
<link rel="modulepreload" href="http://{t('modulepreload')}/m.js">
<style>@import url("http://{t('css_import')}/s.css");</style>
<script type="speculationrules">{rules}</script>
</head><body><h1>Cổng thông tin</h1>
<a id="ping" ping="http://{t('ping')}/ping" href="#tin">tin</a>
<iframe src="http://{t('iframe')}/frame"></iframe>
<img src="http://{t('img')}/logo.png" alt="">
<iframe name="fp"></iframe><iframe name="fg"></iframe>
<form id="fpost" method="post" action="http://{t('form_post')}/f" target="fp">
<input name="a" value="1"></form>
<form id="fget" method="get" action="http://{t('form_get')}/f" target="fg">
<input name="a" value="1"></form>
<script>
function peer(win, config) {{
  try {{
    const PC = win.RTCPeerConnection || win.webkitRTCPeerConnection;
    const pc = new PC(config);
    pc.createDataChannel("x");
    pc.createOffer().then(o => pc.setLocalDescription(o)).catch(() => {{}});
    window.keep = (window.keep || []).concat([pc]);
  }} catch (e) {{}}
}}
peer(window, {ice(u('stun'), u('turn_udp'), t('turn_tcp'))});
try {{
  const f = document.createElement("iframe"); document.body.appendChild(f);
  peer(f.contentWindow, {ice(u('frame_stun'), u('frame_stun'), t('frame_turn_tcp'))});
}} catch (e) {{}}
try {{
  const s = document.createElement("iframe"); s.srcdoc = "<p>x</p>";
  s.onload = () => peer(s.contentWindow, {ice(u('srcdoc_stun'), u('srcdoc_stun'),
                                             u('srcdoc_stun'))});
  document.body.appendChild(s);
}} catch (e) {{}}
try {{
  peer(window.open("about:blank"), {ice(u('popup_stun'), u('popup_stun'), u('popup_stun'))});
}} catch (e) {{}}
for (const [url, name] of [["https://{u('webtransport')}/wt", "udp"],
                           ["https://{t('webtransport_tcp')}/wt", "tcp"]]) {{
  try {{
    const wt = new WebTransport(url); wt.ready.catch(() => {{}}); wt.closed.catch(() => {{}});
  }} catch (e) {{}}
}}
try {{ new WebSocket("ws://{t('ws')}/ws"); }} catch (e) {{}}
try {{ new Worker(URL.createObjectURL(new Blob([{worker}]))); }} catch (e) {{}}
try {{ new EventSource("http://{t('eventsource')}/es"); }} catch (e) {{}}
try {{ navigator.sendBeacon("http://{t('beacon')}/b", "x"); }} catch (e) {{}}
try {{
  fetch("http://{t('keepalive_post')}/k", {{method: "POST", body: "x", keepalive: true,
                                              mode: "no-cors"}}).catch(() => {{}});
  fetch("http://{t('keepalive_get')}/k", {{keepalive: true, mode: "no-cors"}})
    .catch(() => {{}});
}} catch (e) {{}}
document.getElementById("fpost").submit();
document.getElementById("fget").submit();
document.getElementById("ping").click();
</script></body></html>"""


class ProbeFetcher(SafeFetcher):
    """The fetcher, refusing the listeners (as a real one refuses inside addresses)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def fetch(self, url, **kwargs):
        self.asked.append(url)
        if f"//{TCP_HOST}:" in url or f"//{UDP_HOST}:" in url:
            raise Refused("a probe listener")
        return super().fetch(url, **kwargs)


class NoMatch:
    """Stands in for the kit matcher: this test looks at the network, not at logos."""

    def match_bytes(self, *args, **kwargs):
        return None

    def match_image(self, *args, **kwargs):
        return None


@pytest.fixture()
def probe():
    """Fresh listeners and page per test, so nothing from one run is counted in another."""
    listeners = Listeners()
    listeners.start()
    page = probe_page(listeners).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = page if self.path == "/" else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield listeners, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    listeners.stop()


def visit(probe):
    """Render the probe page once; return (listener hits, channels the fetcher was asked for)."""
    listeners, url = probe
    fetcher = ProbeFetcher(Policy(allow_private=True, timeout=5.0, connect_timeout=2.0,
                                  respect_robots=False))
    with fetcher, render.Renderer(fetcher, NoMatch()) as renderer:
        assert renderer.check(url) is None
        time.sleep(GRACE)  # late leaks (keep-alive, ICE retries) still land while the browser lives
    time.sleep(0.5)
    ports = {port: name for name, port in listeners.tcp.items()}
    asked = {ports[int(u.split("/")[2].split(":")[1])] for u in fetcher.asked
             if f"//{TCP_HOST}:" in u}
    return dict(listeners.hits), asked


def test_the_listeners_receive_nothing(probe):
    hits, asked = visit(probe)
    assert hits == {}
    assert asked >= ROUTED  # ordinary requests were routed to the fetcher (and refused there)
    assert not asked & {"form_post", "beacon", "keepalive_post", "ping"}  # only GET is routed


def _without(monkeypatch, *, proxy=False, resolver_rules=False, webrtc_policy=False,
             init_script=False):
    options = render.launch_options

    def patched(port):
        launch = options(port)
        if proxy:
            launch.pop("proxy")
        launch["args"] = [a for a in launch["args"]
                          if not (resolver_rules and a.startswith("--host-resolver-rules"))
                          and not (webrtc_policy and "webrtc-ip-handling-policy" in a)]
        return launch

    monkeypatch.setattr(render, "launch_options", patched)
    if init_script:
        monkeypatch.setattr(render, "_NO_PEER_TO_PEER", "void 0;")


def test_control_without_the_lockdown_the_probe_sees_traffic(probe, monkeypatch):
    """Not vacuous: with only the routing, traffic leaves the browser and the probe sees it."""
    _without(monkeypatch, proxy=True, resolver_rules=True, webrtc_policy=True, init_script=True)
    hits, _ = visit(probe)
    assert set(hits) & set(UDP), hits  # STUN/TURN datagrams
    assert set(hits) & set(TCP), hits  # connections past the routing


@pytest.mark.parametrize("layer", ["proxy", "resolver_rules"])
def test_each_network_layer_holds_alone(probe, monkeypatch, layer):
    """The refusing proxy and the resolver rules each stop every TCP way out on their own; the
    WebRTC policy stops UDP, even from frames the init script does not reach."""
    other = "resolver_rules" if layer == "proxy" else "proxy"
    _without(monkeypatch, init_script=True, **{other: True})
    hits, _ = visit(probe)
    assert hits == {}
