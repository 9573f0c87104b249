"""Vietnamese text rules: store NFC, match and search on folded text.

Written here rather than taken from a library: the folding Vietnamese needs (đ→d, both tone
placements equal) is a few lines on top of :mod:`unicodedata`, and the general-purpose
transliterators either keep đ or transliterate far more than we want.
"""

import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]")  # combining diacritical marks after NFD
_SPACES = re.compile(r"\s+")
# đ/Đ have no decomposition in Unicode, so they survive NFD and must be mapped by hand.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str | None) -> str | None:
    """Return ``value`` in Unicode NFC (TCVN 6909:2001), the form dxday stores."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


def fold(value: str | None) -> str:
    """Fold text for matching and search.

    Drops diacritics (so both tone placements, "Hòa" and "Hoà", fold alike), maps đ→d, casefolds
    and collapses white space: ``fold("Thành phố Đà Nẵng") == "thanh pho da nang"``.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value)
    text = _MARKS.sub("", text).translate(_D_MAP)
    text = unicodedata.normalize("NFC", text).casefold()
    return _SPACES.sub(" ", text).strip()


def same_text(a: str | None, b: str | None) -> bool:
    """True when two texts differ at most in diacritics, tone placement, đ, case or spacing."""
    return fold(a) == fold(b)
