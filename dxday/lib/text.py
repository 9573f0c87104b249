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


# Control characters (but tab and newline) and the bidirectional overrides that can disguise
# text (U+202A–U+202E, U+2066–U+2069) are never kept in what people type.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_typed(value: str) -> str:
    """Typed text as stored: NFC, CRLF as LF, no control or bidi-override characters."""
    return _UNWANTED.sub("", unicodedata.normalize("NFC", value).replace("\r\n", "\n"))


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


# --- legacy encodings ------------------------------------------------------------------------
# Text typed with the old TCVN3 (ABC) or VNI fonts reaches us as Latin-1 look-alikes:
# "Ninh B×nh" (TCVN3), "Xin chaøo" (VNI). Written here: no maintained library converts them.

_TCVN3 = dict(zip(
    "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ¡¢§£¤¥¦",
    "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂĐÊÔƠƯ",
    strict=True))
# Characters that TCVN3 produces and neither modern Vietnamese nor VNI uses.
_TCVN3_SIGNS = set("µ¶·¸¹¨»¼½¾Æ©ÇËÌÎÏÐªÜÞß«¬\xad®æçî÷þ¡¢§£¤¥¦×")

# VNI: standalone letters, and a vowel followed by mark characters.
_VNI_LETTERS = str.maketrans({"ñ": "đ", "Ñ": "Đ", "ö": "ư", "Ö": "Ư", "ô": "ơ", "Ô": "Ơ"})
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
              "Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323"}
_VNI_CIRCUMFLEX_TONE = {"á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303",
                        "ä": "\u0323", "Á": "\u0301", "À": "\u0300", "Å": "\u0309",
                        "Ã": "\u0303", "Ä": "\u0323"}
_VNI_BREVE_TONE = {"é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323",
                   "É": "\u0301", "È": "\u0300", "Ú": "\u0309", "Ü": "\u0303", "Ë": "\u0323"}
_VNI_VOWELS = "aeiouyơưAEIOUYƠƯ"
_VNI_PATTERN = re.compile(
    rf"([{_VNI_VOWELS}])([âÂêÊ]?)([ùøûõïÙØÛÕÏáàåãäÁÀÅÃÄéèúüëÉÈÚÜË]?)")
# A vowel followed by a mark no modern text puts there, or a VNI-only letter.
_VNI_SIGNS = re.compile(r"[aeiouyAEIOUY][âÂêÊùøûõïÙØÛÕÏäÄëËüÜåÅ]|[ñÑöÖ]")


def grouped(value, language: str = "") -> str:
    """A whole number with its thousands grouped as ``language`` (default: the active one)
    writes them: 12.500 in Vietnamese, 12,500 in English; anything else as it is."""
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        text = f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
    # Here, not at the top: the kit-check engine imports this module without Django.
    from django.utils.translation import get_language

    return text if (language or get_language()) == "en" else text.replace(",", ".")


@functools.lru_cache(maxsize=8)
def name_order(names: frozenset) -> dict[str, int]:
    """Each name's rank in Vietnamese order (sort_key), for a set of names seen again and
    again (a campaign's recipients, its units with published results): sorting by the rank
    is ten times faster than by sort_key."""
    return {name: i for i, name in enumerate(sorted(names, key=sort_key))}


def _vni_syllable(match: re.Match) -> str:
    base, modifier, tone = match.groups()
    marks = ""
    if modifier:
        if modifier in "âÂ" and base in "aeoAEO":
            marks = "\u0302"
        elif modifier in "êÊ" and base in "aA":
            marks = "\u0306"
        else:
            return match.group(0)
    if tone in _VNI_TONES:
        marks += _VNI_TONES[tone]
    elif tone and not modifier and tone in _VNI_CIRCUMFLEX_TONE and base in "aeoAEO":
        marks += "\u0302" + _VNI_CIRCUMFLEX_TONE[tone]
    elif tone and not modifier and tone in _VNI_BREVE_TONE and base in "aA":
        marks += "\u0306" + _VNI_BREVE_TONE[tone]
    elif tone:
        return match.group(0)
    return unicodedata.normalize("NFC", base + marks)


# A Vietnamese syllable once folded: onset, one to three vowels, coda ("nguyen", "chuyen").
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}"
                       r"(ch|ng|nh|[cmnpt])?")


def from_legacy(text: str) -> tuple[str, str | None]:
    """Convert TCVN3 or VNI text to Unicode NFC; returns (text, the encoding found or None).

    Only on strong evidence: the signs of an encoding, and every word the conversion changes
    becomes a Vietnamese syllable, in one case ("Björn Peña" and "naïve" are left alone)."""
    if not text or any(ord(c) > 0xFF for c in text):
        return text, None  # real Unicode Vietnamese (ơ, ư, ạ…) is never legacy-encoded
    tcvn3 = sum(c in _TCVN3_SIGNS for c in text)
    vni = len(_VNI_SIGNS.findall(text))
    if vni > tcvn3:
        encoding, converted = "vni", _VNI_PATTERN.sub(_vni_syllable, text.translate(_VNI_LETTERS))
    elif tcvn3:
        encoding, converted = "tcvn3", "".join(_TCVN3.get(c, c) for c in text)
    else:
        return text, None
    converted = nfc(converted)
    changed = {re.sub(r"\W", "", w) for w in set(converted.split()) - set(text.split())}
    if not changed or not all(_SYLLABLE.fullmatch(fold(w)) and (w.islower() or w.istitle()
                                                                 or w.isupper()) for w in changed):
        return text, None
    return converted, encoding


def legacy_encoding(text: str) -> str | None:
    """"tcvn3" or "vni" when text is, on strong evidence, typed in that legacy encoding."""
    return from_legacy(text)[1]
