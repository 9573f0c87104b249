"""Find every image a page displays, without running it: HTML (selectolax) and CSS (tinycss2).

Counted: ``img`` (``src``, ``srcset``, lazy ``data-*`` attributes), ``picture``/``source``,
``input type=image``, ``object``/``embed`` images, inline ``style`` backgrounds, ``<style>``
blocks and linked stylesheets (``@import`` followed, URLs resolved against the stylesheet; a rule
whose selector matches nothing on the page is not displayed), inline ``svg``, ``data:`` URIs,
``noscript`` fallbacks, and iframes (scanned as pages of their own).
Not counted: links (``a href``) to an image, ``og:image`` and icons, hidden elements.

:func:`dynamic_reasons` says what in a document could change what it shows once a browser runs
it (scripts, load-time event handlers, ``javascript:`` frames, a meta refresh, declarative
shadow roots, inline SVG drawing from other files): a page the static pass found nothing on goes
to the browser pass only for one of these (docs/decisions/0013).
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse

import tinycss2
from selectolax.lexbor import LexborHTMLParser

LAZY_ATTRS = ("src", "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url",
              "data-bg", "data-background", "data-image")
SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset")
CSS_IMAGE_PROPS = {"background", "background-image", "content", "list-style-image",
                   "border-image", "border-image-source", "mask-image", "-webkit-mask-image"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d])",
                           re.I)
_PSEUDO = re.compile(r"::?[a-zA-Z-]+(\([^)]*\))?")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)


@dataclasses.dataclass
class PageRefs:
    images: list[str] = dataclasses.field(default_factory=list)  # absolute URLs or data: URIs
    inline_svgs: list[str] = dataclasses.field(default_factory=list)
    stylesheets: list[str] = dataclasses.field(default_factory=list)
    style_blocks: list[str] = dataclasses.field(default_factory=list)
    frames: list[str] = dataclasses.field(default_factory=list)
    srcdocs: list[str] = dataclasses.field(default_factory=list)
    dynamic: list[str] = dataclasses.field(default_factory=list)  # see dynamic_reasons()

    def add_image(self, url: str) -> None:
        if url and url not in self.images:
            self.images.append(url)


def _join(base: str, value: str | None) -> str | None:
    value = (value or "").strip()
    if not value or value.startswith("#") or value.lower().startswith(("javascript:", "about:",
                                                                       "blob:")):
        return None
    if value.lower().startswith("data:"):
        return value if value.lower().startswith("data:image/") else None
    try:
        return urllib.parse.urljoin(base, value)
    except ValueError:
        return None


def parse_srcset(value: str) -> list[str]:
    urls = []
    for item in re.split(r",\s+(?=\S)", value.strip()):
        url = item.strip().split()[0] if item.strip() else ""
        if url:
            urls.append(url)
    return urls


def _hidden(node) -> bool:
    current, depth = node, 0
    while current is not None and depth < 30:
        attrs = current.attributes
        if "hidden" in attrs:
            return True
        if _HIDDEN_STYLE.search(attrs.get("style") or ""):
            return True
        if current.tag in ("img", "iframe") and (attrs.get("width") == "0"
                                                 or attrs.get("height") == "0"):
            return True
        if current.tag == "template":
            return True
        current, depth = current.parent, depth + 1
    return False


def extract(html: str, base_url: str) -> tuple[PageRefs, LexborHTMLParser]:
    tree = LexborHTMLParser(html)
    base_node = tree.css_first("base[href]")
    base = _join(base_url, base_node.attributes.get("href")) if base_node else None
    base = base or base_url
    refs = PageRefs()
    _collect(tree, base, refs)
    refs.dynamic = dynamic_reasons(tree)
    for node in tree.css("noscript"):
        inner = LexborHTMLParser(node.text(deep=True) or "")
        _collect(inner, base, refs, frames=False)
    return refs, tree


# Script types a browser runs (the HTML standard's JavaScript MIME type essences, and modules);
# anything else (JSON-LD, templates, import maps, speculation rules) is data.
_JS_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript",
             "application/ecmascript", "application/x-javascript", "application/x-ecmascript",
             "text/x-javascript", "text/x-ecmascript", "text/jscript", "text/livescript",
             "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
             "text/javascript1.3", "text/javascript1.4", "text/javascript1.5"}
# Handlers that only run when someone uses the page (a click, a key, the mouse) change nothing
# a scan would see; any other on* attribute (onload, onerror, onanimationstart, …) may run at
# load time.
_USER_EVENTS = {"onclick", "ondblclick", "onmousedown", "onmouseup", "onmouseover",
                "onmouseout", "onmouseenter", "onmouseleave", "onmousemove", "oncontextmenu",
                "onkeydown", "onkeyup", "onkeypress", "onsubmit", "onreset", "onchange",
                "oninput", "oninvalid", "onselect", "ontouchstart", "ontouchend", "ontouchmove",
                "onpointerdown", "onpointerup", "onpointerover", "onpointerout", "onwheel",
                "ondrag", "ondragstart", "ondragend", "ondrop", "oncopy", "oncut", "onpaste"}


def dynamic_reasons(tree) -> list[str]:
    """What in this document could change what it shows after load (empty: nothing can)."""
    reasons = []
    for node in tree.css("script"):
        kind = (node.attributes.get("type") or "").split(";")[0].strip().lower()
        if kind in _JS_TYPES:
            reasons.append("script")
            break
    for node in tree.css("*"):
        for name in node.attributes:
            name = (name or "").lower()
            if name.startswith("on") and name not in _USER_EVENTS:
                reasons.append(f"{name} handler")
                break
        else:
            continue
        break
    for node in tree.css("iframe[src], frame[src], object[data], embed[src]"):
        value = node.attributes.get("src") or node.attributes.get("data") or ""
        if value.strip().lower().startswith("javascript:"):
            reasons.append("javascript: frame")
            break
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").strip().lower() == "refresh":
            reasons.append("meta refresh")
            break
    if tree.css_first("template[shadowrootmode], template[shadowroot]") is not None:
        reasons.append("declarative shadow root")
    for node in tree.css("svg use, svg feImage, svg feimage"):
        href = (node.attributes.get("href") or node.attributes.get("xlink:href") or "").strip()
        if href and not href.startswith("#"):
            reasons.append("svg drawing from another file")
            break
    return reasons


def _collect(tree, base: str, refs: PageRefs, *, frames: bool = True) -> None:
    for node in tree.css("img, source, input[type=image], image"):
        if _hidden(node):
            continue
        attrs = node.attributes
        for attr in LAZY_ATTRS + ("href", "xlink:href"):
            if attr in ("href", "xlink:href") and node.tag != "image":
                continue
            url = _join(base, attrs.get(attr))
            if url:
                refs.add_image(url)
        for attr in SRCSET_ATTRS:
            for item in parse_srcset(attrs.get(attr) or ""):
                url = _join(base, item)
                if url:
                    refs.add_image(url)
    for node in tree.css("object[data], embed[src]"):
        if _hidden(node):
            continue
        kind = (node.attributes.get("type") or "").lower()
        url = _join(base, node.attributes.get("data") or node.attributes.get("src"))
        if url and (kind.startswith("image/") or re.search(r"\.(svg|png|jpe?g|gif|webp)(\?|$)",
                                                           url, re.I)):
            refs.add_image(url)
        elif url and frames:
            refs.frames.append(url)
    for node in tree.css("[style]"):
        if _hidden(node):
            continue
        for url in css_urls_in_value(node.attributes.get("style") or "", base):
            refs.add_image(url)
    for node in tree.css("style"):
        refs.style_blocks.append(node.text(deep=True) or "")
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "stylesheet" in rel and "alternate" not in rel:
            url = _join(base, node.attributes.get("href"))
            if url:
                refs.stylesheets.append(url)
    for node in tree.css("svg"):
        parent, nested = node.parent, False
        while parent is not None:
            if parent.tag == "svg":
                nested = True
                break
            parent = parent.parent
        if not nested and not _hidden(node):
            refs.inline_svgs.append(node.html)
    if frames:
        for node in tree.css("iframe, frame"):
            if _hidden(node):
                continue
            if node.attributes.get("srcdoc"):
                refs.srcdocs.append(node.attributes["srcdoc"])
            url = _join(base, node.attributes.get("src"))
            if url and not url.startswith("data:"):
                refs.frames.append(url)


def css_urls_in_value(value: str, base: str) -> list[str]:
    urls = []
    for match in _CSS_URL.finditer(value):
        url = _join(base, match.group(2))
        if url:
            urls.append(url)
    return urls


def _selector_used(tree, selector: str) -> bool:
    for part in selector.split(","):
        plain = _PSEUDO.sub("", part).strip()
        if not plain or plain in ("*", "html", "body", ":root"):
            return True
        try:
            if tree.css_first(plain) is not None:
                return True
        except Exception:  # a selector lexbor does not know: assume it applies
            return True
    return False


def css_images(css: str, css_url: str, tree) -> tuple[list[str], list[str]]:
    """Image URLs of rules that apply to the page, and ``@import`` URLs, of one stylesheet."""
    images, imports = [], []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    _walk_rules(rules, css_url, tree, images, imports)
    return images, imports


def _walk_rules(rules, css_url, tree, images, imports) -> None:
    for rule in rules:
        if rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword == "import":
                for token in rule.prelude:
                    if token.type == "url" or token.type == "string":
                        url = _join(css_url, token.value)
                        if url:
                            imports.append(url)
                    elif token.type == "function" and token.lower_name == "url":
                        for arg in token.arguments:
                            if arg.type == "string":
                                url = _join(css_url, arg.value)
                                if url:
                                    imports.append(url)
            elif keyword in ("media", "supports", "layer", "container", "document") \
                    and rule.content:
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                 skip_whitespace=True)
                _walk_rules(inner, css_url, tree, images, imports)
            continue
        if rule.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        declarations = tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                       skip_whitespace=True)
        urls = []
        for decl in declarations:
            if decl.type == "declaration" and decl.lower_name in CSS_IMAGE_PROPS:
                urls += css_urls_in_value(tinycss2.serialize(decl.value), css_url)
        if urls and _selector_used(tree, selector):
            for url in urls:
                if url not in images:
                    images.append(url)
