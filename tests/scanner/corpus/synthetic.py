"""The synthetic corpus: labelled websites whose logos are drawn from one family of shapes.

``build(seed)`` draws a logo design (so the scanner is never tuned to one logo), its kit
(colour, white and banner variants, an SVG, and hard negatives), and one small site per case of
the scanner issue: where the logo is shown (present), where it only seems to be (absent) and
where the site fails (error). Used by tests/scanner and by bench/scanner.py and
bench/kit_quality.py; the real-artwork corpus is :mod:`.artwork`.
"""

from __future__ import annotations

import base64
import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from dxday.scanner.images import rasterise_svg

from .server import Corpus, CorpusServer, Site  # noqa: F401  (CorpusServer: re-exported)

PALETTES = [
    ("#c8102e", "#0b3d91", "#f2a900"),
    ("#0057b8", "#e4002b", "#00a651"),
    ("#6a1b9a", "#00897b", "#ff7043"),
    ("#1565c0", "#fbc02d", "#2e7d32"),
]


# -- drawing ---------------------------------------------------------------------------------
def logo_svg(rng: random.Random, palette, *, text="DX", year="2026", variant=0) -> str:
    """A logo as SVG: a ring, a few bold shapes and lettering, different for every seed."""
    a, b, c = palette
    w, h = 400, 400 if rng.random() < 0.5 else 260
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'viewBox="0 0 {w} {h}">']
    cx, cy, r = h / 2, h / 2, h * 0.42
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r:.0f}" fill="none" stroke="{a}" '
                 f'stroke-width="{h * 0.07:.0f}"/>')
    for i in range(3 + variant):
        angle = rng.uniform(0, 6.28)
        px, py = cx + np.cos(angle) * r * 0.45, cy + np.sin(angle) * r * 0.45
        size = h * rng.uniform(0.12, 0.22)
        colour = (b, c, a)[i % 3]
        kind = rng.choice(["rect", "tri", "dot"])
        if kind == "rect":
            parts.append(f'<rect x="{px - size / 2:.0f}" y="{py - size / 2:.0f}" '
                         f'width="{size:.0f}" height="{size * 0.6:.0f}" fill="{colour}" '
                         f'transform="rotate({rng.randint(0, 90)} {px:.0f} {py:.0f})"/>')
        elif kind == "tri":
            parts.append(f'<polygon points="{px:.0f},{py - size:.0f} {px + size:.0f},'
                         f'{py + size * 0.7:.0f} {px - size:.0f},{py + size * 0.7:.0f}" '
                         f'fill="{colour}"/>')
        else:
            parts.append(f'<circle cx="{px:.0f}" cy="{py:.0f}" r="{size / 2:.0f}" '
                         f'fill="{colour}"/>')
    if w > h:
        parts.append(f'<rect x="{h + 5}" y="{h * 0.2:.0f}" width="{w - h - 15}" '
                     f'height="{h * 0.25:.0f}" fill="{b}"/>')
        parts.append(f'<rect x="{h + 5}" y="{h * 0.55:.0f}" width="{(w - h - 15) * 0.7:.0f}" '
                     f'height="{h * 0.18:.0f}" fill="{c}"/>')
    parts.append(f'<text x="{cx}" y="{cy + h * 0.1:.0f}" font-family="Liberation Sans" '
                 f'font-weight="bold" font-size="{h * 0.3:.0f}" text-anchor="middle" '
                 f'fill="{b}">{text}</text>')
    parts.append(f'<text x="{cx}" y="{cy + h * 0.3:.0f}" font-family="Liberation Sans" '
                 f'font-size="{h * 0.12:.0f}" text-anchor="middle" fill="{a}">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_svg(markup: str, width: int | None = None) -> Image.Image:
    return Image.fromarray(rasterise_svg(markup, width=width))


def png(image: Image.Image, **kw) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **kw)
    return buffer.getvalue()


def encode(image: Image.Image, fmt: str, **kw) -> bytes:
    buffer = io.BytesIO()
    if fmt in ("JPEG",):
        image = flatten(image, (255, 255, 255))
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


def flatten(image: Image.Image, colour) -> Image.Image:
    background = Image.new("RGB", image.size, colour)
    background.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    return background


