"""The fetcher's transport: TLS verified against the site's name, connections per host, the
address that was checked is the one connected to.

A local HTTPS server on loopback serves certificates signed by a CA made in the test and trusted
only by the test's fetcher; host names reach it through the fetcher's resolver hook.
"""

import contextlib
import datetime
import http.server
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from dxday.lib.http import FetchError, Policy, Refused, SafeFetcher

NAMES = ("cong-a.test", "cong-b.test")  # both served by the one loopback address


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, signing_key, *, ca, names=()):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
        .public_key(public_key).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            signing_key.public_key()), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A test CA and one certificate per name (files), plus the CA in PEM."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(_name("dxday test CA"), _name("dxday test CA"), ca_key.public_key(),
                      ca_key, ca=True)
    files = {}
    for host in NAMES:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(_name(host), ca.subject, key.public_key(), ca_key, ca=False,
                            names=[host])
        path = folder / f"{host}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        files[host] = str(path)
    return {"ca": ca.public_bytes(serialization.Encoding.PEM).decode(), "files": files}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: pooled connections are visible
    requests: list = []  # (client port, Host header, path)

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append((self.client_address[1], self.headers["Host"], self.path))
        body = f"host={self.headers['Host']}".encode()
        self.send_response(200 if self.path != "/robots.txt" else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@pytest.fixture()
def https_server(pki):
    """An HTTPS server on 127.0.0.1 choosing its certificate by SNI; records every handshake.

    A client that asks for another name (or none) gets the first name's certificate.
    """
    contexts = {}
    for host, path in pki["files"].items():
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(path)
        contexts[host] = context
    handshakes = []  # (client port, SNI name)

    def choose(sock, server_name, _context):
        handshakes.append((sock.getpeername()[1], server_name))
        sock.context = contexts.get(server_name, contexts[NAMES[0]])

    default = contexts[NAMES[0]]
    default.sni_callback = choose
    Handler.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.socket = default.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"port": httpd.server_address[1], "handshakes": handshakes,
           "requests": Handler.requests}
    httpd.shutdown()
    httpd.server_close()


def _resolver(mapping, calls=None):
    def resolve(host, port):
        if calls is not None:
            calls.append(host)
        answer = mapping.get(host)
        if answer is None:
            raise OSError(f"{host}: name not known")
        return answer(len(calls or [])) if callable(answer) else answer
    return resolve


def _fetcher(pki, mapping, **kw):
    context = ssl.create_default_context(cadata=pki["ca"])
    return SafeFetcher(Policy(allow_private=True, timeout=5.0, connect_timeout=2.0, **kw),
                       ssl_context=context, resolver=_resolver(mapping))


ON_LOOPBACK = {name: ["127.0.0.1"] for name in (*NAMES, "cong-c.test")}


def test_each_name_gets_its_own_verified_connection(pki, https_server):
    port = https_server["port"]
    with _fetcher(pki, ON_LOOPBACK) as fetcher:
        bodies = [fetcher.fetch(f"https://{host}:{port}/trang-chu").content
                  for host in (*NAMES, *NAMES)]
    assert bodies == [f"host={host}:{port}".encode() for host in (*NAMES, *NAMES)]
    # One handshake per name, each with the name as SNI (so its certificate was checked against
    # it); the second visit of each name went over that name's pooled connection.
    handshakes = https_server["handshakes"]
    assert sorted(name for _, name in handshakes) == sorted(NAMES)
    sni_of = dict(handshakes)
    assert len(sni_of) == 2  # two connections (two client ports), never shared
    for client_port, host_header, _path in https_server["requests"]:
        assert host_header == f"{sni_of[client_port]}:{port}"
    assert len(https_server["requests"]) == 6  # robots.txt + two pages per name


def test_certificate_for_another_name_is_refused(pki, https_server):
    port = https_server["port"]
    with _fetcher(pki, ON_LOOPBACK) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(f"https://cong-c.test:{port}/")
    assert info.value.reason == "tls"
    assert "cong-c.test" in info.value.message and "certificate" in info.value.message.lower()
    assert https_server["requests"] == []  # nothing was sent over the refused connection
    assert ("cong-c.test" in {name for _, name in https_server["handshakes"]})


