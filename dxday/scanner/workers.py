"""The kit matcher in worker processes: one per core.

Deciding an image is CPU work made of many small NumPy and OpenCV steps; in the scanner's
threads they take turns on the interpreter's lock, so a scan used little more than one core
(docs/decisions/0021). :class:`MatcherPool` has the matcher's interface (``match_bytes``,
``match_image``, ``last_best``) and sends each image to one of ``workers`` processes, each
holding its own :class:`~dxday.scanner.detect.Matcher` built from the same kit files.

The processes are started with ``spawn`` (never forked from a process that runs threads). They
ignore SIGINT and SIGTERM (the scanning process decides when they stop: a worker asked to stop
finishes its scan first) and exit on their own if the scanning process goes away. If one dies
(out of memory, killed), the pool is started again once; if that one breaks too, images are
decided in the scanning process. A dead process never turns into a verdict.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures.process import BrokenProcessPool

from .detect import Matcher

logger = logging.getLogger(__name__)

MAX_DEFAULT_WORKERS = 4  # each process holds its own NumPy, OpenCV and kit (≈ 100 MB)

_matcher: Matcher | None = None  # the worker process's own


def default_workers() -> int:
    """``SCANNER_WORKERS`` from the environment, else one per core this process may use (at
    most four)."""
    value = os.environ.get("SCANNER_WORKERS", "").strip()
    if value.isdigit():
        return int(value)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    return min(MAX_DEFAULT_WORKERS, cores)


def _orphan_watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)  # the scanning process is gone: nobody will ask for anything


def _start(references, negatives) -> None:
    global _matcher
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()
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
        self.matcher = matcher  # decides in this process once the pool cannot
        self.workers = max(1, workers)
        self._local = threading.local()  # best score of the last image, per calling thread
        self._lock = threading.Lock()
        self._restarts = 0
        self._executor = self._new_executor()

    def _new_executor(self):
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start, initargs=(self.matcher.references, self.matcher.negatives))

    def _call(self, function, *args):
        for _attempt in range(2):
            executor = self._executor
            if executor is None:
                break
            try:
                match, self._local.best = executor.submit(function, *args).result()
                return match
            except BrokenProcessPool:
                with self._lock:
                    if self._executor is executor:  # the first thread to see it replaces it
                        executor.shutdown(wait=False, cancel_futures=True)
                        if self._restarts < 1:
                            self._restarts += 1
                            logger.warning("a matcher process died; the pool starts again")
                            self._executor = self._new_executor()
                        else:
                            logger.warning("the matcher processes died again; images are "
                                           "decided in the scanning process")
                            self._executor = None
        # in this process (the pool broke twice)
        if function is _match_bytes:
            match = self.matcher.match_bytes(*args)
        else:
            match = self.matcher.match_image(args[0], min_logo=args[1])
        self._local.best = self.matcher.last_best
        return match

    def match_bytes(self, data: bytes):
        return self._call(_match_bytes, data)

    def match_image(self, rgba, *, min_logo: float | None = None):
        return self._call(_match_image, rgba, min_logo)

    @property
    def last_best(self) -> float:
        """Best structure agreement seen while examining the calling thread's last image."""
        return getattr(self._local, "best", 0.0)

    def pids(self) -> list[int]:
        """The worker processes running now (empty once images are decided in this one)."""
        executor = self._executor
        if executor is None:
            return []
        return [p.pid for p in list((executor._processes or {}).values()) if p.is_alive()]

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
