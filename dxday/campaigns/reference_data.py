"""Reference campaigns 2022–2026 and their documents, from ../shared/reference/facts.md.

Unknown fields stay empty; they are edited in the admin and survive a reload.
"""

import datetime
from pathlib import Path

D = datetime.date
DATA_DIR = Path(__file__).parent / "data"

THEME_2022 = ("Chuyển đổi số giải quyết các vấn đề của xã hội vì một cuộc sống tốt đẹp hơn "
              "cho người dân")
TITLE_505 = ("V/v triển khai Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ "
             "về Ngày Chuyển đổi số quốc gia")

# number, kind, date, issuer code, issuer text, signer, title, recipients, body file
DOCUMENTS = [
    dict(number="505/QĐ-TTg", kind="decision", date=D(2022, 4, 22), issuer=None,
         issuer_text="Thủ tướng Chính phủ",
         title="Về Ngày Chuyển đổi số quốc gia (ngày 10 tháng 10 hằng năm)"),
    dict(number="1092/QĐ-BTTTT", kind="decision", date=D(2022, 6, 16), issuer="BTTTT-2022",
         issuer_text="Bộ Thông tin và Truyền thông",
         title="Kế hoạch triển khai Ngày Chuyển đổi số quốc gia năm 2022"),
    dict(number="1491/QĐ-BTTTT", kind="decision", date=D(2022, 8, 9), issuer="BTTTT-2022",
         issuer_text="Bộ Thông tin và Truyền thông",
         title="Về kế hoạch chi tiết triển khai Quyết định số 505/QĐ-TTg của Thủ tướng "
               "Chính phủ"),
    dict(number="4247/BTTTT-THH", kind="dispatch", date=D(2022, 8, 16), issuer="BTTTT-2022",
         issuer_text="Bộ Thông tin và Truyền thông (Cục Tin học hóa)", title=TITLE_505,
         recipients_text="Các bộ, ngành, địa phương"),
    dict(number="4644/BTTTT-CĐSQG", kind="dispatch", date=D(2022, 9, 13), issuer="BTTTT-2022",
         issuer_text="Bộ Thông tin và Truyền thông",
         signer="KT. Bộ trưởng, Thứ trưởng Nguyễn Huy Dũng", title=TITLE_505,
         recipients_text=("Các Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ; Ủy ban nhân dân "
                          "các tỉnh, thành phố trực thuộc Trung ương."),
         body_file="cv-4644-BTTTT-CDSQG-2022.txt"),
    dict(number="4878/BTTTT-CĐSQG", kind="dispatch", date=D(2022, 9, 30), issuer="BTTTT-2022",
         issuer_text="Bộ Thông tin và Truyền thông",
         title=("Hiển thị bộ nhận diện Ngày Chuyển đổi số quốc gia trên cổng thông tin điện "
                "tử, bảng điện tử, màn hình công cộng, trang web và ứng dụng")),
    dict(number="4754/BTTTT-CĐSQG", kind="dispatch", date=D(2023, 9, 18), issuer="BTTTT-2022",
         issuer_text="Bộ Thông tin và Truyền thông",
         title=("Hiển thị bộ nhận diện Ngày Chuyển đổi số quốc gia năm 2023 (01–10/10/2023) "
                "trên cổng thông tin điện tử, bảng điện tử và báo điện tử")),
]

CONTACT_2022 = dict(contact_unit="Cục Chuyển đổi số quốc gia", contact_person="Bà Vũ Thị Nhung",
                    contact_phone="0916868700", contact_email="vtnhung@mic.gov.vn")

# Each campaign: fields, recipients' reference date, documents as (number, role).
CAMPAIGNS = [
    dict(year=2022, title="Ngày Chuyển đổi số quốc gia năm 2022", theme=THEME_2022,
         organiser="BTTTT-2022",
         deadline=datetime.datetime(2022, 9, 15, 0, 0), deadline_text="trước ngày 15/09/2022",
         window_start=D(2022, 10, 1), window_end=D(2022, 10, 10),
         window_note="hoặc trong tháng 10/2022", event_date=D(2022, 10, 10),
         recipients_on=D(2022, 9, 13), **CONTACT_2022,
         documents=[("505/QĐ-TTg", "legal_basis"), ("1092/QĐ-BTTTT", "legal_basis"),
                    ("1491/QĐ-BTTTT", "legal_basis"), ("4247/BTTTT-THH", "legal_basis"),
                    ("4644/BTTTT-CĐSQG", "legal_basis"), ("4878/BTTTT-CĐSQG", "kit")]),
    dict(year=2023, title="Ngày Chuyển đổi số quốc gia năm 2023",
         theme="Khai thác dữ liệu số để tạo ra giá trị", organiser="BTTTT-2022",
         kit_window_start=D(2023, 10, 1), kit_window_end=D(2023, 10, 10),
         event_date=D(2023, 10, 10), recipients_on=D(2023, 10, 10),
         documents=[("505/QĐ-TTg", "legal_basis"), ("4754/BTTTT-CĐSQG", "kit")]),
    dict(year=2024, title="Ngày Chuyển đổi số quốc gia năm 2024",
         theme=("Phổ cập hạ tầng số và sáng tạo ứng dụng số để phát triển kinh tế số – Động "
                "lực mới cho tăng trưởng kinh tế và năng suất lao động"),
         organiser="BTTTT-2022", event_date=D(2024, 10, 10), recipients_on=D(2024, 10, 10),
         documents=[("505/QĐ-TTg", "legal_basis")]),
    # 2025: sources disagree on the theme; the ceremony was held on 21/10/2025.
    dict(year=2025, title="Ngày Chuyển đổi số quốc gia năm 2025", organiser="BKHCN",
         event_date=D(2025, 10, 21), recipients_on=D(2025, 10, 10),
         documents=[("505/QĐ-TTg", "legal_basis")]),
    dict(year=2026, title="Ngày Chuyển đổi số quốc gia năm 2026", organiser="BKHCN",
         event_date=D(2026, 10, 10), recipients_on=D(2026, 10, 10),
         documents=[("505/QĐ-TTg", "legal_basis")]),
]
