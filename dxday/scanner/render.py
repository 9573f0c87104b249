"""The browser pass: render a page in headless Chromium, then look at what is really shown.

Every request the browser makes is answered by :class:`~dxday.lib.http.SafeFetcher` through
Playwright's routing, so the browser obeys the same policy as the static pass (refused addresses
blocked, redirects checked, bodies capped); only GET is allowed. Nothing else leaves the browser
(docs/decisions/0011): its proxy is a loopback port that refuses every connection (loopback
addresses included), so whatever the routing does not see — speculative prefetches,
pre-connections, WebSockets of workers, Chromium's own background requests — reaches nothing;
its network stack resolves no name and connects to no address but the proxy's; WebRTC may use
neither UDP nor a direct connection, and is removed from the pages' scripts; service workers are
blocked and WebSockets closed. The rendered boxes of images give the logo's displayed scale;
when no image matches, the screenshot itself is searched (canvas, CSS sprites, images built by
scripts).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket

from playwright.sync_api import Error as PlaywrightError

from dxday.lib.http import FetchError, SafeFetcher

from .detect import Matcher
from .images import ImageError, decode, decode_data_uri, rasterise_svg

CHROMIUM = os.environ.get("DXDAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Chromium keeps only the last --disable-features switch: Playwright's own list (which it puts
# before ours) is repeated here, then ours.
DISABLED_FEATURES = [
    # Playwright 1.65's list
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    # ours
    "Translate", "InterestFeedContentSuggestions",
]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-domain-reliability", "--no-pings", "--disable-quic", "--no-first-run",
    # WebRTC may use neither UDP nor a direct TCP connection, only the proxy (which refuses).
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    # One page at a time: keep the browser small (site isolation would start a process per
    # frame origin; every request is answered by the SafeFetcher anyway).
    "--disable-site-isolation-trials", "--renderer-process-limit=2",
    "--js-flags=--max-old-space-size=256",
    "--disable-features=" + ",".join(DISABLED_FEATURES),
]
# The browser's proxy: a loopback port bound for the browser's lifetime and never listening, so
# every connection to it is refused at once (nothing to wait for, and no one else can take it).
PROXY_HOST = "127.0.0.1"
# Removes WebRTC and WebTransport from the scripts of every document it runs in. A script can
# still reach them through a fresh frame or popup, so the WebRTC policy and the proxy above are
# what hold; this keeps ordinary pages from even trying.
_NO_PEER_TO_PEER = r"""
(() => {
  for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel",
                      "RTCIceTransport", "RTCIceCandidate", "RTCSessionDescription",
                      "WebTransport"]) {
    try { delete globalThis[name]; } catch (e) {}
    try {
      Object.defineProperty(globalThis, name,
                            {value: undefined, writable: false, configurable: false});
    } catch (e) {}
  }
})();
"""
VIEWPORT = {"width": 1280, "height": 900}
MAX_SCREENSHOT_HEIGHT = 2000
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection",
                 "set-cookie", "strict-transport-security", "alt-svc"}

_COLLECT = r"""
() => {
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    if (out.length >= 400) break;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) continue;
    const box = [r.x + window.scrollX, r.y + window.scrollY, r.width, r.height];
    const tag = el.tagName.toLowerCase();
    if (tag === 'img' && el.currentSrc && el.naturalWidth > 0) {
      out.push({kind: 'img', src: el.currentSrc, box});
    }
    if (s.backgroundImage && s.backgroundImage !== 'none') {
      for (const m of s.backgroundImage.matchAll(/url\("?(.*?)"?\)/g)) {
        out.push({kind: 'bg', src: m[1], box});
      }
    }
    if (tag === 'svg' && !(el.parentElement && el.parentElement.closest('svg'))) {
      out.push({kind: 'svg', html: el.outerHTML.slice(0, 2000000), box});
    }
  }
  return out;
}
"""


def launch_options(proxy_port: int) -> dict:
    """Playwright's launch arguments: Chromium with no way out but a proxy that refuses."""
    return {
        "executable_path": CHROMIUM,
        # The network stack resolves no name (nor connects to an address literal) but the
        # proxy's: names are resolved by the fetcher only.
        "args": [*CHROMIUM_ARGS,
                 f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {PROXY_HOST}"],
        # Playwright adds "<-loopback>" to the bypass list, so loopback addresses go to the
        # proxy too (Chromium bypasses it for them by default).
        "proxy": {"server": f"http://{PROXY_HOST}:{proxy_port}"},
    }


def _closed_port() -> socket.socket:
    """A loopback TCP port that is bound and never listens: connections to it are refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((PROXY_HOST, 0))
    return sock


class Renderer:
    def __init__(self, fetcher: SafeFetcher, matcher: Matcher, *, timeout: float | None = None):
        self.fetcher = fetcher
        self.matcher = matcher
        self.timeout_ms = int((timeout or fetcher.policy.timeout) * 1000)

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        self._proxy = _closed_port()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                **launch_options(self._proxy.getsockname()[1]))
        except BaseException:
            self._playwright.stop()
            self._proxy.close()
            raise
        return self

    def __exit__(self, *exc):
        try:
            self._browser.close()
            self._playwright.stop()
        finally:
            self._proxy.close()

    def check(self, url: str):
        from .scan import Found

        bodies: dict[str, bytes] = {}
        context = self._browser.new_context(
            service_workers="block", viewport=VIEWPORT, accept_downloads=False,
            user_agent=self.fetcher.policy.user_agent, bypass_csp=False)

        def handle(route):
            request = route.request
            if request.method not in ("GET", "HEAD"):
                route.abort("blockedbyclient")
                return
            try:
                kind = request.resource_type
                cap = self.fetcher.policy.max_image_bytes if kind == "image" else \
                    self.fetcher.policy.max_html_bytes
                response = self.fetcher.fetch(request.url, max_bytes=cap)
            except FetchError:
                route.abort("blockedbyclient")
                return
            except Exception:
                route.abort("failed")
                return
            bodies[request.url] = response.content
            headers = {k: v for k, v in response.headers.items()
                       if k.lower() not in _DROP_HEADERS}
            route.fulfill(status=response.status, headers=headers, body=response.content)

        try:
            context.add_init_script(_NO_PEER_TO_PEER)
            context.route("**/*", handle)
            context.route_web_socket("**/*", lambda ws: ws.close())
            page = context.new_page()
            page.set_default_timeout(self.timeout_ms)
            page.goto(url, wait_until="load", timeout=self.timeout_ms)
            # A page that keeps polling never goes idle: look at what is there after 3 s.
            with contextlib.suppress(PlaywrightError):
                page.wait_for_load_state("networkidle", timeout=min(3000, self.timeout_ms))
            page.wait_for_timeout(300)
            items = []
            for frame in page.frames:
                with contextlib.suppress(PlaywrightError):  # a frame that went away
                    items += frame.evaluate(_COLLECT)
            seen = set()
            for item in items:
                key = item.get("src") or item.get("html")
                if key in seen:
                    continue
                seen.add(key)
                match, data, image_url = None, b"", item.get("src") or "inline-svg"
                try:
                    if item["kind"] == "svg":
                        data = item["html"].encode()
                        match = self.matcher.match_image(rasterise_svg(item["html"]))
                    else:
                        src = item["src"]
                        data = decode_data_uri(src) if src.startswith("data:") \
                            else bodies.get(src)
                        if src.startswith("data:"):
                            image_url = "data-uri"
                        if data:
                            match = self.matcher.match_bytes(data)
                except ImageError:
                    continue
                if match:
                    return Found(match, image_url, hashlib.sha256(data).hexdigest(), page.url,
                                 rendered_box=tuple(item["box"]))
            height = min(MAX_SCREENSHOT_HEIGHT,
                         int(page.evaluate("document.documentElement.scrollHeight") or 900))
            png = page.screenshot(clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                        "height": max(1, height)}, full_page=True)
            # The screenshot is the page at its displayed size: look for logos from 40 px.
            match = self.matcher.match_image(decode(png), min_logo=40)
            if match:
                return Found(match, "rendered", hashlib.sha256(png).hexdigest(), page.url,
                             rendered_box=tuple(float(v) for v in match.bbox)
                             if match.bbox else None)
            return None
        finally:
            context.close()
