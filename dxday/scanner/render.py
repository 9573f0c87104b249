"""The browser pass: render a page in headless Chromium, then look at what is really shown.

Every request the browser makes is answered by :class:`~dxday.lib.http.SafeFetcher` through
Playwright's routing, so the browser obeys the same policy as the static pass (refused addresses
blocked, redirects checked, bodies capped); only GET is allowed. Nothing else leaves the browser
(docs/decisions/0011): its proxy is a loopback port that refuses every connection (loopback
addresses included), so whatever the routing does not see — speculative prefetches,
pre-connections, WebSockets of workers, Chromium's own background requests — reaches nothing;
its network stack resolves no name and connects to no address but the proxy's; WebRTC may use
neither UDP nor a direct connection, and is removed from the pages' scripts; service workers are
blocked and WebSockets closed. The rendered boxes of images give the logo's displayed scale.

Throughput (docs/decisions/0013): one browser for a whole scan, a fresh context per page, several
pages at once (Playwright's asyncio API on a thread of its own; fetches and matching run on a
thread pool). What cannot hold an image is never fetched (fonts, media, text tracks, manifests,
pings, reports; only GET and HEAD at all). A page is looked at once its network has been quiet
for a moment after ``load`` (at most a few seconds), not after Chromium's fixed ``networkidle``
half-second. Images whose bytes the static pass already examined are not matched again. The
screenshot is searched only when something displayed cannot be examined as a file: a canvas, a
video, a plugin, a ``blob:`` image, an inline SVG drawing from other files, an image whose bytes
the routing never saw or that does not decode.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import socket
import threading
import time

from playwright.async_api import Error as PlaywrightError

from dxday.lib.http import FetchError, SafeFetcher

from .detect import Matcher
from .images import ImageError, decode, decode_data_uri, rasterise_svg

# Debian's headless shell (package chromium-headless-shell: the same Chromium without the
# browser's user interface layers) spends a fifth of the full browser's CPU per rendered page
# (docs/decisions/0021); the full browser is the fallback.
CHROMIUM = (os.environ.get("DXDAY_CHROMIUM") or shutil.which("chromium-headless-shell")
            or shutil.which("chromium") or "/usr/bin/chromium")
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
    # (the same, for the headless shell, which has no browser preferences)
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    # Keep the browser small: site isolation would start a process per frame origin (every
    # request is answered by the SafeFetcher anyway).
    "--disable-site-isolation-trials", "--renderer-process-limit=4",
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
# Nothing of these can show an image: never fetched.
BLOCKED_TYPES = {"font", "media", "texttrack", "manifest", "ping", "cspviolationreport",
                 "beacon", "websocket"}
QUIET = 0.5  # seconds without a request in flight after "load" (Chromium's networkidle: 0.5)
SETTLE = 3.0  # at most this long after "load" (a page that keeps polling never settles)
_DROP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection",
                 "set-cookie", "strict-transport-security", "alt-svc"}

_COLLECT = r"""
() => {
  const out = [], pixels = [];
  const urls = (value) => value && value !== 'none'
    ? [...value.matchAll(/url\("?(.*?)"?\)/g)].map(m => m[1]) : [];
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
    if (tag === 'input' && el.type === 'image' && el.src) out.push({kind: 'img', src: el.src, box});
    for (const value of [s.backgroundImage, s.maskImage || s.webkitMaskImage,
                         s.borderImageSource, s.listStyleImage]) {
      for (const src of urls(value)) out.push({kind: 'bg', src, box});
    }
    for (const pseudo of ['::before', '::after']) {
      const p = getComputedStyle(el, pseudo);
      if (!p.content || p.content === 'none' || p.display === 'none') continue;
      for (const src of [...urls(p.content), ...urls(p.backgroundImage)]) {
        out.push({kind: 'bg', src, box});
      }
    }
    if (tag === 'svg' && !(el.parentElement && el.parentElement.closest('svg'))) {
      out.push({kind: 'svg', html: el.outerHTML.slice(0, 2000000), box});
      for (const ref of el.querySelectorAll('use, image, feImage, foreignObject')) {
        const href = ref.getAttribute('href') || ref.getAttribute('xlink:href') || '';
        if (ref.tagName.toLowerCase() === 'foreignobject' || (href && !href.startsWith('#'))) {
          pixels.push('svg drawing from another file');
          break;
        }
      }
    }
    if (['canvas', 'video', 'object', 'embed'].includes(tag)) pixels.push(tag);
  }
  return {items: out, pixels};
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


