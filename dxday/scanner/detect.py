"""Decide whether an image shows the identity kit's logo, whatever the logo looks like.

Everything is compared on *structure*: the orientation of edges (gradient angle doubled, so a
dark logo on a light photo and a white one on a dark footer look the same), their strength
saturated (so a 25 % dark overlay or a pale background changes little), taken on the colour
channel with the strongest edge and, for a reference with transparency, on its outline too.
Colour is only a secondary cue — except that a one-colour logo (not a light one) in an opaque
picture is also compared on how much each pixel is its ink (``_ink_map``): thin lettering over a
busy photograph keeps its outline there, where the photograph's edges of other colours are gone.

Candidates, cheapest first:

1. exact file hash (sha256) of the bytes against the kit files;
2. the whole image is the logo (trimmed of its borders, shaped like a reference): aligned by a
   small search over shift, scale and squash; an image that is, as a whole, one of the kit's
   hard negatives (last year's logo on its own) is not searched further;
3. multi-scale template matching of the structure field (alpha-masked, padded so a logo cut by
   the edge still matches), coarse at a ~26 px template then refined over rotation (±8°),
   squash (±10 %) and scale — the small logos; a one-colour logo from ``INK_SEARCH_LONG`` long
   is also looked for in its ink, and the closest such place is refined too; a place that comes
   much closer with a quarter of the template left out (a logo with a corner covered by another
   picture) is looked at and refined that way too; a lockup's icon (at one end, taller than the
   words beside it) is also looked for alone, and the lockup where it places it, upright and
   turned about it, is looked at and refined too; the closest place that was refined without
   passing (but not one placed by an icon) is then moved a little (shift, scale, angle) to
   where the verification agrees, and verified there with each of the logo's kit files;
4. SIFT local features matched against every kit variant (both polarities) and verified by
   RANSAC (similarity), for logos large enough to carry keypoints: rotated, partly covered.

Every candidate is then *verified* in the reference's own frame: the image is warped onto the
reference; the structure agreement is measured per cell of a grid, so a covered or cut part
costs only its cells. A candidate is ``present`` only if it also fits the kit better than every
hard negative **in the aligned region where they differ** (last year's wordmark, where only the
year changes, is compared on the year) — unless that region is cut off by the picture's edge:
mostly, or partly and seen to fit both alike, then the rest of the logo decides, if it is
clearly the kit's. Where a hard negative fitted clearly better at one pose of a place, the kit
must fit better than that at any other pose of it (a pose a little off compares the year a
pixel or two away, and may fit this year's by chance). Logos are looked for from a minimum size
on both the long and the short side.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import math
import threading
from pathlib import Path

import cv2
import numpy as np

from .images import KIT_SUFFIXES, ImageError, decode

# Images are decided in parallel by the scanner's threads (one image per thread): OpenCV's own
# worker threads would only compete with them, and hide the CPU an image costs.
cv2.setNumThreads(1)

MIN_SIDE = 16  # ignore images smaller than this (spacers, bullets)
MIN_TEMPLATE = 20  # smallest logo (long side) searched for inside a larger image
MIN_SHORT = 14  # ... and its smallest short side: a 5:1 mark is never matched on a 29×6 strip
MIN_LOGO_SHARE = 12  # inside a larger image, logos from 1/12 of its long side are looked for
FRAME = 256  # long side of a reference's own frame
SEARCH_TEMPLATE = 26  # long side of the template in the coarse search, in pixels
SEARCH_SHORT = 16  # ... and at least this on its short side
SEARCH_SHORT_FINE = 24  # ... wide marks, each size: upright, on a finer level
SEARCH_POOL = 1.3  # blur of the structure in the coarse search (tolerates the size step)
REFINE_TEMPLATE = 72  # long side of the template in the refinement
REFINE_SHORT = 24  # ... and at least this on its short side
REFINE_SHORT_WIDE = 32  # ... wide marks (a lockup's words are a part of its height: at 24 px
# their strokes blur into a band, and the squash and size steps are chosen on the band)
VERIFY_LONG = 128  # the frame of the verification, at most (smaller logos: their own size) ...
VERIFY_SHORT = 28  # ... unless its short side would be shorter than this (the usual frame)
VERIFY_SHORT_WIDE = 56  # ... wide marks (a lockup's words are a part of its height: at 28 px a
# regular weight's strokes are a fraction of a pixel, and on a photograph their structure is
# lost). The regions cue is judged at VERIFY_SHORT still (its detail scale is in pixels), and a
# year cut by the picture's edge as before (see _verify)
SCALE_STEP = 1.2  # between the logo sizes tried
SCALE_STEP_WIDE = 1.1  # ... for wide marks (2:1 and wider): a 7:1 lockup 7 % too long or too
# short correlates at the coarse size no better than a photograph's texture
WIDE = 2.0  # (a wide mark: this long for its height, at least)
REFINE_FINE = 1.025  # wide marks: the refined size is also tried this much larger and smaller
TRANSIENT_TEMPLATES = 300  # (a kit file's refinement templates kept: the ones used last; on 135
# images of the speed bench's kind the refinements used 622, and 300 let 961 be made, not 3,122;
# each is 72 px long or 24–32 px high, up to 150 KB turned: at most 45 MB per kit file)
EDGE_SOFT = 40.0  # edge strength (Sobel, 0–255 channels) at which the field is half saturated
ENERGY_FLOOR = 0.01  # the picture's structure energy under a template is counted as at least
# this times the template's area: a flat place (a clear sky, a black helmet; JPEG's faint noise
# its only structure) correlates as little as it is drawn, not as well as that noise lines up
SEED_MIN = 0.30  # coarse correlation from which a place is refined
PEAKS_PER_SIZE = 2  # places kept per logo size and look (level, angle) in the coarse search
CANDIDATES = 6  # places looked at as they are (verification at the coarse pose)
ROTATED_CANDIDATES = 2  # ... and as many rotated ones (wide marks)
INK_CANDIDATES = 3  # ... and of those found in a one-colour logo's ink, this many (one turned,
# at most), the closest of them refined in a turn of its own (beside MAX_SEEDS and LARGER)
INK_SEARCH_LONG = 144  # (a one-colour logo is looked for in its ink from this long side:
# smaller, a photograph's patches of the colour offer many places, and the search costs most)
MAX_SEEDS = 2  # ... of the others, the closest are refined
LARGER = 1.5  # ... and a place this much larger than those, if any
LARGER_PEAK = 0.05  # ... whose search peak is within this of theirs
COVER_GAIN = 0.08  # a place whose correlation rises this much with a quarter left out ...
COVER_CANDIDATES = 2  # ... is looked at too (a covered logo), this many at most
COVER_KEEP = 0.65  # (the quarters left in: this share of the template's structure, at least)
COVER_FROM = 0.5  # such a place is refined that way too, if refined as usual it verified this
# close (and its long side has POLISH_MIN pixels)
COVER_LOOKS = 6  # per logo size (upright, POLISH_MIN long), the next places after the
COVER_SEED_MIN = 0.2  # PEAKS_PER_SIZE best, down to this correlation, are looked at with a
# quarter left out; the one that gains most (COVER_GAIN, and to SEED_MIN + COVER_GAIN) is one
# more place of that size, looked at as a covered one only (one such place per image)
COVER_TURNS = 1  # ... and refined in a turn of its own (0: only if it ranks among MAX_SEEDS or
# is the LARGER place; 1: one such place per image, so the same as more)
QUICK_ACCEPT = 0.8  # a place verified as it is, with this score, needs no refinement
POLISH_FROM = 0.6  # the closest refined place, if verified this close, is moved a little to
# where it agrees
POLISH_SHIFT = 0.012  # ... by this share of its long side
POLISH_STEPS = 8  # ... this many times at most (each taken only while the agreement rises)
POLISH_SCALE = 1.03  # ... scaled by this factor
POLISH_TURN = 1.5  # ... and turned by this angle (degrees)
POLISH_FINE_WIDE = 0.5  # wide marks (WIDE): shifts and scale steps this much smaller (on the
# finer frame a step of 3 % moves a 6:1 lockup's far end by several of its letters' strokes)
POLISH_FINER = 0.5  # ... then, from where that climb ends, steps this much smaller
POLISH_MIN = 72  # ... if its long side has this many pixels (smaller ones are refined at their
# own size already)
ROTATIONS = (0.0, -6.0, 6.0)
EMBLEM_HEIGHT = 0.9  # a lockup's icon (its emblem): at one end, this share of the lockup's
# height at least, ...
EMBLEM_ASPECT = 2.5  # ... this long for its own height at most, ...
WORDS_HEIGHT = 0.8  # ... beside words this share of the lockup's height at most ...
EMBLEM_GAP = 0.08  # ... and apart from them by this share of the lockup's height at least
EMBLEM_CANDIDATES = 2  # places of a lockup found by its icon, looked at (upright and turned; the
# closest refined, not polished)
EMBLEM_TURNS = (0.0, -3.0, 3.0, -6.0, 6.0, -9.0, 9.0)  # ... and, the closest of those refused
# as refined, refined once more from these angles, in a window that holds it turned about its
# icon (see _search)
SEARCH_ROTATIONS = (-6.0, 6.0)  # wide marks, turned, on the coarse level of the search (and
# a lockup placed by its icon, turned about it)
SIFT_GATE = 0.42  # SIFT runs where the template search saw something it could not confirm:
SIFT_VERIFY_GATE = 0.5  # ... a place that came this close in the verification
# SIFT: only for images and logos large enough, with capped work
SIFT_MIN_IMAGE = 160  # long side of the image
SIFT_MAX_SIDE = 360  # the image is downscaled to this long side (SIFT doubles it internally)
SIFT_FEATURES = 700
SIFT_RATIO = 0.8
SIFT_MIN_INLIERS = 7
# Decision (tuned on the tuning, held-out and plain designs of tests/scanner/corpus/artwork.py
# and the synthetic corpus, never on the fresh designs; INK_MAX and OWN_AGREE were also set
# after a sealed set's look; see docs/decisions/0012-kit-detection-v2.md)
ROBUST_MIN = 0.66  # structure agreement over the cells not covered or cut
ROBUST_STRICT = 0.85  # ... when the colours or the regions do not agree
OVERALL_MIN = 0.5  # ... and over all of the logo
STRENGTH_MIN = 0.3  # the candidate's structure along the logo's, this strong at least (the kit's
# own drawing: 1), where the logo is seen: faint structure whose orientations line up — JPEG's
# blocks in a sky, a logo laid on at 1–2 % opacity, a level or two of contrast — is not a logo
# anyone sees
COLOUR_MAX = 0.16  # mean colour difference (0–1) under which the colours agree
VISIBLE_MIN = 0.6  # share of the logo's structure that must be inside the image
LOW_CELL = 0.35  # a cell that disagrees
COVERED_MAX = 0.3  # share of the logo's structure that may be covered or cut
SCATTERED_MAX = 0.15  # ... or this share when in several places
ONE_WAY_MAX = 0.8  # ... and the structure left seen then runs one way this much at most, or the
# colours must agree however sure the structure (_one_way: 1, every edge of one orientation;
# the kits' logos as a whole: 0.14 at the median, 0.89 at most, a Netflix "N")
INNER_MAX = 0.06  # an inner place that disagrees, over this share: another drawing, refused
PART_MIN = 0.03  # (a place: this share of the structure or more)
NEGATIVE_MARGIN = 0.04  # the kit must beat every hard negative by this, where they differ (but
# see PARTLY_CUT and CLEAR_MARGIN)
DIFFER_MIN = 0.5  # ... and agree with the kit there at least this much
HIDDEN_MIN = 0.8  # ... unless that region is cut off by the picture's edge: then this score
PARTLY_CUT = 0.9  # where they differ is partly cut off (less than this share of it inside the
# picture): with a score of HIDDEN_MIN, fitting both alike there (within NEGATIVE_MARGIN, the kit
# at least DIFFER_MIN) is enough
CLEAR_CHANGE = 0.1  # where a hard negative differs clearly: the squared difference of the two
# structures over this share of the strongest structure energy in the frame (not where the two
# files are drawn a fraction of a pixel apart: last year's lettering a pixel shorter, stretched
# to this year's length, drifts along the line) ...
CLEAR_MARGIN = 2 * NEGATIVE_MARGIN  # ... on a wide mark's frame finer than the usual one, and
# where they differ is not cut, the kit also wins where it beats the negative there by this much
# (fewer pixels: more room for chance), if it leads by half NEGATIVE_MARGIN where they differ at
# all
DIFFER_FAINT = 0.3  # a wide mark whose hard negative differs in a part (REGISTER_SHARE of the
FAINT_LEAD = 3 * NEGATIVE_MARGIN  # frame at most: a year), not cut: agreeing with the kit there
# at DIFFER_FAINT (not DIFFER_MIN) is enough where the kit leads the negative by FAINT_LEAD —
# hairline digits on a photograph draw little of their structure
SAME_PLACE = 0.5  # two poses of one place: their boxes overlap this much (intersection over union)
REGISTER_REACH = 3  # where a hard negative differs in a part (REGISTER_SHARE of the frame at
REGISTER_SHARE = 0.25  # most), the candidate is registered on the parts around it first,
# moved by up to REGISTER_REACH pixels (of the usual frame: more on a wide mark's finer one)
NEGATIVE_WHOLE = 0.9  # an image this close to a hard negative as a whole (and closer than to
# the kit) is that negative: no part of it is looked for
REGION_COLOURS = 5  # colour groups of a logo, at most, for the regions cue
REGION_MERGE = 24  # ... groups whose colours differ by less (0–255, every channel) are one
DETAIL_SIGMA = 2.0  # the detail of a picture: its colours minus their blur at this scale
REGIONS_MIN = 0.15  # share of the detail the regions explain, at least (below ROBUST_STRICT)
# ... or, a one-colour logo on a textured picture, its ink flat (see _flat_over_textured): over
# the ink and over the ground, the root mean square of the detail (each pixel's RGB distance to
# its part's local mean, 0–441)
FLAT_GROUND = 12.0  # ... the ground's this much at least
FLAT_SHARE = 0.25  # ... and the ink's this share of the ground's at most
FLAT_INSET = 2  # (the pixels this near the outline or the picture's edge left out of each part)
FLAT_PART = 0.05  # (each part this share of the frame at least)
# A one-colour logo whose disagreeing place shows its own ink on its own ground, drawn
# elsewhere, is another wording in the same style, not covered; so is a logo of several colours
# whose disagreeing place is one or two of them, drawn elsewhere (another mark beside the same
# words; see _another_drawing):
PLAIN_MIN = 0.9  # share of the pixels that are the ink, the ground or a mix, in both parts
PLAIN_TOLERANCE = 24  # (0–255, every channel, from the nearest mix)
CONTRAST_MIN = 48  # ink and ground this far apart at least (0–255, the channel most apart)
DRAWN_MIN = 0.05  # the logo draws this share of the disagreeing place, at least
INK_SHARE = 0.6  # ... and the picture draws there this much of what the logo does, at least
MARK_INK_SHARE = 0.3  # ... another mark (a lockup's icon), this much (marks of one set are
# drawn more or less heavily: wordings in one font much alike)
INK_GROUP_SHARE = 0.1  # (a logo of several colours, where it disagrees: a colour group this
# share of its pixels there is one of the inks, and each ink is the nearer for this share of the
# picture's ink there; less, the edges of another's strokes)
INK_MAX = 3.0  # ... and this much at most (more: a dark place, not a drawing)
OWN_INK = 0.45  # ink that overlaps the logo's this much is the logo's own (slightly off)
OWN_AGREE = 0.5  # ... and so is a place that agrees this much with the logo moved up to
OWN_SHIFT = 2  # ... this many pixels
INK_TOLERANCE = 96.0  # a one-colour logo's ink: a pixel this far from its colour (0–255, the
# channel most apart) is not ink at all; nearer, the more ink the nearer (``_ink_map``)
INK_LIGHT = 200  # ... not for a light colour: every channel this bright (white, near white)
INK_FLAT = 24  # ... nor for a gradient: a logo is one colour when its solid pixels are this
INK_FLAT_SHARE = 0.9  # near their median colour (0–255, every channel), this share of them


@dataclasses.dataclass
class Match:
    method: str  # sha256, whole, template, features
    score: float
    reference: str
    bbox: tuple[int, int, int, int] | None = None  # x, y, w, h in the candidate's pixels
    crop: np.ndarray | None = None
    # reference frame (the trimmed reference's pixels) → candidate pixels, row-major 2×3
    transform: list[float] | None = None


@dataclasses.dataclass
class Reference:
    name: str
    sha256: str
    rgba: np.ndarray  # trimmed to its content
    has_alpha: bool

    @property
    def aspect(self) -> float:
        return self.rgba.shape[1] / self.rgba.shape[0]


# -- pixels --------------------------------------------------------------------------------------
def _fit(shape, side: int) -> tuple[int, int]:
    h, w = shape[:2]
    scale = side / max(h, w)
    return max(1, int(round(w * scale))), max(1, int(round(h * scale)))


def _premultiply(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255.0
    return np.concatenate([rgba[:, :, :3].astype(np.float32) * alpha, alpha * 255.0], axis=2)


def _unpremultiply(out: np.ndarray) -> np.ndarray:
    a = np.clip(out[:, :, 3:4] / 255.0, 0, 1)
    rgb = np.where(a > 1e-3, out[:, :, :3] / np.maximum(a, 1e-3), 0)
    return np.clip(np.concatenate([rgb, a * 255.0], axis=2), 0, 255).astype(np.uint8)


def _resize(rgba: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize an RGBA image without darkening its edges (resampled with premultiplied alpha)."""
    w, h = size
    if (rgba.shape[1], rgba.shape[0]) == (w, h):
        return rgba
    interpolation = cv2.INTER_AREA if w < rgba.shape[1] else cv2.INTER_LINEAR
    if rgba[:, :, 3].min() == 255:
        return cv2.resize(rgba, (w, h), interpolation=interpolation)
    out = cv2.resize(_premultiply(rgba), (w, h), interpolation=interpolation).reshape(h, w, 4)
    return _unpremultiply(out)


