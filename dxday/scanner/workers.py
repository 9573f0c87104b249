"""The kit matcher in worker processes: one per core.

Deciding an image is CPU work made of many small NumPy and OpenCV steps; in the scanner's
threads they take turns on the interpreter's lock, so a scan used little more than one core
(docs/decisions/0021). :class:`MatcherPool` has the matcher's interface (``match_bytes``,
``match_image``, ``last_best``) and sends each image to one of ``workers`` processes, each
holding its own :class:`~dxday.scanner.detect.Matcher` built from the same kit files. The
processes are started with ``spawn`` (never forked from a process that runs threads) and stop
with the pool.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading

from .detect import Matcher

_matcher: Matcher | None = None  # the worker process's own


def default_workers() -> int:
    """``SCANNER_WORKERS`` from the environment, else one per core this process may use."""
    value = os.environ.get("SCANNER_WORKERS", "").strip()
    if value.isdigit():
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def _start(references, negatives) -> None:
    global _matcher
    _matcher = Matcher(references, negatives)


def _match_bytes(data: bytes):
    match = _matcher.match_bytes(data)
    return match, _matcher.last_best


def _match_image(rgba, min_logo):
    match = _matcher.match_image(rgba, min_logo=min_logo)
    return match, _matcher.last_best


class MatcherPool:
    """``matcher``'s kit, decided in ``workers`` processes. Use :meth:`close` when done."""

    def __init__(self, matcher: Matcher, *, workers: int):
        self.matcher = matcher
        self.references = matcher.references
        self.negatives = matcher.negatives
        self._local = threading.local()  # best score of the last image, per calling thread
        self._executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"),
            initializer=_start, initargs=(matcher.references, matcher.negatives))

    def match_bytes(self, data: bytes):
        if not data:
            self._local.best = 0.0
            return None
        match, self._local.best = self._executor.submit(_match_bytes, data).result()
        return match

    def match_image(self, rgba, *, min_logo: float | None = None):
        match, self._local.best = self._executor.submit(_match_image, rgba, min_logo).result()
        return match

    @property
    def last_best(self) -> float:
        """Best structure agreement seen while examining the calling thread's last image."""
        return getattr(self._local, "best", 0.0)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
