import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxday.lib.text import fold, nfc, same_text, sort_key

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
vietnamese_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " -,.0123456789", max_size=60)


@pytest.mark.parametrize(("query", "name"), [
    ("da nang", "Đà Nẵng"),
    ("hoa binh", "Hòa Bình"),
    ("hoa binh", "Hoà Bình"),
    ("DAK LAK", "Đắk Lắk"),
    ("chuyen doi so", "chuyển đổi số"),
    ("thanh hoa", "Thanh Hoá"),
    ("thuy", "thủy"),
    ("ba ria - vung tau", "Bà Rịa - Vũng Tàu"),
    ("dong thap", "\u00d0ồng Tháp"),  # eth for Đ, as legacy conversions leave it
])
def test_fold_matches_what_people_type(query, name):
    assert fold(name) == fold(query)
    assert same_text(query, name)


def test_fold_keeps_different_words_apart():
    assert fold("Hà Nam") != fold("Hà Nội")
    assert not same_text("Quảng Nam", "Quảng Ngãi")


def test_both_tone_placements_fold_alike():
    assert fold("Hòa") == fold("Hoà") == "hoa"
    assert fold("Khánh Hòa") == fold("Khánh Hoà")


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Tỉnh Quảng Nam")
    assert decomposed != "Tỉnh Quảng Nam"
    assert nfc(decomposed) == "Tỉnh Quảng Nam"
    assert nfc(None) is None


@given(vietnamese_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vietnamese_text)
def test_fold_ignores_normal_form(text):
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert fold(unicodedata.normalize(form, text)) == fold(text)


@given(vietnamese_text)
def test_fold_of_vietnamese_is_ascii(text):
    assert fold(text).isascii()


@given(vietnamese_text)
def test_fold_ignores_case(text):
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@given(st.text(max_size=80))
def test_nfc_is_idempotent_and_canonical(text):
    once = nfc(text)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)


def test_sort_key_follows_the_vietnamese_alphabet():
    names = ["Bộ Tài chính", "Bộ Thông tin và Truyền thông", "Bộ Công Thương", "Bộ Công an",
             "Đài Truyền hình Việt Nam", "Bộ Y tế", "Ủy ban Dân tộc", "Bảo hiểm xã hội Việt Nam"]
    assert sorted(names, key=sort_key) == [
        "Bảo hiểm xã hội Việt Nam", "Bộ Công an", "Bộ Công Thương", "Bộ Tài chính",
        "Bộ Thông tin và Truyền thông", "Bộ Y tế", "Đài Truyền hình Việt Nam", "Ủy ban Dân tộc"]


def test_sort_key_orders_letters_before_tones():
    # a < ă < â, d < đ, o < ô < ơ, u < ư; tones only break ties between the same letters.
    assert sorted(["ơ", "ô", "o"], key=sort_key) == ["o", "ô", "ơ"]
    assert sorted(["â", "ă", "a"], key=sort_key) == ["a", "ă", "â"]
    assert sorted(["đa", "da", "dz"], key=sort_key) == ["da", "dz", "đa"]
    assert sorted(["mạ", "má", "ma", "mà"], key=sort_key) == ["ma", "mà", "má", "mạ"]
    assert sorted(["hòa", "hoan"], key=sort_key) == ["hòa", "hoan"]
    assert sorted(["à ba", "a bà", "a ba"], key=sort_key) == ["a ba", "a bà", "à ba"]
    assert sort_key("Hòa Bình")[1] == (1, 1)


@given(vietnamese_text)
def test_sort_key_ignores_normal_form_and_tone_placement(text):
    assert sort_key(unicodedata.normalize("NFD", text))[:2] == sort_key(text)[:2]


def test_sort_key_treats_both_tone_placements_alike():
    assert sort_key("Hòa Bình")[:2] == sort_key("Hoà Bình")[:2]


@pytest.mark.parametrize(("legacy", "unicode_text", "encoding"), [
    ("Ninh B×nh", "Ninh Bình", "tcvn3"),
    ("Thµnh phè §µ N½ng", "Thành phố Đà Nẵng", "tcvn3"),
    ("ChuyÓn ®æi sè quèc gia", "Chuyển đổi số quốc gia", "tcvn3"),
    ("Xin chaøo", "Xin chào", "vni"),
    ("Vieät Nam", "Việt Nam", "vni"),
    ("Ñaø Naüng", "Đà Nẵng", "vni"),
    ("Trung taâm", "Trung tâm", "vni"),
    ("öôùc mô", "ước mơ", "vni"),
    ("Chuyeån ñoåi soá", "Chuyển đổi số", "vni"),
])
def test_legacy_encodings_are_converted(legacy, unicode_text, encoding):
    from dxday.lib.text import from_legacy

    assert from_legacy(legacy) == (unicode_text, encoding)


@pytest.mark.parametrize("text", ["Thành phố Đà Nẵng", "Hà Nội", "Plain ASCII text", "Café",
                                  "Đắk Lắk", "résumé", "", "12/2026", "Björn Peña", "naïve",
                                  "São Paulo", "Müller", "Gödel", "Señor", "Zoë",
                                  "HÉI TH¶O"])  # the last: TCVN3 upper-cased, not convertible
def test_modern_text_is_left_alone(text):
    from dxday.lib.text import from_legacy

    assert from_legacy(text) == (text, None)
