"""The public page of an organisation words each change by its type, and says nothing for a
body that simply continued (Hà Nội, Bộ Ngoại giao…)."""

import re

import pytest
from django.utils import translation

from dxday.registry import reference_data

pytestmark = pytest.mark.django_db


def changes(client, code, lang="en"):
    """The sentences of the page's "Reorganisation" entry, as text."""
    html = client.get(f"/organisations/{code}/", {"lang": lang}).content.decode()
    block = re.search(r"<ul class=\"list-unstyled mb-0\">(.*?)</ul>", html, re.S)
    if block is None:
        return []
    return [re.sub(r"<[^>]+>", "", li).strip()
            for li in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def test_unchanged_bodies_show_no_change(client):
    for code in ("01", "BNG", *reference_data.CENTRAL_CONTINUED[:3],
                 *reference_data.PROVINCES_CONTINUED):
        for lang in ("vi", "en"):
            html = client.get(f"/organisations/{code}/", {"lang": lang}).content.decode()
            assert "Sáp nhập vào" not in html and "Merged into" not in html, code
    assert changes(client, "01") == [] and changes(client, "BNG") == []
    assert changes(client, "01", "vi") == []


def test_merged_split_and_renamed_are_worded_by_type(client):
    assert changes(client, "49-2022") == ["Merged into Thành phố Đà Nẵng (01/07/2025)"]
    assert changes(client, "46-2022") == [
        "Renamed to Thành phố Huế (01/01/2025) — Trở thành thành phố trực thuộc trung ương"]
    split = changes(client, "BLDTBXH-2022")
    assert len(split) == 3
    assert "Split: giáo dục nghề nghiệp passed to Bộ Giáo dục và Đào tạo (01/03/2025)" in split
    assert any(s.startswith("Split: bảo trợ xã hội") and "Bộ Y tế" in s for s in split)
    split = changes(client, "BTTTT-2022")
    assert any(s.startswith("Split: báo chí") and "Bộ Văn hóa, Thể thao và Du lịch" in s
               for s in split)
    formed = changes(client, "48")
    assert formed == ["Formed by merging Thành phố Đà Nẵng, Tỉnh Quảng Nam (01/07/2025)"]
    assert changes(client, "BGDDT") == [
        "Took over giáo dục nghề nghiệp from Bộ Lao động - Thương binh và Xã hội (01/03/2025)"]


def test_the_vietnamese_page_uses_the_translated_wording(client):
    with translation.override("vi"):
        merged = translation.gettext("Merged into %(name)s (%(date)s)") % {
            "name": "Thành phố Đà Nẵng", "date": "01/07/2025"}
        split = translation.gettext("Split: %(note)s passed to %(name)s (%(date)s)") % {
            "note": "giáo dục nghề nghiệp", "name": "Bộ Giáo dục và Đào tạo",
            "date": "01/03/2025"}
    assert changes(client, "49-2022", "vi") == [merged]
    assert split in changes(client, "BLDTBXH-2022", "vi")
