"""A labelled corpus made from real artwork, for developing and measuring the kit check.

Everything comes from packages installed by ``make setup`` — nothing is downloaded here:

- brand icon paths of simple-icons (CC0) and thin line icons of bootstrap-icons (MIT), from npm
  (``devDependencies`` of package.json, in node_modules/);
- wordmarks set in Debian's DejaVu (fonts-dejavu-core, fonts-dejavu-extra), Liberation
  (fonts-liberation2), Open Sans (fonts-open-sans), Lato (fonts-lato) and Roboto
  (fonts-roboto-unhinted) fonts;
- photographs shipped inside scikit-image's wheel (``skimage.data``), used as banners, hero
  images, carousel slides, news photos and the picture of a photo seal.

Designs of seven kinds (multi-colour icon, one-colour icon, thin line icon, wordmark 4–6:1,
photo seal, gradient, icon + wordmark lockup): the first of each kind is for tuning
(``TUNING``); the second (``HELD_OUT``) was held out until it had been measured twice and is
now for tuning too; the third (``FRESH``, added on 04/12/2026) is held out from every change
and measured once per round; four plain shapes (``PLAIN_DESIGNS``) were added for tuning after
that; a fourth design of each kind (``UNSEEN``) was added when the fresh designs had been
measured twice, and is measured, never tuned on; a fifth (``SEALED``) was added when the unseen
designs had been looked at six times, and is looked at once, after a round's changes are
committed, then retired (``RETIRED``); a sixth took its place on 05/12/2026, and was retired in
turn for a seventh, added the same day, then an eighth, a ninth, a tenth, an eleventh, then a
twelfth, a thirteenth, a fourteenth, a fifteenth, a sixteenth, a seventeenth, an eighteenth,
a nineteenth, a twentieth, a twenty-first, a twenty-second, a twenty-third, a twenty-fourth,
a twenty-fifth, a twenty-sixth, a twenty-seventh, a twenty-eighth, a twenty-ninth, a
thirtieth, then a thirty-first (``SEALED`` now); the retired designs were looked at again in the
tenth to thirty-first rounds, and sites of thirty of them (the twenty-fourth to twenty-sixth sealed lockups' and the
twenty-fifth one-colour mark's among them) are pinned in test_artwork.py (two lockups' more
sites in test_matcher_parts.py), the twenty-eighth sealed lockup's among them, each after its
design's look (the look stays the clean measure; the retired designs have been no clean measure
since).
Each design gets its kit (colour PNG, white variant PNG, SVG, and last year's version as a hard
negative in ``negatives/``) and one site per case in ``PRESENT``, ``ABSENT`` and ``ERRORS``.

Choices that decide what a case means:

- the logo's size is given by its area: ``side × side`` pixels for a square logo, the same area
  for a wide one (a 5:1 wordmark of "side" 160 is 358 × 72);
- "last year's version" is the same artwork with 2025 instead of 2026 for the kinds that carry
  the year (wordmark, seal, lockup); for the others (icons, gradient), last year's mark was
  another icon of the same set, drawn the same way;
- "another logo of the same style" is never in the kit's negatives (a look-alike the kit does
  not know about);
- "20 % covered": a box over a corner on the left side of the logo (the year of a wordmark, on
  the right, stays visible: with it covered, this year's and last year's are the same picture);
- "at 48 px": 48 pixels on the short side (a 5:1 wordmark is 240 × 48).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import importlib.util
import io
import math
import random
import re
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dxday.scanner.images import rasterise_svg

from .server import Corpus, Site

ROOT = Path(__file__).resolve().parents[3]
NODE = ROOT / "node_modules"
FONTS = {
    "dejavu-sans-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "dejavu-serif-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "liberation-sans-bold": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "liberation-serif-bold": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "dejavu-sans-mono-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "liberation-mono-bold": "/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf",
    "liberation-serif-bold-italic":
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
    "dejavu-sans-condensed-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "liberation-sans-bold-italic":
        "/usr/share/fonts/truetype/liberation2/LiberationSans-BoldItalic.ttf",
    "dejavu-serif-condensed-bold":
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf",
    "dejavu-sans-bold-oblique": "/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf",
    "dejavu-serif-bold-italic": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
    "liberation-mono-bold-italic":
        "/usr/share/fonts/truetype/liberation2/LiberationMono-BoldItalic.ttf",
    "dejavu-serif-condensed-bold-italic":
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-BoldItalic.ttf",
    "dejavu-sans-condensed-bold-oblique":
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-BoldOblique.ttf",
    "dejavu-sans-mono-bold-oblique":
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-BoldOblique.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "liberation-sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "dejavu-sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-sans-condensed": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
    "dejavu-serif-condensed": "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf",
    "liberation-serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "dejavu-sans-mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "liberation-sans-italic": "/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf",
    "dejavu-serif-italic": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "liberation-mono": "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
    "dejavu-sans-oblique": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    "liberation-serif-italic":
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "dejavu-sans-condensed-oblique":
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Oblique.ttf",
    "dejavu-sans-mono-oblique": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Oblique.ttf",
    "dejavu-serif-condensed-italic":
        "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Italic.ttf",
    "liberation-mono-italic": "/usr/share/fonts/truetype/liberation2/LiberationMono-Italic.ttf",
    "open-sans-semibold": "/usr/share/fonts/truetype/open-sans/OpenSans-Semibold.ttf",
    "open-sans-cond-bold": "/usr/share/fonts/truetype/open-sans/OpenSans-CondBold.ttf",
    "open-sans-extrabold": "/usr/share/fonts/truetype/open-sans/OpenSans-ExtraBold.ttf",
    "open-sans-cond-light": "/usr/share/fonts/truetype/open-sans/OpenSans-CondLight.ttf",
    "open-sans-bold-italic": "/usr/share/fonts/truetype/open-sans/OpenSans-BoldItalic.ttf",
    "open-sans-light-italic": "/usr/share/fonts/truetype/open-sans/OpenSans-LightItalic.ttf",
    "open-sans-semibold-italic":
        "/usr/share/fonts/truetype/open-sans/OpenSans-SemiboldItalic.ttf",
    "open-sans-regular": "/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf",
    "open-sans-extrabold-italic":
        "/usr/share/fonts/truetype/open-sans/OpenSans-ExtraBoldItalic.ttf",
    "open-sans-italic": "/usr/share/fonts/truetype/open-sans/OpenSans-Italic.ttf",
    "open-sans-light": "/usr/share/fonts/truetype/open-sans/OpenSans-Light.ttf",
    "open-sans-bold": "/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf",
    "dejavu-sans-extralight": "/usr/share/fonts/truetype/dejavu/DejaVuSans-ExtraLight.ttf",
    "open-sans-cond-light-italic":
        "/usr/share/fonts/truetype/open-sans/OpenSans-CondLightItalic.ttf",
    "lato-semibold-italic": "/usr/share/fonts/truetype/lato/Lato-SemiboldItalic.ttf",
    "lato-heavy": "/usr/share/fonts/truetype/lato/Lato-Heavy.ttf",
    "lato-black": "/usr/share/fonts/truetype/lato/Lato-Black.ttf",
    "lato-light": "/usr/share/fonts/truetype/lato/Lato-Light.ttf",
    "lato-medium": "/usr/share/fonts/truetype/lato/Lato-Medium.ttf",
    "lato-bold-italic": "/usr/share/fonts/truetype/lato/Lato-BoldItalic.ttf",
    "lato-regular": "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
    "lato-semibold": "/usr/share/fonts/truetype/lato/Lato-Semibold.ttf",
    "lato-black-italic": "/usr/share/fonts/truetype/lato/Lato-BlackItalic.ttf",
    "lato-italic": "/usr/share/fonts/truetype/lato/Lato-Italic.ttf",
    "lato-medium-italic": "/usr/share/fonts/truetype/lato/Lato-MediumItalic.ttf",
    "lato-bold": "/usr/share/fonts/truetype/lato/Lato-Bold.ttf",
    "lato-light-italic": "/usr/share/fonts/truetype/lato/Lato-LightItalic.ttf",
    "lato-thin": "/usr/share/fonts/truetype/lato/Lato-Thin.ttf",
    "lato-heavy-italic": "/usr/share/fonts/truetype/lato/Lato-HeavyItalic.ttf",
    "lato-hairline": "/usr/share/fonts/truetype/lato/Lato-Hairline.ttf",
    "roboto-condensed-bold": "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
    "roboto-medium": "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf",
}
PHOTOS = ("astronaut.png", "coffee.png", "rocket.jpg", "chelsea.png", "motorcycle_left.png",
          "hubble_deep_field.jpg", "retina.jpg", "ihc.png", "motorcycle_right.png",
          "grass.png")
FLAG_RED, FLAG_YELLOW = (218, 37, 29), (255, 255, 0)

PRESENT = ("header", "hero", "carousel", "cut", "rotated", "overlay", "squashed", "covered",
           "px48", "jpeg_q50", "webp", "white_footer", "inline_svg", "css_background")
ABSENT = ("last_year", "last_year_banner", "same_style", "flag_only", "photo_banner",
          "text_only", "link_to_kit", "broken_image")
ERRORS = ("timeout", "http_500", "refused")


@dataclasses.dataclass(frozen=True)
class Design:
    name: str
    kind: str
    # kind-specific: icon slug(s), colours, text, font, photo
    icon: str = ""
    colours: tuple[str, ...] = ()
    text: str = ""
    font: str = ""
    photo: str = ""
    last_icon: str = ""  # last year's mark, for the kinds without a year
    other_icon: str = ""  # another logo of the same style
    other_text: str = ""
    tagline: str = ""  # a wordmark's second, smaller line


DESIGNS = [
    # first of each kind: tuning; second: held out
    Design("multi-kubernetes", "multi_colour", icon="kubernetes",
           colours=("#326CE5", "#F2A900"), last_icon="gnome", other_icon="mastodon"),
    Design("multi-openstreetmap", "multi_colour", icon="openstreetmap",
           colours=("#2E7D32", "#0B3D91"), last_icon="qgis", other_icon="godotengine"),
    Design("mono-debian", "one_colour", icon="debian", colours=("#A81D33",),
           last_icon="ubuntu", other_icon="fedora"),
    Design("mono-rust", "one_colour", icon="rust", colours=("#111111",),
           last_icon="inkscape", other_icon="wikipedia"),
    Design("line-lightbulb", "thin_line", icon="lightbulb", colours=("#000000",),
           last_icon="cpu", other_icon="phone"),
    Design("line-globe2", "thin_line", icon="globe2", colours=("#000000",),
           last_icon="building", other_icon="router"),
    Design("word-dejavu", "wordmark", text="NGÀY CĐS 2026", font="dejavu-sans-bold",
           colours=("#C8102E",), other_text="KINH TẾ SỐ 2026",
           tagline="CHUYỂN ĐỔI SỐ QUỐC GIA"),
    Design("word-liberation", "wordmark", text="DX 2026", font="liberation-serif-bold",
           colours=("#0B3D91",), other_text="GOV 2026"),
    Design("seal-astronaut", "photo_seal", photo="astronaut.png", text="CĐS 2026",
           colours=("#C8102E", "#F2A900"), other_icon="coffee.png"),
    Design("seal-chelsea", "photo_seal", photo="chelsea.png", text="CĐS 2026",
           colours=("#0B3D91", "#FFFFFF"), other_icon="rocket.jpg"),
    Design("grad-firefox", "gradient", icon="firefox", colours=("#FF7139", "#9B1FD1"),
           last_icon="mozilla", other_icon="blender"),
    Design("grad-kde", "gradient", icon="kde", colours=("#1D99F3", "#00A651"),
           last_icon="archlinux", other_icon="php"),
    Design("lock-python", "lockup", icon="python", text="DX DAY 2026",
           font="dejavu-sans-bold", colours=("#3776AB", "#1B1B1B"), other_icon="php",
           other_text="SỐ HÓA 2026"),
    Design("lock-gnome", "lockup", icon="gnome", text="NGÀY CĐS 2026",
           font="liberation-sans-bold", colours=("#4A86CF", "#C8102E"), other_icon="fedora",
           other_text="DỮ LIỆU 2026"),
]
TUNING = [d.name for d in DESIGNS[0::2]]
HELD_OUT = [d.name for d in DESIGNS[1::2]]
# A third design of each kind, added on 04/12/2026 after the held-out half had been measured
# twice: held out from every change made after that date, measured once per round.
FRESH_DESIGNS = [
    Design("multi-gitlab", "multi_colour", icon="gitlab", colours=("#E24329", "#FCA326"),
           last_icon="gitea", other_icon="docker"),
    Design("mono-redhat", "one_colour", icon="redhat", colours=("#C8102E",),
           last_icon="suse", other_icon="centos"),
    Design("line-shield", "thin_line", icon="shield-check", colours=("#1B1B1B",),
           last_icon="house", other_icon="compass"),
    Design("word-dejavu-serif", "wordmark", text="SỐ HÓA 2026", font="dejavu-serif-bold",
           colours=("#006B3F",), other_text="DỮ LIỆU 2026"),
    Design("seal-coffee", "photo_seal", photo="coffee.png", text="CĐS 2026",
           colours=("#006B3F", "#FFFFFF"), other_icon="motorcycle_left.png"),
    Design("grad-instagram", "gradient", icon="instagram", colours=("#F58529", "#DD2A7B"),
           last_icon="opera", other_icon="android"),
    Design("lock-linux", "lockup", icon="linux", text="CĐS 2026", font="dejavu-serif-bold",
           colours=("#1B1B1B", "#C8102E"), other_icon="apache", other_text="KINH TẾ SỐ 2026"),
]
# Plain shapes, added for tuning after the fresh designs showed photographs and other marks
# taken for a plain one-colour shape: other icons of the same two packages, none of the fresh
# ones.
PLAIN_DESIGNS = [
    Design("mono-apple", "one_colour", icon="apple", colours=("#1B1B1B",),
           last_icon="tesla", other_icon="airbnb"),
    Design("mono-snapchat", "one_colour", icon="snapchat", colours=("#C8102E",),
           last_icon="deno", other_icon="dropbox"),
    Design("line-heart", "thin_line", icon="heart", colours=("#1B1B1B",),
           last_icon="star", other_icon="bookmark"),
    Design("line-bell", "thin_line", icon="bell", colours=("#0B3D91",),
           last_icon="cloud", other_icon="award"),
]
TUNING = TUNING + [d.name for d in PLAIN_DESIGNS]
# A fourth design of each kind, added on 04/12/2026 after the fresh designs had been measured
# twice, before any measurement: no change is made from them; they are measured, not tuned on.
UNSEEN_DESIGNS = [
    Design("multi-nodedotjs", "multi_colour", icon="nodedotjs", colours=("#006B3F", "#C8102E"),
           last_icon="npm", other_icon="yarn"),
    Design("mono-raspberrypi", "one_colour", icon="raspberrypi", colours=("#0B3D91",),
           last_icon="arduino", other_icon="gnu"),
    Design("line-camera", "thin_line", icon="camera", colours=("#C8102E",),
           last_icon="printer", other_icon="laptop"),
    Design("word-liberation-sans", "wordmark", text="NGÀY SỐ 2026", font="liberation-sans-bold",
           colours=("#1B1B1B",), other_text="CÔNG DÂN SỐ 2026",
           tagline="CHUYỂN ĐỔI SỐ QUỐC GIA"),
    Design("seal-rocket", "photo_seal", photo="rocket.jpg", text="CĐS 2026",
           colours=("#1B1B1B", "#F2A900"), other_icon="hubble_deep_field.jpg"),
    Design("grad-telegram", "gradient", icon="telegram", colours=("#0B3D91", "#1D99F3"),
           last_icon="signal", other_icon="whatsapp"),
    Design("lock-postgresql", "lockup", icon="postgresql", text="SỐ HÓA 2026",
           font="liberation-serif-bold", colours=("#0B3D91", "#0B3D91"), other_icon="mysql",
           other_text="DỮ LIỆU SỐ 2026"),
]
# A fifth design of each kind, added on 04/12/2026 before any measurement: sealed — looked at
# once, with a round's changes committed, never tuned on, then retired (the next round adds
# another). Icons, fonts (the monospaced faces of the same two font packages) and seal
# photograph not used by any design before.
SEALED_DESIGNS = [
    Design("multi-wordpress", "multi_colour", icon="wordpress", colours=("#21759B", "#C8102E"),
           last_icon="drupal", other_icon="joomla"),
    Design("mono-youtube", "one_colour", icon="youtube", colours=("#C8102E",),
           last_icon="vimeo", other_icon="twitch"),
    Design("line-envelope", "thin_line", icon="envelope", colours=("#006B3F",),
           last_icon="chat", other_icon="calendar"),
    Design("word-dejavu-mono", "wordmark", text="CĐS 2026", font="dejavu-sans-mono-bold",
           colours=("#5B2C83",), other_text="ICT 2026"),
    Design("seal-motorcycle", "photo_seal", photo="motorcycle_right.png", text="CĐS 2026",
           colours=("#8B0000", "#FFD700"), other_icon="retina.jpg"),
    Design("grad-spotify", "gradient", icon="spotify", colours=("#1DB954", "#0B3D91"),
           last_icon="soundcloud", other_icon="deezer"),
    Design("lock-github", "lockup", icon="github", text="VIỆT NAM SỐ 2026",
           font="liberation-mono-bold", colours=("#24292F", "#C8102E"), other_icon="bitbucket",
           other_text="HẠ TẦNG SỐ 2026"),
]
# The fifth designs were looked at once (the seventh round) and are retired: measured again only
# as one more unseen set, knowing that one change was made after their look.
RETIRED_DESIGNS = SEALED_DESIGNS
# A sixth design of each kind, added on 05/12/2026 before any measurement: sealed, as the fifth
# were — icons, font faces (an italic serif, a condensed sans) and seal photograph (scikit-image's
# grey camera picture) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-matrix", "multi_colour", icon="matrix", colours=("#0DBD8B", "#1B1B1B"),
           last_icon="element", other_icon="discord"),
    Design("mono-nvidia", "one_colour", icon="nvidia", colours=("#3A6B00",),
           last_icon="amd", other_icon="intel"),
    Design("line-briefcase", "thin_line", icon="briefcase", colours=("#5B2C83",),
           last_icon="bag", other_icon="book"),
    Design("word-liberation-italic", "wordmark", text="VIỆT SỐ 2026",
           font="liberation-serif-bold-italic", colours=("#8B0000",), other_text="TRẺ SỐ 2026"),
    Design("seal-camera", "photo_seal", photo="camera.png", text="CĐS 2026",
           colours=("#0B3D91", "#FFD700"), other_icon="coins.png"),
    Design("grad-figma", "gradient", icon="figma", colours=("#F24E1E", "#A259FF"),
           last_icon="sketch", other_icon="framer"),
    Design("lock-libreoffice", "lockup", icon="libreoffice", text="DỮ LIỆU MỞ 2026",
           font="dejavu-sans-condensed-bold", colours=("#18A303", "#1B1B1B"),
           other_icon="thunderbird", other_text="CHÍNH PHỦ SỐ 2026"),
]
# The sixth designs were looked at once (the eighth round) and are retired like the fifth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A seventh design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# sixth were — icons, font faces (an italic sans, a condensed serif) and seal photograph
# (scikit-image's grey moon picture) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-kotlin", "multi_colour", icon="kotlin", colours=("#7F52FF", "#E44857"),
           last_icon="swift", other_icon="scala"),
    Design("mono-steam", "one_colour", icon="steam", colours=("#1B2838",),
           last_icon="epicgames", other_icon="itchdotio"),
    Design("line-trophy", "thin_line", icon="trophy", colours=("#B8860B",),
           last_icon="flag", other_icon="umbrella"),
    Design("word-liberation-sans-italic", "wordmark", text="XÃ SỐ 2026",
           font="liberation-sans-bold-italic", colours=("#006B3F",),
           other_text="ĐÔ THỊ SỐ 2026", tagline="CHUYỂN ĐỔI SỐ CHÍNH QUYỀN CẤP XÃ"),
    Design("seal-moon", "photo_seal", photo="moon.png", text="CĐS 2026",
           colours=("#5B2C83", "#FFFFFF"), other_icon="page.png"),
    Design("grad-vlc", "gradient", icon="vlcmediaplayer", colours=("#FF8800", "#C8102E"),
           last_icon="obsstudio", other_icon="audacity"),
    Design("lock-gimp", "lockup", icon="gimp", text="XÃ HỘI SỐ 2026",
           font="dejavu-serif-condensed-bold", colours=("#5C5543", "#0B3D91"),
           other_icon="krita", other_text="KINH TẾ XANH 2026"),
]
# The seventh designs were looked at once (the ninth round) and are retired like the sixth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# An eighth design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# seventh were — icons, font faces (an oblique sans, an italic serif) and seal photograph
# (scikit-image's brick wall) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-firebase", "multi_colour", icon="firebase", colours=("#FFCA28", "#DD2C00"),
           last_icon="supabase", other_icon="mongodb"),
    Design("mono-xiaomi", "one_colour", icon="xiaomi", colours=("#FF6900",),
           last_icon="huawei", other_icon="samsung"),
    Design("line-bicycle", "thin_line", icon="bicycle", colours=("#0B3D91",),
           last_icon="scooter", other_icon="truck"),
    Design("word-dejavu-oblique", "wordmark", text="DX VIỆT 2026",
           font="dejavu-sans-bold-oblique", colours=("#C8102E",), other_text="AI VIỆT 2026",
           tagline="NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA"),
    Design("seal-brick", "photo_seal", photo="brick.png", text="CĐS 2026",
           colours=("#006B3F", "#FFD700"), other_icon="gravel.png"),
    Design("grad-pinterest", "gradient", icon="pinterest", colours=("#E60023", "#5B2C83"),
           last_icon="tumblr", other_icon="flickr"),
    Design("lock-nextcloud", "lockup", icon="nextcloud", text="CÔNG DÂN SỐ 2026",
           font="dejavu-serif-bold-italic", colours=("#0082C9", "#1B1B1B"),
           other_icon="owncloud", other_text="GIÁO DỤC SỐ 2026"),
]
# The eighth designs were looked at once (the tenth round) and are retired like the seventh.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A ninth design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# eighth were — icons, font faces (an italic monospace, a condensed italic serif) and seal
# photograph (scikit-image's cell micrograph) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-jenkins", "multi_colour", icon="jenkins", colours=("#D24939", "#335061"),
           last_icon="travisci", other_icon="circleci"),
    Design("mono-netflix", "one_colour", icon="netflix", colours=("#8B0000",),
           last_icon="line", other_icon="viber"),
    Design("line-train", "thin_line", icon="train-front", colours=("#006B3F",),
           last_icon="bus-front", other_icon="airplane"),
    Design("word-liberation-mono-italic", "wordmark", text="TỈNH SỐ 2026",
           font="liberation-mono-bold-italic", colours=("#0B3D91",),
           other_text="PHƯỜNG SỐ 2026", tagline="CHUYỂN ĐỔI SỐ CẤP TỈNH"),
    Design("seal-cell", "photo_seal", photo="cell.png", text="CĐS 2026",
           colours=("#C8102E", "#FFFFFF"), other_icon="microaneurysms.png"),
    Design("grad-brave", "gradient", icon="brave", colours=("#FB542B", "#5B2C83"),
           last_icon="vivaldi", other_icon="duckduckgo"),
    Design("lock-zulip", "lockup", icon="zulip", text="CHUYỂN ĐỔI SỐ 2026",
           font="dejavu-serif-condensed-bold-italic", colours=("#6492FE", "#1B1B1B"),
           other_icon="rocketdotchat", other_text="AN NINH SỐ 2026"),
]
# The ninth designs were looked at once (the eleventh round) and are retired like the eighth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A tenth design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# ninth were — icons, font faces (a condensed oblique sans, an oblique monospace) and seal
# photograph (scikit-image's motion-blurred clock) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-grafana", "multi_colour", icon="grafana", colours=("#F46800", "#0B3D91"),
           last_icon="prometheus", other_icon="kibana"),
    Design("mono-reddit", "one_colour", icon="reddit", colours=("#FF4500",),
           last_icon="quora", other_icon="stackoverflow"),
    Design("line-hospital", "thin_line", icon="hospital", colours=("#C8102E",),
           last_icon="capsule", other_icon="bank"),
    Design("word-dejavu-condensed-oblique", "wordmark", text="Y TẾ SỐ 2026",
           font="dejavu-sans-condensed-bold-oblique", colours=("#006B3F",),
           other_text="DU LỊCH SỐ 2026", tagline="CHUYỂN ĐỔI SỐ NGÀNH Y TẾ"),
    Design("seal-clock", "photo_seal", photo="clock_motion.png", text="CĐS 2026",
           colours=("#006B3F", "#FFFFFF"), other_icon="phantom.png"),
    Design("grad-tiktok", "gradient", icon="tiktok", colours=("#FE2C55", "#0B3D91"),
           last_icon="wechat", other_icon="zoom"),
    Design("lock-mattermost", "lockup", icon="mattermost", text="DỊCH VỤ CÔNG 2026",
           font="dejavu-sans-mono-bold-oblique", colours=("#0058CC", "#1B1B1B"),
           other_icon="gitter", other_text="THƯƠNG MẠI SỐ 2026"),
]
# The tenth designs were looked at once (the twelfth round) and are retired like the ninth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# An eleventh design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# tenth were — icons, font faces (the first regular weights: a serif, a sans) and seal
# photograph (scikit-image's colour test picture) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-sentry", "multi_colour", icon="sentry", colours=("#362D59", "#E1567C"),
           last_icon="datadog", other_icon="newrelic"),
    Design("mono-strava", "one_colour", icon="strava", colours=("#C8102E",),
           last_icon="komoot", other_icon="garmin"),
    Design("line-mortarboard", "thin_line", icon="mortarboard", colours=("#0B3D91",),
           last_icon="backpack", other_icon="easel"),
    Design("word-dejavu-serif-book", "wordmark", text="XÃ SỐ 2026", font="dejavu-serif",
           colours=("#7A1F1F",), other_text="THÔN SỐ 2026", tagline="CHUYỂN ĐỔI SỐ CẤP XÃ"),
    Design("seal-color", "photo_seal", photo="color.png", text="CĐS 2026",
           colours=("#0B3D91", "#FFFFFF"), other_icon="text.png"),
    Design("grad-messenger", "gradient", icon="messenger", colours=("#0099FF", "#A033FF"),
           last_icon="kofi", other_icon="discourse"),
    Design("lock-jitsi", "lockup", icon="jitsi", text="HỌC LIỆU SỐ 2026",
           font="liberation-sans", colours=("#1D76BA", "#1B1B1B"),
           other_icon="bigbluebutton", other_text="THƯ VIỆN SỐ 2026"),
]
# The eleventh designs were looked at once (the thirteenth round) and are retired like the tenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twelfth design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# eleventh were — icons (Zalo's among them), font faces (DejaVu Sans and DejaVu Sans Condensed,
# regular) and seal photograph (scikit-image's own logo) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-ansible", "multi_colour", icon="ansible", colours=("#1A1918", "#EE0000"),
           last_icon="terraform", other_icon="vagrant"),
    Design("mono-zalo", "one_colour", icon="zalo", colours=("#0068FF",),
           last_icon="kakaotalk", other_icon="threema"),
    Design("line-tree", "thin_line", icon="tree", colours=("#006B3F",),
           last_icon="flower1", other_icon="droplet"),
    Design("word-dejavu-sans-book", "wordmark", text="ĐÔ THỊ SỐ 2026", font="dejavu-sans",
           colours=("#8A4B08",), other_text="LÀNG SỐ 2026", tagline="CHUYỂN ĐỔI SỐ ĐÔ THỊ"),
    Design("seal-logo", "photo_seal", photo="logo.png", text="CĐS 2026",
           colours=("#7A1F1F", "#FFFFFF"), other_icon="horse.png"),
    Design("grad-bluesky", "gradient", icon="bluesky", colours=("#0085FF", "#00C2A8"),
           last_icon="threads", other_icon="lemmy"),
    Design("lock-wire", "lockup", icon="wire", text="CHÍNH QUYỀN SỐ 2026",
           font="dejavu-sans-condensed", colours=("#C8102E", "#1B1B1B"),
           other_icon="session", other_text="KINH TẾ SỐ 2026"),
]
# The twelfth designs were looked at once (the fourteenth round) and are retired like the
# eleventh.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A thirteenth design of each kind, added on 05/12/2026 before any measurement: sealed, as the
# twelfth were — icons (two South-East Asian ride-hailing marks among them), font faces (DejaVu
# Serif Condensed and Liberation Serif, regular) and seal photograph (scikit-image's stained
# tissue micrograph) not used by any design before.
SEALED_DESIGNS = [
    Design("multi-vue", "multi_colour", icon="vuedotjs", colours=("#42B883", "#35495E"),
           last_icon="angular", other_icon="svelte"),
    Design("mono-grab", "one_colour", icon="grab", colours=("#00B14F",),
           last_icon="gojek", other_icon="shopee"),
    Design("line-lightning", "thin_line", icon="lightning", colours=("#B8860B",),
           last_icon="sun", other_icon="wifi"),
    Design("word-dejavu-serif-condensed-book", "wordmark", text="NÔNG THÔN SỐ 2026",
           font="dejavu-serif-condensed", colours=("#0B3D91",),
           other_text="NÔNG NGHIỆP SỐ 2026", tagline="CHUYỂN ĐỔI SỐ NÔNG THÔN"),
    Design("seal-ihc", "photo_seal", photo="ihc.png", text="CĐS 2026",
           colours=("#006B3F", "#FFD700"), other_icon="chessboard_RGB.png"),
    Design("grad-paypal", "gradient", icon="paypal", colours=("#003087", "#009CDE"),
           last_icon="stripe", other_icon="wise"),
    Design("lock-bitwarden", "lockup", icon="bitwarden", text="AN TOÀN SỐ 2026",
           font="liberation-serif", colours=("#175DDC", "#1B1B1B"),
           other_icon="keepassxc", other_text="BẢO MẬT SỐ 2026"),
]
# The thirteenth designs were looked at once (the fifteenth round) and are retired like the
# twelfth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A fourteenth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# thirteenth were — icons, font faces (DejaVu Sans Mono, regular; Liberation Sans Italic) and
# seal photograph (scikit-image's coins, before only the picture of another seal) not used by
# any design's kit before.
SEALED_DESIGNS = [
    Design("multi-react", "multi_colour", icon="react", colours=("#087EA4", "#20232A"),
           last_icon="nuxt", other_icon="tailwindcss"),
    Design("mono-alipay", "one_colour", icon="alipay", colours=("#1677FF",),
           last_icon="qq", other_icon="baidu"),
    Design("line-megaphone", "thin_line", icon="megaphone", colours=("#A52A2A",),
           last_icon="newspaper", other_icon="mailbox"),
    Design("word-dejavu-sans-mono-book", "wordmark", text="THUẾ SỐ 2026",
           font="dejavu-sans-mono", colours=("#4B0082",),
           other_text="KHO BẠC 2026", tagline="CHUYỂN ĐỔI SỐ NGÀNH THUẾ"),
    Design("seal-coins", "photo_seal", photo="coins.png", text="CĐS 2026",
           colours=("#8B0000", "#FFFFFF"), other_icon="chessboard_GRAY.png"),
    Design("grad-tensorflow", "gradient", icon="tensorflow", colours=("#FF6F00", "#FFA800"),
           last_icon="pytorch", other_icon="jupyter"),
    Design("lock-googlemeet", "lockup", icon="googlemeet", text="HỘI NGHỊ SỐ 2026",
           font="liberation-sans-italic", colours=("#00897B", "#1B1B1B"),
           other_icon="webex", other_text="HỘI THẢO SỐ 2026"),
]
# The fourteenth designs were looked at once (the sixteenth round) and are retired like the
# thirteenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A fifteenth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# fourteenth were — icons (a one-colour mark 3:1 wide among them), font faces (DejaVu Serif
# Italic; Liberation Mono, regular) and seal photograph (scikit-image's horse silhouette, before
# only the picture of another seal) not used by any design's kit before.
SEALED_DESIGNS = [
    Design("multi-opencv", "multi_colour", icon="opencv", colours=("#5C3EE8", "#FF0000"),
           last_icon="numpy", other_icon="pandas"),
    Design("mono-visa", "one_colour", icon="visa", colours=("#1A1F71",),
           last_icon="mastercard", other_icon="scikitlearn"),
    Design("line-people", "thin_line", icon="people", colours=("#2F4F4F",),
           last_icon="person", other_icon="gear"),
    Design("word-dejavu-serif-italic", "wordmark", text="Y TẾ SỐ 2026",
           font="dejavu-serif-italic", colours=("#C71585",),
           other_text="DƯỢC SỐ 2026", tagline="CHUYỂN ĐỔI SỐ Y TẾ"),
    Design("seal-horse", "photo_seal", photo="horse.png", text="CĐS 2026",
           colours=("#00008B", "#FFD700"), other_icon="text.png"),
    Design("grad-googlechrome", "gradient", icon="googlechrome", colours=("#4285F4", "#34A853"),
           last_icon="safari", other_icon="googledrive"),
    Design("lock-notion", "lockup", icon="notion", text="HỌC TẬP SỐ 2026",
           font="liberation-mono", colours=("#0B6E4F", "#1B1B1B"),
           other_icon="asana", other_text="ĐÀO TẠO SỐ 2026"),
]
# The fifteenth designs were looked at once (the seventeenth round) and are retired like the
# fourteenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A sixteenth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# fifteenth were — icons, font faces (DejaVu Sans Oblique; Liberation Serif Italic, regular
# weights) and seal photograph (scikit-image's grass) not used by any design's kit before.
SEALED_DESIGNS = [
    Design("multi-gitkraken", "multi_colour", icon="gitkraken", colours=("#179287", "#0F3B47"),
           last_icon="jira", other_icon="linear"),
    Design("mono-trello", "one_colour", icon="trello", colours=("#0052CC",),
           last_icon="huggingface", other_icon="vercel"),
    Design("line-clipboard-check", "thin_line", icon="clipboard-check", colours=("#006400",),
           last_icon="book-half", other_icon="cloud-sun"),
    Design("word-dejavu-sans-oblique", "wordmark", text="ĐÔ THỊ SỐ 2026",
           font="dejavu-sans-oblique", colours=("#8B4513",),
           other_text="NHÀ Ở SỐ 2026", tagline="CHUYỂN ĐỔI SỐ ĐÔ THỊ"),
    Design("seal-grass", "photo_seal", photo="grass.png", text="CĐS 2026",
           colours=("#2E7D32", "#FFFFFF"), other_icon="microaneurysms.png"),
    Design("grad-googlemaps", "gradient", icon="googlemaps", colours=("#EA4335", "#FBBC04"),
           last_icon="ollama", other_icon="gmail"),
    Design("lock-nextdotjs", "lockup", icon="nextdotjs", text="GIAO THÔNG SỐ 2026",
           font="liberation-serif-italic", colours=("#1565C0", "#1B1B1B"),
           other_icon="cloudflare", other_text="VẬN TẢI SỐ 2026"),
]
# The sixteenth designs were looked at once (the eighteenth round) and are retired like the
# fifteenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A seventeenth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# sixteenth were — icons, font faces (DejaVu Sans Condensed Oblique; DejaVu Sans Mono Oblique,
# regular weights) and seal photograph (scikit-image's Shepp–Logan phantom) not used by any
# design's kit before.
SEALED_DESIGNS = [
    Design("multi-miro", "multi_colour", icon="miro", colours=("#FFD02F", "#050038"),
           last_icon="zapier", other_icon="dribbble"),
    Design("mono-bilibili", "one_colour", icon="bilibili", colours=("#00A1D6",),
           last_icon="medium", other_icon="yelp"),
    Design("line-basket", "thin_line", icon="basket", colours=("#5D4037",),
           last_icon="house-heart", other_icon="tablet"),
    Design("word-dejavu-sans-condensed-oblique", "wordmark", text="DU LỊCH SỐ 2026",
           font="dejavu-sans-condensed-oblique", colours=("#4B0082",),
           other_text="LỮ HÀNH SỐ 2026", tagline="CHUYỂN ĐỔI SỐ DU LỊCH"),
    Design("seal-phantom", "photo_seal", photo="phantom.png", text="CĐS 2026",
           colours=("#6A1B9A", "#FFFFFF"), other_icon="page.png"),
    Design("grad-googlephotos", "gradient", icon="googlephotos", colours=("#FBBC04", "#34A853"),
           last_icon="googlepay", other_icon="firefoxbrowser"),
    Design("lock-kaggle", "lockup", icon="kaggle", text="NÔNG NGHIỆP SỐ 2026",
           font="dejavu-sans-mono-oblique", colours=("#20BEFF", "#1B1B1B"),
           other_icon="leetcode", other_text="THỦY SẢN SỐ 2026"),
]
# The seventeenth designs were looked at once (the nineteenth round) and are retired like the
# sixteenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# An eighteenth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# seventeenth were — icons, font faces (DejaVu Serif Condensed Italic; Liberation Mono Italic,
# regular weights) and seal photograph (scikit-image's retina, before only a banner and the
# picture of another seal) not used by any design's kit before.
SEALED_DESIGNS = [
    Design("multi-hackerrank", "multi_colour", icon="hackerrank", colours=("#2EC866", "#0E141E"),
           last_icon="leetcode", other_icon="codeberg"),
    Design("mono-peertube", "one_colour", icon="peertube", colours=("#F1680D",),
           last_icon="pixelfed", other_icon="matomo"),
    Design("line-shop", "thin_line", icon="shop", colours=("#00695C",),
           last_icon="cup-hot", other_icon="lamp"),
    Design("word-dejavu-serif-condensed-italic", "wordmark", text="NGÂN HÀNG SỐ 2026",
           font="dejavu-serif-condensed-italic", colours=("#0D47A1",),
           other_text="BẢO HIỂM SỐ 2026", tagline="CHUYỂN ĐỔI SỐ NGÂN HÀNG"),
    Design("seal-retina", "photo_seal", photo="retina.jpg", text="CĐS 2026",
           colours=("#004D40", "#FFFFFF"), other_icon="gravel.png"),
    Design("grad-googlecloud", "gradient", icon="googlecloud", colours=("#4285F4", "#EA4335"),
           last_icon="googleplay", other_icon="unity"),
    Design("lock-gitpod", "lockup", icon="gitpod", text="CÔNG NGHIỆP SỐ 2026",
           font="liberation-mono-italic", colours=("#FF8A00", "#1B1B1B"),
           other_icon="forgejo", other_text="NĂNG LƯỢNG SỐ 2026"),
]
# The eighteenth designs were looked at once (the twentieth round) and are retired like the
# seventeenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A nineteenth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# eighteenth were — icons, font faces (Open Sans Semibold and Open Sans Condensed Bold, a family
# no kit used before) and seal photograph (scikit-image's Hubble deep field, before a banner
# and the picture of another seal) not used by any design's kit before.
SEALED_DESIGNS = [
    Design("multi-duolingo", "multi_colour", icon="duolingo", colours=("#58CC02", "#1CB0F6"),
           last_icon="coursera", other_icon="khanacademy"),
    Design("mono-deepl", "one_colour", icon="deepl", colours=("#0F2B46",),
           last_icon="unsplash", other_icon="ghost"),
    Design("line-heart-pulse", "thin_line", icon="heart-pulse", colours=("#C62828",),
           last_icon="lungs", other_icon="thermometer-half"),
    Design("word-open-sans-semibold", "wordmark", text="TƯ PHÁP SỐ 2026",
           font="open-sans-semibold", colours=("#00796B",),
           other_text="HỘ TỊCH SỐ 2026", tagline="CHUYỂN ĐỔI SỐ TƯ PHÁP"),
    Design("seal-hubble", "photo_seal", photo="hubble_deep_field.jpg", text="CĐS 2026",
           colours=("#1A237E", "#FFFFFF"), other_icon="motorcycle_left.png"),
    Design("grad-airtable", "gradient", icon="airtable", colours=("#18BFFF", "#F82B60"),
           last_icon="zendesk", other_icon="hashnode"),
    Design("lock-moodle", "lockup", icon="moodle", text="VĂN HÓA SỐ 2026",
           font="open-sans-cond-bold", colours=("#F98012", "#1B1B1B"),
           other_icon="gitbook", other_text="THỂ THAO SỐ 2026"),
]
# The nineteenth designs were looked at once (the twenty-first round) and are retired like the
# eighteenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twentieth design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# nineteenth were — icons, font faces (Open Sans ExtraBold, Open Sans Condensed Light) and seal
# photograph (scikit-image's gravel, before only the picture of another seal) not used by any
# design's kit before.
SEALED_DESIGNS = [
    Design("multi-opensuse", "multi_colour", icon="opensuse", colours=("#73BA25", "#173F4F"),
           last_icon="linuxmint", other_icon="manjaro"),
    Design("mono-creativecommons", "one_colour", icon="creativecommons", colours=("#4A148C",),
           last_icon="openaccess", other_icon="wikimediacommons"),
    Design("line-recycle", "thin_line", icon="recycle", colours=("#2E7D32",),
           last_icon="piggy-bank", other_icon="wrench"),
    Design("word-open-sans-extrabold", "wordmark", text="MÔI TRƯỜNG SỐ 2026",
           font="open-sans-extrabold", colours=("#1B5E20",),
           other_text="TÀI NGUYÊN SỐ 2026", tagline="CHUYỂN ĐỔI SỐ MÔI TRƯỜNG"),
    Design("seal-gravel", "photo_seal", photo="gravel.png", text="CĐS 2026",
           colours=("#5D4037", "#FFFFFF"), other_icon="microaneurysms.png"),
    Design("grad-html5", "gradient", icon="html5", colours=("#E44D26", "#264DE4"),
           last_icon="css", other_icon="kdeplasma"),
    Design("lock-fdroid", "lockup", icon="fdroid", text="KHOA HỌC SỐ 2026",
           font="open-sans-cond-light", colours=("#1976D2", "#1B1B1B"),
           other_icon="torproject", other_text="CÔNG NGHỆ SỐ 2026"),
]
# The twentieth designs were looked at once (the twenty-first round) and are retired like the
# nineteenth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-first design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# twentieth were — icons, font faces (Open Sans Bold Italic, Open Sans Light Italic) and seal
# photograph (scikit-image's text, a photograph of signs, before only the picture of another
# seal) not used by any design's kit before.
SEALED_DESIGNS = [
    Design("multi-nixos", "multi_colour", icon="nixos", colours=("#5277C3", "#7EBAE4"),
           last_icon="gentoo", other_icon="alpinelinux"),
    Design("mono-podman", "one_colour", icon="podman", colours=("#892CA0",),
           last_icon="mapbox", other_icon="leaflet"),
    Design("line-palette", "thin_line", icon="palette", colours=("#AD1457",),
           last_icon="scissors", other_icon="puzzle"),
    Design("word-open-sans-bold-italic", "wordmark", text="BƯU CHÍNH SỐ 2026",
           font="open-sans-bold-italic", colours=("#E65100",),
           other_text="VIỄN THÔNG SỐ 2026", tagline="CHUYỂN ĐỔI SỐ BƯU CHÍNH"),
    Design("seal-text", "photo_seal", photo="text.png", text="CĐS 2026",
           colours=("#263238", "#FFFFFF"), other_icon="page.png"),
    Design("grad-zorin", "gradient", icon="zorin", colours=("#15A6F0", "#7B1FA2"),
           last_icon="popos", other_icon="endeavouros"),
    Design("lock-lichess", "lockup", icon="lichess", text="LAO ĐỘNG SỐ 2026",
           font="open-sans-light-italic", colours=("#2E7D32", "#1B1B1B"),
           other_icon="nextbike", other_text="VIỆC LÀM SỐ 2026"),
]
# The twenty-first designs were looked at once (the twenty-first round) and are retired like the
# twentieth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-second design of each kind, added on 06/12/2026 before any measurement: sealed, as the
# twenty-first were — icons, font faces (Open Sans Semibold Italic, Open Sans Regular) and seal
# photograph (scikit-image's page, a scanned page of text, before only the picture of another
# seal) not used by any design's kit before.
SEALED_DESIGNS = [
    Design("multi-jellyfin", "multi_colour", icon="jellyfin", colours=("#AA5CC3", "#00A4DC"),
           last_icon="kodi", other_icon="syncthing"),
    Design("mono-letsencrypt", "one_colour", icon="letsencrypt", colours=("#003A70",),
           last_icon="openwrt", other_icon="proxmox"),
    Design("line-headphones", "thin_line", icon="headphones", colours=("#00695C",),
           last_icon="mic", other_icon="binoculars"),
    Design("word-open-sans-semibold-italic", "wordmark", text="HẢI QUAN SỐ 2026",
           font="open-sans-semibold-italic", colours=("#1A237E",),
           other_text="XUẤT KHẨU SỐ 2026", tagline="CHUYỂN ĐỔI SỐ HẢI QUAN"),
    Design("seal-page", "photo_seal", photo="page.png", text="CĐS 2026",
           colours=("#4E342E", "#FFFFFF"), other_icon="microaneurysms.png"),
    Design("grad-freebsd", "gradient", icon="freebsd", colours=("#AB2B28", "#F57F17"),
           last_icon="openbsd", other_icon="netbsd"),
    Design("lock-elementary", "lockup", icon="elementary", text="BÁO CHÍ SỐ 2026",
           font="open-sans-regular", colours=("#C62828", "#1B1B1B"),
           other_icon="xfce", other_text="TRUYỀN HÌNH SỐ 2026"),
]
# The twenty-second designs were looked at once (the twenty-second round) and are retired like
# the twenty-first.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-third design of each kind, added on 07/12/2026 before any measurement: sealed, as the
# twenty-second were — icons, font faces (Open Sans ExtraBold Italic, Open Sans Italic) and seal
# photograph (scikit-image's microaneurysms, before only the picture of another seal) not used by
# any design's kit before.
SEALED_DESIGNS = [
    Design("multi-kicad", "multi_colour", icon="kicad", colours=("#314CB0", "#F5A623"),
           last_icon="freecad", other_icon="retroarch"),
    Design("mono-gnuprivacyguard", "one_colour", icon="gnuprivacyguard", colours=("#0093DD",),
           last_icon="tails", other_icon="qubesos"),
    Design("line-rocket", "thin_line", icon="rocket", colours=("#37474F",),
           last_icon="hourglass-split", other_icon="truck-front"),
    Design("word-open-sans-extrabold-italic", "wordmark", text="XÂY DỰNG SỐ 2026",
           font="open-sans-extrabold-italic", colours=("#BF360C",),
           other_text="KIẾN TRÚC SỐ 2026", tagline="CHUYỂN ĐỔI SỐ XÂY DỰNG"),
    Design("seal-microaneurysms", "photo_seal", photo="microaneurysms.png", text="CĐS 2026",
           colours=("#1565C0", "#FFFFFF"), other_icon="chessboard_RGB.png"),
    Design("grad-kubuntu", "gradient", icon="kubuntu", colours=("#0079C1", "#00BFA5"),
           last_icon="lubuntu", other_icon="reactos"),
    Design("lock-pfsense", "lockup", icon="pfsense", text="KIỂM TOÁN SỐ 2026",
           font="open-sans-italic", colours=("#EF6C00", "#1B1B1B"),
           other_icon="espressif", other_text="THANH TRA SỐ 2026"),
]
# The twenty-third designs were looked at once (the twenty-third round) and are retired like
# the twenty-second.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-fourth design of each kind, added on 07/12/2026 before any measurement: sealed, as the
# twenty-third were — icons, font faces (Open Sans Light, Open Sans Bold) and seal photograph
# (scikit-image's grey chessboard, before only the picture of another seal) not used by any
# design's kit before.
SEALED_DESIGNS = [
    Design("multi-wikidata", "multi_colour", icon="wikidata", colours=("#990000", "#339966"),
           last_icon="umami", other_icon="onlyoffice"),
    Design("mono-opensourceinitiative", "one_colour", icon="opensourceinitiative",
           colours=("#3DA639",), last_icon="linuxfoundation", other_icon="misskey"),
    Design("line-key", "thin_line", icon="key", colours=("#263238",),
           last_icon="map", other_icon="wallet2"),
    Design("word-open-sans-light", "wordmark", text="QUỐC PHÒNG SỐ 2026",
           font="open-sans-light", colours=("#1B5E20",),
           other_text="CÔNG AN SỐ 2026", tagline="CHUYỂN ĐỔI SỐ QUỐC PHÒNG"),
    Design("seal-chessboard", "photo_seal", photo="chessboard_GRAY.png", text="CĐS 2026",
           colours=("#6A1B9A", "#FFFFFF"), other_icon="motorcycle_left.png"),
    Design("grad-plausibleanalytics", "gradient", icon="plausibleanalytics",
           colours=("#5850EC", "#F472B6"), last_icon="nginx", other_icon="wireguard"),
    Design("lock-behance", "lockup", icon="behance", text="BẦU CỬ SỐ 2026",
           font="open-sans-bold", colours=("#1769FF", "#1B1B1B"),
           other_icon="openvpn", other_text="HỘI NGHỊ SỐ 2026"),
]
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-fifth design of each kind, added on 07/12/2026 before any measurement: sealed, as the
# twenty-fourth were — icons, font faces (DejaVu Sans ExtraLight, Open Sans Condensed Light
# Italic) not used by any design's kit before. Every photograph scikit-image ships is in some
# seal by now: this seal holds the motorcycle's left view (before only a banner photo and other
# seals' picture), the other half of the stereo pair whose right view an earlier seal holds.
SEALED_DESIGNS = [
    Design("multi-mariadb", "multi_colour", icon="mariadb", colours=("#003545", "#C0765A"),
           last_icon="elasticsearch", other_icon="rabbitmq"),
    Design("mono-sqlite", "one_colour", icon="sqlite", colours=("#003B57",),
           last_icon="apachekafka", other_icon="bun"),
    Design("line-signpost", "thin_line", icon="signpost-2", colours=("#37474F",),
           last_icon="postcard", other_icon="suitcase"),
    Design("word-dejavu-extralight", "wordmark", text="ĐIỆN LỰC SỐ 2026",
           font="dejavu-sans-extralight", colours=("#0D47A1",),
           other_text="CẢNG BIỂN SỐ 2026", tagline="CHUYỂN ĐỔI SỐ NGÀNH ĐIỆN"),
    Design("seal-motorcycle-left", "photo_seal", photo="motorcycle_left.png", text="CĐS 2026",
           colours=("#00695C", "#FFFFFF"), other_icon="camera.png"),
    Design("grad-redis", "gradient", icon="redis", colours=("#DC382D", "#FFB300"),
           last_icon="vite", other_icon="webpack"),
    Design("lock-astro", "lockup", icon="astro", text="HÀNG HẢI SỐ 2026",
           font="open-sans-cond-light-italic", colours=("#FF5D01", "#1B1B1B"),
           other_icon="jekyll", other_text="PHÁP LUẬT SỐ 2026"),
]
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-sixth design of each kind, added on 07/12/2026 before any measurement: sealed, as the
# twenty-fifth were. Every DejaVu, Liberation and Open Sans face is in some kit by now: the
# wordmark, the lockup and the seal's band are set in Lato (fonts-lato), a family no kit had
# used. Every photograph scikit-image ships is in some seal too: this seal holds the coins again
# (a retired seal's picture), in another crop, with a Lato band and other colours.
SEALED_DESIGNS = [
    Design("multi-odoo", "multi_colour", icon="odoo", colours=("#714B67", "#017E84"),
           last_icon="typo3", other_icon="seafile"),
    Design("mono-haskell", "one_colour", icon="haskell", colours=("#5D4F85",),
           last_icon="erlang", other_icon="clojure"),
    Design("line-feather", "thin_line", icon="feather", colours=("#4E342E",),
           last_icon="flower2", other_icon="hammer"),
    Design("word-lato-semibold-italic", "wordmark", text="LÂM NGHIỆP SỐ 2026",
           font="lato-semibold-italic", colours=("#1B5E20",),
           other_text="KHÍ TƯỢNG SỐ 2026", tagline="CHUYỂN ĐỔI SỐ NGÀNH LÂM NGHIỆP"),
    Design("seal-coins-lato", "photo_seal", photo="coins.png", text="CĐS 2026",
           font="lato-black", colours=("#6A1B9A", "#FFFFFF"), other_icon="gravel.png"),
    Design("grad-dart", "gradient", icon="dart", colours=("#0175C2", "#13B9FD"),
           last_icon="flutter", other_icon="go"),
    Design("lock-hugo", "lockup", icon="hugo", text="THỐNG KÊ SỐ 2026",
           font="lato-heavy", colours=("#FF4088", "#212121"),
           other_icon="gatsby", other_text="BIÊN PHÒNG SỐ 2026"),
]
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-seventh design of each kind, added on 07/12/2026 before any measurement: sealed, as
# the twenty-sixth were — icons and Lato faces (Light, Medium, Bold Italic) not used by any
# design's kit before. This seal holds the cat again — the picture of the held-out seal, tuned
# on since (the same band text too) —, in another crop, with a Lato band and other colours: the
# sealed design closest to tuning material so far, and said so.
SEALED_DESIGNS = [
    Design("multi-eslint", "multi_colour", icon="eslint", colours=("#4B32C3", "#F7B93E"),
           last_icon="prettier", other_icon="babel"),
    Design("mono-ruby", "one_colour", icon="ruby", colours=("#CC342D",),
           last_icon="perl", other_icon="lua"),
    Design("line-tools", "thin_line", icon="tools", colours=("#263238",),
           last_icon="bucket", other_icon="backpack2"),
    Design("word-lato-light", "wordmark", text="THỦY LỢI SỐ 2026", font="lato-light",
           colours=("#01579B",), other_text="ĐÊ ĐIỀU SỐ 2026",
           tagline="CHUYỂN ĐỔI SỐ NGÀNH THỦY LỢI"),
    Design("seal-chelsea-lato", "photo_seal", photo="chelsea.png", text="CĐS 2026",
           font="lato-medium", colours=("#BF360C", "#FFFFFF"), other_icon="moon.png"),
    Design("grad-mercurial", "gradient", icon="mercurial", colours=("#2E7D32", "#C0CA33"),
           last_icon="git", other_icon="subversion"),
    Design("lock-elixir", "lockup", icon="elixir", text="DÂN TỘC SỐ 2026",
           font="lato-bold-italic", colours=("#4B275F", "#1B1B1B"),
           other_icon="meteor", other_text="TÔN GIÁO SỐ 2026"),
]
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-eighth design of each kind, added on 07/12/2026 before any measurement: sealed, as
# the twenty-seventh were — icons and Lato faces (Regular, Semibold, Black Italic) not used by
# any design's kit before. This seal holds the coffee cup again — the picture of the fresh
# seal, measured each round and never tuned on —, in another crop, with a Lato band and other
# colours.
SEALED_DESIGNS = [
    Design("multi-julia", "multi_colour", icon="julia", colours=("#9558B2", "#389826"),
           last_icon="nim", other_icon="crystal"),
    Design("mono-r", "one_colour", icon="r", colours=("#276DC3",),
           last_icon="octave", other_icon="zig"),
    Design("line-gift", "thin_line", icon="gift", colours=("#AD1457",),
           last_icon="box2", other_icon="balloon"),
    Design("word-lato-regular", "wordmark", text="KHOA HỌC SỐ 2026", font="lato-regular",
           colours=("#4A148C",), other_text="CÔNG NGHỆ SỐ 2026",
           tagline="CHUYỂN ĐỔI SỐ NGÀNH KHOA HỌC"),
    Design("seal-coffee-lato", "photo_seal", photo="coffee.png", text="CĐS 2026",
           font="lato-semibold", colours=("#00695C", "#FFFFFF"),
           other_icon="hubble_deep_field.jpg"),
    Design("grad-ionic", "gradient", icon="ionic", colours=("#3880FF", "#00BFA5"),
           last_icon="capacitor", other_icon="sass"),
    Design("lock-fastapi", "lockup", icon="fastapi", text="KHUYẾN NÔNG SỐ 2026",
           font="lato-black-italic", colours=("#009688", "#1B1B1B"),
           other_icon="flask", other_text="NÔNG THÔN SỐ 2026"),
]
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A twenty-ninth design of each kind, added on 07/12/2026 before any measurement: sealed, as
# the twenty-eighth were — icons and Lato faces (Italic, Medium Italic, Bold) not used by any
# design's kit before. This seal holds the rocket again — the picture of the unseen seal,
# measured each round and never tuned on —, in another crop, with a Lato band and other colours.
SEALED_DESIGNS = [
    Design("multi-solid", "multi_colour", icon="solid", colours=("#2C4F7C", "#76B3E1"),
           last_icon="qwik", other_icon="remix"),
    Design("mono-laravel", "one_colour", icon="laravel", colours=("#FF2D20",),
           last_icon="symfony", other_icon="django"),
    Design("line-easel2", "thin_line", icon="easel2", colours=("#37474F",),
           last_icon="journal-bookmark", other_icon="flower3"),
    Design("word-lato-italic", "wordmark", text="CHĂN NUÔI SỐ 2026", font="lato-italic",
           colours=("#3E2723",), other_text="TRỒNG TRỌT SỐ 2026",
           tagline="CHUYỂN ĐỔI SỐ NGÀNH CHĂN NUÔI"),
    Design("seal-rocket-lato", "photo_seal", photo="rocket.jpg", text="CĐS 2026",
           font="lato-medium-italic", colours=("#283593", "#FFFFFF"), other_icon="horse.png"),
    Design("grad-spring", "gradient", icon="spring", colours=("#6DB33F", "#FFD600"),
           last_icon="quarkus", other_icon="pelican"),
    Design("lock-jquery", "lockup", icon="jquery", text="HÀNG KHÔNG SỐ 2026",
           font="lato-bold", colours=("#0769AD", "#1B1B1B"),
           other_icon="backbonedotjs", other_text="ĐƯỜNG SẮT SỐ 2026"),
]
# The twenty-ninth designs were looked at once (the twenty-ninth round) and are retired like
# the twenty-eighth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A thirtieth design of each kind, added on 07/12/2026 before any measurement: sealed, as the
# twenty-ninth were — icons and Lato faces (Light Italic, Thin, Heavy Italic) not used by any
# design's kit before. This seal holds the moon again (a retired seal's picture), in another
# crop, with a Lato band and other colours.
SEALED_DESIGNS = [
    Design("multi-babylon", "multi_colour", icon="babylondotjs", colours=("#BB464B", "#E0684B"),
           last_icon="threedotjs", other_icon="kdenlive"),
    Design("mono-ocaml", "one_colour", icon="ocaml", colours=("#EC6813",),
           last_icon="fsharp", other_icon="rollupdotjs"),
    Design("line-cloud-rain", "thin_line", icon="cloud-rain", colours=("#01579B",),
           last_icon="cloud-snow", other_icon="thermometer"),
    Design("word-lato-light-italic", "wordmark", text="ĐỊA CHẤT SỐ 2026",
           font="lato-light-italic", colours=("#1A237E",), other_text="KHOÁNG SẢN SỐ 2026",
           tagline="CHUYỂN ĐỔI SỐ NGÀNH ĐỊA CHẤT"),
    Design("seal-moon-lato", "photo_seal", photo="moon.png", text="CĐS 2026",
           font="lato-thin", colours=("#004D40", "#FFFFFF"), other_icon="cell.png"),
    Design("grad-preact", "gradient", icon="preact", colours=("#673AB8", "#00B8D4"),
           last_icon="sphinx", other_icon="esbuild"),
    Design("lock-strapi", "lockup", icon="strapi", text="THI HÀNH ÁN SỐ 2026",
           font="lato-heavy-italic", colours=("#4945FF", "#1B1B1B"),
           other_icon="contentful", other_text="TƯ PHÁP SỐ 2026"),
]
# The thirtieth designs were looked at once (the thirtieth round) and are retired like the
# twenty-ninth.
RETIRED_DESIGNS = RETIRED_DESIGNS + SEALED_DESIGNS
# A thirty-first design of each kind, added on 08/12/2026 before any measurement: sealed, as the
# thirtieth were. Its icons are new to the kits; its wordmark and lockup are set in Roboto
# (fonts-roboto-unhinted), a family no kit had used, and the seal's band in Lato Hairline. This
# seal holds the Hubble deep field again (a retired seal's picture), in another crop, with
# another face and colours.
SEALED_DESIGNS = [
    Design("multi-graphql", "multi_colour", icon="graphql", colours=("#E10098", "#1A1A2E"),
           last_icon="apollographql", other_icon="neo4j"),
    Design("mono-prisma", "one_colour", icon="prisma", colours=("#2D3748",),
           last_icon="jest", other_icon="cypress"),
    Design("line-brush", "thin_line", icon="brush", colours=("#4E342E",),
           last_icon="pencil", other_icon="rulers"),
    Design("word-roboto-condensed-bold", "wordmark", text="ĐƯỜNG THỦY SỐ 2026",
           font="roboto-condensed-bold", colours=("#006064",), other_text="THIÊN VĂN SỐ 2026"),
    Design("seal-hubble-lato", "photo_seal", photo="hubble_deep_field.jpg", text="CĐS 2026",
           font="lato-hairline", colours=("#0D47A1", "#FFFFFF"), other_icon="retina.jpg"),
    Design("grad-helm", "gradient", icon="helm", colours=("#0F1689", "#00B8D4"),
           last_icon="puppet", other_icon="postcss"),
    Design("lock-nestjs", "lockup", icon="nestjs", text="ĐĂNG KIỂM SỐ 2026",
           font="roboto-medium", colours=("#E0234E", "#1B1B1B"),
           other_icon="fastify", other_text="GIAO THÔNG SỐ 2026"),
]
DESIGNS = (DESIGNS + FRESH_DESIGNS + PLAIN_DESIGNS + UNSEEN_DESIGNS + RETIRED_DESIGNS
           + SEALED_DESIGNS)
if len({d.name for d in DESIGNS}) != len(DESIGNS):  # a name picks one design (design_by_name)
    raise ValueError("two corpus designs have one name")
FRESH = [d.name for d in FRESH_DESIGNS]
UNSEEN = [d.name for d in UNSEEN_DESIGNS]
RETIRED = [d.name for d in RETIRED_DESIGNS]
SEALED = [d.name for d in SEALED_DESIGNS]
NEVER_TUNED = FRESH + UNSEEN + RETIRED + SEALED  # (measured, never tuned on)


# -- artwork --------------------------------------------------------------------------------
@functools.cache
def _simple_icon_path(slug: str) -> str:
    markup = (NODE / "simple-icons" / "icons" / f"{slug}.svg").read_text()
    return re.search(r'<path d="([^"]+)"', markup).group(1)


@functools.cache
def _bootstrap_icon_paths(name: str) -> tuple[str, ...]:
    markup = (NODE / "bootstrap-icons" / "icons" / f"{name}.svg").read_text()
    return tuple(re.findall(r'<path[^>]* d="([^"]+)"', markup))


def _svg(body: str, box: int, *, defs: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{box * 20}" height="{box * 20}" '
            f'viewBox="0 0 {box} {box}">{defs}{body}</svg>')


def icon_svg(design: Design, icon: str) -> str:
    """The SVG of an icon-based design, drawn with ``icon`` (this year's or another)."""
    colours = design.colours
    if design.kind == "thin_line":
        paths = "".join(f'<path d="{d}"/>' for d in _bootstrap_icon_paths(icon))
        return _svg(f'<g fill="{colours[0]}">{paths}</g>', 16)
    path = _simple_icon_path(icon)
    if design.kind == "one_colour":
        return _svg(f'<path fill="{colours[0]}" d="{path}"/>', 24)
    if design.kind == "gradient":
        defs = (f'<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
                f'<stop offset="0" stop-color="{colours[0]}"/>'
                f'<stop offset="1" stop-color="{colours[1]}"/></linearGradient></defs>')
        return _svg(f'<path fill="url(#g)" d="{path}"/>', 24, defs=defs)
    # multi-colour badge: a ring of the second colour, a disc of the first, the icon in white
    return _svg(f'<circle cx="16" cy="16" r="15" fill="none" stroke="{colours[1]}" '
                f'stroke-width="2"/><circle cx="16" cy="16" r="12" fill="{colours[0]}"/>'
                f'<g transform="translate(9.5 9.5) scale(0.54)"><path fill="#ffffff" '
                f'd="{path}"/></g>', 32)


def _image(markup: str, width: int = 512) -> Image.Image:
    return Image.fromarray(rasterise_svg(markup, width=width))


def _trim(image: Image.Image) -> Image.Image:
    box = image.getchannel("A").getbbox()
    return image.crop(box) if box else image


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS[name], size)


