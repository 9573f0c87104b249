"""The registry's reference data against ../shared/reference/facts.md."""

import datetime
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db.models import F, Q

from dxday.campaigns.services import reference_load
from dxday.registry import reference_data
from dxday.registry.models import Organisation, Succession

pytestmark = pytest.mark.django_db

DISPATCH_DAY = datetime.date(2022, 9, 13)
TODAY = datetime.date(2026, 11, 28)

# The official list of Nghị quyết 202/2025/QH15, as the reference gives it (typed once, in the
# data file; the registry's own table in reference_data.py is compared with it here).
NQ_202 = Path(reference_data.__file__).parent / "data" / "nq-202-2025-QH15.txt"


def _short(name: str) -> str:
    return name.strip().removeprefix("TP. ").removeprefix("TP ")


def official_provinces() -> tuple[dict[str, list[str]], set[str], dict[str, str]]:
    """(merged: new → olds, unchanged, renamed: new → old), by short name."""
    merged, unchanged, renamed = {}, set(), {}
    for line in NQ_202.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("unchanged:"):
            unchanged = {_short(n) for n in line.split(":", 1)[1].split(",")}
        elif line.startswith("renamed:"):
            new, old = line.split(":", 1)[1].split("←")
            renamed[_short(new)] = _short(old)
        else:
            new, olds = line.split("←")
            merged[_short(new)] = [_short(o) for o in olds.split(",")]
    return merged, unchanged, renamed


MINISTRIES_2022 = [
    "Quốc phòng", "Công an", "Ngoại giao", "Nội vụ", "Tư pháp", "Kế hoạch và Đầu tư",
    "Tài chính", "Công Thương", "Nông nghiệp và Phát triển nông thôn", "Giao thông vận tải",
    "Xây dựng", "Tài nguyên và Môi trường", "Thông tin và Truyền thông",
    "Lao động - Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch", "Khoa học và Công nghệ",
    "Giáo dục và Đào tạo", "Y tế",
]
MINISTRIES_2025 = [
    "Quốc phòng", "Công an", "Ngoại giao", "Nội vụ", "Tư pháp", "Tài chính", "Công Thương",
    "Nông nghiệp và Môi trường", "Xây dựng", "Văn hóa, Thể thao và Du lịch",
    "Khoa học và Công nghệ", "Giáo dục và Đào tạo", "Y tế", "Dân tộc và Tôn giáo",
]


def kinds_on(day):
    return Counter(Organisation.objects.valid_on(day).values_list("kind", flat=True))


def test_recipients_of_the_dispatch_are_the_93_of_2022():
    assert kinds_on(DISPATCH_DAY) == {
        "ministry": 18, "ministerial_agency": 4, "government_agency": 8,
        "city": 5, "province": 58,
    }
    names = set(Organisation.objects.valid_on(DISPATCH_DAY).filter(kind="ministry")
                .values_list("name", flat=True))
    assert names == {f"Bộ {m}" for m in MINISTRIES_2022}
    agencies = set(Organisation.objects.valid_on(DISPATCH_DAY)
                   .filter(kind="government_agency").values_list("name", flat=True))
    assert "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp" in agencies
    assert "Ban Quản lý Lăng Chủ tịch Hồ Chí Minh" in agencies


def test_today_56_units_and_3321_communes():
    assert kinds_on(TODAY) == {
        "ministry": 14, "ministerial_agency": 3, "government_agency": 5,
        "city": 6, "province": 28, "commune": 2621, "ward": 687, "special_zone": 13,
    }
    names = set(Organisation.objects.valid_on(TODAY).filter(kind="ministry")
                .values_list("name", flat=True))
    assert names == {f"Bộ {m}" for m in MINISTRIES_2025}


def test_central_bodies_change_on_1_march_2025():
    assert kinds_on(datetime.date(2025, 2, 28))["ministry"] == 18
    assert kinds_on(datetime.date(2025, 3, 1))["ministry"] == 14


def test_provinces_change_on_1_july_2025():
    before = kinds_on(datetime.date(2025, 6, 30))
    after = kinds_on(datetime.date(2025, 7, 1))
    assert before["province"] + before["city"] == 63
    assert not set(before) & set(Organisation.COMMUNE_KINDS)
    assert after["province"] + after["city"] == 34
    assert sum(after[k] for k in Organisation.COMMUNE_KINDS) == 3321


