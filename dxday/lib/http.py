"""Fetch user-entered URLs safely (the only way dxday reaches an address a user typed).

Written here rather than taken from a library: the guard must sit between name resolution and
the connection (resolve once, check every address, connect to the address that was checked,
check again on every redirect), which no maintained Python package offers for httpx.

Policy (see the scanner issue and docs/decisions/0007, 0011):

* http and https only, no credentials in the URL;
* the host is resolved once per connection, inside the transport (:class:`GuardedBackend`);
  every address must be public — loopback, private, link-local, CGNAT (100.64/10), multicast,
  reserved, unspecified, IPv4-mapped/compatible forms of those and cloud metadata addresses are
  refused (``allow_private`` lifts the first ones for tests, never the metadata ones);
* the connection goes to an address that was checked, while the URL keeps its host name: the
  Host header and TLS SNI carry the name, the certificate is verified against it, and
  connections are pooled per host (never shared between two sites on one address);
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
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable

import httpcore
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

#: ``resolver(host, port)`` → the addresses of ``host`` (strings). The default asks the system.
Resolver = Callable[[str, int], Iterable[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host`` (one lookup)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class FetchError(Exception):
    """A fetch that did not give a usable response; ``reason`` is a short machine-readable key."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.hop: int | None = None  # which request of a redirect chain failed (0 = the first)


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


def _host_problem(host: str) -> str | None:
    if host in _METADATA_NAMES or host.endswith(".internal"):
        return f"host {host} is a metadata or internal name"
    return None


def resolve_checked(host: str, port: int, *, policy: Policy,
                    resolver: Resolver | None = None) -> list[str]:
    """Resolve ``host`` once and return its addresses, all allowed by ``policy``.

    Raises :class:`Refused` when any address is not allowed (a name that also points inside is
    refused as a whole) and :class:`FetchError` ``dns`` when it does not resolve.
    """
    host = host.strip("[]").rstrip(".").lower()
    problem = _host_problem(host)
    if problem:
        raise Refused(problem)
    try:
        answers = [str(ipaddress.ip_address(host))]  # an address literal: nothing to ask
    except ValueError:
        try:
            answers = list((resolver or system_resolver)(host, port))
        except (OSError, UnicodeError) as exc:
            raise FetchError("dns", f"cannot resolve {host}: {exc}") from None
    addresses: list[str] = []
    for answer in answers:
        try:
            ip = ipaddress.ip_address(str(answer).split("%")[0])
        except ValueError:
            raise FetchError("dns", f"cannot resolve {host}: bad address {answer!r}") from None
        problem = _address_problem(ip, allow_private=policy.allow_private)
        if problem:
            raise Refused(f"refused: {host} resolves to {ip} ({problem})")
        if str(ip) not in addresses:
            addresses.append(str(ip))
    if not addresses:
        raise FetchError("dns", f"cannot resolve {host}")
    return addresses


@dataclasses.dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # as written, lower case, without brackets
    port: int
    ip: str | None  # the first checked address (None until resolved)


def parse_url(url: str) -> Target:
    """Check what can be checked in ``url`` without resolving it; raise :class:`Refused`.

    An address written in the URL is checked later with every resolved address, in
    :func:`resolve_checked`, where the policy is known.
    """
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
    problem = _host_problem(host)
    if problem:
        raise Refused(problem)
    port = port or (443 if scheme == "https" else 80)
    return Target(url=url, scheme=scheme, host=host, port=port, ip=None)


def check_url(url: str, *, policy: Policy | None = None,
              resolver: Resolver | None = None) -> Target:
    """Parse and resolve ``url``; return its first allowed address or raise :class:`Refused`.

    The fetcher does not call this: it resolves inside its transport, at connection time.
    """
    policy = policy or Policy()
    target = parse_url(url)
    addresses = resolve_checked(target.host, target.port, policy=policy, resolver=resolver)
    return dataclasses.replace(target, ip=addresses[0])