def trim(rgba: np.ndarray, *, tolerance: int = 40) -> np.ndarray:
    """Cut transparent or uniform borders (a logo saved on a plain background).

    A row or column is content when more than 2 % of its pixels differ from the corner colour
    by more than ``tolerance`` (so compression noise does not count).
    """
    return rgba[_trim_box(rgba, tolerance=tolerance)]


def _trim_box(rgba: np.ndarray, *, tolerance: int = 40) -> tuple[slice, slice]:
    h, w = rgba.shape[:2]
    full = (slice(0, h), slice(0, w))
    if max(h, w) > 400:  # a quick look on every 4th pixel: nothing to cut (a photo)? done
        rough = _trim_box(rgba[::4, ::4], tolerance=tolerance)
        if (rough[0].stop - rough[0].start) * 4 >= h - 8 and \
                (rough[1].stop - rough[1].start) * 4 >= w - 8:
            return full
    alpha = rgba[:, :, 3]
    if alpha.min() < 250:
        content = alpha > 24
        share = 0.0
    else:
        corner = np.median(np.stack([rgba[0, 0, :3], rgba[0, -1, :3], rgba[-1, 0, :3],
                                     rgba[-1, -1, :3]]), axis=0).astype(np.int16)
        # (OpenCV's per-channel difference and maximum: the same integers as NumPy's, a
        # fiftieth of the time on a whole picture)
        apart = cv2.split(cv2.absdiff(np.ascontiguousarray(rgba),
                                      tuple(float(c) for c in corner) + (0.0,)))
        content = cv2.max(cv2.max(apart[0], apart[1]), apart[2]) > tolerance
        share = 0.02
    rows = np.nonzero(content.mean(axis=1) > share)[0]
    cols = np.nonzero(content.mean(axis=0) > share)[0]
    if len(rows) == 0 or len(cols) == 0:
        return full
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def composite(rgba: np.ndarray, background) -> np.ndarray:
    """RGB float32 of ``rgba`` over a background colour (3,) or image (H, W, 3)."""
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255.0
    rgb = rgba[:, :, :3].astype(np.float32)
    return rgb * alpha + np.asarray(background, np.float32) * (1.0 - alpha)


def _channels(rgba: np.ndarray, *, keep_alpha: bool = False) -> np.ndarray:
    """The channels whose edges are the structure: RGB (premultiplied) and, when the image has
    transparency (or ``keep_alpha``: whether or not it has), the alpha itself (the outline,
    whatever the background will be)."""
    if not keep_alpha and rgba[:, :, 3].min() >= 250:
        return rgba[:, :, :3].astype(np.float32)
    alpha = rgba[:, :, 3:4].astype(np.float32)
    return np.concatenate([rgba[:, :, :3].astype(np.float32) * (alpha / 255.0), alpha], axis=2)


def _field(channels: np.ndarray, *, sigma: float = 0.8, pool: float = 0.0) -> np.ndarray:
    """The structure field (H, W, 2): edge orientation, doubled (polarity-free), strength
    saturated; optionally pooled (blurred) to tolerate a slight misalignment."""
    if sigma > 0:
        channels = cv2.GaussianBlur(channels, (0, 0), sigma)
    if channels.ndim == 2:
        channels = channels[:, :, None]
    gxs = cv2.Sobel(channels, cv2.CV_32F, 1, 0, ksize=3)
    gys = cv2.Sobel(channels, cv2.CV_32F, 0, 1, ksize=3)
    # (OpenCV's element-wise operations: the same arithmetic as NumPy's, without its
    # temporaries; this runs on every level, window and candidate)
    # the channel with the strongest edge, pixel by pixel
    xs, ys = (cv2.split(gxs), cv2.split(gys)) if gxs.ndim == 3 else ([gxs], [gys])
    gx, gy = xs[0], ys[0]
    m2 = cv2.add(cv2.multiply(gx, gx), cv2.multiply(gy, gy))
    for cx, cy in zip(xs[1:], ys[1:], strict=True):
        c2 = cv2.add(cv2.multiply(cx, cx), cv2.multiply(cy, cy))
        better = cv2.compare(c2, m2, cv2.CMP_GT)
        gx = cv2.copyTo(cx, better, gx)
        gy = cv2.copyTo(cy, better, gy)
        m2 = cv2.copyTo(c2, better, m2)
    # (as one row: OpenCV would take a 4×1 array for a scalar)
    m = cv2.sqrt(m2).reshape(1, -1)
    scale = cv2.divide(1.0, cv2.multiply(cv2.add(m, 1e-6), cv2.add(m, EDGE_SOFT)))
    scale = scale.reshape(gx.shape)
    out = cv2.merge([cv2.multiply(cv2.subtract(cv2.multiply(gx, gx), cv2.multiply(gy, gy)),
                                  scale),
                     cv2.multiply(cv2.multiply(gx, gy), scale, scale=2.0)])
    if pool > 0:
        out = cv2.GaussianBlur(out, (0, 0), pool)
    return out


def _energy(field: np.ndarray) -> np.ndarray:
    a, b = field[:, :, 0], field[:, :, 1]
    return cv2.add(cv2.multiply(a, a), cv2.multiply(b, b))


def _ink_map(rgb: np.ndarray, ink) -> np.ndarray:
    """How much each pixel is a one-colour logo's ink (``ink``, RGB): 255 where it is that
    colour, down to 0 at ``INK_TOLERANCE`` from it on the channel most apart (H, W, 1; float32).
    Thin lettering on a busy photograph keeps its outline here, where the photograph's own
    edges, not of that colour, are gone."""
    # (OpenCV's per-channel difference and maximum: the same float32 arithmetic as NumPy's,
    # several times faster on a whole picture)
    apart = cv2.split(cv2.absdiff(np.ascontiguousarray(rgb[:, :, :3], np.float32),
                                  tuple(float(np.float32(c)) for c in ink) + (0.0,)))
    apart = cv2.max(cv2.max(apart[0], apart[1]), apart[2])
    return np.maximum(255.0 - apart * np.float32(255.0 / INK_TOLERANCE), 0.0)[:, :, None]


def _gray(rgba: np.ndarray) -> np.ndarray:
    rgb = composite(rgba, (255, 255, 255)) if rgba[:, :, 3].min() < 250 else \
        rgba[:, :, :3].astype(np.float32)
    return np.clip(rgb @ np.array([0.299, 0.587, 0.114], np.float32), 0, 255).astype(np.uint8)


def _rotation(angle: float, w: float, h: float) -> tuple[np.ndarray, int, int]:
    """3×3 matrix rotating a w×h picture by ``angle`` degrees about its centre into an
    expanded canvas, and that canvas's size."""
    rad = math.radians(angle)
    c, s = abs(math.cos(rad)), abs(math.sin(rad))
    nw, nh = w * c + h * s, w * s + h * c
    m = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), [0, 0, 1]])
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    return m, max(1, int(math.ceil(nw))), max(1, int(math.ceil(nh)))


def _scale(sx: float, sy: float | None = None) -> np.ndarray:
    return np.diag([sx, sx if sy is None else sy, 1.0])


def _shift(dx: float, dy: float) -> np.ndarray:
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], np.float64)


# -- the kit -------------------------------------------------------------------------------------
@dataclasses.dataclass
class _Negative:
    name: str
    rgba: np.ndarray  # in the model's frame
    differ: np.ndarray  # float mask in the frame: where it differs from the reference
    clear: np.ndarray  # ... and where clearly (CLEAR_CHANGE)