def test_every_2025_province_lists_its_predecessors_as_the_official_list():
    merged, unchanged, renamed = official_provinces()
    assert len(merged) + len(unchanged) + len(renamed) == 34
    new = {_short(o.short_name): o for o in Organisation.objects.valid_on(TODAY).provincial()}
    assert set(new) == set(merged) | unchanged | set(renamed)
    for name, olds in merged.items():
        links = Succession.objects.filter(successor=new[name]).select_related("predecessor")
        assert sorted(_short(s.predecessor.short_name) for s in links) == sorted(olds), name
        assert {(s.type, s.date) for s in links} == {("merged", datetime.date(2025, 7, 1))}
        for link in links:
            assert link.predecessor.valid_to == datetime.date(2025, 6, 30)
            assert list(link.predecessor.successors.all()) == [new[name]]
    for name in unchanged:  # one record, valid across 2025, no change at all
        org = new[name]
        assert (org.valid_from, org.valid_to) == (None, None), name
        assert not Succession.objects.filter(Q(predecessor=org) | Q(successor=org)).exists()
        assert org.is_valid_on(DISPATCH_DAY)
    olds = Organisation.objects.valid_on(DISPATCH_DAY).provincial()
    assert olds.count() == 63
    assert {_short(o.short_name) for o in olds} == (
        {o for v in merged.values() for o in v} | unchanged | set(renamed.values()))


def test_hue_was_renamed_not_merged():
    hue = Organisation.objects.get(code="46")
    assert (hue.name, hue.kind, hue.valid_from) == ("Thành phố Huế", "city",
                                                    datetime.date(2025, 1, 1))
    link = Succession.objects.get(successor=hue)
    assert (link.predecessor.name, link.type) == ("Tỉnh Thừa Thiên Huế", "renamed")
    assert link.predecessor.valid_to == datetime.date(2024, 12, 31)


def test_quang_nam_passes_to_da_nang():
    quang_nam = Organisation.objects.get(name="Tỉnh Quảng Nam")
    assert quang_nam.valid_to == datetime.date(2025, 6, 30)
    assert [s.code for s in quang_nam.successors.all()] == ["48"]
    link = Succession.objects.get(predecessor=quang_nam)
    assert link.date == datetime.date(2025, 7, 1)


@pytest.mark.parametrize(("old", "new", "link_type"), [
    ("BKHCN-2022", "BKHCN", "merged"), ("BKHDT-2022", "BTC", "merged"),
    ("BTC-2022", "BTC", "merged"), ("BNNPTNT-2022", "BNNMT", "merged"),
    ("BTNMT-2022", "BNNMT", "merged"), ("BGTVT-2022", "BXD", "merged"),
    ("BNV-2022", "BNV", "merged"), ("UBDT-2022", "BDTTG", "renamed"),
    ("BQLLCTHCM-2022", "BQP", "merged"), ("BHXH-2022", "BTC", "merged"),
])
def test_central_successors(old, new, link_type):
    org = Organisation.objects.get(code=old)
    assert org.valid_to == datetime.date(2025, 2, 28)
    link = Succession.objects.get(predecessor=org)
    assert (link.successor.code, link.type, link.date) == (new, link_type,
                                                           datetime.date(2025, 3, 1))


@pytest.mark.parametrize(("old", "parts"), [
    ("BLDTBXH-2022", {"BNV": "lao động", "BGDDT": "giáo dục nghề nghiệp",
                      "BYT": "bảo trợ xã hội"}),
    ("BTTTT-2022", {"BKHCN": "chuyển đổi số", "BVHTTDL": "báo chí"}),
])
def test_splits_name_every_part_and_what_passed(old, parts):
    links = Succession.objects.filter(predecessor__code=old).select_related("successor")
    assert {s.successor.code for s in links} == set(parts)
    for link in links:
        assert link.type == "split"
        assert parts[link.successor.code] in link.note


def test_unchanged_bodies_are_one_record_with_no_change():
    continued = [*reference_data.CENTRAL_CONTINUED, *reference_data.PROVINCES_CONTINUED]
    assert len(continued) == 16 + 10
    assert "BNG" in continued and "01" in continued
    for code in continued:
        org = Organisation.objects.get(code=code)
        assert (org.valid_from, org.valid_to) == (None, None), code
        assert org.is_valid_on(DISPATCH_DAY) and org.is_valid_on(TODAY)
        assert not Organisation.objects.filter(code=f"{code}-2022").exists()
        assert not Succession.objects.filter(predecessor=org).exists(), code
        # Only other, ended bodies pass into it (Ban Quản lý Lăng into Bộ Quốc phòng).
        for link in Succession.objects.filter(successor=org).select_related("predecessor"):
            assert link.predecessor.name != org.name and link.predecessor.valid_to, code
    assert not Succession.objects.filter(predecessor=F("successor")).exists()
    assert not Succession.objects.filter(type="continued").exists()