def white_variant(image: Image.Image) -> Image.Image:
    alpha = image.getchannel("A")
    white = Image.new("RGBA", image.size, (255, 255, 255, 0))
    white.putalpha(alpha)
    return Image.merge("RGBA", (*Image.new("RGB", image.size, "white").split(), alpha))


def photo(rng: random.Random, size=(800, 450)) -> Image.Image:
    """An unrelated 'photograph': gradients, blobs and noise."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x / w * 255 * rng.random() + rng.randint(0, 120)),
                     (y / h * 255 * rng.random() + rng.randint(0, 120)),
                     np.full((h, w), rng.randint(40, 200))], axis=2)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randint(0, w), rng.randint(0, h)
        rad = rng.randint(10, 120)
        draw.ellipse((x0 - rad, y0 - rad, x0 + rad, y0 + rad),
                     fill=tuple(rng.randint(0, 255) for _ in range(3)))
    noise = np.random.default_rng(rng.randint(0, 10**6)).integers(-18, 18, (h, w, 3))
    arr = np.clip(np.asarray(image, np.int16) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(arr).filter(ImageFilter.GaussianBlur(1.2))


def same_colours(rng: random.Random, palette, size=(400, 400)) -> Image.Image:
    """Stripes and blocks in the logo's colours, nothing like the logo."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for i in range(8):
        colour = palette[i % 3]
        x0 = rng.randint(0, size[0] - 40)
        draw.rectangle((x0, 0, x0 + rng.randint(10, 60), size[1]), fill=colour)
    return image


def place(canvas: Image.Image, logo: Image.Image, xy) -> Image.Image:
    """Paste ``logo`` (RGBA) on ``canvas``; parts outside the canvas are cut off."""
    canvas = canvas.convert("RGBA")
    canvas.paste(logo, (int(xy[0]), int(xy[1])), logo)
    return canvas


def resized(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.LANCZOS)


def page(body: str, *, title="Cổng thông tin điện tử", head="") -> str:
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'{head}</head><body><header><h1>{title}</h1><nav><a href="/">Trang chủ</a> '
            f'<a href="/tin-tuc">Tin tức</a></nav></header><main>{body}'
            '<p>Thực hiện Chương trình Chuyển đổi số quốc gia, đơn vị triển khai các hoạt động '
            'hưởng ứng.</p></main><footer>© Cơ quan nhà nước</footer></body></html>')


