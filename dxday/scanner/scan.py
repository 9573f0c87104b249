"""Scan URLs for the identity kit: static pass, then a browser pass where it found nothing.

The result of a scan is a plain dict, the same for ``dxday scan`` (one JSON line per URL) and for
the stored :class:`~dxday.scanner.models.ScanResult`::

    {"url", "verdict": present|absent|error, "score", "evidence": {...} | None, "error"}

A page goes to the browser pass only when the static pass found nothing on it *and* something
in it could change what it shows once run — a script, a load-time event handler, a meta refresh,
… (:func:`~dxday.scanner.page.dynamic_reasons`, in the page or any frame it holds) — or the
static pass could not look at everything (too many images, stylesheets or frames). A page that
no script can change shows in a browser what the static pass already examined
(docs/decisions/0013). Renders run while the static pass goes on, several pages at once in one
shared browser.

Errors of the page itself (HTTP status ≥ 400, timeouts, redirect loops, refused connections,
refused addresses, robots.txt) give ``error`` with the reason, never ``absent``. Errors of one
image on a page (a broken image) only mean that image is not displayed.
"""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import datetime
import hashlib
import io
import time

import numpy as np
from PIL import Image

from dxday.lib.http import FetchError, Policy, SafeFetcher

from .detect import Match, Matcher
from .images import ImageError, decode_data_uri, rasterise_svg
from .page import css_images, extract

SCANNER_VERSION = "dxday-scanner/1.0"
MAX_IMAGES_PER_PAGE = 120
MAX_STYLESHEETS = 12
MAX_FRAMES = 6
MAX_DEPTH = 2  # iframes inside iframes
IMAGE_TYPES = ("image/",)


@dataclasses.dataclass
class Found:
    match: Match
    image_url: str  # URL, "inline-svg", "data-uri" or "rendered"
    sha256: str
    page_url: str
    rendered_box: tuple[float, float, float, float] | None = None


@dataclasses.dataclass
class StaticResult:
    final_url: str
    found: Found | None
    checked: int
    best: float
    # why the browser pass could see more (empty: it cannot), and the images already examined
    dynamic: list[str] = dataclasses.field(default_factory=list)
    hashes: set[str] = dataclasses.field(default_factory=set)
    render: dict | None = None  # what the browser pass did, for the evidence


