"""Decide whether an image shows the identity kit's logo.

Pipeline, cheapest first, each candidate verified against the kit's hard negatives:

1. exact file hash (sha256) of the bytes against the kit files;
2. whole-image comparison for images shaped like a reference: perceptual hash (pHash) with a
   colour check, confirmed by normalised cross-correlation on a common size;
3. multi-scale template matching (OpenCV, zero-mean normalised correlation, masked by the
   reference's alpha) on larger images — banners, hero images, screenshots — with the image
   padded so that a logo cut by the edge still matches, then the same verification on the
   region found.

A reference with transparency is compared on the background estimated from the candidate
itself, so a white variant on a dark banner matches like a colour logo on a white page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import threading
from pathlib import Path

import cv2
import imagehash
import numpy as np
from PIL import Image

from .images import KIT_SUFFIXES, ImageError, decode

CANON = 96  # long side of the common size for whole-image comparisons
MIN_SIDE = 16  # ignore images smaller than this (spacers, icons)
MIN_TEMPLATE = 20  # smallest logo searched for in a larger image (after downscaling)
SEARCH_TEMPLATE = 26  # long side of the template in the coarse search, in pixels
REFINE_TEMPLATE = 96  # ... and in the refinement
SCALE_STEP = 1.22  # between the logo sizes tried
MIN_LOGO_SHARE = 12  # in a larger image, logos from 1/12 of its long side are looked for
BLUR = 0.8  # Gaussian sigma applied to both sides of a template match
# Decision thresholds (tuned on the synthetic corpus of bench/scanner.py, several logo designs).
NCC_MIN = 0.80
QUICK_MIN = 0.5  # the cheap first look below which an image is not compared further
BAD_MAX = 0.08  # share of the logo's pixels allowed to be plainly wrong
COLOUR_MAX = 48.0  # mean absolute RGB difference over the logo, 0–255
PHASH_MAX = 10
TEMPLATE_SEED = 0.58
NEGATIVE_MARGIN = 0.02
VISIBLE_MIN = 0.65  # share of the logo that must be inside the image when cut by an edge


@dataclasses.dataclass
class Match:
    method: str  # sha256, phash, ncc, template
    score: float
    reference: str
    bbox: tuple[int, int, int, int] | None = None  # x, y, w, h in the candidate's pixels
    crop: np.ndarray | None = None


@dataclasses.dataclass
class Reference:
    name: str
    sha256: str
    rgba: np.ndarray  # trimmed to its content
    has_alpha: bool
    canon: np.ndarray = dataclasses.field(init=False)  # RGBA at CANON
    phash: imagehash.ImageHash | None = dataclasses.field(init=False, default=None)
    plain: bool = dataclasses.field(init=False, default=False)

    def __post_init__(self):
        self.canon = _resize(self.rgba, _fit(self.rgba.shape, CANON))
        opaque = self.rgba[:, :, 3] > 200
        # A plain logo (one colour, e.g. the white variant): only its outline carries meaning.
        self.plain = bool(self.has_alpha and opaque.any()
                          and self.rgba[:, :, :3][opaque].astype(np.float32).std(axis=0).max()
                          <= 12)
        if not self.has_alpha:
            self.phash = imagehash.phash(Image.fromarray(self.canon[:, :, :3]))

    @property
    def aspect(self) -> float:
        return self.rgba.shape[1] / self.rgba.shape[0]


def _fit(shape, side: int) -> tuple[int, int]:
    h, w = shape[:2]
    scale = side / max(h, w)
    return max(1, int(round(w * scale))), max(1, int(round(h * scale)))


def _resize(rgba: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize an RGBA image without darkening its edges (resampled with premultiplied alpha)."""
    w, h = size
    if (rgba.shape[1], rgba.shape[0]) == (w, h):
        return rgba
    interpolation = cv2.INTER_AREA if w < rgba.shape[1] else cv2.INTER_LINEAR
    if rgba[:, :, 3].min() == 255:
        return cv2.resize(rgba, (w, h), interpolation=interpolation)
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255.0
    premultiplied = np.concatenate([rgba[:, :, :3].astype(np.float32) * alpha, alpha * 255.0],
                                   axis=2)
    out = cv2.resize(premultiplied, (w, h), interpolation=interpolation)
    out = out.reshape(h, w, 4)
    a = np.clip(out[:, :, 3:4] / 255.0, 0, 1)
    rgb = np.where(a > 1e-3, out[:, :, :3] / np.maximum(a, 1e-3), 0)
    return np.clip(np.concatenate([rgb, a * 255.0], axis=2), 0, 255).astype(np.uint8)


