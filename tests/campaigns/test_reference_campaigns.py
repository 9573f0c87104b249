"""The campaigns 2022–2026 as the dispatch and the facts describe them."""

import datetime
import zoneinfo
from collections import Counter

import pytest

from dxday.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_2022_is_the_campaign_of_the_dispatch():
    c = Campaign.objects.get(year=2022)
    assert c.organiser.name == "Bộ Thông tin và Truyền thông"
    assert c.submission_deadline == datetime.datetime(2022, 9, 15, 0, 0, tzinfo=HCM)
    assert c.deadline_text == "trước ngày 15/09/2022"
    assert (c.window_start, c.window_end) == (datetime.date(2022, 10, 1),
                                              datetime.date(2022, 10, 10))
    assert c.window_note == "hoặc trong tháng 10/2022"
    assert c.theme.startswith("Chuyển đổi số giải quyết các vấn đề của xã hội")
    assert (c.contact_unit, c.contact_person, c.contact_phone, c.contact_email) == (
        "Cục Chuyển đổi số quốc gia", "Bà Vũ Thị Nhung", "0916868700", "vtnhung@mic.gov.vn")
    legal = [link.document.number for link in c.campaign_documents.filter(role="legal_basis")]
    assert legal == ["505/QĐ-TTg", "1092/QĐ-BTTTT", "1491/QĐ-BTTTT", "4247/BTTTT-THH",
                     "4644/BTTTT-CĐSQG"]
    dispatch = c.documents.get(number="4644/BTTTT-CĐSQG")
    assert dispatch.date == datetime.date(2022, 9, 13)
    assert "gửi thông tin cho Bộ Thông tin và Truyền thông trước ngày 15/09/2022" in dispatch.body
    assert "Nguyễn Huy Dũng" in dispatch.signer


def test_2022_recipients_are_the_93_units():
    c = Campaign.objects.get(year=2022)
    assert Counter(c.recipients.values_list("kind", flat=True)) == {
        "ministry": 18, "ministerial_agency": 4, "government_agency": 8,
        "city": 5, "province": 58}


@pytest.mark.parametrize(("year", "count", "organiser"), [
    (2023, 93, "BTTTT-2022"), (2024, 93, "BTTTT-2022"), (2025, 56, "BKHCN"), (2026, 56, "BKHCN"),
])
def test_later_campaigns_have_the_recipients_valid_at_the_time(year, count, organiser):
    c = Campaign.objects.get(year=year)
    assert c.recipients.count() == count
    assert c.organiser.code == organiser
    assert not c.recipients.commune_level().exists()


def test_themes_and_dates_of_later_years():
    assert Campaign.objects.get(year=2023).theme == "Khai thác dữ liệu số để tạo ra giá trị"
    assert Campaign.objects.get(year=2023).kit_window_end == datetime.date(2023, 10, 10)
    assert Campaign.objects.get(year=2024).theme.startswith("Phổ cập hạ tầng số")
    # Unknown facts stay empty, to be filled in the admin.
    assert Campaign.objects.get(year=2025).theme == ""
    assert Campaign.objects.get(year=2025).event_date == datetime.date(2025, 10, 21)
    assert Campaign.objects.get(year=2026).submission_deadline is None
