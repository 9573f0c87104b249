"""Fetch user-entered URLs safely (the only way dxday reaches an address a user typed).

Written here rather than taken from a library: the guard must sit between name resolution and
the connection (resolve once, check every address, connect to the address that was checked,
check again on every redirect), which no maintained Python package offers for httpx.

Policy (see the scanner issue and docs/decisions/0007):

* http and https only, no credentials in the URL;
* the host is resolved once; every address must be public — loopback, private, link-local,
  CGNAT (100.64/10), multicast, reserved, unspecified, IPv4-mapped/compatible forms of those and
  cloud metadata addresses are refused (``allow_private`` lifts the first ones for tests, never
  the metadata ones);
* the connection goes to the checked address (the Host header and TLS SNI keep the name, and the
  certificate is verified against the name);
* redirects are followed by hand, each target checked again, at most ``max_redirects``;
* bodies are read as a stream and cut at ``max_bytes`` after decoding (so a gzip bomb stops at
  the cap); connect, read and total timeouts;
* robots.txt is obeyed (protego), with an honest User-Agent that carries a contact URL;
* at most ``per_host`` concurrent requests to one host.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import threading
import time
import urllib.parse

import httpx
from protego import Protego

VERSION = "1.0"
DEFAULT_USER_AGENT = (
    f"dxday-kit-check/{VERSION} (+https://dxday.gov.vn/bo-nhan-dien/kiem-tra; "
    "National Digital Transformation Day identity-kit display check)"
)

# Cloud metadata endpoints: refused even when private addresses are allowed.
_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
}
_METADATA_NAMES = {"metadata.google.internal", "metadata", "instance-data"}
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that did not give a usable response; ``reason`` is a short machine-readable key."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


class Refused(FetchError):
    """The URL or one of its addresses is not allowed by the policy."""

    def __init__(self, message: str):
        super().__init__("refused", message)


@dataclasses.dataclass(frozen=True)
class Policy:
    allow_private: bool = False
    connect_timeout: float = 5.0
    timeout: float = 15.0  # total per request, redirects included
    max_redirects: int = 5
    max_html_bytes: int = 5 * 1024 * 1024
    max_image_bytes: int = 10 * 1024 * 1024
    per_host: int = 2
    respect_robots: bool = True
    user_agent: str = DEFAULT_USER_AGENT


@dataclasses.dataclass
class Response:
    url: str  # final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
                     *, allow_private: bool) -> str | None:
    """Why ``ip`` must not be contacted, or None."""
    if ip in _METADATA:
        return "cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d
            embedded = ipaddress.IPv4Address(int(ip))
        if embedded is not None:
            problem = _address_problem(embedded, allow_private=allow_private)
            return f"{problem} (embedded in {ip})" if problem else None
    if ip.is_multicast:
        return "multicast address"
    if ip.is_unspecified:
        return "unspecified address"
    if allow_private:
        return None
    if ip.is_loopback:
        return "loopback address"
    if ip.is_link_local:
        return "link-local address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared (CGNAT) address"
    if ip.is_private:
        return "private address"
    if ip.is_reserved or not ip.is_global:
        return "reserved address"
    return None


@dataclasses.dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # as written, lower case, without brackets
    port: int
    ip: str


def check_url(url: str, *, policy: Policy | None = None) -> Target:
    """Parse and resolve ``url``; return the address to connect to or raise :class:`Refused`."""
    policy = policy or Policy()
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise Refused(f"malformed URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(f"scheme {scheme or '(none)'!r} is not allowed (http and https only)")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused("credentials in the URL are not allowed")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise Refused("the URL has no host")
    if host in _METADATA_NAMES or host.endswith(".internal"):
        raise Refused(f"host {host} is a metadata or internal name")
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("dns", f"cannot resolve {host}: {exc}") from None
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        problem = _address_problem(ip, allow_private=policy.allow_private)
        if problem:
            raise Refused(f"refused: {host} resolves to {ip} ({problem})")
        addresses.append(ip)
    if not addresses:
        raise FetchError("dns", f"cannot resolve {host}")
    return Target(url=url, scheme=scheme, host=host, port=port, ip=str(addresses[0]))


class SafeFetcher:
    """A thread-safe fetcher that applies :class:`Policy` to every request."""

    def __init__(self, policy: Policy | None = None):
        self.policy = policy = policy or Policy()
        self._client = httpx.Client(
            follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            headers={"User-Agent": policy.user_agent},
        )
        self._lock = threading.Lock()
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- public -------------------------------------------------------------------------------
    def fetch(self, url: str, *, max_bytes: int | None = None, robots: bool = True) -> Response:
        """GET ``url`` following up to ``max_redirects`` checked redirects.

        Raises :class:`FetchError` (or :class:`Refused`) with a reason; an HTTP error status is
        returned, not raised, so callers decide what it means.
        """
        max_bytes = max_bytes or self.policy.max_html_bytes
        deadline = time.monotonic() + self.policy.timeout
        redirects: list[str] = []
        seen = {url}
        current = url
        while True:
            target = check_url(current, policy=self.policy)
            if robots and self.policy.respect_robots and not self._robots_allow(target):
                raise FetchError("robots", f"blocked by robots.txt of {target.host}")
            response = self._get(target, max_bytes=max_bytes, deadline=deadline)
            if response.status in _REDIRECTS and "location" in response.headers:
                nxt = urllib.parse.urljoin(current, response.headers["location"])
                if len(redirects) >= self.policy.max_redirects:
                    raise FetchError("redirects", f"more than {self.policy.max_redirects} "
                                                  "redirects")
                if nxt in seen:
                    raise FetchError("redirect_loop", f"redirect loop at {nxt}")
                seen.add(nxt)
                redirects.append(nxt)
                current = nxt
                continue
            response.redirects = redirects
            return response

    # -- internals ----------------------------------------------------------------------------
    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            slot = self._host_slots.get(host)
            if slot is None:
                slot = self._host_slots[host] = threading.BoundedSemaphore(self.policy.per_host)
            return slot

    def _get(self, target: Target, *, max_bytes: int, deadline: float) -> Response:
        parts = urllib.parse.urlsplit(target.url)
        ip_host = f"[{target.ip}]" if ":" in target.ip else target.ip
        default_port = 443 if target.scheme == "https" else 80
        netloc = ip_host if target.port == default_port else f"{ip_host}:{target.port}"
        host_header = target.host if target.port == default_port else \
            f"{target.host}:{target.port}"
        if ":" in target.host:  # an IPv6 literal
            host_header = f"[{target.host}]" + ("" if target.port == default_port
                                                else f":{target.port}")
        wire_url = urllib.parse.urlunsplit((target.scheme, netloc, parts.path or "/",
                                            parts.query, ""))
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"timed out after {self.policy.timeout:g} s")
        with self._slot(target.host):
            try:
                request = self._client.build_request(
                    "GET", wire_url, headers={"Host": host_header, "Accept": "*/*"},
                    extensions=extensions,
                    timeout=httpx.Timeout(min(remaining, self.policy.timeout),
                                          connect=min(remaining, self.policy.connect_timeout)))
                stream = self._client.send(request, stream=True)
            except httpx.TimeoutException:
                raise FetchError("timeout", f"timed out after {self.policy.timeout:g} s") \
                    from None
            except httpx.ConnectError as exc:
                text = str(exc).lower()
                if "refused" in text:
                    raise FetchError("connection_refused", "connection refused") from None
                if "certificate" in text or "ssl" in text:
                    raise FetchError("tls", f"TLS error: {exc}") from None
                raise FetchError("connect", f"cannot connect: {exc}") from None
            except httpx.HTTPError as exc:
                raise FetchError("http", f"HTTP error: {exc}") from None
            try:
                chunks, size = [], 0
                for chunk in stream.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError("too_large", f"body larger than {max_bytes} bytes")
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError("timeout",
                                         f"timed out after {self.policy.timeout:g} s")
            except httpx.TimeoutException:
                raise FetchError("timeout", f"timed out after {self.policy.timeout:g} s") \
                    from None
            except httpx.DecodingError as exc:
                raise FetchError("decoding", f"cannot decode the body: {exc}") from None
            except httpx.HTTPError as exc:
                raise FetchError("http", f"HTTP error while reading: {exc}") from None
            finally:
                stream.close()
        return Response(url=target.url, status=stream.status_code, headers=stream.headers,
                        content=b"".join(chunks), redirects=[])

    def _robots_allow(self, target: Target) -> bool:
        key = f"{target.scheme}://{target.host}:{target.port}"
        with self._lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._robots:
                parser = None
                try:
                    response = self.fetch(f"{key}/robots.txt", max_bytes=512 * 1024,
                                          robots=False)
                    if response.status == 200:
                        parser = Protego.parse(response.text)
                except FetchError:
                    parser = None
                self._robots[key] = parser
            parser = self._robots[key]
        if parser is None:
            return True
        return parser.can_fetch(target.url, self.policy.user_agent.split("/")[0])