def test_every_ended_body_has_a_successor():
    ended = Organisation.objects.filter(valid_to__isnull=False, successors__isnull=True)
    assert list(ended) == []


def test_names_follow_the_official_spelling_and_are_nfc():
    assert Organisation.objects.filter(name="Bộ Văn hóa, Thể thao và Du lịch").count() == 1
    assert Organisation.objects.get(code="01").name == "Thành phố Hà Nội"
    assert Organisation.objects.get(code="49-2022").name == "Tỉnh Quảng Nam"
    assert Organisation.objects.get(code="46").name == "Thành phố Huế"
    for name in Organisation.objects.values_list("name", flat=True):
        assert unicodedata.is_normalized("NFC", name), name
        assert name.startswith(("Bộ ", "Ủy ban", "Ngân hàng", "Thanh tra", "Văn phòng", "Đài",
                                "Ban ", "Bảo hiểm", "Thông tấn", "Viện", "Tỉnh ", "Thành phố ",
                                "Xã ", "Phường ", "Đặc khu ")), name


def test_communes_have_official_codes_and_their_province():
    hoan_kiem = Organisation.objects.get(code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.parent.code == "01"
    assert Organisation.objects.get(name="Đặc khu Hoàng Sa").parent.short_name == "Đà Nẵng"
    assert Organisation.objects.get(name="Đặc khu Trường Sa").parent.short_name == "Khánh Hòa"
    orphans = Organisation.objects.commune_level().exclude(parent__kind__in=["province", "city"])
    assert orphans.count() == 0


def test_commune_kinds_follow_the_official_division_type():
    # facts.md: 2,621 xã, 687 phường, 13 đặc khu; the name carries the type.
    counts = Counter(Organisation.objects.commune_level().values_list("kind", flat=True))
    assert counts == {"commune": 2621, "ward": 687, "special_zone": 13}
    prefixes = {"commune": "Xã ", "ward": "Phường ", "special_zone": "Đặc khu "}
    for name, kind in Organisation.objects.commune_level().values_list("name", "kind"):
        assert name.startswith(prefixes[kind]), name


def snapshot():
    from dxday.campaigns.models import Campaign, CampaignDocument
    from dxday.registry.models import Document

    querysets = [Organisation.objects.order_by("pk"), Succession.objects.order_by("pk"),
                 Document.objects.order_by("pk"), Campaign.objects.order_by("pk"),
                 CampaignDocument.objects.order_by("pk")]
    return [serializers.serialize("json", qs) for qs in querysets]


def test_loading_twice_changes_nothing(capsys):
    before = snapshot()
    call_command("load_reference")
    assert "created 0, updated 0" in capsys.readouterr().out
    assert snapshot() == before


def test_admin_edits_survive_a_reload_and_refresh_restores_them():
    Organisation.objects.filter(code="BKHCN").update(short_name="KH&CN (sửa)")
    report = reference_load()
    assert not report.changed
    assert Organisation.objects.get(code="BKHCN").short_name == "KH&CN (sửa)"
    report = reference_load(refresh=True)
    assert report.updated == 1
    assert Organisation.objects.get(code="BKHCN").short_name == "Bộ KH&CN"


def test_loading_from_empty_creates_everything():
    from dxday.campaigns.models import Campaign
    from dxday.registry.models import Document

    Campaign.objects.all().delete()
    Document.objects.all().delete()
    Organisation.objects.commune_level().delete()
    Organisation.objects.all().delete()
    assert Organisation.objects.count() == 0
    report = reference_load()
    # 16 central bodies and 10 provinces continued: one record each.
    assert Organisation.objects.count() == (30 + 22 - 16) + (63 + 34 - 10) + 3321
    # 14 ended central bodies (LĐ-TB&XH in 3 parts, TT&TT in 2), 53 ended provinces.
    assert Succession.objects.count() == (14 + 2 + 1) + 53
    assert Campaign.objects.count() == 5
    assert report.created >= 3444 + 5