class GuardedBackend(httpcore.NetworkBackend):
    """The network layer of the fetcher: resolve → check every address → connect to one of them.

    httpcore hands it the URL's host name; the connection is opened to an address of the single
    resolution that was checked, so a name that resolves elsewhere a moment later (DNS
    rebinding) changes nothing. TLS is then started by httpcore on this stream with the host
    name as SNI and as the name the certificate must match.
    """

    def __init__(self, policy: Policy, resolver: Resolver | None = None):
        self.policy = policy
        self.resolver = resolver
        self._tcp = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve_checked(host, port, policy=self.policy, resolver=self.resolver)
        deadline = None if timeout is None else time.monotonic() + timeout
        error: Exception | None = None
        for address in addresses:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                break
            try:
                # An address literal: the system resolver is not asked again.
                return self._tcp.connect_tcp(address, port, timeout=remaining,
                                             local_address=local_address,
                                             socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectTimeout(f"timed out connecting to {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("Unix sockets are not reachable through the fetcher")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool whose network layer is :class:`GuardedBackend`.

    httpx 0.28 does not take a network backend (httpcore's public extension point for custom
    name resolution), so the pool it built is replaced by one that has ours; everything else
    (request mapping, exception mapping, streaming) is httpx's.
    """

    def __init__(self, *, policy: Policy, ssl_context: ssl.SSLContext,
                 resolver: Resolver | None = None, limits: httpx.Limits):
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy, resolver),
        )


def _tls_problem(exc: BaseException) -> str | None:
    """The TLS failure behind ``exc``, in words, or None when it is not one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        if isinstance(seen, ssl.SSLError):
            return seen.reason or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


class SafeFetcher:
    """A thread-safe fetcher that applies :class:`Policy` to every request.

    ``ssl_context`` replaces the default trust store (certifi) — tests give one that trusts
    their own CA only; ``resolver`` replaces the system resolver — tests map names to loopback
    addresses with it. Both go to the transport, where the policy is applied.
    """

    def __init__(self, policy: Policy | None = None, *, ssl_context: ssl.SSLContext | None = None,
                 resolver: Resolver | None = None):
        self.policy = policy = policy or Policy()
        transport = GuardedTransport(
            policy=policy, resolver=resolver,
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))
        self._client = httpx.Client(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
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
            try:
                target = parse_url(current)
                if robots and self.policy.respect_robots and not self._robots_allow(target):
                    raise FetchError("robots", f"blocked by robots.txt of {target.host}")
                response = self._get(target, max_bytes=max_bytes, deadline=deadline)
            except FetchError as exc:
                if exc.hop is None:
                    exc.hop = len(redirects)
                raise
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

    def _timeout(self) -> FetchError:
        return FetchError("timeout", f"timed out after {self.policy.timeout:g} s")

    def _get(self, target: Target, *, max_bytes: int, deadline: float) -> Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._timeout()
        with self._slot(target.host):
            try:
                request = self._client.build_request(
                    "GET", urllib.parse.urldefrag(target.url.strip())[0],
                    headers={"Accept": "*/*"},
                    timeout=httpx.Timeout(min(remaining, self.policy.timeout),
                                          connect=min(remaining, self.policy.connect_timeout)))
            except httpx.InvalidURL as exc:
                raise Refused(f"malformed URL: {exc}") from None
            try:
                stream = self._client.send(request, stream=True)
            except httpx.TimeoutException:
                raise self._timeout() from None
            except httpx.ConnectError as exc:
                tls = _tls_problem(exc)
                if tls:
                    raise FetchError("tls", f"TLS connection to {target.host} refused: {tls}") \
                        from None
                if "refused" in str(exc).lower():
                    raise FetchError("connection_refused", "connection refused") from None
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
                        raise self._timeout()
            except httpx.TimeoutException:
                raise self._timeout() from None
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
                except FetchError as exc:
                    # The host itself is refused or does not resolve: so is the page (not
                    # remembered, the next fetch asks again). A robots.txt that redirects
                    # somewhere refused only means there is no robots.txt.
                    if exc.hop == 0 and exc.reason in ("refused", "dns"):
                        exc.hop = None  # counted again in the page's own chain
                        raise
                    parser = None
                self._robots[key] = parser
            parser = self._robots[key]
        if parser is None:
            return True
        return parser.can_fetch(target.url, self.policy.user_agent.split("/")[0])
