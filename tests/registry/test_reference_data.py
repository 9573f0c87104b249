"""The registry's reference data against ../shared/reference/facts.md."""

import datetime
import unicodedata
from collections import Counter

import pytest
from django.core import serializers
from django.core.management import call_command

from dxday.campaigns.services import reference_load
from dxday.registry.models import Organisation, Succession

pytestmark = pytest.mark.django_db

DISPATCH_DAY = datetime.date(2022, 9, 13)
TODAY = datetime.date(2026, 11, 28)

# facts.md, "From 01/07/2025": new ← old, by short name (the unchanged ones map to themselves).
MERGERS = {
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"], "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"], "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"], "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"], "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"], "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"], "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"], "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"],
    "TP. Hồ Chí Minh": ["TP. Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"], "Tây Ninh": ["Tây Ninh", "Long An"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"],
    "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"], "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"],
    "Cà Mau": ["Cà Mau", "Bạc Liêu"], "An Giang": ["An Giang", "Kiên Giang"],
    "Hà Nội": ["Hà Nội"], "Huế": ["Thừa Thiên Huế"], "Cao Bằng": ["Cao Bằng"],
    "Điện Biên": ["Điện Biên"], "Hà Tĩnh": ["Hà Tĩnh"], "Lai Châu": ["Lai Châu"],
    "Lạng Sơn": ["Lạng Sơn"], "Nghệ An": ["Nghệ An"], "Quảng Ninh": ["Quảng Ninh"],
    "Thanh Hóa": ["Thanh Hóa"], "Sơn La": ["Sơn La"],
}

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
        "city": 6, "province": 28, "commune": 3321,
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
    assert "commune" not in before
    assert after["province"] + after["city"] == 34
    assert after["commune"] == 3321


def test_every_old_province_passes_to_the_new_one_of_the_facts():
    new = {o.short_name: o for o in Organisation.objects.valid_on(TODAY).provincial()}
    assert set(new) == set(MERGERS)
    olds = Organisation.objects.valid_on(DISPATCH_DAY).provincial().prefetch_related("successors")
    assert olds.count() == 63
    for old in olds:
        successors = list(old.successors.all())
        assert len(successors) == 1, old.name
        expected = next(n for n, previous in MERGERS.items() if old.short_name in previous)
        assert successors[0] == new[expected], old.name
        assert successors[0].is_valid_on(datetime.date(2025, 7, 1))


def test_quang_nam_passes_to_da_nang():
    quang_nam = Organisation.objects.get(name="Tỉnh Quảng Nam")
    assert quang_nam.valid_to == datetime.date(2025, 6, 30)
    assert [s.code for s in quang_nam.successors.all()] == ["48"]
    link = Succession.objects.get(predecessor=quang_nam)
    assert link.date == datetime.date(2025, 7, 1)


@pytest.mark.parametrize(("old", "new"), [
    ("BTTTT-2022", "BKHCN"), ("BKHCN-2022", "BKHCN"), ("BKHDT-2022", "BTC"),
    ("BNNPTNT-2022", "BNNMT"), ("BTNMT-2022", "BNNMT"), ("BGTVT-2022", "BXD"),
    ("BLDTBXH-2022", "BNV"), ("UBDT-2022", "BDTTG"), ("BQP-2022", "BQP"),
])
def test_central_successors(old, new):
    org = Organisation.objects.get(code=old)
    assert org.valid_to == datetime.date(2025, 2, 28)
    assert new in [s.code for s in org.successors.all()]
    assert Organisation.objects.get(code=new).valid_from == datetime.date(2025, 3, 1)


def test_every_2022_body_has_a_successor():
    ended = Organisation.objects.valid_on(DISPATCH_DAY).filter(successors__isnull=True)
    assert list(ended) == []


def test_names_follow_the_official_spelling_and_are_nfc():
    assert Organisation.objects.filter(name="Bộ Văn hóa, Thể thao và Du lịch").count() == 2
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
    orphans = Organisation.objects.filter(kind="commune").exclude(parent__kind__in=["province",
                                                                                      "city"])
    assert orphans.count() == 0


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
    Organisation.objects.filter(kind="commune").delete()
    Organisation.objects.all().delete()
    assert Organisation.objects.count() == 0
    report = reference_load()
    assert Organisation.objects.count() == 30 + 22 + 63 + 34 + 3321
    assert Succession.objects.count() == 93
    assert Campaign.objects.count() == 5
    assert report.created >= 3470
