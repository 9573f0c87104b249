"""The second cue of the verification (``detect._regions_fit``): whether a candidate's colours
follow the logo's colour regions. Real artwork (the corpus's icons) over real photographs
(scikit-image's), each candidate exactly aligned with the logo's frame, so the cue alone is
measured: a logo shown in any of the ways a portal shows it explains its own detail; a
photograph whose edges line up with the logo (a galaxy's bright rim along a heart's outline)
or a photograph alone does not. And its companion for one-colour logos
(``detect._flat_over_textured``): a mark over a textured picture is flat where its ink is."""

import functools
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw

from dxday.scanner import detect
from tests.scanner.corpus import artwork

SIZE = 96


def _kit_model(image: Image.Image) -> detect._Model:
    """The kit file ``image`` as the matcher prepares it."""
    return detect.Matcher.from_files([("logo.png", artwork.png(image))])._models[0]


@functools.cache
def _model(design_name: str) -> detect._Model:
    logo, _ = artwork.artwork(artwork.design_by_name(design_name))
    return _kit_model(artwork.sized(logo, 400))


def _shown(model: detect._Model, background: Image.Image, *, variant=None) -> np.ndarray:
    """The logo at the frame's verification size over ``background``, as the verification
    sees it (RGB, float)."""
    vw, vh = _size(model)
    logo = Image.fromarray(model.small(vw, vh))
    if variant is not None:
        logo = variant(logo)
    canvas = background.convert("RGBA").resize((vw, vh))
    return np.asarray(Image.alpha_composite(canvas, logo).convert("RGB"), np.float32)


def _size(model: detect._Model, side: int = SIZE) -> tuple[int, int]:
    return (side, max(8, round(side / model.aspect))) if model.aspect >= 1 else \
        (max(8, round(side * model.aspect)), side)


def _fit(model: detect._Model, patch: np.ndarray) -> float:
    vh, vw = patch.shape[:2]
    return model.regions_fit(patch, vw, vh, np.ones((vh, vw), np.float32))


def _photo(name: str, seed: int, model: detect._Model) -> Image.Image:
    return artwork.photo_crop(name, _size(model), random.Random(seed))


def _covered(logo: Image.Image) -> Image.Image:
    out = logo.copy()
    w, h = out.size
    out.paste((120, 120, 120, 255), (0, 0, round(w * 0.45), round(h * 0.45)))  # a fifth
    return out


@pytest.mark.parametrize("design", ["line-heart", "mono-apple", "multi-kubernetes",
                                    "word-dejavu", "seal-astronaut"])
@pytest.mark.parametrize("shown", ["plain", "photo", "overlay", "covered", "white"])
def test_a_logo_shown_any_way_follows_its_regions(design, shown):
    model = _model(design)
    if shown == "plain":
        patch = _shown(model, Image.new("RGB", (8, 8), "white"))
    elif shown == "photo":
        patch = _shown(model, _photo("coffee.png", 1, model))
    elif shown == "overlay":  # a quarter darker, logo and background alike
        patch = _shown(model, _photo("rocket.jpg", 2, model)) * 0.75
    elif shown == "covered":
        patch = _shown(model, Image.new("RGB", (8, 8), "white"), variant=_covered)
    else:
        patch = _shown(model, Image.new("RGB", (8, 8), (20, 30, 60)), variant=artwork.white)
    assert _fit(model, patch) >= detect.REGIONS_MIN + 0.2


@pytest.mark.parametrize("design", ["line-heart", "mono-apple", "line-bell"])
@pytest.mark.parametrize("name", ["hubble_deep_field.jpg", "coffee.png", "chelsea.png",
                                  "grass.png"])
def test_a_photograph_alone_does_not(design, name):
    model = _model(design)
    patch = np.asarray(_photo(name, 3, model), np.float32)
    assert _fit(model, patch) < detect.REGIONS_MIN


def test_a_blob_whose_rim_follows_an_outline_does_not():
    """A bright round blob (a galaxy, a lamp) centred on a thin heart outline: its gradient
    points across the outline all along it (the structure agrees), but there is no ridge."""
    model = _model("line-heart")
    vw, vh = _size(model)
    yy, xx = np.mgrid[0:vh, 0:vw].astype(np.float32)
    blob = 230 * np.exp(-(((xx - vw / 2) ** 2 + (yy - vh / 2) ** 2) / (2 * (0.3 * vw) ** 2)))
    patch = np.repeat((blob + 15)[:, :, None], 3, axis=2)
    assert _fit(model, patch) < detect.REGIONS_MIN
    assert not _flat(model, patch)  # (nor flat over a textured ground: the ground is smooth)


