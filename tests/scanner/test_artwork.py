"""The kit check on real artwork (tests/scanner/corpus/artwork.py): a small subset of the
development corpus, served on loopback, each site's verdict against its label.

The subset covers the failure modes found on real portals: a one-colour logo inside a photo
banner, last year's version of a wordmark (only the year differs), ordinary photographs with
thin strips (a saucer's rim) that a wide mark must not match, a thin line icon at 48 px, a dark
overlay, a squashed, a rotated and a partly covered logo, a turned wide lockup, a photograph
whose edges line up with a plain thin outline (a galaxy under a heart), another wordmark in
the same style, last year's lockup in a banner, a short wordmark in a photograph, places a
little off after the refinement (a squashed mark, a mark cut by the edge), a year cut through
by the edge, outlines found with the colour file where the white variant was polished, and
error sites.
The full corpus, with F1 on the held-out designs, is measured by bench/kit_quality.py.
"""

import dataclasses
import random

import pytest
from PIL import Image

from dxday.lib.http import Policy
from dxday.scanner import detect
from dxday.scanner.detect import Matcher
from dxday.scanner.images import decode
from dxday.scanner.scan import Scanner
from tests.scanner.corpus import artwork
from tests.scanner.corpus.server import CorpusServer

SUBSET = {
    # squashed: the refined place is a little off where the verification would pass; it is
    # polished
    "mono-debian": ("hero", "carousel", "rotated", "overlay", "squashed", "photo_banner",
                    "text_only", "http_500"),
    # same_style: other words in the same font and colour, over the same tagline; they
    # disagree with the kit's in several places along the mark's edge, not in one covered
    # (covered: see the wide marks' finer frame, below)
    "word-dejavu": ("header", "webp", "last_year", "last_year_banner", "same_style",
                    "photo_banner", "covered"),
    "line-lightbulb": ("px48", "jpeg_q50", "white_footer", "flag_only", "broken_image"),
    "multi-kubernetes": ("squashed", "covered", "last_year", "link_to_kit", "refused"),
    # a plain thin outline: a galaxy in the news photo lines up with it (text_only); covered
    # and cut by the edge, its place in the coarse search is found between the level's pixels
    "line-heart": ("header", "hero", "covered", "cut", "text_only", "photo_banner"),
    # last year's lockup in a banner: where the two years differ, the kit's drawing must fit
    # better than last year's with either free to move a pixel; this year's, partly covered,
    # is found
    "lock-gnome": ("covered", "last_year_banner"),
    # a wide lockup turned by several degrees: the refinement's window must hold the turned
    # template
    "lock-python": ("rotated",),
    # a short wordmark in a photograph, in a hero, cut and turned: smaller places (the
    # photograph's texture) look better at the search's coarse pose; the larger place is
    # refined too. Another wording in the same font ("GOV 2026" for "DX 2026"): its first
    # word, where they disagree, is not excused as covered — it is the logo's ink on its
    # ground, drawn elsewhere
    "word-liberation": ("hero", "cut", "rotated", "same_style"),
    # the same, from the retired sealed designs: "ICT 2026" for "CĐS 2026" in a monospaced
    # face, "ĐÔ THỊ SỐ 2026" for "XÃ SỐ 2026" in an italic over the same tagline (and that
    # italic wordmark in a carousel and cut: found only when refined at 32 px on its short
    # side, as the lockups below)
    "word-dejavu-mono": ("same_style", "covered"),
    "word-liberation-sans-italic": ("same_style", "carousel", "cut"),
    # ... and "PHƯỜNG SỐ 2026" for "TỈNH SỐ 2026" (the ninth sealed designs, after their look),
    # a longer word: where they differ it draws 2.3 times the logo's ink
    "word-liberation-mono-italic": ("same_style",),
    # wide lockups of the retired sealed designs: a 7:1 one squashed 10 % on a photograph, and a
    # 5:1 one cut by the edge and turned, found only with the wide marks' finer size steps.
    # The 7:1 one in a hero and its other wording beside another icon (same_style, rightly
    # absent), the Mattermost lockup in a hero, the LibreOffice one in a carousel and squashed:
    # right only when wide marks are refined at 32 px on the short side (at 24 a lockup's words
    # are a band, and the pose chosen on it is a few per cent off, also where the year is
    # compared with last year's)
    "lock-zulip": ("squashed", "hero", "same_style", "overlay"),  # (overlay: see below)
    "lock-gimp": ("cut", "rotated"),
    "lock-mattermost": ("hero",),
    "lock-libreoffice": ("carousel", "squashed"),
    # the twelfth sealed lockup (after its look): a news photo's clear sky, 91 × 12 px of JPEG's
    # faint blocks whose orientations line up with the lockup's letters, taken at 0.68 — a
    # place drawn that faintly is not a logo (STRENGTH_MIN)
    "lock-wire": ("broken_image",),
    # a plain mark cut by the edge, its refined place a little off: polished
    "mono-apple": ("cut",),
    # a retired sealed outline covered by a photograph, refined 9 px, 7 px and 3° off its place:
    # found at the polish's fourth step (three were allowed before)
    "line-briefcase": ("covered",),
    # other draws of the tuning designs (``name~variant``), covered: a thin outline whose
    # covered corner pulls the whole template's best place off the logo (12 % too flat) and a
    # lockup, both found when refined with a quarter of the template left out; a bell whose
    # place the search ranks ahead only with a quarter left out
    "line-heart~1": ("covered",),
    "lock-gnome~2": ("covered",),
    "line-bell~1": ("covered",),
    # a gradient icon whose cover reaches four of the verification's nine cells (38 % of the
    # structure): excused as a cover at cells half as large, where it hides 29 %
    "grad-firefox~2": ("covered",),
    # retired outlines, one covered, one cut: the polish climbs with the white variant (the
    # same outline as the colour file, and a hair closer where the refinement left it) to
    # where the colour file passes — verified there with the colour file too
    "line-train": ("covered",),
    "line-envelope": ("cut",),
    # a retired italic wordmark and lockup cut by the edge through the year's last digit: the
    # part of the year that is seen fits this year's and last year's alike; the rest decides
    "word-liberation-italic": ("cut",),
    "lock-nextcloud": ("cut",),
    # wide marks verified on a finer frame (56 px on their short side): regular-weight letters
    # on a busy photograph, a fraction of a pixel wide at 28 px, so the words agreed no better
    # than the photograph's texture — the fourteenth sealed lockup (after its look) in a hero
    # and covered, the retired Bitwarden lockup in a carousel and under the overlay, the retired
    # regular-weight wordmark squashed, a tuning wordmark (above) and lockup covered; and two other
    # wordings in the logo's style, taken at 28 px and told apart at 56 (same_style)
    "lock-googlemeet": ("hero", "covered"),
    "lock-bitwarden": ("carousel", "overlay"),
    "word-dejavu-serif-condensed-book": ("squashed", "same_style"),
    "lock-jitsi": ("same_style",),
    "lock-python~1": ("covered",),
    # covered logos whose places were not among the search's two best at their size, found
    # among the next places with a quarter left out: a gradient icon (0.46 as a whole, 0.66
    # without a quarter; refined, then polished) and the fifteenth sealed wordmark (after its
    # look; 0.27 as a whole, under the search's seed level, and 0.53)
    "grad-firefox~1": ("covered",),
    "word-dejavu-serif-italic": ("covered",),
    # the sixteenth sealed lockup (after its look), in a hero and a carousel: last year's file
    # is a pixel shorter, and stretched to this year's length its letters drift along the line,
    # so the year's digit is a small part of where the two "differ"; where they differ clearly,
    # this year's 6 fits clearly better (and last year's version stays absent)
    "lock-nextdotjs": ("hero", "carousel", "last_year", "last_year_banner"),
    # the seventeenth sealed wordmark (after its look): thin purple lettering over photographs,
    # in a hero, turned and squashed, found in how much each pixel is the logo's ink (the
    # photograph's own edges are not of that colour)
    "word-dejavu-sans-condensed-oblique": ("hero", "rotated", "squashed"),
    # retired wide marks whose refinement stopped a pixel or two off in length or height (the
    # Zulip lockup under the overlay, above: 0.655 at 451 × 62 px, 0.733 at its own 449 × 64),
    # found by the polish's stretch along and across: that lockup, a lockup cut by the edge, a
    # wordmark covered
    "lock-notion": ("cut",),
    "word-dejavu-oblique": ("covered",),
    # a black mark on the Hubble deep field, turned and cut by the edge: told from the sky only
    # by the stars it hides (the regions cannot explain the stars; its ink is flat where the
    # sky around it is not)
    "mono-rust": ("rotated", "cut"),
    # the twentieth sealed lockup (after its look) in a carousel: hairline year digits on a
    # photograph fit this year's drawing at 0.35 and last year's at 0.18 — faint, but clearly
    # this year's (DIFFER_FAINT, FAINT_LEAD); the same allowance for a retired two-colour icon
    # would take another logo of its style (its "year" is the whole icon): wide marks only
    "lock-fdroid": ("carousel",),
    "multi-firebase": ("same_style",),
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    """{site name: (label, result)} for the subset, each design scanned with its own kit."""
    out = {}
    for key, cases in SUBSET.items():
        name, _, variant = key.partition("~")
        built = artwork.build_design(artwork.design_by_name(name), cases,
                                     variant=int(variant or 0))
        kit = artwork.corpus_of(built).write_kit(tmp_path_factory.mktemp(name))
        with CorpusServer(built.sites, latency=0.0) as server:
            scanner = Scanner(Matcher.from_directory(kit), render=False, concurrency=4,
                              policy=Policy(allow_private=True, timeout=3.0,
                                            connect_timeout=1.0))
            try:
                results = scanner.scan(server.urls)
            finally:
                scanner.close()
        for site, result in zip(built.sites, results, strict=True):
            out[site.name] = (site.label, result)
    return out


@pytest.mark.parametrize("site", [f"{d}/{c}" for d, cases in SUBSET.items() for c in cases])
def test_verdict_matches_label(verdicts, site):
    label, result = verdicts[site]
    assert result["verdict"] == label, result
    if label == "present":
        evidence = result["evidence"]
        assert evidence["method"] in {"whole", "template", "features"}
        assert evidence["reference"] in {"logo.png", "logo-trang.png", "logo.svg"}


def test_evidence_has_the_region_and_the_transform(verdicts):
    _, result = verdicts["mono-debian/hero"]
    evidence = result["evidence"]
    x, y, w, h = evidence["bbox"]
    assert w > 60 and h > 60
    transform = evidence["transform"]
    assert len(transform) == 6
    # the reference's top-left corner lands inside the image near the box
    assert abs(transform[2] - x) < w and abs(transform[5] - y) < h


def test_kit_with_a_hard_negative_of_the_same_shape():
    """Last year's wordmark is the kit's hard negative; alone, a kit file of this year's is
    found and last year's is not — the year is compared where the two differ."""
    design = artwork.design_by_name("word-dejavu")
    this_year, _ = artwork.artwork(design)
    last_year, _ = artwork.artwork(design, year="2025")
    matcher = Matcher.from_files([("logo.png", artwork.png(artwork.sized(this_year, 400)))],
                                 [("nam-truoc.png", artwork.png(artwork.sized(last_year, 400)))])
    shown = decode(artwork.png(artwork.sized(this_year, 180)))
    old = decode(artwork.png(artwork.sized(last_year, 180)))
    assert matcher.match_image(shown) is not None
    assert matcher.match_image(old) is None


def test_wide_lockup_whose_year_is_a_small_part():
    """A lockup with a long name (nearly 10:1): its year is a small part of it, a pixel or two
    at 96 px along its length. Last year's is still the kit's hard negative — compared where
    the two differ at the verification's height — and is not taken for this year's."""
    design = dataclasses.replace(artwork.design_by_name("lock-python"),
                                 text="CHUYỂN ĐỔI SỐ QUỐC GIA 2026")
    this_year, _ = artwork.artwork(design)
    last_year, _ = artwork.artwork(design, year="2025")
    assert this_year.width > 9 * this_year.height
    matcher = Matcher.from_files([("logo.png", artwork.png(artwork.sized(this_year, 400)))],
                                 [("nam-truoc.png", artwork.png(artwork.sized(last_year, 400)))])
    assert matcher.match_image(decode(artwork.png(artwork.sized(this_year, 200)))) is not None
    assert matcher.match_image(decode(artwork.png(artwork.sized(last_year, 200)))) is None
    # this year's, small in a portal's header (about 300 × 30 px), is still found
    header = artwork.header_image(this_year, random.Random(7))
    assert matcher.match_image(decode(artwork.png(header))) is not None


def test_wordmark_cut_by_the_edge_where_the_year_is():
    """Where this year's and last year's wordmark differ (the year) is cut off by the picture's
    edge: the part that is seen decides when it is clearly the kit's."""
    design = artwork.design_by_name("word-dejavu")
    this_year, _ = artwork.artwork(design)
    last_year, _ = artwork.artwork(design, year="2025")
    matcher = Matcher.from_files([("logo.png", artwork.png(artwork.sized(this_year, 400)))],
                                 [("nam-truoc.png", artwork.png(artwork.sized(last_year, 400)))])
    picture = decode(artwork.cut_at_the_right(this_year, 0.15))
    found = matcher.match_image(picture)
    assert found is not None
    assert found.score >= 0.8
    x, _, w, _ = found.bbox
    assert x + w == picture.shape[1]  # the box reaches the edge that cuts the logo


def test_wordmark_cut_through_its_year():
    """The edge cuts through the year's last digit: the part seen fits this year's 6 and last
    year's 5 alike, so it does not decide, and the rest of the wordmark does (as when the
    year is cut off further). Where the part seen fits last year's better, it is refused."""
    design = artwork.design_by_name("word-dejavu")
    this_year, _ = artwork.artwork(design)
    last_year, _ = artwork.artwork(design, year="2025")
    matcher = Matcher.from_files([("logo.png", artwork.png(artwork.sized(this_year, 400)))],
                                 [("nam-truoc.png", artwork.png(artwork.sized(last_year, 400)))])
    for share in (0.08, 0.10):
        found = matcher.match_image(decode(artwork.cut_at_the_right(this_year, share)))
        assert found is not None, share
        assert found.score >= 0.8
    # last year's, its year cut a little (the digit's distinguishing part seen): absent
    for share in (0.02, 0.04):
        assert matcher.match_image(decode(artwork.cut_at_the_right(last_year, share))) is None, \
            share


def test_last_years_lockup_seen_at_one_pose_is_not_taken_at_another():
    """Last year's Nextcloud lockup in photographs: at the refined pose, where the two years
    differ, it fits last year's drawing clearly better; at a pose a little off (the polish, a
    kit file's own pose) its year, compared a pixel or two away, fitted this year's by chance,
    and it was taken. Where a hard negative was seen, this year's must be seen at least as
    clearly. This year's lockup, in the same photographs, is found."""
    design = artwork.design_by_name("lock-nextcloud")
    matcher = Matcher.from_files(*artwork.kit_files(design))
    this_year, last = artwork.artwork(design)[0], artwork.last_year(design)
    for picture, long_side in (("coffee.png", 500), ("chelsea.png", 740)):
        shown = artwork.in_a_photograph(last, picture, long_side=long_side, off=61)
        taken = matcher.match_image(decode(shown))
        assert taken is None, (picture, taken)
        shown = artwork.in_a_photograph(this_year, picture, long_side=long_side, off=61)
        assert matcher.match_image(decode(shown)) is not None, picture


def test_two_line_wordmark_on_a_busy_photograph(tmp_path):
    """A wordmark with a tagline under it, over the folds of an orange space suit: on the
    coarse search's usual level its letters are a few pixels high and lost in the folds; wide
    marks are also searched on a finer level."""
    built = artwork.build_design(artwork.design_by_name("word-dejavu"), ("hero",), variant=1)
    matcher = Matcher.from_directory(artwork.corpus_of(built).write_kit(tmp_path))
    (site,) = built.sites
    pictures = [data for path, data in site.files.items() if path.endswith(".jpg")]
    assert pictures
    found = [m for m in map(matcher.match_bytes, pictures) if m is not None]
    assert found, "the wordmark was not found in the hero photograph"
    _, _, w, h = found[0].bbox
    assert w > 4 * h  # the wordmark's box, not a patch of the suit


def _one_site(name: str, case: str, tmp_path):
    """One site of a corpus design: its kit's directory, the picture (RGBA) that shows the logo
    — or, where the site does not, its one picture under /images/ — and the logo's box in it
    (None: not in a larger picture, or not shown)."""
    built = artwork.build_design(artwork.design_by_name(name), (case,))
    (site,) = built.sites
    path, box = site.where or (None, None)
    if path is None:
        (path,) = [p for p in site.files if p.startswith("/images/")]
    return artwork.corpus_of(built).write_kit(tmp_path), decode(site.files[path]), box


def _found_only_by(name: str, case: str, tmp_path, monkeypatch, *, setting: str, off) -> None:
    """The corpus site's logo is found at its place (the match's box overlapping the logo's by
    half or more), and missed with the detector's ``setting`` set to ``off``."""
    kit, picture, box = _one_site(name, case, tmp_path)
    found = Matcher.from_directory(kit).match_image(picture)
    assert found is not None
    (x, y, w, h), (bx, by, bw, bh) = found.bbox, box
    assert detect._overlap((x, y, x + w, y + h), (bx, by, bx + bw, by + bh)) >= 0.5
    monkeypatch.setattr(detect, setting, off)
    assert Matcher.from_directory(kit).match_image(picture) is None


def test_cut_lockup_polished_to_the_pixel(tmp_path, monkeypatch):
    """The twenty-fourth sealed lockup (after its look), cut by the picture's edge through its
    year, on a grass photograph: the part seen must be clearly the kit's (``HIDDEN_MIN``), and
    its bold letters verify that well only within a pixel of their place. The polish's steps
    (2–3 px along a 430 px lockup) stop at 0.786; halved where they stop, they reach 0.80. The
    box reaches the edge that cuts the lockup."""
    kit, picture, box = _one_site("lock-behance", "cut", tmp_path)
    found = Matcher.from_directory(kit).match_image(picture)
    assert found is not None
    assert found.score >= detect.HIDDEN_MIN
    x, y, w, h = found.bbox
    assert x + w == picture.shape[1] == box[0] + box[2]
    assert abs(x - box[0]) <= 2 and abs(y - box[1]) <= 2 and abs(h - box[3]) <= 2
    # with the polish's usual steps only (no second climb), refused
    monkeypatch.setattr(detect, "POLISH_FINER", 1.0)
    assert Matcher.from_directory(kit).match_image(picture) is None


def test_another_mark_beside_the_same_words(tmp_path, monkeypatch):
    """The twenty-fifth sealed lockup's other logo of the same style (after its look): another
    icon, in the lockup's orange, beside other words in the same light italic ending in the
    same "SỐ 2026". The icon's cells disagree from the outside in, as a cover's would, and the
    words agree enough (0.72). Where they disagree, the picture is the kit's orange on the
    kit's ground, drawn about half as much as the kit's icon and elsewhere: another mark, not a
    cover. The white variant, whose one colour is not the icon's, is not taken where the
    colour file saw that at the same place."""
    kit, picture, _ = _one_site("lock-astro", "same_style", tmp_path)
    assert picture[:, :, 3].min() < 250  # (a transparent file, compared with its alpha)
    matcher = Matcher.from_directory(kit)
    assert matcher.match_image(picture) is None
    assert matcher.last_best >= detect.ROBUST_MIN  # the structure alone would take it
    # the refusal is this rule's: without it, the other mark is taken
    monkeypatch.setattr(detect, "_another_drawing", lambda *args, **kwargs: False)
    assert Matcher.from_directory(kit).match_image(picture) is not None


def test_another_mark_and_words_before_the_same_year(tmp_path, monkeypatch):
    """The twenty-sixth sealed lockup's other logo of the same style (after its look): another
    icon in the lockup's pink and other words in its heavy face and dark grey before the same
    "SỐ 2026". Its icon and first words disagree, as a cover's cells would, and the rest
    agrees enough (0.66 on the machine it was pinned on, 0.658 on a later one with the same
    code and packages: too near ``ROBUST_MIN`` to compare with it). Where they disagree, the
    picture holds two of the kit's colours (the icon's and the words'), each on the kit's
    ground, drawn about as much as the kit draws there: another mark and other words, not a
    cover."""
    kit, picture, _ = _one_site("lock-hugo", "same_style", tmp_path)
    matcher = Matcher.from_directory(kit)
    assert matcher.match_image(picture) is None
    # judged in both colours: with one ink only (a colour group must then be most of the
    # place), the other logo is taken — the structure alone would take it
    monkeypatch.setattr(detect, "INK_GROUP_SHARE", 0.5)
    assert Matcher.from_directory(kit).match_image(picture) is not None


def test_covered_lockup_refined_in_its_own_turn(tmp_path, monkeypatch):
    """A retired lockup (Notion's mark + words in Liberation Mono, after its look), the
    icon's half and the words' start covered by a photograph's crop, on a photograph. As a
    whole its place correlates under the search's threshold (0.26), with a quarter left out
    0.47: the image's one place found only that way. Looked at as it is — its cover in it, its
    size a search step off — it verifies at nothing and ranks thirteenth of the places looked
    at (the icon's places among them; seventh of the others); small places of the photograph
    rank first. Refined in a turn of its own, with its worst quarter left out: found
    at its place (it verifies at 0.83 at its true box)."""
    # without its own turn, missed
    _found_only_by("lock-notion", "covered", tmp_path, monkeypatch, setting="COVER_TURNS", off=0)


def test_turned_mark_found_in_its_ink(tmp_path, monkeypatch):
    """The twenty-fifth sealed one-colour mark (after its look), turned 9.5° on a photograph:
    a dark-blue page with a feather cut out of it, whose inner parts correlate better at
    smaller sizes, inside it, than the whole mark does at its own. Searched in how much each
    pixel is the mark's ink, its place correlates at 0.67; that place is looked at in its own
    turn even where a place of the picture's colours stands at it (ranked sixth of those by its
    cheap look, upright, and not refined). Found at its place."""
    # found through the places in its ink: without them, missed
    _found_only_by("mono-sqlite", "rotated", tmp_path, monkeypatch, setting="INK_CANDIDATES",
                   off=0)


def test_lockup_turned_about_its_icon(tmp_path, monkeypatch):
    """The twenty-eighth sealed lockup (after its look), turned 9° over a motorcycle's engine:
    dark words on dark metal, lost at the search's coarse levels; its icon places it (0.79, the
    first of the icon's places). Turned, the words swing about the icon and stand well above
    the upright place (the far end of a 7:1 lockup, by most of its height): the refinement's
    window, around the upright place, cut off their top, and the best turn it found correlated
    at 0.33. Refused, the icon's place is refined once more in a window that holds the lockup
    turned about its icon to every angle tried and 3° beyond: found at its place."""
    # with that window as the usual one (around the upright place only: an empty box, which
    # widens nothing), missed
    _found_only_by("lock-fastapi", "rotated", tmp_path, monkeypatch, setting="_turned_about",
                   off=lambda *args, **kwargs: (1e9, 1e9, -1e9, -1e9))


def test_lockup_placed_by_its_icon_refined_from_finer_turns(tmp_path, monkeypatch):
    """A retired lockup (Lichess's mark + words, after its look), turned 9° on a photograph.
    Its icon places it, upright. Refined from 0° and ±6° (then 3° on), its turn was first
    chosen at 6°, its size at that turn, and it ended at 9° with a size chosen for 6°: it
    verified at 0.68 (0.79 at its true pose). Refined once more from every 3° to ±9°, the size
    is chosen at 9°: found at its place."""
    # refined once more from the usual turns only, missed
    _found_only_by("lock-lichess", "rotated", tmp_path, monkeypatch, setting="EMBLEM_TURNS",
                   off=detect.ROTATIONS)


@pytest.mark.parametrize(("case", "was"), [("photo_banner", 0.871), ("text_only", 0.732)])
def test_two_vessels_of_a_retina_are_not_a_brush(case, was, tmp_path):
    """The thirty-first sealed thin line icon (a brush outline, after its look), on pages
    without it: a news photograph of a retina, where two blood vessels run side by side as the
    brush's handle does at 41 px. On the photo banner's page they fitted at 0.87 with the
    head's cell excused as covered, sure enough alone then; on the text-only page at 0.73,
    with colours never compared (a stroke of a pixel or two has no inner pixel). Now the
    colours must agree where what is left seen runs one way (``ONE_WAY_MAX``: the handle
    alone), and thin strokes are compared on all their pixels (each with the closest in
    colour of the picture's pixels within one pixel of it): absent. The brush itself,
    pasted at that size and larger on that photograph (at the vessels' place and elsewhere), is
    found where it is."""
    built = artwork.build_design(artwork.design_by_name("line-brush"), (case,))
    (site,) = built.sites
    kit = artwork.corpus_of(built).write_kit(tmp_path)
    matcher = Matcher.from_directory(kit)
    photo = decode(site.files["/uploads/tin-1.jpg"])
    assert matcher.match_image(photo) is None, f"the vessels, once taken at {was}"
    logo = Image.open(kit / "logo.png").convert("RGBA")
    for side, (x, y) in ((41, (45, 76)), (44, (300, 150)), (48, (200, 40))):
        small = logo.copy()
        small.thumbnail((side, side), Image.LANCZOS)
        canvas = Image.fromarray(photo).convert("RGBA")
        canvas.alpha_composite(small, (x, y))
        found = matcher.match_image(decode(artwork.encode(canvas.convert("RGB"), "JPEG",
                                                          quality=82)))
        assert found is not None, side
        fx, fy, fw, fh = found.bbox
        box = (x, y, x + small.width, y + small.height)
        assert detect._overlap((fx, fy, fx + fw, fy + fh), box) >= 0.5, side