def trim(rgba: np.ndarray, *, tolerance: int = 40) -> np.ndarray:
    """Cut transparent or uniform borders (a logo saved on a plain background).

    A row or column is content when more than 2 % of its pixels differ from the corner colour
    by more than ``tolerance`` (so compression noise does not count).
    """
    h, w = rgba.shape[:2]
    if max(h, w) > 400:  # a quick look on every 4th pixel: nothing to cut (a photo)? done
        rough = trim(rgba[::4, ::4], tolerance=tolerance)
        if rough.shape[0] * 4 >= h - 8 and rough.shape[1] * 4 >= w - 8:
            return rgba
    alpha = rgba[:, :, 3]
    if alpha.min() < 250:
        content = alpha > 24
    else:
        corner = np.median(np.stack([rgba[0, 0, :3], rgba[0, -1, :3], rgba[-1, 0, :3],
                                     rgba[-1, -1, :3]]), axis=0).astype(np.int16)
        content = np.abs(rgba[:, :, :3].astype(np.int16) - corner).max(axis=2) > tolerance
    share = 0.0 if alpha.min() < 250 else 0.02
    rows = np.nonzero(content.mean(axis=1) > share)[0]
    cols = np.nonzero(content.mean(axis=0) > share)[0]
    if len(rows) == 0 or len(cols) == 0:
        return rgba
    return rgba[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def composite(rgba: np.ndarray, background) -> np.ndarray:
    """RGB float32 of ``rgba`` over a background colour (3,) or image (H, W, 3)."""
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255.0
    rgb = rgba[:, :, :3].astype(np.float32)
    return rgb * alpha + np.asarray(background, np.float32) * (1.0 - alpha)


def _gray(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114], np.float32)


def _ncc(a: np.ndarray, b: np.ndarray, weight: np.ndarray | None = None) -> float:
    """Zero-mean normalised cross-correlation of two same-size grey images, optionally weighted."""
    if weight is None:
        weight = np.ones_like(a)
    weight = np.broadcast_to(weight, a.shape)
    total = float(weight.sum())
    if total <= 0:
        return 0.0
    da = a - (a * weight).sum() / total
    db = b - (b * weight).sum() / total
    va = float((da * da * weight).sum()) / total
    vb = float((db * db * weight).sum()) / total
    if va < 1.0 or vb < 1.0:  # a flat image correlates with nothing
        return 0.0
    return float((da * db * weight).sum()) / total / math.sqrt(va * vb)


