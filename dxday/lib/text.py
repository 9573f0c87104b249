"""Vietnamese text rules: store NFC, match and search on folded text.

Written here rather than taken from a library: the folding Vietnamese needs (đ→d, both tone
placements equal) is a few lines on top of :mod:`unicodedata`, and the general-purpose
transliterators either keep đ or transliterate far more than we want.
"""

import functools
import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]")  # combining diacritical marks after NFD
_SPACES = re.compile(r"\s+")
# đ/Đ have no decomposition in Unicode, so they survive NFD and must be mapped by hand; Ð/ð
# (U+00D0/U+00F0, the Icelandic eth) stand in for Đ in text converted from legacy encodings.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


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


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# letters first, tones second (none, huyền, sắc, hỏi, ngã, nặng).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


@functools.lru_cache(maxsize=65536)  # names repeat: 3,400 units sorted on every page view
def sort_key(value: str | None) -> tuple:
    """A key that sorts Vietnamese text in dictionary order, whatever its normal form.

    Letters decide first (ă, â, đ, ê, ô, ơ, ư are letters of their own); the tone of each
    syllable decides ties, wherever the tone mark sits ("Hòa" and "Hoà" sort alike).
    ``sorted(["Bộ Tài chính", "Bộ Công Thương", "Bộ Công an"], key=sort_key)`` gives
    Công an, Công Thương, Tài chính (code-point order would not).
    """
    letters: list[tuple[str, int]] = []
    tones: list[int] = [0]  # one per syllable
    in_word = False
    for char in unicodedata.normalize("NFD", (value or "").casefold()):
        if char in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[char])
        elif char in _TONE_MARKS:
            tones[-1] = _TONE_MARKS[char]
        elif unicodedata.combining(char):
            continue
        else:
            letters.append(("d", 1) if char == "đ" else (char, 0))
            if char.isalnum():
                in_word = True
            elif in_word:  # a space or punctuation ends the syllable
                tones.append(0)
                in_word = False
    return (tuple(letters), tuple(tones), value or "")