@dataclasses.dataclass
class Rendered:
    """What the browser pass did on one page."""

    found: object | None  # scan.Found
    seconds: float = 0.0  # from opening the context to the verdict
    requests: int = 0  # answered by the fetcher
    blocked: int = 0  # refused before the fetcher (types that cannot hold an image, non-GET)
    matched: int = 0  # images matched (the static pass had not seen their bytes)
    screenshot: str | None = None  # why the screenshot was searched

    def evidence(self) -> dict:
        return {"seconds": round(self.seconds, 3), "requests": self.requests,
                "blocked": self.blocked, "images_matched": self.matched,
                "screenshot": self.screenshot}


class Renderer:
    """One headless Chromium for many pages: ``render(url)`` returns a future; ``check(url)``
    waits for it. Use as a context manager (the browser starts on enter, stops on exit)."""

    def __init__(self, fetcher: SafeFetcher, matcher: Matcher, *, timeout: float | None = None,
                 pages: int = 4):
        self.fetcher = fetcher
        self.matcher = matcher
        self.timeout = timeout or fetcher.policy.timeout
        self.timeout_ms = int(self.timeout * 1000)
        self.pages = max(1, pages)
        self.launches = 0  # browsers started (one per renderer)

    def __enter__(self):
        self._proxy = _closed_port()
        self._pool = concurrent.futures.ThreadPoolExecutor(self.pages * 3,
                                                           thread_name_prefix="dxday-render")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dxday-browser",
                                        daemon=True)
        self._thread.start()
        self._playwright = self._browser = None
        try:
            self._call(self._start())
        except BaseException:
            self._shutdown()
            raise
        return self

    def __exit__(self, *exc):
        self._shutdown()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _start(self):
        from playwright.async_api import async_playwright

        self._slots = asyncio.Semaphore(self.pages)
        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            **launch_options(self._proxy.getsockname()[1]))
        self.launches += 1

    async def _stop(self):
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            if self._playwright is not None:
                await self._playwright.stop()

    def _shutdown(self):
        try:
            if self._loop.is_running():
                with contextlib.suppress(Exception):
                    self._call(self._stop())
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._thread.join(10)
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._proxy.close()

    # -- pages ----------------------------------------------------------------------------------
    def render(self, url: str, *, known: set[str] | frozenset = frozenset()
               ) -> concurrent.futures.Future:
        """Render ``url`` (waiting for a free page if ``pages`` are open); the future's result
        is a :class:`Rendered`. ``known``: SHA-256 of image bytes already examined."""
        return asyncio.run_coroutine_threadsafe(self._render(url, known), self._loop)

    def check(self, url: str, *, known: set[str] | frozenset = frozenset()):
        """The logo found on the rendered page (a ``scan.Found``), or None."""
        return self.render(url, known=known).result().found

    async def _blocking(self, function, *args, **kwargs):
        return await self._loop.run_in_executor(self._pool,
                                                functools.partial(function, *args, **kwargs))

    async def _render(self, url: str, known) -> Rendered:
        async with self._slots:
            started = time.monotonic()
            outcome = Rendered(None)
            try:
                outcome.found = await self._page(url, known, outcome)
            finally:
                outcome.seconds = time.monotonic() - started
            return outcome

    async def _page(self, url: str, known, outcome: Rendered):
        from .scan import Found

        bodies: dict[str, bytes] = {}
        network = {"inflight": 0, "last": time.monotonic()}
        policy = self.fetcher.policy
        context = await self._browser.new_context(
            service_workers="block", viewport=VIEWPORT, accept_downloads=False,
            user_agent=policy.user_agent, bypass_csp=False)

        async def handle(route):
            request = route.request
            if request.method not in ("GET", "HEAD") or request.resource_type in BLOCKED_TYPES:
                outcome.blocked += 1
                with contextlib.suppress(PlaywrightError):
                    await route.abort("blockedbyclient")
                return
            network["inflight"] += 1
            try:
                cap = policy.max_image_bytes if request.resource_type == "image" else \
                    policy.max_html_bytes
                try:
                    response = await self._blocking(self.fetcher.fetch, request.url,
                                                    max_bytes=cap)
                except FetchError:
                    await route.abort("blockedbyclient")
                    return
                except Exception:
                    await route.abort("failed")
                    return
                outcome.requests += 1
                bodies[request.url] = response.content
                headers = {k: v for k, v in response.headers.items()
                           if k.lower() not in _DROP_HEADERS}
                await route.fulfill(status=response.status, headers=headers,
                                    body=response.content)
            except PlaywrightError:
                pass  # the page or its context went away meanwhile
            finally:
                network["inflight"] -= 1
                network["last"] = time.monotonic()

        try:
            await context.add_init_script(_NO_PEER_TO_PEER)
            await context.route("**/*", handle)
            await context.route_web_socket("**/*", lambda ws: ws.close())
            page = await context.new_page()
            page.set_default_timeout(self.timeout_ms)
            await page.goto(url, wait_until="load", timeout=self.timeout_ms)
            # Settled: nothing in flight for QUIET seconds (a script that fetches something
            # starts its next request well within that), at most SETTLE seconds after load.
            loaded = time.monotonic()
            network["last"] = max(network["last"], loaded)
            while time.monotonic() - loaded < min(SETTLE, self.timeout):
                if network["inflight"] == 0 and time.monotonic() - network["last"] >= QUIET:
                    break
                await asyncio.sleep(0.05)
            items, pixels = [], []
            for frame in page.frames:
                with contextlib.suppress(PlaywrightError):  # a frame that went away
                    collected = await frame.evaluate(_COLLECT)
                    items += collected["items"]
                    pixels += collected["pixels"]
            seen = set()
            for item in items:
                key = item.get("src") or item.get("html")
                if key in seen:
                    continue
                seen.add(key)
                image_url = item.get("src") or "inline-svg"
                if item["kind"] == "svg":
                    data = item["html"].encode()
                else:
                    src = item["src"]
                    if src.startswith("data:"):
                        image_url = "data-uri"
                        try:
                            data = decode_data_uri(src)
                        except ImageError:
                            continue
                    else:
                        data = bodies.get(src)
                        if not data:  # blob:, or bytes the routing never saw
                            pixels.append("image not seen by the fetcher")
                            continue
                digest = hashlib.sha256(data).hexdigest()
                if digest in known:
                    continue
                known = known | {digest}
                outcome.matched += 1
                try:
                    if item["kind"] == "svg":
                        match = await self._blocking(self._match_svg, item["html"])
                    else:
                        match = await self._blocking(self._match_bytes, data)
                except ImageError:
                    pixels.append("image that does not decode")
                    continue
                if match:
                    return Found(match, image_url, digest, page.url,
                                 rendered_box=tuple(item["box"]))
            if not pixels:
                return None
            # Something shown cannot be examined as a file: look at the pixels.
            outcome.screenshot = pixels[0]
            height = min(MAX_SCREENSHOT_HEIGHT,
                         int(await page.evaluate("document.documentElement.scrollHeight")
                             or 900))
            png = await page.screenshot(clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                              "height": max(1, height)}, full_page=True)
            # The screenshot is the page at its displayed size: look for logos from 40 px.
            match = await self._blocking(self._match_screenshot, png)
            if match:
                return Found(match, "rendered", hashlib.sha256(png).hexdigest(), page.url,
                             rendered_box=tuple(float(v) for v in match.bbox)
                             if match.bbox else None)
            return None
        finally:
            with contextlib.suppress(PlaywrightError):
                await context.close()

    # -- matching (on the pool's threads) -------------------------------------------------------
    def _match_svg(self, markup: str):
        return self.matcher.match_image(rasterise_svg(markup))

    def _match_bytes(self, data: bytes):
        decode(data)  # raises ImageError: the screenshot will show what the browser made of it
        return self.matcher.match_bytes(data)

    def _match_screenshot(self, png: bytes):
        return self.matcher.match_image(decode(png), min_logo=40)