def compare(region: np.ndarray, ref: Reference,
            part: tuple[float, float, float, float] = (0, 0, 1, 1), *, thorough: bool = True
            ) -> tuple[float, float, float]:
    """Correlation, mean colour difference and share of plainly wrong pixels of a candidate
    region against a reference.

    Both are brought to the smaller of the two sizes (at most ``CANON``) and slightly blurred,
    so resampling and compression do not count. ``part`` (x0, y0, x1, y1 as fractions) is the
    part of the reference the region shows, when the logo is cut by the image's edge.
    """
    rh, rw = ref.rgba.shape[:2]
    x0 = min(rw - 1, max(0, int(round(part[0] * rw))))
    y0 = min(rh - 1, max(0, int(round(part[1] * rh))))
    x1 = min(rw, max(x0 + 1, int(round(part[2] * rw))))
    y1 = min(rh, max(y0 + 1, int(round(part[3] * rh))))
    ref_part = ref.rgba[y0:y1, x0:x1]
    side = min(CANON, max(region.shape[:2]))
    size = _fit(ref_part.shape, side)
    ref_part = _resize(ref_part, size)
    cand = _resize(region, size)
    sigma = max(0.6, side / 90)
    alpha = ref_part[:, :, 3].astype(np.float32) / 255.0
    cand_alpha = cand[:, :, 3].astype(np.float32) / 255.0
    inside = alpha > 0.5
    if inside.sum() == 0:
        return 0.0, 255.0, 1.0
    pairs = []  # (reference RGB, candidate RGB, weight)
    if cand_alpha.min() < 0.95 and not ref.plain:
        # A transparent candidate: compare it over white, and over black if that fails.
        on_white = _aligned(ref_part, composite(cand, (255, 255, 255)), sigma, masked=False,
                            background=(255, 255, 255), thorough=thorough)
        if on_white[0] >= NCC_MIN:
            return on_white
        on_black = _aligned(ref_part, composite(cand, (0, 0, 0)), sigma, masked=False,
                            background=(0, 0, 0), thorough=thorough)
        return max(on_white, on_black, key=lambda s: s[0] - s[1] / 255.0)
    if cand_alpha.min() < 0.95:
        weight = np.maximum(alpha, cand_alpha)
        for bg in ((255, 255, 255), (0, 0, 0)):
            pairs.append((composite(ref_part, bg), composite(cand, bg), weight))
    elif not ref.plain:
        # Only the logo's own pixels count (masked correlation), allowing for a slightly
        # imprecise box: a few pixels of shift and a few per cent of scale.
        return _aligned(ref_part, cand, sigma, masked=ref.has_alpha, thorough=thorough)
    else:
        # A plain (white) logo: its outline is the signal, against the surrounding colour.
        outside = alpha < 0.1
        bg = np.median(cand[:, :, :3][outside], axis=0) if outside.sum() >= 8 else (0, 0, 0)
        return _aligned(ref_part, cand, sigma, masked=False, background=bg, thorough=thorough)
    scores = []
    for ref_rgb, cand_rgb, weight in pairs:
        ref_rgb = cv2.GaussianBlur(ref_rgb, (0, 0), sigma)
        cand_rgb = cv2.GaussianBlur(cand_rgb, (0, 0), sigma)
        if ref.plain:
            ncc = _ncc(_gray(ref_rgb), _gray(cand_rgb), weight)
        else:
            ncc = _ncc(ref_rgb, cand_rgb, None if weight is None else weight[:, :, None])
        diff = np.abs(ref_rgb - cand_rgb)
        scores.append((ncc, float(diff[inside].mean()), _bad_share(diff, inside)))
    return max(scores, key=lambda s: (s[0] - s[1] / 255.0))


def _bad_share(diff: np.ndarray, inside: np.ndarray) -> float:
    """Share of the logo's pixels that are plainly wrong (a channel off by more than 64): a
    look-alike differs a lot in a few places, which correlation alone hides."""
    return float((diff.max(axis=2)[inside] > 64).mean())


def _quick(content: np.ndarray, ref: Reference) -> float:
    """A cheap first look: grey correlation at 32 pixels, over white (and black), no alignment."""
    size = _fit(ref.rgba.shape, 32)
    small_ref = cv2.resize(ref.rgba, size, interpolation=cv2.INTER_AREA)
    small = cv2.resize(content, size, interpolation=cv2.INTER_AREA)
    score = _ncc(_gray(composite(small_ref, (255, 255, 255))),
                 _gray(composite(small, (255, 255, 255))))
    if ref.has_alpha and (ref.plain or small[:, :, 3].min() < 250):
        score = max(score, _ncc(_gray(composite(small_ref, (0, 0, 0))),
                                _gray(composite(small, (0, 0, 0)))))
    return score