def _text(text: str, font: str, colour, size: int = 200) -> Image.Image:
    face = _font(font, size)
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("RGBA", (right - left + 8, bottom - top + 8), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((4 - left, 4 - top), text, font=face, fill=colour)
    return _trim(image)


@functools.cache
def photo(name: str) -> Image.Image:
    """A photograph shipped inside scikit-image's wheel (skimage/data/), as RGB."""
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scikit-image is not installed: make setup installs it")
    folder = Path(spec.submodule_search_locations[0]) / "data"
    with Image.open(folder / name) as image:
        return image.convert("RGB")


def photo_crop(name: str, size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A ``size`` crop of a photograph (scaled up first where it is too small)."""
    image = photo(name)
    w, h = size
    scale = max(w / image.width, h / image.height) * rng.uniform(1.0, 1.3)
    image = image.resize((max(w, round(image.width * scale)), max(h, round(image.height * scale))),
                         Image.LANCZOS)
    x, y = rng.randint(0, image.width - w), rng.randint(0, image.height - h)
    return image.crop((x, y, x + w, y + h))


def _seal(design: Design, year: str, picture: str) -> Image.Image:
    """A round seal: a ring, a photograph in the middle, a band with the text and year."""
    ring, band_text = design.colours
    size = 512
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    # A seal whose band is set in its own face takes its own crop of the photograph too.
    disc = photo_crop(picture, (400, 400),
                      random.Random(zlib.crc32((picture + design.font).encode())))
    mask = Image.new("L", (400, 400), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, 399, 399), fill=255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=ring)
    image.paste(disc, (56, 56), mask)
    draw.rectangle((40, 330, size - 40, 430), fill=ring)
    face = _font(design.font or "dejavu-sans-bold", 74)
    label = design.text.replace("2026", year)
    width = face.getlength(label)
    draw.text(((size - width) / 2, 338), label, font=face, fill=band_text)
    return image


def _lockup(design: Design, icon: str, text: str) -> Image.Image:
    mark = _trim(_image(_svg(f'<path fill="{design.colours[0]}" d="{_simple_icon_path(icon)}"/>',
                             24), 300))
    words = _text(text, design.font, design.colours[1], size=150)
    height = mark.height
    words = words.resize((round(words.width * height * 0.6 / words.height), round(height * 0.6)),
                         Image.LANCZOS)
    image = Image.new("RGBA", (mark.width + 40 + words.width, height), (0, 0, 0, 0))
    image.paste(mark, (0, 0), mark)
    image.paste(words, (mark.width + 40, (height - words.height) // 2), words)
    return image


def artwork(design: Design, *, year: str = "2026", icon: str | None = None,
            text: str | None = None) -> tuple[Image.Image, str]:
    """The design's logo (RGBA, trimmed) and its SVG markup, this year's by default."""
    kind = design.kind
    if kind in ("multi_colour", "one_colour", "thin_line", "gradient"):
        markup = icon_svg(design, icon or design.icon)
        return _trim(_image(markup)), markup
    if kind == "wordmark":
        words = (text or design.text).replace("2026", year)
        image = _text(words, design.font, design.colours[0])
        if design.tagline:
            line = _text(design.tagline, design.font, design.colours[0], size=48)
            line = line.resize((image.width, round(line.height * image.width / line.width)),
                               Image.LANCZOS)
            both = Image.new("RGBA", (image.width, image.height + 14 + line.height))
            both.paste(image, (0, 0), image)
            both.paste(line, (0, image.height + 14), line)
            image = both
    elif kind == "photo_seal":
        image = _seal(design, year, icon or design.photo)
    else:
        words = (text or design.text).replace("2026", year)
        image = _lockup(design, icon or design.icon, words)
    image = _trim(image)
    # SVG form: the artwork embedded as a picture (what a designer's export often is).
    data = base64.b64encode(png(image)).decode()
    markup = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{image.width}" '
              f'height="{image.height}" viewBox="0 0 {image.width} {image.height}">'
              f'<image width="{image.width}" height="{image.height}" '
              f'href="data:image/png;base64,{data}"/></svg>')
    return image, markup


def white(image: Image.Image, *, knock_out: bool = False) -> Image.Image:
    """The white variant: every visible pixel white, the same shape. ``knock_out``: light parts
    become see-through (a badge's white icon, a seal's photograph printed in one colour)."""
    alpha = np.asarray(image.getchannel("A"), np.float32)
    if knock_out:
        tone = np.asarray(image.convert("L"), np.float32) / 255.0
        alpha = alpha * (0.15 + 0.85 * (1.0 - tone))
    alpha_image = Image.fromarray(np.clip(alpha, 0, 255).astype(np.uint8))
    return Image.merge("RGBA", (*Image.new("RGB", image.size, "white").split(), alpha_image))


# -- image helpers --------------------------------------------------------------------------
def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def encode(image: Image.Image, fmt: str, **kw) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image = flatten(image, (255, 255, 255))
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


def flatten(image: Image.Image, colour) -> Image.Image:
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, colour)
    background.paste(image, mask=image.getchannel("A"))
    return background


def sized(image: Image.Image, side: float) -> Image.Image:
    """``image`` scaled so that its area is ``side``²."""
    scale = side / math.sqrt(image.width * image.height)
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                        Image.LANCZOS)


def short_side(image: Image.Image, side: int) -> Image.Image:
    scale = side / min(image.width, image.height)
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                        Image.LANCZOS)


def fit(image: Image.Image, max_w: int, max_h: int) -> Image.Image:
    scale = min(1.0, max_w / image.width, max_h / image.height)
    if scale >= 1:
        return image
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                        Image.LANCZOS)


def paste(canvas: Image.Image, logo: Image.Image, xy) -> Image.Image:
    canvas = canvas.convert("RGBA")
    canvas.paste(logo, (int(xy[0]), int(xy[1])), logo)
    return canvas


def cut_at_the_right(logo: Image.Image, share: float) -> bytes:
    """``logo`` at the corpus's size (an area of 170²) at the right edge of a plain banner
    (900 × 300), ``share`` of its width cut off, as a JPEG (quality 85)."""
    small = sized(logo, 170)
    canvas = Image.new("RGBA", (900, 300), (236, 240, 244, 255))
    x = canvas.width - small.width + round(small.width * share)
    return encode(paste(canvas, small, (x, 100)), "JPEG", quality=85)


def in_a_photograph(logo: Image.Image, picture: str, *, long_side: int, off: int) -> bytes:
    """``logo`` scaled to ``long_side`` pixels, pasted into a photograph 120 px wider and 220 px
    taller at (``off``, 100 + ``off`` / 3), as a JPEG (quality 85)."""
    logo = logo.resize((long_side, round(logo.height * long_side / logo.width)))
    photo = banner(picture, (long_side + 120, logo.height + 220), random.Random(off))
    return encode(paste(photo, logo, (off, 100 + off // 3)), "JPEG", quality=85)


def flag(height: int) -> Image.Image:
    """The national flag: a red field with a yellow five-pointed star."""
    width = height * 3 // 2
    image = Image.new("RGBA", (width, height), FLAG_RED + (255,))
    cx, cy, outer = width / 2, height / 2, height * 0.3
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    ImageDraw.Draw(image).polygon(points, fill=FLAG_YELLOW)
    return image


def header_image(logo: Image.Image | None, rng: random.Random, *,
                 boxes: list[tuple[int, int, int, int]] | None = None) -> Image.Image:
    """A portal's header: light background, the flag, the unit's name, the logo to the right
    (its box appended to ``boxes``)."""
    canvas = Image.new("RGBA", (1200, 130), (248, 246, 240, 255))
    canvas.paste(flag(84), (24, 23))
    draw = ImageDraw.Draw(canvas)
    draw.text((170, 30), "ỦY BAN NHÂN DÂN TỈNH", font=_font("liberation-sans-bold", 26),
              fill=(160, 20, 20))
    draw.text((170, 68), "Cổng thông tin điện tử", font=_font("liberation-serif-bold", 30),
              fill=(30, 30, 30))
    if logo is not None:
        logo = fit(sized(logo, 95), 380, 100)
        xy = (rng.randint(640, 1180 - logo.width), (130 - logo.height) // 2)
        canvas = paste(canvas, logo, xy)
        if boxes is not None:
            boxes.append((*xy, logo.width, logo.height))
    return canvas


def banner(picture: str, size, rng: random.Random) -> Image.Image:
    return photo_crop(picture, size, rng).convert("RGBA")


def somewhere(canvas: Image.Image, logo: Image.Image, rng: random.Random, margin: int = 10):
    """A place for ``logo`` where it stands out from the picture, as a designer would put it:
    of a dozen random places, the one where the logo's tone differs most from what is under it.
    """
    alpha = np.asarray(logo.getchannel("A"), np.float32) / 255.0
    tone = np.asarray(logo.convert("L"), np.float32)
    under_tone = np.asarray(canvas.convert("L"), np.float32)
    best, best_xy = -1.0, (margin, margin)
    for _ in range(12):
        xy = (rng.randint(margin, max(margin, canvas.width - logo.width - margin)),
              rng.randint(margin, max(margin, canvas.height - logo.height - margin)))
        under = under_tone[xy[1]:xy[1] + logo.height, xy[0]:xy[0] + logo.width]
        if under.shape != tone.shape:
            continue
        contrast = float((np.abs(tone - under) * alpha).sum() / max(1.0, alpha.sum()))
        if contrast > best:
            best, best_xy = contrast, xy
    return best_xy


def darken(image: Image.Image, share: float) -> Image.Image:
    overlay = Image.new("RGBA", image.size, (0, 0, 0, round(255 * share)))
    return Image.alpha_composite(image.convert("RGBA"), overlay)


def rotated(logo: Image.Image, degrees: float) -> Image.Image:
    return logo.rotate(degrees, resample=Image.BICUBIC, expand=True)


def page(body: str, *, title: str = "Cổng thông tin điện tử", head: str = "",
         news: tuple[str, ...] = ()) -> str:
    items = "".join(f'<article class="tin"><img src="{src}" alt="Ảnh tin {i}" width="320">'
                    f'<h3>Hoạt động chuyển đổi số số {i}</h3></article>'
                    for i, src in enumerate(news))
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            f'<title>{title}</title>{head}</head><body><header class="site-header">'
            f'<h1>{title}</h1><nav><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a> '
            f'<a href="/van-ban">Văn bản</a></nav></header><main>{body}'
            f'<section class="tin-tuc">{items}</section>'
            '<p>Thực hiện Chương trình Chuyển đổi số quốc gia, đơn vị triển khai các hoạt động '
            'hưởng ứng Ngày Chuyển đổi số quốc gia 10/10.</p></main>'
            '<footer style="background:#1d2433;color:#fff">© Cơ quan nhà nước</footer>'
            '</body></html>')


# -- the corpus -----------------------------------------------------------------------------
@dataclasses.dataclass
class DesignSites:
    design: Design
    kit: dict[str, bytes]
    sites: list[Site]


def design_by_name(name: str) -> Design:
    return next(d for d in DESIGNS if d.name == name)


def last_year(design: Design) -> Image.Image:
    """Last year's version of the design's logo (the kit's hard negative): the same artwork
    with 2025 for the kinds that carry the year, another icon of the same set for the others."""
    if design.kind in ("wordmark", "photo_seal", "lockup"):
        return artwork(design, year="2025")[0]
    return artwork(design, icon=design.last_icon)[0]


def build_design(design: Design, cases: tuple[str, ...] | None = None, *,
                 variant: int = 0) -> DesignSites:
    """The kit and the sites of one design (``cases``: a subset, for quick tests).

    ``variant`` > 0 draws other sites of the same cases (other photographs, places, angles,
    cuts and covers): more examples of the tuning designs to tune on. The kit is the same."""
    rng = random.Random(zlib.crc32(design.name.encode()))
    logo, markup = artwork(design)
    last = last_year(design)
    if design.kind == "photo_seal":
        other = _seal(dataclasses.replace(design, text="SỐ 2026",
                                          colours=design.colours[::-1]), "2026",
                      design.other_icon)
    elif design.kind in ("wordmark", "lockup"):
        other, _ = artwork(design, text=design.other_text,
                           icon=design.other_icon or None)
    else:
        other, _ = artwork(design, icon=design.other_icon)
    logo_white = white(logo, knock_out=design.kind in ("multi_colour", "photo_seal"))
    kit = {"logo.png": png(sized(logo, 400)), "logo-trang.png": png(sized(logo_white, 400)),
           "logo.svg": markup.encode(), "negatives/nam-truoc.png": png(sized(last, 400))}
    pictures = list(PHOTOS)
    rng.shuffle(pictures)
    news_pictures = pictures[:2]
    wanted = cases or PRESENT + ABSENT + ERRORS
    sites: list[Site] = []
    prefix = design.name if not variant else f"{design.name}~{variant}"

    def pick_picture() -> str:
        return rng.choice(pictures[2:])

    def add(case: str, label: str, body: str, files: dict | None = None, head: str = "",
            where: tuple | None = None):
        files = dict(files or {})
        news = []
        for i, name in enumerate(news_pictures):
            path = f"/uploads/tin-{i}.jpg"
            files[path] = encode(photo_crop(name, (480, 320), rng), "JPEG", quality=80)
            news.append(path)
        files.setdefault("/", page(body, head=head, news=tuple(news)))
        if where is None and label == "present":  # the file is the logo
            where = (next(p for p in files if p != "/" and "/tin-" not in p)
                     if case != "inline_svg" else "inline-svg", None)
        sites.append(Site(name=f"{prefix}/{case}", label=label, files=files, where=where))

    boxes: list[tuple[int, int, int, int]] = []  # where the last logo was put

    def put(canvas: Image.Image, logo_image: Image.Image, xy) -> Image.Image:
        x, y = int(xy[0]), int(xy[1])
        x0, y0 = max(0, x), max(0, y)  # (the part inside the picture)
        x1 = min(canvas.width, x + logo_image.width)
        y1 = min(canvas.height, y + logo_image.height)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
        return paste(canvas, logo_image, (x, y))

    def on_photo(logo_image: Image.Image, size=(1200, 450), side=170) -> Image.Image:
        canvas = banner(pick_picture(), size, rng)
        small = fit(sized(logo_image, side), size[0] - 20, size[1] - 20)
        return put(canvas, small, somewhere(canvas, small, rng))

    for case in wanted:
        # each case draws from its own generator: a subset builds the same images
        rng.seed(zlib.crc32(f"{design.name}/{case}".encode()) if not variant else
                 zlib.crc32(f"{design.name}/{case}/{variant}".encode()))
        if case == "header":
            add(case, "present", '<img class="banner" src="/images/header.png" alt="Tiêu đề">',
                {"/images/header.png": png(header_image(logo, rng, boxes=boxes))},
                where=("/images/header.png", boxes[-1]))
        elif case == "hero":
            add(case, "present", '<img src="/images/hero.jpg" alt="">',
                {"/images/hero.jpg": encode(on_photo(logo), "JPEG", quality=80)},
                where=("/images/hero.jpg", boxes[-1]))
        elif case == "carousel":
            slides = [banner(pick_picture(), (900, 340), rng) for _ in range(3)]
            small = sized(logo, 150)
            slides[1] = put(slides[1], small, somewhere(slides[1], small, rng))
            files = {f"/slides/{i}.jpg": encode(s, "JPEG", quality=82)
                     for i, s in enumerate(slides)}
            body = ('<div id="carousel" class="carousel slide"><div class="carousel-inner">'
                    + "".join(f'<div class="carousel-item{" active" if i == 0 else ""}">'
                              f'<img src="/slides/{i}.jpg" class="d-block w-100" alt=""></div>'
                              for i in range(3)) + "</div></div>")
            add(case, "present", body, files, where=("/slides/1.jpg", boxes[-1]))
        elif case == "cut":
            canvas = banner(pick_picture(), (1000, 360), rng)
            small = sized(logo, 170)
            cut = round(small.width * 0.15)
            x = canvas.width - small.width + cut if rng.random() < 0.5 else -cut
            y = rng.randint(10, canvas.height - small.height - 10)
            add(case, "present", '<img src="/images/cut.jpg" alt="">',
                {"/images/cut.jpg": encode(put(canvas, small, (x, y)), "JPEG", quality=82)},
                where=("/images/cut.jpg", boxes[-1]))
        elif case == "rotated":
            angle = rng.choice((-1, 1)) * rng.uniform(3, 10)
            canvas = banner(pick_picture(), (1000, 420), rng)
            small = rotated(sized(logo, 180), angle)
            add(case, "present", '<img src="/images/rot.jpg" alt="">',
                {"/images/rot.jpg": encode(put(canvas, small, somewhere(canvas, small, rng)),
                                           "JPEG", quality=82)},
                where=("/images/rot.jpg", boxes[-1]))
        elif case == "overlay":
            image = darken(on_photo(logo, (1000, 400), 170), 0.25)
            add(case, "present", '<img src="/images/dark.jpg" alt="">',
                {"/images/dark.jpg": encode(image, "JPEG", quality=82)},
                where=("/images/dark.jpg", boxes[-1]))
        elif case == "squashed":
            small = sized(logo, 175)
            small = small.resize((small.width, round(small.height * 0.9)), Image.LANCZOS)
            canvas = banner(pick_picture(), (1000, 400), rng)
            add(case, "present", '<img src="/images/squash.jpg" alt="">',
                {"/images/squash.jpg": encode(put(canvas, small,
                                                  somewhere(canvas, small, rng)),
                                              "JPEG", quality=82)},
                where=("/images/squash.jpg", boxes[-1]))
        elif case == "covered":
            canvas = banner(pick_picture(), (1000, 420), rng)
            small = sized(logo, 180)
            x, y = somewhere(canvas, small, rng)
            canvas = put(canvas, small, (x, y))
            cw, ch = round(small.width * 0.45), round(small.height * 0.45)  # 20 % of the box
            top = rng.random() < 0.5
            box = photo_crop(pick_picture(), (cw, ch), rng)
            canvas.paste(box, (x, y if top else y + small.height - ch))
            add(case, "present", '<img src="/images/covered.jpg" alt="">',
                {"/images/covered.jpg": encode(canvas, "JPEG", quality=82)},
                where=("/images/covered.jpg", boxes[-1]))
        elif case == "px48":
            add(case, "present", '<a href="/"><img src="/images/logo-48.png" alt=""></a>',
                {"/images/logo-48.png": png(short_side(logo, 48))})
        elif case == "jpeg_q50":
            add(case, "present", '<img src="/images/logo.jpg" alt="">',
                {"/images/logo.jpg": encode(sized(logo, 200), "JPEG", quality=50)})
        elif case == "webp":
            add(case, "present", '<img src="/images/logo.webp" alt="">',
                {"/images/logo.webp": encode(sized(logo, 180), "WEBP", quality=80)})
        elif case == "white_footer":
            body = ('<div class="footer-brand" style="background:#10233f;padding:16px">'
                    '<img src="/images/logo-trang.png" alt=""></div>')
            add(case, "present", body,
                {"/images/logo-trang.png": png(sized(logo_white, 130))})
        elif case == "inline_svg":
            inline = re.sub(r'width="[^"]+" height="[^"]+"', 'width="160" height="160"',
                            markup, count=1) if design.kind in (
                "multi_colour", "one_colour", "thin_line", "gradient") else markup
            add(case, "present", f'<div class="brand">{inline}</div>')
        elif case == "css_background":
            small = sized(logo, 160)
            head = (f'<style>.dx-brand{{display:block;width:{small.width}px;'
                    f'height:{small.height}px;background:url(/assets/brand.png) '
                    'no-repeat}</style>')
            add(case, "present", '<a class="dx-brand" href="/ngay-cds"></a>',
                {"/assets/brand.png": png(small)}, head=head)
        elif case == "last_year":
            add(case, "absent", '<img src="/images/logo-cds.png" alt="Logo Ngày CĐS">',
                {"/images/logo-cds.png": png(sized(last, 200))})
        elif case == "last_year_banner":
            add(case, "absent", '<img src="/images/hero.jpg" alt="">',
                {"/images/hero.jpg": encode(on_photo(last), "JPEG", quality=80)})
        elif case == "same_style":
            add(case, "absent", '<img src="/images/logo-khac.png" alt="Logo">',
                {"/images/logo-khac.png": png(sized(other, 200))})
        elif case == "flag_only":
            add(case, "absent", '<img src="/images/header.png" alt="Tiêu đề">',
                {"/images/header.png": png(header_image(None, rng))})
        elif case == "photo_banner":
            image = banner(pick_picture(), (1200, rng.choice((300, 400))), rng)
            add(case, "absent", '<img src="/images/banner.jpg" alt="">',
                {"/images/banner.jpg": encode(image, "JPEG", quality=82)})
        elif case == "text_only":
            add(case, "absent", "<p class='lead'>Hưởng ứng Ngày Chuyển đổi số quốc gia "
                                "10/10/2026 — Logo Ngày CĐS</p>")
        elif case == "link_to_kit":
            add(case, "absent", '<a href="/kit/logo.png">Tải bộ nhận diện Ngày CĐS</a>',
                {"/kit/logo.png": kit["logo.png"]})
        elif case == "broken_image":
            add(case, "absent", '<img src="/images/logo-ngay-chuyen-doi-so.png" '
                                'alt="Logo Ngày Chuyển đổi số">')
        elif case == "timeout":
            sites.append(Site(f"{prefix}/{case}", "error", {"/": page("")}, delay={"/": 30.0}))
        elif case == "http_500":
            sites.append(Site(f"{prefix}/{case}", "error", {"/": "lỗi"}, statuses={"/": 500}))
        elif case == "refused":
            sites.append(Site(f"{prefix}/{case}", "error", {}, refuse=True))
        else:
            raise ValueError(f"unknown case {case}")
    return DesignSites(design, kit, sites)


def kit_files(design: Design) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """The design's kit as (name, bytes) pairs: its files, and its hard negatives (the files
    of ``negatives/``), as :meth:`Matcher.from_files` takes them."""
    kit = build_design(design, ("header",)).kit
    files = [(path, data) for path, data in kit.items() if "/" not in path]
    negatives = [(path.split("/", 1)[1], data) for path, data in kit.items() if "/" in path]
    return files, negatives


def build(designs: list[str] | None = None,
          cases: tuple[str, ...] | None = None) -> dict[str, DesignSites]:
    """Every design (or the named ones) with its kit and sites."""
    names = designs or [d.name for d in DESIGNS]
    return {name: build_design(design_by_name(name), cases) for name in names}


def corpus_of(built: DesignSites) -> Corpus:
    return Corpus(kit=built.kit, sites=built.sites)
