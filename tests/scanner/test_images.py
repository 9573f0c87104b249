"""Hostile images: SVG bombs and external references, decompression bombs, junk bytes."""

import io
import struct
import threading
import time
import zlib

import pytest
from PIL import Image

from dxday.scanner.images import ImageError, decode, decode_data_uri, rasterise_svg

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol4;</text></svg>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"""


def test_svg_entity_expansion_and_external_entities_refused():
    for data in (BILLION_LAUGHS, XXE):
        started = time.monotonic()
        with pytest.raises(ImageError, match="unsafe or malformed SVG"):
            decode(data)
        assert time.monotonic() - started < 2


@pytest.fixture
def listener():
    """A loopback socket that records any connection: nothing may reach it."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    hits = []

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                hits.append(conn.recv(100))
                conn.close()
            except OSError:
                continue

    stop = threading.Event()
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], hits
    stop.set()
    thread.join(2)
    sock.close()


def test_svg_external_references_fetch_nothing(listener):
    port, hits = listener
    url = f"http://127.0.0.1:{port}/x.png"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="100" height="50"><style>@import url({url}); rect{{fill:url({url})}}</style>'
           f'<image href="{url}" width="10" height="10"/><image xlink:href="{url}" width="9" '
           f'height="9"/><rect style="fill:url({url})" width="5" height="5"/>'
           f'<use href="{url}#a"/><script>fetch("{url}")</script>'
           f'<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="{url}"/>'
           f'</foreignObject><circle cx="25" cy="25" r="20" fill="red"/></svg>')
    rgba = rasterise_svg(svg)
    time.sleep(0.3)
    assert hits == []
    assert rgba.shape[2] == 4 and rgba[:, :, 3].max() == 255  # the circle is still drawn


@pytest.mark.parametrize("svg", [
    b"<svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g>", b"<?xml version='1.0'?><svg",
    b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000"></svg>',
    b"<html><svg></svg></html>",
])
def test_malformed_svg(svg):
    with pytest.raises(ImageError):
        decode(svg)


def test_huge_svg_canvas_is_rendered_small():
    rgba = decode(b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="80000">'
                  b'<rect width="100000" height="80000" fill="blue"/></svg>')
    assert max(rgba.shape[:2]) <= 1024


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` (a decompression bomb)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = zlib.compress(b"\0" * (width // 8 + 1) * 16, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0,
                                                              0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def test_decompression_bomb_refused_without_decoding():
    started = time.monotonic()
    with pytest.raises(ImageError, match="too large|bomb"):
        decode(png_with_size(100_000, 100_000))
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("data", [b"", b"\x00" * 100, b"GIF89a\x01", b"\x89PNG\r\n\x1a\n",
                                  b"RIFF\x00\x00\x00\x00WEBP", b"\xff\xd8\xff\xe0garbage",
                                  b"%PDF-1.7", b"<html></html>"])
def test_junk_bytes(data):
    with pytest.raises(ImageError):
        decode(data)


def test_formats_decode_to_rgba():
    image = Image.new("RGBA", (40, 20), (200, 10, 10, 255))
    for fmt in ("PNG", "GIF", "WEBP", "BMP"):
        buffer = io.BytesIO()
        image.save(buffer, fmt)
        assert decode(buffer.getvalue()).shape == (20, 40, 4)


def test_data_uri():
    assert decode_data_uri("data:image/svg+xml,%3Csvg%3E") == b"<svg>"
    assert decode_data_uri("data:image/png;base64,aGk=") == b"hi"
    with pytest.raises(ImageError):
        decode_data_uri("http://x")