def _crop_uri(crop: np.ndarray | None) -> str | None:
    if crop is None or crop.size == 0:
        return None
    image = Image.fromarray(crop)
    image.thumbnail((160, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


class Scanner:
    def __init__(self, matcher: Matcher, *, policy: Policy | None = None, render: bool = True,
                 concurrency: int = 8, render_pages: int | None = None, workers: int = 0):
        # workers > 1: images are decided in that many processes (workers.MatcherPool)
        self.pool = None
        if workers > 1:
            from .workers import MatcherPool

            self.pool = matcher = MatcherPool(matcher, workers=workers)
        self.matcher = matcher
        self.policy = policy = policy or Policy()
        self.render = render
        self.concurrency = max(1, concurrency)
        # Pages open at once in the shared browser: rendering is mostly waiting on the network,
        # the CPU goes to layout and to matching.
        self.render_pages = max(1, render_pages or min(12, self.concurrency))
        self.fetcher = SafeFetcher(policy)

    def close(self):
        self.fetcher.close()
        if self.pool is not None:
            self.pool.close()

    # -- entry point --------------------------------------------------------------------------
    def scan(self, urls: list[str], *, on_result=None) -> list[dict]:
        """Scan every URL; results in the order given. ``on_result(i, result)`` is called as
        each final result is known (for streaming output and progress), from this thread."""
        results: list[dict | None] = [None] * len(urls)
        started: dict[int, float] = {}
        renderer = None

        def static(i: int):
            started[i] = time.monotonic()
            return self._static(urls[i])

        def finish(i: int, result: dict) -> None:
            results[i] = result
            if on_result:
                on_result(i, result)

        try:
            with concurrent.futures.ThreadPoolExecutor(self.concurrency) as pool:
                pending = {pool.submit(static, i): ("static", i) for i in range(len(urls))}
                statics: dict[int, StaticResult] = {}
                while pending:
                    done, _ = concurrent.futures.wait(
                        pending, return_when=concurrent.futures.FIRST_COMPLETED)
                    for future in done:
                        kind, i = pending.pop(future)
                        if kind == "render":
                            outcome = statics.pop(i)
                            try:
                                rendered = future.result()
                            except Exception as exc:
                                # a page the browser cannot load keeps its static verdict
                                outcome.render = {"error": exc.__class__.__name__}
                            else:
                                outcome.render = rendered.evidence()
                                if rendered.found:
                                    outcome.found = rendered.found
                            finish(i, self._verdict(urls[i], outcome,
                                                    time.monotonic() - started[i]))
                            continue
                        try:
                            outcome = future.result()
                        except FetchError as exc:
                            finish(i, self._error(urls[i], exc.message))
                            continue
                        except Exception as exc:  # never lose the other URLs to one bad page
                            finish(i, self._error(urls[i],
                                                  f"scanner error: {exc.__class__.__name__}"))
                            continue
                        if outcome.found or not self.render or not outcome.dynamic:
                            finish(i, self._verdict(urls[i], outcome,
                                                    time.monotonic() - started[i]))
                            continue
                        if renderer is None:
                            from .render import Renderer

                            renderer = Renderer(self.fetcher, self.matcher,
                                                pages=self.render_pages).__enter__()
                        statics[i] = outcome
                        pending[renderer.render(outcome.final_url,
                                                known=outcome.hashes)] = ("render", i)
        finally:
            if renderer is not None:
                renderer.__exit__(None, None, None)
        return results  # type: ignore[return-value]

    # -- verdicts -----------------------------------------------------------------------------
    def _error(self, url: str, message: str) -> dict:
        return {"url": url, "verdict": "error", "score": None, "evidence": None,
                "error": message}

    def _verdict(self, url: str, outcome: StaticResult, seconds: float) -> dict:
        base = {"final_url": outcome.final_url, "time": _now(),
                "scanner_version": SCANNER_VERSION, "images_checked": outcome.checked,
                "seconds": round(seconds, 3),
                # why the page was (or was not) rendered, and what the browser pass did
                "dynamic": outcome.dynamic, "rendered": outcome.render}
        if outcome.found is None:
            return {"url": url, "verdict": "absent", "score": round(outcome.best, 4),
                    "evidence": base | {"method": None, "best_score": round(outcome.best, 4)},
                    "error": None}
        found = outcome.found
        evidence = base | {
            "image_url": found.image_url, "page_url": found.page_url, "sha256": found.sha256,
            "method": found.match.method, "score": found.match.score,
            "reference": found.match.reference,
            "bbox": list(found.match.bbox) if found.match.bbox else None,
            "transform": found.match.transform,
            "rendered_box": [round(v, 1) for v in found.rendered_box]
            if found.rendered_box else None,
            "crop": _crop_uri(found.match.crop),
        }
        return {"url": url, "verdict": "present", "score": found.match.score,
                "evidence": evidence, "error": None}

    # -- static pass --------------------------------------------------------------------------
    def _static(self, url: str) -> StaticResult:
        response = self.fetcher.fetch(url)
        if response.status >= 400:
            raise FetchError("http_status", f"HTTP {response.status}")
        state = {"checked": 0, "best": 0.0, "seen": set(), "dynamic": [], "hashes": set()}
        found = self._check_document(response, state, depth=0)
        return StaticResult(final_url=response.url, found=found, checked=state["checked"],
                            best=state["best"], dynamic=state["dynamic"],
                            hashes=state["hashes"])

    @staticmethod
    def _dynamic(state, reason: str) -> None:
        if reason not in state["dynamic"]:
            state["dynamic"].append(reason)

    def _check_document(self, response, state, *, depth: int) -> Found | None:
        if response.content_type.startswith(IMAGE_TYPES) or (
                response.content_type not in ("text/html", "application/xhtml+xml")
                and not response.content[:512].lstrip().lower().startswith((b"<!doctype html",
                                                                             b"<html"))
                and response.content_type != "text/plain"):
            # The URL is an image itself.
            return self._check_bytes(response.content, response.url, response.url, state)
        return self._check_html(response.text, response.url, state, depth=depth)

    def _check_html(self, html: str, page_url: str, state, *, depth: int) -> Found | None:
        refs, tree = extract(html, page_url)
        for reason in refs.dynamic:
            self._dynamic(state, reason if depth == 0 else f"{reason} (frame)")
        for markup in refs.inline_svgs:
            found = self._check_svg(markup, page_url, state)
            if found:
                return found
        for url in [u for u in refs.images if u.startswith("data:")]:
            found = self._check_data_uri(url, page_url, state)
            if found:
                return found
        css_images_found: list[str] = []
        for block in refs.style_blocks:
            images, imports = css_images(block, page_url, tree)
            css_images_found += images
            refs.stylesheets += imports
        done, queue = set(), list(refs.stylesheets)
        while queue:
            if len(done) >= MAX_STYLESHEETS:
                self._dynamic(state, "stylesheets not all read")
                break
            css_url = queue.pop(0)
            if css_url in done:
                continue
            done.add(css_url)
            try:
                css = self.fetcher.fetch(css_url, max_bytes=2 * 1024 * 1024)
            except FetchError:
                continue
            if css.status != 200:
                continue
            images, imports = css_images(css.text, css.url, tree)
            css_images_found += images
            queue += imports
        urls = [u for u in refs.images if not u.startswith("data:")]
        urls += [u for u in css_images_found if u not in urls]
        if len(urls) > MAX_IMAGES_PER_PAGE:
            self._dynamic(state, "images not all checked")
        for url in urls[:MAX_IMAGES_PER_PAGE]:
            if url.startswith("data:"):
                found = self._check_data_uri(url, page_url, state)
            else:
                found = self._check_image_url(url, page_url, state)
            if found:
                return found
        if depth >= MAX_DEPTH and (refs.srcdocs or refs.frames) \
                or len(refs.srcdocs) > MAX_FRAMES or len(refs.frames) > MAX_FRAMES:
            self._dynamic(state, "frames not all checked")
        if depth < MAX_DEPTH:
            for srcdoc in refs.srcdocs[:MAX_FRAMES]:
                found = self._check_html(srcdoc, page_url, state, depth=depth + 1)
                if found:
                    return found
            for frame_url in refs.frames[:MAX_FRAMES]:
                try:
                    frame = self.fetcher.fetch(frame_url)
                except FetchError:
                    continue
                if frame.status >= 400:
                    continue
                found = self._check_document(frame, state, depth=depth + 1)
                if found:
                    return found
        return None

    def _check_image_url(self, url: str, page_url: str, state) -> Found | None:
        if url in state["seen"]:
            return None
        state["seen"].add(url)
        try:
            response = self.fetcher.fetch(url, max_bytes=self.policy.max_image_bytes)
        except FetchError:
            return None  # a broken or refused image is not displayed
        if response.status != 200 or response.content_type.startswith("text/html"):
            return None
        return self._check_bytes(response.content, url, page_url, state)

    def _check_bytes(self, data: bytes, image_url: str, page_url: str, state) -> Found | None:
        state["checked"] += 1
        digest = hashlib.sha256(data).hexdigest()
        match = self.matcher.match_bytes(data)
        if match:
            return Found(match, image_url, digest, page_url)
        state["hashes"].add(digest)  # the browser pass need not look at these bytes again
        state["best"] = max(state["best"], self.matcher.last_best)
        return None

    def _check_data_uri(self, uri: str, page_url: str, state) -> Found | None:
        if uri in state["seen"]:
            return None
        state["seen"].add(uri)
        try:
            data = decode_data_uri(uri)
        except ImageError:
            return None
        return self._check_bytes(data, "data-uri", page_url, state)

    def _check_svg(self, markup: str, page_url: str, state) -> Found | None:
        state["checked"] += 1
        try:
            rgba = rasterise_svg(markup)
        except ImageError:
            return None
        match = self.matcher.match_image(rgba)
        if match:
            return Found(match, "inline-svg", hashlib.sha256(markup.encode()).hexdigest(),
                         page_url)
        state["best"] = max(state["best"], self.matcher.last_best)
        return None

