"""Reference data for the registry, from ../shared/reference/facts.md.

Codes: current bodies carry their natural code (the statistics office's code for provinces and
communes, the document-symbol abbreviation for central bodies); bodies that ended in the 2025
reorganisation carry the same code with the suffix ``-2022`` (the first campaign year), because
the statistics office reused province codes (24 was Bắc Giang, is now Bắc Ninh) and the new
ministries reuse the old abbreviations. See docs/decisions/0001-organisation-codes.md.
"""

import datetime

OLD_SUFFIX = "-2022"

# The 2022 central bodies ended with the government structure of Nghị quyết 176/2025/QH15.
CENTRAL_END = datetime.date(2025, 2, 28)
CENTRAL_START = datetime.date(2025, 3, 1)
# The 63 provinces ended with Nghị quyết 202/2025/QH15 (two-level local government).
PROVINCE_END = datetime.date(2025, 6, 30)
PROVINCE_START = datetime.date(2025, 7, 1)
# Thừa Thiên Huế became Thành phố Huế (centrally-run) on 01/01/2025 (NQ 1314/NQ-UBTVQH15).
HUE_START = datetime.date(2025, 1, 1)

M, MA, GA = "ministry", "ministerial_agency", "government_agency"

# (code, name, short name, kind) — the 30 central recipients of Công văn 4644/BTTTT-CĐSQG.
CENTRAL_2022 = [
    ("BQP", "Bộ Quốc phòng", "Bộ Quốc phòng", M),
    ("BCA", "Bộ Công an", "Bộ Công an", M),
    ("BNG", "Bộ Ngoại giao", "Bộ Ngoại giao", M),
    ("BNV", "Bộ Nội vụ", "Bộ Nội vụ", M),
    ("BTP", "Bộ Tư pháp", "Bộ Tư pháp", M),
    ("BKHDT", "Bộ Kế hoạch và Đầu tư", "Bộ KH&ĐT", M),
    ("BTC", "Bộ Tài chính", "Bộ Tài chính", M),
    ("BCT", "Bộ Công Thương", "Bộ Công Thương", M),
    ("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ NN&PTNT", M),
    ("BGTVT", "Bộ Giao thông vận tải", "Bộ GTVT", M),
    ("BXD", "Bộ Xây dựng", "Bộ Xây dựng", M),
    ("BTNMT", "Bộ Tài nguyên và Môi trường", "Bộ TN&MT", M),
    ("BTTTT", "Bộ Thông tin và Truyền thông", "Bộ TT&TT", M),
    ("BLDTBXH", "Bộ Lao động - Thương binh và Xã hội", "Bộ LĐ-TB&XH", M),
    ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ VHTTDL", M),
    ("BKHCN", "Bộ Khoa học và Công nghệ", "Bộ KH&CN", M),
    ("BGDDT", "Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", M),
    ("BYT", "Bộ Y tế", "Bộ Y tế", M),
    ("UBDT", "Ủy ban Dân tộc", "Ủy ban Dân tộc", MA),
    ("NHNN", "Ngân hàng Nhà nước Việt Nam", "NHNN", MA),
    ("TTCP", "Thanh tra Chính phủ", "Thanh tra Chính phủ", MA),
    ("VPCP", "Văn phòng Chính phủ", "VPCP", MA),
    ("DTNVN", "Đài Tiếng nói Việt Nam", "VOV", GA),
    ("BQLLCTHCM", "Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", "Ban QL Lăng", GA),
    ("BHXH", "Bảo hiểm xã hội Việt Nam", "BHXH Việt Nam", GA),
    ("TTXVN", "Thông tấn xã Việt Nam", "TTXVN", GA),
    ("DTHVN", "Đài Truyền hình Việt Nam", "VTV", GA),
    ("VHLKHCNVN", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Viện HL KH&CN VN", GA),
    ("VHLKHXHVN", "Viện Hàn lâm Khoa học xã hội Việt Nam", "Viện HL KHXH VN", GA),
    ("UBQLVNN", "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", "UBQLV", GA),
]

# The 22 central bodies from 01/03/2025: 14 ministries, 3 ministerial-level, 5 government agencies.
CENTRAL_2025 = [
    ("BQP", "Bộ Quốc phòng", "Bộ Quốc phòng", M),
    ("BCA", "Bộ Công an", "Bộ Công an", M),
    ("BNG", "Bộ Ngoại giao", "Bộ Ngoại giao", M),
    ("BNV", "Bộ Nội vụ", "Bộ Nội vụ", M),
    ("BTP", "Bộ Tư pháp", "Bộ Tư pháp", M),
    ("BTC", "Bộ Tài chính", "Bộ Tài chính", M),
    ("BCT", "Bộ Công Thương", "Bộ Công Thương", M),
    ("BNNMT", "Bộ Nông nghiệp và Môi trường", "Bộ NN&MT", M),
    ("BXD", "Bộ Xây dựng", "Bộ Xây dựng", M),
    ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ VHTTDL", M),
    ("BKHCN", "Bộ Khoa học và Công nghệ", "Bộ KH&CN", M),
    ("BGDDT", "Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", M),
    ("BYT", "Bộ Y tế", "Bộ Y tế", M),
    ("BDTTG", "Bộ Dân tộc và Tôn giáo", "Bộ DT&TG", M),
    ("NHNN", "Ngân hàng Nhà nước Việt Nam", "NHNN", MA),
    ("TTCP", "Thanh tra Chính phủ", "Thanh tra Chính phủ", MA),
    ("VPCP", "Văn phòng Chính phủ", "VPCP", MA),
    ("DTNVN", "Đài Tiếng nói Việt Nam", "VOV", GA),
    ("DTHVN", "Đài Truyền hình Việt Nam", "VTV", GA),
    ("TTXVN", "Thông tấn xã Việt Nam", "TTXVN", GA),
    ("VHLKHCNVN", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Viện HL KH&CN VN", GA),
    ("VHLKHXHVN", "Viện Hàn lâm Khoa học xã hội Việt Nam", "Viện HL KHXH VN", GA),
]

# Bodies that simply continued through the 2025 reorganisation: one record each, valid across
# 2025, with no end date and no successor link (facts.md, "Continued, no change to show";
# Báo cáo 219/BC-BNV and Nghị quyết 176/2025/QH15 keep them as they were). Receiving part of
# another body (Văn hóa took the press from Thông tin và Truyền thông) does not end a body.
CENTRAL_CONTINUED = ("BQP", "BCA", "BNG", "BTP", "BCT", "BVHTTDL", "BGDDT", "BYT", "NHNN",
                     "TTCP", "VPCP", "DTNVN", "DTHVN", "TTXVN", "VHLKHCNVN", "VHLKHXHVN")

MERGED, SPLIT, RENAMED = "merged", "split", "renamed"

# Old central code → [(new code, type, note)], for the bodies that ended on 28/02/2025.
# Nghị quyết 176/2025/QH15 "thành lập … trên cơ sở hợp nhất": Tài chính, Xây dựng, Nông nghiệp
# và Môi trường, Nội vụ and Khoa học và Công nghệ are new bodies formed by merging. A split
# lists every part, each note saying what passed (facts.md, "Split"): Lao động – Thương binh và
# Xã hội → Nội vụ, Giáo dục và Đào tạo, Y tế; Thông tin và Truyền thông → Khoa học và Công
# nghệ (Nghị định 55/2025/NĐ-CP), Văn hóa, Thể thao và Du lịch (Nghị định 43/2025/NĐ-CP of
# 28/02/2025: báo chí, phát thanh, truyền hình, thông tin điện tử, xuất bản, in, phát hành).
# Smaller transfers to bodies that continued are not links (see the decision record).
CENTRAL_SUCCESSORS = {
    "BKHDT": [("BTC", MERGED, "")],
    "BTC": [("BTC", MERGED, "")],
    "BNNPTNT": [("BNNMT", MERGED, "")],
    "BTNMT": [("BNNMT", MERGED, "")],
    "BGTVT": [("BXD", MERGED, "")],
    "BXD": [("BXD", MERGED, "")],
    "BKHCN": [("BKHCN", MERGED, "")],
    "BNV": [("BNV", MERGED, "")],
    "BTTTT": [
        ("BKHCN", SPLIT, "bưu chính, viễn thông, công nghệ thông tin, chuyển đổi số (gồm Cục "
                         "Chuyển đổi số quốc gia) và các lĩnh vực còn lại"),
        ("BVHTTDL", SPLIT, "báo chí, phát thanh, truyền hình, thông tin điện tử, xuất bản, in, "
                           "phát hành"),
    ],
    "BLDTBXH": [
        ("BNV", SPLIT, "lao động, việc làm, tiền lương, bảo hiểm xã hội, an toàn lao động, "
                       "người có công"),
        ("BGDDT", SPLIT, "giáo dục nghề nghiệp"),
        ("BYT", SPLIT, "bảo trợ xã hội, trẻ em, phòng, chống tệ nạn xã hội"),
    ],
    "UBDT": [("BDTTG", RENAMED, "Thành lập trên cơ sở Ủy ban Dân tộc, tiếp nhận thêm quản lý "
                                "nhà nước về tín ngưỡng, tôn giáo từ Bộ Nội vụ")],
    # Left the list of government agencies (facts.md; Báo cáo 219/BC-BNV).
    "BQLLCTHCM": [("BQP", MERGED, "Trở thành cơ quan thuộc Bộ Quốc phòng")],
    "BHXH": [("BTC", MERGED, "Trở thành cơ quan thuộc Bộ Tài chính")],
    "UBQLVNN": [("BTC", MERGED, "Quyền đại diện chủ sở hữu vốn nhà nước tại các tập đoàn, "
                                "tổng công ty chuyển về Bộ Tài chính")],
}

P, C = "province", "city"

# (statistics office code, name without prefix, kind, successor code from 01/07/2025):
# the 63 provinces and centrally-run cities of 2022, with the mergers of Nghị quyết 202/2025/QH15
# (the text's list is kept in data/nq-202-2025-QH15.txt; the tests compare the two). A province
# whose successor is itself simply continued: one record, no link. Thừa Thiên Huế (46) was
# raised to a centrally-run city on 01/01/2025: renamed, not merged.
PROVINCES_2022 = [
    ("01", "Hà Nội", C, "01"),
    ("02", "Hà Giang", P, "08"),
    ("04", "Cao Bằng", P, "04"),
    ("06", "Bắc Kạn", P, "19"),
    ("08", "Tuyên Quang", P, "08"),
    ("10", "Lào Cai", P, "15"),
    ("11", "Điện Biên", P, "11"),
    ("12", "Lai Châu", P, "12"),
    ("14", "Sơn La", P, "14"),
    ("15", "Yên Bái", P, "15"),
    ("17", "Hòa Bình", P, "25"),
    ("19", "Thái Nguyên", P, "19"),
    ("20", "Lạng Sơn", P, "20"),
    ("22", "Quảng Ninh", P, "22"),
    ("24", "Bắc Giang", P, "24"),
    ("25", "Phú Thọ", P, "25"),
    ("26", "Vĩnh Phúc", P, "25"),
    ("27", "Bắc Ninh", P, "24"),
    ("30", "Hải Dương", P, "31"),
    ("31", "Hải Phòng", C, "31"),
    ("33", "Hưng Yên", P, "33"),
    ("34", "Thái Bình", P, "33"),
    ("35", "Hà Nam", P, "37"),
    ("36", "Nam Định", P, "37"),
    ("37", "Ninh Bình", P, "37"),
    ("38", "Thanh Hóa", P, "38"),
    ("40", "Nghệ An", P, "40"),
    ("42", "Hà Tĩnh", P, "42"),
    ("44", "Quảng Bình", P, "44"),
    ("45", "Quảng Trị", P, "44"),
    ("46", "Thừa Thiên Huế", P, "46"),
    ("48", "Đà Nẵng", C, "48"),
    ("49", "Quảng Nam", P, "48"),
    ("51", "Quảng Ngãi", P, "51"),
    ("52", "Bình Định", P, "52"),
    ("54", "Phú Yên", P, "66"),
    ("56", "Khánh Hòa", P, "56"),
    ("58", "Ninh Thuận", P, "56"),
    ("60", "Bình Thuận", P, "68"),
    ("62", "Kon Tum", P, "51"),
    ("64", "Gia Lai", P, "52"),
    ("66", "Đắk Lắk", P, "66"),
    ("67", "Đắk Nông", P, "68"),
    ("68", "Lâm Đồng", P, "68"),
    ("70", "Bình Phước", P, "75"),
    ("72", "Tây Ninh", P, "80"),
    ("74", "Bình Dương", P, "79"),
    ("75", "Đồng Nai", P, "75"),
    ("77", "Bà Rịa - Vũng Tàu", P, "79"),
    ("79", "Hồ Chí Minh", C, "79"),
    ("80", "Long An", P, "80"),
    ("82", "Tiền Giang", P, "82"),
    ("83", "Bến Tre", P, "86"),
    ("84", "Trà Vinh", P, "86"),
    ("86", "Vĩnh Long", P, "86"),
    ("87", "Đồng Tháp", P, "82"),
    ("89", "An Giang", P, "91"),
    ("91", "Kiên Giang", P, "91"),
    ("92", "Cần Thơ", C, "92"),
    ("93", "Hậu Giang", P, "92"),
    ("94", "Sóc Trăng", P, "92"),
    ("95", "Bạc Liêu", P, "96"),
    ("96", "Cà Mau", P, "96"),
]


# The ten provinces that did not change (the only one passing to their own code): one record
# each, valid across 2025.
PROVINCES_CONTINUED = tuple(
    gso for gso, _short, _kind, new in PROVINCES_2022
    if gso == new and gso != "46" and [n for *_, n in PROVINCES_2022].count(new) == 1)
PROVINCES_RENAMED = {"46"}


def province_name(short: str, kind: str) -> str:
    """The official long name: "Tỉnh Quảng Nam", "Thành phố Hà Nội"."""
    prefix = "Thành phố" if kind == C else "Tỉnh"
    return f"{prefix} {short}"
