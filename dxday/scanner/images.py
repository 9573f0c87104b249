"""Decode images from untrusted bytes into RGBA arrays, safely.

Raster formats go through Pillow with a pixel cap checked before decoding (decompression bombs);
SVG is parsed with defusedxml (no DTD, no entities), stripped of scripts and of every external
reference, then rasterised by resvg (which has no network access of its own).
"""

from __future__ import annotations

import base64
import io
import re
import urllib.parse
import warnings
from xml.etree import ElementTree

import numpy as np
from defusedxml import ElementTree as SafeET
from PIL import Image

KIT_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"}
MAX_PIXELS = 40_000_000  # refuse anything larger before decoding it
MAX_SIDE = 2000  # decoded images are shrunk to this long side
MAX_SVG_BYTES = 2 * 1024 * 1024
RASTER_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "BMP", "ICO", "MPO"}
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


class ImageError(Exception):
    pass


def looks_like_svg(data: bytes) -> bool:
    """XML-looking bytes that mention an ``svg`` element early (prolog, DOCTYPE or comments
    may come first)."""
    head = data[:4096].lstrip().lower()
    return head.startswith(b"<") and b"<svg" in head


def decode(data: bytes, *, svg_width: int | None = None) -> np.ndarray:
    """Return an RGBA uint8 array (H, W, 4) or raise :class:`ImageError`."""
    if not data:
        raise ImageError("empty image")
    if looks_like_svg(data):
        return rasterise_svg(data, width=svg_width)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in RASTER_FORMATS:
                raise ImageError(f"unsupported image format {image.format}")
            width, height = image.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise ImageError(f"image too large ({width}×{height})")
            image.seek(0)
            if max(width, height) > MAX_SIDE:
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
                image = image.convert("RGBA")
                image.thumbnail((MAX_SIDE, MAX_SIDE))
            else:
                image = image.convert("RGBA")
            return np.asarray(image, dtype=np.uint8).copy()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"decompression bomb: {exc}") from None
    except Exception as exc:  # Pillow raises many types for broken files
        raise ImageError(f"cannot decode image: {exc.__class__.__name__}") from None


def decode_data_uri(uri: str) -> bytes:
    header, _, payload = uri.partition(",")
    if not header.lower().startswith("data:"):
        raise ImageError("not a data URI")
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=False)
        except ValueError:
            raise ImageError("bad base64 in data URI") from None
    return urllib.parse.unquote_to_bytes(payload)


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match else None


def sanitise_svg(data: bytes | str) -> tuple[str, float, float]:
    """Return safe SVG markup and its natural size; raise :class:`ImageError`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_SVG_BYTES:
        raise ImageError("SVG larger than 2 MB")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except Exception as exc:
        raise ImageError(f"unsafe or malformed SVG: {exc.__class__.__name__}") from None
    if root.tag not in (f"{{{_SVG_NS}}}svg", "svg"):
        raise ImageError("not an SVG document")
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in list(root.iter()):
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("script", "foreignObject"):
            parents[element].remove(element)
            continue
        for attr in ("href", _XLINK):
            value = (element.get(attr) or "").strip()
            if value and not value.startswith("#") and not value.lower().startswith(
                    "data:image/"):
                del element.attrib[attr]
        style = element.get("style")
        if style and "url(" in style and "url(#" not in style:
            del element.attrib["style"]
        if local == "style" and element.text and ("@import" in element.text
                                                  or "url(" in element.text):
            element.text = re.sub(r"@import[^;]*;?|url\((?!\s*['\"]?#)[^)]*\)", "",
                                  element.text)
    width, height = _length(root.get("width")), _length(root.get("height"))
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if (not width or not height) and len(view_box) == 4:
        try:
            width, height = float(view_box[2]), float(view_box[3])
        except ValueError:
            width = height = None
    if not width or not height:
        width, height = 300.0, 150.0
    if max(width / height, height / width) > 40:
        raise ImageError("SVG aspect ratio out of range")
    if root.tag == "svg":  # inline SVG parsed without namespace
        root.set("xmlns", _SVG_NS)
    return ElementTree.tostring(root, encoding="unicode"), width, height


def rasterise_svg(data: bytes | str, *, width: int | None = None) -> np.ndarray:
    import resvg_py

    markup, natural_w, natural_h = sanitise_svg(data)
    target = width or int(min(max(natural_w, natural_h, 256), 1024))
    scale = target / max(natural_w, natural_h)
    try:
        png = resvg_py.svg_to_bytes(svg_string=markup,
                                    width=max(1, int(round(natural_w * scale))),
                                    height=max(1, int(round(natural_h * scale))))
    except (ValueError, OverflowError) as exc:
        raise ImageError(f"cannot render SVG: {exc}") from None
    return decode(png)