# -- the corpus ------------------------------------------------------------------------------
def build(seed: int = 1) -> Corpus:
    rng = random.Random(seed)
    palette = PALETTES[seed % len(PALETTES)]
    svg = logo_svg(random.Random(seed * 7919), palette)
    logo = render_svg(svg, width=400)
    white = white_variant(logo)
    banner_kit = flatten(place(Image.new("RGBA", (1000, 300), palette[1]),
                               resized(white, 260 * logo.width // logo.height), (30, 20)),
                         palette[1])
    # Hard negatives: last year's logo (same family, different marks and year) and a look-alike.
    old = render_svg(logo_svg(random.Random(seed * 7919 + 1), palette, year="2023"), width=400)
    other_palette = PALETTES[(seed + 1) % len(PALETTES)]
    lookalike = render_svg(logo_svg(random.Random(seed * 7919 + 2), other_palette, text="CĐS"),
                           width=400)
    stranger = render_svg(logo_svg(random.Random(seed * 7919 + 3), palette, text="AI",
                                   year="2024"), width=400)
    kit = {"logo-mau.png": png(logo), "logo-trang.png": png(white),
           "banner.jpg": encode(banner_kit.convert("RGBA"), "JPEG", quality=92),
           "logo.svg": svg.encode(), "negatives/logo-2023.png": png(old),
           "negatives/logo-khac.png": png(lookalike)}
    logo_bytes = kit["logo-mau.png"]

    def photos(n=2):
        return {f"/img/anh-{i}.jpg": encode(photo(rng).convert("RGBA"), "JPEG", quality=80)
                for i in range(n)}

    def gallery(n=2):
        return "".join(f'<img src="/img/anh-{i}.jpg" alt="Ảnh hoạt động {i}" width="400">'
                       for i in range(n))

    def with_photos(files, n=2):
        files.update(photos(n))
        return files

    sites: list[Site] = []

    def add(name, label, body, files=None, **kw):
        files = with_photos(dict(files or {}))
        files.setdefault("/", page(body + gallery(), head=kw.pop("head", "")))
        sites.append(Site(name=name, label=label, files=files, **kw))

    small_png = png(resized(logo, 180))
    # -- present ---------------------------------------------------------------------------
    add("exact", "present", '<img src="/kit/logo-mau.png" alt="Ngày CĐS" width="180">',
        {"/kit/logo-mau.png": logo_bytes})
    add("resized", "present", '<img src="/a/l.png" alt="">', {"/a/l.png": small_png})
    add("jpeg", "present", '<img src="/a/l.jpg" alt="">',
        {"/a/l.jpg": encode(resized(logo, 220), "JPEG", quality=60)})
    add("webp", "present", '<img src="/a/l.webp" alt="">',
        {"/a/l.webp": encode(resized(logo, 200), "WEBP", quality=70)})
    add("gif", "present", '<img src="/a/l.gif" alt="">',
        {"/a/l.gif": encode(resized(logo, 160).convert("RGBA"), "GIF")})
    add("png_reencoded", "present", '<img src="/a/l2.png" alt="">',
        {"/a/l2.png": png(flatten(resized(logo, 240), (250, 250, 250)), optimize=True)})
    add("white_on_dark", "present",
        '<div style="background-color:#0b2e59;padding:12px"><img src="/a/w.png" alt=""></div>',
        {"/a/w.png": png(resized(white, 150))})
    hero = photo(rng, (1400, 420)).convert("RGBA")
    hero = place(hero, resized(logo, 150), (rng.randint(700, 1150), rng.randint(40, 220)))
    add("banner", "present", '<img src="/a/hero.jpg" alt="">',
        {"/a/hero.jpg": encode(hero, "JPEG", quality=82)})
    hero2 = photo(rng, (1200, 360)).convert("RGBA")
    lg = resized(logo, 170)
    hero2 = place(hero2, lg, (1200 - int(lg.width * 0.82), 90))  # 18 % cut by the right edge
    add("banner_cropped", "present", '<img src="/a/hero2.jpg" alt="">',
        {"/a/hero2.jpg": encode(hero2, "JPEG", quality=85)})
    dark = Image.new("RGBA", (1100, 300), (20, 30, 70, 255))
    dark = place(dark, resized(white, 140), (60, 70))
    add("banner_white", "present", '<img src="/a/dark.png" alt="">', {"/a/dark.png": png(dark)})
    add("css_inline", "present",
        '<div class="logo" style="background-image:url(\'/a/bg.png\');width:200px;'
        'height:200px"></div>', {"/a/bg.png": png(resized(logo, 200))})
    add("css_linked", "present", '<div class="dx-badge"></div>',
        {"/assets/css/site.css": ".dx-badge{width:200px;height:200px;"
                                 "background:url(../img/badge.png) no-repeat}",
         "/assets/img/badge.png": png(resized(logo, 200))},
        head='<link rel="stylesheet" href="/assets/css/site.css">')
    add("css_import", "present", '<span id="huong-ung"></span>',
        {"/css/main.css": '@import url("parts/badge.css");',
         "/css/parts/badge.css": "#huong-ung{display:block;width:160px;height:160px;"
                                 "background-image:url('../../i/b.webp')}",
         "/i/b.webp": encode(resized(logo, 160), "WEBP", quality=80)},
        head='<link rel="stylesheet" href="/css/main.css">')
    add("svg_file", "present", '<img src="/a/logo.svg" alt="">', {"/a/logo.svg": svg})
    add("inline_svg", "present", f'<div class="brand">{svg}</div>')
    add("srcset", "present",
        '<img src="/a/placeholder.png" srcset="/a/l-1x.png 1x, /a/l-2x.png 2x" alt="">',
        {"/a/placeholder.png": png(same_colours(rng, ("#ddd", "#eee", "#ccc"), (40, 40))),
         "/a/l-1x.png": png(resized(logo, 120)), "/a/l-2x.png": png(resized(logo, 240))})
    add("picture", "present",
        '<picture><source type="image/webp" srcset="/a/p.webp"><img src="/img/anh-0.jpg" '
        'alt=""></picture>', {"/a/p.webp": encode(resized(logo, 180), "WEBP")})
    data_uri = "data:image/png;base64," + base64.b64encode(png(resized(logo, 140))).decode()
    add("data_uri", "present", f'<img src="{data_uri}" alt="">')
    add("lazy", "present",
        '<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        'data-src="/a/lazy.png" alt="">', {"/a/lazy.png": png(resized(logo, 200))})
    add("js_inserted", "present",
        '<div id="slot"></div><script src="/js/app.js"></script>',
        {"/js/app.js": "var p=['/a/','dy','n.png'];var i=document.createElement('img');"
                       "i.src=p[0]+p[1]+p[2];i.width=180;"
                       "document.getElementById('slot').appendChild(i);",
         "/a/dyn.png": png(resized(logo, 180))})
    add("iframe", "present", '<iframe src="/widget/" width="300" height="300" '
                             'title="Ngày CĐS"></iframe>',
        {"/widget/": page('<img src="w.png" alt="">'), "/widget/w.png": small_png})
    add("redirects", "present", "", {"/final/": page('<img src="/a/r.png" alt="">'),
                                     "/a/r.png": small_png},
        redirects={"/": "/step1", "/step1": "/step2", "/step2": "/final/"})
    add("small", "present", '<img src="/a/s.png" alt="" width="60">',
        {"/a/s.png": png(resized(logo, 60))})
    add("banner_kit", "present", '<img src="/a/bn.jpg" alt="">',
        {"/a/bn.jpg": encode(resized(banner_kit, 800).convert("RGBA"), "JPEG", quality=75)})
    # -- absent ----------------------------------------------------------------------------
    add("broken_named", "absent",
        '<img src="/images/logo-ngay-chuyen-doi-so-quoc-gia.png" alt="Logo Ngày CĐS">')
    add("link_only", "absent", '<a href="/kit/logo-mau.png">Tải bộ nhận diện</a>',
        {"/kit/logo-mau.png": logo_bytes})
    add("text_only", "absent", "<p>Hưởng ứng Ngày Chuyển đổi số quốc gia 10/10/2026 — "
                               "Logo Ngày CĐS</p>")
    add("named_unrelated", "absent", '<img src="/a/logo-ngay-cds-2026.png" alt="Logo CĐS">',
        {"/a/logo-ngay-cds-2026.png": png(photo(rng, (300, 300)))})
    add("negative", "absent", '<img src="/a/old.png" alt="">',
        {"/a/old.png": png(resized(old, 200))})
    add("lookalike", "absent", '<img src="/a/la.png" alt="">',
        {"/a/la.png": png(resized(lookalike, 200))})
    add("stranger", "absent", '<img src="/a/st.png" alt="">',
        {"/a/st.png": png(resized(stranger, 200))})
    add("same_colours", "absent", '<img src="/a/sc.png" alt="">',
        {"/a/sc.png": png(same_colours(rng, palette))})
    add("unused_css", "absent", '<div class="khac"></div>',
        {"/s.css": ".dx-logo{background:url(/a/u.png)}", "/a/u.png": small_png},
        head='<link rel="stylesheet" href="/s.css">')
    add("hidden", "absent", '<img src="/a/h.png" alt="" style="display:none">'
                            '<img src="/a/h2.png" hidden alt="">',
        {"/a/h.png": small_png, "/a/h2.png": small_png})
    add("og_image", "absent", "", {"/a/og.png": small_png},
        head='<meta property="og:image" content="/a/og.png"><link rel="icon" href="/a/og.png">')
    add("plain", "absent", "<p>Tin tức hoạt động của đơn vị.</p>")
    # -- error -----------------------------------------------------------------------------
    sites.append(Site("http_404", "error", {}, statuses={"/": 404}))
    sites.append(Site("http_500", "error", {"/": "oops"}, statuses={"/": 500}))
    sites.append(Site("timeout", "error", {"/": page("")}, delay={"/": 30.0}))
    sites.append(Site("redirect_loop", "error", {}, redirects={"/": "/a", "/a": "/"}))
    sites.append(Site("too_many_redirects", "error", {"/7": page("")},
                      redirects={"/": "/1", **{f"/{i}": f"/{i + 1}" for i in range(1, 7)}}))
    sites.append(Site("refused", "error", {}, refuse=True))
    return Corpus(kit=kit, sites=sites)