@pytest.mark.parametrize("side", [48, 96, 128, 160])
def test_an_opaque_plain_logo_follows_its_regions_at_every_size(side):
    """A kit file without transparency (a red disc on white, as a JPEG would be): the regions
    are the disc and the white around it; few pixels carry detail at large sizes."""
    image = Image.new("RGB", (400, 400), "white")
    ImageDraw.Draw(image).ellipse((40, 40, 360, 360), fill=(200, 16, 46))
    model = _kit_model(image)
    shown = model.small(side, side)[:, :, :3].astype(np.float32)
    assert _fit(model, shown) >= detect.REGIONS_MIN + 0.2
    assert _fit(model, shown * 0.75 + 10) >= detect.REGIONS_MIN + 0.2  # darkened
    texture = np.asarray(artwork.photo_crop("grass.png", (side, side), random.Random(4)),
                         np.float32)
    assert _fit(model, texture) < detect.REGIONS_MIN


@pytest.mark.parametrize("side", [128, 200])
def test_a_wide_wordmark_follows_its_regions_at_large_sizes(side):
    model = _model("word-dejavu")
    vw, vh = _size(model, side)
    logo = Image.fromarray(model.small(vw, vh))
    shown = Image.alpha_composite(Image.new("RGBA", (vw, vh), "white"), logo).convert("RGB")
    assert _fit(model, np.asarray(shown, np.float32)) >= detect.REGIONS_MIN + 0.2


# -- a one-colour logo on a textured picture: flat where its ink is (detect._flat_over_textured)
def _flat(model: detect._Model, patch: np.ndarray, seen: np.ndarray | None = None) -> bool:
    vh, vw = patch.shape[:2]
    seen = np.ones((vh, vw), np.float32) if seen is None else seen
    return detect._flat_over_textured(patch, model, vw, vh, seen)


def _parts(model: detect._Model, patch: np.ndarray) -> tuple[float, float] | None:
    vh, vw = patch.shape[:2]
    return detect._flat_parts(patch, model.small(vw, vh)[:, :, 3], np.ones((vh, vw), np.float32))


@pytest.mark.parametrize("design", ["mono-rust", "mono-apple", "line-lightbulb"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_dark_mark_on_a_starry_sky_is_flat_over_textured(design, seed):
    """A black mark on the Hubble deep field hides the stars behind it: the ink has none of
    the sky's texture."""
    model = _model(design)
    sky = _photo("hubble_deep_field.jpg", seed, model)
    assert _flat(model, _shown(model, sky))
    assert _flat(model, _shown(model, sky, variant=artwork.white))  # the white variant too


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_where_the_regions_cue_cannot_hold(seed):
    """The Rust mark (a cogwheel with many inner parts) among the stars: the regions explain
    too little of the detail — the stars are not the logo's regions — and the ink is flat."""
    model = _model("mono-rust")
    patch = _shown(model, _photo("hubble_deep_field.jpg", seed, model))
    assert _fit(model, patch) < detect.REGIONS_MIN
    assert _flat(model, patch)


@pytest.mark.parametrize("design", ["mono-rust", "mono-apple"])
@pytest.mark.parametrize("name", ["hubble_deep_field.jpg", "grass.png", "astronaut.png"])
def test_a_textured_photograph_alone_is_not_flat_where_the_ink_would_be(design, name):
    """Both parts large enough and the ground textured: refused on the ink's own texture."""
    model = _model(design)
    for seed in (3, 4, 5):
        patch = np.asarray(_photo(name, seed, model), np.float32)
        parts = _parts(model, patch)
        assert parts is not None and parts[1] >= detect.FLAT_GROUND
        assert parts[0] > detect.FLAT_SHARE * parts[1]
        assert not _flat(model, patch)


@pytest.mark.parametrize("name", ["coffee.png", "chelsea.png"])
def test_a_smoother_photograph_alone_is_not_flat_either(name):
    model = _model("mono-rust")
    for seed in (3, 4, 5):
        assert not _flat(model, np.asarray(_photo(name, seed, model), np.float32))


def test_on_a_plain_ground_the_cue_does_not_apply():
    """Nothing to hide on a plain ground: the regions cue decides there (it holds)."""
    model = _model("mono-rust")
    patch = _shown(model, Image.new("RGB", (8, 8), "white"))
    assert _parts(model, patch)[1] < detect.FLAT_GROUND
    assert not _flat(model, patch)
    assert _fit(model, patch) >= detect.REGIONS_MIN


def test_what_lies_outside_the_picture_is_neither_part():
    """A mark cut by the picture's right edge: the verification's sample there repeats the
    edge's last column (a smear, neither ink nor sky); only the part seen is measured."""
    model = _model("mono-rust")
    patch = _shown(model, _photo("hubble_deep_field.jpg", 1, model))
    vh, vw = patch.shape[:2]
    cut = round(vw * 0.7)
    patch[:, cut:] = patch[:, cut - 1:cut]
    seen = np.ones((vh, vw), np.float32)
    seen[:, cut:] = 0
    assert _flat(model, patch, seen)
    assert not _flat(model, patch, np.zeros((vh, vw), np.float32))  # nothing seen: no parts