def test_certificate_from_an_unknown_authority_is_refused(https_server):
    port = https_server["port"]
    fetcher = SafeFetcher(Policy(allow_private=True, timeout=5.0, connect_timeout=2.0),
                          resolver=_resolver(ON_LOOPBACK))
    with fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(f"https://{NAMES[0]}:{port}/")
    assert info.value.reason == "tls" and "certificate" in info.value.message.lower()
    assert https_server["requests"] == []


def test_address_literal_still_verified_against_the_certificate(pki, https_server):
    # The certificate names cong-a.test, not 127.0.0.1: asking for the address is refused.
    with _fetcher(pki, ON_LOOPBACK) as fetcher, pytest.raises(FetchError) as info:
        fetcher.fetch(f"https://127.0.0.1:{https_server['port']}/")
    assert info.value.reason == "tls"
    assert https_server["requests"] == []


def test_resolved_once_and_connected_to_the_checked_address(pki, https_server):
    """DNS rebinding: the first answer is checked and used; a later answer is never used."""
    port = https_server["port"]
    calls = []
    # First answer: the server; any later answer: the metadata address.
    rebinding = {NAMES[0]: lambda n: ["127.0.0.1"] if n == 1 else ["169.254.169.254"]}
    context = ssl.create_default_context(cadata=pki["ca"])
    policy = Policy(allow_private=True, timeout=5.0, connect_timeout=2.0, respect_robots=False)
    with SafeFetcher(policy, ssl_context=context,
                     resolver=_resolver(rebinding, calls)) as fetcher:
        assert fetcher.fetch(f"https://{NAMES[0]}:{port}/").status == 200
        assert fetcher.fetch(f"https://{NAMES[0]}:{port}/lan-2").status == 200
    assert calls == [NAMES[0]]  # one resolution for the connection, reused by the pool
    # A fresh fetcher must resolve again and gets the rebound answer: refused, nothing sent.
    with SafeFetcher(policy, ssl_context=context,
                     resolver=_resolver(rebinding, calls)) as fetcher, pytest.raises(Refused):
        fetcher.fetch(f"https://{NAMES[0]}:{port}/lan-3")
    assert [path for _, _, path in https_server["requests"]] == ["/", "/lan-2"]


def test_every_address_is_checked(pki, https_server):
    port = https_server["port"]
    mixed = {NAMES[0]: ["127.0.0.1", "169.254.169.254"]}
    with _fetcher(pki, mixed) as fetcher, pytest.raises(Refused, match="metadata"):
        fetcher.fetch(f"https://{NAMES[0]}:{port}/")
    private = {NAMES[0]: ["8.8.8.8", "10.1.2.3"]}
    context = ssl.create_default_context(cadata=pki["ca"])
    with SafeFetcher(Policy(), ssl_context=context, resolver=_resolver(private)) as fetcher, \
            pytest.raises(Refused, match="private address"):
        fetcher.fetch(f"https://{NAMES[0]}:{port}/")
    assert https_server["requests"] == [] and https_server["handshakes"] == []


def test_name_resolving_to_loopback_refused_by_default(pki, https_server):
    context = ssl.create_default_context(cadata=pki["ca"])
    with SafeFetcher(Policy(), ssl_context=context,
                     resolver=_resolver(ON_LOOPBACK)) as fetcher, \
            pytest.raises(Refused, match="loopback"):
        fetcher.fetch(f"https://{NAMES[0]}:{https_server['port']}/")
    assert https_server["handshakes"] == []


def test_address_check_is_not_bypassed_by_the_url_parser(pki, https_server):
    # Whatever name httpx ends up connecting to is resolved and checked by the transport itself.
    context = ssl.create_default_context(cadata=pki["ca"])
    with SafeFetcher(Policy(), ssl_context=context) as fetcher:
        for url in ("http://127.0.0.1\\@example.com/", "http://0x7f.1/", "http://[::1]:80/"):
            with pytest.raises(Refused):
                fetcher.fetch(url)