def _aligned(ref_part: np.ndarray, cand, sigma: float, *, masked: bool,
             background=None, thorough: bool = True) -> tuple[float, float, float]:
    """Best correlation of the reference drawn over the candidate, over a few pixels of shift
    and a few per cent of scale (boxes found by template matching are not exact)."""
    h, w = cand.shape[:2]
    margin = max(2, round(max(h, w) * 0.03))
    padded = cv2.copyMakeBorder(np.ascontiguousarray(cand[:, :, :3]), margin, margin,
                                margin, margin,
                                cv2.BORDER_REPLICATE).astype(np.float32)
    best = (0.0, None)
    blurred = cv2.GaussianBlur(padded, (0, 0), sigma)
    refs = {}

    def score(scale: float, dx: int, dy: int):
        if scale not in refs:
            sw, sh = max(4, round(w * scale)), max(4, round(h * scale))
            ref = _resize(ref_part, (sw, sh))
            alpha = ref[:, :, 3].astype(np.float32) / 255.0
            refs[scale] = (ref, alpha, alpha > 0.5, sw, sh)
        ref, alpha, inside, sw, sh = refs[scale]
        if inside.sum() < 12:
            return None
        y0 = margin + dy + (h - sh) // 2
        x0 = margin + dx + (w - sw) // 2
        if y0 < 0 or x0 < 0 or y0 + sh > padded.shape[0] or x0 + sw > padded.shape[1]:
            return None
        b = blurred[y0:y0 + sh, x0:x0 + sw]
        if masked:
            a = cv2.GaussianBlur(composite(ref, padded[y0:y0 + sh, x0:x0 + sw]), (0, 0), sigma)
            weight = alpha[:, :, None]
        else:
            rgb = composite(ref, background) if background is not None else \
                ref[:, :, :3].astype(np.float32)
            a, weight = cv2.GaussianBlur(rgb, (0, 0), sigma), None
        return _ncc(a, b, weight), (a, b, inside)

    # Shifts at the found scale first (a coarse grid, then a finer one around the best), then
    # the scales at the best shift.
    best_shift = (0, 0)
    for step in (margin, max(1, margin // 2)):
        cx, cy = best_shift
        for dy in (cy - step, cy, cy + step):
            for dx in (cx - step, cx, cx + step):
                if (dx, dy) == best_shift and best[0] > 0:
                    continue
                found = score(1.0, dx, dy)
                if found and found[0] > best[0]:
                    best, best_shift = found, (dx, dy)
    for scale in (0.97, 1.03):
        found = score(scale, *best_shift)
        if found and found[0] > best[0]:
            best = found
    if thorough and 0.6 <= best[0] < NCC_MIN:  # close: every shift at more scales (a halo)
        half = max(1, margin // 2)
        for scale in (0.94, 0.97, 1.03, 1.06):
            for dy in (-margin, -half, 0, half, margin):
                for dx in (-margin, -half, 0, half, margin):
                    found = score(scale, dx, dy)
                    if found and found[0] > best[0]:
                        best = found
    if best[1] is None:
        return 0.0, 255.0, 1.0
    a, b, inside = best[1]
    diff = np.abs(a - b)
    return best[0], float(diff[inside].mean()), _bad_share(diff, inside)


def _key_colours(rgba: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """The reference's main colours (quantised) with their share of its opaque pixels."""
    opaque = rgba[:, :, 3] > 200
    pixels = rgba[:, :, :3][opaque].astype(np.int32)
    if len(pixels) == 0:
        return []
    codes = (pixels // 32) @ np.array([64, 8, 1])
    values, counts = np.unique(codes, return_counts=True)
    order = np.argsort(counts)[::-1][:3]
    colours = []
    for code, count in zip(values[order], counts[order], strict=True):
        share = count / len(pixels)
        if share < 0.08:
            break
        colours.append((pixels[codes == code].mean(axis=0), float(share)))
    return colours


@dataclasses.dataclass
class _Template:
    index: int  # into Matcher.references
    gray: np.ndarray  # RGB uint8, long side 256 at most
    colours: list[tuple[np.ndarray, float]]
    # For coloured logos with transparency: resized (alpha-aware) per size, its alpha the mask.
    rgba: np.ndarray | None = None


class Matcher:
    """The kit's references and hard negatives, ready to test candidate images."""

    def __init__(self, references: list[Reference], negatives: list[Reference]):
        if not references:
            raise ValueError("the kit has no reference image")
        self.references = references
        self.negatives = negatives
        self.hashes = {r.sha256: r for r in references}
        self.negative_hashes = {r.sha256 for r in negatives}
        self._local = threading.local()  # best score of the last image, per thread
        self._templates: list[_Template] = []
        for index, ref in enumerate(references):
            if not any(self._same(ref, references[t.index]) for t in self._templates):
                self._templates.append(self._template(index, ref))
        self._distinct = [references[t.index] for t in self._templates]

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_directory(cls, directory: str | Path) -> Matcher:
        directory = Path(directory)
        if not directory.is_dir():
            raise FileNotFoundError(f"kit folder not found: {directory}")
        refs = [load_reference(p) for p in sorted(directory.iterdir())
                if p.is_file() and p.suffix.lower() in KIT_SUFFIXES]
        neg_dir = directory / "negatives"
        negs = [load_reference(p) for p in sorted(neg_dir.iterdir())
                if p.is_file() and p.suffix.lower() in KIT_SUFFIXES] if neg_dir.is_dir() else []
        return cls(refs, negs)

    @classmethod
    def from_files(cls, files, negatives=()) -> Matcher:
        return cls([reference_from_bytes(n, d) for n, d in files],
                   [reference_from_bytes(n, d) for n, d in negatives])

    @staticmethod
    def _same(a: Reference, b: Reference) -> bool:
        """Two kit files of one logo (a PNG and its SVG, say): searched for once."""
        if abs(a.aspect - b.aspect) >= 0.05:
            return False
        ncc, colour, _ = compare(a.rgba, b)
        return ncc > 0.97 and colour < 20

    @staticmethod
    def _template(index: int, ref: Reference) -> _Template:
        rgba = ref.rgba
        if max(rgba.shape[:2]) > 256:
            rgba = _resize(rgba, _fit(rgba.shape, 256))
        colours = _key_colours(rgba)
        if ref.has_alpha and not ref.plain:
            # Coloured content: match the opaque content only, whatever the background.
            return _Template(index, np.ascontiguousarray(rgba[:, :, :3]), colours, rgba=rgba)
        if ref.has_alpha:
            # Plain (e.g. white) content: its shape is the signal; match it over black.
            on_black = composite(rgba, (0, 0, 0))
            return _Template(index, np.clip(on_black, 0, 255).astype(np.uint8), colours)
        return _Template(index, np.ascontiguousarray(rgba[:, :, :3]), colours)

    # -- matching -----------------------------------------------------------------------------
    def match_bytes(self, data: bytes) -> Match | None:
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.negative_hashes:
            return None
        if digest in self.hashes:
            ref = self.hashes[digest]
            return Match("sha256", 1.0, ref.name, crop=ref.rgba)
        try:
            rgba = decode(data)
        except ImageError:
            return None
        return self.match_image(rgba)

    @property
    def last_best(self) -> float:
        """Best correlation seen while examining the last image (evidence of absence)."""
        return getattr(self._local, "best", 0.0)

    def _note(self, score: float) -> None:
        self._local.best = max(getattr(self._local, "best", 0.0), score)

    def match_image(self, rgba: np.ndarray, *, min_logo: float | None = None) -> Match | None:
        """Whether ``rgba`` is or contains the logo. Inside a larger image the logo is looked
        for from ``min_logo`` pixels (default: a twelfth of the image's long side)."""
        self._local.best = 0.0
        if max(rgba.shape[:2]) < MIN_SIDE:
            return None
        content = trim(rgba)
        if min(content.shape[:2]) >= 8:
            found = self._whole(content)
            if found:
                return found
        return self._search(rgba, min_logo=min_logo)

    def _negative_wins(self, region, score, part=(0, 0, 1, 1)) -> bool:
        for neg in self.negatives:
            if part == (0, 0, 1, 1) and _quick(region, neg) < score - 0.3:
                continue  # plainly not this negative
            ncc, colour, _ = compare(region, neg, part, thorough=False)
            if ncc >= score - NEGATIVE_MARGIN and colour <= COLOUR_MAX:
                return True
        return False

    def _whole(self, content: np.ndarray) -> Match | None:
        """The image is the logo (resized, re-encoded): pHash or correlation, plus colour."""
        aspect = content.shape[1] / content.shape[0]
        best = None
        for ref in self._distinct:
            if not 0.93 <= aspect / ref.aspect <= 1.075:
                continue
            quick = _quick(content, ref)
            self._note(quick)
            if quick < QUICK_MIN:  # plainly something else: skip the aligned comparison
                continue
            ncc, colour, bad = compare(content, ref)
            self._note(ncc)
            if not _accept(ncc, colour, bad, plain=ref.plain):
                continue
            method = "ncc"
            if ref.phash is not None and content[:, :, 3].min() > 240:
                canon = _resize(content, (ref.canon.shape[1], ref.canon.shape[0]))
                if imagehash.phash(Image.fromarray(canon[:, :, :3])) - ref.phash <= PHASH_MAX:
                    method = "phash"
            if best is None or ncc > best.score:
                best = Match(method, round(ncc, 4), ref.name, crop=content)
        if best and self._negative_wins(content, best.score):
            return None
        return best

    @staticmethod
    def _has_colours(rgb: np.ndarray, template: _Template, min_logo: float) -> bool:
        """Cheap pre-filter: does the image hold the logo's main colours, side by side?

        Each of the (up to two) main colours must cover a share of the image, and — when the
        logo has two — both must occur within the same neighbourhood of the size of the
        smallest logo looked for.
        """
        if not template.colours:
            return True
        step = 2 if max(rgb.shape[:2]) < 800 else 4
        sample = rgb[::step, ::step].astype(np.int16)
        masks = []
        for colour, share in template.colours[:2]:
            near = (np.abs(sample - colour.astype(np.int16)).max(axis=2) < 48)
            if near.mean() < max(0.0008, share * 0.004):
                return False
            masks.append(near.astype(np.uint8))
        if len(masks) < 2:
            return True
        cell = max(2, int(min_logo / step))
        kernel = np.ones((cell, cell), np.uint8)
        together = cv2.dilate(masks[0], kernel) & cv2.dilate(masks[1], kernel)
        return bool(together.any())

    def _search(self, rgba: np.ndarray, *, min_logo: float | None = None) -> Match | None:
        """Multi-scale template matching for a logo inside the image, coarse then fine.

        Each logo size is searched at the pyramid level where the template is about
        ``SEARCH_TEMPLATE`` pixels long (cheap, and tolerant of the gaps between the sizes
        tried); the best peaks are then refined around their place at a finer scale step.
        """
        h, w = rgba.shape[:2]
        opaque = rgba[::4, ::4, 3] > 128
        if opaque.any() and rgba[::4, ::4, :3][opaque].mean() > 200:
            background = (0, 0, 0)  # bright content on transparency: search it over black
        else:
            background = (255, 255, 255)
        rgb = composite(rgba, background) if rgba[:, :, 3].min() < 250 else \
            rgba[:, :, :3].astype(np.float32)
        min_logo = float(max(MIN_TEMPLATE, min_logo or max(h, w) / MIN_LOGO_SHARE))
        templates = [t for t in self._templates if self._has_colours(rgb, t, min_logo)]
        if not templates:
            return None
        gray_full = np.ascontiguousarray(np.clip(rgb, 0, 255).astype(np.uint8))  # RGB
        levels: dict[float, np.ndarray] = {}

        def level(f: float) -> np.ndarray:
            if f not in levels:
                image = gray_full if f >= 1 else cv2.resize(
                    gray_full, (max(1, round(w * f)), max(1, round(h * f))),
                    interpolation=cv2.INTER_AREA)
                levels[f] = cv2.GaussianBlur(image, (0, 0), BLUR)
            return levels[f]

        seeds = []
        for template in templates:
            th0, tw0 = template.gray.shape[:2]
            size = min_logo
            while size <= max(h, w) * 1.1:
                scale = size / max(th0, tw0)
                target = size
                size *= SCALE_STEP
                f = min(1.0, SEARCH_TEMPLATE / target)
                f = 2.0 ** (-round(-math.log2(f) * 4) / 4)  # quarter-octave pyramid levels
                image = level(f)
                tw, th = max(4, round(tw0 * scale * f)), max(4, round(th0 * scale * f))
                if th > image.shape[0] * 1.3 or tw > image.shape[1] * 1.3:
                    continue
                peak, x, y = _best(image, template, tw, th, blur=True)
                if peak >= TEMPLATE_SEED:
                    seeds.append((peak, template.index, x / f, y / f, tw / f, th / f))
        seeds.sort(reverse=True, key=lambda s: s[0])
        kept: list[tuple] = []
        for seed in seeds:  # distinct places only
            if all(abs(seed[2] - k[2]) > k[4] * 0.3 or abs(seed[3] - k[3]) > k[5] * 0.3
                   or seed[1] != k[1] for k in kept):
                kept.append(seed)
            if len(kept) >= 3:
                break
        for _, index, x, y, tw, th in kept:
            found = self._refine(rgba, gray_full, index, x, y, tw, th)
            if found:
                return found
        return None

    def _refine(self, rgba, gray_full, index, x, y, tw, th) -> Match | None:
        template = next(t for t in self._templates if t.index == index)
        h, w = gray_full.shape[:2]
        f = min(1.0, REFINE_TEMPLATE / max(tw, th))
        mx, my = int(tw * 0.35) + 2, int(th * 0.35) + 2
        wx0, wy0 = int(x) - mx, int(y) - my
        window = _window(gray_full, wx0, wy0, int(x + tw) + mx, int(y + th) + my)
        if f < 1:
            window = cv2.resize(window, (max(1, round(window.shape[1] * f)),
                                         max(1, round(window.shape[0] * f))),
                                interpolation=cv2.INTER_AREA)
        window = cv2.GaussianBlur(window, (0, 0), BLUR)
        best = (-1.0, x, y, tw, th)
        for step in range(-3, 4):
            scale = 1.0 + step * 0.035
            sw_, sh_ = tw * scale * f, th * scale * f
            peak, px, py = _best(window, template, max(4, round(sw_)), max(4, round(sh_)),
                                 pad=False, blur=True)
            if peak > best[0]:
                best = (peak, wx0 + px / f, wy0 + py / f, sw_ / f, sh_ / f)
        _, X, Y, W, H = best
        x0, y0 = max(0, int(round(X))), max(0, int(round(Y)))
        x1, y1 = min(w, int(round(X + W))), min(h, int(round(Y + H)))
        if x1 - x0 < 6 or y1 - y0 < 6:
            return None
        part = ((x0 - X) / W, (y0 - Y) / H, (x1 - X) / W, (y1 - Y) / H)
        if (part[2] - part[0]) * (part[3] - part[1]) < VISIBLE_MIN:
            return None
        region = rgba[y0:y1, x0:x1]
        ref = self.references[index]
        ncc, colour, bad = compare(region, ref, part)
        self._note(ncc)
        if not _accept(ncc, colour, bad, plain=ref.plain):
            return None
        if self._negative_wins(region, ncc, part):
            return None
        return Match("template", round(ncc, 4), ref.name,
                     bbox=(x0, y0, x1 - x0, y1 - y0), crop=region)


def _accept(ncc: float, colour: float, bad: float, *, plain: bool = False) -> bool:
    """The decision: correlated, in the right colours, and without a part that is plainly
    different — or, for a region whose correlation suffers from a cut or a busy background,
    nearly every pixel of the logo in its exact colour."""
    if plain:  # a one-colour outline against its background: sharp edges, high contrast
        return ncc >= 0.9 and colour <= COLOUR_MAX and bad <= 0.2
    if ncc >= NCC_MIN and colour <= COLOUR_MAX and bad <= BAD_MAX:
        return True
    return ncc >= 0.70 and colour <= 12 and bad <= 0.01


def _window(gray: np.ndarray, x0, y0, x1, y1) -> np.ndarray:
    """gray[y0:y1, x0:x1], with the edge pixels repeated where it reaches outside the image."""
    h, w = gray.shape[:2]
    top, left = max(0, -y0), max(0, -x0)
    bottom, right = max(0, y1 - h), max(0, x1 - w)
    inner = gray[max(0, y0):min(h, y1), max(0, x0):min(w, x1)]
    if top or left or bottom or right:
        inner = cv2.copyMakeBorder(inner, top, bottom, left, right, cv2.BORDER_REPLICATE)
    return inner


def _best(gray: np.ndarray, template: _Template, tw: int, th: int, *, pad: bool = True,
          blur: bool = False):
    """Best match of ``template`` at size (tw, th) in ``gray``: (score, x, y) in gray's pixels."""
    if template.rgba is not None:
        small = _resize(template.rgba, (tw, th))
        t = np.ascontiguousarray(small[:, :, :3])
        m = (small[:, :, 3] > 200).astype(np.uint8) * 255
        if m.sum() < 255 * 40:  # too few pixels to mean anything
            return 0.0, 0, 0
    else:
        t = cv2.resize(template.gray, (tw, th), interpolation=cv2.INTER_AREA)
        m = None
    if blur:
        t = cv2.GaussianBlur(t, (0, 0), BLUR)
    if t.std() < 2:
        return 0.0, 0, 0
    px, py = (int(tw * 0.3), int(th * 0.3)) if pad else (0, 0)
    image = cv2.copyMakeBorder(gray, py, py, px, px, cv2.BORDER_REPLICATE) if pad else gray
    if image.shape[0] < th or image.shape[1] < tw:
        return 0.0, 0, 0
    result = cv2.matchTemplate(image, t, cv2.TM_CCOEFF_NORMED, mask=m)
    result = np.nan_to_num(result, nan=0.0, posinf=0.0, neginf=0.0)
    _, peak, _, (x, y) = cv2.minMaxLoc(result)
    return float(peak), x - px, y - py


def reference_from_bytes(name: str, data: bytes) -> Reference:
    rgba = decode(data, svg_width=512)
    has_alpha = bool(rgba[:, :, 3].min() < 250)
    content = trim(rgba)
    return Reference(name=name, sha256=hashlib.sha256(data).hexdigest(), rgba=content,
                     has_alpha=has_alpha)


def load_reference(path: Path) -> Reference:
    try:
        return reference_from_bytes(path.name, path.read_bytes())
    except ImageError as exc:
        raise ValueError(f"{path}: {exc}") from None
