"""Labelled sites and the loopback server that serves them (tests and benchmarks only).

:class:`CorpusServer` serves sites on loopback, each on its own address (127.0.1.x, 127.0.2.x,
…) so the per-host limits apply as on real sites, with a fixed latency per response.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from pathlib import Path


@dataclasses.dataclass
class Site:
    name: str  # the case
    label: str  # present, absent, error
    files: dict[str, bytes | str]  # path → body ("/" is the page)
    redirects: dict[str, str] = dataclasses.field(default_factory=dict)
    statuses: dict[str, int] = dataclasses.field(default_factory=dict)
    delay: dict[str, float] = dataclasses.field(default_factory=dict)
    refuse: bool = False  # nothing listens: connection refused
    path: str = "/"
    # where the logo is shown: (the image's path, or "inline-svg"; its box (x, y, w, h) in that
    # image, or None where the image is the logo)
    where: tuple[str, tuple[int, int, int, int] | None] | None = None


@dataclasses.dataclass
class Corpus:
    kit: dict[str, bytes]  # file name → bytes (the kit folder; negatives/ inside)
    sites: list[Site]

    def write_kit(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in self.kit.items():
            path = directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return directory


# -- serving ---------------------------------------------------------------------------------
def _content_type(path: str) -> str:
    for suffix, kind in ((".png", "image/png"), (".jpg", "image/jpeg"), (".webp", "image/webp"),
                         (".gif", "image/gif"), (".svg", "image/svg+xml"), (".css", "text/css"),
                         (".js", "text/javascript")):
        if path.endswith(suffix):
            return kind
    return "text/html; charset=utf-8"


class CorpusServer:
    """Serve sites on loopback, one address per site, with ``latency`` seconds per response.

    ``sites`` may be any number of :class:`Site`; site *n* answers on 127.0.(1 + n // 250).
    (1 + n % 250) at ``port``. ``urls`` gives each site's address.
    """

    def __init__(self, sites: list[Site], *, latency: float = 0.0, port: int = 0):
        self.sites = sites
        self.latency = latency
        self.port = port
        self.urls: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.requests = 0

    def __enter__(self):
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("corpus server did not start")
        if self._error:
            raise self._error
        return self

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    @staticmethod
    def address(n: int) -> str:
        return f"127.0.{1 + n // 250}.{1 + n % 250}"

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._error = None
        self._loop.run_until_complete(self._serve())

    async def _serve(self):
        self._stop = asyncio.Event()
        servers = []
        try:
            first = await asyncio.start_server(self._handler(0), self.address(0), self.port)
            port = first.sockets[0].getsockname()[1]
            servers.append(first)
            for n in range(1, len(self.sites)):
                if self.sites[n].refuse:
                    continue
                servers.append(await asyncio.start_server(self._handler(n), self.address(n),
                                                          port))
            self.port = port
            self.urls = [f"http://{self.address(n)}:{port}{site.path}"
                         for n, site in enumerate(self.sites)]
        except Exception as exc:  # reported to the caller of __enter__
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        await self._stop.wait()
        for server in servers:
            server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _handler(self, n: int):
        site = self.sites[n]

        async def handle(reader, writer):
            try:
                while True:
                    line = await reader.readline()
                    if not line:
                        break
                    method, target, _ = line.decode("latin-1").split(" ", 2)
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    self.requests += 1
                    path = target.split("?")[0]
                    await asyncio.sleep(site.delay.get(path, self.latency))
                    status, headers, body = 200, {}, b""
                    if path in site.redirects:
                        status, headers = 302, {"Location": site.redirects[path]}
                    elif path in site.statuses:
                        status = site.statuses[path]
                        body = str(site.files.get(path, "error")).encode()
                    elif path in site.files:
                        data = site.files[path]
                        body = data.encode() if isinstance(data, str) else data
                        headers["Content-Type"] = _content_type(path)
                    else:
                        status, body = 404, b"not found"
                    head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n"
                    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                    writer.write(head.encode() + b"\r\n" + (body if method != "HEAD" else b""))
                    await writer.drain()
            except (ConnectionError, ValueError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        return handle