class _Model:
    """One kit reference prepared for search and verification."""

    def __init__(self, ref: Reference):
        self.ref = ref
        h, w = ref.rgba.shape[:2]
        side = FRAME
        if min(h, w) * FRAME / max(h, w) < 48:  # wide marks: keep some height in the frame
            side = min(640, int(48 * max(h, w) / min(h, w)))
        fw, fh = _fit(ref.rgba.shape, side)
        self.frame = _resize(ref.rgba, (fw, fh))
        self.fw, self.fh = fw, fh
        self.aspect = fw / fh
        self.alpha = ref.has_alpha
        opaque = self.frame[:, :, 3] > 128
        self.colourful = float(self.frame[:, :, :3][opaque].std(axis=0).mean()) \
            if opaque.any() else 0.0
        # frame → trimmed reference pixels (for the transform reported as evidence)
        self.to_ref = _scale(w / fw, h / fh)
        self.negatives: list[_Negative] = []
        self.members: list[_Model] = [self]  # references searched with this one's templates
        self._cache: dict = {}
        self._transient: collections.OrderedDict = collections.OrderedDict()
        self._small: dict = {}
        self._sift = None
        self._labels: np.ndarray | None = None
        # the frame halved and halved again (premultiplied), to resize from the nearest level
        opaque_frame = self.frame[:, :, 3].min() == 255
        level = self.frame if opaque_frame else _premultiply(self.frame)
        self._pyramid = [level]
        while min(level.shape[:2]) >= 16:
            level = cv2.resize(level, (level.shape[1] // 2, level.shape[0] // 2),
                               interpolation=cv2.INTER_AREA)
            self._pyramid.append(level)
        self._opaque_frame = opaque_frame

    def _colour_labels(self) -> np.ndarray:
        """The frame's pixels grouped by colour (k-means, at most ``REGION_COLOURS`` groups,
        numbered from 1; 0 where the frame is transparent), computed once."""
        if self._labels is None:
            rgb = self.frame[:, :, :3].reshape(-1, 3).astype(np.float32)
            opaque = (self.frame[:, :, 3] > 128).ravel() if self.alpha else \
                np.ones(len(rgb), bool)
            labels = np.zeros(len(rgb), np.int32)
            pixels = rgb[opaque]
            if len(pixels):
                # deterministic start: groups by brightness
                luma = pixels @ np.array([0.299, 0.587, 0.114], np.float32)
                k = min(REGION_COLOURS, len(pixels))
                start = np.minimum(k - 1, (np.argsort(np.argsort(luma)) * k) // len(pixels))
                start = start.astype(np.int32).reshape(-1, 1)
                _, found, centres = cv2.kmeans(
                    pixels, k, start, (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20,
                                       0.5), 1, cv2.KMEANS_USE_INITIAL_LABELS)
                found = found.ravel()
                # groups whose colours are close are one group
                merged = list(range(k))
                for a in range(k):
                    for b in range(a):
                        if np.abs(centres[a] - centres[b]).max() < REGION_MERGE:
                            merged[a] = merged[b]
                            break
                # numbered 1, 2, … without gaps
                _, compact = np.unique(np.array(merged, np.int32)[found], return_inverse=True)
                labels[opaque] = compact.ravel().astype(np.int32) + 1
            self._labels = labels.reshape(self.fh, self.fw)
        return self._labels

    @property
    def wide(self) -> bool:
        """A wordmark or lockup: ``WIDE`` times as long as high (or high as long), at least."""
        return max(self.aspect, 1 / self.aspect) >= WIDE

    @property
    def emblem(self) -> tuple[_Model, tuple[float, float, float, float]] | None:
        """A lying lockup's icon (its emblem) — at one end, ``EMBLEM_HEIGHT`` of the lockup's
        height or more, ``EMBLEM_ASPECT`` as long as its own height at most, beside words
        ``WORDS_HEIGHT`` of the lockup's height at most and ``EMBLEM_GAP`` of it away from
        them — as a model of its own (the kit file's pixels), and its box in this model's frame
        (x, y, w, h); None for other logos: a wordmark (its first letter is as tall as the
        rest), a lockup whose words are as tall as its icon (two lines), a standing one."""
        if not hasattr(self, "_emblem"):
            # (worked out, then stored once: another thread reads it as it is, or not yet)
            emblem = None
            if self.alpha and self.fw >= WIDE * self.fh:
                opaque = self.frame[:, :, 3] > 128
                columns = np.flatnonzero(opaque.any(axis=0))
                gaps = np.flatnonzero(np.diff(columns) > max(2, round(EMBLEM_GAP * self.fh)))
                ends = () if not len(gaps) else (
                    (columns[0], columns[gaps[0]]), (columns[gaps[-1] + 1], columns[-1]))
                for x0, x1 in ends:
                    rows = np.flatnonzero(opaque[:, x0:x1 + 1].any(axis=1))
                    rest = opaque.copy()
                    rest[:, x0:x1 + 1] = False
                    words = np.flatnonzero(rest.any(axis=1))
                    mh, mw = rows[-1] - rows[0] + 1, x1 - x0 + 1
                    if mh < EMBLEM_HEIGHT * self.fh or mw > EMBLEM_ASPECT * mh or \
                            words[-1] - words[0] + 1 > WORDS_HEIGHT * self.fh:
                        continue
                    # (the kit file's own pixels: the frame is the file scaled down)
                    sx, sy = self.to_ref[0, 0], self.to_ref[1, 1]
                    rx0, ry0 = math.floor(x0 * sx), math.floor(rows[0] * sy)
                    rh, rw = self.ref.rgba.shape[:2]
                    rx1 = min(rw, math.ceil((x1 + 1) * sx))
                    ry1 = min(rh, math.ceil((rows[-1] + 1) * sy))
                    part = Reference(name=self.ref.name, sha256="", has_alpha=True,
                                     rgba=np.ascontiguousarray(self.ref.rgba[ry0:ry1, rx0:rx1]))
                    emblem = (_Model(part), (rx0 / sx, ry0 / sy, (rx1 - rx0) / sx,
                                             (ry1 - ry0) / sy))
                    break
            self._emblem = emblem
        return self._emblem

    @property
    def single_ink(self) -> bool:
        """Whether the logo is one colour on a transparent ground."""
        return self.alpha and int(self._colour_labels().max()) == 1

    @property
    def ink(self) -> np.ndarray | None:
        """A one-colour logo's colour (RGB, float32); None for the others, and for a light one
        (``INK_LIGHT``: a white variant, shown on dark grounds where its outline is the
        picture's strongest edge already; in a photograph, "white" is its highlights)."""
        if not hasattr(self, "_ink"):
            # (worked out, then stored once: another thread reads it as it is, or not yet)
            ink = None
            solid = self.frame[:, :, :3][self.frame[:, :, 3] > 200].astype(np.float32)
            if self.single_ink and len(solid):
                # (one colour group may be a gradient's, its colours each close to the next:
                # one colour is the solid pixels' colour, nearly all of them)
                colour = np.median(solid, axis=0)
                flat = float((np.abs(solid - colour).max(axis=1) < INK_FLAT).mean())
                if flat >= INK_FLAT_SHARE and float(colour.min()) < INK_LIGHT:
                    ink = colour
            self._ink = ink
        return self._ink

    def labels(self, vw: int, vh: int) -> np.ndarray:
        """The colour groups (``_colour_labels``) at the verification's size, cached."""
        key = ("l", vw, vh)
        out = self._cache.get(key)  # (another thread may empty the cache meanwhile)
        if out is None:
            out = cv2.resize(self._colour_labels().astype(np.uint8), (vw, vh),
                             interpolation=cv2.INTER_NEAREST)
            self._cache[key] = out
        return out

    def regions(self, vw: int, vh: int) -> np.ndarray:
        """At the verification's size, the detail (high-pass) of the logo's colour regions:
        (vh, vw, R) — per colour group the share of each pixel it covers (the background, the
        frame's transparent part, as one more group), and the logo's own colours (for the
        detail inside a region: a photograph in a seal, a gradient)."""
        key = ("r", vw, vh)
        out = self._cache.get(key)  # (another thread may empty the cache meanwhile)
        if out is None:
            labels = self._colour_labels()
            count = int(labels.max()) + 1
            interpolation = cv2.INTER_AREA if vw < self.fw else cv2.INTER_LINEAR
            planes = [cv2.resize((labels == k).astype(np.float32), (vw, vh),
                                 interpolation=interpolation)
                      for k in range(0 if self.alpha else 1, count)]
            small = self.small(vw, vh).astype(np.float32)
            alpha = small[:, :, 3] / 255.0 if self.alpha else 1.0
            planes += [small[:, :, c] * alpha / 255.0 for c in range(3)]
            stack = np.stack(planes, axis=2)
            out = stack - cv2.GaussianBlur(stack, (0, 0), DETAIL_SIGMA).reshape(stack.shape)
            self._cache[key] = out
        return out

    def regions_fit(self, patch: np.ndarray, vw: int, vh: int, valid: np.ndarray) -> float:
        """:func:`_regions_fit` of a candidate warped onto the frame at the verification's
        size, over the logo and two pixels around it, inside the picture."""
        key = ("n", vw, vh)
        logo = self._cache.get(key)
        if logo is None:
            if self.alpha:
                opaque = (self.small(vw, vh)[:, :, 3] > 20).astype(np.uint8)
                logo = cv2.dilate(opaque, np.ones((5, 5), np.uint8)) > 0
            else:
                logo = np.ones((vh, vw), bool)
            self._cache[key] = logo
        near = logo & (cv2.erode(valid, np.ones((3, 3), np.uint8)) > 0)
        return _regions_fit(patch, self.regions(vw, vh), near)

    def small(self, w: int, h: int) -> np.ndarray:
        """The frame resized to w×h (RGBA uint8), cached."""
        key = (w, h)
        out = self._small.get(key)
        if out is None:
            if len(self._small) > 300:
                self._small.clear()
            if (w, h) == (self.fw, self.fh):
                out = self.frame
            else:
                source = self._pyramid[0]
                for level in self._pyramid[1:]:
                    if level.shape[1] < w or level.shape[0] < h:
                        break
                    source = level
                interpolation = cv2.INTER_AREA if w < source.shape[1] else cv2.INTER_LINEAR
                out = cv2.resize(source, (w, h), interpolation=interpolation)
                if not self._opaque_frame:
                    out = _unpremultiply(out.reshape(h, w, 4))
            self._small[key] = out
        return out

    # templates and fields at a size, cached
    def template(self, tw: int, th: int, angle: float = 0.0, *, pool: float = 1.0,
                 transient: bool = False):
        """The template at a size and angle. ``transient``: one of the refinement's, whose
        sizes follow the candidates' and are many; they are kept apart (the ones used last,
        ``_transient_template``), so that they do not push out the search's templates and the
        verification's fields."""
        angle = round(angle, 1)  # (the key: a template is the same whichever angle made it)
        key = ("t", tw, th, angle, pool)
        if transient:
            return self._transient_template(key, tw, th, angle, pool=pool)
        out = self._cache.get(key)  # (another thread may empty the cache meanwhile)
        if out is None:
            if len(self._cache) >= 400:
                self._cache.clear()
            out = self._make_template(tw, th, angle, pool=pool)
            self._cache[key] = out
        return out

    def _transient_template(self, key: tuple, tw: int, th: int, angle: float, *,
                            pool: float) -> _Template:
        """A refinement's template, from the ``TRANSIENT_TEMPLATES`` used last (the sizes
        and angles of a kit's refinements recur from image to image, but are many: emptied
        when full, as the search's cache is, most were made again). Each of the ordered
        dictionary's calls is one step under the interpreter's lock: threads sharing the
        model may make one template twice, or let one more go, and never fail."""
        cache = self._transient
        out = cache.get(key)
        if out is not None:
            with contextlib.suppress(KeyError):  # (another thread may have let it go)
                cache.move_to_end(key)
            return out
        out = self._make_template(tw, th, angle, pool=pool)
        cache[key] = out
        while len(cache) > TRANSIENT_TEMPLATES:
            try:
                cache.popitem(last=False)
            except KeyError:  # (another thread emptied it meanwhile)
                break
        return out

    def _make_template(self, tw: int, th: int, angle: float, *, pool: float) -> _Template:
        """The template at a size and angle (``template``), made (float32 throughout)."""
        small = self.small(tw, th)
        if angle:
            rot, nw, nh = _rotation(angle, tw, th)
            small = cv2.warpAffine(small, rot[:2], (nw, nh), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
            rgba = small
            has_alpha = True
        else:
            rgba, has_alpha = small, self.alpha
        chans = _channels(rgba) if has_alpha else rgba[:, :, :3].astype(np.float32)
        if has_alpha and chans.shape[2] == 3:  # rotated opaque reference: add its outline
            chans = np.concatenate([chans, rgba[:, :, 3:4].astype(np.float32)], axis=2)
        field = _field(chans, pool=pool)
        if has_alpha:
            mask = cv2.dilate((rgba[:, :, 3] > 20).astype(np.uint8), np.ones((3, 3),
                                                                             np.uint8))
            mask = mask.astype(np.float32)
            field = field * mask[:, :, None]
        else:
            mask = np.ones(field.shape[:2], np.float32)
        return _Template(field, mask, float((field * field).sum()))

    def verify_fields(self, vw: int, vh: int):
        """The reference's structure at the verification's size and the region it is compared
        over, cached."""
        key = ("v", vw, vh)
        out = self._cache.get(key)  # (another thread may empty the cache meanwhile)
        if out is None:
            small = self.small(vw, vh)
            field = _field(_channels(small) if self.alpha else small[:, :, :3].astype(np.float32),
                           pool=0.8)
            if self.alpha:
                region = cv2.dilate((small[:, :, 3] > 20).astype(np.uint8),
                                    np.ones((5, 5), np.uint8)).astype(np.float32)
            else:
                region = np.ones((vh, vw), np.float32)
            out = (field, region)
            self._cache[key] = out
        return out

    def negative_fields(self, vw: int, vh: int) -> list[tuple]:
        """Each hard negative aligned to this reference, at the verification's size: its name,
        its structure, where it differs and where clearly (cached; made only when a candidate
        gets as far as the comparison with the negatives — most are refused before)."""
        if not self.negatives:
            return []
        key = ("negatives", vw, vh)
        out = self._cache.get(key)  # (another thread may empty the cache meanwhile)
        if out is None:
            out = []
            for neg in self.negatives:
                nsmall = _resize(neg.rgba, (vw, vh))
                nfield = _field(_channels(nsmall), pool=0.8)
                differ = cv2.resize(neg.differ, (vw, vh), interpolation=cv2.INTER_AREA)
                clear = cv2.resize(neg.clear, (vw, vh), interpolation=cv2.INTER_AREA)
                out.append((neg.name, nfield, differ, clear))
            self._cache[key] = out
        return out

    def sift(self, detector):
        """Keypoints (frame coordinates) and descriptors, of both polarities."""
        if self._sift is None:
            h, w = self.frame.shape[:2]
            scale = max(1.0, 96 / min(h, w))
            scale = min(scale, 480 / max(h, w)) if max(h, w) * scale > 480 else scale
            size = (max(8, round(w * scale)), max(8, round(h * scale)))
            rgba = _resize(self.frame, size)
            points, descriptors = [], []
            backgrounds = ((255, 255, 255), (0, 0, 0)) if self.alpha else (None,)
            for bg in backgrounds:
                rgb = composite(rgba, bg) if bg is not None else rgba[:, :, :3].astype(
                    np.float32)
                gray = np.clip(rgb @ np.array([0.299, 0.587, 0.114], np.float32), 0,
                               255).astype(np.uint8)
                gray = cv2.copyMakeBorder(gray, 16, 16, 16, 16, cv2.BORDER_CONSTANT,
                                          value=int(np.median(gray[[0, -1]])) if bg is None
                                          else bg[0])
                keypoints, desc = detector.detectAndCompute(gray, None)
                if desc is None:
                    continue
                descriptors.append(desc)
                points += [((k.pt[0] - 16) / scale, (k.pt[1] - 16) / scale) for k in keypoints]
            if descriptors:
                self._sift = (np.float32(points), np.vstack(descriptors))
            else:
                self._sift = (np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32))
        return self._sift


def _shaped_alike(a: float, b: float) -> bool:
    """Two aspect ratios within about 10 % of each other (a whole image and a kit file or
    hard negative it could be)."""
    return 0.9 <= a / b <= 1.11


def _comparison_size(aspect: float) -> tuple[int, int]:
    """A size at which a whole logo is compared with a hard negative: 96 px along its long
    side, and at least the usual verification frame's short side (at 96 × 15 the year of a
    6.6:1 lockup is a pixel or two: last year's would look the same as this year's)."""
    long_side = max(96, round(VERIFY_SHORT * max(aspect, 1 / aspect)))
    return (long_side, round(long_side / aspect)) if aspect >= 1 else \
        (round(long_side * aspect), long_side)


def _agreement(cand: np.ndarray, ref: np.ndarray, weight: np.ndarray) -> float:
    num = float((cand * ref).sum(axis=2).__mul__(weight).sum())
    er = float(((ref * ref).sum(axis=2) * weight).sum())
    ec = float(((cand * cand).sum(axis=2) * weight).sum())
    if er <= 1e-6 or ec <= 1e-6:
        return 0.0
    return num / math.sqrt(er * ec)


SHIFT = 1  # pixels, at the usual verification frame's size (more on a wide mark's finer one)


def _shifted_agreement(cand: np.ndarray, ref: np.ndarray, weight: np.ndarray, *,
                       shift: int = SHIFT) -> float:
    """The best :func:`_agreement` with the candidate moved by up to ``shift`` pixels each
    way."""
    return _best_shift(cand, ref, weight, shift=shift)[0]


def _best_shift(cand: np.ndarray, ref: np.ndarray, weight: np.ndarray, *, shift: int,
                centre: tuple[int, int] = (0, 0)) -> tuple[float, tuple[int, int]]:
    """The best :func:`_agreement` with the candidate moved by ``centre`` (dy, dx) and up to
    ``shift`` pixels more each way, and the move that gives it."""
    rows, cols = np.nonzero(weight > 0)
    if not len(rows):
        return 0.0, centre
    y0, y1, x0, x1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    w = weight[y0:y1, x0:x1, None]
    er = float((ref[y0:y1, x0:x1] ** 2 * w).sum())
    if er <= 1e-6:
        return 0.0, centre
    ref_w = (ref[y0:y1, x0:x1] * w).ravel()
    w2 = np.broadcast_to(w, ref[y0:y1, x0:x1].shape).ravel()
    pad = shift + max(abs(centre[0]), abs(centre[1]))
    padded = np.pad(cand, ((pad, pad), (pad, pad), (0, 0)))
    best = (-2.0, centre)
    # the nearest moves first: a move is taken only where it agrees better (a flat candidate
    # stays where it is)
    moves = sorted(((dy, dx) for dy in range(-shift, shift + 1)
                    for dx in range(-shift, shift + 1)), key=lambda d: abs(d[0]) + abs(d[1]))
    for dy, dx in ((centre[0] + a, centre[1] + b) for a, b in moves):
        # the candidate's pixel (y + dy, x + dx) laid on the reference's (y, x)
        moved = padded[y0 + pad + dy:y1 + pad + dy, x0 + pad + dx:x1 + pad + dx].ravel()
        ec = float((moved * moved) @ w2)
        agreement = float(moved @ ref_w) / math.sqrt(er * ec) if ec > 1e-6 else 0.0
        if agreement > best[0]:
            best = (agreement, (dy, dx))
    return best


@dataclasses.dataclass
class _Template:
    field: np.ndarray  # (h, w, 2), zero outside the mask (float32, as every field)
    mask: np.ndarray  # (h, w) 0/1 (float32)
    energy: float  # sum of field²

    def __post_init__(self):
        self.full = bool(self.mask.min() > 0)
        self.area = float(self.mask.sum())
        self._quarters: tuple | None = None

    def quarters(self) -> tuple[list[float], list[list[float]]]:
        """The structure energy and the mask's area, of the whole and of each quarter
        (``_quarter_sums``); made when first asked for, then kept."""
        if self._quarters is None:
            mine = cv2.add(cv2.multiply(self.field[:, :, 0], self.field[:, :, 0]),
                           cv2.multiply(self.field[:, :, 1], self.field[:, :, 1]))
            self._quarters = _quarter_sums(cv2.merge([mine, self.mask]))
        return self._quarters


def _ccorr2(field: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Cross-correlation of two-component fields, summed over the components: the components
    interleaved as one channel twice as wide, every other column of the result (OpenCV
    correlates a two-channel image about three times slower than a one-channel one of the same
    data)."""
    h, w = field.shape[:2]
    th, tw = template.shape[:2]
    wide = cv2.matchTemplate(np.ascontiguousarray(field).reshape(h, 2 * w),
                             np.ascontiguousarray(template).reshape(th, 2 * tw), cv2.TM_CCORR)
    return np.ascontiguousarray(wide[:, ::2])


def _subpixel(result: np.ndarray, x: int, y: int) -> tuple[float, float]:
    """The peak of a correlation at (x, y), placed between pixels by a parabola through it and
    its neighbours along each axis."""
    def offset(a: float, b: float, c: float) -> float:
        curve = a - 2 * b + c
        return 0.0 if curve >= 0 else max(-0.5, min(0.5, 0.5 * (a - c) / curve))

    h, w = result.shape
    dx = offset(result[y, x - 1], result[y, x], result[y, x + 1]) if 0 < x < w - 1 else 0.0
    dy = offset(result[y - 1, x], result[y, x], result[y + 1, x]) if 0 < y < h - 1 else 0.0
    return x + float(dx), y + float(dy)


def _correlate(field: np.ndarray, energy: np.ndarray, template: _Template,
               integral: np.ndarray | None = None) -> np.ndarray:
    """Normalised cross-correlation of the structure field with a masked template (the image's
    energy counted under the mask only, and as at least ``ENERGY_FLOOR`` times the mask's area):
    OpenCV's masked TM_CCORR_NORMED, about twice as fast. ``integral``: the energy's integral
    image, for templates without a mask."""
    num = _ccorr2(field, template.field)
    if template.full and integral is not None:
        th, tw = template.mask.shape
        rh, rw = num.shape
        box = integral[th:th + rh, tw:tw + rw] - integral[:rh, tw:tw + rw] \
            - integral[th:th + rh, :rw] + integral[:rh, :rw]
        den = box.astype(np.float32) * template.energy
    else:
        den = cv2.matchTemplate(energy, template.mask, cv2.TM_CCORR) * template.energy
    den = np.maximum(den, ENERGY_FLOOR * template.area * template.energy)
    out = np.zeros_like(num)
    np.divide(num, np.sqrt(den), out=out, where=den > 1e-9)
    return out


def _quarters(th: int, tw: int) -> list[tuple[slice, slice]]:
    """The four quarters of a th × tw template (with odd sides, the lower and right ones are a
    row or column larger)."""
    hy, hx = th // 2, tw // 2
    return [(slice(0, hy), slice(0, hx)), (slice(0, hy), slice(hx, tw)),
            (slice(hy, th), slice(0, hx)), (slice(hy, th), slice(hx, tw))]


def _without_a_quarter(field: np.ndarray, energy: np.ndarray, template: _Template,
                       x: int, y: int) -> float:
    """The correlation of ``template`` placed at (x, y) on ``field`` with one quarter left out
    (as :func:`_correlate` computes it over the other three; the best of the four): a logo
    with a corner covered by another picture correlates poorly as a whole — its edges there
    are hidden and the cover's own count against it — and well without that quarter. Any
    place gains a little by leaving out its worst quarter (up to a quarter more where that
    quarter lies over a plain background); a covered logo gains most. A quarter is left out
    only if the other three hold ``COVER_KEEP`` of the template's structure; 0 where none may
    be; never below 0."""
    th, tw = template.mask.shape
    window = field[y:y + th, x:x + tw]
    if window.shape[:2] != (th, tw):
        return 0.0
    tf = template.field
    dot = cv2.add(cv2.multiply(window[:, :, 0], tf[:, :, 0]),
                  cv2.multiply(window[:, :, 1], tf[:, :, 1]))
    theirs = cv2.multiply(energy[y:y + th, x:x + tw], template.mask)
    (d_all, t_all), seen = _quarter_sums(cv2.merge([dot, theirs]))
    (m_all, _), mine = template.quarters()
    best = 0.0
    floor = ENERGY_FLOOR * template.area
    for (d_q, t_q), (m_q, area_q) in zip(seen, mine, strict=True):
        d, m, t = d_all - d_q, m_all - m_q, t_all - t_q
        t = max(t, floor - ENERGY_FLOOR * area_q)
        if m < COVER_KEEP * m_all or m * t <= 1e-9:
            continue
        best = max(best, d / math.sqrt(m * t))
    return best


def _quarter_sums(planes: np.ndarray) -> tuple[list[float], list[list[float]]]:
    """The sums of each of a (th, tw, 2) array's two planes over the whole and over the four
    quarters (``_quarters``' order), from its integral image: ([whole, whole], [[first,
    second] per quarter]) (Python floats: this runs at each place looked at, where NumPy's
    calls on a few numbers cost more than the sums)."""
    th, tw = planes.shape[:2]
    hy, hx = th // 2, tw // 2
    ii = cv2.integral(planes, sdepth=cv2.CV_64F)
    (a0, a1), (b0, b1), (c0, c1), (e0, e1) = ii[(hy, hy, th, th), (hx, tw, hx, tw)].tolist()
    return [e0, e1], [[a0, a1], [b0 - a0, b1 - a1], [c0 - a0, c1 - a1],
                      [e0 - b0 - c0 + a0, e1 - b1 - c1 + a1]]


def _correlate_without_a_quarter(field: np.ndarray, energy: np.ndarray,
                                 template: _Template) -> np.ndarray:
    """:func:`_without_a_quarter` at every place, as :func:`_correlate` is: the whole
    correlation and each quarter's, the quarter's maps taken where the template's top-left
    corner is."""
    th, tw = template.mask.shape
    num = _ccorr2(field, template.field)
    den = cv2.matchTemplate(energy, template.mask, cv2.TM_CCORR)
    rh, rw = num.shape
    best = np.zeros_like(num)
    for ys, xs in _quarters(th, tw):
        part = np.ascontiguousarray(template.field[ys, xs])
        mine = float((part * part).sum())
        if part.size == 0 or template.energy - mine < COVER_KEEP * template.energy:
            continue
        oy, ox = ys.start, xs.start
        part_num = _ccorr2(field, part)[oy:oy + rh, ox:ox + rw]
        part_den = cv2.matchTemplate(energy, np.ascontiguousarray(template.mask[ys, xs]),
                                     cv2.TM_CCORR)[oy:oy + rh, ox:ox + rw]
        rest = np.maximum(den - part_den, ENERGY_FLOOR * (template.area - float(
            template.mask[ys, xs].sum()))) * (template.energy - mine)
        out = np.zeros_like(num)
        np.divide(num - part_num, np.sqrt(rest), out=out, where=rest > 1e-9)
        np.maximum(best, out, out=best)
    return best


class Matcher:
    """The kit's references and hard negatives, ready to test candidate images."""

    def __init__(self, references: list[Reference], negatives: list[Reference]):
        if not references:
            raise ValueError("the kit has no reference image")
        self.references = references
        self.negatives = negatives
        self.hashes = {r.sha256: r for r in references}
        self.negative_hashes = {r.sha256 for r in negatives}
        self._local = threading.local()  # per thread: the last image's best score, and so on
        # colour files first: the search uses the first of each group of look-alike files
        self._models = sorted((_Model(r) for r in references), key=lambda m: -m.colourful)
        for model in self._models:
            for neg in negatives:
                aligned = self._align_negative(model, neg)
                if aligned is not None:
                    model.negatives.append(aligned)
        # Kit files of one logo (its PNG and its SVG) are searched for once.
        self._search_models: list[_Model] = []
        for model in self._models:
            twin = next((m for m in self._search_models if self._same(m, model)), None)
            if twin is None:
                self._search_models.append(model)
            else:
                twin.members.append(model)
        self._negative_models = [_Model(n) for n in negatives]
        self._sift_lock = threading.Lock()

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_directory(cls, directory: str | Path) -> Matcher:
        """A kit folder: the reference images at its top level; hard negatives (what must
        *not* count: last year's logo, look-alikes) in its ``negatives/`` sub-folder."""
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
    def _same(a: _Model, b: _Model) -> bool:
        if abs(a.aspect / b.aspect - 1) > 0.04:
            return False
        fa, ra = a.verify_fields(48 if a.aspect <= 1 else round(48 * a.aspect),
                                 48 if a.aspect >= 1 else round(48 / a.aspect))
        fb, rb = b.verify_fields(fa.shape[1], fa.shape[0])
        return _agreement(fa, fb, np.maximum(ra, rb)) > 0.85

    def _align_negative(self, model: _Model, neg: Reference) -> _Negative | None:
        """The negative drawn in the model's frame (best fit over shift, scale and squash), and
        the region where it differs from the reference."""
        fw, fh = model.fw, model.fh
        nh, nw = neg.rgba.shape[:2]
        if 0.8 <= (nw / nh) / model.aspect <= 1.25:
            start = _resize(neg.rgba, (fw, fh))
        else:  # a different shape: the same height (or width), centred
            s = min(fw / nw, fh / nh)
            small = _resize(neg.rgba, (max(1, round(nw * s)), max(1, round(nh * s))))
            start = np.zeros((fh, fw, 4), np.uint8)
            oy, ox = (fh - small.shape[0]) // 2, (fw - small.shape[1]) // 2
            start[oy:oy + small.shape[0], ox:ox + small.shape[1]] = small[:fh - oy, :fw - ox]
        vw, vh = (96, max(8, round(96 / model.aspect))) if model.aspect >= 1 else \
            (max(8, round(96 * model.aspect)), 96)
        ref_field, region = model.verify_fields(vw, vh)
        best = (-2.0, None)
        for ds in (0.97, 1.0, 1.03):
            for dx in (-0.02, 0.0, 0.02):
                for dy in (-0.03, 0.0, 0.03):
                    m = _shift(fw / 2 + dx * fw, fh / 2 + dy * fh) @ _scale(ds) @ \
                        _shift(-fw / 2, -fh / 2)
                    moved = cv2.warpAffine(start, m[:2], (fw, fh), flags=cv2.INTER_LINEAR,
                                           borderMode=cv2.BORDER_CONSTANT,
                                           borderValue=(0, 0, 0, 0))
                    score = _agreement(_field(_channels(_resize(moved, (vw, vh))), pool=0.8),
                                       ref_field, region)
                    if score > best[0]:
                        best = (score, moved)
        framed = best[1]
        if framed[:, :, 3].min() >= 250 and not model.alpha:
            framed[:, :, 3] = 255
        # Where they differ: the structure disagrees (at the verification's resolution),
        # spread to the neighbourhood so a slightly misplaced candidate is judged there too.
        # Where nothing differs at 96 px along a wide mark, it is looked for at the
        # verification's height (_comparison_size).
        for size in dict.fromkeys([(vw, vh), _comparison_size(model.aspect)]):
            nf = _field(_channels(_resize(framed, size)), pool=1.2)
            rf = _field(_channels(_resize(model.frame, size)) if model.alpha else
                        _resize(model.frame, size)[:, :, :3].astype(np.float32), pool=1.2)
            dot = (nf * rf).sum(axis=2)
            strength = np.maximum((nf * nf).sum(axis=2), (rf * rf).sum(axis=2))
            differ = ((strength > 0.02) & (dot < 0.5 * strength)).astype(np.uint8)
            if differ.mean() >= 0.002:
                break
        else:  # the same picture: a negative cannot be told apart
            return None
        # ... and where clearly (CLEAR_CHANGE): two files drawn a fraction of a pixel apart
        # (a tenth of one at 96 px) differ at single faint pixels along their lettering
        change = ((nf - rf) ** 2).sum(axis=2)
        clear = differ & (change > CLEAR_CHANGE * float(strength.max()))
        kernel = np.ones((5, 5), np.uint8)
        return _Negative(neg.name, framed, *(
            cv2.resize(cv2.dilate(mask, kernel).astype(np.float32), (fw, fh),
                       interpolation=cv2.INTER_NEAREST) for mask in (differ, clear)))

    # -- matching -------------------------------------------------------------------------------
    def match_bytes(self, data: bytes) -> Match | None:
        self._local.best = 0.0
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
        """Best structure agreement seen while examining the last image (evidence of
        absence)."""
        return getattr(self._local, "best", 0.0)

    def _note(self, score: float) -> None:
        self._local.best = max(getattr(self._local, "best", 0.0), score)

    def match_image(self, rgba: np.ndarray, *, min_logo: float | None = None) -> Match | None:
        """Whether ``rgba`` is or contains the logo. Inside a larger image the logo is looked
        for from ``min_logo`` pixels (default: a twelfth of the image's long side)."""
        # places of this image where a hard negative fitted clearly better, or where another
        # drawing in the logo's style was seen (``_verify``), kept with the image while it is
        # decided
        self._local.negatives_seen = (rgba, [])
        try:
            found = self._match_image(rgba, min_logo=min_logo)
            # (a place taken before another file of the kit saw another drawing there)
            if found is not None and found.bbox is not None:
                x, y, w, h = found.bbox
                if _drawn_otherwise(self._local.negatives_seen[1], (x, y, x + w, y + h),
                                    found.score):
                    return None
            return found
        finally:
            self._local.negatives_seen = None

    def _match_image(self, rgba: np.ndarray, *, min_logo: float | None) -> Match | None:
        self._local.best = 0.0
        self._local.seed = 0.0
        h, w = rgba.shape[:2]
        if max(h, w) < MIN_SIDE or min(h, w) < 6:
            return None
        chans = _channels(rgba)
        rows, cols = _trim_box(rgba)
        th, tw = rows.stop - rows.start, cols.stop - cols.start
        if min(th, tw) >= 8:
            box = (cols.start, rows.start, tw, th)
            found = self._whole(rgba, chans, box)
            if found:
                return found
            if self._is_negative(rgba, box):
                return None
        found = self._search(rgba, chans, min_logo=min_logo)
        if found:
            return found
        if self._local.seed < SIFT_GATE or self.last_best < SIFT_VERIFY_GATE:
            return None
        return self._features(rgba, chans, min_logo=min_logo)

    # whole image
    def _whole(self, rgba, chans, box) -> Match | None:
        x, y, w, h = box
        aspect = w / h
        for model in self._search_models:
            ratio = aspect / model.aspect
            if not 0.84 <= ratio <= 1.19:
                continue
            seed = (0.0, model, float(x), float(y), float(w), float(h), 0.0)
            found = self._refine(rgba, chans, seed, angles=(0.0,), whole=True)
            if found:
                found.method = "whole"
                return found
        return None

    def _is_negative(self, rgba, box) -> bool:
        """Whether the image, as a whole, is one of the kit's hard negatives (last year's logo
        on its own): then no part of it is this year's logo, whatever a search would find in
        it (a turned or covered place of the kit's mark inside last year's drawing)."""
        x, y, w, h = box
        crop = rgba[y:y + h, x:x + w]
        aspect = w / h
        # a negative of the kit's shape, drawn in the kit's frame: the image must fit it as a
        # whole and, where the two differ (a year), better than the kit
        for model in self._search_models:
            if not model.negatives or not _shaped_alike(aspect, model.aspect):
                continue
            vw, vh = _comparison_size(model.aspect)
            cand = _field(_channels(_resize(crop, (vw, vh))), pool=0.8)
            ref, region = model.verify_fields(vw, vh)
            for _name, nfield, differ, _clear in model.negative_fields(vw, vh):
                zone = differ * region
                if _shifted_agreement(cand, nfield, region) >= NEGATIVE_WHOLE and \
                        _shifted_agreement(cand, nfield, zone) > \
                        _shifted_agreement(cand, ref, zone) + NEGATIVE_MARGIN:
                    return True
        # a negative of another shape (another icon), in its own frame
        for neg in self._negative_models:
            if not _shaped_alike(aspect, neg.aspect):
                continue
            vw, vh = _comparison_size(neg.aspect)
            cand = _field(_channels(_resize(crop, (vw, vh))), pool=0.8)
            field, region = neg.verify_fields(vw, vh)
            theirs = _shifted_agreement(cand, field, region)
            if theirs < NEGATIVE_WHOLE:
                continue
            own = max((_shifted_agreement(cand, *model.verify_fields(vw, vh))
                       for model in self._models if _shaped_alike(aspect, model.aspect)),
                      default=0.0)
            if theirs > own + NEGATIVE_MARGIN:
                return True
        return False

    # template search
    def _search(self, rgba, chans, *, min_logo: float | None) -> Match | None:
        h, w = chans.shape[:2]
        share = MIN_LOGO_SHARE
        if (rgba[::4, ::4, 3] < 128).mean() > 0.05:
            # a graphic with transparency (an icon, a badge): the logo would be a large part of
            # it, not a detail of its drawing
            share = 4
        min_logo = float(max(MIN_TEMPLATE, min_logo or min(max(h, w) / share,
                                                            min(h, w) / 1.5)))
        levels: dict[tuple, np.ndarray] = {}
        padded_levels: dict[tuple, tuple] = {}
        # per source (the image's colours: None; a one-colour logo's ink: its colour), the
        # image halved and halved again, to resize from
        octaves: dict = {None: [(1.0, chans)]}
        opaque = chans.shape[2] == 3

        def level(f: float, ink: tuple | None) -> np.ndarray:
            if (f, ink) not in levels:
                if ink not in octaves:
                    octaves[ink] = [(1.0, _ink_map(chans, ink))]
                steps = octaves[ink]
                if f >= 1:
                    image = steps[0][1]
                else:
                    while steps[-1][0] / 2 >= f and min(steps[-1][1].shape[:2]) >= 8:
                        g, src = steps[-1]
                        half = cv2.resize(src, (max(1, src.shape[1] // 2),
                                                max(1, src.shape[0] // 2)),
                                          interpolation=cv2.INTER_AREA)
                        steps.append((g / 2, half if half.ndim == 3 else half[:, :, None]))
                    g, src = next(o for o in reversed(steps) if o[0] >= f)
                    size = (max(1, round(w * f)), max(1, round(h * f)))
                    image = src if (src.shape[1], src.shape[0]) == size else cv2.resize(
                        src, size, interpolation=cv2.INTER_AREA)
                levels[(f, ink)] = _field(image, pool=SEARCH_POOL)
            return levels[(f, ink)]

        def padded_level(lw: float, lh: float, short: int, ink: tuple | None) -> tuple:
            """The level a logo lw × lh is searched for on (its template ``SEARCH_TEMPLATE``
            long, ``short`` on its short side at least, on quarter-octave pyramid levels),
            padded by a fifth of the template (a logo cut by the edge matches too): (f, tw, th,
            px, py, padded, energy, integral)."""
            f = min(1.0, max(SEARCH_TEMPLATE / max(lw, lh), short / min(lw, lh)))
            f = min(1.0, 2.0 ** (-round(-math.log2(f) * 4) / 4))
            tw, th = max(4, round(lw * f)), max(4, round(lh * f))
            px, py = int(tw * 0.2), int(th * 0.2)
            key = (f, px, py, ink)
            if key not in padded_levels:
                padded = cv2.copyMakeBorder(level(f, ink), py, py, px, px,
                                            cv2.BORDER_CONSTANT, value=0)
                energy = _energy(padded)
                padded_levels[key] = (padded, energy, cv2.integral(energy, sdepth=cv2.CV_64F))
            return (f, tw, th, px, py, *padded_levels[key])

        seeds = []
        for model in self._search_models:
            # a one-colour logo in an opaque picture is also looked for in how much each pixel
            # is its ink (thin lettering on a busy photograph: its outline is lost among the
            # photograph's edges at the search's coarse levels, and stands out there)
            # (the colour of the first of its kit files that is one colour, not light)
            ink = next((m.ink for m in model.members if m.ink is not None), None)
            sources = (None,) if ink is None or not opaque else \
                (None, tuple(float(c) for c in ink))
            size = min_logo
            step = 0
            wide = model.wide
            while True:
                lw, lh = (size, size / model.aspect) if model.aspect >= 1 else \
                    (size * model.aspect, size)
                size *= SCALE_STEP_WIDE if wide else SCALE_STEP
                if lw > w * 1.15 or lh > h * 1.15:
                    break
                if min(lw, lh) < MIN_SHORT:
                    continue
                # Wide marks (wordmarks, lockups), at sizes SCALE_STEP_WIDE apart: each size
                # upright on a finer level (at 16 px the letters of a two-line mark are a few
                # pixels high, and on a busy photograph their structure is lost), and every
                # other size also slightly rotated (at the coarse size a few degrees move their
                # ends by a good part of their height; the blurred structure tolerates the
                # larger step).
                step += 1
                if not wide:
                    looks = ((SEARCH_SHORT, (0.0,)),)
                else:
                    looks = ((SEARCH_SHORT, SEARCH_ROTATIONS),) if step % 2 else ()
                    looks += ((SEARCH_SHORT_FINE, (0.0,)),)
                for short, angles in looks:
                    for ink in sources if max(lw, lh) >= INK_SEARCH_LONG else sources[:1]:
                        f, tw, th, px, py, padded, energy, integral = padded_level(
                            lw, lh, short, ink)
                        for angle in angles:
                            seeds += [seed + (ink,) for seed in self._peaks(
                                model, padded, energy, integral, f=f, tw=tw, th=th, px=px,
                                py=py, lw=lw, lh=lh, angle=angle)]
        # A lockup is also looked for by its icon alone (its emblem; upright, at the sizes it
        # has in the lockups looked for): thin words on a busy photograph are lost at the
        # search's coarse levels, the icon beside them is not. Each place is the lockup's, as
        # the icon places it. (The icon of the first kit file that has one: a JPEG has none
        # and may come first; colour files come before a white variant, which is shown on plain
        # dark grounds, where the lockup is found as it is.)
        emblem_seeds = []
        holder = next((m for group in self._search_models for m in group.members
                       if m.emblem is not None), None)
        if holder is not None:
            part, (mx, my, mw, mh) = holder.emblem
            size = max(MIN_TEMPLATE, min_logo * max(mw, mh) / max(holder.fw, holder.fh))
            while True:
                lw, lh = (size, size / part.aspect) if part.aspect >= 1 else \
                    (size * part.aspect, size)
                size *= SCALE_STEP
                k = lw / mw  # (picture pixels per lockup frame pixel)
                if holder.fw * k > w * 1.15 or holder.fh * k > h * 1.15:
                    break
                if min(lw, lh) < MIN_SHORT:
                    continue
                f, tw, th, px, py, padded, energy, integral = padded_level(
                    lw, lh, SEARCH_SHORT, None)
                # (the best places only: a place found only with a quarter of the icon left out
                # would misplace the lockup, so none is computed)
                for peak, _, x, y, plw, *_ in self._peaks(
                        part, padded, energy, integral, f=f, tw=tw, th=th, px=px, py=py,
                        lw=lw, lh=lh, angle=0.0, covers=False):
                    k = plw / mw
                    emblem_seeds.append((peak, holder, x - mx * k, y - my * k, holder.fw * k,
                                         holder.fh * k, 0.0, peak, False, None))
        emblem_seeds.sort(key=lambda s: -s[0])
        # seeds: (peak, model, x, y, lw, lh, angle, without a quarter, only without a quarter,
        # the source: None, the picture's colours, or the ink's colour, a one-colour logo's)
        seeds.sort(key=lambda s: -s[0])
        # (the places found in the ink are added after the others, below)
        ink_seeds = [s for s in seeds if s[9] is not None]
        seeds = [s for s in seeds if s[9] is None]
        self._local.seed = seeds[0][0] if seeds else 0.0
        kept: list[tuple] = []
        rotated = 0

        def distinct(seed, among: list | None = None) -> bool:
            """Whether ``seed`` is another place or size than each of ``among`` (the places
            kept so far)."""
            return all(abs(seed[2] - k[2]) > k[4] * 0.3 or abs(seed[3] - k[3]) > k[5] * 0.3
                       or abs(seed[4] / k[4] - 1) > 0.15 or seed[1] is not k[1]
                       for k in (kept if among is None else among))

        # distinct places or sizes only; a few rotated ones, upright first (the places found
        # only without a quarter are looked at as covered places only, below)
        for seed in seeds:
            if (seed[6] and rotated >= ROTATED_CANDIDATES) or seed[8]:
                continue
            if distinct(seed):
                kept.append(seed)
                rotated += bool(seed[6])
            if len(kept) >= CANDIDATES + ROTATED_CANDIDATES:
                break
        # and, a covered logo, up to COVER_CANDIDATES of the search's best places (at each
        # size) that come as close as the best one with a quarter of the template left out,
        # and much closer than they do as a whole (beyond the cap on rotated places), and one
        # more such place of those found only that way (one of those, not counted among the
        # COVER_CANDIDATES; taken in the same order, so it may still stand too near one of
        # them for that one to be distinct); every place is then ranked by the better of its
        # two correlations
        covered = covered_next = 0
        for seed in sorted(seeds, key=lambda s: -s[7]):
            if (covered >= COVER_CANDIDATES and covered_next) or seed[7] < seeds[0][0]:
                break
            if (covered_next if seed[8] else covered >= COVER_CANDIDATES):
                continue
            if seed[7] - seed[0] >= COVER_GAIN and distinct(seed):
                kept.append(seed)
                covered_next += seed[8]
                covered += not seed[8]
        # and the best of the places found in a one-colour logo's ink (INK_CANDIDATES, of which
        # one turned at most), distinct from each other — not from the places above: the one
        # chosen gets its own turn below, and a place of the picture's colours at the same
        # place is ranked among those, where a mark whose inner parts correlate well at smaller
        # sizes (a feather cut out of a dark page) leaves it out of the refined ones
        turned = 0
        inks: list[tuple] = []
        for seed in ink_seeds:
            if len(inks) >= INK_CANDIDATES:
                break
            if seed[8] or (seed[6] and turned >= 1) or not distinct(seed, inks):
                continue
            inks.append(seed)
            turned += bool(seed[6])
        kept += inks
        # and the lockups placed by their icons (EMBLEM_CANDIDATES, distinct places or sizes;
        # each its own turn, even where a place above was taken: refined on its own, below)
        placed: list[tuple] = []
        for seed in emblem_seeds:
            if len(placed) >= EMBLEM_CANDIDATES:
                break
            if distinct(seed, placed):
                placed.append(seed)
        # (each also turned by SEARCH_ROTATIONS about its icon: a turned lockup's words are
        # off the upright place by half its length times the angle's sine)
        turned_too = []
        for seed in placed:
            peak, model, x, y, lw, lh = seed[:6]
            about = np.array(_icon_centre(seed))
            centre = np.array([x + lw / 2, y + lh / 2]) - about
            for angle in SEARCH_ROTATIONS:
                cx, cy = about + cv2.getRotationMatrix2D((0, 0), angle, 1.0)[:, :2] @ centre
                turned_too.append((peak, model, cx - lw / 2, cy - lh / 2, lw, lh, angle, peak,
                                   False, None))
        placed += turned_too
        kept += placed
        by_emblem = {id(seed) for seed in placed}
        # A cheap look at each place as it is (the verification at the coarse pose): a match
        # there is taken; otherwise the places that came closest are refined.
        ranked = []
        for seed in kept:
            _, model, x, y, lw, lh, angle, *_ = seed
            # frame → box → rotated about the box's centre
            m = _shift(x + lw / 2, y + lh / 2) @ np.vstack(
                [cv2.getRotationMatrix2D((0, 0), angle, 1.0), [0, 0, 1]]) @ \
                _shift(-lw / 2, -lh / 2) @ _scale(lw / model.fw, lh / model.fh)
            found = self._verify(rgba, chans, model, m)
            if found and found.score >= QUICK_ACCEPT:
                return found
            ranked.append((self._local.vscore + 0.25 * max(seed[0], seed[7]), seed))
        ranked.sort(key=lambda r: -r[0])
        inked = next((seed for _, seed in ranked if seed[9] is not None), None)
        emblemed = next((seed for _, seed in ranked if id(seed) in by_emblem), None)
        ranked = [r for r in ranked if r[1][9] is None and id(r[1]) not in by_emblem]
        chosen = [seed for _, seed in ranked[:MAX_SEEDS]]
        covered_only = [seed for _, seed in ranked[MAX_SEEDS:] if seed[8]][:COVER_TURNS]
        # At the coarse pose a large logo is verified off by several of the image's pixels, a
        # small place (a photograph's texture) to a pixel or two: the look ranks small places
        # ahead. So a clearly larger place whose search peak came as close is refined too.
        larger = next((seed for _, seed in ranked[MAX_SEEDS:]
                       if all(max(seed[4], seed[5]) > LARGER * max(c[4], c[5])
                              for c in chosen)
                       and seed[0] >= min(c[0] for c in chosen) - LARGER_PEAK), None)
        if larger is not None:
            chosen.append(larger)
        # and the place found in the logo's ink that came closest (its own turn: the places
        # found in the picture's colours are chosen and refined as before — their verification,
        # a one-colour logo's, now also on its ink)
        if inked is not None:
            chosen.append(inked)
        # and the lockup placed by its icon that came closest (its size known to a search step:
        # an icon correlates about as well a step larger or smaller)
        if emblemed is not None:
            chosen.append(emblemed)
        # and the place found only with a quarter left out (its look as it is, at the coarse
        # pose, is a covered logo's: its cover in it, and its size a search step off)
        chosen += [seed for seed in covered_only if all(seed is not c for c in chosen)]
        best = None
        near: list[tuple] = []  # refined places that came close: (score, kit file, pose)
        for seed in chosen:
            angles = ROTATIONS if not seed[6] else (seed[6], seed[6] - 3.0, seed[6] + 3.0)
            # rotated places come from every other size of a wide mark (SCALE_STEP_WIDE² apart,
            # about SCALE_STEP): their size is tried a whole SCALE_STEP either way; so is the
            # place of a lockup found by its icon, which is refined but not polished (a place
            # polished is compared with last year's version at a hundred or two poses, and where
            # the two years fit about alike at the lockup's size, one pose may favour this
            # year's by chance: with the icons' places polished too, last year's lockups in
            # photographs were taken 4 times in 528; refined only, twice; without them, once)
            how = {"angles": angles,
                   "size_known": SCALE_STEP if seed[6] or seed is emblemed else 1.1,
                   "near": None if seed is emblemed else near, "ink": seed[9]}
            found = self._refine(rgba, chans, seed[:7], **how)
            # a place that came much closer with a quarter left out is refined that way too,
            # if, refined as usual, it verified at COVER_FROM or more (and is POLISH_MIN long),
            # or if as a whole it correlated under SEED_MIN (a place found only without a
            # quarter, whose usual refinement seldom gets far enough to be verified)
            if not found and seed[7] - seed[0] >= COVER_GAIN and \
                    max(seed[4], seed[5]) >= POLISH_MIN and (
                        self._local.refined >= COVER_FROM or seed[0] < SEED_MIN):
                found = self._refine(rgba, chans, seed[:7], covered=True, **how)
            # The lockup placed by its icon, refused, is refined once more. Turned, its words
            # swing about the icon (by 9°, a 7:1 lockup's far end stands most of its height off
            # the upright place), out of the window around its upright place; and the first
            # step picks the turn at the seed's size, which the later steps (the size at that
            # turn, then 3° either way) cannot undo for thin lettering. So the window now holds
            # the lockup turned about its icon, and the first turns are 3° apart. (Only where
            # the usual refinement failed: a wider window resamples the picture at another
            # phase, and a lockup found at the threshold may be lost. Its verifications count
            # towards ``last_best``, and so towards SIFT's gate, as every other's do.)
            if not found and seed is emblemed:
                how.update(angles=EMBLEM_TURNS, pivot=_icon_centre(seed))
                found = self._refine(rgba, chans, seed[:7], **how)
            if found and (best is None or found.score > best.score):
                best = found
                if found.score > 0.9:
                    break
        if best is None and near:
            _, model, m = max(near, key=lambda n: n[0])
            best = self._polish(rgba, chans, model, m)
        return best

    @staticmethod
    def _peaks(model: _Model, padded, energy, integral, *, f: float, tw: int, th: int, px: int,
               py: int, lw: float, lh: float, angle: float,
               covers: bool = True) -> list[tuple]:
        """The best places of the model's template (``tw`` × ``th``, turned by ``angle``) on
        the level ``f`` of the picture (padded by ``px``, ``py``), up to ``PEAKS_PER_SIZE``:
        seeds (peak, model, x, y, lw, lh, angle, correlation without a quarter, found only
        without a quarter). Upright, and ``POLISH_MIN`` long or more: the next
        ``COVER_LOOKS`` places too, down to ``COVER_SEED_MIN``, each with a quarter left out,
        and the one that gains most that way (``COVER_GAIN``, and to ``SEED_MIN +
        COVER_GAIN``) as one more seed, a covered place only — a logo with a corner covered by
        another picture may correlate as a whole below the best places at its size, or below
        ``SEED_MIN``, and would not be looked at otherwise (the correlation without a quarter
        is computed at those places only). ``covers`` False: the best places only, with 0 for
        the correlation without a quarter, and no covered place."""
        template = model.template(tw, th, angle, pool=SEARCH_POOL)
        nh, nw = template.field.shape[:2]
        if padded.shape[0] < nh or padded.shape[1] < nw:
            return []
        result = _correlate(padded, energy, template, integral)
        raw = result.copy()  # (result: each place found is blanked out)

        def corner(bx: int, by: int) -> tuple[float, float]:
            # the unrotated box's corner, centred where the template's centre is (the peak
            # placed between the level's pixels: one of them is several of the image's)
            sx, sy = _subpixel(raw, bx, by)
            return (sx - px + nw / 2) / f - lw / 2, (sy - py + nh / 2) / f - lh / 2

        seeds = []
        for _ in range(PEAKS_PER_SIZE):  # the best places at this size
            _, peak, _, (bx, by) = cv2.minMaxLoc(result)
            if peak < SEED_MIN:
                break
            cv2.rectangle(result, (bx - nw // 2, by - nh // 2), (bx + nw // 2, by + nh // 2), 0,
                          -1)
            seeds.append((float(peak), model, *corner(bx, by), lw, lh, angle,
                          _without_a_quarter(padded, energy, template, bx, by) if covers else
                          0.0, False))
        if angle or max(lw, lh) < POLISH_MIN or not covers:
            return seeds
        best_covered = None  # (without a quarter, as a whole, x, y): the place that gains most
        for _ in range(COVER_LOOKS):
            _, peak, _, (bx, by) = cv2.minMaxLoc(result)
            if peak < COVER_SEED_MIN:
                break
            cv2.rectangle(result, (bx - nw // 2, by - nh // 2), (bx + nw // 2, by + nh // 2), 0,
                          -1)
            without = _without_a_quarter(padded, energy, template, bx, by)
            if without >= SEED_MIN + COVER_GAIN and without - peak >= COVER_GAIN and (
                    best_covered is None or without > best_covered[0]):
                best_covered = (without, float(peak), bx, by)
        if best_covered is not None:
            without, peak, bx, by = best_covered
            seeds.append((peak, model, *corner(bx, by), lw, lh, angle, without, True))
        return seeds

    # local features
    def _features(self, rgba, chans, *, min_logo: float | None) -> Match | None:
        h, w = chans.shape[:2]
        if max(h, w) < SIFT_MIN_IMAGE:
            return None
        f = min(1.0, SIFT_MAX_SIDE / max(h, w))
        gray = _gray(rgba)
        if f < 1:
            gray = cv2.resize(gray, (max(1, round(w * f)), max(1, round(h * f))),
                              interpolation=cv2.INTER_AREA)
        detector = cv2.SIFT_create(nfeatures=SIFT_FEATURES)
        keypoints, descriptors = detector.detectAndCompute(gray, None)
        if descriptors is None or len(keypoints) < SIFT_MIN_INLIERS:
            return None
        points = np.float32([k.pt for k in keypoints])
        matcher = cv2.BFMatcher(cv2.NORM_L2)
        seeds = []
        for model in self._search_models:
            for member in model.members[:1]:
                with self._sift_lock:
                    ref_points, ref_desc = member.sift(detector)
                if len(ref_desc) < SIFT_MIN_INLIERS:
                    continue
                pairs = matcher.knnMatch(ref_desc, descriptors, k=2)
                good = [p[0] for p in pairs
                        if len(p) == 2 and p[0].distance < SIFT_RATIO * p[1].distance]
                if len(good) < SIFT_MIN_INLIERS:
                    continue
                src = ref_points[[g.queryIdx for g in good]]
                dst = points[[g.trainIdx for g in good]] / f
                m, inliers = cv2.estimateAffinePartial2D(
                    src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0 / f,
                    maxIters=1000, confidence=0.99)
                if m is None or inliers is None:
                    continue
                count = int(inliers.sum())
                if count < SIFT_MIN_INLIERS or count < 0.2 * len(good):
                    continue
                scale = math.hypot(m[0, 0], m[1, 0])
                angle = -math.degrees(math.atan2(m[1, 0], m[0, 0]))
                if abs(angle) > 30 or scale * min(member.fw, member.fh) < MIN_SHORT:
                    continue
                # the box of the unrotated logo at that scale, centred where the frame's centre
                # lands
                cx, cy = m @ np.array([member.fw / 2, member.fh / 2, 1.0])
                lw, lh = member.fw * scale, member.fh * scale
                seeds.append((count, model, cx - lw / 2, cy - lh / 2, lw, lh, angle))
        seeds.sort(key=lambda s: -s[0])
        for seed in seeds[:2]:
            angle = seed[6]
            found = self._refine(rgba, chans, seed, angles=(angle, angle - 3, angle + 3))
            if found:
                found.method = "features"
                return found
        return None

    # refinement and verification
    def _refine(self, rgba, chans, seed, *, angles, whole: bool = False,
                size_known: float = 1.1, near: list | None = None,
                covered: bool = False, ink: tuple | None = None,
                pivot: tuple[float, float] | None = None) -> Match | None:
        """Best pose near a seed box (rotation, squash, scale, shift), then the verdict.
        ``size_known``: the seed's size is right to within this factor (sizes tried);
        ``near``: where a place that came close without passing is added, to be polished;
        ``covered``: the seed came much closer with a quarter left out (a covered logo): the
        pose is the one that fits best with its worst quarter left out (the edges the cover
        hides, and its own, pull the whole template's best pose off the logo); ``ink``: the seed
        was found in how much each pixel is of this colour (a one-colour logo's ink), and is
        refined there; ``pivot``: the seed places a lockup by its icon, here: the window also
        holds its box turned about this point to each angle tried and 3° beyond
        (``_turned_about``)."""
        _, model, x, y, lw, lh, _ = seed
        self._local.refined = 0.0  # the refined place's closest verification, if verified
        h, w = chans.shape[:2]
        short = REFINE_SHORT_WIDE if model.wide else REFINE_SHORT
        g = min(1.0, max(REFINE_TEMPLATE / max(lw, lh), short / min(lw, lh)))
        # The window: the seed's box and a quarter of it around, or as much as the template
        # needs at the largest angle and size tried (a 5:1 mark turned by 9° is 1.8 times as
        # tall as upright: it did not fit, and turned poses were not tried). (Room to move on
        # top of that, or for the squash steps, found fewer logos and more false ones on the
        # tuning sites: decision 0012.)
        turn = math.radians(max(abs(a) for a in angles) + 3.0)
        mx = max(lw * 0.25, ((lw * math.cos(turn) + lh * math.sin(turn)) * size_known - lw) / 2)
        my = max(lh * 0.25, ((lw * math.sin(turn) + lh * math.cos(turn)) * size_known - lh) / 2)
        mx, my = mx + 3, my + 3
        x0, y0 = int(math.floor(x - mx)), int(math.floor(y - my))
        x1, y1 = int(math.ceil(x + lw + mx)), int(math.ceil(y + lh + my))
        if pivot is not None:
            # ... and, a lockup placed by its icon, as much as it needs turned about its icon
            # (its words swing about it: turned by 9°, a 7:1 lockup's far end is off the upright
            # place by most of its height), to each angle tried and 3° beyond, from 1 /
            # size_known to size_known times its size (the finer size and squash steps may
            # reach a little beyond, as in the window above)
            reach = _turned_about(seed, pivot, angles=angles, size_known=size_known)
            x0, y0 = min(x0, math.floor(reach[0]) - 3), min(y0, math.floor(reach[1]) - 3)
            x1, y1 = max(x1, math.ceil(reach[2]) + 3), max(y1, math.ceil(reach[3]) + 3)
        window = chans[max(0, y0):min(h, y1), max(0, x0):min(w, x1)]
        pad = (max(0, -y0), max(0, y1 - h), max(0, -x0), max(0, x1 - w))
        if window.size == 0:
            return None
        if ink is not None:
            window = _ink_map(window, ink)
        if g < 1:
            window = cv2.resize(window, (max(1, round(window.shape[1] * g)),
                                         max(1, round(window.shape[0] * g))),
                                interpolation=cv2.INTER_AREA)
        field = _field(window, pool=0.8)
        if any(pad):
            field = cv2.copyMakeBorder(field, *(round(p * g) for p in pad),
                                       cv2.BORDER_CONSTANT, value=0)
        energy = _energy(field)
        # window (level) pixels → image pixels
        to_image = _shift(x0, y0) @ _scale(1 / g)

        def attempt(angle, sx, sy):
            angle = round(angle, 1)  # as the template is made
            tw, th = max(4, round(lw * g * sx)), max(4, round(lh * g * sy))
            template = model.template(tw, th, angle, pool=0.8, transient=True)
            if template.field.shape[0] > field.shape[0] or \
                    template.field.shape[1] > field.shape[1]:
                return None
            result = _correlate_without_a_quarter(field, energy, template) if covered else \
                _correlate(field, energy, template)
            _, peak, _, (bx, by) = cv2.minMaxLoc(result)
            # frame → template (scaled, rotated into the expanded canvas) → window → image
            rot = _rotation(angle, tw, th)[0] if angle else np.eye(3)
            m = to_image @ _shift(bx, by) @ rot @ _scale(tw / model.fw, th / model.fh)
            return float(peak), m

        best = None
        for angle in angles:
            found = attempt(angle, 1.0, 1.0)
            if found and (best is None or found[0] > best[0]):
                best = found + (angle, 1.0, 1.0)
        if best is None:
            return None
        angle = best[2]
        scales = ((0.9, 0.9), (1.1, 1.1), (0.95, 0.95), (1.05, 1.05))
        if size_known > 1.1:
            scales += ((1 / size_known, 1 / size_known), (size_known, size_known))
        for sx, sy in scales:
            found = attempt(angle, sx, sy)
            if found and found[0] > best[0]:
                best = found + (angle, sx, sy)
        if model.wide:
            # a wide mark's length decides where its far end is compared: finer steps too
            base_x, base_y = best[3], best[4]
            for factor in (1 / REFINE_FINE, REFINE_FINE):
                found = attempt(angle, base_x * factor, base_y * factor)
                if found and found[0] > best[0]:
                    best = found + (angle, base_x * factor, base_y * factor)
        if best[0] < SEED_MIN:
            return None
        base_x, base_y = best[3], best[4]
        for sx, sy in ((base_x, base_y * 0.9), (base_x * 0.9, base_y), (base_x, base_y * 0.95),
                       (base_x * 0.95, base_y), (base_x, base_y * 1.05),
                       (base_x * 1.05, base_y)):
            found = attempt(angle, sx, sy)
            if found and found[0] > best[0]:
                best = found + (angle, sx, sy)
        if len(angles) > 1 and best[0] > 0.3:
            for da in (-3.0, 3.0):
                found = attempt(angle + da, best[3], best[4])
                if found and found[0] > best[0]:
                    best = found + (angle + da, best[3], best[4])
        # the kit files searched with this template have its structure: the first is tried,
        # the others only when it came close
        closest = (-1.0, model)
        for member in model.members:
            match = self._verify(rgba, chans, member, best[1])
            if match or self.last_best < 0.5:
                return match
            if self._local.vscore > closest[0]:
                closest = (self._local.vscore, member)
                self._local.refined = closest[0]
        if near is not None and closest[0] >= POLISH_FROM and max(lw, lh) >= POLISH_MIN:
            near.append((closest[0], closest[1], best[1]))
        return None

    def _polish(self, rgba, chans, model: _Model, m: np.ndarray) -> Match | None:
        """The verification's own best pose near ``m`` (a place that came close and was
        refused): a few steps of a pixel or two, of scale and of angle, each taken when the
        agreement rises. The refinement's correlation (a blurred field at its own size) and the
        verification (cell by cell, at theirs) do not peak at quite the same pose: a thin
        outline a pixel off, or 5 % too small, fails a verification it passes where it is.

        The agreement climbed is the verification's score plus the whole logo's (no cell
        excused): a wide lockup placed a few per cent too small agrees at its left end and not
        at its right, whose cells are excused as covered; the score alone does not rise as the
        right end comes into place, the whole logo's does. Where the climb ends, the logo's
        other kit files are verified too."""
        self._verify(rgba, chans, model, m)  # (refused where it is: its agreement is the start)
        score = self._local.vscore + self._local.vwhole
        start = m
        # (where the climb ends, a second one goes on with steps POLISH_FINER as large, none
        # with POLISH_FINER 1: bold lettering verifies well within a pixel of its place, and a
        # wide lockup's steps are 2–3 px)
        for finer in dict.fromkeys((1.0, POLISH_FINER)):  # (each factor once, in order)
            for _ in range(POLISH_STEPS):
                step_best = (score, m)
                for pose in self._nearby(model, m, finer=finer):
                    match = self._verify(rgba, chans, model, pose)
                    if match:
                        return match
                    climbed = self._local.vscore + self._local.vwhole
                    if climbed > step_best[0]:
                        step_best = (climbed, pose)
                if step_best[0] <= score:
                    break
                score, m = step_best
        # The kit's other files of this logo, where the climb ended (where it started, the
        # refinement tried them): the one climbed is the one that came closest, and a
        # one-colour outline's white variant comes as close as its colour file (one outline) —
        # then it is refused for its colours where the colour file passes
        group = next((g.members for g in self._search_models if model in g.members), ()) \
            if m is not start else ()
        for other in group:
            if other is not model:
                match = self._verify(rgba, chans, other, m)
                if match:
                    return match
        return None

    @staticmethod
    def _nearby(model: _Model, m: np.ndarray, *, finer: float = 1.0) -> list[np.ndarray]:
        """Poses next to ``m``: moved by ``POLISH_SHIFT`` of the logo's long side each way,
        scaled by ``POLISH_SCALE`` either way and turned by ``POLISH_TURN`` either way about the
        logo's centre (the shifts and the scale steps ``POLISH_FINE_WIDE`` as large for a wide
        mark; a wide mark ``REFINE_SHORT_WIDE`` high or more also stretched along and across).
        ``finer``: the shifts and the scale steps this much smaller again (a shift ``finer``
        pixels at least)."""
        scale = math.sqrt(abs(np.linalg.det(m[:2, :2])))  # picture pixels per frame pixel
        long_side = max(model.fw, model.fh) * scale
        fine = (POLISH_FINE_WIDE if model.wide else 1.0) * finer
        step = max(finer, POLISH_SHIFT * fine * long_side)
        cx, cy, _ = m @ np.array([model.fw / 2, model.fh / 2, 1.0])
        about, back = _shift(cx, cy), _shift(-cx, -cy)
        moves = [_shift(step, 0), _shift(-step, 0), _shift(0, step), _shift(0, -step)]
        factor = POLISH_SCALE ** fine
        moves += [about @ _scale(f) @ back for f in (factor, 1 / factor)]
        # A wide mark refined on a level coarser than the picture (REFINE_SHORT_WIDE high or
        # more, and POLISH_MIN long) is left a level pixel off in length or height, a pixel or
        # more of the picture, and its thin lettering verifies well only within a pixel or two
        # (the scale step is 7 px along a 450 px lockup): it is also stretched along by half a
        # scale step and across by a whole one (the picture's axes: a mark turned a few
        # degrees at most). (Smaller ones are refined at the picture's own pixels.)
        if model.wide and min(model.fw, model.fh) * scale >= REFINE_SHORT_WIDE:
            half = math.sqrt(factor)
            lying = model.fw >= model.fh  # (its length along the picture's x axis)
            # (along its length, across it)
            steps = [(f, 1.0) for f in (half, 1 / half)] + [(1.0, f) for f in (factor, 1 / factor)]
            moves += [about @ (_scale(a, b) if lying else _scale(b, a)) @ back for a, b in steps]
        moves += [about @ np.vstack([cv2.getRotationMatrix2D((0, 0), a, 1.0), [0, 0, 1]]) @ back
                  for a in (-POLISH_TURN, POLISH_TURN)]
        return [move @ m for move in moves]

    @staticmethod
    def _regions_agree(patch, model: _Model, valid, seen, *, size: tuple[int, int]) -> bool:
        """The regions cue (:meth:`_Model.regions_fit`) with the candidate at ``size`` (the
        verification's usual frame: the cues' detail is measured in pixels) or, where it cannot
        hold, a one-colour logo's ink flat over a textured ground (:func:`_flat_over_textured`,
        over ``seen``: the cells not excused as covered)."""
        vh, vw = patch.shape[:2]
        if size != (vw, vh):
            patch = cv2.resize(patch, size, interpolation=cv2.INTER_AREA)
            if patch.ndim == 2:
                patch = patch[:, :, None]
            valid, seen = ((cv2.resize(mask, size, interpolation=cv2.INTER_AREA) > 0.99
                            ).astype(np.float32) for mask in (valid, seen))
        return model.regions_fit(patch, *size, valid) >= REGIONS_MIN or \
            _flat_over_textured(patch, model, *size, seen)

    @staticmethod
    def _colour_agrees(patch, model: _Model, vw: int, vh: int, valid) -> bool:
        return _colour_error(patch, model.small(vw, vh), valid) <= COLOUR_MAX

    def _verify(self, rgba, chans, model: _Model, m: np.ndarray, *,
                usual: bool = False) -> Match | None:
        """Warp the image onto the reference's frame and measure the agreement, cell by cell;
        then the hard negatives, where they differ from the reference. Within ``match_image``,
        places of the image where a hard negative fitted clearly better are remembered and weigh
        on the other poses of that place.

        A wide mark is verified on a finer frame (``VERIFY_SHORT_WIDE`` on its short side) than
        other logos (``VERIFY_SHORT``: the usual frame); ``usual``: on the usual frame, whatever
        the logo. A one-colour logo's candidate (``_Model.ink``: not a gradient, not a light colour)
        in an opaque picture is measured on its colours' structure and on that of the file's own
        ink, and judged on the closer of the two."""
        self._local.vscore = self._local.vwhole = 0.0
        h, w = chans.shape[:2]
        scale = math.sqrt(abs(np.linalg.det(m[:2, :2])))  # image pixels per frame pixel
        logo_long = max(model.fw, model.fh) * scale
        logo_short = min(model.fw, model.fh) * scale
        if logo_short < MIN_SHORT * 0.9 or logo_long < MIN_TEMPLATE * 0.9:
            return None
        v = min(1.0, VERIFY_LONG / logo_long)
        v_usual = max(v, min(1.0, VERIFY_SHORT / logo_short))
        v = max(v, min(1.0, (VERIFY_SHORT if usual or not model.wide else VERIFY_SHORT_WIDE)
                       / logo_short))
        finer = v / v_usual  # (1: the usual frame)
        vw, vh = max(8, round(model.fw * scale * v)), max(8, round(model.fh * scale * v))
        usual_size = (max(8, round(model.fw * scale * v_usual)),
                      max(8, round(model.fh * scale * v_usual)))
        # verification frame → image
        to_image = m @ _scale(model.fw / vw, model.fh / vh)
        source, shift = chans, np.eye(3)
        if v < 0.66:  # shrink the region first (no aliasing)
            corners = to_image @ np.array([[0, vw, 0, vw], [0, 0, vh, vh], [1, 1, 1, 1]])
            bx0 = int(max(0, corners[0].min() - 4))
            by0 = int(max(0, corners[1].min() - 4))
            bx1 = int(min(w, corners[0].max() + 4))
            by1 = int(min(h, corners[1].max() + 4))
            if bx1 - bx0 < 4 or by1 - by0 < 4:
                return None
            source = cv2.resize(chans[by0:by1, bx0:bx1],
                                (max(1, round((bx1 - bx0) * v)), max(1, round((by1 - by0) * v))),
                                interpolation=cv2.INTER_AREA)
            shift = _scale(v) @ _shift(-bx0, -by0)
        warp = (shift @ to_image)[:2]
        patch = cv2.warpAffine(source, warp, (vw, vh), flags=cv2.INTER_LINEAR |
                               cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
        if patch.ndim == 2:
            patch = patch[:, :, None]
        sh, sw = source.shape[:2]
        sampled = warp @ np.array([[0, vw - 1, 0, vw - 1], [0, 0, vh - 1, vh - 1],
                                   [1, 1, 1, 1]])
        if sampled.min() >= 0 and sampled[0].max() <= sw - 1 and sampled[1].max() <= sh - 1:
            valid = np.ones((vh, vw), np.float32)  # every sample is inside the picture
        else:
            inside = cv2.warpAffine(np.ones((sh, sw), np.float32), warp, (vw, vh),
                                    flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=0)
            valid = (inside > 0.99).astype(np.float32)
        ref, region = model.verify_fields(vw, vh)
        weight = region * valid
        r0, r1 = ref[:, :, 0], ref[:, :, 1]
        er_map = (r0 * r0 + r1 * r1) * region
        er = er_map * valid
        total = float(er_map.sum())
        if total <= 1e-6 or float(er.sum()) < VISIBLE_MIN * total:
            return None
        # The candidate's structure: of its colours and, for a one-colour logo in an opaque
        # picture, also of how much each pixel is the logo's ink — the closer of the two
        # (the photograph behind thin lettering draws edges of its own through it, not of
        # the ink's colour)
        fields = [_field(patch, pool=0.8)]
        if model.ink is not None and patch.shape[2] == 3:
            fields.append(_field(_ink_map(patch, model.ink), pool=0.8))
        overall = -2.0
        for field in fields:
            # (the two components added by hand: NumPy's sum over an axis of two is slow)
            f0, f1 = field[:, :, 0], field[:, :, 1]
            f_dot = (f0 * r0 + f1 * r1) * weight
            f_ec = (f0 * f0 + f1 * f1) * weight
            f_overall = float(f_dot.sum()) / math.sqrt(max(1e-9, float(er.sum())
                                                           * float(f_ec.sum())))
            if f_overall > overall:
                cand, dot, ec, overall = field, f_dot, f_ec, f_overall
        # cells: about 3 along the short side
        # (two along the short side of a wide mark: no inner cells, a cut or a cover reaches
        # every cell from the outside)
        rows = 2 if max(vw / vh, vh / vw) >= 2.5 else 3
        ny, nx = (rows, max(rows, min(12, round(rows * vw / vh)))) if vw >= vh else \
            (max(rows, min(12, round(rows * vh / vw))), rows)
        maps = (dot, er, ec, er_map)
        grid, weights = _cells(maps, nx, ny)
        if grid is None:
            return None
        whole = float(np.nansum(grid * weights) / weights.sum())  # no cell excused
        # Cells that disagree: allowed where something covers the logo or an edge cuts it —
        # from the outside in; an inner part that disagrees is another logo in the same frame
        # (another icon in the same badge). A cover hides one place: cells that disagree in
        # several places, over SCATTERED_MAX of the structure, are not excused as a cover.
        dropped, parts, inner = _disagreeing(grid, weights, nx, ny)
        if inner:
            self._note(0.0)
            return None
        hidden = float(weights[dropped].sum()) / float(weights.sum())
        kept_cells = None  # the cells the colours are judged over, when some are excused
        if not _excusable(hidden, parts) and parts == 1:
            # Too much for a cover at this grid: a 20 % corner reaches four of nine cells.
            # Within the cells that disagree (in one place), cells half as large tell the cover
            # (and the edges it adds) from the parts of the logo it leaves seen.
            fine, fine_weights = _cells(maps, 2 * nx, 2 * ny)
            if fine is not None:
                within = np.repeat(np.repeat(dropped.reshape(ny, nx), 2, axis=0), 2, axis=1)
                f_dropped, f_parts, _ = _disagreeing(fine, fine_weights, 2 * nx, 2 * ny,
                                                     within=within.ravel())
                f_hidden = float(fine_weights[f_dropped].sum()) / float(fine_weights.sum())
                if _excusable(f_hidden, f_parts):
                    grid, weights, dropped, hidden = fine, fine_weights, f_dropped, f_hidden
                    nx, ny, parts = 2 * nx, 2 * ny, f_parts
        agreeing = None if not dropped.any() else cv2.resize(
            (~dropped).reshape(ny, nx).astype(np.float32), (vw, vh),
            interpolation=cv2.INTER_NEAREST)
        if not _excusable(hidden, parts):
            robust = float(np.nansum(np.nan_to_num(grid) * weights) / weights.sum())
        else:
            kept = ~dropped & (weights > 0)
            robust = float((grid[kept] * weights[kept]).sum() / max(1e-9, weights[kept].sum()))
            # the colours under a cover are the cover's: judged where the logo is seen (the
            # regions cue leaves out the 20 % of pixels it explains least, a cover's)
            kept_cells = agreeing
        # The candidate's structure along the logo's where it is seen, as a share of the kit's
        # own drawing (a regression's slope): a place drawn fainter than STRENGTH_MIN is not
        # close, however well its faint structure lines up
        if kept_cells is None:
            drawn = float(dot.sum()) / float(er.sum())
        else:
            drawn = float((dot * kept_cells).sum()) / max(1e-9, float((er * kept_cells).sum()))
        faint = drawn < STRENGTH_MIN
        score = 0.0 if faint else min(robust, overall + 0.15)
        self._note(score)
        self._local.vscore = score
        self._local.vwhole = 0.0 if faint else min(whole, overall + 0.15)
        # Colour, the secondary cue: the logo's own pixels in its colours (allowing for a dark
        # overlay) and the candidate's detail following the logo's colour regions (one colour
        # per region, whatever the variant: a photograph whose edges happen to line up with a
        # plain shape's does not; a one-colour logo on a textured picture may instead be flat
        # where its ink is) let the structure be a little less sure; otherwise it must be sure.
        # Nor is it sure enough alone where a part is excused as covered or cut and what is left
        # seen runs one way (``ONE_WAY_MAX``): a brush's handle without its head is two parallel
        # strokes, as two blood vessels of a retina are. (Both cues are computed only where they
        # can change the verdict.)
        if faint or robust < ROBUST_MIN or overall < OVERALL_MIN:
            return None
        seen = valid if kept_cells is None else valid * kept_cells
        if (robust < ROBUST_STRICT or (kept_cells is not None and _one_way(
                ref, weight * kept_cells) > ONE_WAY_MAX)) and not (
                self._colour_agrees(patch, model, vw, vh, seen)
                and self._regions_agree(patch, model, valid, seen, size=usual_size)):
            return None
        corners = m @ np.array([[0, model.fw, 0, model.fw], [0, 0, model.fh, model.fh],
                                [1, 1, 1, 1]])
        place = (max(0.0, float(corners[0].min())), max(0.0, float(corners[1].min())),
                 min(float(w), float(corners[0].max())), min(float(h), float(corners[1].max())))
        # (the places of this image, kept by ``match_image`` while it decides it; a verification
        # on its own remembers none)
        memory = getattr(self._local, "negatives_seen", None)
        seen_negatives = memory[1] if memory is not None and memory[0] is rgba else []
        # Where the cells disagree (excused as covered, or not), the logo's own ink on its
        # ground, drawn elsewhere: another wording, or another mark, in the same style. Such a
        # place is remembered with its score (and no name: not a hard negative's), and another
        # file of the kit (a white variant, whose one colour is not the picture's) or another
        # pose must be seen there more clearly than it was
        if agreeing is not None and model.alpha and _another_drawing(
                patch, model.small(vw, vh), cand=cand, ref=ref, weight=weight, valid=valid,
                agreeing=agreeing, labels=None if model.single_ink else model.labels(vw, vh)):
            seen_negatives.append((None, place, score))
            return None
        if _drawn_otherwise(seen_negatives, place, score):
            return None
        # (a year cut by the picture's edge is judged on the usual frame, as the thresholds
        # HIDDEN_MIN and PARTLY_CUT were set: a wide mark's finer frame scores a dark, thin
        # lettering on a dark photograph lower, and the part of a year seen is undecided)
        again_usual = finer > 1.01
        for name, nfield, differ, clear in model.negative_fields(vw, vh):
            zone = differ * weight
            if float((er_map * differ).sum()) <= 1e-6:
                continue
            if float((er * differ).sum()) < 0.5 * float((er_map * differ).sum()):
                # where they differ is outside the picture (cut by its edge): the part that is
                # seen decides, if it is clearly the kit's
                if score < HIDDEN_MIN:
                    return self._verify(rgba, chans, model, m, usual=True) if again_usual \
                        else None
                continue
            # Where they differ is partly cut off (the year's last digit, at an edge): the part
            # seen may fit both drawings alike (the left halves of a 6 and a 5). Then it does
            # not decide, and the rest of the logo does, as when more is cut off; it still
            # refuses when it fits the negative better
            partly_cut = float((er * differ).sum()) < PARTLY_CUT * float((er_map * differ).sum())
            undecided_ok = score >= HIDDEN_MIN and partly_cut
            own, theirs, own_clear, theirs_clear = _differ_fits(
                cand, ref, nfield, zone=zone, weight=weight, clear=clear * weight, finer=finer)
            if theirs > own + NEGATIVE_MARGIN and theirs >= DIFFER_MIN:
                # the negative's drawing, clearly (last year's logo), at this place
                seen_negatives.append((name, place, theirs))
                return None
            # ... and where the negative's drawing was seen at another pose of this place, the
            # kit's must be seen at least as clearly: at a pose a little off, the year is
            # compared a pixel or two away and fits this year's by chance
            if any(seen_name == name and own <= fit and _overlap(place, seen) >= SAME_PLACE
                   for seen_name, seen, fit in seen_negatives):
                return None
            # The kit wins where it leads by NEGATIVE_MARGIN where they differ (a year partly
            # cut, with a score of HIDDEN_MIN: fitting both alike is enough), or — on a wide
            # mark's frame finer than the usual one, the year not partly cut — where it leads by
            # CLEAR_MARGIN where they differ clearly and by half NEGATIVE_MARGIN where they
            # differ at all: there a drawing a fraction of a pixel off does not blur the
            # comparison (on the usual frame the digit that differs is a few pixels, and at a
            # pose a little off it fits this year's by chance)
            kit_wins = theirs <= own + NEGATIVE_MARGIN if undecided_ok else (
                theirs < own - NEGATIVE_MARGIN
                or (again_usual and not partly_cut
                    and theirs_clear < own_clear - CLEAR_MARGIN
                    and theirs <= own - NEGATIVE_MARGIN / 2))
            # (a wide mark's year seen faintly, not cut: clearly this year's rather than last
            # year's is enough)
            faint_but_clear = model.wide and not partly_cut and own >= DIFFER_FAINT and \
                theirs <= own - FAINT_LEAD and float((zone > 0).mean()) <= REGISTER_SHARE
            if (own < DIFFER_MIN and not faint_but_clear) or not kit_wins:
                if again_usual and partly_cut and theirs <= own + NEGATIVE_MARGIN:
                    return self._verify(rgba, chans, model, m, usual=True)
                return None
        bx0, by0, bx1, by1 = (math.floor(place[0]), math.floor(place[1]), math.ceil(place[2]),
                              math.ceil(place[3]))
        transform = (m @ np.linalg.inv(model.to_ref))[:2]
        return Match("template", round(score, 4), model.ref.name,
                     bbox=(bx0, by0, bx1 - bx0, by1 - by0), crop=rgba[by0:by1, bx0:bx1],
                     transform=[round(float(v), 4) for v in transform.ravel()])


def _icon_centre(seed: tuple) -> tuple[float, float]:
    """Where a lockup's icon is in the picture, for a seed that places the lockup (its box
    upright or turned by the seed's angle about the icon's centre: ``_search``)."""
    _, model, x, y, lw, lh, angle = seed[:7]
    _, (mx, my, mw, mh) = model.emblem
    k = lw / model.fw
    offset = np.array([(mx + mw / 2) * k - lw / 2, (my + mh / 2) * k - lh / 2])
    turn = cv2.getRotationMatrix2D((0, 0), angle, 1.0)[:, :2]
    cx, cy = np.array([x + lw / 2, y + lh / 2]) + turn @ offset
    return float(cx), float(cy)


def _turned_about(seed: tuple, pivot: tuple[float, float], *, angles, size_known: float
                  ) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) that holds the seed's box turned about ``pivot`` to each of
    ``angles`` and 3° beyond (the refinement's last turns), larger and smaller by
    ``size_known`` about it."""
    _, _, x, y, lw, lh, angle = seed[:7]
    pivot = np.array(pivot)
    # the box upright: its centre turned back about the pivot
    back = cv2.getRotationMatrix2D((0, 0), -angle, 1.0)[:, :2]
    centre = pivot + back @ (np.array([x + lw / 2, y + lh / 2]) - pivot)
    corners = centre + np.array([[-lw, -lh], [lw, -lh], [-lw, lh], [lw, lh]]) / 2 - pivot
    points = []
    for turn in {*angles, min(angles) - 3.0, max(angles) + 3.0}:
        for scale in (1 / size_known, 1.0, size_known):
            rot = cv2.getRotationMatrix2D((0, 0), turn, scale)[:, :2]
            points.append(corners @ rot.T + pivot)
    points = np.vstack(points)
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()),
            float(points[:, 1].max()))


def _differ_fits(cand: np.ndarray, ref: np.ndarray, nfield: np.ndarray, *, zone: np.ndarray,
                 weight: np.ndarray, clear: np.ndarray | None = None,
                 finer: float = 1.0) -> tuple[float, float, float, float]:
    """How well the candidate fits the kit (``ref``) and a hard negative (``nfield``) over ``zone``
    (where they differ), each free to move by up to ``SHIFT`` pixels (of the usual frame): (kit,
    negative), then the same over ``clear`` (where they differ clearly; the first two again where
    it is empty or not given); zeros where the zone is empty (``_verify`` decides from them).
    Where the negative differs in a part (``REGISTER_SHARE`` of the frame at most), the candidate
    is first registered — moved by up to ``REGISTER_REACH`` pixels — on the parts around it that
    the kit and the negative share (``weight``: where the comparison counts): a pose a few per
    cent off is several pixels off at the far end of a wide mark (its year), and a digit compared
    a few pixels off agrees with one drawing or the other by chance. ``finer``: the frame's scale
    to the usual verification frame's (the moves are in the usual frame's pixels); both zones are
    compared at the one registration."""
    inside = zone > 0
    rows, cols = np.nonzero(inside)
    if not len(rows):
        return 0.0, 0.0, 0.0, 0.0
    centre = (0, 0)
    if REGISTER_REACH and float(inside.mean()) <= REGISTER_SHARE:
        k = 2 * max(rows.max() - rows.min(), cols.max() - cols.min()) + 3
        around = cv2.dilate(inside.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
        shared = (around & ~inside).astype(np.float32) * weight
        _, centre = _best_shift(cand, ref, shared, shift=round(REGISTER_REACH * finer))
    shift = round(SHIFT * finer)
    own = _best_shift(cand, ref, zone, shift=shift, centre=centre)[0]
    theirs = _best_shift(cand, nfield, zone, shift=shift, centre=centre)[0]
    if clear is None or float(clear.sum()) <= 1e-6:
        return own, theirs, own, theirs
    return (own, theirs, _best_shift(cand, ref, clear, shift=shift, centre=centre)[0],
            _best_shift(cand, nfield, clear, shift=shift, centre=centre)[0])


def _drawn_otherwise(seen: list[tuple], place: tuple[float, float, float, float],
                    score: float) -> bool:
    """Whether another drawing in the logo's style was seen at this place of the image (the
    remembered places with no name, ``_verify``), with a score as high as ``score`` or higher."""
    return any(name is None and score <= fit and _overlap(place, box) >= SAME_PLACE
               for name, box, fit in seen)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union of two boxes (x0, y0, x1, y1)."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _cells(maps, nx: int, ny: int):
    """Per cell of an ``ny`` × ``nx`` grid over the verification frame: the agreement (NaN
    where the reference has little structure, or little of it is inside the picture) and the
    reference's visible structure (the cell's weight); (None, None) when no cell is used.
    ``maps``: the products dot, visible reference energy, candidate energy, reference energy
    (float32, as the fields are: resized together, in one call)."""
    cells = cv2.resize(cv2.merge(list(maps)), (nx, ny), interpolation=cv2.INTER_AREA)
    cell_num, cell_er, cell_ec, cell_full = (cells[:, :, i].ravel() for i in range(4))
    used = (cell_full > 0.02 * cell_full.max()) & (cell_er > 0.5 * cell_full)
    if not used.any():
        return None, None
    grid = np.full(ny * nx, np.nan, np.float32)
    grid[used] = cell_num[used] / np.sqrt(np.maximum(1e-9, cell_er[used] * cell_ec[used]))
    return grid, np.where(used, cell_er, 0.0)


def _excusable(hidden: float, parts: int) -> bool:
    """Whether disagreeing cells hiding this share of the structure, in this many places, may
    be a cover or a cut."""
    return hidden <= COVERED_MAX and not (parts > 1 and hidden > SCATTERED_MAX)


def _disagreeing(grid, weights, nx: int, ny: int, *, within=None):
    """The cells excused as disagreeing, as a flat mask: places that reach the grid's border (a
    cover or a cut) and small inner places (``INNER_MAX`` of the structure at most); the number
    of such places of some weight (``PART_MIN``); and whether a larger inner place disagrees
    (another drawing). ``within``: only these cells may be counted as disagreeing, and a larger
    inner place among them is left in (seen, disagreeing)."""
    low = np.nan_to_num(grid, nan=1.0) < LOW_CELL
    if within is not None:
        low &= within
    dropped = np.zeros(ny * nx, bool)
    parts = 0
    if not low.any():
        return dropped, parts, False
    total = float(weights.sum())
    count, labels = cv2.connectedComponents(low.reshape(ny, nx).astype(np.uint8),
                                            connectivity=4)
    for label in range(1, count):
        part = labels == label
        share = float(weights[part.ravel()].sum() / total)
        border = part[0].any() or part[-1].any() or part[:, 0].any() or part[:, -1].any()
        if not border and share > INNER_MAX:
            if within is None:
                return dropped, parts, True
            continue  # (at the finer grid: counted as seen, disagreeing)
        dropped |= part.ravel()
        parts += share >= PART_MIN
    return dropped, parts, False


def _another_drawing(patch: np.ndarray, rgba: np.ndarray, *, cand: np.ndarray,
                     ref: np.ndarray, weight: np.ndarray, valid: np.ndarray,
                     agreeing: np.ndarray, labels: np.ndarray | None = None) -> bool:
    """Whether the cells that disagree (``agreeing``: 0 there) show another drawing in the
    logo's own style (``rgba``: the kit file, with transparency, at the verification's size;
    ``patch``: the picture there, its colours or, with transparency, its ``_channels``). A
    one-colour logo: where it agrees, the picture is its ink on a plain ground, and
    where it disagrees it is that ink on that ground too, drawn about as much as the logo is
    there (a dark place, all ink, is not a drawing), but not the logo's drawing (its ink
    neither overlaps the logo's nor agrees with it moved a pixel or two). That is another
    wording set in the same font ("ICT 2026" for "CĐS 2026"), whether its first word is
    excused as covered or only lowers the agreement: not a cover, which brings colours of its
    own.

    A pixel is plain when it is the ink, the ground or a mix of the two (the edges of a
    stroke), and ink when it is more ink than ground.

    A logo of several colours (``labels``: its colour groups at the verification's size) is
    judged only where the disagreeing place is one or two of its colours (``INK_FLAT_SHARE`` of
    the logo's pixels there in at most two groups, each ``INK_GROUP_SHARE`` of them or more: a
    lockup's icon, or its icon and first words), with those colours as the inks, taken from
    the kit file (the colours seen are the other parts'), each pixel a mix of the ground and
    the nearer ink (with two, each drawn there), and where it agrees only its ground is asked
    to be plain: another mark beside the same words, or another mark and other words before
    the same year, drawn ``MARK_INK_SHARE`` as much or more, is another logo of the same style.
    (Where the place holds more of its colours, they explain much of any picture.)"""
    alpha = rgba[:, :, 3]
    seen = (agreeing > 0) & (valid > 0)
    hidden = (agreeing == 0) & (valid > 0)
    ink_ref = alpha > 200
    ground = cv2.erode((alpha < 20).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    own_part = ink_ref & (seen if labels is None else hidden)
    if min(int(own_part.sum()), int((ground & seen).sum())) < 8 or hidden.sum() < 8:
        return False
    drawn = float(ink_ref[hidden].mean())
    if drawn < DRAWN_MIN:
        return False
    # (a picture with transparency: its channels, the colours premultiplied and the alpha — a
    # dark ink on a transparent ground is as far from it as can be)
    ground_colour = np.median(patch[ground & seen], axis=0)
    if labels is None:
        # the ink: the logo's pixels farthest from the ground (a thin stroke's middle; its
        # edges, mixed with the ground, are most of it at a small size)
        inked = patch[own_part]
        apart = np.abs(inked - ground_colour).max(axis=1)
        ink_colours = [np.median(inked[apart >= np.quantile(apart, 0.7)], axis=0)]
        plain_seen = seen
    else:
        # its colour groups there: at most two, together INK_FLAT_SHARE of the place
        groups = np.bincount(labels[own_part])
        inks = [int(g) for g in np.argsort(-groups) if g][:2]
        inks = [g for g in inks if groups[g] >= INK_GROUP_SHARE * groups.sum()]
        if not inks or float(groups[inks].sum()) < INK_FLAT_SHARE * float(groups.sum()):
            return False
        kit = _channels(rgba, keep_alpha=True) if patch.shape[2] == 4 else \
            rgba[:, :, :3].astype(np.float32)
        ink_colours = [np.median(kit[own_part & (labels == g)], axis=0) for g in inks]
        plain_seen = ground & seen
    # each pixel as the nearest mix of the ground and an ink: how much ink, and how far from it
    mix = nearest = which = None
    for k, ink_colour in enumerate(ink_colours):
        step = ink_colour - ground_colour
        if float(np.abs(step).max()) < CONTRAST_MIN:
            return False
        its_mix = np.clip(((patch - ground_colour) @ step) / float(step @ step), 0.0, 1.0)
        off = np.abs(patch - ground_colour - its_mix[:, :, None] * step).max(axis=2)
        if mix is None:
            mix, nearest, which = its_mix, off, np.zeros(off.shape, np.uint8)
        else:
            closer = off < nearest
            mix, nearest = np.where(closer, its_mix, mix), np.minimum(off, nearest)
            which[closer] = k
    plain = nearest < PLAIN_TOLERANCE
    if float(plain[plain_seen].mean()) < PLAIN_MIN or float(plain[hidden].mean()) < PLAIN_MIN:
        return False
    ink = plain & (mix > 0.5)
    if not (INK_SHARE if labels is None else MARK_INK_SHARE) * drawn \
            <= float(ink[hidden].mean()) <= INK_MAX * drawn:
        return False
    # with two inks, each drawn there (a picture in shades of one of them is not the two)
    if len(ink_colours) > 1 and float(np.bincount(
            which[ink & hidden], minlength=len(ink_colours)).min()) \
            < INK_GROUP_SHARE * float((ink & hidden).sum()):
        return False
    overlap = float((ink & ink_ref & hidden).sum()) / max(1, int(((ink | ink_ref) & hidden).sum()))
    if overlap >= OWN_INK:
        return False
    return _shifted_agreement(cand, ref, weight * hidden, shift=OWN_SHIFT) < OWN_AGREE


def _one_way(field: np.ndarray, weight: np.ndarray) -> float:
    """How much a structure field's edges run one way (0–1): the length of their mean
    orientation (doubled angles, as the field holds them) over their mean strength, under
    ``weight``. Parallel strokes: near 1; a drawing with edges every way: near 0."""
    a, b = field[:, :, 0], field[:, :, 1]
    strength = float((cv2.sqrt(cv2.add(cv2.multiply(a, a), cv2.multiply(b, b))) * weight).sum())
    return math.hypot(float((a * weight).sum()), float((b * weight).sum())) / max(1e-9, strength)


def _colour_error(patch: np.ndarray, rgba: np.ndarray, valid: np.ndarray) -> float:
    """Mean colour difference (0–1) over the reference's opaque inner pixels, after the best
    gain (a dark overlay dims every colour alike). Strokes too thin to have inner pixels at
    this size (a thin line icon of 40 px, light lettering) are compared on all their opaque
    pixels, each with the closest in colour of the candidate's pixels within one pixel of it
    (a stroke of a pixel or two, a pixel off, keeps its colour at its middle and takes the
    picture's at its edges); 0 only when the reference shows almost no opaque pixel here."""
    opaque = rgba[:, :, 3] > 200
    inner = cv2.erode(opaque.astype(np.uint8), np.ones((3, 3), np.uint8))
    inner = (inner > 0) & (valid > 0)
    thin = inner.sum() < 8
    if thin:
        inner = opaque & (valid > 0)
        if inner.sum() < 8:
            return 0.0
    ref = rgba[:, :, :3][inner].astype(np.float32)
    cand = patch[:, :, :3][inner].astype(np.float32)
    gain = float((cand * ref).sum() / max(1.0, float((ref * ref).sum())))
    gain = min(1.1, max(0.6, gain))
    if not thin:
        return float(np.abs(cand - gain * ref).mean()) / 255.0
    vh, vw = inner.shape
    expected = gain * rgba[:, :, :3].astype(np.float32)
    around = cv2.copyMakeBorder(np.ascontiguousarray(patch[:, :, :3]), 1, 1, 1, 1,
                                cv2.BORDER_REPLICATE).astype(np.float32)
    closest = np.full((vh, vw), np.inf, np.float32)
    for dy in range(3):
        for dx in range(3):
            difference = np.abs(around[dy:dy + vh, dx:dx + vw] - expected).mean(axis=2)
            closest = np.minimum(closest, difference)
    return float(closest[inner].mean()) / 255.0


def _flat_over_textured(patch: np.ndarray, model: _Model, vw: int, vh: int,
                        seen: np.ndarray) -> bool:
    """Whether a one-colour logo's candidate in an opaque picture is flat where the logo's ink
    is and textured where its ground is: a cue for when the regions cue cannot hold. A dark
    mark on a starry sky, or any one-colour mark over a busy photograph, is told from the
    picture by what it hides: the ground's texture (stars, foliage) is not the logo's regions,
    so one colour per region explains little of the candidate's detail there, while the ink,
    one colour, has none of it; a photograph's own edges lining up with the logo's outline
    carry the photograph's texture on both sides. ``seen``: where the candidate is the
    picture's (inside it, not excused as covered)."""
    if not model.single_ink or patch.shape[2] != 3:
        return False
    parts = _flat_parts(patch, model.small(vw, vh)[:, :, 3], seen)
    return parts is not None and parts[1] >= FLAT_GROUND and parts[0] <= FLAT_SHARE * parts[1]


def _flat_parts(patch: np.ndarray, alpha: np.ndarray, seen: np.ndarray
                ) -> tuple[float, float] | None:
    """The root mean square detail of the candidate's ink and ground (where ``alpha`` is over
    200 and under 20, and ``seen``), each against its own local mean — a Gaussian of
    ``DETAIL_SIGMA`` over that part only, so the outline's step and what lies outside the
    picture are neither's — ``FLAT_INSET`` pixels inside the part; None when a part is under
    ``FLAT_PART`` of the frame."""
    vh, vw = alpha.shape
    kernel = np.ones((2 * FLAT_INSET + 1, 2 * FLAT_INSET + 1), np.uint8)
    rgb = patch.astype(np.float32)
    out = []
    for part in (alpha > 200, alpha < 20):  # the ink, the ground
        part = part & (seen > 0.99)
        where = cv2.erode(part.astype(np.uint8), kernel) > 0
        if where.sum() < FLAT_PART * vw * vh:
            return None
        weight = cv2.GaussianBlur(part.astype(np.float32), (0, 0), DETAIL_SIGMA)
        local = cv2.GaussianBlur(rgb * part[:, :, None], (0, 0), DETAIL_SIGMA) \
            / np.maximum(weight, 1e-6)[:, :, None]
        out.append(math.sqrt(float(((rgb - local) ** 2).sum(axis=2)[where].mean())))
    return out[0], out[1]


def _regions_fit(patch: np.ndarray, detail: np.ndarray, near: np.ndarray) -> float:
    """Whether the candidate's colours follow the logo's colour regions (0–1): a cue
    independent of the structure. Each region of a logo is one colour whatever the variant
    (its own, white, darkened by an overlay), so the candidate's detail (its colours minus
    their blur) is well predicted by one colour per region — the same step all along an
    outline, the same ridge all along a thin stroke — while a photograph whose edges happen to
    line up with the logo's (a blob's rim along an outline, a step where the logo has a ridge)
    changes colour and contrast along them. The share of the candidate's detail explained,
    over the pixels near the logo (``near``); the 20 % least explained are not counted (a
    cover)."""
    rgb = patch[:, :, :3].astype(np.float32)
    target = (rgb - cv2.GaussianBlur(rgb, (0, 0), DETAIL_SIGMA))[near].astype(np.float64)
    design = detail[near].astype(np.float64)
    if len(target) < 16:
        return 0.0
    keep = np.ones(len(target), bool)
    for _ in range(2):  # fit, then fit again without the 20 % least explained
        a = design[keep]
        gram = a.T @ a
        # a touch of regularisation, relative to the regions' own detail (groups that are
        # alike, or absent at this size, leave the system singular)
        ridge = 1e-3 * max(1e-9, float(np.trace(gram))) / gram.shape[0]
        colours = np.linalg.solve(gram + ridge * np.eye(gram.shape[0]), a.T @ target[keep])
        residual = ((target - design @ colours) ** 2).sum(axis=1)
        keep = residual <= np.quantile(residual, 0.8)
    kept = target[keep]
    total = float(((kept - kept.mean(axis=0)) ** 2).sum())
    if total <= 1e-6:
        return 0.0
    return max(0.0, 1.0 - float(residual[keep].sum()) / total)


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
